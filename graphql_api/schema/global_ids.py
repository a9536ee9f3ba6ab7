"""Global object identification (Relay): the ``Node`` interface and its opaque ``id`` values.

A global ID is ``base64url("<Type>:<JSON array>")``; the JSON names the object so that
``Query.node(id:)`` can read it again:

- ``Token``: ``[path, {modifier: context, …}, release]``: a token *in one theme
  combination* (and release, or null for the current data). The same path in two themes
  has two IDs, because its values differ: a Relay store keyed by ID must not merge them.
- ``Modifier``: ``[name, release]``; ``Context``: ``[modifier, context, release]``;
  ``Release``: ``[name]``.

Clients treat IDs as opaque (GraphQL Global Object Identification specification); this
module is the only place that knows their shape.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from typing import Any

import strawberry
from graphql import GraphQLError

from ..errors import ErrorCode

#: Longest global ID accepted (characters), checked before decoding: IDs come from clients.
MAX_ID_LENGTH = 4096
#: The object types that implement ``Node``.
NODE_TYPES = ("Token", "Modifier", "Context", "Release")


@strawberry.interface(
    description="An object with a global ID that `node(id:)` reads again (Relay Global "
    "Object Identification)."
)
class Node:
    """Implemented by ``Token``, ``Modifier``, ``Context`` and ``Release``."""

    @strawberry.field(description="Opaque global ID; `node(id:)` returns this object again.")
    def id(self) -> strawberry.ID:
        """The object's global ID (each implementing type defines :meth:`global_key`)."""
        type_name, key = self.global_key()
        return encode_id(type_name, key)

    def global_key(self) -> tuple[str, list[Any]]:
        """(GraphQL type name, JSON-serialisable key) naming this object.

        Raises:
            NotImplementedError: always here; implementing types override it.
        """
        raise NotImplementedError


def encode_id(type_name: str, key: list[Any]) -> strawberry.ID:
    """The opaque global ID of the object ``key`` of ``type_name``."""
    text = type_name + ":" + json.dumps(key, separators=(",", ":"), ensure_ascii=False)
    return strawberry.ID(base64.urlsafe_b64encode(text.encode()).decode())


@dataclass(frozen=True, slots=True)
class GlobalKey:
    """A decoded global ID: the type name and the key's JSON array."""

    type_name: str
    key: list[Any]


def decode_id(global_id: str) -> GlobalKey:
    """Split a global ID made by :func:`encode_id`.

    Raises:
        GraphQLError: ``INVALID_ID`` when the text is longer than :data:`MAX_ID_LENGTH`, is
            not base64url, names no ``Node`` type, or its key is not a JSON array.
    """
    if len(global_id) > MAX_ID_LENGTH:
        raise _invalid(global_id[:40] + "…", f"longer than {MAX_ID_LENGTH} characters")
    try:
        text = base64.urlsafe_b64decode(global_id.encode("ascii")).decode()
        type_name, sep, payload = text.partition(":")
        key = json.loads(payload) if sep else None
    except (ValueError, UnicodeError, binascii.Error):
        raise _invalid(global_id, "not an ID this server made") from None
    if type_name not in NODE_TYPES or not isinstance(key, list):
        raise _invalid(global_id, "not an ID this server made")
    return GlobalKey(type_name, key)


def _invalid(global_id: str, why: str) -> GraphQLError:
    return GraphQLError(
        f"invalid ID {global_id!r}: {why}", extensions={"code": ErrorCode.INVALID_ID}
    )

"""``Query.node(id:)`` and ``Query.nodes(ids:)``: read any ``Node`` again by its global ID.

What Relay's ``@refetchable`` fragments on ``Token``, ``Modifier``, ``Context`` and
``Release`` ask for. A well-formed ID whose object no longer exists (a context or release
deleted, a token removed) gives ``null``, as the Relay specification asks; an ID this server
did not make is an error ``INVALID_ID``. Tokens come from cached snapshots, like
``Query.token``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from graphql import GraphQLError

from ..errors import ErrorCode
from ..store import repository
from . import types as T  # noqa: N812 - short alias
from .global_ids import GlobalKey, Node, decode_id
from .payloads import Release
from .queries import modifier_objects, release_modifiers
from .request_context import RequestContext

if TYPE_CHECKING:
    from collections.abc import Callable

Info = strawberry.Info[RequestContext, None]

#: Most IDs one ``nodes`` call reads (each may resolve a theme combination).
MAX_NODES = 100
#: Codes of lookups that mean "that object is gone", answered with null.
_GONE = frozenset({"UNKNOWN_MODIFIER", "UNKNOWN_CONTEXT", "MISSING_INPUT", "RELEASE_NOT_FOUND"})


def _malformed(key: GlobalKey) -> GraphQLError:
    return GraphQLError(
        f"invalid ID: malformed {key.type_name} key", extensions={"code": ErrorCode.INVALID_ID}
    )


def _optional_str(value: Any) -> bool:
    return value is None or isinstance(value, str)


def _token(ctx: RequestContext, key: GlobalKey) -> T.Token | None:
    if len(key.key) != 3:  # noqa: PLR2004 - [path, selection, release]
        raise _malformed(key)
    path, selection, release = key.key
    if not (isinstance(path, str) and isinstance(selection, dict) and _optional_str(release)):
        raise _malformed(key)
    if not all(isinstance(v, str) for v in selection.values()):
        raise _malformed(key)
    snap = ctx.snapshot(selection, release)
    found = T.token_objects(snap).get(path)
    if found is not None and release is None:
        ctx.requested(snap, (path,))  # usage analytics, as for `token(path:)`
    return found


def _modifiers(ctx: RequestContext, release: Any) -> list[T.Modifier]:
    if release is None:
        return modifier_objects(ctx.catalog())
    if not isinstance(release, str):
        raise GraphQLError(
            "invalid ID: malformed release name", extensions={"code": ErrorCode.INVALID_ID}
        )
    return release_modifiers(ctx.release(release)[0], release)


def _modifier(ctx: RequestContext, key: GlobalKey) -> T.Modifier | None:
    if len(key.key) != 2:  # noqa: PLR2004 - [name, release]
        raise _malformed(key)
    name, release = key.key
    return next((m for m in _modifiers(ctx, release) if m.name == name), None)


def _context(ctx: RequestContext, key: GlobalKey) -> T.Context | None:
    if len(key.key) != 3:  # noqa: PLR2004 - [modifier, context, release]
        raise _malformed(key)
    modifier, name, release = key.key
    for m in _modifiers(ctx, release):
        if m.name == modifier:
            return next((c for c in m.contexts if c.name == name), None)
    return None


def _release(ctx: RequestContext, key: GlobalKey) -> Release | None:
    if len(key.key) != 1 or not isinstance(key.key[0], str):
        raise _malformed(key)
    info = repository.release_info(ctx.session, key.key[0])
    if info is None:
        return None
    return Release(
        name=info.name,
        notes=info.notes,
        revision=info.revision,
        created_at=info.created_at,
        author=info.author,
    )


_READERS: dict[str, Callable[[RequestContext, GlobalKey], Node | None]] = {
    "Token": _token,
    "Modifier": _modifier,
    "Context": _context,
    "Release": _release,
}


def read_node(ctx: RequestContext, global_id: str) -> Node | None:
    """The object a global ID names, or None when it no longer exists.

    Raises:
        GraphQLError: ``INVALID_ID`` for an ID this server did not make.
    """
    key = decode_id(global_id)
    try:
        return _READERS[key.type_name](ctx, key)
    except GraphQLError as exc:
        if (exc.extensions or {}).get("code") in _GONE:
            return None
        raise


IdArg = Annotated[strawberry.ID, strawberry.argument(description="A global ID (`id` of a Node).")]


@strawberry.type(description="Global object identification (Relay).")
class NodeQuery:
    """``node`` and ``nodes`` (merged into ``Query``)."""

    @strawberry.field(
        description="The object with this global ID (a Token in its theme combination, a "
        "Modifier, a Context or a Release); null when it no longer exists. An ID this "
        "server did not make is an error (`INVALID_ID`)."
    )
    def node(self, info: Info, id: IdArg) -> Node | None:  # noqa: A002 - Relay's name
        """See :func:`read_node`."""
        return read_node(info.context, id)

    @strawberry.field(
        description="The objects with these global IDs, in the same order (null for each "
        "that no longer exists); at most 100 IDs (`TOO_MANY_IDS`)."
    )
    def nodes(
        self,
        info: Info,
        ids: Annotated[list[strawberry.ID], strawberry.argument(description="Global IDs.")],
    ) -> list[Node | None]:
        """:func:`read_node` for each ID; every ID is checked before any is read."""
        if len(ids) > MAX_NODES:
            raise GraphQLError(
                f"at most {MAX_NODES} IDs, got {len(ids)}",
                extensions={"code": ErrorCode.TOO_MANY_IDS},
            )
        for global_id in ids:
            decode_id(global_id)
        return [read_node(info.context, global_id) for global_id in ids]

"""The stored resolver as one JSON value: what a release freezes (``release.content``).

``dump(doc)`` and ``load(data)`` are inverse: a :class:`~graphql_api.dtcg.resolver.
ResolverDocument` with every layer's tokens and groups as written (references
unresolved), sets and modifiers in resolution order. No database access here.

Shape::

    {"format": 1, "order": [["set", "foundation"], ["modifier", "theme"]],
     "sets": {"foundation": {"description": …, "tokens": [TOKEN…], "groups": [GROUP…]}},
     "modifiers": {"theme": {"description": …, "default": "light",
                             "contexts": {"light": {"tokens": […], "groups": […]}}}}}

``TOKEN`` is ``[path, value, type, description, deprecated, extensions, file, pointer]``
and ``GROUP`` ``[path, type, description, deprecated, extensions, file, pointer, extends]``
(arrays, not objects: a release of a large system stays a few megabytes): the fields of
:data:`~graphql_api.store.token_rows.TOKEN_FIELDS` after the path and of
:data:`~graphql_api.store.token_rows.GROUP_FIELDS`, the stored rows' columns (a change
there is a new :data:`FORMAT`).
"""

from __future__ import annotations

from typing import Any

from ..dtcg.nodes import Document
from ..dtcg.resolver import VERSION, Modifier, ResolverDocument, TokenSet
from .token_rows import group_fields, group_node, token_fields, token_node

FORMAT = 1


def _layer(doc: Document) -> dict[str, Any]:
    return {
        "tokens": [[t.path, *token_fields(t)] for t in doc.tokens.values()],
        "groups": [list(group_fields(g)) for g in doc.groups.values()],
    }


def _document(data: dict[str, Any]) -> Document:
    tokens = {row[0]: token_node(row[0], row[1:]) for row in data["tokens"]}
    groups = {row[0]: group_node(row) for row in data["groups"]}
    return Document(tokens, groups)


def dump(doc: ResolverDocument) -> dict[str, Any]:
    """The resolver document as JSON data (see the module docstring)."""
    return {
        "format": FORMAT,
        "order": [list(item) for item in doc.order],
        "sets": {
            s.name: {"description": s.description, **_layer(s.document)} for s in doc.sets.values()
        },
        "modifiers": {
            m.name: {
                "description": m.description,
                "default": m.default,
                "contexts": {c: _layer(d) for c, d in m.contexts.items()},
            }
            for m in doc.modifiers.values()
        },
    }


def load(data: dict[str, Any], name: str = "release") -> ResolverDocument:
    """The resolver document of :func:`dump`'s output.

    Raises:
        ValueError: ``data`` was written in another format version.
    """
    if data.get("format") != FORMAT:
        raise ValueError(f"unknown release content format {data.get('format')!r}")
    doc = ResolverDocument(name, None, VERSION)
    doc.order = [(kind, item) for kind, item in data["order"]]
    for set_name, s in data["sets"].items():
        doc.sets[set_name] = TokenSet(set_name, _document(s), s["description"])
    for mod_name, m in data["modifiers"].items():
        contexts = {c: _document(d) for c, d in m["contexts"].items()}
        doc.modifiers[mod_name] = Modifier(mod_name, contexts, m["default"], m["description"])
    return doc

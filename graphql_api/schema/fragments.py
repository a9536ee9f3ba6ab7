"""Per-token JSON fragments: a token's part of a response, serialised once per resolution.

A whole-theme read after a write asks for the same fields of 1,488 tokens of which a few
dozen were re-resolved. :class:`~graphql_api.schema.execution.FastExecutionContext` keeps,
for each token object (``Token``) or edge (``TokenEdge``) it completed, the serialised JSON
of its selection (an ``orjson.Fragment``), and answers the same selection of the same
resolution with it, skipping graphql-core's work for that object and everything below it.

Exact by construction:

- only selections whose every field is one of :func:`.read_scope.token_fields` (a token's
  own data, its alias chain, its value types), with no variables and no directives, so the
  output depends on the token's resolution and the literal text of the selection only;
- kept in the snapshot's ``lineage`` (shared by the snapshots carried forward from one
  another within one theme selection) and used only while the token's ``ResolvedToken``
  is the very object it was made from: a write that re-resolves a token, or anything it
  references, gives it a new one (:func:`graphql_api.dtcg.incremental.reresolve`);
- made only when completing the object raised no field error, and used only for results
  encoded by orjson (``RequestContext.json_fragments``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

import orjson
from graphql import FieldNode, FragmentSpreadNode, InlineFragmentNode, print_ast

from ..store.closures import PARTIAL_MEMO
from .read_scope import field_reads_only_tokens

if TYPE_CHECKING:
    from collections.abc import Mapping

    from graphql import (
        GraphQLObjectType,
        GraphQLSchema,
        Node,
    )
    from graphql.execution.collect_fields import FragmentDetails

#: Key of the fragment tables in a snapshot's ``lineage``.
LINEAGE_KEY: Final = "json_fragments"
#: Distinct selections whose fragments one snapshot lineage keeps (clients choose aliases).
MAX_SELECTIONS: Final = 8
#: The object types whose completed value is kept (with how to reach their token object).
KEPT_TYPES: Final = frozenset({"Token", "TokenEdge"})

#: A kept selection: the literal text of its field nodes, in response order, then that of
#: every fragment definition they spread (sorted by name). Two selections with the same key
#: give the same output for the same token resolution, whichever document they come from:
#: the twenty ``tN: token(path:) { value { … } }`` fields of a component query share one
#: table.
SelectionKey = tuple[str, ...]


class Table:
    """The fragments of one selection: path → (resolution, fragment, fields below).

    ``fields below``: the fields completing the object's selection resolved, counted again
    against ``MAX_QUERY_COST`` whenever the fragment stands in for them.
    """

    __slots__ = ("entries",)

    def __init__(self) -> None:
        self.entries: dict[str, tuple[Any, orjson.Fragment, int]] = {}


def selection_nodes(
    schema: GraphQLSchema,
    parent: GraphQLObjectType,
    grouped: Mapping[str, Any],
    fragments: Mapping[str, FragmentDetails],
) -> tuple[FieldNode, ...] | None:
    """The field nodes of a collected selection of ``parent`` that may be kept, else None.

    ``grouped``: graphql-core's collected fields (response name → field details).
    """
    if parent.name not in KEPT_TYPES:
        return None
    definitions = {  # a fragment with variables of its own is not followed
        name: None if d.variable_signatures else d.definition for name, d in fragments.items()
    }
    nodes: list[FieldNode] = []
    for details in grouped.values():
        for detail in details:
            if detail.defer_usage is not None or detail.fragment_variable_values:
                return None
            if not field_reads_only_tokens(schema, parent, detail.node, definitions, literal=True):
                return None
            nodes.append(detail.node)
    return tuple(nodes)


def token_of(parent: GraphQLObjectType, source: Any) -> Any:
    """The ``Token`` object a kept type's source stands for (itself, or an edge's node)."""
    token = getattr(source, "node", None) if parent.name == "TokenEdge" else source
    if getattr(token, "tok", None) is None or getattr(token, "snap", None) is None:
        return None
    return token


def selection_key(
    nodes: tuple[FieldNode, ...], fragments: Mapping[str, FragmentDetails]
) -> SelectionKey:
    """The key of a kept selection's table (computed once per selection and operation).

    ``fragments``: the operation's fragment definitions, for the spreads below ``nodes``
    (:func:`selection_nodes` has checked they may be followed).
    """
    texts = [_text(node) for node in nodes]
    spread: set[str] = set()
    pending = [n.selection_set for n in nodes if n.selection_set is not None]
    while pending:
        for sel in pending.pop().selections:
            if isinstance(sel, FragmentSpreadNode):
                if sel.name.value not in spread:
                    spread.add(sel.name.value)
                    pending.append(fragments[sel.name.value].definition.selection_set)
            elif isinstance(sel, (FieldNode, InlineFragmentNode)) and sel.selection_set:
                pending.append(sel.selection_set)
    texts.extend(_text(fragments[name].definition) for name in sorted(spread))
    return tuple(texts)


def _text(node: Node) -> str:
    """A node's literal text in its document (printed when the parser kept no location)."""
    loc = node.loc
    return loc.source.body[loc.start : loc.end] if loc is not None else print_ast(node)


def table(token: Any, key: SelectionKey) -> Table | None:
    """The fragment table of a selection (``key``: :func:`selection_key`) in ``token``'s lineage.

    Made on first use; None once the lineage holds :data:`MAX_SELECTIONS` other selections,
    or for a snapshot built in part for one question (``impact``, ``contrastReport``): it is
    dropped with the request, so nothing kept there would be used again.
    """
    if token.snap.memo.get(PARTIAL_MEMO):
        return None
    tables: dict[SelectionKey, Table] = token.snap.lineage.setdefault(LINEAGE_KEY, {})
    found = tables.get(key)
    if found is None:
        if len(tables) >= MAX_SELECTIONS:
            return None
        found = tables.setdefault(key, Table())
    return found


def kept(found: Table, token: Any) -> tuple[orjson.Fragment, int] | None:
    """(fragment, fields below) kept for ``token`` (same path, same resolution), or None."""
    entry = found.entries.get(token.path)
    return (entry[1], entry[2]) if entry is not None and entry[0] is token.tok else None


def keep(
    found: Table, token: Any, completed: Mapping[str, Any], fields: int
) -> orjson.Fragment | None:
    """``completed`` (the object's result, ``fields`` resolved below it) kept for ``token``.

    None when orjson cannot serialise it (then the result is used as it is).
    """
    try:
        fragment = orjson.Fragment(orjson.dumps(completed))
    except orjson.JSONEncodeError:
        return None
    found.entries[token.path] = (token.tok, fragment, fields)
    return fragment

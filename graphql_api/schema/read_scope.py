"""Which cached responses a write can leave valid: documents that read tokens and nothing else.

A query whose every field is in :func:`token_fields` (``token``/``tokens`` at the root, the
connection types, a token's own data, its alias chain and its value types) is answered from
the snapshots of the theme combinations it names and, in each, from the tokens it asks for
and the tokens those reference. Such a response stays exact at a later revision when none of
those tokens changed in those combinations (the snapshot carried forward says which did,
:meth:`graphql_api.store.snapshots.SnapshotStore.changed_between`): the front door then
serves it again instead of executing the query (:mod:`graphql_api.web.graphql_http`).

Any other field (``revision``, ``releases``, ``referencedBy``, ``contrast``,
``valuesByContext``, ``node``, introspection …) reads something a token write can change
without changing the tokens asked for, so a document using one is answered afresh after
every write. The check is static, on the document, once per document text (kept by digest).
"""

from __future__ import annotations

import functools
import threading
from collections import OrderedDict
from typing import TYPE_CHECKING, Final

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLUnionType,
    InlineFragmentNode,
    ListValueNode,
    ObjectValueNode,
    OperationDefinitionNode,
    OperationType,
    VariableNode,
    get_named_type,
)

from .documents import digest

if TYPE_CHECKING:
    from collections.abc import Mapping

    from graphql import DocumentNode, GraphQLNamedType, SelectionSetNode, ValueNode

#: Fields outside the token value types that read only the tokens asked for and what they
#: reference: ``aliasOf``/``aliasChain`` follow the token's own references, so a change
#: anywhere along them re-resolves the token itself (DTCG Format §3.8, aliases).
_ROOT_AND_TOKEN: Final = frozenset(
    {
        ("Query", "token"),
        ("Query", "tokens"),
        ("TokenConnection", "edges"),
        ("TokenConnection", "pageInfo"),
        ("TokenConnection", "totalCount"),
        ("TokenEdge", "cursor"),
        ("TokenEdge", "node"),
        ("PageInfo", "hasNextPage"),
        ("PageInfo", "hasPreviousPage"),
        ("PageInfo", "startCursor"),
        ("PageInfo", "endCursor"),
        ("Deprecation", "reason"),
        *(
            ("Token", name)
            for name in (
                "id",
                "path",
                "name",
                "type",
                "standardType",
                "description",
                "deprecated",
                "extensions",
                "rawValue",
                "resolvedValue",
                "value",
                "aliasOf",
                "aliasChain",
            )
        ),
    }
)
#: The union whose member types (and the object types they lead to) describe one token's
#: resolved value: every field of theirs is read from that value.
VALUE_UNION: Final = "TokenValue"
#: Distinct documents whose answer is kept.
MAX_DOCUMENTS: Final = 1024


def value_types(schema: GraphQLSchema) -> frozenset[str]:
    """Names of the object types reachable from :data:`VALUE_UNION` through their fields."""
    union = schema.get_type(VALUE_UNION)
    if not isinstance(union, GraphQLUnionType):
        return frozenset()
    seen: set[str] = set()
    todo: list[GraphQLObjectType] = list(union.types)
    while todo:
        kind = todo.pop()
        if kind.name in seen:
            continue
        seen.add(kind.name)
        for field in kind.fields.values():
            named = get_named_type(field.type)
            if isinstance(named, GraphQLObjectType):
                todo.append(named)
    return frozenset(seen)


@functools.cache
def token_fields(schema: GraphQLSchema) -> frozenset[tuple[str, str]]:
    """Every ``(type, field)`` a token-scoped document may select (``__typename`` aside).

    The fixed root, connection and token fields plus every field of the value types.
    """
    values = value_types(schema)
    out = set(_ROOT_AND_TOKEN)
    for name in values:
        kind = schema.get_type(name)
        if isinstance(kind, GraphQLObjectType):
            out.update((name, field) for field in kind.fields)
    return frozenset(out)


def _has_variable(value: ValueNode) -> bool:
    if isinstance(value, VariableNode):
        return True
    if isinstance(value, ListValueNode):
        return any(_has_variable(v) for v in value.values)
    if isinstance(value, ObjectValueNode):
        return any(_has_variable(f.value) for f in value.fields)
    return False


def field_reads_only_tokens(
    schema: GraphQLSchema,
    parent: GraphQLNamedType,
    node: FieldNode,
    fragments: Mapping[str, FragmentDefinitionNode | None],
    *,
    literal: bool,
) -> bool:
    """Whether field ``node`` of ``parent`` and all below it select only :func:`token_fields`.

    Spreads are followed through ``fragments`` (None: a fragment that may not be
    followed). ``literal``: also refuse variables in arguments and any directive, so that
    the output depends on the document's text alone (:mod:`.fragments`).
    """
    if literal and (node.directives or any(_has_variable(a.value) for a in node.arguments or ())):
        return False
    name = node.name.value
    if name == "__typename":
        return True
    if not isinstance(parent, GraphQLObjectType) or (parent.name, name) not in token_fields(schema):
        return False
    if node.selection_set is None:
        return True
    inner = get_named_type(parent.fields[name].type)
    return _selection(schema, inner, node.selection_set, fragments, literal=literal)


def _selection(
    schema: GraphQLSchema,
    parent: GraphQLNamedType,
    selection_set: SelectionSetNode,
    fragments: Mapping[str, FragmentDefinitionNode | None],
    *,
    literal: bool,
) -> bool:
    for sel in selection_set.selections:
        if isinstance(sel, FieldNode):
            if not field_reads_only_tokens(schema, parent, sel, fragments, literal=literal):
                return False
            continue
        if literal and sel.directives:
            return False
        if isinstance(sel, InlineFragmentNode):
            inner = schema.get_type(sel.type_condition.name.value) if sel.type_condition else parent
            sub = sel.selection_set
        elif isinstance(sel, FragmentSpreadNode):
            definition = fragments.get(sel.name.value)
            if definition is None:
                return False
            inner = schema.get_type(definition.type_condition.name.value)
            sub = definition.selection_set
        else:
            return False
        if inner is None or not _selection(schema, inner, sub, fragments, literal=literal):
            return False
    return True


def selection_reads_only_tokens(
    schema: GraphQLSchema,
    parent: GraphQLNamedType,
    selection_set: SelectionSetNode,
    fragments: Mapping[str, FragmentDefinitionNode | None],
) -> bool:
    """Whether ``selection_set`` (on type ``parent``) selects only :func:`token_fields`.

    Spreads are followed through ``fragments``. ``impact`` answers its tokens from
    combinations resolved in part when they are selected so (:mod:`.impact`).
    """
    return _selection(schema, parent, selection_set, fragments, literal=False)


def reads_only_tokens(schema: GraphQLSchema, document: DocumentNode) -> bool:
    """Whether every operation of ``document`` is a query selecting only :func:`token_fields`.

    Fragments are followed where they are spread (the document has been validated: no
    spread cycles).
    """
    fragments: dict[str, FragmentDefinitionNode | None] = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    query = schema.query_type
    for definition in document.definitions:
        if not isinstance(definition, OperationDefinitionNode):
            continue
        if definition.operation != OperationType.QUERY or query is None:
            return False
        if not _selection(schema, query, definition.selection_set, fragments, literal=False):
            return False
    return True


class ScopeCache:
    """:func:`reads_only_tokens` per document text, kept by digest (an LRU; thread-safe)."""

    def __init__(self, max_entries: int = MAX_DOCUMENTS) -> None:
        self.max_entries = max(1, max_entries)
        self._lock = threading.Lock()
        self._known: OrderedDict[str, bool] = OrderedDict()

    def reads_only_tokens(self, schema: GraphQLSchema, text: str, document: DocumentNode) -> bool:
        """:func:`reads_only_tokens` of ``document``, whose text is ``text``."""
        key = digest(text)
        with self._lock:
            known = self._known.get(key)
            if known is not None:
                self._known.move_to_end(key)
                return known
        scoped = reads_only_tokens(schema, document)
        with self._lock:
            self._known[key] = scoped
            if len(self._known) > self.max_entries:
                self._known.popitem(last=False)
        return scoped


#: The process's cache of document checks.
scopes = ScopeCache()

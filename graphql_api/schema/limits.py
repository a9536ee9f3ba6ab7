"""Query limits: depth, aliases, size (tokens), estimated cost, introspection.

Every limit comes from the app's configuration (:mod:`graphql_api.config`; defaults
there) and is checked before execution, so an abusive document costs one parse and one
walk. A refused document gets a validation error with ``extensions.code``:
``QUERY_TOO_DEEP``, ``TOO_MANY_ALIASES``, ``QUERY_TOO_COSTLY``,
``INTROSPECTION_DISABLED``; too many tokens is graphql-core's parse error ("Document
contains more than N tokens").

Cost estimate: each field costs 1 plus its children's cost times the field's
multiplier. A connection (``tokens``, ``changes``) multiplies by its ``first`` argument
(a literal; a variable or no argument counts as the maximum page size); ``edges`` by
one (already counted); any other list field by :data:`LIST_FACTOR`; of fragments that narrow
a union or interface to different member types only the most expensive counts. A whole
theme with every field of every value type costs about 1.7 million (page size 10,000 ×
~170), with aliases and referrers nested three deep about 2.4 million: the default
limit, 10 million, admits those and refuses what multiplies them further.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from flask import current_app, has_app_context
from graphql import (
    FieldNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    OperationType,
    ValidationRule,
    get_named_type,
)
from strawberry.extensions import SchemaExtension

from ..errors import ErrorCode

if TYPE_CHECKING:
    from collections.abc import Iterator

    from graphql import GraphQLOutputType, SelectionSetNode, ValidationContext

#: Multiplier of a list field that is not a connection (an estimate of its length).
LIST_FACTOR = 5
CONNECTIONS = frozenset({"tokens", "changes"})


@dataclass(frozen=True, slots=True)
class Limits:
    """The limits of one app (0 or less: no limit)."""

    max_depth: int = 15
    max_aliases: int = 500
    max_cost: int = 10_000_000
    max_tokens: int = 20_000
    max_page_size: int = 10_000
    introspection: bool = True


def current_limits() -> Limits:
    """The limits of the current app (defaults outside an app)."""
    if not has_app_context():
        return Limits()
    cfg = current_app.config
    return Limits(
        max_depth=int(cfg["MAX_QUERY_DEPTH"]), max_aliases=int(cfg["MAX_QUERY_ALIASES"]),
        max_cost=int(cfg["MAX_QUERY_COST"]), max_tokens=int(cfg["MAX_QUERY_TOKENS"]),
        max_page_size=int(cfg["MAX_PAGE_SIZE"]), introspection=bool(cfg["INTROSPECTION"]),
    )  # fmt: skip


@dataclass(slots=True)
class _Stats:
    depth: int = 0
    aliases: int = 0
    introspection: bool = False


def _field_type(parent: Any, name: str) -> GraphQLOutputType | None:
    if not isinstance(parent, GraphQLObjectType) or name not in parent.fields:
        return None
    field_type: GraphQLOutputType = parent.fields[name].type
    return field_type


def _is_list(t: Any) -> bool:
    while isinstance(t, GraphQLNonNull):
        t = t.of_type
    return isinstance(t, GraphQLList)


class _Walker:
    def __init__(self, context: ValidationContext, limits: Limits) -> None:
        self.context, self.limits, self.stats = context, limits, _Stats()

    def multiplier(self, node: FieldNode, ftype: Any) -> int:
        name = node.name.value
        if name in CONNECTIONS:
            for arg in node.arguments or ():
                if arg.name.value == "first" and isinstance(arg.value, IntValueNode):
                    return max(int(arg.value.value), 1)
            return self.limits.max_page_size if name == "tokens" else 100
        if name == "edges" or not _is_list(ftype):
            return 1
        return LIST_FACTOR

    def cost(
        self, selections: SelectionSetNode, parent: Any, depth: int, seen: frozenset[str]
    ) -> int:
        """Cost of a selection set.

        Fragments narrowing to member types cost the most expensive of them (a value is of
        one type); the others add up.
        """
        total = 0
        narrowed: dict[str, int] = {}
        for sel in selections.selections:
            if isinstance(sel, FieldNode):
                total += self.field_cost(sel, parent, depth, seen)
                continue
            if isinstance(sel, InlineFragmentNode):
                cond = sel.type_condition.name.value if sel.type_condition else None
                body, frag_seen = sel.selection_set, seen
            elif isinstance(sel, FragmentSpreadNode) and sel.name.value not in seen:
                frag = self.context.get_fragment(sel.name.value)
                if frag is None:
                    continue
                cond = frag.type_condition.name.value
                body, frag_seen = frag.selection_set, seen | {sel.name.value}
            else:
                continue
            target = self.context.schema.get_type(cond) if cond else parent
            cost = self.cost(body, target, depth, frag_seen)
            if cond is None or target is parent:
                total += cost
            else:
                narrowed[cond] = narrowed.get(cond, 0) + cost
        return total + max(narrowed.values(), default=0)

    def field_cost(self, sel: FieldNode, parent: Any, depth: int, seen: frozenset[str]) -> int:
        """1, plus the field's multiplier times its selection's cost."""
        if sel.name.value in ("__schema", "__type"):
            self.stats.introspection = True
        if sel.alias is not None:
            self.stats.aliases += 1
        self.stats.depth = max(self.stats.depth, depth)
        ftype = _field_type(parent, sel.name.value)
        inner = 0
        if sel.selection_set is not None:
            inner = self.cost(sel.selection_set, get_named_type(ftype), depth + 1, seen)
        return 1 + self.multiplier(sel, ftype) * inner


@lru_cache(maxsize=16)
def rule_for(limits: Limits) -> type[ValidationRule]:
    """A validation rule class enforcing ``limits``.

    One class per distinct limits, so Strawberry's validation cache keeps results per
    configuration.
    """

    class QueryLimitsRule(ValidationRule):
        def enter_operation_definition(self, node: OperationDefinitionNode, *_: Any) -> None:
            root = {
                OperationType.QUERY: self.context.schema.query_type,
                OperationType.MUTATION: self.context.schema.mutation_type,
            }.get(node.operation)
            walker = _Walker(self.context, limits)
            cost = walker.cost(node.selection_set, root, 1, frozenset())
            stats, name = walker.stats, node.name.value if node.name else "(anonymous)"
            codes = ErrorCode
            checks = [
                (limits.max_depth, stats.depth, codes.QUERY_TOO_DEEP, "is nested {n} levels deep"),
                (limits.max_aliases, stats.aliases, codes.TOO_MANY_ALIASES, "has {n} aliases"),
                (limits.max_cost, cost, codes.QUERY_TOO_COSTLY, "has an estimated cost of {n}"),
            ]
            for limit, value, code, what in checks:
                if 0 < limit < value:
                    msg = f"operation {name} {what.format(n=value)}; the limit is {limit}"
                    self.report_error(GraphQLError(msg, node, extensions={"code": code}))
            if stats.introspection and not limits.introspection:
                msg = "introspection is disabled on this server"
                extensions = {"code": ErrorCode.INTROSPECTION_DISABLED}
                self.report_error(GraphQLError(msg, node, extensions=extensions))

    QueryLimitsRule.__name__ = f"QueryLimitsRule_{abs(hash(limits))}"
    return QueryLimitsRule


class QueryLimits(SchemaExtension):
    """Apply the app's limits: token count at parse, the rest as a validation rule.

    Must come before ``ParserCache``/``ValidationCache`` in the extension list so both
    see the options and the rule (their caches key on them).
    """

    def on_operation(self) -> Iterator[None]:
        """Limit the number of tokens the parser reads."""
        limits = current_limits()
        if limits.max_tokens > 0:
            self.execution_context.parse_options["max_tokens"] = limits.max_tokens
        yield

    def on_validate(self) -> Iterator[None]:
        """Add the limits rule to this operation's validation rules."""
        ec = self.execution_context
        ec.validation_rules = (*ec.validation_rules, rule_for(current_limits()))
        yield

"""Query limits: depth, aliases, size (tokens), cost, time, introspection.

Every limit comes from the app's configuration (:mod:`graphql_api.config`; defaults
there). A refused document gets an error with ``extensions.code``:

- at validation (cached per document and limits): ``QUERY_TOO_DEEP``,
  ``TOO_MANY_ALIASES``, ``INTROSPECTION_DISABLED``;
- before execution, from the document, the variables and the data
  (:mod:`.cost`): ``QUERY_TOO_COSTLY``;
- while it runs (:mod:`.budget`): ``QUERY_TIMEOUT`` past ``MAX_QUERY_SECONDS``,
  ``QUERY_TOO_COSTLY`` past ``MAX_QUERY_COST`` fields resolved;
- too many tokens is graphql-core's parse error ("Document contains more than N
  tokens"), raised by :func:`graphql_api.schema.documents.parse_document`.

Every walk over a document visits each fragment once per parent type and stops as soon
as a limit is passed, so an abusive document costs one parse and one short walk.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import orjson
from flask import current_app, has_app_context
from graphql import (
    FragmentDefinitionNode,
    GraphQLError,
    OperationDefinitionNode,
    OperationType,
    ValidationRule,
)
from strawberry.extensions import SchemaExtension

from ..errors import ErrorCode
from .cost import LIST_FACTOR, CostWalker, DataStats, LimitPassed, combinations_count

if TYPE_CHECKING:
    from collections.abc import Iterator

    from graphql import GraphQLSchema

    from .request_context import RequestContext


@dataclass(frozen=True, slots=True)
class Limits:
    """The limits of one app (0 or less: no limit)."""

    max_depth: int = 15
    max_aliases: int = 500
    max_cost: int = 2_000_000
    max_tokens: int = 20_000
    max_page_size: int = 10_000
    introspection: bool = True
    max_seconds: float = 0.0
    max_event_bytes: int = 0


def current_limits() -> Limits:
    """The limits of the current app (defaults outside an app)."""
    if not has_app_context():
        return Limits()
    cfg = current_app.config
    return Limits(
        max_depth=int(cfg["MAX_QUERY_DEPTH"]),
        max_aliases=int(cfg["MAX_QUERY_ALIASES"]),
        max_cost=int(cfg["MAX_QUERY_COST"]),
        max_tokens=int(cfg["MAX_QUERY_TOKENS"]),
        max_page_size=int(cfg["MAX_PAGE_SIZE"]),
        introspection=bool(cfg["INTROSPECTION"]),
        max_seconds=float(cfg["MAX_QUERY_SECONDS"]),
        max_event_bytes=int(cfg["LIVE_MAX_EVENT_BYTES"]),
    )


CHECKS = {
    "depth": (ErrorCode.QUERY_TOO_DEEP, "is nested {n} levels deep"),
    "aliases": (ErrorCode.TOO_MANY_ALIASES, "has {n} aliases"),
    "cost": (ErrorCode.QUERY_TOO_COSTLY, "has an estimated cost of {n}"),
}


def _root(schema: GraphQLSchema, node: OperationDefinitionNode) -> Any:
    return {
        OperationType.QUERY: schema.query_type,
        OperationType.MUTATION: schema.mutation_type,
        OperationType.SUBSCRIPTION: schema.subscription_type,
    }.get(node.operation)


def _refusal(node: OperationDefinitionNode, what: str, value: int, limit: int) -> GraphQLError:
    code, text = CHECKS[what]
    name = node.name.value if node.name else "(anonymous)"
    more = "more than " if what == "cost" else ""
    message = f"operation {name} {text.format(n=more + str(value))}; the limit is {limit}"
    return GraphQLError(message, node, extensions={"code": code})


def _limit_of(limits: Limits, what: str) -> int:
    return {"depth": limits.max_depth, "aliases": limits.max_aliases, "cost": limits.max_cost}[what]


@lru_cache(maxsize=16)
def rule_for(limits: Limits) -> type[ValidationRule]:
    """A validation rule class enforcing ``limits``.

    One class per distinct limits, so Strawberry's validation cache keeps results per
    configuration.
    """

    class QueryLimitsRule(ValidationRule):
        def enter_operation_definition(self, node: OperationDefinitionNode, *_: Any) -> None:
            shape = replace(limits, max_cost=0)  # cost is checked with the data (on_execute)
            walker = CostWalker(self.context.schema, _fragments(self.context), shape)
            try:
                summary = walker.walk(node.selection_set, _root(self.context.schema, node))
            except LimitPassed as passed:
                self.report_error(
                    _refusal(node, passed.what, passed.value, _limit_of(limits, passed.what))
                )
                return
            if summary.introspection and not limits.introspection:
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

    def on_execute(self) -> Iterator[None]:
        """Refuse an operation whose cost, estimated with the data, passes ``MAX_QUERY_COST``.

        Raises:
            GraphQLError: ``QUERY_TOO_COSTLY`` (nothing has run).
        """
        ec = self.execution_context
        limits = current_limits()
        document = ec.graphql_document
        if limits.max_cost > 0 and document is not None:
            node = _operation(document.definitions, ec.operation_name)
            if node is not None:
                fragments = {
                    d.name.value: d
                    for d in document.definitions
                    if isinstance(d, FragmentDefinitionNode)
                }
                context = ec.context
                key = _estimate_key(ec.query, ec.operation_name, ec.variables, limits)
                known = _estimates.get(key) if key is not None else None
                if known is None or (
                    known[1] is not None and known[1] != safe_data_stats(context, limits)
                ):
                    walker = CostWalker(
                        ec.schema._schema,
                        fragments,
                        limits,
                        ec.variables,
                        lambda: safe_data_stats(context, limits),
                    )
                    try:
                        walker.walk(node.selection_set, _root(ec.schema._schema, node))
                        known = (False, walker.stats_used)
                    except LimitPassed as passed:
                        known = (passed.what == "cost", walker.stats_used)
                    if key is not None:
                        _estimates.put(key, known)
                if known[0]:
                    raise _refusal(node, "cost", limits.max_cost, limits.max_cost)
        yield


class _Estimates:
    """Cost estimates already made: (too costly, the data's fan-outs they used, if any).

    Keyed by (document digest, operation, variables, limits): the same request costs the
    same while the fan-outs it read are the same (checked on every use). An LRU of
    :data:`ESTIMATES_KEPT` entries; thread-safe.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._items: OrderedDict[tuple[Any, ...], tuple[bool, DataStats | None]] = OrderedDict()

    def get(self, key: tuple[Any, ...]) -> tuple[bool, DataStats | None] | None:
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
            return found

    def put(self, key: tuple[Any, ...], value: tuple[bool, DataStats | None]) -> None:
        with self._lock:
            self._items[key] = value
            if len(self._items) > ESTIMATES_KEPT:
                self._items.popitem(last=False)


#: Cost estimates kept (one per distinct request).
ESTIMATES_KEPT = 1024
_estimates = _Estimates()


def _estimate_key(
    query: str | None, operation: str | None, variables: Any, limits: Limits
) -> tuple[Any, ...] | None:
    """What a cost estimate depends on besides the data, or None (not kept)."""
    if not query:
        return None
    try:
        given = orjson.dumps(variables or {}, option=orjson.OPT_SORT_KEYS)
    except TypeError:  # integers beyond 64 bits: estimated every time
        return None
    text = hashlib.sha256(query.encode("utf-8", "surrogatepass")).digest()
    return (text, operation, hashlib.sha256(given).digest(), limits)


def _operation(definitions: Any, name: str | None) -> OperationDefinitionNode | None:
    found = [
        d
        for d in definitions
        if isinstance(d, OperationDefinitionNode)
        and (name is None or (d.name is not None and d.name.value == name))
    ]
    return found[0] if len(found) == 1 else None


def _fragments(context: Any) -> dict[str, Any]:
    return {
        d.name.value: d for d in context.document.definitions if d.kind == "fragment_definition"
    }


def data_stats(context: RequestContext | Any) -> DataStats:
    """The fan-outs of the data a request reads (:class:`~.cost.DataStats`).

    From the default theme's snapshot at the request's revision (memoised on it) and the
    stored modifiers; a context may carry them already (``cost_stats``: the ASGI app
    computes them off the event loop). Outside a request: :class:`DataStats` defaults.
    """
    given = getattr(context, "cost_stats", None)
    if isinstance(given, DataStats):
        return given
    if not hasattr(context, "snapshot"):
        return DataStats()
    snap = context.snapshot(None)
    shape: tuple[int, int, int] | None = snap.memo.get(STATS_MEMO)
    if shape is None:
        shape = snap.memo[STATS_MEMO] = _shape(snap)
    mods = context.catalog().modifiers.values()
    combos = combinations_count([len(m.contexts) for m in mods])
    return DataStats(*shape, combinations=combos)


def safe_data_stats(context: RequestContext | Any, limits: Limits) -> DataStats:
    """:func:`data_stats`, or a conservative guess when the data cannot be read.

    A failure here (the database is down) is left for the resolvers to meet again, where
    it is masked and answered as usual (503 for an unavailable database).
    """
    try:
        return data_stats(context)
    except Exception:  # noqa: BLE001 - reported by the resolvers that read the data
        spread = LIST_FACTOR
        return DataStats(max(limits.max_page_size, 1), spread, spread, spread)


#: Key of a snapshot's (tokens, largest referencedBy, longest aliasChain) in ``Snapshot.memo``.
STATS_MEMO = "cost_stats"


def _shape(snap: Any) -> tuple[int, int, int]:
    referrers = max((len(v) for v in snap.referenced_by.values()), default=1)
    chain: dict[str, int] = {}
    for start in snap.tokens:
        path, stack, on_stack = start, [], set()
        while path not in chain and path in snap.tokens and path not in on_stack:
            stack.append(path)
            on_stack.add(path)
            path = snap.tokens[path].alias_of
            if path is None:
                break
        base = chain.get(path, 0) if path is not None else 0
        for p in reversed(stack):  # a cycle (never stored: resolution refuses it) counts once
            base = chain[p] = base + 1
    longest = max(chain.values(), default=1) - 1  # the chain excludes the token itself
    return max(len(snap.tokens), 1), max(referrers, 1), max(longest, 1)

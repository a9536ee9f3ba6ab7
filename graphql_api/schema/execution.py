"""A graphql-core execution context that completes basic leaf fields without per-field calls.

Profiling the whole-theme query (1,488 tokens × 3 fields) showed that most of the time
goes to graphql-core and Strawberry doing, for every leaf field, what amounts to
``serialize(getattr(source, name))``: building a resolve-info object, calling Strawberry's
resolver wrapper, completing the value. For a *basic* field — no resolver, no field
extensions or permissions, a scalar or enum type — :class:`FastExecutionContext` does just
that, and hands every other field (resolvers, objects, lists, unions, anything that
fails) to graphql-core unchanged, so results and errors are those of the standard
executor. Schema extensions with a per-field ``resolve`` hook would be skipped for basic
fields, so :func:`fast_path_allowed` must be checked when the schema is built.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, cast

import orjson
from graphql import (
    ExecutionResult,
    GraphQLEnumType,
    GraphQLError,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    OperationType,
)
from strawberry.extensions import SchemaExtension

from ..compat import CoreExecutionContext, converted_once
from ..errors import ErrorCode
from . import budget, fragments
from .limits import current_limits

BACKREF = "strawberry-definition"
# (attribute name, serialize, non-null) of a basic leaf field; None: let graphql-core run it.
Leaf = tuple[str, Callable[[Any], Any], bool] | None
#: A selection whose fragments are kept: its table's key (:func:`.fragments.selection_key`).
Kept = tuple[str, ...]
#: (object type, ((response name, field name), …)): what a plan's output depends on.
PlanKey = tuple[str, tuple[tuple[str, str], ...]]

#: Plans by (type, response names); bounded, since response names are the client's aliases.
_plans: OrderedDict[PlanKey, dict[str, Leaf]] = OrderedDict()
MAX_PLANS = 2048


def fast_path_allowed(extensions: list[Any]) -> bool:
    """True when no schema extension hooks into field resolution (``resolve``).

    Args:
        extensions: extension classes, instances or factories (called once here).
    """
    for ext in extensions:
        cls: type[SchemaExtension]
        if isinstance(ext, type):
            cls = ext
        elif isinstance(ext, SchemaExtension):
            cls = type(ext)
        else:  # a factory, as Strawberry recommends passing them: look at what it makes
            cls = type(ext())
        if cls.resolve is not SchemaExtension.resolve:
            return False
    return True


def _leaf(parent_type: GraphQLObjectType, field_name: str) -> Leaf:
    if field_name == "__typename":
        name = parent_type.name
        return ("", lambda _v: name, True)
    gfield = parent_type.fields.get(field_name)
    sfield = gfield.extensions.get(BACKREF) if gfield is not None else None
    if sfield is None or not sfield.is_basic_field or sfield.permission_classes:
        return None
    ftype = gfield.type
    non_null = isinstance(ftype, GraphQLNonNull)
    inner = ftype.of_type if non_null else ftype
    if not isinstance(inner, (GraphQLScalarType, GraphQLEnumType)):
        return None
    return (sfield.python_name, inner.serialize, non_null)


def _plan(parent_type: GraphQLObjectType, grouped: Any) -> dict[str, Leaf]:
    key = (
        parent_type.name,
        tuple((rn, details[0].node.name.value) for rn, details in grouped.items()),
    )
    plan = _plans.get(key)
    if plan is None:
        plan = {rn: _leaf(parent_type, fname) for rn, fname in key[1]}
        _plans[key] = plan
        if len(_plans) > MAX_PLANS:
            _plans.popitem(last=False)
    return plan


class BudgetedExecutionContext(CoreExecutionContext):
    """Strawberry's execution context under a :class:`~.budget.Budget`, events off the loop.

    Every object's fields are counted and the clock looked at before they run; passing
    ``MAX_QUERY_COST`` fields or ``MAX_QUERY_SECONDS`` ends the operation with one error
    (:mod:`.budget`). Each event of a subscription is executed on a worker thread (its
    resolvers are synchronous), so building a large event never blocks the event loop,
    and an event whose JSON is over ``LIVE_MAX_EVENT_BYTES`` is replaced by an
    ``EVENT_TOO_LARGE`` error.
    """

    per_event = False
    spending = budget.Budget()

    def build_per_event_executor(self, payload: Any) -> Any:
        """The executor of one subscription event (runs off the event loop)."""
        executor = super().build_per_event_executor(payload)
        executor.per_event = True  # type: ignore[attr-defined]  # a copy of this class
        return executor

    def execute_operation(self, serially: bool | None = None) -> Any:
        """Run the operation under a fresh budget; a subscription event on a worker thread."""
        if self.per_event:
            return asyncio.to_thread(self._event, serially)
        return self._budgeted(serially)

    def _budgeted(self, serially: bool | None) -> Any:
        limits = current_limits()
        seconds = 0.0 if self.operation.operation == OperationType.MUTATION else limits.max_seconds
        self.spending = budget.Budget(seconds, limits.max_cost).start()
        token = budget.CURRENT.set(self.spending)
        try:
            with converted_once():  # the theme of twenty fields: converted once
                return super().execute_operation(serially)
        except budget.OperationStopped as stop:
            return ExecutionResult(None, [stop.error])
        finally:
            budget.CURRENT.reset(token)

    def _event(self, serially: bool | None) -> Any:
        result = self._budgeted(serially)
        limit = current_limits().max_event_bytes
        if limit > 0 and isinstance(result, ExecutionResult) and result.data is not None:
            size = len(orjson.dumps(result.data, default=str))
            if size > limit:
                message = (
                    f"this event is {size} bytes, over the limit of {limit} "
                    "(LIVE_MAX_EVENT_BYTES): subscribe to fewer fields or a narrower "
                    "pathPrefix"
                )
                error = GraphQLError(message, extensions={"code": ErrorCode.EVENT_TOO_LARGE})
                return ExecutionResult(None, [error])
        return result

    def execute_fields(
        self,
        parent_type: GraphQLObjectType,
        source_value: Any,
        path: Any,
        grouped_field_set: Any,
        position_context: Any,
    ) -> Any:
        """Count the fields and check the clock, then execute them."""
        self.spending.spend(len(grouped_field_set))
        return self.execute_fields_unbudgeted(
            parent_type, source_value, path, grouped_field_set, position_context
        )

    def execute_fields_unbudgeted(
        self,
        parent_type: GraphQLObjectType,
        source_value: Any,
        path: Any,
        grouped_field_set: Any,
        position_context: Any,
    ) -> Any:
        """graphql-core's ``execute_fields``."""
        return super().execute_fields(
            parent_type, source_value, path, grouped_field_set, position_context
        )


class FastExecutionContext(BudgetedExecutionContext):
    """The budgeted execution context with the basic-leaf fast path (module docstring)."""

    def execute_fields_unbudgeted(
        self,
        parent_type: GraphQLObjectType,
        source_value: Any,
        path: Any,
        grouped_field_set: Any,
        position_context: Any,
    ) -> Any:
        """A kept JSON fragment (:mod:`.fragments`), else :meth:`_fields`, kept when it can be."""
        kept = self._fragment_table(parent_type, grouped_field_set, source_value)
        if kept is None:
            return self._fields(
                parent_type, source_value, path, grouped_field_set, position_context
            )
        found, token = kept
        hit = fragments.kept(found, token)
        if hit is not None:
            self.spending.spend(hit[1])  # what it stands for counts as resolved
            return hit[0]
        errors, spent = len(self.collected_errors.errors), self.spending.fields
        done = self._fields(parent_type, source_value, path, grouped_field_set, position_context)
        if isinstance(done, dict) and len(self.collected_errors.errors) == errors:
            below = self.spending.fields - spent
            return fragments.keep(found, token, done, below) or done
        return done

    def complete_iterable_value(  # noqa: PLR0917 - graphql-core's signature
        self,
        item_type: Any,
        field_details_list: Any,
        info: Any,
        path: Any,
        items: Any,
        position_context: Any,
    ) -> Any:
        """A list of tokens or edges: kept fragments appended in one loop, the rest completed.

        The whole-theme read after a write lists 1,488 edges of which a few dozen were
        re-resolved: each other one is a dict lookup and an identity check, with no
        graphql-core call. Anything but a plain list of a kept type whose selection may be
        kept (a ``@stream``, another type, a selection that reads more than the token), and
        every item without a kept fragment, is completed as graphql-core does.
        """
        kind = item_type.of_type if isinstance(item_type, GraphQLNonNull) else item_type
        if (
            not isinstance(items, list)
            or not isinstance(kind, GraphQLObjectType)
            or kind.name not in fragments.KEPT_TYPES
            or self.get_stream_usage(field_details_list, path) is not None
        ):
            return super().complete_iterable_value(
                item_type, field_details_list, info, path, items, position_context
            )
        grouped = self.collect_subfields(kind, field_details_list)[0]
        completed: list[Any] = []
        table: fragments.Table | None = None
        lineage: Any = None
        spent = 0
        for index, item in enumerate(items):
            token = fragments.token_of(kind, item) if item is not None else None
            hit = None
            if token is not None:
                if token.snap.lineage is not lineage:  # one table per snapshot lineage
                    lineage = token.snap.lineage
                    kept = self._fragment_table(kind, grouped, item)
                    table = kept[0] if kept is not None else None
                if table is not None:
                    hit = fragments.kept(table, token)
            if hit is not None:
                completed.append(hit[0])
                spent += len(grouped) + hit[1]  # as completing it would
            elif self.complete_list_item_value(
                item,
                completed,
                item_type,
                field_details_list,
                info,
                path.add_key(index, None),
                position_context,
            ):
                raise TypeError("resolvers of this schema must be synchronous")
        self.spending.spend(spent)
        return completed

    def complete_list_item_value(  # noqa: PLR0917 - graphql-core's signature
        self,
        item: Any,
        complete_results: list[Any],
        item_type: Any,
        field_details_list: Any,
        info: Any,
        item_path: Any,
        position_context: Any,
    ) -> bool:
        """A list item whose fragment is kept: appended as it is, nothing completed.

        Tokens and edges of a connection or an alias chain (:mod:`.fragments`); any other
        item, and one without a kept fragment, as graphql-core completes it.
        """
        kind = item_type.of_type if isinstance(item_type, GraphQLNonNull) else item_type
        if (
            item is not None
            and isinstance(kind, GraphQLObjectType)
            and kind.name in fragments.KEPT_TYPES
        ):
            grouped = self.collect_subfields(kind, field_details_list)[0]
            kept = self._fragment_table(kind, grouped, item)
            hit = fragments.kept(*kept) if kept is not None else None
            if hit is not None:
                self.spending.spend(len(grouped) + hit[1])  # as completing it would
                complete_results.append(hit[0])
                return False
        return bool(
            super().complete_list_item_value(
                item,
                complete_results,
                item_type,
                field_details_list,
                info,
                item_path,
                position_context,
            )
        )

    def _fragment_table(
        self, parent_type: GraphQLObjectType, grouped: Any, source: Any
    ) -> tuple[fragments.Table, Any] | None:
        """(fragment table, token object) for this object's selection, or None (not kept).

        Whether a selection may be kept is decided once per collected selection and
        operation (graphql-core reuses the collected object for every item of a list).
        """
        if not getattr(self.context_value, "json_fragments", False):
            return None
        memo: dict[int, tuple[Any, Kept | None]] | None = getattr(self, "_kept_selections", None)
        if memo is None:
            memo = {}
            self._kept_selections = memo
        entry = memo.get(id(grouped))
        if entry is None or entry[0] is not grouped:
            nodes = fragments.selection_nodes(self.schema, parent_type, grouped, self.fragments)
            kept_as = fragments.selection_key(nodes, self.fragments) if nodes is not None else None
            entry = memo[id(grouped)] = (grouped, kept_as)
        kept_as = entry[1]
        token = fragments.token_of(parent_type, source) if kept_as is not None else None
        if token is None or kept_as is None:
            return None
        found = fragments.table(token, kept_as)
        return (found, token) if found is not None else None

    def _fields(
        self,
        parent_type: GraphQLObjectType,
        source_value: Any,
        path: Any,
        grouped_field_set: Any,
        position_context: Any,
    ) -> Any:
        """Basic leaf fields directly; the rest, and any failure, through graphql-core."""
        plan = _plan(parent_type, grouped_field_set)
        if not any(plan.values()):
            return super().execute_fields_unbudgeted(
                parent_type, source_value, path, grouped_field_set, position_context
            )
        results: dict[str, Any] = {}
        slow: dict[str, Any] = {}
        for response_name, details in grouped_field_set.items():
            leaf = plan[response_name]
            if leaf is not None:
                attr, serialize, non_null = leaf
                try:
                    value = getattr(source_value, attr) if attr else None
                    if value is None and attr:
                        if non_null:
                            raise ValueError  # graphql-core reports the null error
                        results[response_name] = None
                        continue
                    results[response_name] = serialize(value)
                    continue
                except Exception:  # noqa: BLE001, S110 - graphql-core runs it again and reports it
                    pass
            results[response_name] = None  # keeps the response's field order
            slow[response_name] = details
        if slow:
            done = super().execute_fields_unbudgeted(
                parent_type, source_value, path, slow, position_context
            )
            if self.is_awaitable(done):
                raise TypeError("resolvers of this schema must be synchronous")
            results.update(cast("dict[str, Any]", done))
        return results

"""The GraphQL schema (Strawberry): the view serves ``schema``; `schema.graphql` prints it."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import strawberry
from graphql import GraphQLError
from strawberry.extensions import MaskErrors, SchemaExtension
from strawberry.schema.config import StrawberryConfig
from strawberry.schema.exceptions import InvalidOperationTypeError

from ..errors import ErrorCode
from ..store.health import is_unavailable, unavailable_message
from .color import ColorQuery
from .diff import CHANGE_TYPES, DiffQuery
from .documents import DocumentCache
from .execution import BudgetedExecutionContext, FastExecutionContext, fast_path_allowed
from .history import HistoryQuery
from .impact import ImpactQuery
from .limits import QueryLimits
from .mutations import Mutation
from .nodes import NodeQuery
from .queries import TokenQuery
from .request_context import RequestContext
from .subscriptions import Subscription
from .usage import UsageQuery

LOG = logging.getLogger("graphql_api")


@strawberry.type(
    description="Read design tokens resolved for a theme, and their history: change log, "
    "releases (time travel), diffs and impact; and how clients use them (usage analytics)."
)
class Query(TokenQuery, NodeQuery, HistoryQuery, DiffQuery, ImpactQuery, ColorQuery, UsageQuery):
    """The root type: reads, nodes, history, diffs, impact, colour checks and usage.

    Fields come from :mod:`.queries`, :mod:`.nodes`, :mod:`.history`, :mod:`.diff`,
    :mod:`.impact`, :mod:`.color` and :mod:`.usage`.
    """


if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from strawberry.types import ExecutionContext


class MaskUnexpectedErrors(MaskErrors):
    """Mask unexpected errors; the client gets the request id, the log gets the traceback.

    A database that cannot be reached becomes ``DATABASE_UNAVAILABLE`` and sets the
    context's ``database_unavailable`` (the view then answers 503), anything else
    ``INTERNAL_SERVER_ERROR``; no message, SQL or stack of the original reaches the client.
    ``extensions.requestId`` is the context's ``request_id``.
    """

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        """The masked error, with ``extensions.code`` and ``extensions.requestId``."""
        context = self.execution_context.context
        original = error.original_error
        if original is not None and is_unavailable(original):
            if isinstance(context, RequestContext):
                context.database_unavailable = True
            message, code = unavailable_message(original), ErrorCode.DATABASE_UNAVAILABLE
        else:
            message, code = "Unexpected error.", ErrorCode.INTERNAL_SERVER_ERROR
        return GraphQLError(
            message,
            nodes=error.nodes,
            path=error.path,
            extensions={"code": code, "requestId": request_id_of(context)},
        )


def request_id_of(context: object) -> str:
    """The request id a context carries ('' for none, or a context of another type)."""
    return context.request_id if isinstance(context, RequestContext) else ""


def should_mask_error(error: GraphQLError) -> bool:
    """Mask only unexpected exceptions; parse, validation and expected errors stay visible."""
    original = error.original_error
    expected = (GraphQLError, InvalidOperationTypeError)  # e.g. a query sent over SSE
    return original is not None and not isinstance(original, expected)


class RecordOperationType(SchemaExtension):
    """Tell the context which operation type runs (the view caches only queries)."""

    def on_execute(self) -> Iterator[None]:
        """Record ``execution_context.operation_type`` on the context before execution."""
        context = self.execution_context.context
        if hasattr(context, "operation_type"):
            context.operation_type = self.execution_context.operation_type.value
        yield


class TokenSchema(strawberry.Schema):
    """The schema; logs only unexpected errors (expected ones are the client's business)."""

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        """Log errors caused by unexpected exceptions, with their traceback."""
        unexpected = [e for e in errors if should_mask_error(e)]
        if unexpected:
            context = execution_context.context if execution_context is not None else None
            LOG.error("unexpected error in request %s", request_id_of(context) or "(none)")
            super().process_errors(unexpected, execution_context)


#: Largest batch Strawberry itself accepts (``MAX_BATCH_SIZE`` above it is capped here).
BATCH_CEILING = 100

EXTENSIONS: list[type[SchemaExtension] | Callable[[], SchemaExtension]] = [
    lambda: MaskUnexpectedErrors(should_mask_error=should_mask_error),
    RecordOperationType,
    QueryLimits,  # before the cache: it keys on its parse option and rule
    # A small document seen before skips parsing and validation (the costliest steps of a
    # small query with many aliases); bounded, keyed by the text's SHA-256, per process.
    DocumentCache,
]

schema = TokenSchema(
    query=Query,
    mutation=Mutation,
    subscription=Subscription,  # served by the ASGI entry point (graphql_api.web.asgi)
    types=list(CHANGE_TYPES),
    # Batches are allowed up to this ceiling; the app's MAX_BATCH_SIZE is checked first.
    config=StrawberryConfig(batching_config={"max_operations": BATCH_CEILING}),
    extensions=EXTENSIONS,
    execution_context_class=(
        FastExecutionContext if fast_path_allowed(EXTENSIONS) else BudgetedExecutionContext
    ),
)


def name_arguments(built: strawberry.Schema) -> int:
    """Give every field argument its GraphQL name once; returns how many were named.

    Strawberry converts an argument's Python name to its GraphQL name (camel case) each time
    it converts the argument, for every field of every request: 3 µs per argument, a tenth
    of the cost of a 20-field component query's argument handling. The name is the one
    Strawberry computes (the printed schema does not change).
    """
    converter = built.config.name_converter
    named = 0
    for concrete in built.schema_converter.type_map.values():
        for field in getattr(concrete.definition, "fields", ()):
            for argument in field.arguments:
                if argument.graphql_name is None:
                    argument.graphql_name = converter.from_argument(argument)
                    named += 1
    return named


name_arguments(schema)

__all__ = ["BATCH_CEILING", "name_arguments", "schema"]

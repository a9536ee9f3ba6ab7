"""The GraphQL schema (Strawberry): the view serves ``schema``; `schema.graphql` prints it."""

from __future__ import annotations

from typing import TYPE_CHECKING

import strawberry
from graphql import GraphQLError
from strawberry.extensions import MaskErrors, ParserCache, SchemaExtension, ValidationCache

from .color import ColorQuery
from .execution import FastExecutionContext, fast_path_allowed
from .history import CHANGE_TYPES, HistoryQuery
from .mutations import Mutation
from .queries import TokenQuery


@strawberry.type(
    description="Read design tokens resolved for a theme, and their history: change log, "
    "releases (time travel), diffs and impact."
)
class Query(TokenQuery, HistoryQuery, ColorQuery):
    """The root type: token reads (:mod:`.queries`) and history (:mod:`.history`)."""


if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from strawberry.types import ExecutionContext


def should_mask_error(error: GraphQLError) -> bool:
    """Mask only unexpected exceptions; parse, validation and expected errors stay visible."""
    original = error.original_error
    return original is not None and not isinstance(original, GraphQLError)


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
            super().process_errors(unexpected, execution_context)


EXTENSIONS: list[type[SchemaExtension] | Callable[[], SchemaExtension]] = [
    lambda: MaskErrors(should_mask_error=should_mask_error),
    RecordOperationType,
    # A document seen before skips parsing and validation (the costliest steps of a small
    # query with many aliases); LRUs keyed by the document text, per process.
    lambda: ParserCache(maxsize=256),
    lambda: ValidationCache(maxsize=256),
]

schema = TokenSchema(
    query=Query,
    mutation=Mutation,
    types=list(CHANGE_TYPES),
    extensions=EXTENSIONS,
    execution_context_class=(FastExecutionContext if fast_path_allowed(EXTENSIONS) else None),
)

__all__ = ["schema"]

"""The Subscription root: new revisions and changed tokens, pushed as they commit.

Served by the ASGI entry point only (``uvicorn asgi:app``), over graphql-transport-ws
(WebSocket) and GraphQL over SSE; resolvers delegate to :mod:`graphql_api.live`.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator  # noqa: TC003 - Strawberry reads the annotations
from datetime import datetime
from typing import Annotated

import strawberry
from graphql import GraphQLError

from ..dtcg.errors import DTCGErrorGroup
from ..errors import ErrorCode
from ..live.hub import SubscriberLagging
from ..live.service import LiveUpdates  # noqa: TC001 - annotation of _live, kept real
from ..live.watcher import RevisionEvent, ThemeEvent
from . import types as T  # noqa: N812 - the module's usual alias
from .queries import ThemeArg, theme_input
from .request_context import RequestContext, graphql_error

Info = strawberry.Info[RequestContext, None]


@strawberry.type(description="A write that committed: one new data revision.")
class RevisionChange:
    """Built from a :class:`~graphql_api.live.watcher.RevisionEvent`."""

    revision: int = strawberry.field(description="The new revision number.")
    changed_paths: list[str] = strawberry.field(
        description="Token paths the write touched (change log), sorted; a rename lists "
        "the old and the new path. Empty for a write that touched no token (a release)."
    )
    author: str = strawberry.field(description="Name of the API key; empty for the CLI.")
    message: str = strawberry.field(description="The write's message, if any.")
    created_at: datetime = strawberry.field(description="When it committed (ISO 8601).")


@strawberry.type(
    description="Tokens of one theme whose resolved value (or type) changed, "
    "or that were added or removed, by the writes up to `revision`."
)
class TokensChange:
    """Built from a :class:`~graphql_api.live.watcher.ThemeEvent`."""

    revision: int = strawberry.field(description="The revision the tokens are resolved at.")
    tokens: list[T.Token] = strawberry.field(
        description="The changed and added tokens, resolved in the theme, in path order."
    )
    removed_paths: list[str] = strawberry.field(
        description="Paths that no longer exist in the theme, sorted."
    )


def _live(info: Info) -> LiveUpdates:
    live = info.context.live
    if live is None:
        raise GraphQLError(
            "subscriptions need the ASGI server: run `uvicorn asgi:app`",
            extensions={"code": ErrorCode.SUBSCRIPTIONS_UNAVAILABLE},
        )
    return live


def _ended(error: Exception) -> GraphQLError:
    return GraphQLError(str(error), extensions={"code": ErrorCode.SUBSCRIPTION_ENDED})


@strawberry.type(description="Live updates: what changes, as soon as it commits.")
class Subscription:
    """Each subscription lasts until the client stops it or the server shuts down."""

    @strawberry.subscription(
        description="Every new revision, from any writer (a mutation in any process, the "
        "CLI import), one event per revision, in order. Subscribe first, then read."
    )
    async def revision_changed(self, info: Info) -> AsyncGenerator[RevisionChange, None]:
        """One :class:`RevisionChange` per :class:`RevisionEvent` of the hub."""
        async with _live(info).revisions() as events:
            try:
                async for event in events:
                    assert isinstance(event, RevisionEvent)  # noqa: S101 - the topic's type
                    yield RevisionChange(
                        revision=event.revision, changed_paths=list(event.changed_paths),
                        author=event.author, message=event.message, created_at=event.created_at,
                    )  # fmt: skip
            except SubscriberLagging as error:
                raise _ended(error) from None

    @strawberry.subscription(
        description="The tokens whose resolved value changed in one theme (Resolver module "
        "§4.2: every alias followed), after each write that changed any. A write that "
        "changes nothing in the theme (or under `pathPrefix`) sends nothing. Unknown "
        "modifier or context: an error, as for `tokens`. Subscribe first, then read."
    )
    async def tokens_changed(
        self,
        info: Info,
        path_prefix: Annotated[
            str | None,
            strawberry.argument(
                description="Only tokens at or below this dotted path (`color` matches "
                "`color.bg` but not `colorful`)."
            ),
        ] = None,
        theme: ThemeArg = None,
    ) -> AsyncGenerator[TokensChange, None]:
        """Diffs of the theme's snapshots (:func:`graphql_api.live.changes.diff_snapshots`)."""
        live = _live(info)
        try:
            selection = await live.selection(theme_input(theme))
        except DTCGErrorGroup as group:
            raise graphql_error(group) from None
        async with await live.theme(selection) as events:
            try:
                async for event in events:
                    assert isinstance(event, ThemeEvent)  # noqa: S101 - the topic's type
                    if event.error is not None or event.snapshot is None:
                        raise GraphQLError(
                            f"the theme can no longer be resolved: {event.error}",
                            extensions={"code": ErrorCode.SUBSCRIPTION_ENDED},
                        )
                    changes = event.changes.under(path_prefix)
                    if not changes:
                        continue
                    index = T.token_objects(event.snapshot)
                    yield TokensChange(
                        revision=event.revision,
                        tokens=[index[p] for p in changes.changed],
                        removed_paths=list(changes.removed),
                    )
            except SubscriberLagging as error:
                raise _ended(error) from None

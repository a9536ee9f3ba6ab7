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


SinceArg = Annotated[
    int | None,
    strawberry.argument(
        description="A revision the client has read (e.g. `revision` of the query it just "
        'ran): what was written after it is sent first, then live events, so "read, then '
        'subscribe" loses nothing. Negative: error `INVALID_SINCE`.'
    ),
]


def _check_since(since: int | None) -> None:
    if since is not None and since < 0:
        raise GraphQLError(
            f"since must be a revision (0 or more), got {since}",
            extensions={"code": ErrorCode.INVALID_SINCE},
        )


def _revision_change(event: RevisionEvent) -> RevisionChange:
    return RevisionChange(
        revision=event.revision,
        changed_paths=list(event.changed_paths),
        author=event.author,
        message=event.message,
        created_at=event.created_at,
    )


@strawberry.type(description="Live updates: what changes, as soon as it commits.")
class Subscription:
    """Each subscription lasts until the client stops it or the server shuts down."""

    @strawberry.subscription(
        description="Every new revision, from any writer (a mutation in any process, the "
        "CLI import), one event per revision, in order. With `since`, the revisions after "
        "it come first (as `/events?since=`); without, subscribe first, then read."
    )
    async def revision_changed(
        self, info: Info, since: SinceArg = None
    ) -> AsyncGenerator[RevisionChange, None]:
        """The revisions after ``since`` (change log), then one per :class:`RevisionEvent`."""
        _check_since(since)
        live = _live(info)
        async with live.revisions() as events:  # before the backlog: nothing falls between
            seen = since or 0
            try:
                while since is not None:
                    backlog = await live.events_after(seen)
                    for event in backlog:
                        seen = event.revision
                        yield _revision_change(event)
                    if not backlog:
                        break
                async for event in events:
                    assert isinstance(event, RevisionEvent)  # noqa: S101 - the topic's type
                    if event.revision > seen:
                        seen = event.revision
                        yield _revision_change(event)
            except SubscriberLagging as error:
                raise _ended(error) from None

    @strawberry.subscription(
        description="The tokens whose resolved value changed in one theme (Resolver module "
        "§4.2: every alias followed), after each write that changed any. A write that "
        "changes nothing in the theme (or under `pathPrefix`) sends nothing. Unknown "
        "modifier or context: an error, as for `tokens`. With `since`, a first event lists "
        "what the writes after that revision changed (the tokens they touched and every "
        "token derived from them; a token may come again in a later event); without, "
        "subscribe first, then read."
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
        since: SinceArg = None,
    ) -> AsyncGenerator[TokensChange, None]:
        """Diffs of the theme's snapshots (:func:`graphql_api.live.changes.diff_snapshots`).

        With ``since``: first :meth:`graphql_api.live.service.LiveUpdates.replay`.
        """
        _check_since(since)
        live = _live(info)
        try:
            selection = await live.selection(theme_input(theme))
        except DTCGErrorGroup as group:
            raise graphql_error(group) from None
        async with await live.theme(selection) as events:
            try:
                replayed = await live.replay(selection, since) if since is not None else None
                if replayed is not None and replayed.snapshot is not None:
                    changes = replayed.changes.under(path_prefix)
                    if changes:
                        index = T.token_objects(replayed.snapshot)
                        yield TokensChange(
                            revision=replayed.revision,
                            tokens=[index[p] for p in changes.changed],
                            removed_paths=list(changes.removed),
                        )
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

"""Usage reads: which tokens clients request, unused tokens, deprecated tokens still in use.

Resolvers delegate: rows come from :mod:`graphql_api.store.usage` (read with the usage
store's own connection, after writing this process's pending counts), reports from
:mod:`graphql_api.usage.report`. Their results change without a new data revision, so a
request that reads them is neither put in the response cache nor given an ETag.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated

import strawberry
from graphql import GraphQLError

from ..errors import ErrorCode
from ..store import usage as usage_rows
from ..usage import reads, report
from ..usage.recorder import parse_theme_key
from . import types as T  # noqa: N812 - short alias
from .request_context import RequestContext
from .types import SelectedContext

if TYPE_CHECKING:
    from ..store.snapshots import Snapshot
    from ..usage.flusher import UsageStore

Info = strawberry.Info[RequestContext, None]

COUNTS = (
    "Counts are requests (GraphQL operations) that read the token — through `token(path:)`, "
    "or on a page of `tokens` that selects `edges` — per UTC day; a request reading a token "
    "twice counts once; `release:` reads are not counted. With sampling "
    "(`USAGE_SAMPLE_RATE` < 1) they are estimates: sampled requests weigh 1/rate."
)


@strawberry.type(description="One client's requests for a token.")
class ClientUsage:
    """From :class:`graphql_api.usage.report.ClientCount`."""

    client: str = strawberry.field(
        description="The client's name: the `apollographql-client-name` header (or the "
        "configured one), else the GraphQL operation name, else `(unknown)`."
    )
    count: int = strawberry.field(description="Requests in the period.")
    last_seen: date = strawberry.field(description="Last UTC day with a request.")


@strawberry.type(description="One client's requests for a token on one UTC day.")
class DailyUsage:
    """From :class:`graphql_api.usage.report.DayCount`."""

    day: date = strawberry.field(description="The UTC day.")
    client: str = strawberry.field(description="The client's name.")
    count: int = strawberry.field(description="Requests that day, all themes together.")


@strawberry.type(description="Requests for a token in one theme combination.")
class ThemeUsage:
    """From :class:`graphql_api.usage.report.ThemeCount`."""

    key: str = strawberry.field(
        description="The combination as stored: `modifier=context` pairs sorted by "
        "modifier, comma-separated (`pointer=fine,theme=dark`); empty without modifiers."
    )
    theme: list[SelectedContext] | None = strawberry.field(
        description="The same as a list, in modifier order; null for a key that was cut "
        "(over 1,000 characters)."
    )
    count: int = strawberry.field(description="Requests in the period.")


@strawberry.type(name="TokenUsage", description="How often a token was requested. " + COUNTS)
class TokenUsageReport:
    """From :class:`graphql_api.usage.report.PathUsage`."""

    path: str = strawberry.field(description="The path asked about (it need not exist now).")
    total: int = strawberry.field(description="Requests in the period.")
    first_seen: date | None = strawberry.field(
        description="First UTC day with a request in the period; null if none."
    )
    last_seen: date | None = strawberry.field(
        description="Last UTC day with a request in the period; null if none."
    )
    clients: list[ClientUsage] = strawberry.field(
        description="Per client, most requests first (then by name)."
    )
    days: list[DailyUsage] = strawberry.field(
        description="One entry per UTC day and client with requests, by day, then client."
    )
    themes: list[ThemeUsage] = strawberry.field(
        description="Per theme combination, most requests first."
    )


@strawberry.type(
    description="A deprecated token that clients still request: what to migrate before "
    "removing it. " + COUNTS
)
class DeprecatedTokenUsage:
    """From :class:`graphql_api.usage.report.DeprecatedUse`."""

    path: str = strawberry.field(description="The token's path.")
    deprecated: T.Deprecation = strawberry.field(
        description="Its `$deprecated` (in the combination requested most)."
    )
    total: int = strawberry.field(
        description="Requests since `since` in theme combinations where it is deprecated."
    )
    last_seen: date = strawberry.field(description="Last UTC day with such a request.")
    clients: list[ClientUsage] = strawberry.field(
        description="The clients that request it, most requests first."
    )
    themes: list[ThemeUsage] = strawberry.field(
        description="The combinations it is requested (and deprecated) in, most first."
    )


def _themes(counts: list[report.ThemeCount]) -> list[ThemeUsage]:
    out = []
    for t in counts:
        selection = parse_theme_key(t.theme)
        theme = (
            None
            if selection is None
            else [SelectedContext(modifier=m, context=c) for m, c in selection.items()]
        )
        out.append(ThemeUsage(key=t.theme, theme=theme, count=t.count))
    return out


def _clients(counts: list[report.ClientCount]) -> list[ClientUsage]:
    return [ClientUsage(client=c.client, count=c.count, last_seen=c.last_seen) for c in counts]


def _store(ctx: RequestContext) -> UsageStore:
    """The usage store, with this process's pending counts written; the result is uncacheable.

    Raises:
        GraphQLError: ``USAGE_UNAVAILABLE`` when the context has no usage store.
    """
    ctx.cacheable = False
    if ctx.usage_store is None:
        raise GraphQLError(
            "usage analytics is not set up", extensions={"code": ErrorCode.USAGE_UNAVAILABLE}
        )
    ctx.usage_store.flush()
    return ctx.usage_store


def _other_themes(ctx: RequestContext, missing: list[str]) -> dict[str, T.Token]:
    """Token objects of paths the default theme lacks, from the first combination that has them."""
    found: dict[str, T.Token] = {}
    todo = set(missing)
    for selection in ctx.theme_combinations():
        index = T.token_objects(ctx.snapshot(selection))
        for path in [p for p in todo if p in index]:
            found[path] = index[path]
            todo.discard(path)
        if not todo:
            break
    return found


SinceArg = Annotated[
    date, strawberry.argument(description="First UTC day included (`YYYY-MM-DD`).")
]


@strawberry.type(description="Token usage analytics.")
class UsageQuery:
    """Usage reads (merged into ``Query``)."""

    @strawberry.field(
        description="How often clients requested the token at `path`: per client, per UTC "
        "day and client, per theme combination (see `TokenUsage` for what counts)."
    )
    def usage(
        self,
        info: Info,
        path: Annotated[str, strawberry.argument(description="Dotted path of the token.")],
        since: Annotated[
            date | None, strawberry.argument(description="First UTC day included; default: all.")
        ] = None,
        until: Annotated[
            date | None, strawberry.argument(description="Last UTC day included; default: all.")
        ] = None,
    ) -> TokenUsageReport:
        """:func:`graphql_api.usage.report.summarise` of the path's stored rows.

        Raises:
            GraphQLError: ``INVALID_ARGUMENT`` when ``since`` is after ``until`` or ``path``
                holds NUL.
        """
        if since is not None and until is not None and since > until:
            raise GraphQLError(
                f"since ({since}) is after until ({until})",
                extensions={"code": ErrorCode.INVALID_ARGUMENT},
            )
        if "\x00" in path:  # PostgreSQL refuses NUL in text; no token path has one
            raise GraphQLError(
                "path must not contain NUL", extensions={"code": ErrorCode.INVALID_ARGUMENT}
            )
        usage_store = _store(info.context)
        with usage_store.session() as session:
            rows = usage_rows.daily_rows(session, path, since, until)
        summary = report.summarise(path, rows)
        return TokenUsageReport(
            path=path,
            total=summary.total,
            first_seen=summary.first_seen,
            last_seen=summary.last_seen,
            clients=_clients(summary.clients),
            days=[DailyUsage(day=d.day, client=d.client, count=d.count) for d in summary.days],
            themes=_themes(summary.themes),
        )

    @strawberry.field(
        description="Tokens of the current data (in any theme combination) that no client "
        "requested on or after `since`, in path order; requested means read through "
        "`token(path:)` or on a page of `tokens` that selects `edges`. Each comes as resolved "
        "in the default theme or, if it exists only elsewhere, in the first combination that "
        "has it."
    )
    def unused_tokens(self, info: Info, since: SinceArg) -> list[T.Token]:
        """Stored paths minus :func:`graphql_api.store.usage.used_paths`."""
        ctx = info.context
        usage_store = _store(ctx)
        with usage_store.session() as session:
            used = usage_rows.used_paths(session, since)
        unused = sorted(usage_rows.stored_paths(ctx.session) - used)
        default = T.token_objects(ctx.snapshot(None))
        missing = [p for p in unused if p not in default]
        others = _other_themes(ctx, missing) if missing else {}
        return [
            default[p] if p in default else others[p] for p in unused if p in default or p in others
        ]

    @strawberry.field(
        description="Deprecated tokens (`$deprecated` true or a reason, in the theme "
        "combination they were requested in) that clients requested on or after `since`, "
        "with those clients; most requested first (see `DeprecatedTokenUsage`)."
    )
    def deprecated_in_use(self, info: Info, since: SinceArg) -> list[DeprecatedTokenUsage]:
        """:func:`graphql_api.usage.reads.deprecated_in_use` over the current snapshots."""
        ctx = info.context
        usage_store = _store(ctx)

        def snapshot_of(selection: dict[str, str]) -> Snapshot | None:
            try:
                return ctx.snapshot(selection)
            except GraphQLError:  # the combination no longer exists
                return None

        with usage_store.session() as session:
            uses = reads.deprecated_in_use(session, since, report.deprecation_lookup(snapshot_of))
        return [
            DeprecatedTokenUsage(
                path=u.path,
                deprecated=T.Deprecation(reason=u.reason),
                total=u.total,
                last_seen=u.last_seen,
                clients=_clients(u.clients),
                themes=_themes(u.themes),
            )
            for u in uses
        ]

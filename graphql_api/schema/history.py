"""History reads: the current revision, releases and the change log.

``Query.revision``, ``Query.releases`` and ``Query.changes`` (a Relay connection, keyset
paged). Resolvers delegate to :mod:`graphql_api.store.repository`. Diffs are in
:mod:`.diff`, impact in :mod:`.impact`.
"""

from __future__ import annotations

import base64
from typing import Annotated

import strawberry
from graphql import GraphQLError

from ..errors import ErrorCode
from ..store import repository
from . import types as T  # noqa: N812 - short alias
from .payloads import Change, Release
from .request_context import RequestContext

Info = strawberry.Info[RequestContext, None]

#: Largest page of ``Query.changes``.
MAX_CHANGES_PAGE = 1000


@strawberry.type(description="A change-log entry in a connection.")
class ChangeEdge:
    """Relay edge."""

    cursor: str = strawberry.field(description="Opaque cursor for `after`.")
    node: Change = strawberry.field(description="The entry.")


@strawberry.type(description="Change-log entries, oldest first (Relay connection).")
class ChangeConnection:
    """Result of ``Query.changes``."""

    edges: list[ChangeEdge] = strawberry.field(description="This page.")
    page_info: T.PageInfo = strawberry.field(description="Paging.")
    total_count: int = strawberry.field(description="Entries after `since`, in all pages.")


def _cursor(change_id: int) -> str:
    return base64.urlsafe_b64encode(f"change:{change_id}".encode()).decode()


def _decode(cursor: str) -> int:
    try:
        kind, _, number = base64.urlsafe_b64decode(cursor.encode()).decode().partition(":")
        if kind != "change":
            raise ValueError(kind)
        value = int(number)
        if not 0 <= value < 2**63:  # a 64-bit row id (SQLite and PostgreSQL bigint)
            raise ValueError(number)
        return value
    except ValueError:
        code = ErrorCode.INVALID_CURSOR
        raise GraphQLError(f"invalid cursor {cursor!r}", extensions={"code": code}) from None


@strawberry.type(description="History: the revision, releases and the change log.")
class HistoryQuery:
    """Read-only history fields (merged into ``Query``)."""

    @strawberry.field(description="The current data revision (0 before any write).")
    def revision(self, info: Info) -> int:
        """One statement (memoised for the request)."""
        return info.context.revision()

    @strawberry.field(description="Every release, oldest first.")
    def releases(self, info: Info) -> list[Release]:
        """From :func:`graphql_api.store.repository.releases`."""
        return [
            Release(
                name=r.name,
                notes=r.notes,
                revision=r.revision,
                created_at=r.created_at,
                author=r.author,
            )
            for r in repository.releases(info.context.session)
        ]

    @strawberry.field(
        description="The change log: one entry per token and layer each write touched, "
        "oldest first."
    )
    def changes(
        self,
        info: Info,
        since: Annotated[
            int, strawberry.argument(description="Only writes after this revision.")
        ] = 0,
        first: Annotated[int, strawberry.argument(description="Page size, 0-1000.")] = 100,
        after: Annotated[
            str | None, strawberry.argument(description="Cursor of the last entry seen.")
        ] = None,
    ) -> ChangeConnection:
        """A keyset page of :func:`graphql_api.store.repository.changes`."""
        if not 0 <= first <= MAX_CHANGES_PAGE:
            raise GraphQLError(
                f"first must be between 0 and {MAX_CHANGES_PAGE}, got {first}",
                extensions={"code": ErrorCode.INVALID_PAGE_SIZE},
            )
        after_id = _decode(after) if after else 0
        rows, total = repository.changes(
            info.context.session, since, after_id=after_id, limit=first + 1
        )
        page = rows[:first]
        edges = [
            ChangeEdge(
                cursor=_cursor(r.id),
                node=Change(
                    path=r.path,
                    previous_path=r.previous_path,
                    layer=r.layer,
                    before=r.before,
                    after=r.after,
                    revision=r.revision,
                    created_at=r.created_at,
                    author=r.author,
                    message=r.message,
                ),
            )
            for r in page
        ]
        page_info = T.PageInfo(
            has_next_page=len(rows) > first,
            has_previous_page=after_id > 0,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        )
        return ChangeConnection(edges=edges, page_info=page_info, total_count=total)

"""The ``token_usage`` table: batch upserts and the reads behind the usage reports.

SQLAlchemy only (no Flask). :func:`write_batch` adds counts to ``token_usage`` with
``INSERT … ON CONFLICT DO UPDATE SET count = token_usage.count + excluded.count`` (on
PostgreSQL from rows copied into a temporary table first), in one transaction. The
readers return :class:`DailyRow` objects for :mod:`graphql_api.usage.report`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import func, select

from .models import Token, TokenUsage

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping
    from datetime import date

    from sqlalchemy import Table
    from sqlalchemy.orm import Session

#: ``(UTC day, path, theme key, client)``: the primary key of a ``token_usage`` row.
UsageKey = tuple["date", str, str, str]


@dataclass(frozen=True, slots=True)
class DailyRow:
    """One stored row: ``count`` requests for ``path`` in ``theme`` by ``client`` on ``day``."""

    day: date
    path: str
    theme: str
    client: str
    count: int


#: Rows per INSERT statement (SQLite allows 32,766 bound parameters; 5 per row).
CHUNK = 2000
#: Paths per ``IN (…)`` list.
IN_CHUNK = 500


def _adding_counts(insert: Any) -> Any:
    """``insert`` (a dialect's ``INSERT`` into ``token_usage``) made an upsert adding counts.

    ``ON CONFLICT (primary key) DO UPDATE SET count = token_usage.count + excluded.count``.
    On the table, not the ORM class: the ORM's bulk insert spent a third more CPU on the
    same rows (20,000 rows: 145–190 → 95 ms on SQLite).
    """
    target = _table()
    return insert.on_conflict_do_update(
        index_elements=[target.c.day, target.c.path, target.c.theme, target.c.client],
        set_={"count": target.c.count + insert.excluded["count"]},
    )


def _table() -> Table:
    return cast("Table", TokenUsage.__table__)  # a mapped class's table: typed FromClause


#: PostgreSQL: the rows of one flush, copied in before the upsert (dropped at commit).
_INCOMING = "token_usage_incoming"
_COLUMNS = ("day", "path", "theme", "client", "count")


def _copy_upsert(session: Session, rows: list[tuple[Any, ...]]) -> None:
    """PostgreSQL: ``COPY`` ``rows`` into a temporary table, then one upsert from it.

    The flusher runs in a thread beside the request threads of its process and holds the
    GIL while it builds statements: 20,000 rows cost 230–300 ms of CPU as an
    ``executemany`` (one pipelined statement per row) and 16 ms as a ``COPY`` (rows
    formatted by psycopg's C code). The upsert takes the rows in key order.
    """
    from sqlalchemy import column, table, text  # noqa: PLC0415 - lazy: CLI start-up
    from sqlalchemy.dialects import postgresql  # noqa: PLC0415

    session.execute(
        text(
            f"CREATE TEMPORARY TABLE {_INCOMING} (day date, path text, theme text, "
            "client text, count bigint) ON COMMIT DROP"
        )
    )
    driver: Any = session.connection().connection.driver_connection  # psycopg's, in the transaction
    sql = f"COPY {_INCOMING} ({', '.join(_COLUMNS)}) FROM STDIN"
    with driver.cursor() as cursor, cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)
    incoming = table(_INCOMING, *(column(c) for c in _COLUMNS))
    rows_in_order = select(*incoming.c).order_by(*incoming.c[:4])
    insert = postgresql.insert(_table()).from_select(list(_COLUMNS), rows_in_order)
    session.execute(_adding_counts(insert))


def write_batch(session: Session, batch: Mapping[UsageKey, int]) -> int:
    """Add ``batch`` to ``token_usage`` and commit (all rows or none).

    Rows are written in key order, so that two processes flushing at once take row locks in
    the same order (no deadlock on PostgreSQL). On PostgreSQL they are copied in first
    (:func:`_copy_upsert`), one ``INSERT … ON CONFLICT`` statement per :data:`CHUNK` rows on
    SQLite.

    Args:
        session: a session of its own (committed here, rolled back on error).
        batch: ``(day, path, theme, client) → count`` (see
            :meth:`graphql_api.usage.recorder.UsageRecorder.drain`).

    Returns:
        The number of rows written (inserted or added to).

    Raises:
        sqlalchemy.exc.SQLAlchemyError: the write failed; nothing was written.
        psycopg.Error: the copy failed (PostgreSQL); nothing was written.
    """
    if not batch:
        return 0
    ordered = sorted(batch.items())
    dialect = session.get_bind().dialect.name
    try:
        if dialect == "postgresql":
            _copy_upsert(session, [(*key, count) for key, count in ordered])
        else:
            from sqlalchemy.dialects import sqlite  # noqa: PLC0415 - lazy: CLI start-up

            stmt = _adding_counts(sqlite.insert(_table()))
            rows = [dict(zip(_COLUMNS, (*key, count), strict=True)) for key, count in ordered]
            for start in range(0, len(rows), CHUNK):
                session.execute(stmt, rows[start : start + CHUNK])
        session.commit()
    except Exception:
        session.rollback()
        raise
    return len(ordered)


def _range(since: date | None, until: date | None) -> list[Any]:
    cond: list[Any] = []
    if since is not None:
        cond.append(TokenUsage.day >= since)
    if until is not None:
        cond.append(TokenUsage.day <= until)
    return cond


def daily_rows(
    session: Session, path: str, since: date | None = None, until: date | None = None
) -> list[DailyRow]:
    """Every stored row of one path in ``[since, until]`` (inclusive; None: unbounded).

    Returns:
        :class:`DailyRow` per (day, theme, client), by day.
    """
    query = (
        select(
            TokenUsage.day, TokenUsage.path, TokenUsage.theme, TokenUsage.client, TokenUsage.count
        )
        .where(TokenUsage.path == path, *_range(since, until))
        .order_by(TokenUsage.day, TokenUsage.client, TokenUsage.theme)
    )
    return [DailyRow(r.day, r.path, r.theme, r.client, int(r[4])) for r in session.execute(query)]


def used_paths(session: Session, since: date, until: date | None = None) -> set[str]:
    """Paths requested at least once from ``since`` on (in any theme, by any client)."""
    query = select(TokenUsage.path).where(*_range(since, until)).distinct()
    return set(session.scalars(query))


def used_pairs(session: Session, since: date, until: date | None = None) -> set[tuple[str, str]]:
    """``(theme, path)`` pairs requested at least once from ``since`` on."""
    query = select(TokenUsage.theme, TokenUsage.path).where(*_range(since, until)).distinct()
    return {(r.theme, r.path) for r in session.execute(query)}


def rows_of_paths(
    session: Session, paths: Iterable[str], since: date, until: date | None = None
) -> list[DailyRow]:
    """Stored rows of the given paths from ``since`` on, every day, theme and client."""
    wanted = sorted(set(paths))
    out: list[DailyRow] = []
    for start in range(0, len(wanted), IN_CHUNK):
        query = select(
            TokenUsage.day, TokenUsage.path, TokenUsage.theme, TokenUsage.client, TokenUsage.count
        ).where(TokenUsage.path.in_(wanted[start : start + IN_CHUNK]), *_range(since, until))
        out.extend(
            DailyRow(r.day, r.path, r.theme, r.client, int(r[4])) for r in session.execute(query)
        )
    return out


def stored_paths(session: Session) -> set[str]:
    """Every token path in the current data (the ``token`` table; any layer)."""
    return set(session.scalars(select(Token.path)))


def unused_paths(session: Session, since: date, paths_in_data: Iterable[str]) -> list[str]:
    """Paths of ``paths_in_data`` that no client requested from ``since`` on, sorted."""
    return sorted(set(paths_in_data) - used_paths(session, since))


def count_rows(session: Session) -> int:
    """Rows in ``token_usage`` (tests, diagnostics)."""
    return int(session.scalar(select(func.count()).select_from(TokenUsage)) or 0)

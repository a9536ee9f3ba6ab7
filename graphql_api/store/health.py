"""Whether the database answers, at which migration it is, and what a database fault means.

Used by ``/readyz`` and the start-up check (:mod:`graphql_api.web.observability`) and by the
GraphQL error masking (:mod:`graphql_api.schema`), which answers ``DATABASE_UNAVAILABLE``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, OperationalError

from .db import DatabaseNotWritableError

if TYPE_CHECKING:
    from sqlalchemy import Engine


def ping(engine: Engine) -> None:
    """Run ``SELECT 1`` on a new connection.

    Raises:
        sqlalchemy.exc.DBAPIError: the database cannot be reached.
    """
    with engine.connect() as connection:
        connection.execute(text("SELECT 1"))


#: The Alembic head revision this code needs (the newest file of ``alembic/versions``).
#: Kept here so the start-up check needs no Alembic import (CLI start-up, issue 17);
#: ``tests/db/test_migrations.py`` checks it equals Alembic's own head.
HEAD_REVISION: Final = "0020"

#: Alembic's table of the applied revision (its default name).
VERSION_TABLE: Final = "alembic_version"


def migration_state(engine: Engine) -> tuple[str | None, str]:
    """(the database's Alembic revision or None, the code's head :data:`HEAD_REVISION`).

    None when the database has no Alembic table (made by ``create_all``, or empty).

    Raises:
        sqlalchemy.exc.DBAPIError: the database cannot be reached.
    """
    from sqlalchemy import inspect  # noqa: PLC0415 - with the engine

    with engine.connect() as connection:
        if not inspect(connection).has_table(VERSION_TABLE):
            return None, HEAD_REVISION
        current = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    return current, HEAD_REVISION


def is_unavailable(error: BaseException) -> bool:
    """Whether ``error`` means the database is unreachable or locked (not a bad query)."""
    if isinstance(error, OperationalError):
        return True
    return isinstance(error, DBAPIError) and bool(error.connection_invalidated)


#: SQLite's messages for storage it cannot write (read-only mount or file, full or failing
#: disk, a ``-wal``/``-shm`` it cannot open).
STORAGE_FAULTS: Final = (
    "readonly database",
    "disk i/o error",
    "database or disk is full",
    "unable to open database file",
)


def storage_fault(error: BaseException) -> str | None:
    """Why the database's storage cannot be written, when ``error`` says so, else None.

    :class:`~graphql_api.store.db.DatabaseNotWritableError` (the reason, naming the path) or
    one of SQLite's :data:`STORAGE_FAULTS` (its message); for the log, never the client.
    """
    orig = getattr(error, "orig", None) or error
    if isinstance(orig, DatabaseNotWritableError):
        return str(orig)
    text = str(orig).lower()
    return text if any(fault in text for fault in STORAGE_FAULTS) else None


def unavailable_message(error: BaseException) -> str:
    """What to tell a client about a database fault (never the driver's own text)."""
    if "locked" in str(error).lower():
        return "the database is busy (locked by another writer past the busy timeout); retry"
    if storage_fault(error) is not None:
        return "the database's storage cannot be written (read-only or full); retry later"
    return "the database is unavailable; retry later"

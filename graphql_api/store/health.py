"""Whether the database answers, at which migration it is, and what a database fault means.

Used by ``/readyz`` and the start-up check (:mod:`graphql_api.web.observability`) and by the
GraphQL error masking (:mod:`graphql_api.schema`), which answers ``DATABASE_UNAVAILABLE``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Final

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, OperationalError

if TYPE_CHECKING:
    from sqlalchemy import Engine

#: The Alembic folder (``alembic/`` at the top of the project).
ALEMBIC_DIR: Final = Path(__file__).resolve().parents[2] / "alembic"


def ping(engine: Engine) -> None:
    """Run ``SELECT 1`` on a new connection.

    Raises:
        sqlalchemy.exc.DBAPIError: the database cannot be reached.
    """
    with engine.connect() as connection:
        connection.execute(text("SELECT 1"))


def migration_state(engine: Engine) -> tuple[str | None, str | None]:
    """(the database's Alembic revision or None, the code's head revision)."""
    # Imported here: Alembic is slow to import and the CLI should start fast.
    from alembic.runtime.migration import MigrationContext  # noqa: PLC0415
    from alembic.script import ScriptDirectory  # noqa: PLC0415

    head = ScriptDirectory(str(ALEMBIC_DIR)).get_current_head()
    with engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_revision()
    return current, head


def is_unavailable(error: BaseException) -> bool:
    """Whether ``error`` means the database is unreachable or locked (not a bad query)."""
    if isinstance(error, OperationalError):
        return True
    return isinstance(error, DBAPIError) and bool(error.connection_invalidated)


def unavailable_message(error: BaseException) -> str:
    """What to tell a client about a database fault (never the driver's own text)."""
    if "locked" in str(error).lower():
        return "the database is busy (locked by another writer past the busy timeout); retry"
    return "the database is unavailable; retry later"

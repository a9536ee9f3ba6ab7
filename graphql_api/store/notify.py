"""PostgreSQL: every new revision is announced with ``NOTIFY`` (live updates, issue 8).

A trigger on ``revision`` runs ``pg_notify('tokens_revision', '<schema>:<id>')`` for each
inserted row. PostgreSQL delivers it when the writing transaction commits, to every session
that ran ``LISTEN tokens_revision`` (:mod:`graphql_api.live.watcher`), whatever wrote the
row: a mutation in any process on any host, the CLI import, a migration. The schema in the
payload lets servers on different schemas of one database share the channel. SQLite has no
such mechanism; its watcher polls the revision instead.

The DDL is attached to the ``revision`` table (``create_all`` makes it too) and repeated in
Alembic migration 0007.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from sqlalchemy import DDL, FromClause, event

if TYPE_CHECKING:
    import psycopg

#: The channel every server listens on.
CHANNEL: Final = "tokens_revision"

FUNCTION_SQL: Final = f"""
CREATE OR REPLACE FUNCTION tokens_notify_revision() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('{CHANNEL}', TG_TABLE_SCHEMA || ':' || NEW.id);
    RETURN NEW;
END
$$
"""

TRIGGER_SQL: Final = (
    "CREATE TRIGGER revision_notify AFTER INSERT ON revision "
    "FOR EACH ROW EXECUTE FUNCTION tokens_notify_revision()"
)


def parse_payload(payload: str) -> tuple[str, int] | None:
    """``(schema, revision)`` of a notification's payload, or None if it is not one of ours."""
    schema, _, revision = payload.rpartition(":")
    return (schema, int(revision)) if schema and revision.isdigit() else None


def listen(conn: psycopg.Connection[Any]) -> str:
    """Run ``LISTEN`` on :data:`CHANNEL` on an autocommit psycopg connection.

    Returns:
        The connection's current schema (``public`` when it has none): notifications
        whose payload names another schema are not this server's.
    """
    row = conn.execute("SELECT current_schema()").fetchone()
    conn.execute(f"LISTEN {CHANNEL}")
    return row[0] if row else "public"


def attach(table: FromClause) -> None:
    """Create the function and the trigger with ``table`` on PostgreSQL (``create_all``)."""
    for statement in (FUNCTION_SQL, TRIGGER_SQL):
        ddl = DDL(statement)  # type: ignore[no-untyped-call]  # untyped in SQLAlchemy 2.0
        event.listen(table, "after_create", ddl.execute_if(dialect="postgresql"))

"""PostgreSQL: NOTIFY tokens_revision on every new revision (live updates).

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-21

The SQL is copied from :mod:`graphql_api.store.notify` as it was when this migration was written
(a migration must not change when the code does). SQLite: nothing to do (its servers poll).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from alembic import op

if TYPE_CHECKING:
    from collections.abc import Sequence

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FUNCTION_SQL = """
CREATE OR REPLACE FUNCTION tokens_notify_revision() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('tokens_revision', TG_TABLE_SCHEMA || ':' || NEW.id);
    RETURN NEW;
END
$$
"""


def upgrade() -> None:
    """Create the notifying function and its trigger on ``revision`` (PostgreSQL only)."""
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(FUNCTION_SQL)
    op.execute(
        "CREATE TRIGGER revision_notify AFTER INSERT ON revision "
        "FOR EACH ROW EXECUTE FUNCTION tokens_notify_revision()"
    )


def downgrade() -> None:
    """Drop the trigger and the function (PostgreSQL only)."""
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP TRIGGER IF EXISTS revision_notify ON revision")
    op.execute("DROP FUNCTION IF EXISTS tokens_notify_revision()")

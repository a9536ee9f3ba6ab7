"""Token usage analytics: requests per token, theme combination, client and day.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-21
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import sqlalchemy as sa
from alembic import op

if TYPE_CHECKING:
    from collections.abc import Sequence

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create ``token_usage`` (no foreign key: usage of a removed path is history).

    The primary key starts with ``day`` and serves date ranges; ``path`` gets an index.
    """
    op.create_table(
        "token_usage",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("path", sa.String(length=1000), nullable=False),
        sa.Column("theme", sa.String(length=1000), nullable=False),
        sa.Column("client", sa.String(length=200), nullable=False),
        sa.Column("count", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("day", "path", "theme", "client", name=op.f("pk_token_usage")),
    )
    op.create_index(op.f("ix_token_usage_path"), "token_usage", ["path"])


def downgrade() -> None:
    """Drop ``token_usage``."""
    op.drop_index(op.f("ix_token_usage_path"), table_name="token_usage")
    op.drop_table("token_usage")

"""Persisted queries: GraphQL documents known by their SHA-256 (APQ and allow-list).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import sqlalchemy as sa
from alembic import op

if TYPE_CHECKING:
    from collections.abc import Sequence

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create ``persisted_query``."""
    op.create_table(
        "persisted_query",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("query", sa.Text(), nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_persisted_query")),
    )


def downgrade() -> None:
    """Drop ``persisted_query``."""
    op.drop_table("persisted_query")

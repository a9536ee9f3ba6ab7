"""APQ documents apart from the operator's allow-list, bounded (issue 16).

Revision ID: 0019
Revises: 0007
Create Date: 2026-12-03
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import sqlalchemy as sa
from alembic import op

if TYPE_CHECKING:
    from collections.abc import Sequence

revision: str = "0019"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create ``apq_query``."""
    op.create_table(
        "apq_query",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("query", sa.Text(), nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_apq_query")),
        sa.UniqueConstraint("sha256", name=op.f("uq_apq_query_sha256")),
    )


def downgrade() -> None:
    """Drop ``apq_query``."""
    op.drop_table("apq_query")

"""Groups keep their JSON Pointer and ``$extends`` (DTCG Format §6.4), applied on read.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-21
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import sqlalchemy as sa
from alembic import op

if TYPE_CHECKING:
    from collections.abc import Sequence

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add ``token_group.source_pointer`` and ``token_group.extends``."""
    with op.batch_alter_table("token_group") as batch:
        batch.add_column(
            sa.Column("source_pointer", sa.String(length=2000), server_default="", nullable=False)
        )
        batch.add_column(sa.Column("extends", sa.String(length=1000), nullable=True))


def downgrade() -> None:
    """Drop the two columns."""
    with op.batch_alter_table("token_group") as batch:
        batch.drop_column("extends")
        batch.drop_column("source_pointer")

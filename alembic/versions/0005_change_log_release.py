"""Change log and releases: who wrote each revision, what each write touched, frozen releases.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-21
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import sqlalchemy as sa
from alembic import op

if TYPE_CHECKING:
    from collections.abc import Sequence

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add ``revision.author``; create ``change`` and ``release``."""
    with op.batch_alter_table("revision") as batch:
        batch.add_column(
            sa.Column("author", sa.String(length=200), server_default="", nullable=False)
        )
    op.create_table(
        "change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("revision_id", sa.Integer(), nullable=False),
        sa.Column("path", sa.String(length=1000), nullable=False),
        sa.Column("previous_path", sa.String(length=1000), nullable=True),
        sa.Column("layer", sa.String(length=401), nullable=False),
        sa.Column("before", sa.JSON(none_as_null=True), nullable=True),
        sa.Column("after", sa.JSON(none_as_null=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["revision_id"],
            ["revision.id"],
            name=op.f("fk_change_revision_id_revision"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_change")),
    )
    op.create_index(op.f("ix_change_revision_id"), "change", ["revision_id"])
    op.create_index(op.f("ix_change_path"), "change", ["path"])
    op.create_table(
        "release",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("notes", sa.Text(), server_default="", nullable=False),
        sa.Column("revision_id", sa.Integer(), nullable=False),
        sa.Column("author", sa.String(length=200), server_default="", nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column("content", sa.JSON(none_as_null=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["revision_id"], ["revision.id"], name=op.f("fk_release_revision_id_revision")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_release")),
        sa.UniqueConstraint("name", name=op.f("uq_release_name")),
    )


def downgrade() -> None:
    """Drop ``release`` and ``change``; remove ``revision.author``."""
    op.drop_table("release")
    op.drop_index(op.f("ix_change_path"), table_name="change")
    op.drop_index(op.f("ix_change_revision_id"), table_name="change")
    op.drop_table("change")
    with op.batch_alter_table("revision") as batch:
        batch.drop_column("author")

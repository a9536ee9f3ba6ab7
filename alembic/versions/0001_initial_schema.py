"""Initial schema: revision, token_set, modifier, theme, token, token_value, token_group, alias.

Revision ID: 0001
Revises:
Create Date: 2026-11-21

Constraint and index names follow graphql_api.store.tables.NAMING_CONVENTION. JSON columns are the
generic JSON type (``json`` on PostgreSQL, not ``jsonb``) so that key order is kept.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import sqlalchemy as sa
from alembic import op

if TYPE_CHECKING:
    from collections.abc import Sequence

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ONE_LAYER = "(set_id IS NOT NULL AND theme_id IS NULL) OR (set_id IS NULL AND theme_id IS NOT NULL)"


def _layer_constraints(table: str) -> list[sa.Constraint]:
    """Constraints of tables whose rows belong to exactly one layer: a set or a theme."""
    return [
        sa.ForeignKeyConstraint(
            ["set_id"],
            ["token_set.id"],
            name=op.f(f"fk_{table}_set_id_token_set"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["theme_id"], ["theme.id"], name=op.f(f"fk_{table}_theme_id_theme"), ondelete="CASCADE"
        ),
        sa.CheckConstraint(ONE_LAYER, name=op.f(f"ck_{table}_one_layer")),
    ]


def upgrade() -> None:
    """Create every table."""
    op.create_table(
        "revision",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.func.now(),
            nullable=False,
        ),
        sa.Column("message", sa.Text(), server_default="", nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_revision")),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "token_set",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("extensions", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_token_set")),
        sa.UniqueConstraint("name", name=op.f("uq_token_set_name")),
    )
    op.create_table(
        "modifier",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("default_context", sa.String(length=200), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("extensions", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_modifier")),
        sa.UniqueConstraint("name", name=op.f("uq_modifier_name")),
    )
    op.create_table(
        "theme",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("modifier_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("extensions", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ["modifier_id"],
            ["modifier.id"],
            name=op.f("fk_theme_modifier_id_modifier"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_theme")),
        # Also serves as the index on modifier_id (its leading column).
        sa.UniqueConstraint("modifier_id", "name", name=op.f("uq_theme_modifier_id_name")),
    )
    op.create_table(
        "token",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("path", sa.String(length=1000), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_token")),
        sa.UniqueConstraint("path", name=op.f("uq_token_path")),
    )
    op.create_table(
        "token_value",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_id", sa.Integer(), nullable=False),
        sa.Column("set_id", sa.Integer(), nullable=True),
        sa.Column("theme_id", sa.Integer(), nullable=True),
        sa.Column("type", sa.String(length=100), nullable=True),
        sa.Column("value", sa.JSON(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("deprecated", sa.JSON(), nullable=True),
        sa.Column("extensions", sa.JSON(), nullable=True),
        sa.Column("source_file", sa.String(length=1000), nullable=False),
        sa.Column("source_pointer", sa.String(length=2000), nullable=False),
        sa.ForeignKeyConstraint(
            ["token_id"],
            ["token.id"],
            name=op.f("fk_token_value_token_id_token"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_token_value")),
        *_layer_constraints("token_value"),
    )
    op.create_index(op.f("ix_token_value_token_id"), "token_value", ["token_id"])
    op.create_index(op.f("ix_token_value_set_id"), "token_value", ["set_id"])
    op.create_index(op.f("ix_token_value_theme_id"), "token_value", ["theme_id"])
    op.create_table(
        "token_group",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("path", sa.String(length=1000), nullable=False),
        sa.Column("set_id", sa.Integer(), nullable=True),
        sa.Column("theme_id", sa.Integer(), nullable=True),
        sa.Column("type", sa.String(length=100), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("deprecated", sa.JSON(), nullable=True),
        sa.Column("extensions", sa.JSON(), nullable=True),
        sa.Column("source_file", sa.String(length=1000), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_token_group")),
        *_layer_constraints("token_group"),
    )
    op.create_index(op.f("ix_token_group_set_id"), "token_group", ["set_id"])
    op.create_index(op.f("ix_token_group_theme_id"), "token_group", ["theme_id"])
    op.create_table(
        "alias",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_value_id", sa.Integer(), nullable=False),
        sa.Column("target_token_id", sa.Integer(), nullable=False),
        sa.Column("pointer", sa.String(length=2000), nullable=False),
        sa.ForeignKeyConstraint(
            ["token_value_id"],
            ["token_value.id"],
            name=op.f("fk_alias_token_value_id_token_value"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["target_token_id"],
            ["token.id"],
            name=op.f("fk_alias_target_token_id_token"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alias")),
    )
    op.create_index(op.f("ix_alias_token_value_id"), "alias", ["token_value_id"])
    op.create_index(op.f("ix_alias_target_token_id"), "alias", ["target_token_id"])


def downgrade() -> None:
    """Drop every table (their indexes go with them), children first."""
    for table in (
        "alias",
        "token_group",
        "token_value",
        "token",
        "theme",
        "modifier",
        "token_set",
        "revision",
    ):
        op.drop_table(table)

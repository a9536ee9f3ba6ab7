"""Core definitions shared by the ORM models and by code that must not import the ORM.

The metadata every model is declared on (with :data:`NAMING_CONVENTION`), the
:class:`TZDateTime` column type, and the ``api_key`` table, which the ``keys`` CLI
commands use through SQLAlchemy Core so that they start without the ORM (issue 17: the
CLI answers within 0.5 s). :class:`graphql_api.store.models.ApiKey` maps the same table.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Final

from sqlalchemy import Column, DateTime, Integer, MetaData, String, Table, func
from sqlalchemy.types import TypeDecorator

if TYPE_CHECKING:
    from sqlalchemy.engine import Dialect

#: Constraint names Alembic can rely on (the same on SQLite and PostgreSQL).
NAMING_CONVENTION: Final = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

#: The metadata of every table (``Base.metadata`` of the models; Alembic compares it).
metadata: Final = MetaData(naming_convention=NAMING_CONVENTION)


class TZDateTime(TypeDecorator[datetime]):
    """A timezone-aware ``DateTime`` that always returns aware UTC datetimes.

    PostgreSQL stores ``timestamp with time zone``; SQLite stores naive text, which is UTC
    (``CURRENT_TIMESTAMP``) and gets ``tzinfo=UTC`` back on load. Naive datetimes bound as
    parameters are taken to be UTC.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Convert an aware datetime to UTC (naive on SQLite, which has no time zones)."""
        if value is None:
            return None
        value = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Attach UTC to naive values read back (SQLite)."""
        if value is None or value.tzinfo is not None:
            return value
        return value.replace(tzinfo=UTC)


#: API keys: ``tk_<prefix>_<secret>``; ``prefix`` finds the row, the secret is checked
#: against ``secret_hash`` (hex SHA-256 of salt + secret) in constant time. ``scope`` is
#: ``read``, ``write`` or ``admin``. A revoked key stays, for the change log's names.
api_key: Final = Table(
    "api_key",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(200), nullable=False, unique=True),
    Column("prefix", String(16), nullable=False, unique=True),
    Column("salt", String(64), nullable=False),
    Column("secret_hash", String(64), nullable=False),
    Column("scope", String(10), nullable=False),
    Column("created_at", TZDateTime(), nullable=False, server_default=func.now()),
    Column("revoked_at", TZDateTime(), nullable=True),
)

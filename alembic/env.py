"""Alembic environment: the URL comes from graphql_api.config, the schema from the models.

Where the connection comes from, first match wins:

1. ``config.attributes["connection"]``: a SQLAlchemy ``Connection`` passed by the caller
   (tests run migrations on their own engine this way); the caller owns its transaction.
2. ``sqlalchemy.url`` set on the Alembic config (``Config.set_main_option``), if any.
3. The ``DATABASE_URL`` environment variable, else the app's default SQLite file
   ``instance/tokens.sqlite3`` next to ``alembic.ini`` (the Flask instance folder).

SQLite migrations run in batch mode (``render_as_batch``) with foreign keys OFF, so that
table rebuilds do not cascade deletes; ``PRAGMA foreign_key_check`` runs afterwards.
"""

from __future__ import annotations

import logging
from logging.config import fileConfig
from pathlib import Path

from alembic import context
from sqlalchemy import Connection, text

from graphql_api.config import default_database_url, load_config
from graphql_api.store.db import make_engine
from graphql_api.store.models import Base  # with every table registered on Base.metadata

config = context.config
target_metadata = Base.metadata
log = logging.getLogger("alembic.env")

if config.config_file_name is not None and not config.attributes.get("skip_logging_config"):
    fileConfig(config.config_file_name, disable_existing_loggers=False)


def _instance_path() -> Path:
    """Return the Flask instance folder: ``instance/`` beside alembic.ini (the repo root)."""
    root = Path(config.config_file_name).resolve().parent if config.config_file_name else Path()
    return root / "instance"


def _settings() -> tuple[str, int]:
    """Return ``(database URL, SQLite busy timeout in ms)`` for this run.

    Creates the instance folder when the URL is the default SQLite file inside it.
    """
    instance_path = _instance_path()
    settings = load_config(str(instance_path))
    url = config.get_main_option("sqlalchemy.url") or settings["DATABASE_URL"]
    if url == default_database_url(instance_path):
        instance_path.mkdir(parents=True, exist_ok=True)
    return url, int(settings["SQLITE_BUSY_TIMEOUT_MS"])


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )


def _check_sqlite_foreign_keys(connection: Connection) -> None:
    if connection.dialect.name != "sqlite":
        return
    problems = connection.execute(text("PRAGMA foreign_key_check")).fetchall()
    if problems:
        msg = f"foreign key violations after migration: {problems[:10]}"
        raise RuntimeError(msg)


def run_migrations_offline() -> None:
    """Emit the migration SQL to stdout (``alembic upgrade head --sql``)."""
    url, _ = _settings()
    context.configure(
        url=url,
        target_metadata=target_metadata,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
        render_as_batch=url.startswith("sqlite"),
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Run the migrations on a live connection (given, or made from the configured URL)."""
    given = config.attributes.get("connection")
    if given is not None:
        _configure(given)
        with context.begin_transaction():
            context.run_migrations()
        return

    url, busy_timeout_ms = _settings()
    engine = make_engine(url, sqlite_busy_timeout_ms=busy_timeout_ms, sqlite_foreign_keys=False)
    try:
        with engine.connect() as connection:
            _configure(connection)
            with context.begin_transaction():
                context.run_migrations()
                _check_sqlite_foreign_keys(connection)
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()

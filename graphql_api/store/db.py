"""Database plumbing: engine, sessions per request.

:func:`init_app` keeps the app's database state in ``app.extensions["tokens_db"]``; the
engine is made the first time it is asked for (:attr:`DatabaseState.engine`), the session
factory the first time a session is (:attr:`DatabaseState.sessionmaker`); nothing here is
created at import time. Request code asks :func:`get_session` for the request's one
session; the caller owns the transaction (commits it), and the session is closed at the end
of the app context, which rolls back anything not committed.

This module imports no SQLAlchemy at import time: the core is imported with the first
engine, the ORM with the first session, and the models (with their declarative base,
:class:`graphql_api.store.models.Base`) by the modules that query them, so that CLI
commands that never touch the database (``--help``, ``tokens validate``) start fast
(``bench/cli_startup.py``).
"""

from __future__ import annotations

import dataclasses
import json
import os
import sqlite3
import stat
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import orjson
from flask import current_app, g

if TYPE_CHECKING:
    from collections.abc import Callable
    from sqlite3 import Connection as SQLiteConnection

    from flask import Flask
    from sqlalchemy import orm
    from sqlalchemy.engine import URL, Engine
    from sqlalchemy.orm import Session
    from sqlalchemy.pool import ConnectionPoolEntry

EXTENSION_KEY: Final = "tokens_db"
_SESSION_KEY: Final = "tokens_session"


@dataclasses.dataclass(slots=True)
class DatabaseState:
    """What :func:`init_app` keeps in ``app.extensions["tokens_db"]``.

    Attributes:
        make: Makes the app's engine (called once, by the first :attr:`engine`).
        on_engine: Called with the engine when it is made, before any other thread sees
            it (:func:`on_engine`); they must not ask for the engine themselves.
    """

    make: Callable[[], Engine]
    on_engine: list[Callable[[Engine], None]] = dataclasses.field(default_factory=list)
    _engine: Engine | None = None
    _sessionmaker: orm.sessionmaker[Session] | None = None
    _lock: threading.RLock = dataclasses.field(default_factory=threading.RLock)

    def when_made(self, hook: Callable[[Engine], None]) -> None:
        """Call ``hook(engine)`` when the engine is made, or now if it was."""
        with self._lock:
            if self._engine is not None:
                hook(self._engine)
            else:
                self.on_engine.append(hook)

    @property
    def engine(self) -> Engine:
        """The app's engine (one pool per app), made on first use."""
        if self._engine is None:
            with self._lock:
                if self._engine is None:
                    engine = self.make()
                    for hook in self.on_engine:
                        hook(engine)
                    self._engine = engine
        return self._engine

    @property
    def sessionmaker(self) -> orm.sessionmaker[Session]:
        """Factory of sessions bound to ``engine`` (one per app, made on first use).

        ``expire_on_commit=False``: objects stay readable after a mutation commits, without
        a reload (which ``lazy="raise"`` relationships would refuse anyway).
        """
        if self._sessionmaker is None:
            engine = self.engine
            with self._lock:
                if self._sessionmaker is None:
                    from sqlalchemy.orm import sessionmaker  # noqa: PLC0415 - module docstring

                    self._sessionmaker = sessionmaker(bind=engine, expire_on_commit=False)
        return self._sessionmaker


def json_loads(text: str | bytes) -> Any:
    """JSON columns' decoder: orjson, or the standard library for what orjson refuses.

    The standard library takes what orjson refuses: integers beyond 64 bits.
    """
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return json.loads(text)


def json_dumps(value: Any) -> str:
    """JSON columns' encoder: orjson (key order kept), or the standard library."""
    try:
        return orjson.dumps(value).decode()
    except TypeError:
        return json.dumps(value)


def _is_sqlite_file(url: URL) -> bool:
    """Tell whether an SQLite URL names a file (WAL needs one), not an in-memory database."""
    database = url.database or ""
    return database not in ("", ":memory:") and url.query.get("mode") != "memory"


def _sqlite_path(url: URL) -> str:
    """The file an SQLite URL names (``file:`` URIs with ``uri=true`` included)."""
    database = url.database or ""
    if url.query.get("uri") == "true" and database.startswith("file:"):
        database = database.removeprefix("file:").partition("?")[0]
    return database


def unwritable_reason(database: str) -> str | None:
    """Why SQLite could not write the database file ``database`` in WAL mode, or None.

    WAL mode writes the file, its ``-wal`` and its ``-shm`` (the wal-index SQLite maps
    into memory), all created in the file's folder. When one of them cannot be written (a
    read-only mount, another owner) or ``-shm`` is not a regular file, SQLite may report an
    I/O error late, or, with the ``-shm`` mapped but not extensible, the process may die of
    SIGBUS. Checked with :func:`os.access` (``EROFS`` holds even for root) and
    :func:`os.stat`; a folder that does not exist is left to SQLite ("unable to open
    database file").

    Returns:
        A sentence naming the path and the problem, or None when all can be written.
    """
    path = Path(database).absolute()
    if not path.parent.is_dir():
        return None
    if not os.access(path.parent, os.W_OK):
        return f"the database folder {path.parent} is not writable (read-only mount or owner)"
    for name in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        try:
            mode = name.stat().st_mode
        except FileNotFoundError:
            continue
        if not stat.S_ISREG(mode):
            return f"{name} is not a regular file"
        if not os.access(name, os.W_OK):
            return f"{name} is not writable (read-only mount or owner)"
    return None


class DatabaseNotWritableError(sqlite3.OperationalError):
    """An SQLite database (or its ``-wal``/``-shm``) cannot be written.

    Raised by a new connection (:func:`unwritable_reason` says why); SQLAlchemy wraps it in
    an ``OperationalError``, which requests answer with 503 ``DATABASE_UNAVAILABLE``.
    """


def make_engine(
    url: str | URL,
    *,
    sqlite_busy_timeout_ms: int = 5000,
    sqlite_foreign_keys: bool = True,
    **engine_options: Any,
) -> Engine:
    """Create an engine with the per-dialect settings this project relies on.

    SQLite: ``PRAGMA foreign_keys`` (ON by default, so ``ON DELETE CASCADE`` works) and
    ``PRAGMA busy_timeout`` on every new connection; WAL journal mode for file databases.
    A file database (not opened ``mode=ro``) whose folder, ``-wal`` or ``-shm`` cannot be
    written refuses every new connection with :class:`DatabaseNotWritableError`
    (:func:`unwritable_reason`), which requests answer with 503 ``DATABASE_UNAVAILABLE``.
    PostgreSQL (psycopg 3): ``pool_pre_ping`` so connections dropped by the server are
    replaced.

    Args:
        url: SQLAlchemy URL, e.g. ``sqlite:///instance/tokens.sqlite3`` or
            ``postgresql+psycopg://user@host/db``.
        sqlite_busy_timeout_ms: How long (ms) an SQLite connection waits for a lock.
        sqlite_foreign_keys: Enforce foreign keys on SQLite. Migrations turn this off, since
            SQLite's table rebuilds (batch mode) would otherwise cascade deletes.
        **engine_options: Passed on to :func:`sqlalchemy.create_engine`.

    Returns:
        A new engine; the caller disposes of it.
    """
    from sqlalchemy import create_engine, event  # noqa: PLC0415 - module docstring
    from sqlalchemy.engine import make_url  # noqa: PLC0415

    parsed = make_url(url)
    engine_options.setdefault("json_deserializer", json_loads)
    engine_options.setdefault("json_serializer", json_dumps)
    if parsed.get_backend_name() != "sqlite":
        engine_options.setdefault("pool_pre_ping", True)
        return create_engine(parsed, **engine_options)

    engine = create_engine(parsed, **engine_options)
    use_wal = _is_sqlite_file(parsed)
    check_writable = use_wal and parsed.query.get("mode") != "ro"
    database = _sqlite_path(parsed)
    pragmas = [
        f"PRAGMA foreign_keys = {'ON' if sqlite_foreign_keys else 'OFF'}",
        f"PRAGMA busy_timeout = {int(sqlite_busy_timeout_ms)}",
    ]

    @event.listens_for(engine, "connect")
    def _set_sqlite_pragmas(dbapi_connection: SQLiteConnection, _: ConnectionPoolEntry) -> None:
        # Before the first read maps the -shm: refuse a database SQLite cannot write.
        reason = unwritable_reason(database) if check_writable else None
        if reason is not None:
            dbapi_connection.close()
            raise DatabaseNotWritableError(reason)
        cursor = dbapi_connection.cursor()
        try:
            for pragma in pragmas:
                cursor.execute(pragma)
            if use_wal:
                cursor.execute("PRAGMA journal_mode = WAL")
        finally:
            cursor.close()

    return engine


def init_app(app: Flask) -> None:
    """Keep the app's database state (its engine made on first use); close each session.

    The engine reads ``DATABASE_URL``, ``SQLITE_BUSY_TIMEOUT_MS`` and, for PostgreSQL,
    ``DB_POOL_SIZE``/``DB_MAX_OVERFLOW`` (the connection pool of this process) from
    ``app.config`` when it is made.

    Args:
        app: The application being created.
    """
    config = app.config

    def make() -> Engine:
        from sqlalchemy.engine import make_url  # noqa: PLC0415 - module docstring

        url = config["DATABASE_URL"]
        options: dict[str, Any] = {}
        if make_url(url).get_backend_name() == "postgresql":
            # One pool per process (per gunicorn worker): size it to the worker's threads.
            options = {
                "pool_size": int(config["DB_POOL_SIZE"]),
                "max_overflow": int(config["DB_MAX_OVERFLOW"]),
            }
        return make_engine(url, sqlite_busy_timeout_ms=config["SQLITE_BUSY_TIMEOUT_MS"], **options)

    app.extensions[EXTENSION_KEY] = DatabaseState(make)
    app.teardown_appcontext(close_session)


def on_engine(app: Flask, hook: Callable[[Engine], None]) -> None:
    """Call ``hook(engine)`` with the app's engine: when it is made, or now if it was."""
    get_state(app).when_made(hook)


def get_state(app: Flask | None = None) -> DatabaseState:
    """Return the database state of ``app`` (default: the current app).

    Raises:
        RuntimeError: ``init_app`` was not called for the app, or no app is active.
    """
    target = app if app is not None else current_app
    try:
        state: DatabaseState = target.extensions[EXTENSION_KEY]
    except KeyError:
        msg = "graphql_api.store.db.init_app(app) was not called"
        raise RuntimeError(msg) from None
    return state


def get_engine(app: Flask | None = None) -> Engine:
    """Return the engine of ``app`` (default: the current app)."""
    return get_state(app).engine


def get_session() -> Session:
    """Return the current app context's session, creating it on first use.

    Returns:
        The one session of this request (or CLI command); closed by :func:`close_session`.

    Raises:
        RuntimeError: Called outside an application context.
    """
    session: Session | None = g.get(_SESSION_KEY)
    if session is None:
        session = get_state().sessionmaker()
        setattr(g, _SESSION_KEY, session)
    return session


def close_session(_: BaseException | None = None) -> None:
    """Roll back what was not committed and close the context's session, if one was opened."""
    session: Session | None = g.pop(_SESSION_KEY, None)
    if session is None:
        return
    try:
        if session.in_transaction():
            session.rollback()
    finally:
        session.close()


def begin_snapshot(session: Session) -> None:
    """Start a read transaction that sees one committed state until it ends (no torn read).

    Everything a request reads after this (the revision, the layers of every theme it
    resolves) comes from the same committed state, so a write committing meanwhile can
    never be half seen. Whatever transaction was open (an API-key lookup) is committed
    first, since the isolation of a transaction is set before its first statement.
    PostgreSQL: ``REPEATABLE READ``. SQLite: a deferred ``BEGIN``; WAL gives the
    transaction a snapshot at its first read. A write in the same request must end this
    transaction before taking the write lock (:func:`lock_writes` after a commit).
    """
    if session.in_transaction():
        session.commit()
    if session.get_bind().dialect.name == "postgresql":
        session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
        return
    dbapi = session.connection().connection.dbapi_connection
    if dbapi is not None and not getattr(dbapi, "in_transaction", True):
        dbapi.execute("BEGIN")  # on the DB-API connection: not a statement of the request


#: First key of the ``pg_advisory_xact_lock(int4, int4)`` serialising writers; the second
#: is ``hashtext(current_schema())``, so design systems in different schemas of one
#: database (or test runs side by side) do not wait for each other.
WRITE_LOCK_KEY = 0x70C3E5


def lock_writes(session: Session) -> None:
    """Serialise writers until the transaction ends, so revisions commit in id order.

    PostgreSQL hands out sequence ids before commit; without the lock two writers could
    commit out of order and ``max(revision.id)`` would not move for the later commit.
    On SQLite the transaction starts with ``BEGIN IMMEDIATE``: the write lock is taken
    before the first read, so what a writer reads (the revision it checks, the rows it
    compares) cannot change before it commits; other writers wait up to the busy timeout.
    On PostgreSQL the lock is per schema (:data:`WRITE_LOCK_KEY`).
    """
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy import func, select  # noqa: PLC0415 - module docstring

        schema_key = func.hashtext(func.current_schema())
        session.execute(select(func.pg_advisory_xact_lock(WRITE_LOCK_KEY, schema_key)))
        return
    connection = session.connection()
    dbapi = connection.connection.dbapi_connection
    if dbapi is not None and not getattr(dbapi, "in_transaction", True):
        connection.exec_driver_sql("BEGIN IMMEDIATE")


#: ``session.info`` keys: the callbacks waiting for the transaction to commit, and whether
#: the session's listeners are set.
_ON_COMMIT: Final = "tokens_on_commit"
_ON_COMMIT_HOOKED: Final = "tokens_on_commit_hooked"


def _run_on_commit(session: Session) -> None:
    for run in session.info.pop(_ON_COMMIT, ()):
        run()


def _drop_on_commit(session: Session, _transaction: Any) -> None:
    session.info.pop(_ON_COMMIT, None)


def on_commit(session: Session, callback: Callable[[], None]) -> None:
    """Run ``callback`` once the session's transaction commits; forget it on a rollback.

    For what a write may only remember once it is durable (process caches keyed by the
    new revision: were the commit to fail, SQLite could hand the same revision number to
    other data). The session's listeners are set on first use and live as long as it.
    """
    if not session.info.get(_ON_COMMIT_HOOKED):
        from sqlalchemy import event  # noqa: PLC0415 - module docstring

        event.listen(session, "after_commit", _run_on_commit)
        event.listen(session, "after_soft_rollback", _drop_on_commit)
        session.info[_ON_COMMIT_HOOKED] = True
    session.info.setdefault(_ON_COMMIT, []).append(callback)

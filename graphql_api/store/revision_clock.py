"""The current data revision, known in memory: a cache hit or a 304 needs no database.

Every cached thing of a process (responses, ETags, snapshots) is keyed by the data
revision. Reading it with a ``SELECT`` on every request cost 60–70 % of a cache hit, so
each process keeps it in memory and learns new revisions three ways:

- **its own commits**, at once: a commit that inserted a ``revision`` row (any session of
  the app's ``sessionmaker``) marks the clock unknown, so the next request reads the
  database; a client always reads its own write;
- **PostgreSQL**: a thread of its own runs ``LISTEN tokens_revision``
  (:mod:`graphql_api.store.notify`; the trigger notifies on every commit of a revision,
  whatever process or host wrote it) and re-reads the revision when notified, and every
  ``fallback_seconds`` in case a notification was lost. While that connection is down
  the clock is unknown (every request reads the database), so the only staleness is the
  delivery of a notification, bounded by ``fallback_seconds`` if one is lost;
- **SQLite**: ``PRAGMA data_version`` on a connection of its own, checked on each request
  (no table is read, no session is opened; SQLite answers it from the WAL index in
  shared memory): it changes whenever another connection commits, and the revision is
  then re-read. No staleness.

A request that misses every cache reads the revision in its own read transaction anyway
(:func:`graphql_api.store.db.begin_snapshot`) and tells the clock (:meth:`learn`).
A generation counter keeps a read that started before an invalidation from putting an
older revision back.
"""

from __future__ import annotations

import logging
import os
import threading
from typing import TYPE_CHECKING, Any, Final

import psycopg
from sqlalchemy import event
from sqlalchemy.exc import SQLAlchemyError

from . import notify
from .models import Revision

if TYPE_CHECKING:
    from flask import Flask
    from sqlalchemy import Engine
    from sqlalchemy.orm import Session, sessionmaker

LOG = logging.getLogger("graphql_api.store")

#: Key of the app's :class:`RevisionClock` in ``app.extensions``.
CLOCK_KEY: Final = "tokens_revision_clock"

Stamp = tuple[int, str]


class RevisionClock:
    """What one process knows of the current revision (thread-safe).

    Args:
        engine: the app's engine (its dialect picks the mechanism; PostgreSQL's listener
            connects with its URL).
        fallback_seconds: PostgreSQL: re-read the revision at least this often without a
            notification (the staleness bound when a notification is lost).
        poll_seconds: PostgreSQL: how long the listener waits for a notification at a time
            (how fast it notices :meth:`stop`).
    """

    def __init__(
        self, engine: Engine, *, fallback_seconds: float = 1.0, poll_seconds: float = 0.25
    ) -> None:
        self.engine = engine
        self.fallback_seconds = max(0.01, fallback_seconds)
        self.poll_seconds = max(0.01, min(poll_seconds, self.fallback_seconds))
        self.dialect = engine.dialect.name
        self._lock = threading.Lock()
        self._known: Stamp | None = None
        self._generation = 0
        self._pid: int | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._sqlite: Any = None  # DB-API connection kept for PRAGMA data_version
        self._sqlite_cursor: Any = None  # its cursor, reused by every check
        self._sqlite_raw: Any = None  # its pool entry, checked out for the process's life
        self._data_version: int | None = None
        self.listening = False  # PostgreSQL: LISTEN is connected
        self.learnt = 0  # revisions learnt (tests, /healthz)

    # ------------------------------------------------------------------ reading
    def current(self) -> Stamp | None:
        """``(revision, write time)`` known now, or None: the caller reads the database.

        Starts the listener (PostgreSQL) or opens the ``data_version`` connection (SQLite)
        on first use in a process (after a fork, again).
        """
        if self._pid != _pid:
            self._start()
        if self.dialect == "sqlite" and not self._sqlite_unchanged():
            return None
        if self.dialect == "postgresql" and not self.listening:
            return None
        return self._known

    @property
    def generation(self) -> int:
        """Take it before reading the revision; hand it back to :meth:`learn`."""
        return self._generation

    def learn(self, stamp: Stamp, generation: int) -> None:
        """Record the revision a reader saw, unless the clock was invalidated meanwhile."""
        with self._lock:
            if generation == self._generation and stamp != self._known:
                self._known = stamp
                self.learnt += 1

    def invalidate(self) -> None:
        """A revision was committed: forget the known one (the next reader reads it)."""
        with self._lock:
            self._generation += 1
            self._known = None

    def stats(self) -> dict[str, Any]:
        """For ``/healthz``: the revision known (None: unknown) and the mechanism's state."""
        known = self._known
        return {
            "revision": known[0] if known else None,
            "mechanism": {"postgresql": "listen", "sqlite": "data_version"}.get(
                self.dialect, "none"
            ),
            "listening": self.listening if self.dialect == "postgresql" else None,
            "fallbackSeconds": self.fallback_seconds if self.dialect == "postgresql" else None,
        }

    # ------------------------------------------------------------------ SQLite
    def _sqlite_unchanged(self) -> bool:
        cursor = self._sqlite_cursor
        if cursor is None:
            return False
        with self._lock:
            try:
                version = cursor.execute("PRAGMA data_version").fetchone()[0]
            except Exception:  # noqa: BLE001 - a broken connection: read the database instead
                self._sqlite = self._sqlite_cursor = None
                return False
            if version != self._data_version:
                self._data_version = version
                self._generation += 1  # another connection committed: re-read the revision
                self._known = None
                return False
        return True

    # ------------------------------------------------------------------ lifecycle
    def _start(self) -> None:
        with self._lock:
            if self._pid == os.getpid():
                return
            self._pid = os.getpid()
            self._known = None
            self._generation += 1
            self.listening = False
        if self.dialect == "sqlite":
            self._open_sqlite()
        elif self.dialect == "postgresql":
            self._stop.clear()
            self._thread = threading.Thread(target=self._listen, name="revision-clock", daemon=True)
            self._thread.start()

    def _open_sqlite(self) -> None:
        database = self.engine.url.database or ""
        if database in ("", ":memory:") or self.engine.url.query.get("mode") == "memory":
            return  # another connection would be another database: always read it
        try:
            raw = self.engine.raw_connection()
        except Exception as error:  # noqa: BLE001 - the database is down: read it, retry later
            LOG.warning("revision clock: no SQLite connection (%s)", error)
            self._pid = None  # try again on the next request
            return
        self._sqlite = raw.driver_connection
        self._sqlite_cursor = self._sqlite.cursor()  # one per request was a tenth of a hit
        self._sqlite_raw = raw  # kept checked out for the life of the process

    def stop(self, timeout: float = 5.0) -> None:
        """Stop the listener thread (PostgreSQL) and release the SQLite connection."""
        self._stop.set()
        thread, self._thread = self._thread, None
        if thread is not None:
            thread.join(timeout)
        raw = self._sqlite_raw
        if raw is not None:
            self._sqlite = self._sqlite_raw = self._sqlite_cursor = None
            raw.close()
        self._pid = None

    # ------------------------------------------------------------------ PostgreSQL
    def _listen(self) -> None:
        conninfo = self.engine.url.set(drivername="postgresql").render_as_string(
            hide_password=False
        )
        while not self._stop.is_set():
            try:
                with psycopg.connect(conninfo, autocommit=True) as conn:
                    row = conn.execute("SELECT current_schema()").fetchone()
                    schema = row[0] if row else "public"
                    conn.execute(f"LISTEN {notify.CHANNEL}")
                    self._refresh(conn)  # what committed before LISTEN took effect
                    self.listening = True
                    self._wait(conn, schema)
            except (psycopg.Error, SQLAlchemyError) as error:
                LOG.warning("revision clock lost its connection (%s); retrying", error)
            finally:
                self.listening = False
            self._stop.wait(min(self.fallback_seconds, 1.0))

    def _wait(self, conn: psycopg.Connection[Any], schema: str) -> None:
        idle = 0.0
        while not self._stop.is_set():
            ours = False
            for note in conn.notifies(timeout=self.poll_seconds, stop_after=1):
                parsed = notify.parse_payload(note.payload)
                ours = ours or (parsed is not None and parsed[0] == schema)
            if ours:
                self.invalidate()  # readers read the database until the refresh below
                idle = 0.0
                self._refresh(conn)
                continue
            idle += self.poll_seconds
            if idle >= self.fallback_seconds:
                idle = 0.0
                self._refresh(conn)

    def _refresh(self, conn: psycopg.Connection[Any]) -> None:
        """Read the revision on the listener's own connection (not the app's pool)."""
        generation = self.generation
        row = conn.execute(
            "SELECT id, created_at FROM revision ORDER BY id DESC LIMIT 1"
        ).fetchone()  # the statement of repository.current_revision_stamp
        stamp = (int(row[0]), row[1].isoformat()) if row else (0, "")
        if stamp != self._known:
            self.invalidate()  # a lost notification: what readers hold is stale
            generation = self.generation
        self.learn(stamp, generation)


#: This process's id, kept: ``os.getpid()`` is a system call, and every request asked it.
_pid = os.getpid()


def _forked() -> None:
    global _pid  # noqa: PLW0603 - the process id, renewed in a forked child
    _pid = os.getpid()


os.register_at_fork(after_in_child=_forked)


def watch_commits(factory: sessionmaker[Session], clock: RevisionClock) -> None:
    """Invalidate ``clock`` when a session of ``factory`` commits a new revision row."""

    def after_flush(session: Session, _context: Any) -> None:
        if any(isinstance(obj, Revision) for obj in session.new):
            session.info["tokens_new_revision"] = True

    def after_commit(session: Session) -> None:
        if session.info.pop("tokens_new_revision", False):
            clock.invalidate()

    def after_rollback(session: Session) -> None:
        session.info.pop("tokens_new_revision", None)

    event.listen(factory, "after_flush", after_flush)
    event.listen(factory, "after_commit", after_commit)
    event.listen(factory, "after_soft_rollback", lambda s, _t: after_rollback(s))


def init_app(app: Flask, engine: Engine, factory: sessionmaker[Session]) -> RevisionClock:
    """Make the app's clock (``REVISION_FALLBACK_SECONDS``) and watch the app's commits."""
    clock = RevisionClock(
        engine, fallback_seconds=float(app.config.get("REVISION_FALLBACK_SECONDS", 1.0))
    )
    watch_commits(factory, clock)
    # The app's engine disposed of (tests, shutdown): the listener's connection goes too.
    event.listen(engine, "engine_disposed", lambda _engine: clock.stop(timeout=1.0))
    app.extensions[CLOCK_KEY] = clock
    return clock


def revision_clock(app: Flask) -> RevisionClock:
    """The app's clock (made by :func:`init_app`)."""
    clock: RevisionClock = app.extensions[CLOCK_KEY]
    return clock

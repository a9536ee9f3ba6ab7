"""Notice new revisions in the database and publish what they changed (one thread per process).

PostgreSQL: a dedicated connection runs ``LISTEN tokens_revision``
(:mod:`graphql_api.store.notify`);
every commit of a revision anywhere wakes it at once, and it also checks every
``fallback_seconds`` in case a notification was lost while it reconnected. SQLite has no
notifications: the revision (``max(revision.id)``, one indexed statement) is polled every
``poll_seconds``. Either way, :meth:`RevisionWatcher.check` reads the revisions since the
last one seen (with the paths the change log records for each) and publishes:

- one :class:`RevisionEvent` per revision on :data:`REVISIONS`;
- for each theme selection that has subscribers, one :class:`ThemeEvent` with the tokens
  whose resolved value changed since that topic's previous snapshot (resolved once per
  theme, however many subscribers share it).
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

import psycopg
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import sessionmaker

from ..dtcg.errors import DTCGErrorGroup
from ..store import notify, repository
from .changes import TokenChanges, diff_snapshots

if TYPE_CHECKING:
    from collections.abc import Hashable, Mapping
    from datetime import datetime

    from sqlalchemy import Engine
    from sqlalchemy.orm import Session

    from ..store.snapshots import Snapshot, SnapshotStore
    from .hub import Hub

LOG = logging.getLogger("graphql_api.live")

#: Topic of every new revision.
REVISIONS: Final = ("revisions",)


def theme_topic(selection: Mapping[str, str]) -> tuple[str, tuple[tuple[str, str], ...]]:
    """Topic of one normalised theme selection (modifier → context)."""
    return ("theme", tuple(sorted(selection.items())))


@dataclass(frozen=True, slots=True)
class RevisionEvent:
    """A committed write.

    Attributes:
        revision: its revision number.
        created_at: when it was written.
        author: the API key's name; '' for the command line.
        message: the write's message.
        changed_paths: the token paths it touched, sorted (renames: old and new path).
    """

    revision: int
    created_at: datetime
    author: str
    message: str
    changed_paths: tuple[str, ...]

    def as_json(self) -> dict[str, Any]:
        """The event as JSON (``/events``): camelCase keys, ISO 8601 time."""
        return {
            "revision": self.revision,
            "createdAt": self.created_at.isoformat(),
            "author": self.author,
            "message": self.message,
            "changedPaths": list(self.changed_paths),
        }


@dataclass(frozen=True, slots=True)
class ThemeEvent:
    """Tokens of one theme selection whose resolved value changed.

    Attributes:
        revision: the revision of ``snapshot``.
        snapshot: the theme resolved at that revision.
        changes: what differs from the topic's previous snapshot.
        error: set instead when the theme can no longer be resolved (its context was
            deleted…); the subscription ends with it.
    """

    revision: int
    snapshot: Snapshot | None
    changes: TokenChanges
    error: str | None = None


def event_of(row: repository.RevisionRow) -> RevisionEvent:
    """The event of a revision row."""
    return RevisionEvent(row.id, row.created_at, row.author, row.message, row.paths)


class RevisionWatcher:
    """Watches the revision of one database and publishes events to a hub.

    Args:
        engine: the app's engine (sessions come from it; PostgreSQL's LISTEN connection
            uses its URL).
        snapshots: the process's snapshot cache (themes resolved here serve requests too).
        hub: where events go.
        poll_seconds: SQLite's polling interval; on PostgreSQL, how often the listener
            wakes up to see whether it should stop.
        fallback_seconds: PostgreSQL: how often to check even without a notification.
    """

    def __init__(
        self,
        engine: Engine,
        snapshots: SnapshotStore,
        hub: Hub,
        *,
        poll_seconds: float = 0.1,
        fallback_seconds: float = 1.0,
    ) -> None:
        self.engine = engine
        self.sessions = sessionmaker(bind=engine, expire_on_commit=False)
        self.snapshots = snapshots
        self.hub = hub
        self.poll_seconds = poll_seconds
        self.fallback_seconds = fallback_seconds
        self.revision: int | None = None
        self.listening = False
        self._baselines: dict[Hashable, Snapshot] = {}
        self._lock = threading.RLock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    # ------------------------------------------------------------------ lifecycle
    def start(self) -> None:
        """Start watching in a daemon thread (from the revision current now)."""
        if self._thread is not None:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="revision-watcher", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        """Stop the thread and wait for it (up to ``timeout`` seconds)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def _run(self) -> None:
        if self.engine.dialect.name == "postgresql":
            self._listen()
        else:
            self._poll(self.poll_seconds)

    def _poll(self, interval: float) -> None:
        self._safe_check()
        while not self._stop.wait(interval):
            self._safe_check()

    def _listen(self) -> None:
        conninfo = self.engine.url.set(drivername="postgresql").render_as_string(
            hide_password=False
        )
        while not self._stop.is_set():
            try:
                with psycopg.connect(conninfo, autocommit=True) as conn:
                    schema = notify.listen(conn)
                    self.listening = True
                    self._safe_check()  # whatever committed before LISTEN took effect
                    self._wait_for_notifications(conn, schema)
            except psycopg.Error as error:
                LOG.warning("revision listener lost its connection (%s); retrying", error)
            finally:
                self.listening = False
            self._stop.wait(min(self.fallback_seconds, 1.0))

    def _wait_for_notifications(self, conn: psycopg.Connection[Any], schema: str) -> None:
        idle = 0.0
        while not self._stop.is_set():
            ours = False
            for note in conn.notifies(timeout=self.poll_seconds, stop_after=1):
                parsed = notify.parse_payload(note.payload)
                ours = parsed is not None and parsed[0] == schema
            if ours:
                idle = 0.0
                self._safe_check()
                continue
            idle += self.poll_seconds
            if idle >= self.fallback_seconds:
                idle = 0.0
                self._safe_check()

    def _safe_check(self) -> None:
        try:
            self.check()
        except (SQLAlchemyError, DTCGErrorGroup, RuntimeError) as error:
            LOG.warning("could not read new revisions (%s); will retry", error)

    # ------------------------------------------------------------------ work
    def check(self) -> int:
        """Publish every revision committed since the last check; the current revision.

        The first call only records where the watcher starts. A revision lower than the
        last one seen means the database was recreated: the watcher starts over from it.
        """
        with self._lock, self.sessions() as session:
            latest = repository.current_revision(session)
            if self.revision is None or latest < self.revision:
                self.revision = latest
                self._baselines.clear()
                return latest
            if latest == self.revision:
                return latest
            for row in repository.revisions_after(session, self.revision, latest):
                self.hub.publish(REVISIONS, event_of(row))
            self.revision = latest
            topics = set(self.hub.topics())
            for topic in [t for t in self._baselines if t not in topics]:
                del self._baselines[topic]  # nobody listens to it any more
            for topic in topics:
                if topic in self._baselines:
                    self._update_theme(session, topic)
            return latest

    def _update_theme(self, session: Session, topic: Hashable) -> None:
        previous = self._baselines[topic]
        try:
            snap = self.snapshots.get(session, dict(previous.selection))
        except DTCGErrorGroup as group:
            del self._baselines[topic]
            message = "; ".join(e.message for e in group.errors) or str(group)
            self.hub.publish(topic, ThemeEvent(self.revision or 0, None, TokenChanges(), message))
            return
        changes = diff_snapshots(previous.tokens, snap.tokens)
        self._baselines[topic] = snap
        if changes:
            self.hub.publish(topic, ThemeEvent(snap.revision, snap, changes))

    def baseline(self, selection: Mapping[str, str]) -> Snapshot:
        """The snapshot later :class:`ThemeEvent` of ``selection`` are diffed against.

        Resolved now if no subscriber of the theme had asked for it. Call it after
        subscribing to :func:`theme_topic` (so no revision falls between the two).

        Raises:
            DTCGErrorGroup: an unknown modifier or context.
        """
        topic = theme_topic(selection)
        with self._lock:
            snap = self._baselines.get(topic)
            if snap is None:
                with self.sessions() as session:
                    snap = self.snapshots.get(session, selection)
                self._baselines[topic] = snap
            return snap

    def events_after(self, revision: int, limit: int = 1000) -> list[RevisionEvent]:
        """Revisions after ``revision`` (at most ``limit``, oldest first), e.g. to catch up."""
        with self.sessions() as session:
            rows = repository.revisions_after(session, revision, limit=limit)
        return [event_of(r) for r in rows]

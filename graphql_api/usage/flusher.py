"""Writing recorded usage off the request path: a per-app store and one flusher thread.

:class:`UsageStore` ties a :class:`~.recorder.UsageRecorder` to the engine its counts are
written with. Its first recorded request registers it with the process's one flusher thread
(a daemon, started lazily), which writes every store's pending counts every
``interval`` seconds, earlier when a recorder is half full, and once more at exit
(``atexit``). A forked child (gunicorn workers) drops what it inherited and starts its own
thread at its first request. A failed write is logged, never raised: its rows are kept for
the next attempt, bounded by the recorder's ``max_pending`` (beyond that they are dropped
and counted in :attr:`UsageStore.lost`).

SQLAlchemy only, no Flask.
"""

from __future__ import annotations

import atexit
import logging
import os
import threading
import time
import weakref
from typing import TYPE_CHECKING, Final

from .recorder import ReplayMemo, merge_rows

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from sqlalchemy.engine import Engine
    from sqlalchemy.orm import Session

    from ..store.usage import UsageKey
    from .recorder import Observation, Reads, UsageRecorder

LOG: Final = logging.getLogger("graphql_api.usage")
#: Shortest interval between two scheduled flushes of one store (s).
MIN_INTERVAL: Final = 0.05
#: How long the thread sleeps when no store is registered (s); it is woken on registration.
IDLE_WAIT: Final = 60.0


class UsageStore:
    """A recorder and where and when its counts are written.

    Args:
        recorder: the in-memory counts.
        make_engine: makes the engine the counts are written with and reports read from (a
            pool of its own, so that usage never takes a connection of the requests' pool);
            called by the first :attr:`engine`, so that CLI commands do not import
            SQLAlchemy for it.
        interval: seconds between two scheduled writes.

    Attributes:
        memo: what cacheable requests read, replayed for response-cache hits and 304s.
        failures: writes that failed (their rows were kept for the next one).
        lost: rows dropped because the rows kept after failures were over ``max_pending``.
        written: rows written since the start.
        flushes: flushes that wrote rows; ``flush_cpu_seconds``: the CPU time they took in
            the flushing thread (drain and write, off the request path; for the benchmark).
    """

    def __init__(
        self, recorder: UsageRecorder, make_engine: Callable[[], Engine], *, interval: float
    ) -> None:
        self.recorder = recorder
        self.memo = ReplayMemo(recorder.max_pending)
        self._make_engine = make_engine
        self._engine: Engine | None = None
        self.interval = max(MIN_INTERVAL, float(interval))
        self.next_due = time.monotonic() + self.interval
        self.failures = 0
        self.lost = 0
        self.written = 0
        self.flushes = 0
        self.flush_cpu_seconds = 0.0
        self._flush_lock = threading.Lock()
        self._engine_lock = threading.Lock()
        self._retry: dict[UsageKey, int] = {}
        self._registered_pid: int | None = None
        recorder.on_pressure = _SCHEDULER.wake

    def record(self, observations: Iterable[Observation], client: str | None) -> None:
        """Count one request's reads (see :meth:`.UsageRecorder.record`); no SQL, no I/O.

        The first request recorded in a process starts the flusher thread.
        """
        if self.recorder.record(observations, client) and self._registered_pid != _pid:
            self.start()

    def record_reads(self, reads: Reads, client: str | None) -> None:
        """:meth:`record` of reads grouped by :func:`.recorder.group_reads` (a replay)."""
        if self.recorder.record_reads(reads, client) and self._registered_pid != _pid:
            self.start()

    def start(self) -> None:
        """Register with this process's flusher thread (started if needed)."""
        self._registered_pid = _pid
        _SCHEDULER.add(self)

    def flush(self) -> int:
        """Write everything pending now, in one transaction. Never raises.

        Returns:
            Rows written; 0 when there was nothing to write or the write failed (then the
            rows are kept for the next flush and the error is logged).
        """
        with self._flush_lock:
            started = time.thread_time()
            batch = self.recorder.drain()
            if self._retry:
                batch, lost = merge_rows(self._retry, batch, limit=self.recorder.max_pending)
                self._retry = {}
                self.lost += lost
            if self.recorder.dropped:
                LOG.warning(
                    "usage: %d requests were not counted (pending was full: raise "
                    "USAGE_MAX_PENDING or lower USAGE_FLUSH_SECONDS)",
                    self.recorder.dropped,
                )
                self.recorder.dropped = 0
            if not batch:
                return 0
            # Imported here: the ORM models would slow down every CLI command's start-up.
            from ..store.usage import write_batch  # noqa: PLC0415

            try:
                with self.session() as session:
                    written = write_batch(session, batch)
            except Exception as error:  # noqa: BLE001 - logged; requests must not see it
                self.failures += 1
                self._retry = batch
                # The error's class only: its text holds the SQL parameters (paths, clients).
                cause = getattr(error, "orig", None) or error
                LOG.warning(
                    "usage: writing %d rows failed (%s); kept for the next flush",
                    len(batch),
                    type(cause).__name__,
                )
                return 0
            self.written += written
            self.flushes += 1
            self.flush_cpu_seconds += time.thread_time() - started
            return written

    @property
    def engine(self) -> Engine:
        """The engine usage is written with and read from (made on first use)."""
        if self._engine is None:
            with self._engine_lock:  # not _flush_lock: a flush asks for the engine
                if self._engine is None:
                    self._engine = self._make_engine()
        return self._engine

    def session(self) -> Session:
        """A new session on the store's engine, for reports (the caller closes it)."""
        from sqlalchemy.orm import Session  # noqa: PLC0415 - the ORM: not at start-up (CLI)

        return Session(self.engine, expire_on_commit=False)

    def close(self) -> None:
        """Write what is pending and leave the flusher thread (a later record rejoins it)."""
        _SCHEDULER.remove(self)
        self._registered_pid = None
        self.flush()

    def after_fork(self) -> None:
        """In a forked child: forget the parent's pending counts, memo, locks, registration."""
        self.recorder.reset()
        self.memo.clear()
        self._flush_lock = threading.Lock()
        self._engine_lock = threading.Lock()
        self._retry = {}
        self._registered_pid = None


class _Scheduler:
    """The process's one flusher thread, serving every registered :class:`UsageStore`.

    Stores are held weakly: an app that is gone stops being flushed.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stores: weakref.WeakSet[UsageStore] = weakref.WeakSet()
        self._thread: threading.Thread | None = None

    def add(self, store: UsageStore) -> None:
        """Flush ``store`` every ``store.interval`` seconds from now on."""
        with self._lock:
            store.next_due = time.monotonic() + store.interval
            self._stores.add(store)
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._run, name="tokens-usage-flusher", daemon=True
                )
                self._thread.start()
        self._wake.set()

    def remove(self, store: UsageStore) -> None:
        """Stop flushing ``store`` on schedule."""
        with self._lock:
            self._stores.discard(store)

    def wake(self) -> None:
        """Look at the stores now (a recorder is half full)."""
        self._wake.set()

    def _due(self) -> float:
        """Flush the stores that are due or half full; seconds until the next is due."""
        with self._lock:
            stores = list(self._stores)
        for store in stores:
            now = time.monotonic()
            full = store.recorder.pending * 2 >= store.recorder.max_pending
            if store.next_due <= now or full:
                store.next_due = now + store.interval
                store.flush()
        now = time.monotonic()
        return min((s.next_due - now for s in stores), default=IDLE_WAIT)

    def _run(self) -> None:
        while True:
            self._wake.clear()
            try:
                wait = self._due()
            except Exception:  # pragma: no cover - flush never raises; belt and braces
                LOG.exception("usage: the flusher failed; it goes on")
                wait = IDLE_WAIT
            self._wake.wait(max(0.0, wait))

    def flush_all(self) -> None:
        """Write every registered store's pending counts (at exit)."""
        with self._lock:
            stores = list(self._stores)
        for store in stores:
            store.flush()

    def after_fork_in_child(self) -> None:
        """A forked child has no thread: forget the parent's stores and locks."""
        stores = list(self._stores)
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._thread = None
        self._stores = weakref.WeakSet()
        for store in stores:
            store.after_fork()


#: This process's id, kept: ``os.getpid()`` is a system call, and every request recorded
#: asked it (a cache hit's system calls cost it more than their own time on the VM).
_pid = os.getpid()


def _forked() -> None:
    global _pid  # noqa: PLW0603 - the process id, renewed in a forked child
    _pid = os.getpid()
    _SCHEDULER.after_fork_in_child()


_SCHEDULER: Final = _Scheduler()
atexit.register(_SCHEDULER.flush_all)
os.register_at_fork(after_in_child=_forked)

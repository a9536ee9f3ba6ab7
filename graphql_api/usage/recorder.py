"""Token usage counted in memory: which tokens a request asked for, per theme, client and day.

Pure: no Flask, no SQLAlchemy. A request hands :meth:`UsageRecorder.record` what it read as
*observations*, ``(theme key, paths)`` pairs; the recorder adds them to a pending dict under
one lock acquisition per request, and :meth:`UsageRecorder.drain` (run off the request path,
by the flusher) swaps that dict out and expands it into rows ``(day, path, theme, client) →
count``. The hot path does no per-token work: a request's paths are kept as one
:class:`PathSet` per theme (a component query's is the same every time, so it is one key
that only gets counted), and only the drain iterates over tokens.

Semantics of ``count``: the number of requests (GraphQL operations) that asked for the token
in that theme combination on that UTC day; a token asked for twice by one request counts
once. With sampling (``sample_rate`` < 1) a request is recorded with that probability and
weighted by ``1 / sample_rate``; the weighted sums are rounded to integers at the drain
(half up), so counts are estimates with that granularity.
"""

from __future__ import annotations

import calendar
import hashlib
import math
import random
import threading
import time
from collections import OrderedDict
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping, Sequence

    from ..store.usage import UsageKey

#: ``(theme key, paths)``: tokens one resolver read in one theme combination.
Observation = tuple[str, "Sequence[str]"]

UNKNOWN_CLIENT: Final = "(unknown)"
MAX_CLIENT_LENGTH: Final = 200
MAX_THEME_LENGTH: Final = 1000  # the column's length
DEFAULT_MAX_PENDING: Final = 200_000

_ESCAPES: Final = (("%", "%25"), (",", "%2C"), ("=", "%3D"), ("#", "%23"))


#: ``(start, end, day)``: the UTC day :func:`utc_today` last answered and its bounds in
#: seconds since the epoch (replaced whole, so threads read a consistent triple).
_DAY: tuple[float, float, date] = (0.0, 0.0, date.min)
_SECONDS_PER_DAY: Final = 86_400


def utc_today() -> date:
    """Today's date in UTC (usage days are UTC days).

    Every recorded request asks (cache hits too): the day is kept with its bounds, so
    within it the answer costs one ``time.time()``.
    """
    global _DAY  # noqa: PLW0603 - a memo replaced whole
    now = time.time()
    start, end, day = _DAY
    if start <= now < end:
        return day
    day = datetime.fromtimestamp(now, UTC).date()
    start = float(calendar.timegm(day.timetuple()))
    _DAY = (start, start + _SECONDS_PER_DAY, day)
    return day


def _escape(name: str) -> str:
    for char, code in _ESCAPES:
        name = name.replace(char, code)
    return name


def _unescape(text: str) -> str:
    for char, code in reversed(_ESCAPES):
        text = text.replace(code, char)
    return text


def theme_key(selection: Mapping[str, str]) -> str:
    """The canonical text of a theme combination.

    Args:
        selection: modifier → context, every modifier named (a snapshot's ``selection``).

    Returns:
        ``modifier=context`` pairs sorted by modifier and joined by ``,``, e.g.
        ``pointer=fine,theme=dark``; ``''`` without modifiers. ``%``, ``,``, ``=`` and ``#``
        inside names are written ``%25``, ``%2C``, ``%3D``, ``%23``. A key longer than 1,000
        characters (the column) is cut and ends with ``#`` and a SHA-256: it stays distinct
        but no longer parses.
    """
    key = ",".join(f"{_escape(m)}={_escape(c)}" for m, c in sorted(selection.items()))
    if len(key) > MAX_THEME_LENGTH:
        digest = hashlib.sha256(key.encode()).hexdigest()
        key = key[: MAX_THEME_LENGTH - len(digest) - 1] + "#" + digest
    return key


def parse_theme_key(key: str) -> dict[str, str] | None:
    """The selection a :func:`theme_key` text names.

    Returns:
        modifier → context (``{}`` for ``''``), or None when ``key`` is not such a text
        (a part without ``=``, or a cut key).
    """
    if not key:
        return {}
    if "#" in key:
        return None
    selection: dict[str, str] = {}
    for part in key.split(","):
        modifier, sep, context = part.partition("=")
        if not sep:
            return None
        selection[_unescape(modifier)] = _unescape(context)
    return selection


@lru_cache(maxsize=1024)
def normalise_client(name: str | None) -> str:
    """A client name as stored: printable characters, stripped, at most 200 characters.

    Memoised (a few names ask again and again; the memo is bounded).

    Returns:
        The cleaned name, or ``(unknown)`` when nothing is left.
    """
    if not name:
        return UNKNOWN_CLIENT
    if not name.isprintable():
        name = "".join(ch for ch in name if ch.isprintable())
    name = name.strip()[:MAX_CLIENT_LENGTH].strip()
    return name or UNKNOWN_CLIENT


class PathSet:
    """The paths one request read in one theme combination, hashed once.

    A pending key holds one; a response served again from a cache replays the same object,
    so counting it again costs a dict lookup, however many paths it holds.
    """

    __slots__ = ("_hash", "paths")

    def __init__(self, paths: tuple[str, ...]) -> None:
        self.paths = paths
        self._hash = hash(paths)

    def __hash__(self) -> int:
        return self._hash

    def __eq__(self, other: object) -> bool:
        return self is other or (
            isinstance(other, PathSet) and self._hash == other._hash and self.paths == other.paths
        )

    def __len__(self) -> int:
        return len(self.paths)

    def __repr__(self) -> str:
        return f"PathSet({self.paths!r})"


#: A request's reads grouped by theme combination: ``[(theme key, PathSet)]``.
Reads = list[tuple[str, PathSet]]


def group_reads(observations: Iterable[Observation]) -> Reads:
    """One :class:`PathSet` per theme combination, paths in reading order (not deduplicated).

    Args:
        observations: ``(theme key, paths)`` pairs, one per resolver that read tokens.

    Returns:
        ``[(theme key, PathSet)]`` in order of first appearance; empty paths are left out.
    """
    by_theme: dict[str, list[str]] = {}
    for theme, paths in observations:
        if paths:
            found = by_theme.get(theme)
            if found is None:
                by_theme[theme] = list(paths)
            else:
                found.extend(paths)
    return [(theme, PathSet(tuple(paths))) for theme, paths in by_theme.items()]


#: Distinct client names counted per UTC day and process; later new names count as this.
DEFAULT_MAX_CLIENTS = 100
OTHER_CLIENT = "(other)"


class UsageRecorder:
    """Thread-safe in-memory usage counts, waiting to be written (see the module docstring).

    Args:
        sample_rate: probability (0-1) that a request is recorded; recorded requests are
            weighted by ``1 / sample_rate``. 0 records nothing, 1 (default) everything.
        max_pending: bound on memory: the number of paths held in pending keys (a whole
            theme of 1,500 tokens holds 1,500). A request that would go beyond is dropped
            and counted in :attr:`dropped`; at half of it :attr:`on_pressure` is called so
            that the flusher writes early.
        rng: random source of the sampling (attribute ``rng``; seed it in tests).
        today: the current UTC day (attribute ``today``; a clock for tests).
        on_pressure: called (outside the lock) when the pending paths reach half of
            ``max_pending``; e.g. wakes the flusher.
        max_clients: distinct client names counted per UTC day (a client names itself in a
            header, so anyone could add a usage row per token read with a new name); the
            requests of further names count as :data:`OTHER_CLIENT`.
    """

    def __init__(
        self,
        *,
        sample_rate: float = 1.0,
        max_pending: int = DEFAULT_MAX_PENDING,
        rng: random.Random | None = None,
        today: Callable[[], date] = utc_today,
        on_pressure: Callable[[], None] | None = None,
        max_clients: int = DEFAULT_MAX_CLIENTS,
    ) -> None:
        self.sample_rate = min(1.0, max(0.0, float(sample_rate)))
        self.max_pending = max(1, int(max_pending))
        self.on_pressure = on_pressure
        self.dropped = 0  # requests dropped because pending was full
        self.rng = rng or random.Random()  # noqa: S311 - sampling, not security
        self.today = today
        self._lock = threading.Lock()
        self._pending: dict[tuple[date, str, str, PathSet], float] = {}
        self._held = 0  # paths held in the keys of _pending
        self.max_clients = max(1, int(max_clients))
        self._clients: tuple[date, set[str]] = (date.min, set())  # names seen on that day

    def sampled(self) -> bool:
        """Draw whether a request is recorded (always with rate 1, never with 0)."""
        rate = self.sample_rate
        return rate >= 1.0 or (rate > 0.0 and self.rng.random() < rate)

    def record(
        self, observations: Iterable[Observation], client: str | None, day: date | None = None
    ) -> bool:
        """Count what one request read (sampled; one lock acquisition).

        Args:
            observations: ``(theme key, paths)`` pairs, one per resolver that read tokens.
            client: the client's name, normalised by :func:`normalise_client`.
            day: the UTC day to count it on (default: today).

        Returns:
            Whether anything was added (False: not sampled, nothing read, or dropped).
        """
        if not self.sampled():
            return False
        return self._add(group_reads(observations), client, day)

    def record_reads(self, reads: Reads, client: str | None, day: date | None = None) -> bool:
        """:meth:`record` of reads already grouped by :func:`group_reads` (a replay)."""
        if not self.sampled():
            return False
        return self._add(reads, client, day)

    def _add(self, reads: Reads, client: str | None, day: date | None) -> bool:
        if not reads:
            return False
        weight = 1.0 / self.sample_rate
        when = day or self.today()
        name = normalise_client(client)
        added = False
        with self._lock:
            name = self._capped(name, when)
            pending = self._pending
            for theme, paths in reads:
                key = (when, theme, name, paths)
                count = pending.get(key)
                if count is not None:
                    pending[key] = count + weight
                    added = True
                elif self._held + len(paths) <= self.max_pending:
                    pending[key] = weight
                    self._held += len(paths)
                    added = True
                else:
                    self.dropped += 1
            pressure = self._held * 2 >= self.max_pending
        if pressure and self.on_pressure is not None:
            self.on_pressure()
        return added

    def _capped(self, name: str, when: date) -> str:
        """``name``, or :data:`OTHER_CLIENT` past ``max_clients`` names on ``when`` (locked)."""
        day, seen = self._clients
        if day != when:
            if when < day:  # a replay of an earlier day: not capped again
                return name
            seen = set()
            self._clients = (when, seen)
        if name in seen:
            return name
        if len(seen) >= self.max_clients:
            return OTHER_CLIENT
        seen.add(name)
        return name

    def record_paths(
        self, theme: str, paths: Iterable[str], client: str | None, day: date | None = None
    ) -> bool:
        """:meth:`record` of one observation: ``paths`` read in theme combination ``theme``."""
        return self.record([(theme, tuple(paths))], client, day)

    @property
    def pending(self) -> int:
        """Paths held in pending keys (what ``max_pending`` bounds)."""
        return self._held

    def drain(self) -> dict[UsageKey, int]:
        """Take every pending count out, as rows to write.

        Returns:
            ``(day, path, theme, client) → count``: the weighted request counts, rounded half
            up; keys whose count rounds to 0 are left out. Pending is empty afterwards.
        """
        with self._lock:
            pending, self._pending = self._pending, {}
            self._held = 0
        sums: dict[UsageKey, float] = {}
        for (day, theme, client, paths), weight in pending.items():
            for path in dict.fromkeys(paths.paths):
                key = (day, path, theme, client)
                sums[key] = sums.get(key, 0.0) + weight
        rows = {k: math.floor(v + 0.5) for k, v in sums.items()}
        return {k: v for k, v in rows.items() if v > 0}

    def reset(self) -> None:
        """Forget everything pending and make a new lock (a forked child starts afresh)."""
        self._lock = threading.Lock()
        self._pending = {}
        self._held = 0
        self.dropped = 0


def merge_rows(
    into: dict[UsageKey, int], rows: Mapping[UsageKey, int], *, limit: int
) -> tuple[dict[UsageKey, int], int]:
    """Add ``rows`` to ``into`` (in place), keeping at most ``limit`` distinct keys.

    Returns:
        ``(into, dropped)``: the merged rows and how many new keys did not fit.
    """
    dropped = 0
    for key, count in rows.items():
        if key in into:
            into[key] += count
        elif len(into) < limit:
            into[key] = count
        else:
            dropped += 1
    return into, dropped


class ReplayMemo:
    """What a cacheable request read, keyed like the response cache: (revision, request key).

    A response served from the response cache, or a ``304``, executes nothing, so its token
    reads are replayed from here. Thread-safe; an LRU bounded by the paths it holds. Entries
    of older revisions stay until evicted: a cached response carried to a newer revision
    carries its entry along (:meth:`carry`).
    """

    def __init__(self, max_paths: int = DEFAULT_MAX_PENDING) -> None:
        self.max_paths = max(0, max_paths)
        self._lock = threading.Lock()
        self._entries: OrderedDict[tuple[int, str], tuple[str | None, Reads]] = OrderedDict()
        self._paths = 0

    @staticmethod
    def _size(reads: Reads) -> int:
        return sum(len(paths) for _theme, paths in reads) + 1

    def put(self, revision: int, key: str, operation: str | None, reads: Reads) -> None:
        """Remember what the request ``key`` read at ``revision`` and its operation name."""
        size = self._size(reads)
        if size > self.max_paths:
            return
        with self._lock:
            previous = self._entries.pop((revision, key), None)
            if previous is not None:
                self._paths -= self._size(previous[1])
            self._entries[(revision, key)] = (operation, reads)
            self._paths += size
            while self._paths > self.max_paths:
                _, (_op, evicted) = self._entries.popitem(last=False)
                self._paths -= self._size(evicted)

    def carry(self, since: tuple[int, str], to: tuple[int, str]) -> None:
        """Remember for ``to`` (revision, key) what was remembered for ``since``, if anything."""
        entry = self.get(*since)
        if entry is not None:
            self.put(to[0], to[1], entry[0], entry[1])

    def get(self, revision: int, key: str) -> tuple[str | None, Reads] | None:
        """(operation name, grouped reads) of a request seen at ``revision``, or None."""
        with self._lock:
            entry = self._entries.get((revision, key))
            if entry is not None:
                self._entries.move_to_end((revision, key))
            return entry

    def __len__(self) -> int:
        return len(self._entries)

    def clear(self) -> None:
        """Forget everything (a forked child starts afresh)."""
        self._lock = threading.Lock()
        self._entries = OrderedDict()
        self._paths = 0

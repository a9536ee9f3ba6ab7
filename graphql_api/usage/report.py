"""Usage reports from stored rows: per path, per client, per day, per theme. Pure.

Counts are requests (GraphQL operations) that asked for a token, per UTC day (see
:mod:`.recorder` for sampling). The functions here only aggregate rows read by
:mod:`graphql_api.store.usage`; the GraphQL layer and the command line present them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from .recorder import parse_theme_key

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping
    from datetime import date

    from ..store.usage import DailyRow


@dataclass(frozen=True, slots=True)
class ClientCount:
    """A client's requests for a token, and the last UTC day it made one."""

    client: str
    count: int
    last_seen: date


@dataclass(frozen=True, slots=True)
class DayCount:
    """One client's requests for a token on one UTC day (all themes together)."""

    day: date
    client: str
    count: int


@dataclass(frozen=True, slots=True)
class ThemeCount:
    """Requests for a token in one theme combination (canonical key, see ``theme_key``)."""

    theme: str
    count: int


@dataclass(frozen=True, slots=True)
class PathUsage:
    """Everything recorded for one path in a date range.

    Attributes:
        path: the token path asked about.
        total: requests in the range.
        first_seen, last_seen: first and last UTC day with a request (None: none).
        clients: per client, by count descending (then name).
        days: per day and client, by day (then client).
        themes: per theme combination, by count descending (then key).
    """

    path: str
    total: int
    first_seen: date | None
    last_seen: date | None
    clients: list[ClientCount]
    days: list[DayCount]
    themes: list[ThemeCount]


@dataclass(frozen=True, slots=True)
class DeprecatedUse:
    """A deprecated token still requested, with the clients requesting it.

    Attributes:
        path: the token path.
        reason: the ``$deprecated`` reason (None: plain ``true``), from the theme
            combination with the most requests.
        total: requests in combinations where it is deprecated.
        last_seen: the last UTC day with such a request.
        clients: per client, by count descending.
        themes: per theme combination, by count descending.
    """

    path: str
    reason: str | None
    total: int
    last_seen: date
    clients: list[ClientCount]
    themes: list[ThemeCount]


def _clients(rows: Iterable[DailyRow]) -> list[ClientCount]:
    counts: dict[str, int] = {}
    last: dict[str, date] = {}
    for r in rows:
        counts[r.client] = counts.get(r.client, 0) + r.count
        if r.client not in last or r.day > last[r.client]:
            last[r.client] = r.day
    return sorted(
        (ClientCount(c, n, last[c]) for c, n in counts.items()), key=lambda c: (-c.count, c.client)
    )


def _themes(rows: Iterable[DailyRow]) -> list[ThemeCount]:
    counts: dict[str, int] = {}
    for r in rows:
        counts[r.theme] = counts.get(r.theme, 0) + r.count
    return sorted((ThemeCount(t, n) for t, n in counts.items()), key=lambda t: (-t.count, t.theme))


def summarise(path: str, rows: Iterable[DailyRow]) -> PathUsage:
    """The report of one path from its rows (any order; rows of other paths are ignored)."""
    mine = [r for r in rows if r.path == path]
    days: dict[tuple[date, str], int] = {}
    for r in mine:
        days[(r.day, r.client)] = days.get((r.day, r.client), 0) + r.count
    seen = [r.day for r in mine]
    return PathUsage(
        path=path,
        total=sum(r.count for r in mine),
        first_seen=min(seen, default=None),
        last_seen=max(seen, default=None),
        clients=_clients(mine),
        days=[DayCount(d, c, n) for (d, c), n in sorted(days.items())],
        themes=_themes(mine),
    )


def deprecated_uses(
    rows: Iterable[DailyRow], reasons: Mapping[tuple[str, str], str | None]
) -> list[DeprecatedUse]:
    """Group the rows of deprecated (theme, path) pairs by path.

    Args:
        rows: rows whose ``(theme, path)`` is deprecated (others should be filtered out).
        reasons: ``(theme, path) → reason`` (None for plain ``true``).

    Returns:
        One entry per path, by total descending, then path.
    """
    by_path: dict[str, list[DailyRow]] = {}
    for r in rows:
        by_path.setdefault(r.path, []).append(r)
    out = []
    for path, mine in by_path.items():
        themes = _themes(mine)
        out.append(
            DeprecatedUse(
                path=path,
                reason=reasons.get((themes[0].theme, path)),
                total=sum(r.count for r in mine),
                last_seen=max(r.day for r in mine),
                clients=_clients(mine),
                themes=themes,
            )
        )
    return sorted(out, key=lambda d: (-d.total, d.path))


class _SnapshotLike(Protocol):
    """What :func:`deprecation_lookup` needs of a snapshot: ``tokens[path].deprecated``."""

    @property
    def tokens(self) -> Mapping[str, Any]: ...  # pragma: no cover - a protocol


def deprecation_lookup(
    snapshot: Callable[[dict[str, str]], _SnapshotLike | None],
) -> Callable[[str, str], bool | str | None]:
    """``(theme key, path) → $deprecated`` over snapshots of the current data.

    Args:
        snapshot: selection → the resolved snapshot of that theme combination, or None when
            the combination no longer exists (a context was removed or renamed).

    Returns:
        A function giving the token's effective ``$deprecated`` in that combination, or None
        when the key does not parse, the combination or the token is gone. Snapshots are
        fetched once per theme key.
    """
    snaps: dict[str, _SnapshotLike | None] = {}

    def lookup(theme: str, path: str) -> bool | str | None:
        if theme not in snaps:
            selection = parse_theme_key(theme)
            snaps[theme] = None if selection is None else snapshot(selection)
        snap = snaps[theme]
        tok = snap.tokens.get(path) if snap is not None else None
        dep: bool | str | None = getattr(tok, "deprecated", None)
        return dep

    return lookup

"""Running totals of each theme selection's resolved size, per database and revision.

``limits.MAX_RESOLVED_SIZE`` bounds a theme's total resolved size (Format module §7
sizes, :mod:`graphql_api.dtcg.references`). A write that makes some tokens' resolved
values larger must know the old total; resolving the whole theme to learn it costs what
the incremental check saves, so the total is kept here once known and carried to the
write's new revision as old total plus the write's delta. Process memory only: another
process's write makes an entry unreachable (its revision is not the current one), and
the total is resolved again when next needed.
"""

from __future__ import annotations

from collections import OrderedDict
from threading import Lock

#: Entries kept (the oldest go first).
MAX_ENTRIES = 4096

SelectionKey = tuple[tuple[str, str], ...]

_totals: OrderedDict[tuple[str, int, SelectionKey], int] = OrderedDict()
_lock = Lock()


def key_of(selection: dict[str, str]) -> SelectionKey:
    """A hashable key for a theme selection (modifier → context)."""
    return tuple(sorted(selection.items()))


def get(database: str, revision: int, selection: SelectionKey) -> int | None:
    """The total resolved size of ``selection`` at ``revision``, if known."""
    with _lock:
        return _totals.get((database, revision, selection))


def put(database: str, revision: int, selection: SelectionKey, total: int) -> None:
    """Remember a total (a selection at a revision never changes)."""
    with _lock:
        _totals[(database, revision, selection)] = total
        _totals.move_to_end((database, revision, selection))
        while len(_totals) > MAX_ENTRIES:
            _totals.popitem(last=False)


def clear() -> None:
    """Forget every total (tests)."""
    with _lock:
        _totals.clear()

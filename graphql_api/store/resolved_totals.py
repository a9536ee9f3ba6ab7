"""Running totals per database and revision: each theme's resolved size, each layer's tokens.

``limits.MAX_RESOLVED_SIZE`` bounds a theme's total resolved size (Format module §7
sizes, :mod:`graphql_api.dtcg.references`). A write that makes some tokens' resolved
values larger must know the old total; resolving the whole theme to learn it costs what
the incremental check saves, so the total is kept here once known and carried to the
write's new revision as old total plus the write's delta. Process memory only: another
process's write makes an entry unreachable (its revision is not the current one), and
the total is resolved again when next needed.

The tokens stored per layer are kept the same way, for ``limits.MAX_RESOLUTIONS``
(:func:`layer_counts`): counted once (one statement over every stored value), then carried
by each write.
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


def carry(database: str, revision: int, new_revision: int) -> None:
    """Keep every total and layer count of ``revision`` for ``new_revision``.

    For a revision that changed no token (a release): its themes are those of
    ``revision``. Linear in the entries kept (at most :data:`MAX_ENTRIES`).
    """
    with _lock:
        same = [
            (key[2], total) for key, total in _totals.items() if key[:2] == (database, revision)
        ]
        counts = _layer_counts.get((database, revision))
    for selection, total in same:
        put(database, new_revision, selection, total)
    if counts is not None:
        put_layer_counts(database, new_revision, counts)


#: Layer → tokens stored in it: ``("set" | "theme", id)`` → count (absent: 0).
LayerCounts = dict[tuple[str, int], int]

_layer_counts: OrderedDict[tuple[str, int], LayerCounts] = OrderedDict()
#: Revisions whose layer counts are kept (the oldest go first).
MAX_LAYER_COUNTS = 64


def layer_counts(database: str, revision: int) -> LayerCounts | None:
    """The tokens stored per layer at ``revision``, if known (do not modify the result)."""
    with _lock:
        return _layer_counts.get((database, revision))


def put_layer_counts(database: str, revision: int, counts: LayerCounts) -> None:
    """Remember the tokens stored per layer at ``revision``."""
    with _lock:
        _layer_counts[(database, revision)] = counts
        _layer_counts.move_to_end((database, revision))
        while len(_layer_counts) > MAX_LAYER_COUNTS:
            _layer_counts.popitem(last=False)


def clear() -> None:
    """Forget every total (tests)."""
    with _lock:
        _totals.clear()
        _layer_counts.clear()

"""A diff over every theme combination: each change with the combinations it appears in.

:func:`diff_combinations` runs :func:`.diff.diff_tokens` once per theme combination (the
resolved tokens of both sides in that combination, DTCG Resolver module §4.2) and merges the
results: one :class:`ThemedChange` per distinct change (same kind, path, previous path and
before/after values), listing the combinations where it appears, in the order given. A
token changed the same way in ``light`` and ``dark`` is one change with two combinations; a
token changed differently in each is two changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .diff import CHANGE_KINDS, TokenChange, diff_tokens, representation_changes
from .paths import path_key

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from .references import ResolvedToken

__all__ = ["CombinedDiff", "ThemedChange", "diff_combinations"]

#: One theme combination: modifier → context.
Selection = dict[str, str]


@dataclass(frozen=True, slots=True)
class ThemedChange:
    """A change and every combination it appears in.

    Attributes:
        change: the change (as :func:`.diff.diff_tokens` gives it).
        themes: the combinations where it appears, in the order they were compared.
    """

    change: TokenChange
    themes: tuple[Selection, ...]


@dataclass(frozen=True, slots=True)
class CombinedDiff:
    """The merged result of :func:`diff_combinations`.

    Attributes:
        changes: by path (natural order), then kind.
        representation_changed: paths whose value is written differently, with the same
            value, in at least one combination (natural order).
    """

    changes: list[ThemedChange]
    representation_changed: list[str]


def _freeze(value: Any) -> Any:
    if isinstance(value, dict):
        return tuple(sorted((k, _freeze(v)) for k, v in value.items()))
    if isinstance(value, list | tuple):
        return tuple(_freeze(v) for v in value)
    return value


def _identity(c: TokenChange) -> tuple[Any, ...]:
    return (c.kind, c.path, c.previous_path, _freeze(c.before), _freeze(c.after))


def diff_combinations(
    sides: Iterable[tuple[Selection, Mapping[str, ResolvedToken], Mapping[str, ResolvedToken]]],
    *,
    renames: Mapping[str, str] | None = None,
) -> CombinedDiff:
    """Diff each combination's two sides and merge equal changes.

    Args:
        sides: ``(selection, before, after)`` per combination; ``before``/``after`` are
            ``{path: ResolvedToken}`` of the two sides resolved in that combination.
        renames: explicit renames, as for :func:`.diff.diff_tokens`.

    Returns:
        The merged changes, each with its combinations, and the paths only written
        differently.
    """
    merged: dict[tuple[Any, ...], tuple[TokenChange, list[Selection]]] = {}
    written: set[str] = set()
    # Combinations whose sides are the very same mappings (a modifier whose contexts
    # change no token) are diffed once; the mappings are kept so their ids stay theirs.
    seen: dict[tuple[int, int], tuple[list[TokenChange], Any, Any]] = {}
    for selection, before, after in sides:
        key = (id(before), id(after))
        found = seen.get(key)
        if found is None:
            found = seen[key] = (diff_tokens(before, after, renames=renames), before, after)
            written.update(representation_changes(before, after))
        for change in found[0]:
            merged.setdefault(_identity(change), (change, []))[1].append(dict(selection))
    changes = [ThemedChange(c, tuple(themes)) for c, themes in merged.values()]
    changes.sort(key=lambda t: (path_key(t.change.path), CHANGE_KINDS.index(t.change.kind)))
    return CombinedDiff(changes, sorted(written, key=path_key))

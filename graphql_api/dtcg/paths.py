"""Token paths for people: the order they are listed in, and close paths for a typo (pure).

Natural order (:func:`path_key`, :func:`sort_paths`): paths compare segment by segment (a
group's tokens stay together); within a segment, runs of ASCII digits compare as numbers and
the rest as text, so ``size.2 < size.12 < size.16 < size.112 < size.128`` and ``space.x2 <
space.x10``. Paths equal that way (``size.01`` and ``size.1``) fall back to plain text order,
so the order is total and stable: the same set of paths always comes out in the same order,
whatever order it went in.

Close paths (:func:`close_paths`): up to three known paths that look like an unknown one,
by :mod:`difflib`'s similarity ratio, for "did you mean `fgColor.default`?" answers.
"""

from __future__ import annotations

import difflib
import functools
import re
from typing import TYPE_CHECKING, TypeAlias

if TYPE_CHECKING:
    from collections.abc import Iterable

__all__ = ["MAX_SUGGESTIONS", "close_paths", "path_key", "sort_paths"]

#: Most close paths suggested for an unknown one.
MAX_SUGGESTIONS = 3
#: Paths longer than this get no suggestion (difflib's work grows with the length squared).
MAX_SUGGESTED_LENGTH = 256
#: difflib similarity (0-1) a known path needs to be suggested.
CUTOFF = 0.6

_DIGITS = re.compile(r"([0-9]+)")

#: One run of a segment: (0, number) for digits, (1, text) for the rest; numbers first.
_Run: TypeAlias = tuple[int, int | str]


def _segment_key(segment: str) -> tuple[_Run, ...]:
    runs = _DIGITS.split(segment)
    return tuple(
        (0, int(run)) if i % 2 else (1, run) for i, run in enumerate(runs) if run or i == 0
    )


#: Paths whose sort key is kept (:func:`path_key`): a few large systems' worth.
PATH_KEYS_KEPT = 1 << 16


@functools.lru_cache(maxsize=PATH_KEYS_KEPT)
def path_key(path: str) -> tuple[tuple[tuple[_Run, ...], ...], str]:
    """Sort key of a dotted token path in natural order (see the module docstring).

    Memoised (the last :data:`PATH_KEYS_KEPT` paths): sorted inserts and membership
    tests by bisection ask for the same paths' keys again and again.

    Args:
        path: a dotted path, e.g. ``"base.size.112"``.

    Returns:
        A key: comparing two keys compares the paths in natural order.
    """
    return tuple(_segment_key(s) for s in path.split(".")), path


def sort_paths(paths: Iterable[str]) -> list[str]:
    """``paths`` in natural order (a new list)."""
    return sorted(paths, key=path_key)


def close_paths(path: str, known: Iterable[str], n: int = MAX_SUGGESTIONS) -> list[str]:
    """Up to ``n`` paths of ``known`` that look like ``path``, closest first.

    Uses :func:`difflib.get_close_matches` (similarity ratio at least :data:`CUTOFF`); a
    known path with the same segments in another letter case comes first.

    Args:
        path: the unknown dotted path, as the client wrote it.
        known: every path that exists.
        n: the most paths returned.

    Returns:
        Close paths, best first, never ``path`` itself; empty when none is close or ``path``
        is longer than :data:`MAX_SUGGESTED_LENGTH` characters.
    """
    if not path or len(path) > MAX_SUGGESTED_LENGTH:
        return []
    candidates = [p for p in known if len(p) <= MAX_SUGGESTED_LENGTH and p != path]
    folded = path.casefold()
    same_case = [p for p in candidates if p.casefold() == folded]
    close = difflib.get_close_matches(path, candidates, n=n + len(same_case), cutoff=CUTOFF)
    return list(dict.fromkeys([*same_case, *close]))[:n]

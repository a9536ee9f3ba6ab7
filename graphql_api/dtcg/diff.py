"""Differences between two resolved token sets, and the semantic version bump they call for.

:func:`diff_tokens` compares two ``{path: ResolvedToken}`` mappings (the output of
:func:`~graphql_api.dtcg.references.resolve` for one theme selection, before and
after an edit) path by path:

* a path only in ``before`` is ``removed``, only in ``after`` ``added``;
* in both: a different effective type is ``type_changed`` (and then no
  ``value_changed``), else a different resolved value is ``value_changed``: values are
  compared after normalisation (:mod:`.sameness`), so the same colour, dimension or
  duration written differently is not a change (:func:`representation_changes` lists
  those); going from not deprecated (None/False) to deprecated (True
  or a reason) is ``deprecated``, the reverse ``undeprecated``. A token may have
  several changes.

Renames: an explicit ``old → new`` map (the server's change log) pairs a removed
path with an added one into one ``renamed`` change, plus any type, value or
deprecation change between the two (``previous_path`` set on all of them). Then
a remaining removed and added path pair up heuristically when they have the same
effective type, raw ``$value`` and resolved value, and each is the other's only
candidate, or, among several, the only one with the same last path segment.

:func:`semver_bump` follows the common design-token release practice: removing,
renaming or retyping a token breaks consumers (major); additions and
deprecations are features (minor); value changes are fixes (patch).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .paths import path_key
from .sameness import same_value

if TYPE_CHECKING:
    from .references import ResolvedToken

__all__ = [
    "BUMPS",
    "CHANGE_KINDS",
    "TokenChange",
    "bump_version",
    "diff_tokens",
    "representation_changes",
    "semver_bump",
]

#: Change kinds, in the order changes of one path are listed.
CHANGE_KINDS = (
    "added",
    "removed",
    "renamed",
    "value_changed",
    "type_changed",
    "deprecated",
    "undeprecated",
)
#: Version bumps, weakest first.
BUMPS = ("none", "patch", "minor", "major")
_BUMP_OF = {
    "removed": "major",
    "renamed": "major",
    "type_changed": "major",
    "added": "minor",
    "deprecated": "minor",
    "undeprecated": "minor",
    "value_changed": "patch",
}
_VERSION = re.compile(r"(v?)(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)")


@dataclass(frozen=True, slots=True)
class TokenChange:
    """One change of one token between two resolved token sets.

    Attributes:
        kind: one of :data:`CHANGE_KINDS`.
        path: the token's path in ``after`` (for ``removed``: its path in ``before``).
        previous_path: for ``renamed``, and for the type/value/deprecation changes of a
            renamed token, its path in ``before``; else None.
        before: ``value_changed``: the resolved value before; ``type_changed``: the type
            before; ``deprecated``/``undeprecated``: ``$deprecated`` before; ``removed``:
            the resolved value before; else None.
        after: the same, after; ``added``: the resolved value; ``removed``/``renamed``: None.
    """

    kind: str
    path: str
    previous_path: str | None = None
    before: Any = None
    after: Any = None


def _is_deprecated(value: bool | str | None) -> bool:
    return value is not None and value is not False


def _compare(
    old: ResolvedToken, new: ResolvedToken, path: str, prev: str | None
) -> list[TokenChange]:
    """Type, value and deprecation changes between two versions of one token."""
    out: list[TokenChange] = []
    if old.type != new.type:
        out.append(TokenChange("type_changed", path, prev, old.type, new.type))
    elif not same_value(new.type, old.value, new.value):
        out.append(TokenChange("value_changed", path, prev, old.value, new.value))
    was, now = _is_deprecated(old.deprecated), _is_deprecated(new.deprecated)
    if was != now:
        kind = "deprecated" if now else "undeprecated"
        out.append(TokenChange(kind, path, prev, old.deprecated, new.deprecated))
    return out


def _freeze(value: Any) -> Any:
    """A hashable form of JSON data, equal (and hashing equal) exactly when the data is."""
    if isinstance(value, Mapping):
        return frozenset((k, _freeze(v)) for k, v in value.items())
    if isinstance(value, list | tuple):
        return tuple(_freeze(v) for v in value)
    return value


def _collapse(renames: Mapping[str, str]) -> dict[str, str]:
    """Follow chained renames (``a→b``, ``b→c`` gives ``a→c``), stopping on a loop."""
    out: dict[str, str] = {}
    for old, first in renames.items():
        new, seen = first, {old}
        while new in renames and new not in seen:
            seen.add(new)
            new = renames[new]
        out[old] = new
    return out


def _pick(path: str, candidates: list[str]) -> str | None:
    """The only candidate, else the only one with the same last segment as ``path``."""
    if len(candidates) == 1:
        return candidates[0]
    name = path.rsplit(".", 1)[-1]
    same = [c for c in candidates if c.rsplit(".", 1)[-1] == name]
    return same[0] if len(same) == 1 else None


def _guess_renames(
    before: Mapping[str, ResolvedToken],
    after: Mapping[str, ResolvedToken],
    removed: set[str],
    added: set[str],
) -> dict[str, str]:
    """Removed → added pairs with the same type, raw and resolved value, chosen both ways."""

    def key(t: ResolvedToken) -> Any:
        return (t.type, _freeze(t.node.value), _freeze(t.value))

    by_key: dict[Any, tuple[list[str], list[str]]] = {}
    for p in sorted(removed):
        by_key.setdefault(key(before[p]), ([], []))[0].append(p)
    for p in sorted(added):
        if (k := key(after[p])) in by_key:
            by_key[k][1].append(p)
    pairs: dict[str, str] = {}
    for olds, news in by_key.values():
        for old in olds:
            new = _pick(old, news)
            if new is not None and _pick(new, olds) == old:
                pairs[old] = new
    return pairs


def diff_tokens(
    before: Mapping[str, ResolvedToken],
    after: Mapping[str, ResolvedToken],
    *,
    renames: Mapping[str, str] | None = None,
) -> list[TokenChange]:
    """Every change from ``before`` to ``after`` (see the module docstring for the rules).

    Args:
        before: ``{path: ResolvedToken}`` of the earlier version.
        after: ``{path: ResolvedToken}`` of the later version.
        renames: explicit ``{old path: new path}`` renames. Chains (``a→b``, ``b→c``)
            are collapsed here to ``a→c``; an entry is used only when ``old`` is only in
            ``before`` and ``new`` only in ``after``, and each new path once (the first
            old path in sorted order wins). Unused entries are ignored.

    Returns:
        :class:`TokenChange` items by path in natural order (:func:`.paths.path_key`), then
        kind in :data:`CHANGE_KINDS` order. A renamed token gives one ``renamed`` change
        (never ``removed`` + ``added``) plus its type/value/deprecation changes, all with
        ``previous_path`` set.
    """
    removed = {p for p in before if p not in after}
    added = {p for p in after if p not in before}
    changes: list[TokenChange] = []
    for p in before.keys() & after.keys():
        changes += _compare(before[p], after[p], p, None)
    pairs: dict[str, str] = {}
    for old, new in sorted(_collapse(renames or {}).items()):
        if old in removed and new in added:
            pairs[old] = new
            removed.discard(old)
            added.discard(new)
    pairs.update(guessed := _guess_renames(before, after, removed, added))
    removed -= guessed.keys()
    added -= set(guessed.values())
    for old, new in pairs.items():
        changes.append(TokenChange("renamed", new, old))
        changes += _compare(before[old], after[new], new, old)
    changes += [TokenChange("removed", p, before=before[p].value) for p in removed]
    changes += [TokenChange("added", p, after=after[p].value) for p in added]
    changes.sort(key=lambda c: (path_key(c.path), CHANGE_KINDS.index(c.kind)))
    return changes


def representation_changes(
    before: Mapping[str, ResolvedToken], after: Mapping[str, ResolvedToken]
) -> list[str]:
    """Paths in both whose resolved value is written differently but is the same value.

    Same effective type, resolved values unequal as JSON, equal after normalisation
    (:func:`.sameness.same_value`); in natural path order.
    """
    return sorted(
        (
            p
            for p in before.keys() & after.keys()
            if before[p].type == after[p].type
            and before[p].value != after[p].value
            and same_value(after[p].type, before[p].value, after[p].value)
        ),
        key=path_key,
    )


def semver_bump(changes: Iterable[TokenChange]) -> str:
    """The version bump a list of changes calls for: one of :data:`BUMPS`.

    ``removed``, ``renamed``, ``type_changed`` → ``"major"``; ``added``, ``deprecated``,
    ``undeprecated`` → ``"minor"``; ``value_changed`` → ``"patch"``; no change →
    ``"none"``. The highest wins.

    Raises:
        KeyError: a change's kind is not one of :data:`CHANGE_KINDS`.
    """
    return max((_BUMP_OF[c.kind] for c in changes), key=BUMPS.index, default="none")


def bump_version(version: str, bump: str) -> str | None:
    """``version`` bumped by ``bump`` (one of :data:`BUMPS`).

    ``"1.2.3"`` + ``"patch"`` → ``"1.2.4"``, ``"minor"`` → ``"1.3.0"``, ``"major"`` →
    ``"2.0.0"``, ``"none"`` → unchanged. A leading ``"v"`` is kept.

    Returns:
        The new version, or None when ``version`` is not ``MAJOR.MINOR.PATCH`` (decimal
        numbers without leading zeros, optional ``v``; no pre-release or build part).

    Raises:
        ValueError: ``bump`` is not one of :data:`BUMPS`.
    """
    if bump not in BUMPS:
        raise ValueError(f"unknown bump {bump!r}; expected one of {', '.join(BUMPS)}")
    m = _VERSION.fullmatch(version)
    if m is None:
        return None
    v, major, minor, patch = m.group(1), int(m.group(2)), int(m.group(3)), int(m.group(4))
    if bump == "major":
        major, minor, patch = major + 1, 0, 0
    elif bump == "minor":
        minor, patch = minor + 1, 0
    elif bump == "patch":
        patch += 1
    return f"{v}{major}.{minor}.{patch}"

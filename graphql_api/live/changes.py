"""Which tokens of one theme changed between two resolved snapshots (pure; no I/O).

A token *changed* when its resolved value or its effective ``$type`` differs (DTCG Format
§5 token, Resolver module §4.2 resolution), or when it is new; it is *removed* when the newer
snapshot no longer has it. Edits that leave every resolved value as it was (a description,
an alias retargeted to an equal value) change nothing here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..dtcg.paths import sort_paths

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from ..dtcg.references import ResolvedToken


@dataclass(frozen=True, slots=True)
class TokenChanges:
    """Paths of one theme whose resolved tokens differ between two snapshots.

    Attributes:
        changed: new paths and paths whose resolved value or type differ, in natural
            order (:func:`~graphql_api.dtcg.paths.path_key`).
        removed: paths the older snapshot had and the newer one has not, in natural order.
    """

    changed: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.changed or self.removed)

    def under(self, prefix: str | None) -> TokenChanges:
        """Only the paths at or below ``prefix`` (segment-wise: ``color`` is not ``colorful``)."""
        if not prefix:
            return self
        return TokenChanges(
            tuple(p for p in self.changed if path_under(p, prefix)),
            tuple(p for p in self.removed if path_under(p, prefix)),
        )


def path_under(path: str, prefix: str) -> bool:
    """Whether dotted ``path`` is ``prefix`` or inside the group ``prefix`` names."""
    prefix = prefix.rstrip(".")
    return path == prefix or path.startswith(prefix + ".")


def diff_snapshots(
    old: Mapping[str, ResolvedToken], new: Mapping[str, ResolvedToken]
) -> TokenChanges:
    """The tokens that differ from ``old`` to ``new`` (path → resolved token mappings)."""
    changed: list[str] = []
    for path, tok in new.items():
        before = old.get(path)
        if before is None or before.type != tok.type or before.value != tok.value:
            changed.append(path)
    removed = [path for path in old if path not in new]
    return TokenChanges(tuple(sort_paths(changed)), tuple(sort_paths(removed)))


def replay_changes(
    tokens: Mapping[str, ResolvedToken],
    referenced_by: Mapping[str, Iterable[str]],
    touched: Iterable[str],
) -> TokenChanges:
    """What writes that touched ``touched`` may have changed in one theme, now resolved.

    For a client that read at an older revision and subscribes ``since`` it: ``changed``
    holds every touched path the theme still has and every token whose value derives from
    one (references followed transitively, and copies made by a group's ``$extends``,
    Format §6.4); ``removed`` the touched paths it no longer has. A path written and written
    back is listed too: the client reads it again and loses nothing.

    Args:
        tokens: path → resolved token of the theme at the newer revision.
        referenced_by: path → paths whose value references it (the snapshot's index).
        touched: the paths the writes after the client's revision touched (change log).
    """
    copies: dict[str, list[str]] = {}
    for path, tok in tokens.items():
        if tok.node.extended_from is not None:
            copies.setdefault(tok.node.extended_from, []).append(path)
    wanted = set(touched)
    todo = [p for p in wanted if p in tokens]
    changed = set(todo)
    while todo:
        current = todo.pop()
        for nxt in (*referenced_by.get(current, ()), *copies.get(current, ())):
            if nxt not in changed:
                changed.add(nxt)
                todo.append(nxt)
    removed = [p for p in wanted if p not in tokens]
    return TokenChanges(tuple(sort_paths(changed)), tuple(sort_paths(removed)))

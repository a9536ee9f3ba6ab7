"""Snapshots carried forward: a new revision or another theme from a cached snapshot.

When a revision lands, a cached snapshot of a theme selection is brought to it from the
change log (:func:`graphql_api.store.repository.changes_between`): the rows whose layer
is one of the selection's name the paths that changed; their new flattened nodes are
read (one statement for those paths, one for the layers' groups) and only they and the
tokens that reach them are re-resolved (:func:`graphql_api.dtcg.incremental.reresolve`).
A selection none of whose layers changed keeps its tokens, re-keyed. The same machinery
moves between theme combinations of one revision (:func:`across`): the tokens of the
layers that differ are the changed ones. Whenever that cannot be exact (the structure
of sets and modifiers changed, groups changed, ``$extends`` is used, too many changes, a
problem in the new state) the caller resolves the selection from scratch.
"""

from __future__ import annotations

import bisect
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from ..dtcg.incremental import Sized, reresolve
from ..dtcg.nodes import Document, GroupNode, TokenNode, flatten
from ..dtcg.paths import path_key, sort_paths
from . import repository

if TYPE_CHECKING:
    from collections.abc import Collection, Mapping, Sequence

    from sqlalchemy.orm import Session

    from ..dtcg.references import ResolvedToken
    from .snapshots import Snapshot

#: Most change-log rows followed to carry a snapshot forward; beyond, it is rebuilt.
MAX_CHANGE_ROWS = 2000


def labels(catalog: repository.Catalog, selection: Mapping[str, str]) -> set[str]:
    """The change log's names of a selection's layers: sets, and ``modifier:context``."""
    return {name for _, name, _ in catalog.sets} | {f"{m}:{c}" for m, c in selection.items()}


def changed_paths(
    session: Session, old: Snapshot, revision: int, catalog: repository.Catalog
) -> set[str] | None:
    """Paths changed in ``old``'s layers since its revision; None: too many to follow."""
    rows = repository.changes_between(session, old.revision, revision, limit=MAX_CHANGE_ROWS)
    if rows is None:
        return None
    mine = labels(catalog, old.selection)
    out: set[str] = set()
    for path, previous, layer in rows:
        if layer in mine:
            out.add(path)
            if previous:
                out.add(previous)
    return out


def forward(
    session: Session, old: Snapshot, revision: int, catalog: repository.Catalog
) -> tuple[Sized, dict[str, TokenNode | None]] | None:
    """``old``'s resolution at ``revision``, and what changed; None: rebuild instead.

    Reads the change log (one statement), then the changed tokens of the selection's
    layers and their groups (two statements) when a layer changed.
    """
    if old.sized is None or old.catalog != catalog:
        return None
    paths = changed_paths(session, old, revision, catalog)
    if paths is None:
        return None
    docs, _ids = repository.load_layers(session, catalog.layer_ids(old.selection), paths)
    flat = flatten(docs)
    if flat.groups != old.sized.groups:
        return None
    changed: dict[str, TokenNode | None] = {p: flat.tokens.get(p) for p in paths}
    changed = {p: n for p, n in changed.items() if n != _node(old.tokens.get(p))}
    if not changed:
        return old.sized, {}
    sized = reresolve(old.sized, old.referenced_by, changed)
    return (sized, changed) if sized is not None else None


def across(
    old: Snapshot,
    old_docs: Sequence[Document],
    new_docs: Sequence[Document],
) -> tuple[Sized, dict[str, TokenNode | None]] | None:
    """``old``'s resolution moved to another selection whose layers are ``new_docs``.

    ``old_docs`` are ``old``'s layers; the tokens of the layers that differ are the
    changed ones. None: resolve from scratch (groups differ in what tokens inherit,
    ``$extends``, a problem).
    """
    if old.sized is None:
        return None
    paths = {p for d in _differing(old_docs, new_docs) for p in d.tokens}
    flat = flatten(new_docs)
    if inherited(flat.groups) != inherited(old.sized.groups):
        return None
    changed = {p: flat.tokens.get(p) for p in paths}
    changed = {p: n for p, n in changed.items() if n != _node(old.tokens.get(p))}
    if not changed:
        return in_order(old.sized, flat.tokens), {}
    sized = reresolve(old.sized, old.referenced_by, changed)
    return (in_order(sized, flat.tokens), changed) if sized is not None else None


def _differing(old_docs: Sequence[Document], new_docs: Sequence[Document]) -> list[Document]:
    """The layers of either side that the other does not have (compared as objects)."""
    return [
        d
        for d in (*old_docs, *new_docs)
        if not any(d is e for e in old_docs) or not any(d is e for e in new_docs)
    ]


def in_order(sized: Sized, order: Mapping[str, object]) -> Sized:
    """``sized`` with its tokens in the order of ``order`` (the flattened document's).

    A resolution carried to other layers keeps the order of the one it came from, new paths
    last; the exports list tokens in document order, so a derived snapshot must list them
    as one resolved from its own layers does.
    """
    if list(sized.tokens) == list(order):
        return sized
    tokens = {p: sized.tokens[p] for p in order if p in sized.tokens}
    return replace(sized, tokens=tokens)


def between(
    old: Snapshot, new_docs: Sequence[Document], old_docs: Sequence[Document] | None = None
) -> tuple[Sized, dict[str, TokenNode | None]] | None:
    """``old``'s resolution moved to another selection of its revision (layers ``new_docs``).

    As :func:`across`: with ``old``'s layers at hand (``old_docs``, the same objects where
    the two selections share a layer), the tokens of the layers that differ are compared;
    without them, every token of either side. The result keeps the new layers' groups
    (equal in what tokens inherit), so that it is carried forward like a snapshot resolved
    from them. None: resolve from scratch (groups differ in what tokens inherit,
    ``$extends``, a problem).
    """
    if old.sized is None:
        return None
    flat = flatten(new_docs)
    if inherited(flat.groups) != inherited(old.sized.groups):
        return None
    paths = (
        flat.tokens.keys() | old.tokens.keys()
        if old_docs is None
        else {p for d in _differing(old_docs, new_docs) for p in d.tokens}
    )
    changed = {p: flat.tokens.get(p) for p in paths}
    changed = {p: n for p, n in changed.items() if n != _node(old.tokens.get(p))}
    sized = reresolve(old.sized, old.referenced_by, changed) if changed else old.sized
    if sized is None:
        return None
    if sized.groups != flat.groups:  # its own groups: what carrying it forward compares
        sized = replace(sized, groups=dict(flat.groups))
    return in_order(sized, flat.tokens), changed


def inherited(groups: Mapping[str, GroupNode]) -> dict[str, tuple[Any, ...]]:
    """What tokens take from their groups: path → (``$type``, ``$deprecated``, ``$extends``).

    Two documents whose groups agree on these resolve their tokens alike (DTCG Format,
    groups: a token inherits only ``$type`` and ``$deprecated``; ``$extends`` copies); a
    group's description, extensions or source file (each of Primer's theme files
    describes itself differently) change no token.
    """
    return {p: (g.type, g.deprecated, g.extends) for p, g in groups.items()}


def _node(tok: ResolvedToken | None) -> TokenNode | None:
    return tok.node if tok is not None else None


def referenced_by(
    old: Mapping[str, list[str]],
    before: Mapping[str, ResolvedToken],
    after: Mapping[str, ResolvedToken],
    touched: Collection[str],
) -> dict[str, list[str]]:
    """The reverse references after re-resolving ``touched`` (lists copied when changed)."""
    back = dict(old)
    for path in touched:
        prev, new = before.get(path), after.get(path)
        old_targets = set(dict.fromkeys(r.target for r in prev.references)) if prev else set()
        new_targets = set(dict.fromkeys(r.target for r in new.references)) if new else set()
        for target in old_targets - new_targets:
            lst = [p for p in back.get(target, []) if p != path]
            if lst:
                back[target] = lst
            else:
                back.pop(target, None)
        for target in new_targets - old_targets:
            lst = list(back.get(target, []))
            bisect.insort(lst, path, key=path_key)
            back[target] = lst
    return back


def sorted_paths(old: Sequence[str], changed: Mapping[str, object]) -> list[str]:
    """``old`` (sorted) with the paths of ``changed`` added (non-None) or removed (None)."""
    added = [p for p, n in changed.items() if n is not None]
    gone = {p for p, n in changed.items() if n is None}
    if not gone and all(_contains(old, p) for p in added):
        return list(old)
    return sort_paths({*(p for p in old if p not in gone), *added})


def _contains(seq: Sequence[str], item: str) -> bool:
    i = bisect.bisect_left(seq, path_key(item), key=path_key)
    return i < len(seq) and seq[i] == item

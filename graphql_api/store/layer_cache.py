"""Stored layers kept decoded per database and revision, so a read or a write loads each once.

A layer (a set, or one context of a modifier) at a revision never changes. Reading a theme
combination for the first time, sweeping every combination (``impact``, ``diff``), or a
write's :class:`~graphql_api.writes.workspace.Workspace` each need the documents of some
layers; they are read here and the ones already decoded at that revision are not read again
(:func:`repository.load_layers` costs about 60 ms for Primer's 1,488 tokens, most of it
decoding JSON). Two combinations of one revision then share their common layers as the same
objects, so deriving one from the other compares only the layers that differ
(:func:`graphql_api.store.carry.across`).

Only layers read in a consistent state are kept (:func:`put`): by a reader that read the
same revision before and after loading them, or by a write holding the write lock. A write
this process commits carries its untouched layers to its new revision (:func:`carry`).
Process memory only, bounded in tokens (:data:`MAX_TOKENS`); documents handed out are
shared: do not modify them.
"""

from __future__ import annotations

from collections import OrderedDict
from threading import Lock
from typing import TYPE_CHECKING

from . import repository
from .alias_graph import database_of

if TYPE_CHECKING:
    from collections.abc import Collection, Mapping, Sequence

    from sqlalchemy.orm import Session

    from ..dtcg.nodes import Document
    from .token_rows import LayerKey

#: Tokens of every layer kept, all databases and revisions together (a layer shared by
#: several revisions counts once per revision); the least recently used revision goes first.
MAX_TOKENS = 400_000

_Key = tuple[str, int]  # (database, revision)


class _Kept:
    """The layers kept, per (database, revision), least recently used first."""

    def __init__(self) -> None:
        self.lock = Lock()
        self.layers: OrderedDict[_Key, dict[LayerKey, Document]] = OrderedDict()
        self.tokens = 0

    def get(self, key: _Key) -> dict[LayerKey, Document] | None:
        with self.lock:
            held = self.layers.get(key)
            if held is None:
                return None
            self.layers.move_to_end(key)
            return dict(held)

    def put(self, key: _Key, docs: Mapping[LayerKey, Document]) -> None:
        with self.lock:
            held = self.layers.setdefault(key, {})
            for k, d in docs.items():
                old = held.get(k)
                self.tokens += len(d.tokens) - (len(old.tokens) if old is not None else 0)
                held[k] = d
            self.layers.move_to_end(key)
            while len(self.layers) > 1 and self.tokens > MAX_TOKENS:
                gone = self.layers.popitem(last=False)[1]
                self.tokens -= sum(len(d.tokens) for d in gone.values())

    def clear(self) -> None:
        with self.lock:
            self.layers.clear()
            self.tokens = 0


_KEPT = _Kept()


def kept(session: Session, revision: int, keys: Collection[LayerKey]) -> dict[LayerKey, Document]:
    """The layers of ``keys`` kept for the session's database at ``revision`` (maybe none)."""
    held = _KEPT.get((database_of(session), revision)) or {}
    return {k: held[k] for k in keys if k in held}


def load(
    session: Session, revision: int, keys: Sequence[LayerKey]
) -> tuple[list[Document], dict[LayerKey, Document]]:
    """The documents of ``keys`` at ``revision``, in order: kept ones, the others read.

    ``revision`` must be the revision the session sees. Returns (the documents, the ones
    read now): the caller passes the latter to :func:`put` once it knows they were read in
    a consistent state. Two statements when any is missing, none otherwise.
    """
    have = kept(session, revision, keys)
    missing = [k for k in keys if k not in have]
    fresh: dict[LayerKey, Document] = {}
    if missing:
        docs, _ids = repository.load_layers(session, missing)
        fresh = dict(zip(missing, docs, strict=True))
    return [have[k] if k in have else fresh[k] for k in keys], fresh


def put(session: Session, revision: int, docs: Mapping[LayerKey, Document]) -> None:
    """Keep layers read at ``revision`` in a consistent state (see the module docstring)."""
    if docs:
        _KEPT.put((database_of(session), revision), docs)


def carry(
    session: Session,
    revision: int,
    new_revision: int,
    changed: Collection[LayerKey],
    written: Mapping[LayerKey, Document] | None = None,
) -> None:
    """Keep the layers of ``revision`` but ``changed`` for ``new_revision``, and ``written``.

    Called once a write this process made is committed, with every layer it changed
    (a write that changed the structure of sets and modifiers carries nothing) and those
    of them it knows as stored at ``new_revision`` (``written``: read in its transaction).
    """
    database = database_of(session)
    held = _KEPT.get((database, revision)) or {}
    same = {k: d for k, d in held.items() if k not in changed}
    same.update(written or {})
    if same:
        _KEPT.put((database, new_revision), same)


def clear() -> None:
    """Forget every layer (tests)."""
    _KEPT.clear()

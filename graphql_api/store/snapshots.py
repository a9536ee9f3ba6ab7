"""Resolved snapshots per (revision, theme selection), cached in memory.

Every read goes through :meth:`SnapshotStore.get`: it reads the current revision
(one cheap statement), and on a cache hit returns the resolved tokens with no
further SQL and no per-token work. On a miss it loads the layers of the
selection, flattens them in ``resolutionOrder`` and resolves references
(DTCG Resolver module §4.2: flatten, then resolve). A write bumps the revision,
so every process sees it on its next request. The cache is an LRU of bounded size.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Self

from flask import Flask, current_app

from ..dtcg.errors import DTCGErrorGroup
from ..dtcg.parse import flatten
from ..dtcg.paths import path_key, sort_paths
from ..dtcg.references import ResolvedToken, resolve
from ..dtcg.resolver import ResolverDocument, normalise_input
from . import release_format, repository

if TYPE_CHECKING:
    from collections.abc import Mapping

    from sqlalchemy.orm import Session

#: Key of the app's :class:`SnapshotStore` in ``app.extensions`` (one store per process).
SNAPSHOTS_KEY = "tokens_snapshots"
#: Releases whose frozen resolver stays decoded in memory (a few MB each for a large system).
RELEASE_DOCUMENTS = 4


@dataclass(slots=True)
class Snapshot:
    """All tokens of one theme selection at one revision, resolved.

    Attributes:
        revision: the data revision it was built from.
        selection: modifier → context (normalised, defaults filled in).
        tokens: path → resolved token.
        paths: every path in natural order (:func:`~graphql_api.dtcg.paths.path_key`: ``2,
            12, 16, 112``), the order of ``tokens`` connections.
        referenced_by: path → paths of the tokens whose value references it, in natural
            order.
        memo: objects upper layers derive once per snapshot (e.g. the GraphQL layer's
            prepared token objects), keyed by their own names; lives and dies with it.
    """

    revision: int
    selection: dict[str, str]
    tokens: dict[str, ResolvedToken]
    paths: list[str] = field(default_factory=list)
    referenced_by: dict[str, list[str]] = field(default_factory=dict)
    memo: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def build(
        cls, revision: int, selection: dict[str, str], tokens: dict[str, ResolvedToken]
    ) -> Self:
        """Index resolved tokens (sorted paths, reverse references)."""
        back: dict[str, list[str]] = {}
        for path, tok in tokens.items():
            for target in dict.fromkeys(r.target for r in tok.references):
                back.setdefault(target, []).append(path)
        for lst in back.values():
            lst.sort(key=path_key)
        return cls(revision, selection, tokens, sort_paths(tokens), back)

    def alias_chain(self, path: str) -> list[str]:
        """Paths an alias passes through, nearest first, ending with the final target."""
        chain: list[str] = []
        cur = self.tokens[path].alias_of
        while cur is not None and cur not in chain:
            chain.append(cur)
            cur = self.tokens[cur].alias_of if cur in self.tokens else None
        return chain


@dataclass(frozen=True, slots=True)
class _CatalogEntry:
    revision: int
    catalog: repository.Catalog


class SnapshotStore:
    """Process-wide LRU of snapshots keyed by (revision, selection); thread-safe."""

    def __init__(self, max_size: int = 64) -> None:
        self.max_size = max(1, max_size)
        self._lock = threading.Lock()
        self._snapshots: OrderedDict[tuple[int, tuple[tuple[str, str], ...]], Snapshot] = (
            OrderedDict()
        )
        self._catalog: _CatalogEntry | None = None
        self._release_docs: OrderedDict[tuple[int, str], ResolverDocument] = OrderedDict()
        self._release_snaps: OrderedDict[tuple[Any, ...], Snapshot] = OrderedDict()

    @staticmethod
    def revision(session: Session) -> int:
        """The current data revision (one statement)."""
        return repository.current_revision(session)

    @staticmethod
    def revision_stamp(session: Session) -> tuple[int, str]:
        """(current revision, its write time): one statement, for HTTP validators."""
        return repository.current_revision_stamp(session)

    def current_catalog(self, session: Session) -> tuple[int, repository.Catalog]:
        """(current revision, its sets and modifiers): one statement when cached."""
        revision = repository.current_revision(session)
        return revision, self.catalog(session, revision)

    def catalog(self, session: Session, revision: int) -> repository.Catalog:
        """The sets and modifiers at ``revision`` (loaded once per revision)."""
        entry = self._catalog
        if entry is None or entry.revision != revision:
            entry = _CatalogEntry(revision, repository.load_catalog(session))
            self._catalog = entry
        return entry.catalog

    def get(
        self,
        session: Session,
        theme: Mapping[str, str] | None = None,
        *,
        revision: int | None = None,
    ) -> Snapshot:
        """The snapshot for a theme input (modifier → context; missing ones take defaults).

        ``revision``: the current revision if the caller has just read it (one request reads
        it once); a cache hit then costs no SQL at all.

        On a miss the layers are loaded and the revision is read again: every write bumps
        it, so an unchanged revision means the loads saw one consistent state (no torn
        read); otherwise the read starts over (three attempts).

        Raises:
            DTCGErrorGroup: ``UNKNOWN_MODIFIER`` / ``UNKNOWN_CONTEXT`` / ``MISSING_INPUT``
                for a bad input; resolution errors if the stored data does not resolve.
            RuntimeError: the data changed during every attempt.
        """
        for attempt in range(3):
            if revision is None or attempt > 0:
                revision = repository.current_revision(session)
            catalog = self.catalog(session, revision)
            selection = normalise_input(catalog.modifier_contexts(), theme or {})
            key = (revision, tuple(sorted(selection.items())))
            with self._lock:
                snap = self._snapshots.get(key)
                if snap is not None:
                    self._snapshots.move_to_end(key)
                    return snap
            docs, _ids = repository.load_layers(session, catalog.layer_ids(selection))
            if repository.current_revision(session) != revision:
                continue
            tokens, errors = resolve(flatten(docs))
            if errors:
                raise DTCGErrorGroup(errors)
            snap = Snapshot.build(revision, selection, tokens)
            self._store(key, snap)
            return snap
        raise RuntimeError("the data changed during every attempt to read it")

    def release(
        self, session: Session, name: str, theme: Mapping[str, str] | None = None
    ) -> tuple[ResolverDocument, Snapshot]:
        """The frozen resolver of release ``name`` and its snapshot for a theme input.

        Releases never change, so both are cached (keyed by the release's row id and
        creation time, so a recreated database cannot hand out an old one). One statement
        on a hit; the release's content is read and resolved on a miss.

        Raises:
            LookupError: no such release.
            DTCGErrorGroup: a bad theme input (as :meth:`get`).
        """
        info = repository.release_info(session, name)
        if info is None:
            raise LookupError(name)
        doc_key = (info.id, info.created_at.isoformat())
        with self._lock:
            doc = self._release_docs.get(doc_key)
        if doc is None:
            doc = release_format.load(repository.release_content(session, info.id), name)
            with self._lock:
                self._release_docs[doc_key] = doc
                while len(self._release_docs) > RELEASE_DOCUMENTS:
                    self._release_docs.popitem(last=False)
        contexts = {m.name: (list(m.contexts), m.default) for m in doc.modifiers.values()}
        selection = normalise_input(contexts, theme or {})
        key = (*doc_key, tuple(sorted(selection.items())))
        with self._lock:
            snap = self._release_snaps.get(key)
            if snap is not None:
                self._release_snaps.move_to_end(key)
                return doc, snap
        tokens, errors = resolve(flatten(doc.layers(selection)))
        if errors:
            raise DTCGErrorGroup(errors)
        snap = Snapshot.build(info.revision, selection, tokens)
        snap.memo["release"] = name  # what the GraphQL layer's global IDs and reads name
        with self._lock:
            self._release_snaps[key] = snap
            while len(self._release_snaps) > self.max_size:
                self._release_snaps.popitem(last=False)
        return doc, snap

    def _store(self, key: tuple[int, tuple[tuple[str, str], ...]], snap: Snapshot) -> None:
        with self._lock:
            for old in [k for k in self._snapshots if k[0] < key[0]]:
                del self._snapshots[old]  # superseded by a newer revision
            self._snapshots[key] = snap
            while len(self._snapshots) > self.max_size:
                self._snapshots.popitem(last=False)

    def clear(self) -> None:
        """Forget every snapshot (tests; the revision check makes it unnecessary otherwise)."""
        with self._lock:
            self._snapshots.clear()
            self._catalog = None
            self._release_docs.clear()
            self._release_snaps.clear()


def init_app(app: Flask) -> None:
    """Create the app's snapshot cache (``SNAPSHOT_CACHE_SIZE``); called by the factory."""
    app.extensions[SNAPSHOTS_KEY] = SnapshotStore(int(app.config["SNAPSHOT_CACHE_SIZE"]))


def snapshot_store(app: Flask | None = None) -> SnapshotStore:
    """The app's snapshot cache (one per process), made by ``views.init_app``."""
    store: SnapshotStore = (app or current_app).extensions[SNAPSHOTS_KEY]
    return store

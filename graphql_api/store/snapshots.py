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
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, NamedTuple, Self

from flask import Flask, current_app

from ..dtcg.closure import value_referrers
from ..dtcg.errors import DTCGErrorGroup
from ..dtcg.incremental import Sized, dependants, resolve_sized
from ..dtcg.parse import flatten
from ..dtcg.paths import path_key, sort_paths
from ..dtcg.resolver import ResolverDocument, normalise_input
from . import alias_graph, carry, layer_cache, release_format, repository, resolved_totals

if TYPE_CHECKING:
    from collections.abc import Collection, Iterable, Iterator, Mapping

    from sqlalchemy.orm import Session

    from ..dtcg.nodes import Document
    from ..dtcg.references import ResolvedToken
    from .token_rows import LayerKey

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
        lineage: objects upper layers keep per token across revisions, keyed by their own
            names: shared with the snapshots carried forward from this one, so whatever
            is kept there must be checked against the token's resolution (the same
            ``ResolvedToken`` object means the same resolution).
    """

    revision: int
    selection: dict[str, str]
    tokens: dict[str, ResolvedToken]
    paths: list[str] = field(default_factory=list)
    referenced_by: dict[str, list[str]] = field(default_factory=dict)
    memo: dict[str, Any] = field(default_factory=dict)
    lineage: dict[str, Any] = field(default_factory=dict)
    sized: Sized | None = None
    catalog: repository.Catalog | None = None
    nbytes: int = 0

    @classmethod
    def build(
        cls,
        revision: int,
        selection: dict[str, str],
        tokens: dict[str, ResolvedToken] | Sized,
        catalog: repository.Catalog | None = None,
    ) -> Self:
        """Index resolved tokens (sorted paths, reverse references).

        ``tokens`` as a :class:`~graphql_api.dtcg.incremental.Sized` (with ``catalog``)
        lets the snapshot be carried forward to later revisions.
        """
        sized = tokens if isinstance(tokens, Sized) else None
        resolved = tokens.tokens if isinstance(tokens, Sized) else tokens
        back: dict[str, list[str]] = {}
        for path, tok in resolved.items():
            for target in dict.fromkeys(r.target for r in tok.references):
                back.setdefault(target, []).append(path)
        for lst in back.values():
            lst.sort(key=path_key)
        return cls(
            revision,
            selection,
            resolved,
            sort_paths(resolved),
            back,
            sized=sized,
            catalog=catalog,
            nbytes=estimate_bytes(resolved, sized),
        )

    def carried(
        self, revision: int, sized: Sized, changed: Mapping[str, Any], selection: dict[str, str]
    ) -> Snapshot:
        """This snapshot brought to ``revision`` (or ``selection``): ``changed`` re-resolved.

        Without changes the tokens, indexes and prepared objects are shared (re-keyed).
        """
        if not changed and selection == self.selection:
            return replace(self, revision=revision)
        back = carry.referenced_by(self.referenced_by, self.tokens, sized.tokens, changed)
        paths = carry.sorted_paths(self.paths, changed)
        nbytes = estimate_bytes(sized.tokens, sized)
        return Snapshot(
            revision,
            selection,
            sized.tokens,
            paths,
            back,
            lineage=self.lineage if selection == self.selection else {},
            sized=sized,
            catalog=self.catalog,
            nbytes=nbytes,
        )

    def alias_chain(self, path: str) -> list[str]:
        """Paths an alias passes through, nearest first, ending with the final target."""
        chain: list[str] = []
        cur = self.tokens[path].alias_of
        while cur is not None and cur not in chain:
            chain.append(cur)
            cur = self.tokens[cur].alias_of if cur in self.tokens else None
        return chain


#: Carry steps remembered (all selections together) for :meth:`SnapshotStore.changed_between`.
MAX_LINKS = 4096

#: Estimated bytes a resolved token takes in memory besides its value (objects, indexes,
#: the GraphQL objects prepared from it), and per unit of resolved size (JSON nodes and
#: characters). Measured on Primer and the synthetic systems of ``bench/`` (RSS / tokens).
TOKEN_BYTES = 2500
SIZE_UNIT_BYTES = 24


def estimate_bytes(tokens: Mapping[str, ResolvedToken], sized: Sized | None) -> int:
    """Estimated memory of a snapshot, in bytes (what the byte budget of the cache counts)."""
    size = sum(s for s, _ in sized.sizes.values()) if sized is not None else 0
    return len(tokens) * TOKEN_BYTES + size * SIZE_UNIT_BYTES


@dataclass(frozen=True, slots=True)
class _CatalogEntry:
    revision: int
    catalog: repository.Catalog


Key = tuple[int, tuple[tuple[str, str], ...]]


class SnapshotStore:
    """Process-wide LRU of snapshots keyed by (revision, selection); thread-safe.

    Bounded by count (``max_size``) and by estimated bytes (``max_bytes``, see
    :func:`estimate_bytes`). A selection keeps only its newest snapshot; older revisions
    of other selections stay until they are carried forward or evicted.
    """

    def __init__(self, max_size: int = 64, *, max_bytes: int = 512 * 1024 * 1024) -> None:
        self.max_size = max(1, max_size)
        self.max_bytes = max(0, max_bytes)
        self._lock = threading.Lock()
        self._snapshots: OrderedDict[Key, Snapshot] = OrderedDict()
        self._latest: dict[tuple[tuple[str, str], ...], Key] = {}
        #: (revision, selection) → (revision it was carried from, paths it re-resolved)
        self._links: OrderedDict[Key, tuple[int, frozenset[str]]] = OrderedDict()
        self._bytes = 0
        self._catalog: _CatalogEntry | None = None
        self._release_docs: OrderedDict[tuple[int, str], ResolverDocument] = OrderedDict()
        self._release_snaps: OrderedDict[tuple[Any, ...], Snapshot] = OrderedDict()
        #: id of a kept release document → (it, its value referrers): see release_referrers
        self._release_back: OrderedDict[int, tuple[ResolverDocument, dict[str, list[str]]]] = (
            OrderedDict()
        )
        self.counts = {
            "hit": 0,
            "carried": 0,
            "rekeyed": 0,
            "built": 0,
            "derived": 0,
            "swept": 0,
            "partial": 0,  # combinations resolved in part (store.closures), not stored
        }

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

        On a miss the newest cached snapshot of the selection is carried forward from the
        change log (:mod:`.carry`) when it can be, else the layers are loaded, flattened
        and resolved. The revision is read again after the loads: every write bumps it,
        so an unchanged revision means they saw one consistent state (no torn read);
        otherwise the read starts over (three attempts).

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
                    self.counts["hit"] += 1
                    return snap
                older_key = self._latest.get(key[1])
                older = self._snapshots.get(older_key) if older_key else None
            carried = self._carry(session, older, revision, catalog) if older else None
            fresh: dict[LayerKey, Document] = {}
            if carried:
                snap = carried[0]
            else:
                snap, fresh = self._build(session, revision, selection, catalog)
            if repository.current_revision(session) != revision:
                continue
            layer_cache.put(session, revision, fresh)  # read in one consistent state
            self._store(key, snap)
            if carried and older:
                self._link(key, older.revision, carried[1])
            _learn_total(session, snap)
            return snap
        raise RuntimeError("the data changed during every attempt to read it")

    def _carry(
        self, session: Session, old: Snapshot, revision: int, catalog: repository.Catalog
    ) -> tuple[Snapshot, frozenset[str]] | None:
        """``old`` at ``revision`` and the paths whose resolution may differ; None: rebuild."""
        if old.revision >= revision:
            return None
        moved = carry.forward(session, old, revision, catalog)
        if moved is None:
            return None
        sized, changed = moved
        self.counts["carried" if changed else "rekeyed"] += 1
        touched = frozenset(dependants(old.referenced_by, changed)) if changed else frozenset()
        return old.carried(revision, sized, changed, old.selection), touched

    def _link(self, key: Key, since: int, touched: frozenset[str]) -> None:
        """Remember that ``key``'s snapshot was carried from ``since`` changing ``touched``."""
        with self._lock:
            self._links[key] = (since, touched)
            while len(self._links) > MAX_LINKS:
                self._links.popitem(last=False)

    def changed_between(
        self, selection: tuple[tuple[str, str], ...], since: int, revision: int
    ) -> frozenset[str] | None:
        """Paths of ``selection`` whose resolution may differ between two revisions.

        Known when this process carried the selection's snapshot from ``since`` to
        ``revision`` (in one or several steps): the changed tokens and every token that
        reaches one of them through references, at each step. None when it did not (the
        snapshot was rebuilt, or never held at ``since``): anything may have changed.
        """
        out: set[str] = set()
        at = revision
        with self._lock:
            while at > since:
                link = self._links.get((at, selection))
                if link is None:
                    return None
                at, touched = link
                out.update(touched)
        return frozenset(out) if at == since else None

    def _build(
        self,
        session: Session,
        revision: int,
        selection: dict[str, str],
        catalog: repository.Catalog,
    ) -> tuple[Snapshot, dict[LayerKey, Document]]:
        """The snapshot of ``selection`` at ``revision``, and the layers read to make it.

        Derived from a cached snapshot of another selection when there is one (only the
        layers the two do not share are compared when its layers are kept), else resolved.
        """
        docs, fresh = layer_cache.load(session, revision, catalog.layer_ids(selection))
        near = self._neighbour(revision, catalog)
        if near is not None:
            near_keys = catalog.layer_ids(near.selection)
            held = layer_cache.kept(session, revision, near_keys)
            near_docs = [held[k] for k in near_keys] if len(held) == len(near_keys) else None
            moved = carry.between(near, docs, near_docs)
            if moved is not None:
                self.counts["derived"] += 1
                return near.carried(revision, moved[0], moved[1], selection), fresh
        sized, errors = resolve_sized(flatten(docs))
        if errors:
            raise DTCGErrorGroup(errors)
        self.counts["built"] += 1
        return Snapshot.build(revision, selection, sized, catalog), fresh

    def _neighbour(self, revision: int, catalog: repository.Catalog) -> Snapshot | None:
        """The most recently used cached snapshot of another selection at ``revision``.

        A selection read for the first time at a revision is derived from it
        (:func:`.carry.between`: what the two selections' layers define differently, and
        what reaches it, is re-resolved), as a sweep derives each combination from the
        previous one.
        """
        with self._lock:
            for key in reversed(self._snapshots):
                snap = self._snapshots[key]
                if key[0] == revision and snap.catalog is catalog and snap.sized is not None:
                    return snap
        return None

    def sweep(
        self, session: Session, revision: int, selections: list[dict[str, str]]
    ) -> Iterator[Snapshot]:
        """A snapshot of each selection at ``revision``, for queries over every combination.

        Cached snapshots are used; the others are derived one from the previous
        (:func:`.carry.across`: only the tokens of the layers that differ, and what
        reaches them, are re-resolved) and are *not* stored, so a sweep over hundreds of
        combinations never evicts what serves ordinary reads. The layers not kept
        (:mod:`.layer_cache`) are read in two statements.

        Raises:
            DTCGErrorGroup: as :meth:`get`.
        """
        bases = _Bases(0)
        for snap, _docs in _derive_each(self._sides(session, revision, selections, bases), bases):
            yield snap

    def _sides(
        self,
        session: Session,
        revision: int,
        selections: list[dict[str, str]],
        bases: _Bases,
    ) -> Iterator[tuple[Snapshot | None, list[Document], _Target]]:
        """Per selection of the current data: its cached snapshot or None, its layers.

        With what deriving it takes (:func:`_derived`); sets how many snapshots ``bases``
        keeps.
        """
        catalog = self.catalog(session, revision)
        all_ids = catalog.every_layer_id()
        loaded: list[Document] | None = None
        bases.keep = _bases_kept(c for c, _default in catalog.modifier_contexts().values())
        for theme in selections:
            selection = normalise_input(catalog.modifier_contexts(), theme)
            key = (revision, tuple(sorted(selection.items())))
            with self._lock:
                cached = self._snapshots.get(key)
            if loaded is None:
                loaded, fresh = layer_cache.load(session, revision, all_ids)
                if fresh and repository.current_revision(session) == revision:
                    layer_cache.put(session, revision, fresh)  # one consistent state
                elif fresh and len(fresh) < len(all_ids):  # a write landed: not kept ones
                    loaded, _ids = repository.load_layers(session, all_ids)
            by_id = dict(zip(all_ids, loaded, strict=True))
            docs = [by_id[k] for k in catalog.layer_ids(selection)]
            self.counts["swept"] += 1
            yield cached, docs, _Target(docs, revision, selection, catalog, None)

    def sweep_release(
        self, session: Session, name: str, selections: list[dict[str, str]]
    ) -> Iterator[Snapshot]:
        """A snapshot of each selection in release ``name``, as :meth:`sweep` does.

        Resolved from the release's stored file (its decoded resolver is kept as by
        :meth:`release`); release snapshots cached by :meth:`release` are used, the others
        are derived one from the previous and *not* stored, so a diff over every
        combination neither fills nor evicts the caches that serve ordinary reads.

        Raises:
            LookupError: no such release.
            DTCGErrorGroup: as :meth:`release`.
        """
        bases = _Bases(0)
        sides = self._release_sides(session, name, selections, bases)
        for snap, _docs in _derive_each(sides, bases):
            yield snap

    def _release_sides(
        self,
        session: Session,
        name: str,
        selections: list[dict[str, str]],
        bases: _Bases,
    ) -> Iterator[tuple[Snapshot | None, list[Document], _Target]]:
        """:meth:`_sides` for release ``name``'s frozen layers."""
        doc, doc_key, revision = self._release_document(session, name)
        contexts = {m.name: (list(m.contexts), m.default) for m in doc.modifiers.values()}
        bases.keep = _bases_kept(c for c, _default in contexts.values())
        for theme in selections:
            selection = normalise_input(contexts, theme)
            with self._lock:
                cached = self._release_snaps.get((*doc_key, tuple(sorted(selection.items()))))
            self.counts["swept"] += 1
            docs = doc.layers(selection)
            yield cached, docs, _Target(docs, revision, selection, None, name)

    def sweep_pairs(
        self,
        session: Session,
        selections: list[dict[str, str]],
        left: str | None,
        right: str | None,
        revision: int,
    ) -> Iterator[tuple[Snapshot, Snapshot]]:
        """(left, right) snapshots of each selection: two releases, or a release and now.

        The left side is swept (:meth:`sweep`, :meth:`sweep_release`); each right snapshot
        not cached is derived from its left one (:func:`.carry.across`: the tokens whose
        flattened node differs between the two sides, and what reaches them, are
        re-resolved), so comparing two versions a few edits apart re-resolves those edits,
        not every combination. When that cannot be exact (groups differ in what tokens
        inherit, ``$extends``, colour modifiers) it is derived from the right side's
        previous snapshots, as :meth:`sweep` does. Nothing is stored in the read caches.

        Args:
            session: the request's session.
            selections: normalised theme selections both sides have.
            left: release name on the left, None for the current data.
            right: release name on the right, None for the current data.
            revision: the current revision (read once by the request).

        Raises:
            LookupError: no such release.
            DTCGErrorGroup: as :meth:`get`.
        """
        left_bases = _Bases(0)
        left_sides = (
            self._sides(session, revision, selections, left_bases)
            if left is None
            else self._release_sides(session, left, selections, left_bases)
        )
        lefts = _derive_each(left_sides, left_bases)
        bases = _Bases(0)
        rights = (
            self._sides(session, revision, selections, bases)
            if right is None
            else self._release_sides(session, right, selections, bases)
        )
        for (left_snap, left_docs), (cached, docs, target) in zip(lefts, rights, strict=True):
            snap = cached
            if snap is None:
                moved = carry.across(left_snap, left_docs, docs)
                if moved is not None:
                    snap = _rekeyed(left_snap, moved, target)
                else:
                    snap = _derived(bases.closest(docs), target)
            bases.add(snap, docs)
            yield left_snap, snap

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
        doc, doc_key, revision = self._release_document(session, name)
        contexts = {m.name: (list(m.contexts), m.default) for m in doc.modifiers.values()}
        selection = normalise_input(contexts, theme or {})
        key = (*doc_key, tuple(sorted(selection.items())))
        with self._lock:
            snap = self._release_snaps.get(key)
            if snap is not None:
                self._release_snaps.move_to_end(key)
                return doc, snap
        snap = _derived(None, _Target(doc.layers(selection), revision, selection, None, name))
        with self._lock:
            self._release_snaps[key] = snap
            while len(self._release_snaps) > self.max_size:
                self._release_snaps.popitem(last=False)
        return doc, snap

    def release_document(self, session: Session, name: str) -> tuple[ResolverDocument, int]:
        """(frozen resolver of release ``name``, the revision it was made at), kept decoded.

        Resolves nothing; one statement when the document is kept.

        Raises:
            LookupError: no such release.
        """
        doc, _key, revision = self._release_document(session, name)
        return doc, revision

    def release_referrers(self, doc: ResolverDocument) -> dict[str, list[str]]:
        """Target path → paths whose value references it in any layer of release ``doc``.

        :func:`~graphql_api.dtcg.closure.value_referrers` of every layer, made once per
        release document and kept as long as the last few (releases never change): what
        ``impact`` on a release narrows to the tokens that reach its path. Do not change it.
        """
        with self._lock:
            hit = self._release_back.get(id(doc))
            if hit is not None and hit[0] is doc:
                self._release_back.move_to_end(id(doc))
                return hit[1]
        back = value_referrers(doc.every_layer())
        with self._lock:
            self._release_back[id(doc)] = (doc, back)  # holds the document: its id stays its own
            while len(self._release_back) > RELEASE_DOCUMENTS:
                self._release_back.popitem(last=False)
        return back

    def release_resolver(self, session: Session, name: str) -> ResolverDocument:
        """The frozen resolver of release ``name`` (its sets and modifiers), kept decoded.

        Resolves nothing; one statement when the document is kept.

        Raises:
            LookupError: no such release.
        """
        return self._release_document(session, name)[0]

    def _release_document(
        self, session: Session, name: str
    ) -> tuple[ResolverDocument, tuple[int, str], int]:
        """(frozen resolver, its cache key, the release's revision); one statement on a hit.

        Raises:
            LookupError: no such release.
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
        return doc, doc_key, info.revision

    def _store(self, key: Key, snap: Snapshot) -> None:
        with self._lock:
            if key in self._snapshots:
                return
            older = self._latest.get(key[1])
            if older is not None and older[0] <= key[0]:
                self._drop(older)  # carried forward: the selection keeps its newest only
            self._snapshots[key] = snap
            self._latest[key[1]] = key
            self._bytes += snap.nbytes
            while len(self._snapshots) > 1 and (
                len(self._snapshots) > self.max_size or self._bytes > self.max_bytes
            ):
                self._drop(next(iter(self._snapshots)))

    def _drop(self, key: Key) -> None:
        snap = self._snapshots.pop(key, None)
        if snap is not None:
            self._bytes -= snap.nbytes
        if self._latest.get(key[1]) == key:
            del self._latest[key[1]]

    def stats(self) -> dict[str, Any]:
        """For ``/healthz``: snapshots held, their estimated bytes and the budget, counters.

        ``releaseSnapshots``: snapshots of releases held (:meth:`release`), apart.
        """
        with self._lock:
            return {
                "snapshots": len(self._snapshots),
                "releaseSnapshots": len(self._release_snaps),
                "bytes": self._bytes,
                "maxBytes": self.max_bytes,
                **self.counts,
            }

    def clear(self) -> None:
        """Forget every snapshot and every kept layer (tests: revisions make it unneeded)."""
        with self._lock:
            self._snapshots.clear()
            self._latest.clear()
            self._bytes = 0
            self._catalog = None
            self._release_docs.clear()
            self._release_snaps.clear()
            self._release_back.clear()
        layer_cache.clear()


def _learn_total(session: Session, snap: Snapshot) -> None:
    """Tell the write check the theme's total resolved size (:mod:`.resolved_totals`).

    A write's first check in a process needs the old total of each theme it touches;
    a theme read at that revision already knows it, so the write resolves nothing whole.
    """
    if snap.sized is None:
        return
    database, key = alias_graph.database_of(session), resolved_totals.key_of(snap.selection)
    if resolved_totals.get(database, snap.revision, key) is None:
        total = sum(size for size, _depth in snap.sized.sizes.values())
        resolved_totals.put(database, snap.revision, key, total)


def _bases_kept(contexts: Iterable[Collection[str]]) -> int:
    """How many recent snapshots a sweep keeps to derive the next from.

    One more than the largest modifier's contexts: in the product order of
    :func:`~graphql_api.dtcg.validate.combinations`, the selection that differs from the
    next one in a single slower-varying modifier is at most that many steps back.
    """
    return 1 + max((len(c) for c in contexts), default=1)


class _Bases:
    """The last few snapshots of a sweep, each with its layers, to derive the next from.

    :meth:`closest` picks the one whose layers differ least from the next selection's
    (counted in tokens of the layers that differ): deriving (coarse, light) from
    (fine, light) re-resolves what the small ``pointer`` layers change, where the previous
    combination, (fine, dark-high-contrast), would re-resolve a whole theme file.
    """

    def __init__(self, keep: int) -> None:
        self.keep = keep
        self.items: list[tuple[Snapshot, list[Document]]] = []

    def __bool__(self) -> bool:
        return bool(self.items)

    def add(self, snap: Snapshot, docs: list[Document]) -> None:
        """Remember a swept snapshot (the oldest goes past :attr:`keep`)."""
        self.items.append((snap, docs))
        if len(self.items) > self.keep:
            del self.items[0]

    def closest(self, docs: list[Document]) -> tuple[Snapshot, list[Document]] | None:
        """The remembered snapshot whose layers differ least from ``docs`` (newest on ties)."""
        best: tuple[Snapshot, list[Document]] | None = None
        best_cost = -1
        for snap, old in reversed(self.items):
            cost = sum(len(d.tokens) for d in old if not any(d is e for e in docs))
            cost += sum(len(d.tokens) for d in docs if not any(d is e for e in old))
            if best is None or cost < best_cost:
                best, best_cost = (snap, old), cost
        return best


class _Target(NamedTuple):
    """A snapshot to make: its selection's layers, revision, selection, and where from.

    ``catalog``: the stored structure (None for a release); ``release``: the release the
    layers are frozen in (kept in the snapshot's memo, what the GraphQL layer's global IDs
    name), None for the current data.
    """

    docs: list[Document]
    revision: int
    selection: dict[str, str]
    catalog: repository.Catalog | None
    release: str | None


def _derive_each(
    sides: Iterator[tuple[Snapshot | None, list[Document], _Target]], bases: _Bases
) -> Iterator[tuple[Snapshot, list[Document]]]:
    """Each side's cached snapshot, or one derived from the closest of ``bases``; with its layers.

    Every snapshot joins ``bases`` for the next ones (a sweep derives each combination
    from the previous ones).
    """
    for cached, docs, target in sides:
        snap = cached or _derived(bases.closest(docs), target)
        bases.add(snap, docs)
        yield snap, docs


def _derived(previous: tuple[Snapshot, list[Document]] | None, target: _Target) -> Snapshot:
    """The snapshot of ``target``, derived from ``previous`` (with its layers) if it can be.

    Only the tokens of the layers that differ from the previous selection's, and what
    reaches them, are re-resolved (:func:`.carry.across`); otherwise resolved from scratch.

    Raises:
        DTCGErrorGroup: the layers do not resolve.
    """
    if previous is not None:
        moved = carry.across(previous[0], previous[1], target.docs)
        if moved is not None:
            return _rekeyed(previous[0], moved, target)
    sized, errors = resolve_sized(flatten(target.docs))
    if errors:
        raise DTCGErrorGroup(errors)
    snap = Snapshot.build(target.revision, target.selection, sized, target.catalog)
    if target.release is not None:
        snap.memo["release"] = target.release
    return snap


def _rekeyed(old: Snapshot, moved: tuple[Sized, Mapping[str, Any]], target: _Target) -> Snapshot:
    """``old`` carried to ``moved`` (:func:`.carry.across`'s result) as ``target``'s snapshot.

    The snapshot names its own catalog and release: nothing upper layers prepared for
    ``old`` (its memo) is shared when either differs.
    """
    snap = old.carried(target.revision, moved[0], moved[1], target.selection)
    if snap.catalog is not target.catalog or old.memo.get("release") != target.release:
        snap = replace(snap, catalog=target.catalog, memo={})
    if target.release is not None:
        snap.memo["release"] = target.release
    return snap


def init_app(app: Flask) -> None:
    """Create the app's snapshot cache (``SNAPSHOT_CACHE_SIZE``, ``SNAPSHOT_CACHE_BYTES``)."""
    app.extensions[SNAPSHOTS_KEY] = SnapshotStore(
        int(app.config["SNAPSHOT_CACHE_SIZE"]), max_bytes=int(app.config["SNAPSHOT_CACHE_BYTES"])
    )


def snapshot_store(app: Flask | None = None) -> SnapshotStore:
    """The app's snapshot cache (one per process), made by the app factory."""
    store: SnapshotStore = (app or current_app).extensions[SNAPSHOTS_KEY]
    return store

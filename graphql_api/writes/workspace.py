"""What one write sees and changes: the stored resolver loaded as needed, checked, stored.

A :class:`Workspace` holds the stored sets and modifiers as a
:class:`~graphql_api.dtcg.resolver.ResolverDocument` whose layers are read from the
database only when an operation or the check needs them, every layer wanted at once in
one statement of values and one of groups (:func:`graphql_api.store.repository.
load_layers`). Operations edit layers in memory; :meth:`Workspace.check` resolves again
every theme combination that contains an edited layer (DTCG Resolver module §4.2,
:func:`~graphql_api.dtcg.validate.validate_document`) and :meth:`Workspace.store` writes
only the rows that differ (:mod:`graphql_api.store.token_rows`), one change-log row per
token and layer touched, and a new revision. An import leaves a :class:`Replacement`
instead, which writes every row itself; a release edits nothing and stores only the
revision. The unit of work (:func:`graphql_api.writes.unit.run`) creates the workspace
under the write lock and owns nothing of the transaction: its caller commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from ..dtcg.edits import same_token
from ..dtcg.nodes import Document
from ..dtcg.resolver import VERSION, Modifier, ResolverDocument, TokenSet
from ..dtcg.validate import combinations
from ..store import layer_cache, repository, token_rows
from ..store.alias_graph import link_new_targets
from .changes import ChangeRecord, WriteResult, layer_changes, record
from .errors import NotFound

if TYPE_CHECKING:
    from collections.abc import Iterable

    from sqlalchemy.orm import Session

    from .check import CheckReport

__all__ = [
    "ChangeRecord",
    "Layer",
    "RemovedModifier",
    "Replacement",
    "Workspace",
    "WriteResult",
    "layer_changes",
]


@dataclass(frozen=True, slots=True, order=True)
class Layer:
    """A place values live: a set (``modifier`` None) or a context of a modifier."""

    modifier: str | None
    name: str

    @property
    def label(self) -> str:
        """``"foundation"`` for a set, ``"theme:dark"`` for a context (the change log's form)."""
        return self.name if self.modifier is None else f"{self.modifier}:{self.name}"


@dataclass(frozen=True, slots=True)
class RemovedModifier:
    """A modifier a write deleted, as the check needs it (:mod:`.check`).

    Attributes:
        name: the modifier's name.
        position: its index in the resolution order before the write.
        default: the context the old state's combinations are checked with.
        contexts: every context's layer as stored (context name → document).
    """

    name: str
    position: int
    default: str
    contexts: dict[str, Document]


class Replacement(Protocol):
    """An import's new data, left on the workspace by its operation (:mod:`.imports`).

    :meth:`Workspace.store` lets it write every row in place of the stored ones.
    """

    def write(self, ws: Workspace) -> list[ChangeRecord]:
        """Replace every stored row; returns the change-log entries (the revision's)."""
        ...


def _empty() -> Document:
    return Document()


class Workspace:
    """The stored resolver as one write sees it; see the module docstring."""

    def __init__(self, session: Session, catalog: repository.Catalog, based_on: int) -> None:
        self.session = session
        self.based_on = based_on  # the revision the write starts from
        self.doc = ResolverDocument("stored", None, VERSION)
        self._ids: dict[Layer, tuple[str, int]] = {}
        items: list[tuple[int, str, str]] = []
        for set_id, name, position in catalog.sets:
            self.doc.sets[name] = TokenSet(name, _empty())
            self._ids[Layer(None, name)] = ("set", set_id)
            items.append((position, "set", name))
        for m in catalog.modifiers.values():
            contexts = {c.name: _empty() for c in m.contexts}
            self.doc.modifiers[m.name] = Modifier(m.name, contexts, m.default, m.description)
            for c in m.contexts:
                self._ids[Layer(m.name, c.name)] = ("theme", c.id)
            items.append((m.position, "modifier", m.name))
        self.doc.order = [(kind, name) for _, kind, name in sorted(items)]
        self.catalog = catalog
        self._original: dict[Layer, Document] = {}
        self._partial: dict[Layer, set[str]] = {}  # layers read in part: the paths read
        self.touched: set[Layer] = set()
        self.renames: dict[str, str] = {}
        self.structural = False  # sets or modifiers changed: check every combination
        self.removed: list[RemovedModifier] = []  # modifiers deleted (checked incrementally)
        self.extra: list[ChangeRecord] = []  # entries of layers dropped outright
        self.replacement: Replacement | None = None  # an import: new data in place of all
        # the operation changed no stored data (a release): the caches of the base
        # revision hold for the new one (:func:`graphql_api.writes.check.remember`)
        self.data_unchanged = False
        # edited layers as stored by this write, for the new revision (:meth:`keep_layers`)
        self._written: dict[tuple[str, int], Document] = {}

    # -- layers ---------------------------------------------------------------------------

    def layers(self) -> list[Layer]:
        """Every layer, in resolution order (sets, then each modifier's contexts)."""
        out: list[Layer] = []
        for kind, name in self.doc.order:
            if kind == "set":
                out.append(Layer(None, name))
            else:
                out.extend(Layer(name, c) for c in self.doc.modifiers[name].contexts)
        return out

    def layer(self, set_name: str | None = None, context: tuple[str, str] | None = None) -> Layer:
        """The layer named by a set or a (modifier, context) pair.

        Raises:
            NotFound: no such set, modifier or context.
        """
        if context is not None:
            modifier, name = context
            mod = self.doc.modifiers.get(modifier)
            if mod is None:
                raise NotFound(f"no modifier {modifier!r}", "modifier")
            if name not in mod.contexts:
                raise NotFound(f"modifier {modifier!r} has no context {name!r}", "context")
            return Layer(modifier, name)
        if set_name is None or set_name not in self.doc.sets:
            raise NotFound(f"no set {set_name!r}", "set")
        return Layer(None, set_name)

    def _slot(self, layer: Layer) -> Document:
        if layer.modifier is None:
            return self.doc.sets[layer.name].document
        return self.doc.modifiers[layer.modifier].contexts[layer.name]

    def _put(self, layer: Layer, document: Document) -> None:
        if layer.modifier is None:
            self.doc.sets[layer.name].document = document
        else:
            self.doc.modifiers[layer.modifier].contexts[layer.name] = document

    def ensure(self, layers: Iterable[Layer]) -> None:
        """Read the layers not read whole yet (two statements for any number of them).

        A layer read in part (:meth:`ensure_paths`) keeps what this write did to the paths
        it read; the rest of its tokens are added.
        """
        wanted = list(dict.fromkeys(layers))
        missing = [lay for lay in wanted if lay not in self._original or lay in self._partial]
        stored = [lay for lay in missing if lay in self._ids]
        if stored:
            keys = [self._ids[x] for x in stored]
            # under the write lock: what is read is the state of ``based_on``
            docs, fresh = layer_cache.load(self.session, self.based_on, keys)
            layer_cache.put(self.session, self.based_on, fresh)
            for lay, kept in zip(stored, docs, strict=True):
                d = Document(dict(kept.tokens), dict(kept.groups))  # kept ones are shared
                read = self._partial.pop(lay, None)
                if read is None:
                    self._original[lay] = d
                    self._put(lay, Document(dict(d.tokens), dict(d.groups)))
                    continue
                current = self._slot(lay)
                tokens = dict(d.tokens)
                for p in read:  # what this write did to the paths it read
                    if p in current.tokens:
                        tokens[p] = current.tokens[p]
                    else:
                        tokens.pop(p, None)
                tokens.update((p, n) for p, n in current.tokens.items() if p not in tokens)
                self._original[lay] = d
                self._put(lay, Document(tokens, current.groups))
        for lay in missing:
            self._partial.pop(lay, None)
            self._original.setdefault(lay, Document())

    def ensure_paths(self, layers: Iterable[Layer], paths: Iterable[str]) -> None:
        """Read ``paths`` of layers not read whole, and the groups of those read the first time.

        At most two statements, whatever the number of layers.

        The layers' documents then hold at least those tokens: enough for operations on
        single tokens and for the incremental check, whatever the size of the layer.
        """
        wanted = set(paths)
        if not wanted:
            return
        todo: dict[Layer, set[str]] = {}
        for lay in dict.fromkeys(layers):
            if lay in self._original and lay not in self._partial:
                continue  # read whole
            new = wanted - self._partial.get(lay, set())
            if new:
                todo[lay] = new
        if not todo:
            return
        union = sorted(set().union(*todo.values()))
        loaded: dict[Layer, Document] = {}
        stored = [x for x in todo if x in self._ids]
        # layers kept decoded at ``based_on`` are looked up, not read (under the write lock)
        kept = layer_cache.kept(self.session, self.based_on, [self._ids[x] for x in stored])
        loaded.update((x, kept[self._ids[x]]) for x in stored if self._ids[x] in kept)
        stored = [x for x in stored if x not in loaded]
        if stored:  # layers read for the first time come with their groups
            first = [self._ids[x] for x in stored if x not in self._original]
            ids = [self._ids[x] for x in stored]
            docs, _ = repository.load_layers(self.session, ids, paths=union, groups=first)
            loaded.update(zip(stored, docs, strict=True))
        for lay, new in todo.items():
            d = loaded.get(lay, Document())
            got = {p: d.tokens[p] for p in new if p in d.tokens}
            if lay not in self._original:
                self._original[lay] = Document(dict(got), dict(d.groups))
                self._put(lay, Document(dict(got), dict(d.groups)))
                self._partial[lay] = set(new)
                continue
            self._original[lay].tokens.update(got)
            current = self._slot(lay)
            for p, node in got.items():
                current.tokens.setdefault(p, node)
            self._partial[lay] |= new

    def read_in_part(self, layer: Layer) -> bool:
        """Whether the layer's document holds only the paths read so far."""
        return layer in self._partial

    def before(self, layer: Layer, paths: Iterable[str] | None = None) -> Document:
        """The layer as stored before this write (do not edit).

        Read whole on first use, or only ``paths`` of it (see :meth:`ensure_paths`).
        """
        self._read(layer, paths)
        return self._original[layer]

    def document(self, layer: Layer, paths: Iterable[str] | None = None) -> Document:
        """The layer as this write sees it; edit through :meth:`edit`.

        Read whole on first use, or only ``paths`` of it (see :meth:`ensure_paths`).
        """
        self._read(layer, paths)
        return self._slot(layer)

    def _read(self, layer: Layer, paths: Iterable[str] | None) -> None:
        if paths is None:
            self.ensure([layer])
        else:
            self.ensure_paths([layer], paths)

    def edit(self, layer: Layer, paths: Iterable[str] | None = None) -> Document:
        """The layer's document, to change in place; the layer is checked and stored.

        With ``paths``, only those tokens (and every group) are read: change only them.
        """
        self.touched.add(layer)
        return self.document(layer, paths)

    def layer_key(self, layer: Layer) -> tuple[str, int] | None:
        """The layer's ``("set" | "theme", row id)``; None for a layer with no row."""
        return self._ids.get(layer)

    def add_layer(self, layer: Layer, kind: str, row_id: int, document: Document) -> None:
        """Register a layer whose row an operation has just inserted (a new set or context)."""
        self._ids[layer] = (kind, row_id)
        self._original[layer] = Document()
        self._put(layer, document)
        self.touched.add(layer)

    def where_defined(self, path: str) -> list[Layer]:
        """The layers that give ``path`` a value, as this write sees them."""
        kinds = {v: k for k, v in self._ids.items()}
        found = {kinds[key] for key in repository.value_layers(self.session, path)}
        for lay in self._original:  # what this write has read may have changed since
            if lay in self._partial and path not in self._partial[lay]:
                continue
            found.discard(lay)
            if path in self._slot(lay).tokens:
                found.add(lay)
        return [lay for lay in self.layers() if lay in found]

    def known_paths(self) -> set[str]:
        """Every token path stored or in a layer this write has read (one statement)."""
        known = set(repository.token_paths(self.session))
        for lay in self._original:
            if lay.modifier is None or lay.modifier in self.doc.modifiers:  # not deleted
                known.update(self._slot(lay).tokens)
        return known

    def referencing_layers(self, paths: Iterable[str]) -> list[Layer]:
        """Layers holding a token whose stored value references one of ``paths``."""
        kinds = {v: k for k, v in self._ids.items()}
        found = {kinds[key] for key in repository.referring_layers(self.session, list(paths))}
        found.update(self._original)
        return [lay for lay in self.layers() if lay in found]

    def _carries(self) -> bool:
        """Whether the layers kept for :attr:`based_on` say anything of the new revision.

        Not past an import or a change of sets and modifiers.
        """
        return self.replacement is None and not (self.structural or self.removed or self.extra)

    def keep_layers(self, revision: int) -> None:
        """Once this write is committed as ``revision``: the layers it left are still kept.

        The layers of :attr:`based_on` kept decoded (:mod:`graphql_api.store.layer_cache`)
        that this write did not edit are those of ``revision`` too, and the edited ones
        that :meth:`store` rebuilt; nothing is carried past an import or a change of sets
        and modifiers.
        """
        if not self._carries():
            return
        edited = {self._ids[lay] for lay in self.touched if lay in self._ids}
        layer_cache.carry(self.session, self.based_on, revision, edited, self._written)

    def _rebuild_kept(
        self, changed: dict[Layer, list[str]], removed: dict[Layer, list[str]]
    ) -> None:
        """The edited layers kept at :attr:`based_on` as stored now, for :meth:`keep_layers`.

        Called once the rows are written (in the transaction, under the write lock). A
        layer is its kept document without the tokens whose rows were deleted, then the
        rows inserted, read back in one statement: the values as the database returns them
        (PostgreSQL's ``jsonb`` orders keys its own way), in the order of their row ids,
        as :func:`~graphql_api.store.repository.load_layers` gives a layer. A layer whose
        groups changed is left to be read again.
        """
        if not self._carries():
            return
        keys = {lay: self._ids[lay] for lay in changed}
        kept = layer_cache.kept(self.session, self.based_on, list(keys.values()))
        todo = [lay for lay in changed if keys[lay] in kept]
        if not todo:
            return
        paths = sorted({p for lay in todo for p in changed[lay]})
        docs: list[Document] = [Document() for _ in todo]
        if paths:
            docs, _ = repository.load_layers(
                self.session, [keys[lay] for lay in todo], paths=paths, groups=False
            )
        for lay, back in zip(todo, docs, strict=True):
            old = kept[keys[lay]]
            inserted = set(changed[lay])
            tokens = dict(old.tokens)  # a copy in C: a tenth of a filtered one
            for p in (*inserted, *removed[lay]):
                tokens.pop(p, None)  # deleted rows; inserted ones come last, as by row id
            tokens.update((p, n) for p, n in back.tokens.items() if p in inserted)
            self._written[keys[lay]] = Document(tokens, old.groups)

    # -- check ----------------------------------------------------------------------------

    def selections(self) -> list[dict[str, str]]:
        """Theme combinations a change can affect: those containing an edited layer."""
        every = combinations(self.doc)
        if self.structural or any(lay.modifier is None for lay in self.touched):
            return every
        edited = {(lay.modifier, lay.name) for lay in self.touched}
        return [s for s in every if any((m, c) in edited for m, c in s.items())]

    def check(self, revision: int = 0) -> CheckReport:
        """Check the edits: the affected combinations re-checked where an edit reaches.

        See :func:`graphql_api.writes.check.check` (incremental, exact; the full
        validation when it cannot be, or to word the problems).

        Args:
            revision: the revision the edits are based on (keys the running size totals).

        Raises:
            Invalid: with every problem (cycles, dangling references, type mismatches,
                invalid values…), each with its catalogue code, path and JSON Pointer.
        """
        from .check import check  # noqa: PLC0415 - check reads Workspace's layers

        return check(self, revision)

    # -- store ----------------------------------------------------------------------------

    def changes(self) -> list[ChangeRecord]:
        """Change-log entries for every token that differs in an edited layer."""
        out = list(self.extra)
        for lay in sorted(self.touched, key=self.layers().index):
            out.extend(layer_changes(lay.label, self._original[lay], self._slot(lay), self.renames))
        return out

    def store(self, *, message: str, author: str) -> WriteResult:
        """Write what differs, the change log and a new revision (flushed, not committed).

        An import (:attr:`replacement`) writes every row in place of the stored ones; an
        edit only the rows of what differs in its edited layers; a write that edited
        nothing (a release) only the revision.
        """
        if self.replacement is not None:
            records = self.replacement.write(self)
        else:
            records = self.changes()
            self._store_edits()
        return record(self.session, records, message=message, author=author)

    def _store_edits(self) -> None:
        """Delete and insert the rows of the tokens and groups that differ in edited layers."""
        paths = {p for lay in self.touched for p in self._slot(lay).tokens}
        paths |= {p for lay in self.touched for p in self._original[lay].tokens}
        token_ids, new_ids = token_rows.ensure_tokens(self.session, paths)
        if new_ids:  # stored values that referenced these paths before they had a row
            link_new_targets(self.session, new_ids)
        gone: set[str] = set()
        stale: dict[tuple[str, tuple[int, ...]], list[int]] = {}  # (kind, token ids) → layers
        batches: list[tuple[dict[str, int | None], list[Any]]] = []
        rewritten: dict[Layer, list[str]] = {}  # layers whose groups are unchanged
        dropped: dict[Layer, list[str]] = {}
        for lay in self.touched:
            key = self._ids[lay]
            changed, removed, regrouped = self._store_groups(lay)
            if not regrouped:
                rewritten[lay], dropped[lay] = changed, removed
            ids = tuple(
                sorted(token_ids[p] for p in changed + removed if p in self._original[lay].tokens)
            )
            if ids:
                stale.setdefault((key[0], ids), []).append(key[1])
            layer = token_rows.layer_columns(key)
            batches.append((layer, [self._slot(lay).tokens[p] for p in changed]))
            gone.update(removed)
        for (kind, ids), layer_ids in stale.items():  # one statement for a token in every layer
            token_rows.delete_values(self.session, kind, layer_ids, ids)
        token_rows.write_values(self.session, batches, token_ids)
        token_rows.delete_unused_tokens(self.session, gone)
        self._rebuild_kept(rewritten, dropped)

    def _store_groups(self, lay: Layer) -> tuple[list[str], list[str], bool]:
        """Store the layer's changed groups.

        Returns:
            (its changed token paths, its removed ones (to store), whether a group changed).
        """
        old, new = self._original[lay], self._slot(lay)
        changed = [p for p in new.tokens if not same_token(old.tokens.get(p), new.tokens[p])]
        removed = [p for p in old.tokens if p not in new.tokens]
        groups_changed = [
            p for p in set(old.groups) | set(new.groups) if old.groups.get(p) != new.groups.get(p)
        ]
        token_rows.replace_groups(
            self.session,
            self._ids[lay],
            groups_changed,
            [new.groups[p] for p in groups_changed if p in new.groups],
        )
        return changed, removed, bool(groups_changed)

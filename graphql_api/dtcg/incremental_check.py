"""Validation carried forward: re-check only what an edit reaches (Resolver module §6.3).

A state of the layers that passed :func:`~graphql_api.dtcg.validate.validate_document`
is edited: some tokens of some layers are added, replaced or removed. The new state has
a problem in a theme selection exactly when one of the tokens that *reach* an edited
path through references (the edited tokens included) has one, or the theme's resolved
size passes ``limits.MAX_RESOLVED_SIZE``:

- a token resolves from its own flattened node, the results of the tokens it references
  (transitively) and the group properties above it (Format module §5.2.2, §6.3.1, §7).
  With no ``$extends`` (whose copies depend on whole subtrees), a token whose node did
  not change, that sits in no group whose ``$type`` or ``$deprecated`` changed
  (:func:`regrouped`; the tokens inside one count as edited, :func:`paths_under`) and
  that reaches no edited path resolves and checks as before: without a problem;
- every token on a new reference cycle reaches an edited token, so cycles are searched
  among the re-checked tokens and the tokens they reference only;
- the theme's resolved size is a running total: the old total, minus the old sizes of
  the re-checked tokens, plus their new sizes. A token's size follows from its raw
  value and the sizes of what it reads, so the old sizes (of a valid state) are summed
  from the raw values, not resolved again, unless a string interpolates a reference.

:func:`check_selection` answers for one theme selection from its layers before and after
the edit, resolving only the tokens that reach an edited path and the tokens those
reference (looked up layer by layer, without flattening the whole theme). It says
whether the new state is valid; it does not word the problems: :func:`edit_problems`
does, from the same tokens, as the full validation (the reference implementation) words
them.
:func:`check_edit` checks every affected selection with one :class:`EditCache`: a token
that resolves from the same content in several selections (layers that copy it) is
resolved and checked once.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import partial
from typing import TYPE_CHECKING, Any

from . import studio_forms
from .nodes import Document, GroupNode, TokenNode, group_paths, iter_ancestors, merge_group
from .references import _measure, _Resolver, find_references
from .validate import _value_errors, check_token

if TYPE_CHECKING:
    from collections.abc import Callable, Collection, Iterable, Mapping, Sequence

    from .errors import DTCGError
    from .references import ResolvedToken
    from .refsyntax import Reference
    from .resolver import ResolverDocument


def dependants(referrers: Callable[[set[str]], set[str]], paths: Collection[str]) -> set[str]:
    """``paths`` and every token that reaches one of them through references.

    Args:
        referrers: given paths, the tokens whose value in any layer references one of
            them (a superset is fine: a token re-checked needlessly checks as before).
        paths: the edited paths.

    Returns:
        The closure, ``paths`` included; one ``referrers`` call per level of references.
    """
    seen = set(paths)
    frontier = set(paths)
    while frontier:
        frontier = referrers(frontier) - seen
        seen |= frontier
    return seen


def references_of(node: TokenNode) -> tuple[Reference, ...]:
    """Everything a token waits for: the references of its value and of its colour modifier.

    Lenient resolution (the write check's mode) applies Tokens Studio colour modifiers,
    whose references (``$extensions``) are dependencies like those of ``$value``.
    """
    refs = tuple(find_references(node.value))
    if node.extensions and (mods := studio_forms.modifier_references(node.extensions)):
        refs = (*refs, *mods)
    return refs


class LayeredView:
    """One theme selection's layers flattened on demand, path by path (Resolver §6.2).

    ``token(p)`` is the node of the last layer that defines ``p``; ``group(g)`` merges
    the group properties of every layer key by key, as :func:`~graphql_api.dtcg.nodes.
    flatten` does, without building the whole flattened document.
    """

    def __init__(self, layers: Sequence[Document]) -> None:
        self.layers = list(layers)
        self._reversed = self.layers[::-1]

    def token(self, path: str) -> TokenNode | None:
        """The flattened node at ``path``, or None."""
        for doc in self._reversed:
            node = doc.tokens.get(path)
            if node is not None:
                return node
        return None

    def group(self, path: str) -> GroupNode | None:
        """The flattened group at ``path``, or None."""
        out: GroupNode | None = None
        for doc in self.layers:
            g = doc.groups.get(path)
            if g is not None:
                out = g if out is None else merge_group(out, g)
        return out

    def extends(self) -> bool:
        """Whether a group of any layer uses ``$extends`` (§6.4)."""
        return any(g.extends is not None for doc in self.layers for g in doc.groups.values())


Refs = tuple["Reference", ...]


class EditCache:
    """What the theme selections of one edit share; nodes must stay alive while it is used.

    - per node: its references (:meth:`references`);
    - per node: its content class, equal for nodes with the same path, value, type,
      deprecation, colour modifier and ``$extends`` origin (the source file and pointer
      only word errors; the rest of ``$extensions`` and ``$description`` are read only
      by a reference to those properties, and a sub-document with one compares them
      too): layers that copy one token share it;
    - per resolution: a token's resolved form, keyed by its node's content class, the
      resolved forms of every token it reads and the group properties it inherits
      (everything :class:`~graphql_api.dtcg.references._Resolver` resolves it from), so
      that a token resolves once for every selection where it resolves alike;
    - per resolved token: whether it checks without a problem (:meth:`checks`).
    """

    def __init__(self) -> None:
        # node id → (node, value's references, modifier's references, both)
        self._refs: dict[int, tuple[TokenNode, Refs, Refs, Refs]] = {}
        self._classes: dict[tuple[Any, ...], int] = {}
        self._class_of: tuple[dict[int, int], dict[int, int]] = ({}, {})  # without, with metadata
        self.resolved: dict[tuple[Any, ...], tuple[ResolvedToken, int, int]] = {}
        self._checked: dict[int, tuple[ResolvedToken, bool]] = {}
        self._raw_sizes: dict[int, int] = {}

    def split_references(self, node: TokenNode) -> tuple[Refs, Refs]:
        """(references of the value, references of the colour modifier) of ``node``."""
        hit = self._refs.get(id(node)) or self._find(node)
        return hit[1], hit[2]

    def references(self, node: TokenNode) -> Refs:
        """What ``node`` waits for (:func:`references_of`), found once per node."""
        return (self._refs.get(id(node)) or self._find(node))[3]

    def _find(self, node: TokenNode) -> tuple[TokenNode, Refs, Refs, Refs]:
        value = tuple(find_references(node.value))
        mods: Refs = ()
        if node.extensions:
            mods = studio_forms.modifier_references(node.extensions)
        found = self._refs[id(node)] = (node, value, mods, (*value, *mods) if mods else value)
        return found

    def content_class(self, node: TokenNode, metadata: bool) -> int:
        """A number shared by the nodes with the same content (see the class docstring).

        ``metadata``: compare ``$description`` and the whole of ``$extensions`` too.
        """
        classes = self._class_of[metadata]
        found = classes.get(id(node))
        if found is None:
            key = (
                node.path,
                repr(node.value),
                node.type,
                repr(node.deprecated),
                node.extended_from,
                *(
                    (True, node.description, repr(node.extensions))
                    if metadata
                    else (False, repr(studio_forms.modifier(node.extensions)))
                ),
            )
            found = self._classes.setdefault(key, len(self._classes))
            self.split_references(node)  # keeps the node alive: its id stays its own
            classes[id(node)] = found
        return found

    def raw_size(self, node: TokenNode) -> int:
        """The size of ``node``'s raw value (JSON nodes and characters), measured once."""
        found = self._raw_sizes.get(id(node))
        if found is None:
            self.split_references(node)  # keeps the node alive: its id stays its own
            found = self._raw_sizes[id(node)] = _measure(node.value)[0]
        return found

    def checks(self, tok: ResolvedToken, resolved: dict[str, ResolvedToken]) -> bool:
        """Whether :func:`check_token` finds no problem in ``tok`` (once per resolved token).

        ``tok`` comes from a resolver sharing this cache, so the tokens it reads are
        fixed by its identity.
        """
        hit = self._checked.get(id(tok))
        if hit is None:
            hit = self._checked[id(tok)] = (tok, next(check_token(tok, resolved), None) is None)
        return hit[1]


def sub_document(
    view: LayeredView, roots: Iterable[str], cache: EditCache | None = None
) -> Document:
    """``roots`` present in ``view``, every token they reference (transitively), their groups.

    Group paths are the ancestors of the tokens taken; a reference to a path with no
    token is left dangling, as it is in the whole theme. ``cache``: shared by calls
    whose nodes stay alive (selections of one edit).
    """
    if cache is None:
        cache = EditCache()
    tokens: dict[str, TokenNode] = {}
    todo = list(dict.fromkeys(roots))
    while todo:
        path = todo.pop()
        if path in tokens:
            continue
        node = view.token(path)
        if node is None:
            continue
        tokens[path] = node
        todo.extend(r.target for r in cache.references(node) if r.target not in tokens)
    groups: dict[str, GroupNode] = {}
    for g in group_paths(tokens):
        merged = view.group(g)
        if merged is not None:
            groups[g] = merged
    return Document(tokens, groups)


#: Token properties a reference may read that resolving otherwise ignores.
_METADATA = frozenset({"$description", "$extensions"})


class _Shared(_Resolver):
    """A sub-document's resolver that takes each token's resolution from an :class:`EditCache`.

    A token whose every reference resolved is resolved once per key (see
    :class:`EditCache`); a later hit only takes its size from the theme's budget, as
    resolving it would.
    """

    def __init__(self, doc: Document, cache: EditCache) -> None:
        self.cache = cache
        super().__init__(doc)
        self.metadata = any(
            r.prop in _METADATA for refs in self.refs.values() for r in refs
        )  # a token reads another's $description or $extensions: compare them too

    def _references(self, node: TokenNode) -> tuple[tuple[Reference, ...], tuple[Reference, ...]]:
        return self.cache.split_references(node)

    def _finish(self, path: str) -> None:
        done = self.done
        deps = self.deps[path]
        if any(r.target not in done for r in deps):
            super()._finish(path)  # a dangling or failed reference: reported as usual
            return
        parent = path.rpartition(".")[0]
        key = (
            self.cache.content_class(self.doc.tokens[path], self.metadata),
            tuple(id(done[r.target]) for r in deps),
            self._inherited(parent, "type"),
            self._inherited(parent, "deprecated"),
        )
        hit = self.cache.resolved.get(key)
        if hit is None or hit[1] > self._budget:
            super()._finish(path)
            if hit is None and path in done:
                self.cache.resolved[key] = (done[path], *self._size[path])
            return
        tok, size, depth = hit
        self._budget -= size
        self._size[path] = (size, depth)
        done[path] = tok


@dataclass(frozen=True, slots=True)
class Outcome:
    """What re-checking one selection found.

    Attributes:
        valid: no problem among the re-checked tokens (and no resolved-size overflow, when
            the old total was given or the re-checked tokens did not grow).
        delta: new minus old resolved size of the re-checked tokens (Format §7 sizes).
        rechecked: how many tokens were resolved in the new state.
    """

    valid: bool
    delta: int
    rechecked: int


def _size(doc: Document, paths: Collection[str]) -> tuple[int, bool]:
    """Total resolved size of ``paths`` in ``doc`` and whether it resolved without errors."""
    r = _Resolver(doc)
    r.run()
    total = sum(r._size[p][0] for p in paths if p in r._size)
    return total, not r.errors


def _key(doc: Document) -> tuple[Any, ...]:
    """What resolving a sub-document depends on: its nodes, and the group types it inherits."""
    tokens = tuple((p, id(n)) for p, n in doc.tokens.items())
    groups = tuple((p, g.type, g.deprecated) for p, g in doc.groups.items())
    return tokens, groups


def _raw_size(
    view: LayeredView,
    paths: Collection[str],
    cache: EditCache,
    known: Mapping[str, int] | None = None,
) -> int | None:
    """Total resolved size of ``paths`` in a valid theme selection, from raw values alone.

    The size the resolver records for a token (:meth:`~graphql_api.dtcg.references.
    _Resolver._too_large`: its raw value's, none for a whole-value reference, plus the
    size of every ``$value`` it reads and of every other property it reads) needs no
    resolved value, unless a reference is interpolated (the target's CSS text counts).

    ``known``: sizes found otherwise (by resolving), used as they are.

    Returns:
        The total, or None when a reference is interpolated (in a token not in
        ``known``), dangling or circular: resolve instead.
    """
    nodes: dict[str, TokenNode | None] = {}

    def token(path: str) -> TokenNode | None:
        if path not in nodes:
            nodes[path] = view.token(path)
        return nodes[path]

    sizes: dict[str, int] = dict(known or {})
    for start in paths:
        if start in sizes or token(start) is None:
            continue
        stack = [start]
        on_stack = {start}
        while stack:
            path = stack[-1]
            node = nodes[path]
            assert node is not None  # noqa: S101 - only paths with a node are stacked
            refs = cache.split_references(node)[0]
            pending = None
            for ref in refs:
                if ref.interpolated or token(ref.target) is None:
                    return None
                if ref.prop == "$value" and ref.target not in sizes:
                    pending = ref.target
                    break
            if pending is not None:
                if pending in on_stack:
                    return None
                stack.append(pending)
                on_stack.add(pending)
                continue
            stack.pop()
            on_stack.discard(path)
            whole = bool(refs) and refs[0].pointer == ""
            size = 0 if whole else cache.raw_size(node)
            for ref in refs:
                if ref.prop == "$value":
                    size += sizes[ref.target]
                else:
                    size += _measure(getattr(nodes[ref.target], ref.prop[1:], None))[0]
            sizes[path] = size
    return sum(sizes[p] for p in paths if p in sizes)


def _recheck(new_doc: Document, affected: Collection[str], cache: EditCache) -> tuple[bool, int]:
    """Whether ``affected`` resolve and check without a problem in ``new_doc``; their size."""
    r = _Shared(new_doc, cache)
    r.run()
    present = [p for p in affected if p in new_doc.tokens]
    if r.errors or any(p not in r.done for p in present):
        return False, 0
    if not all(cache.checks(r.done[p], r.done) for p in present):
        return False, 0
    return True, sum(r._size[p][0] for p in present)


def _old_size(
    layers: Sequence[Document], affected: Collection[str], cache: EditCache
) -> int | None:
    """Resolved size of ``affected`` before the edit; None if that state had a problem.

    From raw values (:func:`_raw_size`; the old state is valid), else by resolving.
    """
    view = LayeredView(layers)
    size = _raw_size(view, affected, cache)
    if size is not None:
        return size
    size, ok = _size(sub_document(view, affected, cache), affected)
    return size if ok else None


def check_selection(
    old_layers: Sequence[Document],
    new_layers: Sequence[Document],
    affected: Collection[str],
    *,
    old_total: Callable[[], int] | None = None,
    limit: int | None = None,
    memo: dict[tuple[Any, ...], tuple[bool, int]] | None = None,
    cache: EditCache | None = None,
) -> Outcome:
    """Whether one theme selection is valid after an edit, its old state being valid.

    Args:
        old_layers: the selection's layers before the edit (valid: no problem).
        new_layers: the same layers after it; no ``$extends``.
        affected: the edited paths of these layers and every token that reaches one
            (:func:`dependants`; a superset is fine).
        old_total: the old theme's total resolved size, computed only when needed (the
            re-checked tokens grew); None: growth is taken as an overflow.
        limit: the resolved-size budget (default ``limits.MAX_RESOLVED_SIZE``).
        memo: shared by the selections of one edit: selections whose re-checked tokens
            have the same nodes and inherited group types are resolved once (validity
            and new size; the old size is computed for each).
        cache: shared by the selections of one edit (:class:`EditCache`).

    Returns:
        The :class:`Outcome`; ``valid`` False means the full validation must say why.
    """
    from . import limits  # noqa: PLC0415 - read when called, a test may change it

    budget = limits.MAX_RESOLVED_SIZE if limit is None else limit
    if cache is None:
        cache = EditCache()
    return _within_budget(
        _unbudgeted(old_layers, new_layers, affected, memo, cache), old_total, budget
    )


def _unbudgeted(
    old_layers: Sequence[Document],
    new_layers: Sequence[Document],
    affected: Collection[str],
    memo: dict[tuple[Any, ...], tuple[bool, int]] | None,
    cache: EditCache,
) -> Outcome:
    """:func:`check_selection` but for the size budget: ``valid`` says no other problem."""
    new_doc = sub_document(LayeredView(new_layers), affected, cache)
    key = _key(new_doc)
    found = memo.get(key) if memo is not None else None
    if found is None:
        found = _recheck(new_doc, affected, cache)
        if memo is not None:
            memo[key] = found
    ok, new_size = found
    n = len(new_doc.tokens)
    old_size = _old_size(old_layers, affected, cache) if ok else None
    if old_size is None:  # a problem now, or before (then let the full check speak)
        return Outcome(False, 0, n)
    return Outcome(True, new_size - old_size, n)


def _within_budget(found: Outcome, old_total: Callable[[], int] | None, budget: int) -> Outcome:
    """``found`` (:func:`_unbudgeted`), invalid when its growth passes the size budget."""
    grows = found.valid and found.delta > 0
    if grows and (old_total is None or old_total() + found.delta > budget):
        return Outcome(False, found.delta, found.rechecked)
    return found


def _occupied(old: Sequence[Document], new: Sequence[Document]) -> tuple[tuple[int, int], ...]:
    """The identities of a selection's layers that hold a token or a group, in order.

    A layer with neither adds nothing to a sub-document (:class:`LayeredView`): two
    selections that differ only in such layers check alike. The write path reads layers
    in part, so a layer that defines none of the tokens looked up is empty there.
    """
    return tuple(
        (id(o), id(n))
        for o, n in zip(old, new, strict=True)
        if o.tokens or o.groups or n.tokens or n.groups
    )


def total_size(layers: Sequence[Document]) -> int:
    """A theme's total resolved size (what ``limits.MAX_RESOLVED_SIZE`` bounds), resolved whole."""
    from .nodes import flatten  # noqa: PLC0415

    r = _Resolver(flatten(layers))
    r.run()
    return sum(s for s, _ in r._size.values())


def valid_total_size(layers: Sequence[Document], cache: EditCache | None = None) -> int:
    """A valid theme's total resolved size, summed from raw values (:func:`_raw_size`).

    Equal to :func:`total_size` (the reference, which resolves the whole theme) for a theme
    selection without problems, as every stored state is: each token's size is its raw
    value's plus the sizes of what it reads (``_Resolver._too_large``), so no value is
    resolved but those of the tokens that interpolate references (the targets' CSS text
    counts), with what they reference. Resolves the whole theme when the state has a
    problem.

    Args:
        layers: the selection's layers, in resolution order.
        cache: shared references per node (:class:`EditCache`); the nodes must stay alive.

    Returns:
        The total, in JSON nodes and characters (what ``limits.MAX_RESOLVED_SIZE`` bounds).
    """
    if cache is None:
        cache = EditCache()
    view = LayeredView(layers)
    flat: dict[str, TokenNode] = {}
    for doc in layers:  # the last layer that defines a token wins (Resolver §6.2)
        flat.update(doc.tokens)
    interpolating = [
        p for p, node in flat.items() if any(r.interpolated for r in cache.references(node))
    ]
    known: dict[str, int] = {}
    if interpolating:  # resolved with what they reference, as the whole theme would
        r = _Resolver(sub_document(view, interpolating, cache))
        r.run()
        if r.errors:
            return total_size(layers)
        known = {p: size for p, (size, _depth) in r._size.items()}
    size = _raw_size(view, flat, cache, known)
    return size if size is not None else total_size(layers)


def layer_edits(old: Document, new: Document) -> set[str]:
    """Paths whose node differs between two states of one layer (added, replaced, removed)."""
    out = {p for p, n in new.tokens.items() if old.tokens.get(p) != n}
    out.update(p for p in old.tokens if p not in new.tokens)
    return out


def _inherited(group: GroupNode | None) -> tuple[Any, ...]:
    """What tokens take from a group: ``$type``, ``$deprecated``, and ``$extends`` copies."""
    if group is None:
        return (None, None, None)
    return (group.type, group.deprecated, group.extends)


def regrouped(old: Document, new: Document) -> set[str]:
    """Group paths of one layer whose properties tokens inherit differ between two states.

    A token inherits only ``$type`` and ``$deprecated`` from its groups, and ``$extends``
    copies subtrees (Format module §6.3.1, §6.4). A group added or removed with none of
    them set (``createToken`` at a new path), or one whose ``$description`` or
    ``$extensions`` changed, changes how no token resolves.
    """
    paths = old.groups.keys() | new.groups.keys()
    return {p for p in paths if _inherited(old.groups.get(p)) != _inherited(new.groups.get(p))}


def paths_under(paths: Iterable[str], groups: Collection[str]) -> set[str]:
    """The token ``paths`` inside any of ``groups`` (``""``: the root group holds every path).

    Where a group's inherited ``$type`` or ``$deprecated`` changed (:func:`regrouped`),
    these tokens count as edited, in every layer: flattening merges a group's properties
    across layers (Resolver module §6.2), so the tokens of any layer inherit them.
    """
    wanted = set(groups)
    if not wanted:
        return set()
    return {p for p in paths if any(a in wanted for a in iter_ancestors(p))}


def ancestors_of(paths: Iterable[str]) -> set[str]:
    """Group paths above any of ``paths`` (for reading only the groups a check needs)."""
    out: set[str] = set()
    for p in paths:
        out.update(iter_ancestors(p))
    return out


@dataclass(frozen=True, slots=True)
class EditOutcome:
    """What re-checking every affected selection found.

    Attributes:
        valid: no problem in any selection (False: run the full validation).
        deltas: per selection, in the order given, the change of its resolved-size total.
        rechecked: tokens resolved in the new state, summed over the selections.
    """

    valid: bool
    deltas: list[int]
    rechecked: int


def check_edit(
    selections: Sequence[tuple[Sequence[Document], Sequence[Document]]],
    affected: Collection[str],
    old_totals: Sequence[Callable[[], int]] | None = None,
    cache: EditCache | None = None,
) -> EditOutcome:
    """Whether an edit leaves every affected theme selection valid (see the module docstring).

    Args:
        selections: per affected selection, its layers before and after the edit (the
            state before passed :func:`~graphql_api.dtcg.validate.validate_document`;
            no ``$extends``; the tokens inside a regrouped group among the edited).
        affected: every path added, replaced or removed in an edited layer and every
            token that reaches one (:func:`dependants` of the state before).
        old_totals: per selection, its old resolved-size total, computed when needed.
        cache: what the selections share (:class:`EditCache`); the caller may pass the
            one it found references with, while the documents' nodes stay alive.

    Returns:
        The :class:`EditOutcome`; stops at the first selection found invalid.
    """
    deltas: list[int] = []
    rechecked = 0
    memo: dict[tuple[Any, ...], tuple[bool, int]] = {}
    alike: dict[tuple[tuple[int, int], ...], Outcome] = {}  # by occupied layers
    if cache is None:
        cache = EditCache()
    from . import limits  # noqa: PLC0415 - read when called, a test may change it

    for i, (old, new) in enumerate(selections):
        total = old_totals[i] if old_totals is not None else None
        key = _occupied(old, new)
        found = alike.get(key)
        if found is None:
            found = alike[key] = _unbudgeted(old, new, affected, memo, cache)
        outcome = _within_budget(found, total, limits.MAX_RESOLVED_SIZE)
        rechecked += outcome.rechecked
        if not outcome.valid:
            return EditOutcome(False, deltas, rechecked)
        deltas.append(outcome.delta)
    return EditOutcome(True, deltas, rechecked)


class _Groups:
    """The group paths of a whole theme, asked one at a time (``path in groups``)."""

    def __init__(self, test: Callable[[str], bool]) -> None:
        self.test = test

    def __contains__(self, path: object) -> bool:
        return isinstance(path, str) and self.test(path)


def canonical_order(layers: Sequence[Document], paths: Collection[str]) -> list[str]:
    """``paths`` in the order a theme of ``layers`` lists them once each layer is sorted by path.

    Flattening keeps a token where it first appears (:func:`~graphql_api.dtcg.nodes.
    flatten`): by the first layer that defines it, then by path. Every layer must hold
    each of ``paths`` it defines (a layer read in part holds at least those).
    """
    first: dict[str, int] = {}
    for i, doc in enumerate(layers):
        for p in paths:
            if p not in first and p in doc.tokens:
                first[p] = i
    return sorted(first, key=lambda p: (first[p], p))


def sorted_layer(doc: Document) -> Document:
    """``doc`` with its tokens in path order (the canonical order refusals are worded in)."""
    return Document(dict(sorted(doc.tokens.items())), doc.groups)


def sorted_layers(doc: ResolverDocument) -> ResolverDocument:
    """A copy of ``doc`` whose every layer lists its tokens in path order (:func:`sorted_layer`).

    What :func:`~graphql_api.dtcg.validate.validate_document` is given to word a refused
    edit's problems in the order :func:`edit_problems` gives them.
    """
    sets = {n: replace(s, document=sorted_layer(s.document)) for n, s in doc.sets.items()}
    modifiers = {
        n: replace(m, contexts={c: sorted_layer(d) for c, d in m.contexts.items()})
        for n, m in doc.modifiers.items()
    }
    return replace(doc, sets=sets, modifiers=modifiers)


@dataclass(frozen=True, slots=True)
class Refusal:
    """The problems of an edit, worded from the tokens it reaches.

    Attributes:
        problems: what :func:`~graphql_api.dtcg.validate.validate_document` reports for the
            same selections, in order, when each layer lists its tokens by path
            (:func:`sorted_layer`) and no selection passes the size budget.
        growth: per selection, the new minus the old resolved size of the re-checked
            tokens that resolve now (the caller checks the budget with it).
    """

    problems: list[DTCGError]
    growth: list[int]


def edit_problems(
    selections: Sequence[tuple[Sequence[Document], Sequence[Document]]],
    affected: Collection[str],
    is_group: Callable[[int, str], bool],
    cache: EditCache | None = None,
) -> Refusal | None:
    """Every problem of an edit, as the full validation words it, without the whole themes.

    A token that reaches no edited path resolves and checks as before, without a problem
    (module docstring), and every token that reaches a problem is re-checked. So
    resolving the sub-document of ``affected`` (closed under references), listed in the
    canonical order (:func:`canonical_order`), gives the whole theme's errors in the same
    order and with the same words: a token's resolution, a cycle's start and the order of
    cycles and value checks depend only on the tokens that reach them.

    Args:
        selections: as for :func:`check_edit`.
        affected: the edited paths and every token that reaches one.
        is_group: ``(index of a selection, path)`` → whether a token of that selection's
            new state lies under ``path`` (a reference to it is ``GROUP_REFERENCE``, not
            ``UNRESOLVABLE_REFERENCE``); asked only for references to missing paths.
        cache: the edit's :class:`EditCache`.

    Returns:
        The :class:`Refusal` (its ``problems`` deduplicated across selections like
        :func:`~graphql_api.dtcg.validate.validate_document`'s), or None when a
        sub-document alone passes the size budget (its wording needs the whole theme).
    """
    if cache is None:
        cache = EditCache()
    seen: dict[tuple[str, str, str, str], DTCGError] = {}
    memo: dict[tuple[Any, ...], tuple[Any, Any, list[DTCGError]]] = {}
    growth: list[int] = []
    for i, (old, new) in enumerate(selections):
        sub = sub_document(LayeredView(new), affected, cache)
        doc = Document({p: sub.tokens[p] for p in canonical_order(new, sub.tokens)}, sub.groups)
        r = _Resolver(doc)
        r.__dict__["groups"] = _Groups(partial(is_group, i))  # the whole theme's groups
        r.run()
        ordered = {p: r.done[p] for p in doc.tokens if p in r.done}
        errs = [*r.errors, *_value_errors(ordered, False, memo)]
        if any(e.message == _Resolver._over_budget() for e in errs):
            return None
        for err in errs:
            seen.setdefault((err.code, err.file, err.pointer, err.path), err)
        new_size = sum(r._size[p][0] for p in affected if p in r._size)
        old_size = _old_size(old, affected, cache)
        growth.append(new_size - (old_size or 0))
    return Refusal(list(seen.values()), growth)


def reverse_references(documents: Iterable[Document]) -> dict[str, set[str]]:
    """Target path → paths whose node (in any of ``documents``) references it.

    The reverse graph :func:`check_edit` needs, built from documents in memory (the
    write path reads it from the stored alias rows instead).
    """
    out: dict[str, set[str]] = {}
    for doc in documents:
        for path, node in doc.tokens.items():
            for ref in references_of(node):
                out.setdefault(ref.target, set()).add(path)
    return out

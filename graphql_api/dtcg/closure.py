"""Theme combinations resolved in part: the tokens a question reads and what they reference.

``impact(path)`` needs, in every theme combination, the tokens that reach ``path`` through
references; ``contrastReport`` needs the colours of its pairs. Resolving those tokens and
the tokens they reference (transitively) gives each of them exactly as resolving the whole
combination does: a token resolves from its own flattened node, the results of the tokens
it references and the group properties above it (Format module §5.2.2, §6.3.1, §7; the
argument of :mod:`.incremental_check`). That holds when no group uses ``$extends``, whose
copies depend on whole subtrees: the caller resolves whole combinations then.

Combinations differ only in the layers they select. One :class:`PartialResolver` serves
every combination of a question: it shares an :class:`~.incremental_check.EditCache`, so
a token that resolves from the same content in several combinations is resolved once (its
``$description`` and ``$extensions`` included: a read shows them), and combinations whose
needed tokens come from the same nodes share one resolution.

The reverse references here are those of token *values* (``Snapshot.referenced_by``, what
``impact`` follows), not those of Tokens Studio colour modifiers; the tokens a value or a
colour modifier reads are all resolved.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .incremental_check import EditCache, LayeredView, _key, _Shared, sub_document
from .references import find_references

if TYPE_CHECKING:
    from collections.abc import Collection, Iterable, Mapping, Sequence

    from .errors import DTCGError
    from .nodes import Document
    from .references import ResolvedToken


class _Exact(_Shared):
    """:class:`~.incremental_check._Shared` sharing only tokens equal in every property shown.

    The write check shares a resolution between nodes that differ in ``$description`` or
    ``$extensions`` (only validity matters there); a read shows both (``Token.description``,
    ``Token.extensions``), and the token's node is the one it was resolved from. So the
    nodes' content classes compare them too (Primer's theme files give one token
    different ``$extensions`` per context).
    """

    def __init__(self, doc: Document, cache: EditCache) -> None:
        super().__init__(doc, cache)
        self.metadata = True


def referrers_within(
    view: LayeredView, roots: Iterable[str], candidates: Iterable[str], cache: EditCache
) -> set[str]:
    """Tokens of ``view`` whose value reaches one of ``roots`` through references.

    Only ``candidates`` are looked at: they must hold every such token (a superset is
    fine, e.g. every path whose value references a root in any layer, transitively).
    ``roots`` themselves are in the result only when they reach one another.

    Returns:
        The paths, in no order; one look-up per candidate and layer.
    """
    back: dict[str, list[str]] = {}
    for path in candidates:
        node = view.token(path)
        if node is None:
            continue
        for ref in cache.split_references(node)[0]:
            back.setdefault(ref.target, []).append(path)
    return reach(back, roots)


class PartialResolver:
    """Resolves a few tokens in each theme combination of one question (module docstring).

    Keep one per question (request): it recognises combinations by the identity of their
    layers' documents (and of the ``candidates`` given) and keeps every one it was given
    alive, so an identity is never reused for another document while it is in use.

    Attributes:
        cache: what the combinations share (references per node, resolutions by content).
        resolved: sub-documents resolved (combinations that shared one count once).
    """

    def __init__(self) -> None:
        self.cache = EditCache()
        self.resolved = 0
        self._memo: dict[tuple[Any, ...], tuple[dict[str, ResolvedToken], list[DTCGError]]] = {}
        self._alike: dict[tuple[Any, ...], tuple[dict[str, ResolvedToken], list[DTCGError]]] = {}
        self._kept: list[object] = []  # what the keys of _alike name by id()

    def resolve(
        self,
        layers: Sequence[Document],
        roots: Collection[str],
        candidates: Collection[str] | None = None,
    ) -> tuple[dict[str, ResolvedToken], list[DTCGError]]:
        """``roots`` of one combination resolved, with everything they reference.

        Args:
            layers: the combination's layers in resolution order; each must hold at least
                the tokens involved (``roots``, ``candidates`` and what they reference)
                and every group above them.
            roots: the tokens asked for (absent ones are left out).
            candidates: when given, also every token that reaches a root through value
                references (:func:`referrers_within`), found among these paths.

        Returns:
            ``(path → resolved token, errors)``: the tokens as resolving the whole
            combination gives them (without ``$extends``), and the resolution errors of
            the tokens resolved (none for a stored state). Do not change the mapping:
            combinations that need the same nodes share it.
        """
        # layers with neither a token nor a group add nothing (a context that defines none
        # of the tokens read): combinations that differ only in those resolve alike
        alike = (
            tuple(id(d) for d in layers if d.tokens or d.groups),
            tuple(roots),
            id(candidates),
        )
        hit = self._alike.get(alike)
        if hit is not None:
            return hit
        view = LayeredView(layers)
        wanted = set(roots)
        if candidates is not None:
            wanted |= referrers_within(view, roots, candidates, self.cache)
        sub = sub_document(view, sorted(wanted), self.cache)
        key = _key(sub)
        found = self._memo.get(key)
        if found is None:
            r = _Exact(sub, self.cache)
            r.run()
            found = ({p: r.done[p] for p in sub.tokens if p in r.done}, list(r.errors))
            self._memo[key] = found
            self.resolved += 1
        self._alike[alike] = found
        self._kept.append((tuple(layers), candidates))
        return found


def extends_anywhere(layers: Iterable[Document]) -> bool:
    """Whether a group of any of ``layers`` uses ``$extends`` (then resolve whole themes)."""
    return any(g.extends is not None for doc in layers for g in doc.groups.values())


def defined_paths(layers: list[Document]) -> set[str] | None:
    """Every token path one of ``layers`` defines: the tokens any combination of them has.

    None when a group uses ``$extends`` (its copies are made while a combination is
    flattened, under paths no layer names).
    """
    if extends_anywhere(layers):
        return None
    return {path for doc in layers for path in doc.tokens}


def value_referrers(layers: Iterable[Document]) -> dict[str, list[str]]:
    """Target path → paths whose value, in any of ``layers``, references it (directly).

    From documents in memory, every node looked at once (the stored data reads the same
    from its alias rows instead); what :func:`reach` walks.
    """
    back: dict[str, list[str]] = {}
    for doc in layers:
        for path, node in doc.tokens.items():
            for target in {r.target for r in find_references(node.value)}:
                back.setdefault(target, []).append(path)
    return back


def reach(back: Mapping[str, Collection[str]], roots: Iterable[str]) -> set[str]:
    """Paths that reach one of ``roots`` through ``back`` (:func:`value_referrers`).

    A superset of each combination's referrers (the ``candidates`` of
    :meth:`PartialResolver.resolve`); ``roots`` are in it only when they reach one another.
    """
    seen: set[str] = set()
    todo = list(roots)
    while todo:
        for nxt in back.get(todo.pop(), ()):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen

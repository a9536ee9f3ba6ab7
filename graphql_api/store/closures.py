"""Every theme combination resolved in part: the tokens one question reads, nothing else.

``impact(path)`` and ``contrastReport`` ask about a few tokens in every combination. Instead
of resolving each combination whole (:meth:`~.snapshots.SnapshotStore.sweep`), the stored
layers are read for those tokens only, and each combination resolves them and what they
reference (:class:`~graphql_api.dtcg.closure.PartialResolver`, shared by the combinations,
so that what resolves alike in several is resolved once):

- the tokens that reach the roots through value references (for ``impact``) come from the
  stored alias rows, one recursive statement (:func:`.alias_graph.alias_reach`): a
  superset, narrowed per combination;
- the layers are read for those paths with every group (two statements), then one
  statement per level of references for the tokens they reference.

The result is a :class:`~.snapshots.Snapshot` per combination holding just those tokens,
built for the question and dropped with it: nothing is stored in the caches that serve
ordinary reads. When that cannot be exact (a group uses ``$extends``) or the data changed
while it was read, the caller resolves whole combinations instead.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from ..dtcg.closure import PartialResolver, extends_anywhere, reach
from ..dtcg.errors import DTCGErrorGroup
from ..dtcg.resolver import normalise_input
from . import repository
from .alias_graph import alias_reach
from .snapshots import Snapshot

if TYPE_CHECKING:
    from collections.abc import Callable, Collection, Iterator, Mapping

    from sqlalchemy.orm import Session

    from ..dtcg.nodes import Document
    from ..dtcg.resolver import ResolverDocument

LayerId = tuple[str, int]
#: Key in a snapshot's ``memo`` marking it as built in part for one question (True).
PARTIAL_MEMO = "partial"
#: Most paths one statement names (``IN (…)``); beyond, every token of the layers is read.
MAX_PATHS = 5000


def every_layer(catalog: repository.Catalog) -> list[LayerId]:
    """``("set" | "theme", id)`` of every stored layer: each set, each modifier's contexts."""
    return [("set", sid) for sid, _, _ in catalog.sets] + [
        ("theme", c.id) for m in catalog.modifiers.values() for c in m.contexts
    ]


def read_in_part(
    session: Session,
    catalog: repository.Catalog,
    roots: Collection[str],
    resolver: PartialResolver,
    *,
    referrers: bool,
) -> tuple[dict[LayerId, Document], set[str] | None] | None:
    """Every stored layer, read for ``roots`` and the tokens involved with them.

    Args:
        session: the request's session.
        catalog: the stored structure at the revision read.
        roots: the paths asked about.
        resolver: finds each node's references once (the question's resolver).
        referrers: also read every token whose value reaches a root (alias rows).

    Returns:
        ``(layer id → document, candidates)``: each document holds at least the involved
        tokens it defines and every group; ``candidates`` are the paths that may reach a
        root (None without ``referrers``). None when a group uses ``$extends``.
        ``2 + levels of references`` statements (one more with ``referrers``); a level of
        more than :data:`MAX_PATHS` paths reads every token instead and ends the reading.
    """
    ids = every_layer(catalog)
    candidates = alias_reach(session, roots) if referrers else None
    wanted = set(roots) | (candidates or set())
    whole = len(wanted) > MAX_PATHS  # as many paths as a statement may name: read it all
    loaded, _ = repository.load_layers(session, ids, paths=None if whole else sorted(wanted))
    if extends_anywhere(loaded):
        return None
    docs = dict(zip(ids, loaded, strict=True))
    seen = set(wanted)
    frontier = set() if whole else wanted
    while frontier:
        targets: set[str] = set()
        for doc in loaded:
            for path in frontier:
                node = doc.tokens.get(path)
                if node is not None:
                    targets.update(r.target for r in resolver.cache.references(node))
        frontier = targets - seen
        if not frontier:
            break
        seen |= frontier
        paths = None if len(frontier) > MAX_PATHS else sorted(frontier)
        more, _ = repository.load_layers(session, ids, paths=paths, groups=False)
        for doc, extra in zip(loaded, more, strict=True):
            doc.tokens.update(extra.tokens)
        if paths is None:
            break  # every token is read
    return docs, candidates


def sweep_in_part(
    session: Session,
    revision: int,
    catalog: repository.Catalog,
    selections: list[dict[str, str]],
    roots: Collection[str],
    *,
    referrers: bool = False,
) -> Iterator[Snapshot] | None:
    """A snapshot per selection holding ``roots`` resolved, and what they reference.

    With ``referrers``, also every token whose value reaches a root (its dependants, what
    ``impact`` lists), so that ``referenced_by`` is complete for the roots and them.
    Tokens absent from a combination are absent from its snapshot.

    The layers are read at once (:func:`read_in_part`); each snapshot is resolved when
    the iterator reaches it (the caller may stop between combinations).

    Returns:
        The snapshots, in the order of ``selections``, or None when they cannot be exact
        (``$extends``, or the revision moved while the layers were read): resolve whole
        combinations.

    Raises:
        DTCGErrorGroup: a bad selection, or the tokens involved do not resolve (a stored
            state always does).
    """
    resolver = PartialResolver()
    read = read_in_part(session, catalog, roots, resolver, referrers=referrers)
    if read is None or repository.current_revision(session) != revision:
        return None
    docs, candidates = read
    return _each(
        resolver,
        catalog.modifier_contexts(),
        selections,
        lambda selection: [docs[i] for i in catalog.layer_ids(selection)],
        roots,
        candidates=candidates,
        revision=revision,
        release=None,
    )


def sweep_release_in_part(
    doc: ResolverDocument,
    revision: int,
    name: str,
    selections: list[dict[str, str]],
    roots: Collection[str],
    *,
    referrers: Mapping[str, Collection[str]] | None = None,
) -> Iterator[Snapshot] | None:
    """:func:`sweep_in_part` over release ``name``'s frozen layers (held in memory).

    ``referrers``: target path → paths whose value references it in any layer of the
    release (:func:`~graphql_api.dtcg.closure.value_referrers`, kept with the release:
    :meth:`~.snapshots.SnapshotStore.release_referrers`); given, the tokens that reach a
    root are included as :func:`sweep_in_part` does. Returns None when a group uses
    ``$extends``.

    Raises:
        DTCGErrorGroup: as :func:`sweep_in_part`.
    """
    layers = doc.every_layer()
    if extends_anywhere(layers):
        return None
    resolver = PartialResolver()
    candidates = reach(referrers, roots) if referrers is not None else None
    return _each(
        resolver,
        {m.name: (list(m.contexts), m.default) for m in doc.modifiers.values()},
        selections,
        doc.layers,
        roots,
        candidates=candidates,
        revision=revision,
        release=name,
    )


def _each(
    resolver: PartialResolver,
    contexts: Mapping[str, tuple[list[str], str | None]],
    selections: list[dict[str, str]],
    layers_of: Callable[[dict[str, str]], list[Document]],
    roots: Collection[str],
    *,
    candidates: Collection[str] | None,
    revision: int,
    release: str | None,
) -> Iterator[Snapshot]:
    """Each selection's partial snapshot, resolved when the iterator reaches it."""
    built: dict[int, Snapshot] = {}
    for theme in selections:
        selection = normalise_input(contexts, theme)
        yield _partial(
            resolver,
            layers_of(selection),
            roots,
            candidates=candidates,
            revision=revision,
            selection=selection,
            release=release,
            built=built,
        )


def _partial(
    resolver: PartialResolver,
    layers: list[Document],
    roots: Collection[str],
    *,
    candidates: Collection[str] | None,
    revision: int,
    selection: dict[str, str],
    release: str | None,
    built: dict[int, Snapshot],
) -> Snapshot:
    """One combination's partial snapshot (see :func:`sweep_in_part`).

    ``built``: the snapshots made so far by resolution (the id of its tokens); a
    combination that resolved alike shares its tokens and indexes, with its own selection,
    memo and lineage (what upper layers prepare per combination).
    """
    tokens, errors = resolver.resolve(layers, roots, candidates)
    if errors:
        raise DTCGErrorGroup(errors)
    same = built.get(id(tokens))
    if same is None:
        snap = built[id(tokens)] = Snapshot.build(revision, selection, tokens)
    else:
        snap = replace(same, selection=selection, memo={}, lineage={})
    snap.memo[PARTIAL_MEMO] = True
    if release is not None:
        snap.memo["release"] = release
    return snap

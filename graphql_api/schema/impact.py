"""``Query.impact``: where a change to a token would show, in every theme combination.

Follows each combination's reverse references (and ``$extends`` copies) in its snapshot;
the current data's combinations are resolved once per request through
:meth:`~graphql_api.schema.request_context.RequestContext.sweep`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

from ..dtcg.paths import sort_paths
from ..store import repository
from . import types as T  # noqa: N812 - short alias
from .not_found import token_not_found
from .queries import ReleaseArg  # noqa: TC001 - Strawberry reads the annotations
from .request_context import RequestContext

if TYPE_CHECKING:
    from ..store.snapshots import Snapshot

Info = strawberry.Info[RequestContext, None]


@strawberry.type(description="The tokens one theme combination would change.")
class ImpactedTheme:
    """One combination of ``Query.impact``."""

    theme: list[T.SelectedContext] = strawberry.field(description="The combination.")
    tokens: list[T.Token] = strawberry.field(
        description="Tokens whose resolved value derives from the token (references, "
        "chains, composites, `$extends` copies), in path order; the token itself excluded."
    )


@strawberry.type(description="Where a change to a token would show.")
class Impact:
    """Result of ``Query.impact``."""

    path: str = strawberry.field(description="The token asked about.")
    total_count: int = strawberry.field(
        description="Distinct tokens affected in at least one combination."
    )
    themes: list[ImpactedTheme] = strawberry.field(
        description="Every theme combination that has the token, with what it would change."
    )


def dependents(snap: Snapshot, path: str) -> list[str]:
    """Paths whose resolved value derives from ``path`` in one snapshot, in natural order.

    Follows reverse references transitively, and tokens copied from it by a group's
    ``$extends`` (DTCG Format §6.4), which carry it as ``extended_from``.
    """
    copies: dict[str, list[str]] | None = snap.memo.get("extended_by")
    if copies is None:
        copies = {}
        for p, tok in snap.tokens.items():
            if tok.node.extended_from is not None:
                copies.setdefault(tok.node.extended_from, []).append(p)
        snap.memo["extended_by"] = copies
    seen: set[str] = set()
    todo = [path]
    while todo:
        current = todo.pop()
        for nxt in (*snap.referenced_by.get(current, ()), *copies.get(current, ())):
            if nxt not in seen and nxt != path:
                seen.add(nxt)
                todo.append(nxt)
    return sort_paths(seen)


@strawberry.type(description="Impact of a change to a token.")
class ImpactQuery:
    """The ``impact`` field (merged into ``Query``)."""

    @strawberry.field(
        description="Every token, in every theme combination, whose resolved value would "
        "change if the token at `path` changed. A path that is a token in no combination: "
        "null and the error `TOKEN_NOT_FOUND` with up to three close paths."
    )
    def impact(
        self,
        info: Info,
        path: Annotated[str, strawberry.argument(description="Dotted path of the token.")],
        release: ReleaseArg = None,
    ) -> Impact | None:
        """Reverse references of each combination's snapshot (:func:`dependents`).

        Raises:
            GraphQLError: ``TOKEN_NOT_FOUND`` (:mod:`.not_found`).
        """
        ctx = info.context
        if release is None:  # a path stored in no layer: refused before any theme is resolved
            stored = repository.token_paths(ctx.session)
            if path not in stored:
                raise token_not_found([path], stored)
        selections = ctx.theme_combinations(release)
        themes: list[ImpactedTheme] = []
        affected: set[str] = set()
        known: set[str] = set()
        snaps = (
            ctx.sweep(selections)
            if release is None
            else (ctx.snapshot(s, release) for s in selections)
        )
        for selection, snap in zip(selections, snaps, strict=True):
            if path not in snap.tokens:
                known.update(snap.paths)
                continue
            paths = dependents(snap, path)
            affected.update(paths)
            index = T.token_objects(snap)
            themes.append(
                ImpactedTheme(
                    theme=[T.SelectedContext(modifier=m, context=c) for m, c in selection.items()],
                    tokens=[index[p] for p in paths],
                )
            )
        if not themes:
            raise token_not_found([path], known)
        return Impact(path=path, total_count=len(affected), themes=themes)

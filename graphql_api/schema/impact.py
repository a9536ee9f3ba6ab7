"""``Query.impact``: where a change to a token would show, in every theme combination.

Follows each combination's reverse references (and ``$extends`` copies) in its snapshot.
The snapshots hold only the token, the tokens that reach it and what those reference
(:meth:`~graphql_api.schema.request_context.RequestContext.sweep_in_part`: every
combination resolves just those, sharing what resolves alike), when the listed tokens are
selected with fields that read nothing else (:func:`.read_scope.selection_reads_only_tokens`:
no ``referencedBy``, ``contrast``, ``valuesByContext``). Otherwise, or when a group uses
``$extends``, whole combinations are resolved once per request
(:meth:`~graphql_api.schema.request_context.RequestContext.sweep`). Neither stores what
it resolves in the caches that serve ordinary reads (of the current data or of releases).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from graphql import FieldNode, FragmentSpreadNode, InlineFragmentNode

from ..compat import raw_info
from ..dtcg.paths import sort_paths
from . import types as T  # noqa: N812 - short alias
from .not_found import token_not_found
from .queries import ReleaseArg  # noqa: TC001 - Strawberry reads the annotations
from .read_scope import selection_reads_only_tokens
from .request_context import RequestContext

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

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


def _children(nodes: Iterable[FieldNode], name: str, fragments: Any) -> Iterator[FieldNode]:
    """The fields called ``name`` selected directly under ``nodes`` (fragments followed)."""
    stack: list[Any] = [s for n in nodes if n.selection_set for s in n.selection_set.selections]
    while stack:
        sel = stack.pop()
        if isinstance(sel, FieldNode):
            if sel.name.value == name:
                yield sel
        elif isinstance(sel, InlineFragmentNode):
            stack.extend(sel.selection_set.selections)
        elif isinstance(sel, FragmentSpreadNode):
            fragment = fragments.get(sel.name.value)
            if fragment is not None:
                stack.extend(fragment.selection_set.selections)


def tokens_read_in_part(info: Info) -> bool:
    """Whether the listed tokens (``themes { tokens { … } }``) read only their own closure.

    True when every selection of them uses only the fields of
    :func:`.read_scope.selection_reads_only_tokens` (a token's own data, its alias chain,
    its value types), or none is selected: a snapshot holding the impacted tokens and what
    they reference answers them exactly.
    """
    raw = raw_info(info)
    if raw is None:  # pragma: no cover - Strawberry always sets it
        return False
    token_type = raw.schema.get_type("Token")
    if token_type is None:  # pragma: no cover - the schema has it
        return False
    nodes: Iterable[FieldNode] = raw.field_nodes
    for name in ("themes", "tokens"):
        nodes = list(_children(nodes, name, raw.fragments))
    return all(
        node.selection_set is None
        or selection_reads_only_tokens(raw.schema, token_type, node.selection_set, raw.fragments)
        for node in nodes
    )


def _affected(
    snaps: Iterable[Snapshot], selections: list[dict[str, str]], path: str
) -> tuple[list[ImpactedTheme], set[str], set[str]]:
    """(the combinations that have ``path`` with their dependents, every one, known paths).

    Known paths are gathered from the combinations without ``path`` only.
    """
    themes: list[ImpactedTheme] = []
    affected: set[str] = set()
    known: set[str] = set()
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
    return themes, affected, known


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

        Combinations resolved in part when :func:`tokens_read_in_part` (module docstring);
        a path in no combination is then looked up again in whole ones, which word the
        error with the paths they hold.

        Raises:
            GraphQLError: ``TOKEN_NOT_FOUND`` (:mod:`.not_found`).
        """
        ctx = info.context
        defined = ctx.defined_paths(release)  # refused before any combination is resolved
        if defined is not None and path not in defined:
            raise token_not_found([path], defined)
        selections = ctx.theme_combinations(release)
        if tokens_read_in_part(info):
            part = ctx.sweep_in_part(selections, [path], referrers=True, release=release)
            if part is not None:
                themes, affected, _known = _affected(part, selections, path)
                if themes:
                    return Impact(path=path, total_count=len(affected), themes=themes)
        themes, affected, known = _affected(ctx.sweep(selections, release), selections, path)
        if not themes:
            raise token_not_found([path], known)
        return Impact(path=path, total_count=len(affected), themes=themes)

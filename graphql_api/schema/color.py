"""``contrastReport``: foreground/background pairs checked in every theme combination.

Delegates to :func:`.colorspace.contrast_of` (coloraide) per pair and combination; costed
as pairs × combinations (:mod:`.cost`) and cut by ``MAX_QUERY_SECONDS`` (:mod:`.budget`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import strawberry

from . import budget
from .colorspace import REQUIRED, Contrast, WcagLevel, contrast_of
from .not_found import token_not_found
from .queries import ThemeArg, theme_input
from .request_context import RequestContext
from .types import SelectedContext

if TYPE_CHECKING:
    from ..store.snapshots import Snapshot

Info = strawberry.Info[RequestContext, None]


@strawberry.input(description="A text colour token and the background it is used on.")
class ContrastPair:
    """One pair of ``contrastReport``."""

    foreground: str = strawberry.field(description="Path of the text (foreground) colour.")
    background: str = strawberry.field(description="Path of the background colour.")
    large_text: bool = strawberry.field(
        default=False, description="Large text (≥ 24px, or ≥ 18.66px bold): lower minimum."
    )


@strawberry.type(description="A pair below the required contrast in one theme combination.")
class ContrastFailure:
    """One failure of ``contrastReport``."""

    foreground: str = strawberry.field(description="Foreground token path.")
    background: str = strawberry.field(description="Background token path.")
    theme: list[SelectedContext] = strawberry.field(description="The theme combination.")
    ratio: float | None = strawberry.field(
        description="WCAG 2.x ratio; null when a token is missing or not a colour there."
    )
    apca: float | None = strawberry.field(description="APCA Lc; null as for `ratio`.")
    required: float = strawberry.field(description="The minimum ratio for the level.")


@strawberry.type(description="Result of a contrast check over theme combinations.")
class ContrastReport:
    """Result of ``Query.contrastReport``."""

    level: WcagLevel = strawberry.field(description="The level checked.")
    checked: int = strawberry.field(description="Pair × theme combinations checked.")
    failures: list[ContrastFailure] = strawberry.field(description="Every failing check.")


#: A theme combination: modifier → context.
Selection = dict[str, str]


def _every_combination(ctx: RequestContext, asked: list[str]) -> list[tuple[Selection, Snapshot]]:
    """Every theme combination (in the modifiers' order) and a snapshot holding ``asked``.

    Resolved in part (:meth:`.request_context.RequestContext.sweep_in_part`: only the
    asked tokens and what they reference); whole combinations (not stored in the read
    cache) when that cannot be exact, or when an asked path is a token in none of them
    (the error's suggestions come from every token).
    """
    selections = ctx.theme_combinations()
    part = ctx.sweep_in_part(selections, sorted(set(asked)))
    if part is not None:
        snaps = list(part)
        known = {p for snap in snaps for p in snap.paths}
        if all(p in known for p in asked):
            return list(zip(selections, snaps, strict=True))
    return list(zip(selections, ctx.sweep(selections), strict=True))


#: (id of the foreground token, id of the background's) → (both, their contrast).
Seen = dict[tuple[int, int], tuple[Any, Any, "Contrast | None"]]


def _contrast(snap: Snapshot, pair: ContrastPair, seen: Seen) -> Contrast | None:
    """:func:`contrast_of` of a pair in ``snap``, computed once per pair of resolved tokens.

    Combinations that resolve both tokens to the same objects (what resolved alike is
    shared) have the same contrast: ``seen`` keeps it, with the tokens (so their ids
    stay theirs).
    """
    fg, bg = snap.tokens.get(pair.foreground), snap.tokens.get(pair.background)
    key = (id(fg), id(bg))
    hit = seen.get(key)
    if hit is None:
        hit = seen[key] = (fg, bg, contrast_of(snap, pair.foreground, pair.background))
    return hit[2]


@strawberry.type(description="Accessibility checks of colour tokens.")
class ColorQuery:
    """Query fields about colour (merged into ``Query``)."""

    @strawberry.field(
        description="Check foreground/background pairs in every theme combination (or the "
        "given theme) against WCAG 2.x; list every failure with its ratio and APCA Lc. A "
        "path that is a token in none of the combinations refuses the whole report before "
        "any check: null and the error `TOKEN_NOT_FOUND` (`extensions.notFound` lists each "
        "unknown path with up to three close paths)."
    )
    def contrast_report(
        self,
        info: Info,
        pairs: Annotated[list[ContrastPair], strawberry.argument(description="Pairs to check.")],
        level: Annotated[
            WcagLevel, strawberry.argument(description="AA (4.5:1) or AAA (7:1).")
        ] = WcagLevel.AA,
        theme: ThemeArg = None,
    ) -> ContrastReport | None:
        """One snapshot per combination; :func:`contrast_of` per distinct pair of tokens.

        Without ``theme`` the combinations are resolved in part (:func:`_every_combination`)
        and each failure names its combination in the modifiers' order (as ``impact``
        does), whatever snapshots were cached.

        Raises:
            GraphQLError: ``TOKEN_NOT_FOUND`` (:mod:`.not_found`), before any check.
        """
        ctx = info.context
        asked = [p for pair in pairs for p in (pair.foreground, pair.background)]
        if theme:
            snap = ctx.snapshot(theme_input(theme))
            combos = [(snap.selection, snap)]
        else:
            combos = _every_combination(ctx, asked)
        known = {p for _selection, snap in combos for p in snap.paths}
        if unknown := [p for p in asked if p not in known]:
            raise token_not_found(unknown, known)
        failures: list[ContrastFailure] = []
        checked = 0
        seen: Seen = {}
        for selection, snap in combos:
            where = [SelectedContext(modifier=m, context=c) for m, c in selection.items()]
            for pair in pairs:
                budget.check()  # MAX_QUERY_SECONDS: thousands of pairs × combinations
                checked += 1
                need = REQUIRED[(level.value, pair.large_text)]
                result = _contrast(snap, pair, seen)
                if result is None or result.ratio < need:
                    failures.append(
                        ContrastFailure(
                            foreground=pair.foreground,
                            background=pair.background,
                            theme=where,
                            ratio=result.ratio if result else None,
                            apca=result.apca if result else None,
                            required=need,
                        )
                    )
        return ContrastReport(level=level, checked=checked, failures=failures)

"""One token in every context of a modifier (``Token.valuesByContext``).

Like Figma's ``valuesByMode``: for a documentation page or a theme switcher, in one request.

Each context is read from a cached snapshot
(:meth:`.request_context.RequestContext.snapshot`): the other modifiers keep the contexts
of the snapshot the token was read from, so
``token(path: "fgColor.default", theme: [{modifier: "pointer", context: "coarse"}])
{ valuesByContext(modifier: "theme") }`` lists every colour theme with ``pointer: coarse``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..dtcg import errors as E  # noqa: N812 - the engine's short alias
from ..dtcg.errors import DTCGError, DTCGErrorGroup
from .request_context import graphql_error

if TYPE_CHECKING:
    from ..store.snapshots import Snapshot
    from .request_context import RequestContext

#: Key of a release snapshot's release name in ``Snapshot.memo`` (None: current data).
RELEASE_MEMO = "release"


def modifier_contexts(
    ctx: RequestContext, release: str | None
) -> dict[str, tuple[list[str], str | None]]:
    """Modifier name → (context names in document order, default), current or of a release."""
    if release is None:
        return ctx.catalog().modifier_contexts()
    doc = ctx.release(release)[0]
    return {m.name: (list(m.contexts), m.default) for m in doc.modifiers.values()}


def context_snapshots(
    ctx: RequestContext, snap: Snapshot, modifier: str
) -> list[tuple[str, str, Snapshot]]:
    """``(modifier, context, snapshot)`` for every context of ``modifier``, in document order.

    Args:
        ctx: the request's context (its per-request memo and the process's snapshot cache).
        snap: the snapshot a token was read from; its other modifiers' contexts are kept,
            and so is its release (``Snapshot.memo["release"]``).
        modifier: the modifier to vary, matched case-insensitively (Resolver module §5).

    Raises:
        GraphQLError: ``UNKNOWN_MODIFIER`` listing the valid names.
    """
    release = snap.memo.get(RELEASE_MEMO)
    mods = modifier_contexts(ctx, release)
    name = next((m for m in mods if m.lower() == modifier.lower()), None)
    if name is None:
        valid = ", ".join(mods) or "none"
        problem = DTCGError(E.UNKNOWN_MODIFIER, f"unknown modifier {modifier!r} (valid: {valid})")
        raise graphql_error(DTCGErrorGroup([problem]))
    out: list[tuple[str, str, Snapshot]] = []
    for context in mods[name][0]:
        selection = {**snap.selection, name: context}
        out.append((name, context, ctx.snapshot(selection, release)))
    return out

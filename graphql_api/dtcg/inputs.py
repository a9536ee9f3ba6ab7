"""Theme inputs (Resolver module 2025.10 §5 inputs, §6.1 input validation).

An input maps modifier names to context names, e.g. ``{"mode": "dark"}``. Names
are matched case-insensitively (§5.1), values must be strings (§5.2), and a
modifier not named takes its ``default`` or, without one, is an error (§6.1).
Re-exported by :mod:`graphql_api.dtcg.resolver`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import errors as E  # noqa: N812 - the engine's own alias
from .errors import DTCGError

if TYPE_CHECKING:
    from collections.abc import Mapping


def normalise_input(
    modifiers: Mapping[str, tuple[list[str], str | None]], given: Mapping[str, Any]
) -> dict[str, str]:
    """Check a theme input and fill in defaults (Resolver module §5, §6.1).

    Args:
        modifiers: modifier name → (context names, default context or None).
        given: the caller's input, modifier → context; names are matched case-insensitively.
            Values must be strings (anything else is ``INVALID_INPUT``: inputs arrive as JSON).

    Returns:
        One context name (as the document spells it) for every modifier.

    Raises:
        DTCGErrorGroup: ``UNKNOWN_MODIFIER``, ``UNKNOWN_CONTEXT``, ``MISSING_INPUT`` or
            ``INVALID_INPUT`` (a value that is not a string, §5.2), each message listing
            the valid names; every problem of the input at once.
    """
    by_lower = {m.lower(): m for m in modifiers}
    out: dict[str, str] = {}
    errs: list[DTCGError] = []
    for key, ctx in given.items():
        mod = by_lower.get(str(key).lower())
        if mod is None:
            valid = ", ".join(modifiers) or "none"
            errs.append(DTCGError(E.UNKNOWN_MODIFIER, f"unknown modifier {key!r} (valid: {valid})"))
            continue
        contexts = modifiers[mod][0]
        if not isinstance(ctx, str):
            msg = f"input for modifier {mod!r} must be a string, got {ctx!r} (§5.2)"
            errs.append(DTCGError(E.INVALID_INPUT, msg))
            continue
        match = next((c for c in contexts if c.lower() == ctx.lower()), None)
        if match is None:
            msg = f"modifier {mod!r} has no context {ctx!r} (valid: {', '.join(contexts)})"
            errs.append(DTCGError(E.UNKNOWN_CONTEXT, msg))
            continue
        out[mod] = match
    for mod, (contexts, default) in modifiers.items():
        if mod in out or any(by_lower.get(str(k).lower()) == mod for k in given):
            continue
        if default is None:
            msg = f"modifier {mod!r} has no default: give one of {', '.join(contexts)}"
            errs.append(DTCGError(E.MISSING_INPUT, msg))
        else:
            out[mod] = default
    E.raise_if_any(errs)
    return out

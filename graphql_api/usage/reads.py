"""Usage reports that read the store.

Stored rows (:mod:`graphql_api.store.usage`) go through the pure aggregations of
:mod:`.report`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..store import usage as usage_rows
from .report import deprecated_uses

if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import date

    from sqlalchemy.orm import Session

    from .report import DeprecatedUse


def deprecated_in_use(
    session: Session, since: date, deprecation: Callable[[str, str], bool | str | None]
) -> list[DeprecatedUse]:
    """Deprecated tokens requested from ``since`` on, with the clients that request them.

    A token counts where it was requested in a theme combination in which it is deprecated
    (``deprecation(theme, path)`` is ``True`` or a reason); two statements.

    Args:
        session: where ``token_usage`` is read.
        since: first UTC day included.
        deprecation: ``(theme key, path) → $deprecated`` in the current data (None or False
            when it is not deprecated, or unknown there).

    Returns:
        See :func:`.report.deprecated_uses` (by total, descending).
    """
    reasons: dict[tuple[str, str], str | None] = {}
    for theme, path in usage_rows.used_pairs(session, since):
        dep = deprecation(theme, path)
        if dep is not None and dep is not False:
            reasons[(theme, path)] = dep if isinstance(dep, str) else None
    if not reasons:
        return []
    rows = usage_rows.rows_of_paths(session, {path for _theme, path in reasons}, since)
    return deprecated_uses([r for r in rows if (r.theme, r.path) in reasons], reasons)

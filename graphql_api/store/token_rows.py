"""Rows of ``token`` and ``token_group`` written in bulk by an import.

Functions take a :class:`~sqlalchemy.orm.Session`; none commits.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import insert, select

from .models import Token, TokenGroup

if TYPE_CHECKING:
    from collections.abc import Sequence

    from sqlalchemy.orm import Session


def add_tokens(session: Session, paths: Sequence[str]) -> dict[str, int]:
    """Insert a ``token`` row for each new path (none may exist yet).

    One ``INSERT`` (none for no paths), then one ``SELECT``.

    Returns:
        Token path → id, for every token row stored (not only ``paths``).
    """
    if paths:
        session.execute(insert(Token), [{"path": p, "name": p.rsplit(".", 1)[-1]} for p in paths])
    # .all(): a Result has keys(), so dict() would take the Result itself for a mapping.
    return dict(session.execute(select(Token.path, Token.id)).tuples().all())


def add_groups(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """Insert ``token_group`` rows (one executemany; nothing for no rows)."""
    if rows:
        session.execute(insert(TokenGroup), rows)

"""The resolver's structure as rows: ``token_set``, ``modifier`` and ``theme`` (contexts).

DTCG Resolver module §4.1.4 sets, §4.1.5 modifiers and their contexts. Every statement that
adds, renames or deletes a set, modifier or context lives here, and the one that clears the
whole design system before an import. Reads of the structure are in
:func:`graphql_api.store.repository.load_catalog`.

Functions take a :class:`~sqlalchemy.orm.Session`; none commits. A deleted modifier or
context takes its values with it (``ON DELETE CASCADE``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, func, select, update

from .models import Alias, Context, Modifier, Token, TokenGroup, TokenSet, TokenValue

if TYPE_CHECKING:
    from collections.abc import Sequence

    from sqlalchemy.orm import Session


def clear_all(session: Session) -> None:
    """Delete every token, value, group, alias, set, modifier and context (not the revisions).

    Seven statements.
    """
    for model in (Alias, TokenValue, TokenGroup, Token, Context, Modifier, TokenSet):
        session.execute(delete(model))


def modifier_row(session: Session, name: str) -> Modifier | None:
    """The ``modifier`` row called ``name`` (changes to it are written at the next flush)."""
    return session.scalar(select(Modifier).where(Modifier.name == name))


def next_position(session: Session) -> int:
    """The ``resolutionOrder`` position after the last set or modifier (0 when none).

    Two statements.
    """
    last = max(
        session.scalar(select(func.coalesce(func.max(Modifier.position), -1))) or -1,
        session.scalar(select(func.coalesce(func.max(TokenSet.position), -1))) or -1,
    )
    return last + 1


def add_set(
    session: Session, name: str, description: str | None, position: int, extensions: Any = None
) -> int:
    """Insert a ``token_set`` row at ``position`` (flushed); returns its id."""
    row = TokenSet(name=name, description=description, position=position, extensions=extensions)
    session.add(row)
    session.flush()
    return row.id


def add_modifier(
    session: Session,
    name: str,
    *,
    description: str | None,
    default: str | None,
    position: int,
    extensions: Any = None,
) -> int:
    """Insert a ``modifier`` row at ``position`` (flushed) with no contexts; returns its id.

    ``default`` is the name of the context a theme input that omits the modifier takes.
    """
    row = Modifier(
        name=name,
        description=description,
        default_context=default,
        position=position,
        extensions=extensions,
    )
    session.add(row)
    session.flush()
    return row.id


def add_contexts(
    session: Session, modifier_id: int, names: Sequence[str], *, first_position: int = 0
) -> dict[str, int]:
    """Insert contexts of a modifier in order from ``first_position`` (flushed).

    Returns:
        Context name → the new row's id.
    """
    rows = [
        Context(modifier_id=modifier_id, name=n, position=first_position + i)
        for i, n in enumerate(names)
    ]
    session.add_all(rows)
    session.flush()
    return {r.name: r.id for r in rows}


def delete_modifier(session: Session, row: Modifier) -> None:
    """Delete a modifier row; its contexts and their values go with it (at the next flush)."""
    session.delete(row)


def rename_context(session: Session, modifier: Modifier, name: str, new_name: str) -> None:
    """Rename a context of ``modifier``, and the modifier's default when it was that context."""
    session.execute(
        update(Context)
        .where(Context.modifier_id == modifier.id, Context.name == name)
        .values(name=new_name)
    )
    if modifier.default_context == name:
        modifier.default_context = new_name


def delete_context(session: Session, modifier_id: int, name: str) -> None:
    """Delete a context row of a modifier; its values go with it. One statement."""
    session.execute(delete(Context).where(Context.modifier_id == modifier_id, Context.name == name))


def update_modifier(
    row: Modifier, *, name: str | None = None, default_context: str | None = None
) -> None:
    """Rename a modifier and/or change its default context (written at the next flush)."""
    if name is not None:
        row.name = name
    if default_context is not None:
        row.default_context = default_context

"""Tokens as rows, and back: the one place the row ↔ token mapping is spelled out.

A :class:`~graphql_api.dtcg.nodes.TokenNode` in one layer is a ``token_value`` row (with
the ``token`` row of its path); a :class:`~graphql_api.dtcg.nodes.GroupNode` a
``token_group`` row. :data:`TOKEN_FIELDS` and :data:`GROUP_FIELDS` pair each node field
with its column, in the node's field order; everything else here is derived from them:

- reads: :data:`VALUE_COLUMNS` / :data:`GROUP_COLUMNS` to select, then
  :func:`token_node` / :func:`group_node` (:func:`graphql_api.store.repository.load_layers`);
- writes: :func:`value_row` / :func:`group_row`, and the statements below;
- the release format's arrays: :func:`token_fields` / :func:`group_fields`
  (:mod:`graphql_api.store.release_format`).

A layer is named by its ``("set" | "theme", id)`` key (:func:`layer_key`) and written
with its two nullable columns (:func:`layer_columns`). Every write statement of token,
value, group and alias rows lives here. Functions take a
:class:`~sqlalchemy.orm.Session`; none commits.
"""

from __future__ import annotations

from operator import attrgetter
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, exists, insert, or_, select

from ..dtcg.nodes import GroupNode, TokenNode
from ..dtcg.references import find_references
from .models import Alias, Token, TokenGroup, TokenValue

if TYPE_CHECKING:
    from collections.abc import Collection, Iterable, Sequence

    from sqlalchemy.orm import Session

#: ``(TokenNode field, token_value column)`` after ``path``, in TokenNode's field order.
TOKEN_FIELDS = (
    ("value", TokenValue.value),
    ("type", TokenValue.type),
    ("description", TokenValue.description),
    ("deprecated", TokenValue.deprecated),
    ("extensions", TokenValue.extensions),
    ("file", TokenValue.source_file),
    ("pointer", TokenValue.source_pointer),
)
#: ``(GroupNode field, token_group column)``, in GroupNode's field order.
GROUP_FIELDS = (
    ("path", TokenGroup.path),
    ("type", TokenGroup.type),
    ("description", TokenGroup.description),
    ("deprecated", TokenGroup.deprecated),
    ("extensions", TokenGroup.extensions),
    ("file", TokenGroup.source_file),
    ("pointer", TokenGroup.source_pointer),
    ("extends", TokenGroup.extends),
)
#: The columns to select for :func:`token_node` / :func:`group_node`, in that order.
VALUE_COLUMNS = tuple(column for _, column in TOKEN_FIELDS)
GROUP_COLUMNS = tuple(column for _, column in GROUP_FIELDS)
_VALUE_KEYS = tuple(column.key for column in VALUE_COLUMNS)
_GROUP_KEYS = tuple(column.key for column in GROUP_COLUMNS)
_token_fields = attrgetter(*(name for name, _ in TOKEN_FIELDS))
_group_fields = attrgetter(*(name for name, _ in GROUP_FIELDS))

LayerKey = tuple[str, int]


def token_fields(node: TokenNode) -> tuple[Any, ...]:
    """The stored fields of a token after its path, in :data:`TOKEN_FIELDS` order."""
    fields: tuple[Any, ...] = _token_fields(node)
    return fields


def token_node(path: str, fields: Sequence[Any]) -> TokenNode:
    """The token of ``path`` from its stored fields (:func:`token_fields`'s order)."""
    return TokenNode(path, *fields)


def group_fields(node: GroupNode) -> tuple[Any, ...]:
    """The stored fields of a group, path first, in :data:`GROUP_FIELDS` order."""
    fields: tuple[Any, ...] = _group_fields(node)
    return fields


def group_node(fields: Sequence[Any]) -> GroupNode:
    """The group of its stored fields (:func:`group_fields`'s order)."""
    return GroupNode(*fields)


def layer_key(set_id: int | None, theme_id: int | None) -> LayerKey:
    """``("set", id)`` or ``("theme", id)`` of a row's two layer columns."""
    if set_id is not None:
        return ("set", set_id)
    if theme_id is None:  # pragma: no cover - a check constraint: one of them is set
        raise ValueError("a layer row without a set or a theme")
    return ("theme", theme_id)


def layer_columns(key: LayerKey) -> dict[str, int | None]:
    """The ``set_id`` / ``theme_id`` columns of a row in the layer ``key``."""
    kind, layer_id = key
    return {
        "set_id": layer_id if kind == "set" else None,
        "theme_id": layer_id if kind == "theme" else None,
    }


def value_row(node: TokenNode, token_id: int, layer: dict[str, int | None]) -> dict[str, Any]:
    """The ``token_value`` row of a token in a layer (:func:`layer_columns`)."""
    return {
        "token_id": token_id,
        **layer,
        **dict(zip(_VALUE_KEYS, _token_fields(node), strict=True)),
    }


def group_row(node: GroupNode, layer: dict[str, int | None]) -> dict[str, Any]:
    """The ``token_group`` row of a group in a layer (:func:`layer_columns`)."""
    return {**layer, **dict(zip(_GROUP_KEYS, _group_fields(node), strict=True))}


def token_row(path: str) -> dict[str, str]:
    """The ``token`` row of a path (its name is the last segment)."""
    return {"path": path, "name": path.rsplit(".", 1)[-1]}


# -- token rows ---------------------------------------------------------------------------


def add_tokens(session: Session, paths: Sequence[str]) -> dict[str, int]:
    """Insert a ``token`` row for each new path (none may exist yet).

    One ``INSERT`` (none for no paths), then one ``SELECT``.

    Returns:
        Token path → id, for every token row stored (not only ``paths``).
    """
    if paths:
        session.execute(insert(Token), [token_row(p) for p in paths])
    # .all(): a Result has keys(), so dict() would take the Result itself for a mapping.
    return dict(session.execute(select(Token.path, Token.id)).tuples().all())


def token_ids(session: Session, paths: Collection[str]) -> dict[str, int]:
    """Token path → id of those of ``paths`` that have a row. One statement per 500 paths."""
    out: dict[str, int] = {}
    ordered = sorted(paths)
    for i in range(0, len(ordered), 500):
        chunk = ordered[i : i + 500]
        out.update(
            session.execute(select(Token.path, Token.id).where(Token.path.in_(chunk)))
            .tuples()
            .all()
        )
    return out


def ensure_tokens(
    session: Session, paths: Collection[str]
) -> tuple[dict[str, int], dict[str, int]]:
    """Token ids of ``paths``, inserting the rows of new paths; and the new rows' ids."""
    ids = token_ids(session, paths)
    new = sorted(p for p in paths if p not in ids)
    if not new:
        return ids, {}
    session.execute(insert(Token), [token_row(p) for p in new])
    new_ids = token_ids(session, new)
    ids.update(new_ids)
    return ids, new_ids


def delete_unused_tokens(session: Session, paths: Iterable[str]) -> None:
    """Delete the ``token`` rows of ``paths`` that no layer gives a value any more."""
    wanted = sorted(paths)
    if wanted:
        session.execute(
            delete(Token).where(
                Token.path.in_(wanted), ~exists().where(TokenValue.token_id == Token.id)
            )
        )


# -- groups -------------------------------------------------------------------------------


def add_groups(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """Insert ``token_group`` rows (one executemany; nothing for no rows)."""
    if rows:
        session.execute(insert(TokenGroup), rows)


def replace_groups(
    session: Session, layer: LayerKey, paths: Collection[str], groups: Sequence[GroupNode]
) -> None:
    """Delete the groups at ``paths`` in ``layer``, insert ``groups``. At most two statements."""
    if not paths:
        return
    kind, layer_id = layer
    column = TokenGroup.set_id if kind == "set" else TokenGroup.theme_id
    session.execute(delete(TokenGroup).where(column == layer_id, TokenGroup.path.in_(paths)))
    add_groups(session, [group_row(g, layer_columns(layer)) for g in groups])


# -- values and aliases -------------------------------------------------------------------


def delete_values(
    session: Session, kind: str, layer_ids: Sequence[int], ids: Sequence[int]
) -> None:
    """Delete the values of tokens ``ids`` in the layers ``layer_ids`` of one ``kind``.

    One statement (the values' alias rows go with them: ``ON DELETE CASCADE``).
    """
    column = TokenValue.set_id if kind == "set" else TokenValue.theme_id
    session.execute(delete(TokenValue).where(column.in_(layer_ids), TokenValue.token_id.in_(ids)))


def write_values(
    session: Session,
    batches: Sequence[tuple[dict[str, int | None], Sequence[TokenNode]]],
    token_ids_: dict[str, int],
) -> int:
    """Insert token values in several layers and their alias edges; returns aliases written.

    Args:
        session: the write's transaction.
        batches: per layer, its :func:`layer_columns` and the tokens to insert there.
        token_ids_: path → token id, for every token's path (reference targets are looked
            up when missing; a target with no token row gets no alias row).

    One plain executemany for every layer (RETURNING would make SQLite run one statement
    per row), then one SELECT per 500 token ids for the new value ids (a token has one
    value per layer) and one INSERT of the alias rows.
    """
    batches = [(cols, nodes) for cols, nodes in batches if nodes]
    if not batches:
        return 0
    rows = [value_row(t, token_ids_[t.path], cols) for cols, nodes in batches for t in nodes]
    session.execute(insert(TokenValue), rows)
    set_ids = sorted({c["set_id"] for c, _ in batches if c["set_id"] is not None})
    theme_ids = sorted({c["theme_id"] for c, _ in batches if c["theme_id"] is not None})
    layer_filter = or_(
        *([TokenValue.set_id.in_(set_ids)] if set_ids else []),
        *([TokenValue.theme_id.in_(theme_ids)] if theme_ids else []),
    )
    wanted = sorted({token_ids_[t.path] for _, nodes in batches for t in nodes})
    value_ids: dict[tuple[int | None, int | None, int], int] = {}
    for i in range(0, len(wanted), 500):
        value_ids.update(
            ((set_id, theme_id, token_id), value_id)
            for value_id, token_id, set_id, theme_id in session.execute(
                select(
                    TokenValue.id, TokenValue.token_id, TokenValue.set_id, TokenValue.theme_id
                ).where(layer_filter, TokenValue.token_id.in_(wanted[i : i + 500]))
            )
        )
    refs = [(cols, t, list(find_references(t.value))) for cols, nodes in batches for t in nodes]
    missing = {r.target for _, _, found in refs for r in found} - token_ids_.keys()
    if missing:
        token_ids_ = {**token_ids_, **token_ids(session, missing)}
    aliases = [
        {
            "token_value_id": value_ids[cols["set_id"], cols["theme_id"], token_ids_[t.path]],
            "target_token_id": token_ids_[r.target],
            "pointer": r.pointer,
        }
        for cols, t, found in refs
        for r in found
        if r.target in token_ids_
    ]
    if aliases:
        session.execute(insert(Alias), aliases)
    return len(aliases)

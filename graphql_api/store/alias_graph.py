"""The stored reference graph, read backwards: which tokens reference given paths.

Alias rows (:class:`~graphql_api.store.models.Alias`) hold the references of every
stored ``$value`` whose target has a token row. Two kinds of reference are not alias
rows, and are found here too so that the write check (:mod:`graphql_api.writes.check`)
misses no dependant:

- references inside a Tokens Studio colour modifier (``$extensions``), read from the
  rows whose extensions mention ``modify`` (one statement per write);
- references written while their target had no token row (a value shadowed in every
  theme may reference a path that does not exist yet). When a path gets its row,
  :func:`link_new_targets` finds the values that reference it and adds their alias rows,
  so that the alias rows are complete for every path that has a row.
"""

from __future__ import annotations

import itertools
import json
import threading
import weakref
from typing import TYPE_CHECKING, Any

from sqlalchemy import String, cast, insert, or_, select
from sqlalchemy.orm import aliased

from ..dtcg.references import find_references
from ..dtcg.studio_forms import modifier_references
from .models import Alias, Token, TokenValue

if TYPE_CHECKING:
    from collections.abc import Collection

    from sqlalchemy import ColumnElement, Engine
    from sqlalchemy.orm import Session

_CHUNK = 500


def alias_referrers(session: Session, paths: Collection[str]) -> set[str]:
    """Paths of the tokens with a stored value (any layer) whose alias rows target ``paths``."""
    referrer = aliased(Token)
    target = aliased(Token)
    ordered = sorted(paths)
    out: set[str] = set()
    for i in range(0, len(ordered), _CHUNK):
        out.update(
            session.scalars(
                select(referrer.path)
                .join(TokenValue, TokenValue.token_id == referrer.id)
                .join(Alias, Alias.token_value_id == TokenValue.id)
                .join(target, target.id == Alias.target_token_id)
                .where(target.path.in_(ordered[i : i + _CHUNK]))
                .distinct()
            )
        )
    return out


#: A number for each engine, never reused while the process lives (see :func:`database_of`).
_ENGINE_NUMBERS: weakref.WeakKeyDictionary[Engine, int] = weakref.WeakKeyDictionary()
_NEXT_NUMBER = itertools.count(1)
_NUMBERS_LOCK = threading.Lock()


def database_of(session: Session) -> str:
    """A key for per-database caches: the session's engine (its URL and a number of its own).

    Keyed by engine, not by URL alone: a database dropped and made again at the same URL
    (a test schema emptied between tests, a development reset) starts its revisions again,
    and totals remembered for the old one must not answer for the new one. Each app makes
    its own engine, so a new app never sees another app's entries.
    """
    engine = session.get_bind().engine
    with _NUMBERS_LOCK:
        number = _ENGINE_NUMBERS.get(engine)
        if number is None:
            number = _ENGINE_NUMBERS[engine] = next(_NEXT_NUMBER)
    return f"{engine.url}#{number}"


def modifier_edges(session: Session) -> dict[str, set[str]]:
    """Target path → paths of tokens whose colour modifier references it (one statement)."""
    rows = session.execute(
        select(Token.path, TokenValue.extensions)
        .join(Token, Token.id == TokenValue.token_id)
        .where(
            TokenValue.extensions.is_not(None),
            cast(TokenValue.extensions, String).contains("modify"),
        )
    )
    out: dict[str, set[str]] = {}
    for path, extensions in rows:
        for ref in modifier_references(extensions):
            out.setdefault(ref.target, set()).add(path)
    return out


def _mentions(column: Any, name: str) -> ColumnElement[bool]:
    """A filter: the JSON text of ``column`` contains ``name`` as written or JSON-escaped."""
    text = cast(column, String)
    forms = {name, json.dumps(name)[1:-1]}
    return or_(*(text.contains(f, autoescape=True) for f in sorted(forms)))


def link_new_targets(session: Session, new_ids: dict[str, int]) -> int:
    """Add the alias rows of stored values that reference paths which just got a row.

    Args:
        session: the write's transaction.
        new_ids: path → id of the token rows this write inserted.

    Returns:
        How many alias rows were added. One statement per path (a scan of the values
        whose JSON text contains the path's last segment), one insert in all.
    """
    rows: list[dict[str, object]] = []
    for path, target_id in new_ids.items():
        name = path.rsplit(".", 1)[-1]
        candidates = session.execute(
            select(TokenValue.id, TokenValue.value).where(_mentions(TokenValue.value, name))
        )
        for value_id, value in candidates:
            linked = session.scalar(
                select(Alias.id).where(
                    Alias.token_value_id == value_id, Alias.target_token_id == target_id
                )
            )
            if linked is not None:
                continue
            rows.extend(
                {"token_value_id": value_id, "target_token_id": target_id, "pointer": r.pointer}
                for r in find_references(value)
                if r.target == path
            )
    if rows:
        session.execute(insert(Alias), rows)
    return len(rows)

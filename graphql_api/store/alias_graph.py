"""The stored reference graph, read backwards: which tokens reference given paths.

Alias rows (:class:`~graphql_api.store.models.Alias`) hold the references of every
stored ``$value`` whose target has a token row. Two kinds of reference are not alias
rows, and are found here too so that the write check (:mod:`graphql_api.writes.check`)
misses no dependant:

- references inside a Tokens Studio colour modifier (``$extensions``), read from the
  rows whose extensions mention ``modify`` (one statement), then carried from revision
  to revision by this process's writes (:func:`carry_modifier_edges`);
- references written while their target had no token row (a value shadowed in every
  theme may reference a path that does not exist yet). When a path gets its row,
  :func:`link_new_targets` finds the values that reference it and adds their alias rows,
  so that the alias rows are complete for every path that has a row.
"""

from __future__ import annotations

import functools
import itertools
import json
import threading
import weakref
from collections import OrderedDict
from typing import TYPE_CHECKING, Any

from sqlalchemy import String, and_, bindparam, cast, insert, or_, select
from sqlalchemy.orm import aliased

from ..dtcg.errors import pointer_escape
from ..dtcg.references import find_references
from ..dtcg.studio_forms import modifier_references
from .models import Alias, Token, TokenValue

if TYPE_CHECKING:
    from collections.abc import Collection, Iterable, Mapping

    from sqlalchemy import ColumnElement, Engine, Select
    from sqlalchemy.orm import Session

_CHUNK = 500


def alias_reach(session: Session, paths: Collection[str]) -> set[str]:
    """Paths of every token that reaches one of ``paths`` through alias rows (transitively).

    One recursive statement per 500 paths, whatever the depth of the references;
    ``paths`` themselves are in the result only when they reach one another.
    """
    ordered = sorted(paths)
    out: set[str] = set()
    statement = _reach_statement()
    for i in range(0, len(ordered), _CHUNK):
        out.update(session.scalars(statement, {"paths": ordered[i : i + _CHUNK]}))
    return out


@functools.cache
def _reach_statement() -> Select[tuple[str]]:
    """:func:`alias_reach`'s statement, the paths bound as ``paths``.

    Built once: with its four aliased tables, building it cost more than running it.
    """
    referrer = aliased(Token)
    target = aliased(Token)
    start = (
        select(referrer.path.label("path"))
        .join(TokenValue, TokenValue.token_id == referrer.id)
        .join(Alias, Alias.token_value_id == TokenValue.id)
        .join(target, target.id == Alias.target_token_id)
        .where(target.path.in_(bindparam("paths", expanding=True)))
        .cte("reach", recursive=True)
    )
    up = aliased(Token)
    via = aliased(Token)
    reach = start.union(
        select(up.path)
        .select_from(start)
        .join(via, via.path == start.c.path)
        .join(Alias, Alias.target_token_id == via.id)
        .join(TokenValue, TokenValue.id == Alias.token_value_id)
        .join(up, up.id == TokenValue.token_id)
    )
    return select(reach.c.path)


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


#: Target path → referrer path → how many of its colour-modifier references (all layers).
ModifierEdges = dict[str, dict[str, int]]

#: (database, revision) → its :data:`ModifierEdges`; the newest entries only.
_EDGES: OrderedDict[tuple[str, int], ModifierEdges] = OrderedDict()
_EDGES_KEPT = 16
_EDGES_LOCK = threading.Lock()


def modifier_edges(session: Session, revision: int | None = None) -> ModifierEdges:
    """Target path → paths of tokens whose colour modifier references it, with counts.

    One statement (a scan of the values whose extensions mention ``modify``), or none when
    a write of this process carried the edges of ``revision`` forward
    (:func:`carry_modifier_edges`). Do not change the result.

    Args:
        session: where to read.
        revision: the current revision (the caller holds the write lock); None: read.
    """
    key = (database_of(session), revision) if revision is not None else None
    if key is not None:
        with _EDGES_LOCK:
            cached = _EDGES.get(key)
        if cached is not None:
            return cached
    rows = session.execute(
        select(Token.path, TokenValue.extensions)
        .join(Token, Token.id == TokenValue.token_id)
        .where(
            TokenValue.extensions.is_not(None),
            cast(TokenValue.extensions, String).contains("modify"),
        )
    )
    out: ModifierEdges = {}
    for path, extensions in rows:
        for ref in modifier_references(extensions):
            counts = out.setdefault(ref.target, {})
            counts[path] = counts.get(path, 0) + 1
    if key is not None:
        _keep(key, out)
    return out


def _keep(key: tuple[str, int], edges: ModifierEdges) -> None:
    with _EDGES_LOCK:
        _EDGES[key] = edges
        _EDGES.move_to_end(key)
        while len(_EDGES) > _EDGES_KEPT:
            _EDGES.popitem(last=False)


def carry_modifier_edges(
    session: Session,
    revision: int,
    new_revision: int,
    changes: Iterable[tuple[str, Mapping[str, Any] | None, Mapping[str, Any] | None]],
) -> None:
    """Keep the edges of ``revision`` for ``new_revision``, a write's changes applied.

    Args:
        session: the write's transaction.
        revision: the revision the write was based on.
        new_revision: the write's revision.
        changes: per stored value the write replaced, added or removed: its path, the
            ``$extensions`` before and after (None: no value). Nothing is kept when the
            edges of ``revision`` are not known here.
    """
    database = database_of(session)
    with _EDGES_LOCK:
        base = _EDGES.get((database, revision))
    if base is None:
        return
    out = dict(base)  # copied on write: the entry of ``revision`` stays as it was
    copied: set[str] = set()
    for path, before, after in changes:
        for ref, step in itertools.chain(
            ((r, -1) for r in modifier_references(before)),
            ((r, 1) for r in modifier_references(after)),
        ):
            if ref.target not in copied:
                out[ref.target] = dict(out.get(ref.target, {}))
                copied.add(ref.target)
            counts = out[ref.target]
            counts[path] = counts.get(path, 0) + step
            if counts[path] <= 0:
                del counts[path]
    _keep((database, new_revision), out)


def _mentions(column: Any, name: str) -> ColumnElement[bool]:
    """A filter: the JSON text of ``column`` contains ``name`` as written or JSON-escaped."""
    text = cast(column, String)
    forms = {name, json.dumps(name)[1:-1]}
    return or_(*(text.contains(f, autoescape=True) for f in sorted(forms)))


def _names_every_segment(column: Any, path: str) -> ColumnElement[bool]:
    """A filter every value referencing ``path`` passes: its JSON text holds each segment.

    A curly reference (``"{a/b.c}"``) holds each segment as written, a JSON Pointer
    (``"#/a~1b/c"``) escaped by RFC 6901 §3 (``~`` → ``~0``, ``/`` → ``~1``); either may
    be JSON-escaped in the stored text (Format module §7.1). Values naming only some
    segments (``"{base.color.blue.5}"`` for ``base.color.azure.5``) are not candidates.
    """
    segments = sorted(set(path.split(".")), key=lambda s: (-len(s), s))
    clauses = []
    for segment in segments:
        escaped = pointer_escape(segment)
        forms = [_mentions(column, segment)]
        if escaped != segment:
            forms.append(_mentions(column, escaped))
        clauses.append(or_(*forms))
    return and_(*clauses)


def link_new_targets(session: Session, new_ids: dict[str, int]) -> int:
    """Add the alias rows of stored values that reference paths which just got a row.

    Args:
        session: the write's transaction.
        new_ids: path → id of the token rows this write inserted.

    Returns:
        How many alias rows were added. Two statements per path (a scan of the values
        whose JSON text names every segment of the path, and the alias rows it has
        already), one insert in all.
    """
    rows: list[dict[str, object]] = []
    for path, target_id in new_ids.items():
        candidates = session.execute(
            select(TokenValue.id, TokenValue.value).where(
                _names_every_segment(TokenValue.value, path)
            )
        ).all()
        if not candidates:
            continue
        linked = set(
            session.scalars(select(Alias.token_value_id).where(Alias.target_token_id == target_id))
        )
        for value_id, value in candidates:
            if value_id in linked:
                continue
            rows.extend(
                {"token_value_id": value_id, "target_token_id": target_id, "pointer": r.pointer}
                for r in find_references(value)
                if r.target == path
            )
    if rows:
        session.execute(insert(Alias), rows)
    return len(rows)

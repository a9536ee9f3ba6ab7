"""Use cases that write. Each takes a session and never commits: the caller owns the transaction.

:func:`import_document` replaces everything stored by a loaded resolver document,
after :func:`graphql_api.dtcg.validate.validate_document` found no problem.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, insert, select

from ..dtcg.nodes import Document
from ..dtcg.references import find_references
from ..store import repository
from ..store.db import lock_writes
from ..store.models import Alias, Context, Modifier, Token, TokenGroup, TokenSet, TokenValue
from .workspace import Workspace, layer_changes, record

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from ..dtcg.resolver import ResolverDocument

Step = Callable[[str], None]


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What an import wrote.

    Attributes:
        revision: the new data revision.
        tokens: distinct token paths.
        values: token values stored (one per token per layer).
        aliases: reference edges stored.
        sets, modifiers, contexts: counts of the resolver's structure.
        changes: change-log entries written (one per token and layer that differs).
    """

    revision: int
    tokens: int
    values: int
    aliases: int
    sets: int
    modifiers: int
    contexts: int
    changes: int = 0


def _layers(doc: ResolverDocument) -> list[tuple[str, str, str | None, Document]]:
    """``(kind, name, modifier or None, document)`` of every layer."""
    out: list[tuple[str, str, str | None, Document]] = []
    for s in doc.sets.values():
        out.append(("set", s.name, None, s.document))
    for m in doc.modifiers.values():
        out.extend(("theme", ctx, m.name, d) for ctx, d in m.contexts.items())
    return out


def clear_all(session: Session) -> None:
    """Delete every token, set and modifier (not the revision history)."""
    for model in (Alias, TokenValue, TokenGroup, Token, Context, Modifier, TokenSet):
        session.execute(delete(model))


def _stored_layers(session: Session) -> dict[str, Document]:
    """Every stored layer by change-log label (``"foundation"``, ``"theme:dark"``)."""
    ws = Workspace(session, repository.load_catalog(session))
    layers = ws.layers()
    ws.ensure(layers)
    return {lay.label: ws.document(lay) for lay in layers}


def import_document(
    session: Session,
    doc: ResolverDocument,
    *,
    message: str = "",
    author: str = "",
    step: Step | None = None,
) -> ImportResult:
    """Replace all stored tokens, sets and modifiers with a validated resolver document.

    The caller validates first and commits after; on any exception it rolls back and
    the previous data stays as it was (all-or-nothing).

    Args:
        session: the transaction to write in.
        doc: a loaded resolver document that passed validation.
        message: recorded on the new revision.
        author: the API key's name ('' from the command line), recorded on the revision.
        step: called with a short label before each phase (progress output).

    Returns:
        An :class:`ImportResult` with the counts and the new revision.
    """
    say = step or (lambda _label: None)
    lock_writes(session)
    say("reading the data it replaces")
    before = _stored_layers(session)
    say("clearing previous data")
    clear_all(session)
    say("writing sets and modifiers")
    layer_ids = _write_structure(session, doc)
    layers = _layers(doc)
    paths = sorted({p for _, _, _, d in layers for p in d.tokens})
    say(f"writing {len(paths)} tokens")
    if paths:
        session.execute(insert(Token), [{"path": p, "name": p.rsplit(".", 1)[-1]} for p in paths])
    # .all(): a Result has keys(), so dict() would take the Result itself for a mapping.
    token_ids: dict[str, int] = dict(session.execute(select(Token.path, Token.id)).tuples().all())
    say("writing values and aliases")
    n_values = n_aliases = 0
    for kind, name, modifier, d in layers:
        layer = layer_ids[(kind, modifier, name)]
        n_values, n_aliases = _write_layer(session, d, layer, token_ids, (n_values, n_aliases))
    say("writing the change log")
    after = {
        (name if modifier is None else f"{modifier}:{name}"): d for _, name, modifier, d in layers
    }
    records = [
        rec
        for label in [*before, *(k for k in after if k not in before)]
        for rec in layer_changes(label, before.get(label, Document()), after.get(label, Document()))
    ]
    result = record(session, records, message=message or f"import {doc.name}", author=author)
    contexts = sum(len(m.contexts) for m in doc.modifiers.values())
    return ImportResult(
        result.revision,
        len(paths),
        n_values,
        n_aliases,
        len(doc.sets),
        len(doc.modifiers),
        contexts,
        len(records),
    )


def _write_structure(
    session: Session, doc: ResolverDocument
) -> dict[tuple[str, Any, str], dict[str, int | None]]:
    positions = {item: i for i, item in enumerate(doc.order)}
    ids: dict[tuple[str, Any, str], dict[str, int | None]] = {}
    for s in doc.sets.values():
        row = TokenSet(
            name=s.name,
            description=s.description,
            position=positions[("set", s.name)],
            extensions=s.extensions,
        )
        session.add(row)
        session.flush()
        ids[("set", None, s.name)] = {"set_id": row.id, "theme_id": None}
    for m in doc.modifiers.values():
        mod = Modifier(
            name=m.name,
            description=m.description,
            default_context=m.default,
            position=positions[("modifier", m.name)],
            extensions=m.extensions,
        )
        session.add(mod)
        session.flush()
        for i, ctx in enumerate(m.contexts):
            theme = Context(modifier_id=mod.id, name=ctx, position=i)
            session.add(theme)
            session.flush()
            ids[("theme", m.name, ctx)] = {"set_id": None, "theme_id": theme.id}
    return ids


def _write_layer(
    session: Session,
    d: Document,
    layer: dict[str, int | None],
    token_ids: dict[str, int],
    counts: tuple[int, int],
) -> tuple[int, int]:
    rows = [
        {
            "token_id": token_ids[t.path],
            **layer,
            "type": t.type,
            "value": t.value,
            "description": t.description,
            "deprecated": t.deprecated,
            "extensions": t.extensions,
            "source_file": t.file,
            "source_pointer": t.pointer,
        }
        for t in d.tokens.values()
    ]
    groups = [
        {
            **layer,
            "path": g.path,
            "type": g.type,
            "description": g.description,
            "deprecated": g.deprecated,
            "extensions": g.extensions,
            "source_file": g.file,
            "source_pointer": g.pointer,
            "extends": g.extends,
        }
        for g in d.groups.values()
    ]
    if groups:
        session.execute(insert(TokenGroup), groups)
    if not rows:
        return counts
    # Plain executemany (RETURNING would make SQLite run one statement per row), then
    # one SELECT to learn the ids: a token has one value per layer.
    session.execute(insert(TokenValue), rows)
    column = TokenValue.set_id if layer["set_id"] is not None else TokenValue.theme_id
    layer_id = layer["set_id"] if layer["set_id"] is not None else layer["theme_id"]
    value_ids: dict[int, int] = {
        token_id: value_id
        for value_id, token_id in session.execute(
            select(TokenValue.id, TokenValue.token_id).where(column == layer_id)
        )
    }
    aliases = [
        {
            "token_value_id": value_ids[token_ids[t.path]],
            "target_token_id": token_ids[r.target],
            "pointer": r.pointer,
        }
        for t in d.tokens.values()
        for r in find_references(t.value)
        if r.target in token_ids
    ]
    if aliases:
        session.execute(insert(Alias), aliases)
    return counts[0] + len(rows), counts[1] + len(aliases)

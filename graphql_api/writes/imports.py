"""Use cases that write. Each takes a session and never commits: the caller owns the transaction.

:func:`import_document` replaces everything stored by a loaded resolver document,
after :func:`graphql_api.dtcg.validate.validate_document` found no problem.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..dtcg.nodes import Document
from ..store import repository, structure, token_rows
from ..store.db import lock_writes
from .workspace import Workspace, group_row, layer_changes, record, write_values

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
    structure.clear_all(session)
    say("writing sets and modifiers")
    layer_ids = _write_structure(session, doc)
    layers = _layers(doc)
    paths = sorted({p for _, _, _, d in layers for p in d.tokens})
    say(f"writing {len(paths)} tokens")
    token_ids = token_rows.add_tokens(session, paths)
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
        set_id = structure.add_set(
            session, s.name, s.description, positions[("set", s.name)], s.extensions
        )
        ids[("set", None, s.name)] = {"set_id": set_id, "theme_id": None}
    for m in doc.modifiers.values():
        modifier_id = structure.add_modifier(
            session,
            m.name,
            description=m.description,
            default=m.default,
            position=positions[("modifier", m.name)],
            extensions=m.extensions,
        )
        for ctx, theme_id in structure.add_contexts(session, modifier_id, list(m.contexts)).items():
            ids[("theme", m.name, ctx)] = {"set_id": None, "theme_id": theme_id}
    return ids


def _write_layer(
    session: Session,
    d: Document,
    layer: dict[str, int | None],
    token_ids: dict[str, int],
    counts: tuple[int, int],
) -> tuple[int, int]:
    token_rows.add_groups(session, [group_row(g, layer) for g in d.groups.values()])
    nodes = list(d.tokens.values())
    aliases = write_values(session, nodes, layer, token_ids)
    return counts[0] + len(nodes), counts[1] + aliases

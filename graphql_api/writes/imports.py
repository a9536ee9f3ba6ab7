"""Imports: a loaded resolver document in place of everything stored, all or nothing.

:func:`import_document` (``importTokens``, ``flask tokens import``, through
:func:`graphql_api.writes.replace_all`) runs an :class:`ImportOperation` through the unit
of work (:func:`graphql_api.writes.unit.run`), after
:func:`graphql_api.dtcg.validate.validate_document` found no problem. The operation
reads every stored layer; storing it clears the stored data and writes the document's
rows in bulk (:mod:`graphql_api.store.token_rows`), with one change-log entry per token
and layer that differs from before. Nothing commits here: the caller owns the
transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..dtcg.nodes import Document
from ..store import structure, token_rows
from .changes import ChangeRecord, WriteResult, layer_changes
from .unit import run

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from ..dtcg.resolver import ResolverDocument
    from .workspace import Workspace

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


class ImportOperation:
    """The import of one validated document, as an operation of :func:`~.unit.run`.

    Called with the workspace, it reads every stored layer (the change log compares them
    with the new ones) and leaves itself as the workspace's ``replacement``: the check
    accepts the document as validated by the caller, and
    :meth:`~.workspace.Workspace.store` calls :meth:`write`.
    """

    def __init__(
        self, doc: ResolverDocument, *, message: str = "", step: Step | None = None
    ) -> None:
        self.doc = doc
        self.message = message or f"import {doc.name}"
        self.say: Step = step or (lambda _label: None)
        self.before: dict[str, Document] = {}
        self.counts = (0, 0, 0)  # tokens, values, aliases written

    def __call__(self, ws: Workspace) -> str:
        """Read the data this import replaces; returns the revision's message."""
        self.say("reading the data it replaces")
        layers = ws.layers()
        ws.ensure(layers)
        self.before = {lay.label: ws.document(lay) for lay in layers}
        ws.replacement = self
        return self.message

    def write(self, ws: Workspace) -> list[ChangeRecord]:
        """Replace every stored row by the document's; returns the change-log entries."""
        session, doc, say = ws.session, self.doc, self.say
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
        self.counts = (len(paths), n_values, n_aliases)
        say("writing the change log")
        after = {
            (name if modifier is None else f"{modifier}:{name}"): d
            for _, name, modifier, d in layers
        }
        before = self.before
        return [
            rec
            for label in [*before, *(k for k in after if k not in before)]
            for rec in layer_changes(
                label, before.get(label, Document()), after.get(label, Document())
            )
        ]

    def result(self, written: WriteResult) -> ImportResult:
        """The :class:`ImportResult` of this import, once stored as ``written``."""
        doc = self.doc
        tokens, values, aliases = self.counts
        return ImportResult(
            written.revision,
            tokens,
            values,
            aliases,
            len(doc.sets),
            len(doc.modifiers),
            sum(len(m.contexts) for m in doc.modifiers.values()),
            len(written.changes),
        )


def import_document(
    session: Session,
    doc: ResolverDocument,
    *,
    message: str = "",
    author: str = "",
    step: Step | None = None,
    expected_revision: int | None = None,
) -> ImportResult:
    """Replace all stored tokens, sets and modifiers with a validated resolver document.

    Runs an :class:`ImportOperation` through the unit of work (:func:`~.unit.run`). The
    caller validates first (:func:`graphql_api.dtcg.validate.validate_document`) and
    commits after; on any exception it rolls back and the previous data stays as it was
    (all-or-nothing).

    Args:
        session: the transaction to write in.
        doc: a loaded resolver document that passed validation.
        message: recorded on the new revision (default ``"import <document name>"``).
        author: the API key's name ('' from the command line), recorded on the revision.
        step: called with a short label before each phase (progress output).
        expected_revision: the revision the import replaces; None skips the check.

    Returns:
        An :class:`ImportResult` with the counts and the new revision.

    Raises:
        Conflict: ``STALE_REVISION`` when ``expected_revision`` is not the current one.
    """
    operation = ImportOperation(doc, message=message, step=step)
    written = run(session, operation, author=author, expected_revision=expected_revision)
    return operation.result(written)


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
    token_rows.add_groups(session, [token_rows.group_row(g, layer) for g in d.groups.values()])
    nodes = list(d.tokens.values())
    aliases = token_rows.write_values(session, [(layer, nodes)], token_ids)
    return counts[0] + len(nodes), counts[1] + aliases

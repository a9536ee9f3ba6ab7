"""The change log of a write: one entry per token and layer that differs, and the revision.

:func:`layer_changes` compares one layer before and after a write (renames paired);
:func:`record` stores the entries with a new revision
(:func:`graphql_api.store.repository.add_revision`). Every write records through
:meth:`graphql_api.writes.workspace.Workspace.store`: edits, imports (each layer of the
replaced data against the imported one) and releases (a revision with no entries).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..dtcg.edits import same_token, token_object
from ..store import repository

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from ..dtcg.nodes import Document


@dataclass(frozen=True, slots=True)
class ChangeRecord:
    """One change-log entry: a token in one layer, before and after (DTCG objects or None)."""

    path: str
    layer: str
    before: Any  # dict or None
    after: Any  # dict or None
    previous_path: str | None = None


@dataclass(frozen=True, slots=True)
class WriteResult:
    """What a write stored: its revision and the change-log entries it recorded."""

    revision: int
    changes: list[ChangeRecord] = field(default_factory=list)
    message: str = ""


def layer_changes(
    label: str, old: Document, new: Document, renames: dict[str, str] | None = None
) -> list[ChangeRecord]:
    """Change-log entries of one layer: added, changed and removed tokens; renames paired.

    Args:
        label: the layer's change-log name (``"foundation"``, ``"theme:dark"``).
        old: the layer before the write.
        new: the layer after it.
        renames: old path → new path of the tokens the write renamed.
    """
    renames = renames or {}
    moved = {
        o: n
        for o, n in renames.items()
        if o in old.tokens and n in new.tokens and o not in new.tokens and n not in old.tokens
    }
    moved_to = set(moved.values())
    out: list[ChangeRecord] = []
    for path, node in new.tokens.items():
        if path in moved_to:
            continue
        before = old.tokens.get(path)
        if not same_token(before, node):
            was = token_object(before) if before is not None else None
            out.append(ChangeRecord(path, label, was, token_object(node)))
    for path, node in old.tokens.items():
        if path in moved:
            target = moved[path]
            out.append(
                ChangeRecord(
                    target, label, token_object(node), token_object(new.tokens[target]), path
                )
            )
        elif path not in new.tokens:
            out.append(ChangeRecord(path, label, token_object(node), None))
    return out


def record(
    session: Session, records: list[ChangeRecord], *, message: str, author: str
) -> WriteResult:
    """Add a revision and its change-log rows (flushed); returns them."""
    revision = repository.add_revision(
        session,
        [
            {
                "path": r.path,
                "previous_path": r.previous_path,
                "layer": r.layer,
                "before": r.before,
                "after": r.after,
            }
            for r in records
        ],
        message=message,
        author=author,
    )
    return WriteResult(revision, records, message)

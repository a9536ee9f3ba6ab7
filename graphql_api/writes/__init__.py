"""Writes: every change to the stored design system goes through :func:`run`.

:func:`run` takes the write lock, refuses a stale ``expected_revision`` (optimistic
concurrency), lets one operation edit a :class:`~.workspace.Workspace`, checks every
affected theme combination and stores the difference with its change log and a new
revision. All or nothing: the caller commits on success and rolls back on any
exception, refusals included (:mod:`.errors`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import ErrorCode
from ..store import repository
from ..store.db import lock_writes
from .check import remember
from .errors import Conflict, Invalid, NotFound, WriteRefused
from .workspace import Layer, Workspace, WriteResult

if TYPE_CHECKING:
    from collections.abc import Callable

    from sqlalchemy.orm import Session

    from ..dtcg.resolver import ResolverDocument
    from .imports import ImportResult, Step

__all__ = [
    "Conflict",
    "Invalid",
    "Layer",
    "NotFound",
    "Workspace",
    "WriteRefused",
    "WriteResult",
    "replace_all",
    "run",
]


def _check_revision(session: Session, expected_revision: int | None) -> int:
    current = repository.current_revision(session)
    if expected_revision is not None and expected_revision != current:
        msg = (
            f"the data changed since revision {expected_revision} (now {current}); "
            "read it again and retry"
        )
        raise Conflict(msg, current, ErrorCode.STALE_REVISION)
    return current


def run(
    session: Session,
    operation: Callable[[Workspace], str],
    *,
    author: str = "",
    expected_revision: int | None = None,
) -> WriteResult:
    """Run one write operation under the write lock.

    Args:
        session: the transaction (not committed here).
        operation: edits the workspace and returns the revision's message.
        author: the API key's name ('' for the command line), kept on the revision.
        expected_revision: the revision the caller's change is based on; None skips the check.

    Returns:
        The new revision and its change-log entries.

    Raises:
        Conflict: ``STALE_REVISION`` when ``expected_revision`` is not the current one, or
            ``ALREADY_EXISTS`` from the operation (``current_revision`` filled in).
        NotFound, Invalid: from the operation or the check.
    """
    lock_writes(session)
    current = _check_revision(session, expected_revision)
    ws = Workspace(session, repository.load_catalog(session))
    try:
        message = operation(ws)
    except Conflict as exc:
        raise Conflict(str(exc), current, exc.code) from None
    report = ws.check(current)
    result = ws.store(message=message, author=author)
    remember(ws, report, result.revision)
    return result


def replace_all(
    session: Session,
    doc: ResolverDocument,
    *,
    author: str = "",
    expected_revision: int | None = None,
    message: str = "",
    step: Step | None = None,
) -> ImportResult:
    """Replace every stored token with a validated document (an import), under the lock.

    The one route of every import: the ``importTokens`` mutation and ``flask tokens
    import`` (which passes ``step`` to print each stage).

    Raises:
        Conflict: ``STALE_REVISION``.
    """
    from .imports import import_document  # noqa: PLC0415 - services imports this package

    lock_writes(session)
    _check_revision(session, expected_revision)
    return import_document(session, doc, message=message, author=author, step=step)

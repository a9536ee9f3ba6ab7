"""The unit of work: the one route of every write (edits, imports, releases).

:func:`run` takes the write lock (:func:`graphql_api.store.db.lock_writes`), refuses a
stale ``expected_revision`` (optimistic concurrency), reads the stored structure into a
:class:`~.workspace.Workspace` based on the current revision, lets one operation change
it, checks the result (:func:`graphql_api.writes.check.check`) and stores it with its
change log and a new revision (:meth:`~.workspace.Workspace.store`). Operations:

- edits (:mod:`.tokens`, :mod:`.structure`, :mod:`.documents`): change layers in memory;
- an import (:class:`graphql_api.writes.imports.ImportOperation`): new data in place of
  every layer, validated whole by the caller before;
- a release (:class:`graphql_api.writes.releases.Freeze`): the frozen resolver stored,
  and a revision with no token changes.

All or nothing: the caller commits on success and rolls back on any exception,
refusals included (:mod:`.errors`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import ErrorCode
from ..store import repository
from ..store.db import lock_writes, on_commit
from .check import remember
from .errors import Conflict
from .workspace import Workspace

if TYPE_CHECKING:
    from collections.abc import Callable

    from sqlalchemy.orm import Session

    from .changes import WriteResult


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
        operation: changes the workspace (its ``based_on`` is the current revision) and
            returns the revision's message.
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
    ws = Workspace(session, repository.load_catalog(session), current)
    try:
        message = operation(ws)
    except Conflict as exc:
        raise Conflict(str(exc), current, exc.code) from None
    report = ws.check(current)
    result = ws.store(message=message, author=author)
    remember(ws, report, result.revision)
    on_commit(session, lambda: ws.keep_layers(result.revision))
    return result

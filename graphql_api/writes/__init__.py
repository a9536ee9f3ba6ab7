"""Writes: every change to the stored design system goes through :func:`run`.

:func:`run` (:mod:`.unit`, the unit of work) takes the write lock, refuses a stale
``expected_revision`` (optimistic concurrency), lets one operation change a
:class:`~.workspace.Workspace`, checks every affected theme combination and stores the
difference with its change log and a new revision. Edits (:mod:`.tokens`,
:mod:`.structure`, :mod:`.documents`), imports (:func:`replace_all`,
:mod:`.imports`) and releases (:mod:`.releases`) are operations of it. All or nothing:
the caller commits on success and rolls back on any exception, refusals included
(:mod:`.errors`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .changes import WriteResult
from .errors import Conflict, Invalid, NotFound, WriteRefused
from .unit import run
from .workspace import Layer, Workspace

if TYPE_CHECKING:
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
    import`` (which passes ``step`` to print each stage); it runs through :func:`run`
    (:func:`.imports.import_document`).

    Raises:
        Conflict: ``STALE_REVISION``.
    """
    from . import imports  # noqa: PLC0415 - lazy: the edits do not need it

    return imports.import_document(
        session,
        doc,
        message=message,
        author=author,
        step=step,
        expected_revision=expected_revision,
    )

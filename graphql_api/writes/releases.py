"""Releases: a name for the current revision, with a frozen copy of every layer.

A release stores the whole resolver (:mod:`graphql_api.store.release_format`), so reads with
``release:`` (time travel) and ``diff`` never replay the change log. Making one is an
operation of the unit of work (:func:`graphql_api.writes.unit.run`) that edits no layer:
it stores the frozen document, and the unit of work records a revision with no token
changes, so HTTP validators and caches keyed by revision move on.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..dtcg import errors as E  # noqa: N812 - the engine's alias
from ..dtcg.errors import DTCGError
from ..errors import ErrorCode
from ..store import release_format, repository
from .errors import Conflict, Invalid
from .unit import run

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from ..store.models import Release
    from .workspace import Workspace


class Freeze:
    """The operation that freezes the workspace's base revision as a release.

    Attributes:
        release: the stored row, once the operation ran.
    """

    def __init__(self, name: str, notes: str, author: str) -> None:
        self.name, self.notes, self.author = name, notes, author
        self.release: Release | None = None

    def __call__(self, ws: Workspace) -> str:
        """Store every layer of ``ws`` as release ``name``; returns the revision's message.

        Raises:
            Invalid: the name is empty, or nothing was ever written.
            Conflict: ``ALREADY_EXISTS``, a release has that name.
        """
        current = ws.based_on
        if not self.name.strip():
            raise Invalid([DTCGError(E.INVALID_INPUT, "a release needs a name")])
        if repository.release_info(ws.session, self.name) is not None:
            msg = f"release {self.name!r} exists already"
            raise Conflict(msg, current, ErrorCode.ALREADY_EXISTS)
        if current == 0:
            raise Invalid(
                [DTCGError(E.INVALID_INPUT, "nothing to release: no tokens were written")]
            )
        ws.ensure(ws.layers())
        ws.data_unchanged = True
        self.release = repository.add_release(
            ws.session,
            name=self.name,
            notes=self.notes,
            revision=current,
            author=self.author,
            content=release_format.dump(ws.doc),
        )
        return f"release {self.name}"


def create_release(session: Session, name: str, notes: str, *, author: str = "") -> Release:
    """Freeze the current revision as release ``name`` (flushed, not committed).

    Runs :class:`Freeze` through the unit of work (:func:`~.unit.run`): the release row
    names the revision it freezes; a new revision (message ``"release <name>"``, no
    change-log entries) follows it.

    Raises:
        Conflict: ``ALREADY_EXISTS``, a release has that name.
        Invalid: the name is empty, or nothing was ever written.
    """
    freeze = Freeze(name, notes, author)
    run(session, freeze, author=author)
    if freeze.release is None:  # pragma: no cover - run raises when the operation does
        raise RuntimeError("the release was not stored")
    return freeze.release

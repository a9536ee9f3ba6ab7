"""Releases: a name for the current revision, with a frozen copy of every layer.

A release stores the whole resolver (:mod:`graphql_api.store.release_format`), so reads with
``release:`` (time travel) and ``diff`` never replay the change log. Making one adds a
revision (with no token changes): HTTP validators and caches keyed by revision move on.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..dtcg import errors as E  # noqa: N812 - the engine's alias
from ..dtcg.errors import DTCGError
from ..errors import ErrorCode
from ..store import release_format, repository
from ..store.db import lock_writes
from .errors import Conflict, Invalid
from .workspace import Workspace, record

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from ..store.models import Release


def create_release(session: Session, name: str, notes: str, *, author: str = "") -> Release:
    """Freeze the current revision as release ``name`` (flushed, not committed).

    Raises:
        Conflict: ``ALREADY_EXISTS``, a release has that name.
        Invalid: the name is empty, or nothing was ever written.
    """
    lock_writes(session)
    current = repository.current_revision(session)
    if not name.strip():
        raise Invalid([DTCGError(E.INVALID_INPUT, "a release needs a name")])
    if repository.release_info(session, name) is not None:
        raise Conflict(f"release {name!r} exists already", current, ErrorCode.ALREADY_EXISTS)
    if current == 0:
        raise Invalid([DTCGError(E.INVALID_INPUT, "nothing to release: no tokens were written")])
    ws = Workspace(session, repository.load_catalog(session))
    ws.ensure(ws.layers())
    release = repository.add_release(
        session,
        name=name,
        notes=notes,
        revision=current,
        author=author,
        content=release_format.dump(ws.doc),
    )
    record(session, [], message=f"release {name}", author=author)
    return release

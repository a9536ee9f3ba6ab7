"""The ``persisted_query`` and ``apq_query`` tables: every statement on stored GraphQL documents.

``persisted_query`` is the operator's allow-list; ``apq_query`` holds the documents clients
registered through Automatic Persisted Queries (the protocol:
:mod:`graphql_api.web.persisted_queries`). Documents are keyed by the lower-case hex SHA-256
of their UTF-8 text. Functions take a :class:`~sqlalchemy.orm.Session`; none commits.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import delete, func, select, union_all
from sqlalchemy.dialects import postgresql, sqlite

from .models import ApqQuery, PersistedQuery

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


def lookup(session: Session, sha256: str) -> str | None:
    """The operator-registered (allow-list) document with this hash, or None. One statement."""
    return session.scalar(select(PersistedQuery.query).where(PersistedQuery.sha256 == sha256))


def lookup_apq(session: Session, sha256: str) -> str | None:
    """The document with this hash, from the allow-list or registered by a client. One statement."""
    either = union_all(
        select(PersistedQuery.query).where(PersistedQuery.sha256 == sha256),
        select(ApqQuery.query).where(ApqQuery.sha256 == sha256),
    ).limit(1)
    return session.scalar(select(either.subquery().c.query))


def apq_documents(session: Session) -> list[str]:
    """Hashes of the client-registered (APQ) documents, oldest first. One statement."""
    return list(session.scalars(select(ApqQuery.sha256).order_by(ApqQuery.id)))


def all_documents(session: Session) -> list[tuple[str, str]]:
    """``(sha256, document)`` of every allow-listed document, by hash. One statement."""
    rows = session.execute(
        select(PersistedQuery.sha256, PersistedQuery.query).order_by(PersistedQuery.sha256)
    )
    return [(r.sha256, r.query) for r in rows]


def _insert_once(
    session: Session, model: type[ApqQuery | PersistedQuery], sha256: str, query: str
) -> None:
    """Insert a document row; a row with the same hash already there is kept (no error)."""
    module = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    stmt = module.insert(model).values(sha256=sha256, query=query)
    session.execute(stmt.on_conflict_do_nothing(index_elements=["sha256"]))


def add(session: Session, sha256: str, query: str) -> None:
    """Allow-list ``query`` under its hash ``sha256`` (idempotent, safe against concurrent adds).

    One statement.
    """
    _insert_once(session, PersistedQuery, sha256, query)


def add_apq(session: Session, sha256: str, query: str, max_documents: int) -> None:
    """Keep a client's document under ``sha256``, then only the newest ``max_documents``.

    Two statements, three when older documents are deleted.
    """
    _insert_once(session, ApqQuery, sha256, query)
    newest = session.scalar(select(func.max(ApqQuery.id))) or 0
    if newest > max_documents:
        session.execute(delete(ApqQuery).where(ApqQuery.id <= newest - max(max_documents, 0)))

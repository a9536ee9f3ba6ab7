"""Persisted queries: Apollo's Automatic Persisted Queries protocol, and an allow-list.

APQ (as Apollo Client's ``createPersistedQueryLink`` and urql's ``persistedExchange``
speak it): a request carries ``extensions.persistedQuery = {version: 1, sha256Hash}``.
Without ``query``, the server runs the document it knows by that hash, or answers the
error ``PersistedQueryNotFound`` (``extensions.code`` ``PERSISTED_QUERY_NOT_FOUND``), upon
which the client sends hash and document together and the server registers it. GET URLs
stay short and cacheable.

Modes (setting ``PERSISTED_QUERIES``): ``apq`` — as above, plus plain queries; ``allowlist``
— only documents registered by an operator run (clients may send the hash alone or the
document; unknown ones are refused, nothing is registered from requests); ``off``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from ..errors import ErrorCode
from ..store.models import PersistedQuery

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

NOT_FOUND = ErrorCode.PERSISTED_QUERY_NOT_FOUND
NOT_SUPPORTED = ErrorCode.PERSISTED_QUERY_NOT_SUPPORTED
HASH_MISMATCH = ErrorCode.PERSISTED_QUERY_HASH_MISMATCH
NOT_ALLOWED = ErrorCode.PERSISTED_QUERY_NOT_ALLOWED
MODES = ("apq", "allowlist", "off")


@dataclass(frozen=True, slots=True)
class Outcome:
    """What to run, or the error to answer.

    Attributes:
        query: the document to execute (None when ``error`` is set).
        error: ``(code, message)`` of a GraphQL error to answer with, or None.
        registered: True when the request registered a new document (caller commits).
    """

    query: str | None
    error: tuple[str, str] | None = None
    registered: bool = False


def sha256_hex(query: str) -> str:
    """Lower-case hex SHA-256 of a document's UTF-8 text (what APQ clients send)."""
    return hashlib.sha256(query.encode("utf-8")).hexdigest()


def requested_hash(extensions: Any) -> str | None:
    """``extensions.persistedQuery.sha256Hash`` of a request, or None."""
    if not isinstance(extensions, dict):
        return None
    pq = extensions.get("persistedQuery")
    if not isinstance(pq, dict):
        return None
    value = pq.get("sha256Hash")
    return value.lower() if isinstance(value, str) else None


def lookup(session: Session, sha256: str) -> str | None:
    """The registered document with this hash, or None. One statement."""
    return session.scalar(select(PersistedQuery.query).where(PersistedQuery.sha256 == sha256))


def all_documents(session: Session) -> list[tuple[str, str]]:
    """``(sha256, document)`` of every registered document, by hash."""
    rows = session.execute(select(PersistedQuery.sha256, PersistedQuery.query).order_by(
        PersistedQuery.sha256))  # fmt: skip
    return [(r.sha256, r.query) for r in rows]


def register(session: Session, query: str) -> str:
    """Register ``query`` (idempotent; concurrent registrations do not conflict).

    Returns:
        Its SHA-256. The caller commits.
    """
    digest = sha256_hex(query)
    dialect = session.get_bind().dialect.name
    module = postgresql if dialect == "postgresql" else sqlite
    stmt = module.insert(PersistedQuery).values(sha256=digest, query=query)
    session.execute(stmt.on_conflict_do_nothing(index_elements=["sha256"]))
    return digest


def resolve_request(
    session: Session, mode: str, query: str | None, extensions: Any
) -> Outcome:
    """Decide what document a request runs under the persisted-query ``mode``.

    Registers a new APQ document in ``session``; the caller commits when
    ``Outcome.registered`` says so.

    Returns:
        The :class:`Outcome`: the document, or an error code and message.
    """
    digest = requested_hash(extensions)
    if mode == "off":
        return _resolve_off(query, digest)
    if digest is None:
        return _resolve_plain(session, mode, query)
    if query is None:
        return _resolve_hash_only(session, digest)
    return _resolve_hash_and_document(session, mode, query, digest)


def _resolve_off(query: str | None, digest: str | None) -> Outcome:
    if digest is not None and query is None:
        return Outcome(None, (NOT_SUPPORTED, "PersistedQueryNotSupported"))
    return Outcome(query)


def _resolve_plain(session: Session, mode: str, query: str | None) -> Outcome:
    if mode == "allowlist" and query is not None and lookup(session, sha256_hex(query)) is None:
        return Outcome(None, (NOT_ALLOWED, "this document is not in the allow-list"))
    return Outcome(query)


def _resolve_hash_only(session: Session, digest: str) -> Outcome:
    known = lookup(session, digest)
    if known is None:
        return Outcome(None, (NOT_FOUND, "PersistedQueryNotFound"))
    return Outcome(known)


def _resolve_hash_and_document(session: Session, mode: str, query: str, digest: str) -> Outcome:
    if sha256_hex(query) != digest:
        return Outcome(None, (HASH_MISMATCH, "provided sha256Hash does not match the query"))
    if mode == "allowlist":
        if lookup(session, digest) is None:
            return Outcome(None, (NOT_ALLOWED, "this document is not in the allow-list"))
        return Outcome(query)
    if lookup(session, digest) is None:
        register(session, query)
        return Outcome(query, registered=True)
    return Outcome(query)

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

Documents clients register are kept apart from the operator's allow-list (table
``apq_query``, never consulted in ``allowlist`` mode), only when they parse and validate,
and at most ``APQ_MAX_DOCUMENTS`` of them (the oldest are deleted first).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..errors import ErrorCode
from ..store import persisted_queries as stored

if TYPE_CHECKING:
    from collections.abc import Callable

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


def register_apq(session: Session, query: str, max_documents: int) -> str:
    """Store a client's document in the APQ table, keeping only the newest ``max_documents``.

    Returns:
        Its SHA-256. The caller commits. Two statements, three when older ones go.
    """
    digest = sha256_hex(query)
    stored.add_apq(session, digest, query, max_documents)
    return digest


def register(session: Session, query: str) -> str:
    """Register ``query`` (idempotent; concurrent registrations do not conflict).

    Returns:
        Its SHA-256. The caller commits.
    """
    digest = sha256_hex(query)
    stored.add(session, digest, query)
    return digest


@dataclass(frozen=True, slots=True)
class ApqPolicy:
    """What a client may register in ``apq`` mode.

    Attributes:
        valid: whether a document parses and validates against the schema.
        max_documents: how many client documents are kept (``APQ_MAX_DOCUMENTS``).
    """

    valid: Callable[[str], bool]
    max_documents: int


def resolve_request(
    session: Session, mode: str, query: str | None, extensions: Any, policy: ApqPolicy
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
        return _resolve_hash_only(session, mode, digest)
    return _resolve_hash_and_document(session, mode, query, digest, policy)


def _resolve_off(query: str | None, digest: str | None) -> Outcome:
    if digest is not None and query is None:
        return Outcome(None, (NOT_SUPPORTED, "PersistedQueryNotSupported"))
    return Outcome(query)


def _resolve_plain(session: Session, mode: str, query: str | None) -> Outcome:
    if (
        mode == "allowlist"
        and query is not None
        and stored.lookup(session, sha256_hex(query)) is None
    ):
        return Outcome(None, (NOT_ALLOWED, "this document is not in the allow-list"))
    return Outcome(query)


def _resolve_hash_only(session: Session, mode: str, digest: str) -> Outcome:
    known = (
        stored.lookup(session, digest)
        if mode == "allowlist"
        else stored.lookup_apq(session, digest)
    )
    if known is None:
        return Outcome(None, (NOT_FOUND, "PersistedQueryNotFound"))
    return Outcome(known)


def _resolve_hash_and_document(
    session: Session, mode: str, query: str, digest: str, policy: ApqPolicy
) -> Outcome:
    if sha256_hex(query) != digest:
        return Outcome(None, (HASH_MISMATCH, "provided sha256Hash does not match the query"))
    if mode == "allowlist":
        if stored.lookup(session, digest) is None:
            return Outcome(None, (NOT_ALLOWED, "this document is not in the allow-list"))
        return Outcome(query)
    if stored.lookup_apq(session, digest) is not None:
        return Outcome(query)
    if not policy.valid(query):  # not stored; run it so the client gets the real errors
        return Outcome(query)
    register_apq(session, query, policy.max_documents)
    return Outcome(query, registered=True)

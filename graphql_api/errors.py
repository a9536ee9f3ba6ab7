"""Errors of the API layer: the catalogue of stable ``extensions.code`` values.

A client switches on ``errors[].extensions.code`` (GraphQL errors and plain HTTP
refusals) or on a mutation payload's ``code``. Problems found in tokens (a bad value,
a broken reference, an unknown context…) keep the DTCG engine's codes, catalogued in
:mod:`graphql_api.dtcg.errors`; this module lists every other code the server sends.
Codes never change meaning; new ones are added here first.

Exception tree::

    Exception
    ├── ApiError                      a refusal the client can act on (``code``)
    │   ├── graphql_api.web.auth.AuthError          no valid key / key lacks the scope
    │   └── graphql_api.writes.errors.WriteRefused  a mutation was not made
    │       ├── NotFound, Conflict, Invalid
    ├── graphql_api.dtcg.errors.DTCGError           one problem in tokens
    └── graphql_api.dtcg.errors.DTCGErrorGroup      several problems found in one pass

Catalogue (HTTP status where the refusal is a plain HTTP answer; otherwise a GraphQL
error in a 200/400 response, or a mutation payload):

=================================  ==================================================
Code                               Meaning
=================================  ==================================================
``UNAUTHENTICATED``                no key, an unknown or revoked key (HTTP 401)
``FORBIDDEN``                      the key lacks the scope (``read``/``write``) (403)
``BODY_TOO_LARGE``                 the request body is over ``MAX_BODY_BYTES`` (413)
``BATCH_TOO_LARGE``                a batch has more operations than ``MAX_BATCH_SIZE``
``BAD_REQUEST``                    the body or a parameter is not usable JSON (HTTP 400)
``UNSUPPORTED_MEDIA_TYPE``         a POST body that is not ``application/json`` (415)
``OPERATION_NAME_REQUIRED``        several operations and no ``operationName`` (WebSocket)
``OPERATION_NOT_FOUND``            ``operationName`` names no operation (WebSocket)
``QUERY_TOO_DEEP``                 the document nests deeper than ``MAX_QUERY_DEPTH``
``TOO_MANY_ALIASES``               more aliases than ``MAX_QUERY_ALIASES``
``QUERY_TOO_COSTLY``               cost over ``MAX_QUERY_COST`` (estimated, or counted)
``QUERY_TIMEOUT``                  the operation ran past ``MAX_QUERY_SECONDS``
``EVENT_TOO_LARGE``                a subscription event is over ``LIVE_MAX_EVENT_BYTES``
``DOCUMENT_TOO_LARGE``             a subscription document is over 64 KiB
``INTROSPECTION_DISABLED``         introspection is off (``INTROSPECTION=0``)
``PERSISTED_QUERY_NOT_FOUND``      APQ: the hash is unknown; send the document
``PERSISTED_QUERY_NOT_SUPPORTED``  APQ is off (``PERSISTED_QUERIES=off``)
``PERSISTED_QUERY_HASH_MISMATCH``  APQ: the document does not hash to the given hash
``PERSISTED_QUERY_NOT_ALLOWED``    allow-list mode: the document is not registered
``SUBSCRIPTIONS_ONLY``             a query or mutation sent over the WebSocket
``SUBSCRIPTIONS_UNAVAILABLE``      live updates need the ASGI server (HTTP 501)
``SUBSCRIPTION_ENDED``             a subscriber fell behind, or its context was deleted
``DUPLICATE_MODIFIER``             a ``theme:`` selection names one modifier twice
``INVALID_PAGE_SIZE``              ``first``/``last`` is negative or over ``MAX_PAGE_SIZE``
``INVALID_CURSOR``                 ``after``/``before`` is not a cursor this server issued
``INVALID_ARGUMENT``               an argument is out of its range (dates, formats…)
``INVALID_ID``                     ``node``/``nodes``: not a global ID this server made
``TOO_MANY_IDS``                   ``nodes``: more IDs than one call reads (100)
``RELEASE_NOT_FOUND``              ``release:`` names no release
``TOKEN_NOT_FOUND``                no token at that path; ``extensions.suggestions``:
                                   up to three close paths (mutations: ``NotFound``)
``SET_NOT_FOUND``                  a mutation's ``NotFound``: no such set
``MODIFIER_NOT_FOUND``             a mutation's ``NotFound``: no such modifier
``CONTEXT_NOT_FOUND``              a mutation's ``NotFound``: no such context
``INVALID_SINCE``                  a subscription's ``since`` is negative
``STALE_REVISION``                 ``expectedRevision`` is not the stored revision
``ALREADY_EXISTS``                 the token, set, modifier, context or release exists
``DATABASE_UNAVAILABLE``           the database cannot be reached or written (HTTP 503)
``MIGRATIONS_PENDING``             ``/readyz``: run ``alembic upgrade head`` (503)
``USAGE_UNAVAILABLE``              usage analytics is not set up on this server
``INTERNAL_SERVER_ERROR``          anything unexpected; masked, with a ``requestId``
=================================  ==================================================
"""

from __future__ import annotations

from enum import StrEnum


class ErrorCode(StrEnum):
    """The API's stable error codes (a ``str``: serialises as its value)."""

    UNAUTHENTICATED = "UNAUTHENTICATED"
    FORBIDDEN = "FORBIDDEN"
    BODY_TOO_LARGE = "BODY_TOO_LARGE"
    BATCH_TOO_LARGE = "BATCH_TOO_LARGE"
    BAD_REQUEST = "BAD_REQUEST"
    UNSUPPORTED_MEDIA_TYPE = "UNSUPPORTED_MEDIA_TYPE"
    OPERATION_NAME_REQUIRED = "OPERATION_NAME_REQUIRED"
    OPERATION_NOT_FOUND = "OPERATION_NOT_FOUND"
    QUERY_TOO_DEEP = "QUERY_TOO_DEEP"
    TOO_MANY_ALIASES = "TOO_MANY_ALIASES"
    QUERY_TOO_COSTLY = "QUERY_TOO_COSTLY"
    QUERY_TIMEOUT = "QUERY_TIMEOUT"
    EVENT_TOO_LARGE = "EVENT_TOO_LARGE"
    DOCUMENT_TOO_LARGE = "DOCUMENT_TOO_LARGE"
    INTROSPECTION_DISABLED = "INTROSPECTION_DISABLED"
    PERSISTED_QUERY_NOT_FOUND = "PERSISTED_QUERY_NOT_FOUND"
    PERSISTED_QUERY_NOT_SUPPORTED = "PERSISTED_QUERY_NOT_SUPPORTED"
    PERSISTED_QUERY_HASH_MISMATCH = "PERSISTED_QUERY_HASH_MISMATCH"
    PERSISTED_QUERY_NOT_ALLOWED = "PERSISTED_QUERY_NOT_ALLOWED"
    SUBSCRIPTIONS_ONLY = "SUBSCRIPTIONS_ONLY"
    SUBSCRIPTIONS_UNAVAILABLE = "SUBSCRIPTIONS_UNAVAILABLE"
    SUBSCRIPTION_ENDED = "SUBSCRIPTION_ENDED"
    DUPLICATE_MODIFIER = "DUPLICATE_MODIFIER"
    INVALID_PAGE_SIZE = "INVALID_PAGE_SIZE"
    INVALID_CURSOR = "INVALID_CURSOR"
    INVALID_ARGUMENT = "INVALID_ARGUMENT"
    INVALID_ID = "INVALID_ID"
    TOO_MANY_IDS = "TOO_MANY_IDS"
    RELEASE_NOT_FOUND = "RELEASE_NOT_FOUND"
    TOKEN_NOT_FOUND = "TOKEN_NOT_FOUND"  # noqa: S105 - an error code, not a secret
    SET_NOT_FOUND = "SET_NOT_FOUND"
    MODIFIER_NOT_FOUND = "MODIFIER_NOT_FOUND"
    CONTEXT_NOT_FOUND = "CONTEXT_NOT_FOUND"
    INVALID_SINCE = "INVALID_SINCE"
    STALE_REVISION = "STALE_REVISION"
    ALREADY_EXISTS = "ALREADY_EXISTS"
    DATABASE_UNAVAILABLE = "DATABASE_UNAVAILABLE"
    MIGRATIONS_PENDING = "MIGRATIONS_PENDING"
    USAGE_UNAVAILABLE = "USAGE_UNAVAILABLE"
    INTERNAL_SERVER_ERROR = "INTERNAL_SERVER_ERROR"


class ApiError(Exception):
    """Root of the API layer's refusals: a message for people and a stable ``code``.

    Attributes:
        code: one of :class:`ErrorCode` (or, for refusals that carry token problems,
            a code of :mod:`graphql_api.dtcg.errors`).
    """

    code: str = ErrorCode.INTERNAL_SERVER_ERROR

    def __init__(self, message: str, code: str | None = None) -> None:
        super().__init__(message)
        if code is not None:
            self.code = code

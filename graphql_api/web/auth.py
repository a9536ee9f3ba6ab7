"""API keys: creation, revocation, and who a request is (``Authorization: Bearer …``).

A key is ``tk_<prefix>_<secret>``: 8 random hex characters that find its row, and 43
characters of URL-safe randomness (256 bits). Only a salted SHA-256 of the secret is
stored; it is compared with :func:`hmac.compare_digest` (constant time). A slow password
hash would add milliseconds to every request and buys nothing against 256-bit secrets.

Scopes: ``read`` < ``write`` < ``admin``. Reading is open unless the setting
``READ_REQUIRES_KEY`` is on; writes need ``write``. A request that sends a key that is
unknown, malformed or revoked is refused with 401 even where no key is needed, so a
client with a broken key finds out at once.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from http import HTTPStatus
from typing import TYPE_CHECKING, Any, cast

from flask import Flask, Request, Response, current_app, request

from ..errors import ApiError, ErrorCode
from ..store import db
from .request_headers import current_request, header
from .request_state import request_state

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection
    from sqlalchemy.orm import Session

    from ..store.api_keys import ListedKey

SCOPES = ("read", "write", "admin")
KEY_PREFIX = "tk_"
PROTECTED_ENDPOINTS = ("graphql", "exports.tokens_json")


class AuthError(ApiError):
    """A key problem: 401 ``UNAUTHENTICATED`` (no valid key) or 403 ``FORBIDDEN`` (no scope)."""

    def __init__(self, message: str, status: int = HTTPStatus.UNAUTHORIZED) -> None:
        code = ErrorCode.FORBIDDEN if status == HTTPStatus.FORBIDDEN else ErrorCode.UNAUTHENTICATED
        super().__init__(message, code)
        self.status = status


@dataclass(frozen=True, slots=True)
class Principal:
    """Who sent a request: the key's name and scope."""

    name: str
    scope: str

    def allows(self, scope: str) -> bool:
        """Whether this key's scope includes ``scope``."""
        return SCOPES.index(self.scope) >= SCOPES.index(scope)


def _digest(salt: str, secret: str) -> str:
    return hashlib.sha256(bytes.fromhex(salt) + secret.encode()).hexdigest()


def create_key(session: Session | Connection, name: str, scope: str) -> str:
    """Store a new key and return its full text (the only time it is available).

    Raises:
        ValueError: unknown scope, or the name is taken.
    """
    if scope not in SCOPES:
        raise ValueError(f"scope must be one of {', '.join(SCOPES)}, got {scope!r}")
    from ..store import api_keys  # noqa: PLC0415 - lazy: SQLAlchemy (`--help` start-up)

    if api_keys.name_taken(session, name):
        raise ValueError(f"a key named {name!r} exists already")
    prefix, secret, salt = secrets.token_hex(4), secrets.token_urlsafe(32), secrets.token_hex(16)
    api_keys.add(
        session, name=name, prefix=prefix, salt=salt, secret_hash=_digest(salt, secret), scope=scope
    )
    return f"{KEY_PREFIX}{prefix}_{secret}"


def revoke_key(session: Session | Connection, name: str) -> bool:
    """Revoke the key called ``name``; False when there is no such active key."""
    from ..store import api_keys  # noqa: PLC0415 - lazy: SQLAlchemy (`--help` start-up)

    return api_keys.revoke(session, name)


def list_keys(session: Session | Connection) -> list[ListedKey]:
    """``(name, scope, created_at, revoked_at)`` of every key, oldest first.

    Secrets are not stored, so none is shown.
    """
    from ..store import api_keys  # noqa: PLC0415 - lazy: SQLAlchemy (`--help` start-up)

    return api_keys.every_key(session)


def verify(session: Session, token: str) -> Principal:
    """The principal of a bearer token. One statement.

    Raises:
        AuthError: malformed, unknown or revoked key (401).
    """
    body = token.removeprefix(KEY_PREFIX)
    prefix, _, secret = body.partition("_")
    if not token.startswith(KEY_PREFIX) or not prefix or not secret:
        raise AuthError("malformed API key")
    from ..store import api_keys  # noqa: PLC0415 - lazy: SQLAlchemy (`--help` start-up)

    row = api_keys.by_prefix(session, prefix)
    expected = row.secret_hash if row else "0" * 64
    ok = hmac.compare_digest(_digest(row.salt if row else "00", secret), expected)
    if row is None or not ok:
        raise AuthError("unknown API key")
    if row.revoked_at is not None:
        raise AuthError("this API key was revoked")
    return Principal(row.name, row.scope)


def active_tokens(session: Session, tokens: set[str]) -> set[str]:
    """The keys among ``tokens`` that are still valid (known, not revoked). One statement.

    Used to end the live-update connections of revoked keys (:mod:`.key_watch`).
    """
    parts = {t: t.removeprefix(KEY_PREFIX).partition("_") for t in tokens}
    prefixes = {p for p, _, s in parts.values() if p and s}
    if not prefixes:
        return set()
    from ..store import api_keys  # noqa: PLC0415 - lazy: SQLAlchemy (`--help` start-up)

    valid = set(api_keys.active_by_prefixes(session, prefixes))
    return {
        token
        for token, (prefix, _, secret) in parts.items()
        if any(
            p == prefix and hmac.compare_digest(_digest(salt, secret), digest)
            for p, salt, digest in valid
        )
    }


def bearer_token(header: str | None) -> str | None:
    """The key of an ``Authorization: Bearer <key>`` value, or None without a value.

    Raises:
        AuthError: another scheme or an empty key.
    """
    if not header:
        return None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise AuthError("use Authorization: Bearer <API key>")
    return token.strip()


def principal_of(req: Request) -> Principal | None:
    """The request's principal from ``Authorization: Bearer …``, or None without one.

    Raises:
        AuthError: the header is there but not a valid key.
    """
    token = bearer_token(header(req, "Authorization"))
    return verify(db.get_session(), token) if token else None


def current_principal() -> Principal | None:
    """The principal of the current request, set by the app's before-request hook.

    None without a key, outside a request, or on an endpoint that reads no key.
    """
    state = request_state()
    return state.principal if state is not None else None


def require(scope: str) -> Principal:
    """The current principal if its key has ``scope``.

    Raises:
        AuthError: no key (401) or a key without the scope (403).
    """
    return check_scope(current_principal(), scope)


def check_scope(principal: Principal | None, scope: str) -> Principal:
    """``principal`` if its key has ``scope``.

    Raises:
        AuthError: no key (401) or a key without the scope (403).
    """
    if principal is None:
        raise AuthError(f"this needs an API key with scope {scope!r}")
    if not principal.allows(scope):
        raise AuthError(f"the key {principal.name!r} lacks scope {scope!r}", HTTPStatus.FORBIDDEN)
    return principal


def refusal(error: AuthError) -> tuple[dict[str, Any], int, dict[str, str]]:
    """(GraphQL JSON body, status, headers) of the answer to a refused key.

    ``UNAUTHENTICATED`` with ``WWW-Authenticate`` for 401, ``FORBIDDEN`` for 403.
    """
    unauthenticated = error.status == HTTPStatus.UNAUTHORIZED
    body = {"errors": [{"message": str(error), "extensions": {"code": error.code}}]}
    headers = {"WWW-Authenticate": 'Bearer realm="tokens"'} if unauthenticated else {}
    return body, error.status, headers


def _refusal(error: AuthError) -> Response:
    body, status, headers = refusal(error)
    response = cast("Response", current_app.json.response(body))
    response.status_code = status
    response.headers.update(headers)
    return response


def _authenticate() -> Response | None:
    req = current_request()
    if req.endpoint not in PROTECTED_ENDPOINTS or req.method == "OPTIONS":
        return None  # a CORS preflight carries no credentials
    try:
        principal = principal_of(req)
        state = request_state(req)  # made by observability's hook, which runs first
        if state is not None:  # without one, resolvers see no principal: writes are refused
            state.principal = principal
        if current_app.config["READ_REQUIRES_KEY"] and not _is_ide_page():
            check_scope(principal, "read")
    except AuthError as error:
        return _refusal(error)
    return None


def _is_ide_page() -> bool:
    """The GraphiQL page itself (a browser GET without a document) stays reachable."""
    return (
        request.method == "GET"
        and "text/html" in request.headers.get("Accept", "")
        and not request.args.get("query")
        and not request.args.get("extensions")
    )


def init_app(app: Flask) -> None:
    """Authenticate every request to ``/graphql`` and the exports before they run."""
    app.before_request(_authenticate)

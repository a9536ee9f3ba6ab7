"""HTTP caching: ETags and ``Cache-Control`` derived from the data revision and the request.

A GraphQL result depends only on the data revision and on the request (document,
variables, operation name), so both the ETag and the response-cache key are built from
those: ``If-None-Match`` is answered ``304`` without executing anything, and a repeated
request is answered from serialised bytes (:class:`graphql_api.store.response_cache.
ResponseCache`). A write bumps the revision, which changes every ETag, except that of a
response the write did not change: it is carried to the new revision with the ETag it was
first sent with (:attr:`graphql_api.store.response_cache.Entry.tag`), so a client holding
that ETag keeps getting ``304``.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import orjson

if TYPE_CHECKING:
    from collections.abc import Mapping


def request_key(query: str, variables: Mapping[str, Any] | None, operation_name: str | None) -> str:
    """SHA-256 (hex) of a GraphQL request: document text, variables and operation name."""
    request = [query, variables or {}, operation_name]
    try:
        payload = orjson.dumps(request, option=orjson.OPT_SORT_KEYS)
    except TypeError:  # orjson refuses integers beyond 64 bits; the standard library does not
        payload = json.dumps(request, sort_keys=True, separators=(",", ":")).encode()
    return hashlib.sha256(payload).hexdigest()


@lru_cache(maxsize=4096)
def stamped(key: str, stamp: str) -> str:
    """``key`` bound to a revision's write time.

    A revision number reused after the database was recreated then makes different ETags
    and response-cache keys. Memoised: every cache hit binds its request's key again.
    """
    return hashlib.sha256(f"{key}:{stamp}".encode()).hexdigest() if stamp else key


def etag(revision: int, key: str) -> str:
    """A strong ETag for a response at ``revision``: ``"r<revision>-<24 hex digits>"``."""
    return f'"r{revision}-{key[:24]}"'


def etag_matches(if_none_match: str | None, tag: str) -> bool:
    """Whether an ``If-None-Match`` header names ``tag`` (or ``*``), per RFC 9110 §13.1.2.

    Weak comparison: ``W/"x"`` matches ``"x"``.
    """
    if not if_none_match:
        return False
    if if_none_match == tag:  # what a client sends back, as it was sent
        return True
    candidates = [c.strip() for c in if_none_match.split(",")]
    return any(c == "*" or c.removeprefix("W/") == tag for c in candidates)


@lru_cache(maxsize=16)
def cache_control(max_age: int, *, private: bool = False) -> str:
    """``Cache-Control`` for cacheable GET responses: revalidate with the ETag when stale."""
    scope = "private" if private else "public"
    return f"{scope}, max-age={max(0, max_age)}, must-revalidate"

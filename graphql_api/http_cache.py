"""HTTP caching: ETags derived from the data revision, and a per-process response cache.

A GraphQL result depends only on the data revision and on the request (document,
variables, operation name), so both the ETag and the response-cache key are built from
those: ``If-None-Match`` is answered ``304`` without executing anything, and a repeated
request is answered from serialised bytes. A write bumps the revision, which changes
every ETag and makes every cached response unreachable (they are dropped on the next
store).
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from typing import TYPE_CHECKING, Any

import orjson

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping


def request_key(query: str, variables: Mapping[str, Any] | None, operation_name: str | None) -> str:
    """SHA-256 (hex) of a GraphQL request: document text, variables and operation name."""
    request = [query, variables or {}, operation_name]
    try:
        payload = orjson.dumps(request, option=orjson.OPT_SORT_KEYS)
    except TypeError:  # orjson refuses integers beyond 64 bits; the standard library does not
        payload = json.dumps(request, sort_keys=True, separators=(",", ":")).encode()
    return hashlib.sha256(payload).hexdigest()


def stamped(key: str, stamp: str) -> str:
    """``key`` bound to a revision's write time.

    A revision number reused after the database was recreated then makes different ETags
    and response-cache keys.
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
    candidates = [c.strip() for c in if_none_match.split(",")]
    return any(c == "*" or c.removeprefix("W/") == tag for c in candidates)


def cache_control(max_age: int, *, private: bool = False) -> str:
    """``Cache-Control`` for cacheable GET responses: revalidate with the ETag when stale."""
    scope = "private" if private else "public"
    return f"{scope}, max-age={max(0, max_age)}, must-revalidate"


class ResponseCache:
    """An LRU of serialised responses bounded in bytes, keyed by (revision, request key).

    Thread-safe. Entries of older revisions are dropped whenever a newer one is stored.
    """

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max(0, max_bytes)
        self._lock = threading.Lock()
        self._entries: OrderedDict[tuple[int, str], bytes] = OrderedDict()
        self._size = 0

    def get(self, revision: int, key: str) -> bytes | None:
        """The stored bytes, or None."""
        with self._lock:
            body = self._entries.get((revision, key))
            if body is not None:
                self._entries.move_to_end((revision, key))
            return body

    def put(self, revision: int, key: str, body: bytes) -> None:
        """Store ``body``; larger than the whole budget → not stored."""
        if len(body) > self.max_bytes:
            return
        with self._lock:
            self._drop(k for k in self._entries if k[0] < revision)
            old = self._entries.pop((revision, key), None)
            self._size -= len(old) if old is not None else 0
            self._entries[(revision, key)] = body
            self._size += len(body)
            while self._size > self.max_bytes:
                _, evicted = self._entries.popitem(last=False)
                self._size -= len(evicted)

    def _drop(self, keys: Iterable[tuple[int, str]]) -> None:
        for k in list(keys):
            self._size -= len(self._entries.pop(k))

    @property
    def size(self) -> int:
        """Bytes held."""
        return self._size

    def __len__(self) -> int:
        return len(self._entries)

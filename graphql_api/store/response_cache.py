"""The per-process response cache: serialised GraphQL responses keyed by (revision, request).

A repeated request for the same revision is answered from these bytes without executing
anything (:mod:`graphql_api.web.graphql_http`). A write bumps the revision, which makes every
cached response unreachable; they are dropped on the next store.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import TYPE_CHECKING

from flask import Flask, current_app

if TYPE_CHECKING:
    from collections.abc import Iterable

#: Key of the app's :class:`ResponseCache` in ``app.extensions`` (one cache per process).
RESPONSE_CACHE_KEY = "tokens_response_cache"


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


def init_app(app: Flask) -> None:
    """Create the app's response cache (``RESPONSE_CACHE_BYTES``); called by the factory."""
    app.extensions[RESPONSE_CACHE_KEY] = ResponseCache(int(app.config["RESPONSE_CACHE_BYTES"]))


def response_cache(app: Flask | None = None) -> ResponseCache:
    """The response cache of ``app`` (default: the current app)."""
    cache: ResponseCache = (app or current_app).extensions[RESPONSE_CACHE_KEY]
    return cache

"""The per-process response cache: serialised GraphQL responses keyed by (revision, request).

A repeated request for the same revision is answered from these bytes without executing
anything (:mod:`graphql_api.web.graphql_http`). A write bumps the revision, which makes every
cached response unreachable under its old key. A response that says which tokens it read
(:data:`TokenReads`, from a document that reads nothing else, see
:mod:`graphql_api.schema.read_scope`) is kept past that: the front door finds it with
:meth:`ResponseCache.latest` and stores it again under the new revision when none of those
tokens changed. The others are dropped as soon as a newer revision is stored.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass

from flask import Flask, current_app

#: Key of the app's :class:`ResponseCache` in ``app.extensions`` (one cache per process).
RESPONSE_CACHE_KEY = "tokens_response_cache"

#: What a response read: theme selection (sorted ``(modifier, context)`` pairs) → the token
#: paths it depends on, or None for every token of that combination.
TokenReads = Mapping[tuple[tuple[str, str], ...], frozenset[str] | None]


@dataclass(frozen=True, slots=True)
class Entry:
    """One cached response.

    Attributes:
        revision: the data revision it was computed at.
        key: the request key it is stored under (bound to the revision's write time).
        body: the serialised response.
        base: the request key without the revision's write time (the same across
            revisions), or '' when it may not outlive its revision.
        reads: the tokens it read (:data:`TokenReads`), or None.
        tag: the ETag sent with it: the one of the revision it was executed at, kept
            when it is carried to later revisions ('' for the default of ``revision``
            and ``key``, :func:`graphql_api.web.http_cache.etag`).
    """

    revision: int
    key: str
    body: bytes
    base: str = ""
    reads: TokenReads | None = None
    tag: str = ""


class ResponseCache:
    """An LRU of serialised responses bounded in bytes, keyed by (revision, request key).

    Thread-safe. When a newer revision is first stored, the entries of older revisions
    that cannot outlive them (no ``reads``) are dropped at once; the others stay (LRU)
    until carried to a newer revision or evicted.
    """

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max(0, max_bytes)
        self._lock = threading.Lock()
        self._entries: OrderedDict[tuple[int, str], Entry] = OrderedDict()
        self._latest: dict[str, tuple[int, str]] = {}  # base → newest (revision, key)
        self._size = 0
        self._newest = 0

    def get(self, revision: int, key: str) -> bytes | None:
        """The stored bytes, or None."""
        entry = self.entry(revision, key)
        return entry.body if entry is not None else None

    def entry(self, revision: int, key: str) -> Entry | None:
        """The entry stored under ``(revision, key)`` (its bytes and ETag), or None."""
        with self._lock:
            entry = self._entries.get((revision, key))
            if entry is not None:
                self._entries.move_to_end((revision, key))
            return entry

    def latest(self, base: str) -> Entry | None:
        """The newest entry stored for request ``base`` (any revision), or None."""
        with self._lock:
            at = self._latest.get(base)
            return self._entries.get(at) if at is not None else None

    def put(
        self,
        revision: int,
        key: str,
        body: bytes,
        *,
        base: str = "",
        reads: TokenReads | None = None,
        tag: str = "",
    ) -> None:
        """Store ``body``; larger than the whole budget → not stored.

        ``base``, ``reads`` and ``tag``: see :class:`Entry`; with ``base`` and ``reads``,
        the entry may be carried to later revisions. With ``base``, it replaces an older
        revision's entry of the same request.
        """
        if len(body) > self.max_bytes:
            return
        carried = bool(base) and reads is not None
        entry = Entry(revision, key, body, base if carried else "", reads if carried else None, tag)
        with self._lock:
            if revision > self._newest:
                self._newest = revision
                self._drop([k for k, e in self._entries.items() if k[0] < revision and not e.base])
            older = self._latest.get(base) if base else None
            if older is not None and older[0] < revision:
                self._drop([older])  # the same request, answered again at a newer revision
            if carried:
                self._latest[base] = (revision, key)
            self._drop([(revision, key)])
            self._entries[(revision, key)] = entry
            self._size += len(body)
            while self._size > self.max_bytes:
                self._drop([next(iter(self._entries))])

    def discard(self, entry: Entry) -> None:
        """Drop ``entry`` (found stale: a token it read changed)."""
        with self._lock:
            if self._entries.get((entry.revision, entry.key)) is entry:
                self._drop([(entry.revision, entry.key)])

    def _drop(self, keys: list[tuple[int, str]]) -> None:
        for k in keys:
            entry = self._entries.pop(k, None)
            if entry is None:
                continue
            self._size -= len(entry.body)
            if entry.base and self._latest.get(entry.base) == k:
                del self._latest[entry.base]

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

"""Token usage analytics: which tokens clients request, per theme combination, client and day.

What is recorded, per UTC day: the token path, the theme combination it was read in (its
canonical text, see :func:`.recorder.theme_key`), the client's name and a count of requests.
Nothing else: no request body, no variables, no address, no header but the client name.

- Observed in ``Query.token`` and ``Query.tokens`` (current data only, not ``release:``
  reads): each appends ``(theme, paths)`` to the request's list
  (:meth:`graphql_api.schema.request_context.RequestContext.requested`; no lock, no SQL).
- At the end of the request :func:`finish` hands the list to the app's
  :class:`.flusher.UsageStore` with the client name: the ``USAGE_CLIENT_HEADER`` header
  (``apollographql-client-name``), else the GraphQL operation name, else ``(unknown)``.
  Responses served from the response cache and ``304`` answers count too (:func:`replay`).
- Counts are aggregated in memory and written in batches by a background thread every
  ``USAGE_FLUSH_SECONDS`` (:mod:`.flusher`), with its own connections.

Settings (``app.config``, ``TOKENS_<KEY>`` variables): ``USAGE_ENABLED`` (off: nothing is
recorded; the reports still read what is stored), ``USAGE_SAMPLE_RATE`` (0-1),
``USAGE_FLUSH_SECONDS``, ``USAGE_CLIENT_HEADER`` (empty: operation names only),
``USAGE_MAX_PENDING``, ``USAGE_MAX_CLIENTS`` (distinct client names per day and process;
further names count as ``(other)``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final, Protocol

from flask import current_app

from ..store import db
from .flusher import UsageStore
from .recorder import UsageRecorder, group_reads, normalise_client

if TYPE_CHECKING:
    from flask import Flask
    from sqlalchemy.engine import Engine

    from .recorder import Observation

__all__ = [
    "UsageState",
    "UsageStore",
    "carry",
    "client_name",
    "collector",
    "finish",
    "init_app",
    "replay",
]

EXTENSION_KEY: Final = "tokens_usage"


class HeaderSource(Protocol):
    """Where the client header is read from (anything with ``get``).

    Werkzeug's ``Headers``, a mapping, or the web layer's reader of the WSGI environ (which
    raises no exception for an absent header).
    """

    def get(self, key: str, /) -> str | None:
        """The header's value, or None when absent."""


@dataclass(slots=True)
class UsageState:
    """What :func:`init_app` keeps in ``app.extensions["tokens_usage"]``.

    Attributes:
        enabled: whether requests are recorded (``USAGE_ENABLED`` and a sample rate > 0).
        client_header: the request header naming the client ('' for none).
        store: the recorder, its writer and the memo of replayable requests.
    """

    enabled: bool
    client_header: str
    store: UsageStore


def _engine(app: Flask) -> Engine:
    """The engine usage is written with: connections of its own, none kept open.

    An in-memory SQLite database exists once per connection, so there the app's engine is
    used. Made by the store's first write or report, not at start-up.
    """
    from sqlalchemy.engine import make_url  # noqa: PLC0415 - store.db's docstring
    from sqlalchemy.pool import NullPool  # noqa: PLC0415

    url = make_url(app.config["DATABASE_URL"])
    if url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:"):
        return db.get_engine(app)
    return db.make_engine(
        url, sqlite_busy_timeout_ms=int(app.config["SQLITE_BUSY_TIMEOUT_MS"]), poolclass=NullPool
    )


def init_app(app: Flask) -> None:
    """Create the app's recorder and store from its settings (after ``db.init_app``).

    The app engine's ``dispose()`` writes what is pending (tests and shutdowns dispose of it
    before the database goes away).
    """
    cfg = app.config
    max_pending = int(cfg["USAGE_MAX_PENDING"])
    recorder = UsageRecorder(
        sample_rate=float(cfg["USAGE_SAMPLE_RATE"]),
        max_pending=max_pending,
        max_clients=int(cfg["USAGE_MAX_CLIENTS"]),
    )
    store = UsageStore(recorder, lambda: _engine(app), interval=float(cfg["USAGE_FLUSH_SECONDS"]))
    app.extensions[EXTENSION_KEY] = UsageState(
        enabled=bool(cfg["USAGE_ENABLED"]) and recorder.sample_rate > 0,
        client_header=str(cfg["USAGE_CLIENT_HEADER"]).strip(),
        store=store,
    )

    def _disposed(_engine: Any) -> None:
        store.close()

    def _listen(engine: Engine) -> None:
        from sqlalchemy import event  # noqa: PLC0415 - store.db's docstring

        event.listen(engine, "engine_disposed", _disposed)

    db.on_engine(app, _listen)


def get_state(app: Flask | None = None) -> UsageState:
    """The usage state of ``app`` (default: the current app)."""
    state: UsageState = (app or current_app).extensions[EXTENSION_KEY]
    return state


def collector() -> list[Observation] | None:
    """A new list for one request's reads, or None when usage is not recorded."""
    return [] if get_state().enabled else None


def client_name(headers: HeaderSource, operation_name: str | None, header: str) -> str:
    """Who made a request: the ``header`` header, else the operation name, else ``(unknown)``.

    Args:
        headers: the request's headers (case-insensitive, like Werkzeug's).
        operation_name: the GraphQL operation's name, if any.
        header: the configured header's name ('' to use operation names only).

    Returns:
        A normalised name (printable, stripped, at most 200 characters).
    """
    given = headers.get(header) if header else None
    return normalise_client(given if given and given.strip() else operation_name)


def finish(
    observations: list[Observation],
    operation_name: str | None,
    headers: HeaderSource,
    cached_as: tuple[int, str] | None,
) -> None:
    """Record what one executed request read.

    Args:
        observations: the request's list (:func:`collector`).
        operation_name: its GraphQL operation name, if any.
        headers: its headers (only the client header is read).
        cached_as: ``(revision, request key)`` when its response may be served again
            without execution (response cache, ETag): its reads are kept for :func:`replay`.
    """
    state = get_state()
    if not state.enabled or not observations:
        return
    client = client_name(headers, operation_name, state.client_header)
    if cached_as is None:
        state.store.record(observations, client)
        return
    known = state.store.memo.get(*cached_as)  # the same request at the same revision reads the same
    if known is None:
        reads = group_reads(observations)  # grouped once: a replay is a lookup per theme
        state.store.memo.put(cached_as[0], cached_as[1], operation_name, reads)
    else:
        reads = known[1]
    state.store.record_reads(reads, client)


def carry(since: tuple[int, str], to: tuple[int, str], app: Flask | None = None) -> None:
    """A cached response now also serves ``to`` (revision, key): replay its reads there too."""
    state = get_state(app)
    if state.enabled:
        state.store.memo.carry(since, to)


def replay(revision: int, key: str, headers: HeaderSource, app: Flask | None = None) -> None:
    """Record a request answered without execution (cached body or 304) as if it ran.

    Nothing is recorded when this process never executed that request at that revision
    (e.g. another worker did, or its entry was evicted). ``app``: default the current one.
    """
    state = get_state(app)
    if not state.enabled:
        return
    entry = state.store.memo.get(revision, key)
    if entry is not None:
        operation_name, reads = entry
        state.store.record_reads(reads, client_name(headers, operation_name, state.client_header))

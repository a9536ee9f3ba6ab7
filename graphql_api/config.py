"""Configuration: defaults, then environment variables, then explicit overrides.

This is the only module that reads ``os.environ``. Settings are plain upper-case keys of
``flask.Flask.config``:

- ``DATABASE_URL`` (str): SQLAlchemy URL, from ``DATABASE_URL``; default: the SQLite file
  ``<instance_path>/tokens.sqlite3``. ``postgresql://`` URLs are rewritten to use psycopg 3.
- ``SQLITE_BUSY_TIMEOUT_MS`` (int, ms): how long SQLite waits for a lock
  (``TOKENS_SQLITE_BUSY_TIMEOUT_MS``).
- ``SNAPSHOT_CACHE_SIZE`` (int): resolved snapshots kept in memory (``TOKENS_SNAPSHOT_CACHE_SIZE``).
- ``SNAPSHOT_CACHE_BYTES`` (int, bytes): estimated memory the snapshots of the current data
  may take per process, 512 MiB (``TOKENS_SNAPSHOT_CACHE_BYTES``); reported on ``/healthz``.
- ``REVISION_FALLBACK_SECONDS`` (float, s): PostgreSQL: how often a process re-reads the
  data revision without a notification, 1 (``TOKENS_REVISION_FALLBACK_SECONDS``): the bound
  on how stale a cached answer can be when a ``NOTIFY`` is lost (see
  :mod:`graphql_api.store.revision_clock`).
- ``MAX_PAGE_SIZE`` (int): largest page a paginated query returns (``TOKENS_MAX_PAGE_SIZE``).
- ``ROOT_FONT_SIZE_PX`` (float, px): px per rem when converting dimensions
  (``TOKENS_ROOT_FONT_SIZE_PX``).
- ``RESPONSE_CACHE_BYTES`` (int, bytes): serialised GraphQL responses kept per process,
  keyed by revision and request (``TOKENS_RESPONSE_CACHE_BYTES``; 0 turns the cache off).
- ``HTTP_MAX_AGE`` (int, s): ``Cache-Control: max-age`` of GET responses
  (``TOKENS_HTTP_MAX_AGE``; 0: caches must revalidate with the ETag every time).
- ``READ_REQUIRES_KEY`` (bool): reads need an API key of scope ``read`` or more
  (``TOKENS_READ_REQUIRES_KEY``; default off: reading is open, writes always need a key).
- ``DB_POOL_SIZE``, ``DB_MAX_OVERFLOW`` (int): PostgreSQL connections kept per process and
  allowed beyond that (``TOKENS_DB_POOL_SIZE``, ``TOKENS_DB_MAX_OVERFLOW``); with gunicorn,
  per worker: size them to the worker's threads.
- ``PERSISTED_QUERIES`` (str): ``apq`` (Automatic Persisted Queries: clients register
  documents by SHA-256), ``allowlist`` (only documents registered with
  ``tokens queries register`` run) or ``off`` (``TOKENS_PERSISTED_QUERIES``).
- ``APQ_MAX_DOCUMENTS`` (int, 10,000): documents clients may register by APQ (only those
  that parse and validate; the oldest are deleted first), kept apart from the allow-list
  (``TOKENS_APQ_MAX_DOCUMENTS``).

- Query limits (see :mod:`graphql_api.schema.limits`; 0 turns one off):
  ``MAX_QUERY_DEPTH`` (fields nested, 15), ``MAX_QUERY_ALIASES`` (500), ``MAX_QUERY_COST``
  (fields resolved: estimated from the data before, counted during execution; 2,000,000),
  ``MAX_QUERY_TOKENS`` (lexical tokens of a document, 20,000), ``MAX_QUERY_SECONDS``
  (float, s: wall-clock time an operation may run before it is ended with
  ``QUERY_TIMEOUT``, 10; mutations are not cut), ``MAX_BATCH_SIZE`` (operations in one
  batched request, 10; 0 refuses batches), ``INTROSPECTION`` (bool, on: codegen needs it),
  each from ``TOKENS_<NAME>``.
- ``MAX_BODY_BYTES`` (int, bytes): largest request body (``TOKENS_MAX_BODY_BYTES``,
  16 MiB; Flask answers 413 above it).
- Token usage analytics (see :mod:`graphql_api.usage`; path, theme combination, client
  and day are recorded, never bodies, variables or addresses): ``USAGE_ENABLED`` (bool, on;
  off records nothing), ``USAGE_SAMPLE_RATE`` (float 0-1, 1: the probability that a request
  is recorded, counts weighted by its inverse), ``USAGE_FLUSH_SECONDS`` (float, s, 10: how
  often counts are written), ``USAGE_CLIENT_HEADER`` (str, ``apollographql-client-name``:
  the header naming the client; empty or absent: the operation name), ``USAGE_MAX_PENDING``
  (int, 200,000: paths held in memory before requests go uncounted), ``USAGE_MAX_CLIENTS``
  (int, 100: distinct client names counted per UTC day and process, further ones as
  ``(other)``), each from ``TOKENS_<NAME>``.
- ``CORS_ORIGINS`` (str): origins browsers may call the API from, comma-separated exact
  origins or regular expressions, ``*`` for any, empty for none (``TOKENS_CORS_ORIGINS``;
  default: any port of localhost, for dev servers). See :mod:`graphql_api.web.cors`.
- Live updates (ASGI entry point only, see :mod:`graphql_api.live`): ``LIVE_POLL_SECONDS``
  (float, s: how often SQLite's revision is polled, 0.1), ``LIVE_FALLBACK_SECONDS`` (float,
  s: PostgreSQL's check when no notification came, 1), ``LIVE_MAX_QUEUE`` (events a
  subscriber may fall behind before it is ended, 256), ``LIVE_HEARTBEAT_SECONDS`` (float, s:
  keep-alive comments on ``/events`` and SSE subscriptions, 15), ``LIVE_MAX_EVENT_BYTES`` (int,
  bytes: largest subscription event, 4 MiB; a larger one is replaced by an
  ``EVENT_TOO_LARGE`` error), each from ``TOKENS_<NAME>``.
- ``WS_INIT_TIMEOUT_SECONDS`` (float, s, 3: as graphql-ws): a WebSocket that sends no
  ``connection_init`` within it is closed with 4408 (``TOKENS_WS_INIT_TIMEOUT_SECONDS``).
- ``ACCESS_LOG`` (bool, on): the ``graphql_api.access`` JSON lines are written to stderr
  (``TOKENS_ACCESS_LOG``; off: the app adds no handler, the logger still exists).

Environment variables with the ``TOKENS_`` prefix that name no known setting are ignored
(tests use ``TOKENS_TEST_*`` and ``TOKENS_REQUIRE_POSTGRES`` for their own purposes).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    from collections.abc import Mapping

ENV_PREFIX: Final = "TOKENS_"
DATABASE_URL_ENV: Final = "DATABASE_URL"
SQLITE_FILE_NAME: Final = "tokens.sqlite3"

#: Settings that ``TOKENS_<KEY>`` environment variables may change, with their defaults.
#: The type of each default is the type an environment value is converted to.
DEFAULTS: Final[Mapping[str, bool | int | float | str]] = {
    "SQLITE_BUSY_TIMEOUT_MS": 5000,
    "SNAPSHOT_CACHE_SIZE": 64,
    "MAX_PAGE_SIZE": 10_000,
    "ROOT_FONT_SIZE_PX": 16.0,
    "RESPONSE_CACHE_BYTES": 64 * 1024 * 1024,
    "HTTP_MAX_AGE": 0,
    "PERSISTED_QUERIES": "apq",
    "APQ_MAX_DOCUMENTS": 10_000,
    "READ_REQUIRES_KEY": False,
    "DB_POOL_SIZE": 5,
    "DB_MAX_OVERFLOW": 5,
    "MAX_QUERY_DEPTH": 15,
    "MAX_QUERY_ALIASES": 500,
    "MAX_QUERY_COST": 2_000_000,
    "MAX_QUERY_TOKENS": 20_000,
    "MAX_QUERY_SECONDS": 10.0,
    "MAX_BATCH_SIZE": 10,
    "MAX_BODY_BYTES": 16 * 1024 * 1024,
    "INTROSPECTION": True,
    "USAGE_ENABLED": True,
    "USAGE_SAMPLE_RATE": 1.0,
    "USAGE_FLUSH_SECONDS": 10.0,
    "USAGE_CLIENT_HEADER": "apollographql-client-name",
    "USAGE_MAX_PENDING": 200_000,
    "USAGE_MAX_CLIENTS": 100,
    "CORS_ORIGINS": r"^https?://(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$",
    "REVISION_FALLBACK_SECONDS": 1.0,
    "SNAPSHOT_CACHE_BYTES": 512 * 1024 * 1024,
    "LIVE_POLL_SECONDS": 0.1,
    "LIVE_FALLBACK_SECONDS": 1.0,
    "LIVE_MAX_QUEUE": 256,
    "LIVE_HEARTBEAT_SECONDS": 15.0,
    "WS_INIT_TIMEOUT_SECONDS": 3.0,
    "ACCESS_LOG": True,
    "LIVE_MAX_EVENT_BYTES": 4 * 1024 * 1024,
}

_TRUE: Final = frozenset({"1", "true", "yes", "on"})
_FALSE: Final = frozenset({"0", "false", "no", "off", ""})


class ConfigError(ValueError):
    """An environment variable holds a value that cannot be converted to its setting's type."""


def default_database_url(instance_path: str | os.PathLike[str]) -> str:
    """Return the URL of the default SQLite database inside the instance folder.

    Args:
        instance_path: The Flask instance folder (absolute or relative to the working dir).

    Returns:
        ``sqlite:///<instance_path>/tokens.sqlite3``.
    """
    return f"sqlite:///{Path(instance_path) / SQLITE_FILE_NAME}"


def normalise_database_url(url: str) -> str:
    """Make a bare PostgreSQL URL use the psycopg 3 driver, the only one installed.

    Args:
        url: An SQLAlchemy URL, e.g. ``postgresql://user@host/db`` or ``sqlite:///x.db``.

    Returns:
        The same URL, with ``postgres://`` or ``postgresql://`` rewritten to
        ``postgresql+psycopg://``; any other URL unchanged.
    """
    for scheme in ("postgres://", "postgresql://"):
        if url.startswith(scheme):
            return "postgresql+psycopg://" + url[len(scheme) :]
    return url


def database_url_from_env(default: str) -> str:
    """Return the database URL from ``DATABASE_URL``, or ``default`` when it is unset or empty.

    Args:
        default: URL used when the environment names none.

    Returns:
        A normalised SQLAlchemy URL (see :func:`normalise_database_url`).
    """
    return normalise_database_url(os.environ.get(DATABASE_URL_ENV) or default)


def _convert(key: str, raw: str, default: bool | int | float | str) -> bool | int | float | str:
    """Convert one environment value to the type of its default.

    Raises:
        ConfigError: ``raw`` is not a valid value of that type.
    """
    name = ENV_PREFIX + key
    try:
        if isinstance(default, bool):
            lowered = raw.strip().lower()
            if lowered in _TRUE:
                return True
            if lowered in _FALSE:
                return False
            msg = f"{name}={raw!r}: expected one of {sorted(_TRUE | _FALSE)}"
            raise ConfigError(msg)
        if isinstance(default, int):
            return int(raw.strip())
        if isinstance(default, float):
            return float(raw.strip())
    except ValueError as error:
        if isinstance(error, ConfigError):
            raise
        msg = f"{name}={raw!r}: expected {type(default).__name__}"
        raise ConfigError(msg) from error
    return raw


def settings_from_env() -> dict[str, bool | int | float | str]:
    """Return the known settings that ``TOKENS_<KEY>`` environment variables set.

    Returns:
        ``{KEY: converted value}`` for each key of :data:`DEFAULTS` whose variable is set.

    Raises:
        ConfigError: A variable cannot be converted to its setting's type.
    """
    found: dict[str, bool | int | float | str] = {}
    for key, default in DEFAULTS.items():
        raw = os.environ.get(ENV_PREFIX + key)
        if raw is not None:
            found[key] = _convert(key, raw, default)
    return found


def load_config(instance_path: str, overrides: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Build the application settings.

    Precedence, lowest first: :data:`DEFAULTS`, environment variables, ``overrides``.

    Args:
        instance_path: The Flask instance folder; the default SQLite file lives there.
        overrides: Settings that win over everything else (e.g. the test config passed to
            ``create_app``); may hold keys unknown here, which are kept as given.

    Returns:
        A new dict of settings for ``app.config.update``; always holds ``DATABASE_URL``
        (normalised), every key of :data:`DEFAULTS` and ``WEB_ON_FIRST_REQUEST`` (default:
        :func:`launched_by_flask_cli`, never when ``TESTING``).

    Raises:
        ConfigError: An environment variable cannot be converted to its setting's type.
    """
    config: dict[str, Any] = dict(DEFAULTS)
    config[DATABASE_URL_ENV] = database_url_from_env(default_database_url(instance_path))
    config.update(settings_from_env())
    if overrides:
        config.update(overrides)
    config[DATABASE_URL_ENV] = normalise_database_url(str(config[DATABASE_URL_ENV]))
    config.setdefault("WEB_ON_FIRST_REQUEST", launched_by_flask_cli() and not config.get("TESTING"))
    return config


def launched_by_flask_cli() -> bool:
    """Whether the ``flask`` command loaded the app (``FLASK_RUN_FROM_CLI``, set by Flask).

    Then ``create_app`` sets the web part (GraphQL schema, views, exports) up on the first
    request instead of at once, so ``flask --app app keys list`` does not import it.
    """
    return os.environ.get("FLASK_RUN_FROM_CLI") == "true"

"""Operations: request ids, one log line per request, security headers, health, database faults.

- Every response carries ``X-Request-Id`` (the client's, if it sent a sane one, else a new
  one); logs and masked errors carry the same id. The id, the start time and the statement
  count are kept in the request's :class:`~.request_state.RequestState`.
- One structured log line per request (logger ``graphql_api.access``, JSON): id, method,
  path, GraphQL operation name, status, duration in ms and the number of SQL statements.
  No bodies, no headers, no keys.
- Headers: ``X-Content-Type-Options: nosniff``, ``Referrer-Policy: no-referrer``, and a
  Content-Security-Policy (``default-src 'none'`` on data; GraphiQL's page sets its own).
- ``GET /healthz``: the process is up (no database access). ``GET /readyz``: the database
  answers and its schema is at the migrations' head; 503 with the reason otherwise.
- A database that cannot be reached (or stays locked past the busy timeout) gives ``503``
  with a JSON GraphQL error ``DATABASE_UNAVAILABLE`` and ``Retry-After``; the next request
  tries again, so the server recovers without a restart.
"""

from __future__ import annotations

import json
import logging
import sys
import time
from http import HTTPStatus
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import orjson
from flask import Flask, Response, current_app
from flask.logging import default_handler
from werkzeug.exceptions import RequestEntityTooLarge

from ..errors import ErrorCode
from ..store import db
from .request_headers import current_request
from .request_state import begin, request_state

if TYPE_CHECKING:
    from collections.abc import Mapping

    from sqlalchemy import Engine

ACCESS_LOG: Final = logging.getLogger("graphql_api.access")
LOG: Final = logging.getLogger("graphql_api")
DATA_CSP: Final = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'"
RETRY_AFTER_S: Final = 5


def request_id() -> str:
    """The current request's id ('' outside a request or before its hooks ran)."""
    state = request_state()
    return state.request_id if state is not None else ""


def json_error(message: str, code: str, status: int, **headers: str) -> Response:
    """A GraphQL-shaped JSON error response carrying the request id."""
    body = {
        "errors": [{"message": message, "extensions": {"code": code, "requestId": request_id()}}]
    }
    response = Response(json.dumps(body), status=status, mimetype="application/json")
    response.headers.update(headers)
    return response


def _start() -> None:
    begin(current_request())


def _finish(response: Response) -> Response:
    """Security headers and the request id on every response, then the access line.

    On every request, cache hits included: the line is built only when it is logged.
    """
    req = current_request()  # one context lookup; the state is in its environ
    state = request_state(req)
    rid = state.request_id if state is not None else ""
    headers = response.headers
    present = {name.lower() for name, _ in headers}  # one scan, not one per header set
    for name, lowered, value in (
        ("X-Request-Id", "x-request-id", rid),
        ("X-Content-Type-Options", "x-content-type-options", "nosniff"),
        ("Referrer-Policy", "referrer-policy", "no-referrer"),
    ):
        if lowered in present:
            headers[name] = value
        else:
            headers.add(name, value)
    if "content-security-policy" not in present:
        headers.add("Content-Security-Policy", DATA_CSP)
    if ACCESS_LOG.isEnabledFor(logging.INFO):
        now = time.perf_counter()
        line = {
            "id": rid,
            "method": req.method,
            "path": req.path,
            "operation": state.operation_name if state is not None else None,
            "status": response.status_code,
            "ms": round((now - (state.started if state is not None else now)) * 1000, 2),
            "sql": state.sql_count if state is not None else 0,
        }
        write_access_line(line)
    return response


def write_access_line(line: Mapping[str, object]) -> None:
    """Log one request on ``graphql_api.access`` at INFO: ``line`` as one compact JSON text.

    The Flask requests, the ASGI routes and the ASGI body limit all log through this, so
    their lines have one format. Nothing is encoded when INFO is off for the logger.
    """
    if not ACCESS_LOG.isEnabledFor(logging.INFO):
        return
    text = orjson.dumps(line).decode()
    only = _sole_handler()
    if only is not None:  # the line reaches our handler only: no record to make
        only.write_line(text)
        return
    # Logger.info would walk the stack for the caller first: a fifth of the line's cost.
    ACCESS_LOG.handle(
        ACCESS_LOG.makeRecord(ACCESS_LOG.name, logging.INFO, __file__, 0, text, (), None)
    )


def _sole_handler() -> StderrHandler | None:
    """The :class:`StderrHandler` an access line reaches, when it reaches no other handler.

    Walks the loggers a record of :data:`ACCESS_LOG` propagates to. None (make a
    ``LogRecord`` and let logging dispatch it) as soon as anything else could see or change
    the line: a filter on the access logger, a handler other than ours (a host's logging
    configuration, pytest's capture) or ours with a level, filter or formatter of its own.
    Flask's default handler, which skips access lines (:func:`_not_an_access_line`), does
    not count. In process, a record and its dispatch cost a hit about 25 µs (an eighth).
    """
    logger: logging.Logger | None = ACCESS_LOG
    if ACCESS_LOG.filters or ACCESS_LOG.disabled:
        return None
    found: StderrHandler | None = None
    while logger is not None:
        for handler in logger.handlers:
            if handler is default_handler and _not_an_access_line in handler.filters:
                continue
            if found is not None or not isinstance(handler, StderrHandler):
                return None
            if handler.filters or handler.level > logging.INFO or not handler.plain:
                return None
            found = handler
        if not logger.propagate:
            break
        logger = logger.parent
    return found


def _count_statements(engine: Engine) -> None:
    from sqlalchemy import event  # noqa: PLC0415 - with the engine (store.db's docstring)

    @event.listens_for(engine, "before_cursor_execute")
    def _count(*_args: Any) -> None:
        state = request_state()  # None outside a request (CLI, start-up, other threads)
        if state is not None:
            state.sql_count += 1


def database_unavailable(error: Exception) -> Response:
    """503 for a database that cannot be reached, stays locked or cannot be written.

    Logged with the request id, the error's class and, for a storage fault, its reason.
    """
    from ..store import health  # noqa: PLC0415 - SQLAlchemy with the engine (store.db)

    fault = health.storage_fault(error)
    LOG.error(
        "database unavailable (request %s): %s%s",
        request_id(),
        type(error).__name__,
        f" ({fault})" if fault else "",
    )
    retry = {"Retry-After": str(RETRY_AFTER_S)}
    return json_error(
        health.unavailable_message(error),
        ErrorCode.DATABASE_UNAVAILABLE,
        HTTPStatus.SERVICE_UNAVAILABLE,
        **retry,
    )


def _body_too_large(_error: RequestEntityTooLarge) -> Response:
    limit = current_app.config["MAX_CONTENT_LENGTH"]
    return json_error(
        f"the request body is larger than {limit} bytes",
        ErrorCode.BODY_TOO_LARGE,
        HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
    )


def healthz() -> Response:
    """The process answers (no database access).

    Under the ASGI entry point the body also has ``live``: subscribers held, the last
    revision the watcher saw and whether PostgreSQL's ``LISTEN`` connection is up.
    ``revisionClock``: the revision this process knows in memory (null: the next request
    reads it) and how it learns new ones; ``snapshots``: resolved themes held, their
    estimated ``bytes`` against ``maxBytes`` (``TOKENS_SNAPSHOT_CACHE_BYTES``), and how
    many were served, carried forward, re-keyed, built from scratch and swept.
    """
    # Lazy: heavy imports (the resolver, live updates) for constants; the CLI never needs them.
    from ..live.service import LIVE_KEY  # noqa: PLC0415
    from ..store.revision_clock import CLOCK_KEY  # noqa: PLC0415
    from ..store.snapshots import SNAPSHOTS_KEY  # noqa: PLC0415

    body: dict[str, object] = {"status": "ok"}
    clock = current_app.extensions.get(CLOCK_KEY)
    if clock is not None:
        body["revisionClock"] = clock.stats()
    snapshots = current_app.extensions.get(SNAPSHOTS_KEY)
    if snapshots is not None:
        body["snapshots"] = snapshots.stats()
    live = current_app.extensions.get(LIVE_KEY)
    if live is not None:
        body["live"] = live.stats()
    return Response(json.dumps(body), mimetype="application/json")


def events_unavailable() -> Response:
    """``/events`` under the WSGI server: a long-lived stream needs the ASGI entry point."""
    return json_error(
        "live updates (/events, subscriptions) need the ASGI server: run `uvicorn asgi:app`",
        ErrorCode.SUBSCRIPTIONS_UNAVAILABLE,
        HTTPStatus.NOT_IMPLEMENTED,
    )


def readyz() -> Response:
    """The database answers and is at the migrations' head, else 503 with the reason."""
    from sqlalchemy.exc import DBAPIError  # noqa: PLC0415 - with the engine (store.db's docstring)

    from ..store import health  # noqa: PLC0415

    engine = db.get_engine()
    try:
        health.ping(engine)
        current, head = health.migration_state(engine)
    except DBAPIError as error:
        return json_error(
            f"the database is unreachable ({type(error.orig).__name__})",
            ErrorCode.DATABASE_UNAVAILABLE,
            HTTPStatus.SERVICE_UNAVAILABLE,
        )
    if current != head:
        return json_error(
            f"the database schema is at {current or 'no revision'}, the code "
            f"needs {head}: run `alembic upgrade head`",
            ErrorCode.MIGRATIONS_PENDING,
            HTTPStatus.SERVICE_UNAVAILABLE,
        )
    return Response(json.dumps({"status": "ready", "migration": head}), mimetype="application/json")


class MigrationsBehindError(RuntimeError):
    """The database was migrated by Alembic, but not to the code's head."""


def check_migrations(engine: Engine) -> None:
    """Refuse to start on a database behind the migrations (one created by Alembic).

    An unreachable database or one without Alembic's table is left to ``/readyz``; an
    SQLite file that does not exist yet is not created here.

    Raises:
        MigrationsBehindError: with the command that fixes it.
    """
    from sqlalchemy.exc import DBAPIError  # noqa: PLC0415 - with the engine (store.db)

    from ..store import health  # noqa: PLC0415

    url = engine.url
    sqlite_file = url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:")
    if sqlite_file and not Path(str(url.database)).exists():
        return
    try:
        current, head = health.migration_state(engine)
    except DBAPIError:
        return
    if current is not None and current != head:
        msg = (
            f"the database schema is at migration {current}, this code needs {head}: "
            "run `alembic upgrade head` (with the same DATABASE_URL), then start again"
        )
        raise MigrationsBehindError(msg)


class StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes each record's message to the process's current ``sys.stderr`` (one line)."""

    def __init__(self) -> None:
        super().__init__()
        self._plain = logging.Formatter("%(message)s")
        self.setFormatter(self._plain)

    @property
    def plain(self) -> bool:
        """Whether the handler still writes messages as they are (its own formatter)."""
        return self.formatter is self._plain

    def write_line(self, text: str) -> None:
        """Write ``text`` and a newline to ``sys.stderr`` under the handler's lock.

        What :meth:`emit` writes for a plain record of ``text``, without the record.
        """
        self.acquire()
        try:
            stream = sys.stderr
            stream.write(text + self.terminator)
            stream.flush()
        except RecursionError:
            raise
        except Exception:  # noqa: BLE001 - logging's convention: report, never raise
            self.handleError(
                logging.LogRecord(ACCESS_LOG.name, logging.INFO, __file__, 0, text, (), None)
            )
        finally:
            self.release()

    @property
    def stream(self) -> Any:
        """``sys.stderr`` as it is now (a test runner or a server may replace it)."""
        return sys.stderr

    @stream.setter
    def stream(self, _value: Any) -> None:
        """Ignored: the stream is always the current ``sys.stderr``."""

    def emit(self, record: logging.LogRecord) -> None:
        """Write the formatted record and a newline to ``sys.stderr``, and flush it.

        ``StreamHandler.emit`` without reading :attr:`stream` three times and taking the
        handler's lock a second time to flush (every request writes a line). A plain
        message (no arguments, exception or stack) under the handler's own ``%(message)s``
        formatter is written as it is, without formatting a copy of the record.
        """
        try:
            stream = sys.stderr
            msg = record.msg
            if (
                not self.plain
                or record.args
                or record.exc_info
                or record.stack_info
                or type(msg) is not str
            ):
                msg = self.format(record)
            stream.write(msg + self.terminator)
            stream.flush()
        except RecursionError:
            raise
        except Exception:  # noqa: BLE001 - logging's convention: report, never raise
            self.handleError(record)


def _not_an_access_line(record: logging.LogRecord) -> bool:
    """Filter of Flask's default handler: access lines are written by :class:`StderrHandler`."""
    return record.name != ACCESS_LOG.name


def configure_access_log(enabled: bool) -> None:
    """Send ``graphql_api.access`` to stderr at INFO, once per process (``ACCESS_LOG``).

    uvicorn and gunicorn configure their own loggers only: without this the lines the
    README documents were dropped (no handler, level WARNING inherited from the root).
    Records still propagate, so a host's own logging configuration sees them too; Flask's
    default handler, which Flask puts on the app's logger (``graphql_api``, the access
    logger's parent), skips them: each line was written twice to stderr, the second time
    with a timestamp prefix.
    """
    if not enabled:
        return
    default_handler.addFilter(_not_an_access_line)  # once: addFilter ignores a repeat
    if not any(isinstance(h, StderrHandler) for h in ACCESS_LOG.handlers):
        ACCESS_LOG.addHandler(StderrHandler())
    if ACCESS_LOG.level == logging.NOTSET or ACCESS_LOG.level > logging.INFO:
        ACCESS_LOG.setLevel(logging.INFO)


def init_app(app: Flask) -> None:
    """Install the hooks, the health endpoints and the access log; count SQL statements.

    The database-fault handler comes with the web part (:func:`init_database_faults`), so
    that CLI commands do not import SQLAlchemy for it.
    """
    configure_access_log(bool(app.config["ACCESS_LOG"]))
    app.before_request(_start)
    app.after_request(_finish)
    app.add_url_rule("/healthz", "healthz", healthz)
    app.add_url_rule("/readyz", "readyz", readyz)
    app.add_url_rule("/events", "events", events_unavailable)  # the ASGI app serves it
    app.register_error_handler(RequestEntityTooLarge, _body_too_large)
    db.on_engine(app, _count_statements)


def init_database_faults(app: Flask) -> None:
    """Answer a database fault (SQLAlchemy's ``OperationalError``) with 503 (before requests)."""
    from sqlalchemy.exc import OperationalError  # noqa: PLC0415 - store.db's docstring

    app.register_error_handler(OperationalError, database_unavailable)

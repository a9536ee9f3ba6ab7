"""The ASGI entry point: the Flask app plus what only an async server can hold open.

``uvicorn asgi:app`` serves, in one process and from one schema object:

- ``/graphql`` over WebSocket (graphql-transport-ws), and subscriptions sent to ``/graphql``
  by a client that accepts ``text/event-stream`` (GraphQL over SSE, distinct-connections
  mode): run by Strawberry's ASGI app;
- ``GET /events``: a plain ``text/event-stream`` of new revisions, for scripts and build
  watchers (``Last-Event-ID`` or ``?since=`` replays the revisions missed);
- everything else (queries, mutations, GraphiQL, exports, health): the Flask app, through
  asgiref's ``WsgiToAsgi`` on a thread pool.

The lifespan starts the revision watcher (:mod:`graphql_api.live`) and stops it. The WSGI
deployment (gunicorn, ``flask run``) keeps working as before, without subscriptions.
"""

from __future__ import annotations

import asyncio
import functools
import time
from http import HTTPStatus
from typing import TYPE_CHECKING, Any

from asgiref.wsgi import WsgiToAsgi
from starlette.middleware.cors import CORSMiddleware

from .. import create_app
from ..compat import ThreadPoolWsgiInstance
from ..live.service import LiveUpdates
from ..store import db
from . import auth
from .body_limit import BodyLimit
from .cors import origin_pattern
from .events import EventsApp
from .key_watch import Gate, KeyWatch, refusal_response
from .observability import write_access_line
from .request_state import ASGI_REQUEST_ID, new_request_id
from .subscriptions import SUBSCRIPTION_QUERY, SubscriptionApp, may_subscribe, subscription_query

if TYPE_CHECKING:
    from collections.abc import Mapping

    from flask import Flask
    from starlette.types import ASGIApp, Message, Receive, Scope, Send


ALLOWED_HEADERS = [
    "Authorization",
    "Content-Type",
    "Last-Event-ID",
    "apollographql-client-name",
    "apollographql-client-version",
]


class FlaskOnThreads(WsgiToAsgi):
    """``WsgiToAsgi`` whose requests run concurrently on the event loop's thread pool."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Run one HTTP request through the WSGI app."""
        instance = ThreadPoolWsgiInstance(self.wsgi_application, self.duplicate_header_limit)
        await instance(scope, receive, send)


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key == name:
            return bytes(value).decode("latin-1")
    return None


def _accepts_event_stream(scope: Scope) -> bool:
    """Whether the request lists ``text/event-stream`` in ``Accept`` (not a CORS preflight)."""
    if scope.get("method") == "OPTIONS":
        return False
    for name, value in scope.get("headers", ()):
        if name == b"accept" and b"text/event-stream" in value.lower():
            return True
    return False


async def logged(transport: str, app: ASGIApp, scope: Scope, receive: Receive, send: Send) -> None:
    """Run ``app`` for one live-update connection and log it like the Flask requests.

    One JSON line on ``graphql_api.access`` when the connection ends: ``id`` (the client's
    sane ``X-Request-Id`` or a new one, also sent back on HTTP), ``method`` (``WEBSOCKET``
    for a socket), ``path``, ``transport`` (``graphql-transport-ws``, ``graphql-sse`` or
    ``events``), ``status`` (101 for an accepted socket, 403 for a refused handshake) and
    ``ms``, how long the connection lasted. No bodies, headers or keys.

    ``app`` finds the id in the scope (:data:`~.request_state.ASGI_REQUEST_ID`): the
    subscription handler puts it in its contexts, for masked errors.
    """
    request_id = new_request_id(_header(scope, b"x-request-id"))
    scope = {**scope, ASGI_REQUEST_ID: request_id}
    started, status = time.perf_counter(), 0

    async def send_logged(message: Message) -> None:
        nonlocal status
        kind = message["type"]
        if kind == "http.response.start":
            status = message["status"]
            extra = [
                (b"x-request-id", request_id.encode()),
                (b"x-content-type-options", b"nosniff"),
            ]
            message = {**message, "headers": [*message.get("headers", ()), *extra]}
        elif kind == "websocket.accept":
            status = HTTPStatus.SWITCHING_PROTOCOLS
        elif kind == "websocket.close" and not status:
            status = HTTPStatus.FORBIDDEN
        await send(message)

    try:
        await app(scope, receive, send_logged)
    finally:
        line = {
            "id": request_id,
            "method": scope.get("method", "WEBSOCKET"),
            "path": scope.get("path", ""),
            "transport": transport,
            "status": int(status),
            "ms": round((time.perf_counter() - started) * 1000, 2),
        }
        write_access_line(line)


class Router:
    """Routes each ASGI connection (see the module docstring) and runs the lifespan."""

    def __init__(self, app: Flask) -> None:
        self.flask_app = app
        self.live = LiveUpdates(app)
        cors = origin_pattern(str(app.config["CORS_ORIGINS"]))

        def with_cors(inner: ASGIApp) -> ASGIApp:
            if cors is None:
                return inner
            return CORSMiddleware(
                inner,
                allow_origin_regex=cors.pattern,
                allow_methods=["GET", "POST"],
                allow_headers=ALLOWED_HEADERS,
            )

        keys = KeyWatch(db.get_state(app).sessionmaker, float(app.config["LIVE_POLL_SECONDS"]))
        self.gate = Gate(app)
        self.subscriptions = functools.partial(keys.run, SubscriptionApp(app, self.live))
        self.streams = with_cors(self.subscriptions)
        self.events = with_cors(functools.partial(keys.run, EventsApp(app, self.live)))
        self.max_body = int(app.config["MAX_BODY_BYTES"]) or 16 * 1024 * 1024
        self.wsgi = FlaskOnThreads(app)
        self.http = BodyLimit(self.route_http, self.max_body)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Dispatch on the scope type and path; HTTP bodies are bounded (:class:`BodyLimit`)."""
        kind, path = scope["type"], scope.get("path", "")
        if kind == "lifespan":
            await self.lifespan(receive, send)
        elif kind == "websocket":
            if path == "/graphql":
                await logged("graphql-transport-ws", self.subscriptions, scope, receive, send)
            else:
                await send({"type": "websocket.close", "code": 1008})
        else:
            await self.http(scope, receive, send)

    async def route_http(self, scope: Scope, receive: Receive, send: Send) -> None:
        """One HTTP request: ``/events``, a subscription over SSE, or the Flask app."""
        path = scope.get("path", "")
        if path == "/events":
            await logged("events", self.events, scope, receive, send)
        elif path == "/graphql" and _accepts_event_stream(scope):
            await self.graphql_over_http(scope, receive, send)
        else:
            await self.wsgi(scope, receive, send)

    async def graphql_over_http(self, scope: Scope, receive: Receive, send: Send) -> None:
        """A subscription goes to GraphQL over SSE, anything else to Flask.

        Clients list ``text/event-stream`` in ``Accept`` for every request (urql does, for
        incremental delivery), so the document decides: the body is read here and replayed.
        """
        body = b""
        while scope.get("method") == "POST":
            message = await receive()
            if message["type"] != "http.request":
                return  # the client left
            body += message.get("body", b"")  # BodyLimit ends it past MAX_BODY_BYTES
            if not message.get("more_body"):
                break
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        query = None
        if may_subscribe(scope, body):
            if self.flask_app.config["READ_REQUIRES_KEY"]:  # the key first, then the parse
                try:
                    await self.gate.principal(_header(scope, b"authorization"))
                except auth.AuthError as error:
                    await refusal_response(error)(scope, replay, send)
                    return
            query = await asyncio.to_thread(self._subscription_query, scope, body)
        if query is not None:
            scope = {**scope, SUBSCRIPTION_QUERY: query}
            await logged("graphql-sse", self.streams, scope, replay, send)
        else:
            await self.wsgi(scope, replay, send)

    def _subscription_query(self, scope: Scope, body: bytes) -> str | None:
        with self.flask_app.app_context():  # the app's MAX_QUERY_TOKENS
            return subscription_query(scope, body)

    async def lifespan(self, receive: Receive, send: Send) -> None:
        """Start the revision watcher at startup; end subscriptions and stop it at shutdown."""
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                try:
                    self.live.start()
                except Exception as error:  # noqa: BLE001 - reported to the server
                    await send({"type": "lifespan.startup.failed", "message": str(error)})
                    return
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await asyncio.to_thread(self.live.stop)
                await send({"type": "lifespan.shutdown.complete"})
                return


def create_asgi_app(config: Mapping[str, Any] | None = None) -> Router:
    """The ASGI application: :func:`graphql_api.create_app`'s Flask app plus subscriptions.

    Args:
        config: as for :func:`graphql_api.create_app`.
    """
    return Router(create_app(config))

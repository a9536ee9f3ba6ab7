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
import json
import logging
import time
import uuid
from datetime import timedelta
from http import HTTPStatus
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import parse_qsl

import orjson
from asgiref.wsgi import WsgiToAsgi
from cross_web import HTTPException
from graphql import GraphQLError
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.http.streaming import SSETransport
from strawberry.subscriptions import GRAPHQL_SSE_PROTOCOL, GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import (
    BaseGraphQLTransportWSHandler,
)
from strawberry.types.graphql import OperationType

from .. import create_app
from ..compat import ThreadPoolWsgiInstance
from ..errors import ErrorCode
from ..live.hub import SubscriberLagging
from ..live.service import LiveUpdates
from ..schema import schema
from ..schema.documents import CACHEABLE_CHARS, inspect_subscription, operation_type
from ..schema.documents import operations as operations_of
from ..schema.limits import current_limits, safe_data_stats
from ..schema.request_context import RequestContext
from ..store import db
from ..store import persisted_queries as stored_documents
from ..store.snapshots import snapshot_store
from . import auth, persisted_queries
from .body_limit import BodyLimit
from .cors import origin_pattern
from .key_watch import HOLDER, KeyWatch
from .observability import REQUEST_ID

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Iterable, Mapping

    from flask import Flask
    from starlette.types import ASGIApp, Message, Receive, Scope, Send
    from starlette.websockets import WebSocket
    from strawberry.subscriptions.protocols.graphql_transport_ws.types import SubscribeMessage

    from ..live.watcher import RevisionEvent
    from ..schema.cost import DataStats

LOG = logging.getLogger("graphql_api.live")
ACCESS_LOG = logging.getLogger("graphql_api.access")  # the Flask requests' logger too
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


class SubscriptionSSE(SSETransport):
    """GraphQL over SSE for subscriptions only: queries and mutations go through Flask."""

    def allowed_operation_types(
        self, allowed_operation_types: set[OperationType]
    ) -> Iterable[OperationType]:
        """Only ``subscription``."""
        return (OperationType.SUBSCRIPTION,)


class Gate:
    """API-key checks for the ASGI routes (the same keys and rules as the Flask app)."""

    def __init__(self, app: Flask) -> None:
        self.app = app

    async def principal(self, authorization: str | None) -> auth.Principal | None:
        """The principal of an ``Authorization`` value, enforcing ``READ_REQUIRES_KEY``.

        Raises:
            auth.AuthError: an invalid key (401), or none/too weak when reads need one.
        """
        token = auth.bearer_token(authorization)
        principal = await asyncio.to_thread(self._verify, token) if token else None
        if self.app.config["READ_REQUIRES_KEY"]:
            return auth.check_scope(principal, "read")
        return principal

    def _verify(self, token: str) -> auth.Principal:
        with db.get_state(self.app).sessionmaker() as session:
            return auth.verify(session, token)


def _refusal(error: auth.AuthError) -> Response:
    body, status, headers = auth.refusal(error)
    return Response(
        orjson.dumps(body), status_code=status, headers=headers, media_type="application/json"
    )


def _stats_of(context: RequestContext) -> DataStats:
    """The data's fan-outs for the cost of a subscription (run on a worker thread).

    Read through a context of its own, so a long-lived socket's context keeps no
    snapshot of the revision it first read.
    """
    fresh = RequestContext(
        session=context.session, snapshots=context.snapshots, max_page_size=context.max_page_size
    )
    try:
        return safe_data_stats(fresh, current_limits())
    finally:
        context.session.rollback()  # end the read transaction; nothing was written


def _operation_refusal(query: str, name: str | None) -> tuple[str, str] | None:
    """(code, message) when ``operationName`` does not pick exactly one operation.

    GraphQL §6.1 GetOperation(): several operations need a name, and the name must exist.
    """
    operations = operations_of(query)
    if operations is None:
        return None  # Strawberry reports the syntax error
    if name is None and len(operations) > 1:
        text = "the document has several operations: give operationName"
        return (ErrorCode.OPERATION_NAME_REQUIRED, text)
    if name is not None and not any(o.name and o.name.value == name for o in operations):
        return (ErrorCode.OPERATION_NOT_FOUND, f"the document has no operation named {name!r}")
    return None


class SubscriptionsOnlyHandler(BaseGraphQLTransportWSHandler[RequestContext, None]):
    """graphql-transport-ws that runs subscriptions only, under the persisted-query rules.

    Queries and mutations belong to ``POST /graphql`` (the Flask app: caches, logs, usage);
    with ``PERSISTED_QUERIES=allowlist`` a subscription must be a registered document too.
    """

    async def handle_subscribe(self, message: SubscribeMessage) -> None:
        """Refuse (an ``error`` message for that id) what the server does not run here.

        The connection's key is checked again first: a key revoked since
        ``connection_init`` closes the socket with 4403. A document with several operations
        and no ``operationName`` is refused (GraphQL §6.1 GetOperation()).
        """
        if self.connection_acknowledged and message.get("id") not in self.operations:
            payload: Any = message["payload"]  # a client wrote it: any JSON
            view = cast("SubscriptionApp", self.view)
            if not await self.key_still_valid(view):
                await self.websocket.close(code=4403, reason="API key revoked")
                return
            query, name = payload.get("query"), payload.get("operationName")
            if not isinstance(query, str) or not isinstance(name, str | None):
                # graphql-ws: an invalid subscribe message closes the socket with 4400
                await self.websocket.close(
                    code=4400, reason="query and operationName must be strings"
                )
                return
            # parsed on a worker thread, with the token limit (never on the event loop)
            kind, error = await asyncio.to_thread(inspect_subscription, query, name)
            if error is not None:
                await self.send_message(
                    {"id": message["id"], "type": "error", "payload": [error.formatted]}
                )
                return
            self.context.cost_stats = await asyncio.to_thread(_stats_of, self.context)
            refusal = await asyncio.to_thread(_operation_refusal, query, name)
            if refusal is None and kind is not None and kind != "subscription":
                text = f"this transport runs subscriptions only; send the {kind} over HTTP"
                refusal = (ErrorCode.SUBSCRIPTIONS_ONLY, text)
            if refusal is None:
                refusal = await view.allowlist_refusal(query)
            if refusal is not None:
                error = GraphQLError(refusal[1], extensions={"code": refusal[0]})
                await self.send_message(
                    {"id": message["id"], "type": "error", "payload": [error.formatted]}
                )
                return
        await super().handle_subscribe(message)

    async def key_still_valid(self, view: SubscriptionApp) -> bool:
        """Whether the key the connection was accepted with is still valid (no key: True)."""
        request = self.context.request if self.context is not None else None
        holder = request.scope.get(HOLDER) if request is not None else None
        if holder is None or holder.token is None:
            return True
        try:
            await view.gate.principal(f"Bearer {holder.token}")
        except auth.AuthError:
            return False
        return True


class SubscriptionApp(GraphQL[RequestContext, None]):
    """Strawberry's ASGI app on the shared schema, with this server's context and keys."""

    stream_transport_classes_by_protocol = {  # noqa: RUF012 - as Strawberry declares it
        GRAPHQL_SSE_PROTOCOL: SubscriptionSSE,
    }
    graphql_transport_ws_handler_class = SubscriptionsOnlyHandler

    def __init__(self, app: Flask, live: LiveUpdates) -> None:
        super().__init__(
            schema,
            graphql_ide=None,
            keep_alive=True,
            keep_alive_interval=float(app.config["LIVE_HEARTBEAT_SECONDS"]),
            connection_init_wait_timeout=timedelta(
                seconds=float(app.config["WS_INIT_TIMEOUT_SECONDS"])
            ),
            subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL, GRAPHQL_SSE_PROTOCOL),
        )
        self.flask_app, self.live, self.gate = app, live, Gate(app)
        self.origins = origin_pattern(str(app.config["CORS_ORIGINS"]))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve one connection inside the Flask app's context (its config, its limits)."""
        with self.flask_app.app_context():
            await super().__call__(scope, receive, send)

    async def allowlist_refusal(self, query: str) -> tuple[str, str] | None:
        """(code, message) when ``PERSISTED_QUERIES=allowlist`` and ``query`` is not registered."""
        if self.flask_app.config["PERSISTED_QUERIES"] == "allowlist":
            known = await asyncio.to_thread(self._registered, persisted_queries.sha256_hex(query))
            if not known:
                return (persisted_queries.NOT_ALLOWED, "this document is not in the allow-list")
        return None

    def _registered(self, digest: str) -> bool:
        with db.get_state(self.flask_app).sessionmaker() as session:
            return stored_documents.lookup(session, digest) is not None

    async def get_context(self, request: Request | WebSocket, response: Any) -> RequestContext:
        """One context per connection (WebSocket) or request (SSE).

        Raises:
            HTTPException: SSE only: a bad key (401/403) or a document refused here (403).
        """
        cfg = self.flask_app.config
        principal = None
        if isinstance(request, Request):  # SSE; a WebSocket's key comes with connection_init
            try:
                principal = await self.gate.principal(request.headers.get("authorization"))
            except auth.AuthError as error:
                raise HTTPException(error.status, str(error)) from None
            refusal = await self.allowlist_refusal(request.scope[SUBSCRIPTION_QUERY])
            if refusal is not None:
                raise HTTPException(HTTPStatus.FORBIDDEN, refusal[1])
        context = RequestContext(
            session=db.get_state(self.flask_app).sessionmaker(),
            snapshots=snapshot_store(self.flask_app),
            root_px=float(cfg["ROOT_FONT_SIZE_PX"]),
            max_page_size=int(cfg["MAX_PAGE_SIZE"]),
            request=request,
            response=response,
            principal=principal,
            live=self.live,
        )
        if isinstance(request, Request):  # SSE: one subscription, costed with the data
            context.cost_stats = await asyncio.to_thread(_stats_of, context)
        return context

    async def on_ws_connect(self, context: RequestContext) -> None:
        """Check the key of ``connection_init`` (``{"authorization": "Bearer …"}``).

        Browsers cannot set headers on a WebSocket, so the key travels in the connection
        parameters (the handshake's ``Authorization`` header is accepted too).

        Raises:
            ConnectionRejectionError: an invalid key, or none when reads need one.
        """
        params = context.connection_params if isinstance(context.connection_params, dict) else {}
        value = params.get("authorization") or params.get("Authorization")
        if value is None and context.request is not None:
            value = context.request.headers.get("authorization")
        try:
            context.principal = await self.gate.principal(value if isinstance(value, str) else None)
        except auth.AuthError as error:
            raise ConnectionRejectionError({"message": str(error)}) from None
        holder = context.request.scope.get(HOLDER) if context.request is not None else None
        if holder is not None and context.principal is not None and isinstance(value, str):
            holder.token = auth.bearer_token(value)  # watched: revoking it ends the socket

    def is_websocket_origin_allowed(self, request: WebSocket, origin: str) -> bool:
        """Cross-origin pages may connect from the origins ``CORS_ORIGINS`` allows."""
        return self.origins is not None and self.origins.fullmatch(origin) is not None


class EventsApp:
    """``GET /events``: ``text/event-stream`` of new revisions, one event per revision.

    Each event: ``id`` the revision, ``event: revision``, ``data`` its JSON
    (``revision``, ``createdAt``, ``author``, ``message``, ``changedPaths``). A reconnecting
    ``EventSource`` sends ``Last-Event-ID`` and gets the revisions it missed first; scripts
    may pass ``?since=<revision>``. A comment is sent every ``LIVE_HEARTBEAT_SECONDS``.
    """

    def __init__(self, app: Flask, live: LiveUpdates) -> None:
        self.live, self.gate = live, Gate(app)
        self.heartbeat = float(app.config["LIVE_HEARTBEAT_SECONDS"])

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Answer one request (405 for other methods, 401/403 for a bad key)."""
        request = Request(scope, receive)
        response: Response
        if request.method not in ("GET", "HEAD"):
            response = Response(status_code=HTTPStatus.METHOD_NOT_ALLOWED, headers={"Allow": "GET"})
        else:
            try:
                await self.gate.principal(request.headers.get("authorization"))
                since = _since(request)
            except auth.AuthError as error:
                response = _refusal(error)
            except ValueError as error:
                response = Response(str(error), status_code=HTTPStatus.BAD_REQUEST)
            else:
                response = StreamingResponse(
                    self.stream(since),
                    media_type="text/event-stream",
                    headers={"Cache-Control": "no-cache, no-transform", "X-Accel-Buffering": "no"},
                )
        await response(scope, receive, send)

    async def stream(self, since: int | None) -> AsyncIterator[str]:
        """The event stream: missed revisions first, then each new one as it commits."""
        events = self.live.revisions()  # before reading the backlog: nothing falls between
        try:
            yield f"retry: 2000\n: revision {self.live.watcher.revision}\n\n"
            seen = since or 0
            for event in await self.live.events_after(since) if since is not None else []:
                seen = event.revision
                yield format_event(event)
            while True:
                try:
                    event = await asyncio.wait_for(anext(events), self.heartbeat)
                except TimeoutError:
                    yield ": ping\n\n"
                    continue
                except (StopAsyncIteration, SubscriberLagging):
                    return
                if event.revision > seen:
                    seen = event.revision
                    yield format_event(event)
        finally:
            events.close()


#: Scope key under which the router hands a GraphQL over SSE subscription's document on.
SUBSCRIPTION_QUERY = "graphql_api.subscription_query"


def may_subscribe(scope: Scope, body: bytes) -> bool:
    """Whether a request could hold a subscription (its text names one): a byte search."""
    return b"subscription" in (
        scope.get("query_string", b"") if scope.get("method") == "GET" else body
    )


def subscription_query(scope: Scope, body: bytes) -> str | None:
    """The document of a GET's parameters or a POST's JSON body if it runs a subscription.

    Decodes and parses (with the token limit): call it off the event loop.
    """
    request: dict[str, Any]
    if scope.get("method") == "GET":
        request = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1")))
    else:
        try:
            decoded = orjson.loads(body)
        except orjson.JSONDecodeError:
            return None
        request = decoded if isinstance(decoded, dict) else {}
    query, name = request.get("query"), request.get("operationName")
    if not isinstance(query, str) or len(query) > CACHEABLE_CHARS:
        return None  # Flask answers it (a long document is not parsed on the event loop)
    kind = operation_type(query, name if isinstance(name, str) else None)
    return query if kind == "subscription" else None


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key == name:
            return bytes(value).decode("latin-1")
    return None


def _since(request: Request) -> int | None:
    raw = request.headers.get("last-event-id") or request.query_params.get("since")
    if raw is None or raw == "":
        return None
    if not raw.isdigit():
        raise ValueError(f"since / Last-Event-ID must be a revision number, got {raw!r}")
    return int(raw)


def format_event(event: RevisionEvent) -> str:
    """One SSE event (WHATWG HTML §9.2): ``id``, ``event: revision`` and one JSON ``data`` line."""
    data = orjson.dumps(event.as_json()).decode()
    return f"id: {event.revision}\nevent: revision\ndata: {data}\n\n"


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
    """
    headers = dict(scope.get("headers", ()))
    incoming = headers.get(b"x-request-id", b"").decode("latin-1")
    request_id = incoming if REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex
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
        ACCESS_LOG.info(json.dumps(line))


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
                    await _refusal(error)(scope, replay, send)
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

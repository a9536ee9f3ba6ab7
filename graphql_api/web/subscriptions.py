"""Subscriptions over graphql-transport-ws and GraphQL over SSE (Strawberry's ASGI app).

Only subscriptions run here: queries and mutations belong to ``POST /graphql`` (the Flask
app: caches, logs, usage). The same API keys, persisted-query mode and operation rules as
the Flask app apply; the router (:mod:`graphql_api.web.asgi`) hands a GraphQL over SSE
request on with its document under :data:`SUBSCRIPTION_QUERY`.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
from http import HTTPStatus
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import parse_qsl

import orjson
from cross_web import HTTPException
from graphql import GraphQLError
from starlette.requests import Request
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.http.streaming import SSETransport
from strawberry.subscriptions import GRAPHQL_SSE_PROTOCOL, GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import (
    BaseGraphQLTransportWSHandler,
)
from strawberry.types.graphql import OperationType

from ..errors import ErrorCode
from ..schema import schema
from ..schema.documents import CACHEABLE_CHARS, inspect_subscription, operation_type
from ..schema.documents import operations as operations_of
from ..schema.limits import current_limits, safe_data_stats
from ..schema.request_context import RequestContext
from ..store import db
from ..store import persisted_queries as stored_documents
from ..store.snapshots import snapshot_store
from . import auth, persisted_queries
from .cors import origin_pattern
from .key_watch import HOLDER, Gate
from .request_state import asgi_request_id

if TYPE_CHECKING:
    from collections.abc import Iterable

    from flask import Flask
    from starlette.types import Receive, Scope, Send
    from starlette.websockets import WebSocket
    from strawberry.subscriptions.protocols.graphql_transport_ws.types import SubscribeMessage

    from ..live.service import LiveUpdates
    from ..schema.cost import DataStats


class SubscriptionSSE(SSETransport):
    """GraphQL over SSE for subscriptions only: queries and mutations go through Flask."""

    def allowed_operation_types(
        self, allowed_operation_types: set[OperationType]
    ) -> Iterable[OperationType]:
        """Only ``subscription``."""
        return (OperationType.SUBSCRIPTION,)


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

        Its ``request_id`` is the connection's (the one in its access line and
        ``X-Request-Id``), for masked errors; a WebSocket's principal is set later, by
        :meth:`on_ws_connect`.

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
            request_id=asgi_request_id(request.scope),
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

"""API keys on live-update connections: checked when they open, ended when the key is revoked.

A key is checked when a stream opens (``connection_init``, the SSE or ``/events``
request) by :class:`Gate`, with the same keys and rules as the Flask app;
:class:`KeyWatch` keeps checking the keys of the open ones. Every
``LIVE_POLL_SECONDS`` while keyed connections are open, one statement reads which of their
keys are still active; the connections of a revoked key are ended: a WebSocket is closed
with ``4403`` ("API key revoked"), an event stream gets a last comment and ends.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Final

import orjson
from starlette.responses import Response

from ..store import db
from . import auth

if TYPE_CHECKING:
    from collections.abc import Callable

    from flask import Flask
    from sqlalchemy.orm import Session
    from starlette.types import ASGIApp, Message, Receive, Scope, Send

#: Scope key of a connection's :class:`Holder` (``on_ws_connect`` sets its key).
HOLDER: Final = "graphql_api.key_holder"
REVOKED_CLOSE: Final = 4403
LOG: Final = logging.getLogger("graphql_api.live")


@dataclass(eq=False)
class Holder:
    """One open connection and the key it was accepted with (None: no key)."""

    token: str | None = None
    revoked: bool = False
    task: asyncio.Task[None] | None = field(default=None, repr=False)

    def revoke(self) -> None:
        """End the connection (its task is cancelled; :meth:`KeyWatch.run` closes it)."""
        if not self.revoked and self.task is not None:
            self.revoked = True
            self.task.cancel()


def _bearer(scope: Scope) -> str | None:
    for name, value in scope.get("headers", ()):
        if name == b"authorization":
            with contextlib.suppress(auth.AuthError):
                return auth.bearer_token(value.decode("latin-1"))
    return None


class KeyWatch:
    """Ends the live-update connections of revoked keys within ``interval`` seconds.

    Args:
        sessions: makes a database session (the app's sessionmaker).
        interval: seconds between two checks (``LIVE_POLL_SECONDS``).
    """

    def __init__(self, sessions: Callable[[], Session], interval: float) -> None:
        self.sessions, self.interval = sessions, max(interval, 0.05)
        self.holders: set[Holder] = set()
        self.task: asyncio.Task[None] | None = None

    async def run(self, app: ASGIApp, scope: Scope, receive: Receive, send: Send) -> None:
        """Run ``app`` for one connection; end it if its key is revoked meanwhile."""
        holder = Holder(_bearer(scope) if scope["type"] == "http" else None)
        scope[HOLDER] = holder
        state = {"started": False, "ended": False}

        async def tracking_send(message: Message) -> None:
            kind = message["type"]
            state["started"] = state["started"] or kind in (
                "http.response.start",
                "websocket.accept",
            )
            ended = kind == "websocket.close" or (
                kind == "http.response.body" and not message.get("more_body")
            )
            state["ended"] = state["ended"] or ended
            await send(message)

        holder.task = asyncio.ensure_future(app(scope, receive, tracking_send))
        self.holders.add(holder)
        self._ensure_running()
        try:
            await holder.task
        except asyncio.CancelledError:
            current = asyncio.current_task()
            if not holder.revoked or (current is not None and current.cancelling()):
                raise
            if state["started"] and not state["ended"]:
                await send(_last_message(scope))
        finally:
            self.holders.discard(holder)

    def _ensure_running(self) -> None:
        if self.task is None or self.task.done():
            self.task = asyncio.ensure_future(self._watch())

    async def _watch(self) -> None:
        while self.holders:
            await asyncio.sleep(self.interval)
            keyed = {h for h in self.holders if h.token is not None and not h.revoked}
            if not keyed:
                continue
            tokens = {h.token for h in keyed if h.token is not None}
            try:
                active = await asyncio.to_thread(self._active, tokens)
            except Exception:  # a database fault: check again next time
                LOG.warning("could not check the keys of live connections", exc_info=True)
                continue
            for holder in keyed:
                if holder.token not in active:
                    holder.revoke()

    def _active(self, tokens: set[str]) -> set[str]:
        with self.sessions() as session:
            return auth.active_tokens(session, tokens)


def _last_message(scope: Scope) -> Message:
    if scope["type"] == "websocket":
        return {"type": "websocket.close", "code": REVOKED_CLOSE, "reason": "API key revoked"}
    return {"type": "http.response.body", "body": b": API key revoked\n\n", "more_body": False}


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


def refusal_response(error: auth.AuthError) -> Response:
    """The 401/403 JSON response of a refused key, for an ASGI route."""
    body, status, headers = auth.refusal(error)
    return Response(
        orjson.dumps(body), status_code=status, headers=headers, media_type="application/json"
    )

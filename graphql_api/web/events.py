"""``GET /events``: a plain ``text/event-stream`` of new revisions (WHATWG HTML §9.2).

For scripts and build watchers: ``Last-Event-ID`` or ``?since=`` replays the revisions
missed, then each new revision is sent as it commits (:mod:`graphql_api.live`).
"""

from __future__ import annotations

import asyncio
from http import HTTPStatus
from typing import TYPE_CHECKING

import orjson
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from ..live.hub import SubscriberLagging
from . import auth
from .key_watch import Gate, refusal_response

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from flask import Flask
    from starlette.types import Receive, Scope, Send

    from ..live.service import LiveUpdates
    from ..live.watcher import RevisionEvent


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
                response = refusal_response(error)
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

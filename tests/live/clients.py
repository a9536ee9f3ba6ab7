"""Test clients of the live-update transports: graphql-transport-ws, GraphQL over SSE, /events."""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import websockets
from websockets.typing import Subprotocol

PROTOCOL = Subprotocol("graphql-transport-ws")

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    import httpx


class WsClient:
    """One graphql-transport-ws connection (the protocol of the `graphql-ws` npm package)."""

    def __init__(self, url: str) -> None:
        self.url = url.replace("http://", "ws://") + "/graphql"
        self.ws: Any = None

    async def connect(
        self, payload: dict[str, Any] | None = None, headers: dict[str, str] | None = None
    ) -> dict[str, Any]:
        """Open the socket and send connection_init; the server's answer."""
        self.ws = await websockets.connect(
            self.url,
            subprotocols=[PROTOCOL],
            additional_headers=headers,
            open_timeout=10,
        )
        await self.ws.send(json.dumps({"type": "connection_init", "payload": payload or {}}))
        return await self.message()

    async def connect_raw(self, payload: dict[str, Any] | None = None) -> Any:
        """Open the socket, send connection_init; an awaitable of the answer (not awaited)."""
        self.ws = await websockets.connect(self.url, subprotocols=[PROTOCOL], open_timeout=10)
        await self.ws.send(json.dumps({"type": "connection_init", "payload": payload or {}}))
        return self.message()

    async def subscribe(
        self, op_id: str, query: str, variables: dict[str, Any] | None = None
    ) -> None:
        """Start a subscription."""
        body = {"query": query, "variables": variables or {}}
        await self.ws.send(json.dumps({"id": op_id, "type": "subscribe", "payload": body}))

    async def message(self, timeout: float = 10.0) -> dict[str, Any]:
        """The next message that is not a ping/pong."""
        while True:
            raw = await asyncio.wait_for(self.ws.recv(), timeout)
            msg: dict[str, Any] = json.loads(raw)
            if msg.get("type") in ("ping", "pong"):
                continue
            return msg

    async def close(self) -> None:
        """Close the socket."""
        if self.ws is not None:
            await self.ws.close()


@dataclass
class SseEvent:
    """One server-sent event."""

    event: str = "message"
    data: str = ""
    id: str | None = None
    fields: dict[str, str] = field(default_factory=dict)

    def json(self) -> Any:
        """``data`` decoded."""
        return json.loads(self.data)


async def sse_events(response: httpx.Response) -> AsyncIterator[SseEvent]:
    """Parse an event stream (WHATWG HTML §9.2.6, enough of it for these tests)."""
    current = SseEvent()
    async for line in response.aiter_lines():
        if line == "":
            if current.data or current.event != "message":  # no data, no event (§9.2.6)
                yield current
            current = SseEvent()
            continue
        if line.startswith(":"):
            continue
        name, _, value = line.partition(":")
        value = value.removeprefix(" ")
        if name == "event":
            current.event = value
        elif name == "data":
            current.data = f"{current.data}\n{value}" if current.data else value
        elif name == "id":
            current.id = value
        else:
            current.fields[name] = value

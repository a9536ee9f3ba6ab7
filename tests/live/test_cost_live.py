"""Issue 16, the cost half, on a real ``uvicorn asgi:app`` process (both databases).

The router's subscription check must not parse on the event loop (nor before the key
check); subscriptions are costed like queries; their events are bounded in size.
"""

from __future__ import annotations

import asyncio
import contextlib
import subprocess
import time
from typing import TYPE_CHECKING, Any

import httpx

from tests.cost_data import fanout_document
from tests.live.clients import WsClient
from tests.live.conftest import start_server
from tests.writing import import_mini

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from tests.live.conftest import LiveServer
    from tests.writing import Writer

#: 200,000 fields after `subscription`: 2 MB that an unbounded parse reads in seconds.
BIG = "subscription { revisionChanged { revision " + "revision " * 200_000 + "} }"
SSE = {"Accept": "text/event-stream", "Content-Type": "application/json"}


@contextlib.contextmanager
def served(database_url: str, folder: Path, **env: str) -> Iterator[LiveServer]:
    proc, server = start_server(database_url, folder, **env)
    try:
        yield server
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


async def health_latency(client: httpx.AsyncClient, url: str) -> float:
    started = time.monotonic()
    response = await client.get(url + "/healthz", timeout=30)
    assert response.status_code == 200
    return time.monotonic() - started


def codes_of(message: dict[str, Any]) -> list[str]:
    payload = message.get("payload")
    errors = payload if isinstance(payload, list) else (payload or {}).get("errors") or []
    return [e.get("extensions", {}).get("code", e.get("message")) for e in errors]


def test_the_key_is_checked_before_a_large_document_is_parsed(
    writer: Writer, database_url: str, tmp_path: Path
) -> None:
    async def scenario(server: LiveServer) -> None:
        async with httpx.AsyncClient() as client:
            big = asyncio.create_task(
                client.post(server.url + "/graphql", json={"query": BIG}, headers=SSE, timeout=60)
            )
            await asyncio.sleep(0.1)
            assert await health_latency(client, server.url) < 1.0
            response = await big
            assert response.status_code == 401
            assert response.elapsed.total_seconds() < 2.0  # not parsed first

    with served(database_url, tmp_path, TOKENS_READ_REQUIRES_KEY="1") as server:
        asyncio.run(scenario(server))


def test_a_large_document_is_parsed_off_the_event_loop(live: LiveServer) -> None:
    async def scenario() -> None:
        async with httpx.AsyncClient() as client:
            big = asyncio.create_task(
                client.post(live.url + "/graphql", json={"query": BIG}, headers=SSE, timeout=60)
            )
            await asyncio.sleep(0.2)
            latencies = [await health_latency(client, live.url) for _ in range(3)]
            response = await big
            assert max(latencies) < 1.0, latencies
            # parsed with the token limit (a 2 MB document is one Flask error, not a stall)
            assert "more than 20000 tokens" in response.text

    asyncio.run(scenario())


def test_subscriptions_are_costed_and_their_events_bounded(
    writer: Writer, database_url: str, tmp_path: Path
) -> None:
    import_mini(writer, fanout_document(200))
    env = {"TOKENS_MAX_QUERY_COST": "35000", "TOKENS_LIVE_MAX_EVENT_BYTES": "2000"}

    async def scenario(server: LiveServer) -> None:
        ws = WsClient(server.url)
        assert (await ws.connect())["type"] == "connection_ack"
        # 202 tokens × (1 + 200 referrers) ≈ 40,800: refused as a query would be (the
        # old rule saw no types under the subscription root: 30,002)
        costly = "subscription { tokensChanged { tokens { path referencedBy { path } } } }"
        await ws.subscribe("costly", costly)
        refused = await ws.message()
        assert refused["id"] == "costly"
        assert codes_of(refused) == ["QUERY_TOO_COSTLY"]
        if refused["type"] == "next":  # graphql-transport-ws: the result, then complete
            assert (await ws.message()) == {"id": "costly", "type": "complete"}

        await ws.subscribe("big", "subscription { tokensChanged { tokens { path } } }")
        await ws.subscribe("rev", "subscription { revisionChanged { revision } }")
        for _ in range(200):  # until both are subscribed
            live = (await asyncio.to_thread(server.health))["live"]
            if live["subscribers"] == 2:  # type: ignore[index]
                break
            await asyncio.sleep(0.05)
        black = {"colorSpace": "srgb", "components": [0.1, 0.1, 0.1]}
        payload = await asyncio.to_thread(
            writer.call, "updateToken", "UpdateTokenInput", path="base", value=black
        )
        assert payload["__typename"] == "TokenSuccess", payload
        got = {}
        for _ in range(2):
            message = await ws.message(timeout=10)
            got[message["id"]] = message
        assert set(got) == {"rev", "big"}, got
        assert got["rev"]["payload"]["data"]["revisionChanged"]["revision"] > 0
        # 201 changed tokens, about 3 KB of JSON: over the limit, sent as an error
        assert got["big"]["type"] == "next"
        assert codes_of(got["big"]) == ["EVENT_TOO_LARGE"]
        assert got["big"]["payload"]["data"] is None
        await ws.close()

    with served(database_url, tmp_path, **env) as server:
        asyncio.run(scenario(server))

"""Live updates end to end: a uvicorn process serves, this process writes (both databases).

Every write here commits in the test process; the server learns of it only through the
database (PostgreSQL NOTIFY, SQLite's polled revision), as it would from another worker,
another host or the CLI.
"""

from __future__ import annotations

import asyncio
import copy
import json
import os
import time
from typing import TYPE_CHECKING, Any

import httpx
import pytest
import websockets

from graphql_api.store import db
from graphql_api.web import persisted_queries
from tests.live.clients import WsClient, sse_events
from tests.live.conftest import ROOT, start_server
from tests.live.spawn import ServerProcess
from tests.writing import DARK, MINI

if TYPE_CHECKING:
    from pathlib import Path

    from flask import Flask

    from tests.live.conftest import LiveServer
    from tests.writing import Writer

#: The issue's promise: a subscriber sees a change within a second of its commit.
DEADLINE_S = 1.0

REVISIONS = "subscription { revisionChanged { revision changedPaths author message createdAt } }"
TOKENS = """subscription($prefix: String, $theme: [ThemeSelection!]) {
  tokensChanged(pathPrefix: $prefix, theme: $theme) {
    revision removedPaths tokens { path resolvedValue value { ... on ColorValue { hex } } }
  }
}"""


def set_value(writer: Writer, path: str, value: Any) -> int:
    """Set ``path`` in every layer that defines it; the new revision."""
    payload = writer.call("updateToken", "UpdateTokenInput", path=path, value=value)
    assert payload["__typename"] == "TokenSuccess", payload
    revision: int = payload["revision"]
    return revision


async def wait_subscribers(
    server: LiveServer,
    count: int,
    timeout: float = 20.0,
    clients: list[asyncio.Task[Any]] | None = None,
) -> None:
    """Until the server holds ``count`` subscribers (so none misses the next write).

    A client task of ``clients`` that failed meanwhile (refused, closed, timed out) fails
    the wait at once with its own error; a timeout names the server log's last lines.
    """
    deadline = time.monotonic() + timeout
    while True:
        for task in clients or ():
            if task.done() and task.exception() is not None:
                raise AssertionError(f"a client failed: {task.exception()!r}") from (
                    task.exception()
                )
        live = (await asyncio.to_thread(server.health))["live"]
        assert isinstance(live, dict)
        if live["subscribers"] == count:
            return
        if time.monotonic() >= deadline:
            tail = server.log.read_text(errors="replace")[-2000:]
            raise AssertionError(f"{live['subscribers']} subscribers, not {count}; log:\n{tail}")
        await asyncio.sleep(0.05)


def test_websocket_subscriber_gets_each_write_within_a_second(
    live: LiveServer, writer: Writer
) -> None:
    async def scenario() -> None:
        ws = WsClient(live.url)
        assert (await ws.connect())["type"] == "connection_ack"
        await ws.subscribe("rev", REVISIONS)
        await ws.subscribe("dark", TOKENS, {"theme": DARK, "prefix": "accent"})
        await ws.subscribe("light", TOKENS, {"theme": None})
        await wait_subscribers(live, 3)

        # red.5 is referenced in dark only: dark's accent.fg changes; light has red.5 itself.
        revision = await asyncio.to_thread(set_value, writer, "color.red.5", "#ff0000")
        committed = time.monotonic()
        got = {}
        for _ in range(3):
            msg = await ws.message(timeout=DEADLINE_S)
            got[msg["id"]] = msg["payload"]["data"]
        assert time.monotonic() - committed < DEADLINE_S
        rev = got["rev"]["revisionChanged"]
        assert rev["revision"] == revision
        assert rev["changedPaths"] == ["color.red.5"]
        assert rev["author"] == "designer"
        dark = got["dark"]["tokensChanged"]
        assert dark["revision"] == revision
        assert [t["path"] for t in dark["tokens"]] == ["accent.fg"]  # border.focus: no prefix
        assert dark["tokens"][0]["value"]["hex"] == "#ff0000"
        assert dark["removedPaths"] == []
        light = got["light"]["tokensChanged"]
        assert [(t["path"], t["resolvedValue"]) for t in light["tokens"]] == [
            ("color.red.5", "#ff0000")
        ]

        # blue.5 is referenced in light only; dark's accent.* do not change: no dark event.
        revision2 = await asyncio.to_thread(set_value, writer, "color.blue.5", "#00ff00")
        got = {}
        for _ in range(2):
            msg = await ws.message(timeout=DEADLINE_S)
            got[msg["id"]] = msg["payload"]["data"]
        assert got["rev"]["revisionChanged"]["revision"] == revision2
        light = got["light"]["tokensChanged"]
        assert light["revision"] == revision2
        changed = {t["path"]: t["resolvedValue"] for t in light["tokens"]}
        assert changed["color.blue.5"] == "#00ff00"
        assert changed["accent.fg"] == changed["accent.bg"] == "#00ff00"
        assert changed["border.focus"]["color"] == "#00ff00"
        assert "color.red.5" not in changed  # unchanged since light's previous snapshot

        # Nothing under "accent" changed in dark, so no dark event: the next write that does
        # change dark's accent.fg proves it without waiting out a silence, as the events of
        # a socket come in revision order (a dark event for revision2 would come first).
        revision3 = await asyncio.to_thread(set_value, writer, "color.red.5", "#0000ff")
        events = []
        for _ in range(3):
            msg = await ws.message(timeout=DEADLINE_S)
            data = next(iter(msg["payload"]["data"].values()))
            events.append((msg["id"], data["revision"]))
        assert sorted(events) == [("dark", revision3), ("light", revision3), ("rev", revision3)]
        await ws.close()

    asyncio.run(scenario())


def test_cli_import_in_another_process_reaches_subscribers(
    live: LiveServer, writer: Writer, database_url: str, tmp_path: Path
) -> None:
    doc = copy.deepcopy(MINI)
    doc["sets"]["base"]["sources"][0]["color"]["gray"]["1"]["$value"] = "#111111"
    del doc["sets"]["base"]["sources"][0]["color"]["gray"]
    source = tmp_path / "mini.resolver.json"
    source.write_text(json.dumps(doc))

    async def scenario() -> None:
        ws = WsClient(live.url)
        await ws.connect()
        await ws.subscribe("rev", REVISIONS)
        await ws.subscribe("light", TOKENS)
        await wait_subscribers(live, 2)
        env = {**os.environ, "DATABASE_URL": database_url}
        log = tmp_path / "flask-import.log"
        # ``flask tokens import`` in a process of its own (forked with the package imported).
        cli = ServerProcess(
            ["--app", "app", "tokens", "import", str(source)], env, ROOT, log, "flask"
        )
        code = await asyncio.to_thread(cli.wait, 60)
        exited = time.monotonic()
        assert code == 0, log.read_text()
        got = {}
        for _ in range(2):
            msg = await ws.message(timeout=DEADLINE_S)
            got[msg["id"]] = msg["payload"]["data"]
        assert time.monotonic() - exited < DEADLINE_S
        assert "color.gray.1" in got["rev"]["revisionChanged"]["changedPaths"]
        light = got["light"]["tokensChanged"]
        assert light["removedPaths"] == ["color.gray.1"]
        assert light["tokens"] == []
        await ws.close()

    asyncio.run(scenario())


def test_graphql_over_sse_and_the_events_stream(live: LiveServer, writer: Writer) -> None:
    first = writer.revision()

    async def scenario() -> None:
        async with httpx.AsyncClient(base_url=live.url, timeout=10) as client:
            sse = client.stream(
                "POST",
                "/graphql",
                json={"query": REVISIONS},
                headers={"Accept": "text/event-stream"},
            )
            events = client.stream("GET", "/events")
            async with sse as sse_response, events as events_response:
                assert sse_response.headers["content-type"].startswith("text/event-stream")
                assert events_response.headers["content-type"].startswith("text/event-stream")
                await wait_subscribers(live, 2)
                revision = await asyncio.to_thread(
                    set_value, writer, "size.unit", {"value": 8, "unit": "px"}
                )
                sse_event = await anext(sse_events(sse_response))
                assert sse_event.event == "next"
                data = sse_event.json()["data"]["revisionChanged"]
                assert (data["revision"], data["changedPaths"]) == (revision, ["size.unit"])
                plain = await anext(sse_events(events_response))
                assert (plain.event, plain.id) == ("revision", str(revision))
                assert plain.json()["changedPaths"] == ["size.unit"]

            # A reconnecting EventSource sends Last-Event-ID: it gets what it missed.
            headers = {"Last-Event-ID": str(first)}
            async with client.stream("GET", "/events", headers=headers) as replay:
                missed = await anext(sse_events(replay))
                assert (missed.id, missed.json()["revision"]) == (str(revision), revision)
            async with client.stream("GET", "/events?since=0") as replay:
                ids = []
                async for event in sse_events(replay):
                    ids.append(int(event.id or 0))
                    if len(ids) == 2:
                        break
                assert ids == [first, revision]

            bad = await client.get("/events?since=yesterday")
            assert bad.status_code == 400
            post = await client.post("/events")
            assert (post.status_code, post.headers["allow"]) == (405, "GET")
            # urql lists text/event-stream for every request: a query still gets JSON.
            urql_accept = (
                "application/graphql-response+json, application/graphql+json, "
                "application/json, text/event-stream, multipart/mixed"
            )
            for request in (
                client.post(
                    "/graphql", json={"query": "{ revision }"}, headers={"Accept": urql_accept}
                ),
                client.get(
                    "/graphql", params={"query": "{ revision }"}, headers={"Accept": urql_accept}
                ),
            ):
                query = await request
                assert query.status_code == 200
                assert query.json() == {"data": {"revision": revision}}
            get_sse = client.stream(
                "GET",
                "/graphql",
                params={"query": REVISIONS},
                headers={"Accept": "text/event-stream"},
            )
            async with get_sse as streamed:
                assert streamed.headers["content-type"].startswith("text/event-stream")

    asyncio.run(scenario())


def test_queries_and_mutations_still_go_through_flask(live: LiveServer, writer: Writer) -> None:
    response = httpx.post(live.url + "/graphql", json={"query": "{ revision }"})
    assert response.json() == {"data": {"revision": writer.revision()}}
    assert "x-request-id" in response.headers  # the Flask app's own header
    health = live.health()
    assert health["status"] == "ok"
    assert isinstance(health["live"], dict)
    assert health["live"]["revision"] == writer.revision()


def test_subscriptions_are_refused_by_the_wsgi_app(writer: Writer) -> None:
    response = writer.client.get("/events")
    assert response.status_code == 501
    assert "uvicorn asgi:app" in response.get_json()["errors"][0]["message"]
    body = writer.post(REVISIONS)
    assert body.get("data") is None
    assert body["errors"]


def test_two_hundred_concurrent_subscribers_then_all_freed(
    live: LiveServer, writer: Writer
) -> None:
    count = 200
    # Handshakes 25 at a time (a browser fleet does not open 200 in the same millisecond);
    # all 200 are then held at once.
    opening = asyncio.Semaphore(25)

    async def one(index: int) -> dict[str, Any]:
        ws = WsClient(live.url)
        async with opening:
            await ws.connect()
            await ws.subscribe(str(index), TOKENS, {"theme": DARK})
        try:
            msg = await ws.message(timeout=60)
            return dict(msg)
        finally:
            await ws.close()

    def connections_after_settling() -> int:
        deadline = time.monotonic() + 10
        while live.client_connections() > 0 and time.monotonic() < deadline:
            time.sleep(0.1)
        return live.client_connections()

    async def held_while_subscribed() -> list[dict[str, Any]]:
        clients = [asyncio.create_task(one(i)) for i in range(count)]
        await wait_subscribers(live, count, timeout=90, clients=clients)
        assert live.client_connections() >= count  # one socket each, held open
        revision = await asyncio.to_thread(set_value, writer, "color.red.5", "#abcdef")
        results = await asyncio.gather(*clients)
        assert all(r["payload"]["data"]["tokensChanged"]["revision"] == revision for r in results)
        await wait_subscribers(live, 0, timeout=30)
        return results

    results = asyncio.run(held_while_subscribed())
    assert len(results) == count
    assert all(r["type"] == "next" and "errors" not in r["payload"] for r in results)
    # The server closed the socket of every client that left.
    assert connections_after_settling() == 0, "sockets of closed clients are still open"


def test_a_disconnected_sse_client_is_let_go(live: LiveServer, writer: Writer) -> None:
    async def scenario() -> None:
        async with httpx.AsyncClient(base_url=live.url, timeout=10) as client:
            async with client.stream("GET", "/events") as response:
                assert response.status_code == 200
                await wait_subscribers(live, 1)
            await wait_subscribers(live, 0)

    asyncio.run(scenario())


def test_keys_and_origins(writer: Writer, database_url: str, tmp_path: Path) -> None:
    proc, server = start_server(database_url, tmp_path, TOKENS_READ_REQUIRES_KEY="1")
    try:

        async def scenario() -> None:
            anonymous = WsClient(server.url)
            init = await anonymous.connect_raw()
            with pytest.raises(websockets.ConnectionClosed) as closed:
                await init
            assert closed.value.rcvd is not None
            assert closed.value.rcvd.code == 4403

            keyed = WsClient(server.url)
            ack = await keyed.connect({"authorization": f"Bearer {writer.key}"})
            assert ack["type"] == "connection_ack"
            await keyed.close()

            async with httpx.AsyncClient(base_url=server.url, timeout=10) as client:
                refused = await client.get("/events")
                assert refused.status_code == 401
                assert refused.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
                headers = {"Authorization": f"Bearer {writer.key}"}
                async with client.stream("GET", "/events", headers=headers) as ok:
                    assert ok.status_code == 200

            foreign = WsClient(server.url)
            with pytest.raises(websockets.InvalidStatus) as rejected:
                await foreign.connect(headers={"Origin": "https://evil.example"})
            assert rejected.value.response.status_code == 403
            local = WsClient(server.url)
            payload = {"authorization": f"Bearer {writer.key}"}
            ack = await local.connect(payload, headers={"Origin": "http://localhost:5173"})
            assert ack["type"] == "connection_ack"
            await local.close()

        asyncio.run(scenario())
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_websocket_runs_subscriptions_only_and_honours_the_allowlist(
    writer: Writer, app: Flask, database_url: str, tmp_path: Path
) -> None:
    registered = "subscription Registered { revisionChanged { revision } }"
    with app.app_context():
        session = db.get_session()
        persisted_queries.register(session, registered)
        session.commit()
    proc, server = start_server(database_url, tmp_path, TOKENS_PERSISTED_QUERIES="allowlist")
    try:

        async def scenario() -> None:
            ws = WsClient(server.url)
            await ws.connect()
            await ws.subscribe("q", "{ revision }")
            refused = await ws.message()
            assert (refused["id"], refused["type"]) == ("q", "error")
            assert refused["payload"][0]["extensions"]["code"] == "SUBSCRIPTIONS_ONLY"
            await ws.subscribe(
                "m", 'mutation { deleteToken(input: {path: "size.unit"}) { __typename } }'
            )
            assert (await ws.message())["payload"][0]["extensions"]["code"] == "SUBSCRIPTIONS_ONLY"
            await ws.subscribe("other", REVISIONS)
            other = await ws.message()
            assert other["type"] == "error"
            assert other["payload"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_ALLOWED"
            await ws.subscribe("ok", registered)
            await wait_subscribers(server, 1)
            revision = await asyncio.to_thread(set_value, writer, "color.red.5", "#222222")
            event = await ws.message()
            assert event["id"] == "ok"
            assert event["payload"]["data"]["revisionChanged"]["revision"] == revision
            await ws.close()

            async with httpx.AsyncClient(base_url=server.url, timeout=10) as client:
                sse = await client.post(
                    "/graphql", json={"query": REVISIONS}, headers={"Accept": "text/event-stream"}
                )
                assert sse.status_code == 403
                assert "allow-list" in sse.text

        asyncio.run(scenario())
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    assert writer.resolved("size.unit") == {"value": 4, "unit": "px"}  # the mutation never ran

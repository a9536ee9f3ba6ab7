"""Issue 16 (HTTP half) against a real ``uvicorn asgi:app`` process, on both databases."""

from __future__ import annotations

import asyncio
import json
import select
import socket
import time
from typing import TYPE_CHECKING, Any

import httpx
import pytest
import websockets
from websockets.typing import Subprotocol

from graphql_api.config import DEFAULTS
from graphql_api.store import db
from graphql_api.web import auth
from tests.live.clients import WsClient
from tests.live.conftest import start_server
from tests.live.test_server import wait_subscribers

if TYPE_CHECKING:
    from pathlib import Path

    from flask import Flask

    from tests.live.conftest import LiveServer
    from tests.writing import Writer


def _access_lines(log: Path) -> list[dict[str, object]]:
    lines = []
    for raw in log.read_text(errors="replace").splitlines():
        try:
            decoded = json.loads(raw)
        except ValueError:
            continue
        if isinstance(decoded, dict) and "status" in decoded and "path" in decoded:
            lines.append(decoded)
    return lines


@pytest.mark.parametrize("enabled", ["1", "0"])
def test_access_log_is_written_by_the_server_process(
    writer: Writer, database_url: str, tmp_path: Path, enabled: str
) -> None:
    """The README's JSON lines reach stderr under uvicorn; ``TOKENS_ACCESS_LOG=0`` stops them."""
    proc, server = start_server(database_url, tmp_path, TOKENS_ACCESS_LOG=enabled)
    try:
        with httpx.Client(base_url=server.url, timeout=10) as client:
            ok = client.post(
                "/graphql", json={"query": "{ revision }"}, headers={"X-Request-Id": "access-log-1"}
            )
            assert ok.status_code == 200
            events = client.get("/events?since=x", headers={"X-Request-Id": "access-log-2"})
            assert events.status_code == 400
        deadline = time.monotonic() + 5
        while enabled == "1" and time.monotonic() < deadline:
            if len(_access_lines(server.log)) >= 2:
                break
            time.sleep(0.05)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    lines = {line["id"]: line for line in _access_lines(server.log)}
    if enabled == "0":
        assert lines == {}
        return
    graphql = lines["access-log-1"]
    assert (graphql["method"], graphql["path"], graphql["status"]) == ("POST", "/graphql", 200)
    assert isinstance(graphql["ms"], float)
    assert isinstance(graphql["sql"], int)
    assert lines["access-log-2"]["transport"] == "events"
    assert "Bearer" not in server.log.read_text()


#: The init timeout the test's server gets: the default (3 s, as graphql-ws) would be waited
#: out on each database; a server that ignored the setting would close at 3 s, not before.
INIT_TIMEOUT_S = 0.5


def test_websocket_without_connection_init_is_closed_after_the_init_timeout(
    database_url: str, tmp_path: Path
) -> None:
    """graphql-ws's 3 s: a socket that never sends connection_init does not sit for a minute."""
    assert DEFAULTS["WS_INIT_TIMEOUT_SECONDS"] == 3.0  # graphql-ws's value
    proc, server = start_server(
        database_url, tmp_path, TOKENS_WS_INIT_TIMEOUT_SECONDS=str(INIT_TIMEOUT_S)
    )
    try:

        async def scenario() -> tuple[int, float]:
            url = server.url.replace("http://", "ws://") + "/graphql"
            protocols = [Subprotocol("graphql-transport-ws")]
            started = time.monotonic()  # before the server's timer starts (at the handshake)
            async with websockets.connect(url, subprotocols=protocols) as ws:
                with pytest.raises(websockets.ConnectionClosed) as closed:
                    await asyncio.wait_for(ws.recv(), 10)
            assert closed.value.rcvd is not None
            return closed.value.rcvd.code, time.monotonic() - started

        code, waited = asyncio.run(scenario())
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    assert code == 4408  # graphql-transport-ws: connection initialisation timeout
    # Not before the timeout (it is the timeout that closes), and well before the default.
    assert INIT_TIMEOUT_S <= waited < 3


def _stream_chunked(url: str, path: str, extra: str, total: int) -> tuple[int, bytes]:
    """POST a chunked body of up to ``total`` bytes; stop at the first response byte.

    Returns:
        (bytes of body sent before the server answered, the response's first bytes).
    """
    host, port = url.removeprefix("http://").split(":")
    chunk = b"x" * 65536
    sent = 0
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(
            f"POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
            f"{extra}Transfer-Encoding: chunked\r\n\r\n".encode()
        )
        while sent < total:
            readable, _, _ = select.select([sock], [], [], 0)
            if readable:
                break
            try:
                sock.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            except (BrokenPipeError, ConnectionResetError):
                break
            sent += len(chunk)
        else:
            sock.sendall(b"0\r\n\r\n")
        sock.settimeout(10)
        answer = b""
        while len(answer) < 65536:  # the server closes the connection after its answer
            try:
                part = sock.recv(4096)
            except ConnectionResetError:
                break
            if not part:
                break
            answer += part
    return sent, answer


@pytest.mark.parametrize("accept", ["", "Accept: text/event-stream\r\n"])
def test_a_chunked_body_is_refused_as_soon_as_it_passes_the_limit(
    writer: Writer, database_url: str, tmp_path: Path, accept: str
) -> None:
    """413 while the client is still sending: not a 64 MiB body spooled to disk, then 400."""
    limit = 1_000_000
    proc, server = start_server(database_url, tmp_path, TOKENS_MAX_BODY_BYTES=str(limit))
    try:
        sent, answer = _stream_chunked(server.url, "/graphql", accept, 64 * 1024 * 1024)
        with httpx.Client(base_url=server.url, timeout=10) as client:
            sized = client.post(
                "/graphql", content=b"x" * (limit + 1), headers={"Content-Type": "application/json"}
            )
            fits = client.post("/graphql", json={"query": "{ revision }"})
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert b"BODY_TOO_LARGE" in answer
    assert sent < 8 * limit  # it stopped reading soon after the limit (socket buffers aside)
    assert sized.status_code == 413
    assert sized.json()["errors"][0]["extensions"]["code"] == "BODY_TOO_LARGE"
    assert fits.json() == {"data": {"revision": writer.revision()}}


REVISIONS = "subscription { revisionChanged { revision } }"


def test_websocket_refuses_several_operations_without_an_operation_name(
    live: LiveServer, writer: Writer
) -> None:
    """``mutation M … subscription S …`` without operationName ran the mutation."""
    document = (
        'mutation M { deleteToken(input: {path: "size.unit"}) { __typename } } '
        "subscription S { revisionChanged { revision } }"
    )

    async def scenario() -> dict[str, Any]:
        ws = WsClient(live.url)
        await ws.connect({"authorization": f"Bearer {writer.key}"})
        await ws.subscribe("both", document)
        answer = await ws.message()
        await ws.close()
        return answer

    answer = asyncio.run(scenario())
    assert (answer["id"], answer["type"]) == ("both", "error")
    assert answer["payload"][0]["extensions"]["code"] == "OPERATION_NAME_REQUIRED"
    assert writer.resolved("size.unit") == {"value": 4, "unit": "px"}  # the mutation never ran


def _revoke(app: Flask, name: str) -> None:
    with app.app_context():
        session = db.get_session()
        assert auth.revoke_key(session, name)
        session.commit()


def test_a_revoked_key_ends_its_websocket_sse_and_events_streams(
    live: LiveServer, writer: Writer, app: Flask
) -> None:
    """A key was checked once at connection_init: revoked, the socket still wrote and read."""
    headers = {"Authorization": f"Bearer {writer.key}"}

    async def scenario() -> tuple[int, float, list[str]]:
        ws = WsClient(live.url)
        await ws.connect({"authorization": f"Bearer {writer.key}"})
        await ws.subscribe("s", REVISIONS)
        async with httpx.AsyncClient(base_url=live.url, timeout=10) as client:
            sse = client.stream(
                "POST",
                "/graphql",
                json={"query": REVISIONS},
                headers={**headers, "Accept": "text/event-stream"},
            )
            events = client.stream("GET", "/events", headers=headers)
            async with sse as sse_response, events as events_response:
                await wait_subscribers(live, 3)
                started = time.monotonic()
                await asyncio.to_thread(_revoke, app, "designer")
                with pytest.raises(websockets.ConnectionClosed) as closed:
                    await ws.message(timeout=5)
                ended = []
                for name, response in (("sse", sse_response), ("events", events_response)):
                    async with asyncio.timeout(5):
                        async for _ in response.aiter_bytes():
                            pass
                    ended.append(name)
                waited = time.monotonic() - started
        assert closed.value.rcvd is not None
        return closed.value.rcvd.code, waited, ended

    code, waited, ended = asyncio.run(scenario())
    assert code == 4403
    assert ended == ["sse", "events"]
    assert waited < 3  # the poll interval is 0.1 s; slack for a busy machine
    assert live.health()["live"]["subscribers"] == 0  # type: ignore[index]


def test_websocket_subscribe_messages_that_crashed(live: LiveServer, writer: Writer) -> None:
    """A non-string query logged a traceback per message and completed silently."""

    async def scenario() -> tuple[dict[str, Any], int]:
        ws = WsClient(live.url)
        await ws.connect()
        await ws.ws.send(
            json.dumps(
                {
                    "id": "u",
                    "type": "subscribe",
                    "payload": {"query": REVISIONS, "operationName": "Nope"},
                }
            )
        )
        unknown = await ws.message()
        await ws.ws.send(
            json.dumps({"id": "q", "type": "subscribe", "payload": {"query": {"not": "a string"}}})
        )
        with pytest.raises(websockets.ConnectionClosed) as closed:
            await ws.message(timeout=5)
        assert closed.value.rcvd is not None
        return unknown, closed.value.rcvd.code

    unknown, code = asyncio.run(scenario())
    assert (unknown["id"], unknown["type"]) == ("u", "error")
    assert unknown["payload"][0]["extensions"]["code"] == "OPERATION_NOT_FOUND"
    assert code == 4400
    assert "Traceback" not in live.log.read_text()

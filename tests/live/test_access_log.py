"""Live-update connections are logged like the Flask requests (in-process ASGI, both databases)."""

from __future__ import annotations

import asyncio
import json
import logging
from typing import TYPE_CHECKING

import httpx

from graphql_api.schema import subscriptions
from graphql_api.web.asgi import Router

if TYPE_CHECKING:
    import pytest
    from flask import Flask

    from tests.writing import Writer


def access_lines(caplog: pytest.LogCaptureFixture) -> list[dict[str, object]]:
    return [json.loads(r.getMessage()) for r in caplog.records if r.name == "graphql_api.access"]


def test_events_and_sse_requests_get_one_json_line_each(
    app: Flask, writer: Writer, caplog: pytest.LogCaptureFixture
) -> None:
    router = Router(app)

    async def scenario() -> list[httpx.Response]:
        transport = httpx.ASGITransport(app=router)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            bad_since = await client.get("/events?since=abc", headers={"X-Request-Id": "rq-1"})
            bad_key = await client.post(
                "/graphql",
                json={"query": "subscription { revisionChanged { revision } }"},
                headers={"Accept": "text/event-stream", "Authorization": "Bearer nope"},
            )
            query = await client.get(
                "/graphql",
                params={"query": "{ revision }"},
                headers={"Accept": "text/event-stream"},
            )
            return [bad_since, bad_key, query]

    with caplog.at_level(logging.INFO, logger="graphql_api.access"):
        bad_since, bad_key, query = asyncio.run(scenario())
    lines = access_lines(caplog)  # before the checks below make requests of their own
    assert (bad_since.status_code, bad_since.headers["x-request-id"]) == (400, "rq-1")
    assert bad_since.headers["x-content-type-options"] == "nosniff"
    assert bad_key.status_code == 401
    assert query.json() == {"data": {"revision": writer.revision()}}  # Flask answered it
    live = [line for line in lines if "transport" in line]
    assert [(x["transport"], x["method"], x["path"], x["status"]) for x in live] == [
        ("events", "GET", "/events", 400),
        ("graphql-sse", "POST", "/graphql", 401),
    ]
    assert live[0]["id"] == "rq-1"
    assert all(isinstance(x["ms"], float) for x in live)
    assert not any("Bearer" in json.dumps(x) or "nope" in json.dumps(x) for x in lines)
    flask_lines = [line for line in lines if "transport" not in line]
    assert [(x["path"], x["status"]) for x in flask_lines] == [("/graphql", 200)]


def test_a_masked_subscription_error_carries_the_connection_s_request_id(
    app: Flask, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    # Subscriptions never reach Flask: the id of their access line travels in the ASGI
    # scope to their RequestContext (it was '' there).
    def unexpected(_since: int | None) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(subscriptions, "_check_since", unexpected)
    router = Router(app)

    async def scenario() -> httpx.Response:
        transport = httpx.ASGITransport(app=router)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            return await client.post(
                "/graphql",
                json={"query": "subscription { revisionChanged { revision } }"},
                headers={"Accept": "text/event-stream", "X-Request-Id": "sub-7"},
            )

    with caplog.at_level(logging.INFO, logger="graphql_api.access"):
        response = asyncio.run(scenario())
    events = [line[len("data: ") :] for line in response.text.splitlines() if line[:6] == "data: "]
    errors = json.loads(events[0])["errors"]
    assert [e["extensions"] for e in errors] == [
        {"code": "INTERNAL_SERVER_ERROR", "requestId": "sub-7"}
    ]
    assert [line["id"] for line in access_lines(caplog)] == ["sub-7"]

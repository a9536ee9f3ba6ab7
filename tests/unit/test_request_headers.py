"""Request headers read from the WSGI environ answer what Werkzeug's ``headers.get`` answers."""

from __future__ import annotations

import asyncio

from flask import g
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from graphql_api import TokenServer
from graphql_api.web.request_headers import header


def test_header_reads_what_werkzeug_reads() -> None:
    environ = EnvironBuilder(
        method="POST",
        headers=[("X-Request-Id", "abc"), ("If-None-Match", '"r1-x", W/"r2-y"')],
        data=b"{}",
        content_type="application/json",
    ).get_environ()
    req = Request(environ)
    for name in ("x-request-id", "If-None-Match", "Content-Type", "Content-Length", "Accept"):
        assert header(req, name) == req.headers.get(name), name
    assert header(req, "Authorization") is None


def test_ensure_sync_still_runs_async_hooks() -> None:
    app = TokenServer(__name__)
    calls: list[str] = []

    @app.before_request
    async def remember() -> None:  # Flask's async_to_sync (asgiref) runs it
        await asyncio.sleep(0)
        g.seen = True
        calls.append("async")

    @app.route("/")
    def index() -> str:
        calls.append("view")
        return "ok"

    def plain() -> None:
        pass

    assert app.ensure_sync(plain) is plain
    assert app.test_client().get("/").status_code == 200
    assert calls == ["async", "view"]

"""What the hot path reads from the WSGI environ answers what Werkzeug answers.

Request headers (``headers.get``), the body (``get_data``), and request ids.
"""

from __future__ import annotations

import asyncio
import io
import uuid

import pytest
from flask import g
from werkzeug.exceptions import BadRequest, RequestEntityTooLarge
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from graphql_api import TokenServer
from graphql_api.web.request_body import raw_body
from graphql_api.web.request_headers import header
from graphql_api.web.request_state import uuid4_hex


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


def _post(body: bytes, **environ: object) -> Request:
    built = EnvironBuilder(method="POST", data=body, content_type="application/json")
    return Request({**built.get_environ(), **environ})


class _Trickle(io.BytesIO):
    """A WSGI input that returns at most 3 bytes per read, as a server may."""

    def read(self, size: int | None = -1) -> bytes:
        return super().read(3 if size is None or size < 0 else min(size, 3))


@pytest.mark.parametrize("body", [b'{"query": "{ a }"}', b""])
def test_raw_body_reads_what_get_data_reads_then_get_data_reads_it_again(body: bytes) -> None:
    req = _post(body)
    assert raw_body(req, 1 << 20) == body
    assert raw_body(req, 1 << 20) == body  # once per request
    assert req.get_data() == body  # an executed request reads it again
    trickled = _post(body, **{"wsgi.input": _Trickle(body)})
    assert raw_body(trickled, None) == body


def test_raw_body_leaves_the_refusals_to_werkzeug() -> None:
    large = _post(b"x" * 100)
    large.max_content_length = 99  # what Flask reads from MAX_CONTENT_LENGTH
    with pytest.raises(RequestEntityTooLarge):
        raw_body(large, 99)
    short = _post(b"x" * 100, CONTENT_LENGTH="200")
    with pytest.raises(BadRequest):
        raw_body(short, None)
    chunked = _post(b"{}", CONTENT_LENGTH="", **{"wsgi.input_terminated": True})
    assert raw_body(chunked, None) == b"{}"


def test_uuid4_hex_is_a_random_version_4_uuid() -> None:
    made = {uuid4_hex() for _ in range(200)}
    assert len(made) == 200
    for text in made:
        parsed = uuid.UUID(text)
        assert parsed.hex == text
        assert parsed.version == 4
        assert parsed.variant == uuid.RFC_4122

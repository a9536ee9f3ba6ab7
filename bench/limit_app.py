"""The *limit*: a plain Flask route answering with bytes captured from the real server.

Nothing in this stack can answer a request faster: it is a response cache keyed by the
request (method, path, query string, body), with no GraphQL, no database and no JSON
encoding. A conditional request whose ``If-None-Match`` matches the captured ETag gets 304.

Served in-process (``create_app(captured)`` + test client) or by gunicorn::

    BENCH_CAPTURED=bench/results/tmp/captured.json gunicorn -w 4 'bench.limit_app:create_app()'
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from flask import Flask, Response, request

#: Response headers replayed as captured.
REPLAYED = ("Content-Type", "ETag", "Cache-Control", "Vary")


def key(method: str, path: str, query_string: str, body: bytes) -> str:
    """The cache key of a request."""
    return f"{method} {path}?{query_string}\n{body.decode()}"


def save(path: Path, captured: dict[str, dict[str, Any]]) -> None:
    """Write captured responses (key → status, headers, body text)."""
    path.write_text(json.dumps(captured))


def capture(response: Any) -> dict[str, Any]:
    """What the limit app needs of a (Flask test client) response."""
    headers = {h: response.headers[h] for h in REPLAYED if h in response.headers}
    return {
        "status": response.status_code,
        "headers": headers,
        "body": response.get_data(as_text=True),
    }


def mirror(client: Any, requests: list[Any]) -> tuple[Any, list[Any]]:
    """The limit app's test client and the answers of ``requests`` it replays.

    Each request is sent once to ``client`` (the real server) and its answer captured.
    ``requests``: :class:`bench.workloads.Request` objects.
    """
    captured, responses = {}, []
    for req in requests:
        response = req.send(client)
        responses.append(response)
        captured[key(req.method, req.path, req.query_string, req.body)] = capture(response)
    return create_app(captured).test_client(), responses


def create_app(captured: dict[str, dict[str, Any]] | None = None) -> Flask:
    """The limit app for ``captured`` (default: the file named by ``BENCH_CAPTURED``)."""
    if captured is None:
        captured = json.loads(Path(os.environ["BENCH_CAPTURED"]).read_text())
    table = {
        k: (v["status"], v["headers"], v["body"].encode(), v["headers"].get("ETag"))
        for k, v in captured.items()
    }
    app = Flask(__name__)

    def serve() -> Response:
        k = key(request.method, request.path, request.query_string.decode(), request.get_data())
        status, headers, body, etag = table[k]
        if etag is not None and request.headers.get("If-None-Match") == etag:
            return Response(status=304, headers={"ETag": etag})
        return Response(body, status=status, headers=headers)

    app.add_url_rule("/graphql", "graphql", serve, methods=["GET", "POST"])
    app.add_url_rule("/tokens.json", "tokens_json", serve, methods=["GET"])
    return app

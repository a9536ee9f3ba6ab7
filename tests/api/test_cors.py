"""CORS: configurable allowed origins; local dev servers allowed by default."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from collections.abc import Callable

    from flask import Flask

PREFLIGHT = {
    "Access-Control-Request-Method": "POST",
    "Access-Control-Request-Headers": "content-type, authorization",
}
QUERY = {"query": "{ revision }"}


@pytest.mark.parametrize(
    "origin", ["http://localhost:5173", "http://127.0.0.1:4173", "https://localhost"]
)
def test_local_dev_servers_are_allowed_by_default(app: Flask, origin: str) -> None:
    client = app.test_client()
    pre = client.options("/graphql", headers={"Origin": origin, **PREFLIGHT})
    assert pre.status_code == 200
    assert pre.headers["Access-Control-Allow-Origin"] == origin
    assert "authorization" in pre.headers["Access-Control-Allow-Headers"].lower()
    response = client.post("/graphql", json=QUERY, headers={"Origin": origin})
    assert response.headers["Access-Control-Allow-Origin"] == origin
    assert response.headers["Access-Control-Expose-Headers"] == "ETag"


def test_other_origins_get_no_cors_headers(app: Flask) -> None:
    response = app.test_client().post(
        "/graphql", json=QUERY, headers={"Origin": "https://evil.example"}
    )
    assert "Access-Control-Allow-Origin" not in response.headers


def test_origins_are_configurable(make_app: Callable[..., Flask]) -> None:
    app = make_app(CORS_ORIGINS="https://app.example.com, https://admin.example.com")
    client = app.test_client()
    ok = client.post("/graphql", json=QUERY, headers={"Origin": "https://admin.example.com"})
    assert ok.headers["Access-Control-Allow-Origin"] == "https://admin.example.com"
    local = client.post("/graphql", json=QUERY, headers={"Origin": "http://localhost:5173"})
    assert "Access-Control-Allow-Origin" not in local.headers
    off = make_app(CORS_ORIGINS="").test_client()
    assert (
        "Access-Control-Allow-Origin"
        not in off.post("/graphql", json=QUERY, headers={"Origin": "http://localhost:5173"}).headers
    )


@pytest.mark.parametrize(
    ("setting", "named"),
    [
        pytest.param(None, None, id="default-patterns"),
        pytest.param(r"https://.*\.example\.com", None, id="pattern"),
        # flask-cors names literal origins even to a request without Origin
        pytest.param("https://b.example, https://a.example", "https://a.example", id="literal"),
        pytest.param("*", "*", id="wildcard"),
    ],
)
def test_requests_without_origin(
    make_app: Callable[..., Flask], setting: str | None, named: str | None
) -> None:
    app = make_app() if setting is None else make_app(CORS_ORIGINS=setting)
    response = app.test_client().post("/graphql", json=QUERY)
    assert response.status_code == 200
    assert response.headers.get("Access-Control-Allow-Origin") == named


def test_a_preflight_needs_no_key_even_when_reads_do(make_app: Callable[..., Flask]) -> None:
    client = make_app(READ_REQUIRES_KEY=True).test_client()
    pre = client.options("/graphql", headers={"Origin": "http://localhost:5173", **PREFLIGHT})
    assert pre.status_code == 200
    assert pre.headers["Access-Control-Allow-Origin"] == "http://localhost:5173"
    refused = client.post("/graphql", json=QUERY, headers={"Origin": "http://localhost:5173"})
    assert refused.status_code == 401  # the request itself still needs the key


@pytest.mark.parametrize(
    "evil", ["https://app.example.com.evil.example", "https://app.example.com:443@evil.example"]
)
def test_a_regular_expression_matches_the_whole_origin(
    make_app: Callable[..., Flask], evil: str
) -> None:
    """flask-cors prefix-matched regexes: an origin merely starting like an allowed one is out."""
    client = make_app(CORS_ORIGINS=r"https://app\.example\.com").test_client()
    ok = client.post("/graphql", json=QUERY, headers={"Origin": "https://app.example.com"})
    assert ok.headers["Access-Control-Allow-Origin"] == "https://app.example.com"
    refused = client.post("/graphql", json=QUERY, headers={"Origin": evil})
    assert "Access-Control-Allow-Origin" not in refused.headers
    pre = client.options("/graphql", headers={"Origin": evil, **PREFLIGHT})
    assert "Access-Control-Allow-Origin" not in pre.headers

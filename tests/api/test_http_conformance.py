"""GraphQL over HTTP: status codes and media types for every kind of bad request."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from flask import Flask

GQL_JSON = "application/graphql-response+json"


def test_malformed_json_is_400_json(app: Flask) -> None:
    response = app.test_client().post("/graphql", data="{bad", content_type="application/json")
    assert (response.status_code, response.mimetype) == (400, "application/json")
    assert "errors" in response.get_json()


def test_an_unsupported_content_type_is_415(app: Flask) -> None:
    response = app.test_client().post("/graphql", data="{ revision }", content_type="text/plain")
    assert (response.status_code, response.mimetype) == (415, "application/json")


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
def test_other_methods_are_405_with_allow(app: Flask, method: str) -> None:
    response = app.test_client().open("/graphql", method=method, json={"query": "{ revision }"})
    assert (response.status_code, response.mimetype) == (405, "application/json")
    assert set(response.headers["Allow"].split(", ")) == {"GET", "POST"}


@pytest.mark.parametrize(
    ("query", "request_error"),
    [
        ("{ revision", True),  # does not parse
        ("{ nope }", True),  # does not validate
        ("{ tokens(first: -1) { totalCount } }", False),  # a field error during execution
        ("{ revision }", False),
    ],
)
def test_graphql_response_json_on_request(app: Flask, query: str, request_error: bool) -> None:
    client = app.test_client()
    plain = client.post("/graphql", json={"query": query})
    assert (plain.status_code, plain.mimetype) == (200, "application/json")
    typed = client.post("/graphql", json={"query": query}, headers={"Accept": GQL_JSON})
    assert typed.mimetype == GQL_JSON
    assert typed.status_code == (400 if request_error else 200)
    assert typed.get_json() == plain.get_json()


def test_application_json_stays_when_preferred(app: Flask) -> None:
    accept = f"application/json, {GQL_JSON};q=0.5"
    response = app.test_client().post("/graphql", json={"query": "{ nope }"},
                                      headers={"Accept": accept})  # fmt: skip
    assert (response.status_code, response.mimetype) == (200, "application/json")

"""GraphQL over HTTP: status codes and media types for every kind of bad request."""

from __future__ import annotations

import base64
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
    expected = plain.get_json()
    if request_error:  # §6.4.2: no data entry at all (graphql-http audits D586, 5E5B)
        assert expected.pop("data") is None
        assert "data" not in typed.get_json()
    assert typed.get_json() == expected


def test_application_json_stays_when_preferred(app: Flask) -> None:
    accept = f"application/json, {GQL_JSON};q=0.5"
    response = app.test_client().post(
        "/graphql", json={"query": "{ nope }"}, headers={"Accept": accept}
    )
    assert (response.status_code, response.mimetype) == (200, "application/json")


# --------------------------------------------------------------------------- bodies that crashed


DEEP = "[" * 1000 + "]" * 1000
BAD_BODIES = {
    "nested 1,000 deep": DEEP.encode(),
    "variables nested 1,000 deep": b'{"query": "{ revision }", "variables": {"a": '
    + DEEP.encode()
    + b"}}",
    "invalid UTF-8": b'{"query": "{ revision \xff }"}',
    "null": b"null",
    "a number": b"3",
    "a batch of null": b"[null]",
    "a 5,000-digit number in variables": b'{"query": "query($a: Int) { revision }", '
    b'"variables": {"a": ' + b"9" * 5000 + b"}}",
}


@pytest.mark.parametrize("body", BAD_BODIES.values(), ids=BAD_BODIES.keys())
def test_bodies_that_crashed_are_a_400_graphql_error(app: Flask, body: bytes) -> None:
    """An HTML 500 or INTERNAL_SERVER_ERROR before: each is a 400 with a GraphQL JSON error."""
    response = app.test_client().post("/graphql", data=body, content_type="application/json")
    assert (response.status_code, response.mimetype) == (400, "application/json")
    error = response.get_json()["errors"][0]
    assert error["extensions"]["code"] == "BAD_REQUEST"
    assert "Traceback" not in error["message"]


@pytest.mark.parametrize("variables", [DEEP, '{"a": ' + "9" * 5000 + "}", "0", "false", '"x"'])
def test_get_parameters_that_crashed_are_a_400_graphql_error(app: Flask, variables: str) -> None:
    response = app.test_client().get(
        "/graphql", query_string={"query": "query($a: Int) { revision }", "variables": variables}
    )
    assert (response.status_code, response.mimetype) == (400, "application/json")
    assert response.get_json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"


@pytest.mark.parametrize("name", ["variables", "extensions"])
@pytest.mark.parametrize("value", ["string", 0, False, ["array"]])
def test_non_object_variables_and_extensions_are_400(app: Flask, name: str, value: object) -> None:
    """graphql-http's MAY audits 476x and 58Bx: not an empty map, a request error."""
    client = app.test_client()
    for accept in ("application/json", GQL_JSON):
        response = client.post(
            "/graphql", json={"query": "{ revision }", name: value}, headers={"Accept": accept}
        )
        assert response.status_code == 400
        assert name in response.get_json()["errors"][0]["message"]


def _cursor(number: int) -> str:
    return base64.urlsafe_b64encode(f"change:{number}".encode()).decode()


ARGUMENTS_THAT_CRASHED = {
    "cursor 2^63": (
        "query($a: String) { changes(after: $a) { totalCount } }",
        {"a": _cursor(2**63)},
        "INVALID_CURSOR",
    ),
    "cursor 10^30": (
        "query($a: String) { changes(after: $a) { totalCount } }",
        {"a": _cursor(10**30)},
        "INVALID_CURSOR",
    ),
    "NUL in usage(path:)": (
        "query($p: String!) { usage(path: $p) { total } }",
        {"p": "color\x00red"},
        "INVALID_ARGUMENT",
    ),
    "NUL in token(release:)": (
        'query($r: String) { token(path: "x", release: $r) { path } }',
        {"r": "1.0\x00"},
        "RELEASE_NOT_FOUND",
    ),
}


@pytest.mark.parametrize(
    ("query", "variables", "code"),
    ARGUMENTS_THAT_CRASHED.values(),
    ids=ARGUMENTS_THAT_CRASHED.keys(),
)
def test_arguments_that_crashed_are_graphql_errors_with_a_code(
    app: Flask, query: str, variables: dict[str, str], code: str
) -> None:
    """INTERNAL_SERVER_ERROR before (an integer overflow; NUL in a PostgreSQL parameter)."""
    response = app.test_client().post("/graphql", json={"query": query, "variables": variables})
    assert response.status_code == 200
    assert [e["extensions"]["code"] for e in response.get_json()["errors"]] == [code]

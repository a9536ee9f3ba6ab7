"""API keys: created once, stored hashed, sent as Bearer; reads can be made to need one."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from flask import request
from sqlalchemy import select

from graphql_api.store import db
from graphql_api.store.models import ApiKey
from graphql_api.web import auth, request_state
from tests.helpers import SMALL_EXAMPLE, import_tokens

if TYPE_CHECKING:
    from collections.abc import Callable

    from flask import Flask

QUERY = {"query": "{ modifiers { name } tokens(first: 1) { totalCount } }"}


def create(app: Flask, name: str, scope: str) -> str:
    result = app.test_cli_runner().invoke(args=["keys", "create", "--name", name, "--scope", scope])
    assert result.exit_code == 0, result.output
    key = result.stdout.strip()
    assert key.startswith("tk_")
    return key


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


@pytest.fixture
def open_app(make_app: Callable[..., Flask]) -> Flask:
    app = make_app()
    import_tokens(app.test_cli_runner(), SMALL_EXAMPLE)
    return app


@pytest.fixture
def closed_app(make_app: Callable[..., Flask], open_app: Flask) -> Flask:
    return make_app(READ_REQUIRES_KEY=True)


def test_the_key_is_shown_once_and_only_its_salted_hash_is_stored(open_app: Flask) -> None:
    key = create(open_app, "ci", "write")
    secret = key.split("_", 2)[2]
    with open_app.app_context():
        rows = db.get_session().execute(select(*ApiKey.__table__.columns)).mappings().all()
    assert [(r["name"], r["scope"]) for r in rows] == [("ci", "write")]
    stored: list[Any] = list(rows[0].values())
    assert not any(secret in str(value) for value in stored)
    assert len(rows[0]["salt"]) == 32
    assert len(rows[0]["secret_hash"]) == 64
    listing = open_app.test_cli_runner().invoke(args=["keys", "list"])
    assert "ci\twrite" in listing.stdout
    assert secret not in listing.stdout


def test_two_keys_with_the_same_secret_text_get_different_hashes(open_app: Flask) -> None:
    create(open_app, "a", "read")
    create(open_app, "b", "read")
    with open_app.app_context():
        salts = db.get_session().scalars(select(ApiKey.salt)).all()
    assert len(set(salts)) == 2


def test_reads_are_open_by_default_and_a_valid_key_is_accepted(open_app: Flask) -> None:
    key = create(open_app, "reader", "read")
    client = open_app.test_client()
    assert client.post("/graphql", json=QUERY).status_code == 200
    response = client.post("/graphql", json=QUERY, headers=bearer(key))
    assert response.status_code == 200
    assert response.get_json()["data"]["tokens"]["totalCount"] == 56


@pytest.mark.parametrize(
    "header",
    ["Bearer tk_00000000_not-a-key", "Bearer nonsense", "Basic dXNlcjpwYXNz", "Bearer "],
    ids=["unknown", "malformed", "other-scheme", "empty"],
)
def test_a_bad_key_is_refused_even_where_none_is_needed(open_app: Flask, header: str) -> None:
    client = open_app.test_client()
    response = client.post("/graphql", json=QUERY, headers={"Authorization": header})
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert response.get_json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert "data" not in response.get_json()


def test_a_revoked_key_is_refused(open_app: Flask) -> None:
    key = create(open_app, "gone", "admin")
    client = open_app.test_client()
    assert client.post("/graphql", json=QUERY, headers=bearer(key)).status_code == 200
    result = open_app.test_cli_runner().invoke(args=["keys", "revoke", "gone"])
    assert result.exit_code == 0
    response = client.post("/graphql", json=QUERY, headers=bearer(key))
    assert response.status_code == 401
    assert "revoked" in response.get_json()["errors"][0]["message"]
    again = open_app.test_cli_runner().invoke(args=["keys", "revoke", "gone"])
    assert again.exit_code != 0


def test_a_right_prefix_with_a_wrong_secret_is_refused(open_app: Flask) -> None:
    key = create(open_app, "k", "read")
    forged = key[: key.rindex("_") + 1] + "x" * 43
    response = open_app.test_client().post("/graphql", json=QUERY, headers=bearer(forged))
    assert response.status_code == 401


def test_reads_can_require_a_key(closed_app: Flask) -> None:
    client = closed_app.test_client()
    assert client.post("/graphql", json=QUERY).status_code == 401
    assert client.get("/tokens.json").status_code == 401
    key = create(closed_app, "reader", "read")
    assert client.post("/graphql", json=QUERY, headers=bearer(key)).status_code == 200
    assert client.get("/tokens.json", headers=bearer(key)).status_code == 200
    # The GraphiQL page itself still opens (its requests then send the key as a header).
    page = client.get("/graphql", headers={"Accept": "text/html"})
    assert page.status_code == 200
    assert b"graphiql" in page.data.lower()


def test_a_cached_response_is_not_served_without_a_key(closed_app: Flask) -> None:
    key = create(closed_app, "reader", "read")
    client = closed_app.test_client()
    assert client.post("/graphql", json=QUERY, headers=bearer(key)).status_code == 200
    assert client.post("/graphql", json=QUERY).status_code == 401


@pytest.mark.parametrize(
    ("scope", "needed", "allowed"),
    [
        ("read", "read", True),
        ("read", "write", False),
        ("write", "read", True),
        ("write", "write", True),
        ("write", "admin", False),
        ("admin", "write", True),
    ],
)
def test_scopes_include_the_lower_ones(scope: str, needed: str, allowed: bool) -> None:
    assert auth.Principal("k", scope).allows(needed) is allowed


def test_require_says_401_without_a_key_and_403_with_a_weaker_one(open_app: Flask) -> None:
    with open_app.test_request_context("/graphql"):
        with pytest.raises(auth.AuthError) as missing:
            auth.require("write")  # no state: the before-request hooks did not run
        assert missing.value.status == 401
        state = request_state.begin(request)
        with pytest.raises(auth.AuthError) as still_missing:
            auth.require("write")
        assert still_missing.value.status == 401
        state.principal = auth.Principal("reader", "read")
        with pytest.raises(auth.AuthError) as weak:
            auth.require("write")
        assert weak.value.status == 403
        assert auth.require("read").name == "reader"


def test_names_are_unique_and_scopes_checked(open_app: Flask) -> None:
    create(open_app, "dup", "read")
    runner = open_app.test_cli_runner()
    again = runner.invoke(args=["keys", "create", "--name", "dup", "--scope", "read"])
    assert again.exit_code != 0
    assert "exists" in again.output
    bad = runner.invoke(args=["keys", "create", "--name", "x", "--scope", "root"])
    assert bad.exit_code != 0
    with open_app.app_context(), pytest.raises(ValueError, match="scope"):
        auth.create_key(db.get_session(), "y", "root")

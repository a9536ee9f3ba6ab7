"""Several server processes on one database, on SQLite and PostgreSQL.

Each ``create_app`` call is one process's worth of state: its own engine, snapshot cache
and response cache. A write through one instance (an import through its CLI) must be seen
by the others on their next request, with no restart and no cache clearing: every request
reads the data revision, which keys both caches and the ETags. The last two tests run the
second instance in a real OS process (forked from the test's, see ``tests/forking.py``).
"""

from __future__ import annotations

import json
import time
from typing import TYPE_CHECKING, Any

import pytest

from graphql_api import create_app
from graphql_api.store import db
from graphql_api.store.response_cache import RESPONSE_CACHE_KEY
from tests.forking import fork
from tests.helpers import (
    SMALL_EXAMPLE,
    assert_num_queries,
    clock_caught_up,
    data_of,
    import_tokens,
    stored_state,
    write_themed,
)
from tests.writing import Writer, import_mini, make_key

if TYPE_CHECKING:
    from collections.abc import Callable
    from multiprocessing.connection import Connection
    from pathlib import Path

    from flask import Flask
    from flask.testing import FlaskClient
    from werkzeug.test import TestResponse

    MakeApp = Callable[..., Flask]

QUERY = (
    "query Gap($theme: [ThemeSelection!]) { "
    'token(path: "size.gap", theme: $theme) { resolvedValue } tokens { totalCount } }'
)
DARK = {"theme": [{"modifier": "theme", "context": "dark"}]}


def post(client: FlaskClient, variables: dict[str, Any] | None = None) -> TestResponse:
    return client.post("/graphql", json={"query": QUERY, "variables": variables or {}})


def get(
    client: FlaskClient, variables: dict[str, Any] | None = None, tag: str | None = None
) -> TestResponse:
    args = {"query": QUERY, "variables": json.dumps(variables or {})}
    return client.get("/graphql", query_string=args, headers={"If-None-Match": tag} if tag else {})


def gap(response: TestResponse) -> tuple[float, int]:
    """(``size.gap`` in px, number of tokens) of a response to :data:`QUERY`."""
    data = data_of(response.get_json())
    return data["token"]["resolvedValue"]["value"], data["tokens"]["totalCount"]


@pytest.mark.parametrize(
    "cache_bytes",
    [
        pytest.param(0, id="snapshots-only"),
        pytest.param(1 << 20, id="response-cache"),
    ],
)
def test_import_through_one_instance_is_seen_by_the_other(
    make_app: MakeApp, tmp_path: Path, executions: list[str], cache_bytes: int
) -> None:
    a = make_app(RESPONSE_CACHE_BYTES=cache_bytes)
    b = make_app(RESPONSE_CACHE_BYTES=cache_bytes)
    assert db.get_engine(a) is not db.get_engine(b)
    import_tokens(a.test_cli_runner(), write_themed(tmp_path / "v1", 4, ("light", "dark")))
    client_a, client_b = a.test_client(), b.test_client()

    # Warm both instances: light by POST, dark by GET (with an ETag).
    for client in (client_a, client_b):
        assert gap(post(client)) == (4, 2)
        assert gap(get(client, DARK)) == (8, 2)
    old_tag = get(client_b, DARK).headers["ETag"]
    assert get(client_b, DARK, old_tag).status_code == 304
    done = len(executions)
    clock_caught_up(b, known=True)
    # warm: the revision (known in memory when the response is cached), nothing else
    with assert_num_queries(db.get_engine(b), 1 if cache_bytes == 0 else 0):
        assert gap(post(client_b)) == (4, 2)
    assert len(executions) == done + (1 if cache_bytes == 0 else 0)

    # A writes; B was not told anything but what the database announces (NOTIFY on
    # PostgreSQL, data_version on SQLite): within the clock's staleness bound.
    import_tokens(a.test_cli_runner(), write_themed(tmp_path / "v2", 10, ("light", "dark")))
    clock_caught_up(b)

    assert gap(post(client_b)) == (10, 2)
    fresh = get(client_b, DARK, old_tag)
    assert fresh.status_code == 200
    assert gap(fresh) == (20, 2)
    new_tag = fresh.headers["ETag"]
    assert new_tag != old_tag
    assert get(client_b, DARK, new_tag).status_code == 304
    assert gap(post(client_a)) == (10, 2)
    # An older revision's entry stays only if it names the tokens it read (to be carried
    # forward when they did not change); A's dark one did change, and is not served.
    revision = stored_state(a).revision
    for app in (a, b):
        cache = app.extensions[RESPONSE_CACHE_KEY]
        assert cache.size <= cache.max_bytes
        if cache_bytes:
            assert all(e.revision == revision or e.reads for e in cache._entries.values())
    assert gap(get(client_a, DARK)) == (20, 2)


def test_other_data_shape_is_seen_by_the_other_instance(make_app: MakeApp, tmp_path: Path) -> None:
    # The catalog (sets, modifiers) is cached per revision too: a new one replaces it.
    a, b = make_app(), make_app()
    import_tokens(a.test_cli_runner(), write_themed(tmp_path / "themed", 4, ("light", "dark")))
    client_b = b.test_client()
    assert gap(get(client_b, DARK)) == (8, 2)
    modifiers = "{ modifiers { name contexts { name } } }"
    before = data_of(client_b.post("/graphql", json={"query": modifiers}).get_json())
    assert before["modifiers"][0]["name"] == "theme"

    import_tokens(a.test_cli_runner(), SMALL_EXAMPLE)  # no modifiers at all
    clock_caught_up(b)
    after = data_of(client_b.post("/graphql", json={"query": modifiers}).get_json())
    assert after == {"modifiers": []}
    result = get(client_b, DARK).get_json()
    assert result["errors"][0]["extensions"]["code"] == "UNKNOWN_MODIFIER"
    plain = data_of(
        client_b.post("/graphql", json={"query": "{ tokens { totalCount } }"}).get_json()
    )
    assert plain == {"tokens": {"totalCount": 56}}


def test_tokens_json_of_the_other_instance_follows_the_import(
    make_app: MakeApp, tmp_path: Path
) -> None:
    a, b = make_app(), make_app()
    import_tokens(a.test_cli_runner(), write_themed(tmp_path / "v1", 4, ("light", "dark")))
    client_b = b.test_client()
    first = client_b.get("/tokens.json?theme=dark")
    assert first.get_json()["size"]["gap"]["$value"] == {"value": 8, "unit": "px"}
    tag = first.headers["ETag"]
    assert (
        client_b.get("/tokens.json?theme=dark", headers={"If-None-Match": tag}).status_code == 304
    )

    import_tokens(a.test_cli_runner(), write_themed(tmp_path / "v2", 10, ("light", "dark")))
    clock_caught_up(b)
    second = client_b.get("/tokens.json?theme=dark", headers={"If-None-Match": tag})
    assert second.status_code == 200
    assert second.get_json()["size"]["gap"]["$value"] == {"value": 20, "unit": "px"}
    assert second.headers["ETag"] != tag


def _ask(client: FlaskClient, args: dict[str, str], tag: str | None = None) -> dict[str, Any]:
    """A GET of ``/graphql`` (with ``If-None-Match: tag``): status, ETag and text."""
    headers = {"If-None-Match": tag} if tag else {}
    r = client.get("/graphql", query_string=args, headers=headers)
    return {"status": r.status_code, "etag": r.headers.get("ETag"), "body": r.get_data(True)}


def _caught_up(app: Flask, revision: int) -> None:
    """Wait (5 s at most) until ``app``'s clock knows ``revision``: NOTIFY comes a moment
    after the commit; the answer asserted on then shows whether the process learnt it."""
    clock = app.extensions["tokens_revision_clock"]
    deadline = time.monotonic() + 5
    while (clock.current() or (1 << 62,))[0] < revision and time.monotonic() < deadline:
        time.sleep(0.01)


def second_instance(pipe: Connection, url: str, query: str, variables: str) -> None:
    """The second instance, in its own OS process: warm up, wait for the test's import,
    ask again with the old ETag; one message per step."""
    app = create_app({"TESTING": True, "DATABASE_URL": url})
    client = app.test_client()
    args = {"query": query, "variables": variables}
    first = _ask(client, args)
    pipe.send({"first": first, "again": _ask(client, args, first["etag"])})
    pipe.recv()  # the test has imported new data
    _caught_up(app, int(first["etag"].split("-")[0].strip('"r')) + 1)
    pipe.send({"after": _ask(client, args, first["etag"])})


def test_import_is_seen_by_another_os_process(
    make_app: MakeApp, database_url: str, tmp_path: Path
) -> None:
    a = make_app()
    import_tokens(a.test_cli_runner(), write_themed(tmp_path / "v1", 4, ("light", "dark")))
    child = fork(second_instance, database_url, QUERY, json.dumps(DARK))
    try:
        warm = child.receive()
        assert warm["first"]["status"] == 200
        body = json.loads(warm["first"]["body"])
        assert body["data"]["token"]["resolvedValue"]["value"] == 8
        assert warm["again"]["status"] == 304

        import_tokens(a.test_cli_runner(), write_themed(tmp_path / "v2", 10, ("light", "dark")))
        child.send("go")
        after = child.receive()["after"]
    finally:
        code = child.end()
    assert code == 0
    assert after["status"] == 200
    assert json.loads(after["body"])["data"]["token"]["resolvedValue"]["value"] == 20
    assert after["etag"] != warm["first"]["etag"]


def etag_instance(pipe: Connection, url: str, query: str) -> None:
    """A second instance in its own OS process asks for a component's tokens by GET: once,
    then with the first ETag after each revision the test sends (once its clock knows
    that revision), until the test closes the pipe. One message per answer."""
    app = create_app({"TESTING": True, "DATABASE_URL": url})
    client = app.test_client()
    first = _ask(client, {"query": query})
    pipe.send(first)
    while True:
        try:
            revision = pipe.recv()
        except EOFError:
            return
        _caught_up(app, revision)
        pipe.send(_ask(client, {"query": query}, first["etag"]))


COMPONENT = (
    '{ bg: token(path: "accent.bg") { resolvedValue } gap: token(path: "size.gap") { type } }'
)


def test_a_carried_etag_holds_in_another_os_process(app: Flask, database_url: str) -> None:
    """The writes of this process reach the other's carried response and its ETag."""
    writer = Writer(app.test_client(), make_key(app, "designer", "write"))
    import_mini(writer)

    def update(path: str, value: object) -> int:
        payload = writer.call("updateToken", "UpdateTokenInput", path=path, value=value)
        assert payload["__typename"] == "TokenSuccess", payload
        revision: int = payload["revision"]
        return revision

    child = fork(etag_instance, database_url, COMPONENT)
    try:

        def after(revision: int) -> dict[str, Any]:
            child.send(revision)
            answer: dict[str, Any] = child.receive()
            return answer

        first = child.receive()
        assert first["status"] == 200
        assert "#0969da" in first["body"]
        kept = after(update("color.red.5", "#ff0000"))  # light's accent.bg does not reach it
        assert (kept["status"], kept["etag"]) == (304, first["etag"])
        changed = after(update("color.blue.5", "#000080"))  # accent.bg -> accent.fg -> here
        assert changed["status"] == 200
        assert "#000080" in changed["body"]
        assert changed["etag"] != first["etag"]
    finally:
        code = child.end()
    assert code == 0

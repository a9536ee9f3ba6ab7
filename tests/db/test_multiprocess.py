"""Several server processes on one database, on SQLite and PostgreSQL.

Each ``create_app`` call is one process's worth of state: its own engine, snapshot cache
and response cache. A write through one instance (an import through its CLI) must be seen
by the others on their next request, with no restart and no cache clearing: every request
reads the data revision, which keys both caches and the ETags. The last test runs the
second instance in a real OS process.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from graphql_api.store import db
from graphql_api.store.response_cache import RESPONSE_CACHE_KEY
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

    from flask import Flask
    from flask.testing import FlaskClient
    from werkzeug.test import TestResponse

    MakeApp = Callable[..., Flask]

ROOT = Path(__file__).resolve().parents[2]

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


#: The second instance, in its own OS process: warm up, wait for the parent's import, ask
#: again with the old ETag. One JSON line per step on stdout.
CHILD = textwrap.dedent(
    """
    import json, sys, time
    from graphql_api import create_app

    url, query, variables = sys.argv[1], sys.argv[2], sys.argv[3]
    app = create_app({"TESTING": True, "DATABASE_URL": url})
    client = app.test_client()
    args = {"query": query, "variables": variables}

    def ask(tag=None):
        headers = {"If-None-Match": tag} if tag else {}
        r = client.get("/graphql", query_string=args, headers=headers)
        body = r.get_json() if r.status_code == 200 else None
        return {"status": r.status_code, "etag": r.headers.get("ETag"), "body": body}

    def say(obj):
        print(json.dumps(obj), flush=True)

    first = ask()
    first_revision = int(first["etag"].split("-")[0].strip('"r'))
    say({"first": first, "again": ask(first["etag"])})
    sys.stdin.readline()  # the parent has imported new data
    clock = app.extensions["tokens_revision_clock"]
    deadline = time.monotonic() + 5  # NOTIFY reaches this process a moment after the commit
    while (clock.current() or (1 << 62,))[0] <= first_revision and time.monotonic() < deadline:
        time.sleep(0.01)
    say({"after": ask(first["etag"])})
    """
)


def test_import_is_seen_by_another_os_process(
    make_app: MakeApp, database_url: str, tmp_path: Path
) -> None:
    a = make_app()
    import_tokens(a.test_cli_runner(), write_themed(tmp_path / "v1", 4, ("light", "dark")))
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, database_url, QUERY, json.dumps(DARK)],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        assert child.stdin is not None
        line = child.stdout.readline()
        assert line, child.stderr.read() if child.stderr else ""
        warm = json.loads(line)
        assert warm["first"]["status"] == 200
        assert warm["first"]["body"]["data"]["token"]["resolvedValue"]["value"] == 8
        assert warm["again"]["status"] == 304

        import_tokens(a.test_cli_runner(), write_themed(tmp_path / "v2", 10, ("light", "dark")))
        out, err = child.communicate("go\n", timeout=120)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert child.returncode == 0, err
    after = json.loads(out.strip().splitlines()[-1])["after"]
    assert after["status"] == 200
    assert after["body"]["data"]["token"]["resolvedValue"]["value"] == 20
    assert after["etag"] != warm["first"]["etag"]


#: A second instance in its own OS process asks for a component's tokens by GET: once, then
#: with the first ETag after each revision the parent names on stdin (once its clock knows
#: that revision). One JSON line per answer on stdout.
ETAG_CHILD = textwrap.dedent(
    """
    import json, sys, time
    from graphql_api import create_app

    url, query = sys.argv[1], sys.argv[2]
    app = create_app({"TESTING": True, "DATABASE_URL": url})
    client = app.test_client()
    clock = app.extensions["tokens_revision_clock"]

    def ask(tag=None):
        headers = {"If-None-Match": tag} if tag else {}
        r = client.get("/graphql", query_string={"query": query}, headers=headers)
        return {"status": r.status_code, "etag": r.headers.get("ETag"), "body": r.get_data(True)}

    first = ask()
    print(json.dumps(first), flush=True)
    for line in sys.stdin:
        revision = int(line)
        deadline = time.monotonic() + 5  # NOTIFY arrives a moment after the commit
        while (clock.current() or (1 << 62,))[0] < revision and time.monotonic() < deadline:
            time.sleep(0.01)
        print(json.dumps(ask(first["etag"])), flush=True)
    """
)
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

    child = subprocess.Popen(
        [sys.executable, "-c", ETAG_CHILD, database_url, COMPONENT],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        assert child.stdin is not None

        def after(revision: int) -> dict[str, Any]:
            assert child.stdin is not None
            assert child.stdout is not None
            child.stdin.write(f"{revision}\n")
            child.stdin.flush()
            line = child.stdout.readline()
            assert line, child.stderr.read() if child.stderr else ""
            answer: dict[str, Any] = json.loads(line)
            return answer

        line = child.stdout.readline()
        assert line, child.stderr.read() if child.stderr else ""
        first = json.loads(line)
        assert first["status"] == 200
        assert "#0969da" in first["body"]
        kept = after(update("color.red.5", "#ff0000"))  # light's accent.bg does not reach it
        assert (kept["status"], kept["etag"]) == (304, first["etag"])
        changed = after(update("color.blue.5", "#000080"))  # accent.bg -> accent.fg -> here
        assert changed["status"] == 200
        assert "#000080" in changed["body"]
        assert changed["etag"] != first["etag"]
        child.stdin.close()
        assert child.wait(timeout=60) == 0, child.stderr.read() if child.stderr else ""
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()

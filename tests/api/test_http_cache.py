"""HTTP caching of ``/graphql`` and ``/tokens.json``, on SQLite and PostgreSQL.

- GET responses carry an ``ETag`` (revision + request) and ``Cache-Control`` (``HTTP_MAX_AGE``);
  ``If-None-Match`` naming it answers ``304`` with no body, reading only the revision and
  executing nothing (Strawberry's ``execute_sync`` is counted).
- Any request (GET or POST) is answered from the per-process response cache when the same
  request succeeded at the same revision; errors are never cached; the cache is bounded.
- A write (a new import) bumps the revision: old ETags stop matching, cached bodies are
  no longer served, except a response that read only tokens the write did not change: it
  keeps its body and its ETag (``test_carried_responses.py``).
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import pytest
from sqlalchemy import func, select, update

from graphql_api.store import db
from graphql_api.store.models import Revision
from graphql_api.store.response_cache import RESPONSE_CACHE_KEY
from graphql_api.store.revision_clock import revision_clock
from graphql_api.store.snapshots import snapshot_store
from graphql_api.web import request_body
from graphql_api.web.graphql_http import Seen, SeenRequests, seen_requests
from tests.helpers import (
    SMALL_EXAMPLE,
    assert_num_queries,
    clock_caught_up,
    data_of,
    import_tokens,
    write_themed,
)
from tests.writing import make_key

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from flask import Flask
    from flask.testing import FlaskClient, FlaskCliRunner
    from werkzeug.test import TestResponse

    MakeApp = Callable[..., Flask]

#: A request answered from a cache reads at most the revision (none once the clock knows it).
REVISION_ONLY = 1

PAGE = (
    "query Page($first: Int, $after: String) { tokens(first: $first, after: $after) "
    "{ totalCount edges { node { path } } } }"
)
TWO_OPS = (
    "query Count { tokens { totalCount } } "
    "query First { tokens(first: 1) { edges { node { path } } } }"
)
GAP = (
    "query Gap($theme: [ThemeSelection!]) "
    '{ token(path: "size.gap", theme: $theme) { resolvedValue } }'
)
DARK = [{"modifier": "theme", "context": "dark"}]


# --------------------------------------------------------------------------- fixtures


@pytest.fixture
def themed(app: Flask, runner: FlaskCliRunner, tmp_path: Path) -> Flask:
    """The test's app with the themed document (unit 4 px) imported."""
    import_tokens(runner, write_themed(tmp_path / "themed4", 4))
    return app


def get(
    client: FlaskClient,
    query: str,
    variables: dict[str, Any] | None = None,
    operation_name: str | None = None,
    *,
    if_none_match: str | None = None,
    raw_variables: str | None = None,
) -> TestResponse:
    """GET /graphql with the request in the URL."""
    args: dict[str, str] = {"query": query}
    if raw_variables is not None:
        args["variables"] = raw_variables
    elif variables is not None:
        args["variables"] = json.dumps(variables)
    if operation_name is not None:
        args["operationName"] = operation_name
    headers = {"If-None-Match": if_none_match} if if_none_match is not None else {}
    return client.get("/graphql", query_string=args, headers=headers)


def post(
    client: FlaskClient, query: str, variables: dict[str, Any] | None = None, **extra: Any
) -> TestResponse:
    """POST /graphql with a JSON body."""
    body: dict[str, Any] = {"query": query, **extra}
    if variables is not None:
        body["variables"] = variables
    return client.post("/graphql", json=body)


def engine_of(app: Flask) -> Any:
    return db.get_engine(app)


def first_cursor(client: FlaskClient) -> str:
    """The cursor of the first token (cursors are opaque)."""
    result = post(client, "{ tokens(first: 1) { edges { cursor } } }").get_json()
    cursor: str = data_of(result)["tokens"]["edges"][0]["cursor"]
    return cursor


# --------------------------------------------------------------------------- GET: ETag and 304


def test_get_has_an_etag_and_cache_control(make_app: MakeApp) -> None:
    app = make_app(HTTP_MAX_AGE=120)
    import_tokens(app.test_cli_runner(), SMALL_EXAMPLE)
    response = get(app.test_client(), PAGE, {"first": 2})
    assert response.status_code == 200
    assert data_of(response.get_json())["tokens"]["totalCount"] == 56
    tag = response.headers["ETag"]
    assert tag.startswith('"')  # a strong, quoted entity tag
    assert tag.endswith('"')
    cache = response.headers["Cache-Control"]
    assert "max-age=120" in cache
    assert "no-store" not in cache


def test_default_max_age_is_zero_and_must_revalidate(
    example_app: Flask, example_client: FlaskClient
) -> None:
    response = get(example_client, PAGE, {"first": 1})
    assert "max-age=0" in response.headers["Cache-Control"]
    assert "must-revalidate" in response.headers["Cache-Control"]


def test_if_none_match_answers_304_without_executing(
    example_app: Flask, example_client: FlaskClient, executions: list[str]
) -> None:
    first = get(example_client, PAGE, {"first": 3})
    tag = first.headers["ETag"]
    assert len(executions) == 1
    with assert_num_queries(engine_of(example_app), REVISION_ONLY, at_most=True):
        again = get(example_client, PAGE, {"first": 3}, if_none_match=tag)
    assert again.status_code == 304
    assert again.get_data() == b""
    assert again.headers["ETag"] == tag
    assert "max-age=" in again.headers["Cache-Control"]
    assert len(executions) == 1  # nothing executed


def test_304_needs_neither_response_cache_nor_snapshots(
    make_app: MakeApp, executions: list[str]
) -> None:
    app = make_app(RESPONSE_CACHE_BYTES=0)
    import_tokens(app.test_cli_runner(), SMALL_EXAMPLE)
    client = app.test_client()
    tag = get(client, PAGE, {"first": 3}).headers["ETag"]
    snapshot_store(app).clear()
    with assert_num_queries(engine_of(app), REVISION_ONLY, at_most=True):
        again = get(client, PAGE, {"first": 3}, if_none_match=tag)
    assert again.status_code == 304
    assert len(executions) == 1


def test_etag_depends_on_query_variables_and_operation_name(
    example_app: Flask, example_client: FlaskClient, executions: list[str]
) -> None:
    after = first_cursor(example_client)
    responses = {
        "page1": get(example_client, PAGE, {"first": 1}),
        "page2": get(example_client, PAGE, {"first": 2}),
        "page2-after": get(example_client, PAGE, {"first": 2, "after": after}),
        "other-text": get(example_client, PAGE + " ", {"first": 1}),
        "count": get(example_client, TWO_OPS, operation_name="Count"),
        "first": get(example_client, TWO_OPS, operation_name="First"),
    }
    for name, response in responses.items():
        assert response.status_code == 200, name
        data_of(response.get_json())
    tags = {name: r.headers["ETag"] for name, r in responses.items()}
    assert len(set(tags.values())) == len(tags), tags
    # One request's tag does not validate another request.
    done = len(executions)
    other = get(example_client, PAGE, {"first": 2}, if_none_match=tags["page1"])
    assert other.status_code == 200
    assert len(data_of(other.get_json())["tokens"]["edges"]) == 2
    by_name = get(example_client, TWO_OPS, operation_name="First", if_none_match=tags["count"])
    assert by_name.status_code == 200
    assert "edges" in data_of(by_name.get_json())["tokens"]
    assert len(executions) == done  # both were cached responses, but not 304s


def test_etag_does_not_depend_on_variable_key_order(
    example_app: Flask, example_client: FlaskClient
) -> None:
    after = json.dumps(first_cursor(example_client))
    one = get(example_client, PAGE, raw_variables=f'{{"first": 2, "after": {after}}}')
    two = get(example_client, PAGE, raw_variables=f'{{"after": {after}, "first": 2}}')
    assert one.status_code == two.status_code == 200
    assert len(data_of(one.get_json())["tokens"]["edges"]) == 2
    assert one.headers["ETag"] == two.headers["ETag"]
    three = get(
        example_client,
        PAGE,
        raw_variables=f'{{"after":{after},"first":2}}',
        if_none_match=one.headers["ETag"],
    )
    assert three.status_code == 304


def test_new_import_changes_the_etag(
    small_example: Flask, client: FlaskClient, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    old = get(client, PAGE, {"first": 1})
    old_tag = old.headers["ETag"]
    assert data_of(old.get_json())["tokens"]["totalCount"] == 56
    assert get(client, PAGE, {"first": 1}, if_none_match=old_tag).status_code == 304

    import_tokens(runner, write_themed(tmp_path / "new", 4))
    new = get(client, PAGE, {"first": 1}, if_none_match=old_tag)
    assert new.status_code == 200
    assert data_of(new.get_json())["tokens"] == {
        "totalCount": 2,
        "edges": [{"node": {"path": "size.gap"}}],
    }
    new_tag = new.headers["ETag"]
    assert new_tag != old_tag
    assert get(client, PAGE, {"first": 1}, if_none_match=new_tag).status_code == 304
    assert get(client, PAGE, {"first": 1}, if_none_match=old_tag).status_code == 200


def test_reimport_of_the_same_data_changes_only_the_etags_of_what_it_changed(
    small_example: Flask, client: FlaskClient, runner: FlaskCliRunner
) -> None:
    """A new revision with identical tokens: one that read the revision gets a new ETag.

    A response that read only tokens keeps its ETag (304) when it is carried to the new
    revision (SQLite: the snapshot is carried across the import and nothing changed), and
    gets a new one when it is executed again (PostgreSQL: the snapshot is rebuilt, so
    what changed is not known).
    """
    old = get(client, PAGE, {"first": 1})
    old_tag = old.headers["ETag"]
    with_revision = "{ revision tokens(first: 1) { edges { node { path } } } }"
    old_revision_tag = get(client, with_revision).headers["ETag"]
    import_tokens(runner, SMALL_EXAMPLE)  # a new revision, even with identical data
    kept = get(client, PAGE, {"first": 1}, if_none_match=old_tag)
    plain = get(client, PAGE, {"first": 1})
    assert plain.status_code == 200
    assert plain.get_data() == old.get_data()
    if kept.status_code == 304:
        assert kept.headers["ETag"] == plain.headers["ETag"] == old_tag
    else:
        assert kept.status_code == 200
        assert kept.headers["ETag"] == plain.headers["ETag"] != old_tag
    again = get(client, with_revision, if_none_match=old_revision_tag)
    assert again.status_code == 200
    assert again.headers["ETag"] != old_revision_tag


@pytest.mark.parametrize(
    ("template", "status"),
    [
        pytest.param("{tag}", 304, id="strong"),
        pytest.param("W/{tag}", 304, id="weak"),
        pytest.param("*", 304, id="star"),
        pytest.param('"r0-000000000000000000000000", {tag}', 304, id="list"),
        pytest.param('W/"nope",W/{tag}', 304, id="weak-list"),
        pytest.param('"r0-000000000000000000000000"', 200, id="other"),
        pytest.param('"nope", W/"other"', 200, id="list-without-it"),
        pytest.param("{bare}", 200, id="unquoted"),
    ],
)
def test_if_none_match_forms(
    example_app: Flask,
    example_client: FlaskClient,
    executions: list[str],
    template: str,
    status: int,
) -> None:
    tag = get(example_client, PAGE, {"first": 1}).headers["ETag"]
    header = template.format(tag=tag, bare=tag.strip('"'))
    response = get(example_client, PAGE, {"first": 1}, if_none_match=header)
    assert response.status_code == status
    if status == 304:
        assert response.get_data() == b""
    else:
        assert data_of(response.get_json())["tokens"]["totalCount"] == 56
        assert response.headers["ETag"] == tag
    assert len(executions) == 1  # a 200 here comes from the response cache


def test_errors_on_get_have_no_etag(themed: Flask, client: FlaskClient) -> None:
    response = get(client, GAP, {"theme": [{"modifier": "theme", "context": "nope"}]})
    assert response.status_code == 200
    assert response.get_json()["errors"][0]["extensions"]["code"] == "UNKNOWN_CONTEXT"
    assert "ETag" not in response.headers
    assert response.headers["Cache-Control"] == "no-store"


def test_validation_errors_on_get_have_no_etag(
    example_app: Flask, example_client: FlaskClient
) -> None:
    response = get(example_client, "{ noSuchField }")
    assert response.get_json()["errors"]
    assert "ETag" not in response.headers


# --------------------------------------------------------------------------- POST


def test_post_has_no_etag(example_app: Flask, example_client: FlaskClient) -> None:
    tag = get(example_client, PAGE, {"first": 1}).headers["ETag"]
    for _ in range(2):  # executed, then from the response cache
        response = example_client.post(
            "/graphql",
            json={"query": PAGE, "variables": {"first": 1}},
            headers={"If-None-Match": tag},
        )
        assert response.status_code == 200  # conditional requests are for GET
        assert "ETag" not in response.headers
        assert data_of(response.get_json())["tokens"]["totalCount"] == 56


def test_repeated_post_is_served_from_the_response_cache(
    example_app: Flask, example_client: FlaskClient, executions: list[str]
) -> None:
    first = post(example_client, PAGE, {"first": 5})
    assert len(executions) == 1
    clock_caught_up(example_app, known=True)
    with assert_num_queries(engine_of(example_app), 0):  # the revision is known in memory
        second = post(example_client, PAGE, {"first": 5})
    assert len(executions) == 1
    assert second.get_data() == first.get_data()
    assert second.mimetype == "application/json"
    assert len(data_of(second.get_json())["tokens"]["edges"]) == 5
    # The same request by GET shares the entry, and gets its ETag.
    with assert_num_queries(engine_of(example_app), 0):
        by_get = get(example_client, PAGE, {"first": 5})
    assert len(executions) == 1
    assert by_get.get_data() == first.get_data()
    assert "ETag" in by_get.headers


def test_a_repeated_request_is_answered_without_reading_it_again(
    small_example: Flask,
    client: FlaskClient,
    executions: list[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    decoded: list[str] = []
    real_decode = request_body.decode

    def counting_decode(data: bytes | str, what: str) -> Any:
        decoded.append(what)
        return real_decode(data, what)

    monkeypatch.setattr(request_body, "decode", counting_decode)
    first = post(client, PAGE, {"first": 5})
    first_get = get(client, PAGE, {"first": 5})
    assert (len(executions), len(decoded)) == (1, 2)  # the body, then the GET's variables
    clock_caught_up(small_example, known=True)
    again = post(client, PAGE, {"first": 5})
    again_get = get(client, PAGE, {"first": 5}, if_none_match=first_get.headers["ETag"])
    assert (len(executions), len(decoded)) == (1, 2)  # neither JSON was decoded again
    assert again.get_data() == first.get_data()
    assert again_get.status_code == 304
    # The same bytes are still checked for what is not in them, and follow new revisions.
    body = json.dumps({"query": PAGE, "variables": {"first": 5}})
    assert client.post("/graphql", data=body, content_type="application/json").status_code == 200
    refused = client.post("/graphql", data=body, content_type="text/plain")
    assert refused.status_code == 415
    other = write_themed(tmp_path / "other", 4)
    import_tokens(small_example.test_cli_runner(), other)  # a new revision, other tokens
    after = post(client, PAGE, {"first": 5})
    assert len(executions) == 2
    assert data_of(after.get_json())["tokens"]["totalCount"] == 2


def test_answers_from_the_caches_log_the_operation_an_execution_logs(
    example_app: Flask,
    example_client: FlaskClient,
    executions: list[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    # Issue 13: a response-cache hit or a 304 answered before execution logged
    # "operation": null in its access line.
    anonymous = "{ tokens { totalCount } }"
    with caplog.at_level(logging.INFO, logger="graphql_api.access"):
        post(example_client, PAGE, {"first": 5})  # executed: the document's only operation
        clock_caught_up(example_app, known=True)
        post(example_client, PAGE, {"first": 5})  # the same bytes: answered by answer_seen
        other_bytes = json.dumps({"variables": {"first": 5}, "query": PAGE})
        example_client.post(
            "/graphql", data=other_bytes, content_type="application/json"
        )  # prepare
        tag = get(example_client, PAGE, {"first": 5}).headers["ETag"]  # hit in prepare (new bytes)
        get(example_client, PAGE, {"first": 5}, if_none_match=tag)  # 304 by answer_seen
        get(
            example_client, PAGE, raw_variables='{"first":  5}', if_none_match=tag
        )  # 304 by prepare
        post(example_client, TWO_OPS, operationName="First")  # executed
        post(example_client, TWO_OPS, operationName="First")  # hit
        post(example_client, anonymous)  # executed, anonymous
        post(example_client, anonymous)  # hit
    lines = [json.loads(r.getMessage()) for r in caplog.records if r.name == "graphql_api.access"]
    assert len(executions) == 3
    assert [(line["status"], line["operation"]) for line in lines] == [
        (200, "Page"),
        (200, "Page"),
        (200, "Page"),
        (200, "Page"),
        (304, "Page"),
        (304, "Page"),
        (200, "First"),
        (200, "First"),
        (200, None),
        (200, None),
    ]
    # answered from memory: no statement (the clock knows the revision)
    assert [line["sql"] == 0 for line in lines] == [False, *[True] * 5, False, True, False, True]


def test_seen_requests_are_bounded() -> None:
    seen = SeenRequests(max_entries=2)
    for raw, key in ((b"a", "ka"), (b"b", "kb")):
        seen.put(raw, key, f"Op{key}")
    assert seen.get(b"a") == Seen("ka", "Opka")  # now the most recently used
    seen.put(b"c", "kc")
    assert (seen.get(b"a"), seen.get(b"b"), seen.get(b"c"), len(seen)) == (
        Seen("ka", "Opka"),
        None,
        Seen("kc", None),
        2,
    )


def test_persisted_hashes_are_looked_up_on_every_request(make_app: MakeApp) -> None:
    app = make_app(PERSISTED_QUERIES="allowlist")
    client = app.test_client()
    refused = [post(client, PAGE, {"first": 1}).get_json() for _ in range(2)]
    codes = [r["errors"][0]["extensions"]["code"] for r in refused]
    assert codes == ["PERSISTED_QUERY_NOT_ALLOWED"] * 2
    assert len(seen_requests(app)) == 0  # allowlist mode: each request looks its document up


def test_other_variables_are_not_served_from_the_cache(
    example_app: Flask, example_client: FlaskClient, executions: list[str]
) -> None:
    a = post(example_client, PAGE, {"first": 1})
    b = post(example_client, PAGE, {"first": 2})
    c = post(example_client, TWO_OPS, operationName="Count")
    d = post(example_client, TWO_OPS, operationName="First")
    assert len(executions) == 4
    assert len({r.get_data() for r in (a, b, c, d)}) == 4


def test_responses_with_errors_are_not_cached(
    themed: Flask, client: FlaskClient, executions: list[str]
) -> None:
    bad = [{"modifier": "theme", "context": "nope"}]
    for n in (1, 2):
        result = post(client, GAP, {"theme": bad}).get_json()
        assert result["errors"][0]["extensions"]["code"] == "UNKNOWN_CONTEXT"
        assert len(executions) == n
    assert len(themed.extensions[RESPONSE_CACHE_KEY]) == 0


def test_validation_errors_are_not_cached(
    example_app: Flask, example_client: FlaskClient, executions: list[str]
) -> None:
    for n in (1, 2):
        assert post(example_client, "{ noSuchField }").get_json()["errors"]
        assert len(executions) == n


def test_successful_themed_query_is_cached_per_variables(
    themed: Flask, client: FlaskClient, executions: list[str]
) -> None:
    light = data_of(post(client, GAP).get_json())
    dark = data_of(post(client, GAP, {"theme": DARK}).get_json())
    assert light["token"]["resolvedValue"] == {"value": 4, "unit": "px"}
    assert dark["token"]["resolvedValue"] == {"value": 8, "unit": "px"}
    assert data_of(post(client, GAP, {"theme": DARK}).get_json()) == dark
    assert data_of(post(client, GAP).get_json()) == light
    assert len(executions) == 2


def test_zero_bytes_disables_the_response_cache(make_app: MakeApp, executions: list[str]) -> None:
    app = make_app(RESPONSE_CACHE_BYTES=0)
    import_tokens(app.test_cli_runner(), SMALL_EXAMPLE)
    client = app.test_client()
    first = post(client, PAGE, {"first": 2})
    with assert_num_queries(engine_of(app), REVISION_ONLY):  # the snapshot is still cached
        second = post(client, PAGE, {"first": 2})
    assert len(executions) == 2
    assert first.get_data() == second.get_data()
    cache = app.extensions[RESPONSE_CACHE_KEY]
    assert (cache.size, len(cache)) == (0, 0)
    # GET still gets ETags and 304s.
    tag = get(client, PAGE, {"first": 2}).headers["ETag"]
    assert get(client, PAGE, {"first": 2}, if_none_match=tag).status_code == 304


def test_response_cache_is_bounded(make_app: MakeApp, executions: list[str]) -> None:
    budget = 2_000
    app = make_app(RESPONSE_CACHE_BYTES=budget)
    import_tokens(app.test_cli_runner(), SMALL_EXAMPLE)
    client = app.test_client()
    cache = app.extensions[RESPONSE_CACHE_KEY]
    sizes = []
    for n in range(1, 31):
        sizes.append(len(post(client, PAGE, {"first": n}).get_data()))
        assert cache.size <= budget
    assert sum(sizes) > 3 * budget  # the requests really overflow the budget
    assert 0 < len(cache) < 30
    done = len(executions)
    post(client, PAGE, {"first": 30})  # the newest is kept
    assert len(executions) == done
    post(client, PAGE, {"first": 1})  # the oldest was evicted
    assert len(executions) == done + 1
    assert cache.size <= budget


def test_response_larger_than_the_budget_is_not_cached(
    make_app: MakeApp, executions: list[str]
) -> None:
    app = make_app(RESPONSE_CACHE_BYTES=200)
    import_tokens(app.test_cli_runner(), SMALL_EXAMPLE)
    client = app.test_client()
    big = post(client, PAGE, {"first": 50})
    assert len(big.get_data()) > 200
    assert post(client, PAGE, {"first": 50}).get_data() == big.get_data()
    assert len(executions) == 2
    assert app.extensions[RESPONSE_CACHE_KEY].size == 0


def test_new_import_is_not_answered_from_the_response_cache(
    small_example: Flask,
    client: FlaskClient,
    runner: FlaskCliRunner,
    tmp_path: Path,
    executions: list[str],
) -> None:
    before = data_of(post(client, PAGE, {"first": 1}).get_json())
    post(client, PAGE, {"first": 2})
    assert before["tokens"]["totalCount"] == 56
    import_tokens(runner, write_themed(tmp_path / "new", 4))
    after = data_of(post(client, PAGE, {"first": 1}).get_json())
    assert after["tokens"]["totalCount"] == 2
    assert len(executions) == 3
    cache = small_example.extensions[RESPONSE_CACHE_KEY]
    assert len(cache) == 2  # the stale entry asked for was dropped; the other is not yet
    assert data_of(post(client, PAGE, {"first": 2}).get_json())["tokens"]["totalCount"] == 2
    assert (len(executions), len(cache)) == (4, 2)


def test_variables_beyond_64_bit_integers_are_a_graphql_error(
    example_app: Flask, example_client: FlaskClient
) -> None:
    # JSON integers have no limit; the cache key must not fail on them (was a 500).
    for response in (
        post(example_client, PAGE, {"first": 2**70}),
        get(example_client, PAGE, raw_variables=json.dumps({"first": 2**70})),
    ):
        assert response.status_code == 200
        assert "32-bit" in response.get_json()["errors"][0]["message"]


# --------------------------------------------------------------------------- /tokens.json


def test_tokens_json_has_an_etag_and_answers_304(make_app: MakeApp, tmp_path: Path) -> None:
    app = make_app(HTTP_MAX_AGE=60)
    import_tokens(app.test_cli_runner(), write_themed(tmp_path / "doc", 4))
    client = app.test_client()
    first = client.get("/tokens.json")
    assert first.status_code == 200
    assert first.get_json()["size"]["gap"]["$value"] == {"value": 4, "unit": "px"}
    tag = first.headers["ETag"]
    assert "max-age=60" in first.headers["Cache-Control"]
    snapshot_store(app).clear()  # a 304 must not need the snapshot
    with assert_num_queries(engine_of(app), REVISION_ONLY, at_most=True):
        again = client.get("/tokens.json", headers={"If-None-Match": tag})
    assert again.status_code == 304
    assert again.get_data() == b""
    assert again.headers["ETag"] == tag
    for header in (f"W/{tag}", "*", f'"x", {tag}'):
        assert client.get("/tokens.json", headers={"If-None-Match": header}).status_code == 304
    assert client.get("/tokens.json", headers={"If-None-Match": '"x"'}).status_code == 200


def test_tokens_json_etag_depends_on_the_arguments(themed: Flask, client: FlaskClient) -> None:
    urls = [
        "/tokens.json",
        "/tokens.json?theme=dark",
        "/tokens.json?theme=dim",
        "/tokens.json?theme=theme:dim",
        "/tokens.json?theme=dark&references=keep",
    ]
    responses = {url: client.get(url) for url in urls}
    assert all(r.status_code == 200 for r in responses.values())
    tags = {url: r.headers["ETag"] for url, r in responses.items()}
    assert len(set(tags.values())) == len(urls), tags
    gap = responses["/tokens.json?theme=dark"].get_json()["size"]["gap"]["$value"]
    assert gap == {"value": 8, "unit": "px"}
    # The light document's tag does not validate the dark one.
    dark = client.get("/tokens.json?theme=dark", headers={"If-None-Match": tags["/tokens.json"]})
    assert dark.status_code == 200
    assert dark.get_json()["size"]["gap"]["$value"] == gap
    same = client.get(
        "/tokens.json?theme=dark", headers={"If-None-Match": tags["/tokens.json?theme=dark"]}
    )
    assert same.status_code == 304


def test_tokens_json_etag_changes_with_the_revision(
    themed: Flask, client: FlaskClient, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    old = client.get("/tokens.json?theme=dark")
    old_tag = old.headers["ETag"]
    import_tokens(runner, write_themed(tmp_path / "bigger", 10))
    new = client.get("/tokens.json?theme=dark", headers={"If-None-Match": old_tag})
    assert new.status_code == 200
    assert new.get_json()["size"]["gap"]["$value"] == {"value": 20, "unit": "px"}
    assert new.headers["ETag"] != old_tag
    again = client.get("/tokens.json?theme=dark", headers={"If-None-Match": new.headers["ETag"]})
    assert again.status_code == 304


def test_tokens_json_bad_theme_is_400_without_etag(themed: Flask, client: FlaskClient) -> None:
    response = client.get("/tokens.json?theme=nope")
    assert response.status_code == 400
    assert response.get_json()["errors"][0]["code"] == "UNKNOWN_CONTEXT"
    assert "ETag" not in response.headers


def test_a_revision_number_reused_after_a_reset_gets_a_new_etag(make_app: MakeApp) -> None:
    # A database recreated and written again restarts at revision 1: the write time of
    # the revision keeps the validators of the old and the new data apart.
    app = make_app()
    import_tokens(app.test_cli_runner(), SMALL_EXAMPLE)
    first = get(app.test_client(), PAGE, {"first": 2})
    with app.app_context():
        session = db.get_session()
        assert session.scalar(select(func.max(Revision.id))) == 1
        session.execute(update(Revision).values(created_at=datetime(2001, 2, 3, tzinfo=UTC)))
        session.commit()
    # A real reset writes a new revision row, which is announced (NOTIFY, data_version);
    # this UPDATE stands for it without one, so the process is told as a write would.
    revision_clock(app).invalidate()
    # The same process: neither the 304 check nor its response cache may take the old data.
    again = get(app.test_client(), PAGE, {"first": 2}, if_none_match=first.headers["ETag"])
    assert again.status_code == 200
    assert again.headers["ETag"] != first.headers["ETag"]
    assert again.headers["ETag"].startswith('"r1-')


# --------------------------------------------------------------------------- keys and media types


def test_keyed_reads_are_private_and_vary_on_authorization(make_app: MakeApp) -> None:
    """With READ_REQUIRES_KEY a shared cache must not serve one key's answer to another."""
    app = make_app(READ_REQUIRES_KEY=True, HTTP_MAX_AGE=60)
    key = make_key(app, "reader", "read")
    headers = {"Authorization": f"Bearer {key}"}
    client = app.test_client()
    graphql = client.get("/graphql", query_string={"query": "{ revision }"}, headers=headers)
    assert graphql.status_code == 200
    assert graphql.headers["Cache-Control"].startswith("private, ")
    assert "Authorization" in graphql.headers["Vary"]
    export = client.get("/tokens.json", headers=headers)
    assert export.status_code == 200
    assert export.headers["Cache-Control"].startswith("private, ")
    assert "Authorization" in export.headers["Vary"]
    again = client.get(
        "/graphql",
        query_string={"query": "{ revision }"},
        headers={**headers, "If-None-Match": graphql.headers["ETag"]},
    )
    assert again.status_code == 304
    assert again.headers["Cache-Control"].startswith("private, ")


def test_open_reads_stay_public(example_app: Flask, example_client: FlaskClient) -> None:
    response = get(example_client, "{ revision }")
    assert response.headers["Cache-Control"].startswith("public, ")
    assert "Authorization" not in response.headers.get("Vary", "")


def test_one_etag_for_two_media_types_varies_on_accept(
    example_app: Flask, example_client: FlaskClient
) -> None:
    """The same ETag is sent as application/json and graphql-response+json: Vary: Accept."""
    plain = get(example_client, "{ revision }")
    typed = example_client.get(
        "/graphql",
        query_string={"query": "{ revision }"},
        headers={"Accept": "application/graphql-response+json"},
    )
    assert plain.mimetype != typed.mimetype
    for response in (plain, typed):
        assert "Accept" in [v.strip() for v in response.headers["Vary"].split(",")]


# --------------------------------------------------------------------------- batches


def batch(client: FlaskClient, *operations: dict[str, Any], key: str | None = None) -> TestResponse:
    """POST /graphql with a JSON array of requests (with ``key``: as an API key's holder)."""
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    return client.post("/graphql", json=list(operations), headers=headers)


def page(first: int) -> dict[str, Any]:
    return {"query": PAGE, "variables": {"first": first}}


def test_repeated_batch_is_served_from_the_response_cache(
    example_app: Flask, example_client: FlaskClient, executions: list[str]
) -> None:
    first = batch(example_client, page(1), page(2), {"query": TWO_OPS, "operationName": "Count"})
    assert len(executions) == 3
    clock_caught_up(example_app, known=True)
    with assert_num_queries(engine_of(example_app), 0):  # the revision is known in memory
        second = batch(
            example_client, page(1), page(2), {"query": TWO_OPS, "operationName": "Count"}
        )
    assert len(executions) == 3
    assert second.get_data() == first.get_data()
    results = second.get_json()
    assert [len(data_of(r)["tokens"]["edges"]) for r in results[:2]] == [1, 2]
    assert data_of(results[2])["tokens"]["totalCount"] == 56


def test_a_single_request_and_a_batch_share_one_entry(
    example_app: Flask, example_client: FlaskClient, executions: list[str]
) -> None:
    single = post(example_client, PAGE, {"first": 3})
    assert len(executions) == 1
    both = batch(example_client, page(3), page(4))
    assert len(executions) == 2  # only page(4) ran
    # The batch is the single responses' bytes, in order.
    alone = post(example_client, PAGE, {"first": 4})
    assert len(executions) == 2  # stored by the batch, served to a single request
    assert both.get_data() == b"[" + single.get_data() + b"," + alone.get_data() + b"]"
    by_get = get(example_client, PAGE, {"first": 4})
    assert len(executions) == 2
    assert by_get.get_data() == alone.get_data()
    assert "ETag" in by_get.headers
    assert len(example_app.extensions[RESPONSE_CACHE_KEY]) == 2


def test_errors_and_bad_variables_in_a_batch_are_not_cached(
    themed: Flask, client: FlaskClient, executions: list[str]
) -> None:
    post(client, GAP)  # cached: no variables
    bad = {"query": GAP, "variables": {"theme": [{"modifier": "theme", "context": "nope"}]}}
    for n in (1, 2):
        results = batch(client, bad, {"query": "{ noSuchField }"}).get_json()
        assert results[0]["errors"][0]["extensions"]["code"] == "UNKNOWN_CONTEXT"
        assert results[1]["errors"]
        assert len(executions) == 1 + 2 * n
    assert len(themed.extensions[RESPONSE_CACHE_KEY]) == 1


def test_non_object_variables_in_a_batch_are_a_request_error(
    themed: Flask, client: FlaskClient, executions: list[str]
) -> None:
    """As a single request's are (400), not a crash nor the entry of "no variables"."""
    post(client, GAP)
    results = batch(client, {"query": GAP, "variables": ["dark"]}, {"query": GAP}).get_json()
    assert results[0]["data"] is None
    assert results[0]["errors"][0]["extensions"]["code"] == "BAD_REQUEST"
    assert "variables must be an object or null, not a array" in results[0]["errors"][0]["message"]
    assert data_of(results[1])["token"]["resolvedValue"]["value"] == 4
    assert len(executions) == 1


SET_UNIT = (
    'mutation SetUnit($px: Float!) { updateToken(input: {path: "size.unit", '
    'value: {value: $px, unit: "px"}}) { __typename } }'
)


UNIT = 'query Unit { token(path: "size.unit") { resolvedValue } }'


def set_unit(px: int) -> dict[str, Any]:
    return {"query": SET_UNIT, "variables": {"px": px}}


def test_a_mutation_in_a_batch_is_not_cached_and_invalidates(
    themed: Flask, client: FlaskClient, executions: list[str]
) -> None:
    key = make_key(themed, "writer", "write")
    unit = {"query": UNIT}
    assert data_of(post(client, UNIT).get_json())["token"]["resolvedValue"]["value"] == 4
    results = batch(client, unit, set_unit(5), unit, key=key).get_json()
    assert len(executions) == 3  # UNIT from the cache, the rest ran
    assert data_of(results[0])["token"]["resolvedValue"]["value"] == 4
    assert data_of(results[1])["updateToken"]["__typename"] == "TokenSuccess"
    assert data_of(results[2])["token"]["resolvedValue"]["value"] == 5
    # UNIT at the new revision was stored; the mutation was not (one entry: the old ones dropped).
    assert len(themed.extensions[RESPONSE_CACHE_KEY]) == 1
    assert data_of(post(client, UNIT).get_json())["token"]["resolvedValue"]["value"] == 5
    assert len(executions) == 3
    # After the batch's last mutation, its query's entry serves a single request.
    results = batch(client, set_unit(6), unit, key=key).get_json()
    assert len(executions) == 5
    assert data_of(results[1])["token"]["resolvedValue"]["value"] == 6
    assert data_of(post(client, UNIT).get_json())["token"]["resolvedValue"]["value"] == 6
    assert len(executions) == 5
    # A mutation repeated in a batch runs every time.
    batch(client, set_unit(7), set_unit(7), key=key)
    assert len(executions) == 7

"""Token usage analytics end to end, on SQLite and PostgreSQL.

- What a request records: per path, theme combination, client (header, else operation name,
  else ``(unknown)``; a configurable header) and UTC day; nothing for mutations, ``release:``
  reads, or ``tokens`` without ``edges``; responses from the response cache and 304s count.
- The off switch and sampling; no statement added to a request; no body, variable or
  address stored.
- Writing: the upsert adds to existing rows; the flusher thread writes on its own; a failed
  write breaks no request and its rows are written by the next flush; disposing of the
  app's engine writes what is pending.
- The reports: ``usage``, ``unusedTokens``, ``deprecatedInUse``, and ``tokens usage``.
"""

from __future__ import annotations

import copy
import json
import logging
import random
import sqlite3
import time
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

import pytest
from sqlalchemy import inspect, select
from sqlalchemy.exc import IntegrityError, OperationalError

from graphql_api import usage
from graphql_api.store import db
from graphql_api.store import usage as store
from graphql_api.store.models import TokenUsage
from graphql_api.usage.recorder import utc_today
from tests.helpers import assert_num_queries, data_of, import_tokens
from tests.writing import MINI, Writer, make_key

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from flask import Flask
    from flask.testing import FlaskClient

    MakeApp = Callable[..., Flask]

LIGHT = "theme=light"
DARK = "theme=dark"
THEME_DARK = [{"modifier": "theme", "context": "dark"}]
CLIENT_HEADER = "apollographql-client-name"
#: Every path of the document: 8 in both contexts, ``accent.glow`` in dark only.
PATHS = {
    "color.blue.5",
    "color.red.5",
    "color.gray.1",
    "size.unit",
    "size.gap",
    "accent.fg",
    "accent.bg",
    "border.focus",
    "accent.glow",
}

COMPONENT = (
    'query Button($theme: [ThemeSelection!]) { fg: token(path: "accent.fg", theme: $theme) '
    '{ resolvedValue } gap: token(path: "size.gap", theme: $theme) { resolvedValue } }'
)
USAGE = (
    "query($p: String!, $since: Date, $until: Date) { usage(path: $p, since: $since, "
    "until: $until) { path total firstSeen lastSeen clients { client count lastSeen } "
    "days { day client count } themes { key theme { modifier context } count } } }"
)


def usage_document() -> dict[str, Any]:
    """:data:`MINI` with ``color.red.5`` deprecated everywhere, ``accent.bg`` deprecated in
    dark only, and ``accent.glow`` that exists in dark only."""
    doc = copy.deepcopy(MINI)
    doc["sets"]["base"]["sources"][0]["color"]["red"]["5"]["$deprecated"] = "use accent.fg"
    dark = doc["modifiers"]["theme"]["contexts"]["dark"][0]["accent"]
    dark["bg"]["$deprecated"] = True
    dark["glow"] = {"$value": "#ff0000"}
    return doc


@pytest.fixture
def make(make_app: MakeApp, tmp_path: Path) -> Callable[..., Flask]:
    """``make(**settings)``: an app on the test database holding :func:`usage_document`.

    Its flusher is not due for an hour (tests flush explicitly), and its day is fixed.
    """
    path = tmp_path / "usage.resolver.json"
    path.write_text(json.dumps(usage_document()), encoding="utf-8")
    today = utc_today()
    imported: list[bool] = []

    def build(**settings: Any) -> Flask:
        app = make_app(**{"USAGE_FLUSH_SECONDS": 3600.0, **settings})
        usage.get_state(app).store.recorder.today = lambda: today
        if not imported:
            import_tokens(app.test_cli_runner(), path)
            imported.append(True)
        return app

    return build


@pytest.fixture
def app_(make: Callable[..., Flask]) -> Flask:
    """An app with the default usage settings."""
    return make()


def post(
    client: FlaskClient,
    query: str,
    variables: dict[str, Any] | None = None,
    client_name: str | None = None,
    headers: dict[str, str] | None = None,
) -> Any:
    """The JSON body of a POST to /graphql, with the client-name header if given."""
    sent = dict(headers or {})
    if client_name is not None:
        sent[CLIENT_HEADER] = client_name
    response = client.post(
        "/graphql", json={"query": query, "variables": variables or {}}, headers=sent
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def rows(app: Flask) -> set[tuple[date, str, str, str, int]]:
    """Every stored row (after writing what is pending)."""
    state = usage.get_state(app)
    state.store.flush()
    with state.store.session() as session:
        result = session.execute(
            select(
                TokenUsage.day,
                TokenUsage.path,
                TokenUsage.theme,
                TokenUsage.client,
                TokenUsage.count,
            )
        )
        return {(r[0], r[1], r[2], r[3], int(r[4])) for r in result}


def counts(app: Flask) -> dict[tuple[str, str, str], int]:
    """(path, theme, client) → count, all days together."""
    out: dict[tuple[str, str, str], int] = {}
    for _day, path, theme, client, count in rows(app):
        out[(path, theme, client)] = out.get((path, theme, client), 0) + count
    return out


# --------------------------------------------------------------------------- what is recorded


def test_token_reads_are_counted_per_path_theme_client_and_day(app_: Flask) -> None:
    client = app_.test_client()
    data_of(post(client, COMPONENT, client_name="web"))
    data_of(post(client, COMPONENT, {"theme": THEME_DARK}, client_name="web"))
    data_of(post(client, COMPONENT, {"theme": THEME_DARK}, client_name="ios"))
    unknown = post(client, '{ token(path: "no.such.token") { path } }', client_name="web")
    assert unknown["errors"][0]["extensions"]["code"] == "TOKEN_NOT_FOUND"  # and not counted

    today = utc_today()
    assert rows(app_) == {
        (today, "accent.fg", LIGHT, "web", 1),
        (today, "size.gap", LIGHT, "web", 1),
        (today, "accent.fg", DARK, "web", 1),
        (today, "size.gap", DARK, "web", 1),
        (today, "accent.fg", DARK, "ios", 1),
        (today, "size.gap", DARK, "ios", 1),
    }


def test_client_is_the_header_else_the_operation_name_else_unknown(app_: Flask) -> None:
    client = app_.test_client()
    post(client, COMPONENT, client_name="storybook")
    post(client, COMPONENT, {"theme": THEME_DARK})  # operation "Button"
    post(client, '{ token(path: "color.gray.1") { path } }')  # anonymous
    post(client, COMPONENT, client_name="   ")  # blank header: the operation name

    found = counts(app_)
    assert found[("accent.fg", LIGHT, "storybook")] == 1
    assert found[("accent.fg", DARK, "Button")] == 1
    assert found[("accent.fg", LIGHT, "Button")] == 1
    assert found[("color.gray.1", LIGHT, "(unknown)")] == 1


def test_the_client_header_is_configurable(make: Callable[..., Flask]) -> None:
    app = make(USAGE_CLIENT_HEADER="X-Client")
    client = app.test_client()
    post(client, COMPONENT, client_name="ignored", headers={"X-Client": "figma-plugin"})
    post(client, COMPONENT, {"theme": THEME_DARK}, client_name="ignored")
    found = counts(app)
    assert found[("accent.fg", LIGHT, "figma-plugin")] == 1
    assert found[("accent.fg", DARK, "Button")] == 1
    assert "ignored" not in {c for _p, _t, c in found}


def test_distinct_client_names_per_day_are_capped(make: Callable[..., Flask]) -> None:
    """Each new apollographql-client-name added a usage row per token read, without bound."""
    app = make(USAGE_MAX_CLIENTS=2)
    client = app.test_client()
    for name in ("web", "ios", "spam-1", "spam-2", "web", "spam-3"):
        post(client, COMPONENT, client_name=name)
    found = counts(app)
    clients = {c for path, _t, c in found if path == "accent.fg"}
    assert clients == {"web", "ios", "(other)"}
    assert found[("accent.fg", LIGHT, "web")] == 2
    assert found[("accent.fg", LIGHT, "(other)")] == 3


def test_the_off_switch_records_nothing(make: Callable[..., Flask]) -> None:
    app = make(USAGE_ENABLED=False)
    client = app.test_client()
    for _ in range(3):
        data_of(post(client, COMPONENT, client_name="web"))
    data_of(post(client, "{ tokens { edges { node { path } } } }", client_name="web"))
    state = usage.get_state(app)
    assert state.store.recorder.pending == 0
    assert rows(app) == set()
    # The reports still answer (from what is stored).
    assert data_of(post(client, USAGE, {"p": "accent.fg"}))["usage"]["total"] == 0


def test_sample_rate_zero_records_nothing(make: Callable[..., Flask]) -> None:
    app = make(USAGE_SAMPLE_RATE=0.0)
    client = app.test_client()
    for _ in range(5):
        post(client, COMPONENT, client_name="web")
    assert rows(app) == set()


def test_sampled_requests_are_weighted(make: Callable[..., Flask]) -> None:
    app = make(USAGE_SAMPLE_RATE=0.5)
    usage.get_state(app).store.recorder.rng = random.Random(11)  # noqa: S311
    client = app.test_client()
    for i in range(40):  # distinct requests (no response-cache hit) and cached ones alike
        post(client, COMPONENT, {"theme": THEME_DARK} if i % 2 else None, client_name="web")

    draws = random.Random(11)  # noqa: S311 - the same draws as the recorder's
    sampled = [draws.random() < 0.5 for _ in range(40)]
    found = counts(app)
    assert found.get(("accent.fg", LIGHT, "web"), 0) == 2 * sum(sampled[0::2])
    assert found.get(("accent.fg", DARK, "web"), 0) == 2 * sum(sampled[1::2])
    assert 0 < sum(sampled) < 40


def test_release_reads_are_not_recorded(app_: Flask) -> None:
    writer = Writer(app_.test_client(), make_key(app_, "rel", "write"))
    made = writer.call("createRelease", "CreateReleaseInput", name="1.0.0")
    assert made["__typename"] == "ReleaseSuccess", made
    writer.read(
        '{ token(path: "accent.fg", release: "1.0.0") { path } '
        'tokens(release: "1.0.0") { edges { node { path } } } }'
    )
    assert rows(app_) == set()


def test_mutations_are_not_recorded(app_: Flask) -> None:
    writer = Writer(app_.test_client(), make_key(app_, "w", "write"))
    payload = writer.call("updateToken", "UpdateTokenInput", path="color.gray.1", value="#dddddd")
    assert payload["__typename"] == "TokenSuccess", payload
    assert payload["token"]["path"] == "color.gray.1"
    assert rows(app_) == set()


def test_tokens_count_the_page_only_when_edges_are_read(app_: Flask) -> None:
    client = app_.test_client()
    post(client, "{ tokens { totalCount pageInfo { hasNextPage } } }", client_name="count")
    post(client, "{ tokens(first: 2) { edges { node { path } } } }", client_name="page")
    post(
        client,
        'query { tokens(filter: {pathPrefix: "size"}) { ...E } } '
        "fragment E on TokenConnection { ... on TokenConnection { edges { cursor } } }",
        client_name="fragment",
    )
    found = counts(app_)
    assert {c for _p, _t, c in found} == {"page", "fragment"}
    assert {p for p, _t, c in found if c == "page"} == {"accent.bg", "accent.fg"}
    assert {p for p, _t, c in found if c == "fragment"} == {"size.gap", "size.unit"}


def test_response_cache_hits_and_304s_are_counted(app_: Flask, executions: list[str]) -> None:
    client = app_.test_client()
    for _ in range(3):
        data_of(post(client, COMPONENT, client_name="web"))
    assert len(executions) == 1  # two answers came from the response cache
    query = {"query": COMPONENT, "variables": json.dumps({"theme": THEME_DARK})}
    first = client.get("/graphql", query_string=query, headers={CLIENT_HEADER: "ios"})
    tag = first.headers["ETag"]
    again = client.get(
        "/graphql", query_string=query, headers={"If-None-Match": tag, CLIENT_HEADER: "ios"}
    )
    assert again.status_code == 304
    assert len(executions) == 2

    found = counts(app_)
    assert found[("accent.fg", LIGHT, "web")] == 3
    assert found[("size.gap", LIGHT, "web")] == 3
    assert found[("accent.fg", DARK, "ios")] == 2


def test_reads_of_a_batch_are_counted_per_operation_hit_or_not(
    app_: Flask, executions: list[str]
) -> None:
    """A batch's operations from the response cache count as if they ran, under their names."""
    client = app_.test_client()
    light = {"query": COMPONENT}
    dark = {"query": COMPONENT, "variables": {"theme": THEME_DARK}}
    other = {"query": '{ token(path: "size.unit") { resolvedValue } }'}
    data_of(post(client, COMPONENT))  # a single request fills the entry of `light`
    for _ in range(2):
        response = client.post("/graphql", json=[light, dark, other])
        assert all("errors" not in r for r in response.get_json())
    assert len(executions) == 3  # light once; dark and other in the first batch only

    found = counts(app_)
    assert found[("accent.fg", LIGHT, "Button")] == 3
    assert found[("size.gap", DARK, "Button")] == 2
    assert found[("size.unit", LIGHT, "(unknown)")] == 2


def test_recording_adds_no_statement_to_a_request(app_: Flask) -> None:
    client = app_.test_client()
    post(client, COMPONENT)  # warm: the snapshot is cached
    with assert_num_queries(db.get_engine(app_), 1):  # the revision, nothing else
        post(client, COMPONENT, {"theme": None}, client_name="web")
    assert usage.get_state(app_).store.recorder.pending > 0


def test_no_body_variables_or_address_is_stored(app_: Flask) -> None:
    marker = "a-variable-value-never-stored"
    client = app_.test_client()
    response = client.post(
        "/graphql",
        json={
            "query": "query Q($p: String!) { token(path: $p) { path } }",
            "variables": {"p": "accent.fg", "x": marker},
        },
        environ_base={"REMOTE_ADDR": "203.0.113.7"},
    )
    assert response.status_code == 200
    columns = {c["name"] for c in inspect(db.get_engine(app_)).get_columns("token_usage")}
    assert columns == {"day", "path", "theme", "client", "count"}
    stored = rows(app_)
    assert stored == {(utc_today(), "accent.fg", LIGHT, "Q", 1)}
    assert not any(marker in str(v) or "203.0.113.7" in str(v) for r in stored for v in r)


# --------------------------------------------------------------------------- writing


def test_flush_adds_to_existing_rows(app_: Flask) -> None:
    client = app_.test_client()
    post(client, COMPONENT, client_name="web")
    assert counts(app_)[("accent.fg", LIGHT, "web")] == 1
    post(client, COMPONENT, client_name="web")
    post(client, COMPONENT, client_name="web")
    assert counts(app_)[("accent.fg", LIGHT, "web")] == 3
    key = (utc_today(), "accent.fg", LIGHT, "web")
    with usage.get_state(app_).store.session() as session:
        assert store.write_batch(session, {key: 40}) == 1
    assert counts(app_)[("accent.fg", LIGHT, "web")] == 43
    assert len(rows(app_)) == 2  # still one row per key


def test_a_batch_with_a_refused_row_writes_none(app_: Flask) -> None:
    # PostgreSQL copies the batch in, then upserts it; SQLite upserts it in chunks
    today = utc_today()
    batch: dict[Any, Any] = {
        (today, "accent.fg", LIGHT, "web"): 4,
        (today, "accent.fg", DARK, "web"): 2,
        (today, "size.gap", LIGHT, "web"): None,  # count is NOT NULL
    }
    with usage.get_state(app_).store.session() as session, pytest.raises(IntegrityError):
        store.write_batch(session, batch)
    assert rows(app_) == set()
    del batch[(today, "size.gap", LIGHT, "web")]
    with usage.get_state(app_).store.session() as session:
        assert store.write_batch(session, batch) == 2
        assert store.write_batch(session, batch) == 2  # added to the stored rows
    assert counts(app_) == {("accent.fg", LIGHT, "web"): 8, ("accent.fg", DARK, "web"): 4}


def test_the_flusher_thread_writes_without_an_explicit_call(make: Callable[..., Flask]) -> None:
    app = make(USAGE_FLUSH_SECONDS=0.1)
    post(app.test_client(), COMPONENT, client_name="web")
    state = usage.get_state(app)
    deadline = time.monotonic() + 30
    found = 0
    while time.monotonic() < deadline:
        with state.store.session() as session:
            found = store.count_rows(session)
        if found:
            break
        time.sleep(0.05)
    assert found == 2  # the component's two tokens, written by the thread


def test_a_failed_write_breaks_no_request_and_is_retried(
    app_: Flask, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(*_args: Any) -> int:
        params = {"path": "accent.fg", "client": "web"}
        raise OperationalError("INSERT", params, sqlite3.OperationalError("database is locked"))

    client = app_.test_client()
    state = usage.get_state(app_)
    monkeypatch.setattr(store, "write_batch", broken)  # the flusher imports it when it writes
    data_of(post(client, COMPONENT, client_name="web"))
    with caplog.at_level(logging.WARNING, logger="graphql_api.usage"):
        assert state.store.flush() == 0
    assert state.store.failures == 1
    assert "writing 2 rows failed (OperationalError)" in caplog.text
    assert "accent.fg" not in caplog.text  # no parameters in the log
    data_of(post(client, COMPONENT, {"theme": THEME_DARK}, client_name="web"))
    usage_result = post(client, USAGE, {"p": "accent.fg"})  # flushes first: fails again
    assert data_of(usage_result)["usage"]["total"] == 0
    assert state.store.failures == 2

    monkeypatch.undo()
    found = counts(app_)  # the kept rows and the new ones
    assert found[("accent.fg", LIGHT, "web")] == 1
    assert found[("accent.fg", DARK, "web")] == 1


def test_disposing_of_the_engine_writes_what_is_pending(app_: Flask) -> None:
    post(app_.test_client(), COMPONENT, client_name="web")
    state = usage.get_state(app_)
    assert state.store.recorder.pending > 0
    db.get_engine(app_).dispose()
    assert state.store.recorder.pending == 0
    assert state.store.written == 2


def test_a_forked_child_forgets_what_its_parent_recorded(app_: Flask) -> None:
    post(app_.test_client(), COMPONENT, client_name="web")
    store_ = usage.get_state(app_).store
    assert store_.recorder.pending == 2
    store_.after_fork()  # what the fork hook runs in the child
    assert store_.recorder.pending == 0
    post(app_.test_client(), COMPONENT, {"theme": THEME_DARK}, client_name="child")
    assert set(counts(app_)) == {("accent.fg", DARK, "child"), ("size.gap", DARK, "child")}


# --------------------------------------------------------------------------- reports


def seed(app: Flask, batch: dict[tuple[date, str, str, str], int]) -> None:
    with usage.get_state(app).store.session() as session:
        store.write_batch(session, batch)


def test_usage_by_client_day_and_theme(app_: Flask) -> None:
    d1, d2, d3 = date(2026, 1, 1), date(2026, 1, 2), date(2026, 1, 3)
    seed(
        app_,
        {
            (d1, "accent.fg", LIGHT, "web"): 5,
            (d1, "accent.fg", DARK, "web"): 2,
            (d2, "accent.fg", LIGHT, "ios"): 9,
            (d3, "accent.fg", DARK, "web"): 1,
            (d2, "size.gap", LIGHT, "web"): 100,
        },
    )
    client = app_.test_client()
    result = data_of(post(client, USAGE, {"p": "accent.fg"}))["usage"]
    assert (result["total"], result["firstSeen"], result["lastSeen"]) == (
        17,
        "2026-01-01",
        "2026-01-03",
    )
    assert result["clients"] == [
        {"client": "ios", "count": 9, "lastSeen": "2026-01-02"},
        {"client": "web", "count": 8, "lastSeen": "2026-01-03"},
    ]
    assert result["days"] == [
        {"day": "2026-01-01", "client": "web", "count": 7},
        {"day": "2026-01-02", "client": "ios", "count": 9},
        {"day": "2026-01-03", "client": "web", "count": 1},
    ]
    assert result["themes"] == [
        {"key": LIGHT, "theme": [{"modifier": "theme", "context": "light"}], "count": 14},
        {"key": DARK, "theme": [{"modifier": "theme", "context": "dark"}], "count": 3},
    ]
    ranged = data_of(
        post(client, USAGE, {"p": "accent.fg", "since": "2026-01-02", "until": "2026-01-02"})
    )["usage"]
    assert (ranged["total"], [c["client"] for c in ranged["clients"]]) == (9, ["ios"])
    nothing = data_of(post(client, USAGE, {"p": "gone.token"}))["usage"]
    assert (nothing["total"], nothing["firstSeen"], nothing["days"]) == (0, None, [])


def test_usage_refuses_an_inverted_range(app_: Flask) -> None:
    result = post(
        app_.test_client(), USAGE, {"p": "accent.fg", "since": "2026-02-01", "until": "2026-01-01"}
    )
    assert result["errors"][0]["extensions"]["code"] == "INVALID_ARGUMENT"


def test_usage_sees_reads_just_made_and_is_never_cached(app_: Flask) -> None:
    client = app_.test_client()
    post(client, COMPONENT, client_name="web")
    assert data_of(post(client, USAGE, {"p": "accent.fg"}))["usage"]["total"] == 1
    post(client, COMPONENT, client_name="web")  # a response-cache hit
    assert data_of(post(client, USAGE, {"p": "accent.fg"}))["usage"]["total"] == 2
    response = client.get(
        "/graphql", query_string={"query": '{ usage(path: "accent.fg") { total } }'}
    )
    assert "ETag" not in response.headers
    assert response.headers["Cache-Control"] == "no-store"


def test_unused_tokens(app_: Flask) -> None:
    client = app_.test_client()
    query = "query($s: Date!) { unusedTokens(since: $s) { path type deprecated { reason } } }"
    everything = data_of(post(client, query, {"s": "2020-01-01"}))["unusedTokens"]
    assert [t["path"] for t in everything] == sorted(PATHS)
    glow = next(t for t in everything if t["path"] == "accent.glow")  # only in dark
    assert glow["type"] == "color"

    post(client, COMPONENT, client_name="web")
    post(
        client,
        '{ token(path: "accent.glow", theme: [{modifier: "theme", context: "dark"}]) { path } }',
    )
    seed(app_, {(date(2020, 1, 1), "color.blue.5", LIGHT, "old"): 1})
    today = utc_today()
    unused = data_of(post(client, query, {"s": str(today)}))["unusedTokens"]
    assert [t["path"] for t in unused] == sorted(PATHS - {"accent.fg", "size.gap", "accent.glow"})
    since_2020 = data_of(post(client, query, {"s": "2020-01-01"}))["unusedTokens"]
    assert "color.blue.5" not in {t["path"] for t in since_2020}
    later = data_of(post(client, query, {"s": str(today + timedelta(days=1))}))["unusedTokens"]
    assert len(later) == len(PATHS)


DEPRECATED = (
    "query($s: Date!) { deprecatedInUse(since: $s) { path deprecated { reason } total "
    "lastSeen clients { client count lastSeen } themes { key count } } }"
)


def test_deprecated_in_use_lists_the_clients_to_migrate(app_: Flask) -> None:
    client = app_.test_client()
    red = '{ token(path: "color.red.5") { path } }'
    post(client, red, client_name="web")
    post(client, red, client_name="web")
    post(client, red, client_name="ios")
    bg = 'query($t: [ThemeSelection!]) { token(path: "accent.bg", theme: $t) { path } }'
    post(client, bg, {"t": THEME_DARK}, client_name="android")  # deprecated in dark
    post(client, bg, client_name="web")  # not deprecated in light: not listed
    post(client, COMPONENT, client_name="web")  # nothing deprecated
    seed(app_, {(date(2020, 1, 1), "color.red.5", LIGHT, "legacy"): 50})  # before `since`

    today = str(utc_today())
    found = data_of(post(client, DEPRECATED, {"s": today}))["deprecatedInUse"]
    assert found == [
        {
            "path": "color.red.5",
            "deprecated": {"reason": "use accent.fg"},
            "total": 3,
            "lastSeen": today,
            "clients": [
                {"client": "web", "count": 2, "lastSeen": today},
                {"client": "ios", "count": 1, "lastSeen": today},
            ],
            "themes": [{"key": LIGHT, "count": 3}],
        },
        {
            "path": "accent.bg",
            "deprecated": {"reason": None},
            "total": 1,
            "lastSeen": today,
            "clients": [{"client": "android", "count": 1, "lastSeen": today}],
            "themes": [{"key": DARK, "count": 1}],
        },
    ]
    older = data_of(post(client, DEPRECATED, {"s": "2020-01-01"}))["deprecatedInUse"]
    assert older[0]["path"] == "color.red.5"
    assert older[0]["total"] == 53
    assert older[0]["clients"][0] == {"client": "legacy", "count": 50, "lastSeen": "2020-01-01"}


def test_deprecated_in_use_skips_theme_combinations_that_are_gone(app_: Flask) -> None:
    seed(
        app_,
        {
            (utc_today(), "color.red.5", "theme=removed", "web"): 4,
            (utc_today(), "color.red.5", "", "web"): 1,
        },
    )
    found = data_of(post(app_.test_client(), DEPRECATED, {"s": str(utc_today())}))
    assert found["deprecatedInUse"][0]["total"] == 1  # "" = defaults: still deprecated


# --------------------------------------------------------------------------- command line


def test_cli_usage_of_a_path(app_: Flask) -> None:
    client = app_.test_client()
    post(client, COMPONENT, client_name="web")
    post(client, COMPONENT, {"theme": THEME_DARK}, client_name="ios")
    seed(app_, {(utc_today() - timedelta(days=90), "accent.fg", LIGHT, "old"): 7})
    runner = app_.test_cli_runner()

    result = runner.invoke(args=["tokens", "usage", "accent.fg"])
    assert result.exit_code == 0, result.output
    assert "accent.fg: 2 requests" in result.output
    assert "theme=dark" in result.output
    assert "old" not in result.output  # 90 days ago: before the default 30 days
    lines = result.output.splitlines()
    assert any(line.split() == ["web", "1", str(utc_today())] for line in lines)

    as_json = runner.invoke(
        args=["tokens", "usage", "accent.fg", "--json", "--since", "2000-01-01"]
    )
    assert as_json.exit_code == 0, as_json.output
    body = json.loads(as_json.output)
    assert body["total"] == 9
    assert {c["client"]: c["count"] for c in body["clients"]} == {"old": 7, "web": 1, "ios": 1}


def test_cli_unused_and_deprecated_in_use(app_: Flask) -> None:
    client = app_.test_client()
    post(client, COMPONENT, client_name="web")
    post(client, '{ token(path: "color.red.5") { path } }', client_name="ios")
    runner = app_.test_cli_runner()

    unused = runner.invoke(args=["tokens", "usage", "--unused"])
    assert unused.exit_code == 0, unused.output
    listed = {line.split()[0] for line in unused.output.splitlines()[1:-1]}
    assert listed == PATHS - {"accent.fg", "size.gap", "color.red.5"}
    assert unused.output.splitlines()[-1].startswith("6 tokens not requested since")
    as_json = json.loads(runner.invoke(args=["tokens", "usage", "--unused", "--json"]).output)
    assert {t["path"] for t in as_json["tokens"]} == listed

    dep = runner.invoke(
        args=["tokens", "usage", "--deprecated-in-use", "--since", str(utc_today())]
    )
    assert dep.exit_code == 0, dep.output
    assert "color.red.5" in dep.output
    assert "ios (1)" in dep.output
    assert "use accent.fg" in dep.output
    dep_json = json.loads(
        runner.invoke(args=["tokens", "usage", "--deprecated-in-use", "--json"]).output
    )
    assert [t["path"] for t in dep_json["tokens"]] == ["color.red.5"]
    assert dep_json["tokens"][0]["clients"][0]["client"] == "ios"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--since", "2026-13-01", "accent.fg"], "does not match the format"),
        (["--until", "yesterday", "accent.fg"], "does not match the format"),
        (["--since", "2026-02-01", "--until", "2026-01-01", "accent.fg"], "is after --until"),
        ([], "exactly one of PATH, --unused or --deprecated-in-use"),
        (["accent.fg", "--unused"], "exactly one of"),
        (["--unused", "--until", "2026-01-01"], "--until goes with PATH only"),
    ],
)
def test_cli_usage_refuses_bad_arguments(app_: Flask, args: list[str], message: str) -> None:
    result = app_.test_cli_runner().invoke(args=["tokens", "usage", *args])
    assert result.exit_code == 2
    assert message in result.output

"""The current revision known in memory (:mod:`graphql_api.store.revision_clock`).

A response-cache hit or a 304 reads no database and opens no session; a process sees its
own writes at once; another process's writes reach it through PostgreSQL NOTIFY or
SQLite's ``data_version``, and a lost notification is caught by the fallback check
within ``REVISION_FALLBACK_SECONDS``. Two app instances on one database stand for two
servers (each has its own engine, caches and clock).
"""

from __future__ import annotations

import json
import time
from typing import TYPE_CHECKING, Any

from sqlalchemy import event

from graphql_api.store import db, notify
from graphql_api.store.revision_clock import revision_clock
from tests.helpers import clock_caught_up, count_statements, data_of
from tests.writing import Writer, import_mini, make_key

if TYPE_CHECKING:
    from collections.abc import Callable

    import pytest
    from flask import Flask
    from flask.testing import FlaskClient

QUERY = '{ token(path: "size.unit") { resolvedValue } }'


def unit(client: FlaskClient, tag: str | None = None) -> Any:
    headers = {"If-None-Match": tag} if tag else {}
    return client.get("/graphql", query_string={"query": QUERY}, headers=headers)


def unit_px(client: FlaskClient) -> float:
    return float(data_of(unit(client).get_json())["token"]["resolvedValue"]["value"])


def set_unit(writer: Writer, px: float) -> int:
    payload = writer.call(
        "updateToken", "UpdateTokenInput", path="size.unit", value={"value": px, "unit": "px"}
    )
    assert payload["__typename"] == "TokenSuccess", payload
    return int(payload["revision"])


def lose_notifications(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every NOTIFY reaches the listener as if it were another schema's (so it is ignored)."""
    monkeypatch.setattr(notify, "parse_payload", lambda _payload: None)


def test_a_hit_and_a_304_open_no_session_and_no_connection(
    make_app: Callable[..., Flask], monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app()
    import_mini(Writer(app.test_client(), make_key(app, "designer", "write")))
    client = app.test_client()
    first = unit(client)
    assert first.status_code == 200
    clock_caught_up(app, known=True)
    sessions: list[int] = []
    real = db.get_session

    def counting_session() -> Any:
        sessions.append(1)
        return real()

    monkeypatch.setattr(db, "get_session", counting_session)
    checkouts: list[int] = []
    engine = db.get_engine(app)
    listener = lambda *_args: checkouts.append(1)  # noqa: E731
    event.listen(engine, "checkout", listener)
    try:
        with count_statements(engine) as log:
            again = unit(client)
            not_modified = unit(client, first.headers["ETag"])
    finally:
        event.remove(engine, "checkout", listener)
    assert (again.status_code, not_modified.status_code) == (200, 304)
    assert again.get_data() == first.get_data()
    assert (len(log), sessions, checkouts) == (0, [], [])


def test_own_write_is_read_at_once_without_any_notification(
    make_app: Callable[..., Flask], monkeypatch: pytest.MonkeyPatch
) -> None:
    lose_notifications(monkeypatch)
    app = make_app(REVISION_FALLBACK_SECONDS=3600.0)  # the fallback check never comes
    writer = Writer(app.test_client(), make_key(app, "designer", "write"))
    import_mini(writer)
    client = app.test_client()
    assert unit_px(client) == 4
    clock_caught_up(app, known=True)
    assert unit_px(client) == 4  # from the response cache
    revision = set_unit(writer, 6)
    assert unit_px(client) == 6  # the very next request, by the same process
    current = revision_clock(app).current()
    assert current is None or current[0] == revision


def test_two_servers_on_one_database(make_app: Callable[..., Flask]) -> None:
    a, b = make_app(), make_app()
    writer = Writer(a.test_client(), make_key(a, "designer", "write"))
    import_mini(writer)
    reader = b.test_client()
    tag = unit(reader).headers["ETag"]
    clock_caught_up(b, known=True)
    assert unit(reader, tag).status_code == 304
    set_unit(writer, 7)
    answers = _until_changed(reader, tag, seconds=5.0)
    assert answers[-1].status_code == 200
    assert data_of(answers[-1].get_json())["token"]["resolvedValue"]["value"] == 7
    if db.get_engine(b).dialect.name == "sqlite":
        assert len(answers) == 1  # data_version is checked on every request: never stale


def test_a_lost_notification_is_caught_by_the_fallback_check(
    make_app: Callable[..., Flask], monkeypatch: pytest.MonkeyPatch
) -> None:
    bound = 0.3
    a, b = make_app(), make_app(REVISION_FALLBACK_SECONDS=bound)
    writer = Writer(a.test_client(), make_key(a, "designer", "write"))
    import_mini(writer)
    reader = b.test_client()
    tag = unit(reader).headers["ETag"]
    clock_caught_up(b, known=True)
    lose_notifications(monkeypatch)
    set_unit(writer, 9)
    answers = _until_changed(reader, tag, seconds=20 * bound)
    assert answers[-1].status_code == 200
    assert data_of(answers[-1].get_json())["token"]["resolvedValue"]["value"] == 9
    assert all(r.status_code == 304 for r in answers[:-1])  # stale meanwhile, never wrong


def _until_changed(client: FlaskClient, tag: str, *, seconds: float) -> list[Any]:
    """Conditional GETs until one is not a 304 (or ``seconds`` pass); every answer."""
    answers = []
    deadline = time.monotonic() + seconds
    while True:
        answers.append(unit(client, tag))
        if answers[-1].status_code != 304 or time.monotonic() > deadline:
            return answers
        time.sleep(0.02)


def test_healthz_reports_the_clock_and_the_snapshot_cache(
    make_app: Callable[..., Flask],
) -> None:
    app = make_app(SNAPSHOT_CACHE_BYTES=1 << 20)
    import_mini(Writer(app.test_client(), make_key(app, "designer", "write")))
    client = app.test_client()
    unit(client)
    body = json.loads(client.get("/healthz").get_data())
    assert body["revisionClock"]["mechanism"] in {"listen", "data_version"}
    snapshots = body["snapshots"]
    assert snapshots["snapshots"] == 1
    assert 0 < snapshots["bytes"] <= snapshots["maxBytes"] == 1 << 20

"""Operations: request ids, logs without secrets, headers, health, masked errors, faults."""

from __future__ import annotations

import json
import logging
import sqlite3
import sys
from typing import TYPE_CHECKING, Any

import pytest
from flask.logging import default_handler
from sqlalchemy.exc import OperationalError

from graphql_api import create_app
from graphql_api.store import db, layer_cache
from graphql_api.web import observability
from graphql_api.web.observability import MigrationsBehindError
from tests.helpers import count_statements
from tests.writing import Writer, import_mini, make_key

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from flask import Flask

    MakeApp = Callable[..., Flask]

QUERY = {"query": "query Rev { revision }"}


def test_request_ids_are_echoed_or_made(app: Flask) -> None:
    client = app.test_client()
    echoed = client.post("/graphql", json=QUERY, headers={"X-Request-Id": "build-42.a"})
    assert echoed.headers["X-Request-Id"] == "build-42.a"
    made = client.post("/graphql", json=QUERY, headers={"X-Request-Id": "<script>"})
    assert made.headers["X-Request-Id"] != "<script>"
    assert len(made.headers["X-Request-Id"]) == 32  # a fresh uuid4, hex


def test_security_headers(app: Flask) -> None:
    client = app.test_client()
    for response in (client.post("/graphql", json=QUERY), client.get("/healthz")):
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "no-referrer"
        assert "default-src 'none'" in response.headers["Content-Security-Policy"]
    page = client.get("/graphql", headers={"Accept": "text/html"})
    csp = page.headers["Content-Security-Policy"]
    assert "script-src 'self' 'sha256-" in csp
    assert "frame-ancestors 'none'" in csp
    assert "unsafe-eval" not in csp


def test_one_log_line_per_request_without_secrets(app: Flask, caplog: Any) -> None:
    key = make_key(app, "ci", "write")
    with caplog.at_level(logging.INFO, logger="graphql_api.access"):
        response = app.test_client().post(
            "/graphql", json=QUERY, headers={"Authorization": f"Bearer {key}"}
        )
    lines = [json.loads(r.getMessage()) for r in caplog.records if r.name == "graphql_api.access"]
    assert len(lines) == 1
    line = lines[0]
    assert line["id"] == response.headers["X-Request-Id"]
    assert (line["method"], line["path"], line["operation"], line["status"]) == (
        "POST",
        "/graphql",
        "Rev",
        200,
    )
    assert line["sql"] >= 1  # the key lookup and the revision, at least
    assert line["ms"] >= 0
    secret = key.split("_", 2)[2]
    assert secret not in caplog.text
    assert "revision" not in caplog.text  # no request body either


def test_the_access_line_counts_the_statements_its_request_ran(app: Flask, caplog: Any) -> None:
    key = make_key(app, "ci-bot", "write")
    writer = Writer(app.test_client(), key)
    with (
        caplog.at_level(logging.INFO, logger="graphql_api.access"),
        count_statements(db.get_engine(app)) as ran,
    ):
        import_mini(writer)  # the key, the revision, the document's rows
    lines = [json.loads(r.getMessage()) for r in caplog.records if r.name == "graphql_api.access"]
    assert [line["operation"] for line in lines] == [None]  # an anonymous mutation
    assert lines[0]["sql"] == len(ran) > 3
    # The key's principal reached the resolvers (RequestContext.principal): the author.
    changes = writer.read("{ changes(first: 100) { edges { node { author } } } }")
    assert {e["node"]["author"] for e in changes["changes"]["edges"]} == {"ci-bot"}


def test_access_line_is_written_to_stderr_once(
    app: Flask, capsys: pytest.CaptureFixture[str]
) -> None:
    # Outside pytest (whose root handler stops it), Flask puts its default handler on the
    # app's logger, the access logger's parent: the line was written twice, once more with
    # a "[time] INFO in observability:" prefix.
    assert app.logger.name == "graphql_api"
    app.logger.addHandler(default_handler)
    capsys.readouterr()
    try:
        response = app.test_client().post("/graphql", json=QUERY)
    finally:
        app.logger.removeHandler(default_handler)
    rid = response.headers["X-Request-Id"]
    err = capsys.readouterr().err
    assert [json.loads(x)["id"] for x in err.splitlines() if rid in x] == [rid]


def test_an_access_line_only_its_handler_sees_is_written_without_a_record(
    app: Flask, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """As served (no host logging configuration): the line is written as it is, and a
    handler added anywhere on the way to the root gets the record again."""
    monkeypatch.setattr(logging.root, "handlers", [])  # pytest's capture handlers
    monkeypatch.setattr(app.logger, "handlers", [default_handler])  # as Flask leaves it
    made: list[str] = []
    real = observability.ACCESS_LOG.makeRecord

    def counting(*args: Any, **kwargs: Any) -> logging.LogRecord:
        made.append(args[4])
        return real(*args, **kwargs)

    monkeypatch.setattr(observability.ACCESS_LOG, "makeRecord", counting)
    client = app.test_client()
    capsys.readouterr()
    first = client.post("/graphql", json=QUERY).headers["X-Request-Id"]
    err = capsys.readouterr().err
    assert [json.loads(x)["id"] for x in err.splitlines() if first in x] == [first]
    assert made == []

    class Collect(logging.Handler):
        def __init__(self) -> None:
            super().__init__()
            self.seen: list[str] = []

        def emit(self, record: logging.LogRecord) -> None:
            self.seen.append(record.getMessage())

    host = Collect()
    monkeypatch.setattr(logging.root, "handlers", [host])
    second = client.post("/graphql", json=QUERY).headers["X-Request-Id"]
    err = capsys.readouterr().err
    assert [json.loads(x)["id"] for x in err.splitlines() if second in x] == [second]
    assert [json.loads(m)["id"] for m in host.seen] == [second]
    assert len(made) == 1


def test_stderr_handler_writes_messages_as_the_formatter_would(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A plain message is written as it is; arguments, exceptions and another formatter
    still go through ``format``."""
    handler = observability.StderrHandler()
    try:
        raise ValueError("boom")
    except ValueError:
        failed = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed", (), sys.exc_info())
    records = [
        logging.LogRecord("x", logging.INFO, __file__, 1, '{"id":"a"}', (), None),
        logging.LogRecord("x", logging.INFO, __file__, 1, "%s=%d", ("n", 3), None),
        failed,
    ]
    capsys.readouterr()
    for record in records:
        handler.emit(record)
    handler.setFormatter(logging.Formatter("[%(levelname)s] %(message)s"))
    handler.emit(records[0])
    err = capsys.readouterr().err
    assert err.startswith('{"id":"a"}\nn=3\nfailed\nTraceback')
    assert "ValueError: boom" in err
    assert err.endswith('[INFO] {"id":"a"}\n')


def test_health_and_readiness(app: Flask) -> None:
    client = app.test_client()
    health = client.get("/healthz").get_json()
    assert health["status"] == "ok"
    assert health["snapshots"]["snapshots"] == 0  # what the process holds, no database read
    not_ready = client.get("/readyz")  # tables made by create_all: no Alembic revision
    assert not_ready.status_code == 503
    assert not_ready.get_json()["errors"][0]["extensions"]["code"] == "MIGRATIONS_PENDING"


def test_unexpected_errors_are_masked_with_the_request_id(
    app: Flask, monkeypatch: pytest.MonkeyPatch, caplog: Any
) -> None:
    def boom(*_args: Any) -> Any:
        raise RuntimeError("SELECT secret FROM api_key")

    monkeypatch.setattr(layer_cache, "load", boom)
    app.test_client().post("/graphql", json={"query": "{ revision }"})  # warm the catalog
    with caplog.at_level(logging.ERROR):
        response = app.test_client().post("/graphql", json={"query": "{ tokens { totalCount } }"})
    body = response.get_json()
    error = body["errors"][0]
    assert error["message"] == "Unexpected error."
    assert error["extensions"] == {
        "code": "INTERNAL_SERVER_ERROR",
        "requestId": response.headers["X-Request-Id"],
    }
    assert "secret" not in response.get_data(as_text=True)
    assert response.headers["X-Request-Id"] in caplog.text  # the log has it, and the cause
    assert "SELECT secret" in caplog.text


def test_a_database_failure_mid_request_is_503(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    def down(*_args: Any) -> Any:
        raise OperationalError("SELECT 1", {}, sqlite3.OperationalError("unable to open"))

    app.test_client().post("/graphql", json={"query": "{ revision }"})
    monkeypatch.setattr(layer_cache, "load", down)
    response = app.test_client().post("/graphql", json={"query": "{ tokens { totalCount } }"})
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    error = response.get_json()["errors"][0]
    assert error["extensions"]["code"] == "DATABASE_UNAVAILABLE"
    assert "unable to open" not in error["message"]


def test_unreachable_at_start_then_recovers_without_restart(tmp_path: Path) -> None:
    folder = tmp_path / "later"
    url = f"sqlite:///{folder / 'tokens.sqlite3'}"  # the folder does not exist yet
    app = create_app({"TESTING": True, "DATABASE_URL": url})  # starts anyway
    client = app.test_client()
    down = client.post("/graphql", json=QUERY)
    assert down.status_code == 503
    assert down.get_json()["errors"][0]["extensions"]["code"] == "DATABASE_UNAVAILABLE"
    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code == 503
    folder.mkdir()
    from graphql_api.store import db  # noqa: PLC0415
    from graphql_api.store.models import Base  # noqa: PLC0415

    Base.metadata.create_all(db.get_engine(app))
    up = client.post("/graphql", json=QUERY)
    assert up.status_code == 200
    assert up.get_json() == {"data": {"revision": 0}}


def test_sqlite_locked_past_the_busy_timeout_is_a_clear_503(tmp_path: Path) -> None:
    """SQLite only (PostgreSQL writers queue on the advisory lock instead)."""
    from graphql_api.store import db  # noqa: PLC0415
    from graphql_api.store.models import Base  # noqa: PLC0415

    app = create_app(
        {
            "TESTING": True,
            "SQLITE_BUSY_TIMEOUT_MS": 200,
            "DATABASE_URL": f"sqlite:///{tmp_path / 'locked.sqlite3'}",
        }
    )
    Base.metadata.create_all(db.get_engine(app))
    key = make_key(app, "ci", "write")

    holder = db.get_engine(app).raw_connection()
    holder.execute("BEGIN IMMEDIATE")  # another writer holds the lock
    try:
        response = app.test_client().post(
            "/graphql",
            headers={"Authorization": f"Bearer {key}"},
            json={
                "query": 'mutation { createModifier(input: {name: "m", contexts: ["a"]}) '
                "{ __typename } }"
            },
        )
        assert response.status_code == 503
        assert "busy" in response.get_json()["errors"][0]["message"]
        read = app.test_client().post("/graphql", json=QUERY)  # readers are not blocked (WAL)
        assert read.status_code == 200
    finally:
        holder.rollback()
        holder.close()


def test_a_database_behind_the_migrations_stops_the_start(tmp_path: Path) -> None:
    from alembic import command  # noqa: PLC0415

    from tests.db.test_migrations import alembic_config  # noqa: PLC0415

    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    config = alembic_config()
    config.set_main_option("sqlalchemy.url", url)
    command.upgrade(config, "0004")
    with pytest.raises(MigrationsBehindError, match="alembic upgrade head"):
        create_app({"TESTING": True, "DATABASE_URL": url})
    command.upgrade(config, "head")
    ready = create_app({"TESTING": True, "DATABASE_URL": url}).test_client().get("/readyz")
    assert ready.status_code == 200

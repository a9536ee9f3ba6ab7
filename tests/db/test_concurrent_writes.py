"""Concurrent writers in separate OS processes lose no update, on SQLite and PostgreSQL.

Four processes forked from the test (as gunicorn forks its workers) increment one counter
token with read-modify-write and ``expectedRevision``: a writer whose revision went stale
gets a ``Conflict`` and retries, so the final value is exactly the number of increments. Blind
writers (no ``expectedRevision``) creating tokens of their own all land too. The
statistics (conflicts, seconds) are printed for the notes (``pytest -s``).
"""

from __future__ import annotations

import multiprocessing
import secrets
import sys
from typing import TYPE_CHECKING, Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from graphql_api.store.db import lock_writes
from tests.conftest import _require_postgres
from tests.db import concurrent_writer
from tests.forking import fork
from tests.writing import Writer, make_key

if TYPE_CHECKING:
    from flask import Flask

PROCESSES = 4
WRITES = 10
COUNTER = {
    "version": "2025.10",
    "sets": {"base": {"sources": [{"counter": {"$type": "number", "$value": 0}}]}},
    "resolutionOrder": [{"$ref": "#/sets/base"}],
}


def run_writers(url: str, key: str, mode: str) -> list[dict[str, Any]]:
    """Fork the writer processes, let them start together, and collect their statistics."""
    start = multiprocessing.get_context("fork").Barrier(PROCESSES)
    children = [
        fork(concurrent_writer.child, start, url, key, mode, WRITES, f"w{i}")
        for i in range(PROCESSES)
    ]
    try:
        return [child.receive() for child in children]
    finally:
        for child in children:
            child.end()


def test_parallel_read_modify_write_loses_no_update(app: Flask, database_url: str) -> None:
    w = Writer(app.test_client(), make_key(app, "workers", "write"))
    assert w.call("importTokens", "TokenSourceInput", document=COUNTER)["revision"] == 1
    stats = run_writers(database_url, w.key or "", "counter")
    assert w.resolved("counter") == PROCESSES * WRITES
    revisions = sorted(r for s in stats for r in s["revisions"])
    assert revisions == list(range(2, 2 + PROCESSES * WRITES))  # one revision per write
    log = w.read("{ changes(since: 1, first: 1000) { edges { node { before after } } } }")
    entries = [e["node"] for e in log["changes"]["edges"]]
    assert len(entries) == PROCESSES * WRITES
    # each write saw the value the previous one left: a chain 0 → 1 → … → 40
    assert [(e["before"]["$value"], e["after"]["$value"]) for e in entries] == [
        (n, n + 1) for n in range(PROCESSES * WRITES)
    ]
    conflicts = sum(s["conflicts"] for s in stats)
    seconds = max(s["seconds"] for s in stats)
    sys.stdout.write(
        f"\n{PROCESSES}x{WRITES} increments: {conflicts} conflicts retried, {seconds:.2f} s\n"
    )


def test_parallel_blind_writers_all_land(app: Flask, database_url: str) -> None:
    w = Writer(app.test_client(), make_key(app, "workers", "write"))
    w.call("importTokens", "TokenSourceInput", document=COUNTER)
    run_writers(database_url, w.key or "", "blind")
    paths = set(w.all_tokens())
    expected = {f"blind.w{i}.{n}" for i in range(PROCESSES) for n in range(WRITES)}
    assert expected <= paths
    assert w.revision() == 1 + PROCESSES * WRITES


@pytest.mark.postgres
def test_postgres_writers_in_other_schemas_do_not_wait() -> None:
    """The write lock is per schema: a writer holding it blocks its own schema only."""
    server = make_url(_require_postgres())
    names = [f"t_lock_{secrets.token_hex(4)}" for _ in range(2)]
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        for name in names:
            conn.execute(text(f"CREATE SCHEMA {name}"))
    engines = [
        create_engine(server.update_query_dict({"options": f"-csearch_path={name}"}))
        for name in (names[0], names[1], names[0])
    ]
    try:
        holder, other_schema, same_schema = (Session(e) for e in engines)
        lock_writes(holder)  # held until holder's transaction ends
        other_schema.execute(text("SET lock_timeout = '2s'"))
        lock_writes(other_schema)  # another schema: taken at once
        other_schema.rollback()
        same_schema.execute(text("SET LOCAL lock_timeout = '200ms'"))
        with pytest.raises(OperationalError, match="lock timeout"):
            lock_writes(same_schema)
        same_schema.rollback()
        holder.rollback()
        for session in (holder, other_schema, same_schema):
            session.close()
    finally:
        for engine in engines:
            engine.dispose()
        with admin.connect() as conn:
            for name in names:
                conn.execute(text(f"DROP SCHEMA {name} CASCADE"))
        admin.dispose()

"""Shared fixtures: a fresh database per test, on SQLite and on PostgreSQL.

Fixtures:
    database_url: URL of a database with every table of the models and no rows,
        parametrized ``sqlite`` / ``postgresql``. Creating the tables costs more than most
        tests, so it is done once per test process (per xdist worker): SQLite tests get a
        copy of a template file made with ``create_all``; PostgreSQL tests share one schema
        (``t_<random>``, dropped at the end of the run) whose rows are deleted and sequences
        restarted before each test (a fresh schema when that cannot be done, e.g. a lock
        held by a connection a failed test left open). The URL selects the schema through
        ``options=-csearch_path=...``, so every engine made from the URL uses it. The server
        comes from ``TOKENS_TEST_POSTGRES_URL`` (default
        ``postgresql+psycopg://postgres@127.0.0.1:5432/test``); when it cannot be reached the
        test is skipped, or fails if ``TOKENS_REQUIRE_POSTGRES=1``.
    empty_database_url: URL of an empty database (no tables), for the migration tests; a
        schema of its own on PostgreSQL, dropped afterwards.
    app: ``create_app`` on ``database_url``.
    client, runner: Flask's test client and CLI runner for ``app``.
    session: a ``Session`` on the app's engine, closed after the test.

Run only SQLite with ``-m "not postgres"``.
"""

from __future__ import annotations

import gc
import os
import secrets
import shutil
from functools import cache
from typing import TYPE_CHECKING, Any

import psycopg
import pytest
from psycopg import sql
from sqlalchemy.engine import make_url

from graphql_api import create_app
from graphql_api.schema import schema
from graphql_api.store import db
from graphql_api.store import models as _models  # noqa: F401 - registers the tables
from graphql_api.store.models import Base

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from pathlib import Path

    from flask import Flask
    from flask.testing import FlaskClient, FlaskCliRunner
    from sqlalchemy.orm import Session

#: The per-operation wall-clock budget (``TOKENS_MAX_QUERY_SECONDS``, 10 s by default) ends
#: slow operations; on a loaded 2-core machine a test's 28-combination ``diff`` or
#: ``contrastReport`` can pass 10 s, so tests that are not about the budget get a wide one
#: (servers they start inherit it). The budget's own tests set a small value explicitly.
os.environ.setdefault("TOKENS_MAX_QUERY_SECONDS", "600")

#: The collector's thresholds in test processes. The tests keep several resolved design
#: systems alive (millions of objects) and build hundreds of thousands of short-lived ones
#: per test; with Python's defaults (700, 10, 10) the collections that walk the live ones
#: took about a quarter of the Primer tests' CPU time. Nothing is leaked by raising them:
#: garbage in cycles is still collected, less often.
GC_THRESHOLDS = (200_000, 50, 50)
gc.set_threshold(*GC_THRESHOLDS)

DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
POSTGRES_URL_ENV = "TOKENS_TEST_POSTGRES_URL"
REQUIRE_POSTGRES_ENV = "TOKENS_REQUIRE_POSTGRES"


def postgres_server_url() -> str:
    """Return the SQLAlchemy URL of the PostgreSQL server tests use (psycopg 3 driver)."""
    url = os.environ.get(POSTGRES_URL_ENV) or DEFAULT_POSTGRES_URL
    return make_url(url).set(drivername="postgresql+psycopg").render_as_string(hide_password=False)


def _libpq_conninfo(url: str) -> str:
    """Turn an SQLAlchemy URL into a libpq connection string for plain psycopg."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


@cache
def _postgres_unreachable_reason(url: str) -> str | None:
    """Return why the server cannot be used, or ``None`` if it can (checked once per run)."""
    try:
        with psycopg.connect(_libpq_conninfo(url), connect_timeout=5) as connection:
            connection.execute("SELECT 1")
    except psycopg.Error as error:
        safe_url = make_url(url).render_as_string(hide_password=True)
        detail = " ".join(str(error).split())
        return f"PostgreSQL at {safe_url} is not reachable ({type(error).__name__}: {detail})"
    return None


def _require_postgres() -> str:
    """Return the server URL, or skip (fail under TOKENS_REQUIRE_POSTGRES=1) if unreachable."""
    url = postgres_server_url()
    reason = _postgres_unreachable_reason(url)
    if reason is not None:
        if os.environ.get(REQUIRE_POSTGRES_ENV) == "1":
            pytest.fail(f"{reason}; {REQUIRE_POSTGRES_ENV}=1 requires it", pytrace=False)
        pytest.skip(f"{reason}; set {REQUIRE_POSTGRES_ENV}=1 to fail instead")
    return url


def _postgres_schema_url() -> Iterator[str]:
    """Create a fresh schema, yield a URL whose connections use it, then drop it."""
    server_url = _require_postgres()
    schema = f"t_{secrets.token_hex(6)}"
    conninfo = _libpq_conninfo(server_url)
    with psycopg.connect(conninfo, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))
    url = make_url(server_url).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with psycopg.connect(conninfo, autocommit=True) as admin:
            # Do not wait forever on a connection a failed test left in a transaction.
            admin.execute("SET lock_timeout = '20s'")
            admin.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(schema)))


#: Names this test run (``pytest_configure`` of the process that starts it; xdist workers
#: inherit it): the templates every worker copies are named after it.
RUN_ENV = "TOKENS_TEST_RUN"


def run_id() -> str:
    """This test run's id (hex), shared by its xdist workers."""
    return os.environ[RUN_ENV]


def run_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder every process of this run sees (the xdist workers' common base)."""
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):  # base is .../pytest-N/popen-gwK
        base = base.parent
    folder = base / f"tokens-run-{run_id()}"
    folder.mkdir(exist_ok=True)
    return folder


def template_prefix() -> str:
    """Prefix of the PostgreSQL template databases of this run (``tpl_<run>_``)."""
    return f"tpl_{run_id()}_"


#: Test modules that take longest (measured with ``--durations=0``), started first.
#: ``--dist loadfile --no-loadscope-reorder`` (``make test``) hands each worker the next
#: module as it frees up, in collection order: with these first, the run does not end on
#: one worker busy with a long module while the others wait (longest processing first).
LONG_MODULES = (
    "tests/api/test_docs_examples.py",
    "tests/api/test_primer_writes.py",
    "tests/db/test_carry_forward.py",
    "tests/api/test_impact_in_part.py",
    "tests/hostile/test_hostile_inputs.py",
    # Not first: typing into GraphiQL while three Primer imports start scrambled the keys
    # three times in a row. Before codegen: its build holds examples/react's lock.
    "tests/browser/test_react_live.py",
    "tests/frontend/test_codegen.py",
    "tests/api/test_usage.py",
    "tests/api/test_mutations.py",
    "tests/live/test_server.py",
    "tests/dtcg/test_fuzz_reader.py",
    "tests/db/test_incremental_writes.py",
    "tests/dtcg/test_incremental_check.py",
    "tests/api/test_exports.py",
    "tests/api/test_cost.py",
    "tests/api/test_http_cache.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Put the modules of :data:`LONG_MODULES` first, in that order (a stable sort)."""
    rank = {name: i for i, name in enumerate(LONG_MODULES)}
    last = len(LONG_MODULES)
    items.sort(key=lambda item: rank.get(item.nodeid.partition("::")[0], last))


def pytest_collection_finish(session: pytest.Session) -> None:
    """Move what importing and collecting made out of the collector's way (``gc.freeze``).

    The schema, the modules and the collected items live until the process ends; frozen,
    no collection walks them again.
    """
    gc.collect()
    gc.freeze()


def pytest_configure(config: pytest.Config) -> None:
    """In the process that starts the run (not an xdist worker): name the run."""
    if not hasattr(config, "workerinput"):
        os.environ[RUN_ENV] = secrets.token_hex(6)


def pytest_unconfigure(config: pytest.Config) -> None:
    """In the process that started the run, once every worker is done: drop its templates.

    The templates (``tests/api/conftest.py``) are shared by the workers, so no worker may
    drop them; nothing is done when PostgreSQL was never reachable.
    """
    if hasattr(config, "workerinput") or RUN_ENV not in os.environ:
        return
    url = postgres_server_url()
    if _postgres_unreachable_reason(url) is not None:
        return
    with psycopg.connect(_libpq_conninfo(url), autocommit=True) as conn:
        rows = conn.execute(
            "SELECT datname FROM pg_database WHERE starts_with(datname, %s)",
            (template_prefix(),),
        ).fetchall()
        for (name,) in rows:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


_BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres),
]


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file with every table and no rows, made once per test process."""
    path = tmp_path_factory.mktemp("template") / "tokens.sqlite3"
    engine = db.make_engine(f"sqlite:///{path}")
    Base.metadata.create_all(engine)
    engine.dispose()  # the last connection checkpoints the WAL into the file
    return path


#: One connection per shared schema (per test process), kept for emptying it between tests.
_EMPTYING: dict[str, psycopg.Connection[Any]] = {}


def _rows_deleted(url: str) -> bool:
    """Empty every table of the schema ``url`` selects and restart its sequences.

    One round trip on a connection kept for the process: every ``DELETE``, then ``setval``
    of each sequence (``ALTER SEQUENCE … RESTART`` is DDL and cost about 20 times as much),
    in one transaction committed without waiting for the WAL flush (nothing needs it to
    survive a crash). About 2 ms instead of 40 for each PostgreSQL test.

    Returns ``False`` (the caller then makes a fresh schema) when a lock held elsewhere, or
    any other database error, stops it within a few seconds.
    """
    conn = _EMPTYING.get(url)
    try:
        if conn is None or conn.closed:
            conn = _EMPTYING[url] = psycopg.connect(_libpq_conninfo(url), autocommit=True)
            conn.execute("SET lock_timeout = '5s'")
        deletes = [
            sql.SQL("DELETE FROM {}").format(sql.Identifier(t.name))
            for t in reversed(Base.metadata.sorted_tables)
        ]
        conn.execute(
            sql.SQL(
                "BEGIN; SET LOCAL synchronous_commit = off; {}; "
                "SELECT setval(c.oid, 1, false) FROM pg_class c "
                "WHERE c.relkind = 'S' AND c.relnamespace = current_schema()::regnamespace; "
                "COMMIT"
            ).format(sql.SQL("; ").join(deletes))
        )
    except psycopg.Error:
        if conn is not None:
            conn.close()  # it may be left in a failed transaction
        _EMPTYING.pop(url, None)
        return False
    return True


def _postgres_schema_with_tables() -> Iterator[str]:
    """Create a fresh schema with every table, yield its URL, then drop it."""
    for url in _postgres_schema_url():
        engine = db.make_engine(url)
        Base.metadata.create_all(engine)
        engine.dispose()
        yield url


@pytest.fixture(scope="session")
def _postgres_tables_schema() -> Iterator[str]:
    """URL of a schema with every table, shared by the PostgreSQL tests of one process."""
    for url in _postgres_schema_with_tables():
        try:
            yield url
        finally:
            kept = _EMPTYING.pop(url, None)
            if kept is not None:
                kept.close()


def shared_database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """URL of a fresh database (every table, no rows) of ``request.param``'s kind.

    For module-scoped fixtures whose tests only read: the database (a copy of the empty
    SQLite template, or a schema of its own) is removed when the fixture ends.
    """
    if request.param == "sqlite":
        path = tmp_path_factory.mktemp("shared") / "tokens.sqlite3"
        shutil.copyfile(request.getfixturevalue("_sqlite_template"), path)
        yield f"sqlite:///{path}"
    else:
        yield from _postgres_schema_with_tables()


def shared_database_with(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    load: Callable[[Flask], object],
) -> Iterator[str]:
    """A :func:`shared_database_url` after ``load(app)`` (an app on it, disposed after)."""
    for url in shared_database_url(request, tmp_path_factory):
        for make in apps_on(url):
            load(make())
        yield url


@pytest.fixture(params=_BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Yield the URL of a database with every table and no rows (see the module docstring)."""
    if request.param == "sqlite":
        path = tmp_path / "tokens.sqlite3"
        shutil.copyfile(request.getfixturevalue("_sqlite_template"), path)
        yield f"sqlite:///{path}"
        return
    shared = request.getfixturevalue("_postgres_tables_schema")
    if _rows_deleted(shared):
        yield shared
        return
    yield from _postgres_schema_with_tables()  # a fresh one; the shared one stays for later


@pytest.fixture(params=_BACKENDS)
def empty_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Yield the URL of an empty database (no tables) of the parametrized kind; removed after."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'tokens.sqlite3'}"
    else:
        yield from _postgres_schema_url()


@pytest.fixture
def app(database_url: str) -> Iterator[Flask]:
    """Yield an app on the test's database (every table, no rows)."""
    application = create_app({"TESTING": True, "DATABASE_URL": database_url})
    engine = db.get_engine(application)
    try:
        yield application
    finally:
        engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """Return Flask's test client for ``app``."""
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    """Return Flask's CLI runner for ``app``."""
    return app.test_cli_runner()


@pytest.fixture
def session(app: Flask) -> Iterator[Session]:
    """Yield a session on the app's engine (the app's session factory); closed afterwards."""
    with db.get_state(app).sessionmaker() as new_session:
        yield new_session


def apps_on(url: str) -> Iterator[Callable[..., Flask]]:
    """``make(**settings)``: apps on ``url``, each with its own engine, disposed at the end."""
    made: list[Flask] = []

    def make(**settings: Any) -> Flask:
        made.append(create_app({"TESTING": True, "DATABASE_URL": url, **settings}))
        return made[-1]

    yield make
    for application in made:
        db.get_engine(application).dispose()


def app_on(url: str) -> Iterator[Flask]:
    """One new app on ``url`` (its own engine and caches), disposed at the end."""
    for make in apps_on(url):
        yield make()


@pytest.fixture
def make_app(database_url: str) -> Iterator[Callable[..., Flask]]:
    """``make_app(**settings)``: another app (its own engine and caches) on the test database."""
    yield from apps_on(database_url)


@pytest.fixture
def executions(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The documents Strawberry executed during the test (``schema.execute_sync`` calls)."""
    calls: list[str] = []
    real = schema.execute_sync

    def counting(query: str | None, *args: Any, **kwargs: Any) -> Any:
        calls.append(query or "")
        return real(query, *args, **kwargs)

    monkeypatch.setattr(schema, "execute_sync", counting)
    return calls

"""Fixtures of the GraphQL API tests: data imported through the CLI, and a ``gql`` helper.

Fixtures:
    gql: ``gql(query, variables=None)`` posts to ``/graphql`` of the test's ``app`` and
        returns the decoded JSON body.
    small_example: the test's ``app`` (fresh database, both backends) with the DTCG small
        example imported through ``flask tokens import`` (56 tokens, no modifiers; fast).
    example: the small example imported the same way into a database the tests of one
        module share **read-only** (both backends): an import per module, not per test.
    example_app, example_client: a new app (its own caches) on ``example``'s database.
    primer: Primer primitives (1,488 tokens, 2 modifiers) as imported, in a database the
        Primer tests of one process share **read-only**, parametrized ``sqlite`` /
        ``postgresql`` like ``database_url`` (skipped or failed the same way when PostgreSQL
        is unreachable). ``import_stdout`` is what ``tokens import`` printed.
    primer_app: an app on a database of the test's own (both backends) holding Primer as
        imported, for tests that write.

Primer is imported through the CLI once per test run and backend, into a template that
every xdist worker copies (a file copy; ``CREATE DATABASE … TEMPLATE``): the first worker
to need it builds it under a file lock in the workers' common temporary folder, the others
wait and copy. The process that started the run drops the template databases at its end;
each process drops its own copies at its end.
"""

from __future__ import annotations

import json
import secrets
import shutil
import sqlite3
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import psycopg
import pytest
from filelock import FileLock
from psycopg import sql
from sqlalchemy.engine import make_url

from graphql_api import cli, create_app
from graphql_api.store import db
from graphql_api.store.models import Base
from tests.conftest import (
    _BACKENDS,
    _libpq_conninfo,
    _require_postgres,
    app_on,
    run_folder,
    shared_database_url,
    template_prefix,
)
from tests.helpers import PRIMER, SMALL_EXAMPLE, import_tokens
from tests.helpers import gql as post_gql

if TYPE_CHECKING:
    from flask import Flask
    from flask.testing import FlaskClient, FlaskCliRunner

    from graphql_api.dtcg.resolver import ResolverDocument

Gql = Callable[..., Any]


@pytest.fixture
def gql(client: FlaskClient) -> Gql:
    """``gql(query, variables=None)`` → the JSON body of a POST to the test app's /graphql."""

    def run(query: str, variables: Mapping[str, Any] | None = None) -> Any:
        return post_gql(client, query, variables)

    return run


@pytest.fixture
def small_example(app: Flask, runner: FlaskCliRunner) -> Flask:
    """The test's app with the small example imported through the CLI."""
    import_tokens(runner, SMALL_EXAMPLE)
    return app


@dataclass
class SharedDB:
    """An app on a database that tests only read."""

    app: Flask
    client: FlaskClient
    import_stdout: str = ""

    def gql(self, query: str, variables: Mapping[str, Any] | None = None) -> Any:
        """POST to this app's /graphql; the decoded JSON body."""
        return post_gql(self.client, query, variables)


def shared_import(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, source: Path
) -> Iterator[SharedDB]:
    """``source`` imported through the CLI into a :func:`shared_database_url`."""
    for url in shared_database_url(request, tmp_path_factory):
        app = create_app({"TESTING": True, "DATABASE_URL": url})
        try:
            result = import_tokens(app.test_cli_runner(), source)
            yield SharedDB(app, app.test_client(), str(result.stdout))
        finally:
            db.get_engine(app).dispose()


@pytest.fixture(scope="module", params=_BACKENDS)
def example(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[SharedDB]:
    """The small example as imported, in a database one module's tests share read-only."""
    yield from shared_import(request, tmp_path_factory, SMALL_EXAMPLE)


@pytest.fixture
def example_app(example: SharedDB) -> Iterator[Flask]:
    """A new app (empty caches) on the module's shared small example, for tests that read."""
    yield from app_on(example.app.config["DATABASE_URL"])


@pytest.fixture
def example_client(example_app: Flask) -> FlaskClient:
    """Flask's test client for ``example_app``."""
    return example_app.test_client()


@pytest.fixture(scope="session")
def _loaded_documents() -> dict[tuple[Path, str], ResolverDocument]:
    """Resolver documents parsed by the CLI, kept for the whole session (read-only)."""
    return {}


@dataclass(frozen=True)
class PrimerTemplate:
    """Primer as imported through the CLI, once per test run and backend.

    Attributes:
        source: a SQLite file, or the name of a PostgreSQL database, to copy.
        stdout: what ``tokens import`` printed.
    """

    source: str
    stdout: str


def _template(
    tmp_path_factory: pytest.TempPathFactory,
    kind: str,
    build: Callable[[], tuple[str, str]],
) -> PrimerTemplate:
    """The run's template of ``kind``: made by the first process to ask, under a file lock.

    ``build`` makes it and returns (source, stdout); the others wait for the lock, then
    read what it wrote.
    """
    folder = run_folder(tmp_path_factory)
    done = folder / f"primer-{kind}.json"
    with FileLock(folder / f"primer-{kind}.lock"):
        if not done.exists():
            source, stdout = build()
            done.write_text(json.dumps({"source": source, "stdout": stdout}))
    data = json.loads(done.read_text())
    return PrimerTemplate(data["source"], data["stdout"])


def _import_template(url: str, loaded: dict[tuple[Path, str], ResolverDocument]) -> str:
    """Create every table at ``url`` and import Primer through the CLI; its output.

    No connection is left open (the database is copied afterwards).
    """
    app = create_app({"TESTING": True, "DATABASE_URL": url})
    engine = db.get_engine(app)
    try:
        Base.metadata.create_all(engine)
        with pytest.MonkeyPatch.context() as mp:
            result = import_primer_once(app, mp, loaded)
        assert result.exit_code == 0, result.output
        return str(result.stdout)
    finally:
        engine.dispose()  # also stops the app's revision clock and its connection


@pytest.fixture(scope="session")
def _primer_sqlite_template(
    tmp_path_factory: pytest.TempPathFactory,
    _loaded_documents: dict[tuple[Path, str], ResolverDocument],
) -> PrimerTemplate:
    """A SQLite file holding Primer as imported (one file, WAL folded in), once per run."""

    def build() -> tuple[str, str]:
        path = run_folder(tmp_path_factory) / "primer.sqlite3"
        path.unlink(missing_ok=True)  # a build this run began and did not finish
        stdout = _import_template(f"sqlite:///{path}", _loaded_documents)
        with sqlite3.connect(path) as conn:  # fold the WAL into the file: one file to copy
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            conn.execute("PRAGMA journal_mode=DELETE")
        return str(path), stdout

    return _template(tmp_path_factory, "sqlite", build)


@pytest.fixture(scope="session")
def _primer_postgres_template(
    tmp_path_factory: pytest.TempPathFactory,
    _loaded_documents: dict[tuple[Path, str], ResolverDocument],
) -> PrimerTemplate:
    """The run's Primer template database (``tpl_<run>_primer``).

    The process that started the run drops it at the end (``tests/conftest.py``), when
    every worker is done copying it.
    """
    server = _require_postgres()

    def build() -> tuple[str, str]:
        name = f"{template_prefix()}primer"
        _drop_database(_libpq_conninfo(server), name)  # a build that did not finish
        with psycopg.connect(_libpq_conninfo(server), autocommit=True) as conn:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return name, _import_template(_database_url(server, name), _loaded_documents)

    return _template(tmp_path_factory, "postgresql", build)


@pytest.fixture(scope="session")
def _postgres_copies() -> Iterator[list[str]]:
    """Names of the template copies this process made; dropped at its end.

    Not after each test: ``DROP DATABASE`` waits for a checkpoint, seconds on a busy
    server, while a copy left until the end costs only disk.
    """
    copies: list[str] = []
    yield copies
    if copies:
        admin = _libpq_conninfo(_require_postgres())
        for name in copies:
            _drop_database(admin, name)


def _copy(request: pytest.FixtureRequest, kind: str, folder: Path) -> tuple[str, str]:
    """(URL of a new copy of the Primer template of ``kind``, the import's output)."""
    if kind == "sqlite":
        sqlite_template: PrimerTemplate = request.getfixturevalue("_primer_sqlite_template")
        path = folder / "tokens.sqlite3"
        shutil.copyfile(sqlite_template.source, path)
        return f"sqlite:///{path}", sqlite_template.stdout
    template: PrimerTemplate = request.getfixturevalue("_primer_postgres_template")
    copies: list[str] = request.getfixturevalue("_postgres_copies")
    server = _require_postgres()
    name = f"t_{secrets.token_hex(6)}"
    with psycopg.connect(_libpq_conninfo(server), autocommit=True) as conn:
        conn.execute(
            sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                sql.Identifier(name), sql.Identifier(template.source)
            )
        )
    copies.append(name)
    return _database_url(server, name), template.stdout


@pytest.fixture(scope="session", params=_BACKENDS)
def primer(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[SharedDB]:
    """Primer as imported, in a database the Primer tests of this process share read-only."""
    url, stdout = _copy(request, request.param, tmp_path_factory.mktemp("shared"))
    app = create_app({"TESTING": True, "DATABASE_URL": url})
    try:
        yield SharedDB(app, app.test_client(), stdout)
    finally:
        db.get_engine(app).dispose()


def import_primer_once(
    app: Flask,
    mp: pytest.MonkeyPatch,
    loaded: dict[tuple[Path, str], ResolverDocument],
) -> Any:
    """``tokens import PRIMER`` into ``app``, parsing Primer once per test process."""
    real_load = cli.load_any

    def load_once(path: Path, fmt: str, **options: Any) -> ResolverDocument:
        key = (Path(path).resolve(), fmt)
        if key not in loaded:
            loaded[key] = real_load(path, fmt, **options)
        return loaded[key]

    mp.setattr(cli, "load_any", load_once)
    return import_tokens(app.test_cli_runner(), PRIMER)


def _drop_database(admin: str, name: str) -> None:
    """Drop database ``name``, ending any connection a test left open on it."""
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def _database_url(server: str, name: str) -> str:
    """The URL of database ``name`` on the PostgreSQL server of ``server``."""
    return make_url(server).set(database=name).render_as_string(hide_password=False)


@pytest.fixture(params=_BACKENDS)
def primer_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """URL of a database of the test's own holding Primer as imported (see ``primer_app``)."""
    url, _stdout = _copy(request, request.param, tmp_path)
    return url


@pytest.fixture
def primer_app(primer_database_url: str) -> Iterator[Flask]:
    """An app on the test's own copy of Primer as imported (both backends)."""
    app = create_app({"TESTING": True, "DATABASE_URL": primer_database_url})
    try:
        yield app
    finally:
        db.get_engine(app).dispose()

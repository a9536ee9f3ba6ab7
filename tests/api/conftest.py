"""Fixtures of the GraphQL API tests: data imported through the CLI, and a ``gql`` helper.

Fixtures:
    gql: ``gql(query, variables=None)`` posts to ``/graphql`` of the test's ``app`` and
        returns the decoded JSON body.
    small_example: the test's ``app`` (fresh database, both backends) with the DTCG small
        example imported through ``flask tokens import`` (56 tokens, no modifiers; fast).
    primer: Primer primitives (1,488 tokens, 2 modifiers) imported once per database backend
        per test session, into a database the Primer tests share **read-only**. It is
        parametrized ``sqlite`` / ``postgresql`` like ``database_url`` (PostgreSQL in a schema
        of its own, skipped or failed the same way when the server is unreachable). The import
        runs through the CLI on each backend; the parsed resolver document (≈ 6 s of JSON5
        parsing) is read once and reused for the second backend, so validating and writing
        still happen on each backend.
    primer_app: an app on a database of the test's own (both backends) holding Primer as
        imported, for tests that write. Primer is imported once per test process into a
        template (a SQLite file; a PostgreSQL database) and each test gets a copy (a file
        copy; ``CREATE DATABASE … TEMPLATE``, dropped afterwards), so a writing test does not
        pay for an import.
"""

from __future__ import annotations

import secrets
import shutil
import sqlite3
from collections.abc import Callable, Iterator, Mapping
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import psycopg
import pytest
from psycopg import sql
from sqlalchemy.engine import make_url

from graphql_api import cli, create_app
from graphql_api.store import db
from graphql_api.store.models import Base
from tests.conftest import _BACKENDS, _libpq_conninfo, _postgres_schema_url, _require_postgres
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


@pytest.fixture(scope="session")
def _loaded_documents() -> dict[tuple[Path, str], ResolverDocument]:
    """Resolver documents parsed by the CLI, kept for the whole session (read-only)."""
    return {}


@contextmanager
def shared_app(kind: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """An app on a new database of ``kind`` (``sqlite``/``postgresql``), removed afterwards."""
    with ExitStack() as stack:
        if kind == "sqlite":
            url = f"sqlite:///{tmp_path_factory.mktemp('shared') / 'tokens.sqlite3'}"
        else:  # a schema of its own, dropped on exit (skips when the server is unreachable)
            url = stack.enter_context(contextmanager(_postgres_schema_url)())
        app = create_app({"TESTING": True, "DATABASE_URL": url})
        engine = db.get_engine(app)
        stack.callback(engine.dispose)  # runs before the schema is dropped
        Base.metadata.create_all(engine)
        yield app


@pytest.fixture(
    scope="session",
    params=[
        pytest.param("sqlite", id="sqlite"),
        pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres),
    ],
)
def primer(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    _loaded_documents: dict[tuple[Path, str], ResolverDocument],
) -> Iterator[SharedDB]:
    """Primer imported through the CLI into a session-wide database of each backend."""
    with shared_app(request.param, tmp_path_factory) as app:
        with pytest.MonkeyPatch.context() as mp:
            result = import_primer_once(app, mp, _loaded_documents)
        yield SharedDB(app, app.test_client(), result.stdout)


def import_primer_once(
    app: Flask,
    mp: pytest.MonkeyPatch,
    loaded: dict[tuple[Path, str], ResolverDocument],
) -> Any:
    """``tokens import PRIMER`` into ``app``, parsing Primer once per test session."""
    real_load = cli.load_any

    def load_once(path: Path, fmt: str, **options: Any) -> ResolverDocument:
        key = (Path(path).resolve(), fmt)
        if key not in loaded:
            loaded[key] = real_load(path, fmt, **options)
        return loaded[key]

    mp.setattr(cli, "load_any", load_once)
    return import_tokens(app.test_cli_runner(), PRIMER)


def _database_url(server: str, name: str) -> str:
    """The URL of database ``name`` on the PostgreSQL server of ``server``."""
    return make_url(server).set(database=name).render_as_string(hide_password=False)


def _drop_database(admin: str, name: str) -> None:
    """Drop database ``name``, ending any connection a test left open on it."""
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def _import_template(url: str, loaded: dict[tuple[Path, str], ResolverDocument]) -> None:
    """Create every table at ``url`` and import Primer through the CLI; no connection left."""
    app = create_app({"TESTING": True, "DATABASE_URL": url})
    engine = db.get_engine(app)
    try:
        Base.metadata.create_all(engine)
        with pytest.MonkeyPatch.context() as mp:
            result = import_primer_once(app, mp, loaded)
        assert result.exit_code == 0, result.output
    finally:
        engine.dispose()  # also stops the app's revision clock and its connection


@pytest.fixture(scope="session")
def _primer_sqlite_template(
    tmp_path_factory: pytest.TempPathFactory,
    _loaded_documents: dict[tuple[Path, str], ResolverDocument],
) -> Path:
    """A SQLite file holding Primer as imported (one file, WAL folded in)."""
    path = tmp_path_factory.mktemp("primer-template") / "tokens.sqlite3"
    _import_template(f"sqlite:///{path}", _loaded_documents)
    with sqlite3.connect(path) as conn:  # fold the WAL into the file: one file to copy
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute("PRAGMA journal_mode=DELETE")
    return path


@dataclass
class PostgresTemplate:
    """A PostgreSQL database holding Primer as imported, and the copies made of it."""

    name: str
    copies: list[str]


@pytest.fixture(scope="session")
def _primer_postgres_template(
    _loaded_documents: dict[tuple[Path, str], ResolverDocument],
) -> Iterator[PostgresTemplate]:
    """The Primer template database; it and its copies are dropped at the end of the run.

    Copies are dropped here rather than after each test: ``DROP DATABASE`` waits for a
    checkpoint, seconds on a busy server, while a copy left until the end costs only disk.
    """
    server = _require_postgres()
    admin = _libpq_conninfo(server)
    template = PostgresTemplate(f"tpl_{secrets.token_hex(6)}", [])
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(template.name)))
    try:
        _import_template(_database_url(server, template.name), _loaded_documents)
        yield template
    finally:
        for name in [*template.copies, template.name]:
            _drop_database(admin, name)


@pytest.fixture(params=_BACKENDS)
def primer_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """URL of a database of the test's own holding Primer as imported (see ``primer_app``)."""
    if request.param == "sqlite":
        path = tmp_path / "tokens.sqlite3"
        shutil.copyfile(request.getfixturevalue("_primer_sqlite_template"), path)
        return f"sqlite:///{path}"
    template: PostgresTemplate = request.getfixturevalue("_primer_postgres_template")
    server = _require_postgres()
    name = f"t_{secrets.token_hex(6)}"
    with psycopg.connect(_libpq_conninfo(server), autocommit=True) as conn:
        conn.execute(
            sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                sql.Identifier(name), sql.Identifier(template.name)
            )
        )
    template.copies.append(name)
    return _database_url(server, name)


@pytest.fixture
def primer_app(primer_database_url: str) -> Iterator[Flask]:
    """An app on the test's own copy of Primer as imported (both backends)."""
    app = create_app({"TESTING": True, "DATABASE_URL": primer_database_url})
    try:
        yield app
    finally:
        db.get_engine(app).dispose()

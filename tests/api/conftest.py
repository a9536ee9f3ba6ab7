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
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from graphql_api import cli, create_app
from graphql_api.store import db
from graphql_api.store.models import Base
from tests.conftest import _postgres_schema_url
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

"""The CLI starts without its heavy parts: what each command imports (timing is in
``bench/cli_startup.py``, not here).

Under the ``flask`` command the app sets its web part (GraphQL schema, views) up on the first
request; ``--help`` never imports Strawberry, Alembic, the DTCG resolver, SQLAlchemy or the
models; ``keys list``, ``keys create`` and ``keys revoke`` import SQLAlchemy's core only
(not the ORM, the models or Alembic); ``tokens validate`` imports the resolver but neither
Strawberry nor SQLAlchemy.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from graphql_api import create_app
from graphql_api.store import db
from graphql_api.store.models import Base
from tests.helpers import SMALL_EXAMPLE, gql

if TYPE_CHECKING:
    from collections.abc import Iterator

    from flask import Flask

ROOT = Path(__file__).resolve().parents[2]
HEAVY = (
    "strawberry",
    "graphql_api.schema",
    "alembic",
    "coloraide",
    "graphql_api.dtcg.parse",
    "sqlalchemy",
    "sqlalchemy.orm",
    "graphql_api.store.models",
)
DATABASE = {"sqlalchemy", "sqlalchemy.orm", "graphql_api.store.models"}

PROBE = """
import atexit, sys
heavy = {heavy!r}
atexit.register(lambda: print("LOADED:" + ",".join(m for m in heavy if m in sys.modules),
                              file=sys.stderr))
sys.argv = ["flask", "--app", "app", *{args!r}]
from flask.cli import main
main()
"""


def loaded(args: list[str], database_url: str, returncode: int = 0) -> set[str]:
    """The heavy modules a ``flask --app app ARGS`` process had imported when it ended.

    The process must end with ``returncode``.
    """
    proc = subprocess.run(
        [sys.executable, "-c", PROBE.format(heavy=HEAVY, args=args)],
        cwd=ROOT,
        env={"DATABASE_URL": database_url, "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == returncode, proc.stderr
    line = next(x for x in proc.stderr.splitlines() if x.startswith("LOADED:"))
    return {m for m in line.removeprefix("LOADED:").split(",") if m}


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'flow-cli.sqlite3'}"
    app = create_app({"TESTING": True, "DATABASE_URL": url})
    Base.metadata.create_all(db.get_engine(app))
    db.get_engine(app).dispose()
    return url


@pytest.mark.parametrize("args", [["--help"], ["keys", "--help"], ["tokens", "--help"]])
def test_help_imports_nothing_heavy(sqlite_url: str, args: list[str]) -> None:
    assert loaded(args, sqlite_url) == set()


@pytest.mark.parametrize(
    ("args", "returncode"),
    [
        (["keys", "list"], 0),
        (["keys", "create", "--name", "ci"], 0),
        (["keys", "revoke", "nobody"], 1),  # "no active key named 'nobody'"
    ],
    ids=["list", "create", "revoke"],
)
def test_keys_commands_import_sqlalchemy_core_and_nothing_else_heavy(
    sqlite_url: str, args: list[str], returncode: int
) -> None:
    assert loaded(args, sqlite_url, returncode) == {"sqlalchemy"}


def test_validate_imports_the_engine_but_neither_graphql_nor_sqlalchemy(sqlite_url: str) -> None:
    got = loaded(["tokens", "validate", str(SMALL_EXAMPLE)], sqlite_url)
    assert "graphql_api.dtcg.parse" in got
    assert not got & {"strawberry", "graphql_api.schema", "alembic", *DATABASE}


@pytest.fixture
def lazy_app(database_url: str) -> Iterator[Flask]:
    app = create_app({"TESTING": True, "DATABASE_URL": database_url, "WEB_ON_FIRST_REQUEST": True})
    Base.metadata.create_all(db.get_engine(app))
    try:
        yield app
    finally:
        db.get_engine(app).dispose()


def test_a_lazy_app_serves_graphql_from_its_first_request(lazy_app: Flask) -> None:
    assert "graphql" not in {r.endpoint for r in lazy_app.url_map.iter_rules()}
    result = gql(lazy_app.test_client(), "{ revision }")
    assert result == {"data": {"revision": 0}}
    assert "graphql" in {r.endpoint for r in lazy_app.url_map.iter_rules()}

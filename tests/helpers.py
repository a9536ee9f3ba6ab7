"""Helpers shared by the API and end-to-end tests (import as ``tests.helpers``).

- :func:`gql`: POST a GraphQL request to ``/graphql`` and return the decoded body.
- :func:`data_of`: the ``data`` of a response that must have no ``errors``.
- :func:`import_tokens`: run ``flask tokens import PATH`` through the CLI runner.
- :func:`stored_state`: the revision and the raw values in the database, read afresh.
- :func:`count_statements` / :func:`assert_num_queries`: count the SQL statements an engine
  runs (``before_cursor_execute``), printing them when the count is not the expected one
  (in the spirit of strawberry-django's ``assert_num_queries``).
- :func:`canonical`: JSON data in a form where ``1 == 1.0`` but ``True != 1``.
"""

from __future__ import annotations

import json
import re
import socket
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from sqlalchemy import event, select

from graphql_api.store import db, repository
from graphql_api.store.models import Token, TokenValue

if TYPE_CHECKING:
    from click.testing import Result
    from flask import Flask
    from flask.testing import FlaskClient, FlaskCliRunner
    from sqlalchemy.engine import Engine

DATA = Path(__file__).parent / "data"
SMALL_EXAMPLE = DATA / "dtcg-small-example" / "dtcg-small-example.resolver.json"
SMALL_ORACLE = DATA / "dtcg-small-example" / "oracle"
PRIMER = DATA / "primer-primitives" / "primer-primitives.resolver.json"
PRIMER_ORACLE = DATA / "primer-primitives" / "oracle"


def gql(client: FlaskClient, query: str, variables: Mapping[str, Any] | None = None) -> Any:
    """POST ``{query, variables}`` as JSON to ``/graphql``; return the decoded JSON body.

    Raises:
        AssertionError: the response is not a JSON GraphQL response.
    """
    body: dict[str, Any] = {"query": query}
    if variables is not None:
        body["variables"] = dict(variables)
    response = client.post("/graphql", json=body)
    assert response.mimetype == "application/json", (
        f"{response.status_code} {response.mimetype}: {response.get_data(as_text=True)[:500]}"
    )
    return response.get_json()


def data_of(result: Mapping[str, Any]) -> Any:
    """The ``data`` of a GraphQL result that must not carry errors."""
    assert "errors" not in result, json.dumps(result.get("errors"), indent=1)[:3000]
    return result["data"]


def import_tokens(runner: FlaskCliRunner, path: str | Path, *, ok: bool = True) -> Result:
    """Run ``tokens import PATH``; with ``ok`` the command must succeed."""
    result = runner.invoke(args=["tokens", "import", str(path)])
    if ok:
        assert result.exit_code == 0, (
            f"import of {path} failed ({result.exit_code}):\n{result.output}\n{result.exception!r}"
        )
    return result


@dataclass(frozen=True)
class StoredState:
    """What the database holds: the revision and ``(token path, layer) -> raw value``."""

    revision: int
    values: dict[tuple[str, int | None, int | None], Any] = field(default_factory=dict)

    @property
    def paths(self) -> set[str]:
        """Every stored token path."""
        return {path for path, _, _ in self.values}


def stored_state(app: Flask) -> StoredState:
    """Read the revision and every stored value in a fresh session (no stale snapshot)."""
    with db.get_state(app).sessionmaker() as session:
        revision = repository.current_revision(session)
        rows = session.execute(
            select(Token.path, TokenValue.set_id, TokenValue.theme_id, TokenValue.value).join(
                Token, Token.id == TokenValue.token_id
            )
        )
        values = {(r.path, r.set_id, r.theme_id): r.value for r in rows}
    return StoredState(revision, values)


def clock_caught_up(app: Flask, timeout: float = 5.0, *, known: bool = False) -> None:
    """Wait until ``app``'s revision clock is not stale: it knows the stored revision, or
    (unless ``known``) it knows none and the next request reads it.

    Another process's write reaches a process's clock by PostgreSQL NOTIFY, a moment after
    the commit (SQLite's ``data_version`` is checked on each request: no wait there).
    """
    import time  # noqa: PLC0415 - only here

    from graphql_api.store.revision_clock import revision_clock  # noqa: PLC0415

    clock = revision_clock(app)
    deadline = time.monotonic() + timeout
    while True:
        now = clock.current()
        with db.get_state(app).sessionmaker() as session:
            actual = repository.current_revision(session)
        if (now is None and not known) or (now is not None and now[0] == actual):
            return
        if time.monotonic() > deadline:
            pytest.fail(f"the revision clock knows {now}, the database is at {actual}")
        time.sleep(0.01)


class StatementLog:
    """The SQL statements seen by an engine while the log is active."""

    def __init__(self) -> None:
        self.statements: list[str] = []

    def __len__(self) -> int:
        return len(self.statements)

    def on_execute(self, _conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        self.statements.append(statement)

    def dump(self) -> str:
        """The statements, numbered, one block each."""
        return "\n".join(f"{i}. {' '.join(s.split())}" for i, s in enumerate(self.statements, 1))


@contextmanager
def count_statements(engine: Engine) -> Iterator[StatementLog]:
    """Record every statement ``engine`` sends to the database inside the block."""
    log = StatementLog()
    event.listen(engine, "before_cursor_execute", log.on_execute)
    try:
        yield log
    finally:
        event.remove(engine, "before_cursor_execute", log.on_execute)


@contextmanager
def assert_num_queries(
    engine: Engine, expected: int, *, at_most: bool = False
) -> Iterator[StatementLog]:
    """Fail unless the block runs exactly ``expected`` statements (``at_most``: no more).

    The failure message lists every statement that ran.
    """
    with count_statements(engine) as log:
        yield log
    n = len(log)
    if (n > expected) if at_most else (n != expected):
        bound = "at most " if at_most else ""
        pytest.fail(f"expected {bound}{expected} SQL statements, got {n}:\n{log.dump()}")


def canonical(value: Any) -> Any:
    """JSON data made comparable by meaning: numbers as floats, booleans kept apart."""
    if isinstance(value, bool):
        return ("bool", value)
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, Mapping):
        return {k: canonical(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [canonical(v) for v in value]
    return value


def load_oracle(path: Path) -> dict[str, dict[str, Any]]:
    """An oracle file: ``{path: {"type", "value"}}``."""
    data: dict[str, dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))
    return data


def write_themed(
    folder: Path, unit: int, contexts: tuple[str, ...] = ("light", "dark", "dim")
) -> Path:
    """A resolver document: ``size.unit`` = ``unit`` px, ``size.gap`` overridden per context
    of the modifier ``theme``: the n-th context gives n x ``unit`` px (default: the first)."""
    folder.mkdir(parents=True)
    base = {
        "size": {
            "$type": "dimension",
            "unit": {"$value": {"value": unit, "unit": "px"}},
            "gap": {"$value": "{size.unit}"},
        }
    }
    (folder / "base.tokens.json").write_text(json.dumps(base), encoding="utf-8")
    for factor, name in enumerate(contexts, 1):
        layer = {
            "size": {
                "gap": {"$type": "dimension", "$value": {"value": unit * factor, "unit": "px"}}
            }
        }
        (folder / f"{name}.tokens.json").write_text(json.dumps(layer), encoding="utf-8")
    doc = {
        "version": "2025.10",
        "sets": {"base": {"sources": [{"$ref": "base.tokens.json"}]}},
        "modifiers": {
            "theme": {
                "contexts": {name: [{"$ref": f"{name}.tokens.json"}] for name in contexts},
                "default": contexts[0],
            }
        },
        "resolutionOrder": [{"$ref": "#/sets/base"}, {"$ref": "#/modifiers/theme"}],
    }
    path = folder / "doc.resolver.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def tokens_of(document: Mapping[str, Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    """``(path, token)`` for every token of a nested DTCG document."""
    for name, node in document.items():
        if name.startswith("$") or not isinstance(node, dict):
            continue
        path = f"{prefix}.{name}" if prefix else name
        if "$value" in node:
            yield path, node
        else:
            yield from tokens_of(node, path)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nobody listens on right now (for test servers)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def natural_order(paths: Iterable[str]) -> list[str]:
    """Paths in natural order, written independently of ``graphql_api.dtcg.paths``.

    Segment by segment; in a segment, digit runs compare as numbers (``2 < 12 < 112``).
    ``re.split`` with a group alternates text and digits, so positions never mix types.
    """

    def key(path: str) -> list[list[int | str]]:
        return [
            [int(x) if i % 2 else x for i, x in enumerate(re.split(r"(\d+)", seg))]
            for seg in path.split(".")
        ]

    return sorted(paths, key=lambda p: (key(p), p))


def example_lock(example: Path) -> Any:
    """The lock npm runs in a frontend example hold (``examples/NAME``), across processes.

    An example's codegen (also run by its ``build`` and ``typecheck`` pre-scripts) rewrites
    its ``src/gql/``; the browser tests build ``examples/react`` while ``tests/frontend``
    runs codegen, type checks and builds it on another pytest-xdist worker, and a script
    must not read those files while another rewrites them.
    """
    from filelock import FileLock  # noqa: PLC0415 - only the npm tests need it

    return FileLock(example / ".tests.lock")

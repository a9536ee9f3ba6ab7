"""The Relay compiler accepts the schema, and the queries it writes run against the server.

``examples/relay`` holds two small modules: a ``Token`` fragment with ``@refetchable`` (Relay
then writes a refetch query through ``Query.node(id:)``, which needs the ``Node``
interface) and a ``Query`` fragment with ``@refetchable`` and a bidirectional
``@connection`` on ``tokens`` (which needs ``first``/``after``, ``last``/``before``, edges
with ``cursor`` and ``pageInfo`` as the Cursor Connections specification says). The test
runs ``relay-compiler`` (npm ``relay-compiler``, pinned in the example's lockfile), checks
that the connection is paged both ways, and then sends the operation text the compiler
wrote to the test app, on both databases: the refetch query returns the token the list
gave, and the pagination query pages forwards and backwards.

Needs npm; skipped without it, failed when ``TOKENS_REQUIRE_NPM=1`` (``.ci/run``).
"""

from __future__ import annotations

import functools
import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tests.writing import DARK, Writer, import_mini, make_key

if TYPE_CHECKING:
    from flask import Flask

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "relay"
GENERATED = EXAMPLE / "src" / "__generated__"
NPM = shutil.which("npm")
REQUIRE_NPM = os.environ.get("TOKENS_REQUIRE_NPM") == "1"
TIMEOUT = 600  # seconds: a cold `npm ci`

pytestmark = pytest.mark.skipif(
    NPM is None and not REQUIRE_NPM, reason="npm is not on PATH (install Node.js with npm)"
)


def _npm(*args: str) -> str:
    if NPM is None:
        pytest.fail("npm is not on PATH, and TOKENS_REQUIRE_NPM=1 requires it", pytrace=False)
    env = {
        **os.environ,
        "CI": "true",
        "NO_COLOR": "1",
        "npm_config_audit": "false",
        "npm_config_fund": "false",
        "npm_config_update_notifier": "false",
    }
    proc = subprocess.run(
        [NPM, *args],
        cwd=EXAMPLE,
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    if proc.returncode != 0:
        pytest.fail(
            f"npm {' '.join(args)} exited {proc.returncode}\n{proc.stdout[-6000:]}\n"
            f"{proc.stderr[-6000:]}",
            pytrace=False,
        )
    return proc.stdout + proc.stderr


@functools.cache
def compiled() -> Path:
    """``examples/relay`` after ``npm ci`` (when needed) and a fresh ``relay-compiler`` run."""
    stamp = EXAMPLE / "node_modules" / ".package-lock.json"
    if (
        not stamp.exists()
        or stamp.stat().st_mtime < (EXAMPLE / "package-lock.json").stat().st_mtime
    ):
        _npm("ci", "--no-audit", "--no-fund")
    shutil.rmtree(GENERATED, ignore_errors=True)
    _npm("run", "build")
    return GENERATED


def operation_text(name: str) -> str:
    """The operation text the compiler wrote into ``__generated__/<name>.graphql.ts``."""
    code = (compiled() / f"{name}.graphql.ts").read_text(encoding="utf-8")
    match = re.search(r'"text": ("(?:[^"\\]|\\.)*")', code)
    assert match, f"{name}: no operation text in the generated artifact"
    text: str = json.loads(match.group(1))
    return text


def test_the_compiler_builds_a_bidirectional_connection_and_a_node_refetch() -> None:
    fragment = (compiled() / "TokenList_query.graphql.ts").read_text(encoding="utf-8")
    assert re.search(r'"direction": "bidirectional"', fragment), fragment[:2000]
    assert '"backward"' in fragment
    assert '"forward"' in fragment
    refetch = operation_text("TokenSwatchRefetchQuery")
    assert re.search(r"node\(id: \$id\)", refetch), refetch
    paging = operation_text("TokenListPaginationQuery")
    for arg in ("first: $first", "after: $after", "last: $last", "before: $before"):
        assert arg in paging, paging


@pytest.fixture
def writer(app: Flask) -> Writer:
    """A client with a write key, on a database holding the tests' MINI set (light, dark)."""
    w = Writer(app.test_client(), make_key(app, "designer", "write"))
    import_mini(w)
    return w


def test_the_compiled_queries_run_against_the_server(writer: Writer) -> None:
    listing: dict[str, Any] = writer.read(
        operation_text("TokenListQuery"), {"theme": DARK, "prefix": "accent"}
    )
    edges = listing["tokens"]["edges"]
    assert [e["node"]["path"] for e in edges] == ["accent.bg", "accent.fg"]
    assert {m["name"] for m in listing["modifiers"]} == {"theme"}
    fg = edges[1]["node"]
    assert fg["value"]["hex"] == "#d1242f"  # dark
    assert {v["context"]: v["value"]["hex"] for v in fg["valuesByContext"]} == {
        "light": "#0969da",
        "dark": "#d1242f",
    }

    refetched = writer.read(operation_text("TokenSwatchRefetchQuery"), {"id": fg["id"]})
    assert refetched["node"] == fg  # the same token, in the same (dark) theme

    paging = operation_text("TokenListPaginationQuery")
    everything = [e["node"]["path"] for e in writer.read(paging, {"first": 100})["tokens"]["edges"]]
    first = writer.read(paging, {"first": 2})["tokens"]
    assert [e["node"]["path"] for e in first["edges"]] == everything[:2]
    assert first["pageInfo"]["hasNextPage"] is True
    after = writer.read(paging, {"first": 2, "after": first["pageInfo"]["endCursor"]})["tokens"]
    assert [e["node"]["path"] for e in after["edges"]] == everything[2:4]
    back = writer.read(
        paging, {"first": None, "last": 2, "before": after["pageInfo"]["endCursor"]}
    )["tokens"]
    assert [e["node"]["path"] for e in back["edges"]] == everything[1:3]
    assert back["pageInfo"]["hasPreviousPage"] is True

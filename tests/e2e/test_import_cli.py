"""``flask tokens import``: counts, replacement, every error reported, all or nothing.

Each test runs on SQLite and PostgreSQL (the ``app``/``runner`` fixtures), through the CLI
runner, and checks what the database and the GraphQL API show afterwards.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

import pytest
from sqlalchemy import func, select

from graphql_api.store import db
from graphql_api.store.models import Context, Modifier, TokenSet
from graphql_api.writes import imports
from tests.helpers import SMALL_EXAMPLE, data_of, gql, import_tokens, stored_state

if TYPE_CHECKING:
    from pathlib import Path

    from click.testing import Result
    from flask import Flask
    from flask.testing import FlaskClient, FlaskCliRunner

ALL_PATHS = "{ tokens { totalCount edges { node { path resolvedValue } } } }"

GOOD_A = {
    "color": {
        "$type": "color",
        "red": {"$value": "#ff0000"},
        "danger": {"$value": "{color.red}"},
    }
}
GOOD_B = {"space": {"$type": "dimension", "sm": {"$value": "4px"}, "md": {"$value": "8px"}}}


def write(folder: Path, name: str, content: Any) -> Path:
    path = folder / name
    path.write_text(content if isinstance(content, str) else json.dumps(content), "utf-8")
    return path


def served(client: FlaskClient) -> dict[str, Any]:
    """``{path: resolvedValue}`` of every token the API serves."""
    conn = data_of(gql(client, ALL_PATHS))["tokens"]
    return {e["node"]["path"]: e["node"]["resolvedValue"] for e in conn["edges"]}


def count(app: Flask, model: type) -> int:
    with db.get_state(app).sessionmaker() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def error_lines(result: Result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith("[")]


# --------------------------------------------------------------------------- good imports


def test_good_file_prints_counts_and_exits_0(app: Flask, runner: FlaskCliRunner) -> None:
    result = import_tokens(runner, SMALL_EXAMPLE)
    # 56 tokens in one set; 40 references: typography 4+4 (2 groups), transitions 3+3,
    # borders 3+3, shadows 4+4+2, text.sizes 1+1.
    summary = result.stdout.strip().splitlines()[-1]
    assert re.search(r"\b56 tokens\b", summary), summary
    assert re.search(r"\b56 values\b", summary), summary
    assert re.search(r"\b40 aliases\b", summary), summary
    assert re.search(r"\b1 sets?\b", summary), summary
    assert re.search(r"\b0 modifiers\b", summary), summary
    assert re.search(r"\b0 contexts\b", summary), summary
    assert re.search(r"\brevision 1\b", summary), summary
    assert result.stderr == ""
    state = stored_state(app)
    assert state.revision == 1
    oracle = json.loads((SMALL_EXAMPLE.parent / "oracle" / "default.json").read_text("utf-8"))
    assert state.paths == set(oracle)
    assert len(state.values) == 56


def test_reimport_replaces_everything(
    app: Flask, runner: FlaskCliRunner, client: FlaskClient, tmp_path: Path
) -> None:
    import_tokens(runner, write(tmp_path, "a.tokens.json", GOOD_A))
    first = stored_state(app)
    assert first.paths == {"color.red", "color.danger"}
    assert served(client) == {"color.red": "#ff0000", "color.danger": "#ff0000"}

    result = import_tokens(runner, write(tmp_path, "b.tokens.json", GOOD_B))
    second = stored_state(app)
    assert second.paths == {"space.sm", "space.md"}  # nothing of A is left
    assert second.revision > first.revision
    assert re.search(rf"\brevision {second.revision}\b", result.stdout)
    assert served(client) == {"space.sm": "4px", "space.md": "8px"}
    assert count(app, TokenSet) == 1


def test_single_token_file_is_one_set_without_modifiers(
    app: Flask, runner: FlaskCliRunner, client: FlaskClient, tmp_path: Path
) -> None:
    import_tokens(runner, SMALL_EXAMPLE)  # a resolver document with a set first
    result = import_tokens(runner, write(tmp_path, "tokens.json", GOOD_A))
    assert re.search(r"\b2 tokens\b", result.stdout)
    assert re.search(r"\b1 aliases\b|\b1 alias\b", result.stdout)
    assert (count(app, TokenSet), count(app, Modifier), count(app, Context)) == (1, 0, 0)
    assert data_of(gql(client, "{ modifiers { name } }")) == {"modifiers": []}
    assert served(client) == {"color.red": "#ff0000", "color.danger": "#ff0000"}


def test_json5_token_file(app: Flask, runner: FlaskCliRunner, tmp_path: Path) -> None:
    text = "{ size: { $type: 'dimension', sm: { $value: '4px' }, }, // trailing comma\n}"
    import_tokens(runner, write(tmp_path, "size.json5", text))
    assert stored_state(app).paths == {"size.sm"}


# --------------------------------------------------------------------------- bad documents

#: name → (files to write, file to import, expected [(code, token path or "", file name)])
BAD: dict[str, tuple[dict[str, Any], str, list[tuple[str, str, str]]]] = {
    "cycle": (
        {
            "t.json": {
                "c": {
                    "$type": "color",
                    "a": {"$value": "{c.b}"},
                    "b": {"$value": "{c.a}"},
                    "ok": {"$value": "#000000"},
                }
            }
        },
        "t.json",
        [("CIRCULAR_REFERENCE", "c.a", "t.json"), ("CIRCULAR_REFERENCE", "c.b", "t.json")],
    ),
    "unresolvable-reference": (
        {"t.json": {"c": {"$type": "color", "a": {"$value": "{c.nope}"}}}},
        "t.json",
        [("UNRESOLVABLE_REFERENCE", "c.a", "t.json")],
    ),
    "reference-to-a-group": (
        {
            "t.json": {
                "c": {"$type": "color", "a": {"$value": "{base}"}},
                "base": {"$type": "color", "x": {"$value": "#000000"}},
            }
        },
        "t.json",
        [("GROUP_REFERENCE", "c.a", "t.json")],
    ),
    "invalid-name": (
        {"t.json": {"c": {"$type": "color", "a{b}": {"$value": "#000000"}}}},
        "t.json",
        [("INVALID_NAME", "c.a{b}", "t.json")],
    ),
    "invalid-colour": (
        {"t.json": {"c": {"$type": "color", "a": {"$value": "not-a-colour"}}}},
        "t.json",
        [("INVALID_VALUE", "c.a", "t.json")],
    ),
    "missing-ref-file": (
        {
            "d.resolver.json": {
                "version": "2025.10",
                "sets": {"s": {"sources": [{"$ref": "missing.tokens.json"}]}},
                "resolutionOrder": [{"$ref": "#/sets/s"}],
            }
        },
        "d.resolver.json",
        [("FILE_NOT_FOUND", "", "missing.tokens.json")],
    ),
    "invalid-json": (
        {"t.json": '{"c": {"$type": "color", "a": {"$value": "#000000"'},
        "t.json",
        [("INVALID_JSON", "", "t.json")],
    ),
    "invalid-json-in-a-referenced-file": (
        {
            "d.resolver.json": {
                "version": "2025.10",
                "sets": {"s": {"sources": [{"$ref": "broken.tokens.json"}]}},
                "resolutionOrder": [{"$ref": "#/sets/s"}],
            },
            "broken.tokens.json": "{ nope",
        },
        "d.resolver.json",
        [("INVALID_JSON", "", "broken.tokens.json")],
    ),
    "invalid-resolver-json": (
        {"d.resolver.json": '{"version": "2025.10", "resolutionOrder": ['},
        "d.resolver.json",
        [("INVALID_JSON", "", "d.resolver.json")],
    ),
    "three-problems-in-one-file": (
        {
            "t.json": {
                "c": {
                    "$type": "color",
                    "dangling": {"$value": "{c.nope}"},
                    "grp": {"$value": "{size}"},
                    "bad": {"$value": "#12345"},
                },
                "size": {"$type": "dimension", "s": {"$value": "4px"}},
            }
        },
        "t.json",
        [
            ("UNRESOLVABLE_REFERENCE", "c.dangling", "t.json"),
            ("GROUP_REFERENCE", "c.grp", "t.json"),
            ("INVALID_VALUE", "c.bad", "t.json"),
        ],
    ),
    "problems-in-two-files-and-a-context": (
        {
            "d.resolver.json": {
                "version": "2025.10",
                "sets": {"s": {"sources": [{"$ref": "a.json"}, {"$ref": "b.json"}]}},
                "modifiers": {
                    "mode": {
                        "contexts": {"light": [], "dark": [{"$ref": "dark.json"}]},
                        "default": "light",
                    }
                },
                "resolutionOrder": [{"$ref": "#/sets/s"}, {"$ref": "#/modifiers/mode"}],
            },
            "a.json": {"c": {"$type": "color", "x": {"$value": "{c.nope}"}}},
            "b.json": {"d": {"$type": "dimension", "y": {"$value": "12 parsecs"}}},
            "dark.json": {"c": {"$type": "color", "z": {"$value": "{c.zz}"}}},
        },
        "d.resolver.json",
        [
            ("UNRESOLVABLE_REFERENCE", "c.x", "a.json"),
            ("INVALID_VALUE", "d.y", "b.json"),
            ("UNRESOLVABLE_REFERENCE", "c.z", "dark.json"),
        ],
    ),
}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_document_prints_every_error_and_writes_nothing(
    app: Flask, runner: FlaskCliRunner, client: FlaskClient, tmp_path: Path, case: str
) -> None:
    import_tokens(runner, SMALL_EXAMPLE)
    before = stored_state(app)
    before_served = served(client)

    files, target, expected = BAD[case]
    bad = tmp_path / "bad"
    bad.mkdir()
    for name, content in files.items():
        write(bad, name, content)
    result = import_tokens(runner, bad / target, ok=False)

    assert result.exit_code != 0
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    lines = error_lines(result)
    for code, path, file in expected:
        hits = [
            line
            for line in lines
            if f"[{code}]" in line and (not path or path in line) and file in line
        ]
        assert hits, f"no {code} error naming {path or '-'} and {file} in:\n{result.stderr}"
    assert len(lines) == len(expected), result.stderr
    n = len(expected)
    assert f"{n} error{'s' if n > 1 else ''}" in result.stderr

    after = stored_state(app)
    assert after == before  # same tokens, same values, same revision
    assert served(client) == before_served


def test_load_and_validation_errors_are_reported_together(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    doc = {
        "c": {
            "$type": "color",
            "$bad": {"$value": "#000000"},
            "a": {"$value": "{c.b}"},
            "b": {"$value": "{c.a}"},
            "v": {"$value": "nope"},
        }
    }
    result = import_tokens(runner, write(tmp_path, "t.json", doc), ok=False)
    assert result.exit_code != 0
    codes = sorted(re.findall(r"^\[([A-Z_]+)\]", result.stderr, flags=re.MULTILINE))
    assert codes == sorted(
        ["INVALID_NAME", "CIRCULAR_REFERENCE", "CIRCULAR_REFERENCE", "INVALID_VALUE"]
    )
    assert stored_state(app).revision == 0


def test_bad_first_import_leaves_an_empty_database(
    app: Flask, runner: FlaskCliRunner, client: FlaskClient, tmp_path: Path
) -> None:
    bad = {"c": {"$type": "color", "a": {"$value": "{c.nope}"}}}
    result = import_tokens(runner, write(tmp_path, "t.json", bad), ok=False)
    assert result.exit_code != 0
    assert stored_state(app).revision == 0
    assert stored_state(app).values == {}
    assert data_of(gql(client, "{ tokens { totalCount } }")) == {"tokens": {"totalCount": 0}}


# --------------------------------------------------------------------------- all or nothing


class WriteFailedError(RuntimeError):
    """Raised by a sabotaged write."""


def _fail_after_first_layer(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Make the second layer written fail, after the first layer's rows were inserted."""
    real = imports._write_layer
    calls: list[int] = []

    def write_layer(*args: Any, **kwargs: Any) -> Any:
        counts = real(*args, **kwargs)
        calls.append(counts[0])
        if len(calls) == 2:
            raise WriteFailedError("disk full")
        return counts

    monkeypatch.setattr(imports, "_write_layer", write_layer)
    return calls


def _fail_after_everything(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Let the whole import run (revision row included), then fail before the commit."""
    real = imports.import_document
    calls: list[int] = []

    def import_document(*args: Any, **kwargs: Any) -> Any:
        result = real(*args, **kwargs)
        calls.append(result.values)
        raise WriteFailedError("connection lost")

    monkeypatch.setattr(imports, "import_document", import_document)
    return calls


@pytest.mark.parametrize("sabotage", [_fail_after_first_layer, _fail_after_everything])
def test_a_failed_write_changes_nothing(
    app: Flask,
    runner: FlaskCliRunner,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    sabotage: Any,
) -> None:
    client = app.test_client()
    import_tokens(runner, write(tmp_path, "a.tokens.json", GOOD_A))
    before = stored_state(app)
    before_served = served(client)
    assert before.revision == 1

    doc = {
        "version": "2025.10",
        "sets": {"s": {"sources": [{"$ref": "b.tokens.json"}]}},
        "modifiers": {
            "mode": {
                "contexts": {
                    "light": [{"$ref": "b.tokens.json"}],
                    "dark": [{"$ref": "b.tokens.json"}],
                },
                "default": "light",
            }
        },
        "resolutionOrder": [{"$ref": "#/sets/s"}, {"$ref": "#/modifiers/mode"}],
    }
    write(tmp_path, "b.tokens.json", GOOD_B)
    calls = sabotage(monkeypatch)
    result = import_tokens(runner, write(tmp_path, "b.resolver.json", doc), ok=False)

    assert isinstance(result.exception, WriteFailedError), result.output
    assert result.exit_code != 0
    assert calls, "the sabotaged write never ran"
    assert calls[0] > 0  # rows were really written before the failure
    assert stored_state(app) == before
    assert (count(app, TokenSet), count(app, Modifier)) == (1, 0)
    assert served(client) == before_served

    monkeypatch.undo()  # the same document imports fine once nothing sabotages the write
    import_tokens(runner, tmp_path / "b.resolver.json")
    assert stored_state(app).paths == {"space.sm", "space.md"}
    assert stored_state(app).revision > before.revision

"""The committed `schema.graphql` is the live schema (codegen reads the file)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from graphql import GraphQLInterfaceType, GraphQLObjectType, build_schema
from graphql.utilities import find_breaking_changes, find_dangerous_changes

from graphql_api.schema import schema

ROOT = Path(__file__).resolve().parents[2]
COMMITTED = ROOT / "schema.graphql"
REGENERATE = "strawberry export-schema graphql_api.schema:schema --output schema.graphql"


def test_committed_sdl_equals_live_schema() -> None:
    live = schema.as_str().strip()
    committed = COMMITTED.read_text(encoding="utf-8").strip()
    assert committed == live, f"schema.graphql is stale; regenerate it with: {REGENERATE}"


def test_strawberry_cli_prints_the_committed_sdl() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "strawberry", "export-schema", "graphql_api.schema:schema"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == COMMITTED.read_text(encoding="utf-8").strip()


def test_committed_sdl_is_a_valid_schema_with_no_drift() -> None:
    committed = build_schema(COMMITTED.read_text(encoding="utf-8"))
    live = build_schema(schema.as_str())
    assert find_breaking_changes(committed, live) == []
    assert find_dangerous_changes(committed, live) == []


def _undescribed(sdl_schema) -> list[str]:  # type: ignore[no-untyped-def]
    missing = []
    for name, t in sdl_schema.type_map.items():
        if name.startswith("__") or name in ("String", "Int", "Float", "Boolean", "ID", "JSON"):
            continue
        if not t.description:
            missing.append(name)
        for fname, f in getattr(t, "fields", {}).items():
            if not f.description:
                missing.append(f"{name}.{fname}")
            for aname, a in getattr(f, "args", {}).items():
                if not a.description:
                    missing.append(f"{name}.{fname}({aname})")
    return missing


def test_every_type_field_and_argument_has_a_description() -> None:
    assert _undescribed(build_schema(schema.as_str())) == []


def test_every_argument_is_named_once_with_the_name_strawberry_gives_it() -> None:
    """:func:`graphql_api.schema.name_arguments` ran at import and changed no name."""
    committed = build_schema(COMMITTED.read_text(encoding="utf-8"))
    checked = 0
    for name, concrete in schema.schema_converter.type_map.items():
        for field in getattr(concrete.definition, "fields", ()):
            if not field.arguments:
                continue
            names = [argument.graphql_name for argument in field.arguments]
            assert all(names), (name, field.python_name)
            printed = committed.get_type(name)
            assert isinstance(printed, (GraphQLObjectType, GraphQLInterfaceType))
            graphql_name = schema.config.name_converter.get_graphql_name(field)
            assert sorted(names) == sorted(printed.fields[graphql_name].args), (name, graphql_name)
            checked += len(names)
    assert checked > 50

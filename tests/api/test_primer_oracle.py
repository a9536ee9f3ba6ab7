"""Whole themes over GraphQL equal the oracles (Style Dictionary 5.5.5, cross-checked).

One ``tokens(theme: …)`` request per theme combination of ``oracle/index.json``; every
token's effective ``type`` and ``resolvedValue`` must equal the oracle file's, for every path.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

import pytest

from tests.helpers import (
    PRIMER,
    PRIMER_ORACLE,
    SMALL_ORACLE,
    canonical,
    data_of,
    load_oracle,
)

if TYPE_CHECKING:
    from tests.api.conftest import Gql, SharedDB

PRIMER_TOKENS = 1_488  # oracle/HOW.md: every one of the 15 combinations has 1,488 tokens

QUERY = """
query Theme($theme: [ThemeSelection!]) {
  tokens(theme: $theme) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage }
    edges { node { path type resolvedValue } }
  }
}
"""

PRIMER_COMBINATIONS: dict[str, dict[str, str]] = json.loads(
    (PRIMER_ORACLE / "index.json").read_text(encoding="utf-8")
)


def _compare(got: dict[str, Any], expected: dict[str, Any]) -> list[str]:
    """Human-readable differences between ``{path: {type, value}}`` mappings."""
    problems = [f"missing {p}" for p in sorted(expected.keys() - got.keys())]
    problems += [f"unexpected {p}" for p in sorted(got.keys() - expected.keys())]
    for path in sorted(expected.keys() & got.keys()):
        want, have = expected[path], got[path]
        if want["type"] != have["type"]:
            problems.append(f"{path}: type {have['type']!r} != oracle {want['type']!r}")
        if canonical(want["value"]) != canonical(have["value"]):
            problems.append(
                f"{path}: value {json.dumps(have['value'])} != oracle {json.dumps(want['value'])}"
            )
    return problems


def _fetch(gql: Gql, theme: dict[str, str]) -> tuple[dict[str, Any], dict[str, Any]]:
    selection = [{"modifier": m, "context": c} for m, c in theme.items()]
    conn = data_of(gql(QUERY, {"theme": selection or None}))["tokens"]
    nodes = [e["node"] for e in conn["edges"]]
    got = {n["path"]: {"type": n["type"], "value": n["resolvedValue"]} for n in nodes}
    assert len(got) == len(nodes), "a path appears twice in one page"
    return conn, got


def test_primer_import_reports_its_counts(primer: SharedDB) -> None:
    # The resolver document: sets foundation + size-border; modifiers pointer (fine, coarse)
    # and theme (14 colour themes) = 16 contexts.
    doc = json.loads(PRIMER.read_text(encoding="utf-8"))
    contexts = sum(len(m["contexts"]) for m in doc["modifiers"].values())
    assert (len(doc["sets"]), len(doc["modifiers"]), contexts) == (2, 2, 16)
    summary = primer.import_stdout.strip().splitlines()[-1]
    for expected in (f"{PRIMER_TOKENS} tokens", "2 sets", "2 modifiers", "16 contexts"):
        assert re.search(rf"\b{expected}\b", summary), summary


def test_the_index_lists_15_combinations() -> None:
    assert len(PRIMER_COMBINATIONS) == 15
    assert {tuple(sorted(t)) for t in PRIMER_COMBINATIONS.values()} == {("pointer", "theme")}


@pytest.mark.parametrize(
    ("oracle_file", "theme"),
    [pytest.param(f, t, id=f.removesuffix(".json")) for f, t in PRIMER_COMBINATIONS.items()],
)
def test_primer_theme_equals_oracle(
    primer: SharedDB, oracle_file: str, theme: dict[str, str]
) -> None:
    expected = load_oracle(PRIMER_ORACLE / oracle_file)
    assert len(expected) == PRIMER_TOKENS
    conn, got = _fetch(primer.gql, theme)
    assert conn["totalCount"] == PRIMER_TOKENS
    assert len(got) == PRIMER_TOKENS
    assert conn["pageInfo"] == {"hasNextPage": False, "hasPreviousPage": False}
    problems = _compare(got, expected)
    assert not problems, f"{len(problems)} mismatches against {oracle_file}:\n" + "\n".join(
        problems[:40]
    )


def test_small_example_equals_oracle(small_example: object, gql: Gql) -> None:
    index = json.loads((SMALL_ORACLE / "index.json").read_text(encoding="utf-8"))
    assert index == {"default.json": {}}  # no modifiers: one combination
    expected = load_oracle(SMALL_ORACLE / "default.json")
    assert len(expected) == 56  # oracle/HOW.md
    conn, got = _fetch(gql, {})
    assert conn["totalCount"] == 56
    problems = _compare(got, expected)
    assert not problems, f"{len(problems)} mismatches:\n" + "\n".join(problems)

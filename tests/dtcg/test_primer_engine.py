"""Real data: the engine alone against the oracle (``tests/data/*/oracle``).

For every theme combination in ``oracle/index.json``: load the resolver document
(once per module: Primer takes ~6 s), flatten the layers for that input, resolve,
and compare every token's type and resolved value with the oracle file, which an
independent toolchain produced (see each folder's README and ``oracle/HOW.md``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from graphql_api.dtcg.parse import flatten
from graphql_api.dtcg.references import resolve
from graphql_api.dtcg.resolver import ResolverDocument, load_resolver, normalise_input
from graphql_api.dtcg.validate import validate_document

DATA = Path(__file__).resolve().parent.parent / "data"
PRIMER = DATA / "primer-primitives"
SMALL = DATA / "dtcg-small-example"
PRIMER_INDEX: dict[str, dict[str, str]] = json.loads((PRIMER / "oracle/index.json").read_text())


def oracle(folder: Path, name: str) -> dict[str, dict[str, Any]]:
    data: dict[str, dict[str, Any]] = json.loads((folder / "oracle" / name).read_text())
    return data


def resolve_for(doc: ResolverDocument, given: dict[str, str]) -> dict[str, dict[str, Any]]:
    mods = {m.name: (list(m.contexts), m.default) for m in doc.modifiers.values()}
    out, errs = resolve(flatten(doc.layers(normalise_input(mods, given))))
    assert errs == []
    return {p: {"type": t.type, "value": t.value} for p, t in out.items()}


@pytest.fixture(scope="module")
def primer() -> ResolverDocument:
    return load_resolver(PRIMER / "primer-primitives.resolver.json")


@pytest.fixture(scope="module")
def small() -> ResolverDocument:
    return load_resolver(SMALL / "dtcg-small-example.resolver.json")


def test_primer_oracle_index_has_15_combinations() -> None:
    assert len(PRIMER_INDEX) == 15


@pytest.mark.parametrize(
    ("name", "given"),
    [pytest.param(n, g, id=n.removesuffix(".json")) for n, g in PRIMER_INDEX.items()],
)
def test_primer_combination_equals_oracle(
    primer: ResolverDocument, name: str, given: dict[str, str]
) -> None:
    expected = oracle(PRIMER, name)
    got = resolve_for(primer, given)
    assert len(expected) == 1488
    assert len(got) == 1488
    assert set(got) == set(expected)
    wrong = {p: (got[p], expected[p]) for p in expected if got[p] != expected[p]}
    assert wrong == {}


def test_primer_modifiers(primer: ResolverDocument) -> None:
    assert set(primer.modifiers) == {"theme", "pointer"}
    assert len(primer.modifiers["theme"].contexts) == 14
    assert primer.modifiers["pointer"].default == "fine"
    themes = {g["theme"] for g in PRIMER_INDEX.values()}
    assert themes == set(primer.modifiers["theme"].contexts)


def test_primer_validates_without_error(primer: ResolverDocument) -> None:
    calls: list[int] = []
    assert validate_document(primer, progress=lambda i, n: calls.append(n)) == []
    assert calls == [28] * 28  # 14 themes x 2 pointers, all checked


def test_small_example_equals_oracle(small: ResolverDocument) -> None:
    index = json.loads((SMALL / "oracle/index.json").read_text())
    assert index == {"default.json": {}}
    expected = oracle(SMALL, "default.json")
    got = resolve_for(small, {})
    assert len(expected) == 56
    assert len(got) == 56
    assert got == expected


def test_small_example_alias_type_beats_group_type(small: ResolverDocument) -> None:
    # DTCG 2025.10 §5.2.2: text.sizes.* sit in a group typed fontSize but alias dimension tokens.
    got = resolve_for(small, {})
    sizes = {p: v["type"] for p, v in got.items() if p.startswith("text.size")}
    assert sizes
    assert set(sizes.values()) == {"dimension"}


def test_small_example_validates_without_error(small: ResolverDocument) -> None:
    assert validate_document(small) == []

"""Strict mode on real data: what 2025.10 rejects in Primer primitives (informative).

Primer ships JSON5, ``em``, hex-string colours, custom types, string interpolation
and vendor members; tolerant mode accepts all of it (``test_primer_engine.py``),
strict mode must reject it with the catalogue's codes. The counts pin today's
findings so a change in what strict mode reports is seen.
"""

from __future__ import annotations

import collections
import json
from pathlib import Path

import pytest

from graphql_api.dtcg import errors as E  # noqa: N812 - the engine's own alias
from graphql_api.dtcg.errors import DTCGErrorGroup
from graphql_api.dtcg.jsonio import load_json
from graphql_api.dtcg.parse import parse_document
from graphql_api.dtcg.resolver import load_resolver
from graphql_api.dtcg.validate import validate_document

PRIMER = Path(__file__).resolve().parent.parent / "data" / "primer-primitives"
RESOLVER = PRIMER / "primer-primitives.resolver.json"


def source_files() -> list[str]:
    found: set[str] = set()

    def walk(node: object) -> None:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and not ref.startswith("#"):
                found.add(ref)
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(json.loads(RESOLVER.read_text(encoding="utf-8")))
    return sorted(found)


def test_primer_strict_load_rejects_json5_custom_types_and_interpolation() -> None:
    with pytest.raises(DTCGErrorGroup) as info:
        load_resolver(RESOLVER, strict=True)
    counts = collections.Counter(e.code for e in info.value.errors)
    # 57 of the 75 source files are JSON5; the others are plain JSON and are checked further
    assert counts == {E.INVALID_JSON: 57, E.UNKNOWN_TYPE: 6, E.INVALID_REFERENCE: 4}
    assert all(e.file and e.path for e in info.value.errors if e.code != E.INVALID_JSON)


def test_primer_strict_token_checks_of_every_file_read_as_json5() -> None:
    counts: collections.Counter[str] = collections.Counter()
    files = source_files()
    for name in files:
        _, errs = parse_document(load_json(PRIMER / name), file=name, strict=True)
        counts.update(e.code for e in errs)
    assert len(files) == 75
    # vendor members ('alpha' next to $value), custom-* types, interpolated references
    assert counts == {E.INVALID_NODE: 36, E.UNKNOWN_TYPE: 9, E.INVALID_REFERENCE: 7}


def test_primer_strict_values() -> None:
    errs = validate_document(load_resolver(RESOLVER), strict=True)
    assert collections.Counter(e.code for e in errs) == {E.INVALID_VALUE: 185}
    messages = [e.message for e in errs]
    assert any("must be an object {colorSpace, components}" in m for m in messages)  # hex strings
    assert any("['alpha'] (§9.2)" in m for m in messages)  # shadow layers with 'alpha'
    assert any("typography.letterSpacing: missing" in m for m in messages)
    assert any("transition.delay: missing" in m for m in messages)
    assert any("'em'" in m for m in messages)

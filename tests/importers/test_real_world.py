"""Real design systems, imported as their teams ship them, against an independent oracle.

Every ``tests/data/real-world/*/manifest.json`` names a set (see the README of
``tests/data/real-world/``): its input, the ``--input-format`` to force (or null), the
theme combinations and, per combination, an oracle file made by another tool
(``{token path: value}``). Each set is imported through the same path as ``flask
tokens import`` (``importers.load`` then ``validate_document``, tolerant mode), every
combination is resolved, and every oracle token must exist and match
(:func:`tests.real_world_compare.compare`), except the set's ``knownDifferences``,
each of which must still differ (so a fix shows up). All mismatches are printed at once.

A second test per set checks that strict mode (``tokens validate --strict``) still
rejects the non-standard forms these files use, with the usual codes.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from graphql_api import importers
from graphql_api.dtcg import errors as E  # noqa: N812 - the engine's own alias
from graphql_api.dtcg.errors import DTCGError, DTCGErrorGroup
from graphql_api.dtcg.validate import validate_document
from tests.importers.helpers import resolve_selection
from tests.real_world_compare import compare

CORPUS = Path(__file__).resolve().parents[1] / "data" / "real-world"
MANIFESTS = sorted(CORPUS.glob("*/manifest.json"))
#: The codes strict mode uses for the forms tolerant mode accepts.
STRICT_CODES = frozenset(
    {
        E.INVALID_VALUE,
        E.UNKNOWN_TYPE,
        E.MISSING_TYPE,
        E.INVALID_PROPERTY,
        E.INVALID_REFERENCE,
        E.INVALID_NODE,
        E.INVALID_JSON,
        E.DUPLICATE_NAME,
        E.TYPE_MISMATCH,
        E.INVALID_NAME,
    }
)
MAX_SHOWN = 200


def _manifest(path: Path) -> dict[str, Any]:
    manifest: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return manifest


def _load(folder: Path, manifest: dict[str, Any], **options: Any) -> Any:
    return importers.load(
        folder / manifest["input"], manifest.get("inputFormat") or "auto", **options
    )


@pytest.fixture(params=MANIFESTS, ids=[p.parent.name for p in MANIFESTS])
def real_set(request: pytest.FixtureRequest) -> tuple[Path, dict[str, Any]]:
    path: Path = request.param
    return path.parent, _manifest(path)


def test_corpus_is_not_empty() -> None:
    assert MANIFESTS, f"no manifest.json under {CORPUS}"


def test_real_world_set_matches_its_oracle(real_set: tuple[Path, dict[str, Any]]) -> None:
    folder, manifest = real_set
    for name in ("LICENSE", "README.md"):
        assert (folder / name).is_file(), f"{folder.name} has no {name}"
    doc = _load(folder, manifest)
    errors = validate_document(doc)
    assert errors == [], "\n".join(str(e) for e in errors[:MAX_SHOWN])
    known: dict[str, str] = manifest.get("knownDifferences") or {}
    problems: list[str] = []
    for combo in manifest["combinations"]:
        resolved = resolve_selection(doc, combo["input"])
        oracle = json.loads((folder / combo["oracle"]).read_text(encoding="utf-8"))
        assert oracle, f"{combo['oracle']} is empty"
        for path, expected in oracle.items():
            tok = resolved.get(path)
            why = "missing" if tok is None else compare(tok.type, tok.value, expected)
            if path in known and why is None:
                problems.append(f"{combo['id']} {path}: listed in knownDifferences but now equal")
            elif path not in known and why is not None:
                problems.append(f"{combo['id']} {path}: {why}")
    shown = "\n".join(problems[:MAX_SHOWN])
    assert not problems, f"{len(problems)} mismatches in {folder.name}:\n{shown}"


def test_real_world_set_strict_rejects_its_tolerated_forms(
    real_set: tuple[Path, dict[str, Any]],
) -> None:
    folder, manifest = real_set
    errors: list[DTCGError] = []
    try:
        doc = _load(folder, manifest, strict=True)
    except DTCGErrorGroup as group:
        errors = group.errors
    else:
        errors = validate_document(doc, strict=True)
    codes = {e.code for e in errors}
    assert codes <= STRICT_CODES, sorted(codes - STRICT_CODES)
    assert all(e.file for e in errors), [str(e) for e in errors if not e.file][:5]
    if manifest["format"] != "dtcg":  # other formats are never plain DTCG 2025.10
        assert errors, f"{folder.name}: strict mode accepted a {manifest['format']} set"

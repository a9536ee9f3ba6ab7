"""Validation across every theme combination (Resolver §6, Format §7 to §9): ``dtcg.validate``.

A small resolver document with two modifiers (2 x 2 = 4 combinations) plants
problems in the base set (seen by every combination) and in single contexts
(seen by some): every problem must be found, and each reported exactly once.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pytest

from graphql_api.dtcg import errors as E  # noqa: N812 - the engine's own alias
from graphql_api.dtcg.resolver import load_resolver
from graphql_api.dtcg.validate import combinations, validate_document

if TYPE_CHECKING:
    from pathlib import Path

    from graphql_api.dtcg.resolver import ResolverDocument


def write(path: Path, data: Any) -> str:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path.name


def document(tmp_path: Path, base: Any, contexts: dict[str, dict[str, Any]]) -> ResolverDocument:
    """A resolver with set ``base`` then modifiers ``mode`` (light/dark), ``density`` (a/b)."""
    mods: dict[str, Any] = {
        "mode": {"contexts": {"light": [], "dark": []}, "default": "light"},
        "density": {"contexts": {"a": [], "b": []}, "default": "a"},
    }
    for key, data in contexts.items():
        mod, ctx = key.split(":")
        mods[mod]["contexts"][ctx] = [{"$ref": write(tmp_path / f"{mod}-{ctx}.json", data)}]
    resolver = {
        "version": "2025.10",
        "sets": {"base": {"sources": [{"$ref": write(tmp_path / "base.json", base)}]}},
        "modifiers": mods,
        "resolutionOrder": [
            {"$ref": "#/sets/base"},
            {"$ref": "#/modifiers/mode"},
            {"$ref": "#/modifiers/density"},
        ],
    }
    path = tmp_path / "r.resolver.json"
    path.write_text(json.dumps(resolver), encoding="utf-8")
    return load_resolver(path)


VALID_BASE = {
    "color": {"$type": "color", "fg": {"$value": "#1f2328"}, "link": {"$value": "{color.fg}"}},
    "size": {
        "$type": "dimension",
        "s": {"$value": "4px"},
        "m": {"$value": {"value": 8, "unit": "px"}},
    },
    "shadow": {
        "$type": "shadow",
        "$value": {
            "color": "{color.fg}",
            "offsetX": "{size.s}",
            "offsetY": "0px",
            "blur": "{size.m}",
        },
    },
}

# (rule, base additions, context files, expected (code, path, file-stem) problems)
CASES = [
    pytest.param(
        {"bad": {"$type": "dimension", "$value": "16"}},
        {},
        [(E.INVALID_VALUE, "bad", "base")],
        id="format-8.2-invalid-value-in-every-combination",
    ),
    pytest.param(
        {},
        {"mode:dark": {"color": {"fg": {"$value": "nope"}}}},
        # color.link and shadow depend on it: not reported again (as resolve() does for references)
        [(E.INVALID_VALUE, "color.fg", "mode-dark")],
        id="format-8.1-invalid-value-in-one-context",
    ),
    pytest.param(
        {},
        {"mode:dark": {"size": {"s": {"$value": "#fff", "$type": "color"}}}},
        # the override makes size.s a colour: shadow.offsetX now references a colour token
        [(E.TYPE_MISMATCH, "shadow", "base")],
        id="format-9.6-composite-member-type-mismatch-after-override",
    ),
    pytest.param(
        {"mis": {"$type": "color", "$value": "{size.s}"}},
        {},
        [(E.TYPE_MISMATCH, "mis", "base")],
        id="format-7.4.5-type-mismatch-everywhere",
    ),
    pytest.param(
        {
            "t": {"$type": "dimension", "$value": "{v}"},
            "v": {"$type": "dimension", "$value": "1px"},
        },
        {"density:b": {"v": {"$type": "color", "$value": "#fff"}}},
        [(E.TYPE_MISMATCH, "t", "base")],
        id="format-7.4.5-type-mismatch-in-one-context",
    ),
    pytest.param(
        {"t": {"$type": "dimension", "$value": "{raw}"}, "raw": {"$value": "1px"}},
        {"mode:light": {"raw": {"$value": "abc"}}, "mode:dark": {"raw": {"$value": "xyz"}}},
        [(E.INVALID_VALUE, "t", "base")],
        id="validate-same-token-different-bad-values-once",
    ),
    pytest.param(
        {"a": {"$value": "{b}"}, "b": {"$value": 1}},
        {"mode:dark": {"b": {"$value": "{a}"}}},
        [(E.CIRCULAR_REFERENCE, "a", "base"), (E.CIRCULAR_REFERENCE, "b", "mode-dark")],
        id="format-7.2.3-cycle-in-one-context",
    ),
    pytest.param(
        {"x": {"$value": "{missing}"}},
        {},
        [(E.UNRESOLVABLE_REFERENCE, "x", "base")],
        id="format-7.4.5-unresolvable-everywhere",
    ),
    pytest.param(
        {"x": {"$value": "{late}"}},
        {"density:a": {"late": {"$value": 1}}},
        [(E.UNRESOLVABLE_REFERENCE, "x", "base")],
        id="format-7.4.5-unresolvable-in-some-contexts",
    ),
    pytest.param(
        {"x": {"$value": "{color}"}},
        {},
        [(E.GROUP_REFERENCE, "x", "base")],
        id="format-7.1.1-group-reference",
    ),
    pytest.param(
        {
            "bad1": {"$type": "fontWeight", "$value": 0},
            "bad2": {"$type": "cubicBezier", "$value": [2, 0, 1, 1]},
            "mis": {"$type": "duration", "$value": "{size.m}"},
        },
        {
            "mode:dark": {"bad3": {"$type": "number", "$value": "1"}},
            "density:b": {"bad4": {"$type": "gradient", "$value": []}},
        },
        [
            (E.INVALID_VALUE, "bad1", "base"),
            (E.INVALID_VALUE, "bad2", "base"),
            (E.TYPE_MISMATCH, "mis", "base"),
            (E.INVALID_VALUE, "bad3", "mode-dark"),
            (E.INVALID_VALUE, "bad4", "density-b"),
        ],
        id="validate-all-errors-reported-not-only-the-first",
    ),
]


@pytest.mark.parametrize(("extra", "contexts", "expected"), CASES)
def test_validate_document(
    tmp_path: Path,
    extra: dict[str, Any],
    contexts: dict[str, dict[str, Any]],
    expected: list[tuple[str, str, str]],
) -> None:
    doc = document(tmp_path, {**VALID_BASE, **extra}, contexts)
    errs = validate_document(doc)
    got = sorted((e.code, e.path, e.file) for e in errs)
    assert got == sorted((c, p, str(tmp_path / f"{f}.json")) for c, p, f in expected)
    for err in errs:
        assert err.pointer == "/" + err.path.replace(".", "/")
        assert err.message


def test_validate_valid_document_has_no_error(tmp_path: Path) -> None:
    ctx = {
        "mode:dark": {"color": {"fg": {"$value": "#f0f6fc"}}},
        "density:b": {"size": {"s": {"$value": "2px"}}},
    }
    assert validate_document(document(tmp_path, VALID_BASE, ctx)) == []


def test_validate_progress_counts_combinations(tmp_path: Path) -> None:
    calls: list[tuple[int, int]] = []
    validate_document(
        document(tmp_path, VALID_BASE, {}), progress=lambda i, n: calls.append((i, n))
    )
    assert calls == [(1, 4), (2, 4), (3, 4), (4, 4)]


def test_validate_combinations_all(tmp_path: Path) -> None:
    combos = combinations(document(tmp_path, VALID_BASE, {}))
    assert sorted(tuple(sorted(c.items())) for c in combos) == sorted(
        (("density", d), ("mode", m)) for m in ("light", "dark") for d in ("a", "b")
    )


def test_validate_combinations_capped_checks_every_context(tmp_path: Path) -> None:
    doc = document(tmp_path, VALID_BASE, {})
    combos = combinations(doc, max_combinations=3)
    assert combos[0] == {"mode": "light", "density": "a"}
    assert len(combos) == 3
    for mod in ("mode", "density"):
        assert {c[mod] for c in combos} == set(doc.modifiers[mod].contexts)


def test_validate_capped_still_finds_context_problem(tmp_path: Path) -> None:
    ctx = {"density:b": {"bad": {"$type": "number", "$value": "x"}}}
    errs = validate_document(document(tmp_path, VALID_BASE, ctx), max_combinations=1)
    assert [(e.code, e.path) for e in errs] == [(E.INVALID_VALUE, "bad")]

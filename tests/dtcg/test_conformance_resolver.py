"""Conformance tables for the Resolver module 2025.10 (§3 file, §4 syntax, §5 inputs, §6 logic).

Rows are named ``resolver-<section>-…`` after the section they check. Each row
writes a resolver document (and its token files) into ``tmp_path``; valid rows give
inputs and the resolved values expected, invalid rows the ``(code, pointer)``
problems expected from :func:`load_resolver` (tolerant mode unless the row says
strict). Expected values come from the spec's text and examples.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pytest

from graphql_api.dtcg import errors as E  # noqa: N812 - the engine's own alias
from graphql_api.dtcg.errors import DTCGErrorGroup
from graphql_api.dtcg.parse import flatten
from graphql_api.dtcg.references import resolve
from graphql_api.dtcg.resolver import ResolverDocument, load_resolver, normalise_input
from graphql_api.dtcg.validate import combinations, validate_document

if TYPE_CHECKING:
    from pathlib import Path

V = "2025.10"


def num(n: float) -> dict[str, Any]:
    return {"$type": "number", "$value": n}


def build(tmp_path: Path, resolver: dict[str, Any], files: dict[str, Any]) -> Path:
    for name, data in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    path = tmp_path / "r.resolver.json"
    path.write_text(json.dumps(resolver), encoding="utf-8")
    return path


def resolved(doc: ResolverDocument, given: dict[str, str]) -> dict[str, Any]:
    mods = {m.name: (list(m.contexts), m.default) for m in doc.modifiers.values()}
    out, errs = resolve(flatten(doc.layers(normalise_input(mods, given))))
    assert errs == []
    return {p: t.value for p, t in out.items()}


def load_problems(path: Path, *, strict: bool = False) -> list[tuple[str, str]]:
    try:
        load_resolver(path, strict=strict)
    except DTCGErrorGroup as group:
        return sorted((e.code, e.pointer) for e in group.errors)
    return []


FILES = {
    "base.json": {"color": {"a": num(1), "b": num(2)}, "size": {"s": num(4)}},
    "dark.json": {"color": {"a": num(10)}},
    "light.json": {"color": {"a": num(11)}},
}
THEME = {
    "contexts": {"light": [{"$ref": "light.json"}], "dark": [{"$ref": "dark.json"}]},
    "default": "light",
}

# (resolver document, extra files, input, expected values of some paths)
VALID = [
    pytest.param(
        {
            "version": V,
            "sets": {"s": {"sources": [{"$ref": "base.json"}, {"color": {"a": num(5)}}]}},
            "resolutionOrder": [{"$ref": "#/sets/s"}],
        },
        {},
        {},
        {"color.a": 5, "color.b": 2},
        id="resolver-4.1.4-sources-merged-in-order",
    ),
    pytest.param(
        {
            "version": V,
            "sets": {"s": {"sources": [{"$ref": "base.json"}]}},
            "modifiers": {"theme": THEME},
            "resolutionOrder": [{"$ref": "#/sets/s"}, {"$ref": "#/modifiers/theme"}],
        },
        {},
        {"theme": "dark"},
        {"color.a": 10, "color.b": 2},
        id="resolver-4.1.6-modifier-after-set-wins",
    ),
    pytest.param(
        {
            "version": V,
            "sets": {"s": {"sources": [{"$ref": "base.json"}]}},
            "modifiers": {"theme": THEME},
            "resolutionOrder": [{"$ref": "#/modifiers/theme"}, {"$ref": "#/sets/s"}],
        },
        {},
        {"theme": "dark"},
        {"color.a": 1},
        id="resolver-4.1.6-set-after-modifier-wins",
    ),
    pytest.param(
        {
            "version": V,
            "sets": {"size": {"sources": [{"$ref": "base.json"}]}},
            "modifiers": {
                "m": {
                    "contexts": {
                        "small": [{"$ref": "#/sets/size"}, {"size": {"s": num(2)}}],
                        "large": [{"$ref": "#/sets/size"}],
                    }
                }
            },
            "resolutionOrder": [{"$ref": "#/modifiers/m"}],
        },
        {},
        {"m": "small"},
        {"size.s": 2, "color.a": 1},
        id="resolver-4.1.5.1-context-references-a-set",
    ),
    pytest.param(
        {
            "version": V,
            "modifiers": {
                "debug": {"contexts": {"false": [], "true": [{"t": num(1)}]}, "default": "false"}
            },
            "resolutionOrder": [
                {"type": "set", "name": "s", "sources": [{"u": num(0)}]},
                {"$ref": "#/modifiers/debug"},
            ],
        },
        {},
        {},
        {"u": 0},
        id="resolver-4.1.6-empty-context-array",
    ),
    pytest.param(
        {
            "version": V,
            "resolutionOrder": [
                {"type": "set", "name": "Size", "sources": [{"$ref": "base.json"}]},
                {
                    "type": "modifier",
                    "name": "Theme",
                    "contexts": {
                        "light": [{"$ref": "light.json"}],
                        "dark": [{"$ref": "dark.json"}],
                    },
                    "default": "light",
                },
            ],
        },
        {},
        {"theme": "DARK"},
        {"color.a": 10},
        id="resolver-4.1.6.1-inline-set-and-modifier",
    ),
    pytest.param(
        {
            "version": V,
            "sets": {"s": {"sources": [{"$ref": "base.json"}]}},
            "modifiers": {"theme": THEME},
            "resolutionOrder": [
                {"$ref": "#/sets/s"},
                {"$ref": "#/modifiers/theme", "default": "dark"},
            ],
        },
        {},
        {},
        {"color.a": 10},
        id="resolver-4.2.2-order-item-overrides-default",
    ),
    pytest.param(
        {
            "version": V,
            "sets": {"s": {"sources": [{"$ref": "base.json"}]}},
            "resolutionOrder": [{"$ref": "#/sets/s", "sources": [{"$ref": "dark.json"}]}],
        },
        {},
        {},
        {"color.a": 10},
        id="resolver-4.2.2-order-item-overrides-sources-whole",
    ),
    pytest.param(
        {
            "version": V,
            "sets": {"s": {"sources": [{"$ref": "base.json", "color": {"z": num(9)}}]}},
            "resolutionOrder": [{"$ref": "#/sets/s"}],
        },
        {},
        {},
        {"color.z": 9, "color.a": None, "size.s": 4},
        id="resolver-4.2.2-source-sibling-replaces-top-level-group-shallowly",
    ),
    pytest.param(
        {
            "version": V,
            "$defs": {"colors": {"c": num(3)}},
            "sets": {"s": {"sources": [{"$ref": "#/$defs/colors"}]}},
            "resolutionOrder": [{"$ref": "#/sets/s"}],
        },
        {},
        {},
        {"c": 3},
        id="resolver-4.2-same-document-pointer-to-defs",
    ),
    pytest.param(
        {
            "version": V,
            "$defs": {"foundation/colors.json": {"c": num(4)}},
            "sets": {"s": {"sources": [{"$ref": "#/$defs/foundation~1colors.json"}]}},
            "resolutionOrder": [{"$ref": "#/sets/s"}],
        },
        {},
        {},
        {"c": 4},
        id="resolver-7.2-defs-key-with-escaped-slash",
    ),
    pytest.param(
        {
            "version": V,
            "sets": {"s": {"sources": [{"$ref": "base.json#/color"}]}},
            "resolutionOrder": [{"$ref": "#/sets/s"}],
        },
        {},
        {},
        {"a": 1, "b": 2},
        id="resolver-4.2-file-with-fragment",
    ),
    pytest.param(
        {
            "version": V,
            "$defs": {"unused": {"anything": True}},
            "sets": {"s": {"sources": [{"$ref": "base.json"}]}},
            "resolutionOrder": [{"$ref": "#/sets/s"}],
        },
        {},
        {},
        {"color.a": 1},
        id="resolver-4.5-defs-ignored",
    ),
    pytest.param(
        {
            "version": V,
            "sets": {
                "base": {
                    "sources": [
                        {"btn": {"$type": "number", "bg": {"$value": 1}, "fg": {"$value": 2}}}
                    ]
                },
                "ext": {"sources": [{"primary": {"$extends": "{btn}"}}]},
            },
            "modifiers": {"theme": {"contexts": {"light": [], "dark": [{"btn": {"bg": num(7)}}]}}},
            "resolutionOrder": [
                {"$ref": "#/sets/base"},
                {"$ref": "#/sets/ext"},
                {"$ref": "#/modifiers/theme"},
            ],
        },
        {},
        {"theme": "dark"},
        {"primary.bg": 7, "primary.fg": 2},
        id="resolver-6.3-extends-applied-after-the-merge",
    ),
    pytest.param(
        {
            "version": V,
            "sets": {"s": {"sources": [{"x": {"$value": "{color.a}"}}, {"$ref": "base.json"}]}},
            "modifiers": {"theme": THEME},
            "resolutionOrder": [{"$ref": "#/sets/s"}, {"$ref": "#/modifiers/theme"}],
        },
        {},
        {"theme": "dark"},
        {"x": 10},
        id="resolver-6.3-aliases-resolved-after-the-merge",
    ),
]


@pytest.mark.parametrize(("resolver", "files", "given", "expected"), VALID)
def test_resolver_conformance_valid(
    tmp_path: Path,
    resolver: dict[str, Any],
    files: dict[str, Any],
    given: dict[str, str],
    expected: dict[str, Any],
) -> None:
    path = build(tmp_path, resolver, {**FILES, **files})
    got = resolved(load_resolver(path), given)
    assert {p: got.get(p) for p in expected} == expected
    assert validate_document(load_resolver(path)) == []


# (resolver document, problems as (code, pointer), strict-only?)
INVALID = [
    pytest.param(
        {"sets": {"s": {"sources": []}}, "resolutionOrder": [{"$ref": "#/sets/s"}]},
        [(E.INVALID_RESOLVER, "/version")],
        True,
        id="resolver-4.1.2-version-missing",
    ),
    pytest.param(
        {
            "version": "2024",
            "sets": {"s": {"sources": []}},
            "resolutionOrder": [{"$ref": "#/sets/s"}],
        },
        [(E.INVALID_RESOLVER, "/version")],
        True,
        id="resolver-4.1.2-version-not-2025.10",
    ),
    pytest.param(
        {
            "version": V,
            "modifiers": {"m": {"contexts": {"only": []}}},
            "resolutionOrder": [{"$ref": "#/modifiers/m"}],
        },
        [(E.INVALID_RESOLVER, "/modifiers/m/contexts")],
        True,
        id="resolver-4.1.5.1-single-context",
    ),
    pytest.param(
        {
            "version": V,
            "modifiers": {"m": {"contexts": {}}},
            "resolutionOrder": [{"$ref": "#/modifiers/m"}],
        },
        [(E.INVALID_RESOLVER, "/modifiers/m/contexts")],
        False,
        id="resolver-4.1.5.1-zero-contexts",
    ),
    pytest.param(
        {
            "version": V,
            "modifiers": {
                "m": {"contexts": {"a": [{"$ref": "#/modifiers/n"}], "b": []}},
                "n": {"contexts": {"x": [], "y": []}},
            },
            "resolutionOrder": [{"$ref": "#/modifiers/m"}],
        },
        [(E.INVALID_RESOLVER, "/modifiers/m/contexts/a/0")],
        False,
        id="resolver-4.1.5.1-context-references-a-modifier",
    ),
    pytest.param(
        {
            "version": V,
            "modifiers": {
                "m": {"contexts": {"a": [], "b": [{"$ref": "#/modifiers/m/contexts/a"}]}}
            },
            "resolutionOrder": [{"$ref": "#/modifiers/m"}],
        },
        [(E.INVALID_RESOLVER, "/modifiers/m/contexts/b/0")],
        False,
        id="resolver-4.1.5.1-context-references-another-context",
    ),
    pytest.param(
        {
            "version": V,
            "modifiers": {"m": {"contexts": {"a": [], "b": []}, "default": 1}},
            "resolutionOrder": [{"$ref": "#/modifiers/m"}],
        },
        [(E.INVALID_RESOLVER, "/modifiers/m/default")],
        False,
        id="resolver-4.1.5.3-default-not-a-string",
    ),
    pytest.param(
        {"version": V, "resolutionOrder": [{"type": "modifier", "contexts": {"a": [], "b": []}}]},
        [(E.INVALID_RESOLVER, "/resolutionOrder/0")],
        False,
        id="resolver-4.1.6.1-inline-modifier-without-name",
    ),
    pytest.param(
        {"version": V, "resolutionOrder": [{"name": "x", "sources": []}]},
        [(E.INVALID_RESOLVER, "/resolutionOrder/0")],
        False,
        id="resolver-4.1.6.1-inline-set-without-type",
    ),
    pytest.param(
        {
            "version": V,
            "resolutionOrder": [
                {"type": "set", "name": "x", "sources": []},
                {"type": "set", "name": "x", "sources": []},
            ],
        },
        [(E.INVALID_RESOLVER, "/resolutionOrder/1")],
        False,
        id="resolver-4.1.6.1-inline-name-twice",
    ),
    pytest.param(
        {
            "version": V,
            "resolutionOrder": [
                {"type": "set", "name": "x", "sources": []},
                {"$ref": "#/resolutionOrder/0"},
            ],
        },
        [(E.INVALID_RESOLVER, "/resolutionOrder/1")],
        False,
        id="resolver-4.1.6.1-order-item-references-order",
    ),
    pytest.param(
        {
            "version": V,
            "sets": {"s": {"sources": [{"$ref": "#/resolutionOrder/0/sources/0"}]}},
            "resolutionOrder": [
                {"type": "set", "name": "x", "sources": [{"t": num(1)}]},
                {"$ref": "#/sets/s"},
            ],
        },
        [(E.INVALID_RESOLVER, "/sets/s/sources/0")],
        False,
        id="resolver-4.2.1-source-references-order",
    ),
    pytest.param(
        {
            "version": V,
            "$defs": {
                "a": {"sources": [{"$ref": "#/$defs/b"}]},
                "b": {"sources": [{"$ref": "#/$defs/a"}]},
            },
            "sets": {"s": {"sources": [{"$ref": "#/$defs/a"}]}},
            "resolutionOrder": [{"$ref": "#/sets/s"}],
        },
        [(E.INVALID_RESOLVER, "/$defs/b/sources/0")],
        False,
        id="resolver-4.2-circular-references",
    ),
    pytest.param(
        {
            "version": V,
            "sets": {"s": {"sources": [{"$ref": "#/sets"}]}},
            "resolutionOrder": [{"$ref": "#/sets/s"}],
        },
        [(E.INVALID_RESOLVER, "/sets/s/sources/0")],
        False,
        id="resolver-4.2-reference-to-its-own-parent",
    ),
    pytest.param(
        {
            "version": V,
            "sets": {"s": {"sources": [{"$ref": "#/nope"}]}},
            "resolutionOrder": [{"$ref": "#/sets/s"}],
        },
        [(E.INVALID_RESOLVER, "/sets/s/sources/0")],
        False,
        id="resolver-4.2-pointer-to-nothing",
    ),
    pytest.param(
        {
            "version": V,
            "sets": {"s": {"sources": [{"$ref": 3}]}},
            "resolutionOrder": [{"$ref": "#/sets/s"}],
        },
        [(E.INVALID_RESOLVER, "/sets/s/sources/0")],
        False,
        id="resolver-4.2-ref-not-a-string",
    ),
    pytest.param(
        {"version": V, "resolutionOrder": [{"$ref": "other.resolver.json#/sets/s"}]},
        [(E.INVALID_RESOLVER, "/resolutionOrder/0")],
        False,
        id="resolver-4.2-order-item-in-another-file",
    ),
    pytest.param(
        {
            "version": V,
            "modifiers": {"m": {"contexts": {"a": {"description": "A", "sources": []}, "b": []}}},
            "resolutionOrder": [{"$ref": "#/modifiers/m"}],
        },
        [(E.INVALID_RESOLVER, "/modifiers/m/contexts/a")],
        True,
        id="resolver-4.1.5.1-context-as-object",
    ),
]


@pytest.mark.parametrize(("resolver", "expected", "strict_only"), INVALID)
def test_resolver_conformance_invalid(
    tmp_path: Path, resolver: dict[str, Any], expected: list[tuple[str, str]], strict_only: bool
) -> None:
    path = build(tmp_path, resolver, FILES)
    assert load_problems(path, strict=True) == sorted(expected)
    assert load_problems(path) == ([] if strict_only else sorted(expected))


def test_resolver_4_3_extensions_and_descriptions_kept(tmp_path: Path) -> None:
    ext = {"com.figma": {"file": "x"}}
    resolver = {
        "version": V,
        "sets": {"s": {"description": "S", "sources": [], "$extensions": ext}},
        "modifiers": {
            "m": {
                "description": "M",
                "$extensions": ext,
                "contexts": {
                    "a": {
                        "description": "context A",
                        "$extensions": ext,
                        "sources": [{"t": num(1)}],
                    },
                    "b": [],
                },
            }
        },
        "resolutionOrder": [
            {"$ref": "#/sets/s"},
            {"$ref": "#/modifiers/m"},
            {"type": "set", "name": "inline", "sources": [], "$extensions": ext},
        ],
    }
    doc = load_resolver(build(tmp_path, resolver, {}))
    assert (doc.sets["s"].description, doc.sets["s"].extensions) == ("S", ext)
    assert doc.sets["inline"].extensions == ext
    m = doc.modifiers["m"]
    assert (m.description, m.extensions) == ("M", ext)
    assert m.context_info == {"a": {"description": "context A", "$extensions": ext}}
    assert resolved(doc, {"m": "a"}) == {"t": 1}


def test_resolver_8_token_extensions_survive_resolution(tmp_path: Path) -> None:
    ext = {"org.example": {"keep": [1, {"x": None}]}}
    files = {
        "t.json": {
            "a": {"$type": "number", "$value": 1, "$extensions": ext},
            "b": {"$value": "{a}"},
        }
    }
    resolver = {
        "version": V,
        "sets": {"s": {"sources": [{"$ref": "t.json"}]}},
        "resolutionOrder": [{"$ref": "#/sets/s"}],
    }
    doc = load_resolver(build(tmp_path, resolver, files))
    out, _ = resolve(flatten(doc.layers({})))
    assert out["a"].node.extensions == ext


BRAND_MODE_CONTRAST = {
    "version": V,
    "sets": {
        "base": {"sources": [{"fg": {"$type": "number", "$value": "{pick}"}, "pick": num(0)}]}
    },
    "modifiers": {
        "brand": {
            "contexts": {"a": [{"pick": num(100)}], "b": [{"pick": num(200)}]},
            "default": "a",
        },
        "mode": {
            "contexts": {
                "light": [],
                "dark": [{"pick": {"$value": "{dark}"}, "dark": {"$type": "number", "$value": 2}}],
            },
            "default": "light",
        },
        "contrast": {"contexts": {"normal": [], "high": [{"dark": num(3)}]}, "default": "normal"},
    },
    "resolutionOrder": [
        {"$ref": "#/sets/base"},
        {"$ref": "#/modifiers/brand"},
        {"$ref": "#/modifiers/mode"},
        {"$ref": "#/modifiers/contrast"},
    ],
}


@pytest.mark.parametrize(
    ("given", "fg"),
    [
        pytest.param({}, 100, id="resolver-6.2-three-modifiers-defaults"),
        pytest.param({"brand": "b"}, 200, id="resolver-6.2-brand-b"),
        pytest.param({"brand": "b", "mode": "dark"}, 2, id="resolver-6.2-later-modifier-wins"),
        pytest.param(
            {"mode": "dark", "contrast": "high"}, 3, id="resolver-6.3-chain-across-contexts"
        ),
        pytest.param({"contrast": "high"}, 100, id="resolver-6.2-contrast-alone-no-effect"),
    ],
)
def test_resolver_6_2_modifiers_combined(tmp_path: Path, given: dict[str, str], fg: int) -> None:
    doc = load_resolver(build(tmp_path, BRAND_MODE_CONTRAST, {}))
    assert resolved(doc, given)["fg"] == fg


def test_resolver_4_1_5_4_resolution_count(tmp_path: Path) -> None:
    doc = load_resolver(build(tmp_path, BRAND_MODE_CONTRAST, {}))
    assert len(combinations(doc)) == 2 * 2 * 2
    assert validate_document(doc) == []


@pytest.mark.parametrize(
    ("given", "codes"),
    [
        pytest.param({"brand": True}, [E.INVALID_INPUT], id="resolver-5.2-boolean-input"),
        pytest.param({"brand": 100}, [E.INVALID_INPUT], id="resolver-5.2-number-input"),
        pytest.param({"Brand": "B", "MODE": "Dark"}, [], id="resolver-5.1-case-insensitive"),
        pytest.param(
            {"brand": "c", "foo": "bar"},
            [E.UNKNOWN_CONTEXT, E.UNKNOWN_MODIFIER],
            id="resolver-6.1-every-input-error-at-once",
        ),
    ],
)
def test_resolver_5_inputs(tmp_path: Path, given: dict[str, Any], codes: list[str]) -> None:
    doc = load_resolver(build(tmp_path, BRAND_MODE_CONTRAST, {}))
    mods = {m.name: (list(m.contexts), m.default) for m in doc.modifiers.values()}
    if not codes:
        assert normalise_input(mods, given) == {"brand": "b", "mode": "dark", "contrast": "normal"}
        return
    with pytest.raises(DTCGErrorGroup) as info:
        normalise_input(mods, given)
    assert sorted(e.code for e in info.value.errors) == sorted(codes)


def test_resolver_6_1_missing_input_without_default(tmp_path: Path) -> None:
    resolver = {
        "version": V,
        "modifiers": {"size": {"contexts": {"s": [], "l": []}}},
        "resolutionOrder": [{"$ref": "#/modifiers/size"}],
    }
    doc = load_resolver(build(tmp_path, resolver, {}))
    with pytest.raises(DTCGErrorGroup) as info:
        normalise_input({"size": (["s", "l"], None)}, {})
    [err] = info.value.errors
    assert err.code == E.MISSING_INPUT
    assert "size" in err.message
    assert doc.modifiers["size"].default is None


def test_resolver_3_1_strict_reads_plain_json_and_reports_duplicate_keys(tmp_path: Path) -> None:
    files = {"t.json": '{"a": {"$type": "number", "$value": 1, "$value": 2}}'}
    resolver = {
        "version": V,
        "sets": {"s": {"sources": [{"$ref": "t.json"}]}},
        "resolutionOrder": [{"$ref": "#/sets/s"}],
    }
    path = build(tmp_path, resolver, files)
    assert resolved(load_resolver(path), {}) == {"a": 2}
    assert load_problems(path, strict=True) == [(E.DUPLICATE_NAME, "/a")]

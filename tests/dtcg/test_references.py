"""Format module 2025.10 §7 (aliases, references) and §5.2.2 (type): ``dtcg.references``.

Rows are named after the rule they check. Expected values are written from the
spec (or computed by hand), never taken from the engine's output.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from graphql_api.dtcg import errors as E  # noqa: N812 - the engine's own alias
from graphql_api.dtcg.parse import flatten, parse_document
from graphql_api.dtcg.references import (
    Reference,
    ResolvedToken,
    find_references,
    resolve,
    split_json_pointer,
)

BLUE = {"colorSpace": "srgb", "components": [0, 0.4, 1], "alpha": 1, "hex": "#0066ff"}


def resolved(data: Any, file: str = "t.json") -> dict[str, ResolvedToken]:
    """Resolve one token tree and require that it has no problem."""
    doc, errs = parse_document(data, file=file)
    assert errs == []
    out, errs = resolve(doc)
    assert errs == []
    return out


def problems(data: Any, file: str = "t.json") -> tuple[dict[str, ResolvedToken], list[Any]]:
    doc, errs = parse_document(data, file=file)
    assert errs == []
    return resolve(doc)


# --------------------------------------------------------------------------- finding references

FIND_CASES = [
    pytest.param("{a.b}", [Reference("", "a.b")], id="format-7.1.1-whole-value"),
    pytest.param("{ a.b }", [Reference("", "a.b")], id="format-7.1.1-whitespace-trimmed"),
    pytest.param("#fff", [], id="format-7.1.1-no-reference"),
    pytest.param("{", [], id="format-7.1.1-lone-brace"),
    pytest.param(
        "1px solid {c.x}",
        [Reference("", "c.x", interpolated=True)],
        id="compat-interpolation-found",
    ),
    pytest.param(
        "{a} {b}",
        [Reference("", "a", interpolated=True), Reference("", "b", interpolated=True)],
        id="compat-interpolation-two-in-one-string",
    ),
    pytest.param(
        {"color": "{c.blue}", "offsetX": "{s.1}", "blur": "4px"},
        [Reference("/color", "c.blue"), Reference("/offsetX", "s.1")],
        id="format-9-inside-composite",
    ),
    pytest.param(
        [{"color": "{c.a}"}, {"color": "{c.b}"}],
        [Reference("/0/color", "c.a"), Reference("/1/color", "c.b")],
        id="format-9.1-inside-array",
    ),
    pytest.param(
        {"$ref": "#/color/blue/$value"}, [Reference("", "color.blue")], id="format-7.1.2-ref-value"
    ),
    pytest.param(
        {"$ref": "#/color/blue/$value/components/0"},
        [Reference("", "color.blue", "/components/0")],
        id="format-7.3-ref-into-value",
    ),
    pytest.param(
        {"fontFamily": {"$ref": "#/font/$value"}},
        [Reference("/fontFamily", "font")],
        id="format-7.3-ref-inside-composite",
    ),
    pytest.param({"$ref": "other.json#/a"}, [], id="format-7.1.2-external-ref-not-a-token-ref"),
]


@pytest.mark.parametrize(("value", "expected"), FIND_CASES)
def test_format_7_find_references(value: Any, expected: list[Reference]) -> None:
    assert list(find_references(value)) == expected


@pytest.mark.parametrize(
    ("ref", "expected"),
    [
        pytest.param("#/a/b/$value", ("a.b", ""), id="rfc6901-token-value"),
        pytest.param("#/a/b", ("a.b", ""), id="rfc6901-token-node"),
        pytest.param("#/a/b/$value/components/2", ("a.b", "/components/2"), id="rfc6901-into"),
        pytest.param("#/a~1b/c~0d/$value", ("a/b.c~d", ""), id="rfc6901-escapes"),
    ],
)
def test_rfc6901_split_json_pointer(ref: str, expected: tuple[str, str]) -> None:
    assert split_json_pointer(ref) == expected


# --------------------------------------------------------------------------- resolution

ALIAS_CASES = [
    pytest.param(
        {"a": {"$type": "number", "$value": 3}, "b": {"$value": "{a}"}},
        "b",
        3,
        id="format-7.1.1-whole-value-alias",
    ),
    pytest.param(
        {"a": {"$value": 0}, "b": {"$value": "{a}"}},
        "b",
        0,
        id="format-7.1.1-target-zero",
    ),
    pytest.param(
        {"a": {"$value": False}, "b": {"$value": "{a}"}},
        "b",
        False,
        id="format-7.1.1-target-false",
    ),
    pytest.param(
        {"a": {"$value": ""}, "b": {"$value": "{a}"}},
        "b",
        "",
        id="format-7.1.1-target-empty-string",
    ),
    pytest.param(
        {"a": {"$value": None}, "b": {"$value": "{a}"}},
        "b",
        None,
        id="format-7.1.1-target-null",
    ),
    pytest.param(
        {
            "c": {"blue": {"$type": "color", "$value": BLUE}},
            "s": {
                "$type": "shadow",
                "$value": {
                    "color": "{c.blue}",
                    "offsetX": "{d.one}",
                    "offsetY": "0px",
                    "blur": "2px",
                },
            },
            "d": {"one": {"$type": "dimension", "$value": {"value": 1, "unit": "px"}}},
        },
        "s",
        {"color": BLUE, "offsetX": {"value": 1, "unit": "px"}, "offsetY": "0px", "blur": "2px"},
        id="format-9.6-alias-inside-composite",
    ),
    pytest.param(
        {
            "c": {"a": {"$value": "#000"}, "b": {"$value": "{c.a}"}},
            "g": {
                "$type": "gradient",
                "$value": [{"color": "{c.a}", "position": 0}, {"color": "{c.b}", "position": 1}],
            },
        },
        "g",
        [{"color": "#000", "position": 0}, {"color": "#000", "position": 1}],
        id="format-9.7-alias-inside-array",
    ),
    pytest.param(
        {
            "f": {"$type": "fontFamily", "$value": ["Inter", "sans-serif"]},
            "t": {"$value": {"fontFamily": "{f}", "fontSize": "{sz}"}},
            "sz": {"$value": "{sz2}"},
            "sz2": {"$value": "16px"},
        },
        "t",
        {"fontFamily": ["Inter", "sans-serif"], "fontSize": "16px"},
        id="format-9.8-chain-inside-composite",
    ),
    pytest.param(
        {
            "a": {"$value": 1},
            "b": {"$value": "{a}"},
            "c": {"$value": "{b}"},
            "d": {"$value": "{c}"},
            "e": {"$value": "{d}"},
        },
        "e",
        1,
        id="format-7.2.2-chain-depth-4",
    ),
    pytest.param(
        {
            "e": {"$value": "{d}"},
            "d": {"$value": "{c}"},
            "c": {"$value": "{b}"},
            "b": {"$value": "{a}"},
            "a": {"$value": "x"},
        },
        "e",
        "x",
        id="format-7.2.2-chain-declared-backwards",
    ),
    pytest.param(
        {
            "c": {"blue": {"$type": "color", "$value": BLUE}},
            "x": {"$value": {"$ref": "#/c/blue/$value"}},
        },
        "x",
        BLUE,
        id="format-7.1.2-ref-whole-value",
    ),
    pytest.param(
        {
            "c": {"blue": {"$type": "color", "$value": BLUE}},
            "x": {"$type": "number", "$value": {"$ref": "#/c/blue/$value/components/1"}},
        },
        "x",
        0.4,
        id="format-7.3-ref-into-value",
    ),
    pytest.param(
        {
            "c": {"blue": {"$type": "color", "$value": BLUE}, "alias": {"$value": "{c.blue}"}},
            "x": {"$value": {"$ref": "#/c/alias/$value/hex"}},
        },
        "x",
        "#0066ff",
        id="format-7.3-ref-into-resolved-alias",
    ),
    pytest.param(
        {
            "c": {"blue": {"$type": "color", "$value": BLUE}},
            "b": {
                "$type": "border",
                "$value": {"color": {"$ref": "#/c/blue/$value"}, "width": "1px", "style": "solid"},
            },
        },
        "b",
        {"color": BLUE, "width": "1px", "style": "solid"},
        id="format-7.3-ref-inside-composite",
    ),
    pytest.param(
        {"g": {"$root": {"$value": 5}, "x": {"$value": "{g.$root}"}}},
        "g.x",
        5,
        id="format-6.2-reference-to-root-token",
    ),
]


@pytest.mark.parametrize(("data", "path", "expected"), ALIAS_CASES)
def test_format_7_resolution(data: Any, path: str, expected: Any) -> None:
    assert resolved(data)[path].value == expected


INTERPOLATION_CASES = [
    pytest.param(
        {"bp": {"medium": {"$type": "dimension", "$value": {"value": 768, "unit": "px"}}}},
        "(min-width: {bp.medium})",
        "(min-width: 768px)",
        id="interpolation-dimension-object",
    ),
    pytest.param(
        {"bp": {"medium": {"$type": "dimension", "$value": "48rem"}}},
        "(min-width: {bp.medium})",
        "(min-width: 48rem)",
        id="interpolation-dimension-string",
    ),
    pytest.param(
        {
            "bp": {
                "medium": {"$type": "dimension", "$value": {"value": 768, "unit": "px"}},
                "large": {"$type": "dimension", "$value": {"value": 1012, "unit": "px"}},
            }
        },
        "(min-width: {bp.medium}) and (max-width: {bp.large})",
        "(min-width: 768px) and (max-width: 1012px)",
        id="interpolation-two-references",
    ),
    pytest.param(
        {"c": {"$type": "color", "$value": BLUE}},
        "1px solid {c}",
        "1px solid #0066ff",
        id="interpolation-color-hex",
    ),
    pytest.param(
        {"n": {"$type": "number", "$value": 1.5}},
        "calc({n} * 2)",
        "calc(1.5 * 2)",
        id="interpolation-number",
    ),
    pytest.param(
        {"n": {"$type": "number", "$value": 0}, "m": {"$value": "{n}"}},
        "x{m}",
        "x0",
        id="interpolation-through-alias-to-zero",
    ),
    pytest.param(
        {"d": {"$type": "duration", "$value": {"value": 200, "unit": "ms"}}},
        "all {d}",
        "all 200ms",
        id="interpolation-duration",
    ),
]


@pytest.mark.parametrize(("targets", "raw", "expected"), INTERPOLATION_CASES)
def test_format_7_interpolation_uses_css_text(targets: Any, raw: str, expected: str) -> None:
    out = resolved({**targets, "q": {"$type": "custom-string", "$value": raw}})
    assert out["q"].value == expected
    assert out["q"].type == "custom-string"
    assert out["q"].alias_of is None


def test_format_7_chain_of_5000_has_no_recursion_error() -> None:
    n = 5000
    data: dict[str, Any] = {f"t{i}": {"$value": f"{{t{i + 1}}}"} for i in range(n)}
    data[f"t{n}"] = {"$type": "dimension", "$value": {"value": 2, "unit": "rem"}}
    out = resolved(data)
    assert len(out) == n + 1
    assert out["t0"].value == {"value": 2, "unit": "rem"}
    assert out["t0"].type == "dimension"
    assert out["t0"].alias_of == "t1"


def test_format_7_cycle_of_5000_has_no_recursion_error() -> None:
    n = 5000
    data = {f"t{i}": {"$value": f"{{t{(i + 1) % n}}}"} for i in range(n)}
    out, errs = problems(data)
    assert out == {}
    assert sorted(e.path for e in errs) == sorted(data)
    assert {e.code for e in errs} == {E.CIRCULAR_REFERENCE}


# --------------------------------------------------------------------------- type (§5.2.2)

TYPE_CASES = [
    pytest.param(
        {"t": {"$type": "number", "$value": 1}}, "t", "number", id="format-5.2.2-own-type"
    ),
    pytest.param(
        {"g": {"$type": "color", "t": {"$value": "#fff"}}},
        "g.t",
        "color",
        id="format-5.2.2-type-from-group",
    ),
    pytest.param(
        {"g": {"$type": "color", "h": {"i": {"t": {"$value": "#fff"}}}}},
        "g.h.i.t",
        "color",
        id="format-5.2.2-type-from-distant-group",
    ),
    pytest.param(
        {"g": {"$type": "color", "h": {"$type": "dimension", "t": {"$value": "1px"}}}},
        "g.h.t",
        "dimension",
        id="format-5.2.2-nearest-group-wins",
    ),
    pytest.param(
        {"g": {"$type": "color", "t": {"$type": "custom", "$value": 1}}},
        "g.t",
        "custom",
        id="format-5.2.2-own-type-beats-group",
    ),
    pytest.param(
        {"a": {"$type": "dimension", "$value": "1px"}, "b": {"$value": "{a}"}},
        "b",
        "dimension",
        id="format-5.2.2-type-from-alias-target",
    ),
    pytest.param(
        {
            "a": {"$type": "dimension", "$value": "1px"},
            "b": {"$value": "{a}"},
            "c": {"$value": "{b}"},
        },
        "c",
        "dimension",
        id="format-5.2.2-type-through-chain",
    ),
    pytest.param(
        {
            "size": {"$type": "dimension", "s": {"$value": "12px"}},
            "text": {"$type": "fontSize", "small": {"$value": "{size.s}"}},
        },
        "text.small",
        "dimension",
        id="format-5.2.2-alias-target-beats-group",
    ),
    pytest.param(
        {
            "a": {"$type": "dimension", "$value": "1px"},
            "g": {"$type": "color", "b": {"$type": "custom", "$value": "{a}"}},
        },
        "g.b",
        "custom",
        id="format-5.2.2-own-type-beats-alias-target",
    ),
    pytest.param(
        {"a": {"$value": "1px"}, "g": {"$type": "dimension", "b": {"$value": "{a}"}}},
        "g.b",
        "dimension",
        id="format-5.2.2-untyped-target-then-group",
    ),
    pytest.param(
        {"g": {"$type": "color", "a": {"$value": "#fff"}}, "b": {"$value": "{g.a}"}},
        "b",
        "color",
        id="format-5.2.2-target-type-inherited-from-its-group",
    ),
    pytest.param(
        {
            "a": {"$type": "dimension", "$value": "1px"},
            "b": {"$value": "calc({a} * 2)"},
            "g": {"$type": "custom-string", "c": {"$value": "calc({a} * 2)"}},
        },
        "b",
        None,
        id="format-5.2.2-interpolation-is-not-an-alias",
    ),
    pytest.param({"t": {"$value": "#fff"}}, "t", None, id="format-5.2.2-no-type-never-inferred"),
]


@pytest.mark.parametrize(("data", "path", "expected"), TYPE_CASES)
def test_format_5_2_2_type(data: Any, path: str, expected: str | None) -> None:
    assert resolved(data)[path].type == expected


def test_format_5_2_2_type_after_flatten_group_in_other_file() -> None:
    typed, _ = parse_document({"g": {"$type": "color"}}, file="a.json")
    token, _ = parse_document({"g": {"t": {"$value": "#fff"}}}, file="b.json")
    out, errs = resolve(flatten([typed, token]))
    assert errs == []
    assert out["g.t"].type == "color"


# --------------------------------------------------------------------------- $deprecated

DEPRECATED_CASES = [
    pytest.param({"t": {"$value": 1}}, None, id="format-5.2.4-not-deprecated"),
    pytest.param({"t": {"$value": 1, "$deprecated": True}}, True, id="format-5.2.4-own-true"),
    pytest.param(
        {"t": {"$value": 1, "$deprecated": "use u"}}, "use u", id="format-5.2.4-own-reason"
    ),
    pytest.param(
        {"g": {"$deprecated": True, "t": {"$value": 1}}}, True, id="format-6.3.1-inherit-true"
    ),
    pytest.param(
        {"g": {"$deprecated": "gone", "h": {"t": {"$value": 1}}}},
        "gone",
        id="format-6.3.1-inherit-reason",
    ),
    pytest.param(
        {"g": {"$deprecated": True, "t": {"$value": 1, "$deprecated": False}}},
        False,
        id="format-6.3.1-override-with-false",
    ),
    pytest.param(
        {"g": {"$deprecated": True, "h": {"$deprecated": False, "t": {"$value": 1}}}},
        False,
        id="format-6.3.1-nearest-group-false",
    ),
    pytest.param(
        {"g": {"$deprecated": "old", "t": {"$value": 1, "$deprecated": "older"}}},
        "older",
        id="format-6.3.1-own-reason-beats-group",
    ),
]


@pytest.mark.parametrize(("data", "expected"), DEPRECATED_CASES)
def test_format_deprecated_inheritance(data: Any, expected: bool | str | None) -> None:
    tok = next(iter(resolved(data).values()))
    assert tok.deprecated == expected
    assert type(tok.deprecated) is type(expected)


def test_format_deprecated_is_not_inherited_through_an_alias() -> None:
    data = {"old": {"$deprecated": True, "a": {"$value": 1}}, "b": {"$value": "{old.a}"}}
    out = resolved(data)
    assert out["old.a"].deprecated is True
    assert out["b"].deprecated is None


# --------------------------------------------------------------------------- errors

CYCLE_CASES = [
    pytest.param({"a": {"$value": "{a}"}}, {"a"}, {"ok": 1}, id="format-7.2.3-self-loop"),
    pytest.param(
        {"a": {"$value": "{b}"}, "b": {"$value": "{a}"}},
        {"a", "b"},
        {},
        id="format-7.2.3-two-cycle",
    ),
    pytest.param(
        {
            "tail": {"$value": "{a}"},
            "a": {"$value": "{b}"},
            "b": {"$value": "{c}"},
            "c": {"$value": "{a}"},
        },
        {"a", "b", "c"},
        {},
        id="format-7.2.3-three-cycle-tail-first",
    ),
    pytest.param(
        {
            "a": {"$value": "{b}"},
            "b": {"$value": "{c}"},
            "c": {"$value": "{a}"},
            "tail": {"$value": "{a}"},
        },
        {"a", "b", "c"},
        {},
        id="format-7.2.3-three-cycle-tail-last",
    ),
    pytest.param(
        {"a": {"$value": {"color": "{b}"}}, "b": {"$value": ["{a}"]}},
        {"a", "b"},
        {},
        id="format-7.2.3-cycle-through-composites",
    ),
    pytest.param(
        {"a": {"$value": "x {b}"}, "b": {"$value": "{a}"}},
        {"a", "b"},
        {},
        id="format-7.2.3-cycle-through-interpolation",
    ),
    pytest.param(
        {"a": {"$value": {"$ref": "#/b/$value"}}, "b": {"$value": "{a}"}},
        {"a", "b"},
        {},
        id="format-7.2.3-cycle-through-ref",
    ),
]


@pytest.mark.parametrize(("data", "loop", "others"), CYCLE_CASES)
def test_format_7_3_circular_reference_for_every_token_in_the_loop(
    data: Any, loop: set[str], others: dict[str, Any]
) -> None:
    out, errs = problems({**data, **{k: {"$value": v} for k, v in others.items()}}, file="c.json")
    assert sorted(e.path for e in errs) == sorted(loop)  # once each; the tail is not a cycle
    for err in errs:
        assert err.code == E.CIRCULAR_REFERENCE
        assert err.file == "c.json"
        assert err.pointer == f"/{err.path}"
        assert all(p in err.message for p in loop)
    assert set(out) == set(others)  # neither the loop nor the tail resolves
    assert all(out[k].value == v for k, v in others.items())


ERROR_CASES = [
    pytest.param(
        {"a": {"$value": "{nope}"}},
        "a",
        E.UNRESOLVABLE_REFERENCE,
        "nope",
        id="format-7.4.5-unresolvable",
    ),
    pytest.param(
        {"g": {"a": {"$value": "1px {nope.x}"}}},
        "g.a",
        E.UNRESOLVABLE_REFERENCE,
        "nope.x",
        id="format-7.4.5-unresolvable-interpolated",
    ),
    pytest.param(
        {"a": {"$value": {"color": "{nope}"}}},
        "a",
        E.UNRESOLVABLE_REFERENCE,
        "nope",
        id="format-7.4.5-unresolvable-inside-composite",
    ),
    pytest.param(
        {"a": {"$value": {"$ref": "#/nope/$value"}}},
        "a",
        E.UNRESOLVABLE_REFERENCE,
        "nope",
        id="format-7.4.5-ref-unresolvable",
    ),
    pytest.param(
        {"b": {"$value": [1]}, "a": {"$value": {"$ref": "#/b/$value/3"}}},
        "a",
        E.UNRESOLVABLE_REFERENCE,
        "/3",
        id="format-7.4.5-ref-pointer-past-the-end",
    ),
    pytest.param(
        {"b": {"$value": {"x": 1}}, "a": {"$value": {"$ref": "#/b/$value/y"}}},
        "a",
        E.UNRESOLVABLE_REFERENCE,
        "/y",
        id="format-7.4.5-ref-pointer-missing-member",
    ),
    pytest.param(
        {"c": {"blue": {"$value": "#00f"}}, "a": {"$value": "{c}"}},
        "a",
        E.GROUP_REFERENCE,
        "{c}",
        id="format-7.1.1-reference-to-group",
    ),
    pytest.param(
        {"c": {"d": {"blue": {"$value": "#00f"}}}, "a": {"$value": {"w": "{c.d}"}}},
        "a",
        E.GROUP_REFERENCE,
        "{c.d}",
        id="format-7.1.1-reference-to-nested-group",
    ),
    pytest.param(
        {"c": {"blue": {"$value": "#00f"}}, "a": {"$value": {"$ref": "#/c/$value"}}},
        "a",
        E.GROUP_REFERENCE,
        "c",
        id="format-7.1.2-ref-to-group",
    ),
    pytest.param(
        {"c": {"blue": {"$value": "#00f"}}, "a": {"$value": "{c.blue.x}"}},
        "a",
        E.UNRESOLVABLE_REFERENCE,
        "c.blue.x",
        id="format-7.5.2-reference-below-a-token",
    ),
]


@pytest.mark.parametrize(("data", "path", "code", "named"), ERROR_CASES)
def test_format_7_reference_errors(data: Any, path: str, code: str, named: str) -> None:
    out, errs = problems(data, file="e.json")
    assert [(e.code, e.path, e.file, e.pointer) for e in errs] == [
        (code, path, "e.json", "/" + path.replace(".", "/"))
    ]
    assert named in errs[0].message
    assert path not in out


def test_format_7_dependants_of_an_error_are_left_out_and_others_resolve() -> None:
    data = {
        "bad": {"$value": "{nope}"},
        "dep": {"$value": {"color": "{bad}"}},
        "dep2": {"$value": "{dep}"},
        "fine": {"$value": 1},
        "alias": {"$value": "{fine}"},
        "other": {"$value": "{nope2}"},
    }
    out, errs = problems(data)
    assert sorted((e.code, e.path) for e in errs) == [
        (E.UNRESOLVABLE_REFERENCE, "bad"),
        (E.UNRESOLVABLE_REFERENCE, "other"),
    ]
    assert set(out) == {"fine", "alias"}
    assert out["alias"].value == 1


# --------------------------------------------------------------------------- metadata of results


def test_resolved_token_metadata() -> None:
    data = {
        "c": {"$type": "color", "a": {"$value": "#000"}},
        "b": {"$value": "{c.a}"},
        "s": {"$type": "shadow", "$value": {"color": "{c.a}", "offsetX": "{b}"}},
    }
    out = resolved(data)
    assert out["b"].alias_of == "c.a"
    assert out["b"].references == (Reference("", "c.a"),)
    assert out["b"].node.value == "{c.a}"
    assert out["b"].path == "b"
    assert out["s"].alias_of is None
    assert out["s"].references == (Reference("/color", "c.a"), Reference("/offsetX", "b"))
    assert out["c.a"].alias_of is None
    assert out["c.a"].references == ()
    assert list(out) == ["c.a", "b", "s"]  # document order


def test_resolution_does_not_mutate_raw_values() -> None:
    data: dict[str, Any] = {
        "c": {"$type": "color", "a": {"$value": dict(BLUE)}},
        "b": {"$value": "{c.a}"},
        "s": {"$value": [{"color": "{b}", "x": {"$ref": "#/c/a/$value/hex"}}, "{c.a}"]},
        "i": {"$value": "solid {c.a}"},
    }
    doc, _ = parse_document(data)
    before = copy.deepcopy({p: t.value for p, t in doc.tokens.items()})
    out, errs = resolve(doc)
    assert errs == []
    assert {p: t.value for p, t in doc.tokens.items()} == before
    assert data["s"]["$value"] == [{"color": "{b}", "x": {"$ref": "#/c/a/$value/hex"}}, "{c.a}"]
    assert out["s"].value == [{"color": BLUE, "x": "#0066ff"}, BLUE]
    assert out["s"].node.value == before["s"]
    assert out["i"].value == "solid #0066ff"
    # resolving again gives the same result (nothing was cached into the raw data)
    again, _ = resolve(doc)
    assert {p: t.value for p, t in again.items()} == {p: t.value for p, t in out.items()}

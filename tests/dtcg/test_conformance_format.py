"""Conformance tables for the Format module 2025.10 (§5 tokens, §6 groups, §7 references).

Each row is named ``format-<section>-…`` after the section of the 2025.10 Format
module it checks, so ``pytest --collect-only -q tests/dtcg | grep -c format-``
counts them. A row gives a token tree and either the resolved values expected or
the problems expected, as ``(code, path)`` pairs, for tolerant mode; strict mode
must find at least the same problems. Expected values are written from the spec's
text and examples, never taken from the engine's output.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from graphql_api.dtcg import errors as E  # noqa: N812 - the engine's own alias
from graphql_api.dtcg.parse import Document, flatten, parse_document
from graphql_api.dtcg.references import resolve
from graphql_api.dtcg.resolver import ResolverDocument, TokenSet
from graphql_api.dtcg.validate import validate_document

if TYPE_CHECKING:
    from graphql_api.dtcg.errors import DTCGError

BLUE = {"colorSpace": "srgb", "components": [0, 0.4, 0.8], "hex": "#0066cc"}
RED = {"colorSpace": "srgb", "components": [0.8, 0, 0.4], "hex": "#cc0066"}
WHITE = {"colorSpace": "srgb", "components": [1, 1, 1], "hex": "#ffffff"}
PX = {"value": 1, "unit": "px"}


def px(n: float) -> dict[str, Any]:
    return {"value": n, "unit": "px"}


def as_resolver(*docs: Document) -> ResolverDocument:
    doc = ResolverDocument("t", None, "2025.10")
    doc.sets["base"] = TokenSet("base", flatten(docs))
    doc.order.append(("set", "base"))
    return doc


def all_problems(data: Any, *, strict: bool = False) -> list[DTCGError]:
    """Parse, then validate every token: every problem, as the import command sees them."""
    doc, errs = parse_document(data, file="t.json", strict=strict)
    return [*errs, *validate_document(as_resolver(doc), strict=strict)]


def problems(data: Any, *, strict: bool = False) -> list[tuple[str, str]]:
    return sorted((e.code, e.path) for e in all_problems(data, strict=strict))


def values(data: Any) -> dict[str, Any]:
    doc, errs = parse_document(data, file="t.json")
    assert errs == []
    out, errs = resolve(doc)
    assert errs == []
    return {p: t.value for p, t in out.items()}


def types_of(data: Any) -> dict[str, str | None]:
    doc, _ = parse_document(data, file="t.json")
    out, errs = resolve(doc)
    assert errs == []
    return {p: t.type for p, t in out.items()}


# A button group and its extension, as in §6.4's examples.
BUTTON = {
    "$type": "color",
    "$description": "buttons",
    "background": {"$value": BLUE},
    "text": {"$value": WHITE, "$description": "label colour"},
}

# (data, expected resolved values of some paths); every row is valid in strict mode too.
VALID = [
    pytest.param(
        {"g": {"$type": "number", "a b": {"$value": 1}, "é/ü": {"$value": 2}}},
        {"g.a b": 1, "g.é/ü": 2},
        id="format-5.1.1-names-with-space-unicode-slash",
    ),
    pytest.param(
        {
            "font-size": {"$type": "number", "$value": 3},
            "FONT-SIZE": {"$type": "number", "$value": 4},
        },
        {"font-size": 3, "FONT-SIZE": 4},
        id="format-5.1-names-are-case-sensitive",
    ),
    pytest.param(
        {
            "color": {
                "$type": "color",
                "accent": {"$root": {"$value": RED}, "light": {"$value": WHITE}},
            },
            "use": {"$type": "color", "$value": "{color.accent.$root}"},
        },
        {"color.accent.$root": RED, "use": RED},
        id="format-6.2-root-token-referenced",
    ),
    pytest.param(
        {
            "spacing": {
                "$type": "dimension",
                "$root": {"$value": px(16)},
                "small": {"$value": px(8)},
            }
        },
        {"spacing.$root": px(16), "spacing.small": px(8)},
        id="format-6.9.1-root-token-with-group-type",
    ),
    pytest.param(
        {
            "experimental": {"$description": "empty", "$deprecated": "phased out"},
            "t": {"$type": "number", "$value": 1},
        },
        {"t": 1},
        id="format-6.5-empty-group-is-valid",
    ),
    pytest.param(
        {
            "button": BUTTON,
            "button-primary": {"$extends": "{button}", "background": {"$value": RED}},
        },
        {"button-primary.background": RED, "button-primary.text": WHITE, "button.background": BLUE},
        id="format-6.4-extends-local-token-wins",
    ),
    pytest.param(
        {"button": BUTTON, "button-primary": {"$extends": "#/button", "focus": {"$value": RED}}},
        {"button-primary.background": BLUE, "button-primary.focus": RED},
        id="format-6.4.5-extends-json-pointer",
    ),
    pytest.param(
        {"button": BUTTON, "button-primary": {"$extends": {"$ref": "#/button"}}},
        {"button-primary.background": BLUE, "button-primary.text": WHITE},
        id="format-6.4.5-extends-ref-object",
    ),
    pytest.param(
        {"button": BUTTON, "button-primary": {"$ref": "#/button", "background": {"$value": RED}}},
        {"button-primary.background": RED, "button-primary.text": WHITE},
        id="format-6.4.1-group-ref-with-siblings-is-extends",
    ),
    pytest.param(
        {
            "input": {
                "$type": "dimension",
                "field": {"width": {"$value": px(12)}, "height": {"$value": px(4)}},
            },
            "input-amount": {"$extends": "{input}", "field": {"width": {"$value": px(100)}}},
        },
        {"input-amount.field.width": px(100), "input-amount.field.height": px(4)},
        id="format-6.4.3-deep-merge-nested-groups",
    ),
    pytest.param(
        {
            "base": {"$type": "number", "a": {"$value": 1}, "b": {"$value": 2}},
            "extended": {"$extends": "{base}", "a": {"$value": 10}, "c": {"$value": 3}},
        },
        {"extended.a": 10, "extended.b": 2, "extended.c": 3},
        id="format-6.4.3-override-inherit-add",
    ),
    pytest.param(
        {
            "c": {"$type": "number", "x": {"$value": 1}},
            "b": {"$extends": "{c}", "y": {"$value": 2}},
            "a": {"$extends": "{b}", "z": {"$value": 3}},
        },
        {"a.x": 1, "a.y": 2, "a.z": 3, "b.x": 1},
        id="format-6.4-extends-chain",
    ),
    pytest.param(
        {
            "button": {"$type": "number", "bg": {"$value": 1}, "hover": {"$value": "{button.bg}"}},
            "primary": {"$extends": "{button}", "bg": {"$value": 2}},
        },
        {"primary.bg": 2, "primary.hover": 1},
        id="format-6.4-copied-references-keep-their-target",
    ),
    pytest.param(
        {
            "color": {
                "$type": "color",
                "brand": {"$root": {"$value": BLUE}, "light": {"$value": WHITE}},
                "semantic": {"$extends": "{color.brand}", "success": {"$root": {"$value": RED}}},
            }
        },
        {
            "color.semantic.$root": BLUE,
            "color.semantic.light": WHITE,
            "color.semantic.success.$root": RED,
        },
        id="format-6.9.3-extends-with-root-tokens",
    ),
    pytest.param(
        {
            "card": {"$type": "number", "pad": {"$value": 1}, "inner": {"pad": {"$value": 2}}},
            "wide": {"$extends": "{card.inner}", "gap": {"$type": "number", "$value": 3}},
        },
        {"wide.pad": 2, "wide.gap": 3},
        id="format-6.4-extends-nested-group",
    ),
    pytest.param(
        {
            "base": {"$type": "number", "x": {"$value": 1}},
            "outer": {"$extends": "{base}", "inner": {"$extends": "{base}", "y": {"$value": 2}}},
        },
        {"outer.x": 1, "outer.inner.x": 1, "outer.inner.y": 2},
        id="format-6.4-extends-inside-extending-group",
    ),
    pytest.param(
        {"g": {"$extends": "{g.sub}", "sub": {"$type": "number", "k": {"$value": 1}}}},
        {"g.k": 1, "g.sub.k": 1},
        id="format-6.4-extends-own-descendant",
    ),
    pytest.param(
        {
            "colors": {"blue": {"$type": "color", "$value": BLUE}},
            "semantic": {
                "primary": {"$ref": "#/colors/blue/$value", "$type": "color"},
                "primaryHue": {"$ref": "#/colors/blue/$value/components/1", "$type": "number"},
            },
        },
        {"semantic.primary": BLUE, "semantic.primaryHue": 0.4},
        id="format-7.1.2-token-written-with-ref",
    ),
    pytest.param(
        {"base": {"$type": "color", "$value": BLUE}, "alias": {"$ref": "#/base"}},
        {"alias": BLUE},
        id="format-6.6.2-ref-to-token-node-means-its-value",
    ),
    pytest.param(
        {
            "my/group": {"c~d": {"$type": "number", "$value": 7}},
            "a": {"$type": "number", "$value": {"$ref": "#/my~1group/c~0d/$value"}},
            "b": {"$type": "number", "$value": "{my/group.c~d}"},
        },
        {"a": 7, "b": 7},
        id="format-7.4.1-pointer-escapes-tilde-and-slash",
    ),
    pytest.param(
        {
            "c": {"$type": "color", "$value": BLUE},
            "h": {"$type": "number", "$value": {"$ref": "#/c/$value/components/2"}},
        },
        {"h": 0.8},
        id="format-7.4.2-pointer-array-index",
    ),
    pytest.param(
        {
            "c": {"$type": "color", "$value": BLUE},
            "t": {"$type": "fontFamily", "$value": {"$ref": "#/c/$type"}},
        },
        {"t": "color"},
        id="format-7.4.2-pointer-to-type-metadata",
    ),
    pytest.param(
        {
            "base": {"blue": {"$type": "color", "$value": BLUE}},
            "semantic": {
                "primary": {
                    "$type": "color",
                    "$value": {
                        "colorSpace": "srgb",
                        "components": [
                            {"$ref": "#/base/blue/$value/components/0"},
                            {"$ref": "#/base/blue/$value/components/1"},
                            0.7,
                        ],
                    },
                }
            },
        },
        {"semantic.primary": {"colorSpace": "srgb", "components": [0, 0.4, 0.7]}},
        id="format-7.3.1-color-component-references",
    ),
    pytest.param(
        {
            "base": {"spacing": {"$type": "dimension", "$value": px(16)}},
            "layout": {
                "$type": "dimension",
                "small": {
                    "$value": {"value": {"$ref": "#/base/spacing/$value/value"}, "unit": "rem"}
                },
                "large": {"$value": {"value": 32, "unit": {"$ref": "#/base/spacing/$value/unit"}}},
            },
        },
        {"layout.small": {"value": 16, "unit": "rem"}, "layout.large": px(32)},
        id="format-7.3.2-dimension-component-references",
    ),
    pytest.param(
        {
            "base": {
                "text": {
                    "$type": "typography",
                    "$value": {
                        "fontFamily": ["Helvetica", "sans-serif"],
                        "fontSize": px(16),
                        "fontWeight": 400,
                        "letterSpacing": px(0),
                        "lineHeight": 1.5,
                    },
                }
            },
            "h1": {
                "$type": "typography",
                "$value": {
                    "fontFamily": {"$ref": "#/base/text/$value/fontFamily"},
                    "fontSize": px(32),
                    "fontWeight": 700,
                    "letterSpacing": px(0),
                    "lineHeight": {"$ref": "#/base/text/$value/lineHeight"},
                },
            },
        },
        {
            "h1": {
                "fontFamily": ["Helvetica", "sans-serif"],
                "fontSize": px(32),
                "fontWeight": 700,
                "letterSpacing": px(0),
                "lineHeight": 1.5,
            }
        },
        id="format-7.3.3-typography-component-references",
    ),
    pytest.param(
        {
            "base": {"primary": {"$type": "color", "$value": BLUE}},
            "semantic": {
                "brand": {"$value": "{base.primary}"},
                "link": {"$value": "{semantic.brand}"},
            },
        },
        {"semantic.link": BLUE},
        id="format-7.2.2-chained-references",
    ),
    pytest.param(
        {
            "a": {"$type": "number", "$value": 1},
            "b": {"$ref": "#/a/$value"},
            "c": {"$value": "{b}"},
            "d": {"$value": {"$ref": "#/c"}},
        },
        {"d": 1},
        id="format-7.2.2-chain-mixing-curly-and-pointer",
    ),
    pytest.param(
        {
            "ambiguous": {"data": {"$type": "cubicBezier", "$value": [0.1, 0.2, 0.3, 0.4]}},
            "x": {"$type": "number", "$value": {"$ref": "#/ambiguous/data/$value/0"}},
        },
        {"x": 0.1},
        id="format-7.5.2-pointer-can-index-an-array",
    ),
    pytest.param(
        {
            "base": {
                "$type": "shadow",
                "$value": {
                    "color": BLUE,
                    "offsetX": px(0),
                    "offsetY": px(1),
                    "blur": px(2),
                    "spread": px(0),
                },
            },
            "accent": {"$type": "color", "$value": RED},
            "layered": {
                "$type": "shadow",
                "$value": [
                    "{base}",
                    {
                        "color": "{accent}",
                        "offsetX": px(4),
                        "offsetY": px(4),
                        "blur": px(8),
                        "spread": px(0),
                    },
                ],
            },
        },
        {
            "layered": [
                {"color": BLUE, "offsetX": px(0), "offsetY": px(1), "blur": px(2), "spread": px(0)},
                {"color": RED, "offsetX": px(4), "offsetY": px(4), "blur": px(8), "spread": px(0)},
            ]
        },
        id="format-9.1-array-items-reference-shadow-tokens",
    ),
    pytest.param(
        {
            "w": {"$type": "dimension", "$value": PX},
            "c": {"$type": "color", "$value": BLUE},
            "s": {"$type": "strokeStyle", "$value": "dashed"},
            "b": {"$type": "border", "$value": {"color": "{c}", "width": "{w}", "style": "{s}"}},
        },
        {"b": {"color": BLUE, "width": PX, "style": "dashed"}},
        id="format-9.4-border-members-by-reference",
    ),
    pytest.param(
        {
            "d": {"$type": "duration", "$value": {"value": 200, "unit": "ms"}},
            "e": {"$type": "cubicBezier", "$value": [0.5, 0, 1, 1]},
            "t": {
                "$type": "transition",
                "$value": {"duration": "{d}", "delay": "{d}", "timingFunction": "{e}"},
            },
        },
        {
            "t": {
                "duration": {"value": 200, "unit": "ms"},
                "delay": {"value": 200, "unit": "ms"},
                "timingFunction": [0.5, 0, 1, 1],
            }
        },
        id="format-9.5-transition-members-by-reference",
    ),
    pytest.param(
        {
            "p": {"$type": "number", "$value": 0.5},
            "c": {"$type": "color", "$value": BLUE},
            "g": {"$type": "gradient", "$value": [{"color": "{c}", "position": "{p}"}]},
        },
        {"g": [{"color": BLUE, "position": 0.5}]},
        id="format-9.7-gradient-stop-members-by-reference",
    ),
    pytest.param(
        {
            "d": {"$type": "dimension", "$value": px(2)},
            "s": {
                "$type": "strokeStyle",
                "$value": {"dashArray": ["{d}", px(4)], "lineCap": "round"},
            },
        },
        {"s": {"dashArray": [px(2), px(4)], "lineCap": "round"}},
        id="format-9.3-dash-array-items-by-reference",
    ),
]


@pytest.mark.parametrize(("data", "expected"), VALID)
def test_format_conformance_valid(data: Any, expected: dict[str, Any]) -> None:
    got = values(data)
    assert {p: got.get(p) for p in expected} == expected
    assert problems(data) == []
    assert problems(data, strict=True) == []


# (data, expected problems in tolerant mode as (code, path))
INVALID = [
    pytest.param(
        {"g": {"": {"$value": 1}}}, [(E.INVALID_NAME, "g.")], id="format-5.1.1-empty-name"
    ),
    pytest.param(
        {
            "c": {"$type": "color", "accent": {"$root": {"$value": BLUE}}},
            "x": {"$value": "{c.accent}"},
        },
        [(E.GROUP_REFERENCE, "x")],
        id="format-6.2-group-with-root-is-still-a-group",
    ),
    pytest.param(
        {"c": {"$root": {"t": {"$type": "number", "$value": 1}}}},
        [(E.INVALID_NAME, "c.$root")],
        id="format-6.2-root-must-be-a-token",
    ),
    pytest.param(
        {"a": {"$extends": "{nope}", "t": {"$type": "number", "$value": 1}}},
        [(E.UNRESOLVABLE_REFERENCE, "a")],
        id="format-6.4.6-extends-unresolvable",
    ),
    pytest.param(
        {"t": {"$type": "number", "$value": 1}, "a": {"$extends": "{t}"}},
        [(E.INVALID_EXTENDS, "a")],
        id="format-6.4.6-extends-a-token",
    ),
    pytest.param(
        {"a": {"$extends": "button"}},
        [(E.INVALID_EXTENDS, "a")],
        id="format-6.4.5-extends-bare-path",
    ),
    pytest.param(
        {"a": {"$extends": 3}}, [(E.INVALID_EXTENDS, "a")], id="format-6.4.5-extends-number"
    ),
    pytest.param(
        {"b": {"t": {"$type": "number", "$value": 1}}, "a": {"$extends": "{b..t}"}},
        [(E.INVALID_EXTENDS, "a")],
        id="format-6.4.5-extends-malformed-reference",
    ),
    pytest.param(
        {"a": {"$extends": "{a}", "t": {"$type": "number", "$value": 1}}},
        [(E.CIRCULAR_EXTENDS, "a")],
        id="format-6.4.4-extends-itself",
    ),
    pytest.param(
        {
            "button": {
                "color": {"$type": "number", "$value": 1},
                "secondary": {"$extends": "{button}"},
            }
        },
        [(E.CIRCULAR_EXTENDS, "button.secondary")],
        id="format-6.4.4-extends-own-parent",
    ),
    pytest.param(
        {
            "groupA": {"$extends": "{groupB}", "token": {"$type": "number", "$value": 1}},
            "groupB": {"$extends": "{groupA}", "token": {"$type": "number", "$value": 2}},
        },
        [(E.CIRCULAR_EXTENDS, "groupA"), (E.CIRCULAR_EXTENDS, "groupB")],
        id="format-6.4.4-two-groups-extend-each-other",
    ),
    pytest.param(
        {"a": {"$extends": "{b}"}, "b": {"$extends": "{c}"}, "c": {"$extends": "{a}"}},
        [(E.CIRCULAR_EXTENDS, "a"), (E.CIRCULAR_EXTENDS, "b"), (E.CIRCULAR_EXTENDS, "c")],
        id="format-6.7.4-extends-cycle-of-three",
    ),
    pytest.param(
        {"base": {"x": {"$type": "number", "$value": "{missing}"}}, "ext": {"$extends": "{base}"}},
        [(E.UNRESOLVABLE_REFERENCE, "base.x"), (E.UNRESOLVABLE_REFERENCE, "ext.x")],
        id="format-6.4-error-in-inherited-token-reported-at-copy",
    ),
    pytest.param(
        {"g": {"t": {"$type": "number", "$value": 1}}, "a": {"$ref": "#/g"}},
        [(E.GROUP_REFERENCE, "a")],
        id="format-6.6.2-ref-token-to-group",
    ),
    pytest.param(
        {"a": {"$type": "number", "$value": "{a..b}"}},
        [(E.INVALID_REFERENCE, "a")],
        id="format-7.1.1-empty-segment",
    ),
    pytest.param(
        {"a": {"$type": "number", "$value": "{.b}"}},
        [(E.INVALID_REFERENCE, "a")],
        id="format-7.1.1-leading-dot",
    ),
    pytest.param(
        {"a": {"$type": "number", "$value": {"$ref": 5}}},
        [(E.INVALID_REFERENCE, "a")],
        id="format-7.1.2-ref-not-a-string",
    ),
    pytest.param(
        {"a": {"$type": "number", "$value": {"$ref": "#"}}},
        [(E.INVALID_REFERENCE, "a")],
        id="format-7.1.2-ref-to-whole-document",
    ),
    pytest.param(
        {
            "c": {"$type": "color", "$value": BLUE},
            "a": {"$type": "number", "$value": {"$ref": "#/c/$value/components/01"}},
        },
        [(E.UNRESOLVABLE_REFERENCE, "a")],
        id="format-7.4.1-index-with-leading-zero",
    ),
    pytest.param(
        {
            "c": {"$type": "color", "$value": BLUE},
            "a": {"$type": "number", "$value": {"$ref": "#/c/$value/components/-"}},
        },
        [(E.UNRESOLVABLE_REFERENCE, "a")],
        id="format-7.4.1-index-dash",
    ),
    pytest.param(
        {"c": {"$type": "color", "$value": BLUE}, "a": {"$value": {"$ref": "#/c/$description"}}},
        [(E.UNRESOLVABLE_REFERENCE, "a")],
        id="format-7.4.2-pointer-to-unset-property",
    ),
    pytest.param(
        {"a": {"$ref": "#/b/$value"}, "b": {"$value": "{a}"}},
        [(E.CIRCULAR_REFERENCE, "a"), (E.CIRCULAR_REFERENCE, "b")],
        id="format-7.2.3-cycle-through-ref-token",
    ),
    pytest.param(
        {
            "a": {"$value": "{b}"},
            "b": {"$value": "{c}"},
            "c": {"$value": "{a}"},
            "d": {"$value": "{a}"},
        },
        [(E.CIRCULAR_REFERENCE, "a"), (E.CIRCULAR_REFERENCE, "b"), (E.CIRCULAR_REFERENCE, "c")],
        id="format-7.2.3-every-token-in-the-loop-not-the-tail",
    ),
    pytest.param(
        {
            "a": {"$value": ["{b}", "{d}"]},
            "b": {"$value": "{c}"},
            "c": {"$value": "{a}"},
            "d": {"$value": "{b}"},
        },
        [(E.CIRCULAR_REFERENCE, p) for p in "abcd"],
        id="format-7.2.3-two-loops-sharing-tokens",
    ),
    pytest.param(
        {"d": {"$type": "dimension", "$value": PX}, "a": {"$type": "color", "$value": "{d}"}},
        [(E.TYPE_MISMATCH, "a")],
        id="format-7.4.5-alias-type-mismatch",
    ),
    pytest.param(
        {
            "d": {"$type": "dimension", "$value": PX},
            "b": {"$type": "border", "$value": {"color": "{d}", "width": PX, "style": "solid"}},
        },
        [(E.TYPE_MISMATCH, "b")],
        id="format-9.4-border-color-references-a-dimension",
    ),
    pytest.param(
        {
            "n": {"$type": "duration", "$value": {"value": 2, "unit": "ms"}},
            "t": {
                "$type": "typography",
                "$value": {
                    "fontFamily": "Inter",
                    "fontSize": "{n}",
                    "fontWeight": 400,
                    "letterSpacing": PX,
                    "lineHeight": 1,
                },
            },
        },
        [(E.TYPE_MISMATCH, "t")],
        id="format-9.8-font-size-references-a-duration",
    ),
    pytest.param(
        {"c": {"$type": "color", "$value": BLUE}, "s": {"$type": "shadow", "$value": ["{c}"]}},
        [(E.TYPE_MISMATCH, "s")],
        id="format-9.1-shadow-item-references-a-colour",
    ),
    pytest.param(
        {
            "t": {
                "$type": "typography",
                "$value": {
                    "fontFamily": "A",
                    "fontSize": PX,
                    "fontWeight": 400,
                    "letterSpacing": PX,
                    "lineHeight": 1,
                },
            },
            "x": {"$type": "dimension", "$value": {"$ref": "#/t/$value/fontFamily"}},
        },
        [(E.TYPE_MISMATCH, "x")],
        id="format-7.4.5-pointer-target-part-type-mismatch",
    ),
    pytest.param(
        {
            "a": {"$type": "number", "$value": {"$ref": "#/n/$value/data/0"}},
            "n": {"$type": "number", "$value": 1},
        },
        [(E.UNRESOLVABLE_REFERENCE, "a")],
        id="format-7.5.3-invalid-property-path",
    ),
    pytest.param(
        {
            "w": {"$type": "dimension", "$value": PX},
            "b": {"$type": "border", "$value": {"color": BLUE, "width": "{w}", "style": "wavy"}},
        },
        [(E.INVALID_VALUE, "b")],
        id="format-9.4-invalid-member-after-resolution",
    ),
]


@pytest.mark.parametrize(("data", "expected"), INVALID)
def test_format_conformance_invalid(data: Any, expected: list[tuple[str, str]]) -> None:
    errs = all_problems(data)
    assert sorted((e.code, e.path) for e in errs) == sorted(expected)
    for err in errs:
        assert err.file == "t.json"
        assert err.message
        assert err.pointer.startswith("/")
    strict = problems(data, strict=True)
    assert set(expected) <= set(strict)


def test_format_9_8_font_size_naming_a_number_is_px_unless_strict() -> None:
    """Tokens Studio reads a number brought where a dimension belongs as px (lenient only)."""
    data = {
        "n": {"$type": "number", "$value": 2},
        "t": {
            "$type": "typography",
            "$value": {
                "fontFamily": "Inter",
                "fontSize": "{n}",
                "fontWeight": 400,
                "lineHeight": 1,
            },
        },
    }
    assert all_problems(data) == []
    assert (E.TYPE_MISMATCH, "t") in problems(data, strict=True)


def test_format_6_4_error_in_copy_names_the_file_where_the_token_is_written() -> None:
    base, _ = parse_document({"base": {"x": {"$value": "{missing}"}}}, file="base.json")
    ext, _ = parse_document({"ext": {"$extends": "{base}"}}, file="ext.json")
    out, errs = resolve(flatten([base, ext]))
    by_path = {e.path: e for e in errs}
    assert set(by_path) == {"base.x", "ext.x"}
    copy = by_path["ext.x"]
    assert (copy.code, copy.file, copy.pointer) == (
        E.UNRESOLVABLE_REFERENCE,
        "base.json",
        "/base/x",
    )
    assert "base.x" in copy.message
    assert "$extends" in copy.message
    assert out == {}


def test_format_6_4_extends_across_files_and_layers() -> None:
    base, _ = parse_document({"button": BUTTON}, file="base.json")
    ext, _ = parse_document({"primary": {"$extends": "{button}"}}, file="components.json")
    dark, _ = parse_document({"button": {"background": {"$value": RED}}}, file="dark.json")
    out, errs = resolve(flatten([base, ext, dark]))
    assert errs == []
    # the later layer's override of the target is seen by the extending group (§6.4 after §6.2)
    assert out["primary.background"].value == RED
    assert out["primary.background"].node.extended_from == "button.background"
    assert out["primary.background"].node.file == "dark.json"
    assert out["primary.text"].type == "color"  # the target's group $type comes along


def test_format_6_4_3_token_replaced_whole_not_merged() -> None:
    data = {"button": BUTTON, "b2": {"$extends": "{button}", "text": {"$value": RED}}}
    doc, _ = parse_document(data, file="t.json")
    out, _ = resolve(doc)
    assert out["b2.text"].value == RED
    assert out["b2.text"].node.description is None  # not merged with the inherited token
    assert out["button.text"].node.description == "label colour"


def test_format_6_7_3_type_of_extended_group() -> None:
    data = {
        "base": {"$type": "color", "primary": {"$value": BLUE}},
        "extended": {"$extends": "{base}", "$type": "dimension", "spacing": {"$value": px(16)}},
        "outer": {"$type": "number", "inner": {"k": {"$value": 1}}},
        "copy": {"$extends": "{outer.inner}"},
    }
    got = types_of(data)
    assert got["extended.spacing"] == "dimension"  # the local $type wins for the group …
    assert got["extended.primary"] == "dimension"  # … and so for inherited tokens (§6.7.3)
    assert got["copy.k"] == "number"  # a type the target only inherits is kept on the copy


def test_format_6_3_1_deprecated_inherited_through_extends() -> None:
    data = {
        "old": {
            "$deprecated": "use new",
            "$type": "number",
            "a": {"$value": 1},
            "b": {"$value": 2, "$deprecated": False},
        },
        "copy": {"$extends": "{old}"},
    }
    doc, _ = parse_document(data)
    out, _ = resolve(doc)
    assert out["copy.a"].deprecated == "use new"
    assert out["copy.b"].deprecated is False


def test_format_6_7_2_root_token_path_and_pointer() -> None:
    doc, _ = parse_document({"color": {"accent": {"$root": {"$value": 1}}}}, file="t.json")
    node = doc.tokens["color.accent.$root"]
    assert (node.pointer, node.name) == ("/color/accent/$root", "$root")


def test_format_6_4_extends_kept_on_group_node_and_merged_by_flatten() -> None:
    one, _ = parse_document({"g": {"$extends": "{b}", "$type": "number"}}, file="1.json")
    two, _ = parse_document({"g": {"$description": "later"}}, file="2.json")
    g = flatten([one, two]).groups["g"]
    assert (g.extends, g.type, g.description) == ("{b}", "number", "later")
    assert g.file == "1.json"  # where $extends is written


@pytest.mark.parametrize(
    ("value", "message"),
    [
        pytest.param(
            [
                {"color": BLUE, "offsetX": PX, "offsetY": PX, "blur": PX, "spread": PX},
                {"color": "#nothex", "offsetX": PX, "offsetY": PX, "blur": PX, "spread": PX},
            ],
            "shadow[1].color",
            id="format-9.6-error-names-layer-and-member",
        ),
        pytest.param(
            {"color": BLUE, "width": {"value": 1, "unit": "pt"}, "style": "solid"},
            "border.width",
            id="format-9.4-error-names-member",
        ),
        pytest.param(
            [{"color": BLUE, "position": 0}, {"color": BLUE, "position": "x"}],
            "gradient[1].position",
            id="format-9.7-error-names-stop-and-member",
        ),
        pytest.param(
            {"dashArray": [PX, "2"], "lineCap": "round"},
            "strokeStyle.dashArray[1]",
            id="format-9.3-error-names-dash",
        ),
    ],
)
def test_format_9_errors_inside_composites_name_the_member(value: Any, message: str) -> None:
    type_ = message.split(".", maxsplit=1)[0].split("[", maxsplit=1)[0]
    [err] = all_problems({"t": {"$type": type_, "$value": value}})
    assert err.code == E.INVALID_VALUE
    assert message in err.message


def test_format_9_type_mismatch_names_the_member() -> None:
    data = {
        "d": {"$type": "dimension", "$value": PX},
        "s": {
            "$type": "shadow",
            "$value": [
                {"color": BLUE, "offsetX": PX, "offsetY": PX, "blur": PX, "spread": PX},
                {"color": "{d}", "offsetX": PX, "offsetY": PX, "blur": PX, "spread": PX},
            ],
        },
    }
    [err] = all_problems(data)
    assert err.code == E.TYPE_MISMATCH
    assert "shadow[1].color" in err.message
    assert "'color'" in err.message
    assert "'dimension'" in err.message

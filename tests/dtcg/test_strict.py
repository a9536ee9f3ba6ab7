"""Strict mode: every non-standard form tolerant mode accepts is rejected, with its code.

The forms are the ones listed in the docstrings of ``graphql_api.dtcg.parse``,
``graphql_api.dtcg.types``, ``graphql_api.dtcg.colors`` and
``graphql_api.dtcg.resolver``. Each row is a token tree (through
``parse_document`` and ``validate_document``) or a file (through
``load_token_file``) that tolerant mode reads without any problem and that
strict mode rejects with exactly the codes given. Rows are named after the
section of the Format module 2025.10 the form departs from.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from graphql_api.dtcg import errors as E  # noqa: N812 - the engine's own alias
from graphql_api.dtcg.errors import DTCGErrorGroup
from graphql_api.dtcg.parse import parse_document
from graphql_api.dtcg.resolver import ResolverDocument, TokenSet, load_token_file
from graphql_api.dtcg.validate import validate_document

if TYPE_CHECKING:
    from pathlib import Path

PX = {"value": 1, "unit": "px"}
BLACK = {"colorSpace": "srgb", "components": [0, 0, 0]}
LAYER = {"color": BLACK, "offsetX": PX, "offsetY": PX, "blur": PX, "spread": PX}


def codes(data: Any, *, strict: bool) -> list[tuple[str, str]]:
    doc, errs = parse_document(data, file="t.json", strict=strict)
    rd = ResolverDocument("t", None, "2025.10")
    rd.sets["base"] = TokenSet("base", doc)
    rd.order.append(("set", "base"))
    return sorted((e.code, e.path) for e in [*errs, *validate_document(rd, strict=strict)])


def tok(type_: str, value: Any, **extra: Any) -> dict[str, Any]:
    return {"t": {"$type": type_, "$value": value, **extra}}


TREES = [
    pytest.param(
        {"size": {"$type": "number", "$value": 4, "large": {"$type": "number", "$value": 8}}},
        [(E.INVALID_NODE, "size")],
        id="format-6.1-strict-token-and-group-on-one-node",
    ),
    pytest.param(
        {"t": {"$type": "number", "$value": 1, "alpha": 0.5}},
        [(E.INVALID_NODE, "t")],
        id="format-5.2-strict-vendor-member-of-a-token",
    ),
    pytest.param(
        {"g": {"comment": "x", "t": {"$type": "number", "$value": 1}}},
        [(E.INVALID_NODE, "g.comment")],
        id="format-6.1-strict-scalar-member-of-a-group",
    ),
    pytest.param(
        {"g": {"$meta": 1, "t": {"$type": "number", "$value": 1}}},
        [(E.INVALID_NAME, "g")],
        id="format-6.3-strict-unknown-group-property",
    ),
    pytest.param(
        tok("fontSize", "16px"), [(E.UNKNOWN_TYPE, "t")], id="format-8-strict-custom-type"
    ),
    pytest.param(tok("Color", "#fff"), [(E.UNKNOWN_TYPE, "t")], id="format-5.2.2-strict-type-case"),
    pytest.param(
        {"g": {"$type": "string", "t": {"$value": "x"}}},
        [(E.UNKNOWN_TYPE, "g")],
        id="format-8-strict-custom-group-type",
    ),
    pytest.param({"t": {"$value": 1}}, [(E.MISSING_TYPE, "t")], id="format-5.2.2-strict-untyped"),
    pytest.param(
        tok("number", 1, **{"$description": 3}),
        [(E.INVALID_PROPERTY, "t")],
        id="format-5.2.1-strict-description-not-a-string",
    ),
    pytest.param(
        tok("number", 1, **{"$deprecated": 1}),
        [(E.INVALID_PROPERTY, "t")],
        id="format-5.2.4-strict-deprecated-number",
    ),
    pytest.param(
        tok("number", 1, **{"$extensions": "x"}),
        [(E.INVALID_PROPERTY, "t")],
        id="format-5.2.3-strict-extensions-not-an-object",
    ),
    pytest.param(
        {
            "a": {"$type": "number", "$value": 1},
            "t": {"$type": "number", "$value": 2, "$ref": "#/a/$value"},
        },
        [(E.INVALID_PROPERTY, "t")],
        id="format-7.1.2-strict-value-and-ref",
    ),
    pytest.param(
        {
            "d": {"$type": "dimension", "$value": PX},
            "t": {"$type": "fontFamily", "$value": "calc({d} * 2)"},
        },
        [(E.INVALID_REFERENCE, "t")],
        id="format-7.1.1-strict-interpolation",
    ),
    pytest.param(
        {"t": {"$type": "custom-link", "$value": {"$ref": "other.json#/a"}}},
        [(E.INVALID_REFERENCE, "t"), (E.UNKNOWN_TYPE, "t")],
        id="format-7.1.2-strict-ref-to-another-file",
    ),
    pytest.param(
        tok("color", "#ff0000"), [(E.INVALID_VALUE, "t")], id="format-8.1-strict-hex-string"
    ),
    pytest.param(
        tok("color", {"colorSpace": "srgb", "components": [1, 1, 1], "hex": "#fff"}),
        [(E.INVALID_VALUE, "t")],
        id="color-4.1-strict-hex-member-3-digits",
    ),
    pytest.param(
        tok("color", {"colorSpace": "srgb", "components": [1, 1, 1], "hex": "#ffffffff"}),
        [(E.INVALID_VALUE, "t")],
        id="color-4.1-strict-hex-member-8-digits",
    ),
    pytest.param(
        tok("color", {"colorSpace": "hsl", "components": [360, 0, 0]}),
        [(E.INVALID_VALUE, "t")],
        id="format-8.1-strict-hue-360",
    ),
    pytest.param(tok("dimension", "16px"), [(E.INVALID_VALUE, "t")], id="format-8.2-strict-string"),
    pytest.param(
        tok("dimension", {"value": 1, "unit": "em"}),
        [(E.INVALID_VALUE, "t")],
        id="format-8.2-strict-em",
    ),
    pytest.param(
        tok("dimension", 0), [(E.INVALID_VALUE, "t")], id="format-8.2-strict-unitless-zero"
    ),
    pytest.param(
        tok("dimension", 16), [(E.INVALID_VALUE, "t")], id="format-8.2-strict-bare-number"
    ),
    pytest.param(
        tok("gradient", "linear-gradient(90deg, #000 0%, #fff 100%)"),
        [(E.INVALID_VALUE, "t")],
        id="format-9.7-strict-css-gradient",
    ),
    pytest.param(tok("duration", "200ms"), [(E.INVALID_VALUE, "t")], id="format-8.5-strict-string"),
    pytest.param(
        tok("fontWeight", "Bold"), [(E.INVALID_VALUE, "t")], id="format-8.4-strict-name-case"
    ),
    pytest.param(
        tok("fontWeight", "600"), [(E.INVALID_VALUE, "t")], id="format-8.4-strict-numeric-string"
    ),
    pytest.param(
        tok("shadow", {k: v for k, v in LAYER.items() if k != "spread"}),
        [(E.INVALID_VALUE, "t")],
        id="format-9.6-strict-spread-required",
    ),
    pytest.param(
        tok("transition", {"duration": {"value": 1, "unit": "s"}, "timingFunction": [0, 0, 1, 1]}),
        [(E.INVALID_VALUE, "t")],
        id="format-9.5-strict-delay-required",
    ),
    pytest.param(
        tok("typography", {"fontFamily": "A", "fontSize": PX, "fontWeight": 400, "lineHeight": 1}),
        [(E.INVALID_VALUE, "t")],
        id="format-9.8-strict-letter-spacing-required",
    ),
    pytest.param(
        tok(
            "typography",
            {
                "fontFamily": "A",
                "fontSize": PX,
                "fontWeight": 400,
                "letterSpacing": PX,
                "lineHeight": PX,
            },
        ),
        [(E.INVALID_VALUE, "t")],
        id="format-9.8-strict-line-height-dimension",
    ),
    pytest.param(
        {
            "lh": {"$type": "dimension", "$value": PX},
            "t": {
                "$type": "typography",
                "$value": {
                    "fontFamily": "A",
                    "fontSize": PX,
                    "fontWeight": 400,
                    "letterSpacing": PX,
                    "lineHeight": "{lh}",
                },
            },
        },
        [(E.TYPE_MISMATCH, "t")],
        id="format-9.8-strict-line-height-names-a-dimension",
    ),
    pytest.param(
        tok("border", {"color": BLACK, "width": PX, "style": "solid", "radius": PX}),
        [(E.INVALID_VALUE, "t")],
        id="format-9.2-strict-extra-member",
    ),
    pytest.param(
        {
            "a": {"$type": "shadow", "$value": [LAYER, LAYER]},
            "t": {"$type": "shadow", "$value": ["{a}", LAYER]},
        },
        [(E.INVALID_VALUE, "t")],
        id="format-9.1-strict-no-array-flattening",
    ),
]


@pytest.mark.parametrize(("data", "expected"), TREES)
def test_strict_rejects_tolerated_forms(data: Any, expected: list[tuple[str, str]]) -> None:
    assert codes(data, strict=False) == []
    assert codes(data, strict=True) == sorted(expected)


@pytest.mark.parametrize(
    ("text", "code", "pointer"),
    [
        pytest.param(
            "{a: {$type: 'number', $value: 1}}", E.INVALID_JSON, "", id="format-4-strict-json5"
        ),
        pytest.param(
            '{"a": {"$type": "number", "$value": 1}, "a": {"$type": "number", "$value": 2}}',
            E.DUPLICATE_NAME,
            "",
            id="format-4-strict-duplicate-key",
        ),
        pytest.param(
            '{"g": {"t": {"$type": "number", "$value": 1, "$value": 2}}}',
            E.DUPLICATE_NAME,
            "/g/t",
            id="format-4-strict-duplicate-key-nested",
        ),
    ],
)
def test_strict_files(tmp_path: Path, text: str, code: str, pointer: str) -> None:
    path = tmp_path / "t.tokens.json"
    path.write_text(text, encoding="utf-8")
    assert load_token_file(path).sets["base"].document.tokens
    with pytest.raises(DTCGErrorGroup) as info:
        load_token_file(path, strict=True)
    assert [(e.code, e.file, e.pointer) for e in info.value.errors] == [(code, str(path), pointer)]


def test_strict_accepts_a_2025_10_document() -> None:
    data = {
        "color": {
            "$type": "color",
            "$description": "colours",
            "$deprecated": False,
            "accent": {"$root": {"$value": BLACK}},
        },
        "size": {"$type": "dimension", "s": {"$value": PX}, "$extensions": {"org.x": 1}},
        "alias": {"$ref": "#/color/accent/$root/$value", "$type": "color"},
        "shadow": {
            "$type": "shadow",
            "$value": [LAYER, {**LAYER, "inset": True, "color": "{alias}"}],
        },
        "button": {"bg": {"$type": "color", "$value": "{color.accent.$root}"}},
        "button-primary": {"$extends": "{button}"},
    }
    assert codes(data, strict=True) == []

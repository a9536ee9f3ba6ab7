"""Tokens Studio legacy value forms → DTCG (``graphql_api.importers.studio_values``).

Each row names the Tokens Studio type and the form it accepts: ``(ts type, value) →
(DTCG $type, DTCG $value, extras for $extensions['studio.tokens'])``.
"""

from __future__ import annotations

from typing import Any

import pytest

from graphql_api.dtcg.types import shadow
from graphql_api.importers.studio_values import StudioValueError, convert_token, find_math

CASES = [
    # dimension family: unitless → px, units kept, letterSpacing % → em
    pytest.param("sizing", "16", "dimension", "16px", id="sizing-numeric-string-px"),
    pytest.param("spacing", 8, "dimension", "8px", id="spacing-number-px"),
    pytest.param("spacing", "1.5rem", "dimension", "1.5rem", id="spacing-rem-kept"),
    pytest.param("spacing", "-4", "dimension", "-4px", id="spacing-negative"),
    pytest.param("borderRadius", "8px", "dimension", "8px", id="borderRadius-px-kept"),
    pytest.param("borderWidth", "0.5", "dimension", "0.5px", id="borderWidth-decimal"),
    pytest.param("fontSizes", "1em", "dimension", "1em", id="fontSizes-em-kept"),
    pytest.param("paragraphSpacing", 0, "dimension", "0px", id="paragraphSpacing-zero"),
    pytest.param("dimension", "24", "dimension", "24px", id="dimension-unitless"),
    pytest.param("letterSpacing", "-2%", "dimension", "-0.02em", id="letterSpacing-percent-em"),
    pytest.param("letterSpacing", "0.5", "dimension", "0.5px", id="letterSpacing-unitless"),
    pytest.param("spacing", "{space.md}", "dimension", "{space.md}", id="dimension-reference"),
    pytest.param("borderRadius", "50%", "borderRadius", "50%", id="borderRadius-percent-kept"),
    # fontFamilies / fontWeights
    pytest.param("fontFamilies", "Inter", "fontFamily", "Inter", id="fontFamilies-string"),
    pytest.param(
        "fontFamilies",
        ["Inter", "sans-serif"],
        "fontFamily",
        ["Inter", "sans-serif"],
        id="fontFamilies-list",
    ),
    pytest.param("fontWeights", "Bold", "fontWeight", "bold", id="fontWeights-Bold"),
    pytest.param("fontWeights", "Semi Bold", "fontWeight", "semi-bold", id="fontWeights-Semi-Bold"),
    pytest.param("fontWeights", "SemiBold", "fontWeight", "semi-bold", id="fontWeights-SemiBold"),
    pytest.param("fontWeights", "Regular", "fontWeight", "regular", id="fontWeights-Regular"),
    pytest.param("fontWeights", "Extra Light", "fontWeight", "extra-light", id="fontWeights-xl"),
    pytest.param("fontWeights", "700", "fontWeight", 700, id="fontWeights-numeric-string"),
    pytest.param("fontWeights", 450, "fontWeight", 450, id="fontWeights-number"),
    pytest.param("fontWeights", "Condensed", "fontWeights", "Condensed", id="fontWeights-unknown"),
    # lineHeights / opacity / number
    pytest.param("lineHeights", "150%", "number", 1.5, id="lineHeights-percent"),
    pytest.param("lineHeights", "1.2", "number", 1.2, id="lineHeights-numeric-string"),
    pytest.param("lineHeights", 24, "number", 24, id="lineHeights-number"),
    pytest.param("lineHeights", "AUTO", "lineHeights", "AUTO", id="lineHeights-AUTO-kept"),
    pytest.param("lineHeights", "24px", "lineHeights", "24px", id="lineHeights-px-kept"),
    pytest.param("opacity", "50%", "number", 0.5, id="opacity-percent"),
    pytest.param("opacity", "0.5", "number", 0.5, id="opacity-numeric-string"),
    pytest.param("opacity", 0.3, "number", 0.3, id="opacity-number"),
    pytest.param("number", "4", "number", 4, id="number-numeric-string"),
    # color, border
    pytest.param("color", "#ff0000", "color", "#ff0000", id="color-hex"),
    pytest.param("color", "$colors.red", "color", "{colors.red}", id="color-old-reference"),
    pytest.param(
        "border",
        {"color": "{c.a}", "width": "2", "style": "dashed"},
        "border",
        {"color": "{c.a}", "width": "2px", "style": "dashed"},
        id="border",
    ),
    # unknown types are kept as written
    pytest.param(
        "composition", {"fill": "{c.a}"}, "composition", {"fill": "{c.a}"}, id="composition-kept"
    ),
    pytest.param("text", "Price in $USD", "text", "Price in $USD", id="text-kept"),
    pytest.param("asset", "https://x.test/a.svg", "asset", "https://x.test/a.svg", id="asset-kept"),
    pytest.param("boolean", True, "boolean", True, id="boolean-kept"),
    pytest.param(None, "16", None, "16", id="untyped-never-inferred"),
]


@pytest.mark.parametrize(("ts_type", "value", "dtcg_type", "expected"), CASES)
def test_legacy_forms(
    ts_type: str | None, value: Any, dtcg_type: str | None, expected: Any
) -> None:
    conv = convert_token(ts_type, value)
    assert (conv.type, conv.value) == (dtcg_type, expected)


def test_font_weight_italic_goes_to_extensions() -> None:
    conv = convert_token("fontWeights", "Bold Italic")
    assert (conv.type, conv.value, conv.extras) == ("fontWeight", "bold", {"fontStyle": "italic"})


def test_box_shadow_drop_and_inner_become_dtcg_shadow_layers() -> None:
    value = [
        {
            "x": "0",
            "y": "1",
            "blur": "3",
            "spread": "0",
            "color": "#0000001a",
            "type": "dropShadow",
        },
        {"x": 0, "y": 0, "blur": 2, "spread": 1, "color": "{c.glow}", "type": "innerShadow"},
    ]
    conv = convert_token("boxShadow", value)
    assert conv.type == "shadow"
    assert conv.value == [
        {
            "offsetX": "0px",
            "offsetY": "1px",
            "blur": "3px",
            "spread": "0px",
            "color": "#0000001a",
            "inset": False,
        },
        {
            "offsetX": "0px",
            "offsetY": "0px",
            "blur": "2px",
            "spread": "1px",
            "color": "{c.glow}",
            "inset": True,
        },
    ]
    assert conv.extras == {}


def test_box_shadow_single_layer_with_blend_mode_keeps_the_original() -> None:
    value = {
        "x": 2,
        "y": 2,
        "blur": 0,
        "spread": 0,
        "color": "#000",
        "type": "innerShadow",
        "blendMode": "multiply",
    }
    conv = convert_token("boxShadow", value)
    assert conv.value["inset"] is True
    assert conv.extras == {"boxShadow": value}
    assert shadow(conv.value).layers[0].inset is True


def test_box_shadow_css_string_has_no_dtcg_form() -> None:
    conv = convert_token("boxShadow", "0 1px 2px #000")
    assert (conv.type, conv.value) == ("boxShadow", "0 1px 2px #000")


def test_typography_members_converted_and_extras_kept() -> None:
    value = {
        "fontFamily": "$fonts.body",
        "fontWeight": "Semi Bold",
        "fontSize": "18",
        "lineHeight": "140%",
        "letterSpacing": "-1%",
        "paragraphSpacing": "8",
        "paragraphIndent": "0",
        "textCase": "uppercase",
        "textDecoration": "underline",
    }
    conv = convert_token("typography", value)
    assert conv.type == "typography"
    assert conv.value == {
        "fontFamily": "{fonts.body}",
        "fontWeight": "semi-bold",
        "fontSize": "18px",
        "lineHeight": 1.4,
        "letterSpacing": "-0.01em",
    }
    assert conv.extras == {
        "paragraphSpacing": "8",
        "paragraphIndent": "0",
        "textCase": "uppercase",
        "textDecoration": "underline",
    }


def test_typography_member_without_dtcg_form_moves_to_extras() -> None:
    conv = convert_token("typography", {"fontSize": "16", "lineHeight": "AUTO"})
    assert conv.value == {"fontSize": "16px"}
    assert conv.extras == {"lineHeight": "AUTO"}


def test_typography_whole_reference_kept() -> None:
    conv = convert_token("typography", "{type.body}")
    assert (conv.type, conv.value) == ("typography", "{type.body}")


@pytest.mark.parametrize(
    ("ts_type", "value"),
    [
        pytest.param("spacing", "{spacing.base} * 2", id="reference-times-number"),
        pytest.param("spacing", "$spacing.base * 2", id="old-reference-times-number"),
        pytest.param("sizing", "{a} + {b}", id="two-references"),
        pytest.param("sizing", "4 * 2", id="numbers"),
        pytest.param("fontSizes", "({base} - 2) / 2", id="parentheses"),
        pytest.param("number", "16/9", id="division"),
        pytest.param(
            "boxShadow",
            {"x": "{s.x} * -1", "y": 0, "blur": 0, "color": "#000"},
            id="inside-a-composite",
        ),
        pytest.param(None, "{spacing.base}*2", id="untyped"),
    ],
)
def test_math_expressions_are_refused_in_strict_mode(ts_type: str | None, value: Any) -> None:
    with pytest.raises(StudioValueError, match="math expression"):
        convert_token(ts_type, value, strict=True)


@pytest.mark.parametrize(
    ("ts_type", "value", "dtcg_type"),
    [
        ("spacing", "{spacing.base} * 2", "dimension"),
        ("sizing", "floor({a} / 3)", "dimension"),
        ("number", "16/9", "number"),
        ("fontWeights", "{w} + 100", "fontWeight"),
    ],
)
def test_math_expressions_are_kept_for_the_resolver(
    ts_type: str, value: str, dtcg_type: str
) -> None:
    conv = convert_token(ts_type, value)
    assert (conv.type, conv.value) == (dtcg_type, value)


def test_math_inside_a_shadow_is_kept_and_the_members_renamed() -> None:
    conv = convert_token("boxShadow", {"x": "{s.x} * -1", "y": 0, "blur": 0, "color": "#000"})
    assert conv.type == "shadow"
    assert conv.value == {
        "offsetX": "{s.x} * -1",
        "offsetY": "0px",
        "blur": "0px",
        "color": "#000",
        "inset": False,
    }


@pytest.mark.parametrize(
    "value",
    ["-4", "1.5rem", "{color.blue-500}", "rgba(0, 0, 0, 0.5)", "#ff0000", "sans-serif", "{a.b}"],
)
def test_not_math(value: str) -> None:
    assert find_math(value) is None


def test_font_families_are_not_checked_for_math() -> None:
    assert convert_token("fontFamilies", "{fonts.base} / 2").value == "{fonts.base} / 2"

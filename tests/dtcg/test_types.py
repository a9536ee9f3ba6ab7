"""Format module 2025.10 §8 (types), §9 (composite types) and the Color module: ``dtcg.types``.

One table per ``$type``: valid values (with their normalised form and CSS text),
older forms real files ship (``compat-…``), and invalid values. Expected colours
are known values computed independently of the engine (CSS Color 4 examples and
the HSL/HWB → RGB formulas worked by hand).
"""

from __future__ import annotations

import math
from typing import Any

import pytest

from graphql_api.dtcg import values as V  # noqa: N812 - the engine's own alias
from graphql_api.dtcg.types import css_text, normalise


def srgb(r: float, g: float, b: float, alpha: float | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"colorSpace": "srgb", "components": [r, g, b]}
    if alpha is not None:
        out["alpha"] = alpha
    return out


def invalid(type_: str, value: Any, fragment: str = "") -> None:
    with pytest.raises(ValueError, match=fragment or None):
        normalise(type_, value)


# --------------------------------------------------------------------------- §8.1 color

HEX_CASES = [
    pytest.param(srgb(1, 0, 0), "#ff0000", id="color-srgb-red"),
    pytest.param(srgb(0, 0, 0), "#000000", id="color-srgb-black"),
    pytest.param(srgb(1, 0.5, 0), "#ff8000", id="color-srgb-half-rounds-up"),
    pytest.param({**srgb(0, 0, 0), "hex": "#123456"}, "#123456", id="color-hex-member-kept"),
    pytest.param({**srgb(0, 0, 0), "hex": "#ABCDEF"}, "#abcdef", id="color-hex-member-lowercased"),
    pytest.param({**srgb(1, 1, 1), "hex": "#fff"}, "#ffffff", id="compat-color-hex-member-3"),
    pytest.param({**srgb(0, 0, 0), "hex": "#1A2b"}, "#11aa22", id="compat-color-hex-member-4"),
    pytest.param({**srgb(0, 0, 0), "hex": "#12345680"}, "#123456", id="compat-color-hex-member-8"),
    pytest.param({"colorSpace": "hsl", "components": [0, 100, 50]}, "#ff0000", id="color-hsl-red"),
    pytest.param(
        {"colorSpace": "hsl", "components": [120, 100, 25]}, "#008000", id="color-hsl-green"
    ),
    pytest.param(
        {"colorSpace": "hsl", "components": [240, 100, 50]}, "#0000ff", id="color-hsl-blue"
    ),
    pytest.param(
        {"colorSpace": "hsl", "components": [210, 50, 40]}, "#336699", id="color-hsl-by-hand"
    ),
    pytest.param({"colorSpace": "hsl", "components": [0, 0, 100]}, "#ffffff", id="color-hsl-white"),
    pytest.param({"colorSpace": "hwb", "components": [0, 0, 0]}, "#ff0000", id="color-hwb-red"),
    pytest.param(
        {"colorSpace": "hwb", "components": [120, 0, 50]}, "#008000", id="color-hwb-green"
    ),
    pytest.param({"colorSpace": "hwb", "components": [0, 100, 0]}, "#ffffff", id="color-hwb-white"),
    pytest.param(
        {"colorSpace": "srgb-linear", "components": [0.2, 0.2, 0.2]},
        "#7c7c7c",
        id="color-srgb-linear",
    ),
    pytest.param({"colorSpace": "lab", "components": [100, 0, 0]}, "#ffffff", id="color-lab-white"),
    pytest.param(
        {"colorSpace": "lab", "components": [54.29, 80.8, 69.89]}, "#ff0000", id="color-lab-red"
    ),
    pytest.param(
        {"colorSpace": "lch", "components": [54.29, 106.84, 40.86]}, "#ff0000", id="color-lch-red"
    ),
    pytest.param(
        {"colorSpace": "oklab", "components": [1, 0, 0]}, "#ffffff", id="color-oklab-white"
    ),
    pytest.param(
        {"colorSpace": "oklch", "components": [0.62796, 0.25768, 29.23]},
        "#ff0000",
        id="color-oklch-red",
    ),
    pytest.param(
        {"colorSpace": "display-p3", "components": [0.9175, 0.2003, 0.1386]},
        "#ff0000",
        id="color-display-p3-srgb-red",
    ),
    pytest.param(
        {"colorSpace": "a98-rgb", "components": [1, 1, 1]}, "#ffffff", id="color-a98-rgb-white"
    ),
    pytest.param(
        {"colorSpace": "prophoto-rgb", "components": [0, 0, 0]},
        "#000000",
        id="color-prophoto-black",
    ),
    pytest.param(
        {"colorSpace": "rec2020", "components": [1, 1, 1]}, "#ffffff", id="color-rec2020-white"
    ),
    pytest.param(
        {"colorSpace": "xyz-d65", "components": [0.95047, 1, 1.08883]},
        "#ffffff",
        id="color-xyz-d65-white",
    ),
    pytest.param(
        {"colorSpace": "xyz-d50", "components": [0.96422, 1, 0.82521]},
        "#ffffff",
        id="color-xyz-d50-white",
    ),
    pytest.param("#0366D6", "#0366d6", id="compat-color-hex-string"),
    pytest.param("#f00", "#ff0000", id="compat-color-short-hex"),
    pytest.param("rgb(255, 0, 0)", "#ff0000", id="compat-color-rgb-function"),
    pytest.param("hsl(120, 100%, 25%)", "#008000", id="compat-color-hsl-function"),
    pytest.param("red", "#ff0000", id="compat-color-named"),
]


@pytest.mark.parametrize(("value", "hex_"), HEX_CASES)
def test_color_module_hex(value: Any, hex_: str) -> None:
    c = normalise("color", value)
    assert isinstance(c, V.Color)
    assert c.hex == hex_
    assert c.alpha == 1


ALPHA_CASES = [
    pytest.param(srgb(1, 0, 0, 0.5), "#ff000080", 0.5, id="color-alpha-0.5"),
    pytest.param(srgb(1, 0, 0, 0.2), "#ff000033", 0.2, id="color-alpha-0.2"),
    pytest.param(srgb(0, 0, 0, 0.3), "#0000004d", 0.3, id="color-alpha-0.3-rounds-half-up"),
    pytest.param(srgb(0, 0, 0, 0.7), "#000000b3", 0.7, id="color-alpha-0.7-rounds-half-up"),
    pytest.param(srgb(0, 0, 0, 0), "#00000000", 0, id="color-alpha-0"),
    pytest.param(srgb(0, 0, 0, 1), "#000000", 1, id="color-alpha-1-no-suffix"),
    pytest.param(
        {**srgb(0, 0, 0, 0.2), "hex": "#ffffff"}, "#ffffff33", 0.2, id="color-alpha-with-hex-member"
    ),
    pytest.param("#ff000080", "#ff000080", 128 / 255, id="compat-color-hex8-string"),
    pytest.param("#ff0000ff", "#ff0000", 1, id="compat-color-hex8-opaque"),
    pytest.param("rgb(0 0 255 / 20%)", "#0000ff33", 0.2, id="compat-color-rgb-slash-alpha"),
]


@pytest.mark.parametrize(("value", "hex_", "alpha"), ALPHA_CASES)
def test_color_module_alpha(value: Any, hex_: str, alpha: float) -> None:
    c = normalise("color", value)
    assert isinstance(c, V.Color)
    assert c.hex == hex_
    assert math.isclose(c.alpha, alpha)
    assert c.css == hex_  # sRGB colours are written as hex, #rrggbbaa below alpha 1


COMPONENT_CASES = [
    pytest.param(srgb(1, 0.5, 0), "srgb", (1, 0.5, 0), id="color-components-as-written"),
    pytest.param(
        {"colorSpace": "srgb", "components": ["none", 0, 0]},
        "srgb",
        (None, 0, 0),
        id="color-none-component",
    ),
    pytest.param("#ff0000", "srgb", (1, 0, 0), id="compat-hex-string-components-0-1"),
    pytest.param("hsl(0, 100%, 50%)", "hsl", (0, 100, 50), id="compat-hsl-string-components-0-100"),
    pytest.param("hwb(120 0% 50%)", "hwb", (120, 0, 50), id="compat-hwb-string-components-0-100"),
]


@pytest.mark.parametrize(("value", "space", "components"), COMPONENT_CASES)
def test_color_module_components(value: Any, space: str, components: tuple[Any, ...]) -> None:
    c = normalise("color", value)
    assert isinstance(c, V.Color)
    assert c.color_space == space
    assert len(c.components) == 3
    for got, want in zip(c.components, components, strict=True):
        assert got == want if want is None else math.isclose(got or 0, want, abs_tol=1e-9)


@pytest.mark.parametrize(
    ("value", "css"),
    [
        pytest.param(
            {"colorSpace": "display-p3", "components": [1, 0, 0]},
            "color(display-p3 1 0 0)",
            id="color-css-display-p3",
        ),
        pytest.param(
            {"colorSpace": "srgb-linear", "components": [0.2, 0.2, 0.2]},
            "color(srgb-linear 0.2 0.2 0.2)",
            id="color-css-srgb-linear",
        ),
        pytest.param(
            {"colorSpace": "oklch", "components": [0.5, 0.1, 120]},
            "oklch(0.5 0.1 120)",
            id="color-css-oklch",
        ),
        pytest.param(
            {"colorSpace": "hsl", "components": [0, 100, 50], "alpha": 0.5},
            "#ff000080",
            id="color-css-hsl-as-hex",
        ),
    ],
)
def test_color_module_css(value: Any, css: str) -> None:
    assert normalise("color", value).css == css


def test_color_module_out_of_gamut_hex_is_in_range() -> None:
    c = normalise("color", {"colorSpace": "display-p3", "components": [0, 1, 0]})
    assert isinstance(c, V.Color)
    assert len(c.hex) == 7
    assert int(c.hex[3:5], 16) > 200  # still green after gamut mapping


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        pytest.param("not-a-colour", "not a colour", id="color-invalid-string"),
        pytest.param("#ggg", "not a colour", id="color-invalid-hex"),
        pytest.param(12, "object", id="color-number"),
        pytest.param(
            {"colorSpace": "cmyk", "components": [0, 0, 0]}, "colorSpace", id="color-unknown-space"
        ),
        pytest.param({"components": [0, 0, 0]}, "colorSpace", id="color-missing-space"),
        pytest.param(
            {"colorSpace": "srgb", "components": [0, 0]}, "components", id="color-two-components"
        ),
        pytest.param({"colorSpace": "srgb"}, "components", id="color-missing-components"),
        pytest.param(
            {"colorSpace": "srgb", "components": [0, "x", 0]},
            "component",
            id="color-string-component",
        ),
        pytest.param(srgb(0, 0, 0, 1.5), "alpha", id="color-alpha-above-1"),
        pytest.param(srgb(0, 0, 0, -0.1), "alpha", id="color-alpha-below-0"),
        pytest.param({**srgb(0, 0, 0), "hex": "#ff000"}, "hex", id="color-hex-member-5-digits"),
        pytest.param({**srgb(0, 0, 0), "hex": "fff"}, "hex", id="color-hex-member-no-hash"),
        pytest.param({**srgb(0, 0, 0), "hex": "#ggg"}, "hex", id="color-hex-member-not-hex"),
        pytest.param({**srgb(0, 0, 0), "hex": 255}, "hex", id="color-hex-member-number"),
    ],
)
def test_color_module_invalid(value: Any, fragment: str) -> None:
    invalid("color", value, fragment)


# --------------------------------------------------------------------------- §8.2 dimension

DIMENSION_CASES = [
    pytest.param({"value": 16, "unit": "px"}, 16, "px", "16px", 16, 1, id="format-8.2-px"),
    pytest.param({"value": 1.5, "unit": "rem"}, 1.5, "rem", "1.5rem", 24, 1.5, id="format-8.2-rem"),
    pytest.param(
        {"value": -4, "unit": "px"}, -4, "px", "-4px", -4, -0.25, id="format-8.2-negative"
    ),
    pytest.param({"value": 0, "unit": "rem"}, 0, "rem", "0rem", 0, 0, id="format-8.2-zero"),
    pytest.param("16px", 16, "px", "16px", 16, 1, id="compat-dimension-string-px"),
    pytest.param("0.5rem", 0.5, "rem", "0.5rem", 8, 0.5, id="compat-dimension-string-rem"),
    pytest.param(".25rem", 0.25, "rem", "0.25rem", 4, 0.25, id="compat-dimension-leading-dot"),
    pytest.param("-1px", -1, "px", "-1px", -1, -1 / 16, id="compat-dimension-string-negative"),
    pytest.param("0", 0, "px", "0px", 0, 0, id="compat-dimension-string-zero"),
    pytest.param(0, 0, "px", "0px", 0, 0, id="compat-dimension-number-zero"),
    pytest.param(16, 16, "px", "16px", 16, 1, id="compat-dimension-bare-number-is-px"),
    pytest.param(0.5, 0.5, "px", "0.5px", 0.5, 1 / 32, id="compat-dimension-bare-fraction"),
    pytest.param(
        {"value": 1.25, "unit": "em"}, 1.25, "em", "1.25em", 20, 1.25, id="compat-dimension-em"
    ),
    pytest.param("2em", 2, "em", "2em", 32, 2, id="compat-dimension-string-em"),
]


@pytest.mark.parametrize(("value", "number", "unit", "css", "px", "rem"), DIMENSION_CASES)
def test_format_8_2_dimension(  # noqa: PLR0917 - one argument per table column
    value: Any, number: float, unit: str, css: str, px: float, rem: float
) -> None:
    d = normalise("dimension", value)
    assert isinstance(d, V.Dimension)
    assert (d.value, d.unit, d.css) == (number, unit, css)
    assert math.isclose(d.px(), px)
    assert math.isclose(d.rem(), rem)


def test_format_8_2_dimension_root_size() -> None:
    d = normalise("dimension", {"value": 2, "unit": "rem"})
    assert isinstance(d, V.Dimension)
    assert d.px(root_px=10) == 20
    assert normalise("dimension", "30px").rem(root_px=10) == 3  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "value",
    [
        pytest.param("16", id="format-8.2-string-without-unit"),
        pytest.param({"value": 16, "unit": "pt"}, id="format-8.2-unit-pt"),
        pytest.param({"value": 16, "unit": "%"}, id="format-8.2-unit-percent"),
        pytest.param({"value": 16}, id="format-8.2-missing-unit"),
        pytest.param({"unit": "px"}, id="format-8.2-missing-value"),
        pytest.param({"value": "16", "unit": "px"}, id="format-8.2-value-string"),
        pytest.param({"value": math.inf, "unit": "px"}, id="format-8.2-value-infinite"),
        pytest.param({"value": True, "unit": "px"}, id="format-8.2-value-bool"),
        pytest.param("16vw", id="format-8.2-unit-vw"),
        pytest.param("abc", id="format-8.2-garbage"),
        pytest.param(None, id="format-8.2-null"),
    ],
)
def test_format_8_2_dimension_invalid(value: Any) -> None:
    invalid("dimension", value)


# --------------------------------------------------------------------------- §8.5 duration


@pytest.mark.parametrize(
    ("value", "ms", "css"),
    [
        pytest.param({"value": 200, "unit": "ms"}, 200, "200ms", id="format-8.5-ms"),
        pytest.param({"value": 0.5, "unit": "s"}, 500, "0.5s", id="format-8.5-s"),
        pytest.param({"value": 0, "unit": "ms"}, 0, "0ms", id="format-8.5-zero"),
        pytest.param("300ms", 300, "300ms", id="compat-duration-string-ms"),
        pytest.param("1.5s", 1500, "1.5s", id="compat-duration-string-s"),
    ],
)
def test_format_8_5_duration(value: Any, ms: float, css: str) -> None:
    d = normalise("duration", value)
    assert isinstance(d, V.Duration)
    assert (d.ms, d.css) == (ms, css)


@pytest.mark.parametrize(
    "value",
    [
        pytest.param(200, id="format-8.5-number"),
        pytest.param("200", id="format-8.5-string-without-unit"),
        pytest.param({"value": 1, "unit": "min"}, id="format-8.5-unit-min"),
        pytest.param({"value": "1", "unit": "s"}, id="format-8.5-value-string"),
        pytest.param("2px", id="format-8.5-dimension-unit"),
    ],
)
def test_format_8_5_duration_invalid(value: Any) -> None:
    invalid("duration", value)


# --------------------------------------------------------------------------- §8.3 fontFamily


@pytest.mark.parametrize(
    ("value", "families", "css"),
    [
        pytest.param("Inter", ("Inter",), "Inter", id="format-8.3-string"),
        pytest.param(
            ["Helvetica Neue", "Arial", "sans-serif"],
            ("Helvetica Neue", "Arial", "sans-serif"),
            '"Helvetica Neue", Arial, sans-serif',
            id="format-8.3-list-quotes-spaces",
        ),
        pytest.param(
            "-apple-system, BlinkMacSystemFont, 'Segoe UI', sans-serif",
            ("-apple-system, BlinkMacSystemFont, 'Segoe UI', sans-serif",),
            "-apple-system, BlinkMacSystemFont, 'Segoe UI', sans-serif",
            id="compat-font-stack-string-kept",
        ),
        pytest.param(
            ["'Mona Sans'"], ("'Mona Sans'",), "'Mona Sans'", id="format-8.3-already-quoted"
        ),
    ],
)
def test_format_8_3_font_family(value: Any, families: tuple[str, ...], css: str) -> None:
    f = normalise("fontFamily", value)
    assert isinstance(f, V.FontFamily)
    assert (f.families, f.css) == (families, css)


@pytest.mark.parametrize(
    "value",
    [
        pytest.param([], id="format-8.3-empty-list"),
        pytest.param(12, id="format-8.3-number"),
        pytest.param(["a", 1], id="format-8.3-list-with-number"),
    ],
)
def test_format_8_3_font_family_invalid(value: Any) -> None:
    invalid("fontFamily", value)


# --------------------------------------------------------------------------- §8.4 fontWeight

WEIGHT_NAMES = [
    ("thin", 100),
    ("hairline", 100),
    ("extra-light", 200),
    ("ultra-light", 200),
    ("light", 300),
    ("normal", 400),
    ("regular", 400),
    ("book", 400),
    ("medium", 500),
    ("semi-bold", 600),
    ("demi-bold", 600),
    ("bold", 700),
    ("extra-bold", 800),
    ("ultra-bold", 800),
    ("black", 900),
    ("heavy", 900),
    ("extra-black", 950),
    ("ultra-black", 950),
]


@pytest.mark.parametrize(
    ("value", "weight"),
    [
        *(pytest.param(n, w, id=f"format-8.4-name-{n}") for n, w in WEIGHT_NAMES),
        pytest.param("Bold", 700, id="format-8.4-name-case-insensitive"),
        pytest.param(1, 1, id="format-8.4-min"),
        pytest.param(1000, 1000, id="format-8.4-max"),
        pytest.param(450, 450, id="format-8.4-number"),
        pytest.param("600", 600, id="compat-font-weight-numeric-string"),
    ],
)
def test_format_8_4_font_weight(value: Any, weight: int) -> None:
    f = normalise("fontWeight", value)
    assert isinstance(f, V.FontWeight)
    assert (f.weight, f.css) == (weight, str(weight))


@pytest.mark.parametrize(
    "value",
    [
        pytest.param(0, id="format-8.4-zero"),
        pytest.param(1001, id="format-8.4-above-1000"),
        pytest.param(-400, id="format-8.4-negative"),
        pytest.param("heavyish", id="format-8.4-unknown-name"),
        pytest.param("semibold", id="format-8.4-name-without-hyphen"),
        pytest.param(True, id="format-8.4-bool"),
        pytest.param(None, id="format-8.4-null"),
    ],
)
def test_format_8_4_font_weight_invalid(value: Any) -> None:
    invalid("fontWeight", value)


# --------------------------------------------------------------------------- §8.6 cubicBezier


@pytest.mark.parametrize(
    ("value", "css"),
    [
        pytest.param(
            [0.25, 0.1, 0.25, 1], "cubic-bezier(0.25, 0.1, 0.25, 1)", id="format-8.6-ease"
        ),
        pytest.param([0, 0, 1, 1], "cubic-bezier(0, 0, 1, 1)", id="format-8.6-x-bounds"),
        pytest.param(
            [0.5, -1.5, 0.5, 2.5], "cubic-bezier(0.5, -1.5, 0.5, 2.5)", id="format-8.6-y-any"
        ),
    ],
)
def test_format_8_6_cubic_bezier(value: Any, css: str) -> None:
    assert normalise("cubicBezier", value).css == css


@pytest.mark.parametrize(
    "value",
    [
        pytest.param([1.1, 0, 0.5, 1], id="format-8.6-x1-above-1"),
        pytest.param([-0.1, 0, 0.5, 1], id="format-8.6-x1-below-0"),
        pytest.param([0.5, 0, 1.01, 1], id="format-8.6-x2-above-1"),
        pytest.param([0.5, 0, -2, 1], id="format-8.6-x2-below-0"),
        pytest.param([0.5, 0, 1], id="format-8.6-three-numbers"),
        pytest.param([0.5, 0, 1, 1, 0], id="format-8.6-five-numbers"),
        pytest.param(["0.5", 0, 1, 1], id="format-8.6-string-member"),
        pytest.param("ease-in", id="format-8.6-keyword"),
    ],
)
def test_format_8_6_cubic_bezier_invalid(value: Any) -> None:
    invalid("cubicBezier", value)


# --------------------------------------------------------------------------- §8.7 number


@pytest.mark.parametrize(
    ("value", "css"),
    [
        pytest.param(1.5, "1.5", id="format-8.7-float"),
        pytest.param(0, "0", id="format-8.7-zero"),
        pytest.param(-3, "-3", id="format-8.7-negative"),
        pytest.param(2.0, "2", id="format-8.7-integral-float"),
    ],
)
def test_format_8_7_number(value: Any, css: str) -> None:
    n = normalise("number", value)
    assert isinstance(n, V.Number)
    assert (n.value, n.css) == (value, css)


@pytest.mark.parametrize(
    "value",
    [
        pytest.param("1", id="format-8.7-string"),
        pytest.param(True, id="format-8.7-bool"),
        pytest.param(None, id="format-8.7-null"),
        pytest.param(math.nan, id="format-8.7-nan"),
    ],
)
def test_format_8_7_number_invalid(value: Any) -> None:
    invalid("number", value)


# --------------------------------------------------------------------------- §9.3 strokeStyle

STROKE_KEYWORDS = ["solid", "dashed", "dotted", "double", "groove", "ridge", "outset", "inset"]


@pytest.mark.parametrize(
    "keyword", [pytest.param(k, id=f"format-9.3-{k}") for k in STROKE_KEYWORDS]
)
def test_format_9_3_stroke_style_keywords(keyword: str) -> None:
    s = normalise("strokeStyle", keyword)
    assert isinstance(s, V.StrokeStyle)
    assert (s.keyword, s.css) == (keyword, keyword)


def test_format_9_3_stroke_style_object() -> None:
    s = normalise(
        "strokeStyle", {"dashArray": [{"value": 4, "unit": "px"}, "2px"], "lineCap": "round"}
    )
    assert isinstance(s, V.StrokeStyle)
    assert s.dash_array == (V.Dimension(4, "px"), V.Dimension(2, "px"))
    assert (s.keyword, s.line_cap, s.css) == (None, "round", "dashed")


@pytest.mark.parametrize(
    "value",
    [
        pytest.param("wavy", id="format-9.3-unknown-keyword"),
        pytest.param({"dashArray": ["2px"], "lineCap": "bevel"}, id="format-9.3-bad-line-cap"),
        pytest.param({"lineCap": "round"}, id="format-9.3-missing-dash-array"),
        pytest.param({"dashArray": ["2"], "lineCap": "round"}, id="format-9.3-dash-without-unit"),
    ],
)
def test_format_9_3_stroke_style_invalid(value: Any) -> None:
    invalid("strokeStyle", value)


# --------------------------------------------------------------------------- §9.4 border


def test_format_9_4_border() -> None:
    b = normalise(
        "border", {"color": "#d1d9e0", "width": {"value": 1, "unit": "px"}, "style": "solid"}
    )
    assert isinstance(b, V.Border)
    assert b.width == V.Dimension(1, "px")
    assert b.css == "1px solid #d1d9e0"


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        pytest.param({"color": "#fff", "style": "solid"}, "width", id="format-9.4-missing-width"),
        pytest.param(
            {"color": "nope", "width": "1px", "style": "solid"}, "color", id="format-9.4-bad-color"
        ),
        pytest.param(
            {"color": "#fff", "width": "1px", "style": "wavy"}, "style", id="format-9.4-bad-style"
        ),
        pytest.param("1px solid #fff", "object", id="format-9.4-css-string"),
    ],
)
def test_format_9_4_border_invalid(value: Any, fragment: str) -> None:
    invalid("border", value, fragment)


# --------------------------------------------------------------------------- §9.5 transition


def test_format_9_5_transition() -> None:
    t = normalise(
        "transition",
        {
            "duration": {"value": 200, "unit": "ms"},
            "delay": {"value": 0.1, "unit": "s"},
            "timingFunction": [0.5, 0, 1, 1],
        },
    )
    assert isinstance(t, V.Transition)
    assert t.delay.ms == 100
    assert t.css == "200ms cubic-bezier(0.5, 0, 1, 1) 0.1s"


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        pytest.param({"duration": "200ms"}, "timingFunction", id="format-9.5-missing-timing"),
        pytest.param(
            {"duration": "200px", "timingFunction": [0, 0, 1, 1]},
            "duration",
            id="format-9.5-bad-duration",
        ),
        pytest.param(
            {"duration": "1s", "timingFunction": [2, 0, 1, 1]},
            "timingFunction",
            id="format-9.5-bad-bezier",
        ),
    ],
)
def test_format_9_5_transition_invalid(value: Any, fragment: str) -> None:
    invalid("transition", value, fragment)


# --------------------------------------------------------------------------- §9.6 shadow

LAYER = {
    "color": srgb(0, 0, 0, 0.2),
    "offsetX": {"value": 0, "unit": "px"},
    "offsetY": {"value": 1, "unit": "px"},
    "blur": {"value": 2, "unit": "px"},
    "spread": {"value": 0, "unit": "px"},
}


@pytest.mark.parametrize(
    ("value", "css", "insets"),
    [
        pytest.param(LAYER, "0px 1px 2px 0px #00000033", (False,), id="format-9.6-object"),
        pytest.param(
            [
                {**LAYER, "inset": True, "color": "#ffffff"},
                {**LAYER, "offsetY": "8px", "blur": "24px"},
            ],
            "inset 0px 1px 2px 0px #ffffff, 0px 8px 24px 0px #00000033",
            (True, False),
            id="format-9.6-list-with-inset",
        ),
        pytest.param(
            {k: v for k, v in LAYER.items() if k != "spread"},
            "0px 1px 2px 0px #00000033",
            (False,),
            id="compat-shadow-spread-missing-is-0",
        ),
    ],
)
def test_format_9_6_shadow(value: Any, css: str, insets: tuple[bool, ...]) -> None:
    s = normalise("shadow", value)
    assert isinstance(s, V.Shadow)
    assert s.css == css
    assert tuple(layer.inset for layer in s.layers) == insets


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        pytest.param([], "layer", id="format-9.6-empty-list"),
        pytest.param({**LAYER, "inset": "yes"}, "inset", id="format-9.6-inset-not-bool"),
        pytest.param(
            {k: v for k, v in LAYER.items() if k != "color"}, "color", id="format-9.6-missing-color"
        ),
        pytest.param({**LAYER, "blur": "2"}, "blur", id="format-9.6-blur-without-unit"),
        pytest.param([LAYER, "0 1px #000"], "object", id="format-9.6-string-layer"),
    ],
)
def test_format_9_6_shadow_invalid(value: Any, fragment: str) -> None:
    invalid("shadow", value, fragment)


# --------------------------------------------------------------------------- §9.7 gradient


@pytest.mark.parametrize(
    ("value", "positions", "css"),
    [
        pytest.param(
            [{"color": "#ff0000", "position": 0}, {"color": "#0000ff", "position": 1}],
            (0, 1),
            "linear-gradient(90deg, #ff0000 0%, #0000ff 100%)",
            id="format-9.7-two-stops",
        ),
        pytest.param(
            [{"color": "#ff0000", "position": -0.5}, {"color": "#0000ff", "position": 1.5}],
            (0, 1),
            "linear-gradient(90deg, #ff0000 0%, #0000ff 100%)",
            id="format-9.7-position-clamped",
        ),
        pytest.param(
            [{"color": srgb(0, 0, 0, 0.5), "position": 0.25}],
            (0.25,),
            "linear-gradient(90deg, #00000080 25%)",
            id="format-9.7-alpha-stop",
        ),
    ],
)
def test_format_9_7_gradient(value: Any, positions: tuple[float, ...], css: str) -> None:
    g = normalise("gradient", value)
    assert isinstance(g, V.Gradient)
    assert tuple(s.position for s in g.stops) == positions
    assert g.css == css


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        pytest.param([], "non-empty", id="format-9.7-empty"),
        pytest.param([{"color": "#fff"}], "position", id="format-9.7-missing-position"),
        pytest.param(
            [{"color": "#fff", "position": "50%"}], "position", id="format-9.7-position-string"
        ),
        pytest.param([{"color": "x", "position": 0}], "color", id="format-9.7-bad-color"),
    ],
)
def test_format_9_7_gradient_invalid(value: Any, fragment: str) -> None:
    invalid("gradient", value, fragment)


@pytest.mark.parametrize(
    "css",
    [
        "linear-gradient(127deg, #ebff38 -38.66%, #3dd6f5 83.73%)",
        "linear-gradient(0deg, #ffffff1a 0%, #ffffff1a 100%), linear-gradient(151deg, red, blue)",
        "radial-gradient(circle, red 0%, blue 100%)",
        "repeating-conic-gradient(red 0 10%, blue 10% 20%)",
    ],
)
def test_compat_gradient_css_function_has_no_dtcg_form(css: str) -> None:
    """Tolerant: kept as written (typed view Unknown, its CSS text); strict: refused."""
    g = normalise("gradient", css)
    assert g == V.Unknown(css)
    assert g.css == css
    with pytest.raises(ValueError, match="list of stops"):
        normalise("gradient", css, strict=True)


@pytest.mark.parametrize("value", ["red", "gradient(red, blue)", "linear-gradient"])
def test_gradient_other_strings_stay_invalid(value: str) -> None:
    invalid("gradient", value, "list of stops")


# --------------------------------------------------------------------------- §9.8 typography


def test_format_9_8_typography_members() -> None:
    t = normalise(
        "typography",
        {
            "fontFamily": ["Mona Sans", "sans-serif"],
            "fontSize": {"value": 16, "unit": "px"},
            "fontWeight": "semi-bold",
            "letterSpacing": {"value": 0.1, "unit": "rem"},
            "lineHeight": 1.5,
        },
    )
    assert isinstance(t, V.Typography)
    assert t.font_family == V.FontFamily(("Mona Sans", "sans-serif"))
    assert t.font_size == V.Dimension(16, "px")
    assert t.font_weight == V.FontWeight(600)
    assert t.letter_spacing == V.Dimension(0.1, "rem")
    assert t.line_height == 1.5
    assert t.css == '600 16px/1.5 "Mona Sans", sans-serif'


def test_compat_typography_members_optional() -> None:
    t = normalise("typography", {"fontSize": "12px", "fontWeight": 400})
    assert isinstance(t, V.Typography)
    assert (t.font_family, t.letter_spacing, t.line_height) == (None, None, None)
    assert t.css == "400 12px"


@pytest.mark.parametrize(
    ("size", "line_height", "ratio"),
    [
        pytest.param("16px", "24px", 1.5, id="compat-line-height-px"),
        pytest.param(
            {"value": 12, "unit": "px"},
            {"value": 16, "unit": "px"},
            16 / 12,
            id="compat-line-height-px-object",
        ),
        pytest.param("1rem", "20px", 1.25, id="compat-line-height-px-over-rem"),
        pytest.param("12px", "1.5rem", 2, id="compat-line-height-rem"),
        pytest.param(None, "1.2em", 1.2, id="compat-line-height-em-is-the-ratio"),
    ],
)
def test_compat_typography_line_height_dimension(size: Any, line_height: Any, ratio: float) -> None:
    """CSS reads a length line height as that length; Adobe Spectrum ships px ones."""
    value = {"lineHeight": line_height} | ({"fontSize": size} if size else {})
    t = normalise("typography", value)
    assert isinstance(t, V.Typography)
    assert t.line_height == pytest.approx(ratio)


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        pytest.param({"lineHeight": "24px"}, "fontSize", id="compat-line-height-px-needs-size"),
        pytest.param(
            {"fontSize": "0px", "lineHeight": "24px"},
            "fontSize",
            id="compat-line-height-px-size-zero",
        ),
    ],
)
def test_compat_typography_line_height_dimension_invalid(value: Any, fragment: str) -> None:
    invalid("typography", value, fragment)


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        pytest.param({"fontWeight": "heavyish"}, "fontWeight", id="format-9.8-bad-weight"),
        pytest.param({"fontSize": "12"}, "fontSize", id="format-9.8-size-without-unit"),
        pytest.param({"lineHeight": "1.5"}, "lineHeight", id="format-9.8-line-height-string"),
        pytest.param({"fontFamily": 3}, "fontFamily", id="format-9.8-bad-family"),
        pytest.param("16px Inter", "object", id="format-9.8-css-string"),
    ],
)
def test_format_9_8_typography_invalid(value: Any, fragment: str) -> None:
    invalid("typography", value, fragment)


# --------------------------------------------------------------------------- unknown types


@pytest.mark.parametrize(
    ("type_", "value", "css"),
    [
        pytest.param(
            "custom-viewportRange",
            "(min-width: 768px)",
            "(min-width: 768px)",
            id="compat-custom-type-string",
        ),
        pytest.param("fontSize", "16px", "16px", id="compat-fontSize-not-a-dtcg-type"),
        pytest.param("boolean", False, "false", id="compat-unknown-bool"),
        pytest.param("custom-number", 12.0, "12", id="compat-unknown-number"),
        pytest.param(None, {"a": [1, 2]}, '{"a":[1,2]}', id="compat-untyped-object"),
    ],
)
def test_unknown_types_kept(type_: str | None, value: Any, css: str) -> None:
    u = normalise(type_, value)
    assert u == V.Unknown(value)
    assert u.css == css


@pytest.mark.parametrize(
    ("type_", "value", "css"),
    [
        pytest.param("dimension", {"value": 768, "unit": "px"}, "768px", id="css-text-dimension"),
        pytest.param("color", srgb(0, 0, 0, 0.5), "#00000080", id="css-text-color"),
        pytest.param(
            "dimension", {"value": 4, "unit": "pt"}, "4pt", id="css-text-fallback-value-unit"
        ),
        pytest.param("color", "nope", "nope", id="css-text-fallback-string"),
        pytest.param("number", None, "null", id="css-text-fallback-json"),
    ],
)
def test_css_text(type_: str, value: Any, css: str) -> None:
    assert css_text(type_, value) == css

"""Conformance table for the Color module 2025.10 §4 (colour spaces and component ranges).

Rows are named ``color-<section>-…``. Ranges come from the Color module's table
(the CSS Color 4 reference ranges): rgb-like and XYZ spaces [0, 1]; hsl/hwb hue
[0, 360) and the others [0, 100]; lab L [0, 100]; lch L [0, 100], C ≥ 0, hue
[0, 360); oklab L [0, 1]; oklch L [0, 1], C ≥ 0, hue [0, 360); a and b unbounded.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from graphql_api.dtcg import values as V  # noqa: N812 - the engine's own alias
from graphql_api.dtcg.colors import COMPONENT_RANGES
from graphql_api.dtcg.types import COLOR_SPACES, normalise

RGB_LIKE = ["srgb", "srgb-linear", "display-p3", "a98-rgb", "prophoto-rgb", "rec2020"]


def c(space: str, *comps: Any, **extra: Any) -> dict[str, Any]:
    return {"colorSpace": space, "components": list(comps), **extra}


VALID = [
    *(pytest.param(c(s, 0, 0.5, 1), id=f"color-4.2-{s}-bounds") for s in RGB_LIKE),
    *(
        pytest.param(c(s, 0.2, 0.3, 0.4), id=f"color-4.2-{s}-inside")
        for s in ("xyz-d65", "xyz-d50")
    ),
    pytest.param(c("hsl", 0, 0, 0), id="color-4.2-hsl-lower-bounds"),
    pytest.param(c("hsl", 359.99, 100, 100), id="color-4.2-hsl-upper-bounds"),
    pytest.param(c("hwb", 330, 0, 100), id="color-4.2-hwb-bounds"),
    pytest.param(c("lab", 100, -160, 160), id="color-4.2-lab-bounds"),
    pytest.param(c("lab", 50, 500, -500), id="color-4.2-lab-a-b-unbounded"),
    pytest.param(c("lch", 100, 230, 0), id="color-4.2-lch-bounds"),
    pytest.param(c("lch", 50, 1000, 359), id="color-4.2-lch-chroma-unbounded"),
    pytest.param(c("oklab", 1, -0.5, 0.5), id="color-4.2-oklab-bounds"),
    pytest.param(c("oklch", 0, 0, 359.5), id="color-4.2-oklch-bounds"),
    pytest.param(c("hsl", "none", 0, 100), id="color-4.1.1-none-hue"),
    pytest.param(c("oklch", 0.5, "none", "none"), id="color-4.1.1-none-chroma-and-hue"),
    pytest.param(c("srgb", 0, 0, 0, alpha=0), id="color-4.1-alpha-0"),
    pytest.param(c("srgb", 0, 0, 0, alpha=1), id="color-4.1-alpha-1"),
    pytest.param(c("srgb", 1, 0, 1, hex="#ff00ff"), id="color-4.1-hex-fallback"),
    pytest.param(c("srgb", 1, 0, 1, hex="#FF00FF"), id="color-4.1-hex-fallback-uppercase"),
]


@pytest.mark.parametrize("value", VALID)
@pytest.mark.parametrize("strict", [False, True], ids=["tolerant", "strict"])
def test_color_module_valid(value: dict[str, Any], strict: bool) -> None:
    got = normalise("color", value, strict=strict)
    assert isinstance(got, V.Color)
    assert got.color_space == value["colorSpace"]
    assert got.alpha == value.get("alpha", 1)  # §4.1: omitted alpha is 1
    assert len(got.hex) in (7, 9)


INVALID = [
    *(
        pytest.param(c(s, 1.01, 0, 0), "components[0]", id=f"color-4.2-{s}-above-1")
        for s in RGB_LIKE
    ),
    *(
        pytest.param(c(s, 0, -0.01, 0), "components[1]", id=f"color-4.2-{s}-below-0")
        for s in RGB_LIKE
    ),
    pytest.param(c("hsl", 361, 50, 50), "hue", id="color-4.2-hsl-hue-above-360"),
    pytest.param(c("hsl", -1, 50, 50), "hue", id="color-4.2-hsl-hue-negative"),
    pytest.param(c("hsl", 0, 101, 50), "saturation", id="color-4.2-hsl-saturation-above-100"),
    pytest.param(c("hsl", 0, 50, -1), "lightness", id="color-4.2-hsl-lightness-negative"),
    pytest.param(
        c("hsl", 0, 0.5, 0.5) | {"components": [0, 50, 100.5]},
        "lightness",
        id="color-4.2-hsl-lightness-above-100",
    ),
    pytest.param(c("hwb", 0, 100.1, 0), "whiteness", id="color-4.2-hwb-whiteness-above-100"),
    pytest.param(c("hwb", 0, 0, -5), "blackness", id="color-4.2-hwb-blackness-negative"),
    pytest.param(c("lab", 101, 0, 0), "L", id="color-4.2-lab-lightness-above-100"),
    pytest.param(c("lab", -1, 0, 0), "L", id="color-4.2-lab-lightness-negative"),
    pytest.param(c("lch", 50, -1, 0), "C", id="color-4.2-lch-negative-chroma"),
    pytest.param(c("lch", 50, 10, 400), "hue", id="color-4.2-lch-hue-above-360"),
    pytest.param(c("oklab", 1.1, 0, 0), "L", id="color-4.2-oklab-lightness-above-1"),
    pytest.param(c("oklab", 50, 0, 0), "L", id="color-4.2-oklab-lightness-as-percent"),
    pytest.param(c("oklch", 0.5, -0.1, 0), "C", id="color-4.2-oklch-negative-chroma"),
    pytest.param(c("oklch", 2, 0.1, 0), "L", id="color-4.2-oklch-lightness-above-1"),
    pytest.param(c("srgb", 0, 0, 0, alpha=1.01), "alpha", id="color-4.1-alpha-above-1"),
    pytest.param(c("srgb", 0, 0, 0, alpha="0.5"), "alpha", id="color-4.1-alpha-string"),
    pytest.param(c("srgb", 0, 0, 0, hex="abcdef"), "hex", id="color-4.1-hex-without-hash"),
    pytest.param(c("srgb", 0, 0, 0, hex=123), "hex", id="color-4.1-hex-number"),
    pytest.param(c("srgb", 0, 0, 0, 0), "components", id="color-4.1-four-components"),
    pytest.param(
        {"colorSpace": "srgb", "components": "0 0 0"},
        "components",
        id="color-4.1-components-string",
    ),
    pytest.param(c("SRGB", 0, 0, 0), "colorSpace", id="color-4.2-space-is-case-sensitive"),
    pytest.param(c("hsv", 0, 0, 0), "colorSpace", id="color-4.2-space-not-in-the-14"),
    pytest.param(c("srgb", "None", 0, 0), "component", id="color-4.1.1-none-is-lowercase"),
]


@pytest.mark.parametrize(("value", "fragment"), INVALID)
@pytest.mark.parametrize("strict", [False, True], ids=["tolerant", "strict"])
def test_color_module_invalid(value: dict[str, Any], fragment: str, strict: bool) -> None:
    with pytest.raises(ValueError, match=re.escape(fragment)):
        normalise("color", value, strict=strict)


STRICT_ONLY = [
    pytest.param(c("hsl", 360, 50, 50), id="color-4.2-hue-360-excluded"),
    pytest.param(c("lch", 50, 10, 360), id="color-4.2-lch-hue-360-excluded"),
    pytest.param(c("xyz-d65", 0.9505, 1, 1.0888), id="color-4.2-xyz-white-point-outside-0-1"),
    pytest.param(c("srgb", 0, 0, 0, name="x"), id="color-4.1-unknown-member"),
    pytest.param("#ff0000", id="color-4.1-css-hex-string"),
    pytest.param("rgb(255 0 0)", id="color-4.1-css-function-string"),
]


@pytest.mark.parametrize("value", STRICT_ONLY)
def test_color_module_tolerated_forms_rejected_when_strict(value: Any) -> None:
    assert isinstance(normalise("color", value), V.Color)
    with pytest.raises(ValueError):  # noqa: PT011 - the message is checked elsewhere
        normalise("color", value, strict=True)


def test_color_module_all_14_spaces_have_ranges() -> None:
    assert len(COLOR_SPACES) == 14
    assert set(COMPONENT_RANGES) == set(COLOR_SPACES)

"""Colour conversion and contrast (coloraide), against published reference values."""

from __future__ import annotations

import pytest

from graphql_api.dtcg.colors import color
from graphql_api.dtcg.contrast import apca, convert, wcag_ratio


@pytest.mark.parametrize(
    ("text", "background", "lc"),
    [
        # The reference values of the APCA-W3 README (apca-w3 0.1.9, 0.0.98G-4g constants).
        ("#888888", "#ffffff", 63.056469930209424),
        ("#ffffff", "#888888", -68.54146436644962),
        ("#000000", "#aaaaaa", 58.146262578561334),
        ("#aaaaaa", "#000000", -56.24113336839742),
    ],
)
def test_apca_matches_the_reference_implementation(text: str, background: str, lc: float) -> None:
    assert apca(color(text), color(background)) == pytest.approx(lc, abs=1e-9)


def test_apca_of_a_colour_on_itself_is_zero() -> None:
    assert apca(color("#336699"), color("#336699")) == 0


@pytest.mark.parametrize(
    ("fg", "bg", "ratio"),
    [
        ("#000000", "#ffffff", 21.0),
        ("#ffffff", "#ffffff", 1.0),
        ("#767676", "#ffffff", 4.54),  # the lightest grey that passes AA on white
        ("#777777", "#ffffff", 4.48),
    ],
)
def test_wcag_ratio(fg: str, bg: str, ratio: float) -> None:
    assert wcag_ratio(color(fg), color(bg)) == pytest.approx(ratio, abs=0.005)
    assert wcag_ratio(color(bg), color(fg)) == pytest.approx(ratio, abs=0.005)  # symmetric


def test_a_translucent_foreground_is_composited_over_the_background() -> None:
    invisible = color({"colorSpace": "srgb", "components": [0, 0, 0], "alpha": 0})
    assert wcag_ratio(invisible, color("#ffffff")) == pytest.approx(1.0)
    half = color({"colorSpace": "srgb", "components": [0, 0, 0], "alpha": 0.5})
    assert 1 < wcag_ratio(half, color("#ffffff")) < wcag_ratio(color("#000000"), color("#ffffff"))


def test_conversions_match_css_color_4_examples() -> None:
    red = color("#ff0000")
    hsl = convert(red, "hsl")
    assert hsl.components == pytest.approx((0, 100, 50))
    oklch = convert(red, "oklch")  # CSS Color 4: red is oklch(62.8% 0.2577 29.23)
    assert oklch.components == pytest.approx((0.62796, 0.25768, 29.2339), abs=1e-4)
    p3 = convert(red, "display-p3")  # color(display-p3 0.9175 0.2003 0.1386)
    assert p3.components == pytest.approx((0.9175, 0.2003, 0.1386), abs=1e-4)
    assert p3.in_gamut
    assert p3.css.startswith("color(display-p3")


def test_a_wide_gamut_colour_is_out_of_the_srgb_gamut() -> None:
    p3_red = color({"colorSpace": "display-p3", "components": [1, 0, 0]})
    srgb = convert(p3_red, "srgb")
    assert not srgb.in_gamut
    assert srgb.components[0] is not None
    assert srgb.components[0] > 1


def test_an_unknown_space_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown colour space 'cmyk'"):
        convert(color("#ff0000"), "cmyk")

"""Colour at query time on Primer: `in(space:)`, `contrast(against:)`, `contrastReport`.

Expected values are computed here from the oracle's hex values with the standard library
(colorsys) and the WCAG 2.x formula, independently of coloraide.
"""

from __future__ import annotations

import colorsys
from typing import TYPE_CHECKING, Any

import pytest

from graphql_api.dtcg.contrast import SPACES
from graphql_api.dtcg.types import SPEC_TYPES as TYPES
from graphql_api.schema.colorspace import ColorSpace
from graphql_api.schema.types import TokenType
from tests.helpers import PRIMER_ORACLE, data_of, load_oracle

if TYPE_CHECKING:
    from tests.api.conftest import SharedDB

LIGHT = [{"modifier": "theme", "context": "light"}]


def rgb(hex_: str) -> tuple[float, float, float]:
    h = hex_.lstrip("#")[:6]
    r, g, b = (int(h[i : i + 2], 16) / 255 for i in (0, 2, 4))
    return r, g, b


def luminance(hex_: str) -> float:
    """WCAG 2.x relative luminance."""

    def lin(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (lin(c) for c in rgb(hex_))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def ratio(a: str, b: str) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


@pytest.fixture(scope="module")
def light() -> dict[str, Any]:
    return load_oracle(PRIMER_ORACLE / "light.json")


def opaque(oracle: dict[str, Any], path: str) -> str:
    value = oracle[path]["value"]
    assert len(value["hex"]) == 7, f"{path} is translucent"
    return str(value["hex"])


def test_the_color_space_enum_is_the_color_module_list() -> None:
    assert {s.value for s in ColorSpace} == set(SPACES)


def test_color_in_hsl_matches_colorsys(primer: SharedDB, light: dict[str, Any]) -> None:
    path = "fgColor.accent"
    data = data_of(
        primer.gql(
            'query($t: [ThemeSelection!]) { token(path: "fgColor.accent", theme: $t) '
            "{ value { ... on ColorValue { hsl: in(space: HSL) { space components inGamut } "
            "p3: in(space: DISPLAY_P3) { css } } } } }",
            {"t": LIGHT},
        )
    )
    h, lightness, s = colorsys.rgb_to_hls(*rgb(opaque(light, path)))
    got = data["token"]["value"]["hsl"]
    assert got["space"] == "hsl"
    assert got["inGamut"] is True
    # the hex is rounded to 8 bits: within half a unit of what colorsys derives from it
    assert got["components"] == pytest.approx([h * 360, s * 100, lightness * 100], abs=0.5)
    source = light[path]["value"]
    if source["colorSpace"] == "hsl":  # an hsl source converts to itself
        assert got["components"] == pytest.approx(source["components"])
    assert data["token"]["value"]["p3"]["css"].startswith("color(display-p3 ")


def test_contrast_of_two_tokens(primer: SharedDB, light: dict[str, Any]) -> None:
    data = data_of(
        primer.gql(
            'query($t: [ThemeSelection!]) { token(path: "fgColor.muted", theme: $t) '
            '{ contrast(against: "bgColor.default") { against ratio apca aa aaa } } '
            'notColor: token(path: "base.size.4", theme: $t) '
            '{ contrast(against: "bgColor.default") { ratio } } }',
            {"t": LIGHT},
        )
    )
    got = data["token"]["contrast"]
    want = ratio(opaque(light, "fgColor.muted"), opaque(light, "bgColor.default"))
    assert got["ratio"] == pytest.approx(want, rel=1e-3)
    assert (got["aa"], got["aaa"]) == (want >= 4.5, want >= 7)
    assert got["apca"] > 0  # dark text on a light background
    assert got["against"] == "bgColor.default"
    assert data["notColor"]["contrast"] is None


def test_contrast_report_lists_exactly_the_failing_pairs(
    primer: SharedDB, light: dict[str, Any]
) -> None:
    fgs = sorted(
        p
        for p, t in light.items()
        if p.startswith("fgColor.") and t["type"] == "color" and len(t["value"]["hex"]) == 7
    )
    pairs = [{"foreground": f, "background": "bgColor.default"} for f in fgs]
    query = (
        "query($p: [ContrastPair!]!, $t: [ThemeSelection!], $l: WcagLevel!) "
        "{ contrastReport(pairs: $p, theme: $t, level: $l) { level checked "
        "failures { foreground background ratio required "
        "theme { modifier context } } } }"
    )
    for level, need in (("AA", 4.5), ("AAA", 7.0)):
        report = data_of(primer.gql(query, {"p": pairs, "t": LIGHT, "l": level}))["contrastReport"]
        expected = {
            f for f in fgs if ratio(opaque(light, f), opaque(light, "bgColor.default")) < need
        }
        assert {f["foreground"] for f in report["failures"]} == expected, level
        assert report["checked"] == len(pairs)
        assert all(f["required"] == need for f in report["failures"])
    everywhere = data_of(primer.gql(query, {"p": pairs[:2], "t": None, "l": "AA"}))
    assert everywhere["contrastReport"]["checked"] == 2 * 28  # every theme combination


def test_contrast_report_names_a_pair_that_is_not_colour(primer: SharedDB) -> None:
    report = data_of(
        primer.gql(
            '{ contrastReport(pairs: [{foreground: "base.size.4", background: "bgColor.default"}],'
            ' theme: [{modifier: "theme", context: "dark"}]) '
            "{ failures { foreground ratio } } }"
        )
    )
    assert report["contrastReport"]["failures"] == [{"foreground": "base.size.4", "ratio": None}]


def test_standard_type_is_the_type_as_an_enum(primer: SharedDB) -> None:
    assert {t.value for t in TokenType} == set(TYPES)
    edges = data_of(primer.gql("{ tokens { edges { node { type standardType } } } }"))
    pairs = {(e["node"]["type"], e["node"]["standardType"]) for e in edges["tokens"]["edges"]}
    assert all(std == (t if t in TYPES else None) for t, std in pairs)
    assert ("color", "color") in pairs

"""``tests/real_world_compare.compare``: the rules the corpus test compares values with.

Expected outcomes are worked out by hand from the rules (module docstring), so a
comparison that always said "equal" would fail here.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.real_world_compare import compare

BLACK_8 = {"colorSpace": "srgb", "components": [0, 0, 0], "alpha": 0.08}


@pytest.mark.parametrize(
    ("type_", "ours", "oracle"),
    [
        pytest.param("color", "#ebff38", "#EBFF38", id="colour-case"),
        pytest.param("color", "rgb(64, 105, 253)", "#4069fd", id="colour-rgb-vs-hex"),
        pytest.param("color", BLACK_8, "rgba(0, 0, 0, 0.08)", id="colour-object-vs-rgba"),
        pytest.param(
            "color",
            {"colorSpace": "srgb", "components": [0.5, 0.5, 0.5]},
            "#808080",
            id="colour-rounding-half-a-step",
        ),  # 127.5 vs 128
        pytest.param("dimension", "1rem", "16px", id="dimension-rem"),
        pytest.param("dimension", {"value": 8, "unit": "px"}, 8, id="dimension-bare-number"),
        pytest.param("dimension", "0", "0px", id="dimension-zero"),
        pytest.param("dimension", "0.06em", "0.96px", id="dimension-em"),
        pytest.param("duration", "0.2s", {"value": 200, "unit": "ms"}, id="duration-s-vs-ms"),
        pytest.param("number", 0.4, "0.4", id="number-string"),
        pytest.param(
            "shadow",
            [
                {
                    "offsetX": "0px",
                    "offsetY": "2px",
                    "blur": "8px",
                    "spread": "0px",
                    "color": "rgba(0, 0, 0, 0.08)",
                }
            ],
            [{"x": "0px", "y": "2px", "blur": "8px", "spread": "0px", "color": "rgba(0,0,0,0.08)"}],
            id="shadow-x-y",
        ),
        pytest.param(
            "typography",
            {"fontSize": "1rem", "lineHeight": "26px"},
            {"fontSize": "16px", "lineHeight": "26px"},
            id="typography-members",
        ),
        pytest.param("fontWeight", "bold", "bold", id="other-json"),
        pytest.param("fontWeight", "Semi Bold", 600, id="font-weight-name"),
    ],
)
def test_equal(type_: str, ours: Any, oracle: Any) -> None:
    assert compare(type_, ours, oracle) is None


@pytest.mark.parametrize(
    ("type_", "ours", "oracle", "reason"),
    [
        pytest.param("color", "#000000", "#020000", "channel 0", id="colour-two-steps"),
        pytest.param("color", BLACK_8, "rgba(0, 0, 0, 0.09)", "alpha", id="colour-alpha"),
        pytest.param("dimension", "1rem", "15px", "16px vs 15px", id="dimension"),
        pytest.param("duration", "200ms", "0.3s", "ms", id="duration"),
        pytest.param("number", 1.0, 1.000001, "vs", id="number-beyond-1e-9"),
        pytest.param(
            "shadow",
            [{"offsetX": "0px", "color": "#000"}],
            [{"x": "1px", "color": "#000"}],
            "[0].offsetX",
            id="shadow-member",
        ),
        pytest.param(
            "shadow",
            [{"offsetX": "0px"}],
            [{"x": "0px"}, {"x": "0px"}],
            "items",
            id="shadow-layers",
        ),
        pytest.param(
            "typography",
            {"fontSize": "16px"},
            {"fontSize": "16px", "lineHeight": 1.5},
            ".lineHeight: missing",
            id="typography-missing-member",
        ),
        pytest.param("fontFamily", "Inter", "Roboto", "vs", id="other-json"),
        pytest.param("fontWeight", "bold", 600, "vs", id="font-weight-by-value"),
        pytest.param("color", "not a colour", "#000", "cannot read", id="unreadable"),
    ],
)
def test_different(type_: str, ours: Any, oracle: Any, reason: str) -> None:
    why = compare(type_, ours, oracle)
    assert why is not None
    assert reason in why

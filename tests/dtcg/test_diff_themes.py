"""Diffs compare values after normalisation, and merge combinations (``dtcg.sameness``,
``dtcg.diff_themes``)."""

from __future__ import annotations

from typing import Any

import pytest

from graphql_api.dtcg.diff import diff_tokens, representation_changes
from graphql_api.dtcg.diff_themes import diff_combinations
from graphql_api.dtcg.nodes import TokenNode
from graphql_api.dtcg.references import ResolvedToken
from graphql_api.dtcg.sameness import same_value


def tok(path: str, value: Any, type_: str | None = "color") -> ResolvedToken:
    return ResolvedToken(TokenNode(path, value, type_), type_, value, None, (), None)


def tokens(*items: ResolvedToken) -> dict[str, ResolvedToken]:
    return {t.path: t for t in items}


# #1f6feb is rgb(31, 111, 235): the same colour as these objects.
SAME_AS_1F6FEB = [
    {"colorSpace": "srgb", "components": [31 / 255, 111 / 255, 235 / 255]},
    {"colorSpace": "srgb", "components": [0.1216, 0.4353, 0.9216], "hex": "#1f6feb"},
    {"colorSpace": "hsl", "components": [216.0, 83.7, 52.2], "hex": "#1f6feb"},
    "rgb(31 111 235)",
]


@pytest.mark.parametrize("other", SAME_AS_1F6FEB)
def test_the_same_colour_written_differently_is_the_same_value(other: Any) -> None:
    assert same_value("color", "#1f6feb", other)


@pytest.mark.parametrize(
    ("type_", "a", "b", "same"),
    [
        ("color", "#1f6feb", "#1f6fec", False),  # one step of blue
        ("color", "#1f6feb", "#1f6feb80", False),  # alpha differs
        ("dimension", "16px", {"value": 16, "unit": "px"}, True),
        ("dimension", "16px", {"value": 1, "unit": "rem"}, False),  # depends on the root size
        ("duration", "0.2s", {"value": 200, "unit": "ms"}, True),
        ("duration", "200ms", "300ms", False),
        ("number", 1, 1.0, True),
        ("fontFamily", "Inter", ["Inter"], True),
        (
            "shadow",
            {
                "color": "#000000",
                "offsetX": "0px",
                "offsetY": "1px",
                "blur": "2px",
                "spread": "0px",
            },
            {
                "color": {"colorSpace": "srgb", "components": [0, 0, 0]},
                "offsetX": {"value": 0, "unit": "px"},
                "offsetY": "1px",
                "blur": "2px",
                "spread": "0px",
            },
            True,
        ),
        (
            "color",
            {"colorSpace": "display-p3", "components": [1, 0, 0]},
            {"colorSpace": "display-p3", "components": [0.98, 0, 0]},
            False,
        ),  # outside sRGB
        ("color", "not a colour", "not a colour either", False),  # compared as JSON
        ("x-custom", {"a": [1, 2]}, {"a": [1.0, 2.0]}, True),  # a type the spec lacks: JSON
        ("x-custom", {"a": [1, 2]}, {"a": [2, 1]}, False),
    ],
)
def test_sameness_by_type(type_: str, a: Any, b: Any, same: bool) -> None:
    assert same_value(type_, a, b) is same


def test_a_representation_change_is_not_a_value_change_but_is_listed() -> None:
    before = tokens(tok("a", "#1f6feb"), tok("b", "#ffffff"))
    after = tokens(tok("a", SAME_AS_1F6FEB[2]), tok("b", "#fffffe"))
    assert [(c.kind, c.path) for c in diff_tokens(before, after)] == [("value_changed", "b")]
    assert representation_changes(before, after) == ["a"]


def test_combinations_merge_equal_changes_and_split_different_ones() -> None:
    light = {"theme": "light"}
    dark = {"theme": "dark"}
    dim = {"theme": "dim"}
    sides = [
        (
            light,
            tokens(tok("x", "#000000"), tok("y", "#111111")),
            tokens(tok("x", "#000000"), tok("y", "#222222")),
        ),
        (
            dark,
            tokens(tok("x", "#000000"), tok("y", "#111111")),
            tokens(tok("x", "#ffffff"), tok("y", "#222222")),
        ),
        (
            dim,
            tokens(tok("x", "#000000"), tok("y", "#333333")),
            tokens(tok("x", "#ffffff"), tok("y", "#333333")),
        ),
    ]
    merged = diff_combinations(sides)
    got = [(t.change.kind, t.change.path, t.change.after, t.themes) for t in merged.changes]
    assert got == [
        ("value_changed", "x", "#ffffff", (dark, dim)),
        ("value_changed", "y", "#222222", (light, dark)),
    ]
    assert merged.representation_changed == []


def test_combinations_report_changes_in_natural_path_order() -> None:
    before = tokens(tok("s.2", "#000000"), tok("s.12", "#000000"), tok("s.112", "#000000"))
    after = tokens(tok("s.2", "#000001"), tok("s.12", "#000001"), tok("s.112", "#000001"))
    merged = diff_combinations([({}, before, after)])
    assert [t.change.path for t in merged.changes] == ["s.2", "s.12", "s.112"]

"""Natural path order and close paths (``graphql_api.dtcg.paths``)."""

from __future__ import annotations

import random

from graphql_api.dtcg.paths import MAX_SUGGESTED_LENGTH, close_paths, sort_paths


def test_numbers_compare_by_value_within_a_segment() -> None:
    paths = ["base.size.112", "base.size.12", "base.size.128", "base.size.16", "base.size.2"]
    assert sort_paths(paths) == [
        "base.size.2",
        "base.size.12",
        "base.size.16",
        "base.size.112",
        "base.size.128",
    ]


def test_digits_inside_a_name_and_groups_stay_together() -> None:
    paths = ["space.x10", "space.x2", "space.x", "b-2", "b.1", "b.10.a", "b.9.z"]
    assert sort_paths(paths) == [
        "b.1",
        "b.9.z",
        "b.10.a",
        "b-2",
        "space.x",
        "space.x2",
        "space.x10",
    ]


def test_ties_fall_back_to_text_so_the_order_is_total_and_stable() -> None:
    paths = ["size.1", "size.01", "size.001", "size.10", "Size.1", "size.a"]
    expected = ["Size.1", "size.001", "size.01", "size.1", "size.10", "size.a"]
    for seed in range(20):
        shuffled = paths[:]
        random.Random(seed).shuffle(shuffled)  # noqa: S311 - test data
        assert sort_paths(shuffled) == expected


def test_close_paths_finds_a_typo_and_a_case_slip() -> None:
    known = ["fgColor.default", "fgColor.muted", "bgColor.default", "border.radius.small"]
    assert close_paths("fgColor.defualt", known)[0] == "fgColor.default"
    assert close_paths("FGCOLOR.MUTED", known)[0] == "fgColor.muted"
    assert close_paths("zzz", known) == []
    assert "fgColor.default" not in close_paths("fgColor.default", known)  # never itself


def test_close_paths_returns_at_most_three_and_skips_huge_input() -> None:
    known = [f"color.gray.{i}" for i in range(10)]
    assert len(close_paths("color.gray.x", known)) == 3
    assert close_paths("c" * (MAX_SUGGESTED_LENGTH + 1), known) == []

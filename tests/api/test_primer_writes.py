"""The issue's walk-through on real Primer: edit, impact, releases, diff, time travel.

A write key changes ``base.color.blue.5``; ``impact`` must name exactly the tokens whose
resolved value then changed, in every theme combination (measured by reading every
token before and after); release ``1.0.1`` against ``1.0.0`` must list exactly those
changed values with a ``PATCH`` bump; ``release: "1.0.0"`` must return what was there.
"""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING

import pytest

from tests.helpers import natural_order
from tests.writing import Writer, make_key

if TYPE_CHECKING:
    from flask import Flask


BLUE = "base.color.blue.5"
NEW_BLUE = {"colorSpace": "srgb", "components": [0, 0.2, 1], "hex": "#0033ff"}


@pytest.fixture
def primer_writer(primer_app: Flask) -> Writer:
    """Primer in the test's own database (a copy of a template), and a write key."""
    return Writer(primer_app.test_client(), make_key(primer_app, "designer", "write"))


def combinations(w: Writer) -> list[list[dict[str, str]]]:
    mods = w.read("{ modifiers { name contexts { name } } }")["modifiers"]
    return [
        [{"modifier": m["name"], "context": c} for m, c in zip(mods, combo, strict=True)]
        for combo in itertools.product(*([c["name"] for c in m["contexts"]] for m in mods))
    ]


def test_edit_impact_release_diff_and_time_travel(primer_writer: Writer) -> None:
    w = primer_writer
    made = w.call("createRelease", "CreateReleaseInput", name="1.0.0", notes="as imported")
    assert made["__typename"] == "ReleaseSuccess", made
    themes = combinations(w)
    assert len(themes) == 28
    before = {i: w.all_tokens(t) for i, t in enumerate(themes)}

    edit = w.call("updateToken", "UpdateTokenInput", path=BLUE, value=NEW_BLUE)
    assert edit["__typename"] == "TokenSuccess", edit
    assert len(edit["changes"]) == 14  # one value per theme context

    after = {i: w.all_tokens(t) for i, t in enumerate(themes)}
    impact = w.read(
        "query($p: String!) { impact(path: $p) { totalCount themes { theme { modifier context } "
        "tokens { path } } } }",
        {"p": BLUE},
    )["impact"]
    assert len(impact["themes"]) == 28
    anywhere: set[str] = set()
    for i, theme in enumerate(themes):
        changed = {p for p in after[i] if after[i][p] != before[i].get(p)}
        entry = next(e for e in impact["themes"] if e["theme"] == theme)
        assert changed == {BLUE} | {t["path"] for t in entry["tokens"]}, theme
        anywhere |= changed - {BLUE}
    assert impact["totalCount"] == len(anywhere) > 0

    made = w.call("createRelease", "CreateReleaseInput", name="1.0.1")
    assert made["release"]["revision"] == edit["revision"]
    for i in (0, 13):  # two themes: (fine, light) and (fine, dark)…
        theme = themes[i]
        diff = w.read(
            'query($t: [ThemeSelection!]) { diff(from: "1.0.0", to: "1.0.1", theme: $t) '
            "{ bump suggestedVersion changes { __typename path "
            "... on TokenValueChanged { before after } } } }",
            {"t": theme},
        )["diff"]
        changed = {p for p in after[i] if after[i][p] != before[i][p]}
        assert {c["__typename"] for c in diff["changes"]} == {"TokenValueChanged"}
        assert [c["path"] for c in diff["changes"]] == natural_order(changed)
        assert all(c["after"] == after[i][c["path"]][1] for c in diff["changes"])
        assert (diff["bump"], diff["suggestedVersion"]) == ("PATCH", "1.0.1")

    # time travel: exactly what was there, while the current data moved on
    for i in (0, 27):
        assert w.all_tokens(themes[i], release="1.0.0") == before[i]
        assert w.all_tokens(themes[i], release="1.0.1") == after[i]
    assert w.resolved(BLUE, themes[0], release="1.0.0") == before[0][BLUE][1]
    missing = w.post('{ tokens(release: "9.9.9") { totalCount } }')
    assert missing["errors"][0]["extensions"]["code"] == "RELEASE_NOT_FOUND"
    taken = w.call("createRelease", "CreateReleaseInput", name="1.0.1")
    assert (taken["__typename"], taken["code"]) == ("Conflict", "ALREADY_EXISTS")


def test_rename_is_a_major_change_shown_as_a_rename(primer_writer: Writer) -> None:
    w = primer_writer
    w.call("createRelease", "CreateReleaseInput", name="2.3.0")
    moved = w.call("renameToken", "RenameTokenInput", path=BLUE, newPath="base.color.azure.5")
    assert moved["__typename"] == "TokenSuccess", moved
    deprecated = w.call(
        "updateToken",
        "UpdateTokenInput",
        path="base.color.red.5",
        deprecated="use base.color.red.6",
    )
    assert deprecated["__typename"] == "TokenSuccess", deprecated
    diff = w.read(
        '{ diff(from: "2.3.0") { toRelease bump suggestedVersion '
        "changes { kind path previousPath ... on TokenDeprecated { reason } } } }"
    )["diff"]
    assert diff["toRelease"] is None  # against the current data
    assert diff["changes"] == [
        {"kind": "RENAMED", "path": "base.color.azure.5", "previousPath": BLUE},
        {
            "kind": "DEPRECATED",
            "path": "base.color.red.5",
            "previousPath": None,
            "reason": "use base.color.red.6",
        },
    ]
    assert (diff["bump"], diff["suggestedVersion"]) == ("MAJOR", "3.0.0")


def test_theme_diff_lists_what_a_theme_changes(primer_writer: Writer) -> None:
    w = primer_writer
    light = [{"modifier": "theme", "context": "light"}]
    dark = [{"modifier": "theme", "context": "dark"}]
    diff = w.read(
        "query($a: [ThemeSelection!], $b: [ThemeSelection!]) { diff(fromTheme: $a, toTheme: $b)"
        " { bump representationChangedPaths changes { kind path } } }",
        {"a": light, "b": dark},
    )["diff"]
    a, b = w.all_tokens(light), w.all_tokens(dark)
    written_differently = set(diff["representationChangedPaths"])
    differ = [p for p in a if a[p] != b[p]]  # as JSON
    assert written_differently <= set(differ)
    expected = natural_order(p for p in differ if p not in written_differently)
    assert [c["path"] for c in diff["changes"]] == expected
    assert {c["kind"] for c in diff["changes"]} == {"VALUE_CHANGED"}
    assert diff["bump"] == "PATCH"


DIFF_ALL = """query($from: String) { diff(from: $from) {
  bump representationChanged representationChangedPaths
  changes { kind path themes { modifier context } ... on TokenValueChanged { before after } }
} }"""


DIFF_LIGHT = """query($from: String, $t: [ThemeSelection!]) { diff(from: $from, theme: $t) {
  bump representationChanged representationChangedPaths changes { kind path }
} }"""


def _combo(theme: list[dict[str, str]]) -> frozenset[tuple[str, str]]:
    return frozenset((s["modifier"], s["context"]) for s in theme)


def test_diff_without_theme_compares_every_combination(primer_writer: Writer) -> None:
    w = primer_writer
    w.call("createRelease", "CreateReleaseInput", name="1.0.0")
    dark = {"modifier": "theme", "context": "dark"}
    edit = w.call("updateToken", "UpdateTokenInput", path=BLUE, value=NEW_BLUE, context=dark)
    assert edit["__typename"] == "TokenSuccess", edit
    diff = w.read(DIFF_ALL, {"from": "1.0.0"})["diff"]
    assert diff["bump"] == "PATCH"
    blue = [c for c in diff["changes"] if c["path"] == BLUE]
    assert len(blue) == 1
    assert blue[0]["kind"] == "VALUE_CHANGED"
    assert blue[0]["after"] == NEW_BLUE
    assert {_combo(t) for t in blue[0]["themes"]} == {
        frozenset({("theme", "dark"), ("pointer", "fine")}),
        frozenset({("theme", "dark"), ("pointer", "coarse")}),
    }
    # every change is in the dark theme only, and names both pointer contexts
    for change in diff["changes"]:
        assert {dict(_combo(t))["theme"] for t in change["themes"]} == {"dark"}, change
    assert diff["representationChanged"] is False
    assert len(diff["changes"]) > 1  # BLUE's aliases changed too: pathPrefix must drop them
    # pathPrefix filters the merged changes whatever produced them: in the dark theme alone
    # (one combination, not a second sweep of all 28) the same aliases changed with BLUE.
    only_blue = w.read(
        "query($t: [ThemeSelection!]) "
        '{ diff(from: "1.0.0", pathPrefix: "base.color.blue", theme: $t) { changes { path } } }',
        {"t": [dark]},
    )["diff"]
    assert only_blue["changes"] == [{"path": BLUE}]  # its aliases elsewhere are left out


def test_the_same_colour_written_differently_is_not_a_change(primer_writer: Writer) -> None:
    w = primer_writer
    light = {"modifier": "theme", "context": "light"}
    before = w.resolved(BLUE, [light])
    assert isinstance(before, dict)
    assert before.get("hex")  # Primer writes colour objects with a hex member
    w.call("createRelease", "CreateReleaseInput", name="1.0.0")
    edit = w.call("updateToken", "UpdateTokenInput", path=BLUE, value=before["hex"], context=light)
    assert edit["__typename"] == "TokenSuccess", edit
    assert w.resolved(BLUE, [light]) == before["hex"]  # stored as written
    # The light theme only: the values are compared per combination (the same
    # diff_combinations as without `theme`, whose sweep the test above covers), and the
    # edit is in the light context, so one combination has all the power 28 would.
    diff = w.read(DIFF_LIGHT, {"from": "1.0.0", "t": [light]})["diff"]
    assert diff["changes"] == []
    assert diff["bump"] == "NONE"
    assert diff["representationChanged"] is True
    assert BLUE in diff["representationChangedPaths"]

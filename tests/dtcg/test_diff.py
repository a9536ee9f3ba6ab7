"""``dtcg.diff``: token changes between two resolved token sets, and the semver bump.

Hand-made tokens check each rule; real Primer (light theme) checks that an edit of
one primitive shows up exactly on it and on the tokens that reference it. Expected
changes are written by hand or computed here from the inputs, never from the diff.
"""

from __future__ import annotations

import dataclasses
from collections import deque
from pathlib import Path
from typing import Any

import pytest

from graphql_api.dtcg import diff_themes
from graphql_api.dtcg.diff import (
    BUMPS,
    CHANGE_KINDS,
    TokenChange,
    bump_version,
    diff_tokens,
    semver_bump,
)
from graphql_api.dtcg.nodes import Document, TokenNode
from graphql_api.dtcg.parse import flatten
from graphql_api.dtcg.references import ResolvedToken, resolve
from graphql_api.dtcg.resolver import load_resolver

PRIMER = Path(__file__).resolve().parent.parent / "data/primer-primitives"
BLUE5 = "base.color.blue.5"


def tok(
    path: str,
    value: Any,
    type_: str | None = "color",
    *,
    raw: Any = None,
    deprecated: bool | str | None = None,
) -> ResolvedToken:
    """A resolved token; its raw value is ``value`` unless ``raw`` is given."""
    node = TokenNode(path, value if raw is None else raw, type_)
    return ResolvedToken(node, type_, value, deprecated, (), None)


def tokens(*items: ResolvedToken) -> dict[str, ResolvedToken]:
    return {t.path: t for t in items}


# --------------------------------------------------------------------------- kinds


def test_identical_sets_have_no_change() -> None:
    before = tokens(tok("a", "#000"), tok("b", 4, "number"))
    after = tokens(tok("b", 4.0, "number"), tok("a", "#000"))
    assert diff_tokens(before, after) == []
    assert semver_bump(diff_tokens(before, after)) == "none"


def test_added() -> None:
    changes = diff_tokens(tokens(tok("a", "#000")), tokens(tok("a", "#000"), tok("b", "#fff")))
    assert changes == [TokenChange("added", "b", after="#fff")]


def test_removed() -> None:
    changes = diff_tokens(tokens(tok("a", "#000"), tok("b", "#fff")), tokens(tok("a", "#000")))
    assert changes == [TokenChange("removed", "b", before="#fff")]


def test_value_changed_compares_resolved_values() -> None:
    before = tokens(tok("a", {"hex": "#000", "alpha": 1}, raw="{x}"))
    after = tokens(tok("a", {"hex": "#111", "alpha": 1}, raw="{x}"))
    assert diff_tokens(before, after) == [
        TokenChange(
            "value_changed",
            "a",
            before={"hex": "#000", "alpha": 1},
            after={"hex": "#111", "alpha": 1},
        )
    ]


def test_raw_value_change_with_same_resolved_value_is_no_change() -> None:
    before = tokens(tok("a", "#000", raw="{x}"))
    after = tokens(tok("a", "#000", raw="{y}"))
    assert diff_tokens(before, after) == []


def test_type_change_hides_value_change() -> None:
    before = tokens(tok("a", "4px", "dimension"))
    after = tokens(tok("a", 4, "number"))
    assert diff_tokens(before, after) == [
        TokenChange("type_changed", "a", before="dimension", after="number")
    ]


@pytest.mark.parametrize(
    ("was", "now", "expected"),
    [
        pytest.param(None, True, "deprecated", id="none-to-true"),
        pytest.param(False, "use b", "deprecated", id="false-to-reason"),
        pytest.param("old", None, "undeprecated", id="reason-to-none"),
        pytest.param(True, False, "undeprecated", id="true-to-false"),
        pytest.param(None, "", "deprecated", id="empty-reason-still-deprecated"),
        pytest.param(None, False, None, id="none-to-false-no-change"),
        pytest.param("old", "older", None, id="reason-edit-no-change"),
        pytest.param(True, "reason", None, id="true-to-reason-no-change"),
    ],
)
def test_deprecation(was: bool | str | None, now: bool | str | None, expected: str | None) -> None:
    changes = diff_tokens(
        tokens(tok("a", "#000", deprecated=was)), tokens(tok("a", "#000", deprecated=now))
    )
    want = [] if expected is None else [TokenChange(expected, "a", before=was, after=now)]
    assert changes == want


def test_several_changes_on_one_token_in_kind_order() -> None:
    changes = diff_tokens(tokens(tok("a", "#000")), tokens(tok("a", "#fff", deprecated="use b")))
    assert changes == [
        TokenChange("value_changed", "a", before="#000", after="#fff"),
        TokenChange("deprecated", "a", before=None, after="use b"),
    ]


def test_output_sorted_by_path_then_kind() -> None:
    before = tokens(tok("c", "#000"), tok("b", "#000"), tok("a.x", 1, "number"))
    after = tokens(
        tok("d", "#000", raw="{q}"), tok("b", "#fff", deprecated=True), tok("a.y", 2, "number")
    )
    assert [(c.kind, c.path) for c in diff_tokens(before, after)] == [
        ("removed", "a.x"),
        ("added", "a.y"),
        ("value_changed", "b"),
        ("deprecated", "b"),
        ("removed", "c"),
        ("added", "d"),
    ]


# --------------------------------------------------------------------------- renames


def test_explicit_rename() -> None:
    # Different raw values: only the explicit map can pair them.
    before = tokens(tok("old", "#000", raw="{x}"))
    after = tokens(tok("new", "#000", raw="{y}"))
    assert [c.kind for c in diff_tokens(before, after)] == ["added", "removed"]
    assert diff_tokens(before, after, renames={"old": "new"}) == [
        TokenChange("renamed", "new", "old")
    ]


def test_explicit_rename_with_value_type_and_deprecation_changes() -> None:
    before = tokens(tok("g.old", "#000"), tok("h.old", "4px", "dimension"))
    after = tokens(tok("g.new", "#fff", deprecated="soon gone"), tok("h.new", 4, "number"))
    changes = diff_tokens(before, after, renames={"g.old": "g.new", "h.old": "h.new"})
    assert changes == [
        TokenChange("renamed", "g.new", "g.old"),
        TokenChange("value_changed", "g.new", "g.old", "#000", "#fff"),
        TokenChange("deprecated", "g.new", "g.old", None, "soon gone"),
        TokenChange("renamed", "h.new", "h.old"),
        TokenChange("type_changed", "h.new", "h.old", "dimension", "number"),
    ]
    assert semver_bump(changes) == "major"


def test_explicit_rename_ignored_unless_old_removed_and_new_added() -> None:
    before = tokens(tok("a", "#000"), tok("b", "#111", raw="{x}"))
    after = tokens(tok("a", "#000"), tok("c", "#111", raw="{y}"))
    # "a" is still there: the entry is unused, "b"/"c" stay removed/added.
    assert diff_tokens(before, after, renames={"a": "c"}) == [
        TokenChange("removed", "b", before="#111"),
        TokenChange("added", "c", after="#111"),
    ]


def test_chained_explicit_renames_collapse() -> None:
    before = tokens(tok("a", "#000", raw="{x}"))
    after = tokens(tok("c", "#000", raw="{y}"))
    assert diff_tokens(before, after, renames={"a": "b", "b": "c"}) == [
        TokenChange("renamed", "c", "a")
    ]


def test_explicit_rename_cycle_does_not_hang() -> None:
    before = tokens(tok("a", "#000", raw="{x}"))
    after = tokens(tok("b", "#000", raw="{y}"))
    changes = diff_tokens(before, after, renames={"a": "b", "b": "a"})
    assert {c.kind for c in changes} <= set(CHANGE_KINDS)


def test_heuristic_rename() -> None:
    before = tokens(tok("color.old", "#000", raw="{base.black}"), tok("keep", 1, "number"))
    after = tokens(tok("color.new", "#000", raw="{base.black}"), tok("keep", 1, "number"))
    assert diff_tokens(before, after) == [TokenChange("renamed", "color.new", "color.old")]


@pytest.mark.parametrize(
    ("old", "new"),
    [
        pytest.param(tok("a", "#000"), tok("b", "#000", "string"), id="type-differs"),
        pytest.param(tok("a", "#000", raw="{x}"), tok("b", "#000", raw="{y}"), id="raw-differs"),
        pytest.param(tok("a", "#000", raw="{x}"), tok("b", "#111", raw="{x}"), id="value-differs"),
    ],
)
def test_no_heuristic_rename_unless_type_raw_and_value_match(
    old: ResolvedToken, new: ResolvedToken
) -> None:
    assert diff_tokens(tokens(old), tokens(new)) == [
        TokenChange("removed", "a", before=old.value),
        TokenChange("added", "b", after=new.value),
    ]


def test_ambiguous_heuristic_stays_removed_and_added() -> None:
    before = tokens(tok("x.one", "#000"), tok("x.two", "#000"))
    after = tokens(tok("y.three", "#000"))
    assert diff_tokens(before, after) == [
        TokenChange("removed", "x.one", before="#000"),
        TokenChange("removed", "x.two", before="#000"),
        TokenChange("added", "y.three", after="#000"),
    ]


def test_ambiguous_heuristic_same_last_segment_twice_stays() -> None:
    before = tokens(tok("x.a", "#000"), tok("y.a", "#000"))
    after = tokens(tok("z.a", "#000"))
    assert [c.kind for c in diff_tokens(before, after)] == ["removed", "removed", "added"]


def test_heuristic_prefers_same_last_segment() -> None:
    before = tokens(tok("old.a", "#000"), tok("old.b", "#000"))
    after = tokens(tok("new.b", "#000"), tok("new.a", "#000"))
    assert diff_tokens(before, after) == [
        TokenChange("renamed", "new.a", "old.a"),
        TokenChange("renamed", "new.b", "old.b"),
    ]


def test_explicit_rename_taken_before_heuristic() -> None:
    # Without the map, "p" → "r" would be unambiguous; the map says "p" → "q".
    before = tokens(tok("p", "#000"))
    after = tokens(tok("q", "#000", raw="{z}"), tok("r", "#000"))
    assert diff_tokens(before, after, renames={"p": "q"}) == [
        TokenChange("renamed", "q", "p"),
        TokenChange("added", "r", after="#000"),
    ]


# --------------------------------------------------------------------------- semver


@pytest.mark.parametrize(
    ("kind", "bump"),
    [
        ("removed", "major"),
        ("renamed", "major"),
        ("type_changed", "major"),
        ("added", "minor"),
        ("deprecated", "minor"),
        ("undeprecated", "minor"),
        ("value_changed", "patch"),
    ],
)
def test_semver_per_kind(kind: str, bump: str) -> None:
    assert semver_bump([TokenChange(kind, "a")]) == bump


def test_every_kind_has_a_bump() -> None:
    assert all(semver_bump([TokenChange(k, "a")]) in BUMPS[1:] for k in CHANGE_KINDS)


@pytest.mark.parametrize(
    ("kinds", "bump"),
    [
        ([], "none"),
        (["value_changed", "value_changed"], "patch"),
        (["value_changed", "added"], "minor"),
        (["deprecated", "value_changed"], "minor"),
        (["value_changed", "removed", "added"], "major"),
        (["added", "type_changed"], "major"),
    ],
)
def test_semver_highest_wins(kinds: list[str], bump: str) -> None:
    assert semver_bump(TokenChange(k, f"t{i}") for i, k in enumerate(kinds)) == bump


@pytest.mark.parametrize(
    ("version", "bump", "expected"),
    [
        ("1.0.0", "patch", "1.0.1"),
        ("1.2.3", "minor", "1.3.0"),
        ("1.2.3", "major", "2.0.0"),
        ("1.2.3", "none", "1.2.3"),
        ("v0.9.9", "patch", "v0.9.10"),
        ("v0.9.9", "major", "v1.0.0"),
        ("0.0.0", "minor", "0.1.0"),
        ("1.2", "patch", None),
        ("1.2.3.4", "patch", None),
        ("1.2.3-rc.1", "patch", None),
        ("01.2.3", "patch", None),
        ("V1.2.3", "patch", None),
        ("", "none", None),
        ("1.2.3\n", "patch", None),
    ],
)
def test_bump_version(version: str, bump: str, expected: str | None) -> None:
    assert bump_version(version, bump) == expected


def test_bump_version_rejects_unknown_bump() -> None:
    with pytest.raises(ValueError, match="unknown bump"):
        bump_version("1.0.0", "huge")


# --------------------------------------------------------------------------- real Primer


class Primer:
    """Primer's light-theme layers, the light context, and its resolved tokens."""

    def __init__(self) -> None:
        doc = load_resolver(PRIMER / "primer-primitives.resolver.json")
        self.layers = doc.layers({"pointer": "fine", "theme": "light"})
        self.light = doc.modifiers["theme"].contexts["light"]
        assert any(layer is self.light for layer in self.layers)
        self.before = self.resolve_with(self.light)

    def resolve_with(
        self, light: Document, rename: tuple[str, str] | None = None
    ) -> dict[str, ResolvedToken]:
        layers = [light if layer is self.light else layer for layer in self.layers]
        if rename is not None:
            layers = [rewrite_references(layer, *rename) for layer in layers]
        out, errs = resolve(flatten(layers))
        assert errs == []
        return out

    def edited_light(self) -> Document:
        """A copy of the light context whose token dict may be edited."""
        return Document(tokens=dict(self.light.tokens), groups=self.light.groups)


def rewrite(value: Any, old: str, new: str) -> Any:
    """``value`` with references to ``old`` (curly or JSON Pointer) pointing at ``new``."""
    old_ptr, new_ptr = "#/" + old.replace(".", "/"), "#/" + new.replace(".", "/")
    if isinstance(value, str):
        if value == old_ptr or value.startswith(old_ptr + "/"):
            return new_ptr + value[len(old_ptr) :]
        return value.replace("{" + old + "}", "{" + new + "}")
    if isinstance(value, dict):
        return {k: rewrite(v, old, new) for k, v in value.items()}
    if isinstance(value, list):
        return [rewrite(v, old, new) for v in value]
    return value


def rewrite_references(layer: Document, old: str, new: str) -> Document:
    out = Document(tokens=dict(layer.tokens), groups=layer.groups)
    for path, node in layer.tokens.items():
        value = rewrite(node.value, old, new)
        if value != node.value:
            out.tokens[path] = dataclasses.replace(node, value=value)
    return out


def referrers(resolved: dict[str, ResolvedToken], start: str) -> set[str]:
    """Every token that references ``start``, directly or through others."""
    by_target: dict[str, set[str]] = {}
    for path, t in resolved.items():
        for ref in t.references:
            by_target.setdefault(ref.target, set()).add(path)
    seen: set[str] = set()
    todo = deque([start])
    while todo:
        for p in by_target.get(todo.popleft(), ()):
            if p not in seen:
                seen.add(p)
                todo.append(p)
    return seen


@pytest.fixture(scope="module")
def primer() -> Primer:
    return Primer()


def test_primer_value_edit_reaches_aliases_only(primer: Primer) -> None:
    light = primer.edited_light()
    node = light.tokens[BLUE5]
    assert isinstance(node.value, dict)
    assert node.value["hex"] != "#123456"
    light.tokens[BLUE5] = dataclasses.replace(node, value={**node.value, "hex": "#123456"})
    after = primer.resolve_with(light)
    changes = diff_tokens(primer.before, after)

    assert {c.kind for c in changes} == {"value_changed"}
    by_path = {c.path: c for c in changes}
    assert len(by_path) == len(changes)
    assert by_path[BLUE5].before == node.value
    assert by_path[BLUE5].after["hex"] == "#123456"
    direct = [p for p, t in primer.before.items() if t.alias_of == BLUE5]
    assert direct
    assert direct[0] in by_path
    chained = [p for p, t in primer.before.items() if t.alias_of in direct]
    assert chained, "Primer has a token aliasing an alias of base.color.blue.5"
    assert chained[0] in by_path
    assert set(by_path) <= {BLUE5} | referrers(primer.before, BLUE5)
    assert semver_bump(changes) == "patch"


def test_primer_rename_is_detected(primer: Primer) -> None:
    new = BLUE5 + "b"
    assert new not in primer.before
    light = primer.edited_light()
    node = light.tokens.pop(BLUE5)
    light.tokens[new] = dataclasses.replace(node, path=new, pointer=node.pointer + "b")
    after = primer.resolve_with(light, rename=(BLUE5, new))
    # The references followed: the referrers now name the new path.
    assert any(t.alias_of == new for t in after.values())
    assert not any(r.target == BLUE5 for t in after.values() for r in t.references)

    changes = diff_tokens(primer.before, after)
    assert changes == [TokenChange("renamed", new, BLUE5)]
    assert semver_bump(changes) == "major"


def test_primer_remove_leaf(primer: Primer) -> None:
    referenced = {r.target for t in primer.before.values() for r in t.references}
    only_light = [
        p
        for p in primer.light.tokens
        if p not in referenced
        and not any(p in layer.tokens for layer in primer.layers if layer is not primer.light)
    ]
    assert only_light
    leaf = only_light[0]
    light = primer.edited_light()
    del light.tokens[leaf]
    changes = diff_tokens(primer.before, primer.resolve_with(light))
    assert changes == [TokenChange("removed", leaf, before=primer.before[leaf].value)]
    assert semver_bump(changes) == "major"


def test_primer_add_token(primer: Primer) -> None:
    path = "base.color.diff-test.added"
    assert path not in primer.before
    light = primer.edited_light()
    light.tokens[path] = TokenNode(path, "{base.color.blue.5}", file="added.json")
    after = primer.resolve_with(light)
    changes = diff_tokens(primer.before, after)
    assert changes == [TokenChange("added", path, after=primer.before[BLUE5].value)]
    assert after[path].type == "color"
    assert semver_bump(changes) == "minor"


# --------------------------------------------------------------------------- every combination


def test_combinations_with_the_same_sides_are_diffed_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """A modifier whose contexts change no token hands the very same mappings again."""
    calls: list[int] = []
    real = diff_tokens

    def counting(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(diff_themes, "diff_tokens", counting)
    before = tokens(tok("a", "#000"), tok("b", "#111"))
    light, dark = tokens(tok("a", "#001"), tok("b", "#111")), tokens(tok("a", "#002"))
    sides = [({"theme": "light", "density": d}, before, light) for d in ("c1", "c2", "c3")] + [
        ({"theme": "dark", "density": "c1"}, before, dark)
    ]
    merged = diff_themes.diff_combinations(sides)
    assert len(calls) == 2  # light once for its three densities, dark once
    by_change = {(t.change.kind, t.change.path, t.change.after): t.themes for t in merged.changes}
    assert by_change[("value_changed", "a", "#001")] == tuple(s[0] for s in sides[:3])
    assert by_change[("value_changed", "a", "#002")] == (sides[3][0],)
    assert by_change[("removed", "b", None)] == (sides[3][0],)

"""``impact`` and ``contrastReport`` resolved in part equal the full sweep, on real Primer.

Both resolve, in every theme combination, only the tokens they read and what those reference
(``graphql_api.store.closures``). Their answers must be those of resolving every combination
whole (``RequestContext.sweep``, forced here by making the partial sweep decline), on Primer
as imported (28 combinations) and after a modifier with 5 contexts is added (140), for
tokens of every kind: primitives many tokens reach, functional colours, sizes the
``pointer`` modifier overrides, a font stack, a token nothing references. Neither touches the
snapshot cache that serves ordinary reads.
"""

from __future__ import annotations

import copy
import json
from typing import TYPE_CHECKING, Any

import pytest

from graphql_api import create_app
from graphql_api.schema.request_context import RequestContext
from graphql_api.store import closures, db
from graphql_api.store.snapshots import SnapshotStore, snapshot_store
from tests.writing import MINI, Writer, import_mini, make_key

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from flask import Flask

#: Tokens asked about: what reaches them differs per theme and pointer context.
PATHS = [
    "base.color.blue.5",
    "base.color.neutral.0",
    "fgColor.default",
    "bgColor.default",
    "base.size.4",
    "fontStack.sansSerif",
    "button.primary.bgColor.rest",
]

#: Every token field answered from a partial snapshot, in two documents.
IMPACTS = [
    """query($p: String!) { impact(path: $p) { path totalCount themes {
  theme { modifier context }
  tokens { id path name type standardType description deprecated { reason } extensions }
} } }""",
    """query($p: String!) { impact(path: $p) { themes { tokens { rawValue resolvedValue
  aliasOf { path resolvedValue } aliasChain { path type }
  value { __typename ... on ColorValue { hex css } ... on DimensionValue { px css } } }
} } }""",
]

CONTRAST = """query($p: [ContrastPair!]!, $l: WcagLevel!) {
  contrastReport(pairs: $p, level: $l) { level checked
    failures { foreground background theme { modifier context } ratio apca required } } }"""

PAIRS = [
    {"foreground": "fgColor.default", "background": "bgColor.default"},
    {"foreground": "fgColor.muted", "background": "bgColor.muted"},
    {"foreground": "fgColor.onEmphasis", "background": "bgColor.accent.emphasis"},
    {"foreground": "button.primary.fgColor.rest", "background": "button.primary.bgColor.rest"},
    {"foreground": "fgColor.disabled", "background": "bgColor.default", "largeText": True},
    {"foreground": "base.size.4", "background": "bgColor.default"},  # not a colour: null
]

DARK = '{ tokens(theme: [{modifier: "theme", context: "dark"}]) { totalCount } }'

DENSITY = {"name": "density", "contexts": ["c1", "c2", "c3", "c4", "c5"], "default": "c1"}


def _whole(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Make every question resolve whole combinations (the reference).

    Each combination is resolved whole once for the test, not once per question: the
    snapshots a sweep yields (:meth:`SnapshotStore.sweep`, :meth:`~SnapshotStore.sweep_release`)
    are kept and handed to every later question over the same data and combinations. They
    are what the whole path builds, so the reference is unchanged; resolving 28 (or 56)
    whole combinations for each of 16 questions was most of this module's time.

    Returns:
        The name of the sweep each question asked for, in order (a question answered
        whole asks once).
    """
    monkeypatch.setattr(RequestContext, "sweep_in_part", lambda *_a, **_k: None)
    asked: list[str] = []
    for name in ("sweep", "sweep_release"):
        real = getattr(SnapshotStore, name)
        kept: dict[str, list[Any]] = {}

        def once(
            self: SnapshotStore,
            session: Any,
            data: Any,
            selections: list[dict[str, str]],
            _real: Any = real,
            _kept: dict[str, list[Any]] = kept,
            _name: str = name,
        ) -> Iterator[Any]:
            asked.append(_name)
            key = json.dumps([data, selections], sort_keys=True)  # revision or release name
            if key not in _kept:
                _kept[key] = list(_real(self, session, data, selections))
            return iter(_kept[key])

        monkeypatch.setattr(SnapshotStore, name, once)
    return asked


def _answers(w: Writer, app: Flask, tag: str, paths: list[str]) -> dict[str, Any]:
    """Every impact of ``paths`` and the contrast report at both levels, with counts.

    ``tag``: a comment that keeps the documents apart from other runs' in the response cache.
    """
    store = snapshot_store(app)
    before = dict(store.counts)
    contrast = f"{CONTRAST} # {tag}"
    out: dict[str, Any] = {
        f"{i}:{p}": w.read(f"{q} # {tag}", {"p": p})["impact"]
        for i, q in enumerate(IMPACTS)
        for p in paths
    }
    for level in ("AA", "AAA"):
        out[level] = w.read(contrast, {"p": PAIRS, "l": level})["contrastReport"]
    out["counts"] = {k: store.counts[k] - before[k] for k in ("partial", "swept")}
    return out


@pytest.fixture
def primer_app(primer_database_url: str) -> Iterator[Flask]:
    """An app on the test's own copy of Primer; 140 combinations × every field pass the
    default cost limit (the estimate counts every token of every combination)."""
    app = create_app(
        {"TESTING": True, "DATABASE_URL": primer_database_url, "MAX_QUERY_COST": 10**8}
    )
    try:
        yield app
    finally:
        db.get_engine(app).dispose()


def test_in_part_equals_the_full_sweep(primer_app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    """Primer as imported (28 combinations), on both databases."""
    _compare(primer_app, monkeypatch, density=False)


@pytest.mark.parametrize("primer_database_url", ["sqlite"], indirect=True)
def test_in_part_equals_the_full_sweep_over_140_combinations(
    primer_app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With a 5-context modifier, on SQLite: what differs from 28 combinations is the
    resolution, not the statements (those run on both databases above)."""
    _compare(primer_app, monkeypatch, density=True)


def _compare(primer_app: Flask, monkeypatch: pytest.MonkeyPatch, *, density: bool) -> None:
    w = Writer(primer_app.test_client(), make_key(primer_app, "designer", "write"))
    if density:
        made = w.call("createModifier", "CreateModifierInput", **DENSITY)
        assert made["__typename"] == "ModifierSuccess", made
    combinations = 28 * (5 if density else 1)
    # 140 combinations answer large documents for each question: fewer tokens then
    paths = [PATHS[0], PATHS[4], PATHS[-1]] if density else PATHS
    store = snapshot_store(primer_app)
    w.read(DARK)  # an ordinary read: its theme is cached
    held = store.stats()
    fast = _answers(w, primer_app, "in part", paths)
    questions = len(IMPACTS) * len(paths) + 2
    assert fast["counts"] == {"partial": questions * combinations, "swept": 0}
    now = store.stats()  # nothing resolved whole, stored or evicted
    assert [now[k] for k in ("snapshots", "bytes", "built", "derived", "carried")] == [
        held[k] for k in ("snapshots", "bytes", "built", "derived", "carried")
    ]
    w.read(DARK.replace("totalCount", "edges { node { path } }"))  # not a cached response
    after = store.stats()  # the dark theme was still cached
    assert after["hit"] > now["hit"]
    assert (after["built"], after["derived"]) == (now["built"], now["derived"])
    with monkeypatch.context() as mp:
        asked = _whole(mp)
        full = _answers(w, primer_app, "whole", paths)
    # every question was answered from whole combinations, each resolved once
    assert asked == ["sweep"] * questions
    assert full["counts"] == {"partial": 0, "swept": combinations}
    assert fast.keys() == full.keys()
    for key in fast.keys() - {"counts"}:
        assert fast[key] == full[key], key
    # what the comparison covers: tokens reached in every combination, and failures
    blue = fast["0:base.color.blue.5"]
    assert len(blue["themes"]) == combinations
    assert blue["totalCount"] > 20
    assert all(t["tokens"] for t in blue["themes"])
    assert fast["0:button.primary.bgColor.rest"]["totalCount"] == 0
    assert fast["AA"]["checked"] == len(PAIRS) * combinations
    assert any(f["ratio"] is None for f in fast["AA"]["failures"])
    assert any(f["ratio"] is not None for f in fast["AAA"]["failures"])


def test_a_release_in_part_equals_the_full_sweep(
    primer_app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    w = Writer(primer_app.test_client(), make_key(primer_app, "designer", "write"))
    made = w.call("createRelease", "CreateReleaseInput", name="r1")
    assert made["__typename"] == "ReleaseSuccess", made
    blue = {"colorSpace": "srgb", "components": [0, 0.2, 1], "hex": "#0033ff"}
    edit = w.call("updateToken", "UpdateTokenInput", path=PATHS[0], value=blue)
    assert edit["__typename"] == "TokenSuccess", edit
    store = snapshot_store(primer_app)
    query = IMPACTS[0].replace("impact(path: $p)", 'impact(path: $p, release: "r1")')

    def answers(tag: str) -> dict[str, Any]:
        return {p: w.read(f"{query} # {tag}", {"p": p})["impact"] for p in PATHS[:4]}

    fast = answers("in part")
    with monkeypatch.context() as mp:
        asked = _whole(mp)
        full = answers("whole")
    assert asked == ["sweep_release"] * 4
    assert fast == full
    assert len(fast[PATHS[0]]["themes"]) == 28
    # the release's tokens (their ids name it), the same paths as now (the edit kept them)
    now = w.read(IMPACTS[0] + " # now", {"p": PATHS[0]})["impact"]
    then = fast[PATHS[0]]
    assert then["totalCount"] == now["totalCount"] > 20
    first_then, first_now = then["themes"][0]["tokens"][0], now["themes"][0]["tokens"][0]
    assert first_then["path"] == first_now["path"]
    assert first_then["id"] != first_now["id"]
    assert store.stats()["releaseSnapshots"] == 0  # neither filled the release cache
    before = dict(store.counts)
    typo = w.post(query, {"p": "fgColor.defualt"})
    assert typo["data"] == {"impact": None}
    assert typo["errors"][0]["extensions"]["suggestions"][0] == "fgColor.default"
    # a path no layer of the release defines is refused before any combination is resolved
    assert [store.counts[k] - before[k] for k in ("partial", "swept")] == [0, 0]


def test_extends_is_answered_from_whole_combinations(make_app: Callable[..., Flask]) -> None:
    # `$extends` copies whole subtrees: the stored alias rows do not name the copies
    app = make_app()
    w = Writer(app.test_client(), make_key(app, "designer", "write"))
    doc = copy.deepcopy(MINI)
    doc["sets"]["base"]["sources"][0]["brand"] = {"$extends": "{color}"}
    import_mini(w, doc)
    store = snapshot_store(app)
    data = w.read(
        '{ impact(path: "color.blue.5") { themes { theme { context } tokens { path } } } }'
    )
    found = {
        t["theme"][0]["context"]: [x["path"] for x in t["tokens"]] for t in data["impact"]["themes"]
    }
    # the copy made by $extends, and (light) the aliases
    assert found == {
        "light": ["accent.bg", "accent.fg", "border.focus", "brand.blue.5"],
        "dark": ["brand.blue.5"],
    }
    report = w.read(
        '{ contrastReport(pairs: [{foreground: "brand.blue.5", background: "color.gray.1"}]) '
        "{ checked failures { ratio } } }"
    )["contrastReport"]
    assert report["checked"] == 2  # a token only the copy defines is known
    assert (store.counts["partial"], store.counts["swept"]) == (0, 4)
    # a path only the copy has is no stored row, yet a token of every combination
    copy_only = w.read('{ impact(path: "brand.blue.5") { themes { theme { context } } } }')
    assert sorted(t["theme"][0]["context"] for t in copy_only["impact"]["themes"]) == [
        "dark",
        "light",
    ]
    under = w.read(
        '{ diff(pathPrefix: "brand", theme: [{modifier: "theme", context: "dark"}]) '
        "{ changes { path } } }"
    )
    assert under["diff"]["changes"] == []


def test_a_closure_past_the_statement_limit_reads_whole_layers(
    make_app: Callable[..., Flask], monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app()
    w = Writer(app.test_client(), make_key(app, "designer", "write"))
    import_mini(w)
    query = (
        '{ impact(path: "color.blue.5") { totalCount themes { theme { context } '
        "tokens { path resolvedValue aliasChain { path } } } } }"
    )
    few = w.read(query)
    monkeypatch.setattr(closures, "MAX_PATHS", 0)  # every level reads every token
    many = w.read(query + " # whole layers")
    assert many == few
    assert few["impact"]["totalCount"] == 3
    counts = snapshot_store(app).counts
    assert (counts["partial"], counts["swept"]) == (4, 0)

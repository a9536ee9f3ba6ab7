"""Snapshots carried forward from the change log equal snapshots rebuilt from scratch.

Each write below goes through the API; then every theme the process had cached is read
again through the process's snapshot cache (carried forward: only the changed tokens and
what reaches them are re-resolved) and through a new, empty cache (rebuilt from the
layers). Both must be equal in every token, path and reverse reference, on SQLite and
PostgreSQL.
"""

from __future__ import annotations

import json
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any
from unittest.mock import patch

import pytest

from graphql_api.store import db, layer_cache, repository
from graphql_api.store.snapshots import Snapshot, SnapshotStore, snapshot_store
from tests.writing import MINI, Writer, import_mini, make_key

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from flask import Flask

LIGHT = {"theme": "light"}
DARK = {"theme": "dark"}
DARK_SEL = {"modifier": "theme", "context": "dark"}

#: (mutation, input type, input): renames, deletions, type changes, chains, composites.
EDITS: dict[str, list[tuple[str, str, dict[str, Any]]]] = {
    "value at the end of a chain and inside composites": [
        ("updateToken", "UpdateTokenInput", {"path": "color.blue.5", "value": "#000001"}),
    ],
    "dimension read by an alias chain and a composite": [
        (
            "updateToken",
            "UpdateTokenInput",
            {"path": "size.unit", "value": {"value": 0.5, "unit": "rem"}},
        ),
    ],
    "rename with its references rewritten": [
        ("renameToken", "RenameTokenInput", {"path": "color.blue.5", "newPath": "color.azure.5"}),
    ],
    "rename of an alias in the middle of a chain": [
        ("renameToken", "RenameTokenInput", {"path": "accent.fg", "newPath": "accent.text"}),
    ],
    "deletion": [("deleteToken", "DeleteTokenInput", {"path": "color.gray.1"})],
    "type change": [
        (
            "updateToken",
            "UpdateTokenInput",
            {"path": "color.gray.1", "type": "dimension", "value": {"value": 1, "unit": "px"}},
        ),
    ],
    "new token at the end of a longer chain": [
        ("createToken", "CreateTokenInput", {"path": "size.wide", "value": "{size.gap}"}),
    ],
    "a context's value re-pointed, then cleared": [
        (
            "setTokenValue",
            "SetTokenValueInput",
            {"path": "accent.bg", "context": DARK_SEL, "value": "{color.gray.1}"},
        ),
        ("clearTokenValue", "ClearTokenValueInput", {"path": "accent.bg", "context": DARK_SEL}),
    ],
    "an alias becomes a literal, then an alias again": [
        (
            "updateToken",
            "UpdateTokenInput",
            {"path": "size.gap", "value": {"value": 9, "unit": "px"}},
        ),
        ("updateToken", "UpdateTokenInput", {"path": "size.gap", "value": "{size.unit}"}),
    ],
}


@contextmanager
def from_rows() -> Iterator[None]:
    """Every layer read from its rows: the layers the process keeps decoded are not used.

    (:mod:`graphql_api.store.layer_cache` is shared by every cache of the process: a
    reference made with it would agree with a stale layer.)
    """
    with (
        patch.object(layer_cache, "kept", lambda *_args: {}),
        patch.object(layer_cache, "put", lambda *_args: None),
    ):
        yield


def rebuilt(app: Flask, theme: dict[str, str]) -> Snapshot:
    """The theme resolved from the stored rows by an empty cache."""
    with app.app_context(), from_rows():
        return SnapshotStore().get(db.get_session(), theme)


def cached(app: Flask, theme: dict[str, str]) -> Snapshot:
    """The theme through the app's own cache (carried forward when it held an older one)."""
    with app.app_context():
        return snapshot_store(app).get(db.get_session(), theme)


def assert_same(carried: Snapshot, fresh: Snapshot) -> None:
    assert carried.revision == fresh.revision
    assert carried.selection == fresh.selection
    assert carried.tokens == fresh.tokens
    assert carried.paths == fresh.paths
    assert carried.referenced_by == fresh.referenced_by


@pytest.fixture
def writer(app: Flask) -> Writer:
    w = Writer(app.test_client(), make_key(app, "designer", "write"))
    import_mini(w)
    return w


@pytest.mark.parametrize("edits", list(EDITS.values()), ids=list(EDITS))
def test_carried_forward_equals_rebuilt(
    app: Flask, writer: Writer, edits: list[tuple[str, str, dict[str, Any]]]
) -> None:
    for theme in (LIGHT, DARK):
        cached(app, theme)
    store = snapshot_store(app)
    for op, input_type, fields in edits:
        before = {name: cached(app, theme) for name, theme in (("light", LIGHT), ("dark", DARK))}
        payload = writer.call(op, input_type, **fields)
        assert payload["__typename"] == "TokenSuccess", payload
        built = store.counts["built"]
        for theme in (LIGHT, DARK):
            fresh = rebuilt(app, theme)
            assert_same(cached(app, theme), fresh)
            old = before[theme["theme"]]
            changed = store.changed_between(selection(theme), old.revision, fresh.revision)
            assert changed is not None
            assert differing(old, fresh) <= changed  # what cached responses are checked against
        assert store.counts["built"] == built  # carried forward, never rebuilt
    assert store.counts["carried"] >= 1


def selection(theme: dict[str, str]) -> tuple[tuple[str, str], ...]:
    return tuple(sorted(theme.items()))


def differing(old: Snapshot, new: Snapshot) -> set[str]:
    """Paths whose resolved token (value, node, references) differs, added or removed."""
    return {
        p for p in old.tokens.keys() | new.tokens.keys() if old.tokens.get(p) != new.tokens.get(p)
    }


def test_a_theme_whose_layers_did_not_change_is_rekeyed(app: Flask, writer: Writer) -> None:
    light, dark = cached(app, LIGHT), cached(app, DARK)
    payload = writer.call(
        "setTokenValue", "SetTokenValueInput", path="accent.bg", context=DARK_SEL, value="#111111"
    )
    assert payload["__typename"] == "TokenSuccess", payload
    new_light, new_dark = cached(app, LIGHT), cached(app, DARK)
    assert new_light.revision == new_dark.revision == payload["revision"]
    assert new_light.tokens is light.tokens  # shared as it was: only re-keyed
    assert new_dark.tokens is not dark.tokens
    assert new_dark.tokens["accent.bg"].value != dark.tokens["accent.bg"].value
    assert_same(new_light, rebuilt(app, LIGHT))
    assert_same(new_dark, rebuilt(app, DARK))


def kept_and_stored(app: Flask) -> tuple[dict[Any, Any], dict[Any, Any]]:
    """(the layers kept decoded at the current revision, every layer read from its rows)."""
    with app.app_context():
        session = db.get_session()
        keys = repository.load_catalog(session).every_layer_id()
        kept = layer_cache.kept(session, repository.current_revision(session), keys)
        docs, _ids = repository.load_layers(session, keys)
    return kept, dict(zip(keys, docs, strict=True))


def dark_key(app: Flask) -> tuple[str, int]:
    """The layer key of the ``dark`` context (its row id)."""
    with app.app_context():
        modifier = repository.load_catalog(db.get_session()).modifiers["theme"]
    return ("theme", next(c.id for c in modifier.contexts if c.name == "dark"))


#: Writes that change the structure, or replace every layer (nothing is carried past them;
#: what their payloads read is kept).
RESTRUCTURED: list[tuple[str, str, dict[str, Any]]] = [
    ("createContext", "CreateContextInput", {"modifier": "theme", "name": "dim"}),
    ("renameContext", "RenameContextInput", {"modifier": "theme", "name": "dim", "newName": "hc"}),
    ("deleteContext", "DeleteContextInput", {"modifier": "theme", "name": "hc"}),
    ("importTokens", "TokenSourceInput", {"document": MINI}),
]


#: The operations of :data:`EDITS` (writes of tokens in place, not of sets and modifiers).
TOKEN_WRITES = {op for steps in EDITS.values() for op, _input, _fields in steps}


def test_kept_layers_are_the_stored_rows_after_every_write(app: Flask, writer: Writer) -> None:
    """Layers a write did not edit are carried to its revision, the edited ones rebuilt.

    After each write of :data:`EDITS` (then a release, and writes that change the
    structure), the layers this process keeps for the new revision (carried, rebuilt by
    the write, or read for the write's payload) are compared with the rows, down to the
    order of tokens and of keys in values; a token write keeps every layer kept before.
    """
    order = [  # one valid chain of every edit (a deleted token is deleted last)
        "value at the end of a chain and inside composites",
        "dimension read by an alias chain and a composite",
        "a context's value re-pointed, then cleared",
        "an alias becomes a literal, then an alias again",
        "new token at the end of a longer chain",
        "type change",
        "rename with its references rewritten",
        "rename of an alias in the middle of a chain",
        "deletion",
    ]
    assert sorted(order) == sorted(EDITS)
    steps = [step for name in order for step in EDITS[name]]
    steps += [("createRelease", "CreateReleaseInput", {"name": "r1"}), *RESTRUCTURED]
    for op, input_type, fields in steps:
        for theme in (LIGHT, DARK):
            cached(app, theme)  # carried forward, or read (its layers then kept)
        before, _stored = kept_and_stored(app)
        payload = writer.call(op, input_type, **fields)
        assert payload["__typename"].endswith("Success"), payload
        kept, stored = kept_and_stored(app)
        assert kept == {k: stored[k] for k in kept}, op
        for k, doc in kept.items():  # as the rows give them: in row order, keys as stored
            assert repr(doc) == repr(stored[k]), (op, k)
        if op == "createRelease":  # it read every layer, changed none: all carried
            assert kept.keys() == stored.keys()
        elif op in TOKEN_WRITES:
            # the layers it left carried, those it edited as it stored them
            assert kept.keys() == before.keys(), op
            assert kept, op


def test_layers_read_during_a_write_are_not_kept(
    app: Flask, writer: Writer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A read whose layers were loaded while a write landed keeps none of them.

    The write lands between the read's loading and its check of the revision (as on
    PostgreSQL, where each statement sees the latest commit); the read starts over at the
    new revision, and what it keeps is the new revision's rows.
    """
    load = layer_cache.load
    started: list[bool] = []
    landed: list[int] = []

    def load_then_write(*args: Any) -> Any:
        out = load(*args)
        if not started:  # once: the write's own payload reads a theme too
            started.append(True)
            edit = {"path": "color.blue.5", "value": "#000003"}
            landed.append(writer.call("updateToken", "UpdateTokenInput", **edit)["revision"])
        return out

    monkeypatch.setattr(layer_cache, "load", load_then_write)
    snap = cached(app, LIGHT)
    assert snap.revision == landed[0]
    assert snap.tokens["color.blue.5"].value == rebuilt(app, LIGHT).tokens["color.blue.5"].value
    kept, stored = kept_and_stored(app)
    assert kept
    assert kept == {k: stored[k] for k in kept}
    with app.app_context():
        assert not layer_cache.kept(db.get_session(), landed[0] - 1, list(stored))


def test_a_change_of_structure_rebuilds(app: Flask, writer: Writer) -> None:
    cached(app, LIGHT)
    store = snapshot_store(app)
    built = store.counts["built"]
    payload = writer.call("createContext", "CreateContextInput", modifier="theme", name="dim")
    assert payload["__typename"] == "ModifierSuccess", payload
    assert_same(cached(app, LIGHT), rebuilt(app, LIGHT))
    assert store.counts["built"] == built + 1  # another catalog: resolved from scratch
    since = payload["revision"] - 1
    assert store.changed_between(selection(LIGHT), since, payload["revision"]) is None


def test_a_reimport_with_other_groups_rebuilds(app: Flask, writer: Writer) -> None:
    cached(app, LIGHT)
    doc: dict[str, Any] = {
        **MINI,
        "sets": {
            "base": {
                "sources": [
                    {
                        **MINI["sets"]["base"]["sources"][0],
                        "size": {
                            "$type": "dimension",
                            "$deprecated": "use space",
                            "unit": {"$value": {"value": 4, "unit": "px"}},
                            "gap": {"$value": "{size.unit}"},
                        },
                    }
                ]
            }
        },
    }
    import_mini(writer, doc)  # the tokens as before; a group property changed
    fresh = rebuilt(app, LIGHT)
    assert fresh.tokens["size.gap"].deprecated == "use space"
    assert_same(cached(app, LIGHT), fresh)


@pytest.mark.parametrize(
    ("fields", "counter"),
    [
        ("", "partial"),  # only the tokens involved, in each combination (store.closures)
        (" referencedBy { path }", "swept"),  # a field the partial snapshots cannot answer
    ],
)
def test_impact_sweeps_every_combination_without_evicting_reads(
    make_app: Callable[..., Flask], fields: str, counter: str
) -> None:
    app = make_app(SNAPSHOT_CACHE_SIZE=1)
    w = Writer(app.test_client(), make_key(app, "designer", "write"))
    import_mini(w)
    light = cached(app, LIGHT)
    data = w.read(
        '{ impact(path: "color.blue.5") { totalCount themes { theme { context } '
        "tokens { path resolvedValue" + fields + " } } } }"
    )
    themes = {t["theme"][0]["context"]: t["tokens"] for t in data["impact"]["themes"]}
    expected = {
        ctx: [
            {
                "path": p,
                "resolvedValue": snap.tokens[p].value,
                **(
                    {"referencedBy": [{"path": r} for r in snap.referenced_by.get(p, [])]}
                    if fields
                    else {}
                ),
            }
            for p in sorted(snap.tokens)
            if p in {"accent.fg", "accent.bg", "border.focus"}
            and "color.blue.5" in _reaches(snap, p)
        ]
        for ctx in ("light", "dark")
        for snap in [rebuilt(app, {"theme": ctx})]
    }
    assert themes == expected
    assert cached(app, LIGHT) is light  # the sweep stored nothing: the read's theme stays
    counts = snapshot_store(app).counts
    assert counts[counter] == 2
    assert counts["swept" if counter == "partial" else "partial"] == 0


def _reaches(snap: Snapshot, path: str) -> set[str]:
    seen: set[str] = set()
    todo = [path]
    while todo:
        for ref in snap.tokens[todo.pop()].references:
            if ref.target not in seen:
                seen.add(ref.target)
                todo.append(ref.target)
    return seen


CHANGES = "changes { __typename path themes { context } ... on TokenValueChanged { before after } }"
DIFF_ALL = '{ diff(from: "r1") { bump ' + CHANGES + " } }"
DIFF_ONE = 'query($t: [ThemeSelection!]) { diff(from: "r1", theme: $t) { ' + CHANGES + " } }"


def _change_key(change: dict[str, Any]) -> str:
    """A change without its themes, comparable across diffs."""
    return json.dumps({k: v for k, v in change.items() if k != "themes"}, sort_keys=True)


def test_diff_sweeps_every_combination_without_evicting_reads(
    make_app: Callable[..., Flask],
) -> None:
    app = make_app(SNAPSHOT_CACHE_SIZE=1)
    w = Writer(app.test_client(), make_key(app, "designer", "write"))
    import_mini(w)
    w.call("createRelease", "CreateReleaseInput", name="r1")
    dark_only = {"path": "accent.bg", "context": DARK_SEL, "value": "{color.gray.1}"}
    w.call("setTokenValue", "SetTokenValueInput", **dark_only)
    w.call("updateToken", "UpdateTokenInput", path="color.blue.5", value="#000001")
    store = snapshot_store(app)
    light = cached(app, LIGHT)
    before = store.stats()
    diff = w.read(DIFF_ALL)["diff"]
    after = store.stats()
    # The ordinary read's snapshot stays; nothing was stored in either cache.
    assert cached(app, LIGHT) is light
    assert after["snapshots"] == before["snapshots"] == 1
    assert after["releaseSnapshots"] == before["releaseSnapshots"] == 0
    assert after["swept"] - before["swept"] == 4  # 2 combinations × 2 sides, once each
    # The same changes as a diff per theme, each listing the themes it appears in.
    found = {_change_key(c): {t[0]["context"] for t in c["themes"]} for c in diff["changes"]}
    assert len(found) == len(diff["changes"]) > 2
    expected: dict[str, set[str]] = {}
    for context in ("light", "dark"):
        one = w.read(DIFF_ONE, {"t": [{"modifier": "theme", "context": context}]})["diff"]
        for c in one["changes"]:
            expected.setdefault(_change_key(c), set()).add(context)
    assert found == expected
    assert {"light", "dark"} in found.values()  # blue.5 changed the same way in both
    assert {"dark"} in found.values()  # accent.bg re-pointed in dark only


def _swept(app: Flask, release: str | None) -> list[Snapshot]:
    """Every combination of one version, swept by an empty cache (no pair, no carrying)."""
    store = SnapshotStore()
    with app.app_context(), from_rows():
        session = db.get_session()
        if release is not None:
            return list(store.sweep_release(session, release, COMBINATIONS))
        return list(store.sweep(session, store.revision(session), COMBINATIONS))


COMBINATIONS = [LIGHT, DARK]
REGROUPED: dict[str, Any] = {  # the tokens as imported, a group's $deprecated added
    **MINI,
    "sets": {
        "base": {
            "sources": [
                {
                    **MINI["sets"]["base"]["sources"][0],
                    "size": {
                        **MINI["sets"]["base"]["sources"][0]["size"],
                        "$deprecated": "use space",
                    },
                }
            ]
        }
    },
}


@pytest.mark.parametrize("edits", [*EDITS.values(), "regrouped"], ids=[*EDITS, "regrouped"])
def test_a_diff_derives_each_right_snapshot_from_its_left(
    app: Flask, writer: Writer, edits: list[tuple[str, str, dict[str, Any]]] | str
) -> None:
    """Each right snapshot of a diff over every combination = that version swept alone.

    Between release ``r1`` and release ``r2`` (and the current data, one edit further) the
    edits of :data:`EDITS` are made, or the tokens are imported again with a group
    property changed (the right side is then derived from its own previous snapshots).
    Every pair of versions, both ways, must give exactly the snapshots an empty cache
    sweeps for each version alone; a release's snapshots name it, the current data's none.
    """
    writer.call("createRelease", "CreateReleaseInput", name="r1")
    if isinstance(edits, str):
        import_mini(writer, REGROUPED)
    else:
        for op, input_type, fields in edits:
            assert writer.call(op, input_type, **fields)["__typename"] == "TokenSuccess"
    writer.call("createRelease", "CreateReleaseInput", name="r2")
    writer.call("updateToken", "UpdateTokenInput", path="color.red.5", value="#000002")
    store = snapshot_store(app)
    for left, right in [("r1", "r2"), ("r2", "r1"), ("r1", None), (None, "r1"), (None, None)]:
        with app.app_context():
            session = db.get_session()
            pairs = list(
                store.sweep_pairs(session, COMBINATIONS, left, right, store.revision(session))
            )
        for (got_left, got_right), alone_left, alone_right in zip(
            pairs, _swept(app, left), _swept(app, right), strict=True
        ):
            assert_same(got_left, alone_left)
            assert_same(got_right, alone_right)
            assert got_right.memo.get("release") == right
            assert got_left.memo.get("release") == left


@pytest.mark.parametrize("edits", [*EDITS.values(), "regrouped"], ids=[*EDITS, "regrouped"])
def test_a_theme_read_first_is_derived_from_another_of_its_revision(
    app: Flask, writer: Writer, edits: list[tuple[str, str, dict[str, Any]]] | str
) -> None:
    """A selection not cached is derived from the last one read at the same revision.

    After each edit of :data:`EDITS` (or an import that changes a group property), the
    cache is emptied, ``light`` is read (resolved from scratch) and then ``dark``: derived
    from ``light`` (only what the two theme contexts define differently, and what reaches
    it, re-resolved), it must equal ``dark`` resolved from scratch, and so must ``light``
    read again after ``dark`` in a cache that held only ``dark``.
    """
    if isinstance(edits, str):
        import_mini(writer, REGROUPED)
    else:
        for op, input_type, fields in edits:
            assert writer.call(op, input_type, **fields)["__typename"] == "TokenSuccess"
    store = snapshot_store(app)
    for first, second in [(LIGHT, DARK), (DARK, LIGHT)]:
        store.clear()
        cached(app, first)
        built, derived = store.counts["built"], store.counts["derived"]
        made, fresh = cached(app, second), rebuilt(app, second)
        assert_same(made, fresh)
        assert list(made.tokens) == list(fresh.tokens)  # the order the exports list them in
        assert (store.counts["built"], store.counts["derived"]) == (built, derived + 1)

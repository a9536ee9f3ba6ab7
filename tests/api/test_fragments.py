"""Per-token JSON fragments (:mod:`graphql_api.schema.fragments`), on both databases.

With the response cache off, every read executes: a token or edge whose selection reads only
the token's own data is answered from the fragment kept for its resolution. Every answer is
compared with what a fresh app (nothing kept) gives at the same revision.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from graphql_api.schema import budget
from graphql_api.schema.fragments import LINEAGE_KEY
from graphql_api.store import db
from graphql_api.store.snapshots import snapshot_store
from tests.writing import DARK, Writer, import_mini, make_key

if TYPE_CHECKING:
    from collections.abc import Callable

    from flask import Flask

WHOLE = (
    "query($t: [ThemeSelection!]) { tokens(theme: $t) { totalCount edges { cursor node { "
    "id path type resolvedValue aliasChain { path } value { ... on ColorValue { hex } "
    "... on DimensionValue { px } } } } } }"
)


@pytest.fixture
def uncached(make_app: Callable[..., Flask]) -> Flask:
    """An app without a response cache (every read executes), MINI imported."""
    app = make_app(RESPONSE_CACHE_BYTES=0)
    import_mini(Writer(app.test_client(), make_key(app, "designer", "write")))
    return app


@pytest.fixture
def writer(uncached: Flask) -> Writer:
    return Writer(uncached.test_client(), make_key(uncached, "editor", "write"))


def read(client: Any, query: str, variables: dict[str, Any] | None = None) -> bytes:
    response = client.post("/graphql", json={"query": query, "variables": variables or {}})
    assert "errors" not in response.get_json(), response.get_json()
    return bytes(response.get_data())


def fresh(make_app: Callable[..., Flask], query: str, variables: dict[str, Any]) -> bytes:
    return read(make_app(RESPONSE_CACHE_BYTES=0).test_client(), query, variables)


def tables(app: Flask, theme: dict[str, str]) -> dict[Any, Any]:
    with app.app_context():
        snap = snapshot_store(app).get(db.get_session(), theme)
    found: dict[Any, Any] = snap.lineage.get(LINEAGE_KEY, {})
    return found


def test_a_read_after_a_write_reuses_the_fragments_of_tokens_it_did_not_touch(
    uncached: Flask, writer: Writer, make_app: Callable[..., Flask]
) -> None:
    first = read(writer.client, WHOLE)
    (edges,) = [t for k, t in tables(uncached, {}).items() if len(k) == 2]  # cursor, node
    kept = dict(edges.entries)
    assert set(kept) == {"accent.bg", "accent.fg", "border.focus", *_base()}
    payload = writer.call("updateToken", "UpdateTokenInput", path="color.red.5", value="#ff0000")
    assert payload["__typename"] == "TokenSuccess"
    again = read(writer.client, WHOLE)
    assert again == fresh(make_app, WHOLE, {})
    assert again != first  # color.red.5 changed
    unchanged = {p for p in kept if p != "color.red.5"}
    assert all(edges.entries[p] is kept[p] for p in unchanged)  # served as they were
    assert edges.entries["color.red.5"] is not kept["color.red.5"]
    payload = writer.call("updateToken", "UpdateTokenInput", path="color.blue.5", value="#000080")
    assert read(writer.client, WHOLE) == fresh(make_app, WHOLE, {})
    for dependant in ("color.blue.5", "accent.fg", "accent.bg", "border.focus"):
        assert edges.entries[dependant] is not kept[dependant]  # re-resolved: made again


def _base() -> set[str]:
    return {"color.blue.5", "color.red.5", "color.gray.1", "size.unit", "size.gap"}


def test_each_theme_keeps_its_own_fragments(
    uncached: Flask, writer: Writer, make_app: Callable[..., Flask]
) -> None:
    read(writer.client, WHOLE)
    dark = read(writer.client, WHOLE, {"t": DARK})
    assert dark == fresh(make_app, WHOLE, {"t": DARK})  # the ids name the dark theme
    assert read(writer.client, WHOLE, {"t": DARK}) == dark


IN_SPACE = (
    "query($s: ColorSpace!) { tokens { edges { node { path value { ... on ColorValue "
    "{ in(space: $s) { css } } } } } } }"
)
INCLUDE = "query($s: Boolean!) { tokens { edges { node { path type @include(if: $s) } } } }"
REFERENCED_BY = "{ tokens { edges { node { path referencedBy { path } } } } }"


@pytest.mark.parametrize(
    ("query", "variables"),
    [
        (IN_SPACE, [{"s": "SRGB"}, {"s": "OKLCH"}]),  # the output depends on a variable
        (INCLUDE, [{"s": True}, {"s": False}]),  # on a directive
        (REFERENCED_BY, [{}]),  # on other tokens than the ones it references
    ],
)
def test_selections_that_read_more_than_the_token_are_not_kept(
    uncached: Flask,
    writer: Writer,
    make_app: Callable[..., Flask],
    query: str,
    variables: list[dict[str, Any]],
) -> None:
    answers = [read(writer.client, query, v) for v in variables]
    assert answers == [fresh(make_app, query, v) for v in variables]
    assert len(set(answers)) == len(answers)
    # Only a token's bare `{ path }` (referencedBy's items, or `type` left out) is kept.
    kept = [text for key in tables(uncached, {}) for text in key]
    assert set(kept) <= {"path"}


def test_the_same_selection_text_shares_one_table_across_fields_and_documents(
    uncached: Flask, writer: Writer, make_app: Callable[..., Flask]
) -> None:
    selection = "{ path value { ... on ColorValue { hex } } }"
    paths = ["color.gray.1", "color.blue.5", "accent.fg", "accent.bg"]
    many = (
        "{ " + " ".join(f't{i}: token(path: "{p}") {selection}' for i, p in enumerate(paths)) + " }"
    )
    assert read(writer.client, many) == fresh(make_app, many, {})
    (key,) = tables(uncached, {})  # four aliased fields, one literal selection
    assert key == ("path", "value { ... on ColorValue { hex } }")
    table = tables(uncached, {})[key]
    assert set(table.entries) == set(paths)
    kept = dict(table.entries)
    other = '{ token(path: "accent.fg") ' + selection + " tokens { totalCount } }"
    assert read(writer.client, other) == fresh(make_app, other, {})
    assert table.entries["accent.fg"] is kept["accent.fg"]  # served from the first document's


def test_a_spread_is_keyed_by_its_definition_not_its_name(
    uncached: Flask, writer: Writer, make_app: Callable[..., Flask]
) -> None:
    one = '{ token(path: "color.gray.1") { value { ...F } } } fragment F on ColorValue { hex }'
    two = '{ token(path: "color.gray.1") { value { ...F } } } fragment F on ColorValue { css }'
    first, second = read(writer.client, one), read(writer.client, two)
    assert (first, second) == (fresh(make_app, one, {}), fresh(make_app, two, {}))
    assert first != second
    assert sorted(tables(uncached, {})) == [
        ("value { ...F }", "fragment F on ColorValue { css }"),
        ("value { ...F }", "fragment F on ColorValue { hex }"),
    ]


def test_a_kept_fragment_counts_the_fields_it_stands_for(
    uncached: Flask, writer: Writer, monkeypatch: pytest.MonkeyPatch
) -> None:
    started: list[budget.Budget] = []
    real_start = budget.Budget.start

    def start(self: budget.Budget) -> budget.Budget:
        made = real_start(self)
        started.append(made)
        return made

    monkeypatch.setattr(budget.Budget, "start", start)
    first = read(writer.client, WHOLE)
    assert read(writer.client, WHOLE) == first  # every edge from its fragment
    assert len(tables(uncached, {})) == 3  # the edges', the tokens', the alias chains'
    counted = [b.fields for b in started]
    assert counted[0] == counted[1] > 8 * 8  # 8 tokens × (edge, node, 6 fields …)

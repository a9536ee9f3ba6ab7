"""No N+1: SQL statements per GraphQL request, counted on the app's engine.

Every read goes through a resolved snapshot kept per (revision, theme selection), so:

* a request whose snapshots are cached reads the revision once and nothing else
  (:data:`CACHED`), however many tokens, fields, nesting levels or themes it asks for;
* a cold request (new revision) reads a fixed set of tables (:data:`COLD`), however many
  tokens and layers the data has.

Counts are exact, in the spirit of strawberry-django's ``assert_num_queries``: a failure
prints every statement that ran.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pytest

from graphql_api.store import db
from graphql_api.store.snapshots import snapshot_store
from tests.helpers import SMALL_EXAMPLE, assert_num_queries, data_of, import_tokens

if TYPE_CHECKING:
    from pathlib import Path

    from flask import Flask
    from flask.testing import FlaskCliRunner

    from tests.api.conftest import Gql, SharedDB

#: A request whose snapshots are cached: ``SELECT max(revision.id)``, once.
CACHED = 1
#: A cold request: the revision, the catalog (sets; modifiers with their contexts), the
#: layers' values and groups, and the revision again (to detect a write during the load).
COLD = 6
#: A cold request for a theme other than the default one also builds the default theme's
#: snapshot once per revision: the query cost reads its fan-outs (largest ``referencedBy``,
#: longest alias chain). Its layers' values and groups, and the revision check again.
COST_FANOUT = 3
#: The first request after a write, its theme cached at the previous revision: the
#: revision, the catalog, the change log since, the changed tokens of the theme's layers
#: and their groups, the revision again. The snapshot is carried forward, not rebuilt.
CARRIED = 7

NODE = """
path name type description deprecated { reason } extensions rawValue resolvedValue
value {
  __typename
  ... on ColorValue { hex css }
  ... on DimensionValue { px rem }
  ... on ShadowValue { layers { color { hex } blur { px } } }
  ... on TypographyValue { fontSize { px } }
}
aliasOf { path }
aliasChain { path }
referencedBy { path }
"""

PAGE = (
    "query($first: Int, $theme: [ThemeSelection!]) { tokens(first: $first, theme: $theme) "
    "{ totalCount pageInfo { hasNextPage endCursor } edges { cursor node { %s } } } }"
)
FLAT = PAGE % "path"
WIDE = PAGE % NODE
NESTED = PAGE % (
    "path aliasChain { path referencedBy { path aliasOf { path aliasChain { path } } } }"
)

DARK = [{"modifier": "theme", "context": "dark"}]


def _engine(app: Flask) -> Any:
    return db.get_engine(app)


def _edges(result: dict[str, Any]) -> list[dict[str, Any]]:
    edges: list[dict[str, Any]] = data_of(result)["tokens"]["edges"]
    return edges


# --------------------------------------------------------------------------- (a) page size


@pytest.mark.parametrize("query", [FLAT, WIDE], ids=["flat", "every-field"])
def test_page_size_does_not_change_the_count(primer: SharedDB, query: str) -> None:
    primer.gql(query, {"first": 1, "theme": DARK})  # warm-up: the dark snapshot is cached
    engine = _engine(primer.app)
    with assert_num_queries(engine, CACHED):
        small = _edges(primer.gql(query, {"first": 5, "theme": DARK}))
    with assert_num_queries(engine, CACHED):
        large = _edges(primer.gql(query, {"first": 1000, "theme": DARK}))
    assert (len(small), len(large)) == (5, 1000)  # the pages really are that big
    assert [e["node"]["path"] for e in large[:5]] == [e["node"]["path"] for e in small]


def test_whole_theme_costs_the_same(primer: SharedDB) -> None:
    primer.gql(WIDE, {"first": 1})
    with assert_num_queries(_engine(primer.app), CACHED):
        everything = _edges(primer.gql(WIDE, {}))
    assert len(everything) == 1_488


# --------------------------------------------------------------------------- (b) nesting


def test_nesting_adds_no_statements(primer: SharedDB) -> None:
    primer.gql(FLAT, {"first": 1})
    engine = _engine(primer.app)
    # 200 tokens: nested three levels deep, 1,000 would pass the default MAX_QUERY_COST.
    with assert_num_queries(engine, CACHED):
        flat = _edges(primer.gql(FLAT, {"first": 200}))
    with assert_num_queries(engine, CACHED):
        nested = _edges(primer.gql(NESTED, {"first": 200}))
    assert [e["node"]["path"] for e in nested] == [e["node"]["path"] for e in flat]
    # The nested shape really reaches three levels for some tokens.
    deep = [
        r
        for e in nested
        for link in e["node"]["aliasChain"]
        for r in link["referencedBy"]
        if r["aliasOf"] is not None and r["aliasOf"]["aliasChain"]
    ]
    assert deep


def test_nesting_on_the_small_example(small_example: Flask, gql: Gql) -> None:
    gql(FLAT, {})
    engine = _engine(small_example)
    with assert_num_queries(engine, CACHED, at_most=True):  # the response cache may answer
        flat = _edges(gql(FLAT, {}))
    with assert_num_queries(engine, CACHED):
        nested = _edges(gql(NESTED, {}))
    with assert_num_queries(engine, CACHED):
        wide = _edges(gql(WIDE, {}))
    assert len(flat) == len(nested) == len(wide) == 56


# --------------------------------------------------------------------------- (c) cached


@pytest.mark.parametrize(
    "query",
    [
        pytest.param('{ token(path: "fgColor.default") { ' + NODE + " } }", id="token"),
        pytest.param(
            "{ modifiers { name default contexts { name description } } }", id="modifiers"
        ),
        pytest.param(
            '{ modifiers { name } token(path: "fgColor.accent") { path } '
            "tokens(first: 3) { totalCount edges { node { path } } } }",
            id="modifiers+token+tokens",
        ),
        pytest.param(
            '{ light: token(path: "fgColor.default") { resolvedValue } '
            'dark: token(path: "fgColor.default", theme: [{modifier: "theme", context: "dark"}]) '
            "{ resolvedValue } "
            'coarse: tokens(first: 2, theme: [{modifier: "POINTER", context: "Coarse"}]) '
            "{ totalCount } }",
            id="three-themes",
        ),
    ],
)
def test_cached_request_reads_only_the_revision(primer: SharedDB, query: str) -> None:
    data_of(primer.gql(query))  # warm-up
    # The same request again: the response cache answers (no statement once the process's
    # revision clock knows the revision), else the revision is read and nothing else.
    with assert_num_queries(_engine(primer.app), CACHED, at_most=True) as log:
        data_of(primer.gql(query))
    assert all("revision" in statement for statement in log.statements)


def test_an_unknown_path_and_its_suggestions_cost_at_most_the_revision(
    primer: SharedDB,
) -> None:
    query = '{ token(path: "fgColor.defualt") { path } }'
    primer.gql(query)  # warm-up: the snapshot is cached
    with assert_num_queries(_engine(primer.app), CACHED):
        result = primer.gql(query)
    assert result["errors"][0]["extensions"]["code"] == "TOKEN_NOT_FOUND"
    assert result["errors"][0]["extensions"]["suggestions"][0] == "fgColor.default"


def test_bad_theme_input_costs_at_most_the_revision(primer: SharedDB) -> None:
    query = (
        '{ token(path: "fgColor.default", theme: [{modifier: "theme", context: "x"}]) { path } }'
    )
    primer.gql("{ modifiers { name } }")  # the catalog is cached
    with assert_num_queries(_engine(primer.app), CACHED):
        result = primer.gql(query)
    assert result["errors"][0]["extensions"]["code"] == "UNKNOWN_CONTEXT"


# --------------------------------------------------------------------------- (d) cold


def _write_resolver(folder: Path, n: int) -> Path:
    """A resolver document: one set and a modifier with two contexts, ≈ ``n`` tokens.

    Half the set's tokens are dimensions, half alias them; each context overrides a
    tenth of the aliases.
    """
    folder.mkdir()
    half = n // 2
    base = {
        "size": {"$type": "dimension", **{f"s{i}": {"$value": f"{i}px"} for i in range(half)}},
        "alias": {f"a{i}": {"$value": f"{{size.s{i}}}"} for i in range(half)},
    }
    (folder / "base.tokens.json").write_text(json.dumps(base), encoding="utf-8")
    for ctx, shift in (("small", 0), ("large", 1)):
        layer = {
            "alias": {
                f"a{i}": {"$value": f"{{size.s{(i + shift) % half}}}"} for i in range(0, half, 10)
            }
        }
        (folder / f"{ctx}.tokens.json").write_text(json.dumps(layer), encoding="utf-8")
    doc = {
        "version": "2025.10",
        "sets": {"base": {"sources": [{"$ref": "base.tokens.json"}]}},
        "modifiers": {
            "density": {
                "contexts": {
                    "small": [{"$ref": "small.tokens.json"}],
                    "large": [{"$ref": "large.tokens.json"}],
                },
                "default": "small",
            }
        },
        "resolutionOrder": [{"$ref": "#/sets/base"}, {"$ref": "#/modifiers/density"}],
    }
    path = folder / "doc.resolver.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def test_cold_request_costs_the_same_for_any_size(
    app: Flask, runner: FlaskCliRunner, gql: Gql, tmp_path: Path
) -> None:
    engine = _engine(app)
    counts = {}
    for n in (10, 2_000):
        import_tokens(runner, _write_resolver(tmp_path / f"n{n}", n))  # bumps the revision
        snapshot_store(app).clear()  # cold: nothing to carry forward either
        with assert_num_queries(engine, COLD + COST_FANOUT) as log:
            edges = _edges(gql(WIDE, {"theme": [{"modifier": "density", "context": "large"}]}))
        counts[n] = len(log)
        assert len(edges) == 2 * (n // 2)
        with assert_num_queries(engine, CACHED, at_most=True):  # and warm again right after
            gql(WIDE, {"theme": [{"modifier": "density", "context": "large"}]})
    assert counts[10] == counts[2_000]


def test_cold_request_after_reimport(app: Flask, runner: FlaskCliRunner, gql: Gql) -> None:
    import_tokens(runner, SMALL_EXAMPLE)
    gql(FLAT, {})
    import_tokens(runner, SMALL_EXAMPLE)  # same data, new revision: the cache is stale
    # Carried forward when the re-import kept the sets' row ids (SQLite), else rebuilt: at
    # most one statement more than a cold request either way.
    with assert_num_queries(_engine(app), CARRIED, at_most=True):
        gql(NESTED, {})
    with assert_num_queries(_engine(app), CACHED, at_most=True):
        gql(NESTED, {})


def test_cold_primer_theme(primer: SharedDB) -> None:
    # 1,488 tokens in 4 layers (2 sets + pointer + theme): the same statements as 10 tokens.
    snapshot_store(primer.app).clear()  # in memory only: the shared database is not touched
    with assert_num_queries(_engine(primer.app), COLD + COST_FANOUT):
        edges = _edges(primer.gql(FLAT, {"theme": DARK}))
    assert len(edges) == 1_488

"""Issue 16, the cost half: each attack reproduced small, and refused (both databases).

Fragment fan-out, unbounded parses, cost that follows the data (referrers, contrast pairs ×
combinations, list arguments), the wall-clock budget, the field count while running, and
``validateTokens`` behind a write key with one resolution budget per request.
"""

from __future__ import annotations

import copy
import gc
import time
import tracemalloc
from typing import TYPE_CHECKING, Any

import pytest
from graphql.language import lexer

from graphql_api.dtcg import limits as engine_limits
from graphql_api.dtcg.closure import PartialResolver
from graphql_api.schema import cost, documents
from graphql_api.schema import limits as query_limits
from graphql_api.store.snapshots import SnapshotStore
from tests.conftest import _BACKENDS, apps_on, shared_database_with
from tests.cost_data import fanout_document, fragment_fanout, nested_referrers
from tests.helpers import clock_caught_up
from tests.writing import Writer, import_mini, make_key

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from flask import Flask

    MakeApp = Callable[..., Flask]


def post(app: Flask, body: Any, key: str | None = None) -> Any:
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    return app.test_client().post("/graphql", json=body, headers=headers).get_json()


def codes(result: Any) -> list[str]:
    return [e.get("extensions", {}).get("code", e["message"]) for e in result.get("errors", [])]


def import_fanout(app: Flask) -> None:
    """Import :func:`fanout_document` (200 referrers, 4 × 4 combinations) into ``app``."""
    Writer(app.test_client(), make_key(app, "designer", "write")).call(
        "importTokens", "TokenSourceInput", document=fanout_document(200, (4, 4))
    )


@pytest.fixture
def fanout(make_app: MakeApp) -> Callable[..., Flask]:
    """``fanout(**settings)``: an app on a database of the test's own holding the fan-out."""
    import_fanout(make_app())
    return make_app


@pytest.fixture(scope="module", params=_BACKENDS)
def _fanout_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A database holding the fan-out, imported once per module and backend."""
    yield from shared_database_with(request, tmp_path_factory, import_fanout)


@pytest.fixture
def read_fanout(_fanout_url: str) -> Iterator[MakeApp]:
    """``read_fanout(**settings)``: an app on the shared fan-out, for tests that only read."""
    yield from apps_on(_fanout_url)


# 1. Fragment fan-out ----------------------------------------------------------------------


def test_each_fragment_is_walked_once(make_app: MakeApp, monkeypatch: pytest.MonkeyPatch) -> None:
    visits = []
    real = cost.CostWalker.field

    def counted(self: Any, *args: Any) -> Any:
        visits.append(1)
        return real(self, *args)

    monkeypatch.setattr(cost.CostWalker, "field", counted)
    result = post(make_app(), {"query": fragment_fanout(20)})  # 2**19 spreads of `revision`
    assert result == {"data": {"revision": 0}}
    assert len(visits) <= 4  # the rule's walk and the cost walk: `revision` once each


def test_the_walk_stops_as_soon_as_a_limit_is_passed(
    make_app: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    visits = []
    real = cost.CostWalker.field

    def counted(self: Any, *args: Any) -> Any:
        visits.append(1)
        return real(self, *args)

    monkeypatch.setattr(cost.CostWalker, "field", counted)
    aliases = " ".join(f"a{i}: revision" for i in range(400))
    query = "{ " + aliases + " }"
    assert codes(post(make_app(MAX_QUERY_ALIASES=10), {"query": query})) == ["TOO_MANY_ALIASES"]
    assert len(visits) <= 12  # stopped at the 11th alias, not after 400


# 2. Every parse with the token limit; nothing cached by raw text ---------------------------


def test_every_parse_of_a_request_stops_at_the_token_limit(
    make_app: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    lexed = [0]
    real = lexer.Lexer.advance

    def counting(self: Any) -> Any:
        lexed[0] += 1
        return real(self)

    monkeypatch.setattr(lexer.Lexer, "advance", counting)
    document = "{ " + "revision " * 20_000 + "}"
    result = post(make_app(MAX_QUERY_TOKENS=100), {"query": document})
    assert "more than 100 tokens" in result["errors"][0]["message"]
    assert lexed[0] < 500  # one parse (memoised per request), stopped at the limit


# The parse cache is the process's, not the database's: SQLite only (tracemalloc is slow).
@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_documents_are_not_kept_by_their_text(make_app: MakeApp) -> None:
    # Documents just past CACHEABLE_CHARS (the ones never cached, as 300 KB ones were) and
    # 8 of them: a process that kept each by its text would keep all 650 KB, twice the
    # bound. tracemalloc makes lexing ~5x slower, so the text sent is what costs here.
    size, count = documents.CACHEABLE_CHARS + 16 * 1024, 8
    app = make_app()
    post(app, {"query": "{ revision }"})  # warm
    post(app, {"query": "#" + "w" * size + "\n{ revision }"})  # warm the large-document path
    documents.clear_cache()
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for i in range(count):
            text = f"# {i}\n#" + "x" * size + "\n{ revision }"
            assert post(app, {"query": text}) == {"data": {"revision": 0}}
        gc.collect()  # garbage in cycles is not kept
        kept = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert kept < count * size // 2, f"{kept} bytes kept after the requests"
    entries, chars = documents.cache_stats()
    assert chars <= documents.CACHE_CHARS
    assert entries <= documents.CACHE_ENTRIES


def test_small_documents_are_parsed_once_across_requests(make_app: MakeApp) -> None:
    app = make_app()
    documents.clear_cache()
    for _ in range(3):
        assert post(app, {"query": "query Same { revision }"}) == {"data": {"revision": 0}}
    entries, chars = documents.cache_stats()
    assert entries == 2  # its parse and its validation, keyed by digest
    assert chars == len("query Same { revision }")


# 5. Cost that follows the real work ------------------------------------------------------


def test_referrers_cost_their_real_fan_out(read_fanout: MakeApp) -> None:
    app = read_fanout(MAX_QUERY_COST=10_000)
    # 200 referrers × a chain of 1 × 200 referrers: 40,000 objects (the old estimate: 125)
    assert codes(post(app, {"query": nested_referrers(3)})) == ["QUERY_TOO_COSTLY"]
    ok = post(app, {"query": nested_referrers(1)})  # 200 objects
    assert len(ok["data"]["token"]["referencedBy"]) == 200


def test_an_estimate_is_made_again_only_when_the_fan_outs_it_read_change(
    fanout: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    walks: list[int] = []

    class Counted(cost.CostWalker):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            if len(args) == 5:  # the estimate with the data, not the validation rule's walk
                walks.append(1)

    monkeypatch.setattr(query_limits, "CostWalker", Counted)
    monkeypatch.setattr(query_limits, "_estimates", query_limits._Estimates())
    app = fanout(MAX_QUERY_COST=250, RESPONSE_CACHE_BYTES=0)  # 200 referrers: cost ~200
    query = {"query": nested_referrers(1)}
    assert len(post(app, query)["data"]["token"]["referencedBy"]) == 200
    assert len(post(app, query)["data"]["token"]["referencedBy"]) == 200
    assert len(walks) == 1  # the second request: the estimate kept for it
    writer = Writer(app.test_client(), make_key(app, "more", "write"))
    more = writer.call("importTokens", "TokenSourceInput", document=fanout_document(300, (4, 4)))
    assert more["__typename"] == "ImportSuccess"
    walks.clear()  # the import's own estimate
    assert codes(post(app, query)) == ["QUERY_TOO_COSTLY"]  # 300 referrers: estimated again
    assert len(walks) == 1
    assert codes(post(app, query)) == ["QUERY_TOO_COSTLY"]  # a kept refusal refuses
    assert len(walks) == 1


def test_contrast_report_costs_pairs_times_combinations(read_fanout: MakeApp) -> None:
    app = read_fanout(MAX_QUERY_COST=50_000)
    pairs = [{"foreground": f"a.t{i}", "background": "bg"} for i in range(100)]
    query = (
        "query($p: [ContrastPair!]!, $t: [ThemeSelection!]) "
        "{ contrastReport(pairs: $p, theme: $t) { checked } }"
    )
    # 100 pairs × 16 combinations × 40 > 50,000
    assert codes(post(app, {"query": query, "variables": {"p": pairs}})) == ["QUERY_TOO_COSTLY"]
    one_theme = {"p": pairs, "t": [{"modifier": "m0", "context": "c1"}]}
    ok = post(app, {"query": query, "variables": one_theme})
    assert ok["data"]["contrastReport"]["checked"] == 100


def test_contrast_under_referrers_costs_each_computation(read_fanout: MakeApp) -> None:
    app = read_fanout(MAX_QUERY_COST=5_000)
    query = '{ token(path: "base") { referencedBy { contrast(against: "bg") { ratio } } } }'
    assert codes(post(app, {"query": query})) == ["QUERY_TOO_COSTLY"]  # 200 × 41
    small = '{ token(path: "a.t0") { contrast(against: "bg") { ratio } } }'
    assert post(app, {"query": small})["data"]["token"]["contrast"]["ratio"] == pytest.approx(21)


def test_list_arguments_cost_their_length(read_fanout: MakeApp) -> None:
    app = read_fanout(MAX_QUERY_COST=20_000)
    query = "query($t: [String!]) { tokens(first: 1, filter: {types: $t}) { totalCount } }"
    many = {"query": query, "variables": {"t": [f"x{i}" for i in range(5_000)]}}
    assert codes(post(app, many)) == ["QUERY_TOO_COSTLY"]
    few = post(app, {"query": query, "variables": {"t": ["color"]}})
    assert few["data"]["tokens"]["totalCount"] == 202


def test_an_operation_past_its_seconds_is_ended(read_fanout: MakeApp) -> None:
    app = read_fanout(MAX_QUERY_COST=0, MAX_QUERY_SECONDS=0.05)
    pairs = [{"foreground": f"a.t{i % 200}", "background": "bg"} for i in range(1_000)]
    query = "query($p: [ContrastPair!]!) { contrastReport(pairs: $p) { checked } }"
    result = post(app, {"query": query, "variables": {"p": pairs}})  # 16,000 contrasts
    assert result["data"] is None
    assert codes(result) == ["QUERY_TIMEOUT"]
    assert "MAX_QUERY_SECONDS" in result["errors"][0]["message"]


@pytest.mark.parametrize(
    "tokens",
    [
        "",  # the combinations resolved in part (store.closures)
        "themes { tokens { referencedBy { path } } }",  # whole combinations (a sweep)
    ],
)
def test_a_sweep_over_every_combination_is_cut_at_its_seconds(
    read_fanout: MakeApp, monkeypatch: pytest.MonkeyPatch, tokens: str
) -> None:
    swept: list[int] = []
    real_sweep = SnapshotStore.sweep
    real_resolve = PartialResolver.resolve

    def slow(self: SnapshotStore, *args: Any, **kwargs: Any) -> Any:
        for snap in real_sweep(self, *args, **kwargs):
            swept.append(1)
            time.sleep(0.05)  # a combination that takes a while to resolve
            yield snap

    def slow_part(self: PartialResolver, *args: Any, **kwargs: Any) -> Any:
        swept.append(1)
        time.sleep(0.05)
        return real_resolve(self, *args, **kwargs)

    monkeypatch.setattr(SnapshotStore, "sweep", slow)
    monkeypatch.setattr(PartialResolver, "resolve", slow_part)
    app = read_fanout(MAX_QUERY_COST=0, MAX_QUERY_SECONDS=0.1)
    result = post(app, {"query": '{ impact(path: "a.t0") { totalCount ' + tokens + " } }"})
    assert result["data"] is None
    assert codes(result) == ["QUERY_TIMEOUT"]
    assert len(swept) < 16  # of 4 × 4 combinations: stopped between them, not at the end


def test_fields_past_the_cost_are_counted_while_running(
    read_fanout: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    # An estimate that knows nothing of the data (every fan-out 1) lets it start…
    monkeypatch.setattr(query_limits, "data_stats", lambda _context: cost.DataStats())
    app = read_fanout(MAX_QUERY_COST=10_000)
    result = post(app, {"query": nested_referrers(3)})  # 40,000 objects
    # …and the count of fields resolved ends it.
    assert result["data"] is None
    assert codes(result) == ["QUERY_TOO_COSTLY"]
    assert "resolved more than 10000 fields" in result["errors"][0]["message"]


# 10. Queries over every theme combination are costed by the combinations -----------------

DIFF_ALL = '{ diff(from: "r1") { bump } }'
DIFF_DARK = '{ diff(from: "r1", theme: [{modifier: "theme", context: "dark"}]) { bump } }'
IMPACT = '{ impact(path: "color.blue.5") { totalCount } }'


def test_sweeps_are_costed_by_combinations_and_refused_before_any_work(
    make_app: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = make_app()
    w = Writer(first.test_client(), make_key(first, "designer", "write"))
    import_mini(w)  # one modifier, 2 contexts: 2 combinations
    w.call("createRelease", "CreateReleaseInput", name="r1")
    tokens = w.read("{ tokens { totalCount } }")["tokens"]["totalCount"]
    # diff: 2 sides × 2 combinations × tokens; impact: 2 combinations × tokens; both < 5 × tokens
    app = make_app(MAX_QUERY_COST=5 * tokens)
    assert post(app, {"query": DIFF_ALL})["data"]["diff"]["bump"] == "NONE"
    assert post(app, {"query": IMPACT})["data"]["impact"]["totalCount"] > 0
    density = {"name": "density", "contexts": ["c1", "c2", "c3"], "default": "c1"}
    w.call("createModifier", "CreateModifierInput", **density)  # 6 combinations
    clock_caught_up(app)  # the write reached `app` (PostgreSQL: by NOTIFY, a moment later)
    swept: list[str] = []
    for name in ("sweep", "sweep_release"):
        real = getattr(SnapshotStore, name)

        def counting(self: Any, *args: Any, _real: Any = real, _name: str = name) -> Any:
            swept.append(_name)
            return _real(self, *args)

        monkeypatch.setattr(SnapshotStore, name, counting)
    assert codes(post(app, {"query": DIFF_ALL})) == ["QUERY_TOO_COSTLY"]
    assert codes(post(app, {"query": IMPACT})) == ["QUERY_TOO_COSTLY"]
    assert swept == []  # refused before any combination was resolved
    # One combination (`theme` given) costs one, whatever the modifiers.
    assert post(app, {"query": DIFF_DARK})["data"]["diff"]["bump"] == "NONE"


# 7. validateTokens behind a write key; one resolution budget per request ------------------

VALIDATE = (
    "mutation($i: TokenSourceInput!) { validateTokens(input: $i) { valid problems { code } } }"
)


def test_validate_tokens_needs_a_write_key(app: Flask) -> None:
    body = {"query": VALIDATE, "variables": {"i": {"document": fanout_document(2)}}}
    assert codes(post(app, body)) == ["UNAUTHENTICATED"]
    assert codes(post(app, body, make_key(app, "reader", "read"))) == ["FORBIDDEN"]
    ok = post(app, body, make_key(app, "designer", "write"))
    assert ok["data"]["validateTokens"] == {"valid": True, "problems": []}


def test_the_resolution_budget_counts_across_a_batch(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = make_key(app, "designer", "write")
    doc = fanout_document(100, (4,))  # 4 combinations × (100 + 2 tokens) + 4 × 100 ≈ 800
    monkeypatch.setattr(engine_limits, "MAX_RESOLUTIONS", 1_000)
    one = {"query": VALIDATE, "variables": {"i": {"document": doc}}}
    assert post(app, one, key)["data"]["validateTokens"]["valid"] is True
    batch = post(app, [one, copy.deepcopy(one)], key)
    assert batch[0]["data"]["validateTokens"]["valid"] is True
    second = batch[1]["data"]["validateTokens"]
    assert second["valid"] is False
    assert [p["code"] for p in second["problems"]] == ["INVALID_RESOLVER"]
    aliased = (
        "mutation($i: TokenSourceInput!) { a: validateTokens(input: $i) { valid } "
        "b: validateTokens(input: $i) { valid } }"
    )
    both = post(app, {"query": aliased, "variables": {"i": {"document": doc}}}, key)
    assert both["data"] == {"a": {"valid": True}, "b": {"valid": False}}

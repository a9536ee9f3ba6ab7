"""Query limits: each configurable, each refused with its code, none reached by normal use."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tests.helpers import SMALL_EXAMPLE, import_tokens

if TYPE_CHECKING:
    from collections.abc import Callable

    from flask import Flask

    MakeApp = Callable[..., Flask]


def post(app: Flask, body: Any) -> Any:
    return app.test_client().post("/graphql", json=body)


def code(app: Flask, query: str) -> str | None:
    """The first error code of a query's result, or None when it ran."""
    result = post(app, {"query": query}).get_json()
    errors = result.get("errors")
    return errors[0].get("extensions", {}).get("code", errors[0]["message"]) if errors else None


NESTED_4 = "{ tokens(first: 1) { edges { node { path } } } }"  # depth 4


def test_depth(make_app: MakeApp) -> None:
    app = make_app(MAX_QUERY_DEPTH=4)
    assert code(app, NESTED_4) is None
    assert code(app, "{ tokens(first: 1) { edges { node { aliasOf { path } } } } }") == (
        "QUERY_TOO_DEEP"
    )


def test_aliases(make_app: MakeApp) -> None:
    app = make_app(MAX_QUERY_ALIASES=2)
    assert code(app, "{ a: revision b: revision }") is None
    assert code(app, "{ a: revision b: revision c: revision }") == "TOO_MANY_ALIASES"
    # aliases inside fragments count too
    assert code(app, "{ ...F } fragment F on Query { a: revision b: revision c: revision }") == (
        "TOO_MANY_ALIASES"
    )


def _token_count(make_app: MakeApp) -> int:
    app = make_app()
    import_tokens(app.test_cli_runner(), SMALL_EXAMPLE)
    count = post(app, {"query": "{ tokens { totalCount } }"}).get_json()["data"]["tokens"]
    return int(count["totalCount"])


def test_cost_multiplies_by_page_size_up_to_the_token_count(make_app: MakeApp) -> None:
    n = _token_count(make_app)
    assert n > 30
    # node {path type} = 3, edges = 4; tokens = 1 + n (the filter reads every token)
    # + min(first, n) x 4
    app = make_app(MAX_QUERY_COST=1 + n + 24 * 4)
    assert code(app, "{ tokens(first: 24) { edges { node { path type } } } }") is None
    assert code(app, "{ tokens(first: 25) { edges { node { path type } } } }") == (
        "QUERY_TOO_COSTLY"
    )
    assert code(app, "{ tokens(last: 25) { edges { node { path type } } } }") == (
        "QUERY_TOO_COSTLY"
    )  # last counts as first does
    # first as a variable counts as given
    query = "query Q($n: Int) { tokens(first: $n) { edges { node { path type } } } }"
    ok = post(app, {"query": query, "variables": {"n": 24}}).get_json()
    assert "errors" not in ok
    refused = post(app, {"query": query, "variables": {"n": 25}}).get_json()
    assert refused["errors"][0]["extensions"]["code"] == "QUERY_TOO_COSTLY"
    # a page larger than the data costs what the data holds
    big = make_app(MAX_QUERY_COST=1 + n + n * 4)
    assert code(big, "{ tokens(first: 10000) { edges { node { path type } } } }") is None
    whole = "{ tokens(first: 10000) { edges { node { path type } } } }"
    assert code(make_app(MAX_QUERY_COST=n + n * 4), whole) == "QUERY_TOO_COSTLY"


def test_cost_of_union_members_is_the_largest_not_the_sum(make_app: MakeApp) -> None:
    n = _token_count(make_app)
    # value: 1 + max(ColorValue 3, DimensionValue 4) = 5; node = 1 + 1 + 5 = 7 (path, value)
    query = (
        "{ tokens(first: 10) { edges { node { path value { ... on ColorValue { hex css alpha }"
        " ... on DimensionValue { px rem css unit } } } } } }"
    )
    # tokens = 1 + n + 10 x (edges 1 + node 1 + 7) = n + 91 with the max; the sum would be n + 121
    assert code(make_app(MAX_QUERY_COST=n + 95), query) is None
    assert code(make_app(MAX_QUERY_COST=n + 80), query) == "QUERY_TOO_COSTLY"


def test_tokens(make_app: MakeApp) -> None:
    app = make_app(MAX_QUERY_TOKENS=20)
    assert code(app, "{ revision }") is None
    result = post(app, {"query": "{ " + "revision " * 30 + "}"}).get_json()
    assert "more than 20 tokens" in result["errors"][0]["message"]


def test_introspection_is_on_by_default_and_can_be_turned_off(make_app: MakeApp) -> None:
    query = "{ __schema { queryType { name } } }"
    assert code(make_app(), query) is None
    assert code(make_app(INTROSPECTION=False), query) == "INTROSPECTION_DISABLED"
    assert code(make_app(INTROSPECTION=False), '{ __type(name: "Token") { name } }') == (
        "INTROSPECTION_DISABLED"
    )


def test_limits_of_one_app_do_not_leak_into_another(make_app: MakeApp) -> None:
    """Validation results are cached per document: the cache must key on the limits."""
    query = "{ a: revision b: revision c: revision }"
    assert code(make_app(), query) is None
    assert code(make_app(MAX_QUERY_ALIASES=2), query) == "TOO_MANY_ALIASES"
    assert code(make_app(), query) is None


def test_batch_size(make_app: MakeApp) -> None:
    app = make_app(MAX_BATCH_SIZE=2)
    ok = post(app, [{"query": "{ revision }"}] * 2)
    assert ok.status_code == 200
    assert [r["data"] for r in ok.get_json()] == [{"revision": 0}, {"revision": 0}]
    refused = post(app, [{"query": "{ revision }"}] * 3)
    assert refused.status_code == 400
    assert refused.get_json()["errors"][0]["extensions"]["code"] == "BATCH_TOO_LARGE"
    off = post(make_app(MAX_BATCH_SIZE=0), [{"query": "{ revision }"}])
    assert off.status_code == 400
    assert "disabled" in off.get_json()["errors"][0]["message"]


def test_body_size(make_app: MakeApp) -> None:
    app = make_app(MAX_BODY_BYTES=1000)
    big = post(app, {"query": "{ revision }", "variables": {"pad": "x" * 2000}})
    assert big.status_code == 413
    assert big.mimetype == "application/json"
    assert big.get_json()["errors"][0]["extensions"]["code"] == "BODY_TOO_LARGE"
    assert post(app, {"query": "{ revision }"}).status_code == 200


def test_the_defaults_admit_a_whole_theme_with_every_field(make_app: MakeApp) -> None:
    app = make_app()
    import_tokens(app.test_cli_runner(), SMALL_EXAMPLE)
    query = (
        "{ tokens { totalCount edges { node { path type standardType rawValue resolvedValue "
        "aliasChain { path referencedBy { path aliasOf { path } } } "
        "value { __typename ... on ColorValue { hex css } "
        "... on DimensionValue { px } } } } } }"
    )
    result = post(app, {"query": query}).get_json()
    assert "errors" not in result
    assert result["data"]["tokens"]["totalCount"] > 0

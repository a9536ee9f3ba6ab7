"""The query GraphiQL opens with runs on the bundled Primer data without errors."""

from __future__ import annotations

from typing import Any

from graphql_api.web.views import EXAMPLE_QUERY


def test_graphiql_example_query_runs_on_primer(primer: Any) -> None:
    response = primer.client.post("/graphql", json={"query": EXAMPLE_QUERY})
    body = response.get_json()
    assert response.status_code == 200
    assert "errors" not in body, body.get("errors")
    token = body["data"]["token"]
    assert token["rawValue"] == "{bgColor.success.emphasis}"
    assert [t["path"] for t in token["aliasChain"]][-1].startswith("base.color.")
    assert body["data"]["tokens"]["totalCount"] > 0

"""Request state travels in the view and the typed context, not through ``flask.g``.

Issue 13, item 4 ("a thin view"). The front door makes one
:class:`~graphql_api.schema.documents.ParseMemo` per request and hands it to its own
operation-name checks and, in the :class:`~graphql_api.schema.request_context.RequestContext`,
to Strawberry's parsing step: a document too large for the shared cache is parsed once per
request, not once per reader.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import graphql

from graphql_api.schema import documents

if TYPE_CHECKING:
    import pytest
    from flask.testing import FlaskClient

#: Past the shared cache's limit, so only the request's memo can spare a second parse.
PADDING = "#" + "x" * (documents.CACHEABLE_CHARS + 1000) + "\n"


def _count_parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    seen: list[str] = []
    real = graphql.parse

    def counting(source: Any, **kwargs: Any) -> Any:
        seen.append(str(getattr(source, "body", source))[:20])
        return real(source, **kwargs)

    monkeypatch.setattr("graphql_api.schema.documents.parse", counting)
    return seen


def test_a_large_document_is_parsed_once_per_request(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    parses = _count_parses(monkeypatch)
    query = "query Revision($n: Int!) { revision changes(first: $n) { totalCount } }\n"
    query += PADDING
    assert len(query) > documents.CACHEABLE_CHARS
    body = client.post("/graphql", json={"query": query, "variables": {"n": 1}}).get_json()
    assert body["data"] == {"revision": 0, "changes": {"totalCount": 0}}
    assert len(parses) == 1  # the view's operation-name check; Strawberry reused it
    # Other variables: not the response cache's entry, so the same text is executed again.
    client.post("/graphql", json={"query": query, "variables": {"n": 2}})
    assert len(parses) == 2  # the memo is the request's: the next request parses again


def test_a_large_document_with_a_syntax_error_is_parsed_once(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    parses = _count_parses(monkeypatch)
    body = client.post("/graphql", json={"query": "{ revision \n" + PADDING}).get_json()
    assert body["errors"][0]["message"].startswith("Syntax Error")
    assert len(parses) == 1


def test_a_memo_answers_only_for_its_own_document() -> None:
    memo = documents.ParseMemo()
    first = "{ revision }" + PADDING
    second = "{ releases { name } }" + PADDING
    parsed = documents.parse_document(first, max_tokens=0, memo=memo)
    assert documents.parse_document(first, max_tokens=0, memo=memo) is parsed
    other = documents.parse_document(second, max_tokens=0, memo=memo)
    assert other is not parsed
    assert other.loc is not None
    assert other.loc.source.body == second

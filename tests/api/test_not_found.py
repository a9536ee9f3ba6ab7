"""Unknown token paths: ``null`` plus ``TOKEN_NOT_FOUND`` with up to three close paths.

Primer's paths are real: a typo of ``fgColor.default`` must be answered with it. Every field
that takes a token path is covered: ``token``, ``Token.contrast(against:)``,
``contrastReport`` (refused before any check), ``impact`` and the mutations.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from graphql_api.store.snapshots import SnapshotStore
from tests.writing import Writer, import_mini, make_key

if TYPE_CHECKING:
    from flask import Flask

    from tests.api.conftest import SharedDB


@pytest.fixture
def writer(app: Flask) -> Writer:
    """A client with a write key, on a database holding MINI."""
    w = Writer(app.test_client(), make_key(app, "designer", "write"))
    import_mini(w)
    return w


def only_error(result: dict[str, Any]) -> dict[str, Any]:
    assert len(result.get("errors") or []) == 1, result
    error: dict[str, Any] = result["errors"][0]
    assert error["extensions"]["code"] == "TOKEN_NOT_FOUND", error
    return error


def test_a_typo_in_token_gets_null_and_the_close_path(primer: SharedDB) -> None:
    result = primer.gql('{ token(path: "fgColor.defualt") { path } }')
    assert result["data"] == {"token": None}
    error = only_error(result)
    assert error["path"] == ["token"]
    assert error["extensions"]["tokenPath"] == "fgColor.defualt"
    suggestions = error["extensions"]["suggestions"]
    assert suggestions[0] == "fgColor.default"
    assert 1 <= len(suggestions) <= 3
    assert "did you mean `fgColor.default`" in error["message"]


def test_nothing_close_gives_no_suggestion(primer: SharedDB) -> None:
    error = only_error(primer.gql('{ token(path: "zzzzzz.qqqqq") { path } }'))
    assert error["extensions"]["suggestions"] == []
    assert "did you mean" not in error["message"]


def test_other_tokens_of_the_query_still_answer(primer: SharedDB) -> None:
    result = primer.gql(
        '{ a: token(path: "fgColor.default") { path } b: token(path: "fgColr.muted") { path } }'
    )
    assert result["data"] == {"a": {"path": "fgColor.default"}, "b": None}
    assert only_error(result)["extensions"]["suggestions"][0] == "fgColor.muted"


def test_contrast_against_a_typo(primer: SharedDB) -> None:
    result = primer.gql(
        '{ token(path: "fgColor.default") { path contrast(against: "bgColor.defualt") { ratio } } }'
    )
    assert result["data"] == {"token": {"path": "fgColor.default", "contrast": None}}
    error = only_error(result)
    assert error["path"] == ["token", "contrast"]
    assert error["extensions"]["suggestions"][0] == "bgColor.default"


def test_contrast_report_refuses_every_unknown_path_before_checking(primer: SharedDB) -> None:
    result = primer.gql(
        "{ contrastReport(pairs: ["
        '{foreground: "fgColor.defualt", background: "bgColor.default"}, '
        '{foreground: "fgColor.muted", background: "bgColor.muuted"}]) { checked failures '
        "{ ratio } } }"
    )
    assert result["data"] == {"contrastReport": None}
    error = only_error(result)
    not_found = {e["tokenPath"]: e["suggestions"] for e in error["extensions"]["notFound"]}
    assert set(not_found) == {"fgColor.defualt", "bgColor.muuted"}
    assert not_found["fgColor.defualt"][0] == "fgColor.default"
    assert not_found["bgColor.muuted"][0] == "bgColor.muted"


def test_impact_of_a_typo(primer: SharedDB, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_theme(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("a typo must be refused before any theme is resolved")

    monkeypatch.setattr(SnapshotStore, "sweep", no_theme)
    monkeypatch.setattr(SnapshotStore, "get", no_theme)
    result = primer.gql('{ impact(path: "fgColor.defualt") { totalCount } }')
    assert result["data"] == {"impact": None}
    assert only_error(result)["extensions"]["suggestions"][0] == "fgColor.default"


def test_a_mutation_on_a_typo_is_refused_with_close_paths(writer: Writer) -> None:
    before = writer.revision()
    payload = writer.post(
        "mutation($i: UpdateTokenInput!) { updateToken(input: $i) { __typename "
        "... on NotFound { kind code suggestions message } } }",
        {"i": {"path": "color.blue.6", "description": "x"}},
    )["data"]["updateToken"]
    assert payload["__typename"] == "NotFound"
    assert payload["code"] == "TOKEN_NOT_FOUND"
    assert payload["kind"] == "token"
    assert payload["suggestions"][0] == "color.blue.5"
    assert "did you mean 'color.blue.5'" in payload["message"]
    assert writer.revision() == before  # nothing written


def test_a_diff_filter_on_a_typo(primer: SharedDB, monkeypatch: pytest.MonkeyPatch) -> None:
    swept: list[str] = []
    real = SnapshotStore.sweep_pairs

    def counted(*args: Any, **kwargs: Any) -> Any:
        swept.append("pairs")
        return real(*args, **kwargs)

    monkeypatch.setattr(SnapshotStore, "sweep_pairs", counted)
    result = primer.gql('{ diff(pathPrefix: "fgColr") { changes { path } } }')
    assert swept == []  # refused from the stored paths, before any combination is resolved
    assert result["data"] == {"diff": None}
    assert only_error(result)["extensions"]["suggestions"][0] == "fgColor"
    fine = primer.gql('{ diff(pathPrefix: "fgColor") { changes { path } } } # after a typo')
    assert fine == {"data": {"diff": {"changes": []}}}  # a group: known, nothing changed
    assert swept == ["pairs"]

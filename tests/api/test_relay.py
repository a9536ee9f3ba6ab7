"""Relay conventions: global object identification and the Cursor Connections specification.

- ``Node``: ``Token``, ``Modifier``, ``Context`` and ``Release`` have a global ``id``;
  ``node(id:)`` and ``nodes(ids:)`` return the same object again (a token in the theme
  combination and release it was read in), null once it is gone, ``INVALID_ID`` for IDs
  the server did not make.
- ``tokens``: ``first``/``after`` and ``last``/``before`` give the slices of the full list
  that the GraphQL Cursor Connections specification (§4.3 Arguments, §4.4 Pagination
  algorithm, §5 PageInfo) defines; the expected slices are computed here from the
  full, unpaged list.

``tests/frontend/test_relay_compiler.py`` runs the Relay compiler itself on the schema.
"""

from __future__ import annotations

import base64
from typing import TYPE_CHECKING, Any

import pytest

from tests.writing import DARK, Writer, import_mini, make_key

if TYPE_CHECKING:
    from flask import Flask

PAGE = """query($first: Int, $after: String, $last: Int, $before: String) {
  tokens(first: $first, after: $after, last: $last, before: $before) {
    totalCount
    edges { cursor node { path } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}"""


@pytest.fixture
def writer(app: Flask) -> Writer:
    """A client with a write key, on a database holding the tests' MINI set (light, dark)."""
    w = Writer(app.test_client(), make_key(app, "designer", "write"))
    import_mini(w)
    return w


def node(writer: Writer, global_id: str, fields: str = "__typename") -> Any:
    """``node(id:)`` selecting ``fields`` (use inline fragments for type fields)."""
    return writer.read("query($id: ID!) { node(id: $id) { " + fields + " } }", {"id": global_id})[
        "node"
    ]


def test_a_token_is_read_again_in_the_theme_it_was_read_in(writer: Writer) -> None:
    query = """query($t: [ThemeSelection!]) {
      token(path: "accent.fg", theme: $t) { id path resolvedValue } }"""
    light = writer.read(query)["token"]
    dark = writer.read(query, {"t": DARK})["token"]
    assert light["id"] != dark["id"], "one ID for two values would merge them in a Relay store"
    for read in (light, dark):
        again = node(writer, read["id"], "__typename ... on Token { id path resolvedValue }")
        assert again == {"__typename": "Token", **read}
    assert (light["resolvedValue"], dark["resolvedValue"]) == ("#0969da", "#d1242f")
    # One token in one combination has one ID, however the theme was written.
    spelled = writer.read(query, {"t": [{"modifier": "THEME", "context": "Dark"}]})["token"]
    assert spelled["id"] == dark["id"]


def test_modifiers_contexts_and_releases_are_nodes(writer: Writer) -> None:
    made = writer.call("createRelease", "CreateReleaseInput", name="1.0.0", notes="first")
    assert made["__typename"] == "ReleaseSuccess", made
    data = writer.read("{ modifiers { id name contexts { id name } } releases { id name notes } }")
    [modifier] = data["modifiers"]
    assert node(writer, modifier["id"], "... on Modifier { name }") == {"name": "theme"}
    for context in modifier["contexts"]:
        again = node(writer, context["id"], "__typename ... on Context { id name }")
        assert again == {"__typename": "Context", **context}
    [release] = data["releases"]
    assert node(writer, release["id"], "... on Release { id name notes }") == release
    ids = [modifier["id"], *(c["id"] for c in modifier["contexts"]), release["id"]]
    assert len(set(ids)) == len(ids)


def test_a_release_token_id_reads_the_release(writer: Writer) -> None:
    writer.call("createRelease", "CreateReleaseInput", name="1.0.0", notes="")
    edit = writer.call("updateToken", "UpdateTokenInput", path="color.blue.5", value="#000001")
    assert edit["__typename"] == "TokenSuccess", edit
    old = writer.read('{ token(path: "color.blue.5", release: "1.0.0") { id resolvedValue } }')
    new = writer.read('{ token(path: "color.blue.5") { id resolvedValue } }')
    assert old["token"]["id"] != new["token"]["id"]
    assert node(writer, old["token"]["id"], "... on Token { resolvedValue }") == {
        "resolvedValue": "#0969da"
    }
    assert node(writer, new["token"]["id"], "... on Token { resolvedValue }") == {
        "resolvedValue": "#000001"
    }


def test_nodes_keeps_the_order_and_gives_null_for_what_is_gone(writer: Writer) -> None:
    ids = {
        p: writer.read(f'{{ token(path: "{p}") {{ id }} }}')["token"]["id"]
        for p in ("color.red.5", "size.gap", "color.gray.1")
    }
    gone = writer.call("deleteToken", "DeleteTokenInput", path="color.gray.1")
    assert gone["__typename"] == "TokenSuccess", gone
    data = writer.read(
        "query($ids: [ID!]!) { nodes(ids: $ids) { ... on Token { path } } }",
        {"ids": [ids["size.gap"], ids["color.gray.1"], ids["color.red.5"]]},
    )
    assert data["nodes"] == [{"path": "size.gap"}, None, {"path": "color.red.5"}]
    assert node(writer, ids["color.gray.1"]) is None


@pytest.mark.parametrize(
    "bad",
    [
        "not base64 at all!",
        base64.urlsafe_b64encode(b"Token:not json").decode(),
        base64.urlsafe_b64encode(b'User:["x"]').decode(),
        base64.urlsafe_b64encode(b'Token:["only the path"]').decode(),
        base64.urlsafe_b64encode(b'Token:["a", {"theme": 5}, null]').decode(),
        "QQ" * 3000,
    ],
)
def test_an_id_the_server_did_not_make_is_an_error(writer: Writer, bad: str) -> None:
    result = writer.post("query($id: ID!) { node(id: $id) { __typename } }", {"id": bad})
    assert result["data"] == {"node": None}
    assert [e["extensions"]["code"] for e in result["errors"]] == ["INVALID_ID"]


def test_nodes_is_bounded_before_any_id_is_read(writer: Writer) -> None:
    result = writer.post(
        "query($ids: [ID!]!) { nodes(ids: $ids) { __typename } }", {"ids": ["x"] * 101}
    )
    assert result["errors"][0]["extensions"]["code"] == "TOO_MANY_IDS"


def _page(writer: Writer, **args: Any) -> dict[str, Any]:
    conn: dict[str, Any] = writer.read(PAGE, args)["tokens"]
    return conn


def _paths(conn: dict[str, Any]) -> list[str]:
    return [e["node"]["path"] for e in conn["edges"]]


def test_forward_and_backward_pages_are_the_spec_slices(writer: Writer) -> None:
    full = _page(writer)
    every = _paths(full)
    cursors = [e["cursor"] for e in full["edges"]]
    n = len(every)
    assert n >= 6, every
    assert not full["pageInfo"]["hasNextPage"]
    assert not full["pageInfo"]["hasPreviousPage"]
    for i in range(n):
        # §4.4: edges after the cursor, then the first 2 of them.
        fwd = _page(writer, first=2, after=cursors[i])
        assert _paths(fwd) == every[i + 1 : i + 3]
        assert fwd["pageInfo"]["hasNextPage"] == (i + 3 < n)
        # Edges before the cursor, then the last 2 of them.
        back = _page(writer, last=2, before=cursors[i])
        assert _paths(back) == every[max(0, i - 2) : i]
        assert back["pageInfo"]["hasPreviousPage"] == (i - 2 > 0)
        assert back["pageInfo"]["hasNextPage"] is True  # the cursor's own edge follows
        if back["edges"]:  # §5: startCursor/endCursor are the first and last edge's
            assert back["pageInfo"]["startCursor"] == back["edges"][0]["cursor"]
            assert back["pageInfo"]["endCursor"] == back["edges"][-1]["cursor"]
    assert _paths(_page(writer, last=3)) == every[-3:]
    assert _paths(_page(writer, after=cursors[0], before=cursors[4])) == every[1:4]
    assert _paths(_page(writer, first=3, last=2)) == every[1:3]  # §4.4: first, then last
    assert _page(writer, last=2)["totalCount"] == n


def test_paging_backwards_from_the_end_walks_the_whole_list(writer: Writer) -> None:
    every = _paths(_page(writer))
    seen: list[str] = []
    before = None
    while True:
        conn = _page(writer, last=2, before=before)
        seen = _paths(conn) + seen
        if not conn["pageInfo"]["hasPreviousPage"]:
            break
        before = conn["pageInfo"]["startCursor"]
    assert seen == every


@pytest.mark.parametrize("args", [{"last": -1}, {"last": 10_001}, {"first": -1}])
def test_page_sizes_out_of_range_are_refused(writer: Writer, args: dict[str, int]) -> None:
    result = writer.post(PAGE, args)
    assert result["errors"][0]["extensions"]["code"] == "INVALID_PAGE_SIZE"


def test_a_bad_before_cursor_is_refused(writer: Writer) -> None:
    not_utf8 = base64.urlsafe_b64encode(b"\xff\xfe").decode()
    result = writer.post(PAGE, {"last": 2, "before": not_utf8})
    assert result["errors"][0]["extensions"]["code"] == "INVALID_CURSOR"

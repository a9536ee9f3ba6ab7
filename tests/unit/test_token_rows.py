"""The row ↔ token mapping (:mod:`graphql_api.store.token_rows`), spelled out once.

Reads, writes and the release format all derive from ``TOKEN_FIELDS`` / ``GROUP_FIELDS``:
a token or group written as a row and read back is the same node, and a release keeps
the array layout of format 1 (releases already stored must load).
"""

from __future__ import annotations

from dataclasses import fields

from graphql_api.dtcg.nodes import Document, GroupNode, TokenNode
from graphql_api.dtcg.resolver import VERSION, ResolverDocument, TokenSet
from graphql_api.store import release_format, token_rows
from graphql_api.store.models import TokenGroup, TokenValue

TOKEN = TokenNode(
    "color.fg",
    {"colorSpace": "srgb", "components": [0, 0, 0]},
    "color",
    "text",
    "use color.text",
    {"org.example": {"a": 1}},
    "core.json",
    "/color/fg",
)
GROUP = GroupNode("color", "color", "colours", False, {"x": 1}, "core.json", "/color", "{base}")


def test_the_fields_follow_the_nodes_and_name_every_stored_column() -> None:
    token_names = [f.name for f in fields(TokenNode)]
    assert [name for name, _ in token_rows.TOKEN_FIELDS] == token_names[1:8]
    assert [f.name for f in fields(GroupNode)] == [name for name, _ in token_rows.GROUP_FIELDS]
    layered = {"id", "token_id", "set_id", "theme_id"}
    assert {c.key for c in token_rows.VALUE_COLUMNS} == set(TokenValue.__table__.c.keys()) - layered
    assert {c.key for c in token_rows.GROUP_COLUMNS} == set(TokenGroup.__table__.c.keys()) - {
        "id",
        "set_id",
        "theme_id",
    }


def test_a_token_and_a_group_written_as_rows_read_back_the_same() -> None:
    layer = token_rows.layer_columns(("theme", 7))
    row = token_rows.value_row(TOKEN, 3, layer)
    assert (row["token_id"], row["set_id"], row["theme_id"]) == (3, None, 7)
    assert (row["source_file"], row["source_pointer"]) == ("core.json", "/color/fg")
    read = [row[c.key] for c in token_rows.VALUE_COLUMNS]
    assert token_rows.token_node(TOKEN.path, read) == TOKEN
    group = token_rows.group_row(GROUP, token_rows.layer_columns(("set", 2)))
    assert (group["set_id"], group["theme_id"], group["extends"]) == (2, None, "{base}")
    assert token_rows.group_node([group[c.key] for c in token_rows.GROUP_COLUMNS]) == GROUP
    assert token_rows.layer_key(None, 7) == ("theme", 7)
    assert token_rows.layer_key(2, None) == ("set", 2)


def test_a_release_keeps_the_array_layout_of_format_1() -> None:
    doc = ResolverDocument("r", None, VERSION)
    doc.sets["core"] = TokenSet("core", Document({TOKEN.path: TOKEN}, {GROUP.path: GROUP}))
    doc.order = [("set", "core")]
    data = release_format.dump(doc)
    assert data["sets"]["core"]["tokens"] == [
        [
            "color.fg",
            {"colorSpace": "srgb", "components": [0, 0, 0]},
            "color",
            "text",
            "use color.text",
            {"org.example": {"a": 1}},
            "core.json",
            "/color/fg",
        ]
    ]
    assert data["sets"]["core"]["groups"] == [
        ["color", "color", "colours", False, {"x": 1}, "core.json", "/color", "{base}"]
    ]
    again = release_format.load(data)
    assert again.sets["core"].document == doc.sets["core"].document

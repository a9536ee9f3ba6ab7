"""Every mutation: its success and each of its refusals, all or nothing, on both databases.

The data is :data:`tests.writing.MINI`, imported through ``importTokens`` itself. A refusal
must leave the revision and the values exactly as they were.
"""

from __future__ import annotations

import tempfile
from typing import TYPE_CHECKING, Any

import pytest
from sqlalchemy import select

from graphql_api.store import db
from graphql_api.store.models import TokenValue
from tests.writing import DARK, MINI, Writer, import_mini, make_key, mutation

if TYPE_CHECKING:
    from flask import Flask

LIGHT_BLUE = "#0969da"


@pytest.fixture
def writer(app: Flask) -> Writer:
    """A client with a write key, on a database holding MINI."""
    w = Writer(app.test_client(), make_key(app, "designer", "write"))
    import_mini(w)
    return w


def unchanged(writer: Writer, before: tuple[int, dict[str, Any], dict[str, Any]]) -> None:
    """The revision and every resolved value, in both themes, are as in ``before``."""
    assert (writer.revision(), writer.all_tokens(), writer.all_tokens(DARK)) == before


def state(writer: Writer) -> tuple[int, dict[str, Any], dict[str, Any]]:
    return writer.revision(), writer.all_tokens(), writer.all_tokens(DARK)


def codes(payload: dict[str, Any]) -> set[str]:
    assert payload["__typename"] == "ValidationError", payload
    return {p["code"] for p in payload["problems"]}


# -- import and validate -----------------------------------------------------------------


def test_import_tokens_stores_the_document_and_logs_every_value(app: Flask) -> None:
    w = Writer(app.test_client(), make_key(app, "ci", "write"))
    payload = import_mini(w)
    assert (payload["tokens"], payload["revision"]) == (8, 1)
    assert payload["changes"] == payload["values"] == 5 + 3 + 3  # base, light, dark
    assert w.resolved("accent.bg") == LIGHT_BLUE
    assert w.resolved("accent.fg", DARK) == "#d1242f"
    log = w.read("{ changes(first: 100) { totalCount edges { node { author before layer } } } }")
    assert log["changes"]["totalCount"] == 11
    assert {e["node"]["author"] for e in log["changes"]["edges"]} == {"ci"}
    assert all(e["node"]["before"] is None for e in log["changes"]["edges"])


def test_import_tokens_refuses_an_invalid_document_and_keeps_the_old_data(writer: Writer) -> None:
    before = state(writer)
    broken = {
        "color": {
            "$type": "color",
            "a": {"$value": "{color.missing}"},
            "b": {"$value": "not a colour"},
        }
    }
    payload = writer.call("importTokens", "TokenSourceInput", document=broken)
    assert codes(payload) == {"UNRESOLVABLE_REFERENCE", "INVALID_VALUE"}
    assert {p["path"] for p in payload["problems"]} == {"color.a", "color.b"}
    unchanged(writer, before)


def test_import_tokens_reads_several_files_like_the_cli(writer: Writer) -> None:
    resolver = (
        '{"version": "2025.10", "sets": {"s": {"sources": [{"$ref": "a.json"}]}}, '
        '"resolutionOrder": [{"$ref": "#/sets/s"}]}'
    )
    files = [
        {"path": "doc.resolver.json", "content": resolver},
        {"path": "a.json", "content": "{x: {$type: 'number', $value: 3}} // JSON5"},
    ]
    payload = writer.call(
        "importTokens", "TokenSourceInput", files=files, entry="doc.resolver.json"
    )
    assert payload["__typename"] == "ImportSuccess", payload
    assert writer.read("{ tokens { totalCount } }")["tokens"]["totalCount"] == 1
    assert writer.resolved("x") == 3


def test_an_upload_cannot_name_a_file_outside_itself(writer: Writer) -> None:
    files = [{"path": "../evil.json", "content": "{}"}]
    payload = writer.call("validateTokens", "TokenSourceInput", files=files)
    assert payload["valid"] is False
    assert payload["problems"][0]["code"] == "FILE_NOT_FOUND"


BAD_UPLOADS = {
    "dot": [{"path": ".", "content": "{}"}],
    "nul": [{"path": "a\x00b.json", "content": "{}"}],
    "300 characters": [{"path": "x" * 300, "content": "{}"}],
    "collision": [{"path": "a", "content": "{}"}, {"path": "a/b.json", "content": "{}"}],
}


@pytest.mark.parametrize("files", BAD_UPLOADS.values(), ids=BAD_UPLOADS.keys())
def test_upload_paths_the_file_system_refuses_are_problems_not_crashes(
    writer: Writer, files: list[dict[str, str]]
) -> None:
    """Each gave INTERNAL_SERVER_ERROR (an OS error writing the temporary folder)."""
    for op in ("validateTokens", "importTokens"):
        result = writer.post(mutation(op, "TokenSourceInput"), {"input": {"files": files}})
        assert "errors" not in result, result
        payload = result["data"][op]
        problems = payload["problems"]
        assert [p["code"] for p in problems] == ["FILE_NOT_FOUND"], payload
        assert "\x00" not in problems[0]["file"]
        assert tempfile.gettempdir() not in str(payload)
    assert writer.read("{ tokens { totalCount } }")["tokens"]["totalCount"] > 0  # unchanged


def test_stored_file_names_are_the_upload_s_own(writer: Writer, app: Flask) -> None:
    files = [{"path": "nested/colors.json", "content": '{"c": {"$type": "number", "$value": 1}}'}]
    payload = writer.call("importTokens", "TokenSourceInput", files=files)
    assert payload["__typename"] == "ImportSuccess", payload
    with app.app_context():
        stored = set(db.get_session().scalars(select(TokenValue.source_file)))
    assert stored == {"nested/colors.json"}


def test_upload_problems_never_show_the_server_s_temporary_folder(writer: Writer) -> None:
    resolver = (
        '{"version": "2025.10", "sets": {"s": {"sources": [{"$ref": "missing.json"}]}}, '
        '"resolutionOrder": [{"$ref": "#/sets/s"}]}'
    )
    payload = writer.call(
        "validateTokens",
        "TokenSourceInput",
        files=[{"path": "doc.resolver.json", "content": resolver}],
    )
    assert payload["valid"] is False
    text = str(payload["problems"])
    assert "missing.json" in text
    assert "tokens-upload-" not in text  # the temporary folder's name
    assert tempfile.gettempdir() not in text


def test_validate_tokens_reports_every_problem_and_writes_nothing(writer: Writer) -> None:
    before = state(writer)
    doc = {
        "a": {"$type": "color", "$value": "nope"},
        "b": {"$value": "{c}"},
        "c": {"$value": "{b}"},
    }
    payload = writer.call("validateTokens", "TokenSourceInput", document=doc)
    assert payload["valid"] is False
    by_path = {(p["code"], p["path"]) for p in payload["problems"]}
    assert ("INVALID_VALUE", "a") in by_path
    assert {("CIRCULAR_REFERENCE", "b"), ("CIRCULAR_REFERENCE", "c")} <= by_path
    pointer = next(p for p in payload["problems"] if p["path"] == "a")
    assert (pointer["file"], pointer["pointer"]) == ("tokens.json", "/a")
    ok = writer.call("validateTokens", "TokenSourceInput", document=MINI)
    assert ok == {"valid": True, "problems": []}
    unchanged(writer, before)


# -- keys ------------------------------------------------------------------------------


def test_a_mutation_without_a_key_is_refused_and_changes_nothing(
    app: Flask, writer: Writer
) -> None:
    before = state(writer)
    anonymous = Writer(app.test_client(), None)
    result = anonymous.post(
        'mutation { updateToken(input: {path: "color.blue.5", value: "#000000"}) { __typename } }'
    )
    assert result["data"] is None
    assert result["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    unchanged(writer, before)


def test_a_read_key_cannot_write(app: Flask, writer: Writer) -> None:
    before = state(writer)
    reader = Writer(app.test_client(), make_key(app, "dashboard", "read"))
    result = reader.post('mutation { deleteToken(input: {path: "color.gray.1"}) { __typename } }')
    assert result["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert "dashboard" in result["errors"][0]["message"]
    unchanged(writer, before)


def test_a_revoked_key_cannot_write(app: Flask, writer: Writer) -> None:
    before = state(writer)
    key = make_key(app, "old", "admin")
    result = app.test_cli_runner().invoke(args=["keys", "revoke", "old"])
    assert result.exit_code == 0, result.output
    response = app.test_client().post(
        "/graphql",
        json={"query": 'mutation { deleteToken(input: {path: "color.gray.1"}) { __typename } }'},
        headers={"Authorization": f"Bearer {key}"},
    )
    assert response.status_code == 401
    unchanged(writer, before)


# -- tokens ----------------------------------------------------------------------------


def test_create_token(writer: Writer) -> None:
    payload = writer.call(
        "createToken",
        "CreateTokenInput",
        path="color.green.5",
        value="#1a7f37",
        type="color",
        description="success",
        set="base",
    )
    assert payload["__typename"] == "TokenSuccess", payload
    assert payload["token"] == {"path": "color.green.5", "resolvedValue": "#1a7f37"}
    [change] = payload["changes"]
    assert change["before"] is None
    assert change["after"] == {"$value": "#1a7f37", "$type": "color", "$description": "success"}
    assert (change["layer"], change["author"]) == ("base", "designer")
    alias = writer.call(
        "createToken",
        "CreateTokenInput",
        path="accent.success",
        value="{color.green.5}",
        context=DARK[0],
    )
    assert alias["__typename"] == "TokenSuccess", alias
    assert writer.resolved("accent.success", DARK) == "#1a7f37"
    assert writer.resolved("accent.success") is None  # only in dark


def test_create_token_refusals(writer: Writer) -> None:
    before = state(writer)
    taken = writer.call(
        "createToken", "CreateTokenInput", path="color.blue.5", value="#000000", set="base"
    )
    assert (taken["__typename"], taken["code"]) == ("Conflict", "ALREADY_EXISTS")
    bad = writer.call(
        "createToken", "CreateTokenInput", path="color.x", value="12px", type="color", set="base"
    )
    assert codes(bad) == {"INVALID_VALUE"}
    dangling = writer.call(
        "createToken", "CreateTokenInput", path="color.y", value="{color.nowhere}", set="base"
    )
    assert codes(dangling) == {"UNRESOLVABLE_REFERENCE"}
    bad_name = writer.call(
        "createToken", "CreateTokenInput", path="color.{z}", value="#000000", set="base"
    )
    assert codes(bad_name) == {"INVALID_NAME"}
    nowhere = writer.call(
        "createToken", "CreateTokenInput", path="color.z", value="#000000", set="nope"
    )
    assert (nowhere["__typename"], nowhere["kind"]) == ("NotFound", "set")
    unchanged(writer, before)


def test_update_token_in_one_layer_and_everywhere(writer: Writer) -> None:
    payload = writer.call(
        "updateToken", "UpdateTokenInput", path="accent.fg", value="#ffffff", context=DARK[0]
    )
    assert payload["__typename"] == "TokenSuccess", payload
    assert [c["layer"] for c in payload["changes"]] == ["theme:dark"]
    assert writer.resolved("accent.fg", DARK) == "#ffffff"
    assert writer.resolved("accent.fg") == LIGHT_BLUE
    everywhere = writer.call(
        "updateToken", "UpdateTokenInput", path="accent.fg", description="the accent"
    )
    assert sorted(c["layer"] for c in everywhere["changes"]) == ["theme:dark", "theme:light"]
    assert all(c["after"]["$description"] == "the accent" for c in everywhere["changes"])
    cleared = writer.call("updateToken", "UpdateTokenInput", path="color.gray.1", description=None)
    assert "$description" not in cleared["changes"][0]["after"]
    assert cleared["changes"][0]["before"]["$description"] == "light gray"


def test_update_token_refusals(writer: Writer) -> None:
    before = state(writer)
    cycle = writer.call("updateToken", "UpdateTokenInput", path="color.blue.5", value="{accent.bg}")
    assert codes(cycle) == {"CIRCULAR_REFERENCE"}
    assert {"color.blue.5", "accent.fg", "accent.bg"} <= {p["path"] for p in cycle["problems"]}
    mismatch = writer.call(
        "updateToken", "UpdateTokenInput", path="accent.fg", value="{size.unit}", context=DARK[0]
    )
    assert codes(mismatch) == {"TYPE_MISMATCH"}
    composite = writer.call(
        "updateToken", "UpdateTokenInput", path="size.unit", type="color", value="#000000"
    )
    assert "TYPE_MISMATCH" in codes(composite)  # border.focus width, size.gap's declared type
    missing = writer.call("updateToken", "UpdateTokenInput", path="color.none", value="#000000")
    assert (missing["__typename"], missing["kind"]) == ("NotFound", "token")
    not_there = writer.call(
        "updateToken", "UpdateTokenInput", path="color.blue.5", value="#000000", context=DARK[0]
    )
    assert not_there["__typename"] == "NotFound"
    unknown_ctx = writer.call(
        "updateToken",
        "UpdateTokenInput",
        path="accent.fg",
        value="#000000",
        context={"modifier": "theme", "context": "sepia"},
    )
    assert (unknown_ctx["__typename"], unknown_ctx["kind"]) == ("NotFound", "context")
    unchanged(writer, before)


def test_rename_token_rewrites_references(writer: Writer) -> None:
    before_light, before_dark = writer.all_tokens(), writer.all_tokens(DARK)
    payload = writer.call("renameToken", "RenameTokenInput", path="size.unit", newPath="size.base")
    assert payload["__typename"] == "TokenSuccess", payload
    assert payload["token"]["path"] == "size.base"
    moved = [c for c in payload["changes"] if c["previousPath"] == "size.unit"]
    assert [c["path"] for c in moved] == ["size.base"]
    rewritten = {(c["path"], c["layer"]) for c in payload["changes"] if not c["previousPath"]}
    assert rewritten == {("size.gap", "base"), ("border.focus", "theme:light")}
    after_light = writer.all_tokens()
    assert after_light.pop("size.base") == before_light.pop("size.unit")
    assert after_light == before_light  # every resolved value is as it was
    assert writer.all_tokens(DARK)["size.gap"] == before_dark["size.gap"]


def test_rename_token_refusals(writer: Writer) -> None:
    before = state(writer)
    reported = writer.call(
        "renameToken",
        "RenameTokenInput",
        path="accent.fg",
        newPath="accent.main",
        updateReferences=False,
    )
    assert codes(reported) == {"UNRESOLVABLE_REFERENCE"}
    assert {p["path"] for p in reported["problems"]} == {"accent.bg", "border.focus"}
    taken = writer.call(
        "renameToken", "RenameTokenInput", path="color.red.5", newPath="color.blue.5"
    )
    assert (taken["__typename"], taken["code"]) == ("Conflict", "ALREADY_EXISTS")
    missing = writer.call("renameToken", "RenameTokenInput", path="x.y", newPath="x.z")
    assert missing["__typename"] == "NotFound"
    unchanged(writer, before)


def test_delete_token_refused_while_referenced_unless_cascading(writer: Writer) -> None:
    before = state(writer)
    refused = writer.call("deleteToken", "DeleteTokenInput", path="color.blue.5")
    assert codes(refused) == {"UNRESOLVABLE_REFERENCE"}
    assert {p["path"] for p in refused["problems"]} == {"accent.fg"}
    missing = writer.call("deleteToken", "DeleteTokenInput", path="color.none")
    assert missing["__typename"] == "NotFound"
    unchanged(writer, before)
    lone = writer.call("deleteToken", "DeleteTokenInput", path="color.gray.1")
    assert lone["__typename"] == "TokenSuccess"
    assert lone["changes"][0]["after"] is None
    cascade = writer.call("deleteToken", "DeleteTokenInput", path="color.blue.5", cascade=True)
    assert cascade["__typename"] == "TokenSuccess", cascade
    gone = {c["path"] for c in cascade["changes"]}
    # A token goes from every layer: accent.fg and accent.bg (which uses it in light) from
    # dark too, where they do not reference color.blue.5.
    assert gone == {"color.blue.5", "accent.fg", "accent.bg", "border.focus"}
    assert set(writer.all_tokens(DARK)) == {"color.red.5", "size.unit", "size.gap"}


def test_set_and_clear_a_value_per_context(writer: Writer) -> None:
    payload = writer.call(
        "setTokenValue", "SetTokenValueInput", path="color.gray.1", context=DARK[0], value="#111111"
    )
    assert payload["__typename"] == "TokenSuccess", payload
    # the override repeats what the token sets, and its type (here its group's)
    assert payload["changes"][0]["after"] == {
        "$value": "#111111",
        "$type": "color",
        "$description": "light gray",
    }
    assert writer.resolved("color.gray.1", DARK) == "#111111"
    assert writer.resolved("color.gray.1") == "#eeeeee"
    cleared = writer.call(
        "clearTokenValue", "ClearTokenValueInput", path="color.gray.1", context=DARK[0]
    )
    assert cleared["__typename"] == "TokenSuccess"
    assert writer.resolved("color.gray.1", DARK) == "#eeeeee"
    again = writer.call(
        "clearTokenValue", "ClearTokenValueInput", path="color.gray.1", context=DARK[0]
    )
    assert again["__typename"] == "NotFound"
    unknown = writer.call(
        "setTokenValue", "SetTokenValueInput", path="color.none", context=DARK[0], value="#111111"
    )
    assert unknown["__typename"] == "NotFound"
    bad = writer.call(
        "setTokenValue",
        "SetTokenValueInput",
        path="color.gray.1",
        context=DARK[0],
        value="{size.unit}",
    )
    assert codes(bad) == {"TYPE_MISMATCH"}


def test_clearing_a_value_that_others_need_is_refused(writer: Writer) -> None:
    before = state(writer)
    payload = writer.call(
        "clearTokenValue", "ClearTokenValueInput", path="accent.fg", context=DARK[0]
    )
    assert codes(payload) == {"UNRESOLVABLE_REFERENCE"}
    unchanged(writer, before)


def test_apply_patch_merges_and_deletes(writer: Writer) -> None:
    patch = {
        "size": {"gap": {"$value": {"value": 8, "unit": "px"}}},
        "color": {"gray": None, "green": {"5": {"$value": "#1a7f37"}}},
    }
    payload = writer.call("applyPatch", "ApplyPatchInput", document=patch, set="base")
    assert payload["__typename"] == "WriteSuccess", payload
    changed = {c["path"]: c["after"] for c in payload["changes"]}
    assert changed == {
        "size.gap": {"$value": {"value": 8, "unit": "px"}},
        "color.gray.1": None,
        "color.green.5": {"$value": "#1a7f37"},
    }
    assert writer.resolved("color.green.5") == "#1a7f37"  # the group's $type applies
    assert writer.read('{ token(path: "color.green.5") { type } }')["token"]["type"] == "color"
    bad = writer.call(
        "applyPatch", "ApplyPatchInput", document={"color": {"red": None}}, set="base"
    )
    assert codes(bad) == {"UNRESOLVABLE_REFERENCE"}


# -- modifiers and contexts ------------------------------------------------------------


def test_modifier_lifecycle(writer: Writer) -> None:
    made = writer.call(
        "createModifier",
        "CreateModifierInput",
        name="density",
        contexts=["comfortable", "compact"],
        default="comfortable",
    )
    assert made["__typename"] == "ModifierSuccess", made
    assert made["modifier"]["contexts"] == [{"name": "comfortable"}, {"name": "compact"}]
    compact = [{"modifier": "density", "context": "compact"}]
    over = writer.call(
        "setTokenValue",
        "SetTokenValueInput",
        path="size.unit",
        context=compact[0],
        value={"value": 2, "unit": "px"},
    )
    assert over["__typename"] == "TokenSuccess", over
    assert writer.resolved("size.gap", compact) == {"value": 2, "unit": "px"}
    renamed = writer.call(
        "renameModifier", "RenameModifierInput", name="density", newName="spacing"
    )
    assert renamed["modifier"]["name"] == "spacing"
    default = writer.call(
        "setModifierDefault", "SetModifierDefaultInput", name="spacing", context="compact"
    )
    assert default["modifier"]["default"] == "compact"
    assert writer.resolved("size.gap") == {"value": 2, "unit": "px"}
    deleted = writer.call("deleteModifier", "DeleteModifierInput", name="spacing")
    assert deleted["__typename"] == "ModifierSuccess", deleted
    assert [(c["path"], c["layer"], c["after"]) for c in deleted["changes"]] == [
        ("size.unit", "spacing:compact", None)
    ]
    assert writer.resolved("size.gap") == {"value": 4, "unit": "px"}
    names = [m["name"] for m in writer.read("{ modifiers { name } }")["modifiers"]]
    assert names == ["theme"]


def test_modifier_refusals(writer: Writer) -> None:
    uses_theme = writer.call(
        "createToken", "CreateTokenInput", path="button.bg", value="{accent.fg}", set="base"
    )
    assert uses_theme["__typename"] == "TokenSuccess", uses_theme
    before = state(writer)
    taken = writer.call("createModifier", "CreateModifierInput", name="theme", contexts=["a"])
    assert (taken["__typename"], taken["code"]) == ("Conflict", "ALREADY_EXISTS")
    empty = writer.call("createModifier", "CreateModifierInput", name="x", contexts=[])
    assert codes(empty) == {"INVALID_INPUT"}
    bad_default = writer.call(
        "createModifier", "CreateModifierInput", name="x", contexts=["a"], default="b"
    )
    assert codes(bad_default) == {"INVALID_INPUT"}
    needed = writer.call("deleteModifier", "DeleteModifierInput", name="theme")
    assert codes(needed) == {"UNRESOLVABLE_REFERENCE"}  # button.bg needs accent.fg
    assert {p["path"] for p in needed["problems"]} == {"button.bg"}
    missing = writer.call("renameModifier", "RenameModifierInput", name="nope", newName="x")
    assert (missing["__typename"], missing["kind"]) == ("NotFound", "modifier")
    bad_ctx = writer.call(
        "setModifierDefault", "SetModifierDefaultInput", name="theme", context="sepia"
    )
    assert (bad_ctx["__typename"], bad_ctx["kind"]) == ("NotFound", "context")
    unchanged(writer, before)


def test_context_lifecycle(writer: Writer) -> None:
    dim = [{"modifier": "theme", "context": "dim"}]
    made = writer.call(
        "createContext", "CreateContextInput", modifier="theme", name="dim", copyFrom="dark"
    )
    assert made["__typename"] == "ModifierSuccess", made
    assert {c["layer"] for c in made["changes"]} == {"theme:dim"}
    assert writer.all_tokens(dim) == writer.all_tokens(DARK)
    renamed = writer.call(
        "renameContext", "RenameContextInput", modifier="theme", name="dim", newName="dimmed"
    )
    assert "dimmed" in [c["name"] for c in renamed["modifier"]["contexts"]]
    dimmed = [{"modifier": "theme", "context": "dimmed"}]
    assert writer.resolved("accent.fg", dimmed) == "#d1242f"
    deleted = writer.call("deleteContext", "DeleteContextInput", modifier="theme", name="dimmed")
    assert deleted["__typename"] == "ModifierSuccess", deleted
    assert {c["after"] is None for c in deleted["changes"]} == {True}
    assert [c["name"] for c in deleted["modifier"]["contexts"]] == ["dark", "light"]


def test_context_refusals(writer: Writer) -> None:
    before = state(writer)
    default = writer.call("deleteContext", "DeleteContextInput", modifier="theme", name="light")
    assert codes(default) == {"INVALID_INPUT"}
    taken = writer.call("createContext", "CreateContextInput", modifier="theme", name="dark")
    assert taken["__typename"] == "Conflict"
    no_source = writer.call(
        "createContext", "CreateContextInput", modifier="theme", name="dim", copyFrom="sepia"
    )
    assert (no_source["__typename"], no_source["kind"]) == ("NotFound", "context")
    missing = writer.call(
        "renameContext", "RenameContextInput", modifier="theme", name="sepia", newName="x"
    )
    assert missing["__typename"] == "NotFound"
    unchanged(writer, before)


# -- optimistic concurrency --------------------------------------------------------------


def test_a_stale_expected_revision_is_a_conflict(writer: Writer) -> None:
    seen = writer.revision()
    first = writer.call(
        "updateToken",
        "UpdateTokenInput",
        path="color.gray.1",
        value="#dddddd",
        expectedRevision=seen,
    )
    assert first["revision"] == seen + 1
    before = state(writer)
    stale = writer.call(
        "updateToken",
        "UpdateTokenInput",
        path="color.gray.1",
        value="#cccccc",
        expectedRevision=seen,
    )
    assert stale == {
        "__typename": "Conflict",
        "code": "STALE_REVISION",
        "currentRevision": seen + 1,
        "message": stale["message"],
    }
    unchanged(writer, before)
    retried = writer.call(
        "updateToken",
        "UpdateTokenInput",
        path="color.gray.1",
        value="#cccccc",
        expectedRevision=stale["currentRevision"],
    )
    assert retried["__typename"] == "TokenSuccess"


# -- change log ------------------------------------------------------------------------


def test_changes_lists_writes_after_a_revision_page_by_page(writer: Writer) -> None:
    start = writer.revision()
    for value in ("#111111", "#222222", "#333333"):
        writer.call("updateToken", "UpdateTokenInput", path="color.gray.1", value=value)
    query = (
        "query($s: Int!, $a: String) { changes(since: $s, first: 2, after: $a) "
        "{ totalCount edges { cursor node { revision path before after author message } } "
        "pageInfo { hasNextPage endCursor } } }"
    )
    page = writer.read(query, {"s": start})["changes"]
    assert page["totalCount"] == 3
    assert page["pageInfo"]["hasNextPage"]
    rest = writer.read(query, {"s": start, "a": page["pageInfo"]["endCursor"]})["changes"]
    assert not rest["pageInfo"]["hasNextPage"]
    nodes = [e["node"] for e in page["edges"] + rest["edges"]]
    assert [n["revision"] for n in nodes] == [start + 1, start + 2, start + 3]
    assert [n["after"]["$value"] for n in nodes] == ["#111111", "#222222", "#333333"]
    assert [n["before"]["$value"] for n in nodes] == ["#eeeeee", "#111111", "#222222"]
    assert {n["author"] for n in nodes} == {"designer"}
    assert nodes[0]["message"] == "update color.gray.1 in base"
    bad = writer.post('{ changes(after: "nonsense") { totalCount } }')
    assert bad["errors"][0]["extensions"]["code"] == "INVALID_CURSOR"


def test_the_payload_token_is_resolved_only_when_selected(app: Flask, writer: Writer) -> None:
    from graphql_api.store import db  # noqa: PLC0415
    from tests.helpers import count_statements  # noqa: PLC0415

    def statements(selection: str, value: str) -> int:
        query = (
            'mutation($v: JSON!) { updateToken(input: {path: "color.gray.1", value: $v}) '
            f"{{ __typename ... on TokenSuccess {{ revision {selection} }} }} }}"
        )
        with count_statements(db.get_engine(app)) as log:
            result = writer.post(query, {"v": value})
        assert result["data"]["updateToken"]["__typename"] == "TokenSuccess", result
        return len(log)

    without = statements("", "#111111")
    with_token = statements("token { resolvedValue }", "#222222")
    assert with_token > without  # the new revision's theme is loaded only for `token`
    data = writer.post(
        'mutation { updateToken(input: {path: "color.gray.1", value: "#333333"})'
        " { ... on TokenSuccess { token { path resolvedValue } } } }"
    )
    assert data["data"]["updateToken"]["token"] == {
        "path": "color.gray.1",
        "resolvedValue": "#333333",
    }

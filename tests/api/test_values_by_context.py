"""``Token.valuesByContext(modifier:)``: a token in every context of a modifier, in one field.

On Primer, every token's value in each of the 14 ``theme`` contexts must equal the oracle
file of that theme (Style Dictionary 5.5.5, cross-checked; pointer ``fine``), and with
``pointer: coarse`` the ``light`` entry must equal ``light--pointer-coarse.json``. On a small
themed set written here: releases are read as released, unknown modifiers are refused.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pytest

from tests.helpers import PRIMER_ORACLE, canonical, data_of, load_oracle
from tests.writing import DARK, Writer, import_mini, make_key

if TYPE_CHECKING:
    from flask import Flask

    from tests.api.conftest import SharedDB

ALL_BY_THEME = """
query($theme: [ThemeSelection!]) {
  tokens(theme: $theme) {
    edges { node { path valuesByContext(modifier: "THEME") {
      modifier context resolvedValue token { path type } } } }
  }
}
"""
ORACLE_INDEX: dict[str, dict[str, str]] = json.loads(
    (PRIMER_ORACLE / "index.json").read_text(encoding="utf-8")
)


def _oracle_for(theme: str, pointer: str) -> dict[str, dict[str, Any]]:
    name = next(f for f, sel in ORACLE_INDEX.items() if sel == {"theme": theme, "pointer": pointer})
    return load_oracle(PRIMER_ORACLE / name)


def test_every_primer_token_in_every_theme_equals_the_oracle(primer: SharedDB) -> None:
    edges = data_of(primer.gql(ALL_BY_THEME))["tokens"]["edges"]
    themes = [k["theme"] for k in ORACLE_INDEX.values() if k["pointer"] == "fine"]
    assert len(themes) == 14
    oracles = {t: _oracle_for(t, "fine") for t in themes}
    problems: list[str] = []
    for edge in edges:
        node = edge["node"]
        entries = node["valuesByContext"]
        # Every context of the modifier, in document order, named as the document spells it.
        assert [e["context"] for e in entries] == themes, node["path"]
        assert {e["modifier"] for e in entries} == {"theme"}
        for entry in entries:
            want = oracles[entry["context"]][node["path"]]
            assert entry["token"] == {"path": node["path"], "type": want["type"]}
            if canonical(entry["resolvedValue"]) != canonical(want["value"]):
                problems.append(
                    f"{node['path']} in {entry['context']}: "
                    f"{entry['resolvedValue']!r} != {want['value']!r}"
                )
    assert len(edges) == len(oracles["light"]) == 1_488
    assert problems == []


def test_other_modifiers_keep_the_context_the_token_was_read_in(primer: SharedDB) -> None:
    fine, coarse = _oracle_for("light", "fine"), _oracle_for("light", "coarse")
    differs = sorted(
        p for p in fine if canonical(fine[p]["value"]) != canonical(coarse[p]["value"])
    )
    assert differs, "the oracles of pointer fine and coarse should differ somewhere"
    query = """query($p: String!) {
      token(path: $p, theme: [{modifier: "pointer", context: "coarse"}]) {
        valuesByContext(modifier: "theme") { context resolvedValue } } }"""
    for path in differs[:5]:
        entries = data_of(primer.gql(query, {"p": path}))["token"]["valuesByContext"]
        light = next(e for e in entries if e["context"] == "light")
        assert canonical(light["resolvedValue"]) == canonical(coarse[path]["value"]), path


def test_typed_values_equal_a_direct_read_in_each_context(primer: SharedDB) -> None:
    typed = "value { __typename ... on ColorValue { hex css } }"
    across = data_of(
        primer.gql(
            f'{{ token(path: "fgColor.default") {{ valuesByContext(modifier: "theme") '
            f"{{ context {typed} }} }} }}"
        )
    )["token"]["valuesByContext"]
    assert len(across) == 14
    for entry in across:
        direct = data_of(
            primer.gql(
                f'query($t: [ThemeSelection!]) {{ token(path: "fgColor.default", theme: $t) '
                f"{{ {typed} }} }}",
                {"t": [{"modifier": "theme", "context": entry["context"]}]},
            )
        )["token"]
        assert entry["value"] == direct["value"]
        assert entry["value"]["__typename"] == "ColorValue"
    light = next(e for e in across if e["context"] == "light")
    dark = next(e for e in across if e["context"] == "dark")
    assert light["value"]["hex"] != dark["value"]["hex"]


@pytest.fixture
def writer(app: Flask) -> Writer:
    """A client with a write key, on a database holding the tests' MINI set (light, dark)."""
    w = Writer(app.test_client(), make_key(app, "designer", "write"))
    import_mini(w)
    return w


def test_an_unknown_modifier_is_an_error_listing_the_valid_ones(writer: Writer) -> None:
    result = writer.post(
        '{ token(path: "accent.fg") { valuesByContext(modifier: "mode") { context } } }'
    )
    assert result["data"] == {"token": None}
    [error] = result["errors"]
    assert error["extensions"]["code"] == "UNKNOWN_MODIFIER"
    assert "'mode'" in error["message"]
    assert "theme" in error["message"]


def test_a_token_missing_in_a_context_gives_null_there(writer: Writer) -> None:
    # A token that only the dark context defines.
    made = writer.call(
        "createToken",
        "CreateTokenInput",
        path="accent.only",
        type="color",
        value="#123456",
        context={"modifier": "theme", "context": "dark"},
    )
    assert made["__typename"] == "TokenSuccess", made
    data = writer.read(
        '{ token(path: "accent.only", theme: [{modifier: "theme", '
        'context: "dark"}]) { valuesByContext(modifier: "theme") '
        "{ context resolvedValue token { path } value { __typename } } } }"
    )
    entries = data["token"]["valuesByContext"]
    order = writer.read("{ modifiers { contexts { name } } }")["modifiers"][0]["contexts"]
    assert [e["context"] for e in entries] == [c["name"] for c in order]
    assert {e["context"]: e for e in entries} == {
        "light": {"context": "light", "resolvedValue": None, "token": None, "value": None},
        "dark": {
            "context": "dark",
            "resolvedValue": "#123456",
            "token": {"path": "accent.only"},
            "value": {"__typename": "ColorValue"},
        },
    }


def test_a_release_is_read_as_released(writer: Writer) -> None:
    made = writer.call("createRelease", "CreateReleaseInput", name="1.0.0", notes="")
    assert made["__typename"] == "ReleaseSuccess", made
    edit = writer.call(
        "updateToken",
        "UpdateTokenInput",
        path="accent.fg",
        value="#00ff00",
        context={"modifier": "theme", "context": "dark"},
    )
    assert edit["__typename"] == "TokenSuccess", edit
    query = """query($r: String) { token(path: "accent.fg", release: $r) {
        valuesByContext(modifier: "theme") { context resolvedValue } } }"""
    now = writer.read(query)["token"]["valuesByContext"]
    then = writer.read(query, {"r": "1.0.0"})["token"]["valuesByContext"]
    assert {e["context"]: e["resolvedValue"] for e in now} == {
        "light": "#0969da",
        "dark": "#00ff00",
    }
    assert {e["context"]: e["resolvedValue"] for e in then} == {
        "light": "#0969da",
        "dark": "#d1242f",
    }
    assert writer.resolved("accent.fg", DARK, release="1.0.0") == "#d1242f"

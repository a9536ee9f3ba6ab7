"""The read API: modifiers, token by path, themes, typed values, pagination, filters, HTTP.

Expected values come from the source files, the oracle files and the DTCG / CSS / GraphQL
rules, worked out by hand; none is copied from the server's output.
"""

from __future__ import annotations

import json
import math
from typing import TYPE_CHECKING, Any

import pytest

from graphql_api import create_app
from graphql_api.store import db
from tests.api.conftest import shared_import
from tests.conftest import _BACKENDS
from tests.helpers import (
    PRIMER,
    PRIMER_ORACLE,
    SMALL_ORACLE,
    data_of,
    load_oracle,
    natural_order,
)
from tests.helpers import gql as post_gql

if TYPE_CHECKING:
    from collections.abc import Iterator

    from tests.api.conftest import Gql, SharedDB

SMALL = load_oracle(SMALL_ORACLE / "default.json")
PRIMER_LIGHT = load_oracle(PRIMER_ORACLE / "light.json")
PRIMER_DARK = load_oracle(PRIMER_ORACLE / "dark.json")
PRIMER_COARSE = load_oracle(PRIMER_ORACLE / "light--pointer-coarse.json")
PRIMER_DOC = json.loads(PRIMER.read_text(encoding="utf-8"))

BY_PATH = """
query Token($path: String!, $theme: [ThemeSelection!]) {
  token(path: $path, theme: $theme) {
    path name type description rawValue resolvedValue extensions
    deprecated { reason }
    aliasOf { path }
    aliasChain { path }
    referencedBy { path }
  }
}
"""

VALUE_QUERY = """
query Value($path: String!, $theme: [ThemeSelection!]) {
  token(path: $path, theme: $theme) {
    type
    value {
      __typename
      ... on ColorValue { colorSpace components alpha hex css }
      ... on DimensionValue { value unit px rem css }
      ... on DurationValue { value unit ms css }
      ... on CubicBezierValue { x1 y1 x2 y2 css }
      ... on FontWeightValue { weight css }
      ... on FontFamilyValue { families css }
      ... on NumberValue { value css }
      ... on StrokeStyleValue { keyword lineCap dashArray { value unit px rem css } css }
      ... on BorderValue {
        css color { hex } width { px css } style { keyword css dashArray { px rem css } }
      }
      ... on TransitionValue {
        css duration { ms css } delay { ms css } timingFunction { x1 y1 x2 y2 css }
      }
      ... on ShadowValue {
        css
        layers {
          css inset color { hex } offsetX { px } offsetY { px } blur { px } spread { px }
        }
      }
      ... on TypographyValue {
        css fontFamily { css } fontSize { px rem css } fontWeight { weight }
        letterSpacing { px } lineHeight
      }
      ... on UnknownValue { json css }
    }
  }
}
"""

PAGE_QUERY = """
query Page($first: Int, $after: String, $filter: TokenFilter) {
  tokens(first: $first, after: $after, filter: $filter) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { path } }
  }
}
"""


def theme(**selection: str) -> list[dict[str, str]]:
    """``theme(theme="dark")`` → ``[{"modifier": "theme", "context": "dark"}]``."""
    return [{"modifier": m, "context": c} for m, c in selection.items()]


def token(gql: Gql, path: str, query: str = BY_PATH, **variables: Any) -> Any:
    return data_of(gql(query, {"path": path, **variables}))["token"]


def value(gql: Gql, path: str, **variables: Any) -> Any:
    tok = token(gql, path, VALUE_QUERY, **variables)
    assert tok is not None, path
    return tok["value"]


def paths(tok: dict[str, Any], field: str) -> list[str]:
    return [t["path"] for t in tok[field]]


def single_error(result: dict[str, Any]) -> Any:
    assert len(result.get("errors") or []) == 1, result
    return result["errors"][0]


# --------------------------------------------------------------------------- modifiers


def test_no_modifiers_in_a_document_without_them(example: SharedDB) -> None:
    assert data_of(example.gql("{ modifiers { name } }")) == {"modifiers": []}


def test_modifiers_names_defaults_and_contexts_in_order(primer: SharedDB) -> None:
    # Expected straight from the resolver document: resolutionOrder, then each modifier's
    # contexts in document order and its default.
    order = [item["$ref"].split("/")[-1] for item in PRIMER_DOC["resolutionOrder"]]
    expected = [
        {
            "name": name,
            "default": PRIMER_DOC["modifiers"][name]["default"],
            "description": PRIMER_DOC["modifiers"][name]["description"],
            "contexts": [{"name": c} for c in PRIMER_DOC["modifiers"][name]["contexts"]],
        }
        for name in order
        if name in PRIMER_DOC["modifiers"]
    ]
    assert [m["name"] for m in expected] == ["pointer", "theme"]
    got = data_of(primer.gql("{ modifiers { name default description contexts { name } } }"))
    assert got["modifiers"] == expected
    assert len(got["modifiers"][1]["contexts"]) == 14


# --------------------------------------------------------------------------- token by path


def test_plain_token(example: SharedDB) -> None:
    tok = token(example.gql, "colors.orange.600")
    assert tok == {
        "path": "colors.orange.600",
        "name": "600",
        "type": "color",  # inherited from the group "colors"
        "description": None,
        "rawValue": "#dd6b20",
        "resolvedValue": "#dd6b20",
        "extensions": None,
        "deprecated": None,
        "aliasOf": None,
        "aliasChain": [],
        "referencedBy": [{"path": "borders.wireframe"}],
    }


def test_alias_raw_resolved_and_typed_value(example: SharedDB) -> None:
    # text.json: "heading": {"$value": "{dimensions.7}"}; dimensions.json: "7": "28px".
    tok = token(example.gql, "text.sizes.heading")
    assert tok["rawValue"] == "{dimensions.7}"
    assert tok["resolvedValue"] == "28px" == SMALL["dimensions.7"]["value"]
    assert tok["type"] == SMALL["text.sizes.heading"]["type"] == "dimension"
    assert tok["aliasOf"] == {"path": "dimensions.7"}
    assert paths(tok, "aliasChain") == ["dimensions.7"]
    assert paths(tok, "referencedBy") == ["text.typography.heading"]
    assert value(example.gql, "text.sizes.heading") == {
        "__typename": "DimensionValue",
        "value": 28,
        "unit": "px",
        "px": 28,
        "rem": 1.75,
        "css": "28px",
    }


def test_referenced_by_lists_direct_referrers_in_path_order(example: SharedDB) -> None:
    # Every value (also composite ones) that contains {dimensions.7} or {colors.black}.
    assert paths(token(example.gql, "dimensions.7"), "referencedBy") == [
        "composite-examples.typography.heading",
        "text.sizes.heading",
    ]
    assert paths(token(example.gql, "colors.black"), "referencedBy") == [
        "borders.heavy",
        "shadows.lg",
        "shadows.sm",
    ]
    # shadows.multi references shadows.sm (not colors.black directly).
    assert paths(token(example.gql, "shadows.sm"), "referencedBy") == ["shadows.multi"]


CHAINS = {
    "color": {
        "$type": "color",
        "base": {"$value": "#336699", "$description": "The base"},
        "brand": {"$value": "{color.base}"},
        "accent": {"$value": "{color.brand}", "$extensions": {"com.example": {"k": [1, "x"]}}},
        "link": {"$value": "{color.accent}"},
    },
    "border": {
        "focus": {
            "$type": "border",
            "$value": {"color": "{color.link}", "width": "2px", "style": "solid"},
        }
    },
    "old": {
        "$deprecated": "use color.*",
        "a": {"$type": "color", "$value": "{color.base}"},
        "b": {"$type": "color", "$value": "#000000", "$deprecated": False},
    },
    "cur": {"c": {"$type": "color", "$value": "#ffffff", "$deprecated": True}},
}


@pytest.fixture(scope="module", params=_BACKENDS)
def chains(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[SharedDB]:
    """CHAINS as imported, in a database this module's tests share read-only."""
    file = tmp_path_factory.mktemp("chains") / "chains.tokens.json"
    file.write_text(json.dumps(CHAINS), encoding="utf-8")
    yield from shared_import(request, tmp_path_factory, file)


def test_alias_chain_is_nearest_first(chains: SharedDB) -> None:
    link = token(chains.gql, "color.link")
    assert link["rawValue"] == "{color.accent}"
    assert link["resolvedValue"] == "#336699"
    assert link["type"] == "color"
    assert link["aliasOf"] == {"path": "color.accent"}
    assert paths(link, "aliasChain") == ["color.accent", "color.brand", "color.base"]
    assert paths(link, "referencedBy") == ["border.focus"]
    assert paths(token(chains.gql, "color.base"), "referencedBy") == ["color.brand", "old.a"]
    assert paths(token(chains.gql, "color.brand"), "aliasChain") == ["color.base"]


def test_composite_reference_is_not_an_alias(chains: SharedDB) -> None:
    focus = token(chains.gql, "border.focus")
    assert focus["rawValue"] == {"color": "{color.link}", "width": "2px", "style": "solid"}
    assert focus["resolvedValue"] == {"color": "#336699", "width": "2px", "style": "solid"}
    assert focus["aliasOf"] is None
    assert focus["aliasChain"] == []


def test_description_extensions_and_deprecation(chains: SharedDB) -> None:
    gql = chains.gql
    assert token(gql, "color.base")["description"] == "The base"
    assert token(gql, "color.accent")["extensions"] == {"com.example": {"k": [1, "x"]}}
    assert token(gql, "old.a")["deprecated"] == {"reason": "use color.*"}  # from the group
    assert token(gql, "old.b")["deprecated"] is None  # $deprecated: false overrides the group
    assert token(gql, "cur.c")["deprecated"] == {"reason": None}  # true, no reason
    assert token(gql, "color.base")["deprecated"] is None


def test_primer_alias_chain(primer: SharedDB) -> None:
    # focus.json5: outlineColor → {focus.outline-color} → {borderColor.accent.emphasis};
    # borderColor.json5: accent.emphasis → {base.color.blue.5} (not overridden in light).
    tok = token(primer.gql, "focus.outlineColor")
    assert paths(tok, "aliasChain") == [
        "focus.outline-color",
        "borderColor.accent.emphasis",
        "base.color.blue.5",
    ]
    assert tok["aliasOf"] == {"path": "focus.outline-color"}
    assert tok["rawValue"] == "{focus.outline-color}"
    assert tok["resolvedValue"] == PRIMER_LIGHT["base.color.blue.5"]["value"]
    assert tok["deprecated"] == {"reason": "{focus.outline-color}"}
    assert tok["description"] == "Deprecated. Use focus.outline-color instead."


def test_unknown_path_is_null_with_token_not_found(example: SharedDB) -> None:
    result = example.gql(BY_PATH, {"path": "colors.nope"})
    assert result["data"] == {"token": None}
    assert single_error(result)["extensions"]["code"] == "TOKEN_NOT_FOUND"
    group = example.gql(BY_PATH, {"path": "colors"})  # a group, not a token
    assert group["data"] == {"token": None}
    assert single_error(group)["extensions"]["tokenPath"] == "colors"


# --------------------------------------------------------------------------- themes


def test_unknown_modifier_names_it_and_lists_valid_ones(primer: SharedDB) -> None:
    result = primer.gql(BY_PATH, {"path": "fgColor.default", "theme": theme(colour="dark")})
    assert result["data"] == {"token": None}
    error = single_error(result)
    assert error["extensions"]["code"] == "UNKNOWN_MODIFIER"
    assert "colour" in error["message"]
    for name in ("pointer", "theme"):
        assert name in error["message"]
    assert error["path"] == ["token"]


def test_unknown_context_names_it_and_lists_valid_ones(primer: SharedDB) -> None:
    result = primer.gql(BY_PATH, {"path": "fgColor.default", "theme": theme(theme="sepia")})
    assert result["data"] == {"token": None}
    error = single_error(result)
    assert error["extensions"]["code"] == "UNKNOWN_CONTEXT"
    assert "sepia" in error["message"]
    for context in PRIMER_DOC["modifiers"]["theme"]["contexts"]:
        assert context in error["message"]


def test_unknown_modifier_on_tokens_too(primer: SharedDB) -> None:
    result = primer.gql(
        "query($t: [ThemeSelection!]) { tokens(theme: $t) { totalCount } }",
        {"t": theme(pointer="touch")},
    )
    error = single_error(result)
    assert error["extensions"]["code"] == "UNKNOWN_CONTEXT"
    assert "touch" in error["message"]
    assert "fine" in error["message"]
    assert "coarse" in error["message"]


def test_unknown_modifier_in_a_document_without_modifiers(example: SharedDB) -> None:
    result = example.gql(BY_PATH, {"path": "colors.black", "theme": theme(mode="dark")})
    error = single_error(result)
    assert error["extensions"]["code"] == "UNKNOWN_MODIFIER"
    assert "mode" in error["message"]


def test_modifier_named_twice_is_an_error(primer: SharedDB) -> None:
    selection = [*theme(theme="dark"), *theme(THEME="light")]
    result = primer.gql(BY_PATH, {"path": "fgColor.default", "theme": selection})
    assert single_error(result)["extensions"]["code"] == "DUPLICATE_MODIFIER"


def _resolved(primer: SharedDB, path: str, selection: list[dict[str, str]] | None) -> Any:
    return token(primer.gql, path, theme=selection)["resolvedValue"]


def test_modifiers_not_named_take_their_default(primer: SharedDB) -> None:
    # Defaults (resolver document): theme=light, pointer=fine.
    assert PRIMER_LIGHT["fgColor.default"] != PRIMER_DARK["fgColor.default"]
    assert PRIMER_LIGHT["control.minTarget.auto"] != PRIMER_COARSE["control.minTarget.auto"]
    light, dark = PRIMER_LIGHT["fgColor.default"]["value"], PRIMER_DARK["fgColor.default"]["value"]
    fine = PRIMER_LIGHT["control.minTarget.auto"]["value"]
    coarse = PRIMER_COARSE["control.minTarget.auto"]["value"]
    assert _resolved(primer, "fgColor.default", None) == light
    assert _resolved(primer, "fgColor.default", []) == light
    assert _resolved(primer, "fgColor.default", theme(pointer="coarse")) == light
    assert _resolved(primer, "fgColor.default", theme(theme="dark")) == dark
    assert _resolved(primer, "control.minTarget.auto", theme(theme="dark")) == fine
    assert _resolved(primer, "control.minTarget.auto", theme(pointer="coarse")) == coarse
    both = theme(theme="light", pointer="coarse")
    assert _resolved(primer, "control.minTarget.auto", both) == coarse


def test_theme_input_is_case_insensitive(primer: SharedDB) -> None:
    dark = PRIMER_DARK["fgColor.default"]["value"]
    assert _resolved(primer, "fgColor.default", theme(THEME="Dark")) == dark
    assert _resolved(primer, "fgColor.default", theme(Theme="DARK")) == dark
    coarse = PRIMER_COARSE["control.minTarget.auto"]["value"]
    assert _resolved(primer, "control.minTarget.auto", theme(POINTER="Coarse")) == coarse


def test_one_request_can_ask_for_several_themes(primer: SharedDB) -> None:
    query = """
    query($a: [ThemeSelection!], $b: [ThemeSelection!]) {
      light: token(path: "fgColor.default", theme: $a) { resolvedValue }
      dark: token(path: "fgColor.default", theme: $b) { resolvedValue }
    }"""
    got = data_of(primer.gql(query, {"a": theme(theme="light"), "b": theme(theme="dark")}))
    assert got["light"]["resolvedValue"] == PRIMER_LIGHT["fgColor.default"]["value"]
    assert got["dark"]["resolvedValue"] == PRIMER_DARK["fgColor.default"]["value"]


def test_string_interpolation(primer: SharedDB) -> None:
    # viewport.json5: "regular": "(min-width: {breakpoint.medium})"; breakpoints.json5:
    # medium = {value: 768, unit: px} → its CSS text "768px" is put into the string.
    tok = token(primer.gql, "viewportRange.regular")
    assert tok["rawValue"] == "(min-width: {breakpoint.medium})"
    assert tok["resolvedValue"] == "(min-width: 768px)"
    assert tok["resolvedValue"] == PRIMER_LIGHT["viewportRange.regular"]["value"]
    assert tok["type"] == "custom-viewportRange"
    assert tok["aliasOf"] is None  # part of a string: a reference, not an alias
    assert tok["aliasChain"] == []
    referrers = paths(token(primer.gql, "breakpoint.medium"), "referencedBy")
    assert "viewportRange.regular" in referrers
    for path in ("viewportRange.narrow", "viewportRange.wide", "boxShadow.thin"):
        assert token(primer.gql, path)["resolvedValue"] == PRIMER_LIGHT[path]["value"]


# --------------------------------------------------------------------------- typed values


def _srgb(hex_: str) -> list[float]:
    return [int(hex_[i : i + 2], 16) / 255 for i in (1, 3, 5)]


def test_color_value_from_a_hex_string(example: SharedDB) -> None:
    got = value(example.gql, "colors.orange.600")  # "#dd6b20"
    assert got["__typename"] == "ColorValue"
    assert got["colorSpace"] == "srgb"
    assert got["components"] == pytest.approx(_srgb("#dd6b20"))
    assert got["alpha"] == 1
    assert got["hex"] == "#dd6b20"
    assert got["css"] == "#dd6b20"


def test_color_value_from_a_color_object(primer: SharedDB) -> None:
    # ansi.blackBright: {colorSpace: hsl, components: [212.3, 10.2, 24.9], hex: "#393F46"}
    source = PRIMER_LIGHT["ansi.blackBright"]["value"]
    got = value(primer.gql, "ansi.blackBright")
    assert got["__typename"] == "ColorValue"
    assert got["colorSpace"] == source["colorSpace"] == "hsl"
    assert got["components"] == pytest.approx(source["components"])
    assert got["alpha"] == 1
    assert got["hex"] == source["hex"].lower() == "#393f46"  # hex is lower case
    assert got["css"] in ("#393f46", "hsl(212.3 10.2% 24.9%)", "hsl(212.3, 10.2%, 24.9%)")


def test_dimension_value_px(example: SharedDB) -> None:
    assert value(example.gql, "dimensions.max") == {
        "__typename": "DimensionValue",
        "value": 9999,
        "unit": "px",
        "px": 9999,
        "rem": 9999 / 16,
        "css": "9999px",
    }


def test_dimension_value_rem(primer: SharedDB) -> None:
    # typography.json5: base.text.size.sm = {value: 0.875, unit: rem}; root size 16 px.
    assert value(primer.gql, "base.text.size.sm") == {
        "__typename": "DimensionValue",
        "value": 0.875,
        "unit": "rem",
        "px": 0.875 * 16,
        "rem": 0.875,
        "css": "0.875rem",
    }


def test_duration_value(example: SharedDB) -> None:
    assert value(example.gql, "transitions.durations.medium") == {
        "__typename": "DurationValue",
        "value": 300,
        "unit": "ms",
        "ms": 300,
        "css": "300ms",
    }


def test_cubic_bezier_value(example: SharedDB) -> None:
    assert value(example.gql, "transitions.easingFunctions.accelerate") == {
        "__typename": "CubicBezierValue",
        "x1": 0.5,
        "y1": 0,
        "x2": 1,
        "y2": 1,
        "css": "cubic-bezier(0.5, 0, 1, 1)",
    }


@pytest.mark.parametrize(
    ("path", "weight"),
    # DTCG Format §8.4 name table: thin 100, regular 400, extra-bold 800.
    [("text.weights.light", 100), ("text.weights.regular", 400), ("text.weights.bold", 800)],
)
def test_font_weight_value(example: SharedDB, path: str, weight: int) -> None:
    assert value(example.gql, path) == {
        "__typename": "FontWeightValue",
        "weight": weight,
        "css": str(weight),
    }


def test_font_family_and_number_values(example: SharedDB) -> None:
    fam = value(example.gql, "text.fonts.sans")
    assert fam["__typename"] == "FontFamilyValue"
    assert fam["css"] == "Open Sans, sans-serif"
    assert ", ".join(fam["families"]) == "Open Sans, sans-serif"
    assert value(example.gql, "text.lineHeights.large") == {
        "__typename": "NumberValue",
        "value": 1.8,
        "css": "1.8",
    }


def test_typography_value(example: SharedDB) -> None:
    # text.typography.heading: sans, extra-bold, {text.sizes.heading} = 28px, line height 1.8.
    got = value(example.gql, "text.typography.heading")
    assert got == {
        "__typename": "TypographyValue",
        "fontFamily": {"css": "Open Sans, sans-serif"},
        "fontSize": {"px": 28, "rem": 1.75, "css": "28px"},
        "fontWeight": {"weight": 800},
        "letterSpacing": None,
        "lineHeight": 1.8,
        # CSS `font` shorthand: weight size/line-height family
        "css": "800 28px/1.8 Open Sans, sans-serif",
    }


def test_shadow_value_layers(example: SharedDB) -> None:
    # shadows.multi = [{shadows.sm}, {shadows.lg}]: black, x 0, y 4 / 8, blur 12 / 16, no spread.
    got = value(example.gql, "shadows.multi")
    assert got["__typename"] == "ShadowValue"
    layer = {"inset": False, "color": {"hex": "#000000"}, "offsetX": {"px": 0}, "spread": {"px": 0}}
    assert got["layers"] == [
        {**layer, "offsetY": {"px": 4}, "blur": {"px": 12}, "css": "0px 4px 12px 0px #000000"},
        {**layer, "offsetY": {"px": 8}, "blur": {"px": 16}, "css": "0px 8px 16px 0px #000000"},
    ]
    assert got["css"] == "0px 4px 12px 0px #000000, 0px 8px 16px 0px #000000"


def test_inset_shadow_value(primer: SharedDB) -> None:
    # button.danger.shadow.selected: one inset layer, y 1px, colour #4c0014.
    source = PRIMER_LIGHT["button.danger.shadow.selected"]["value"]
    got = value(primer.gql, "button.danger.shadow.selected")
    assert got["__typename"] == "ShadowValue"
    assert len(got["layers"]) == len(source) == 1
    (layer,) = got["layers"]
    assert layer["inset"] is True
    assert layer["color"]["hex"] == source[0]["color"]["hex"]
    assert layer["offsetY"] == {"px": 1}
    assert layer["css"].startswith("inset ")


def test_border_and_stroke_style_values(example: SharedDB) -> None:
    assert value(example.gql, "borders.heavy") == {
        "__typename": "BorderValue",
        "color": {"hex": "#000000"},
        "width": {"px": 4, "css": "4px"},
        "style": {"keyword": "solid", "css": "solid", "dashArray": []},
        "css": "4px solid #000000",  # CSS `border` shorthand: width style colour
    }
    dashed = value(example.gql, "borders.styles.dashed")  # dashArray ["0.5rem", "0.25rem"], round
    assert dashed["__typename"] == "StrokeStyleValue"
    assert dashed["keyword"] is None
    assert dashed["lineCap"] == "round"
    assert dashed["dashArray"] == [
        {"value": 0.5, "unit": "rem", "px": 8, "rem": 0.5, "css": "0.5rem"},
        {"value": 0.25, "unit": "rem", "px": 4, "rem": 0.25, "css": "0.25rem"},
    ]
    wire = value(example.gql, "borders.wireframe")
    assert wire["color"] == {"hex": "#dd6b20"}
    assert wire["width"] == {"px": 8, "css": "8px"}
    assert [d["px"] for d in wire["style"]["dashArray"]] == [8, 4]


def test_transition_value(example: SharedDB) -> None:
    got = value(example.gql, "transitions.emphasis")  # 300ms, delay 0ms, accelerate
    assert got["__typename"] == "TransitionValue"
    assert got["duration"] == {"ms": 300, "css": "300ms"}
    assert got["delay"] == {"ms": 0, "css": "0ms"}
    assert got["timingFunction"] == {
        "x1": 0.5,
        "y1": 0,
        "x2": 1,
        "y2": 1,
        "css": "cubic-bezier(0.5, 0, 1, 1)",
    }
    # CSS `transition` shorthand: duration timing-function delay
    assert got["css"] == "300ms cubic-bezier(0.5, 0, 1, 1) 0ms"


def test_unknown_value_for_a_custom_type(primer: SharedDB) -> None:
    # border.json5 (functional/size): boxShadow.thin = "inset 0 0 0 {borderWidth.thin}"
    assert PRIMER_LIGHT["boxShadow.thin"] == {"type": "custom-string", "value": "inset 0 0 0 1px"}
    got = value(primer.gql, "boxShadow.thin")
    assert got == {
        "__typename": "UnknownValue",
        "json": "inset 0 0 0 1px",
        "css": "inset 0 0 0 1px",
    }


VALUE_TYPES = {
    "color": "ColorValue",
    "dimension": "DimensionValue",
    "duration": "DurationValue",
    "cubicBezier": "CubicBezierValue",
    "fontWeight": "FontWeightValue",
    "fontFamily": "FontFamilyValue",
    "number": "NumberValue",
    "border": "BorderValue",
    "strokeStyle": "StrokeStyleValue",
    "transition": "TransitionValue",
    "shadow": "ShadowValue",
    "typography": "TypographyValue",
    "custom-string": "UnknownValue",
    "custom-viewportRange": "UnknownValue",
}


def _wrong_value_types(result: dict[str, Any]) -> list[tuple[str, str, str]]:
    return [
        (e["node"]["path"], e["node"]["type"], e["node"]["value"]["__typename"])
        for e in data_of(result)["tokens"]["edges"]
        if VALUE_TYPES[e["node"]["type"]] != e["node"]["value"]["__typename"]
    ]


ALL_VALUE_TYPES = "{ tokens { edges { node { path type value { __typename } } } } }"


def test_every_small_example_type_has_its_value_type(example: SharedDB) -> None:
    wrong = _wrong_value_types(example.gql(ALL_VALUE_TYPES))
    assert not wrong, f"{len(wrong)} tokens with the wrong value type: {wrong[:20]}"


def test_every_primer_type_has_its_value_type(primer: SharedDB) -> None:
    wrong = _wrong_value_types(primer.gql(ALL_VALUE_TYPES))
    assert not wrong, f"{len(wrong)} tokens with the wrong value type: {wrong[:20]}"


# --------------------------------------------------------------------------- pagination


def _walk(gql: Gql, first: int, flt: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    pages, after = [], None
    for _ in range(1000):
        conn = data_of(gql(PAGE_QUERY, {"first": first, "after": after, "filter": flt}))["tokens"]
        pages.append(conn)
        if not conn["pageInfo"]["hasNextPage"]:
            return pages
        after = conn["pageInfo"]["endCursor"]
    pytest.fail("pagination does not end")


@pytest.mark.parametrize("first", [1, 10, 55, 56, 100])
def test_first_after_walk_the_whole_list(example: SharedDB, first: int) -> None:
    pages = _walk(example.gql, first)
    assert len(pages) == math.ceil(56 / first)
    seen = [e["node"]["path"] for p in pages for e in p["edges"]]
    assert seen == natural_order(SMALL)  # path order, every token once: no duplicates, no gaps
    for i, page in enumerate(pages):
        edges, info = page["edges"], page["pageInfo"]
        assert page["totalCount"] == 56
        assert len(edges) == (first if i < len(pages) - 1 else 56 - first * (len(pages) - 1))
        assert info["hasNextPage"] == (i < len(pages) - 1)
        assert info["hasPreviousPage"] == (i > 0)
        assert info["startCursor"] == edges[0]["cursor"]
        assert info["endCursor"] == edges[-1]["cursor"]


def test_page_after_the_last_cursor_is_empty(example: SharedDB) -> None:
    last = _walk(example.gql, 56)[-1]["pageInfo"]["endCursor"]
    conn = data_of(example.gql(PAGE_QUERY, {"first": 10, "after": last}))["tokens"]
    assert conn["edges"] == []
    assert conn["totalCount"] == 56
    assert conn["pageInfo"] == {
        "hasNextPage": False,
        "hasPreviousPage": True,
        "startCursor": None,
        "endCursor": None,
    }


def test_first_zero_is_an_empty_page(example: SharedDB) -> None:
    conn = data_of(example.gql(PAGE_QUERY, {"first": 0}))["tokens"]
    assert conn["edges"] == []
    assert conn["totalCount"] == 56
    assert conn["pageInfo"]["hasNextPage"] is True


def test_without_first_one_page_holds_everything(example: SharedDB) -> None:
    conn = data_of(example.gql(PAGE_QUERY, {}))["tokens"]
    assert len(conn["edges"]) == conn["totalCount"] == 56
    assert conn["pageInfo"]["hasNextPage"] is False


@pytest.mark.parametrize("first", [10_001, 1_000_000, -1])
def test_first_out_of_range_is_an_error(example: SharedDB, first: int) -> None:
    result = example.gql(PAGE_QUERY, {"first": first})
    error = single_error(result)
    assert error["extensions"]["code"] == "INVALID_PAGE_SIZE"
    assert "10000" in error["message"]
    assert result["data"] is None  # tokens is non-null: the error nulls the whole data


def test_a_page_of_10000_is_allowed(primer: SharedDB) -> None:
    conn = data_of(primer.gql(PAGE_QUERY, {"first": 10_000}))["tokens"]
    assert len(conn["edges"]) == conn["totalCount"] == 1_488
    assert conn["pageInfo"]["hasNextPage"] is False


def test_invalid_cursor_is_an_error(example: SharedDB) -> None:
    error = single_error(example.gql(PAGE_QUERY, {"first": 5, "after": "%%% not a cursor"}))
    assert error["extensions"]["code"] == "INVALID_CURSOR"


def test_cursors_are_opaque_but_stable(example: SharedDB) -> None:
    one = data_of(example.gql(PAGE_QUERY, {"first": 3}))["tokens"]["edges"]
    # Another request (other variables: no response-cache hit) in another app process on the
    # same database: the same tokens get the same cursors, and a cursor of one process pages
    # on in the other.
    other_app = create_app({"TESTING": True, "DATABASE_URL": example.app.config["DATABASE_URL"]})
    try:
        other = other_app.test_client()
        two = data_of(post_gql(other, PAGE_QUERY, {"first": 5}))["tokens"]["edges"]
        assert [e["cursor"] for e in two[:3]] == [e["cursor"] for e in one]
        assert all(e["cursor"] != e["node"]["path"] for e in one)
        after = data_of(post_gql(other, PAGE_QUERY, {"first": 2, "after": one[2]["cursor"]}))
        assert [e["node"]["path"] for e in after["tokens"]["edges"]] == [
            e["node"]["path"] for e in two[3:5]
        ]
    finally:
        db.get_engine(other_app).dispose()


# --------------------------------------------------------------------------- filters


def _filtered(gql: Gql, flt: dict[str, Any]) -> list[str]:
    conn = data_of(gql(PAGE_QUERY, {"filter": flt}))["tokens"]
    got = [e["node"]["path"] for e in conn["edges"]]
    assert conn["totalCount"] == len(got)
    return got


def test_filter_by_types(example: SharedDB) -> None:
    colors = natural_order(p for p, t in SMALL.items() if t["type"] == "color")
    assert len(colors) == 11  # black, white, orange 100…900
    assert _filtered(example.gql, {"types": ["color"]}) == colors
    timing = natural_order(p for p, t in SMALL.items() if t["type"] in ("duration", "cubicBezier"))
    assert _filtered(example.gql, {"types": ["duration", "cubicBezier"]}) == timing
    assert _filtered(example.gql, {"types": []}) == []
    assert _filtered(example.gql, {"types": ["no-such-type"]}) == []


def test_filter_by_path_prefix_on_whole_segments(example: SharedDB) -> None:
    gql = example.gql
    orange = [f"colors.orange.{n}" for n in range(100, 1000, 100)]
    assert _filtered(gql, {"pathPrefix": "colors.orange"}) == orange
    assert _filtered(gql, {"pathPrefix": "colors"}) == [
        "colors.black",
        *orange,
        "colors.white",
    ]
    assert _filtered(gql, {"pathPrefix": "colors.or"}) == []  # not a whole segment
    assert _filtered(gql, {"pathPrefix": "color"}) == []
    assert _filtered(gql, {"pathPrefix": "colors.black"}) == ["colors.black"]  # the token itself
    # "dimensions.1" is not a prefix of "dimensions.10" … "dimensions.15"
    assert _filtered(gql, {"pathPrefix": "dimensions.1"}) == ["dimensions.1"]


def test_filter_by_deprecated(chains: SharedDB) -> None:
    assert _filtered(chains.gql, {"deprecated": True}) == ["cur.c", "old.a"]
    assert _filtered(chains.gql, {"deprecated": False}) == [
        "border.focus",
        "color.accent",
        "color.base",
        "color.brand",
        "color.link",
        "old.b",
    ]


def test_filters_combine_and_paginate(example: SharedDB) -> None:
    flt = {"types": ["dimension"], "pathPrefix": "dimensions"}
    expected = natural_order(p for p in SMALL if p.startswith("dimensions."))
    assert len(expected) == 17
    pages = _walk(example.gql, 4, flt)
    assert [e["node"]["path"] for p in pages for e in p["edges"]] == expected
    assert {p["totalCount"] for p in pages} == {17}


def test_primer_filters(primer: SharedDB) -> None:
    got = _filtered(primer.gql, {"types": ["custom-string"]})
    assert got == natural_order(p for p, t in PRIMER_LIGHT.items() if t["type"] == "custom-string")
    got = _filtered(primer.gql, {"pathPrefix": "viewportRange"})
    assert got == natural_order(p for p in PRIMER_LIGHT if p.startswith("viewportRange."))


# --------------------------------------------------------------------------- HTTP


def test_get_runs_a_query(example: SharedDB) -> None:
    response = example.client.get(
        "/graphql", query_string={"query": '{ token(path: "colors.white") { resolvedValue } }'}
    )
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.get_json() == {"data": {"token": {"resolvedValue": "#ffffff"}}}


def test_get_with_variables_and_operation_name(example: SharedDB) -> None:
    query = "query A { __typename } query B($p: String!) { token(path: $p) { resolvedValue } }"
    response = example.client.get(
        "/graphql",
        query_string={
            "query": query,
            "variables": json.dumps({"p": "dimensions.2"}),
            "operationName": "B",
        },
    )
    assert response.status_code == 200
    assert response.get_json() == {"data": {"token": {"resolvedValue": "8px"}}}


@pytest.mark.parametrize(
    ("query", "operation_name"),
    [
        ("mutation { __typename }", None),
        ("mutation M { importTokens }", "M"),
        ("query Q { __typename } mutation M { __typename }", "M"),
    ],
)
def test_get_refuses_a_mutation(example: SharedDB, query: str, operation_name: str | None) -> None:
    # GraphQL over HTTP: a GET must not run a mutation; the server answers
    # 405 Method Not Allowed (and says which method is allowed).
    params = {"query": query}
    if operation_name:
        params["operationName"] = operation_name
    response = example.client.get("/graphql", query_string=params)
    assert response.status_code == 405
    assert response.headers["Allow"] == "POST"
    assert "mutation" in response.get_data(as_text=True)


def test_get_with_an_unknown_operation_name_is_refused(example: SharedDB) -> None:
    response = example.client.get(
        "/graphql", query_string={"query": "query A { __typename }", "operationName": "B"}
    )
    assert response.status_code == 400
    assert response.mimetype == "application/json"  # a GraphQL response body, not plain text
    assert response.get_json()["errors"][0]["message"] == 'Unknown operation named "B".'


def test_several_operations_need_an_operation_name(example: SharedDB) -> None:
    result = example.gql("query A { __typename } query B { __typename }")
    assert result.get("data") is None
    assert "errors" in result


def test_post_runs_a_query(example: SharedDB) -> None:
    response = example.client.post(
        "/graphql",
        json={"query": "query($p: String!) { token(path: $p) { path } }", "variables": {"p": "x"}},
    )
    assert response.status_code == 200
    body = response.get_json()
    assert body["data"] == {"token": None}
    assert [e["extensions"]["code"] for e in body["errors"]] == ["TOKEN_NOT_FOUND"]


def test_post_unknown_mutation_is_rejected_by_the_schema(example: SharedDB) -> None:
    # A validation error: the request itself is fine, the field does not exist.
    result = example.gql("mutation { dropEverything }")
    assert result.get("data") is None
    assert "dropEverything" in single_error(result)["message"]


def test_post_with_syntax_and_validation_errors(example: SharedDB) -> None:
    assert "Syntax Error" in single_error(example.gql("{ token("))["message"]
    assert "nope" in single_error(example.gql("{ nope }"))["message"]

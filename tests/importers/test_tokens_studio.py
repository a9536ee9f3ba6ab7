"""Tokens Studio exports → resolver documents (``graphql_api.importers.tokens_studio``).

Expected values are worked out by hand from the fixtures in ``fixtures/``.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pytest

from graphql_api.dtcg import errors as E  # noqa: N812 - the engine's own alias
from graphql_api.dtcg.errors import DTCGErrorGroup
from graphql_api.dtcg.types import normalise
from graphql_api.dtcg.validate import validate_document
from graphql_api.importers import load_tokens_studio
from tests.importers.helpers import FIXTURES, resolve_selection, values

if TYPE_CHECKING:
    from pathlib import Path

FOLDER = FIXTURES / "tokens-studio-folder"
SINGLE = FIXTURES / "tokens-studio-single.json"


def write(path: Path, data: Any) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data) if not isinstance(data, str) else data, encoding="utf-8")
    return path


# --------------------------------------------------------------------------- folder export


def test_folder_structure_base_sets_then_modifiers_by_group() -> None:
    doc = load_tokens_studio(FOLDER)
    assert doc.name == "tokens-studio-folder"
    assert list(doc.sets) == ["core"]  # selected (as source) by every theme
    assert doc.order == [("set", "core"), ("modifier", "Mode"), ("modifier", "Brand")]
    mode, brand = doc.modifiers["Mode"], doc.modifiers["Brand"]
    assert (list(mode.contexts), mode.default) == (["Light", "Dark"], "Light")
    assert (list(brand.contexts), brand.default) == (["Brand A", "Brand B"], "Brand A")
    themes = mode.extensions["studio.tokens"]["themes"]  # type: ignore[index]
    assert [t["id"] for t in themes] == ["5f3c1a0e-mode-light", "5f3c1a0e-mode-dark"]


def test_folder_contexts_hold_only_their_enabled_sets() -> None:
    doc = load_tokens_studio(FOLDER)
    dark = doc.modifiers["Mode"].contexts["Dark"]
    assert {
        t.file.rsplit("/", 2)[-2] + "/" + t.file.rsplit("/", 1)[-1] for t in dark.tokens.values()
    } == {"semantic/dark.json"}
    brand_b = doc.modifiers["Brand"].contexts["Brand B"]
    assert set(brand_b.tokens) == {"brand.primary", "brand.strong", "brand.tint", "brand.radius"}
    assert brand_b.tokens["brand.primary"].value == "{color.orange.500}"


def test_folder_validates() -> None:
    assert validate_document(load_tokens_studio(FOLDER)) == []


@pytest.mark.parametrize(
    ("mode", "brand", "action_bg", "bg", "radius"),
    [
        ("Light", "Brand A", "#3b82f6", "#ffffff", "4px"),
        ("Light", "Brand B", "#f97316", "#ffffff", "999px"),
        ("Dark", "Brand A", "#1d4ed8", "#030712", "4px"),
        ("Dark", "Brand B", "#c2410c", "#030712", "999px"),
    ],
)
def test_folder_every_combination(
    mode: str, brand: str, action_bg: str, bg: str, radius: str
) -> None:
    v = values(load_tokens_studio(FOLDER), {"mode": mode, "brand": brand})
    assert (v["action.bg"], v["bg.default"], v["brand.radius"]) == (action_bg, bg, radius)


def test_folder_defaults_are_the_first_theme_of_each_group() -> None:
    v = values(load_tokens_studio(FOLDER))
    assert v["action.bg"] == "#3b82f6"  # Light + Brand A


def test_folder_dimension_family_becomes_dimension_with_px() -> None:
    doc = load_tokens_studio(FOLDER)
    core = doc.sets["core"].document.tokens
    assert (core["sizing.icon"].type, core["sizing.icon"].value) == ("dimension", "16px")
    assert core["spacing.sm"].value == "8px"  # a number
    assert core["spacing.lg"].value == "1.5rem"
    assert core["borderRadius.md"].value == "8px"
    assert core["letterSpacing.tight"].value == "-0.02em"
    assert core["paragraphSpacing.body"].value == "12px"


def test_folder_old_reference_becomes_dtcg_reference() -> None:
    doc = load_tokens_studio(FOLDER)
    gutter = doc.sets["core"].document.tokens["spacing.gutter"]
    assert (gutter.value, gutter.description) == ("{spacing.md}", "Old-style reference")
    assert resolve_selection(doc)["spacing.gutter"].value == "16px"


def test_folder_font_weights_line_heights_opacity() -> None:
    tokens = resolve_selection(load_tokens_studio(FOLDER))
    got = {
        p: (tokens[p].type, tokens[p].value)
        for p in (
            "fontFamilies.mono",
            "fontWeights.semibold",
            "fontWeights.black",
            "lineHeights.body",
            "lineHeights.tight",
            "lineHeights.auto",
            "opacity.disabled",
            "opacity.muted",
            "borderRadius.circle",
        )
    }
    assert got == {
        "fontFamilies.mono": ("fontFamily", "JetBrains Mono"),
        "fontWeights.semibold": ("fontWeight", "semi-bold"),
        "fontWeights.black": ("fontWeight", 900),
        "lineHeights.body": ("number", 1.5),
        "lineHeights.tight": ("number", 1.2),
        "lineHeights.auto": ("lineHeights", "AUTO"),  # no DTCG form: kept as written
        "opacity.disabled": ("number", 0.4),
        "opacity.muted": ("number", 0.72),
        "borderRadius.circle": ("borderRadius", "50%"),
    }
    italic = tokens["fontWeights.bold-italic"]
    assert (italic.value, italic.node.extensions) == (
        "bold",
        {"studio.tokens": {"fontStyle": "italic"}},
    )


def test_folder_box_shadow_light_is_a_list_of_drop_shadows() -> None:
    tokens = resolve_selection(load_tokens_studio(FOLDER), {"mode": "light"})
    card = tokens["elevation.card"]
    assert card.type == "shadow"
    assert card.value == [
        {
            "offsetX": "0px",
            "offsetY": "1px",
            "blur": "3px",
            "spread": "0px",
            "color": "#11182714",
            "inset": False,
        },
        {
            "offsetX": "0px",
            "offsetY": "4px",
            "blur": "8px",
            "spread": "-2px",
            "color": "rgba(17, 24, 39, 0.16)",
            "inset": False,
        },
    ]
    layers = normalise(card.type, card.value).layers  # type: ignore[union-attr]
    assert [layer.blur.value for layer in layers] == [3, 8]


def test_folder_inner_shadow_becomes_inset_and_keeps_blend_mode() -> None:
    tokens = resolve_selection(load_tokens_studio(FOLDER), {"mode": "dark"})
    card = tokens["elevation.card"]
    assert card.value["inset"] is True
    assert card.value["offsetY"] == "0px"
    assert card.node.extensions["studio.tokens"]["boxShadow"]["blendMode"] == "normal"  # type: ignore[index]
    assert card.node.description == "A soft inner glow instead of a drop shadow"


def test_folder_typography_resolves_and_keeps_extras() -> None:
    tokens = resolve_selection(load_tokens_studio(FOLDER))
    body = tokens["typography.body"]
    assert body.value == {
        "fontFamily": "Inter",
        "fontWeight": "regular",
        "fontSize": "16px",
        "lineHeight": 1.5,
        "letterSpacing": "0px",
    }
    assert body.node.extensions == {
        "studio.tokens": {
            "paragraphSpacing": "{paragraphSpacing.body}",
            "textCase": "none",
            "textDecoration": "none",
        }
    }
    assert body.node.description == "Running text"
    heading = tokens["typography.heading"]
    assert heading.value == {
        "fontFamily": "Inter",
        "fontWeight": "bold",
        "fontSize": "32px",
        "lineHeight": 1.2,
        "letterSpacing": "-0.02em",
    }
    caption = tokens["typography.caption"]
    assert "lineHeight" not in caption.value
    assert caption.node.extensions == {"studio.tokens": {"lineHeight": "AUTO"}}


def test_folder_border_width_from_a_reference() -> None:
    tokens = resolve_selection(load_tokens_studio(FOLDER), {"mode": "dark"})
    assert tokens["border.input"].value == {"color": "#111827", "width": "1px", "style": "solid"}


def test_folder_tokens_keep_their_file_and_pointer() -> None:
    doc = load_tokens_studio(FOLDER)
    token = doc.modifiers["Mode"].contexts["Light"].tokens["action.bg"]
    assert token.file == str(FOLDER / "semantic" / "light.json")
    assert token.pointer == "/action/bg"


# --------------------------------------------------------------------------- single file


def test_single_file_themes_without_group_go_to_modifier_theme() -> None:
    doc = load_tokens_studio(SINGLE)
    assert doc.name == "tokens-studio-single"
    # "components" is enabled in every theme: a base set, after "global" (tokenSetOrder)
    assert doc.order == [("set", "global"), ("set", "components"), ("modifier", "theme")]
    theme = doc.modifiers["theme"]
    assert (list(theme.contexts), theme.default) == (["light", "dark"], "light")


def test_single_file_validates() -> None:
    assert validate_document(load_tokens_studio(SINGLE)) == []


def test_single_file_dtcg_mode_and_group_types() -> None:
    doc = load_tokens_studio(SINGLE)
    dark = resolve_selection(doc, {"theme": "dark"})
    assert dark["accent"].value == "#2dd4bf"
    assert dark["shadow.raised"].value["inset"] is True
    assert dark["divider"].value == {"color": "#000000", "width": "1px", "style": "solid"}
    light = resolve_selection(doc, {"theme": "light"})
    assert light["accent"].value == "#0d9488"
    assert light["shadow.raised"].value["inset"] is False
    # "$type": "spacing" on the group → every token typed dimension, "4" → "4px"
    space = doc.sets["global"].document.tokens["space.1"]
    assert (space.type, space.value) == ("dimension", "4px")
    assert (light["card.padding"].type, light["card.padding"].value) == ("dimension", "16px")
    assert light["font.weight.strong"].value == "extra-bold"
    assert light["opacity.overlay"].value == 0.5


def test_single_file_typography_and_pointers() -> None:
    doc = load_tokens_studio(SINGLE)
    title = resolve_selection(doc)["card.title"]
    assert title.value == {
        "fontFamily": "Source Sans 3",
        "fontWeight": "extra-bold",
        "fontSize": "18px",
        "lineHeight": 1.3,
        "letterSpacing": "0px",
    }
    assert title.node.extensions == {"studio.tokens": {"textDecoration": "underline"}}
    assert (title.node.file, title.node.pointer) == (str(SINGLE), "/components/card/title")


def test_single_file_without_themes_every_set_is_base_in_token_set_order(tmp_path: Path) -> None:
    data = {
        "a": {"x": {"value": "1", "type": "spacing"}},
        "b": {"x": {"value": "2", "type": "spacing"}},
        "$metadata": {"tokenSetOrder": ["b", "a"]},
    }
    doc = load_tokens_studio(write(tmp_path / "tokens.json", data))
    assert doc.order == [("set", "b"), ("set", "a")]
    assert doc.modifiers == {}
    assert values(doc)["x"] == "1px"  # "a" comes last and wins


def test_single_file_without_metadata_uses_key_order(tmp_path: Path) -> None:
    data = {
        "z": {"x": {"value": "#000", "type": "color"}},
        "a": {"x": {"value": "#fff", "type": "color"}},
    }
    doc = load_tokens_studio(write(tmp_path / "tokens.json", data))
    assert doc.order == [("set", "z"), ("set", "a")]
    assert values(doc)["x"] == "#fff"


def test_folder_without_themes_uses_metadata_order(tmp_path: Path) -> None:
    write(tmp_path / "core" / "colors.json", {"c": {"value": "#000", "type": "color"}})
    write(tmp_path / "core" / "alpha.json", {"c": {"value": "#fff", "type": "color"}})
    write(tmp_path / "$metadata.json", {"tokenSetOrder": ["core/colors", "core/alpha"]})
    doc = load_tokens_studio(tmp_path)
    assert doc.order == [("set", "core/colors"), ("set", "core/alpha")]
    assert values(doc)["c"] == "#fff"


def test_disabled_and_unselected_sets_are_left_out(tmp_path: Path) -> None:
    data = {
        "base": {"c": {"value": "#000", "type": "color"}},
        "one": {"c": {"value": "#111", "type": "color"}},
        "unused": {"c": {"value": "#999", "type": "color"}},
        "$themes": [
            {"name": "x", "selectedTokenSets": {"base": "enabled", "unused": "disabled"}},
            {"name": "y", "selectedTokenSets": {"base": "enabled", "one": "enabled"}},
        ],
    }
    doc = load_tokens_studio(write(tmp_path / "t.json", data))
    assert list(doc.sets) == ["base"]
    assert values(doc, {"theme": "x"})["c"] == "#000"
    assert values(doc, {"theme": "y"})["c"] == "#111"


# --------------------------------------------------------------------------- errors


def test_strict_math_expression_is_reported_with_file_pointer_and_token(tmp_path: Path) -> None:
    data = {
        "core": {
            "spacing": {
                "base": {"value": "8", "type": "spacing"},
                "double": {"value": "{spacing.base} * 2", "type": "spacing"},
            }
        }
    }
    file = write(tmp_path / "tokens.json", data)
    with pytest.raises(DTCGErrorGroup) as info:
        load_tokens_studio(file, strict=True)
    [err] = [e for e in info.value.errors if "math" in e.message]  # strict: "8px" too
    assert (err.code, err.file, err.pointer, err.path) == (
        E.INVALID_VALUE,
        str(file),
        "/core/spacing/double",
        "spacing.double",
    )
    assert "math expression '{spacing.base} * 2'" in err.message
    assert "token spacing.double" in str(err)


def test_strict_math_in_a_folder_set_names_the_set_file(tmp_path: Path) -> None:
    write(tmp_path / "core.json", {"size": {"value": "$base * 1.5", "type": "sizing"}})
    write(tmp_path / "$metadata.json", {"tokenSetOrder": ["core"]})
    with pytest.raises(DTCGErrorGroup) as info:
        load_tokens_studio(tmp_path, strict=True)
    [err] = info.value.errors
    assert (err.file, err.pointer, err.path) == (str(tmp_path / "core.json"), "/size", "size")


def test_broken_files_are_all_reported(tmp_path: Path) -> None:
    write(tmp_path / "good.json", {"c": {"value": "#000", "type": "color"}})
    write(tmp_path / "bad" / "one.json", '{"c": {"value": "#000",')
    write(tmp_path / "bad" / "two.json", "not json at all")
    write(tmp_path / "$metadata.json", {"tokenSetOrder": ["good"]})
    with pytest.raises(DTCGErrorGroup) as info:
        load_tokens_studio(tmp_path)
    got = [(e.code, e.file) for e in info.value.errors]
    assert got == [
        (E.INVALID_JSON, str(tmp_path / "bad" / "one.json")),
        (E.INVALID_JSON, str(tmp_path / "bad" / "two.json")),
    ]


def test_theme_selecting_a_missing_set(tmp_path: Path) -> None:
    write(tmp_path / "core.json", {"c": {"value": "#000", "type": "color"}})
    selected = {"core": "enabled", "gone": "source"}
    write(
        tmp_path / "$themes.json",
        [{"name": "Light", "group": "Mode", "selectedTokenSets": selected}],
    )
    with pytest.raises(DTCGErrorGroup) as info:
        load_tokens_studio(tmp_path)
    [err] = info.value.errors
    assert (err.code, err.file, err.pointer) == (
        E.INVALID_RESOLVER,
        str(tmp_path / "$themes.json"),
        "/0/selectedTokenSets",
    )
    assert "'gone'" in err.message


@pytest.mark.parametrize(
    ("themes", "message"),
    [
        ({"name": "x"}, "$themes must be a list"),
        ([{"name": "x"}], "a theme needs a name and selectedTokenSets"),
        (
            [{"name": "x", "selectedTokenSets": {}}, {"name": "x", "selectedTokenSets": {}}],
            "theme 'x' appears twice in group 'theme'",
        ),
    ],
)
def test_malformed_themes(tmp_path: Path, themes: Any, message: str) -> None:
    file = write(tmp_path / "t.json", {"core": {}, "$themes": themes})
    with pytest.raises(DTCGErrorGroup) as info:
        load_tokens_studio(file)
    assert [(e.code, e.message) for e in info.value.errors] == [(E.INVALID_RESOLVER, message)]


def test_invalid_token_name_is_reported_by_the_engine_in_strict_mode(tmp_path: Path) -> None:
    file = write(tmp_path / "t.json", {"core": {"a{b": {"value": "1", "type": "spacing"}}})
    with pytest.raises(DTCGErrorGroup) as info:
        load_tokens_studio(file, strict=True)
    [err] = [e for e in info.value.errors if e.code == E.INVALID_NAME]
    assert err.pointer == "/core/a{b"


def test_lenient_mode_leaves_out_a_reference_pasted_as_a_name(tmp_path: Path) -> None:
    pasted = {"pink": {"400}": {"value": "#f4f6f5", "type": "color"}}}
    data = {"core": {"ok": {"value": "1", "type": "spacing"}, "{global": pasted}}
    doc = load_tokens_studio(write(tmp_path / "t.json", data))
    assert list(doc.sets["core"].document.tokens) == ["ok"]


def test_missing_file() -> None:
    with pytest.raises(DTCGErrorGroup) as info:
        load_tokens_studio(FIXTURES / "nope.json")
    assert [e.code for e in info.value.errors] == [E.FILE_NOT_FOUND]

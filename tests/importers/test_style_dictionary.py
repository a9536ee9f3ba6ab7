"""Style Dictionary's pre-DTCG format → resolver documents (``importers.style_dictionary``).

Expected values are worked out by hand from ``fixtures/style-dictionary/``.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pytest

from graphql_api.dtcg import errors as E  # noqa: N812 - the engine's own alias
from graphql_api.dtcg.errors import DTCGErrorGroup
from graphql_api.dtcg.types import normalise
from graphql_api.dtcg.validate import validate_document
from graphql_api.importers import load_style_dictionary
from graphql_api.importers.style_dictionary import convert, convert_token, references
from tests.importers.helpers import FIXTURES, resolve_selection, values

if TYPE_CHECKING:
    from pathlib import Path

SD = FIXTURES / "style-dictionary"


def write(path: Path, data: Any) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data) if not isinstance(data, str) else data, encoding="utf-8")
    return path


def test_folder_is_one_base_set() -> None:
    doc = load_style_dictionary(SD)
    assert (doc.name, list(doc.sets), doc.modifiers, doc.order) == (
        "style-dictionary",
        ["base"],
        {},
        [("set", "base")],
    )


def test_folder_validates() -> None:
    assert validate_document(load_style_dictionary(SD)) == []


def test_value_references_resolve() -> None:
    v = values(load_style_dictionary(SD))
    assert v["color.font.danger"] == "#e53935"  # {color.base.red.value}
    assert v["color.font.primary"] == "#212121"
    assert v["color.background.success"] == "#43a047"  # {color.base.green} (no .value)
    assert v["size.font.large"] == "16px"


def test_composites_with_references() -> None:
    tokens = resolve_selection(load_style_dictionary(SD))
    card = tokens["shadow.card"]
    assert card.value == {
        "offsetX": "0px",
        "offsetY": "2px",
        "blur": "8px",
        "spread": "0px",
        "color": "#9e9e9e",
    }
    assert normalise(card.type, card.value).css  # a valid DTCG shadow
    assert tokens["border.danger"].value == {"color": "#e53935", "width": "1px", "style": "solid"}


def test_reference_inside_a_longer_string_is_interpolated() -> None:
    tokens = resolve_selection(load_style_dictionary(SD))
    caption = tokens["media.caption"]
    assert caption.node.value == "{size.font.small} / 1.4 sans-serif"
    assert caption.value == "12px / 1.4 sans-serif"


def test_raw_values_comments_and_extensions() -> None:
    tokens = load_style_dictionary(SD).sets["base"].document.tokens
    red = tokens["color.base.red"]
    assert (red.type, red.description) == (
        "color",
        "Brand red, used for errors and destructive actions",
    )
    assert red.extensions == {
        "style-dictionary": {"attributes": {"category": "color", "type": "base", "item": "red"}}
    }
    danger = tokens["color.font.danger"]
    assert (danger.value, danger.description) == ("{color.base.red}", "Error text")
    assert danger.extensions == {"style-dictionary": {"comment": "Kept for the old docs site"}}
    assert tokens["color.font.secondary"].extensions == {"style-dictionary": {"themeable": True}}


def test_files_merge_groups_and_keep_their_file() -> None:
    doc = load_style_dictionary(SD)
    tokens = doc.sets["base"].document.tokens
    assert tokens["color.base.red"].file == str(SD / "color.json")
    assert tokens["color.focus"].file == str(SD / "size.json5")  # same "color" group, 2nd file
    assert tokens["color.focus"].pointer == "/color/focus"
    assert doc.sets["base"].document.groups["color.font"].description == "Text colours"


def test_type_is_never_inferred(tmp_path: Path) -> None:
    doc = load_style_dictionary(write(tmp_path / "t.json", {"color": {"red": {"value": "#f00"}}}))
    assert resolve_selection(doc)["color.red"].type is None


def test_later_file_wins_and_replaces_the_token_whole(tmp_path: Path) -> None:
    write(
        tmp_path / "a.json",
        {"c": {"x": {"value": "#000", "type": "color", "comment": "A"}, "y": {"value": "1px"}}},
    )
    write(tmp_path / "b" / "c.json", {"c": {"x": {"value": "#fff"}}})
    doc = load_style_dictionary(tmp_path)
    x = doc.sets["base"].document.tokens["c.x"]
    assert (x.value, x.type, x.description) == ("#fff", None, None)
    assert set(doc.sets["base"].document.tokens) == {"c.x", "c.y"}


def test_single_file(tmp_path: Path) -> None:
    doc = load_style_dictionary(SD / "color.json")
    assert doc.name == "color"
    assert values(doc)["color.font.danger"] == "#e53935"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("{a.b.value}", "{a.b}"),
        ("{a.b}", "{a.b}"),
        ("1px solid {color.x.value}", "1px solid {color.x}"),
        ({"color": "{c.value}", "width": ["{w.value}"]}, {"color": "{c}", "width": ["{w}"]}),
        ("{ a.b.value }", "{a.b}"),
        (12, 12),
    ],
)
def test_references(value: Any, expected: Any) -> None:
    assert references(value) == expected


def test_convert_token_and_tree() -> None:
    assert convert_token({"value": "#fff", "comment": "white", "name": "white"}) == {
        "$value": "#fff",
        "$description": "white",
        "$extensions": {"style-dictionary": {"name": "white"}},
    }
    tree = convert(
        {"comment": "root", "a": {"value": 1, "type": "number"}, "b": {"c": {"value": 2}}}
    )
    assert tree == {
        "$description": "root",
        "a": {"$value": 1, "$type": "number"},
        "b": {"c": {"$value": 2}},
    }


def test_broken_file_is_reported_with_the_others(tmp_path: Path) -> None:
    write(tmp_path / "a.json", '{"x": {"value": 1,,}}')
    write(tmp_path / "b.json", "[1, 2]")
    write(tmp_path / "c.json", {"x.y": {"value": 1}})
    with pytest.raises(DTCGErrorGroup) as info:
        load_style_dictionary(tmp_path)
    got = [(e.code, e.file.rsplit("/", 1)[-1]) for e in info.value.errors]
    assert got == [
        (E.INVALID_JSON, "a.json"),
        (E.INVALID_NODE, "b.json"),
        (E.INVALID_NAME, "c.json"),
    ]


def test_empty_folder(tmp_path: Path) -> None:
    with pytest.raises(DTCGErrorGroup) as info:
        load_style_dictionary(tmp_path)
    assert [e.code for e in info.value.errors] == [E.FILE_NOT_FOUND]

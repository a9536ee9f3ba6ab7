"""A folder of DTCG files, one per context (``graphql_api.importers.folder``).

Expected values are worked out by hand from ``fixtures/context-per-file/``.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pytest

from graphql_api.dtcg import errors as E  # noqa: N812 - the engine's own alias
from graphql_api.dtcg.errors import DTCGErrorGroup
from graphql_api.dtcg.validate import validate_document
from graphql_api.importers import load_context_folder
from graphql_api.importers.folder import token_name
from tests.importers.helpers import FIXTURES, values

if TYPE_CHECKING:
    from pathlib import Path

FOLDER = FIXTURES / "context-per-file"


def write(path: Path, data: Any) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data) if not isinstance(data, str) else data, encoding="utf-8")
    return path


def test_structure_and_default_first_in_sorted_order() -> None:
    doc = load_context_folder(FOLDER)
    assert doc.order == [("set", "base"), ("modifier", "theme")]
    theme = doc.modifiers["theme"]
    assert (list(theme.contexts), theme.default) == (["dark", "high-contrast", "light"], "dark")


def test_modifier_name_and_default_options() -> None:
    doc = load_context_folder(FOLDER, modifier="mode", default="light")
    assert list(doc.modifiers) == ["mode"]
    assert doc.modifiers["mode"].default == "light"
    assert values(doc)["color.accent"] == "#7c3aed"


def test_validates() -> None:
    assert validate_document(load_context_folder(FOLDER)) == []


@pytest.mark.parametrize(
    ("context", "bg", "fg", "accent", "focus_width"),
    [
        ("light", "#ffffff", "#111827", "#7c3aed", 2),
        ("dark", "#111827", "#f3f4f6", "#c4b5fd", 2),
        ("high-contrast", "#000000", "#ffffff", "#fde047", 4),
    ],
)
def test_each_context(context: str, bg: str, fg: str, accent: str, focus_width: int) -> None:
    v = values(load_context_folder(FOLDER), {"theme": context})
    assert (v["color.bg"], v["color.fg"], v["color.accent"]) == (bg, fg, accent)
    assert v["focus.width"] == {"value": focus_width, "unit": "px"}  # context overrides base


@pytest.mark.parametrize(
    ("relative", "name"),
    [
        ("dark.json", "dark"),
        ("dark.tokens.json", "dark"),
        ("dark.tokens", "dark"),
        ("dark.json5", "dark"),
        ("base/color.json", "base/color"),
        ("app.resolver.json", None),
        (".hidden.json", None),
        ("$themes.json", None),
        ("README.md", None),
    ],
)
def test_token_name(relative: str, name: str | None) -> None:
    assert token_name(relative) == name


def test_base_patterns_in_subfolders_and_token_endings(tmp_path: Path) -> None:
    write(tmp_path / "base" / "space.json", {"s": {"$type": "dimension", "$value": "4px"}})
    write(tmp_path / "base" / "color.json", {"c": {"$type": "color", "$value": "#000"}})
    write(tmp_path / "light.tokens.json", {"fg": {"$value": "{c}"}})
    write(tmp_path / "dark.tokens", {"fg": {"$type": "color", "$value": "#fff"}})
    write(tmp_path / "other" / "ignored.json", {"x": {"$value": 1}})
    write(tmp_path / "app.resolver.json", {"resolutionOrder": []})
    doc = load_context_folder(tmp_path, default="light")
    assert doc.order == [("set", "base/color"), ("set", "base/space"), ("modifier", "theme")]
    assert list(doc.modifiers["theme"].contexts) == ["dark", "light"]
    assert values(doc)["fg"] == "#000"
    assert values(doc, {"theme": "dark"})["fg"] == "#fff"


def test_custom_base_pattern(tmp_path: Path) -> None:
    write(tmp_path / "core.json", {"c": {"$type": "color", "$value": "#000"}})
    write(tmp_path / "a.json", {"x": {"$value": "{c}"}})
    doc = load_context_folder(tmp_path, base=["core.*"])
    assert (list(doc.sets), list(doc.modifiers["theme"].contexts)) == (["core"], ["a"])


@pytest.mark.parametrize(
    ("files", "kwargs", "message"),
    [
        ({"base.json": {}}, {}, "no context files in the folder"),
        ({"a.json": {}}, {"default": "b"}, "default 'b' is not a context (valid: a)"),
        ({"a.json": {}, "a.tokens.json": {}}, {}, "a.tokens.json and a.json both give 'a'"),
    ],
)
def test_structure_errors(
    tmp_path: Path, files: dict[str, Any], kwargs: dict[str, Any], message: str
) -> None:
    for name, data in files.items():
        write(tmp_path / name, data)
    with pytest.raises(DTCGErrorGroup) as info:
        load_context_folder(tmp_path, **kwargs)
    assert [(e.code, e.message) for e in info.value.errors] == [(E.INVALID_RESOLVER, message)]


def test_broken_files_name_the_file(tmp_path: Path) -> None:
    write(tmp_path / "base.json", "{oops")
    write(tmp_path / "light.json", {"bad.name": {"$value": 1}})
    with pytest.raises(DTCGErrorGroup) as info:
        load_context_folder(tmp_path)
    got = [(e.code, e.file, e.pointer) for e in info.value.errors]
    assert got == [
        (E.INVALID_JSON, str(tmp_path / "base.json"), ""),
        (E.INVALID_NAME, str(tmp_path / "light.json"), "/bad.name"),
    ]


def test_not_a_folder() -> None:
    with pytest.raises(DTCGErrorGroup) as info:
        load_context_folder(FOLDER / "base.json")
    assert [e.code for e in info.value.errors] == [E.FILE_NOT_FOUND]

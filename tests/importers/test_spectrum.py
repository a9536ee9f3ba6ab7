"""Adobe Spectrum importer (``importers.spectrum``) on a hand-written Spectrum-shaped set.

Expected values are read off the fixture files (``fixtures/spectrum/src``) by hand;
the real package is checked against Spectrum's own build in ``test_real_world.py``.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pytest

from graphql_api.dtcg import errors as E  # noqa: N812 - the engine's own alias
from graphql_api.dtcg.errors import DTCGError, DTCGErrorGroup
from graphql_api.dtcg.types import normalise
from graphql_api.dtcg.validate import validate_document
from graphql_api.dtcg.values import Typography
from graphql_api.importers import detect_format, load
from graphql_api.importers.spectrum import EXTENSION, OTHER_DIMENSION
from tests.importers.helpers import FIXTURES, resolve_selection

if TYPE_CHECKING:
    from pathlib import Path

SPECTRUM = FIXTURES / "spectrum"
SRC = SPECTRUM / "src"
SCHEMA = "https://opensource.adobe.com/spectrum-design-data/schemas/token-types/"
BLUE = {"light": "rgb(64, 105, 253)", "dark": "rgb(86, 129, 255)", "wireframe": "rgb(0, 0, 0)"}


def write(path: Path, data: Any) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "path", [SPECTRUM, SRC, SRC / "layout.json"], ids=["package", "src", "file"]
)
def test_detected_automatically(path: Path) -> None:
    assert detect_format(path) == "spectrum"


def test_sets_become_two_modifiers() -> None:
    doc = load(SPECTRUM)
    assert list(doc.sets) == ["button", "color-palette", "layout"]  # one per file, sorted
    assert {m.name: (list(m.contexts), m.default) for m in doc.modifiers.values()} == {
        "colorTheme": (["light", "dark", "wireframe"], "light"),
        "scale": (["desktop", "mobile"], "desktop"),
    }
    assert validate_document(doc) == []


@pytest.mark.parametrize("theme", ["light", "dark", "wireframe"])
@pytest.mark.parametrize(
    ("scale", "edge", "blur"), [("desktop", "8px", "4px"), ("mobile", "12px", "6px")]
)
def test_alias_chains_cross_both_axes(theme: str, scale: str, edge: str, blur: str) -> None:
    tokens = resolve_selection(load(SRC), {"colorTheme": theme, "scale": scale})
    assert (tokens["accent-color"].type, tokens["accent-color"].value) == ("color", BLUE[theme])
    assert tokens["old-accent"].value == BLUE[theme]  # alias of an alias of a colour set
    assert (tokens["accent-edge"].type, tokens["accent-edge"].value) == ("dimension", edge)
    assert tokens["drop-shadow-emphasized"].value == [
        {
            "offsetX": "0px",
            "offsetY": "2px",
            "blur": blur,
            "spread": "0px",
            "color": "rgba(0, 0, 0, 0.12)",
        },
        {"offsetX": "1px", "offsetY": "0px", "blur": "0px", "spread": "0px", "color": BLUE[theme]},
    ]


@pytest.mark.parametrize(
    ("path", "type_", "value"),
    [
        pytest.param("white", "color", "rgb(255, 255, 255)", id="color-rgb-string-kept"),
        pytest.param("zero-gap", "dimension", "0", id="dimension-zero-kept"),
        pytest.param("letter-spacing", "dimension", "0.06em", id="dimension-em-kept"),
        pytest.param("takeover-width", OTHER_DIMENSION, "100%", id="dimension-percent"),
        pytest.param("android-elevation", OTHER_DIMENSION, "2dp", id="dimension-dp"),
        pytest.param("button-opacity-disabled", "number", 0.4, id="opacity-string-to-number"),
        pytest.param("card-scale-factor", "number", 1.5, id="multiplier"),
        pytest.param("bold-font-weight", "fontWeight", "bold", id="font-weight"),
        pytest.param("sans-serif-font-family", "fontFamily", "Adobe Clean", id="font-family"),
        pytest.param("text-align-start", "alignment", "start", id="spectrum-only-type-kept"),
        pytest.param("strike-angle", "angle", -25, id="angle-kept"),
    ],
)
def test_types_from_schema_urls(path: str, type_: str, value: Any) -> None:
    tok = resolve_selection(load(SRC))[path]
    assert (tok.type, tok.value) == (type_, value)


@pytest.mark.parametrize(
    ("scale", "size", "ratio"), [("desktop", "14px", 1.5), ("mobile", "17px", 2.0)]
)
def test_typography_with_a_px_line_height(scale: str, size: str, ratio: float) -> None:
    tok = resolve_selection(load(SRC), {"scale": scale})["heading"]
    assert tok.node.description == "Heading text"
    assert tok.value["fontSize"] == size
    typography = normalise("typography", tok.value)
    assert isinstance(typography, Typography)
    assert typography.line_height == ratio  # 21/14, 34/17


def test_deprecation_and_metadata() -> None:
    doc = load(SRC)
    base = doc.sets["button"].document.tokens
    assert base["old-accent"].deprecated == "Use accent-color instead; renamed to accent-color"
    assert base["older-accent"].deprecated is True
    assert base["accent-color"].deprecated is None
    assert base["accent-edge"].extensions == {
        EXTENSION: {"uuid": "u-ae2", "private": True, "$schema": SCHEMA + "alias.json"}
    }
    extensions = base["accent-color"].extensions
    assert extensions is not None
    assert extensions[EXTENSION]["component"] == "button"
    dark = doc.modifiers["colorTheme"].contexts["dark"].tokens["blue-800"]
    assert dark.extensions == {
        EXTENSION: {
            "uuid": "u-b8",
            "$schema": SCHEMA + "color-set.json",
            "set": {"uuid": "u-b8-d", "$schema": SCHEMA + "color.json"},
        }
    }
    assert (dark.file, dark.pointer) == (str(SRC / "color-palette.json"), "/blue-800/sets/dark")


def test_strict_keeps_rejecting_the_non_standard_forms() -> None:
    problems: list[DTCGError] = []
    doc = load(SRC, "spectrum", strict=True, problems=problems)
    errors = problems + validate_document(doc, strict=True)
    found = {(e.code, e.path) for e in errors}
    assert (E.INVALID_VALUE, "white") in found  # rgb() string
    assert (E.INVALID_VALUE, "button-opacity-disabled") in found  # "0.4" kept as written
    assert (E.INVALID_VALUE, "spacing-100") in found  # "8px"
    assert (E.UNKNOWN_TYPE, "text-align-start") in found
    assert (E.UNKNOWN_TYPE, "takeover-width") in found
    with pytest.raises(DTCGErrorGroup):
        load(SRC, "spectrum", strict=True)


def test_every_problem_names_its_file_pointer_and_token(tmp_path: Path) -> None:
    entry = {"$schema": SCHEMA + "color.json", "value": "rgb(0, 0, 0)", "uuid": "u"}
    write(
        tmp_path / "a.json",
        {
            "mixed": {
                "$schema": SCHEMA + "color-set.json",
                "sets": {"light": entry, "desktop": entry},
            },
            "empty": {"$schema": SCHEMA + "color.json", "uuid": "u"},
            "ok": entry,
        },
    )
    write(
        tmp_path / "b.json", {"odd": {"$schema": SCHEMA + "color-set.json", "sets": {"x": entry}}}
    )
    with pytest.raises(DTCGErrorGroup) as info:
        load(tmp_path, "spectrum")
    assert sorted((e.code, e.file, e.pointer, e.path) for e in info.value.errors) == [
        (E.INVALID_NODE, str(tmp_path / "a.json"), "/empty", "empty"),
        (E.INVALID_NODE, str(tmp_path / "a.json"), "/mixed/sets", "mixed"),
        (E.INVALID_NODE, str(tmp_path / "b.json"), "/odd/sets", "odd"),
    ]


def test_empty_folder(tmp_path: Path) -> None:
    with pytest.raises(DTCGErrorGroup) as info:
        load(tmp_path, "spectrum")
    assert [e.code for e in info.value.errors] == [E.FILE_NOT_FOUND]

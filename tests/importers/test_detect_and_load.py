"""``detect_format`` and ``load`` (``graphql_api.importers``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from graphql_api.dtcg import errors as E  # noqa: N812 - the engine's own alias
from graphql_api.dtcg.errors import DTCGErrorGroup
from graphql_api.dtcg.validate import validate_document
from graphql_api.importers import FORMATS, UNSUPPORTED_FORMAT, detect_format, load
from tests.importers.helpers import FIXTURES, values

DATA = Path(__file__).parents[1] / "data" / "dtcg-small-example"


def write(path: Path, data: Any) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data) if not isinstance(data, str) else data, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("path", "fmt"),
    [
        (FIXTURES / "tokens-studio-folder", "tokens-studio"),
        (FIXTURES / "tokens-studio-single.json", "tokens-studio"),
        (FIXTURES / "style-dictionary", "style-dictionary"),
        (FIXTURES / "style-dictionary" / "color.json", "style-dictionary"),
        (FIXTURES / "style-dictionary" / "size.json5", "style-dictionary"),
        (FIXTURES / "context-per-file", "context-per-file"),
        (FIXTURES / "context-per-file" / "base.json", "dtcg"),
        (FIXTURES / "spectrum", "spectrum"),  # the package folder: its src/ is read
        (FIXTURES / "spectrum" / "src" / "button.json", "spectrum"),
        (DATA / "dtcg-small-example.resolver.json", "resolver"),
        (DATA / "tokens" / "colors.json", "dtcg"),
        (DATA / "tokens", "context-per-file"),
        (DATA, "resolver"),  # one *.resolver.json at the top
    ],
    ids=lambda x: x if isinstance(x, str) else x.name,
)
def test_detect_format(path: Path, fmt: str) -> None:
    assert detect_format(path) == fmt


def test_detect_studio_folder_by_metadata_alone(tmp_path: Path) -> None:
    write(tmp_path / "core.json", {"c": {"value": "#000", "type": "color"}})
    write(tmp_path / "$metadata.json", {"tokenSetOrder": ["core"]})
    assert detect_format(tmp_path) == "tokens-studio"


def test_detect_studio_file_by_metadata_alone(tmp_path: Path) -> None:
    file = write(tmp_path / "t.json", {"core": {}, "$metadata": {"tokenSetOrder": ["core"]}})
    assert detect_format(file) == "tokens-studio"


def test_dollar_value_anywhere_means_dtcg(tmp_path: Path) -> None:
    file = write(tmp_path / "t.json", {"a": {"value": 1}, "b": {"$value": 2, "$type": "number"}})
    assert detect_format(file) == "dtcg"


def test_detect_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(DTCGErrorGroup) as info:
        detect_format(write(tmp_path / "t.json", "{nope"))
    assert [(e.code, e.file) for e in info.value.errors] == [
        (E.INVALID_JSON, str(tmp_path / "t.json"))
    ]
    with pytest.raises(DTCGErrorGroup) as info:
        detect_format(tmp_path / "missing.json")
    assert [e.code for e in info.value.errors] == [E.FILE_NOT_FOUND]


@pytest.mark.parametrize(
    ("path", "sets", "modifiers"),
    [
        (FIXTURES / "tokens-studio-folder", ["core"], ["Mode", "Brand"]),
        (FIXTURES / "tokens-studio-single.json", ["global", "components"], ["theme"]),
        (FIXTURES / "style-dictionary", ["base"], []),
        (FIXTURES / "context-per-file", ["base"], ["theme"]),
        (DATA / "tokens" / "colors.json", ["base"], []),
    ],
    ids=lambda x: x.name if isinstance(x, Path) else None,
)
def test_load_auto_then_validate(path: Path, sets: list[str], modifiers: list[str]) -> None:
    doc = load(path)
    assert (list(doc.sets), list(doc.modifiers)) == (sets, modifiers)
    assert validate_document(doc) == []


def test_load_resolver_document() -> None:
    doc = load(DATA / "dtcg-small-example.resolver.json")
    assert validate_document(doc) == []
    assert doc.sets


def test_load_folder_with_one_resolver_document() -> None:
    doc = load(DATA)
    assert list(doc.sets) == list(load(DATA / "dtcg-small-example.resolver.json").sets)


def test_load_passes_options() -> None:
    doc = load(FIXTURES / "context-per-file", modifier="contrast", default="high-contrast")
    assert doc.modifiers["contrast"].default == "high-contrast"
    assert values(doc)["color.bg"] == "#000000"


def test_load_explicit_format_overrides_detection(tmp_path: Path) -> None:
    # a Tokens Studio folder without $themes/$metadata looks like Style Dictionary
    write(tmp_path / "core.json", {"space": {"value": "4", "type": "spacing"}})
    assert detect_format(tmp_path) == "style-dictionary"
    assert values(load(tmp_path))["space"] == "4"
    assert values(load(tmp_path, "tokens-studio"))["space"] == "4px"


def test_load_unknown_format() -> None:
    with pytest.raises(DTCGErrorGroup) as info:
        load(FIXTURES / "context-per-file", "figma-variables")
    [err] = info.value.errors
    assert err.code == UNSUPPORTED_FORMAT
    assert all(f in err.message for f in FORMATS)


def test_load_wraps_single_errors_in_a_group(tmp_path: Path) -> None:
    with pytest.raises(DTCGErrorGroup) as info:
        load(write(tmp_path / "r.json", "{broken"), "resolver")
    assert [e.code for e in info.value.errors] == [E.INVALID_JSON]

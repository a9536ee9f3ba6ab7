"""``flask tokens validate`` and ``tokens import`` of every input format, through the CLI.

Each test runs on SQLite and PostgreSQL (the ``app``/``runner`` fixtures). ``validate`` must
never write; its ``--format json`` output must be one JSON object on stdout, for CI. The
import tests load the hand-written fixtures of ``tests/importers/fixtures/`` and check the
modifiers and one value per format through GraphQL against a value worked out by hand from
the fixture files (the working is in the comments).
"""

from __future__ import annotations

import json
import re
import shutil
from typing import TYPE_CHECKING, Any

import pytest

from tests.helpers import SMALL_EXAMPLE, data_of, gql, import_tokens, stored_state

if TYPE_CHECKING:
    from pathlib import Path

    from click.testing import Result
    from flask import Flask
    from flask.testing import FlaskClient, FlaskCliRunner

FIXTURES = SMALL_EXAMPLE.parents[2] / "importers" / "fixtures"
ERROR_FIELDS = {"code", "message", "file", "pointer", "path"}

MODIFIERS = "{ modifiers { name default contexts { name } } }"
COLOR = """
query ($path: String!, $theme: [ThemeSelection!]) {
  token(path: $path, theme: $theme) { type value { __typename ... on ColorValue { hex alpha } } }
}
"""
DIMENSION = """
query ($path: String!, $theme: [ThemeSelection!]) {
  token(path: $path, theme: $theme) {
    type value { __typename ... on DimensionValue { value unit } }
  }
}
"""
SHADOW = """
query ($path: String!, $theme: [ThemeSelection!]) {
  token(path: $path, theme: $theme) {
    type
    value {
      __typename
      ... on ShadowValue {
        layers {
          color { hex }
          offsetX { value unit } offsetY { value unit } blur { value unit }
          spread { value unit } inset
        }
      }
    }
  }
}
"""


def write(folder: Path, name: str, content: Any) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content if isinstance(content, str) else json.dumps(content), "utf-8")
    return path


def validate(runner: FlaskCliRunner, path: Path, *options: str) -> Result:
    return runner.invoke(args=["tokens", "validate", *options, str(path)])


def token(client: FlaskClient, query: str, path: str, theme: dict[str, str] | None = None) -> Any:
    """The ``token`` field for ``path`` in ``theme`` (``{modifier: context}``)."""
    selection = [{"modifier": m, "context": c} for m, c in (theme or {}).items()] or None
    node = data_of(gql(client, query, {"path": path, "theme": selection}))["token"]
    assert node is not None, f"no token {path}"
    return node


def modifiers(client: FlaskClient) -> list[dict[str, Any]]:
    return [
        {"name": m["name"], "default": m["default"], "contexts": [c["name"] for c in m["contexts"]]}
        for m in data_of(gql(client, MODIFIERS))["modifiers"]
    ]


def token_count(client: FlaskClient) -> int:
    return int(data_of(gql(client, "{ tokens { totalCount } }"))["tokens"]["totalCount"])


# --------------------------------------------------------------------------- validate

#: A resolver document with five problems in three files, one of them a context file:
#: (code, token path, file name, JSON Pointer in that file).
BAD_FILES: dict[str, Any] = {
    "d.resolver.json": {
        "version": "2025.10",
        "sets": {"s": {"sources": [{"$ref": "a.json"}, {"$ref": "b.json"}]}},
        "modifiers": {
            "mode": {"contexts": {"light": [], "dark": [{"$ref": "dark.json"}]}, "default": "light"}
        },
        "resolutionOrder": [{"$ref": "#/sets/s"}, {"$ref": "#/modifiers/mode"}],
    },
    "a.json": {
        "c": {
            "$type": "color",
            "x": {"$value": "{c.nope}"},
            "p": {"$value": "{c.q}"},
            "q": {"$value": "{c.p}"},
            "fine": {"$value": "#000000"},
        }
    },
    "b.json": {"d": {"$type": "dimension", "y": {"$value": "12 parsecs"}}},
    "dark.json": {"c": {"$type": "color", "z": {"$value": "{c.zz}"}}},
}
BAD_EXPECTED = [
    ("UNRESOLVABLE_REFERENCE", "c.x", "a.json", "/c/x"),
    ("CIRCULAR_REFERENCE", "c.p", "a.json", "/c/p"),
    ("CIRCULAR_REFERENCE", "c.q", "a.json", "/c/q"),
    ("INVALID_VALUE", "d.y", "b.json", "/d/y"),
    ("UNRESOLVABLE_REFERENCE", "c.z", "dark.json", "/c/z"),
]


@pytest.fixture
def bad_document(tmp_path: Path) -> Path:
    folder = tmp_path / "bad"
    for name, content in BAD_FILES.items():
        write(folder, name, content)
    return folder / "d.resolver.json"


def test_valid_file_exits_0_and_writes_nothing(app: Flask, runner: FlaskCliRunner) -> None:
    result = validate(runner, SMALL_EXAMPLE)
    assert result.exit_code == 0, result.output
    assert re.search(r"\bvalid\b", result.stdout), result.stdout
    assert "invalid" not in result.stdout
    assert result.stderr == ""
    state = stored_state(app)
    assert state.revision == 0
    assert state.values == {}
    assert token_count(app.test_client()) == 0


def test_validate_leaves_stored_tokens_alone(
    app: Flask, runner: FlaskCliRunner, client: FlaskClient, bad_document: Path, tmp_path: Path
) -> None:
    import_tokens(runner, SMALL_EXAMPLE)
    before = stored_state(app)
    other = write(tmp_path, "other.tokens.json", {"x": {"$type": "number", "$value": 1}})
    assert validate(runner, other).exit_code == 0
    assert validate(runner, bad_document).exit_code == 1
    assert validate(runner, other, "--format", "json").exit_code == 0
    assert stored_state(app) == before
    assert token_count(client) == 56


def test_every_problem_is_printed_with_code_path_and_file(
    app: Flask, runner: FlaskCliRunner, bad_document: Path
) -> None:
    result = validate(runner, bad_document)
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = [line for line in result.stderr.splitlines() if line.startswith("[")]
    for code, path, file, pointer in BAD_EXPECTED:
        wanted = f"[{code}] token {path}, {bad_document.parent / file}#{pointer}"
        assert any(line.startswith(wanted) for line in lines), f"{wanted!r} in\n{result.stderr}"
    assert len(lines) == len(BAD_EXPECTED), result.stderr
    assert f"{len(BAD_EXPECTED)} errors" in result.stderr
    assert "c.fine" not in result.stderr
    assert stored_state(app).revision == 0


def test_json_output_for_a_valid_file(runner: FlaskCliRunner) -> None:
    result = validate(runner, SMALL_EXAMPLE, "--format", "json")
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)  # nothing but the JSON object on stdout
    assert isinstance(body, dict)
    assert body["valid"] is True
    assert body["errors"] == []
    assert set(body) <= {"valid", "errors", "tokens"}
    if "tokens" in body:
        assert body["tokens"] == 56  # the small example's token count (its oracle)


def test_json_output_lists_every_problem(runner: FlaskCliRunner, bad_document: Path) -> None:
    result = validate(runner, bad_document, "--format", "json")
    assert result.exit_code == 1, result.output
    body = json.loads(result.stdout)
    assert body["valid"] is False
    errors = body["errors"]
    assert all(set(e) == ERROR_FIELDS for e in errors), errors
    assert all(isinstance(e["message"], str) and e["message"] for e in errors)
    got = sorted((e["code"], e["path"], e["file"], e["pointer"]) for e in errors)
    want = sorted(
        (code, path, str(bad_document.parent / file), pointer)
        for code, path, file, pointer in BAD_EXPECTED
    )
    assert got == want
    unresolved = next(e for e in errors if e["path"] == "c.x")
    assert "c.nope" in unresolved["message"]


@pytest.mark.parametrize(
    ("content", "code"),
    [
        pytest.param(
            '{"c": {"$type": "color", "a": {"$value": "#000000"', "INVALID_JSON", id="json"
        ),
        pytest.param(
            {"c": {"$type": "color", "a{b}": {"$value": "#000"}}}, "INVALID_NAME", id="name"
        ),
    ],
)
def test_json_output_for_a_file_that_cannot_be_loaded(
    runner: FlaskCliRunner, tmp_path: Path, content: Any, code: str
) -> None:
    path = write(tmp_path, "t.json", content)
    result = validate(runner, path, "--format", "json")
    assert result.exit_code == 1, result.output
    body = json.loads(result.stdout)
    assert body["valid"] is False
    assert [e["code"] for e in body["errors"]] == [code]
    assert body["errors"][0]["file"].endswith("t.json")
    assert set(body["errors"][0]) == ERROR_FIELDS


def test_strict_rejects_what_tolerant_accepts(runner: FlaskCliRunner) -> None:
    # tokens/text.json declares `"$type": "fontSize"` on the group text.sizes: not one of the
    # spec's 13 types. Tolerant validation keeps it; strict reports it.
    assert validate(runner, SMALL_EXAMPLE).exit_code == 0
    result = validate(runner, SMALL_EXAMPLE, "--strict", "--format", "json")
    assert result.exit_code == 1, result.output
    errors = json.loads(result.stdout)["errors"]
    unknown = [e for e in errors if e["code"] == "UNKNOWN_TYPE"]
    assert [(e["path"], e["file"].endswith("text.json")) for e in unknown] == [("text.sizes", True)]
    assert "fontSize" in unknown[0]["message"]


def test_strict_accepts_a_2025_10_file(runner: FlaskCliRunner, tmp_path: Path) -> None:
    doc = {
        "c": {
            "$type": "color",
            "red": {"$value": {"colorSpace": "srgb", "components": [1, 0, 0], "hex": "#ff0000"}},
            "danger": {"$value": "{c.red}"},
        },
        "s": {"$type": "dimension", "sm": {"$value": {"value": 4, "unit": "px"}}},
    }
    path = write(tmp_path, "t.json", doc)
    result = validate(runner, path, "--strict")
    assert result.exit_code == 0, result.output
    tolerant = write(tmp_path, "old.json", {"c": {"$type": "color", "red": {"$value": "#f00"}}})
    result = validate(runner, tolerant, "--strict", "--format", "json")
    assert result.exit_code == 1
    assert [(e["code"], e["path"]) for e in json.loads(result.stdout)["errors"]] == [
        ("INVALID_VALUE", "c.red")
    ]


# --------------------------------------------------------------------------- every import format


def test_import_tokens_studio_folder(runner: FlaskCliRunner, client: FlaskClient) -> None:
    import_tokens(runner, FIXTURES / "tokens-studio-folder")
    # $themes.json: groups Mode (Light, Dark) and Brand (Brand A, Brand B); the first theme of
    # a group is its default.
    assert modifiers(client) == [
        {"name": "Mode", "default": "Light", "contexts": ["Light", "Dark"]},
        {"name": "Brand", "default": "Brand A", "contexts": ["Brand A", "Brand B"]},
    ]
    dark_b = {"Mode": "Dark", "Brand": "Brand B"}
    # semantic/dark.json action.bg = {brand.strong}; brand/b.json brand.strong =
    # {color.orange.700}; core.json color.orange.700 = #c2410c.
    assert token(client, COLOR, "action.bg", dark_b) == {
        "type": "color",
        "value": {"__typename": "ColorValue", "hex": "#c2410c", "alpha": 1.0},
    }
    # Defaults Light + Brand A: semantic/light action.bg = {brand.primary} → brand/a
    # {color.blue.500} = #3b82f6.
    assert token(client, COLOR, "action.bg")["value"]["hex"] == "#3b82f6"
    # semantic/dark elevation.card: one innerShadow x 0, y 0, blur 2, spread 1 (unitless
    # Tokens Studio numbers are px), colour {color.shadow.key} = rgba(17, 24, 39, 0.16):
    # #111827 with alpha 0.16 → 0.16 * 255 = 40.8 → 41 = 0x29.
    shadow = token(client, SHADOW, "elevation.card", dark_b)
    assert shadow["type"] == "shadow"
    assert shadow["value"]["layers"] == [
        {
            "color": {"hex": "#11182729"},
            "offsetX": {"value": 0.0, "unit": "px"},
            "offsetY": {"value": 0.0, "unit": "px"},
            "blur": {"value": 2.0, "unit": "px"},
            "spread": {"value": 1.0, "unit": "px"},
            "inset": True,
        }
    ]


def test_import_tokens_studio_single_file(runner: FlaskCliRunner, client: FlaskClient) -> None:
    import_tokens(runner, FIXTURES / "tokens-studio-single.json")
    # Two themes without a group → one modifier "theme"; the first theme is the default.
    assert modifiers(client) == [
        {"name": "theme", "default": "light", "contexts": ["light", "dark"]}
    ]
    # Set "dark": accent = {colors.teal.400} = #2dd4bf; set "light": {colors.teal.600} = #0d9488.
    assert token(client, COLOR, "accent", {"theme": "dark"})["value"]["hex"] == "#2dd4bf"
    assert token(client, COLOR, "accent")["value"]["hex"] == "#0d9488"
    # Set "components" (set names are not path segments): card.padding = {space.4} = 16
    # (spacing, a bare number → px).
    assert token(client, DIMENSION, "card.padding") == {
        "type": "dimension",
        "value": {"__typename": "DimensionValue", "value": 16.0, "unit": "px"},
    }


def test_import_style_dictionary_folder(runner: FlaskCliRunner, client: FlaskClient) -> None:
    import_tokens(runner, FIXTURES / "style-dictionary")
    assert modifiers(client) == []  # Style Dictionary has no themes
    # size.json5: size.font.large = {size.font.base.value} = "16px".
    assert token(client, DIMENSION, "size.font.large")["value"] == {
        "__typename": "DimensionValue",
        "value": 16.0,
        "unit": "px",
    }
    # size.json5 color.focus is merged into color.json's group: {color.base.red.value} = #e53935.
    assert token(client, COLOR, "color.focus")["value"]["hex"] == "#e53935"
    # shadow.card: offsets 0px/2px, blur {size.padding.base.value} = 8px, no spread (→ 0px),
    # colour {color.base.gray.medium.value} = #9e9e9e.
    assert token(client, SHADOW, "shadow.card")["value"]["layers"] == [
        {
            "color": {"hex": "#9e9e9e"},
            "offsetX": {"value": 0.0, "unit": "px"},
            "offsetY": {"value": 2.0, "unit": "px"},
            "blur": {"value": 8.0, "unit": "px"},
            "spread": {"value": 0.0, "unit": "px"},
            "inset": False,
        }
    ]


@pytest.mark.parametrize(
    "options",
    [["--context-per-file"], ["--input-format", "context-per-file"]],
    ids=["--context-per-file", "--input-format"],
)
def test_import_context_per_file_folder(
    runner: FlaskCliRunner, client: FlaskClient, options: list[str]
) -> None:
    result = runner.invoke(args=["tokens", "import", *options, str(FIXTURES / "context-per-file")])
    assert result.exit_code == 0, result.output
    # base.json is the base set; light/dark/high-contrast.json are the contexts of "theme",
    # in sorted order, the first one being the default.
    assert modifiers(client) == [
        {"name": "theme", "default": "dark", "contexts": ["dark", "high-contrast", "light"]}
    ]
    # high-contrast.json: color.accent = {palette.yellow.300} = #fde047; focus.width = 4px,
    # overriding base.json's 2px (which light keeps).
    hc = {"theme": "high-contrast"}
    assert token(client, COLOR, "color.accent", hc)["value"]["hex"] == "#fde047"
    assert token(client, DIMENSION, "focus.width", hc)["value"]["value"] == 4.0
    assert token(client, DIMENSION, "focus.width", {"theme": "light"})["value"]["value"] == 2.0
    # The default (dark): color.bg = {palette.gray.900} = #111827.
    assert token(client, COLOR, "color.bg")["value"]["hex"] == "#111827"


def test_context_per_file_options(runner: FlaskCliRunner, client: FlaskClient) -> None:
    args = ["--context-per-file", "--modifier", "mode", "--default", "light"]
    result = runner.invoke(args=["tokens", "import", *args, str(FIXTURES / "context-per-file")])
    assert result.exit_code == 0, result.output
    assert modifiers(client) == [
        {"name": "mode", "default": "light", "contexts": ["dark", "high-contrast", "light"]}
    ]
    # light.json: color.fg = {palette.gray.900} = #111827.
    assert token(client, COLOR, "color.fg")["value"]["hex"] == "#111827"


def test_input_format_forces_tokens_studio(
    app: Flask, runner: FlaskCliRunner, client: FlaskClient, tmp_path: Path
) -> None:
    # The Tokens Studio folder without $themes.json/$metadata.json looks like Style Dictionary
    # (legacy "value" keys) to the detector, which then rejects its unitless sizes.
    folder = tmp_path / "studio"
    shutil.copytree(FIXTURES / "tokens-studio-folder", folder)
    (folder / "$themes.json").unlink()
    (folder / "$metadata.json").unlink()
    detected = import_tokens(runner, folder, ok=False)
    assert detected.exit_code == 1
    assert stored_state(app).revision == 0

    result = runner.invoke(
        args=["tokens", "import", "--input-format", "tokens-studio", str(folder)]
    )
    assert result.exit_code == 0, result.output
    assert modifiers(client) == []  # no $themes: every set is a base set
    # core.json 46 tokens (color 13, spacing 5, sizing 2, borderRadius 4, borderWidth 1,
    # fontFamilies 2, fontWeights 5, fontSizes 3, lineHeights 3, letterSpacing 2,
    # paragraphSpacing 1, opacity 2, typography 3) + semantic 8 + brand 4, paths shared.
    assert token_count(client) == 58
    # core.json spacing.gutter = "$spacing.md" (Tokens Studio's old reference syntax) = "16".
    assert token(client, DIMENSION, "spacing.gutter")["value"] == {
        "__typename": "DimensionValue",
        "value": 16.0,
        "unit": "px",
    }


def test_input_format_forces_plain_dtcg(app: Flask, runner: FlaskCliRunner) -> None:
    single = FIXTURES / "tokens-studio-single.json"
    # Read as one DTCG file, the set names become path segments ("dark.surface"), so
    # {colors.slate.800} names nothing.
    result = validate(runner, single, "--input-format", "dtcg", "--format", "json")
    assert result.exit_code == 1
    errors = json.loads(result.stdout)["errors"]
    hit = [e for e in errors if e["path"] == "dark.surface"]
    assert [e["code"] for e in hit] == ["UNRESOLVABLE_REFERENCE"]
    assert "{colors.slate.800}" in hit[0]["message"]
    assert validate(runner, single).exit_code == 0  # detected as Tokens Studio
    # Forcing "resolver" on a token file: not a resolver document.
    result = validate(runner, single, "--input-format", "resolver", "--format", "json")
    assert result.exit_code == 1
    assert {e["code"] for e in json.loads(result.stdout)["errors"]} == {"INVALID_RESOLVER"}
    assert stored_state(app).revision == 0


def test_import_spectrum_package(runner: FlaskCliRunner, client: FlaskClient) -> None:
    spectrum = FIXTURES / "spectrum"  # detected: its src/ has Spectrum's $schema URLs
    import_tokens(runner, spectrum)
    assert modifiers(client) == [
        {"name": "colorTheme", "default": "light", "contexts": ["light", "dark", "wireframe"]},
        {"name": "scale", "default": "desktop", "contexts": ["desktop", "mobile"]},
    ]
    # button.json accent-color = {blue-800}; color-palette.json blue-800 dark =
    # rgb(86, 129, 255) = #5681ff; light = rgb(64, 105, 253) = #4069fd.
    dark_mobile = {"colorTheme": "dark", "scale": "mobile"}
    assert token(client, COLOR, "accent-color", dark_mobile)["value"]["hex"] == "#5681ff"
    assert token(client, COLOR, "accent-color")["value"]["hex"] == "#4069fd"
    # accent-edge = {field-edge}; field-edge mobile = {spacing-200} = 12px (desktop 8px).
    assert token(client, DIMENSION, "accent-edge", dark_mobile)["value"]["value"] == 12.0
    assert token(client, DIMENSION, "accent-edge")["value"]["value"] == 8.0
    # drop-shadow-emphasized layer 0: {x 0px, y 2px, blur {drop-shadow-blur} (mobile 6px),
    # colour {transparent-black-200} = rgba(0, 0, 0, 0.12): 0.12 * 255 = 30.6 → 31 = 0x1f.
    layer = token(client, SHADOW, "drop-shadow-emphasized", dark_mobile)["value"]["layers"][0]
    assert (layer["offsetY"], layer["blur"], layer["color"]) == (
        {"value": 2.0, "unit": "px"},
        {"value": 6.0, "unit": "px"},
        {"hex": "#0000001f"},
    )
    result = validate(
        runner, spectrum, "--strict", "--input-format", "spectrum", "--format", "json"
    )
    assert result.exit_code == 1, result.output
    codes = {e["code"] for e in json.loads(result.stdout)["errors"]}
    assert codes == {"INVALID_VALUE", "UNKNOWN_TYPE"}  # rgb()/"8px"/"0.4"; alignment, "100%"

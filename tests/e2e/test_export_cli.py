"""``flask tokens export``: theme selection, errors, 2025.10 values, strict validity, round trips.

Each test runs on SQLite and PostgreSQL (the ``app``/``runner`` fixtures; the tests that only
read the context-per-file fixture share one import of it per module) with small token files,
so every one imports in a fraction of a second; the Primer exports and the oracle round trip
are in ``tests/api/test_exports.py`` (they need the shared Primer database). Expected
documents are written by hand from the source files (the working is in the comments).
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

import pytest

from tests.conftest import _BACKENDS, app_on, shared_database_with
from tests.helpers import SMALL_EXAMPLE, data_of, gql, import_tokens, tokens_of

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping
    from pathlib import Path

    from click.testing import Result
    from flask import Flask
    from flask.testing import FlaskClient, FlaskCliRunner

CONTEXT_FOLDER = SMALL_EXAMPLE.parents[2] / "importers" / "fixtures" / "context-per-file"

#: Every field of every TokenValue member, so two typed values compare completely.
TYPED = """
fragment Color on ColorValue { colorSpace components alpha hex css }
fragment Dim on DimensionValue { value unit px rem css }
fragment Dur on DurationValue { value unit ms css }
fragment Bezier on CubicBezierValue { x1 y1 x2 y2 css }
fragment Stroke on StrokeStyleValue { keyword dashArray { ...Dim } lineCap css }
query Theme($theme: [ThemeSelection!]) {
  tokens(theme: $theme) {
    edges {
      node {
        path type
        value {
          __typename
          ... on ColorValue { ...Color }
          ... on DimensionValue { ...Dim }
          ... on DurationValue { ...Dur }
          ... on FontFamilyValue { families css }
          ... on FontWeightValue { weight css }
          ... on CubicBezierValue { ...Bezier }
          ... on NumberValue { value css }
          ... on StrokeStyleValue { ...Stroke }
          ... on BorderValue { color { ...Color } width { ...Dim } style { ...Stroke } css }
          ... on TransitionValue {
            duration { ...Dur } delay { ...Dur } timingFunction { ...Bezier } css
          }
          ... on ShadowValue {
            layers {
              color { ...Color } offsetX { ...Dim } offsetY { ...Dim } blur { ...Dim }
              spread { ...Dim } inset css
            }
            css
          }
          ... on GradientValue { stops { color { ...Color } position } css }
          ... on TypographyValue {
            fontFamily { families css } fontSize { ...Dim } fontWeight { weight css }
            letterSpacing { ...Dim } lineHeight css
          }
          ... on UnknownValue { json css }
        }
      }
    }
  }
}
"""

#: Every standard type, in the older forms the tolerant reader accepts and 2025.10 does not.
TOLERANT: dict[str, Any] = {
    "color": {
        "$type": "color",
        "hex": {"$value": "#ff8800"},
        "short": {"$value": "#f80"},
        "translucent": {"$value": "#0000ff80"},
        "rgb": {"$value": "rgb(0, 51, 102)"},
        "alias": {"$value": "{color.hex}"},
    },
    "size": {
        "$type": "dimension",
        "px": {"$value": "16px"},
        "rem": {"$value": "0.5rem"},
        "zero": {"$value": 0},
    },
    "time": {"$type": "duration", "fast": {"$value": "200ms"}, "slow": {"$value": "1.5s"}},
    "weight": {"$type": "fontWeight", "numeric": {"$value": "600"}, "named": {"$value": "Bold"}},
    "font": {"$type": "fontFamily", "$value": ["Inter", "sans-serif"]},
    "ease": {"$type": "cubicBezier", "$value": [0.4, 0, 0.2, 1]},
    "dashed": {
        "$type": "strokeStyle",
        "$value": {"dashArray": ["4px", "{size.px}"], "lineCap": "round"},
    },
    "outline": {
        "$type": "border",
        "$value": {"color": "{color.hex}", "width": "1px", "style": "{dashed}"},
    },
    "fade": {
        "$type": "transition",
        "$value": {"duration": "{time.fast}", "timingFunction": "{ease}"},
    },
    "raised": {
        "$type": "shadow",
        "$value": {"color": "#00000033", "offsetX": "0px", "offsetY": "2px", "blur": "4px"},
    },
    "layered": {
        "$type": "shadow",
        "$value": [
            {
                "color": "{color.translucent}",
                "offsetX": 0,
                "offsetY": "1px",
                "blur": "2px",
                "spread": "1px",
                "inset": True,
            }
        ],
    },
    "sunset": {
        "$type": "gradient",
        "$value": [{"color": "#ff0000", "position": 0}, {"color": "{color.hex}", "position": 1}],
    },
    "body": {
        "$type": "typography",
        "$value": {
            "fontFamily": "{font}",
            "fontSize": "{size.px}",
            "fontWeight": "{weight.numeric}",
            "letterSpacing": "0px",
            "lineHeight": 1.5,
        },
    },
}


def _px(n: float) -> dict[str, Any]:
    return {"value": n, "unit": "px"}


def _ms(n: float, unit: str = "ms") -> dict[str, Any]:
    return {"value": n, "unit": unit}


# #ff8800 = (255, 136, 0); #0000ff80: blue, alpha 0x80 = 128/255; rgb(0, 51, 102) = #003366;
# #00000033: black, alpha 0x33 = 51/255 = 0.2.
ORANGE = {"colorSpace": "srgb", "components": [1, 136 / 255, 0], "hex": "#ff8800"}
BLUE_HALF = {"colorSpace": "srgb", "components": [0, 0, 1], "alpha": 128 / 255, "hex": "#0000ff"}
DASHED = {"dashArray": [_px(4), _px(16)], "lineCap": "round"}

#: TOLERANT exported resolved, worked out by hand: ``{path: ($type, $value)}``.
TOLERANT_EXPORTED: dict[str, tuple[str, Any]] = {
    "color.hex": ("color", ORANGE),
    "color.short": ("color", ORANGE),
    "color.translucent": ("color", BLUE_HALF),
    "color.rgb": ("color", {"colorSpace": "srgb", "components": [0, 0.2, 0.4], "hex": "#003366"}),
    "color.alias": ("color", ORANGE),
    "size.px": ("dimension", _px(16)),
    "size.rem": ("dimension", {"value": 0.5, "unit": "rem"}),
    "size.zero": ("dimension", _px(0)),
    "time.fast": ("duration", _ms(200)),
    "time.slow": ("duration", _ms(1.5, "s")),
    "weight.numeric": ("fontWeight", 600),
    "weight.named": ("fontWeight", "bold"),
    "font": ("fontFamily", ["Inter", "sans-serif"]),
    "ease": ("cubicBezier", [0.4, 0, 0.2, 1]),
    "dashed": ("strokeStyle", DASHED),
    "outline": ("border", {"color": ORANGE, "width": _px(1), "style": DASHED}),
    "fade": (
        "transition",
        {"duration": _ms(200), "delay": _ms(0), "timingFunction": [0.4, 0, 0.2, 1]},
    ),
    "raised": (
        "shadow",
        {
            "color": {
                "colorSpace": "srgb",
                "components": [0, 0, 0],
                "alpha": 0.2,
                "hex": "#000000",
            },
            "offsetX": _px(0),
            "offsetY": _px(2),
            "blur": _px(4),
            "spread": _px(0),
        },
    ),
    "layered": (
        "shadow",
        [
            {
                "color": BLUE_HALF,
                "offsetX": _px(0),
                "offsetY": _px(1),
                "blur": _px(2),
                "spread": _px(1),
                "inset": True,
            }
        ],
    ),
    "sunset": (
        "gradient",
        [
            {
                "color": {"colorSpace": "srgb", "components": [1, 0, 0], "hex": "#ff0000"},
                "position": 0,
            },
            {"color": ORANGE, "position": 1},
        ],
    ),
    "body": (
        "typography",
        {
            "fontFamily": ["Inter", "sans-serif"],
            "fontSize": _px(16),
            "fontWeight": 600,
            "letterSpacing": _px(0),
            "lineHeight": 1.5,
        },
    ),
}

#: The context-per-file fixture's 16 token paths (base.json 12, the contexts' color.* 4).
CONTEXT_PATHS = {
    "palette.white",
    "palette.black",
    "palette.gray.100",
    "palette.gray.700",
    "palette.gray.900",
    "palette.violet.300",
    "palette.violet.600",
    "palette.violet.800",
    "palette.yellow.300",
    "space.sm",
    "space.md",
    "focus.width",
    "color.bg",
    "color.fg",
    "color.accent",
    "color.focus-ring",
}


# --------------------------------------------------------------------------- helpers


def write(folder: Path, name: str, content: Any) -> Path:
    path = folder / name
    path.write_text(content if isinstance(content, str) else json.dumps(content), "utf-8")
    return path


def export(runner: FlaskCliRunner, path: Path | str, *themes: str, keep: bool = False) -> Result:
    args = ["tokens", "export", str(path)]
    for theme in themes:
        args += ["--theme", theme]
    if keep:
        args.append("--keep-references")
    return runner.invoke(args=args)


def exported(runner: FlaskCliRunner, path: Path, *themes: str, keep: bool = False) -> Any:
    """Export to ``path`` (must succeed); the decoded document."""
    result = export(runner, path, *themes, keep=keep)
    assert result.exit_code == 0, f"{result.output}\n{result.exception!r}"
    return json.loads(path.read_text(encoding="utf-8"))


def flat(document: Mapping[str, Any]) -> dict[str, Any]:
    return dict(tokens_of(document))


def rounded(value: Any) -> Any:
    """JSON data compared by meaning, like :func:`canonical` (``1 == 1.0``, ``True != 1``),
    with numbers rounded to 9 places (colour components are n/255)."""
    if isinstance(value, bool):
        return ("bool", value)
    if isinstance(value, (int, float)):
        return round(float(value), 9)
    if isinstance(value, dict):
        return {k: rounded(v) for k, v in value.items()}
    if isinstance(value, list):
        return [rounded(v) for v in value]
    return value


def typed(client: FlaskClient, theme: Mapping[str, str] | None = None) -> dict[str, Any]:
    """``{path: {path, type, value}}`` with every field of the typed value."""
    selection = [{"modifier": m, "context": c} for m, c in (theme or {}).items()] or None
    edges = data_of(gql(client, TYPED, {"theme": selection}))["tokens"]["edges"]
    return {e["node"]["path"]: e["node"] for e in edges}


def strict_errors(runner: FlaskCliRunner, path: Path) -> list[dict[str, Any]]:
    result = runner.invoke(args=["tokens", "validate", "--strict", "--format", "json", str(path)])
    body = json.loads(result.stdout)
    assert result.exit_code == (1 if body["errors"] else 0), result.output
    errors: list[dict[str, Any]] = body["errors"]
    return errors


def error_lines(result: Result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith("[")]


def import_contexts(runner: FlaskCliRunner) -> FlaskCliRunner:
    """Import the context-per-file fixture (modifier theme: dark, high-contrast, light;
    default dark) through ``runner``; the runner."""
    result = runner.invoke(args=["tokens", "import", "--context-per-file", str(CONTEXT_FOLDER)])
    assert result.exit_code == 0, result.output
    return runner


@pytest.fixture(scope="module", params=_BACKENDS)
def _contexts_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A database with the context-per-file fixture imported, once per module and backend."""
    yield from shared_database_with(
        request, tmp_path_factory, lambda app: import_contexts(app.test_cli_runner())
    )


@pytest.fixture
def contexts_app(_contexts_url: str) -> Iterator[Flask]:
    """A new app on the shared context-per-file database, for tests that only read."""
    yield from app_on(_contexts_url)


@pytest.fixture
def contexts(contexts_app: Flask) -> FlaskCliRunner:
    """The CLI runner of ``contexts_app``."""
    return contexts_app.test_cli_runner()


# --------------------------------------------------------------------------- theme selection


def test_export_writes_a_dtcg_document(contexts: FlaskCliRunner, tmp_path: Path) -> None:
    out = tmp_path / "dark.tokens.json"
    result = export(contexts, out, "theme:dark")
    assert result.exit_code == 0, result.output
    assert re.search(r"\bWrote 16 tokens\b", result.stdout), result.stdout
    assert "dark" in result.stdout
    document = json.loads(out.read_text(encoding="utf-8"))
    tokens = flat(document)
    assert set(tokens) == CONTEXT_PATHS
    assert all(set(t) == {"$type", "$value"} for t in tokens.values()), tokens
    # dark.json color.bg = {palette.gray.900} = #111827 = (17, 24, 39); focus.width is
    # base.json's 2px (dark does not override it); space.md is already a 2025.10 object.
    assert rounded(tokens["color.bg"]) == rounded(
        {
            "$type": "color",
            "$value": {
                "colorSpace": "srgb",
                "components": [17 / 255, 24 / 255, 39 / 255],
                "hex": "#111827",
            },
        }
    )
    assert tokens["focus.width"] == {"$type": "dimension", "$value": _px(2)}
    assert tokens["space.md"] == {"$type": "dimension", "$value": _px(16)}
    # dark.json color.fg = {palette.gray.100} = #f3f4f6.
    assert tokens["color.fg"]["$value"]["hex"] == "#f3f4f6"
    # Nested like the source: groups, not dotted keys.
    assert set(document) == {"palette", "space", "focus", "color"}


def test_bare_context_name(contexts: FlaskCliRunner, tmp_path: Path) -> None:
    bare = exported(contexts, tmp_path / "a.json", "high-contrast")
    assert bare == exported(contexts, tmp_path / "b.json", "theme:high-contrast")
    assert bare == exported(contexts, tmp_path / "c.json", "HIGH-CONTRAST")  # any case
    tokens = flat(bare)
    # high-contrast.json: accent = {palette.yellow.300} = #fde047, focus.width = 4px.
    assert tokens["color.accent"]["$value"]["hex"] == "#fde047"
    assert tokens["focus.width"]["$value"] == _px(4)
    assert bare != exported(contexts, tmp_path / "d.json", "theme:dark")


def test_without_theme_the_default_context(contexts: FlaskCliRunner, tmp_path: Path) -> None:
    default = exported(contexts, tmp_path / "a.json")
    assert default == exported(contexts, tmp_path / "b.json", "theme:dark")


@pytest.mark.parametrize(
    ("theme", "code", "named"),
    [
        ("sepia", "UNKNOWN_CONTEXT", "sepia"),
        ("theme:sepia", "UNKNOWN_CONTEXT", "sepia"),
        ("mood:dark", "UNKNOWN_MODIFIER", "mood"),
    ],
)
def test_unknown_theme(
    contexts: FlaskCliRunner, tmp_path: Path, theme: str, code: str, named: str
) -> None:
    out = tmp_path / "out.json"
    result = export(contexts, out, theme)
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = error_lines(result)
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"[{code}]")
    assert named in lines[0]
    assert not out.exists()
    assert "Wrote" not in result.stdout


def test_every_unknown_context_is_reported(contexts: FlaskCliRunner, tmp_path: Path) -> None:
    result = export(contexts, tmp_path / "out.json", "sepia", "theme:dark", "noir")
    assert result.exit_code == 1
    lines = error_lines(result)
    assert [line.split("]")[0] for line in lines] == ["[UNKNOWN_CONTEXT"] * 2
    assert "sepia" in lines[0]
    assert "noir" in lines[1]


def test_ambiguous_bare_context(runner: FlaskCliRunner, tmp_path: Path) -> None:
    write(tmp_path, "base.json", {"speed": {"$type": "duration", "$value": "200ms"}})
    write(tmp_path, "still.json", {"speed": {"$type": "duration", "$value": "0ms"}})
    doc = {
        "version": "2025.10",
        "sets": {"base": {"sources": [{"$ref": "base.json"}]}},
        "modifiers": {
            "motion": {"contexts": {"on": [], "off": [{"$ref": "still.json"}]}, "default": "on"},
            "sound": {"contexts": {"on": [], "off": []}, "default": "on"},
        },
        "resolutionOrder": [
            {"$ref": "#/sets/base"},
            {"$ref": "#/modifiers/motion"},
            {"$ref": "#/modifiers/sound"},
        ],
    }
    import_tokens(runner, write(tmp_path, "d.resolver.json", doc))
    out = tmp_path / "out.json"
    result = export(runner, out, "off")
    assert result.exit_code == 1
    lines = error_lines(result)
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("[UNKNOWN_CONTEXT]")
    assert "motion" in lines[0]
    assert "sound" in lines[0]
    assert not out.exists()
    assert flat(exported(runner, out, "motion:off"))["speed"]["$value"] == _ms(0)
    assert flat(exported(runner, out, "sound:off"))["speed"]["$value"] == _ms(200)


def test_export_to_stdout(contexts: FlaskCliRunner, tmp_path: Path) -> None:
    result = export(contexts, "-", "theme:light")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == exported(contexts, tmp_path / "l.json", "theme:light")
    assert not (tmp_path / "-").exists()


def test_keep_references(contexts: FlaskCliRunner, tmp_path: Path) -> None:
    tokens = flat(exported(contexts, tmp_path / "raw.json", "theme:light", keep=True))
    assert set(tokens) == CONTEXT_PATHS
    # As written in light.json / base.json, with the effective $type made explicit.
    assert tokens["color.bg"] == {"$type": "color", "$value": "{palette.white}"}
    assert tokens["color.accent"] == {"$type": "color", "$value": "{palette.violet.600}"}
    assert tokens["palette.white"] == {"$type": "color", "$value": "#ffffff"}
    assert tokens["space.sm"] == {"$type": "dimension", "$value": _px(8)}
    resolved = flat(exported(contexts, tmp_path / "resolved.json", "theme:light"))
    assert resolved["color.bg"]["$value"]["hex"] == "#ffffff"


# --------------------------------------------------------------------------- 2025.10 values


def test_older_forms_are_written_in_2025_10_form(runner: FlaskCliRunner, tmp_path: Path) -> None:
    import_tokens(runner, write(tmp_path, "tolerant.json", TOLERANT))
    tokens = flat(exported(runner, tmp_path / "out.json"))
    assert set(tokens) == set(TOLERANT_EXPORTED)
    wrong = [
        f"{path}: {json.dumps(tokens[path])} != {json.dumps({'$type': t, '$value': v})}"
        for path, (t, v) in TOLERANT_EXPORTED.items()
        if rounded(tokens[path]) != rounded({"$type": t, "$value": v})
    ]
    assert not wrong, "\n".join(wrong)


def test_export_of_older_forms_passes_strict_validation(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    source = write(tmp_path, "tolerant.json", TOLERANT)
    # The source itself is not 2025.10: strict rejects every token in an older form that
    # has no reference (the engine does not report a token that references an invalid one).
    flagged = {e["path"] for e in strict_errors(runner, source)}
    prefixes = ("color.", "size.", "time.", "weight.")
    older = {p for p in TOLERANT_EXPORTED if p.startswith(prefixes)} - {"color.alias"}
    older.add("raised")
    assert older <= flagged, older - flagged
    import_tokens(runner, source)
    out = tmp_path / "out.json"
    exported(runner, out)
    assert strict_errors(runner, out) == []


def test_small_example_export_under_strict_validation(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    """The small example's only non-standard type (``fontSize`` on text.sizes) is gone once
    every token carries its effective type; its hex strings, "16px" strings and shadows
    without ``spread`` are converted. What strict still rejects is the 4 typography tokens:
    the source gives no ``letterSpacing`` (required by 2025.10 §9.7), and no value for it can
    be derived, so the export leaves it out.
    """
    import_tokens(runner, SMALL_EXAMPLE)
    out = tmp_path / "small.json"
    tokens = flat(exported(runner, out))
    assert len(tokens) == 56
    assert {t["$type"] for t in tokens.values()} <= {
        "color",
        "dimension",
        "duration",
        "fontFamily",
        "fontWeight",
        "cubicBezier",
        "number",
        "strokeStyle",
        "border",
        "transition",
        "shadow",
        "gradient",
        "typography",
    }
    errors = strict_errors(runner, out)
    typography = {
        "composite-examples.typography.body",
        "composite-examples.typography.heading",
        "text.typography.body",
        "text.typography.heading",
    }
    assert sorted((e["code"], e["path"]) for e in errors) == sorted(
        ("INVALID_VALUE", p) for p in typography
    ), errors
    assert all("letterSpacing" in e["message"] for e in errors)


@pytest.mark.parametrize("theme", ["dark", "high-contrast", "light"])
def test_context_export_passes_strict_validation(
    contexts: FlaskCliRunner, tmp_path: Path, theme: str
) -> None:
    out = tmp_path / f"{theme}.json"
    exported(contexts, out, f"theme:{theme}")
    assert strict_errors(contexts, out) == []


# --------------------------------------------------------------------------- round trips


def _same_typed(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    problems = [f"missing {p}" for p in sorted(before.keys() - after.keys())]
    problems += [f"unexpected {p}" for p in sorted(after.keys() - before.keys())]
    for path in sorted(before.keys() & after.keys()):
        for key in ("type", "value"):
            if rounded(before[path][key]) != rounded(after[path][key]):
                problems.append(
                    f"{path} {key}: {json.dumps(after[path][key])} "
                    f"!= {json.dumps(before[path][key])}"
                )
    return problems


@pytest.mark.parametrize("source", ["tolerant", "small-example"])
def test_round_trip_keeps_types_and_values(
    runner: FlaskCliRunner, client: FlaskClient, tmp_path: Path, source: str
) -> None:
    path = write(tmp_path, "t.json", TOLERANT) if source == "tolerant" else SMALL_EXAMPLE
    import_tokens(runner, path)
    before = typed(client)
    out = tmp_path / "out.json"
    exported(runner, out)
    import_tokens(runner, out)  # replaces everything with the exported file
    problems = _same_typed(before, typed(client))
    assert not problems, "\n".join(problems)


def test_round_trip_of_each_context(
    runner: FlaskCliRunner, client: FlaskClient, tmp_path: Path
) -> None:
    contexts = import_contexts(runner)  # a database of the test's own: it imports
    before = {ctx: typed(client, {"theme": ctx}) for ctx in ("dark", "high-contrast", "light")}
    for ctx, values in before.items():
        out = tmp_path / f"{ctx}.json"
        exported(contexts, out, f"theme:{ctx}")
        raw = tmp_path / f"{ctx}-raw.json"
        exported(contexts, raw, f"theme:{ctx}", keep=True)
        for document in (out, raw):
            import_tokens(contexts, document)
            problems = _same_typed(values, typed(client))
            assert not problems, f"{document.name}:\n" + "\n".join(problems)
        result = contexts.invoke(
            args=["tokens", "import", "--context-per-file", str(CONTEXT_FOLDER)]
        )
        assert result.exit_code == 0, result.output  # the original again, for the next one


# --------------------------------------------------------------------------- other formats


@pytest.mark.parametrize("fmt", ["css", "scss", "js", "ts"])
def test_formats_write_the_http_bytes(contexts_app: Flask, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"light.{fmt}"
    client = contexts_app.test_client()
    result = contexts_app.test_cli_runner().invoke(
        args=["tokens", "export", "--format", fmt, "--theme", "light", str(out)]
    )
    assert result.exit_code == 0, result.output
    # 16 tokens, none typography: one variable each.
    assert re.search(r"\bWrote 16 variables\b", result.stdout), result.stdout
    assert out.read_bytes() == client.get(f"/tokens.{fmt}?theme=light").get_data()


def test_css_variables_from_the_source(contexts: FlaskCliRunner) -> None:
    result = contexts.invoke(
        args=[
            "tokens",
            "export",
            "--format",
            "css",
            "--theme",
            "high-contrast",
            "--prefix",
            "ds",
            "-",
        ]
    )
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    # high-contrast.json: accent = {palette.yellow.300} = #fde047, focus.width = 4px;
    # base.json: space.md = 16px.
    for line in (
        "  --ds-color-accent: #fde047;",
        "  --ds-focus-width: 4px;",
        "  --ds-space-md: 16px;",
        "  --ds-color-focus-ring: #fde047;",
    ):
        assert line in lines, result.stdout
    assert lines[1] == ":root {"
    assert lines[-1] == "}"


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--format", "json", "--name", "camel"], "not for json"),
        (["--format", "json", "--contexts", "light,dark"], "not for json"),
        (["--format", "css", "--keep-references"], "json only"),
        (["--format", "scss", "--light-dark", "light,dark"], "CSS only"),
        (["--format", "css", "--contexts", "light,sepia"], "sepia"),
        (["--format", "css", "--prefix", "--"], "prefix"),
    ],
)
def test_bad_format_options(
    contexts: FlaskCliRunner, tmp_path: Path, args: list[str], words: str
) -> None:
    out = tmp_path / "out"
    result = contexts.invoke(args=["tokens", "export", *args, str(out)])
    assert result.exit_code == 1, result.output
    lines = error_lines(result)
    assert len(lines) == 1, result.stderr
    assert words in lines[0]
    assert not out.exists()


def test_name_collision_fails(runner: FlaskCliRunner, tmp_path: Path) -> None:
    tokens = {"gap": {"$type": "dimension", "x_y": {"$value": "1px"}, "x-y": {"$value": "2px"}}}
    import_tokens(runner, write(tmp_path, "gap.json", tokens))
    out = tmp_path / "gap.css"
    result = runner.invoke(args=["tokens", "export", "--format", "css", str(out)])
    assert result.exit_code == 1
    lines = error_lines(result)
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("[NAME_COLLISION]")
    assert "gap.x_y" in lines[0]
    assert "gap.x-y" in lines[0]
    assert "gap-x-y" in lines[0]
    assert not out.exists()
    # Every style merges them: gap_x_y in snake case, gapXY in camel case.
    for style in ("snake", "camel"):
        again = runner.invoke(args=["tokens", "export", "--format", "js", "--name", style, "-"])
        assert again.exit_code == 1

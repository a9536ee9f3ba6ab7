"""Exports of Primer: ``flask tokens export`` and ``GET /tokens.json``, checked against the oracle.

The Primer database (``primer``, both backends) is shared and only read here: exports do not
write. The round trip imports an exported file into the test's own fresh database (``app``,
``runner``, ``client``), so it costs one import of a plain-JSON file (no JSON5, no modifiers,
≈ 0.2 s) per theme and backend instead of a Primer import.

What "equal to the oracle" means for a resolved export: the exporter writes every value in
its DTCG 2025.10 form, so an oracle value that already has that form must come out unchanged
(:func:`needs_no_conversion`); the others are hex-string colours (13 in dark, 17 in
light-high-contrast, none in light; written as sRGB colour objects with the same hex) and
Primer's 4 transitions without a ``delay`` (written with ``delay: 0ms``, the value a
tolerant reader assumes).
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

import pytest

from tests.helpers import PRIMER_ORACLE, canonical, data_of, load_oracle, tokens_of
from tests.helpers import gql as post_gql

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping
    from pathlib import Path

    from flask import Flask
    from flask.testing import FlaskClient, FlaskCliRunner
    from werkzeug.test import TestResponse

    from tests.api.conftest import SharedDB

PRIMER_TOKENS = 1_488

#: Every field of every TokenValue member, so two typed values compare completely.
TYPED = """
fragment Color on ColorValue { colorSpace components alpha hex css }
fragment Dim on DimensionValue { value unit px rem css }
fragment Dur on DurationValue { value unit ms css }
fragment Bezier on CubicBezierValue { x1 y1 x2 y2 css }
fragment Stroke on StrokeStyleValue { keyword dashArray { ...Dim } lineCap css }
fragment Value on TokenValue {
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
  ... on TransitionValue { duration { ...Dur } delay { ...Dur } timingFunction { ...Bezier } css }
  ... on ShadowValue {
    layers {
      color { ...Color } offsetX { ...Dim } offsetY { ...Dim } blur { ...Dim } spread { ...Dim }
      inset css
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
query Theme($theme: [ThemeSelection!]) {
  tokens(theme: $theme) {
    totalCount
    edges { node { path type rawValue resolvedValue value { ...Value } } }
  }
}
"""

#: (oracle file, CLI --theme arguments, the same selection as a GraphQL theme input)
ROUND_TRIP_THEMES = [
    pytest.param(("dark.json", ["theme:dark"], {"theme": "dark"}), id="dark"),
    pytest.param(
        (
            "light-high-contrast.json",
            ["theme:light-high-contrast"],
            {"theme": "light-high-contrast"},
        ),
        id="light-high-contrast",
    ),
    pytest.param(
        (
            "light--pointer-coarse.json",
            ["light", "pointer:coarse"],
            {"theme": "light", "pointer": "coarse"},
        ),
        id="light-pointer-coarse",
    ),
]


# --------------------------------------------------------------------------- helpers


def _dim(v: Any) -> bool:
    return isinstance(v, dict) and {"value", "unit"} <= v.keys()


def _color(v: Any) -> bool:
    return isinstance(v, dict) and {"colorSpace", "components"} <= v.keys()


def _weight(v: Any) -> bool:
    if isinstance(v, str):
        return v == v.lower() and not v.strip().isdigit()
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _stroke(v: Any) -> bool:
    return isinstance(v, str) or all(_dim(d) for d in v.get("dashArray", []))


def _layers(v: Any) -> list[Any]:
    return v if isinstance(v, list) else [v]


_FORMS: dict[str, Any] = {
    "color": _color,
    "dimension": _dim,
    "duration": _dim,
    "fontWeight": _weight,
    "strokeStyle": _stroke,
    "border": lambda v: _color(v["color"]) and _dim(v["width"]) and _stroke(v["style"]),
    "transition": lambda v: _dim(v["duration"]) and _dim(v.get("delay")),
    "shadow": lambda v: all(
        _color(layer["color"])
        and all(_dim(layer.get(k)) for k in ("offsetX", "offsetY", "blur", "spread"))
        for layer in _layers(v)
    ),
    "gradient": lambda v: all(_color(stop["color"]) for stop in v),
    "typography": lambda v: (
        all(_dim(v[k]) for k in ("fontSize", "letterSpacing") if k in v)
        and ("fontWeight" not in v or _weight(v["fontWeight"]))
    ),
}


def needs_no_conversion(type_: str, value: Any) -> bool:
    """True when every part of ``value`` the exporter converts is in its 2025.10 form already.

    Written from the spec's forms (colour objects, ``{value, unit}`` dimensions and
    durations, numeric or lower-case named font weights, required ``spread``/``delay``),
    not from the exporter's code. Types without such parts (number, cubicBezier,
    fontFamily, Primer's custom types) always qualify.
    """
    check = _FORMS.get(type_)
    return check is None or bool(check(value))


def flat(document: Mapping[str, Any]) -> dict[str, Any]:
    tokens = dict(tokens_of(document))
    assert len(tokens) == len(list(tokens_of(document))), "a path occurs twice"
    return tokens


def export_cli(app: Flask, folder: Path, *themes: str, keep: bool = False) -> dict[str, Any]:
    """Run ``tokens export`` on ``app``; the decoded document."""
    path = folder / f"export-{'-'.join(themes) or 'default'}{'-raw' if keep else ''}.json"
    args = ["tokens", "export", str(path)]
    for theme in themes:
        args += ["--theme", theme]
    if keep:
        args.append("--keep-references")
    result = app.test_cli_runner().invoke(args=args)
    assert result.exit_code == 0, f"{result.output}\n{result.exception!r}"
    assert re.search(rf"\bWrote {PRIMER_TOKENS} tokens\b", result.stdout), result.stdout
    document: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return document


def typed_tokens(client: FlaskClient, theme: Mapping[str, str] | None) -> dict[str, Any]:
    """``{path: node}`` of every token in ``theme`` with its typed value (one request)."""
    selection = [{"modifier": m, "context": c} for m, c in (theme or {}).items()] or None
    conn = data_of(post_gql(client, TYPED, {"theme": selection}))["tokens"]
    nodes = {e["node"]["path"]: e["node"] for e in conn["edges"]}
    assert len(nodes) == conn["totalCount"]
    return nodes


REFERENCE = re.compile(r"\{[^{}]+\}")


def strings(value: Any) -> Iterator[str]:
    """Every string inside a JSON value."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)


def get_json(client: FlaskClient, query: str) -> TestResponse:
    return client.get(f"/tokens.json{query}")


def report(problems: list[str]) -> str:
    return f"{len(problems)} problems:\n" + "\n".join(problems[:30])


# --------------------------------------------------------------------------- CLI


def test_export_dark_matches_the_oracle(primer: SharedDB, tmp_path: Path) -> None:
    oracle = load_oracle(PRIMER_ORACLE / "dark.json")
    exported = flat(export_cli(primer.app, tmp_path, "theme:dark"))
    assert exported.keys() == oracle.keys()
    problems = [
        f"{p}: $type {t.get('$type')!r} != {oracle[p]['type']!r}"
        for p, t in exported.items()
        if t.get("$type") != oracle[p]["type"]
    ]
    unchanged = [p for p, o in oracle.items() if needs_no_conversion(o["type"], o["value"])]
    assert len(unchanged) > 1_400  # all but the hex strings and the delay-less transitions
    problems += [
        f"{p}: {json.dumps(exported[p]['$value'])} != {json.dumps(oracle[p]['value'])}"
        for p in unchanged
        if canonical(exported[p]["$value"]) != canonical(oracle[p]["value"])
    ]
    assert not problems, report(problems)


def test_bare_context_name(primer: SharedDB, tmp_path: Path) -> None:
    bare = export_cli(primer.app, tmp_path, "dark-dimmed")
    assert bare == export_cli(primer.app, tmp_path, "theme:dark-dimmed")
    dimmed = load_oracle(PRIMER_ORACLE / "dark-dimmed.json")
    dark = load_oracle(PRIMER_ORACLE / "dark.json")
    differ = [
        p
        for p, o in dimmed.items()
        if o["value"] != dark[p]["value"] and needs_no_conversion(o["type"], o["value"])
    ]
    assert len(differ) > 100  # dark-dimmed is really another theme than dark
    got = flat(bare)
    wrong = [p for p in differ if canonical(got[p]["$value"]) != canonical(dimmed[p]["value"])]
    assert not wrong, report(wrong)


@pytest.mark.parametrize(
    ("theme", "code", "named"),
    [
        ("dark-sepia", "UNKNOWN_CONTEXT", "dark-sepia"),
        ("theme:dark-sepia", "UNKNOWN_CONTEXT", "dark-sepia"),
        ("mood:dark", "UNKNOWN_MODIFIER", "mood"),
    ],
)
def test_unknown_theme_fails(
    primer: SharedDB, tmp_path: Path, theme: str, code: str, named: str
) -> None:
    out = tmp_path / "out.json"
    result = primer.app.test_cli_runner().invoke(
        args=["tokens", "export", "--theme", theme, str(out)]
    )
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    errors = [line for line in result.stderr.splitlines() if line.startswith("[")]
    assert len(errors) == 1, result.stderr
    assert errors[0].startswith(f"[{code}]")
    assert named in errors[0], errors[0]
    assert not out.exists()


# --------------------------------------------------------------------------- round trip


# The exports come from both backends (``primer``); the copy is imported into SQLite only:
# importing plain DTCG files into PostgreSQL is covered by the import tests, and doubling the
# copies would double this test's time (≈ 15 s more) for no other check.
@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize("case", ROUND_TRIP_THEMES)
def test_round_trip(
    primer: SharedDB,
    runner: FlaskCliRunner,
    client: FlaskClient,
    tmp_path: Path,
    case: tuple[str, list[str], dict[str, str]],
) -> None:
    """Export a theme resolved, import the file alone into a fresh DB: same tokens and values.

    Then the same with ``--keep-references``: resolving the kept references in the new
    database reproduces the oracle exactly.
    """
    oracle_file, cli_theme, theme = case
    oracle = load_oracle(PRIMER_ORACLE / oracle_file)
    original = typed_tokens(primer.client, theme)
    assert len(original) == PRIMER_TOKENS

    export_cli(primer.app, tmp_path, *cli_theme)
    exported = tmp_path / f"export-{'-'.join(cli_theme)}.json"
    result = runner.invoke(args=["tokens", "import", str(exported)])
    assert result.exit_code == 0, result.output
    summary = result.stdout.strip().splitlines()[-1]
    for part in (f"{PRIMER_TOKENS} tokens", "0 aliases", "1 sets", "0 modifiers"):
        assert re.search(rf"\b{part}\b", summary), summary
    copy = typed_tokens(client, None)

    assert copy.keys() == original.keys()
    problems = [
        f"{p}: {k} {json.dumps(copy[p][k])[:200]} != {json.dumps(original[p][k])[:200]}"
        for p in original
        for k in ("type", "value")
        if canonical(copy[p][k]) != canonical(original[p][k])
    ]
    assert not problems, report(problems)

    # Against the oracle: unchanged where it is in 2025.10 form already; hex strings come back
    # as sRGB objects with that hex; a transition gets the delay a reader assumes.
    counts = {"unchanged": 0, "hex": 0, "delay": 0}
    for path, want in oracle.items():
        got = copy[path]["resolvedValue"]
        value = want["value"]
        if needs_no_conversion(want["type"], value):
            kind, ok = "unchanged", canonical(got) == canonical(value)
        elif want["type"] == "color" and isinstance(value, str) and value.startswith("#"):
            kind = "hex"
            ok = got["colorSpace"] == "srgb" and got["hex"] == value.lower()
        elif want["type"] == "transition" and "delay" not in value:
            kind = "delay"
            ok = canonical(got) == canonical({**value, "delay": {"value": 0, "unit": "ms"}})
        else:
            kind, ok = "other", False
        counts[kind] = counts.get(kind, 0) + 1
        if not ok:
            problems.append(f"{path} ({kind}): {json.dumps(got)} vs oracle {json.dumps(value)}")
    assert not problems, report(problems)
    assert counts["delay"] == 4  # Primer's motion.transition.* tokens have no delay
    assert counts["unchanged"] + counts["hex"] + counts["delay"] == PRIMER_TOKENS

    # --keep-references: the raw values, references and all; re-resolved = the oracle.
    export_cli(primer.app, tmp_path, *cli_theme, keep=True)
    raw = tmp_path / f"export-{'-'.join(cli_theme)}-raw.json"
    result = runner.invoke(args=["tokens", "import", str(raw)])
    assert result.exit_code == 0, result.output
    assert not re.search(r"\b0 aliases\b", result.stdout), result.stdout
    kept = typed_tokens(client, None)
    problems = [
        f"{p}: {json.dumps(kept.get(p, {}).get('resolvedValue'))} != {json.dumps(w['value'])}"
        for p, w in oracle.items()
        if p not in kept
        or kept[p]["type"] != w["type"]
        or canonical(kept[p]["resolvedValue"]) != canonical(w["value"])
    ]
    assert not problems, report(problems)
    assert len(kept) == PRIMER_TOKENS


# --------------------------------------------------------------------------- GET /tokens.json


def test_http_export_equals_cli_export(primer: SharedDB, tmp_path: Path) -> None:
    response = get_json(primer.client, "?theme=theme:dark")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.get_json() == export_cli(primer.app, tmp_path, "theme:dark")


def test_http_export_keeps_references(primer: SharedDB, tmp_path: Path) -> None:
    response = get_json(primer.client, "?theme=theme:dark&references=keep")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    document = response.get_json()
    assert document == export_cli(primer.app, tmp_path, "theme:dark", keep=True)
    exported = flat(document)
    served = typed_tokens(primer.client, {"theme": "dark"})
    assert exported.keys() == served.keys()
    wrong = [p for p, t in exported.items() if t["$value"] != served[p]["rawValue"]]
    assert not wrong, report(wrong)
    references = [
        p for p, t in exported.items() if isinstance(t["$value"], str) and "{" in t["$value"]
    ]
    assert len(references) > 500  # Primer's functional tokens are aliases of base tokens
    resolved = flat(get_json(primer.client, "?theme=theme:dark").get_json())
    left = [p for p in references if any(map(REFERENCE.search, strings(resolved[p]["$value"])))]
    assert not left, report(left)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?theme=dark-sepia", [("UNKNOWN_CONTEXT", "dark-sepia")]),
        ("?theme=theme:dark-sepia", [("UNKNOWN_CONTEXT", "dark-sepia")]),
        ("?theme=mood:dark", [("UNKNOWN_MODIFIER", "mood")]),
        ("?theme=nope&theme=zilch", [("UNKNOWN_CONTEXT", "nope"), ("UNKNOWN_CONTEXT", "zilch")]),
        ("?theme=nope,zilch", [("UNKNOWN_CONTEXT", "nope"), ("UNKNOWN_CONTEXT", "zilch")]),
    ],
)
def test_http_unknown_theme_is_a_400(
    primer: SharedDB, query: str, expected: list[tuple[str, str]]
) -> None:
    response = get_json(primer.client, query)
    assert response.status_code == 400
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert set(body) == {"errors"}
    got = body["errors"]
    assert [e["code"] for e in got] == [code for code, _ in expected]
    for error, (_, named) in zip(got, expected, strict=True):
        assert named in error["message"], error


def test_http_theme_lists(primer: SharedDB, tmp_path: Path) -> None:
    comma = get_json(primer.client, "?theme=light,pointer:coarse")
    repeated = get_json(primer.client, "?theme=light&theme=pointer:coarse")
    assert comma.status_code == repeated.status_code == 200
    assert comma.get_json() == repeated.get_json()
    assert comma.get_json() == export_cli(primer.app, tmp_path, "light", "pointer:coarse")

    coarse = load_oracle(PRIMER_ORACLE / "light--pointer-coarse.json")
    fine = load_oracle(PRIMER_ORACLE / "light.json")
    differ = [p for p in coarse if coarse[p]["value"] != fine[p]["value"]]
    assert differ  # pointer:coarse changes some sizes
    got = flat(comma.get_json())
    wrong = [p for p in differ if canonical(got[p]["$value"]) != canonical(coarse[p]["value"])]
    assert not wrong, report(wrong)
    light = flat(get_json(primer.client, "?theme=light").get_json())
    assert all(canonical(light[p]["$value"]) == canonical(fine[p]["value"]) for p in differ)


def test_http_without_theme_uses_the_defaults(primer: SharedDB) -> None:
    mods = data_of(primer.gql("{ modifiers { name default } }"))["modifiers"]
    explicit = "&".join(f"theme={m['name']}:{m['default']}" for m in mods)
    assert len(mods) == 2
    default = get_json(primer.client, "")
    assert default.status_code == 200
    assert default.get_json() == get_json(primer.client, f"?{explicit}").get_json()


def test_http_export_without_modifiers(small_example: Flask, client: FlaskClient) -> None:
    response = get_json(client, "")
    assert response.status_code == 200
    tokens = flat(response.get_json())
    assert len(tokens) == 56  # the small example's oracle
    # tokens/colors.json colors.orange.500 = #ed8936 → sRGB (237, 137, 54) / 255.
    assert tokens["colors.orange.500"] == {
        "$type": "color",
        "$value": {
            "colorSpace": "srgb",
            "components": pytest.approx([237 / 255, 137 / 255, 54 / 255]),
            "hex": "#ed8936",
        },
    }
    bad = get_json(client, "?theme=dark")
    assert bad.status_code == 400
    assert [e["code"] for e in bad.get_json()["errors"]] == ["UNKNOWN_CONTEXT"]

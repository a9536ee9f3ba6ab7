"""``GET /tokens.{css,scss,js,ts}`` and ``flask tokens export --format``: small hand-written files.

Every test runs on SQLite and PostgreSQL (the ``app`` fixture; tests that only read share one
import per module: ``types``) with a few tokens, so each import takes a fraction of a second.
Expected CSS text is worked out by hand from the token values (the working is in the
comments) and checked against the GraphQL ``css`` fields too; expected names follow the
README's naming rule (:func:`name_of`). The several-context stylesheets are checked against
two single-theme exports of the same data. Primer is in ``test_exports_formats_primer.py``.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

import pytest

from tests.conftest import _BACKENDS, app_on, shared_database_with
from tests.helpers import data_of, gql, import_tokens

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from pathlib import Path

    from flask import Flask
    from flask.testing import FlaskClient, FlaskCliRunner


def _px(n: float) -> dict[str, Any]:
    return {"value": n, "unit": "px"}


def _srgb(r: float, g: float, b: float, hex_: str, **more: Any) -> dict[str, Any]:
    return {"colorSpace": "srgb", "components": [r, g, b], "hex": hex_, **more}


#: One token (at least) of every type, in 2025.10 form, with references; the base set.
BASE: dict[str, Any] = {
    "color": {
        "$type": "color",
        "brand": {"$value": _srgb(1, 0.5, 0, "#ff8000")},
        "veil": {"$value": _srgb(0, 0, 0, "#000000", alpha=0.2)},
        "vivid": {"$value": {"colorSpace": "display-p3", "components": [1, 0, 0]}},
    },
    "size": {
        "$type": "dimension",
        "md": {"$value": _px(16)},
        "half": {"$value": {"value": 0.5, "unit": "rem"}},
        "2x large": {"$value": _px(40)},
    },
    "font": {"$type": "fontFamily", "body": {"$value": ["Open Sans", "sans-serif"]}},
    "weight": {"$type": "fontWeight", "bold": {"$value": 700}, "semi": {"$value": "semi-bold"}},
    "time": {"$type": "duration", "fast": {"$value": {"value": 200, "unit": "ms"}}},
    "ease": {"$type": "cubicBezier", "$value": [0.4, 0, 0.2, 1]},
    "ratio": {"$type": "number", "$value": 1.5},
    "line": {
        "$type": "strokeStyle",
        "solid": {"$value": "solid"},
        "dots": {"$value": {"dashArray": [_px(2), _px(4)], "lineCap": "round"}},
    },
    "frame": {
        "$type": "border",
        "$value": {"color": "{color.brand}", "width": _px(1), "style": "solid"},
    },
    "fade": {
        "$type": "transition",
        "$value": {
            "duration": "{time.fast}",
            "delay": {"value": 0, "unit": "ms"},
            "timingFunction": "{ease}",
        },
    },
    "lift": {
        "$type": "shadow",
        "$value": [
            {
                "color": "{color.veil}",
                "offsetX": _px(0),
                "offsetY": _px(2),
                "blur": _px(4),
                "spread": _px(0),
            },
            {
                "color": "{color.veil}",
                "offsetX": _px(0),
                "offsetY": _px(0),
                "blur": _px(1),
                "spread": _px(1),
                "inset": True,
            },
        ],
    },
    "sunset": {
        "$type": "gradient",
        "$value": [
            {"color": "{color.brand}", "position": 0},
            {"color": _srgb(0, 0, 1, "#0000ff"), "position": 1},
        ],
    },
    "text": {
        "body": {
            "$type": "typography",
            "$value": {
                "fontFamily": "{font.body}",
                "fontSize": "{size.md}",
                "fontWeight": 400,
                "letterSpacing": {"value": 0.5, "unit": "px"},
                "lineHeight": 1.5,
            },
        }
    },
    "accent": {
        "$type": "color",
        "$root": {"$value": "{color.brand}"},
        "muted": {"$value": "{color.veil}"},
    },
    "aspect": {"$type": "custom-ratio", "$value": "16 / 9"},
    "config": {"$type": "x-config", "$value": {"a": 1}},
    "label": {"$type": "x-text", "$value": 'a; "b"'},
}

#: The dark context: another brand colour and a larger ``size.md``.
DARK: dict[str, Any] = {
    "color": {"brand": {"$type": "color", "$value": _srgb(0, 0.5, 1, "#0080ff")}},
    "size": {"md": {"$type": "dimension", "$value": _px(20)}},
}

#: BASE's CSS text by path (and typography member), worked out from the values above.
EXPECTED_CSS: dict[tuple[str, tuple[str, ...]], str] = {
    ("color.brand", ()): "#ff8000",  # sRGB: its hex
    ("color.veil", ()): "#00000033",  # alpha 0.2 × 255 = 51 = 0x33
    ("color.vivid", ()): "color(display-p3 1 0 0)",  # not sRGB/HSL: CSS Color 4
    ("size.md", ()): "16px",
    ("size.half", ()): "0.5rem",
    ("size.2x large", ()): "40px",
    ("font.body", ()): '"Open Sans", sans-serif',  # a name with a space is quoted
    ("weight.bold", ()): "700",
    ("weight.semi", ()): "600",  # semi-bold = 600 (Format §8.4)
    ("time.fast", ()): "200ms",
    ("ease", ()): "cubic-bezier(0.4, 0, 0.2, 1)",
    ("ratio", ()): "1.5",
    ("line.solid", ()): "solid",
    ("line.dots", ()): "dashed",  # CSS has no dash arrays
    ("frame", ()): "1px solid #ff8000",  # width style colour
    ("fade", ()): "200ms cubic-bezier(0.4, 0, 0.2, 1) 0ms",  # duration timing delay
    ("lift", ()): "0px 2px 4px 0px #00000033, inset 0px 0px 1px 1px #00000033",
    ("sunset", ()): "linear-gradient(90deg, #ff8000 0%, #0000ff 100%)",
    ("text.body", ("font", "family")): '"Open Sans", sans-serif',
    ("text.body", ("font", "size")): "16px",
    ("text.body", ("font", "weight")): "400",
    ("text.body", ("letter", "spacing")): "0.5px",
    ("text.body", ("line", "height")): "1.5",
    ("accent.$root", ()): "#ff8000",
    ("accent.muted", ()): "#00000033",
    ("aspect", ()): "16 / 9",  # custom types: strings as written
    ("config", ()): '{"a":1}',  # … anything else as compact JSON
    ("label", ()): 'a; "b"',
}
#: The values CSS and SCSS write quoted (they would end the declaration), as CSS strings.
QUOTED = {"config": '"{\\"a\\":1}"', "label": '"a; \\"b\\""'}


def name_of(path: str, suffix: tuple[str, ...] = (), style: str = "kebab", prefix: str = "") -> str:
    """The README's rule: drop ``$root``, words = runs of letters/digits, case kept."""
    parts = [
        w for s in [prefix, *path.split(".")] if s != "$root" for w in re.findall(r"[^\W_]+", s)
    ]
    parts += suffix
    if style == "camel":
        return "".join(w if i == 0 else w[0].upper() + w[1:] for i, w in enumerate(parts))
    return ("-" if style == "kebab" else "_").join(parts)


# --------------------------------------------------------------------------- parsers


def css_blocks(text: str) -> dict[str, dict[str, str]]:
    """``{selector: {property: value}}`` of a stylesheet written one declaration per line."""
    lines = text.splitlines()
    assert re.fullmatch(r"/\* .* \*/", lines[0]), lines[0]
    assert text.endswith("}\n")
    out: dict[str, dict[str, str]] = {}
    current: dict[str, str] | None = None
    for line in lines[1:]:
        if line.endswith("{"):
            current = out.setdefault(line[:-1].strip(), {})
        elif line == "}":
            current = None
        elif line:
            assert current is not None, line
            assert re.fullmatch("  .*;", line), line
            prop, _, value = line.strip()[:-1].partition(": ")
            assert prop not in current, f"{prop} declared twice"
            current[prop] = value
    return out


def root_vars(text: str) -> dict[str, str]:
    """The custom properties of a single-theme stylesheet (its only block, ``:root``)."""
    blocks = css_blocks(text)
    assert list(blocks) == [":root"]
    return {k.removeprefix("--"): v for k, v in blocks[":root"].items()}


def scss_vars(text: str) -> dict[str, str]:
    lines = text.splitlines()
    assert lines[0].startswith("// ")
    lines = lines[2:] if lines[1] == '@use "sass:string";' else lines[1:]
    assert all(line.startswith("$") and line.endswith(";") for line in lines), lines
    pairs = [line.removeprefix("$").removesuffix(";").split(": ", 1) for line in lines]
    return dict(pairs)


def js_tokens(text: str, *, typescript: bool) -> dict[str, str]:
    """The ``tokens`` object of a JS/TS module, keys unquoted and values decoded."""
    tail = r" as const;\n\nexport type TokenName = keyof typeof tokens;\n" if typescript else ";\n"
    match = re.fullmatch(r"// [^\n]*\nexport const tokens = \{\n(.*)\n\}" + tail, text, re.S)
    assert match, text[-300:]
    out: dict[str, str] = {}
    for line in match.group(1).splitlines():
        key, _, value = line.strip().removesuffix(",").partition(": ")
        out[json.loads(key) if key.startswith('"') else key] = json.loads(value)
    return out


# --------------------------------------------------------------------------- fixtures


def write_themed_types(folder: Path) -> Path:
    """A resolver document: BASE, and a ``theme`` modifier (dark listed first, default light)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "base.tokens.json").write_text(json.dumps(BASE), encoding="utf-8")
    (folder / "dark.tokens.json").write_text(json.dumps(DARK), encoding="utf-8")
    doc = {
        "version": "2025.10",
        "sets": {"base": {"sources": [{"$ref": "base.tokens.json"}]}},
        "modifiers": {
            "theme": {
                "contexts": {"dark": [{"$ref": "dark.tokens.json"}], "light": []},
                "default": "light",
            }
        },
        "resolutionOrder": [{"$ref": "#/sets/base"}, {"$ref": "#/modifiers/theme"}],
    }
    path = folder / "types.resolver.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


@pytest.fixture
def own_types(app: Flask, runner: FlaskCliRunner, tmp_path: Path) -> Flask:
    """The test's app with BASE / DARK imported into a database of its own (it writes)."""
    import_tokens(runner, write_themed_types(tmp_path / "types"))
    return app


@pytest.fixture(scope="module", params=_BACKENDS)
def _types_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A database with BASE / DARK imported, once per module and backend."""
    folder = tmp_path_factory.mktemp("types")
    yield from shared_database_with(
        request,
        tmp_path_factory,
        lambda app: import_tokens(app.test_cli_runner(), write_themed_types(folder / "types")),
    )


@pytest.fixture
def types(_types_url: str) -> Iterator[Flask]:
    """A new app (empty caches) on the shared BASE / DARK database, for tests that read."""
    yield from app_on(_types_url)


@pytest.fixture
def types_client(types: Flask) -> FlaskClient:
    """Flask's test client for ``types``."""
    return types.test_client()


@pytest.fixture
def types_runner(types: Flask) -> FlaskCliRunner:
    """Flask's CLI runner for ``types``."""
    return types.test_cli_runner()


def get(client: FlaskClient, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, response.get_data(as_text=True)[:2000]
    return response.get_data(as_text=True)


def errors_of(client: FlaskClient, url: str) -> list[dict[str, str]]:
    response = client.get(url)
    assert response.status_code == 400, response.get_data(as_text=True)[:500]
    assert response.mimetype == "application/json"
    assert "ETag" not in response.headers
    errors: list[dict[str, str]] = response.get_json()["errors"]
    return errors


def expected_vars(style: str = "kebab", prefix: str = "") -> dict[str, str]:
    return {name_of(p, s, style, prefix): css for (p, s), css in EXPECTED_CSS.items()}


# --------------------------------------------------------------------------- one formatter per type


def test_every_type_in_css(types_client: FlaskClient) -> None:
    got = root_vars(get(types_client, "/tokens.css?theme=light"))
    want = {n: QUOTED.get(p, css) for (p, s), css in EXPECTED_CSS.items() for n in [name_of(p, s)]}
    assert got == want


def test_every_type_in_scss_and_js(types_client: FlaskClient) -> None:
    text = get(types_client, "/tokens.scss")
    assert text.splitlines()[1] == '@use "sass:string";'
    # As in CSS, but a custom type's text that CSS takes as is goes through string.unquote
    # (Sass would compute "16 / 9").
    want = {name_of(p, s): QUOTED.get(p, css) for (p, s), css in EXPECTED_CSS.items()}
    want["aspect"] = 'string.unquote("16 / 9")'
    assert scss_vars(text) == want
    assert js_tokens(get(types_client, "/tokens.js"), typescript=False) == expected_vars("camel")
    assert js_tokens(get(types_client, "/tokens.ts"), typescript=True) == expected_vars("camel")


TYPED_CSS = """
fragment Css on TokenValue {
  ... on ColorValue { css } ... on DimensionValue { css } ... on DurationValue { css }
  ... on FontFamilyValue { css } ... on FontWeightValue { css } ... on CubicBezierValue { css }
  ... on NumberValue { css } ... on StrokeStyleValue { css } ... on BorderValue { css }
  ... on TransitionValue { css } ... on ShadowValue { css } ... on GradientValue { css }
  ... on UnknownValue { css }
  ... on TypographyValue {
    fontFamily { css } fontSize { css } fontWeight { css } letterSpacing { css } lineHeight
  }
}
query Css($theme: [ThemeSelection!]) {
  tokens(theme: $theme) { edges { node { path type value { ...Css } } } }
}
"""


def graphql_css(client: FlaskClient, theme: dict[str, str]) -> dict[str, str]:
    """``{kebab name: css}`` from the GraphQL ``css`` fields (typography: its members')."""
    selection = [{"modifier": m, "context": c} for m, c in theme.items()]
    edges = data_of(gql(client, TYPED_CSS, {"theme": selection}))["tokens"]["edges"]
    out: dict[str, str] = {}
    for edge in edges:
        node = edge["node"]
        value = node["value"]
        if node["type"] != "typography":
            out[name_of(node["path"])] = value["css"]
            continue
        for member, suffix in [
            ("fontFamily", ("font", "family")),
            ("fontSize", ("font", "size")),
            ("fontWeight", ("font", "weight")),
            ("letterSpacing", ("letter", "spacing")),
        ]:
            if value[member] is not None:
                out[name_of(node["path"], suffix)] = value[member]["css"]
        if value["lineHeight"] is not None:
            out[name_of(node["path"], ("line", "height"))] = format(value["lineHeight"], "g")
    return out


@pytest.mark.parametrize("context", ["light", "dark"])
def test_css_text_is_the_graphql_css(types_client: FlaskClient, context: str) -> None:
    got = root_vars(get(types_client, f"/tokens.css?theme={context}"))
    want = graphql_css(types_client, {"theme": context})
    assert {n: QUOTED.get(n, v) for n, v in want.items()} == got
    assert got["color-brand"] == ("#ff8000" if context == "light" else "#0080ff")


# --------------------------------------------------------------------------- names


@pytest.mark.parametrize(
    ("url", "style", "prefix"),
    [
        ("/tokens.css", "kebab", ""),
        ("/tokens.css?name=snake&prefix=gh", "snake", "gh"),
        ("/tokens.css?name=camel&prefix=my-ds", "camel", "my-ds"),
        ("/tokens.js?name=kebab", "kebab", ""),
        ("/tokens.ts?prefix=gh", "camel", "gh"),
        ("/tokens.scss?name=snake&prefix=_x", "snake", "_x"),
    ],
)
def test_name_styles_and_prefix(
    types_client: FlaskClient, url: str, style: str, prefix: str
) -> None:
    text = get(types_client, url)
    if url.startswith("/tokens.css"):
        names = set(root_vars(text))
    elif url.startswith("/tokens.scss"):
        names = set(scss_vars(text))
    else:
        names = set(js_tokens(text, typescript=url.startswith("/tokens.ts")))
    assert names == set(expected_vars(style, prefix))


def test_names_by_hand(types_client: FlaskClient) -> None:
    """A few names spelled out: $root dropped, a space splits words, digits are kept."""
    css = root_vars(get(types_client, "/tokens.css?prefix=gh"))
    assert css["gh-accent"] == css["gh-color-brand"] == "#ff8000"  # accent.$root
    assert css["gh-size-2x-large"] == "40px"
    assert css["gh-text-body-font-size"] == "16px"
    ts = js_tokens(get(types_client, "/tokens.ts"), typescript=True)
    assert ts["size2xLarge"] == "40px"
    assert ts["textBodyLetterSpacing"] == "0.5px"
    assert "accentMuted" in ts
    scss = scss_vars(get(types_client, "/tokens.scss?name=snake"))
    assert scss["text_body_line_height"] == "1.5"


COLLIDING: dict[str, Any] = {
    "focus": {
        "$type": "color",
        "outline-color": {"$value": _srgb(1, 0, 0, "#ff0000")},
        "outlineColor": {"$value": _srgb(0, 1, 0, "#00ff00")},
    },
    "gap": {"$type": "dimension", "x_y": {"$value": _px(1)}, "x-y": {"$value": _px(2)}},
    "text": {
        "body": {"$type": "typography", "$value": {"fontFamily": "serif", "fontSize": _px(16)}},
        "body-font-size": {"$type": "dimension", "$value": _px(12)},
    },
    "2xl": {"$type": "dimension", "$value": _px(24)},
}


def collisions(style: str) -> set[frozenset[str]]:
    """Pairs of COLLIDING paths (typography: with member) whose names are equal in ``style``."""
    names: dict[str, set[str]] = {}
    cases: list[tuple[str, list[tuple[str, ...]]]]
    cases = [
        ("focus.outline-color", [()]),
        ("focus.outlineColor", [()]),
        ("gap.x_y", [()]),
        ("gap.x-y", [()]),
        ("text.body", [("font", "family"), ("font", "size")]),
        ("text.body-font-size", [()]),
        ("2xl", [()]),
    ]
    for path, suffixes in cases:
        for suffix in suffixes:
            names.setdefault(name_of(path, suffix, style), set()).add(path)
    return {frozenset(paths) for paths in names.values() if len(paths) > 1}


@pytest.mark.parametrize(
    ("url", "style"),
    [("/tokens.css", "kebab"), ("/tokens.ts", "camel"), ("/tokens.js?name=snake", "snake")],
)
def test_name_collisions_are_refused(
    runner: FlaskCliRunner, client: FlaskClient, tmp_path: Path, url: str, style: str
) -> None:
    path = tmp_path / "colliding.json"
    path.write_text(json.dumps(COLLIDING), encoding="utf-8")
    import_tokens(runner, path)
    want = collisions(style)
    assert len(want) == (3 if style == "camel" else 2)  # camel also merges outline-color
    errors = errors_of(client, url)
    assert all(e["code"] == "NAME_COLLISION" for e in errors), errors
    got = {
        frozenset(p for p in re.findall(r"tokens (\S+) and (\S+) both", e["message"])[0])
        for e in errors
    }
    assert got == want


def test_a_name_starting_with_a_digit(
    runner: FlaskCliRunner, client: FlaskClient, tmp_path: Path
) -> None:
    path = tmp_path / "digit.json"
    path.write_text(json.dumps({"2xl": COLLIDING["2xl"]}), encoding="utf-8")
    import_tokens(runner, path)
    assert root_vars(get(client, "/tokens.css")) == {"2xl": "24px"}  # --2xl is valid CSS
    assert js_tokens(get(client, "/tokens.js"), typescript=False) == {"2xl": "24px"}
    assert '  "2xl": "24px",' in get(client, "/tokens.ts")  # quoted: not an identifier
    errors = errors_of(client, "/tokens.scss")  # $2xl is not a Sass variable
    assert [(e["code"], e["path"]) for e in errors] == [("INVALID_EXPORT_NAME", "2xl")]
    assert scss_vars(get(client, "/tokens.scss?prefix=t")) == {"t-2xl": "24px"}


# --------------------------------------------------------------------------- several contexts


def differing(base: dict[str, str], other: dict[str, str]) -> dict[str, str]:
    """What a context block must hold: the variables whose value is not the base's."""
    return {k: v for k, v in other.items() if base.get(k) != v}


def prefixed(variables: dict[str, str]) -> dict[str, str]:
    return {f"--{k}": v for k, v in variables.items()}


@pytest.mark.parametrize(
    ("query", "order"),
    [
        ("contexts=light,dark", ["light", "dark"]),
        ("contexts=dark&contexts=light", ["dark", "light"]),
        ("modifier=theme", ["light", "dark"]),  # every context, the default (light) first
        ("contexts=theme:dark,theme:light&modifier=theme", ["dark", "light"]),
    ],
)
def test_several_contexts(types_client: FlaskClient, query: str, order: list[str]) -> None:
    single = {c: root_vars(get(types_client, f"/tokens.css?theme={c}")) for c in order}
    base, other = order
    assert differing(single[base], single[other])  # the contexts really differ
    blocks = css_blocks(get(types_client, f"/tokens.css?{query}"))
    assert list(blocks) == [f':root, [data-theme="{base}"]', f'[data-theme="{other}"]']
    assert blocks[f':root, [data-theme="{base}"]'] == prefixed(single[base])
    assert blocks[f'[data-theme="{other}"]'] == prefixed(differing(single[base], single[other]))


def test_several_contexts_attribute(types_client: FlaskClient) -> None:
    url = "/tokens.css?modifier=theme&attribute=data-mode&prefix=x"
    blocks = css_blocks(get(types_client, url))
    assert list(blocks) == [':root, [data-mode="light"]', '[data-mode="dark"]']
    assert blocks['[data-mode="dark"]']["--x-size-md"] == "20px"


def test_light_dark(types_client: FlaskClient) -> None:
    light = root_vars(get(types_client, "/tokens.css?theme=light"))
    dark = root_vars(get(types_client, "/tokens.css?theme=dark"))
    colours = {
        name_of(p)
        for p in ("color.brand", "color.veil", "color.vivid", "accent.$root", "accent.muted")
    }
    blocks = css_blocks(get(types_client, "/tokens.css?light-dark=light,dark"))
    assert list(blocks) == [":root", '[data-theme="light"]', '[data-theme="dark"]']
    root = {
        name: f"light-dark({v}, {dark[name]})" if name in colours and dark[name] != v else v
        for name, v in light.items()
    }
    assert blocks[":root"] == {"color-scheme": "light dark", **prefixed(root)}
    others = {n for n in differing(light, dark) if n not in colours}
    assert others == {"size-md", "frame", "sunset", "text-body-font-size"}  # derived from DARK
    assert blocks['[data-theme="light"]'] == {
        "color-scheme": "light",
        **prefixed({n: light[n] for n in others}),
    }
    assert blocks['[data-theme="dark"]'] == {
        "color-scheme": "dark",
        **prefixed({n: dark[n] for n in others}),
    }
    assert blocks[":root"]["--accent"] == "light-dark(#ff8000, #0080ff)"  # by hand from DARK


@pytest.mark.parametrize(
    ("query", "code", "words"),
    [
        ("/tokens.css?name=upper", "INVALID_ARGUMENT", "upper"),
        ("/tokens.css?prefix=--", "INVALID_ARGUMENT", "prefix"),
        ("/tokens.css?light-dark=light", "INVALID_ARGUMENT", "two contexts"),
        ("/tokens.css?light-dark=light,dark&contexts=dark", "INVALID_ARGUMENT", "not both"),
        ("/tokens.scss?contexts=light,dark", "INVALID_ARGUMENT", "CSS only"),
        ("/tokens.ts?modifier=theme", "INVALID_ARGUMENT", "CSS only"),
        ("/tokens.css?contexts=light,dark&theme=dark", "INVALID_ARGUMENT", "theme"),
        ("/tokens.css?contexts=light,LIGHT", "INVALID_ARGUMENT", "more than once"),
        ("/tokens.css?contexts=light&attribute=data%20x", "INVALID_ARGUMENT", "attribute"),
        ("/tokens.css?attribute=data-mode", "INVALID_ARGUMENT", "attribute"),
        ("/tokens.css?contexts=light,sepia", "UNKNOWN_CONTEXT", "sepia"),
        ("/tokens.css?modifier=mood", "UNKNOWN_MODIFIER", "mood"),
        ("/tokens.css?modifier=theme&contexts=sepia", "UNKNOWN_CONTEXT", "sepia"),
        ("/tokens.js?theme=sepia", "UNKNOWN_CONTEXT", "sepia"),
    ],
)
def test_bad_arguments_are_400(
    types_client: FlaskClient, query: str, code: str, words: str
) -> None:
    errors = errors_of(types_client, query)
    assert errors[0]["code"] == code, errors
    assert words in errors[0]["message"], errors


# --------------------------------------------------------------------------- HTTP caching


MEDIA = {
    "css": "text/css",
    "scss": "text/x-scss",
    "js": "text/javascript",
    "ts": "application/typescript",
}


@pytest.mark.parametrize("fmt", list(MEDIA))
def test_etag_cache_control_and_304(
    own_types: Flask, client: FlaskClient, runner: FlaskCliRunner, tmp_path: Path, fmt: str
) -> None:
    url = f"/tokens.{fmt}?theme=dark"
    first = client.get(url)
    assert first.status_code == 200
    assert first.mimetype == MEDIA[fmt]
    assert first.mimetype_params.get("charset") == "utf-8"
    assert first.headers["Content-Disposition"] == f'inline; filename="tokens.{fmt}"'
    tag = first.headers["ETag"]
    assert "must-revalidate" in first.headers["Cache-Control"]
    again = client.get(url, headers={"If-None-Match": tag})
    assert again.status_code == 304
    assert again.get_data() == b""
    assert again.headers["ETag"] == tag
    assert client.get(url, headers={"If-None-Match": f'"x", W/{tag}'}).status_code == 304
    # Other arguments, another format: other tags; the tag does not validate them.
    for other in (f"/tokens.{fmt}?theme=light", f"/tokens.{fmt}?theme=dark&prefix=a"):
        response = client.get(other, headers={"If-None-Match": tag})
        assert response.status_code == 200
        assert response.headers["ETag"] != tag
    assert client.get("/tokens.json?theme=dark").headers["ETag"] != tag
    # A write (the same file imported again is a new revision) changes the tag.
    import_tokens(runner, write_themed_types(tmp_path / "again"))
    fresh = client.get(url, headers={"If-None-Match": tag})
    assert fresh.status_code == 200
    assert fresh.headers["ETag"] != tag
    assert fresh.get_data() == first.get_data()


# --------------------------------------------------------------------------- CLI = HTTP


CLI_CASES = [
    ("css", "theme=dark", ["--theme", "dark"]),
    ("css", "prefix=gh&name=snake", ["--prefix", "gh", "--name", "snake"]),
    ("scss", "theme=theme:light", ["--theme", "theme:light"]),
    ("js", "name=kebab", ["--name", "kebab"]),
    ("ts", "theme=dark&prefix=ds", ["--theme", "dark", "--prefix", "ds"]),
    ("css", "contexts=dark,light", ["--contexts", "dark,light"]),
    ("css", "contexts=dark&contexts=light", ["--contexts", "dark", "--contexts", "light"]),
    (
        "css",
        "modifier=theme&attribute=data-mode",
        ["--modifier", "theme", "--attribute", "data-mode"],
    ),
    ("css", "light-dark=light,dark", ["--light-dark", "light,dark"]),
]


@pytest.mark.parametrize("case", CLI_CASES)
def test_cli_writes_the_http_bytes(
    types_client: FlaskClient,
    types_runner: FlaskCliRunner,
    tmp_path: Path,
    case: tuple[str, str, list[str]],
) -> None:
    fmt, query, args = case
    body = types_client.get(f"/tokens.{fmt}?{query}")
    assert body.status_code == 200
    out = tmp_path / f"tokens.{fmt}"
    result = types_runner.invoke(args=["tokens", "export", "--format", fmt, *args, str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes() == body.get_data()
    assert re.search(r"\bWrote \d+ variables\b", result.stdout), result.stdout
    stdout = types_runner.invoke(args=["tokens", "export", "--format", fmt, *args, "-"])
    assert stdout.exit_code == 0, stdout.output
    assert stdout.stdout_bytes == body.get_data()


# --------------------------------------------------------------------------- API keys


def test_every_format_requires_a_key_when_reads_do(
    make_app: Callable[..., Flask], tmp_path: Path
) -> None:
    app = make_app(READ_REQUIRES_KEY=True)
    runner = app.test_cli_runner()
    import_tokens(runner, write_themed_types(tmp_path / "types"))
    result = runner.invoke(args=["keys", "create", "--name", "ci", "--scope", "read"])
    assert result.exit_code == 0, result.output
    key = result.stdout.strip()
    client = app.test_client()
    for fmt in ("json", *MEDIA):
        assert client.get(f"/tokens.{fmt}").status_code == 401
        response = client.get(f"/tokens.{fmt}", headers={"Authorization": f"Bearer {key}"})
        assert response.status_code == 200

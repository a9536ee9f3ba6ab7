"""``GET /tokens.{css,scss,js,ts}`` on Primer (both backends, the shared read-only ``primer``).

Expected values come from the oracle files (a colour's CSS text is its hex in lower case:
Primer's colours are sRGB hex strings or HSL objects with a ``hex``, none translucent) and
from the GraphQL ``css`` fields; names follow the README's rule (:func:`name_of`); the
several-context stylesheets are checked against single-theme exports.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import pytest

from tests.api.test_exports_formats import (
    css_blocks,
    differing,
    errors_of,
    get,
    graphql_css,
    js_tokens,
    name_of,
    prefixed,
    root_vars,
    scss_vars,
)
from tests.helpers import PRIMER_ORACLE, load_oracle

if TYPE_CHECKING:
    from pathlib import Path

    from tests.api.conftest import SharedDB

MEMBERS = {
    "fontFamily": ("font", "family"),
    "fontSize": ("font", "size"),
    "fontWeight": ("font", "weight"),
    "letterSpacing": ("letter", "spacing"),
    "lineHeight": ("line", "height"),
}


def variables(oracle: dict[str, Any]) -> list[tuple[str, tuple[str, ...]]]:
    """``(path, member words)`` of every variable the oracle's tokens give (typography: per
    member it has)."""
    return [
        (path, suffix)
        for path, token in oracle.items()
        for suffix in (
            [MEMBERS[m] for m in token["value"] if m in MEMBERS]
            if token["type"] == "typography"
            else [()]
        )
    ]


def names(oracle: dict[str, Any], style: str = "kebab") -> dict[str, str]:
    """``{name: path}`` of every variable of the oracle's tokens."""
    return {name_of(path, suffix, style): path for path, suffix in variables(oracle)}


def hex_of(value: Any) -> str:
    """The oracle colour's hex, lower case (Primer has no alpha on colour tokens)."""
    if isinstance(value, str):
        return value.lower()
    assert value.get("alpha", 1) == 1, value
    return str(value["hex"]).lower()


def report(problems: list[str]) -> str:
    return f"{len(problems)} problems:\n" + "\n".join(problems[:30])


def test_dark_css_matches_the_oracle(primer: SharedDB) -> None:
    oracle = load_oracle(PRIMER_ORACLE / "dark.json")
    css = root_vars(get(primer.client, "/tokens.css?theme=dark"))
    assert css["fgColor-default"] == oracle["fgColor.default"]["value"]["hex"].lower()
    by_name = names(oracle)
    assert css.keys() == by_name.keys()
    colours = {n: p for n, p in by_name.items() if oracle[p]["type"] == "color"}
    assert len(colours) > 1_200
    problems = [
        f"{p}: {css[n]} != {oracle[p]['value']}"
        for n, p in colours.items()
        if css[n] != hex_of(oracle[p]["value"])
    ]
    assert not problems, report(problems)


@pytest.mark.parametrize("theme", ["dark", "light-high-contrast"])
def test_css_is_the_graphql_css(primer: SharedDB, theme: str) -> None:
    css = root_vars(get(primer.client, f"/tokens.css?theme={theme}"))
    want = graphql_css(primer.client, {"theme": theme})
    assert css == want  # nothing of Primer needs quoting


def test_several_contexts(primer: SharedDB) -> None:
    contexts = ["light", "dark", "dark-dimmed"]
    single = {
        c: root_vars(get(primer.client, f"/tokens.css?theme={c}&theme=pointer:coarse"))
        for c in contexts
    }
    blocks = css_blocks(
        get(primer.client, "/tokens.css?theme=pointer:coarse&contexts=light,dark,dark-dimmed")
    )
    base = ':root, [data-theme="light"]'
    assert list(blocks) == [base, '[data-theme="dark"]', '[data-theme="dark-dimmed"]']
    assert blocks[base] == prefixed(single["light"])
    for c in contexts[1:]:
        want = differing(single["light"], single[c])
        assert len(want) > 500  # the colours, mostly
        assert blocks[f'[data-theme="{c}"]'] == prefixed(want)


def test_light_dark(primer: SharedDB) -> None:
    light_oracle = load_oracle(PRIMER_ORACLE / "light.json")
    dark_oracle = load_oracle(PRIMER_ORACLE / "dark.json")
    kinds = {n: light_oracle[p]["type"] for n, p in names(light_oracle).items()}
    light = root_vars(get(primer.client, "/tokens.css?theme=light"))
    dark = root_vars(get(primer.client, "/tokens.css?theme=dark"))
    blocks = css_blocks(get(primer.client, "/tokens.css?light-dark=light,dark"))
    assert list(blocks) == [":root", '[data-theme="light"]', '[data-theme="dark"]']
    pairs = {n for n in differing(light, dark) if kinds[n] == "color"}
    others = {n for n in differing(light, dark) if kinds[n] != "color"}
    assert len(pairs) > 500
    assert others  # borders and shadows carry colours but are not colours
    root = {n: f"light-dark({v}, {dark[n]})" if n in pairs else v for n, v in light.items()}
    assert blocks[":root"] == {"color-scheme": "light dark", **prefixed(root)}
    light_block = {"color-scheme": "light", **prefixed({n: light[n] for n in others})}
    assert blocks['[data-theme="light"]'] == light_block
    dark_block = {"color-scheme": "dark", **prefixed({n: dark[n] for n in others})}
    assert blocks['[data-theme="dark"]'] == dark_block
    fg = (hex_of(o["fgColor.default"]["value"]) for o in (light_oracle, dark_oracle))
    assert blocks[":root"]["--fgColor-default"] == "light-dark({}, {})".format(*fg)


def test_camel_names_collide_in_primer(primer: SharedDB) -> None:
    """Primer has ``focus.outline-color`` and ``focus.outlineColor``: one camel name."""
    oracle = load_oracle(PRIMER_ORACLE / "dark.json")
    by_camel: dict[str, set[str]] = {}
    for path in oracle:
        by_camel.setdefault(name_of(path, style="camel"), set()).add(path)
    want = {frozenset(p) for p in by_camel.values() if len(p) > 1}
    assert frozenset({"focus.outline-color", "focus.outlineColor"}) in want
    errors = errors_of(primer.client, "/tokens.ts?theme=dark")
    assert {e["code"] for e in errors} == {"NAME_COLLISION"}
    got = {frozenset(re.findall(r"tokens (\S+) and (\S+) both", e["message"])[0]) for e in errors}
    assert got == want


def test_snake_ts_equals_the_css(primer: SharedDB) -> None:
    oracle = load_oracle(PRIMER_ORACLE / "dark.json")
    css = root_vars(get(primer.client, "/tokens.css?theme=dark"))
    ts = js_tokens(get(primer.client, "/tokens.ts?theme=dark&name=snake"), typescript=True)
    pairs = variables(oracle)
    assert len(ts) == len(css) == len(pairs)
    wrong = [
        f"{path} {suffix}"
        for path, suffix in pairs
        if ts[name_of(path, suffix, "snake")] != css[name_of(path, suffix)]
    ]
    assert not wrong, report(wrong)


def test_scss_matches_the_css(primer: SharedDB) -> None:
    css = root_vars(get(primer.client, "/tokens.css?theme=dark&prefix=gh"))
    scss = scss_vars(get(primer.client, "/tokens.scss?theme=dark&prefix=gh"))
    assert scss.keys() == css.keys()
    oracle = load_oracle(PRIMER_ORACLE / "dark.json")
    custom = {f"gh-{n}" for n, p in names(oracle).items() if oracle[p]["type"].startswith("custom")}
    assert len(custom) == 9  # custom-string (3) and custom-viewportRange (6)
    for name, value in scss.items():
        want = f'string.unquote("{css[name]}")' if name in custom else css[name]
        assert value == want, name


def test_contexts_of_two_modifiers_are_refused(primer: SharedDB) -> None:
    errors = errors_of(primer.client, "/tokens.css?contexts=light,coarse")
    assert [e["code"] for e in errors] == ["INVALID_ARGUMENT"]
    assert "theme" in errors[0]["message"]
    assert "pointer" in errors[0]["message"]


@pytest.mark.parametrize(
    ("fmt", "query", "args"),
    [
        ("css", "theme=dark", ["--theme", "dark"]),
        ("scss", "theme=dark&prefix=gh", ["--theme", "dark", "--prefix", "gh"]),
        ("ts", "theme=dark&name=snake", ["--theme", "dark", "--name", "snake"]),
        ("css", "light-dark=light,dark", ["--light-dark", "light,dark"]),
    ],
)
def test_cli_writes_the_http_bytes(
    primer: SharedDB, tmp_path: Path, fmt: str, query: str, args: list[str]
) -> None:
    body = primer.client.get(f"/tokens.{fmt}?{query}")
    assert body.status_code == 200
    out = tmp_path / f"tokens.{fmt}"
    runner = primer.app.test_cli_runner()
    result = runner.invoke(args=["tokens", "export", "--format", fmt, *args, str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes() == body.get_data()


def test_cli_refuses_collisions(primer: SharedDB, tmp_path: Path) -> None:
    out = tmp_path / "tokens.ts"
    result = primer.app.test_cli_runner().invoke(
        args=["tokens", "export", "--format", "ts", "--theme", "dark", str(out)]
    )
    assert result.exit_code == 1
    lines = [line for line in result.stderr.splitlines() if line.startswith("[")]
    assert lines
    assert all(line.startswith("[NAME_COLLISION]") for line in lines)
    assert any("focus.outline-color" in x and "focus.outlineColor" in x for x in lines)
    assert not out.exists()


def test_bytes_do_not_depend_on_the_argument_order(primer: SharedDB, tmp_path: Path) -> None:
    """The snapshot cache keeps the selection of the request that built it: the file must not
    show it (a selection no other test asks for, so this request builds it)."""
    first = get(primer.client, "/tokens.css?theme=pointer:coarse&theme=dark-tritanopia")
    assert first == get(primer.client, "/tokens.css?theme=dark-tritanopia,pointer:coarse")
    out = tmp_path / "tokens.css"
    result = primer.app.test_cli_runner().invoke(
        args=[
            "tokens",
            "export",
            "--format",
            "css",
            "--theme",
            "dark-tritanopia",
            "--theme",
            "pointer:coarse",
            str(out),
        ]
    )
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8") == first

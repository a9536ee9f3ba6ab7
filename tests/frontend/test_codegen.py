"""The frontend examples (examples/react, examples/vue): codegen, type check, documents, build.

Each example generates its TypeScript types from the committed ``schema.graphql`` and its own
GraphQL documents (GraphQL Code Generator, ``client`` preset) in ``npm run typecheck``, then
type-checks the app against them; the tests also read the generated code, to be sure a token's
``value`` stays a union discriminated by ``__typename`` (not ``any``) and ``JSON`` is ``unknown``.
So a schema change that breaks an example's documents or code fails here.

Needs npm (Node >= 20.19). Without npm on PATH the tests are skipped with the reason, or fail
when ``TOKENS_REQUIRE_NPM=1``. ``npm ci`` runs once per example when its ``node_modules`` is
missing or older than its ``package-lock.json``; after that the whole module takes ~15 s.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.helpers import example_lock

if TYPE_CHECKING:
    from collections.abc import Mapping

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
SCHEMA = ROOT / "schema.graphql"
NPM = shutil.which("npm")
EXAMPLE_NAMES = ["react", "vue"]

INSTALL_TIMEOUT = 900  # seconds: a cold `npm ci` on a slow registry
SCRIPT_TIMEOUT = 300

REQUIRE_NPM = os.environ.get("TOKENS_REQUIRE_NPM") == "1"
pytestmark = pytest.mark.skipif(
    NPM is None and not REQUIRE_NPM, reason="npm is not on PATH (install Node.js >= 20.19 with npm)"
)


def npm(
    example: Path, *args: str, timeout: float = SCRIPT_TIMEOUT, env: Mapping[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``npm ARGS`` in ``example``; fail the test with its output unless it exits 0."""
    if NPM is None:
        pytest.fail("npm is not on PATH, and TOKENS_REQUIRE_NPM=1 requires it", pytrace=False)
    command = f"npm {' '.join(args)} (in {example.relative_to(ROOT)})"
    full_env = {
        **os.environ,
        "CI": "true",
        "NO_COLOR": "1",
        "npm_config_audit": "false",
        "npm_config_fund": "false",
        "npm_config_update_notifier": "false",
        **(env or {}),
    }
    try:
        with example_lock(example):
            proc = subprocess.run(
                [NPM, *args],
                cwd=example,
                env=full_env,
                capture_output=True,
                text=True,
                timeout=timeout,
                check=False,
            )
    except subprocess.TimeoutExpired as e:
        out = e.stdout.decode(errors="replace") if isinstance(e.stdout, bytes) else e.stdout
        err = e.stderr.decode(errors="replace") if isinstance(e.stderr, bytes) else e.stderr
        pytest.fail(
            f"{command} did not finish in {timeout} s\n"
            f"--- stdout\n{(out or '')[-8000:]}\n--- stderr\n{(err or '')[-8000:]}",
            pytrace=False,
        )
    if proc.returncode != 0:
        pytest.fail(
            f"{command} exited {proc.returncode}\n"
            f"--- stdout\n{proc.stdout[-8000:]}\n--- stderr\n{proc.stderr[-8000:]}",
            pytrace=False,
        )
    return proc


@functools.cache
def installed(name: str) -> Path:
    """The example's folder, after ``npm ci`` if its node_modules is missing or stale."""
    example = EXAMPLES / name
    stamp = example / "node_modules" / ".package-lock.json"  # written by every npm install
    lock = example / "package-lock.json"
    if not stamp.exists() or stamp.stat().st_mtime < lock.stat().st_mtime:
        npm(example, "ci", "--no-audit", "--no-fund", timeout=INSTALL_TIMEOUT)
    return example


@functools.cache
def generated(name: str) -> Path:
    """The example's folder after ``npm run codegen`` (its ``src/gql/``), once per process.

    ``typecheck`` and ``build`` run the same codegen first (npm pre-scripts), ~3 s of CPU
    each: the tests run it here once and those scripts with ``--ignore-scripts`` (which
    skips only the pre-scripts), so each example's codegen runs once, not once per script.
    """
    example = installed(name)
    npm(example, "run", "codegen")
    return example


def without_comments(code: str) -> str:
    """TypeScript without its ``/* */`` comments (the schema's descriptions say "if any")."""
    return re.sub(r"/\*.*?\*/", "", code, flags=re.DOTALL)


def schema_union_members(union: str) -> set[str]:
    """The member types of a union of schema.graphql."""
    match = re.search(rf"^union {union} =([^\n]+)$", SCHEMA.read_text(encoding="utf-8"), re.M)
    assert match, f"union {union} not found in schema.graphql"
    return {member.strip() for member in match.group(1).split("|")}


def generated_type(code: str, name: str) -> str:
    """The text of ``export type NAME = …;`` in generated code."""
    match = re.search(rf"^export type {name} = (.*?);$", code, flags=re.S | re.M)
    assert match, f"`export type {name}` is not in the generated code"
    return match.group(1)


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_typecheck_passes_and_token_values_are_precisely_typed(name: str) -> None:
    example = generated(name)
    npm(example, "run", "typecheck", "--ignore-scripts")  # tsc / vue-tsc --noEmit

    code = without_comments((example / "src" / "gql" / "graphql.ts").read_text(encoding="utf-8"))
    assert not re.search(r"\bany\b", code), "the generated types contain `any`"
    # The JSON scalar is `unknown`: with `any` a `rawValue` could be used without any check.
    assert re.search(r"JSON: \{ input: unknown; output: unknown; \}", code)
    assert re.search(r"\brawValue: unknown\b", generated_type(code, "TypographyTokenFragment"))

    # Token.value is the TokenValue union: one member per schema type, discriminated by a
    # non-optional `__typename`, and the ColorValue member carries the selected fields.
    color_token = generated_type(code, "ColorTokenFragment")
    members = set(re.findall(r"\{ __typename: '(\w+)'", color_token))
    assert members == {"Token"} | schema_union_members("TokenValue")
    assert re.search(r"\{ __typename: 'ColorValue', hex: string, css: string \}", color_token), (
        color_token
    )
    assert re.search(r"\| \{ __typename: 'DimensionValue' \}", color_token), color_token
    typography = generated_type(code, "TypographyTokenFragment")
    assert re.search(
        r"\{ __typename: 'TypographyValue', css: string, lineHeight: number \| null, "
        r"fontSize: \{ __typename: 'DimensionValue', px: number, css: string \} \| null",
        typography,
    ), typography

    # The theme input is typed from the schema's input type.
    assert re.search(r"export type ThemeSelection = \{", code)
    assert re.search(r"\btheme: Array<ThemeSelection> \| ThemeSelection;", code)


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_documents_are_valid_against_the_schema(name: str) -> None:
    proc = npm(installed(name), "run", "validate-documents")
    assert "All documents are valid" in proc.stdout + proc.stderr


def test_react_example_builds_static_files_for_any_server(tmp_path: Path) -> None:
    example = generated("react")
    out = tmp_path / "dist"
    api = "http://127.0.0.1:5999/graphql"  # the API on another origin, fixed at build time
    npm(
        example,
        "run",
        "build",
        "--ignore-scripts",
        "--",
        "--outDir",
        str(out),
        "--emptyOutDir",
        env={"VITE_GRAPHQL_URL": api},
    )

    index = (out / "index.html").read_text(encoding="utf-8")
    scripts = re.findall(r'<script[^>]* src="([^"]+)"', index)
    assert scripts, index
    # Relative asset URLs: the files work from any static server, at any path.
    assert all(src.startswith("./assets/") for src in scripts), scripts
    bundle = "".join(p.read_text(encoding="utf-8") for p in (out / "assets").glob("*.js"))
    assert api in bundle

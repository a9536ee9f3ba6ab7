"""The packages depend downwards only: nothing below ``web/`` imports it; ``dtcg/`` is pure.

Issue 13, "one folder per question": ``web/`` is the HTTP front door and may use every other
package; ``schema/``, ``store/``, ``writes/`` and ``dtcg/`` must not reach back up into it
(request state travels in :class:`graphql_api.schema.request_context.RequestContext`).
``dtcg/`` is the pure DTCG engine: no Flask, SQLAlchemy, Strawberry or graphql-core, and
nothing of the application outside ``dtcg/``. ``schema/`` never imports ``flask.g``.

Imports are read with :mod:`ast`, so every one counts: module level, inside functions
(lazy ones) and under ``if TYPE_CHECKING:`` (a type is a dependency too).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "graphql_api"
BELOW_WEB = ("schema", "dtcg", "store", "writes")
NOT_IN_DTCG = ("flask", "sqlalchemy", "strawberry", "graphql")


def module_name(path: Path) -> str:
    """``graphql_api.store.db`` for ``graphql_api/store/db.py`` (packages: their folder)."""
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(source: str, module: str, *, is_package: bool = False) -> set[str]:
    """Absolute names of every module ``source`` imports (relative imports resolved).

    ``from a import b`` yields ``a`` and ``a.b`` (``b`` may be a submodule).
    """
    package = module.split(".") if is_package else module.split(".")[:-1]
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                target = ".".join([*base, *([node.module] if node.module else [])])
            else:
                target = node.module or ""
            found.add(target)
            found.update(f"{target}.{alias.name}" for alias in node.names)
    return found


def _modules_under(sub: str) -> list[Path]:
    return sorted((PACKAGE / sub).rglob("*.py"))


def _imports_of(path: Path) -> set[str]:
    return imported_modules(
        path.read_text("utf-8"), module_name(path), is_package=path.name == "__init__.py"
    )


def _is_under(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


@pytest.mark.parametrize("sub", BELOW_WEB)
def test_no_package_below_web_imports_web(sub: str) -> None:
    offending = {
        module_name(path): sorted(n for n in _imports_of(path) if _is_under(n, "graphql_api.web"))
        for path in _modules_under(sub)
    }
    assert {m: names for m, names in offending.items() if names} == {}


def test_the_schema_never_touches_flask_g() -> None:
    """Request state travels in the typed context, never set or read through ``flask.g``."""
    offending = [
        module_name(path)
        for path in _modules_under("schema")
        if "flask.g" in _imports_of(path) or "flask.globals.g" in _imports_of(path)
    ]
    assert offending == []


def test_dtcg_imports_no_framework_and_nothing_of_the_application() -> None:
    offending: dict[str, list[str]] = {}
    for path in _modules_under("dtcg"):
        bad = [
            n
            for n in _imports_of(path)
            if any(_is_under(n, lib) for lib in NOT_IN_DTCG)
            or (_is_under(n, "graphql_api") and not _is_under(n, "graphql_api.dtcg"))
        ]
        if bad:
            offending[module_name(path)] = sorted(bad)
    assert offending == {}


@pytest.mark.parametrize(
    ("source", "module", "is_package", "expected"),
    [
        ("from ..web.auth import Principal", "graphql_api.schema.x", False, "graphql_api.web.auth"),
        ("from ..web import auth", "graphql_api.schema.x", False, "graphql_api.web.auth"),
        ("from .web import auth", "graphql_api", True, "graphql_api.web.auth"),
        ("from . import views", "graphql_api.web", True, "graphql_api.web.views"),
        ("import graphql_api.web.views", "graphql_api.store.db", False, "graphql_api.web.views"),
        (
            "if TYPE_CHECKING:\n    from ..web import auth",
            "graphql_api.writes.x",
            False,
            "graphql_api.web.auth",
        ),
        (
            "def f():\n    from sqlalchemy import select",
            "graphql_api.dtcg.x",
            False,
            "sqlalchemy",
        ),
    ],
)
def test_the_import_reader_finds_every_kind_of_import(
    source: str, module: str, is_package: bool, expected: str
) -> None:
    """The checks above read imports this way: relative, lazy and type-only ones included."""
    assert expected in imported_modules(source, module, is_package=is_package)


def test_the_import_reader_resolves_a_sibling_not_the_parent() -> None:
    found = imported_modules("from .web import x", "graphql_api.schema.mod")
    assert "graphql_api.schema.web.x" in found
    assert not any(_is_under(n, "graphql_api.web") for n in found)

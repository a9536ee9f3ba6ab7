"""Every cross-reference in the package's docstrings names something that exists.

Docstrings point readers at other code with Sphinx roles (``:mod:``, ``:func:``,
``:class:``, ``:meth:``, ``:data:``, ``:attr:``, ``:exc:``). After a module moves, a stale
reference sends the reader nowhere; this test resolves each one the way Sphinx's Python
domain does: an absolute dotted name, or a name relative to the module that holds the
docstring (``.snapshots``, ``Workspace.check``), then to its package and parents.
"""

from __future__ import annotations

import ast
import builtins
import importlib
import inspect
import re
from functools import cache
from pathlib import Path
from typing import Any

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "graphql_api"
ROLE = re.compile(r":(?:py:)?(mod|func|class|meth|data|attr|exc|obj):`([^`]+)`")


def _modules() -> list[tuple[str, Path]]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if "static" in path.parts:
            continue
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found.append((".".join(parts), path))
    return found


def _references(path: Path) -> list[tuple[int, str, str]]:
    """(line, role, target) of every role in the file's docstrings and comments."""
    text = path.read_text("utf-8")
    refs = []
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            for match in ROLE.finditer(node.value):
                target = match.group(2)
                if "<" in target:  # "title <target>"
                    target = target[target.index("<") + 1 : target.rindex(">")]
                target = re.sub(r"\s+", "", target)  # a name wrapped across lines
                refs.append((node.lineno, match.group(1), target.lstrip("~!")))
    return refs


def _lookup(dotted: str) -> Any:
    """The object a dotted name names, importing the longest module prefix; or None."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj: Any = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for name in parts[cut:]:
            obj = _member(obj, name)
            if obj is None:
                return None
        return obj
    return getattr(builtins, dotted, None)


def _member(obj: Any, name: str) -> Any:
    value = getattr(obj, name, None)
    if value is not None:
        return value
    # Dataclass fields with no default and annotated attributes are documented members too.
    annotations = getattr(obj, "__annotations__", {})
    if name in annotations or name in getattr(obj, "__dataclass_fields__", {}):
        return name
    if isinstance(obj, type):  # an attribute the class's methods assign (``self.name = …``)
        for base in obj.__mro__:
            if name in getattr(base, "__annotations__", {}):
                return name
            if re.search(rf"\bself\.{re.escape(name)}\s*(?::[^=]+)?=", _class_source(base)):
                return name
    return None


@cache  # a class's source is searched for many names: finding it parses its module
def _class_source(cls: type) -> str:
    """The class's source code ("" when it has none, e.g. a built-in)."""
    try:
        return inspect.getsource(cls)
    except (OSError, TypeError):
        return ""


def _resolves(module: str, target: str) -> bool:
    if not target.startswith("."):
        candidates = [target]
        scope = module
        while scope:  # relative to the module, then to each enclosing package
            candidates.append(f"{scope}.{target}")
            scope = scope.rpartition(".")[0]
    else:
        package = (
            module
            if (PACKAGE / "/".join(module.split(".")[1:]) / "__init__.py").exists()
            else module.rpartition(".")[0]
        )
        candidates = [f"{module}{target}", f"{package}{target}"]
    if any(_lookup(c) is not None for c in candidates):
        return True
    # A method's docstring names a sibling member (``:meth:`get```): try each class here.
    namespace = importlib.import_module(module)
    classes = [v for v in vars(namespace).values() if isinstance(v, type)]
    return any(_lookup(f"{c.__module__}.{c.__qualname__}.{target}") for c in classes)


CASES = [
    pytest.param(module, line, role, target, id=f"{module}:{line}:{target}")
    for module, path in _modules()
    for line, role, target in _references(path)
]


def test_the_package_has_references_to_check() -> None:
    assert len(CASES) > 100


@pytest.mark.parametrize(("module", "line", "role", "target"), CASES)
def test_reference_resolves(module: str, line: int, role: str, target: str) -> None:
    assert _resolves(module, target), (
        f"{module} (docstring near line {line}): :{role}:`{target}` names nothing"
    )

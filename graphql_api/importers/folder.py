"""A plain folder of DTCG token files, one file per context (``context-per-file``).

::

    tokens/
      base.json             → base set "base"
      light.json            → context "light"  of modifier "theme"
      dark.tokens.json      → context "dark"
      high-contrast.json    → context "high-contrast"

Files matching one of the ``base`` glob patterns (relative to the folder, ``/``
separated; ``*`` also matches ``/``) become base sets, in sorted path order,
named after their relative path without the extension (``base/color.json`` →
``base/color``). Every other top-level token file becomes a context named after
its stem: ``.json``, ``.json5``, ``.tokens`` and ``.tokens.json`` are token-file
endings (DTCG Format module §3 file extensions); ``*.resolver.json`` files and
names starting with ``.`` or ``$`` are skipped. The files are read as DTCG
(older forms as accepted by :mod:`graphql_api.dtcg.parse`). A file that is a
symlink leading out of the folder is ``FILE_NOT_FOUND`` unless
``allow_outside_refs`` (see :mod:`graphql_api.dtcg.resolver_sources`).
"""

from __future__ import annotations

from fnmatch import fnmatchcase
from pathlib import Path
from typing import TYPE_CHECKING

from graphql_api.dtcg.errors import (
    FILE_NOT_FOUND,
    INVALID_RESOLVER,
    DTCGError,
    DTCGErrorGroup,
    raise_if_any,
)
from graphql_api.dtcg.parse import Document, load_json, parse_document
from graphql_api.dtcg.resolver import Modifier, ResolverDocument, TokenSet
from graphql_api.dtcg.resolver_sources import outside_file

if TYPE_CHECKING:
    from collections.abc import Sequence

DEFAULT_BASE = ("base.json", "base.json5", "base.tokens", "base.tokens.json", "base/*")
ENDINGS = (".tokens.json5", ".tokens.json", ".tokens", ".json5", ".json")


def token_name(relative: str) -> str | None:
    """``"dark.tokens.json"`` → ``"dark"``; None when the file is not a token file."""
    name = relative.rsplit("/", 1)[-1]
    if name.startswith((".", "$")) or name.endswith(".resolver.json"):
        return None
    ending = next((e for e in ENDINGS if relative.endswith(e)), None)
    return relative.removesuffix(ending) if ending else None


def _read(file: Path, errs: list[DTCGError], strict: bool) -> Document:
    try:
        data = load_json(file, strict=strict)
    except DTCGError as exc:
        errs.append(exc)
        return Document()
    doc, parse_errs = parse_document(data, file=str(file), strict=strict)
    errs.extend(parse_errs)
    return doc


def load_context_folder(
    folder: str | Path,
    *,
    modifier: str = "theme",
    base: Sequence[str] = DEFAULT_BASE,
    default: str | None = None,
    strict: bool = False,
    allow_outside_refs: bool = False,
) -> ResolverDocument:
    """Load a folder with one DTCG file per context as a resolver document.

    Args:
        folder: the folder.
        modifier: name of the single modifier whose contexts are the files.
        base: glob patterns (relative to ``folder``) of the base files.
        default: the default context; None = the first context in sorted order.
        strict: read the files with the engine's strict DTCG rules.
        allow_outside_refs: read files that are symlinks leading out of the folder.

    Returns:
        Base sets (sorted) then modifier ``modifier`` with one context per other
        top-level file, in sorted order.

    Raises:
        DTCGErrorGroup: ``FILE_NOT_FOUND`` (no folder), ``INVALID_RESOLVER`` (no
            context file, or ``default`` is not one of them), and the problems of
            each file (``INVALID_JSON``, ``INVALID_NAME``, …) naming the file.
    """
    root = Path(folder)
    if not root.is_dir():
        raise DTCGErrorGroup([DTCGError(FILE_NOT_FOUND, "not a folder", str(root))])
    errs: list[DTCGError] = []
    files = {f.relative_to(root).as_posix(): f for f in root.rglob("*") if f.is_file()}
    base_files: dict[str, Path] = {}
    context_files: dict[str, Path] = {}
    for rel in sorted(files):
        name = token_name(rel)
        if name is None or any(p.startswith(".") for p in rel.split("/")[:-1]):
            continue
        is_base = any(fnmatchcase(rel, pattern) for pattern in base)
        if not is_base and "/" in rel:
            continue
        target = base_files if is_base else context_files
        refused = outside_file(files[rel], root, allow_outside_refs=allow_outside_refs)
        if refused is not None:
            errs.append(refused)
            continue
        if name in target:
            msg = f"{rel} and {target[name].name} both give {name!r}"
            errs.append(DTCGError(INVALID_RESOLVER, msg, str(files[rel])))
            continue
        target[name] = files[rel]
    if not context_files:
        errs.append(DTCGError(INVALID_RESOLVER, "no context files in the folder", str(root)))
    elif default is not None and default not in context_files:
        valid = ", ".join(context_files)
        msg = f"default {default!r} is not a context (valid: {valid})"
        errs.append(DTCGError(INVALID_RESOLVER, msg, str(root)))
    result = ResolverDocument(root.name, None, "2025.10")
    for name, file in base_files.items():
        result.sets[name] = TokenSet(name, _read(file, errs, strict))
        result.order.append(("set", name))
    contexts = {name: _read(file, errs, strict) for name, file in context_files.items()}
    raise_if_any(errs)
    result.modifiers[modifier] = Modifier(modifier, contexts, default or next(iter(contexts)))
    result.order.append(("modifier", modifier))
    return result

"""Importers: the token formats real teams ship → a DTCG :class:`ResolverDocument`.

Each importer produces the same :class:`~graphql_api.dtcg.resolver.ResolverDocument`
as the DTCG resolver loader, so the import pipeline (``validate_document`` →
``writes.replace_all``, the unit of work) stores it unchanged. Pure code: no Flask,
SQLAlchemy or Strawberry.

Public API::

    detect_format(path) -> str                       one of FORMATS
    load(path, fmt="auto", **options) -> ResolverDocument
    load_tokens_studio(path, *, strict=False)
    load_style_dictionary(path, *, strict=False, set_name="base")
    load_spectrum(path, *, strict=False)
    load_context_folder(folder, *, modifier="theme", base=DEFAULT_BASE, default=None,
                        strict=False)

Formats (``FORMATS``):

==================== ===========================================================
``resolver``         a DTCG resolver document (:func:`~graphql_api.dtcg.resolver.load_resolver`)
``dtcg``             one DTCG token file (:func:`~graphql_api.dtcg.resolver.load_token_file`)
``tokens-studio``    a Tokens Studio export (:mod:`.tokens_studio`)
``style-dictionary`` Style Dictionary's pre-DTCG format (:mod:`.style_dictionary`)
``context-per-file`` a folder of DTCG files, one per context (:mod:`.folder`)
``spectrum``         Adobe Spectrum's ``src/*.json`` (:mod:`.spectrum`)
==================== ===========================================================

Errors: the loaders of this package, and :func:`load` for every format, raise
:class:`~graphql_api.dtcg.errors.DTCGErrorGroup` with the engine's codes, each
error naming its file, JSON Pointer and token path; this package adds one code,
:data:`UNSUPPORTED_FORMAT` (a format name :func:`load` does not know).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from graphql_api.dtcg.errors import DTCGError, DTCGErrorGroup
from graphql_api.dtcg.parse import load_json
from graphql_api.dtcg.resolver import ResolverDocument, load_resolver, load_token_file

from .folder import DEFAULT_BASE, load_context_folder
from .spectrum import is_spectrum, load_spectrum
from .style_dictionary import load_style_dictionary, token_files
from .tokens_studio import METADATA_FILE, THEMES_FILE, load_tokens_studio

__all__ = [
    "DEFAULT_BASE",
    "FORMATS",
    "UNSUPPORTED_FORMAT",
    "detect_format",
    "load",
    "load_context_folder",
    "load_spectrum",
    "load_style_dictionary",
    "load_tokens_studio",
]

UNSUPPORTED_FORMAT = "UNSUPPORTED_FORMAT"
"""Error code: :func:`load` was given a format name it does not know."""

LOADERS: dict[str, Callable[..., ResolverDocument]] = {
    "resolver": load_resolver,
    "dtcg": load_token_file,
    "tokens-studio": load_tokens_studio,
    "style-dictionary": load_style_dictionary,
    "context-per-file": load_context_folder,
    "spectrum": load_spectrum,
}
FORMATS = tuple(LOADERS)


def _token_forms(node: Any) -> tuple[bool, bool]:
    """``(has a $value token, has a legacy value token)`` anywhere in ``node``."""
    if not isinstance(node, Mapping):
        return False, False
    if "$value" in node:
        return True, False
    if "value" in node:
        return False, True
    dollar = legacy = False
    for key, child in node.items():
        if not key.startswith("$"):
            d, leg = _token_forms(child)
            dollar, legacy = dollar or d, legacy or leg
    return dollar, legacy


def _is_studio_file(data: Mapping[str, Any]) -> bool:
    meta = data.get("$metadata")
    return isinstance(data.get("$themes"), list) or (
        isinstance(meta, Mapping) and "tokenSetOrder" in meta
    )


def resolver_file(folder: Path) -> Path | None:
    """The folder's only top-level ``*.resolver.json``, or None (none, or several)."""
    found = sorted(folder.glob("*.resolver.json")) if folder.is_dir() else []
    return found[0] if len(found) == 1 else None


def detect_format(path: str | Path) -> str:
    """Guess the format of a token file or folder.

    Rules, in order: a folder with ``$themes.json`` or ``$metadata.json``, or a
    file with a top-level ``$themes`` list or ``$metadata.tokenSetOrder`` →
    ``tokens-studio``; a file whose entries carry Spectrum's ``…/token-types/<type>.json``
    ``$schema`` URLs, or a folder (or its ``src/``) of such files → ``spectrum``; a
    file with ``resolutionOrder``, or a folder with exactly
    one ``*.resolver.json`` (which :func:`load` then reads) → ``resolver``; a file or
    folder whose tokens use ``value`` and never ``$value`` → ``style-dictionary``
    (a Tokens Studio folder without ``$themes.json``/``$metadata.json`` also lands
    here: pass ``fmt="tokens-studio"``); any other folder → ``context-per-file``
    (a folder of DTCG files cannot be one ``dtcg`` file); else ``dtcg``.

    Returns:
        One of :data:`FORMATS`.

    Raises:
        DTCGErrorGroup: the file cannot be read (``FILE_NOT_FOUND``, ``INVALID_JSON``).
            Unreadable files inside a folder are skipped here (:func:`load` reports them).
    """
    p = Path(path)
    if p.is_dir():
        return _detect_folder(p)
    try:
        data = load_json(p)
    except DTCGError as exc:
        raise DTCGErrorGroup([exc]) from None
    if isinstance(data, Mapping):
        if _is_studio_file(data):
            return "tokens-studio"
        if is_spectrum(data):
            return "spectrum"
        if "resolutionOrder" in data:
            return "resolver"
        dollar, legacy = _token_forms(data)
        if legacy and not dollar:
            return "style-dictionary"
    return "dtcg"


def _detect_folder(p: Path) -> str:
    if (p / THEMES_FILE).is_file() or (p / METADATA_FILE).is_file():
        return "tokens-studio"
    if resolver_file(p) is not None:
        return "resolver"
    dollar = legacy = False
    for f in token_files(p):
        try:
            data = load_json(f)
        except DTCGError:
            continue
        if is_spectrum(data):
            return "spectrum"
        d, leg = _token_forms(data)
        dollar, legacy = dollar or d, legacy or leg
    return "style-dictionary" if legacy and not dollar else "context-per-file"


def load(path: str | Path, fmt: str = "auto", **options: Any) -> ResolverDocument:
    """Load ``path`` in format ``fmt`` (``"auto"``: :func:`detect_format`).

    Args:
        path: a file or folder (for ``resolver``, a folder with one ``*.resolver.json``).
        fmt: ``"auto"`` or one of :data:`FORMATS`.
        **options: passed to the loader (e.g. ``strict=True``; ``modifier``,
            ``base``, ``default`` for ``context-per-file``).

    Returns:
        The loaded resolver document, ready for ``validate_document``.

    Raises:
        DTCGErrorGroup: ``UNSUPPORTED_FORMAT`` for an unknown ``fmt``, else every
            problem the loader found (each naming its file and JSON Pointer).
    """
    if fmt == "auto":
        fmt = detect_format(path)
    if fmt == "resolver" and Path(path).is_dir():
        path = resolver_file(Path(path)) or path
    loader = LOADERS.get(fmt)
    if loader is None:
        msg = f"unknown format {fmt!r} (one of auto, {', '.join(FORMATS)})"
        raise DTCGErrorGroup([DTCGError(UNSUPPORTED_FORMAT, msg, str(path))])
    try:
        return loader(path, **options)
    except DTCGError as exc:
        raise DTCGErrorGroup([exc]) from None

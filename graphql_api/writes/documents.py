"""Documents sent over the API (``importTokens``, ``validateTokens``), read as the CLI reads files.

The files of a request are written to a private temporary folder and read by
:func:`graphql_api.importers.load`, then checked by
:func:`~graphql_api.dtcg.validate.validate_document`: the same engine as
``flask tokens import``/``validate``, so every format the CLI reads is accepted here.
File names in problems are the request's own (relative) names.
"""

from __future__ import annotations

import json
import tempfile
from dataclasses import replace
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from .. import importers
from ..dtcg import errors as E  # noqa: N812 - the engine's alias
from ..dtcg.errors import DTCGError, DTCGErrorGroup
from ..dtcg.validate import ResolutionBudget, merge_problems, validate_document

if TYPE_CHECKING:
    from ..dtcg.resolver import ResolverDocument

#: Name given to a lone ``document`` (a resolver document when it has ``resolutionOrder``).
DOCUMENT_NAME = "tokens.json"
RESOLVER_NAME = "tokens.resolver.json"


#: Longest file name (UTF-8 bytes) of one part of an upload path, and of a whole path.
MAX_NAME_BYTES = 255
MAX_PATH_CHARS = 1000  # the stored ``source_file`` column


def _bad_name(name: str, why: str) -> DTCGErrorGroup:
    shown = name if len(name) <= 80 else name[:77] + "…"  # noqa: PLR2004 - for the message
    return DTCGErrorGroup([DTCGError(E.FILE_NOT_FOUND, f"{shown!r}: {why}", repr(shown)[1:-1])])


def _safe(name: str) -> PurePosixPath:
    """A relative upload path, or a clear error (never an OS error from the temp folder)."""
    p = PurePosixPath(name)
    if not name or p.is_absolute() or ".." in p.parts or "\\" in name:
        raise _bad_name(name, "use a relative path inside the upload, without '..'")
    if not p.parts or any(ord(c) < 0x20 or c == "\x7f" for c in name):  # noqa: PLR2004
        raise _bad_name(name, "a file name must name a file, without control characters")
    if len(name) > MAX_PATH_CHARS or any(len(x.encode()) > MAX_NAME_BYTES for x in p.parts):
        raise _bad_name(
            name,
            f"a path is at most {MAX_PATH_CHARS} characters, each part "
            f"at most {MAX_NAME_BYTES} bytes",
        )
    return p


def _check_names(files: dict[str, str]) -> None:
    """Refuse an upload where one name is the folder of another (``a`` and ``a/b.json``)."""
    paths = {name: _safe(name) for name in files}
    folders = {parent for p in paths.values() for parent in p.parents}
    for name, p in paths.items():
        if p in folders:
            raise _bad_name(name, "is both a file and the folder of other files in the upload")
    if len(set(paths.values())) != len(paths):
        raise _bad_name(next(iter(files)), "two names of the upload are the same file")


def _relative_files(doc: ResolverDocument, *prefixes: str) -> None:
    """Give every token and group of ``doc`` its request-relative file name (in place)."""
    for document in doc.every_layer():
        document.tokens = {
            k: replace(t, file=_relative(t.file, *prefixes)) for k, t in document.tokens.items()
        }
        document.groups = {
            k: replace(g, file=_relative(g.file, *prefixes)) for k, g in document.groups.items()
        }


def read_upload(
    files: dict[str, str],
    entry: str | None,
    fmt: str = "auto",
    *,
    strict: bool = False,
    budget: ResolutionBudget | None = None,
) -> tuple[ResolverDocument | None, list[DTCGError]]:
    """Load and validate uploaded files: (the document or None, every problem).

    Args:
        files: relative file name → text (JSON, JSON5).
        entry: the file or folder to read ('' or None: the only file, else the folder).
        fmt: ``auto`` or one of :data:`graphql_api.importers.FORMATS`.
        strict: reject the tolerated non-standard forms.
        budget: token resolutions shared by the uploads of one request (a batch, aliased
            fields): past ``limits.MAX_RESOLUTIONS`` in all, ``INVALID_RESOLVER``.
    """
    with tempfile.TemporaryDirectory(prefix="tokens-upload-") as tmp:
        root = Path(tmp)
        try:
            _check_names(files)
            for name, text in files.items():
                target = root / _safe(name)
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(text, encoding="utf-8")
            if entry:
                path = root / _safe(entry)
            else:
                path = root / next(iter(files)) if len(files) == 1 else root
            doc, problems = _load(path, fmt, strict, budget or ResolutionBudget())
        except DTCGErrorGroup as group:
            doc, problems = None, group.errors
        # The temporary folder is the server's business: name files as the request did.
        prefix = str(root.resolve()) + "/"
        plain = str(root) + "/"
        if doc is not None:
            _relative_files(doc, prefix, plain)
        return doc, [
            replace(
                p,
                file=_relative(p.file, prefix, plain),
                message=_relative(p.message, prefix, plain),
            )
            for p in problems
        ]


def _relative(text: str, *prefixes: str) -> str:
    for prefix in prefixes:
        text = text.replace(prefix, "")
        if text == prefix.removesuffix("/"):  # the upload's folder itself
            return ""
    for prefix in prefixes:
        text = text.replace(prefix.removesuffix("/"), ".")
    return text


def _load(
    path: Path, fmt: str, strict: bool, budget: ResolutionBudget
) -> tuple[ResolverDocument | None, list[DTCGError]]:
    problems: list[DTCGError] = []
    if fmt == "auto":
        fmt = importers.detect_format(path)
    options: dict[str, Any] = {"strict": True} if strict else {}
    if fmt in ("resolver", "dtcg", "spectrum", "tokens-studio"):
        options["problems"] = problems  # keep going: every stage's problems in one run
    doc = importers.load(path, fmt, **options)
    return doc, merge_problems(problems, validate_document(doc, strict=strict, budget=budget))


def document_files(document: Any) -> dict[str, str]:
    """One JSON ``document`` as an upload: a resolver document or a DTCG token file."""
    is_resolver = isinstance(document, dict) and "resolutionOrder" in document
    return {RESOLVER_NAME if is_resolver else DOCUMENT_NAME: json.dumps(document)}

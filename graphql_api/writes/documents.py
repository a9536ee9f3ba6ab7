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
from ..dtcg.validate import validate_document

if TYPE_CHECKING:
    from ..dtcg.resolver import ResolverDocument

#: Name given to a lone ``document`` (a resolver document when it has ``resolutionOrder``).
DOCUMENT_NAME = "tokens.json"
RESOLVER_NAME = "tokens.resolver.json"


def _safe(name: str) -> PurePosixPath:
    p = PurePosixPath(name)
    if not name or p.is_absolute() or ".." in p.parts or "\\" in name:
        raise DTCGErrorGroup([DTCGError(E.FILE_NOT_FOUND, f"{name!r}: use a relative path "
                                        "inside the upload, without '..'", name)])  # fmt: skip
    return p


def read_upload(
    files: dict[str, str],
    entry: str | None,
    fmt: str = "auto",
    *,
    strict: bool = False,
) -> tuple[ResolverDocument | None, list[DTCGError]]:
    """Load and validate uploaded files: (the document or None, every problem).

    Args:
        files: relative file name → text (JSON, JSON5).
        entry: the file or folder to read ('' or None: the only file, else the folder).
        fmt: ``auto`` or one of :data:`graphql_api.importers.FORMATS`.
        strict: reject the tolerated non-standard forms.
    """
    with tempfile.TemporaryDirectory(prefix="tokens-upload-") as tmp:
        root = Path(tmp)
        try:
            for name, text in files.items():
                target = root / _safe(name)
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(text, encoding="utf-8")
            if entry:
                path = root / _safe(entry)
            else:
                path = root / next(iter(files)) if len(files) == 1 else root
            doc, problems = _load(path, fmt, strict)
        except DTCGErrorGroup as group:
            doc, problems = None, group.errors
        # The temporary folder is the server's business: name files as the request did.
        prefix = str(root.resolve()) + "/"
        plain = str(root) + "/"
        return doc, [
            replace(p, file=_relative(p.file, prefix, plain),
                    message=_relative(p.message, prefix, plain))
            for p in problems
        ]  # fmt: skip


def _relative(text: str, *prefixes: str) -> str:
    for prefix in prefixes:
        text = text.replace(prefix, "")
    return text


def _load(path: Path, fmt: str, strict: bool) -> tuple[ResolverDocument | None, list[DTCGError]]:
    problems: list[DTCGError] = []
    if fmt == "auto":
        fmt = importers.detect_format(path)
    options: dict[str, Any] = {"strict": True} if strict else {}
    if fmt in ("resolver", "dtcg"):
        options["problems"] = problems
    doc = importers.load(path, fmt, **options)
    return doc, problems + validate_document(doc, strict=strict)


def document_files(document: Any) -> dict[str, str]:
    """One JSON ``document`` as an upload: a resolver document or a DTCG token file."""
    is_resolver = isinstance(document, dict) and "resolutionOrder" in document
    return {RESOLVER_NAME if is_resolver else DOCUMENT_NAME: json.dumps(document)}

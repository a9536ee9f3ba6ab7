"""Reading token and resolver files (Format module 2025.10 §4, Resolver module §3.1).

Design token files and resolver documents are JSON (RFC 8259). Tolerant mode
also reads JSON5 (comments, unquoted keys, single quotes, trailing commas, hex
numbers), which real design systems ship (Primer's sources are JSON5); strict
mode reads plain JSON only and reports keys repeated in one object
(``DUPLICATE_NAME``), which tolerant mode resolves by keeping the last one, as
JSON readers do.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import json5

from . import errors as E  # noqa: N812 - the engine's own alias
from .errors import DTCGError, pointer_join

if TYPE_CHECKING:
    from pathlib import Path


def load_json(path: Path, *, strict: bool = False) -> Any:
    """Read ``path`` as JSON (JSON5 unless ``strict``).

    Args:
        path: the file to read (UTF-8, an optional BOM is skipped).
        strict: plain JSON only (Format §4, Resolver §3.1).

    Returns:
        The decoded data; a repeated key keeps its last value.

    Raises:
        DTCGError: ``FILE_NOT_FOUND`` or ``INVALID_JSON`` naming the file.
    """
    return read_json(path, strict=strict)[0]


def read_json(path: Path, *, strict: bool = False) -> tuple[Any, list[DTCGError]]:
    """Read ``path`` like :func:`load_json` and, when ``strict``, report repeated keys.

    Returns:
        ``(data, problems)``: problems are ``DUPLICATE_NAME`` errors (strict only),
        each with the pointer of the object that repeats the key.

    Raises:
        DTCGError: ``FILE_NOT_FOUND`` or ``INVALID_JSON`` naming the file.
    """
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise DTCGError(E.FILE_NOT_FOUND, "file not found", file=str(path)) from None
    except OSError as exc:
        raise DTCGError(E.FILE_NOT_FOUND, f"cannot read file: {exc}", file=str(path)) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DTCGError(E.INVALID_JSON, f"not UTF-8: {exc}", file=str(path)) from None
    data = loads(text, file=str(path), strict=strict)
    if not strict:
        return data, []
    return data, [
        DTCGError(E.DUPLICATE_NAME, f"key {key!r} appears more than once", str(path), where)
        for where, key in duplicate_keys(text)
    ]


def loads(text: str, *, file: str = "", strict: bool = False) -> Any:
    """Parse JSON text, falling back to JSON5 unless ``strict``.

    Raises:
        DTCGError: ``INVALID_JSON`` with the parser's message.
    """
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        if strict:
            raise DTCGError(E.INVALID_JSON, f"invalid JSON: {exc}", file=file) from None
    except RecursionError:
        raise DTCGError(E.INVALID_JSON, "nesting too deep", file=file) from None
    fast = json5_as_json(text)
    if fast is not None:
        try:
            return json.loads(fast)
        except (json.JSONDecodeError, RecursionError):
            pass  # a JSON5 form the fast path does not translate: use the full parser
    try:
        return json5.loads(text)
    except RecursionError:
        raise DTCGError(E.INVALID_JSON, "nesting too deep", file=file) from None
    except ValueError as exc:
        raise DTCGError(E.INVALID_JSON, f"invalid JSON5: {exc}", file=file) from None


_IDENT = re.compile(r"[A-Za-z_$][A-Za-z0-9_$]*")
_SPACE = re.compile(r"(?:\s|//[^\n]*|/\*.*?\*/)*", re.S)


def json5_as_json(text: str) -> str | None:
    """Translate the common JSON5 forms to JSON in one pass, or None when unsure.

    Handles comments, trailing commas, single-quoted strings and unquoted keys,
    which is what real token files use; anything else (hex numbers, ``+1``,
    ``.5``, JSON5-only escapes) is left as is, so ``json.loads`` fails on it and
    :func:`loads` falls back to the complete (and much slower) ``json5`` parser.
    The result means exactly what the JSON5 text means, or does not parse.
    """
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch in "\"'":
            j = i + 1
            while j < n and text[j] != ch:
                j += 2 if text[j] == "\\" else 1
            if j >= n:
                return None
            body = text[i + 1 : j]
            if ch == "'":
                body = body.replace("\\'", "'")
                body = re.sub(r'(?<!\\)((?:\\\\)*)"', r'\1\\"', body)
            out.append('"' + body + '"')
            i = j + 1
        elif ch == "/" and text.startswith(("//", "/*"), i):
            i = _SPACE.match(text, i).end()  # type: ignore[union-attr]
            out.append(" ")
        elif ch == ",":
            k = _SPACE.match(text, i + 1).end()  # type: ignore[union-attr]
            if k < n and text[k] in "]}":
                i = k  # a trailing comma
            else:
                out.append(ch)
                i += 1
        elif (m := _IDENT.match(text, i)) and (not out or not out[-1][-1:].isalnum()):
            k = _SPACE.match(text, m.end()).end()  # type: ignore[union-attr]
            word = m.group(0)
            out.append(f'"{word}"' if k < n and text[k] == ":" else word)
            i = m.end()
        else:
            out.append(ch)
            i += 1
    return "".join(out)


class _Pairs(dict[str, Any]):
    """A decoded JSON object that remembers the keys it saw more than once."""

    repeated: tuple[str, ...] = ()


def _pairs(items: list[tuple[str, Any]]) -> _Pairs:
    out = _Pairs()
    repeated = []
    for key, value in items:
        if key in out:
            repeated.append(key)
        out[key] = value
    if repeated:
        out.repeated = tuple(repeated)
    return out


def duplicate_keys(text: str) -> list[tuple[str, str]]:
    """Every ``(pointer of the object, key)`` repeated inside one object of JSON ``text``.

    Returns:
        The repeated keys in document order; ``[]`` for text that is not plain JSON.
    """
    try:
        data = json.loads(text, object_pairs_hook=_pairs)
    except (json.JSONDecodeError, RecursionError):
        return []
    found: list[tuple[str, str]] = []
    stack: list[tuple[str, Any]] = [("", data)]
    while stack:
        where, node = stack.pop()
        if isinstance(node, Mapping):
            found.extend((where, k) for k in getattr(node, "repeated", ()))
            stack.extend((pointer_join(where, k), v) for k, v in reversed(list(node.items())))
        elif isinstance(node, list):
            stack.extend((pointer_join(where, i), v) for i, v in reversed(list(enumerate(node))))
    return found

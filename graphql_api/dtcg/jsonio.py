"""Reading token and resolver files (Format module 2025.10 §4, Resolver module §3.1).

Design token files and resolver documents are JSON (RFC 8259). Tolerant mode
also reads JSON5 (comments, unquoted keys, single quotes, trailing commas, hex
numbers), which real design systems ship (Primer's sources are JSON5); strict
mode reads plain JSON only and reports keys repeated in one object
(``DUPLICATE_NAME``), which tolerant mode resolves by keeping the last one, as
JSON readers do.

Limits (hostile input, :mod:`graphql_api.dtcg.limits`; each reported as
``INVALID_JSON``, or ``FILE_NOT_FOUND`` for what cannot be read, never as a crash
or a hang):

* files larger than ``MAX_FILE_BYTES`` are refused before they are read, and no
  more than that is ever read; only regular files are read: a directory, a FIFO
  (which would block forever) or a device is ``FILE_NOT_FOUND``;
* documents nested deeper than ``MAX_DEPTH`` (every later stage walks values
  recursively; the parsers' own recursion is caught too);
* the complete (slow) JSON5 parser is only used up to ``MAX_JSON5_FALLBACK_BYTES``;
* in files (:func:`read_json`), ``NaN``, ``Infinity`` and numbers that overflow to
  them (``1e400``): no DTCG type accepts them and JSON cannot store them (a
  custom-typed value would break the import); integers longer than Python's
  4300-digit limit; strings or keys with an unpaired UTF-16 surrogate escape,
  which cannot be written as UTF-8 later, or with a NUL character (U+0000), which
  PostgreSQL cannot store (the import failed in the database).

Fixed on hostile input: an unterminated ``/*`` comment made :func:`json5_as_json`
loop forever (appending to its output without bound); an over-long integer
raised ``ValueError`` out of :func:`loads`.
"""

from __future__ import annotations

import json
import math
import re
import stat
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import json5

from . import errors as E  # noqa: N812 - the engine's own alias
from . import limits
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
    raw = read_bytes(path)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DTCGError(E.INVALID_JSON, f"not UTF-8: {exc}", file=str(path)) from None
    data = _loads(text, str(path), strict)
    check_limits(data, str(path), finite=True)
    if not strict:
        return data, []
    return data, [
        DTCGError(E.DUPLICATE_NAME, f"key {key!r} appears more than once", str(path), where)
        for where, key in duplicate_keys(text)
    ]


def read_bytes(path: Path) -> bytes:
    """The bytes of the regular file ``path``, at most ``limits.MAX_FILE_BYTES`` of them.

    Raises:
        DTCGError: ``FILE_NOT_FOUND`` (missing, unreadable, a directory, a FIFO or a
            device) or ``INVALID_JSON`` (larger than ``limits.MAX_FILE_BYTES``).
    """
    limit = limits.MAX_FILE_BYTES
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            raise DTCGError(E.FILE_NOT_FOUND, "a directory, not a file", file=str(path))
        if not stat.S_ISREG(info.st_mode):
            raise DTCGError(E.FILE_NOT_FOUND, "not a regular file", file=str(path))
        if info.st_size > limit:
            raise DTCGError(E.INVALID_JSON, _too_large(limit), file=str(path))
        with path.open("rb") as handle:
            # read(n) allocates n bytes at once: ask for the size stat gave, then for the
            # rest up to the limit only if the file is longer (it grew, or /proc says 0)
            raw = handle.read(min(info.st_size, limit) + 1)
            if len(raw) > info.st_size:
                raw += handle.read(limit + 1 - len(raw))
    except FileNotFoundError:
        raise DTCGError(E.FILE_NOT_FOUND, "file not found", file=str(path)) from None
    except (OSError, ValueError) as exc:  # ValueError: a NUL byte in the name
        raise DTCGError(E.FILE_NOT_FOUND, f"cannot read file: {exc}", file=str(path)) from None
    if len(raw) > limit:
        raise DTCGError(E.INVALID_JSON, _too_large(limit), file=str(path))
    return raw


def _too_large(limit: int) -> str:
    return f"the file is larger than the limit of {limit} bytes (limits.MAX_FILE_BYTES)"


def loads(text: str, *, file: str = "", strict: bool = False) -> Any:
    """Parse JSON text, falling back to JSON5 unless ``strict``.

    JSON5's ``NaN`` and ``Infinity`` are returned as floats; :func:`read_json` refuses
    them in files.

    Raises:
        DTCGError: ``INVALID_JSON`` with the parser's message, or naming the limit
            exceeded (see the module docstring).
    """
    data = _loads(text, file, strict)
    check_limits(data, file, finite=False)
    return data


def _loads(text: str, file: str, strict: bool) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        if strict:
            raise DTCGError(E.INVALID_JSON, f"invalid JSON: {exc}", file=file) from None
        reason = exc
    except RecursionError:
        raise DTCGError(E.INVALID_JSON, _too_deep(), file=file) from None
    except ValueError as exc:  # an integer longer than Python's digit limit
        raise DTCGError(E.INVALID_JSON, f"invalid JSON: {exc}", file=file) from None
    fast = json5_as_json(text)
    if fast is not None:
        try:
            return json.loads(fast)
        except (ValueError, RecursionError):
            pass  # a JSON5 form the fast path does not translate: use the full parser
    if len(text) > limits.MAX_JSON5_FALLBACK_BYTES:
        msg = (
            f"invalid JSON: {reason}; a file over {limits.MAX_JSON5_FALLBACK_BYTES} bytes is "
            "read as JSON or with the common JSON5 forms only (comments, unquoted keys, "
            "single quotes, trailing commas)"
        )
        raise DTCGError(E.INVALID_JSON, msg, file=file)
    try:
        return json5.loads(text)
    except RecursionError:
        raise DTCGError(E.INVALID_JSON, _too_deep(), file=file) from None
    except (ValueError, IndexError, TypeError, OverflowError) as exc:
        raise DTCGError(E.INVALID_JSON, f"invalid JSON5: {exc}", file=file) from None


def _too_deep() -> str:
    return f"nested deeper than {limits.MAX_DEPTH} levels"


def check_limits(data: Any, file: str = "", *, finite: bool = True) -> None:
    """Check decoded JSON: ``limits.MAX_DEPTH``, valid Unicode strings, finite numbers.

    Iterative, so that it never recurses whatever the depth. A string (or key) with
    an unpaired surrogate (a lone UTF-16 half written as an escape, RFC 8259 §8.2)
    cannot be written as UTF-8 later (database, error output), and one with a NUL
    character (U+0000, escaped or raw in JSON5) cannot be stored by PostgreSQL: both are
    refused here.

    Raises:
        DTCGError: ``INVALID_JSON`` with the JSON Pointer of the first offending node.
    """
    if _looks_fine(data, finite):
        return
    # (node, depth, key, parent entry): pointers are only built for an error
    stack: list[tuple[Any, int, Any, Any]] = [(data, 0, None, None)]
    while stack:
        entry = stack.pop()
        node, depth = entry[0], entry[1]
        if isinstance(node, str):
            problem = _text_problem(node)
            if problem:
                raise DTCGError(E.INVALID_JSON, "a string " + problem, file, _pointer_of(entry))
        elif isinstance(node, float):
            if finite and not math.isfinite(node):
                msg = f"the number {node} is not finite (NaN, Infinity or out of range)"
                raise DTCGError(E.INVALID_JSON, msg, file, _pointer_of(entry))
        elif isinstance(node, (Mapping, list)):
            if depth >= limits.MAX_DEPTH:
                raise DTCGError(E.INVALID_JSON, _too_deep(), file, _pointer_of(entry))
            if isinstance(node, Mapping):
                for k, v in node.items():
                    problem = _text_problem(k)
                    if problem:
                        here = _pointer_of(entry)
                        raise DTCGError(E.INVALID_JSON, "a key " + problem, file, here)
                    stack.append((v, depth + 1, k, entry))
            else:
                stack.extend((v, depth + 1, i, entry) for i, v in enumerate(node))


def _looks_fine(data: Any, finite: bool) -> bool:
    """The quick pass of :func:`check_limits`: no pointers, exact types (what json makes)."""
    stack = [(data, 0)]
    pop, push = stack.pop, stack.append
    max_depth = limits.MAX_DEPTH
    while stack:
        node, depth = pop()
        kind = type(node)
        if kind is dict or kind is list:
            if depth >= max_depth:
                return False
            if kind is list:
                for v in node:
                    push((v, depth + 1))
                continue
            for k, v in node.items():
                if _bad_text(k):
                    return False
                push((v, depth + 1))
        elif not _fine_scalar(node, kind, finite):
            return False
    return True


def _fine_scalar(node: Any, kind: type, finite: bool) -> bool:
    if kind is str:
        return not _bad_text(node)
    if kind is float:
        return not finite or math.isfinite(node)
    return kind is int or kind is bool or node is None  # else a subclass: the careful pass


def _bad_text(text: str) -> bool:
    return "\x00" in text or (not text.isascii() and _text_problem(text) is not None)


def _text_problem(text: str) -> str | None:
    """Why a decoded string cannot be kept: a NUL or an unpaired surrogate; else None."""
    if "\x00" in text:  # PostgreSQL's text and jsonb cannot hold U+0000: the import would fail
        return "has a NUL character (U+0000), which cannot be stored"
    if text.isascii():
        return None
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return "has an unpaired surrogate (\\ud800-\\udfff): not Unicode text"
    return None


def _pointer_of(entry: tuple[Any, int, Any, Any]) -> str:
    keys = []
    while entry[3] is not None:
        keys.append(entry[2])
        entry = entry[3]
    return pointer_join("", *reversed(keys))


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
            end = _SPACE.match(text, i).end()  # type: ignore[union-attr]
            if end == i:
                return None  # an unterminated /* comment
            i = end
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

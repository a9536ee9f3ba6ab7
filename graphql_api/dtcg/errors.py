"""Errors of the DTCG engine: the catalogue of stable codes.

Every problem the engine finds is a :class:`DTCGError` carrying a stable ``code``,
the source ``file``, the RFC 6901 JSON Pointer of the node in that file
(``pointer``) and the dotted token or group ``path`` it concerns, so a person can
find it and a program can switch on it. Loaders collect every problem of a pass
and raise them together as a :class:`DTCGErrorGroup`; :func:`~graphql_api.dtcg.
references.resolve` and :func:`~graphql_api.dtcg.validate.validate_document`
return them as lists.

Exception tree::

    Exception
    ├── DTCGError                 one problem (code, message, file, pointer, path)
    └── DTCGErrorGroup            several problems found in one pass (``errors``)

Catalogue (this table is the reference; codes never change meaning). "Strict"
marks problems reported only with ``strict=True``; the others are reported in
both modes. F = Format module 2025.10, R = Resolver module 2025.10, C = Color
module 2025.10.

==========================  =======================================================
Code                        Meaning
==========================  =======================================================
``INVALID_JSON``            a file is not JSON (strict) / JSON5 (tolerant), not
                            UTF-8, or exceeds a reader limit: nested deeper than
                            ``limits.MAX_DEPTH``, larger than
                            ``limits.MAX_FILE_BYTES``, a number that is not finite
                            (``NaN``, ``1e400``), a string that is not Unicode
                            or holds U+0000 (PostgreSQL cannot store it) (F §4,
                            R §3.1)
``FILE_NOT_FOUND``          a ``$ref`` names a file that does not exist, cannot be
                            read (a directory, a FIFO, a device), or may not be
                            read: a remote URL (never), a file outside the
                            document's folder after resolving ``..`` and symlinks
                            (unless ``allow_outside_refs``) (R §4.2)
``DUPLICATE_NAME``          strict: one JSON object repeats a key (RFC 8259 §4:
                            names SHOULD be unique; tolerant keeps the last one)
``INVALID_NAME``            a token or group name is empty, starts with ``$``
                            (other than ``$root``) or has ``{``, ``}`` or ``.``
                            (F §5.1.1); ``$root`` is not a token (F §6.2); a
                            dotted path longer than ``limits.MAX_PATH_LENGTH``;
                            strict: an unknown ``$`` property of a group
``INVALID_NODE``            a node is neither a token nor a group (not an object);
                            data given to the parser nested deeper than
                            ``limits.MAX_DEPTH``; strict: a node is both a token
                            and a group (F §6.1), or a token has members that are
                            not ``$`` properties
``INVALID_PROPERTY``        strict: a ``$`` property has the wrong JSON type
                            (``$type``/``$description`` not a string,
                            ``$deprecated`` not a boolean or string,
                            ``$extensions`` not an object; F §5.2, §6.3), or a
                            token has both ``$value`` and ``$ref``
``UNKNOWN_TYPE``            strict: ``$type`` is not one of the 13 types of
                            F §8-§9 (tolerant keeps such values as ``Unknown``)
``MISSING_TYPE``            strict: a token's type cannot be determined (no own
                            ``$type``, no typed alias target, no typed group;
                            F §5.2.2)
``INVALID_VALUE``           a resolved ``$value`` does not fit its ``$type``
                            (F §8-§9, C §4); the message names the member, e.g.
                            ``shadow[1].color: …``; or resolving it would build a
                            value past a resolver limit (``limits.
                            MAX_RESOLVED_SIZE``, ``MAX_INTERPOLATED_LENGTH``,
                            nesting deeper than ``limits.MAX_DEPTH``): a
                            reference bomb
``INVALID_REFERENCE``       a reference is malformed: ``{}``, an empty segment
                            (``{a..b}``), a ``$ref`` that is not a string or not
                            a ``#/…`` pointer (F §7.4.5 "invalid syntax"); strict:
                            a reference inside a longer string (interpolation),
                            or a ``$ref`` to another file
``CIRCULAR_REFERENCE``      a reference chain loops; reported once for every
                            token in the loop, never for tokens that only lead
                            into it (F §7.2.3)
``UNRESOLVABLE_REFERENCE``  a reference or ``$extends`` names a path that does
                            not exist, or a JSON Pointer runs past the target's
                            value (F §7.4.5, §6.4.6)
``GROUP_REFERENCE``         a token reference names a group, not a token
                            (F §7.1.1; e.g. ``{color.accent}`` when only
                            ``{color.accent.$root}`` is a token, F §6.2)
``TYPE_MISMATCH``           an alias's declared ``$type`` differs from its
                            target's, or a reference inside a composite value
                            names a token of another type than the member's
                            (F §7.4.5, §9; R §6.3)
``INVALID_EXTENDS``         ``$extends`` is not a group reference (``"{a.b}"``,
                            ``"#/a/b"`` or ``{"$ref": "#/a/b"}``), or its target
                            is a token, not a group (F §6.4.6); or applying it
                            passes a limit (``limits.MAX_EXTENDS_DEPTH`` groups
                            in a chain, ``limits.MAX_EXTENDED_TOKENS`` copies)
``CIRCULAR_EXTENDS``        ``$extends`` chains loop, or a group extends one of
                            its own ancestors; reported once for every group in
                            the loop (F §6.4.4, §6.7.4)
``INVALID_RESOLVER``        a resolver document is malformed: version, sets,
                            modifiers, contexts, ``default``, ``resolutionOrder``,
                            inline items, invalid or circular ``$ref`` pointers
                            (R §4); or it passes a limit: ``$ref`` chains deeper
                            than ``limits.MAX_DEPTH``, more than
                            ``limits.MAX_SOURCE_TOKENS`` tokens merged
                            while loading, more than ``limits.MAX_RESOLUTIONS``
                            token resolutions to validate
``UNKNOWN_MODIFIER``        a theme input names a modifier that does not exist
                            (R §6.1)
``UNKNOWN_CONTEXT``         a theme input names a context the modifier lacks
                            (R §6.1)
``MISSING_INPUT``           a modifier without a ``default`` got no input (R §6.1)
``INVALID_INPUT``           a theme input value is not a string (R §5.2)
==========================  =======================================================

Codes for ``$extends``: a missing target reuses ``UNRESOLVABLE_REFERENCE`` (it is
the same problem as for a token reference), while loops get their own
``CIRCULAR_EXTENDS`` because they concern groups, not tokens, and are fixed in a
different place. An error about a token that a group inherited through
``$extends`` names the inheriting path, and the file and pointer where the token
is written (see :attr:`~graphql_api.dtcg.parse.TokenNode.extended_from`).

Limits: the engine reads hostile input (uploads, pull requests) in bounded time and
memory; every limit is a constant of :mod:`graphql_api.dtcg.limits`, with its default,
and passing one is reported with the code above, never as another exception. Error
texts are bounded too: a message, file, pointer or path longer than
``limits.MAX_TEXT_LENGTH`` characters is cut, and messages quote values through
:func:`brief`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from . import limits

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

INVALID_JSON = "INVALID_JSON"
FILE_NOT_FOUND = "FILE_NOT_FOUND"
DUPLICATE_NAME = "DUPLICATE_NAME"
INVALID_NAME = "INVALID_NAME"
INVALID_NODE = "INVALID_NODE"
INVALID_PROPERTY = "INVALID_PROPERTY"
UNKNOWN_TYPE = "UNKNOWN_TYPE"
MISSING_TYPE = "MISSING_TYPE"
INVALID_VALUE = "INVALID_VALUE"
INVALID_REFERENCE = "INVALID_REFERENCE"
CIRCULAR_REFERENCE = "CIRCULAR_REFERENCE"
UNRESOLVABLE_REFERENCE = "UNRESOLVABLE_REFERENCE"
GROUP_REFERENCE = "GROUP_REFERENCE"
TYPE_MISMATCH = "TYPE_MISMATCH"
INVALID_EXTENDS = "INVALID_EXTENDS"
CIRCULAR_EXTENDS = "CIRCULAR_EXTENDS"
INVALID_RESOLVER = "INVALID_RESOLVER"
UNKNOWN_MODIFIER = "UNKNOWN_MODIFIER"
UNKNOWN_CONTEXT = "UNKNOWN_CONTEXT"
MISSING_INPUT = "MISSING_INPUT"
INVALID_INPUT = "INVALID_INPUT"

#: Every code, in catalogue order.
CODES: tuple[str, ...] = (
    INVALID_JSON,
    FILE_NOT_FOUND,
    DUPLICATE_NAME,
    INVALID_NAME,
    INVALID_NODE,
    INVALID_PROPERTY,
    UNKNOWN_TYPE,
    MISSING_TYPE,
    INVALID_VALUE,
    INVALID_REFERENCE,
    CIRCULAR_REFERENCE,
    UNRESOLVABLE_REFERENCE,
    GROUP_REFERENCE,
    TYPE_MISMATCH,
    INVALID_EXTENDS,
    CIRCULAR_EXTENDS,
    INVALID_RESOLVER,
    UNKNOWN_MODIFIER,
    UNKNOWN_CONTEXT,
    MISSING_INPUT,
    INVALID_INPUT,
)


@dataclass
class DTCGError(Exception):
    """One problem in a DTCG document.

    Attributes:
        code: stable machine-readable code (see the module docstring).
        message: what is wrong, in words a person understands.
        file: the source file ('' when not from a file).
        pointer: RFC 6901 JSON Pointer of the node inside ``file`` ('' = whole file).
        path: dotted token path concerned ('' when none).
    """

    code: str
    message: str
    file: str = ""
    pointer: str = ""
    path: str = ""

    def __post_init__(self) -> None:
        self.message = _clip(self.message)
        self.file, self.pointer, self.path = _clip(self.file), _clip(self.pointer), _clip(self.path)
        super().__init__(str(self))

    def __str__(self) -> str:
        where = []
        if self.path:
            where.append(f"token {self.path}")
        if self.file:
            where.append(self.file + (f"#{self.pointer}" if self.pointer else ""))
        prefix = f"[{self.code}] " + (f"{', '.join(where)}: " if where else "")
        return prefix + self.message

    def as_dict(self) -> dict[str, str]:
        """Return ``{"code", "message", "file", "pointer", "path"}`` for JSON output."""
        return {
            "code": self.code,
            "message": self.message,
            "file": self.file,
            "pointer": self.pointer,
            "path": self.path,
        }


@dataclass
class DTCGErrorGroup(Exception):  # noqa: N818 - public name kept
    """Several problems found in one pass; ``errors`` lists every one of them."""

    errors: list[DTCGError] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(str(self))

    def __str__(self) -> str:
        n = len(self.errors)
        head = f"{n} problem{'s' if n != 1 else ''} found"
        return head + "".join(f"\n  {e}" for e in self.errors)


_long_bits = 256  # longer integers are described, not written out (lower case: not a code)


def _clip(text: str) -> str:
    keep = limits.MAX_TEXT_LENGTH
    if len(text) <= keep:
        return text
    return f"{text[: keep - 40]}… ({len(text) - keep + 40} more characters)"


def brief(value: Any, limit: int | None = None) -> str:
    """``repr(value)`` cut after about ``limit`` characters, for messages.

    Unlike ``repr``, it never builds the whole text of a huge value (a 30 MB string, a
    resolved value that shares one list many times): it stops after ``limit``
    (default :data:`~graphql_api.dtcg.limits.BRIEF_LENGTH`).
    """
    limit = limits.BRIEF_LENGTH if limit is None else limit
    out: list[str] = []
    size = 0
    for piece in _pieces(value, limit):
        out.append(piece)
        size += len(piece)
        if size > limit:
            return "".join(out)[:limit] + "…"
    return "".join(out)


def _pieces(value: Any, limit: int) -> Iterator[str]:
    if isinstance(value, str):
        yield repr(value[: limit + 1])
    elif isinstance(value, Mapping):
        yield "{"
        for i, (k, v) in enumerate(value.items()):
            yield ", " if i else ""
            yield from _pieces(k, limit)
            yield ": "
            yield from _pieces(v, limit)
        yield "}"
    elif isinstance(value, list):
        yield "["
        for i, v in enumerate(value):
            yield ", " if i else ""
            yield from _pieces(v, limit)
        yield "]"
    elif isinstance(value, int) and value.bit_length() > _long_bits:
        yield f"<an integer of about {int(value.bit_length() * 0.30103)} digits>"
    else:
        yield repr(value)


def raise_if_any(errors: Iterable[DTCGError]) -> None:
    """Raise :class:`DTCGErrorGroup` if ``errors`` is not empty.

    Raises:
        DTCGErrorGroup: with every error, in the order given.
    """
    errs = list(errors)
    if errs:
        raise DTCGErrorGroup(errs)


def pointer_escape(segment: str) -> str:
    """Escape one JSON Pointer segment (RFC 6901 §3: ``~`` → ``~0``, ``/`` → ``~1``)."""
    return segment.replace("~", "~0").replace("/", "~1")


def pointer_join(pointer: str, *segments: str | int) -> str:
    """Append ``segments`` to the JSON Pointer ``pointer``."""
    return pointer + "".join("/" + pointer_escape(str(s)) for s in segments)


def pointer_unescape(segment: str) -> str:
    """Decode one JSON Pointer segment (RFC 6901 §4: ``~1`` → ``/`` first, then ``~0`` → ``~``)."""
    return segment.replace("~1", "/").replace("~0", "~")


def pointer_parts(pointer: str) -> list[str]:
    """Split a JSON Pointer (``"/a/b~1c"``, optionally after ``#``) into decoded segments.

    ``""`` and ``"#"`` (the whole document) give ``[]``.
    """
    body = pointer[1:] if pointer.startswith("#") else pointer
    if not body:
        return []
    return [pointer_unescape(p) for p in body.split("/")[1:]]

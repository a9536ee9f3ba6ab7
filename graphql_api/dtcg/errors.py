"""Errors of the DTCG engine.

Every problem the engine finds is a :class:`DTCGError` carrying a stable ``code``,
the source ``file``, the JSON Pointer of the node in that file (``pointer``) and
the dotted token ``path`` it concerns, so a person can find it and a program can
switch on it.

Exception tree::

    DTCGError                     one problem (code, message, file, pointer, path)
    DTCGErrorGroup                several problems found in one pass (``errors``)

Codes (stable, documented in the README):

=========================  =======================================================
``INVALID_JSON``           a file is not JSON/JSON5, or not UTF-8
``FILE_NOT_FOUND``         a ``$ref`` names a file that does not exist
``INVALID_NAME``           a token or group name starts with ``$`` or has ``{``,
                           ``}`` or ``.``
``INVALID_NODE``           a node is neither a token nor a group (not an object)
``INVALID_VALUE``          a ``$value`` does not fit its ``$type``
``CIRCULAR_REFERENCE``     a reference chain loops (reported for every token in it)
``UNRESOLVABLE_REFERENCE`` a reference names a path that is not a token
``GROUP_REFERENCE``        a reference names a group, not a token
``TYPE_MISMATCH``          an alias's declared ``$type`` differs from its target's
``INVALID_RESOLVER``       a resolver document is malformed
``UNKNOWN_MODIFIER``       a theme input names a modifier that does not exist
``UNKNOWN_CONTEXT``        a theme input names a context the modifier lacks
``MISSING_INPUT``          a modifier without a default got no input
=========================  =======================================================
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

INVALID_JSON = "INVALID_JSON"
FILE_NOT_FOUND = "FILE_NOT_FOUND"
INVALID_NAME = "INVALID_NAME"
INVALID_NODE = "INVALID_NODE"
INVALID_VALUE = "INVALID_VALUE"
CIRCULAR_REFERENCE = "CIRCULAR_REFERENCE"
UNRESOLVABLE_REFERENCE = "UNRESOLVABLE_REFERENCE"
GROUP_REFERENCE = "GROUP_REFERENCE"
TYPE_MISMATCH = "TYPE_MISMATCH"
INVALID_RESOLVER = "INVALID_RESOLVER"
UNKNOWN_MODIFIER = "UNKNOWN_MODIFIER"
UNKNOWN_CONTEXT = "UNKNOWN_CONTEXT"
MISSING_INPUT = "MISSING_INPUT"


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
class DTCGErrorGroup(Exception):
    """Several problems found in one pass; ``errors`` lists every one of them."""

    errors: list[DTCGError] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(str(self))

    def __str__(self) -> str:
        n = len(self.errors)
        head = f"{n} problem{'s' if n != 1 else ''} found"
        return head + "".join(f"\n  {e}" for e in self.errors)


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

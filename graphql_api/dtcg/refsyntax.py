"""Reference syntax (Format module 2025.10 §7.1, §7.4): finding references in a raw value.

Two syntaxes name another token:

* curly braces, ``"{group.token}"`` (§7.1.1): the whole string is a token
  reference; always the target's ``$value``; never a group, never part of a value;
* JSON Pointer, ``{"$ref": "#/group/token/$value/…"}`` (§7.1.2, RFC 6901): may
  point into the target's value (``/components/0``, ``/hex``), or at a token
  property (``#/group/token/$type``); a pointer that stops at the token
  (``#/group/token``) means its ``$value`` (§6.6.2). ``~1`` decodes to ``/`` and
  ``~0`` to ``~`` (§7.4.1).

A curly reference inside a longer string (``"1px solid {c}"``) is *interpolation*,
which 2025.10 does not define; it is accepted in tolerant mode only.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from .errors import pointer_join, pointer_parts

REFERENCE = re.compile(r"\{([^{}]+)\}")
#: Token properties a JSON Pointer may name after the token path (§7.4.2).
POINTER_PROPERTIES = ("$value", "$type", "$description", "$deprecated", "$extensions")


@dataclass(frozen=True, slots=True)
class Reference:
    """One reference edge inside a token's value.

    Attributes:
        pointer: JSON Pointer inside the value ('' = the whole value is the reference).
        target: dotted path of the referenced token.
        into: JSON Pointer inside the target's value ('' = the whole value), or inside
            the token property ``prop`` when that is not ``$value``.
        interpolated: True when the reference is part of a longer string.
        prop: the token property the reference reads (``$value`` unless a JSON
            Pointer names ``$type``, ``$description``, ``$deprecated`` or ``$extensions``).
    """

    pointer: str
    target: str
    into: str = ""
    interpolated: bool = False
    prop: str = "$value"


def find_references(value: Any, pointer: str = "") -> Iterator[Reference]:
    """Yield every reference inside ``value`` (strings, objects, arrays, ``$ref``).

    An object whose ``$ref`` is a same-document pointer (``#/…``) is a reference and
    is not looked into; a ``$ref`` to another file is left as data.
    """
    if isinstance(value, str):
        if "{" not in value:
            return
        whole = REFERENCE.fullmatch(value)
        if whole:
            yield Reference(pointer, whole.group(1).strip())
            return
        for m in REFERENCE.finditer(value):
            yield Reference(pointer, m.group(1).strip(), interpolated=True)
    elif isinstance(value, Mapping):
        ref = value.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/"):
            target, into, prop = parse_pointer(ref)
            yield Reference(pointer, target, into, prop=prop)
            return
        for at, v in _members(value, pointer):
            yield from find_references(v, at)
    elif isinstance(value, list):
        for at, v in _members(value, pointer):
            yield from find_references(v, at)


def _members(value: Mapping[str, Any] | list[Any], pointer: str) -> Iterator[tuple[str, Any]]:
    """(pointer, member) of an object or array, for the members that may hold a reference.

    Objects, arrays and strings with a ``{``: other members hold none (nor a malformed one).
    """
    items = value.items() if isinstance(value, Mapping) else enumerate(value)
    for k, v in items:
        if isinstance(v, str) and "{" not in v:
            continue
        if isinstance(v, (str, Mapping, list)):
            yield pointer_join(pointer, k), v


def split_json_pointer(ref: str) -> tuple[str, str]:
    """Split ``"#/color/blue/$value/components/0"`` into (``"color.blue"``, ``"/components/0"``).

    A pointer without ``$value`` names the token itself (§6.6.2).
    """
    target, into, _ = parse_pointer(ref)
    return target, into


def parse_pointer(ref: str) -> tuple[str, str, str]:
    """Split a same-document JSON Pointer into (token path, pointer inside, property).

    ``"#/a~1b/c/$type"`` → (``"a/b.c"``, ``""``, ``"$type"``) (RFC 6901 escapes decoded).
    The token path ends at the first token property segment (``$value``, ``$type``,
    ``$description``, ``$deprecated``, ``$extensions``); without one the whole pointer
    is the token path and the property is ``$value``.
    """
    parts = pointer_parts(ref)
    for i, part in enumerate(parts):
        if part in POINTER_PROPERTIES:
            return ".".join(parts[:i]), "".join(pointer_join("", p) for p in parts[i + 1 :]), part
    return ".".join(parts), "", "$value"


def reference_problem(target: str) -> str | None:
    """Why a reference target is malformed (§7.4.5 "invalid syntax"), or None if it is not.

    A target needs at least one segment and no empty segment: ``{}``-like, ``{a..b}``,
    ``{.a}`` and ``{a.}`` are malformed.
    """
    if not target:
        return "the reference names no token"
    if any(not seg for seg in target.split(".")):
        return f"reference {{{target}}} has an empty path segment"
    return None


def syntax_problems(value: Any, pointer: str = "") -> Iterator[tuple[str, str, bool]]:
    """Yield ``(pointer inside the value, message, strict only)`` for malformed references.

    Always a problem (reported by the resolver): a ``$ref`` that is not a string, or
    ``"#"`` (the whole document). A problem in strict mode only (reported by the
    parser): interpolation and a ``$ref`` to another file. An empty or malformed
    target of a real reference is reported by the resolver (:func:`reference_problem`).
    """
    if isinstance(value, str):
        if not REFERENCE.fullmatch(value) and REFERENCE.search(value):
            yield pointer, f"reference inside a longer string (interpolation): {value!r}", True
    elif isinstance(value, Mapping):
        if "$ref" in value:
            ref = value["$ref"]
            if not isinstance(ref, str):
                yield pointer, f"$ref must be a string, got {ref!r}", False
            elif ref.startswith("#/"):
                return
            elif ref.startswith("#"):
                yield pointer, f"$ref {ref!r} names no token", False
            else:
                yield pointer, f"$ref {ref!r} points into another file (not supported)", True
        for at, v in _members(value, pointer):
            yield from syntax_problems(v, at)
    elif isinstance(value, list):
        for at, v in _members(value, pointer):
            yield from syntax_problems(v, at)

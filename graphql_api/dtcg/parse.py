"""Read DTCG token files into flat tokens and groups (DTCG Format module 2025.10, §5-§7).

Stage "load → normalise" of the engine: a JSON or JSON5 document becomes a
:class:`Document`, a flat mapping from dotted path to :class:`TokenNode` (the
token's own properties, ``$value`` as written, references unresolved) plus the
group-level properties (:class:`GroupNode`, including ``$extends``) that tokens
inherit later, after several documents are flattened together (:func:`flatten`).

Read as 2025.10 says: ``$root`` tokens (§6.2, path ``group.$root``), ``$extends``
on groups as ``"{group}"``, ``"#/group"`` or ``{"$ref": "#/group"}`` and a group
``$ref`` with siblings (§6.4, applied after flattening by
:mod:`graphql_api.dtcg.extends`), a token written with ``$ref`` instead of
``$value`` (§7.1.2, its value becomes ``{"$ref": …}``), ``$deprecated`` and
``$extensions`` kept verbatim.

Non-standard forms accepted in tolerant mode (the default) and rejected, with the
code in brackets, when ``strict=True``:

* JSON5 (comments, unquoted keys, single quotes, trailing commas)
  [``INVALID_JSON``]; a key repeated in one object: the last one wins
  [``DUPLICATE_NAME``].
* A node that is both a token and a group (``$value`` plus child objects,
  §6.1): the token is kept and the children are read as tokens/groups below it
  [``INVALID_NODE``].
* Members of a token that are not ``$`` properties (vendor data such as Primer's
  ``alpha``, or ``comment``): ignored, not part of the value [``INVALID_NODE``];
  non-object members of a group (Style Dictionary's ``comment``): ignored
  [``INVALID_NODE``]; unknown ``$`` properties of a group [``INVALID_NAME``].
* ``$type`` values the spec does not define (``fontSize``, ``custom-*``,
  ``string``…): kept, values of such types are :class:`~graphql_api.dtcg.values.Unknown`
  [``UNKNOWN_TYPE``]; a token whose type cannot be determined (no own, alias or
  group ``$type``): its value is ``Unknown`` [``MISSING_TYPE``, reported by
  :func:`~graphql_api.dtcg.validate.validate_document`].
* Properties of the wrong JSON type: ``$type``/``$description`` coerced to
  strings, a non-boolean ``$deprecated`` to a boolean, a non-object
  ``$extensions`` ignored; a token with both ``$value`` and ``$ref``: ``$value``
  wins [``INVALID_PROPERTY``].
* References inside longer strings (``"1px solid {color.border}"``), replaced by
  the target's CSS text when resolved, and ``$ref`` objects naming another file,
  kept as data [``INVALID_REFERENCE``].

Value forms (colour/dimension/duration strings, ``em``…) are listed in
:mod:`graphql_api.dtcg.types`; resolver-document forms in
:mod:`graphql_api.dtcg.resolver`.

Limits (hostile input), in both modes: a group or token nested deeper than
``limits.MAX_DEPTH`` levels, or a token whose value reaches
past that depth, is ``INVALID_NODE`` and left out (the walk over groups and every
later walk over values recurse, one frame or two per level: a document 600
groups deep used to raise ``RecursionError`` here). Files are already held to the
same depth by the reader; this guards data given directly (API writes, importers).
A dotted path longer than ``limits.MAX_PATH_LENGTH`` characters is ``INVALID_NAME``
and its subtree is left out: every token below a group stores the group's path,
so a group with a megabyte-long name and a thousand tokens would hold a gigabyte
of paths.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from . import errors as E  # noqa: N812 - the engine's own alias
from . import limits
from .errors import DTCGError, brief, pointer_join
from .jsonio import load_json, loads, read_json
from .nodes import Document, GroupNode, TokenNode, ancestors, flatten, merge_group
from .refsyntax import syntax_problems
from .types import SPEC_TYPES

__all__ = [
    "GROUP_PROPERTIES",
    "ROOT_TOKEN",
    "TOKEN_PROPERTIES",
    "Document",
    "GroupNode",
    "TokenNode",
    "ancestors",
    "flatten",
    "load_json",
    "loads",
    "merge_group",
    "name_problem",
    "parse_document",
    "read_json",
    "value_depth",
]

TOKEN_PROPERTIES = frozenset(
    {"$value", "$ref", "$type", "$description", "$deprecated", "$extensions"}
)
GROUP_PROPERTIES = frozenset(
    {
        "$type",
        "$description",
        "$deprecated",
        "$extensions",
        "$extends",
        "$ref",
        "$schema",
        "$metadata",
    }
)
ROOT_TOKEN = "$root"  # noqa: S105 - a reserved name, not a secret
_INHERITED = ("$type", "$description", "$deprecated", "$extensions")


class _Walk:
    """One pass over one token tree; collects tokens, groups and problems."""

    def __init__(self, file: str, strict: bool) -> None:
        self.file, self.strict = file, strict
        self.doc = Document()
        self.errs: list[DTCGError] = []

    def error(self, code: str, message: str, pointer: str, path: str) -> None:
        self.errs.append(DTCGError(code, message, self.file, pointer, path))

    def group(self, node: Mapping[str, Any], path: tuple[str, ...], pointer: str) -> None:
        dotted = ".".join(path)
        props = self.properties(node, pointer, dotted)
        extends = self.extends(node, pointer, dotted)
        if extends is not None or any(k in node for k in _INHERITED):
            self.doc.groups[dotted] = GroupNode(
                dotted, file=self.file, pointer=pointer, extends=extends, **props
            )
        for key, child in node.items():
            # A known group property, or an unknown scalar one; an unknown `$name` holding
            # an object is a token or group with an invalid name (§5.1.1), reported below.
            dollar = key.startswith("$") and key != ROOT_TOKEN
            if dollar and (key in GROUP_PROPERTIES or not isinstance(child, Mapping)):
                if self.strict and key not in GROUP_PROPERTIES:
                    self.error(E.INVALID_NAME, f"unknown property {key!r}", pointer, dotted)
                continue
            self.child(key, child, path, pointer)

    def child(self, key: str, child: Any, path: tuple[str, ...], pointer: str) -> None:
        child_pointer = pointer_join(pointer, key)
        child_path = ".".join((*path, key))
        if isinstance(child, Mapping) and len(path) >= limits.MAX_DEPTH - 1:
            msg = f"nested deeper than {limits.MAX_DEPTH} levels"
            self.error(E.INVALID_NODE, msg, child_pointer, child_path)
            return
        if len(child_path) > limits.MAX_PATH_LENGTH:
            msg = f"the path is longer than {limits.MAX_PATH_LENGTH} characters"
            self.error(E.INVALID_NAME, msg, child_pointer, child_path)
            return
        if not isinstance(child, Mapping):
            if self.strict:
                what = type(child).__name__
                msg = f"{key!r} is neither a token nor a group (found {what})"
                self.error(E.INVALID_NODE, msg, child_pointer, child_path)
            return
        problem = name_problem(key)
        if problem:
            self.error(E.INVALID_NAME, f"{key!r}: {problem}", child_pointer, child_path)
        elif "$value" in child or _is_ref_token(child):
            self.token(child, (*path, key), child_pointer)
        elif key == ROOT_TOKEN:
            msg = "'$root' is reserved for a token (§6.2); this node has no $value"
            self.error(E.INVALID_NAME, msg, child_pointer, child_path)
        else:
            self.group(child, (*path, key), child_pointer)

    def token(self, node: Mapping[str, Any], path: tuple[str, ...], pointer: str) -> None:
        dotted = ".".join(path)
        props = self.properties(node, pointer, dotted)
        if "$value" in node:
            value = node["$value"]
            value_pointer = pointer_join(pointer, "$value")
            if self.strict and "$ref" in node:
                msg = "a token has both $value and $ref"
                self.error(E.INVALID_PROPERTY, msg, pointer_join(pointer, "$ref"), dotted)
        else:  # §7.1.2: {"$ref": "#/…", "$type": …} is a token aliasing the pointer
            value, value_pointer = {"$ref": node["$ref"]}, pointer
        if len(path) + 1 + value_depth(value) > limits.MAX_DEPTH:
            msg = f"the value is nested deeper than {limits.MAX_DEPTH} levels"
            self.error(E.INVALID_NODE, msg, value_pointer, dotted)
            return
        self.doc.tokens[dotted] = TokenNode(dotted, value, file=self.file, pointer=pointer, **props)
        if self.strict:  # the resolver reports the problems of both modes
            for where, msg, strict_only in syntax_problems(value):
                if strict_only:
                    self.error(E.INVALID_REFERENCE, msg, value_pointer + where, dotted)
        for key, child in node.items():
            if key in TOKEN_PROPERTIES:
                continue
            if key.startswith("$") or not isinstance(child, Mapping):
                if self.strict:
                    self.error(E.INVALID_NODE, f"unknown token member {key!r}", pointer, dotted)
                continue
            if self.strict:
                msg = f"a node is both a token and a group (child {key!r})"
                self.error(E.INVALID_NODE, msg, pointer, dotted)
                continue
            self.child(key, child, path, pointer)

    def properties(self, node: Mapping[str, Any], pointer: str, path: str) -> dict[str, Any]:
        """The inherited/own properties of a token or group, checked (§5.2, §6.3)."""
        out: dict[str, Any] = {}
        checks = (
            ("$type", "type", str, "a string"),
            ("$description", "description", str, "a string"),
            ("$deprecated", "deprecated", (bool, str), "true, false or a string"),
            ("$extensions", "extensions", Mapping, "an object"),
        )
        for key, attr, kind, what in checks:
            if key not in node:
                continue
            raw = node[key]
            if self.strict and not isinstance(raw, kind):
                msg = f"{key} must be {what}, got {brief(raw)}"
                self.error(E.INVALID_PROPERTY, msg, pointer_join(pointer, key), path)
            if raw is None:
                continue
            if key == "$deprecated":
                out[attr] = raw if isinstance(raw, (bool, str)) else bool(raw)
            elif key == "$extensions":
                if isinstance(raw, Mapping):
                    out[attr] = dict(raw)
            else:
                out[attr] = str(raw)
        if self.strict and isinstance(node.get("$type"), str) and node["$type"] not in SPEC_TYPES:
            types = ", ".join(SPEC_TYPES)
            msg = f"$type {brief(node['$type'])} is not a type of the spec ({types})"
            self.error(E.UNKNOWN_TYPE, msg, pointer_join(pointer, "$type"), path)
        return out

    def extends(self, node: Mapping[str, Any], pointer: str, path: str) -> str | None:
        """The group's ``$extends`` (or group ``$ref``) target as written (§6.4.5)."""
        key = "$extends" if "$extends" in node else "$ref" if "$ref" in node else None
        if key is None:
            return None
        raw = node[key]
        if isinstance(raw, Mapping) and key == "$extends" and set(raw) == {"$ref"}:
            raw = raw["$ref"]
        if isinstance(raw, str) and (
            (raw.startswith("{") and raw.endswith("}")) or raw.startswith("#/")
        ):
            return raw
        msg = f"{key} must be a group reference ('{{group}}' or '#/group'), got {brief(raw)}"
        self.error(E.INVALID_EXTENDS, msg, pointer_join(pointer, key), path)
        return None


def _is_ref_token(node: Mapping[str, Any]) -> bool:
    """A node with a string ``$ref``, no ``$value`` and no children is a token (§7.1.2)."""
    return isinstance(node.get("$ref"), str) and not any(
        not k.startswith("$") and isinstance(v, Mapping) for k, v in node.items()
    )


def value_depth(value: Any) -> int:
    """Levels of objects and arrays in ``value`` (0 for a string, number…), iteratively."""
    deepest = 0
    stack = [(value, 0)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, Mapping):
            stack.extend((v, depth + 1) for v in node.values())
        elif isinstance(node, list):
            stack.extend((v, depth + 1) for v in node)
        else:
            continue
        deepest = max(deepest, depth + 1)
        if deepest > limits.MAX_DEPTH:
            break  # deep enough to refuse; do not walk the rest
    return deepest


def name_problem(name: str) -> str | None:
    """Return why ``name`` is not a valid token/group name (§5.1.1), or None if it is."""
    if not name:
        return "empty name"
    if name.startswith("$") and name != ROOT_TOKEN:
        return "names must not start with '$'"
    bad = sorted({c for c in name if c in "{}."})
    if bad:
        return f"names must not contain {', '.join(repr(c) for c in bad)}"
    return None


def parse_document(
    data: Any, *, file: str = "", strict: bool = False, pointer: str = ""
) -> tuple[Document, list[DTCGError]]:
    """Flatten a DTCG token tree (§5 tokens, §6 groups) into a :class:`Document`.

    Args:
        data: the decoded JSON of a token file (an object).
        file: file name used in errors and kept on every node.
        strict: reject the tolerated non-standard forms listed in the module docstring.
        pointer: JSON Pointer of ``data`` inside ``file`` (for inline sources).

    Returns:
        The document and every problem found: ``INVALID_NAME``, ``INVALID_NODE``,
        ``INVALID_EXTENDS``; in strict mode also ``INVALID_PROPERTY``,
        ``UNKNOWN_TYPE`` and ``INVALID_REFERENCE`` (interpolation, ``$ref`` to
        another file). Problems that need the other layers (references, values,
        ``$extends`` targets) are found by :func:`~graphql_api.dtcg.references.resolve`
        and :func:`~graphql_api.dtcg.validate.validate_document`.

    Raises:
        Nothing: problems are returned, so that every one of them is reported.
    """
    walk = _Walk(file, strict)
    if not isinstance(data, Mapping):
        walk.error(E.INVALID_NODE, "a token file must be a JSON object", pointer, "")
        return walk.doc, walk.errs
    walk.group(data, (), pointer)
    return walk.doc, walk.errs

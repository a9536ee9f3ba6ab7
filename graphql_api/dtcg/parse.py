"""Read DTCG token files into flat tokens and groups (DTCG Format module 2025.10, §5–§6).

Stage "load → normalise" of the engine: a JSON or JSON5 document becomes a
:class:`Document`, a flat mapping from dotted path to :class:`TokenNode` (the
token's own properties, ``$value`` as written, references unresolved) plus the
group-level properties (:class:`GroupNode`) that tokens inherit later, after
several documents are flattened together (:func:`flatten`).

Accepted beyond strict 2025.10 (rejected with ``strict=True``):

* JSON5 (comments, unquoted keys, single quotes, trailing commas); a duplicate
  key: the last one wins (also in strict mode: JSON itself allows it).
* A node that is both a token and a group (``$value`` plus child objects): the
  token is kept and the children are read as tokens/groups below it.
* Members of a token that are not ``$``-prefixed and not objects (vendor data such
  as Primer's ``alpha``): ignored, not part of the value.
* Non-object members of a group (e.g. Style Dictionary's ``comment``): ignored.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import json5

from . import errors as E
from .errors import DTCGError, pointer_join

TOKEN_PROPERTIES = frozenset({"$value", "$type", "$description", "$deprecated", "$extensions"})
GROUP_PROPERTIES = frozenset(
    {"$type", "$description", "$deprecated", "$extensions", "$extends", "$schema", "$metadata"}
)
ROOT_TOKEN = "$root"


@dataclass(frozen=True, slots=True)
class TokenNode:
    """A token as written in one file.

    Attributes:
        path: dotted path, e.g. ``"color.base.blue.5"``.
        value: the ``$value`` as written (JSON data; references unresolved).
        type: the token's own ``$type``, or None when it inherits one.
        description: ``$description`` or None.
        deprecated: ``$deprecated`` (True/False/reason string) or None when unset.
        extensions: ``$extensions`` verbatim, or None.
        file: the source file, as given to the reader.
        pointer: JSON Pointer of the token node inside ``file``.
    """

    path: str
    value: Any
    type: str | None = None
    description: str | None = None
    deprecated: bool | str | None = None
    extensions: dict[str, Any] | None = None
    file: str = ""
    pointer: str = ""

    @property
    def name(self) -> str:
        """The last segment of ``path``."""
        return self.path.rsplit(".", 1)[-1]


@dataclass(frozen=True, slots=True)
class GroupNode:
    """Group-level properties inherited by the tokens below a group (root: ``path == ""``)."""

    path: str
    type: str | None = None
    description: str | None = None
    deprecated: bool | str | None = None
    extensions: dict[str, Any] | None = None
    file: str = ""
    pointer: str = ""


@dataclass(slots=True)
class Document:
    """Flat tokens and groups of one file, one layer, or several flattened layers."""

    tokens: dict[str, TokenNode] = field(default_factory=dict)
    groups: dict[str, GroupNode] = field(default_factory=dict)


def load_json(path: Path, *, strict: bool = False) -> Any:
    """Read ``path`` as JSON (JSON5 unless ``strict``).

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
    return loads(text, file=str(path), strict=strict)


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
    try:
        return json5.loads(text)
    except RecursionError:
        raise DTCGError(E.INVALID_JSON, "nesting too deep", file=file) from None
    except ValueError as exc:
        raise DTCGError(E.INVALID_JSON, f"invalid JSON5: {exc}", file=file) from None


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
        The document and every problem found (``INVALID_NAME``, ``INVALID_NODE``).
    """
    doc = Document()
    errs: list[DTCGError] = []
    if not isinstance(data, Mapping):
        errs.append(DTCGError(E.INVALID_NODE, "a token file must be a JSON object", file, pointer))
        return doc, errs
    _walk_group(data, (), pointer, file, strict, doc, errs)
    return doc, errs


def _walk_group(
    node: Mapping[str, Any],
    path: tuple[str, ...],
    pointer: str,
    file: str,
    strict: bool,
    doc: Document,
    errs: list[DTCGError],
) -> None:
    dotted = ".".join(path)
    props = {k: node[k] for k in GROUP_PROPERTIES if k in node}
    if props.keys() - {"$schema", "$metadata", "$extends"}:
        doc.groups[dotted] = GroupNode(dotted, file=file, pointer=pointer, **_common(props))
    for key, child in node.items():
        # A known group property, or an unknown scalar one; an unknown `$name` holding
        # an object is a token or group with an invalid name (§5.1.1), reported below.
        dollar = key.startswith("$") and key != ROOT_TOKEN
        if dollar and (key in GROUP_PROPERTIES or not isinstance(child, Mapping)):
            if strict and key not in GROUP_PROPERTIES:
                errs.append(
                    DTCGError(E.INVALID_NAME, f"unknown property {key!r}", file, pointer, dotted)
                )
            continue
        _walk_child(key, child, path, pointer, file, strict, doc, errs)


def _walk_child(
    key: str,
    child: Any,
    path: tuple[str, ...],
    pointer: str,
    file: str,
    strict: bool,
    doc: Document,
    errs: list[DTCGError],
) -> None:
    child_pointer = pointer_join(pointer, key)
    child_path = ".".join((*path, key))
    if not isinstance(child, Mapping):
        if strict:
            errs.append(
                DTCGError(
                    E.INVALID_NODE,
                    f"{key!r} is neither a token nor a group (found {type(child).__name__})",
                    file,
                    child_pointer,
                    child_path,
                )
            )
        return
    problem = name_problem(key)
    if problem:
        errs.append(
            DTCGError(E.INVALID_NAME, f"{key!r}: {problem}", file, child_pointer, child_path)
        )
        return
    if "$value" in child:
        _add_token(child, (*path, key), child_pointer, file, strict, doc, errs)
    else:
        _walk_group(child, (*path, key), child_pointer, file, strict, doc, errs)


def _add_token(
    node: Mapping[str, Any],
    path: tuple[str, ...],
    pointer: str,
    file: str,
    strict: bool,
    doc: Document,
    errs: list[DTCGError],
) -> None:
    dotted = ".".join(path)
    props = _common(node)
    doc.tokens[dotted] = TokenNode(dotted, node["$value"], file=file, pointer=pointer, **props)
    for key, child in node.items():
        if key in TOKEN_PROPERTIES:
            continue
        if key.startswith("$") or not isinstance(child, Mapping):
            if strict:
                errs.append(
                    DTCGError(
                        E.INVALID_NODE, f"unknown token member {key!r}", file, pointer, dotted
                    )
                )
            continue
        if strict:
            errs.append(
                DTCGError(
                    E.INVALID_NODE,
                    f"a node is both a token and a group (child {key!r})",
                    file,
                    pointer,
                    dotted,
                )
            )
            continue
        _walk_child(key, child, path, pointer, file, strict, doc, errs)


def _common(props: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    t = props.get("$type")
    if t is not None:
        out["type"] = str(t)
    d = props.get("$description")
    if d is not None:
        out["description"] = str(d)
    if "$deprecated" in props:
        dep = props["$deprecated"]
        out["deprecated"] = dep if isinstance(dep, (bool, str)) else bool(dep)
    ext = props.get("$extensions")
    if isinstance(ext, Mapping):
        out["extensions"] = dict(ext)
    return out


def flatten(documents: Iterable[Document]) -> Document:
    """Merge documents in order (Resolver module §4.2: later sources win).

    A token is replaced whole; a group's properties are merged key by key
    (a later group's ``$type`` replaces an earlier one, an unset one keeps it).
    """
    out = Document()
    for doc in documents:
        out.tokens.update(doc.tokens)
        for path, group in doc.groups.items():
            prev = out.groups.get(path)
            out.groups[path] = group if prev is None else _merge_group(prev, group)
    return out


def _merge_group(old: GroupNode, new: GroupNode) -> GroupNode:
    return replace(
        new,
        type=new.type if new.type is not None else old.type,
        description=new.description if new.description is not None else old.description,
        deprecated=new.deprecated if new.deprecated is not None else old.deprecated,
        extensions=new.extensions if new.extensions is not None else old.extensions,
    )


def ancestors(path: str) -> Sequence[str]:
    """Group paths above ``path``, nearest first, ending with the root ``""``."""
    parts = path.split(".")
    return [".".join(parts[:i]) for i in range(len(parts) - 1, -1, -1)]

"""Edits of token documents: the pure DTCG part of writes (Format module 2025.10 §5-§7).

A write changes :class:`~graphql_api.dtcg.nodes.Document` layers in memory, then the
whole affected graph is resolved again before anything is stored. This module holds
the DTCG rules those edits follow:

* :func:`token_object`/:func:`parse_token`: a token as its DTCG JSON object
  (``{"$value": …, "$type": …}``) and back, with the same checks as a file import;
* :func:`rewrite_references`: make references to a renamed token name the new path
  (curly ``"{a.b}"`` whole or interpolated, and ``{"$ref": "#/a/b/…"}`` pointers, §7.1);
* :func:`referrers`: the tokens whose raw value names a path;
* :func:`document_tree` and :func:`merge_patch`: a layer as a nested DTCG tree and a
  JSON Merge Patch (RFC 7386) applied to it: members of the patch replace or add,
  ``null`` removes a token or a whole group.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from .errors import DTCGError, pointer_join
from .nodes import Document, GroupNode, TokenNode
from .parse import parse_document
from .refsyntax import find_references

__all__ = [
    "document_tree",
    "keep_sources",
    "merge_patch",
    "parse_token",
    "referrers",
    "rewrite_references",
    "same_token",
    "token_object",
]

_TOKEN_FIELDS = (
    ("$type", "type"),
    ("$description", "description"),
    ("$deprecated", "deprecated"),
    ("$extensions", "extensions"),
)
_GROUP_FIELDS = (*_TOKEN_FIELDS, ("$extends", "extends"))


def token_object(node: TokenNode) -> dict[str, Any]:
    """The token as a DTCG JSON object: ``$value`` then the properties it sets itself."""
    out: dict[str, Any] = {"$value": node.value}
    for key, attr in _TOKEN_FIELDS:
        value = getattr(node, attr)
        if value is not None:
            out[key] = value
    return out


def same_token(a: TokenNode | None, b: TokenNode | None) -> bool:
    """Whether two nodes write the same token (source file and pointer not compared)."""
    if a is b:
        return True
    if a is None or b is None:
        return False
    return token_object(a) == token_object(b)


def _nest(path: str, leaf: Any) -> dict[str, Any]:
    tree: Any = leaf
    for seg in reversed(path.split(".")):
        tree = {seg: tree}
    return dict(tree)


def parse_token(
    path: str, obj: Mapping[str, Any], *, file: str
) -> tuple[TokenNode | None, list[DTCGError]]:
    """Read one token object written for ``path``, with the checks of a file import.

    Args:
        path: dotted token path (each segment a valid name, §5.1.1).
        obj: ``{"$value": …, "$type"?: …, "$description"?: …, "$deprecated"?: …,
            "$extensions"?: …}``.
        file: recorded as the token's source file.

    Returns:
        (the node, or None when ``obj`` is not a token at ``path``; problems with codes
        ``INVALID_NAME``/``INVALID_NODE``/``INVALID_PROPERTY``).
    """
    if not path or any(not seg for seg in path.split(".")):
        err = DTCGError("INVALID_NAME", f"{path!r} is not a dotted token path", file, "", path)
        return None, [err]
    doc, errors = parse_document(_nest(path, dict(obj)), file=file)
    node = doc.tokens.get(path)
    if node is None and not errors:
        msg = "a token needs $value (or a $ref to another token)"
        errors.append(DTCGError("INVALID_NODE", msg, file, _pointer(path), path))
    return node, errors


def _pointer(path: str) -> str:
    out = ""
    for seg in path.split("."):
        out = pointer_join(out, seg)
    return out


def _escape(seg: str) -> str:
    return seg.replace("~", "~0").replace("/", "~1")


def rewrite_references(value: Any, old: str, new: str) -> Any:
    """``value`` with every reference to token ``old`` naming ``new`` instead (§7.1).

    Curly references (whole ``"{old}"`` or inside a longer string) and same-document
    JSON Pointers (``{"$ref": "#/o/l/d…"}``, RFC 6901 escapes honoured) are rewritten;
    everything else is returned as it was (same objects where nothing changed).
    """
    if isinstance(value, str):
        if "{" not in value:
            return value
        pattern = re.compile(r"\{\s*" + re.escape(old) + r"\s*\}")
        return pattern.sub(lambda _m: "{" + new + "}", value)
    if isinstance(value, Mapping):
        ref = value.get("$ref")
        old_ptr = "#/" + "/".join(_escape(s) for s in old.split("."))
        if isinstance(ref, str) and (ref == old_ptr or ref.startswith(old_ptr + "/")):
            new_ptr = "#/" + "/".join(_escape(s) for s in new.split("."))
            return {**value, "$ref": new_ptr + ref[len(old_ptr) :]}
        return {k: rewrite_references(v, old, new) for k, v in value.items()}
    if isinstance(value, list):
        return [rewrite_references(v, old, new) for v in value]
    return value


def referrers(doc: Document, targets: Iterable[str]) -> set[str]:
    """Paths of the tokens of ``doc`` whose raw value references any of ``targets``."""
    wanted = set(targets)
    return {
        path
        for path, node in doc.tokens.items()
        if any(r.target in wanted for r in find_references(node.value))
    }


def document_tree(doc: Document) -> dict[str, Any]:
    """A layer as a nested DTCG tree: group properties and token objects at their paths."""
    root: dict[str, Any] = {}

    def at(path: str) -> dict[str, Any]:
        node = root
        for seg in path.split(".") if path else ():
            node = node.setdefault(seg, {})
        return node

    for group in doc.groups.values():
        target = at(group.path)
        for key, attr in _GROUP_FIELDS:
            value = getattr(group, attr)
            if value is not None:
                target[key] = value
    for node in doc.tokens.values():
        at(node.path).update(token_object(node))
    return root


def merge_patch(target: Any, patch: Any) -> Any:
    """RFC 7386 JSON Merge Patch: ``patch`` applied to ``target`` (neither is modified).

    An object patch merges member by member (``null`` removes the member); anything
    else replaces the target.
    """
    if not isinstance(patch, Mapping):
        return patch
    out = dict(target) if isinstance(target, Mapping) else {}
    for key, value in patch.items():
        if value is None:
            out.pop(key, None)
        else:
            out[key] = merge_patch(out.get(key), value)
    return out


def keep_sources(old: Document, new: Document) -> Document:
    """``new`` with the source file and pointer of ``old`` kept for nodes that exist in both."""
    tokens = {
        p: (
            TokenNode(
                n.path,
                n.value,
                n.type,
                n.description,
                n.deprecated,
                n.extensions,
                old.tokens[p].file,
                old.tokens[p].pointer,
            )
            if p in old.tokens
            else n
        )
        for p, n in new.tokens.items()
    }
    groups = {
        p: (
            GroupNode(
                g.path,
                g.type,
                g.description,
                g.deprecated,
                g.extensions,
                old.groups[p].file,
                old.groups[p].pointer,
                g.extends,
            )
            if p in old.groups
            else g
        )
        for p, g in new.groups.items()
    }
    return Document(tokens, groups)

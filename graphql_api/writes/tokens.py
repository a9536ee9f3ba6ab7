"""Token operations: create, update, rename, delete, per-context values, patches.

Each takes a :class:`~.workspace.Workspace`, edits its layers in memory and returns the
revision message; :func:`graphql_api.writes.run` checks and stores the result. Raised
refusals (:mod:`.errors`) leave the database untouched.

Where a token "is": a token has a value in one or more layers (sets, or contexts of a
modifier, DTCG Resolver module §4.1). Operations that name no layer act on every layer
that defines the token.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from ..dtcg import errors as E  # noqa: N812 - the engine's alias
from ..dtcg.edits import (
    document_tree,
    keep_sources,
    merge_patch,
    parse_token,
    referrers,
    rewrite_references,
    token_object,
)
from ..dtcg.errors import DTCGError
from ..dtcg.parse import parse_document
from ..dtcg.paths import close_paths
from ..errors import ErrorCode
from .errors import Conflict, Invalid, NotFound
from .workspace import Layer, Workspace

if TYPE_CHECKING:
    from collections.abc import Mapping

    from ..dtcg.nodes import Document

#: Source file recorded on tokens written through the API.
API_FILE = "graphql"
#: Token properties an update may set (a None value removes the property).
PROPERTIES = ("$value", "$type", "$description", "$deprecated", "$extensions")


def _defined(ws: Workspace, path: str, layer: Layer | None = None) -> list[Layer]:
    layers = ws.where_defined(path)
    if layer is not None:
        layers = [lay for lay in layers if lay == layer]
    if not layers:
        where = f" in {layer.label}" if layer else ""
        close = [] if layer else close_paths(path, ws.known_paths())
        hint = f"; did you mean {' or '.join(repr(p) for p in close)}?" if close else ""
        raise NotFound(f"no token {path!r}{where}{hint}", "token", close)
    return layers


def _parsed(path: str, obj: Mapping[str, Any]) -> Any:
    node, problems = parse_token(path, obj, file=API_FILE)
    if problems or node is None:
        raise Invalid(problems)
    return node


def create_token(ws: Workspace, path: str, obj: Mapping[str, Any], layer: Layer | None) -> str:
    """Add a token to one layer (default: the only set).

    Raises:
        NotFound: the layer does not exist.
        Conflict: ``ALREADY_EXISTS``, the token has a value in that layer already.
        Invalid: the token object or the resulting graph is invalid.
    """
    if layer is None:
        sets = list(ws.doc.sets)
        if len(sets) != 1:
            msg = f"name the set or context to create {path!r} in (sets: {', '.join(sets)})"
            raise Invalid([DTCGError(E.INVALID_INPUT, msg, path=path)])
        layer = Layer(None, sets[0])
    if path in ws.document(layer, [path]).tokens:
        raise Conflict(f"token {path!r} exists in {layer.label}", 0, ErrorCode.ALREADY_EXISTS)
    ws.edit(layer, [path]).tokens[path] = _parsed(path, obj)
    return f"create {path} in {layer.label}"


def update_token(ws: Workspace, path: str, changes: Mapping[str, Any], layer: Layer | None) -> str:
    """Change properties of a token in one layer, or in every layer that defines it.

    Args:
        ws: the write's workspace.
        path: dotted token path.
        layer: the one layer to change, or None for every layer that defines the token.
        changes: DTCG property → new value (``$value``, ``$type``, ``$description``,
            ``$deprecated``, ``$extensions``); None removes the property (not ``$value``).
    """
    bad = [k for k in changes if k not in PROPERTIES]
    if bad or changes.get("$value", 0) is None:
        msg = f"cannot set {', '.join(bad) or '$value to null'} (settable: {PROPERTIES})"
        raise Invalid([DTCGError(E.INVALID_INPUT, msg, path=path)])
    layers = _defined(ws, path, layer)
    ws.ensure_paths(layers, [path])  # one read for every layer
    for lay in layers:
        doc = ws.edit(lay, [path])
        old = doc.tokens[path]
        obj = merge_patch(token_object(old), dict(changes))
        node = _parsed(path, obj)
        doc.tokens[path] = replace(node, file=old.file, pointer=old.pointer)
    return f"update {path} in {', '.join(lay.label for lay in layers)}"


def _refusal(path: str, users: dict[str, list[Layer]], what: str, flag: str) -> Invalid:
    problems = [
        DTCGError(
            E.UNRESOLVABLE_REFERENCE,
            f"{user} (in {', '.join(lay.label for lay in layers)}) references {path}, "
            f"which this {what} would leave dangling; pass {flag}: true",
            path=user,
        )
        for user, layers in sorted(users.items())
    ]
    return Invalid(problems)


def _users(ws: Workspace, paths: set[str]) -> dict[str, list[Layer]]:
    """Tokens (other than ``paths``) whose value references one of ``paths``, with layers."""
    out: dict[str, list[Layer]] = {}
    layers = ws.referencing_layers(paths)
    ws.ensure(layers)
    for lay in layers:
        for user in referrers(ws.document(lay), paths) - paths:
            out.setdefault(user, []).append(lay)
    return out


def rename_token(ws: Workspace, path: str, new_path: str, update_references: bool) -> str:
    """Move a token to ``new_path`` in every layer; references follow or are reported.

    Raises:
        NotFound: no token at ``path``.
        Conflict: ``ALREADY_EXISTS`` at ``new_path``.
        Invalid: ``update_references`` is false and tokens reference ``path``
            (``UNRESOLVABLE_REFERENCE`` for each), or ``new_path`` is not a valid path.
    """
    layers = _defined(ws, path)
    if ws.where_defined(new_path):
        raise Conflict(f"token {new_path!r} exists already", 0, ErrorCode.ALREADY_EXISTS)
    users = _users(ws, {path})
    if users and not update_references:
        raise _refusal(path, users, "rename", "updateReferences")
    for lay in layers:
        doc = ws.edit(lay)
        old = doc.tokens.pop(path)
        node = _parsed(new_path, token_object(old))
        doc.tokens[new_path] = replace(node, file=old.file)
    for user, user_layers in users.items():
        for lay in user_layers:
            doc = ws.edit(lay)
            node = doc.tokens[user]
            doc.tokens[user] = replace(node, value=rewrite_references(node.value, path, new_path))
    ws.renames[path] = new_path
    return f"rename {path} to {new_path}"


def delete_token(ws: Workspace, path: str, cascade: bool) -> str:
    """Remove a token from every layer; with ``cascade``, the tokens referencing it too.

    Raises:
        NotFound: no token at ``path``.
        Invalid: tokens reference it and ``cascade`` is false (``UNRESOLVABLE_REFERENCE``).
    """
    _defined(ws, path)
    doomed = {path}
    users = _users(ws, doomed)
    if users and not cascade:
        raise _refusal(path, users, "deletion", "cascade")
    while users:  # every token that references a deleted one goes too, transitively
        doomed |= set(users)
        users = _users(ws, doomed)
    for p in sorted(doomed):
        for lay in ws.where_defined(p):
            ws.edit(lay).tokens.pop(p, None)
    extra = f" and {len(doomed) - 1} referencing tokens" if len(doomed) > 1 else ""
    return f"delete {path}{extra}"


def set_token_value(ws: Workspace, path: str, layer: Layer, value: Any, type_: str | None) -> str:
    """Give a token its own value in one context (an override of the sets' value).

    Without ``type_``, the value keeps the token's ``$type`` (its own or its group's) from
    a layer that defines it, so an override cannot silently change the type.

    Raises:
        NotFound: no such token anywhere, or no such context.
    """
    defined = _defined(ws, path)
    ws.ensure_paths([layer, defined[-1]], [path])
    doc = ws.edit(layer, [path])
    old = doc.tokens.get(path)
    if old is None:
        template = ws.document(defined[-1], [path]).tokens[path]
        obj = {**token_object(template), "$value": value}
    else:
        obj = {**token_object(old), "$value": value}
    if type_ is not None:
        obj["$type"] = type_
    elif "$type" not in obj:  # keep the type the token has where it is defined
        inherited = _group_type(ws.document(defined[-1], [path]), path)
        if inherited is not None:
            obj["$type"] = inherited
    node = _parsed(path, obj)
    doc.tokens[path] = replace(node, file=old.file, pointer=old.pointer) if old else node
    return f"set {path} in {layer.label}"


def _group_type(doc: Document, path: str) -> str | None:
    """The ``$type`` of the nearest group above ``path`` that sets one, in one layer."""
    parts = path.split(".")[:-1]
    while True:
        group = doc.groups.get(".".join(parts))
        if group is not None and group.type is not None:
            return group.type
        if not parts:
            return None
        parts.pop()


def clear_token_value(ws: Workspace, path: str, layer: Layer) -> str:
    """Remove a token's value from one context (the sets' value, if any, applies again).

    Raises:
        NotFound: the token has no value in that context.
    """
    _defined(ws, path, layer)
    ws.edit(layer, [path]).tokens.pop(path)
    return f"clear {path} in {layer.label}"


def apply_patch(ws: Workspace, layer: Layer, patch: Any) -> str:
    """Apply a DTCG document to one layer as a JSON Merge Patch (RFC 7386).

    Tokens and groups of ``patch`` are added or merged property by property; ``null``
    removes a token, a property or a whole group.

    Raises:
        Invalid: the patch is not an object, or the result does not parse or resolve.
    """
    if not isinstance(patch, dict):
        msg = "a patch must be a JSON object (a DTCG token tree)"
        raise Invalid([DTCGError(E.INVALID_NODE, msg, API_FILE)])
    old = ws.document(layer)
    merged = merge_patch(document_tree(old), patch)
    new, problems = parse_document(merged, file=API_FILE)
    if problems:
        raise Invalid(problems)
    result = keep_sources(old, new)
    doc = ws.edit(layer)
    doc.tokens, doc.groups = result.tokens, result.groups
    return f"patch {layer.label}"

"""Tokens Studio (Figma plugin) exports → :class:`~graphql_api.dtcg.resolver.ResolverDocument`.

Two layouts are read:

* a single JSON file whose top-level keys are token sets (``{"core": {…},
  "semantic/light": {…}, "$themes": […], "$metadata": {"tokenSetOrder": […]}}``);
* a folder of set files (``core.json``, ``semantic/light.json`` → set
  ``semantic/light``) with optional ``$themes.json`` and ``$metadata.json``.

Tokens are ``{"value", "type", "description"}`` (legacy) or ``{"$value", "$type",
"$description"}`` (Tokens Studio's DTCG mode); values are converted by
:mod:`graphql_api.importers.studio_values`. A token's type is its own, else the
nearest group's ``$type``; every converted token carries its DTCG ``$type``.

Themes → modifiers: themes are grouped by ``group`` (no group → modifier
``theme``); each theme is a context whose layers are the sets it marks
``enabled`` or ``source`` (``disabled`` sets are left out), in ``tokenSetOrder``.
Sets selected by every theme become base sets, before the modifiers; sets no
theme selects are left out. The first theme of a group is its default. Each
modifier keeps its themes verbatim in ``$extensions['studio.tokens'].themes``.
Without themes, every set is a base set in ``tokenSetOrder`` (then file or key
order).

Differences from the plugin: layers are flattened base sets first, then one
context per modifier in the order the groups first appear in ``$themes``; the
plugin orders the union of selected sets by ``tokenSetOrder`` alone, so a token
defined both in a base set and in a later theme set resolves the same only when
the theme's set also comes later in ``tokenSetOrder``. Math expressions are
reported (``INVALID_VALUE``), not evaluated. In a folder, a file that is a symlink
leading out of it is ``FILE_NOT_FOUND`` unless ``allow_outside_refs``.

Lenient mode leaves out a token or group whose name holds ``{`` or ``}`` (a real
export had ``"{global": {"color": {"static": {"pink": {"400}": …}}}}``, a reference pasted
as a name): no reference can reach it, and DTCG forbids the name; ``strict`` reports it
(``INVALID_NAME``).

Hostile input: set and theme names are looked up in sets, not lists (100,000 of each
was quadratic); ``tokenSetOrder`` entries that are not strings are ignored.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from graphql_api.dtcg.errors import (
    FILE_NOT_FOUND,
    INVALID_JSON,
    INVALID_NODE,
    INVALID_RESOLVER,
    INVALID_VALUE,
    DTCGError,
    pointer_join,
    raise_if_any,
)
from graphql_api.dtcg.parse import Document, flatten, load_json, parse_document
from graphql_api.dtcg.resolver import Modifier, ResolverDocument, TokenSet
from graphql_api.dtcg.resolver_sources import outside_file

from .studio_values import EXTENSION, StudioValueError, convert_token

THEMES_FILE = "$themes.json"
METADATA_FILE = "$metadata.json"
DEFAULT_MODIFIER = "theme"
SELECTED = ("enabled", "source")
_TOKEN_PROPS = ("$value", "$type", "$description", "$extensions", "$deprecated")


def is_token(node: Mapping[str, Any]) -> bool:
    """True for ``{"$value": …}`` or legacy ``{"value": …}`` (not a group with a child "value")."""
    if "$value" in node:
        return True
    inner = node.get("value", None)
    if "value" not in node:
        return False
    return not (isinstance(inner, Mapping) and ("value" in inner or "$value" in inner))


def convert_set(
    data: Any, *, file: str = "", pointer: str = "", strict: bool = False
) -> tuple[dict[str, Any], list[DTCGError]]:
    """Convert one Tokens Studio token set to a DTCG token tree.

    Args:
        data: the decoded set (nested groups of tokens).
        file: source file, for errors.
        pointer: JSON Pointer of ``data`` inside ``file``.
        strict: refuse math expressions (kept for the resolver otherwise).

    Returns:
        ``(tree, errors)``: the DTCG tree (same keys and nesting, so JSON Pointers
        into it match the source) and ``INVALID_VALUE`` errors (math, with ``strict``).
    """
    conv = _SetConverter(file, strict)
    if not isinstance(data, Mapping):
        msg = "a token set must be a JSON object"
        conv.errors.append(DTCGError(INVALID_NODE, msg, file, pointer))
        return {}, conv.errors
    return conv.group(data, (), pointer, None), conv.errors


class _SetConverter:
    def __init__(self, file: str, strict: bool = False) -> None:
        self.file = file
        self.strict = strict
        self.errors: list[DTCGError] = []

    def group(
        self, node: Mapping[str, Any], path: tuple[str, ...], pointer: str, inherited: str | None
    ) -> dict[str, Any]:
        own = node.get("$type")
        type_ = own if isinstance(own, str) else inherited
        out: dict[str, Any] = {}
        for key, child in node.items():
            if key == "$type":
                continue  # every token below gets its mapped type
            if not self.strict and ("{" in key or "}" in key):
                continue  # a stray name no reference can reach (see the module docstring)
            if isinstance(child, Mapping) and not key.startswith("$"):
                sub, p = (*path, key), pointer_join(pointer, key)
                convert = self.token if is_token(child) else self.group
                out[key] = convert(child, sub, p, type_)
            else:
                out[key] = child
        return out

    def token(
        self, node: Mapping[str, Any], path: tuple[str, ...], pointer: str, inherited: str | None
    ) -> dict[str, Any]:
        dollar = "$value" in node
        raw_type = node.get("$type") if dollar else node.get("type", node.get("$type"))
        ts_type = raw_type if isinstance(raw_type, str) else inherited
        value = node["$value"] if dollar else node["value"]
        out: dict[str, Any] = {k: node[k] for k in _TOKEN_PROPS if k in node}
        description = node.get("$description", node.get("description"))
        if isinstance(description, str):
            out["$description"] = description
        try:
            conv = convert_token(ts_type, value, strict=self.strict)
        except StudioValueError as exc:
            dotted = ".".join(path)
            self.errors.append(DTCGError(INVALID_VALUE, str(exc), self.file, pointer, dotted))
            out["$value"] = value
            return out
        out["$value"] = conv.value
        if conv.type is not None:
            out["$type"] = conv.type
        if conv.extras:
            ext = dict(out.get("$extensions") or {})
            ext[EXTENSION] = {**(ext.get(EXTENSION) or {}), **conv.extras}
            out["$extensions"] = ext
        return out


def _read(path: Path, errs: list[DTCGError], root: Path | None = None, allow: bool = False) -> Any:
    refused = None if root is None else outside_file(path, root, allow_outside_refs=allow)
    if refused is not None:
        errs.append(refused)
        return None
    try:
        return load_json(path)
    except DTCGError as exc:
        errs.append(exc)
        return None


def _sources(
    path: Path, errs: list[DTCGError], allow: bool = False
) -> tuple[dict[str, tuple[Any, str, str]], Any, Any, str]:
    """``({set: (data, file, pointer)}, themes, metadata, file of the themes)``.

    Files that cannot be read are reported in ``errs`` and left out.
    """
    if path.is_dir():
        sets: dict[str, tuple[Any, str, str]] = {}
        for f in sorted(path.rglob("*.json")):
            rel = f.relative_to(path).as_posix()
            if rel in (THEMES_FILE, METADATA_FILE) or any(
                part.startswith(".") for part in f.relative_to(path).parts
            ):
                continue
            data = _read(f, errs, path, allow)
            if data is not None:
                sets[rel.removesuffix(".json")] = (data, str(f), "")
        themes_path, meta_path = path / THEMES_FILE, path / METADATA_FILE
        themes = _read(themes_path, errs, path, allow) if themes_path.is_file() else None
        meta = _read(meta_path, errs, path, allow) if meta_path.is_file() else None
        return sets, themes, meta, str(path / THEMES_FILE)
    data = _read(path, errs)
    if not isinstance(data, Mapping):
        if data is not None:
            errs.append(DTCGError(INVALID_NODE, "not a JSON object", str(path)))
        return {}, None, None, str(path)
    sets = {
        k: (v, str(path), pointer_join("", k)) for k, v in data.items() if not k.startswith("$")
    }
    return sets, data.get("$themes"), data.get("$metadata"), str(path)


def _set_order(names: list[str], meta: Any) -> list[str]:
    listed = meta.get("tokenSetOrder") if isinstance(meta, Mapping) else None
    known = set(names)  # tokenSetOrder and the sets may both be long: no list lookups
    first = (
        [n for n in listed if isinstance(n, str) and n in known] if isinstance(listed, list) else []
    )
    return list(dict.fromkeys(first + names))


def _themes(
    themes: Any,
    file: str,
    pointer: str,
    sets: list[str],
    errs: list[DTCGError],
    *,
    unreadable: set[str] | None = None,
    root: Path | None = None,
) -> dict[str, list[tuple[str, set[str], dict[str, Any]]]]:
    """``{modifier: [(context, selected sets, theme as written)]}`` in ``$themes`` order.

    A selected set whose file could not be read (in ``unreadable``) is left out without
    a second error: its file's error is the one problem.
    """
    out: dict[str, list[tuple[str, set[str], dict[str, Any]]]] = {}
    names: dict[str, set[str]] = {}  # per group, the theme names read (no list lookups)
    known = set(sets)
    if themes is None:
        return out
    if not isinstance(themes, list):
        errs.append(DTCGError(INVALID_RESOLVER, "$themes must be a list", file, pointer))
        return out
    for i, theme in enumerate(themes):
        p = pointer_join(pointer, i)
        chosen = theme.get("selectedTokenSets") if isinstance(theme, Mapping) else None
        name = theme.get("name") if isinstance(theme, Mapping) else None
        if not isinstance(name, str) or not name or not isinstance(chosen, Mapping):
            msg = "a theme needs a name and selectedTokenSets"
            errs.append(DTCGError(INVALID_RESOLVER, msg, file, p))
            continue
        selected = {s for s, status in chosen.items() if status in SELECTED}
        broken = {
            s
            for s in selected - known
            if root is not None and unreadable and str(root / f"{s}.json") in unreadable
        }
        selected -= broken
        for missing in sorted(selected - known):
            msg = f"theme {name!r} selects token set {missing!r}, which does not exist"
            errs.append(DTCGError(INVALID_RESOLVER, msg, file, p + "/selectedTokenSets"))
        group = theme.get("group") or DEFAULT_MODIFIER
        entries = out.setdefault(str(group), [])
        seen = names.setdefault(str(group), set())
        if name in seen:
            msg = f"theme {name!r} appears twice in group {group!r}"
            errs.append(DTCGError(INVALID_RESOLVER, msg, file, p))
            continue
        seen.add(name)
        entries.append((name, selected, dict(theme)))
    return out


def load_tokens_studio(
    path: str | Path,
    *,
    strict: bool = False,
    allow_outside_refs: bool = False,
    problems: list[DTCGError] | None = None,
) -> ResolverDocument:
    """Load a Tokens Studio export (a single JSON file or a folder of set files).

    Args:
        path: the ``.json`` file, or the folder holding the set files,
            ``$themes.json`` and ``$metadata.json``.
        strict: read the converted sets with the engine's strict DTCG rules.
        allow_outside_refs: in a folder, read files that are symlinks leading out of it.
        problems: when given, every problem is appended to it and the document is
            returned without the sets that could not be read or converted, so that
            validation can report its own problems in the same run (nothing is raised).

    Returns:
        A resolver document: base sets (selected by every theme) then one
        modifier per theme group; set names are the Tokens Studio set names.

    Raises:
        DTCGErrorGroup: every problem found: ``FILE_NOT_FOUND``/``INVALID_JSON``
            (a broken file), ``INVALID_VALUE`` (math expressions, naming the file
            and token path), ``INVALID_NAME``/``INVALID_NODE``, ``INVALID_RESOLVER``
            (malformed ``$themes``, a theme selecting a set that does not exist).
    """
    root = Path(path)
    errs: list[DTCGError] = []
    sources, themes, meta, themes_file = _sources(root, errs, allow_outside_refs)
    docs: dict[str, Document] = {}
    for name, (data, file, pointer) in sources.items():
        tree, conv_errs = convert_set(data, file=file, pointer=pointer, strict=strict)
        doc, parse_errs = parse_document(tree, file=file, strict=strict, pointer=pointer)
        errs += conv_errs + parse_errs
        docs[name] = doc
    order = _set_order(list(docs), meta)
    themes_pointer = "/$themes" if not root.is_dir() else ""
    unreadable = {e.file for e in errs if e.code in (FILE_NOT_FOUND, INVALID_JSON)}
    groups = _themes(
        themes, themes_file, themes_pointer, order, errs, unreadable=unreadable, root=root
    )
    if problems is None:
        raise_if_any(errs)
    else:
        problems.extend(errs)
    result = ResolverDocument(root.stem if root.is_file() else root.name, None, "2025.10")
    all_selected = [sel for entries in groups.values() for _, sel, _ in entries]
    base = set.intersection(*all_selected) if all_selected else set(order)
    for name in (n for n in order if n in base):
        result.sets[name] = TokenSet(name, docs[name])
        result.order.append(("set", name))
    for group, entries in groups.items():
        contexts = {
            ctx: flatten(docs[s] for s in order if s in selected and s not in base)
            for ctx, selected, _ in entries
        }
        ext = {EXTENSION: {"themes": [theme for _, _, theme in entries]}}
        result.modifiers[group] = Modifier(group, contexts, entries[0][0], None, ext)
        result.order.append(("modifier", group))
    return result

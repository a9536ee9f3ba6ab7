"""Style Dictionary's own (pre-DTCG) token format → :class:`ResolverDocument`.

Style Dictionary (v3, and v4/v5 outside DTCG mode) reads nested objects in which
a token is any object with a ``value`` key::

    {"color": {"base": {"red": {"value": "#ff0000", "type": "color",
                                "comment": "the brand red", "attributes": {…}}}},
     "color": {"danger": {"value": "{color.base.red.value}"}}}

Mapping, per token:

* ``value`` → ``$value``; references ``{a.b.value}`` → ``{a.b}`` everywhere in the
  value (whole strings, inside longer strings, inside composite objects and
  arrays); ``{a.b}`` references are kept.
* ``type`` → ``$type``, as written (``color``, ``dimension``, ``fontSize``, …).
  No type is inferred from the value or from the CTI path (``color.*`` …) when
  ``type`` is absent: DTCG never infers types from values, and a token without a
  type takes its group's ``$type`` or an alias target's type.
* ``description`` → ``$description``; else ``comment`` → ``$description``; a
  ``comment`` next to a ``description`` is kept in the extension below.
* every other member (``attributes``, ``themeable``, ``name``, …) →
  ``$extensions['style-dictionary']``; DTCG ``$``-members already present are kept.
* a string ``comment``/``description`` of a group → the group's ``$description``.

A folder is read as every ``.json``/``.json5`` file below it, merged in sorted
path order: groups merge key by key and a later token replaces an earlier one
whole (DTCG flattening; Style Dictionary warns about such collisions). The
result is one base set ``base``. JavaScript sources (``.js``) are not read. In a
folder, a file that is a symlink leading out of it is ``FILE_NOT_FOUND`` unless
``allow_outside_refs``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from graphql_api.dtcg.errors import FILE_NOT_FOUND, INVALID_NODE, DTCGError, raise_if_any
from graphql_api.dtcg.parse import Document, flatten, load_json, parse_document
from graphql_api.dtcg.resolver import ResolverDocument, TokenSet
from graphql_api.dtcg.resolver_sources import outside_file

EXTENSION = "style-dictionary"
SUFFIXES = (".json", ".json5")
_VALUE_REF = re.compile(r"\{\s*([^{}]+?)\.value\s*\}")
_DTCG_PROPS = ("$type", "$description", "$deprecated", "$extensions")


def references(value: Any) -> Any:
    """Rewrite ``{a.b.value}`` → ``{a.b}`` in every string of ``value`` (recursively)."""
    if isinstance(value, str):
        return _VALUE_REF.sub(lambda m: "{" + m.group(1).strip() + "}", value)
    if isinstance(value, Mapping):
        return {k: references(v) for k, v in value.items()}
    if isinstance(value, list):
        return [references(v) for v in value]
    return value


def convert_token(node: Mapping[str, Any]) -> dict[str, Any]:
    """One Style Dictionary token (an object with ``value``) → a DTCG token object.

    Args:
        node: e.g. ``{"value": "{color.red.value}", "type": "color", "comment": "…",
            "attributes": {"category": "color"}}``.

    Returns:
        e.g. ``{"$value": "{color.red}", "$type": "color", "$description": "…",
        "$extensions": {"style-dictionary": {"attributes": {"category": "color"}}}}``.
    """
    out: dict[str, Any] = {k: node[k] for k in _DTCG_PROPS if k in node}
    out["$value"] = references(node["value"])
    if isinstance(node.get("type"), str):
        out["$type"] = node["type"]
    extra = {
        k: v
        for k, v in node.items()
        if k not in ("value", "type", "description", "comment") and not k.startswith("$")
    }
    description, comment = node.get("description"), node.get("comment")
    if isinstance(description, str):
        out["$description"] = description
        if comment is not None:
            extra["comment"] = comment
    elif isinstance(comment, str):
        out["$description"] = comment
    if extra:
        out["$extensions"] = {**(out.get("$extensions") or {}), EXTENSION: extra}
    return out


def convert(data: Mapping[str, Any]) -> dict[str, Any]:
    """A Style Dictionary token tree → a DTCG token tree (same keys, so same JSON Pointers).

    Args:
        data: nested groups; any object with a ``value`` key is a token.

    Returns:
        The DTCG tree (see the module docstring for the mapping).
    """
    out: dict[str, Any] = {}
    for key, child in data.items():
        if isinstance(child, Mapping) and not key.startswith("$"):
            out[key] = convert_token(child) if "value" in child else convert(child)
        elif key in ("comment", "description") and isinstance(child, str):
            out.setdefault("$description", child)
        else:
            out[key] = child
    return out


def token_files(path: Path) -> list[Path]:
    """``path`` itself, or every ``.json``/``.json5`` file below the folder, sorted by path."""
    if not path.is_dir():
        return [path]
    files = (
        f
        for f in path.rglob("*")
        if f.suffix in SUFFIXES
        and f.is_file()
        and not any(p.startswith(".") for p in f.relative_to(path).parts)
    )
    return sorted(files, key=lambda f: f.relative_to(path).as_posix())


def load_style_dictionary(
    path: str | Path,
    *,
    strict: bool = False,
    set_name: str = "base",
    allow_outside_refs: bool = False,
) -> ResolverDocument:
    """Load a Style Dictionary source file or folder as a resolver with one set.

    Args:
        path: a ``.json``/``.json5`` file, or a folder of them (read recursively).
        strict: read the converted files with the engine's strict DTCG rules.
        set_name: name of the single base set.
        allow_outside_refs: in a folder, read files that are symlinks leading out of it.

    Returns:
        A resolver document with one set ``set_name`` (the files merged in order)
        and no modifiers.

    Raises:
        DTCGErrorGroup: every problem found, each naming its file: ``FILE_NOT_FOUND``,
            ``INVALID_JSON`` (a broken file), ``INVALID_NODE`` (not an object),
            ``INVALID_NAME`` (e.g. a ``.`` in a name).
    """
    root = Path(path)
    errs: list[DTCGError] = []
    docs: list[Document] = []
    files = token_files(root)
    if not files:
        errs.append(DTCGError(FILE_NOT_FOUND, "no .json or .json5 files here", str(root)))
    for f in files:
        refused = (
            None if f == root else outside_file(f, root, allow_outside_refs=allow_outside_refs)
        )
        if refused is not None:
            errs.append(refused)
            continue
        try:
            data = load_json(f)
        except DTCGError as exc:
            errs.append(exc)
            continue
        if not isinstance(data, Mapping):
            errs.append(DTCGError(INVALID_NODE, "a token file must be a JSON object", str(f)))
            continue
        doc, parse_errs = parse_document(convert(data), file=str(f), strict=strict)
        errs.extend(parse_errs)
        docs.append(doc)
    raise_if_any(errs)
    result = ResolverDocument(root.stem if root.is_file() else root.name, None, "2025.10")
    result.sets[set_name] = TokenSet(set_name, flatten(docs))
    result.order.append(("set", set_name))
    return result

"""Adobe Spectrum tokens (``@adobe/spectrum-tokens``, ``src/*.json``) → :class:`ResolverDocument`.

Spectrum ships flat JSON files of named tokens; each token is either one entry
or a ``sets`` object with one entry per context of one axis::

    {"gray-100": {"$schema": ".../token-types/color-set.json", "uuid": "…",
                  "sets": {"light": {"$schema": ".../token-types/color.json",
                                     "value": "rgb(233, 233, 233)", "uuid": "…"},
                           "dark": {…}, "wireframe": {…}}},
     "spacing-100": {"$schema": ".../token-types/dimension.json", "value": "8px", "uuid": "…"},
     "accent-color-100": {"$schema": ".../token-types/alias.json", "value": "{blue-800}", …}}

Mapping:

* Token names become top-level token paths (Spectrum names have no dots).
* ``sets`` → two modifiers, one per axis: ``colorTheme`` (``light``, ``dark``,
  ``wireframe``; default ``light``) and ``scale`` (``desktop``, ``mobile``; default
  ``desktop``). A token with sets is defined in each context of its axis; the
  others go in one base set per source file (named after the file). References
  are kept, so alias chains cross both axes and resolve after flattening.
* ``$type`` from the ``$schema`` URL of the entry (``…/token-types/<name>.json``),
  see :data:`SCHEMA_TYPES`; ``alias`` entries get no type (DTCG types an alias by
  its target). Spectrum types DTCG lacks (``alignment``, ``font-style``,
  ``text-transform``, ``angle``) keep their Spectrum name as ``$type``.
* Values are kept as written (the engine's tolerant mode reads ``rgb()``/``rgba()``
  strings, ``"8px"``, ``"0"`` and ``em`` dimensions) except: opacity strings
  (``"0.4"``) become numbers, unless ``strict``; a dimension with no DTCG form
  (``"100%"``, ``"2dp"``) keeps its value with ``$type``
  :data:`OTHER_DIMENSION`; drop-shadow layers ``{x, y, blur, spread, color}`` become
  ``{offsetX, offsetY, blur, spread, color}``. Typography keeps its px
  ``lineHeight`` (the engine reads it, tolerantly, as line height ÷ font size).
* ``description`` → ``$description``; ``deprecated``/``deprecated_comment``/``renamed``
  → ``$deprecated`` (the comment, then ``"renamed to <new name>"``; ``true`` when
  neither is given); ``uuid`` (of the token and of its set entry), ``private``,
  ``component``, ``renamed``, ``deprecated_comment`` and the ``$schema`` URLs →
  ``$extensions["com.adobe.spectrum"]``.

Input: a folder of Spectrum token files (every ``*.json`` directly in it, sorted;
a folder holding ``src/`` is read as that ``src/``) or one file. In a folder, a
file that is a symlink leading out of it is ``FILE_NOT_FOUND`` unless
``allow_outside_refs``.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from graphql_api.dtcg.errors import (
    FILE_NOT_FOUND,
    INVALID_NODE,
    DTCGError,
    brief,
    pointer_join,
    raise_if_any,
)
from graphql_api.dtcg.parse import Document, flatten, load_json, parse_document
from graphql_api.dtcg.resolver import Modifier, ResolverDocument, TokenSet
from graphql_api.dtcg.resolver_sources import outside_file

EXTENSION = "com.adobe.spectrum"
#: Spectrum's axes: modifier name → contexts (the first is the default).
AXES: dict[str, tuple[str, ...]] = {
    "colorTheme": ("light", "dark", "wireframe"),
    "scale": ("desktop", "mobile"),
}
#: Spectrum token type (the ``$schema`` file name) → DTCG ``$type`` (None: typed by target).
SCHEMA_TYPES: dict[str, str | None] = {
    "color": "color",
    "dimension": "dimension",
    "font-size": "dimension",
    "opacity": "number",
    "multiplier": "number",
    "gradient-stop": "number",
    "font-weight": "fontWeight",
    "font-family": "fontFamily",
    "typography": "typography",
    "drop-shadow": "shadow",
    "alias": None,
    "alignment": "alignment",
    "font-style": "font-style",
    "text-transform": "text-transform",
    "angle": "angle",
}
SET_SCHEMAS = frozenset({"color-set", "scale-set"})
OTHER_DIMENSION = "spectrum-dimension"
"""``$type`` of a Spectrum dimension with no DTCG form (``"100%"``, ``"2dp"``)."""

_SCHEMA = re.compile(r"/token-types/([a-z0-9-]+)\.json$")
_DTCG_DIMENSION = re.compile(r"^\s*-?(?:\d+\.?\d*|\.\d+)\s*(?:px|rem|em)?\s*$")
_NUMBER = re.compile(r"^\s*-?(?:\d+\.?\d*|\.\d+)\s*$")
_SHADOW_KEYS = {"x": "offsetX", "y": "offsetY"}
_CONTEXT_AXIS = {ctx: axis for axis, contexts in AXES.items() for ctx in contexts}


def schema_name(entry: Any) -> str | None:
    """``".../token-types/color.json"`` → ``"color"``; None when there is no such ``$schema``."""
    url = entry.get("$schema") if isinstance(entry, Mapping) else None
    m = _SCHEMA.search(url) if isinstance(url, str) else None
    return m.group(1) if m else None


def is_spectrum(data: Any) -> bool:
    """True when ``data`` is a Spectrum token file: an entry has a token-types ``$schema``."""
    return isinstance(data, Mapping) and any(
        schema_name(v) is not None and ("value" in v or "sets" in v) for v in data.values()
    )


def convert_value(kind: str | None, value: Any, *, strict: bool = False) -> tuple[str | None, Any]:
    """One Spectrum entry's value → ``($type, $value)`` (see the module docstring).

    Args:
        kind: the entry's Spectrum type (``$schema`` name); None when unknown.
        value: the value as written.
        strict: keep opacity strings as written (strict validation rejects them).
    """
    type_ = SCHEMA_TYPES.get(kind, kind) if kind is not None else None
    is_ref = isinstance(value, str) and value.startswith("{")
    if is_ref:
        return type_, value
    if type_ == "number" and isinstance(value, str) and _NUMBER.match(value) and not strict:
        number = float(value)
        return type_, int(number) if number.is_integer() and "." not in value else number
    if type_ == "dimension" and isinstance(value, str) and not _DTCG_DIMENSION.match(value):
        return OTHER_DIMENSION, value
    if type_ == "shadow":
        return type_, _shadow(value)
    return type_, value


def _shadow(value: Any) -> Any:
    layers = value if isinstance(value, list) else [value]
    out = [
        {_SHADOW_KEYS.get(k, k): v for k, v in layer.items()}
        if isinstance(layer, Mapping)
        else layer
        for layer in layers
    ]
    return out if isinstance(value, list) else out[0]


def deprecation(token: Mapping[str, Any]) -> bool | str | None:
    """``deprecated``/``deprecated_comment``/``renamed`` → a DTCG ``$deprecated`` (or None)."""
    comment, renamed = token.get("deprecated_comment"), token.get("renamed")
    parts = [str(comment).strip()] if isinstance(comment, str) and comment.strip() else []
    if isinstance(renamed, str) and renamed:
        parts.append(f"renamed to {renamed}")
    if parts:
        return "; ".join(parts)
    return True if token.get("deprecated") is True else None


_META = ("uuid", "private", "component", "renamed", "deprecated_comment", "$schema")


def _token(token: Mapping[str, Any], entry: Mapping[str, Any], strict: bool) -> dict[str, Any]:
    """The DTCG token for one entry (``entry`` is ``token`` itself, or one of its sets)."""
    type_, value = convert_value(schema_name(entry), entry.get("value"), strict=strict)
    out: dict[str, Any] = {"$value": value}
    if type_ is not None:
        out["$type"] = type_
    if isinstance(token.get("description"), str):
        out["$description"] = token["description"]
    deprecated = deprecation(token)
    if deprecated is not None:
        out["$deprecated"] = deprecated
    ext = {k: token[k] for k in _META if k in token}
    if entry is not token:
        ext["set"] = {k: entry[k] for k in ("uuid", "$schema") if k in entry}
    out["$extensions"] = {EXTENSION: ext}
    return out


def _axis(sets: Mapping[str, Any]) -> str | None:
    axes = {_CONTEXT_AXIS.get(name) for name in sets}
    return axes.pop() if len(axes) == 1 and None not in axes else None


class _Converter:
    """Splits the tokens of the files into base trees (per file) and context trees."""

    def __init__(self, strict: bool) -> None:
        self.strict = strict
        self.errors: list[DTCGError] = []
        self.base: dict[str, Document] = {}
        self.contexts: dict[str, list[Document]] = {c: [] for cs in AXES.values() for c in cs}

    def file(self, name: str, data: Any, file: str) -> None:
        if not isinstance(data, Mapping):
            self.errors.append(DTCGError(INVALID_NODE, "a token file must be a JSON object", file))
            return
        base: dict[str, Any] = {}
        per_context: dict[str, dict[str, Any]] = {}
        for key, token in data.items():
            if key.startswith("$"):
                continue
            if not isinstance(token, Mapping) or ("value" not in token and "sets" not in token):
                msg = f"a Spectrum token needs a value or sets, got {brief(token)}"
                self.errors.append(DTCGError(INVALID_NODE, msg, file, pointer_join("", key), key))
                continue
            if "sets" not in token:
                base[key] = _token(token, token, self.strict)
                continue
            self.sets(key, token, file, per_context)
        self.base[name] = self.parse(base, file, {})
        for ctx, tree in per_context.items():
            self.contexts[ctx].append(self.parse(tree, file, dict.fromkeys(tree, ctx)))

    def sets(
        self, key: str, token: Mapping[str, Any], file: str, out: dict[str, dict[str, Any]]
    ) -> None:
        sets = token["sets"]
        axis = _axis(sets) if isinstance(sets, Mapping) else None
        if axis is None or not all(isinstance(e, Mapping) for e in sets.values()):
            known = "; ".join(f"{a}: {', '.join(cs)}" for a, cs in AXES.items())
            msg = f"sets must be entries of one axis ({known}), got {brief(sets)}"
            pointer = pointer_join(pointer_join("", key), "sets")
            self.errors.append(DTCGError(INVALID_NODE, msg, file, pointer, key))
            return
        for ctx, entry in sets.items():
            out.setdefault(ctx, {})[key] = _token(token, entry, self.strict)

    def parse(self, tree: dict[str, Any], file: str, context_of: dict[str, str]) -> Document:
        doc, errs = parse_document(tree, file=file, strict=self.strict)
        self.errors.extend(errs)
        for path, node in doc.tokens.items():  # point at the set entry that was written
            if path in context_of:
                at = pointer_join(pointer_join(node.pointer, "sets"), context_of[path])
                doc.tokens[path] = dataclasses.replace(node, pointer=at)
        return doc


def token_files(path: Path) -> tuple[Path, list[Path]]:
    """``(folder read, files)``: the ``*.json`` files of ``path`` (or of ``path/src``)."""
    if not path.is_dir():
        return path.parent, [path]
    folder = path / "src" if (path / "src").is_dir() else path
    files = [f for f in folder.glob("*.json") if f.is_file() and not f.name.startswith(".")]
    return folder, sorted(files, key=lambda f: f.name)


def load_spectrum(
    path: str | Path,
    *,
    strict: bool = False,
    allow_outside_refs: bool = False,
    problems: list[DTCGError] | None = None,
) -> ResolverDocument:
    """Load Adobe Spectrum token files as a resolver with two modifiers.

    Args:
        path: the package's ``src/`` folder (or the package folder holding it), or
            one Spectrum token file.
        strict: read with the engine's strict DTCG rules and keep opacity strings.
        allow_outside_refs: read files that are symlinks leading out of the folder.
        problems: when given, the problems found are appended to it and the document
            is returned without what could not be read (so validation can report its
            problems in the same run); else they are raised.

    Returns:
        Base sets (one per file, tokens without ``sets``) then the modifiers
        ``colorTheme`` and ``scale`` (see the module docstring).

    Raises:
        DTCGErrorGroup: every problem found, each naming its file, pointer and token:
            ``FILE_NOT_FOUND``/``INVALID_JSON`` (a broken file), ``INVALID_NODE`` (an
            entry with neither ``value`` nor ``sets``, sets of no known axis),
            ``INVALID_NAME``; in strict mode also the parser's strict codes. With
            ``problems``, nothing is raised.
    """
    root = Path(path)
    folder, files = token_files(root)
    conv = _Converter(strict)
    if not files:
        conv.errors.append(DTCGError(FILE_NOT_FOUND, "no .json files here", str(root)))
    for f in files:
        refused = (
            None if f == root else outside_file(f, folder, allow_outside_refs=allow_outside_refs)
        )
        if refused is not None:
            conv.errors.append(refused)
            continue
        try:
            data = load_json(f)
        except DTCGError as exc:
            conv.errors.append(exc)
            continue
        conv.file(f.stem, data, str(f))
    if problems is None:
        raise_if_any(conv.errors)
    else:
        problems.extend(conv.errors)
    result = ResolverDocument(root.stem if root.is_file() else root.name, None, "2025.10")
    for name, doc in conv.base.items():
        if doc.tokens:
            result.sets[name] = TokenSet(name, doc)
            result.order.append(("set", name))
    for axis, contexts in AXES.items():
        if not any(conv.contexts[c] for c in contexts):
            continue
        layers = {c: flatten(conv.contexts[c]) for c in contexts}
        result.modifiers[axis] = Modifier(axis, layers, contexts[0])
        result.order.append(("modifier", axis))
    return result

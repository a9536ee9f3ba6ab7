"""The DTCG Resolver module (2025.10): sets, modifiers, contexts, resolutionOrder, inputs.

:func:`load_resolver` reads a resolver document and every file it references
(sources: :mod:`graphql_api.dtcg.resolver_sources`) into a :class:`ResolverDocument`
whose layers are already-parsed :class:`~graphql_api.dtcg.parse.Document` objects.
:func:`load_token_file` wraps a single token file as a resolver with one set.
:func:`normalise_input` checks a theme input (modifier → context,
case-insensitive, defaults filled in; §5, §6.1) and :meth:`ResolverDocument.layers`
lists the layers to flatten for it, in ``resolutionOrder`` (§6.2). Resolution
itself is flatten-then-resolve (§6.3).

Read as 2025.10 says: ``resolutionOrder`` items are ``{"$ref": "#/sets/…"}`` /
``{"$ref": "#/modifiers/…"}`` reference objects, whose sibling keys override the
referenced object shallowly (§4.2.2, e.g. ``{"$ref": "#/modifiers/theme",
"default": "dark"}``), or inline sets/modifiers with ``type`` and ``name``
(§4.1.6.1); ``$extensions`` and ``description`` are kept on sets and modifiers
(§4.3); ``$schema``, ``$defs`` (usable as ``$ref`` targets) and ``name`` are
accepted. Errors (``INVALID_RESOLVER``, §4.1.5, §4.1.6.1, §4.2.1): a modifier
without contexts, a ``default`` that is not a context, an inline item without
``name``/``type``, a name twice in ``resolutionOrder`` (for the same kind), a
``$ref`` into ``#/resolutionOrder``, a source naming a modifier, circular
references.

Non-standard forms accepted in tolerant mode and rejected (``INVALID_RESOLVER``)
with ``strict=True``: a ``version`` other than ``"2025.10"`` or none (§4.1.2);
a modifier with a single context (§4.1.5.1 "SHOULD throw"); a context written
as an object ``{"description", "sources", "$extensions"}`` instead of a list of
sources, whose description and extensions are kept in
:attr:`Modifier.context_info` (2025.10 gives contexts no metadata). JSON5 and
the token-file forms are listed in :mod:`graphql_api.dtcg.parse`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import errors as E  # noqa: N812 - the engine's own alias
from .errors import DTCGError, brief, pointer_join, pointer_parts
from .inputs import normalise_input
from .jsonio import read_json
from .parse import parse_document
from .resolver_sources import SourceLoader, as_pointer, walk

if TYPE_CHECKING:
    from .nodes import Document

VERSION = "2025.10"
__all__ = [
    "VERSION",
    "Modifier",
    "ResolverDocument",
    "TokenSet",
    "load_resolver",
    "load_token_file",
    "normalise_input",
]


@dataclass(slots=True)
class TokenSet:
    """A named set: its sources flattened into one layer (§4.1.4)."""

    name: str
    document: Document
    description: str | None = None
    extensions: dict[str, Any] | None = None


@dataclass(slots=True)
class Modifier:
    """A modifier and its contexts (name → flattened layer), in document order (§4.1.5).

    Attributes:
        context_info: per context, ``{"description": …, "$extensions": …}`` when the
            document gives them (tolerant object form of a context); {} otherwise.
    """

    name: str
    contexts: dict[str, Document]
    default: str | None = None
    description: str | None = None
    extensions: dict[str, Any] | None = None
    context_info: dict[str, dict[str, Any]] = field(default_factory=dict)


@dataclass(slots=True)
class ResolverDocument:
    """A loaded resolver document.

    Attributes:
        order: ``resolutionOrder`` as ``("set" | "modifier", name)`` pairs.
    """

    name: str
    description: str | None
    version: str
    sets: dict[str, TokenSet] = field(default_factory=dict)
    modifiers: dict[str, Modifier] = field(default_factory=dict)
    order: list[tuple[str, str]] = field(default_factory=list)

    def every_layer(self) -> list[Document]:
        """Every set's document, then every context of every modifier (each layer once)."""
        return [s.document for s in self.sets.values()] + [
            d for m in self.modifiers.values() for d in m.contexts.values()
        ]

    def layers(self, selection: Mapping[str, str]) -> list[Document]:
        """The layers to flatten for a normalised ``selection`` (see :func:`normalise_input`)."""
        out = []
        for kind, name in self.order:
            if kind == "set":
                out.append(self.sets[name].document)
            else:
                out.append(self.modifiers[name].contexts[selection[name]])
        return out


def load_resolver(
    path: str | Path,
    *,
    strict: bool = False,
    problems: list[DTCGError] | None = None,
    allow_outside_refs: bool = False,
) -> ResolverDocument:
    """Load a resolver document (``*.resolver.json``) and every token file it references.

    Args:
        path: the resolver document.
        strict: plain JSON, ``version`` 2025.10, two or more contexts per modifier,
            contexts as lists, and the strict token-file checks of
            :func:`~graphql_api.dtcg.parse.parse_document`.
        problems: when given, the problems found while loading are appended to it and
            the document is returned without what could not be read (an unreadable
            file is an empty layer, an invalid set or modifier is left out), so that a
            caller can validate it too and report every problem of one run together.
        allow_outside_refs: read files that sources ``$ref`` outside the document's
            folder (after ``..`` and symlinks); by default they are ``FILE_NOT_FOUND``.
            Remote URLs are refused either way (see :mod:`~graphql_api.dtcg.
            resolver_sources`).

    Raises:
        DTCGErrorGroup: every problem found (``INVALID_RESOLVER``, ``FILE_NOT_FOUND``,
            ``INVALID_JSON``, ``INVALID_NAME``, …), each naming its file and JSON Pointer;
            with ``problems``, only when the resolver document itself cannot be read.
    """
    file = Path(path)
    try:
        data, found = read_json(file, strict=strict)
    except DTCGError as exc:
        raise E.DTCGErrorGroup([exc]) from None
    if not isinstance(data, Mapping):
        raise E.DTCGErrorGroup([DTCGError(E.INVALID_RESOLVER, "not a JSON object", str(file))])
    ld = SourceLoader(file, data, strict, allow_outside_refs)
    ld.errors.extend(found)
    version = data.get("version")
    if strict and version != VERSION:
        ld.fail(f"version must be {VERSION!r}, got {brief(version)} (§4.1.2)", "/version")
    doc = ResolverDocument(
        str(data.get("name") or file.stem), data.get("description"), str(version or "")
    )
    order = data.get("resolutionOrder")
    if not isinstance(order, list) or not order:
        ld.fail("resolutionOrder must be a non-empty list", "/resolutionOrder")
        order = []
    seen: set[tuple[str, str]] = set()
    for i, item in enumerate(order):
        _order_item(ld, doc, item, pointer_join("/resolutionOrder", i), seen)
    if problems is None:
        E.raise_if_any(ld.errors)
    else:
        problems.extend(ld.errors)
    return doc


def _order_item(
    ld: SourceLoader, doc: ResolverDocument, item: Any, pointer: str, seen: set[tuple[str, str]]
) -> None:
    """One ``resolutionOrder`` item: a reference object or an inline set/modifier (§4.1.6).

    ``seen`` holds the items already read (a set: ``resolutionOrder`` may be long).
    """
    if not isinstance(item, Mapping):
        ld.fail("a resolutionOrder item must be an object", pointer)
        return
    if "$ref" in item:
        ref = item["$ref"]
        if not isinstance(ref, str) or not ref.startswith("#"):
            msg = (
                f"{brief(ref)}: resolutionOrder may only reference this document's sets "
                "and modifiers"
            )
            ld.fail(msg, pointer)
            return
        parts = pointer_parts(ref)
        if not ld.valid_pointer(ref, parts, pointer, source=False):
            return
        target = walk(ld.data, parts)
        kind = {"sets": "set", "modifiers": "modifier"}.get(parts[0])
        if isinstance(target, Mapping) and kind is None:  # e.g. #/$defs/…
            kind = "modifier" if "contexts" in target else "set" if "sources" in target else None
        if not isinstance(target, Mapping) or kind is None or len(parts) == 1:
            ld.fail(f"{brief(ref)} does not name a set or modifier of this document", pointer)
            return
        overrides = {k: v for k, v in item.items() if k != "$ref"}
        body: Mapping[str, Any] = {**target, **overrides}  # §4.2.2: siblings override shallowly
        name, home = parts[-1], as_pointer(parts)
    else:
        raw_kind, raw_name = item.get("type"), item.get("name")
        if raw_kind not in ("set", "modifier") or not isinstance(raw_name, str) or not raw_name:
            ld.fail("an inline item needs type 'set' or 'modifier' and a name (§4.1.6.1)", pointer)
            return
        kind, name = str(raw_kind), raw_name
        body, home, overrides = item, pointer, {}
    if (kind, name) in seen:
        ld.fail(f"{kind} {brief(name)} appears twice in resolutionOrder", pointer)
        return
    seen.add((kind, name))

    def at(key: str) -> str:
        """Where ``key`` of the item's body is written: the item (override) or the target."""
        return pointer_join(pointer if key in overrides else home, key)

    if kind == "set":
        ld.expanding.append(home)
        sources = ld.sources(body.get("sources"), at("sources"))
        ld.expanding.pop()
        doc.sets[name] = TokenSet(name, sources, body.get("description"), body.get("$extensions"))
    else:
        _modifier(ld, doc, name, body, at)
    if kind == "set" or name in doc.modifiers:  # an invalid modifier is left out
        doc.order.append((kind, name))


def _modifier(
    ld: SourceLoader,
    doc: ResolverDocument,
    name: str,
    body: Mapping[str, Any],
    at: Callable[[str], str],
) -> None:
    """A modifier: contexts (each a list of sources), optional default (§4.1.5)."""
    contexts = body.get("contexts")
    if not isinstance(contexts, Mapping) or not contexts:
        ld.fail(f"modifier {name!r} has no contexts", at("contexts"))
        return
    if ld.strict and len(contexts) < 2:  # noqa: PLR2004 - "two or more contexts"
        ld.fail(f"modifier {name!r} has a single context (§4.1.5.1)", at("contexts"))
    default = body.get("default")
    if default is not None and (not isinstance(default, str) or default not in contexts):
        ld.fail(f"default {brief(default)} is not a context of modifier {name!r}", at("default"))
        default = None
    layers: dict[str, Document] = {}
    info: dict[str, dict[str, Any]] = {}
    for ctx, value in contexts.items():
        here = pointer_join(at("contexts"), ctx)
        if isinstance(value, Mapping):  # tolerated: {"description", "sources", "$extensions"}
            if ld.strict:
                ld.fail(f"context {ctx!r} must be a list of sources (§4.1.5.1)", here)
            info[ctx] = {k: value[k] for k in ("description", "$extensions") if k in value}
            layers[ctx] = ld.sources(value.get("sources"), here + "/sources")
        else:
            layers[ctx] = ld.sources(value, here)
    doc.modifiers[name] = Modifier(
        name, layers, default, body.get("description"), body.get("$extensions"), info
    )


def load_token_file(
    path: str | Path,
    *,
    strict: bool = False,
    problems: list[DTCGError] | None = None,
    allow_outside_refs: bool = False,  # a token file follows no file reference
) -> ResolverDocument:
    """Wrap one DTCG token file as a resolver document with a single set ``base``.

    Args:
        path: the token file.
        strict: plain JSON and the strict checks of :func:`~graphql_api.dtcg.parse.
            parse_document`.
        problems: when given, the file's problems are appended to it and the document
            (without the invalid nodes) is returned, as for :func:`load_resolver`.
        allow_outside_refs: accepted for the same calls as :func:`load_resolver`; a
            token file references no other file (a ``$ref`` to another file is kept
            as data, and is ``INVALID_REFERENCE`` in strict mode).

    Raises:
        DTCGErrorGroup: if the file cannot be read or has invalid names/nodes (and, when
            ``strict``, any of the strict problems of :func:`~graphql_api.dtcg.parse.
            parse_document`).
    """
    file = Path(path)
    try:
        data, found = read_json(file, strict=strict)
    except DTCGError as exc:
        raise E.DTCGErrorGroup([exc]) from None
    document, errs = parse_document(data, file=str(file), strict=strict)
    if problems is None:
        E.raise_if_any([*found, *errs])
    else:
        problems.extend([*found, *errs])
    doc = ResolverDocument(file.stem, None, VERSION)
    doc.sets["base"] = TokenSet("base", document)
    doc.order.append(("set", "base"))
    return doc

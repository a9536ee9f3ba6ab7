"""The DTCG Resolver module (2025.10): sets, modifiers, contexts, resolutionOrder, inputs.

:func:`load_resolver` reads a resolver document and every file it references
(``$ref`` relative to the document, or ``#/sets/…`` / ``#/modifiers/…`` inside it)
into a :class:`ResolverDocument` whose layers are already-parsed
:class:`~graphql_api.dtcg.parse.Document` objects. :func:`load_token_file` wraps a
single token file as a resolver with one set. :func:`normalise_input` checks a
theme input (modifier → context, case-insensitive, defaults filled in) and
:meth:`ResolverDocument.layers` lists the layers to flatten for it, in
``resolutionOrder``. Resolution itself is flatten-then-resolve (§4.2).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import errors as E
from .errors import DTCGError, pointer_join
from .parse import Document, flatten, load_json, parse_document


@dataclass(slots=True)
class TokenSet:
    """A named set: its sources flattened into one layer."""

    name: str
    document: Document
    description: str | None = None
    extensions: dict[str, Any] | None = None


@dataclass(slots=True)
class Modifier:
    """A modifier and its contexts (name → flattened layer), in document order."""

    name: str
    contexts: dict[str, Document]
    default: str | None = None
    description: str | None = None
    extensions: dict[str, Any] | None = None


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

    def layers(self, selection: Mapping[str, str]) -> list[Document]:
        """The layers to flatten for a normalised ``selection`` (see :func:`normalise_input`)."""
        out = []
        for kind, name in self.order:
            if kind == "set":
                out.append(self.sets[name].document)
            else:
                out.append(self.modifiers[name].contexts[selection[name]])
        return out


def normalise_input(
    modifiers: Mapping[str, tuple[list[str], str | None]], given: Mapping[str, str]
) -> dict[str, str]:
    """Check a theme input and fill in defaults (Resolver module §5 inputs).

    Args:
        modifiers: modifier name → (context names, default context or None).
        given: the caller's input, modifier → context; names are matched case-insensitively.

    Returns:
        One context name (as the document spells it) for every modifier.

    Raises:
        DTCGErrorGroup: ``UNKNOWN_MODIFIER``, ``UNKNOWN_CONTEXT`` or ``MISSING_INPUT``,
            each message listing the valid names.
    """
    by_lower = {m.lower(): m for m in modifiers}
    out: dict[str, str] = {}
    errs: list[DTCGError] = []
    for key, ctx in given.items():
        mod = by_lower.get(key.lower())
        if mod is None:
            valid = ", ".join(modifiers) or "none"
            errs.append(DTCGError(E.UNKNOWN_MODIFIER, f"unknown modifier {key!r} (valid: {valid})"))
            continue
        contexts = modifiers[mod][0]
        match = next((c for c in contexts if c.lower() == ctx.lower()), None)
        if match is None:
            msg = f"modifier {mod!r} has no context {ctx!r} (valid: {', '.join(contexts)})"
            errs.append(DTCGError(E.UNKNOWN_CONTEXT, msg))
            continue
        out[mod] = match
    for mod, (contexts, default) in modifiers.items():
        if mod in out:
            continue
        if default is None:
            msg = f"modifier {mod!r} has no default: give one of {', '.join(contexts)}"
            errs.append(DTCGError(E.MISSING_INPUT, msg))
        else:
            out[mod] = default
    E.raise_if_any(errs)
    return out


class _Loader:
    def __init__(self, file: Path, data: Mapping[str, Any], strict: bool) -> None:
        self.file, self.data, self.strict = file, data, strict
        self.base = file.parent
        self.errors: list[DTCGError] = []
        self.cache: dict[Path, Document] = {}
        self.expanding: set[str] = set()  # sets being expanded: a set may not include itself

    def section(self, name: str) -> Mapping[str, Any]:
        """The document's ``sets`` or ``modifiers`` object ({} when missing or malformed)."""
        body = self.data.get(name)
        return body if isinstance(body, Mapping) else {}

    def fail(self, message: str, pointer: str = "") -> None:
        self.errors.append(DTCGError(E.INVALID_RESOLVER, message, str(self.file), pointer))

    def sources(self, items: Any, pointer: str) -> Document:
        """Flatten a list of sources (file ``$ref``, ``#/sets/…`` ref, or inline tokens)."""
        if not isinstance(items, list):
            self.fail("sources must be a list", pointer)
            return Document()
        docs = []
        for i, item in enumerate(items):
            p = pointer_join(pointer, i)
            if not isinstance(item, Mapping):
                self.fail("a source must be an object", p)
                continue
            ref = item.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/sets/"):
                target = self.section("sets").get(ref[len("#/sets/") :])
                if not isinstance(target, Mapping):
                    self.fail(f"{ref} does not name a set", p)
                    continue
                if ref in self.expanding:
                    self.fail(f"{ref} includes itself", p)
                    continue
                self.expanding.add(ref)
                docs.append(self.sources(target.get("sources"), ref[1:] + "/sources"))
                self.expanding.discard(ref)
            elif isinstance(ref, str) and ref.startswith("#"):
                self.fail(f"a source cannot reference {ref}", p)
            elif isinstance(ref, str):
                docs.append(self.file_document(ref, p))
            else:
                doc, errs = parse_document(item, file=str(self.file), strict=self.strict, pointer=p)
                self.errors.extend(errs)
                docs.append(doc)
        return flatten(docs)

    def file_document(self, ref: str, pointer: str) -> Document:
        path = (self.base / ref).resolve()
        if path not in self.cache:
            try:
                data = load_json(path, strict=self.strict)
            except DTCGError as exc:
                exc.message += f" (referenced at {self.file}#{pointer})"
                self.errors.append(exc)
                self.cache[path] = Document()
                return self.cache[path]
            doc, errs = parse_document(data, file=str(path), strict=self.strict)
            self.errors.extend(errs)
            self.cache[path] = doc
        return self.cache[path]


def load_resolver(path: str | Path, *, strict: bool = False) -> ResolverDocument:
    """Load a resolver document (``*.resolver.json``) and every token file it references.

    Raises:
        DTCGErrorGroup: every problem found (``INVALID_RESOLVER``, ``FILE_NOT_FOUND``,
            ``INVALID_JSON``, ``INVALID_NAME``, …), each naming its file and JSON Pointer.
    """
    file = Path(path)
    try:
        data = load_json(file, strict=strict)
    except DTCGError as exc:
        raise E.DTCGErrorGroup([exc]) from None
    if not isinstance(data, Mapping):
        raise E.DTCGErrorGroup([DTCGError(E.INVALID_RESOLVER, "not a JSON object", str(file))])
    ld = _Loader(file, data, strict)
    doc = ResolverDocument(
        str(data.get("name") or file.stem), data.get("description"), str(data.get("version", ""))
    )
    order = data.get("resolutionOrder")
    if not isinstance(order, list) or not order:
        ld.fail("resolutionOrder must be a non-empty list", "/resolutionOrder")
        order = []
    for i, item in enumerate(order):
        _order_item(ld, doc, item, pointer_join("/resolutionOrder", i))
    E.raise_if_any(ld.errors)
    return doc


def _order_item(ld: _Loader, doc: ResolverDocument, item: Any, pointer: str) -> None:
    if not isinstance(item, Mapping):
        ld.fail("a resolutionOrder item must be an object", pointer)
        return
    ref = item.get("$ref")
    if isinstance(ref, str):
        kind, _, name = ref.removeprefix("#/").partition("/")
        body = ld.section(kind).get(name) if kind in ("sets", "modifiers") else None
        if not isinstance(body, Mapping):
            ld.fail(f"{ref} does not name a set or modifier of this document", pointer)
            return
        body = {**body, **{k: v for k, v in item.items() if k != "$ref"}}
        kind = kind[:-1]
        base_pointer = ref[1:]
    else:
        kind, inline_name, body, base_pointer = (
            str(item.get("type")),
            item.get("name"),
            item,
            pointer,
        )
        if kind not in ("set", "modifier") or not isinstance(inline_name, str):
            ld.fail("an inline item needs type 'set' or 'modifier' and a name", pointer)
            return
        name = inline_name
    if (kind, name) in doc.order:
        ld.fail(f"{kind} {name!r} appears twice in resolutionOrder", pointer)
        return
    if kind == "set":
        ld.expanding.add(f"#/sets/{name}")
        sources = ld.sources(body.get("sources"), base_pointer + "/sources")
        ld.expanding.clear()
        doc.sets[name] = TokenSet(name, sources, body.get("description"), body.get("$extensions"))
    else:
        _modifier(ld, doc, name, body, base_pointer)
    doc.order.append((kind, name))


def _modifier(
    ld: _Loader, doc: ResolverDocument, name: str, body: Mapping[str, Any], pointer: str
) -> None:
    contexts = body.get("contexts")
    if not isinstance(contexts, Mapping) or not contexts:
        ld.fail(f"modifier {name!r} has no contexts", pointer + "/contexts")
        return
    default = body.get("default")
    if default is not None and default not in contexts:
        ld.fail(f"default {default!r} is not a context of modifier {name!r}", pointer + "/default")
    layers = {
        ctx: ld.sources(srcs, pointer_join(pointer + "/contexts", ctx))
        for ctx, srcs in contexts.items()
    }
    doc.modifiers[name] = Modifier(
        name, layers, default, body.get("description"), body.get("$extensions")
    )


def load_token_file(path: str | Path, *, strict: bool = False) -> ResolverDocument:
    """Wrap one DTCG token file as a resolver document with a single set ``base``.

    Raises:
        DTCGErrorGroup: if the file cannot be read or has invalid names/nodes.
    """
    file = Path(path)
    try:
        data = load_json(file, strict=strict)
    except DTCGError as exc:
        raise E.DTCGErrorGroup([exc]) from None
    document, errs = parse_document(data, file=str(file), strict=strict)
    E.raise_if_any(errs)
    doc = ResolverDocument(file.stem, None, "2025.10")
    doc.sets["base"] = TokenSet("base", document)
    doc.order.append(("set", "base"))
    return doc

"""Sources of sets and contexts and reference objects (Resolver module 2025.10 §4.1.4, §4.2).

A source is inline tokens, or a reference object ``{"$ref": …}`` naming:

* a set of the same document (``#/sets/name``): its sources, in order (§4.1.5.1);
* any other place of the same document holding a token tree or a set-like
  object with ``sources`` (``#/$defs/colors``, §4.2, §7.2);
* a token file relative to the resolver document (``tokens/base.json``), or part
  of one (``tokens/all.json#/color``).

Keys next to ``$ref`` override the referenced object's keys shallowly: an object or
array given there replaces the referenced one whole (§4.2.2). Invalid pointers
(§4.2.1) are errors: a source naming a modifier, anything pointing into
``#/resolutionOrder``, a reference to itself or one of its parents, and loops.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from . import errors as E  # noqa: N812 - the engine's own alias
from .errors import DTCGError, pointer_join, pointer_parts
from .jsonio import read_json
from .nodes import Document, flatten
from .parse import parse_document

if TYPE_CHECKING:
    from pathlib import Path

_MISSING = object()


def walk(data: Any, parts: list[str]) -> Any:
    """The node at ``parts`` (decoded JSON Pointer segments) in ``data``, or ``_MISSING``."""
    cur = data
    for seg in parts:
        if isinstance(cur, Mapping) and seg in cur:
            cur = cur[seg]
        elif isinstance(cur, list) and seg.isdigit() and int(seg) < len(cur):
            cur = cur[int(seg)]
        else:
            return _MISSING
    return cur


def as_pointer(parts: list[str]) -> str:
    """Decoded segments back to a JSON Pointer (``["a/b", "c"]`` → ``"/a~1b/c"``)."""
    return "".join(pointer_join("", p) for p in parts)


class SourceLoader:
    """Reads the sources of one resolver document, collecting every problem."""

    def __init__(self, file: Path, data: Mapping[str, Any], strict: bool) -> None:
        self.file, self.data, self.strict = file, data, strict
        self.base = file.parent
        self.errors: list[DTCGError] = []
        self.raw: dict[Path, Any] = {}
        self.docs: dict[tuple[Path, str], Document] = {}
        self.expanding: list[str] = []  # pointers being expanded: none may include itself

    def section(self, name: str) -> Mapping[str, Any]:
        """The document's ``sets`` or ``modifiers`` object ({} when missing or malformed)."""
        body = self.data.get(name)
        return body if isinstance(body, Mapping) else {}

    def fail(self, message: str, pointer: str = "") -> None:
        """Record an ``INVALID_RESOLVER`` problem at ``pointer`` of the resolver document."""
        self.errors.append(DTCGError(E.INVALID_RESOLVER, message, str(self.file), pointer))

    def sources(self, items: Any, pointer: str) -> Document:
        """Flatten a list of sources in order (§4.1.4: later sources win)."""
        if not isinstance(items, list):
            self.fail("sources must be a list", pointer)
            return Document()
        docs = [self.source(item, pointer_join(pointer, i)) for i, item in enumerate(items)]
        return flatten(d for d in docs if d is not None)

    def source(self, item: Any, pointer: str) -> Document | None:  # noqa: PLR0911
        """One source: inline tokens or a reference object (with sibling overrides)."""
        if not isinstance(item, Mapping):
            self.fail("a source must be an object", pointer)
            return None
        if "$ref" not in item:
            return self.inline(item, pointer)
        ref = item["$ref"]
        siblings = {k: v for k, v in item.items() if k != "$ref"}
        if not isinstance(ref, str):
            self.fail(f"$ref must be a string, got {ref!r}", pointer)
            return None
        if not ref.startswith("#"):
            return self.file_source(ref, siblings, pointer)
        parts = pointer_parts(ref)
        if not self.valid_pointer(ref, parts, pointer, source=True):
            return None
        target = walk(self.data, parts)
        at = as_pointer(parts)
        if not isinstance(target, Mapping):
            what = "a set" if parts[:1] == ["sets"] else "a set or a token tree"
            self.fail(f"{ref} does not name {what}", pointer)
            return None
        self.expanding.append(at)
        try:
            if parts[:1] == ["sets"] or "sources" in target:
                merged = {**target, **siblings}
                where = pointer if "sources" in siblings else at
                return self.sources(merged.get("sources"), where + "/sources")
            return self.overridden(target, at, str(self.file), siblings, pointer)
        finally:
            self.expanding.pop()

    def valid_pointer(self, ref: str, parts: list[str], pointer: str, *, source: bool) -> bool:
        """Check a same-document pointer against §4.2.1; report and return False if invalid."""
        at = as_pointer(parts)
        if not parts:
            self.fail(f"{ref} names the whole document", pointer)
        elif parts[0] == "resolutionOrder":
            self.fail(f"{ref}: a reference must not point into resolutionOrder (§4.2.1)", pointer)
        elif source and parts[0] == "modifiers":
            self.fail(f"{ref}: only resolutionOrder may reference a modifier (§4.2.1)", pointer)
        elif at in self.expanding or pointer == at or pointer.startswith(at + "/"):
            self.fail(f"{ref} includes itself (a reference must not be circular, §4.2)", pointer)
        else:
            return True
        return False

    def inline(self, tokens: Mapping[str, Any], pointer: str) -> Document:
        """Inline tokens written at ``pointer`` of the resolver document."""
        doc, errs = parse_document(tokens, file=str(self.file), strict=self.strict, pointer=pointer)
        self.errors.extend(errs)
        return doc

    def overridden(
        self, data: Mapping[str, Any], at: str, file: str, siblings: Mapping[str, Any], here: str
    ) -> Document:
        """Token tree ``data`` (at ``file#at``) with top-level keys replaced by ``siblings``."""
        kept = {k: v for k, v in data.items() if k not in siblings}
        doc, errs = parse_document(kept, file=file, strict=self.strict, pointer=at)
        self.errors.extend(errs)
        if not siblings:
            return doc
        return flatten([doc, self.inline(siblings, here)])

    def file_source(self, ref: str, siblings: Mapping[str, Any], pointer: str) -> Document:
        """A token file (or part of one, ``file.json#/a``) relative to the resolver document."""
        name, _, fragment = ref.partition("#")
        path = (self.base / name).resolve()
        data = self.read(path, pointer)
        if data is _MISSING:
            return Document()
        parts = pointer_parts("#" + fragment) if fragment else []
        part = walk(data, parts)
        at = as_pointer(parts)
        if not isinstance(part, Mapping):
            self.fail(f"{ref} does not name a token tree in {path.name}", pointer)
            return Document()
        key = (path, at)
        if siblings:
            return self.overridden(part, at, str(path), siblings, pointer)
        if key not in self.docs:
            doc, errs = parse_document(part, file=str(path), strict=self.strict, pointer=at)
            self.errors.extend(errs)
            self.docs[key] = doc
        return self.docs[key]

    def read(self, path: Path, pointer: str) -> Any:
        """The decoded JSON of ``path``, read once (``_MISSING`` after an error)."""
        if path not in self.raw:
            try:
                data, problems = read_json(path, strict=self.strict)
            except DTCGError as exc:
                exc.message += f" (referenced at {self.file}#{pointer})"
                self.errors.append(exc)
                data, problems = _MISSING, []
            self.errors.extend(problems)
            self.raw[path] = data
        return self.raw[path]

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

Which files may be read (``FILE_NOT_FOUND`` otherwise, naming the resolver document
and the source's pointer): a file ``$ref`` is a URI reference (RFC 3986 §4.1), so its
path is percent-decoded as UTF-8 first (``Color%20Light.json`` names
``Color Light.json``, ``Th%C3%A8me.json`` names ``Thème.json``; a ``%`` escape that is
not valid UTF-8 is refused); then it is resolved against the document's
folder, ``..`` and symlinks included, and must stay inside that folder unless the
loader is given ``allow_outside_refs=True`` (``--allow-outside-refs``):
``../../etc/passwd``, ``/etc/passwd`` or a symlink out of the folder would let a
document uploaded to the server read the server's files. Remote URLs
(``https://…``, ``//host/…``, any ``scheme:``) are always refused: reading one would
make the server fetch whatever a document names. Only regular files are read
(:func:`~graphql_api.dtcg.jsonio.read_bytes`).

Limits (hostile input, ``INVALID_RESOLVER``, :mod:`graphql_api.dtcg.limits`): a
same-document ``$ref`` is expanded once and reused (30 sets that each list the set
before twice were 2**30 expansions: 22 of them took 69 s); ``$ref`` expansions nest
at most ``MAX_DEPTH`` deep (a chain of 3,000 sets raised ``RecursionError``); at
most ``MAX_SOURCE_TOKENS`` tokens are merged while flattening sources (a big file
listed by thousands of contexts), reported once.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from . import errors as E  # noqa: N812 - the engine's own alias
from . import limits
from .errors import DTCGError, brief, pointer_join, pointer_parts
from .jsonio import read_json
from .nodes import Document, flatten
from .parse import parse_document

if TYPE_CHECKING:
    from pathlib import Path

_MISSING = object()
_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:|//")  # RFC 3986: a scheme, or a network path


def file_ref_problem(
    name: str, base: Path, *, allow_outside_refs: bool = False
) -> tuple[Path | None, str | None]:
    """Where the file part ``name`` of a ``$ref`` written in folder ``base`` leads.

    ``name`` is the path of a URI reference: it is percent-decoded (UTF-8) before
    anything else is checked, so ``%2e%2e/`` is ``../`` and is refused like it.

    Returns:
        ``(resolved path, None)`` when it may be read, else ``(None, why not)``: a URL
        (always), a name that is not a file name (a NUL, a ``%`` escape that is not
        UTF-8), or a path outside ``base`` after resolving ``..`` and symlinks (unless
        ``allow_outside_refs``).
    """
    try:
        decoded = unquote(name, errors="strict")
    except UnicodeDecodeError:
        return None, f"$ref {brief(name)}: its %-escapes are not UTF-8 (RFC 3986 §2.1)"
    if _URL.match(name) or _URL.match(decoded):
        return None, f"$ref {brief(name)} is a URL: remote files are never read"
    if "\x00" in decoded:
        return None, f"$ref {brief(name)} is not a file name"
    try:
        root = base.resolve()
        path = (base / decoded).resolve()
    except (OSError, RuntimeError, ValueError) as exc:  # RuntimeError: a symlink loop
        return None, f"$ref {brief(name)} cannot be resolved: {exc}"
    if not allow_outside_refs and not path.is_relative_to(root):
        return None, (  # no resolved path in the text: uploads would show it to the client
            f"$ref {brief(name)} leads outside the folder of the resolver document (after "
            "resolving '..' and symlinks); such files are read only with "
            "--allow-outside-refs (allow_outside_refs=True)"
        )
    return path, None


def outside_file(file: Path, root: Path, *, allow_outside_refs: bool = False) -> DTCGError | None:
    """``FILE_NOT_FOUND`` for a file found in folder ``root`` (a symlink) that leads out of it.

    Folder importers read every file below the folder they are given; a symlink among
    them is a file reference like a ``$ref`` and follows the same rule.
    """
    if allow_outside_refs:
        return None
    try:
        inside = file.resolve().is_relative_to(root.resolve())
    except (OSError, RuntimeError, ValueError) as exc:
        return DTCGError(E.FILE_NOT_FOUND, f"cannot be resolved: {exc}", str(file))
    if inside:
        return None
    msg = (
        "a symlink that leads outside the folder being read; such files are read only "
        "with --allow-outside-refs (allow_outside_refs=True)"
    )
    return DTCGError(E.FILE_NOT_FOUND, msg, str(file))


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

    def __init__(
        self, file: Path, data: Mapping[str, Any], strict: bool, allow_outside_refs: bool = False
    ) -> None:
        self.file, self.data, self.strict = file, data, strict
        self.allow_outside_refs = allow_outside_refs
        self.base = file.parent
        self.errors: list[DTCGError] = []
        self.raw: dict[Path, Any] = {}
        self.docs: dict[tuple[Path, str], Document] = {}
        self.expanding: list[str] = []  # pointers being expanded: none may include itself
        self.expanded: dict[str, Document] = {}  # same-document $ref (no siblings) → layer
        self.merged = 0  # tokens merged by sources() (limits.MAX_SOURCE_TOKENS)
        self.too_many = False

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
        kept = [d for d in docs if d is not None]
        self.merged += sum(len(d.tokens) for d in kept)
        if self.merged > limits.MAX_SOURCE_TOKENS:
            if not self.too_many:
                self.too_many = True
                self.fail(
                    f"the sources merge more than {limits.MAX_SOURCE_TOKENS} tokens in all "
                    "(a file or set listed over and over?); the rest are left out",
                    pointer,
                )
            return Document()
        return flatten(kept)

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
            self.fail(f"$ref must be a string, got {brief(ref)}", pointer)
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
            self.fail(f"{brief(ref)} does not name {what}", pointer)
            return None
        if not siblings and at in self.expanded:
            return self.expanded[at]
        self.expanding.append(at)
        try:
            if parts[:1] == ["sets"] or "sources" in target:
                merged = {**target, **siblings}
                where = pointer if "sources" in siblings else at
                doc = self.sources(merged.get("sources"), where + "/sources")
            else:
                doc = self.overridden(target, at, str(self.file), siblings, pointer)
        finally:
            self.expanding.pop()
        if not siblings:
            self.expanded[at] = doc
        return doc

    def valid_pointer(self, ref: str, parts: list[str], pointer: str, *, source: bool) -> bool:
        """Check a same-document pointer against §4.2.1; report and return False if invalid."""
        at = as_pointer(parts)
        ref = brief(ref)
        if not parts:
            self.fail(f"{ref} names the whole document", pointer)
        elif parts[0] == "resolutionOrder":
            self.fail(f"{ref}: a reference must not point into resolutionOrder (§4.2.1)", pointer)
        elif source and parts[0] == "modifiers":
            self.fail(f"{ref}: only resolutionOrder may reference a modifier (§4.2.1)", pointer)
        elif at in self.expanding or pointer == at or pointer.startswith(at + "/"):
            self.fail(f"{ref} includes itself (a reference must not be circular, §4.2)", pointer)
        elif len(self.expanding) >= limits.MAX_DEPTH:
            self.fail(f"{ref}: $ref expansions nest deeper than {limits.MAX_DEPTH} levels", pointer)
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
        path, problem = file_ref_problem(
            name, self.base, allow_outside_refs=self.allow_outside_refs
        )
        if path is None:
            self.errors.append(DTCGError(E.FILE_NOT_FOUND, problem or "", str(self.file), pointer))
            return Document()
        data = self.read(path, pointer)
        if data is _MISSING:
            return Document()
        parts = pointer_parts("#" + fragment) if fragment else []
        part = walk(data, parts)
        at = as_pointer(parts)
        if not isinstance(part, Mapping):
            self.fail(f"{brief(ref)} does not name a token tree in {path.name}", pointer)
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

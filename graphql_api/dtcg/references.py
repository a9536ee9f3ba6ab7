"""References and resolution (DTCG Format module §7 aliases/references, §5.2.2 type).

Stage "resolve": a flattened :class:`~graphql_api.dtcg.parse.Document` becomes a
mapping of :class:`ResolvedToken`. References are found anywhere inside a value
(``"{a.b}"`` strings, in objects and arrays, and ``{"$ref": "#/a/b/$value…"}``
JSON Pointers), chained to any depth, and replaced by the target's resolved
value. A reference inside a longer string is interpolated with the target's
CSS text: ``"(min-width: {breakpoint.medium})"`` → ``"(min-width: 768px)"``.

A token's type is its own ``$type``, else (for a whole-value alias) the
referenced token's type, else the nearest group's ``$type`` (§5.2.2).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from . import errors as E
from .errors import DTCGError, pointer_join
from .parse import Document, TokenNode, ancestors
from .types import css_text

REFERENCE = re.compile(r"\{([^{}]+)\}")


@dataclass(frozen=True, slots=True)
class Reference:
    """One reference edge inside a token's value.

    Attributes:
        pointer: JSON Pointer inside the value ('' = the whole value is the reference).
        target: dotted path of the referenced token.
        into: JSON Pointer inside the target's value ('' = the whole value).
        interpolated: True when the reference is part of a longer string.
    """

    pointer: str
    target: str
    into: str = ""
    interpolated: bool = False


@dataclass(frozen=True, slots=True)
class ResolvedToken:
    """A token of one theme selection with every reference replaced.

    Attributes:
        node: the token as written (raw value, own type, metadata, source file).
        type: the effective type (own, else the alias target's, else the group's), or None.
        value: the resolved value, in the form the source wrote it.
        deprecated: own ``$deprecated``, else the nearest group's (False/None = not deprecated).
        references: every reference in the raw value.
        alias_of: the target path when the whole value is one reference, else None.
    """

    node: TokenNode
    type: str | None
    value: Any
    deprecated: bool | str | None
    references: tuple[Reference, ...]
    alias_of: str | None

    @property
    def path(self) -> str:
        """Dotted path."""
        return self.node.path


def find_references(value: Any, pointer: str = "") -> Iterator[Reference]:
    """Yield every reference inside ``value`` (strings, objects, arrays, ``$ref``)."""
    if isinstance(value, str):
        if "{" not in value:
            return
        whole = REFERENCE.fullmatch(value)
        if whole:
            yield Reference(pointer, whole.group(1).strip())
            return
        for m in REFERENCE.finditer(value):
            yield Reference(pointer, m.group(1).strip(), interpolated=True)
    elif isinstance(value, Mapping):
        ref = value.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/"):
            target, into = split_json_pointer(ref)
            yield Reference(pointer, target, into)
            return
        for k, v in value.items():
            yield from find_references(v, pointer_join(pointer, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from find_references(v, pointer_join(pointer, i))


def split_json_pointer(ref: str) -> tuple[str, str]:
    """Split ``"#/color/blue/$value/components/0"`` into (``"color.blue"``, ``"/components/0"``).

    A pointer without ``$value`` names the token itself.
    """
    parts = [p.replace("~1", "/").replace("~0", "~") for p in ref[2:].split("/")]
    if "$value" in parts:
        i = parts.index("$value")
        return ".".join(parts[:i]), "".join("/" + p for p in parts[i + 1 :])
    return ".".join(parts), ""


def _get_pointer(value: Any, into: str) -> Any:
    cur = value
    for raw in into.split("/")[1:]:
        seg = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(cur, list) and seg.isdigit() and int(seg) < len(cur):
            cur = cur[int(seg)]
        elif isinstance(cur, Mapping) and seg in cur:
            cur = cur[seg]
        else:
            raise KeyError(into)
    return cur


class _Resolver:
    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.refs = {p: tuple(find_references(t.value)) for p, t in doc.tokens.items()}
        self.groups = {a for p in doc.tokens for a in ancestors(p)}
        self.done: dict[str, ResolvedToken] = {}
        self.failed: set[str] = set()
        self.errors: list[DTCGError] = []

    def run(self) -> None:
        for path in self.doc.tokens:
            if path not in self.done and path not in self.failed:
                self._visit(path)

    def _error(self, code: str, node: TokenNode, message: str) -> None:
        self.errors.append(DTCGError(code, message, node.file, node.pointer, node.path))

    def _visit(self, start: str) -> None:
        # Iterative depth-first walk: chains of any length, no recursion limit.
        stack: list[tuple[str, int]] = [(start, 0)]
        on_stack = {start}
        while stack:
            path, i = stack[-1]
            refs = self.refs[path]
            if i < len(refs):
                stack[-1] = (path, i + 1)
                target = refs[i].target
                if target in self.done or target in self.failed:
                    continue
                if target in on_stack:
                    self._cycle([p for p, _ in stack], target)
                    continue
                if target in self.doc.tokens:
                    stack.append((target, 0))
                    on_stack.add(target)
                continue
            stack.pop()
            on_stack.discard(path)
            if path not in self.failed:
                self._finish(path)

    def _cycle(self, stack_paths: list[str], target: str) -> None:
        loop = stack_paths[stack_paths.index(target) :]
        text = " → ".join([*loop, target])
        for p in loop:
            if p not in self.failed:
                self.failed.add(p)
                self._error(E.CIRCULAR_REFERENCE, self.doc.tokens[p], f"circular reference: {text}")

    def _finish(self, path: str) -> None:
        node = self.doc.tokens[path]
        refs = self.refs[path]
        for ref in refs:
            if ref.target in self.failed:
                self.failed.add(path)  # the upstream error is already reported
                return
            if ref.target not in self.doc.tokens:
                code = E.GROUP_REFERENCE if ref.target in self.groups else E.UNRESOLVABLE_REFERENCE
                what = "a group, not a token" if code == E.GROUP_REFERENCE else "not defined"
                self._error(code, node, f"reference {{{ref.target}}} is {what}")
                self.failed.add(path)
                return
        try:
            value = self._substitute(node.value, "", {r.pointer: r for r in refs})
        except KeyError as exc:
            self._error(E.UNRESOLVABLE_REFERENCE, node, f"JSON Pointer {exc} is not in the target")
            self.failed.add(path)
            return
        alias_of = refs[0].target if refs and refs[0].pointer == "" and not refs[0].into else None
        if not refs or refs[0].interpolated:
            alias_of = None
        type_ = node.type
        if type_ is None and alias_of is not None:
            type_ = self.done[alias_of].type
        if type_ is None:
            type_ = self._group_type(path)
        self.done[path] = ResolvedToken(node, type_, value, self._deprecated(node), refs, alias_of)

    def _substitute(self, value: Any, pointer: str, refs: dict[str, Reference]) -> Any:
        if not refs:
            return value
        ref = refs.get(pointer)
        if ref is not None and not ref.interpolated:
            target = self.done[ref.target].value
            return _get_pointer(target, ref.into) if ref.into else target
        if isinstance(value, str):
            return REFERENCE.sub(lambda m: self._css(m.group(1).strip()), value)
        if isinstance(value, Mapping):
            return {
                k: self._substitute(v, pointer_join(pointer, k), refs) for k, v in value.items()
            }
        if isinstance(value, list):
            return [
                self._substitute(v, pointer_join(pointer, i), refs) for i, v in enumerate(value)
            ]
        return value

    def _css(self, target: str) -> str:
        t = self.done[target]
        return css_text(t.type, t.value)

    def _group_type(self, path: str) -> str | None:
        for g in ancestors(path):
            group = self.doc.groups.get(g)
            if group is not None and group.type is not None:
                return group.type
        return None

    def _deprecated(self, node: TokenNode) -> bool | str | None:
        if node.deprecated is not None:
            return node.deprecated
        for g in ancestors(node.path):
            group = self.doc.groups.get(g)
            if group is not None and group.deprecated is not None:
                return group.deprecated
        return None


def resolve(doc: Document) -> tuple[dict[str, ResolvedToken], list[DTCGError]]:
    """Resolve every token of a flattened document.

    Returns:
        ``({path: ResolvedToken}, errors)``; tokens with an error (or depending on
        one) are left out of the mapping. Error codes: ``CIRCULAR_REFERENCE``
        (every token in the loop), ``UNRESOLVABLE_REFERENCE``, ``GROUP_REFERENCE``.
    """
    r = _Resolver(doc)
    r.run()
    ordered = {p: r.done[p] for p in doc.tokens if p in r.done}
    return ordered, r.errors

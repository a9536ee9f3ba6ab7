"""References and resolution (DTCG Format module 2025.10 §7 aliases/references, §5.2.2 type).

Stage "resolve": a flattened :class:`~graphql_api.dtcg.parse.Document` becomes a
mapping of :class:`ResolvedToken`. Group ``$extends`` is applied first
(:func:`~graphql_api.dtcg.extends.apply_extends`, §6.4). References are found
anywhere inside a value (``"{a.b}"`` strings, in objects and arrays, and
``{"$ref": "#/a/b/$value…"}`` JSON Pointers, see :mod:`graphql_api.dtcg.refsyntax`),
chained to any depth (§7.2.2), and replaced by the target's resolved value; a
JSON Pointer may read part of the target's value (``/components/0``, §7.3) or a
token property (``#/a/b/$type``, §7.4.2). A reference inside a longer string is
interpolated with the target's CSS text (tolerated, not 2025.10):
``"(min-width: {breakpoint.medium})"`` → ``"(min-width: 768px)"``.

A token's type is its own ``$type``, else (for a whole-value alias) the
referenced token's type, else the nearest group's ``$type`` (§5.2.2).
``$deprecated`` is the token's own, else the nearest group's that sets it
(``false`` on a token or a nearer group stops the inheritance, §6.3.1).

Reference bombs (hostile input): a reference shares its target's value, so
resolving is linear, but what a resolved value *means* can be exponentially larger
than the file: 30 levels of tokens that each reference the previous level twice
(``["{l29}", "{l29}"]``) are 2**30 leaves once written out (API, export), and
interpolated strings (``"{l29} {l29}"``) really are built, doubling at every level
(a 60-token file took 6 GB and 17 s before this check). Each token's resolved size
(JSON nodes plus string characters) and depth are computed from its targets' before
its value is built, and a token is ``INVALID_VALUE`` when resolving it would pass
``limits.MAX_RESOLVED_SIZE`` for the whole theme, nest deeper than
``limits.MAX_DEPTH`` (a chain of one-item lists 100,000 long), or interpolate a
string longer than ``limits.MAX_INTERPOLATED_LENGTH``; the tokens that use it are
left out silently, as for any upstream error. Circular references are reported with
at most ``limits.LOOP_SEARCHES`` shortest-loop searches per cycle (a dense cycle of
8,000 tokens took 23 s, quadratic), and group paths are collected in linear time.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from . import errors as E  # noqa: N812 - the engine's own alias
from . import limits, studio_forms
from .errors import DTCGError, pointer_join, pointer_parts
from .extends import apply_extends
from .graph import loop_text, loop_through, strongly_connected
from .nodes import Document, TokenNode, group_paths
from .refsyntax import (
    REFERENCE,
    Reference,
    find_references,
    parse_pointer,
    reference_problem,
    split_json_pointer,
    syntax_problems,
)
from .types import css_text

__all__ = [
    "REFERENCE",
    "Reference",
    "ResolvedToken",
    "find_references",
    "parse_pointer",
    "resolve",
    "split_json_pointer",
]


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


def _index(seg: str, size: int) -> int | None:
    """An RFC 6901 array index (``0`` or no leading zero), or None."""
    if seg.isdigit() and (seg == "0" or not seg.startswith("0")) and int(seg) < size:
        return int(seg)
    return None


def _get_pointer(value: Any, into: str) -> Any:
    cur = value
    for seg in pointer_parts(into):
        if isinstance(cur, list) and (i := _index(seg, len(cur))) is not None:
            cur = cur[i]
        elif isinstance(cur, Mapping) and seg in cur:
            cur = cur[seg]
        else:
            raise KeyError(into)
    return cur


_FAILED = object()  # what _Resolver._value returns for a token whose error is reported


class _Resolver:
    def __init__(self, doc: Document, strict: bool = False) -> None:
        self.doc = doc
        self.strict = strict
        self.refs: dict[str, tuple[Reference, ...]] = {}
        # what a token waits for: its references, and (lenient) those of its colour modifier
        self.mod_refs: dict[str, tuple[Reference, ...]] = {}
        for p, t in doc.tokens.items():
            self.refs[p], mods = self._references(t)
            if mods:
                self.mod_refs[p] = mods
        self.deps = {
            p: (*refs, *self.mod_refs[p]) if p in self.mod_refs else refs
            for p, refs in self.refs.items()
        }
        self.done: dict[str, ResolvedToken] = {}
        self.failed: set[str] = set()
        self.errors: list[DTCGError] = []
        self._memo: dict[tuple[str, str], Any] = {}
        # resolved size (JSON nodes + string characters) and depth of every done token
        self._size: dict[str, tuple[int, int]] = {}
        self._budget = limits.MAX_RESOLVED_SIZE  # what the theme's values may still add
        self._css_text: dict[str, str] = {}

    @cached_property
    def groups(self) -> set[str]:
        """Every group path of the document (read only to word a reference to a group)."""
        return group_paths(self.doc.tokens)

    def _references(self, node: TokenNode) -> tuple[tuple[Reference, ...], tuple[Reference, ...]]:
        """The references of ``node``'s value, and (lenient) of its colour modifier."""
        refs = tuple(find_references(node.value))
        if self.strict or not node.extensions:
            return refs, ()
        return refs, studio_forms.modifier_references(node.extensions)

    def run(self) -> None:
        self._cycles()
        for path in self.doc.tokens:
            if path not in self.done and path not in self.failed:
                self._visit(path)

    def _error(self, code: str, node: TokenNode, message: str) -> None:
        if node.extended_from is not None:
            message += f" (in the copy of {node.extended_from} made by $extends)"
        self.errors.append(DTCGError(code, message, node.file, node.pointer, node.path))

    def _visit(self, start: str) -> None:
        # Iterative depth-first walk: chains of any length, no recursion limit.
        stack: list[tuple[str, int]] = [(start, 0)]
        on_stack = {start}
        while stack:
            path, i = stack[-1]
            refs = self.deps[path]
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
        # Unreachable once _cycles() has run; kept as a guard.
        loop = stack_paths[stack_paths.index(target) :]
        self._report_loop(loop, " → ".join([*loop, target]))

    def _report_loop(self, loop: list[str], text: str) -> None:
        message = f"circular reference: {text}"  # one string shared by the loop's errors
        for p in loop:
            if p not in self.failed:
                self.failed.add(p)
                self._error(E.CIRCULAR_REFERENCE, self.doc.tokens[p], message)

    def _cycles(self) -> None:
        """Report every token on a reference cycle (§7.2.3), via strongly connected components."""
        succ = {
            p: list(dict.fromkeys(r.target for r in refs if r.target in self.doc.tokens))
            for p, refs in self.refs.items()
        }
        order = {p: i for i, p in enumerate(self.doc.tokens)}
        for comp in strongly_connected(succ):
            if len(comp) == 1 and comp[0] not in succ[comp[0]]:
                continue
            members = set(comp)
            searches = 0
            for p in sorted(comp, key=order.__getitem__):
                if p in self.failed:
                    continue
                if searches < limits.LOOP_SEARCHES:
                    searches += 1
                    loop = loop_through(p, succ, members)
                    self._report_loop(loop[:-1], loop_text(loop))
                else:  # a dense cycle: one search per token would be quadratic
                    text = f"{p} is in a cycle of {len(comp)} tokens that reference one another"
                    self._report_loop([p], text)

    def _finish(self, path: str) -> None:
        node = self.doc.tokens[path]
        refs = self.refs[path]
        bad = next(
            (m for _, m, strict_only in syntax_problems(node.value) if not strict_only), None
        )
        if bad is not None:
            self._error(E.INVALID_REFERENCE, node, bad)
            self.failed.add(path)
            return
        for ref in self.deps[path]:
            problem = reference_problem(ref.target)
            if problem:
                self._error(E.INVALID_REFERENCE, node, problem)
                self.failed.add(path)
                return
            if ref.target in self.failed:
                self.failed.add(path)  # the upstream error is already reported
                return
            if ref.target not in self.doc.tokens:
                code = E.GROUP_REFERENCE if ref.target in self.groups else E.UNRESOLVABLE_REFERENCE
                what = "a group, not a token" if code == E.GROUP_REFERENCE else "not defined"
                self._error(code, node, f"reference {{{ref.target}}} is {what}")
                self.failed.add(path)
                return
        problem = self._too_large(path, node, refs)
        if problem:
            self._error(E.INVALID_VALUE, node, problem)
            self.failed.add(path)
            return
        first = refs[0] if refs else None
        alias_of = None
        if first and first.pointer == "" and not first.into and not first.interpolated:
            alias_of = first.target if first.prop == "$value" else None
        type_ = node.type
        if type_ is None and alias_of is not None:
            type_ = self.done[alias_of].type
        if type_ is None:
            type_ = self._group_type(path)
        value = self._value(path, node, type_, alias_of)
        if value is _FAILED:
            return
        self.done[path] = ResolvedToken(node, type_, value, self._deprecated(node), refs, alias_of)

    def _value(self, path: str, node: TokenNode, type_: str | None, alias_of: str | None) -> Any:
        """The resolved value, or ``_FAILED`` once the error is reported."""
        try:
            value = self._substitute(node.value, "", {r.pointer: r for r in self.refs[path]})
            if not self.strict:
                value = self._studio_forms(path, node, type_, value, alias_of)
        except KeyError as exc:  # a JSON Pointer into a target
            self._error(E.UNRESOLVABLE_REFERENCE, node, f"JSON Pointer {exc} is not in the target")
        except ValueError as exc:  # a calculation or colour modifier that fails
            self._error(E.INVALID_VALUE, node, str(exc))
        else:
            return value
        self.failed.add(path)
        return _FAILED

    def _studio_forms(
        self, path: str, node: TokenNode, type_: str | None, value: Any, alias_of: str | None
    ) -> Any:
        """Lenient mode: Tokens Studio math, number-of-dimension, colour modifiers."""
        if alias_of is not None:
            if type_ == "number" and self.done[alias_of].type == "dimension":
                value = studio_forms.number_of_dimension(value)
        else:
            value = studio_forms.evaluate_math(node.value, value, type_)
        value = studio_forms.numbers_as_px(node.value, value, type_)
        if type_ == "color" and studio_forms.modifier(node.extensions) is not None:
            refs = {r.pointer: r for r in self.mod_refs.get(path, ())}
            value = studio_forms.apply_modifier(
                value, node.extensions, lambda mod: self._substitute(mod, "", refs)
            )
        return value

    def _substitute(self, value: Any, pointer: str, refs: dict[str, Reference]) -> Any:
        if not refs:
            return value
        ref = refs.get(pointer)
        if ref is not None and not ref.interpolated:
            return self._read(ref)
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

    def _read(self, ref: Reference) -> Any:
        """What a reference reads: the target's resolved value, part of it, or a property."""
        t = self.done[ref.target]
        if ref.prop == "$value":
            source: Any = t.value
        else:
            props = {
                "$type": t.type,
                "$description": t.node.description,
                "$deprecated": t.deprecated,
                "$extensions": t.node.extensions,
            }
            source = props[ref.prop]
            if source is None:
                raise KeyError(f"/{ref.prop} (not set)")
        return _get_pointer(source, ref.into) if ref.into else source

    def _css(self, target: str) -> str:
        text = self._css_text.get(target)
        if text is None:
            t = self.done[target]
            text = self._css_text[target] = css_text(t.type, t.value)
        return text

    def _too_large(self, path: str, node: TokenNode, refs: tuple[Reference, ...]) -> str | None:
        """Why resolving ``path`` would pass a limit (see the module docstring), or None.

        Computed from the raw value and the targets' sizes, before anything is built;
        records the token's size and depth and takes its size from the theme's budget.
        """
        whole = bool(refs) and refs[0].pointer == "" and not refs[0].interpolated
        size, depth = (0, 0) if whole else _measure(node.value)  # an alias is its target
        if not refs:
            if size > self._budget:
                return self._over_budget()
            self._budget -= size
            self._size[path] = (size, depth)
            return None
        for ref in refs:
            if ref.interpolated:
                continue
            if ref.prop == "$value":
                t_size, t_depth = self._size[ref.target]
            else:
                t_size, t_depth = _measure(getattr(self.done[ref.target].node, ref.prop[1:], None))
            size += t_size
            depth = max(depth, ref.pointer.count("/") + t_depth)
        for text in _interpolated(node.value, refs):
            length = len(text)
            for m in REFERENCE.finditer(text):
                target = m.group(1).strip()
                if self._size[target][0] > 2 * limits.MAX_INTERPOLATED_LENGTH:
                    length = -1  # too long to even write out as CSS text
                    break
                length += len(self._css(target)) - len(m.group(0))
            if length < 0 or length > max(limits.MAX_INTERPOLATED_LENGTH, len(text)):
                return (
                    "interpolating the references of a string would make it longer than "
                    f"{limits.MAX_INTERPOLATED_LENGTH} characters (a reference bomb?)"
                )
            size += length
        if depth > limits.MAX_DEPTH:
            return f"the resolved value would be nested deeper than {limits.MAX_DEPTH} levels"
        if size > self._budget:
            return self._over_budget()
        self._budget -= size
        self._size[path] = (size, depth)
        return None

    @staticmethod
    def _over_budget() -> str:
        return (
            f"the resolved values of this theme would pass {limits.MAX_RESOLVED_SIZE} "
            "JSON nodes and characters: references repeat large values (a reference bomb?)"
        )

    def _group_type(self, path: str) -> str | None:
        type_: str | None = self._inherited(path.rpartition(".")[0], "type")
        return type_

    def _deprecated(self, node: TokenNode) -> bool | str | None:
        if node.deprecated is not None:
            return node.deprecated
        deprecated: bool | str | None = self._inherited(node.path.rpartition(".")[0], "deprecated")
        return deprecated

    def _inherited(self, group_path: str, attr: str) -> Any:
        """``attr`` of the nearest group at or above ``group_path`` that sets it (memoised)."""
        key = (group_path, attr)
        if key in self._memo:
            return self._memo[key]
        group = self.doc.groups.get(group_path)
        value = getattr(group, attr) if group is not None else None
        if value is None and group_path:
            value = self._inherited(group_path.rpartition(".")[0], attr)
        self._memo[key] = value
        return value


def _measure(value: Any) -> tuple[int, int]:
    """``(size, depth)`` of raw JSON: nodes plus characters of strings and keys; levels."""
    if isinstance(value, str):  # most values: no walk
        return 1 + len(value), 0
    if not isinstance(value, (Mapping, list)):
        return 1, 0
    size = deepest = 0
    stack = [(value, 0)]
    while stack:
        node, depth = stack.pop()
        size += 1
        if isinstance(node, str):
            size += len(node)
        elif isinstance(node, Mapping):
            size += sum(len(k) for k in node)
            stack.extend((v, depth + 1) for v in node.values())
            deepest = max(deepest, depth + 1)
        elif isinstance(node, list):
            stack.extend((v, depth + 1) for v in node)
            deepest = max(deepest, depth + 1)
    return size, deepest


def _interpolated(value: Any, refs: tuple[Reference, ...]) -> list[str]:
    """The strings of ``value`` that interpolate references (their refs are ``interpolated``)."""
    out = []
    for pointer in dict.fromkeys(r.pointer for r in refs if r.interpolated):
        part = value
        for seg in pointer_parts(pointer):
            part = part[int(seg)] if isinstance(part, list) else part[seg]
        out.append(part)
    return out


def resolve(
    doc: Document, *, strict: bool = False
) -> tuple[dict[str, ResolvedToken], list[DTCGError]]:
    """Apply ``$extends``, then resolve every token of a flattened document.

    Args:
        doc: every layer of one theme selection flattened (Resolver module §6.2);
            it is not modified.
        strict: DTCG only. Otherwise (lenient, the default) the Tokens Studio forms of
            :mod:`graphql_api.dtcg.studio_forms` are computed: math, colour modifiers, a
            ``number`` aliasing a ``dimension``; a calculation or modifier that fails is
            ``INVALID_VALUE``.

    Returns:
        ``({path: ResolvedToken}, errors)`` in document order; tokens with an error
        (or depending on one) are left out of the mapping, and each error is
        reported once, where it is. Error codes: ``CIRCULAR_REFERENCE`` (every
        token in the loop), ``UNRESOLVABLE_REFERENCE``, ``GROUP_REFERENCE``,
        ``INVALID_REFERENCE``, and from ``$extends`` ``INVALID_EXTENDS``,
        ``CIRCULAR_EXTENDS``.
    """
    doc, errors = apply_extends(doc)
    r = _Resolver(doc, strict)
    r.run()
    ordered = {p: r.done[p] for p in doc.tokens if p in r.done}
    return ordered, [*errors, *r.errors]

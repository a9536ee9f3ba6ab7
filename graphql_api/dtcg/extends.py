"""Group extension (``$extends``, Format module 2025.10 §6.4) on a flattened document.

A group with ``"$extends": "{button}"`` (or ``"#/button"``, ``{"$ref": "#/button"}``,
or a group-level ``"$ref"`` with siblings) starts from a copy of every token and
group property of the target group and then applies its own content on top
(§6.4.2-§6.4.3): a local token at the same path replaces the inherited one whole,
local group properties win key by key, and everything else is merged in.

It runs on the *flattened* document (after every file of every layer has been
merged, before references are resolved; :func:`~graphql_api.dtcg.references.resolve`
calls it), so a target may sit in another file or layer and an override in a later
layer is seen by every group that extends it.

Decisions where the spec leaves room:

* References inside inherited tokens are copied as written: ``{button.bg}``
  still names ``button.bg`` (JSON Schema ``$ref`` copies, it does not rebase).
* A group inherits the target's own group properties (``$type``, ``$description``,
  ``$deprecated``, ``$extensions``; §6.7.3 "resolved group's $type"); a type the
  target only inherits from *its* ancestors is written onto each copied token
  that has none (unless the token is an alias), so copies keep their type.
* A group extending its own ancestor (``button.secondary`` → ``button``) includes
  itself: ``CIRCULAR_EXTENDS``, as in §6.4.4's example. Extending a descendant
  is allowed. Groups in a loop keep their local content only.
* A copied token keeps its source ``file``/``pointer`` and records
  ``extended_from``, so errors about it point to where it is written.

Limits (hostile input; ``INVALID_EXTENDS`` on the extending group, see
:mod:`graphql_api.dtcg.limits`): expanding a group expands its target and the
extending groups nested in it first, recursively, so a chain of more than
``MAX_EXTENDS_DEPTH`` groups is refused (a chain of 2,000 groups raised
``RecursionError``); ``$extends`` copies tokens, so groups ``a`` and ``b`` that both
extend the level below double the tokens at every level, and copying more than
``MAX_EXTENDED_TOKENS`` tokens and groups in one document is refused, once, and then no
``$extends`` of the document is applied (18 such levels took 71 s and 860 MB).
Subtrees are found by bisecting sorted paths, and overridden or owned tokens with
one pass over ancestors, so the work is proportional to the tokens copied, not to
extenders times tokens.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field, replace

from . import errors as E  # noqa: N812 - the engine's own alias
from . import limits
from .errors import DTCGError, pointer_parts
from .nodes import (
    Document,
    GroupNode,
    TokenNode,
    ancestors,
    group_paths,
    iter_ancestors,
    merge_group,
)
from .refsyntax import REFERENCE, reference_problem


@dataclass(slots=True)
class _Tree:
    """Tokens and groups of one group's subtree, keyed by absolute path."""

    tokens: dict[str, TokenNode] = field(default_factory=dict)
    groups: dict[str, GroupNode] = field(default_factory=dict)


def _under(path: str, prefix: str) -> bool:
    return not prefix or path.startswith(prefix + ".")


def _rebase(path: str, old: str, new: str) -> str:
    rel = path if not old else path[len(old) + 1 :] if path != old else ""
    return ".".join(p for p in (new, rel) if p)


def _below(sorted_paths: list[str], prefix: str) -> list[str]:
    """The paths of ``sorted_paths`` under ``prefix`` (all of them for the root ``""``).

    Every string starting with ``prefix + "."`` sorts between ``prefix + "."`` and
    ``prefix + "/"`` (``/`` is the character after ``.``).
    """
    if not prefix:
        return sorted_paths
    lo = bisect_left(sorted_paths, prefix + ".")
    return sorted_paths[lo : bisect_left(sorted_paths, prefix + "/", lo)]


def _owner(
    path: str, owners: set[str], stop: str | None = None, *, itself: bool = True
) -> str | None:
    """The nearest of ``path`` (unless not ``itself``) and its ancestors in ``owners``.

    The walk up stops before ``stop``.
    """
    if itself and path in owners:
        return path
    for a in iter_ancestors(path):
        if a == stop:
            return None
        if a in owners:
            return a
    return None


def target_path(ref: str) -> str:
    """The dotted group path an ``$extends`` value names (``"{a.b}"``, ``"#/a/b"`` → ``a.b``)."""
    if ref.startswith("{") and ref.endswith("}"):
        return ref[1:-1].strip()
    return ".".join(pointer_parts(ref))


class _Extender:
    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.extenders = {p for p, g in doc.groups.items() if g.extends is not None}
        self.group_paths = group_paths(doc.tokens) | set(doc.groups)
        self.memo: dict[str, _Tree] = {}
        self.stack: list[str] = []
        self.errors: list[DTCGError] = []
        self.failed: set[str] = set()
        self.copied = 0  # tokens and groups copied so far (limits.MAX_EXTENDED_TOKENS)
        self.too_many = False  # the copies passed the limit
        self.token_order = {p: i for i, p in enumerate(doc.tokens)}
        self.group_order = {p: i for i, p in enumerate(doc.groups)}
        self.sorted_tokens = sorted(doc.tokens)
        self.sorted_groups = sorted(doc.groups)
        self.sorted_extenders = sorted(self.extenders)

    def error(self, code: str, group: GroupNode, message: str) -> None:
        self.errors.append(DTCGError(code, message, group.file, group.pointer, group.path))

    def written(self, g: str) -> _Tree:
        """The subtree of ``g`` as written (document order)."""
        tokens = sorted(_below(self.sorted_tokens, g), key=self.token_order.__getitem__)
        groups = _below(self.sorted_groups, g)
        if g and g in self.doc.groups:
            groups = [g, *groups]
        groups.sort(key=self.group_order.__getitem__)
        return _Tree(
            {p: self.doc.tokens[p] for p in tokens}, {p: self.doc.groups[p] for p in groups}
        )

    def local(self, g: str) -> _Tree:
        """The subtree of ``g`` as written, with nested extending groups expanded."""
        tree = self.written(g)
        nested = [
            c
            for c in _below(self.sorted_extenders, g)
            if c != g
            and not any(a in self.extenders and a != g and _under(a, g) for a in ancestors(c))
        ]
        if not nested:
            return tree
        inner = {c: self.expanded(c) for c in nested}
        owners = set(nested)
        tree.tokens = {
            p: t for p, t in tree.tokens.items() if _owner(p, owners, g, itself=False) is None
        }
        tree.groups = {p: n for p, n in tree.groups.items() if _owner(p, owners, g) is None}
        for c in nested:
            tree.tokens.update(inner[c].tokens)
            tree.groups.update(inner[c].groups)
        return tree

    def expanded(self, g: str) -> _Tree:
        """The final subtree of group ``g``: its local content over its target's."""
        if g in self.memo:
            return self.memo[g]
        if g in self.stack:
            self.cycle(g)
            return self.local(g)
        if len(self.stack) >= limits.MAX_EXTENDS_DEPTH:
            owner = next(p for p in reversed(self.stack) if p in self.extenders)
            if owner not in self.failed:
                self.failed.add(owner)
                msg = (
                    f"$extends chains more than {limits.MAX_EXTENDS_DEPTH} groups "
                    f"(… → {' → '.join(self.stack[-3:])} → {g})"
                )
                self.error(E.INVALID_EXTENDS, self.doc.groups[owner], msg)
            return self.written(g)
        self.stack.append(g)
        tree = self.local(g)
        group = self.doc.groups.get(g)
        if group is not None and group.extends is not None and g not in self.failed:
            base = self.target(group)
            if base is not None and g not in self.failed:
                tree = self.merge(group, base, tree)
        self.stack.pop()
        self.memo[g] = tree
        return tree

    def cycle(self, g: str) -> None:
        chain = self.stack[self.stack.index(g) :]
        loop = [p for p in chain if p in self.extenders]
        names = " → ".join([*chain, g])
        for p in loop:
            if p not in self.failed:
                self.failed.add(p)
                self.error(E.CIRCULAR_EXTENDS, self.doc.groups[p], f"circular $extends: {names}")

    def target(self, group: GroupNode) -> tuple[str, _Tree] | None:
        ref = group.extends or ""
        t = target_path(ref)
        problem = reference_problem(t)
        if problem:
            self.error(E.INVALID_EXTENDS, group, f"$extends {ref!r}: {problem}")
            return None
        if t in self.doc.tokens:
            msg = f"$extends {ref!r} names a token; it must name a group (§6.4)"
            self.error(E.INVALID_EXTENDS, group, msg)
            return None
        outer = next((a for a in [*reversed(ancestors(t)), t] if a in self.extenders), None)
        if outer is None or (outer != t and outer in self.stack):
            outer = t  # inside a group being expanded: the target as written (and extended)
        whole = self.expanded(outer)
        tree = _Tree(
            {p: n for p, n in whole.tokens.items() if _under(p, t)},
            {p: n for p, n in whole.groups.items() if p == t or _under(p, t)},
        )
        if t not in self.group_paths and not tree.tokens and not tree.groups:
            self.error(E.UNRESOLVABLE_REFERENCE, group, f"$extends {ref!r}: no group {t!r}")
            return None
        return t, tree

    def merge(self, group: GroupNode, base: tuple[str, _Tree], local: _Tree) -> _Tree:
        t, tree = base
        g = group.path
        self.copied += len(tree.tokens) + len(tree.groups)
        if self.copied > limits.MAX_EXTENDED_TOKENS:
            if not self.too_many:  # reported once: the document keeps no copies at all
                self.too_many = True
                msg = (
                    f"$extends would copy more than {limits.MAX_EXTENDED_TOKENS} tokens and "
                    "groups in all (groups that extend groups that extend … several times "
                    "each?); "
                    "no $extends of this document is applied"
                )
                self.error(E.INVALID_EXTENDS, group, msg)
            return local
        out = _Tree()
        outer_type = self.outer_type(t)
        for p, node in tree.tokens.items():
            new = _rebase(p, t, g)
            typed = node.type
            if typed is None and outer_type is not None and not _is_alias(node):
                typed = self.type_inside(p, t, tree) or outer_type
            out.tokens[new] = replace(
                node, path=new, type=typed, extended_from=node.extended_from or node.path
            )
        for p, gn in tree.groups.items():
            new = _rebase(p, t, g)
            out.groups[new] = replace(gn, path=new, extends=None if p == t else gn.extends)
        # a local token replaces whatever was inherited at or below it, and an inherited
        # token at one of its ancestors (one pass over the inherited tokens' ancestors)
        mine = set(local.tokens)
        out.tokens = {q: n for q, n in out.tokens.items() if _owner(q, mine, g) is None}
        for p in local.tokens:
            for a in iter_ancestors(p):
                if a == g or not _under(a, g):
                    break
                out.tokens.pop(a, None)
        out.tokens.update(local.tokens)
        for p, gn in local.groups.items():
            prev = out.groups.get(p)
            out.groups[p] = gn if prev is None else merge_group(prev, gn)
        return out

    def outer_type(self, t: str) -> str | None:
        """The ``$type`` the target group inherits from its ancestors (not its own)."""
        for a in ancestors(t) if t else ():
            gn = self.doc.groups.get(a)
            if gn is not None and gn.type is not None:
                return gn.type
        return None

    @staticmethod
    def type_inside(path: str, t: str, tree: _Tree) -> str | None:
        for a in iter_ancestors(path):
            if not (a == t or _under(a, t)):
                return None
            gn = tree.groups.get(a)
            if gn is not None and gn.type is not None:
                return gn.type
        return None


def _is_alias(node: TokenNode) -> bool:
    v = node.value
    return (isinstance(v, str) and REFERENCE.fullmatch(v) is not None) or (
        isinstance(v, dict) and "$ref" in v
    )


def apply_extends(doc: Document) -> tuple[Document, list[DTCGError]]:
    """Apply every group's ``$extends`` (Format module §6.4) to a flattened document.

    Args:
        doc: the flattened document (every layer of one theme selection merged).

    Returns:
        ``(document, errors)``: ``doc`` itself when no group extends another, else a
        new document whose extending groups hold their inherited tokens (in place of
        their local ones). Error codes: ``INVALID_EXTENDS`` (target is a token, or
        malformed), ``UNRESOLVABLE_REFERENCE`` (no such group), ``CIRCULAR_EXTENDS``
        (every group in a loop); each names the extending group's file and pointer.
    """
    ext = _Extender(doc)
    if not ext.extenders:
        return doc, []
    outermost = [
        g
        for g in sorted(ext.extenders)
        if not any(a in ext.extenders for a in ancestors(g)[:-1])
        and not (g and "" in ext.extenders)
    ]
    trees = {g: ext.expanded(g) for g in outermost}
    if ext.too_many:
        return doc, ext.errors  # what was copied is not kept: it would be as large
    out = Document()
    placed: set[str] = set()
    owners = set(outermost)  # never nested in one another: a path has one owner at most
    for path, node in doc.tokens.items():
        owner = _owner(path, owners, itself=False)
        if owner is None:
            out.tokens[path] = node
        elif owner not in placed:
            placed.add(owner)
            out.tokens.update(trees[owner].tokens)
    for g in outermost:
        if g not in placed:
            out.tokens.update(trees[g].tokens)
    for path, gn in doc.groups.items():
        if _owner(path, owners) is None:
            out.groups[path] = gn
    for g in outermost:
        out.groups.update(trees[g].groups)
    return out, ext.errors

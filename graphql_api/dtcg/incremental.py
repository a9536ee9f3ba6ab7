"""Resolution carried forward: re-resolve only what a change reaches (Format module §7).

A theme selection resolved once (:func:`resolve_sized`) can be brought to a new state of
its layers by re-resolving the changed tokens and the tokens that reach them through
references (:func:`reresolve`), instead of the whole flattened document. The result is
the same mapping :func:`~graphql_api.dtcg.references.resolve` gives for the new state
(tests hold the two equal); when it cannot be (a group uses ``$extends``, whose copies
depend on whole subtrees, or the new state has a problem) it says so and the caller
resolves everything, which reports the problems as usual.

Why this is exact: a resolved token depends only on its own node, the nodes and results
of the tokens it references (transitively) and the group properties above it. With the
groups unchanged, a token whose node did not change and that reaches no changed token
resolves as before. Every token on a new reference cycle reaches a changed token, so
cycles are searched among the re-resolved tokens only. The resolved-size budget
(``limits.MAX_RESOLVED_SIZE``) is kept as a running total.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from . import limits, studio_forms
from .extends import apply_extends

if TYPE_CHECKING:
    from collections.abc import Collection, Mapping

    from .errors import DTCGError
from .graph import strongly_connected
from .nodes import Document, GroupNode, TokenNode
from .references import ResolvedToken, _Resolver, find_references


@dataclass(frozen=True, slots=True)
class Sized:
    """A resolution with what carrying it forward needs.

    Attributes:
        tokens: path → resolved token, in document order.
        sizes: path → (resolved size, depth), as the reference-bomb limits count them.
        groups: the flattened document's groups (group properties are inherited).
        extends: whether a group uses ``$extends`` (then nothing is carried forward).
        modified: whether a token's ``$extensions`` hold a Tokens Studio colour modifier
            that references another token (then nothing is carried forward either); None:
            not known (a resolution from scratch), :func:`reresolve` looks. What
            :func:`reresolve` returns has none, so a chain of carried states looks once.
    """

    tokens: dict[str, ResolvedToken]
    sizes: dict[str, tuple[int, int]]
    groups: dict[str, GroupNode]
    extends: bool
    modified: bool | None = None


def resolve_sized(doc: Document) -> tuple[Sized, list[DTCGError]]:
    """:func:`~graphql_api.dtcg.references.resolve`, keeping the sizes for :func:`reresolve`.

    Returns:
        ``(Sized, errors)``: the same tokens and errors as ``resolve(doc)``.
    """
    extended, errors = apply_extends(doc)
    r = _Resolver(extended)
    r.run()
    tokens = {p: r.done[p] for p in extended.tokens if p in r.done}
    extends = any(g.extends is not None for g in doc.groups.values())
    return Sized(tokens, dict(r._size), dict(doc.groups), extends), [*errors, *r.errors]


def _modifies(node: TokenNode | None) -> bool:
    """Whether a node's ``$extensions`` hold a colour modifier referencing another token."""
    return bool(
        node is not None and node.extensions and studio_forms.modifier_references(node.extensions)
    )


def dependants(referenced_by: Mapping[str, Collection[str]], paths: Collection[str]) -> set[str]:
    """``paths`` and every token that reaches one of them through references."""
    seen = set(paths)
    todo = list(paths)
    while todo:
        for nxt in referenced_by.get(todo.pop(), ()):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


class _Incremental(_Resolver):
    """A resolver whose unaffected tokens are already done (see the module docstring)."""

    def __init__(self, doc: Document, before: Sized, affected: set[str]) -> None:
        self.doc = doc
        self.strict = False
        self.mod_refs = {}
        self.affected = [p for p in affected if p in doc.tokens]
        keep = [p for p in doc.tokens if p not in affected]
        self.refs = {p: before.tokens[p].references for p in keep}
        self.refs.update((p, tuple(find_references(doc.tokens[p].value))) for p in self.affected)
        self.deps = self.refs
        self.done = {p: before.tokens[p] for p in keep}
        self._size = {p: before.sizes[p] for p in keep}
        self.failed: set[str] = set()
        self.errors = []
        self._memo = {}
        self._budget = limits.MAX_RESOLVED_SIZE - sum(s for s, _ in self._size.values())
        self._css_text = {}

    def run(self) -> None:
        members = set(self.affected)
        succ = {p: [r.target for r in self.refs[p] if r.target in members] for p in self.affected}
        for comp in strongly_connected(succ):
            if len(comp) > 1 or comp[0] in succ[comp[0]]:
                self.errors.append(None)  # type: ignore[arg-type]  # a cycle: resolve it all
                return
        for path in self.affected:
            if path not in self.done and path not in self.failed:
                self._visit(path)


def reresolve(
    before: Sized,
    referenced_by: Mapping[str, Collection[str]],
    changed: Mapping[str, TokenNode | None],
) -> Sized | None:
    """``before`` brought to a state where the tokens in ``changed`` are replaced.

    Args:
        before: a resolution without problems (:func:`resolve_sized`).
        referenced_by: its reverse references (path → paths that reference it).
        changed: path → its new flattened node, or None where the path no longer exists.
            The groups must be unchanged.

    Returns:
        The new resolution, with ``tokens`` in ``before``'s order (new paths last), or
        None when it cannot be carried forward: ``$extends`` is in use, or the new state
        has a problem (resolve the whole document to report it).
    """
    modified = (
        before.modified
        if before.modified is not None
        else any(_modifies(t.node) for t in before.tokens.values())
    )
    if before.extends or modified or any(_modifies(n) for n in changed.values()):
        return None  # colour modifiers wait for references the reverse index does not hold
    tokens = {p: t.node for p, t in before.tokens.items()}
    for path, node in changed.items():
        if node is None:
            tokens.pop(path, None)
        else:
            tokens[path] = node
    affected = dependants(referenced_by, changed)
    doc = Document(tokens=tokens, groups=before.groups)
    r = _Incremental(doc, before, affected)
    r.run()
    if r.errors:
        return None
    done = {p: r.done[p] for p in tokens}
    sizes = {p: r._size[p] for p in tokens}
    return Sized(done, sizes, before.groups, extends=False, modified=False)

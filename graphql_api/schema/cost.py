"""What an operation will cost, estimated from its document, its variables and the data.

Each field costs 1 plus its selection's cost times its fan-out, the number of objects
it returns. The fan-out follows the data when it is known (:class:`DataStats`):

- ``Query.tokens``: ``first`` or ``last`` (literal or variable; default ``MAX_PAGE_SIZE``), at most
  the number of tokens, plus one per token scanned by the filter;
- ``Token.referencedBy``: the largest number of referrers of a token;
  ``Token.aliasChain``: the longest alias chain; ``TokensChange.tokens`` (a
  subscription event) and other token lists: the number of tokens;
- ``Query.contrastReport``: pairs × theme combinations (1 with ``theme``) contrast
  computations of :data:`CONTRAST_COST` each; ``Token.contrast``: :data:`CONTRAST_COST`;
- fields that go through every theme combination (:data:`SWEEPS`: ``Query.diff`` without
  ``theme``/``fromTheme``/``toTheme``, ``Query.impact``): one unit per token of each
  combination they resolve (both sides of a diff), on top of what they return;
  ``Impact.themes``: the number of combinations;
- ``Query.changes``: ``first`` (default 100); ``edges``: 1; any other list:
  :data:`LIST_FACTOR`.

Every list inside a field's arguments, literal or given as a variable, adds its length
times :data:`ARGUMENT_ITEM_COST` (600,000 types in a filter are 600,000 values to decode,
coerce and check). Of fragments that
narrow a union or interface to different member types only the most expensive counts.

Each fragment is walked once per parent type (memoised: twenty levels of fragments that
each spread the next one twice cost twenty walks, not a million), and the walk stops as
soon as the cost, the aliases or the depth pass their limit.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from graphql import (
    FieldNode,
    FragmentSpreadNode,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    InlineFragmentNode,
    IntValueNode,
    ListValueNode,
    ObjectValueNode,
    VariableNode,
    get_named_type,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from graphql import (
        FragmentDefinitionNode,
        GraphQLSchema,
        SelectionSetNode,
        ValueNode,
    )

    from .limits import Limits

#: Fan-out of a list field the data says nothing about.
LIST_FACTOR = 5
#: Cost of one contrast computation (colour conversions, WCAG and APCA) in fields
#: (measured: about 160 µs, some 30 fields' worth of execution).
CONTRAST_COST = 40
#: Cost of one item of a list given as an argument (decoded, coerced, then read).
ARGUMENT_ITEM_COST = 10
#: Default ``first`` of ``Query.changes``.
CHANGES_PAGE = 100


@dataclass(frozen=True, slots=True)
class DataStats:
    """What the data says about fan-out (all at least 1).

    Attributes:
        tokens: tokens of the theme.
        referenced_by: the most tokens referencing one token.
        alias_chain: the longest alias chain.
        combinations: theme combinations (product of the modifiers' contexts).
    """

    tokens: int = 1
    referenced_by: int = 1
    alias_chain: int = 1
    combinations: int = 1


#: (type, field) → the :class:`DataStats` attribute that is that list's fan-out.
DATA_FANOUT = {
    ("Token", "referencedBy"): "referenced_by",
    ("Token", "aliasChain"): "alias_chain",
    ("TokensChange", "tokens"): "tokens",
    ("Impact", "themes"): "combinations",
    ("ImpactedTheme", "tokens"): "tokens",
    ("Query", "unusedTokens"): "tokens",
    ("Query", "deprecatedInUse"): "tokens",
}


@dataclass(frozen=True, slots=True)
class Sweep:
    """A field that resolves every theme combination unless an argument picks one.

    Attributes:
        sides: snapshots resolved per combination (a diff: its two sides).
        narrowing: arguments any of which narrows the field to one combination.
    """

    sides: int
    narrowing: tuple[str, ...] = ()


#: (type, field) → how it goes through the theme combinations; its own work is
#: ``sides`` × combinations × tokens × :data:`SWEEP_TOKEN_COST`.
SWEEPS = {
    ("Query", "diff"): Sweep(2, ("theme", "fromTheme", "toTheme")),
    ("Query", "impact"): Sweep(1),
}
#: Cost of one token of one combination a sweep resolves and reads (carried across from
#: the previous combination, then compared or indexed): about one field's worth.
SWEEP_TOKEN_COST = 1


class LimitPassed(Exception):  # noqa: N818 - reads as what happened
    """The walk stopped: ``what`` (``cost``, ``aliases``, ``depth``) passed its limit."""

    def __init__(self, what: str, value: int) -> None:
        super().__init__(what)
        self.what, self.value = what, value


@dataclass(slots=True)
class Summary:
    """Cost, aliases, depth (fields nested) and introspection of a selection set."""

    cost: int = 0
    aliases: int = 0
    depth: int = 0
    introspection: bool = False

    def add(self, other: Summary) -> None:
        """Fold in a sibling selection (cost and aliases add up)."""
        self.cost += other.cost
        self.aliases += other.aliases
        self.depth = max(self.depth, other.depth)
        self.introspection = self.introspection or other.introspection


def _is_list(t: Any) -> bool:
    while isinstance(t, GraphQLNonNull):
        t = t.of_type
    return isinstance(t, GraphQLList)


class CostWalker:
    """Walk one operation's selections (see the module docstring).

    Args:
        schema: the GraphQL schema.
        fragments: the document's fragments by name.
        limits: the app's limits (the walk stops past ``max_cost``, ``max_aliases``,
            ``max_depth``; 0: no limit).
        variables: the request's variables (list lengths, ``first``).
        stats: called once, the first time a fan-out needs the data; None: the static
            estimate (``first`` or ``MAX_PAGE_SIZE``, :data:`LIST_FACTOR`).
    """

    def __init__(
        self,
        schema: GraphQLSchema,
        fragments: Mapping[str, FragmentDefinitionNode],
        limits: Limits,
        variables: Mapping[str, Any] | None = None,
        stats: Callable[[], DataStats] | None = None,
    ) -> None:
        self.schema, self.fragments, self.limits = schema, fragments, limits
        self.variables = variables or {}
        self._stats_source, self._stats = stats, None if stats else DataStats()
        self._memo: dict[tuple[str, str], Summary] = {}
        self._active: set[str] = set()

    @property
    def stats_used(self) -> DataStats | None:
        """The data's fan-outs if the walk needed them (None: its estimate is static)."""
        return self._stats if self._stats_source is not None else None

    def stats(self) -> DataStats:
        """The data's fan-outs (computed once)."""
        if self._stats is None:
            assert self._stats_source is not None  # noqa: S101 - set together
            self._stats = self._stats_source()
        return self._stats

    def walk(self, selections: SelectionSetNode, parent: Any, depth: int = 1) -> Summary:
        """The summary of a selection set at ``depth`` (1: the operation's root fields).

        Raises:
            LimitPassed: a limit is passed (the walk stops there).
        """
        total = Summary()
        narrowed: dict[str, Summary] = {}
        for sel in selections.selections:
            if isinstance(sel, FieldNode):
                total.add(self.field(sel, parent, depth))
            else:
                found = self._fragment(sel, parent, depth)
                if found is None:
                    continue
                cond, summary = found
                if cond is None:
                    total.add(summary)
                else:
                    narrowed.setdefault(cond, Summary()).add(summary)
            self._check(total, depth)
        if narrowed:
            widest = max(narrowed.values(), key=lambda s: s.cost)
            total.add(widest)
            for other in narrowed.values():  # aliases and depth count in every member
                total.aliases += other.aliases if other is not widest else 0
                total.depth = max(total.depth, other.depth)
        self._check(total, depth)
        return total

    def _check(self, summary: Summary, depth: int) -> None:
        lim = self.limits
        checks = (
            ("cost", lim.max_cost, summary.cost),
            ("aliases", lim.max_aliases, summary.aliases),
            ("depth", lim.max_depth, depth - 1 + summary.depth),
        )
        for what, limit, value in checks:
            if 0 < limit < value:
                raise LimitPassed(what, value)

    def _fragment(self, sel: Any, parent: Any, depth: int) -> tuple[str | None, Summary] | None:
        """(type condition if it narrows, summary) of an inline fragment or a spread."""
        if isinstance(sel, InlineFragmentNode):
            cond = sel.type_condition.name.value if sel.type_condition else None
            target = self.schema.get_type(cond) if cond else parent
            summary = self.walk(sel.selection_set, target, depth)
        elif isinstance(sel, FragmentSpreadNode):
            name = sel.name.value
            frag = self.fragments.get(name)
            if frag is None or name in self._active:  # unknown or a cycle: validation says so
                return None
            cond = frag.type_condition.name.value
            target = self.schema.get_type(cond)
            key = (name, getattr(parent, "name", ""))
            cached = self._memo.get(key)
            if cached is None:
                self._active.add(name)
                try:
                    cached = self.walk(frag.selection_set, target, depth)
                finally:
                    self._active.discard(name)
                self._memo[key] = cached
            summary = cached
        else:
            return None
        return (None if cond is None or target is parent else cond), summary

    def field(self, sel: FieldNode, parent: Any, depth: int) -> Summary:
        """1, plus the field's own work, plus its fan-out times its selection's cost."""
        name = sel.name.value
        max_depth = self.limits.max_depth
        if 0 < max_depth < depth:
            raise LimitPassed("depth", depth)
        fdef = parent.fields.get(name) if isinstance(parent, GraphQLObjectType) else None
        ftype = fdef.type if fdef is not None else None
        inner = Summary()
        if sel.selection_set is not None:
            inner = self.walk(sel.selection_set, get_named_type(ftype), depth + 1)
        parent_name = getattr(parent, "name", "")
        fanout, own = self._fanout(parent_name, sel, ftype)
        cost = 1 + own + self._argument_items(sel) + fanout * inner.cost
        introspection = inner.introspection or name in ("__schema", "__type")
        aliases = inner.aliases + (sel.alias is not None)
        return Summary(
            cost=cost, aliases=aliases, depth=inner.depth + 1, introspection=introspection
        )

    def _fanout(self, parent: str, sel: FieldNode, ftype: Any) -> tuple[int, int]:
        """(objects the field returns, its own work besides them)."""
        special = self._SPECIAL.get((parent, sel.name.value))
        if special is not None:
            return special(self, sel)
        sweep = SWEEPS.get((parent, sel.name.value))
        if sweep is not None:
            return 1, self._sweep(sel, sweep)
        if sel.name.value == "edges" or not _is_list(ftype):
            return 1, 0
        stat = DATA_FANOUT.get((parent, sel.name.value))
        if stat is not None and self._stats_source is not None:
            return max(int(getattr(self.stats(), stat)), 1), 0
        return LIST_FACTOR, 0

    def _tokens(self, sel: FieldNode) -> tuple[int, int]:
        first = self._int_argument(sel, "first")
        if first is None:
            first = self._int_argument(sel, "last")
        page = max(first if first is not None else self.limits.max_page_size, 1)
        if self._stats_source is None:
            return page, 0
        count = self.stats().tokens  # the filter reads every token of the theme
        return min(page, count), count

    def _changes(self, sel: FieldNode) -> tuple[int, int]:
        first = self._int_argument(sel, "first")
        return max(first if first is not None else CHANGES_PAGE, 1), 0

    def _contrast_report(self, sel: FieldNode) -> tuple[int, int]:
        themed = self._has_argument(sel, "theme") or self._stats_source is None
        work = max(self._list_length(sel, "pairs"), 1) * (
            1 if themed else self.stats().combinations
        )
        return work, work * CONTRAST_COST

    def _sweep(self, sel: FieldNode, sweep: Sweep) -> int:
        """The work of resolving and reading every combination (1 when narrowed to one)."""
        if self._stats_source is None:
            return 0  # the static estimate (validation): the data is not read there
        stats = self.stats()
        narrowed = any(self._has_argument(sel, name) for name in sweep.narrowing)
        combos = 1 if narrowed else stats.combinations
        return sweep.sides * combos * stats.tokens * SWEEP_TOKEN_COST

    def _contrast(self, _sel: FieldNode) -> tuple[int, int]:
        return 1, CONTRAST_COST

    _SPECIAL: ClassVar[
        dict[tuple[str, str], Callable[[CostWalker, FieldNode], tuple[int, int]]]
    ] = {
        ("Query", "tokens"): _tokens,
        ("Query", "changes"): _changes,
        ("Query", "contrastReport"): _contrast_report,
        ("Token", "contrast"): _contrast,
    }

    def _argument(self, sel: FieldNode, name: str) -> Any:
        for arg in sel.arguments or ():
            if arg.name.value == name:
                return arg.value
        return None

    def _has_argument(self, sel: FieldNode, name: str) -> bool:
        value = self._argument(sel, name)
        if isinstance(value, VariableNode):
            return self.variables.get(value.name.value) is not None
        return value is not None and value.kind != "null_value"

    def _int_argument(self, sel: FieldNode, name: str) -> int | None:
        value = self._argument(sel, name)
        if isinstance(value, IntValueNode):
            return _bounded_int(value.value)
        if isinstance(value, VariableNode):
            given = self.variables.get(value.name.value)
            return given if isinstance(given, int) and not isinstance(given, bool) else None
        return None

    def _list_length(self, sel: FieldNode, name: str) -> int:
        value = self._argument(sel, name)
        if isinstance(value, ListValueNode):
            return len(value.values)
        if isinstance(value, VariableNode):
            given = self.variables.get(value.name.value)
            return len(given) if isinstance(given, list) else 0
        return 0

    def _argument_items(self, sel: FieldNode) -> int:
        """Items of every list inside the field's arguments (literals and variables)."""
        items = sum(self._items(arg.value) for arg in sel.arguments or ())
        return items * ARGUMENT_ITEM_COST

    def _items(self, value: ValueNode) -> int:
        if isinstance(value, ListValueNode):
            return len(value.values) + sum(self._items(v) for v in value.values)
        if isinstance(value, ObjectValueNode):
            return sum(self._items(f.value) for f in value.fields)
        if isinstance(value, VariableNode):
            return count_list_items(self.variables.get(value.name.value))
        return 0


#: Digits of the largest GraphQL Int (32-bit, 2,147,483,647).
INT_DIGITS = 10


def _bounded_int(text: str) -> int:
    """An Int literal, without converting a 5,000-digit one (GraphQL Int is 32-bit)."""
    if len(text.lstrip("-")) > INT_DIGITS:
        return 2**31 - 1
    return int(text)


def count_list_items(value: Any, limit: int = 10_000_000) -> int:
    """Items of every list inside a JSON value (iterative; stops counting at ``limit``)."""
    count, stack = 0, [value]
    while stack and count < limit:
        item = stack.pop()
        if isinstance(item, list):
            count += len(item)
            stack.extend(v for v in item if isinstance(v, (list, dict)))
        elif isinstance(item, dict):
            stack.extend(v for v in item.values() if isinstance(v, (list, dict)))
    return count


def combinations_count(contexts_per_modifier: list[int]) -> int:
    """Theme combinations of modifiers with these numbers of contexts."""
    return math.prod(max(n, 1) for n in contexts_per_modifier)

"""The check of one write: incremental where that is exact, else the full validation.

:func:`check` decides whether the state a :class:`~.workspace.Workspace` holds may be
stored. The reference implementation is :func:`~graphql_api.dtcg.validate.
validate_document` on every theme combination that contains an edited layer (DTCG
Resolver module §4.2, §6.3). Because every stored state passed that check, only the
edited tokens and the tokens that reach them through references (read from the stored
alias graph, :mod:`graphql_api.store.alias_graph`) can have a problem in the new state;
:func:`graphql_api.dtcg.incremental_check.check_selection` re-resolves and re-checks
just those in each affected combination, keeping the resolved-size budget as a running
total (:mod:`graphql_api.store.resolved_totals`).

A deleted modifier is an edit that empties the layer its default context gave every
combination (every combination of the old state at that context passed the check).

The full validation runs instead when the incremental check could not be exact: the
sets or modifiers changed otherwise (``structural``), or a group of a layer uses ``$extends`` (or
did before). A group whose ``$type`` or ``$deprecated`` changed makes every token inside
it, in every layer, an edited token (:func:`~graphql_api.dtcg.incremental_check.
paths_under`).

A refused write lists its problems as the full validation words them, each layer's
tokens taken in path order (so the order does not depend on how rows were stored).
They are worded from the re-checked tokens alone
(:func:`~graphql_api.dtcg.incremental_check.edit_problems`), unless that needs the
whole themes (a reference to a missing path, the size budget): then by the full
validation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..dtcg import limits
from ..dtcg.incremental_check import (
    EditCache,
    check_edit,
    dependants,
    edit_problems,
    layer_edits,
    paths_under,
    regrouped,
    sorted_layers,
    valid_total_size,
)
from ..dtcg.nodes import Document
from ..dtcg.validate import combination_work, validate_document
from ..store import repository, resolved_totals
from ..store.alias_graph import (
    alias_reach,
    carry_modifier_edges,
    database_of,
    modifier_edges,
)
from ..store.db import on_commit
from .errors import Invalid

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence

    from ..store.resolved_totals import SelectionKey
    from .workspace import Layer, Workspace


@dataclass(slots=True)
class CheckReport:
    """How a write was checked.

    Attributes:
        mode: ``"none"`` (nothing edited: a release), ``"incremental"``, ``"full"``, or
            ``"validated"`` (an import, whose document the caller validated whole).
        reason: why the full validation ran (empty otherwise).
        selections: theme combinations checked.
        rechecked: tokens resolved by the incremental check, summed over combinations.
        totals: selection key → new resolved-size total, where the old one was known.
        based_on: the revision the checked edits are based on.
        layer_counts: tokens per layer after the write, where counted (no structural edit).
    """

    mode: str = "none"
    reason: str = ""
    selections: int = 0
    rechecked: int = 0
    totals: dict[tuple[tuple[str, str], ...], int] = field(default_factory=dict)
    based_on: int = 0
    layer_counts: resolved_totals.LayerCounts | None = None


def _layers(ws: Workspace, selection: dict[str, str]) -> list[Layer]:
    from .workspace import Layer  # noqa: PLC0415 - workspace imports this module

    return [
        Layer(None, name) if kind == "set" else Layer(name, selection[name])
        for kind, name in ws.doc.order
    ]


def full_check(ws: Workspace, selections: list[dict[str, str]]) -> None:
    """The reference implementation: validate every given combination whole.

    Raises:
        Invalid: with every problem, as :func:`validate_document` reports them.
    """
    ws.ensure(lay for s in selections for lay in _layers(ws, s))
    problems = validate_document(sorted_layers(ws.doc), selections=selections)
    if problems:
        raise Invalid(problems)


def _refuse(
    ws: Workspace,
    selections: list[dict[str, str]],
    pairs: Sequence[tuple[Sequence[Document], Sequence[Document]]],
    *,
    affected: set[str],
    totals: Sequence[Callable[[], int]],
    cache: EditCache,
) -> None:
    """Raise the problems the incremental check found, worded without the whole themes.

    A reference to a missing path reads the stored tokens under it, to tell a group from
    nothing. Falls back to :func:`full_check` when :func:`~graphql_api.dtcg.
    incremental_check.edit_problems` cannot word them or finds none (the incremental check
    is cautious: a growth with no known old total), or a selection may pass the size
    budget.

    Raises:
        Invalid: with every problem (returns only if the full validation finds none).
    """
    known: set[str] | None = None

    def is_group(index: int, path: str) -> bool:
        # whether a token of selection ``index`` lies under ``path``: read only those
        nonlocal known
        if known is None:
            known = ws.known_paths()
        prefix = path + "."
        inside = [p for p in known if p.startswith(prefix)]
        if not inside:
            return False
        layers = _layers(ws, selections[index])
        ws.ensure_paths(layers, inside)
        return any(p in ws.document(lay, ()).tokens for lay in layers for p in inside)

    found = edit_problems(pairs, affected, is_group, cache)
    if found is not None and found.problems:
        within = all(
            grew <= 0 or total() + grew <= limits.MAX_RESOLVED_SIZE
            for grew, total in zip(found.growth, totals, strict=True)
        )
        if within:
            raise Invalid(found.problems)
    full_check(ws, selections)


def _why_full(ws: Workspace, needed: list[Layer]) -> str:
    for lay in ws.touched:
        old, new = ws.before(lay, ()), ws.document(lay, ())
        for g in regrouped(old, new):
            was, now = old.groups.get(g), new.groups.get(g)
            if (was and was.extends) != (now and now.extends):
                return f"$extends of {lay.label} changed"
    for lay in needed:
        if any(g.extends is not None for g in ws.document(lay, ()).groups.values()):
            return f"{lay.label} uses $extends"
    for gone in ws.removed:
        if any(g.extends is not None for g in gone.contexts[gone.default].groups.values()):
            return f"{gone.name}:{gone.default} used $extends"
    return ""


def _past_resolutions(
    ws: Workspace, selections: list[dict[str, str]], edited: set[str], report: CheckReport
) -> str:
    """Why the full validation must run (it refuses the write), or '' when within budget.

    The full validation counts, before resolving anything, every checked combination's
    :func:`~graphql_api.dtcg.validate.combination_work` against ``limits.MAX_RESOLUTIONS``
    and refuses past it (``INVALID_RESOLVER``). The same count here comes from the tokens
    stored per layer (kept as running totals: one statement the first time in a process,
    :func:`~graphql_api.store.resolved_totals.layer_counts`) and the write's own additions
    and removals; the counts after the write go to ``report.layer_counts``.
    """
    database = database_of(ws.session)
    stored = resolved_totals.layer_counts(database, report.based_on)
    if stored is None:
        stored = repository.layer_token_counts(ws.session)
        resolved_totals.put_layer_counts(database, report.based_on, stored)
    after = dict(stored)
    for lay in ws.touched:
        key = _layer_key(ws, lay)
        after[key] = after.get(key, 0) + _growth(ws, lay, edited)
    report.layer_counts = after
    work = sum(
        combination_work(after.get(_layer_key(ws, lay), 0) for lay in _layers(ws, selection))
        for selection in selections
    )
    if work > limits.MAX_RESOLUTIONS:
        return f"{len(selections)} combinations pass limits.MAX_RESOLUTIONS ({work} resolutions)"
    return ""


def _layer_key(ws: Workspace, lay: Layer) -> tuple[str, int]:
    """The layer's key in the stored counts; one with no row has none stored (id -1)."""
    return ws.layer_key(lay) or (f"new {lay.label}", -1)


def _growth(ws: Workspace, lay: Layer, edited: set[str]) -> int:
    """Tokens the write added to ``lay`` minus those it removed (its edited paths are read)."""
    old, new = ws.before(lay, ()), ws.document(lay, ())
    return sum((p in new.tokens) - (p in old.tokens) for p in edited)


def _edited(ws: Workspace, needed: list[Layer]) -> set[str]:
    """The edited token paths, read in every layer of ``needed`` with every group.

    The paths added, replaced or removed in a touched layer or defined by the default
    context of a deleted modifier, and the tokens (of any layer) inside a group whose
    ``$type`` or ``$deprecated`` changed.
    """
    edited: set[str] = set()
    for lay in ws.touched:
        edited |= layer_edits(ws.before(lay, ()), ws.document(lay, ()))
    for gone in ws.removed:
        edited |= set(gone.contexts[gone.default].tokens)
    ws.ensure_paths(needed, edited or [""])  # every group of every layer, with them
    groups: set[str] = set()
    for lay in ws.touched:
        groups |= regrouped(ws.before(lay, ()), ws.document(lay, ()))
    for gone in ws.removed:
        groups |= regrouped(gone.contexts[gone.default], Document())
    if groups:  # the tokens inside them inherit differently
        inside = paths_under(ws.known_paths(), groups) - edited
        ws.ensure_paths(needed, inside)
        edited |= inside
    return edited


def _pair(
    ws: Workspace, selection: dict[str, str]
) -> tuple[list[Layer], list[Document], list[Document], dict[str, str]]:
    """A selection's layers, their documents before and after, and the selection before.

    A deleted modifier's layer is in the state before (its default context) and empty
    after, so both lists have the same length.
    """
    layers = _layers(ws, selection)
    old = [ws.before(lay, ()) for lay in layers]
    new = [ws.document(lay, ()) for lay in layers]
    before = dict(selection)
    for gone in sorted(ws.removed, key=lambda g: g.position):
        old.insert(gone.position, gone.contexts[gone.default])
        new.insert(gone.position, Document())
        before[gone.name] = gone.default
    return layers, old, new, before


def _read_closure(
    ws: Workspace,
    layers: list[Layer],
    affected: set[str],
    cache: EditCache,
    extra: Sequence[Document] = (),
) -> None:
    """Read ``affected`` and every token they reference (transitively) in ``layers``.

    One read per level of references, before and after the edit, so that the layers'
    documents hold every token the incremental check looks up, whatever their size.
    ``cache`` finds each node's references once (the check reuses them). ``extra``:
    documents held whole in memory (a deleted modifier's layer) whose references count too.
    """
    seen: set[str] = set()
    frontier = set(affected)
    while frontier:
        ws.ensure_paths(layers, frontier)
        seen |= frontier
        targets: set[str] = set()
        docs = [d for lay in layers for d in (ws.before(lay, ()), ws.document(lay, ()))]
        for doc in [*docs, *extra]:
            for p in frontier:
                node = doc.tokens.get(p)
                if node is not None:
                    targets.update(r.target for r in cache.references(node))
        frontier = targets - seen


def _affected(ws: Workspace, edited: set[str], revision: int) -> set[str]:
    """``edited`` and every token that reaches one (alias rows, colour modifiers)."""
    modifier_refs = modifier_edges(ws.session, revision or None)  # 0: no revision named
    expanded: set[str] = set()  # paths whose alias-row referrers are all known

    def referrers(paths: set[str]) -> set[str]:
        # every token that reaches ``paths`` through alias rows (a superset of one level:
        # one statement for the whole chain), and the colour modifiers that name any
        todo = paths - expanded
        out = alias_reach(ws.session, todo) if todo else set()
        expanded.update(todo, out)
        for p in out | paths:
            out.update(modifier_refs.get(p, ()))
        return out

    return dependants(referrers, edited)


def check(ws: Workspace, revision: int) -> CheckReport:
    """Check the workspace's edits; see the module docstring.

    Args:
        ws: the write's workspace, edited.
        revision: the revision the edits are based on (keys the running size totals).

    Returns:
        How the write was checked, with the new resolved-size totals to remember under
        the write's revision (:func:`remember`).

    Raises:
        Invalid: with every problem of the new state (cycles, dangling references, type
            mismatches, invalid values, size budget), worded by the full validation.
    """
    report = CheckReport(based_on=revision)
    if ws.replacement is not None:  # an import: the caller validated the whole document
        report.mode = "validated"
        return report
    if not ws.touched and not ws.structural:
        return report
    selections = ws.selections()
    report.selections = len(selections)
    needed = list(dict.fromkeys(lay for s in selections for lay in _layers(ws, s)))
    if ws.structural and (len(ws.removed) != 1 or ws.touched):
        report.mode, report.reason = "full", "sets or modifiers changed"
        full_check(ws, selections)
        return report
    edited = _edited(ws, needed)
    reason = _why_full(ws, needed) or _past_resolutions(ws, selections, edited, report)
    if reason:
        report.mode, report.reason = "full", reason
        full_check(ws, selections)
        return report
    affected = _affected(ws, edited, revision)
    cache = EditCache()
    gone = [g.contexts[g.default] for g in ws.removed]
    _read_closure(ws, needed, affected, cache, gone)
    database = database_of(ws.session)
    pairs = []
    totals = []
    keys = []  # per selection: its key before the write (a deleted modifier at its default)
    for selection in selections:
        layers, old, new, before = _pair(ws, selection)
        pairs.append((old, new))
        key = resolved_totals.key_of(before)
        keys.append(key)

        def old_total(
            layers: list[Layer] = layers, old: list[Document] = old, key: SelectionKey = key
        ) -> int:
            known = resolved_totals.get(database, revision, key)
            if known is None:
                # the whole theme, this once: sized from raw values. Reading the themes of
                # every selection at once saves statements (54 → 26 on Primer's first
                # growing write) but cost 25% more CPU there, so each reads its own.
                ws.ensure(layers)
                whole = [ws.before(lay) for lay in layers]
                for g in sorted(ws.removed, key=lambda g: g.position):
                    whole.insert(g.position, g.contexts[g.default])
                known = valid_total_size(whole, cache)
                resolved_totals.put(database, revision, key, known)
            return known

        totals.append(old_total)
    outcome = check_edit(pairs, affected, totals, cache)
    report.rechecked = outcome.rechecked
    if not outcome.valid:
        report.mode, report.reason = "full", "the incremental check found a problem"
        _refuse(ws, selections, pairs, affected=affected, totals=totals, cache=cache)
        return report
    for selection, key, delta in zip(selections, keys, outcome.deltas, strict=True):
        known = resolved_totals.get(database, revision, key)
        if known is not None:
            report.totals[resolved_totals.key_of(selection)] = known + delta
    report.mode = "incremental"
    return report


def remember(ws: Workspace, report: CheckReport, revision: int) -> None:
    """Keep what a checked write knew of its base revision for its new ``revision``.

    The new resolved-size totals, and (incremental check) the colour-modifier edges
    with the write's changes applied (:func:`~graphql_api.store.alias_graph.
    carry_modifier_edges`); after a write that changed no stored data (a release:
    ``ws.data_unchanged``), all of them as they were. Kept once the write's transaction commits
    (:func:`~graphql_api.store.db.on_commit`): a rolled-back revision number may be
    handed out again.
    """
    on_commit(ws.session, lambda: _remember_now(ws, report, revision))


def _remember_now(ws: Workspace, report: CheckReport, revision: int) -> None:
    database = database_of(ws.session)
    if ws.data_unchanged:  # a release: the new revision holds the data of its base
        resolved_totals.carry(database, report.based_on, revision)
        carry_modifier_edges(ws.session, report.based_on, revision, [])
        return
    for key, total in report.totals.items():
        resolved_totals.put(database, revision, key, total)
    if report.layer_counts is not None and not ws.structural:
        resolved_totals.put_layer_counts(database, revision, report.layer_counts)
    if report.mode == "incremental":
        changes: list[tuple[str, Mapping[str, Any] | None, Mapping[str, Any] | None]] = [
            (p, node.extensions, None)
            for gone in ws.removed
            for doc in gone.contexts.values()
            for p, node in doc.tokens.items()
        ]
        for lay in ws.touched:
            old, new = ws.before(lay, ()), ws.document(lay, ())
            for p in layer_edits(old, new):
                before, after = old.tokens.get(p), new.tokens.get(p)
                changes.append(
                    (
                        p,
                        before.extensions if before is not None else None,
                        after.extensions if after is not None else None,
                    )
                )
        carry_modifier_edges(ws.session, report.based_on, revision, changes)

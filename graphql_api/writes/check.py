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

The full validation runs instead when the incremental check could not be exact: the
sets or modifiers changed (``structural``), a group of an edited layer changed, or a
group of a layer uses ``$extends``.

A refused write lists its problems as the full validation words them, each layer's
tokens taken in path order (so the order does not depend on how rows were stored).
They are worded from the re-checked tokens alone
(:func:`~graphql_api.dtcg.incremental_check.edit_problems`), unless that needs the
whole themes (a reference to a missing path, the size budget): then by the full
validation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..dtcg import limits
from ..dtcg.incremental_check import (
    EditCache,
    check_edit,
    dependants,
    edit_problems,
    groups_changed,
    layer_edits,
    sorted_layers,
    valid_total_size,
)
from ..dtcg.validate import validate_document
from ..store import resolved_totals
from ..store.alias_graph import (
    alias_reach,
    carry_modifier_edges,
    database_of,
    modifier_edges,
)
from ..store.db import on_commit
from .errors import Invalid

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from ..dtcg.nodes import Document
    from ..store.resolved_totals import SelectionKey
    from .workspace import Layer, Workspace


@dataclass(slots=True)
class CheckReport:
    """How a write was checked.

    Attributes:
        mode: ``"none"`` (nothing edited), ``"incremental"`` or ``"full"``.
        reason: why the full validation ran (empty otherwise).
        selections: theme combinations checked.
        rechecked: tokens resolved by the incremental check, summed over combinations.
        totals: selection key → new resolved-size total, where the old one was known.
        based_on: the revision the checked edits are based on.
    """

    mode: str = "none"
    reason: str = ""
    selections: int = 0
    rechecked: int = 0
    totals: dict[tuple[tuple[str, str], ...], int] = field(default_factory=dict)
    based_on: int = 0


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

    Falls back to :func:`full_check` when :func:`~graphql_api.dtcg.incremental_check.
    edit_problems` cannot word them or finds none (the incremental check is cautious: a
    growth with no known old total), or a selection may pass the size budget.

    Raises:
        Invalid: with every problem (returns only if the full validation finds none).
    """
    found = edit_problems(pairs, affected, cache)
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
        if groups_changed(ws.before(lay, ()), ws.document(lay, ())):
            return f"groups of {lay.label} changed"
    for lay in needed:
        if any(g.extends is not None for g in ws.document(lay, ()).groups.values()):
            return f"{lay.label} uses $extends"
    return ""


def _read_closure(ws: Workspace, layers: list[Layer], affected: set[str], cache: EditCache) -> None:
    """Read ``affected`` and every token they reference (transitively) in ``layers``.

    One read per level of references, before and after the edit, so that the layers'
    documents hold every token the incremental check looks up, whatever their size.
    ``cache`` finds each node's references once (the check reuses them).
    """
    seen: set[str] = set()
    frontier = set(affected)
    while frontier:
        ws.ensure_paths(layers, frontier)
        seen |= frontier
        targets: set[str] = set()
        for lay in layers:
            for doc in (ws.before(lay, ()), ws.document(lay, ())):
                for p in frontier:
                    node = doc.tokens.get(p)
                    if node is not None:
                        targets.update(r.target for r in cache.references(node))
        frontier = targets - seen


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
    if not ws.touched and not ws.structural:
        return report
    selections = ws.selections()
    report.selections = len(selections)
    needed = list(dict.fromkeys(lay for s in selections for lay in _layers(ws, s)))
    if ws.structural:
        report.mode, report.reason = "full", "sets or modifiers changed"
        full_check(ws, selections)
        return report
    edited: set[str] = set()
    for lay in ws.touched:
        edited |= layer_edits(ws.before(lay, ()), ws.document(lay, ()))
    ws.ensure_paths(needed, edited or [""])  # every group of every layer, with them
    reason = _why_full(ws, needed)
    if reason:
        report.mode, report.reason = "full", reason
        full_check(ws, selections)
        return report
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

    affected = dependants(referrers, edited)
    cache = EditCache()
    _read_closure(ws, needed, affected, cache)
    database = database_of(ws.session)
    pairs = []
    totals = []
    for selection in selections:
        layers = _layers(ws, selection)
        old: list[Document] = [ws.before(lay, ()) for lay in layers]
        pairs.append((old, [ws.document(lay, ()) for lay in layers]))
        key = resolved_totals.key_of(selection)

        def old_total(layers: list[Layer] = layers, key: SelectionKey = key) -> int:
            known = resolved_totals.get(database, revision, key)
            if known is None:
                ws.ensure(layers)  # the whole theme, this once: sized from raw values
                known = valid_total_size([ws.before(lay) for lay in layers], cache)
                resolved_totals.put(database, revision, key, known)
            return known

        totals.append(old_total)
    outcome = check_edit(pairs, affected, totals, cache)
    report.rechecked = outcome.rechecked
    if not outcome.valid:
        report.mode, report.reason = "full", "the incremental check found a problem"
        _refuse(ws, selections, pairs, affected=affected, totals=totals, cache=cache)
        return report
    for selection, delta in zip(selections, outcome.deltas, strict=True):
        key = resolved_totals.key_of(selection)
        known = resolved_totals.get(database, revision, key)
        if known is not None:
            report.totals[key] = known + delta
    report.mode = "incremental"
    return report


def remember(ws: Workspace, report: CheckReport, revision: int) -> None:
    """Keep what a checked write knew of its base revision for its new ``revision``.

    The new resolved-size totals, and (incremental check) the colour-modifier edges
    with the write's changes applied (:func:`~graphql_api.store.alias_graph.
    carry_modifier_edges`). Kept once the write's transaction commits
    (:func:`~graphql_api.store.db.on_commit`): a rolled-back revision number may be
    handed out again.
    """
    on_commit(ws.session, lambda: _remember_now(ws, report, revision))


def _remember_now(ws: Workspace, report: CheckReport, revision: int) -> None:
    database = database_of(ws.session)
    for key, total in report.totals.items():
        resolved_totals.put(database, revision, key, total)
    if report.mode == "incremental":
        changes = []
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

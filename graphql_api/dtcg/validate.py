"""Stage "validate": check a whole resolver document before anything is written.

Every theme combination is flattened and resolved (Resolver module §6.2-§6.3:
``$extends`` applied, then references) and every resolved value is checked
against its ``$type`` (Format module §8-§9, Color module). References must name a
token of the type expected where they sit (§7.4.5, §9, Resolver §6.3): a whole
alias with a declared ``$type`` must alias that type, and a reference inside a
composite must name a token of the member's type (:func:`~graphql_api.dtcg.
members.type_at`), e.g. a border ``color`` naming a ``dimension`` token is a
``TYPE_MISMATCH`` reported as ``border.color``. Only the 13 spec types are
compared (tolerant mode keeps custom types unchecked). With ``strict=True``,
values are normalised strictly (no strings for colours/dimensions/durations, no
``em``…) and a token without a type is ``MISSING_TYPE``.

With more combinations than ``max_combinations``, each context is checked once
with the other modifiers at their defaults (every layer is still resolved at
least once).

Limit (hostile input): before anything is resolved, the work is counted as, per
combination checked, :data:`COMBINATION_COST` plus the tokens of its layers; past
``limits.MAX_RESOLUTIONS`` the document is ``INVALID_RESOLVER`` and nothing is
resolved (thousands of contexts that each list one big file would otherwise
resolve that file thousands of times). A :class:`ResolutionBudget` shared by several
documents (the uploads of one API request, a batch included) makes the limit count
across all of them.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from . import errors as E  # noqa: N812 - the engine's own alias
from . import limits
from .errors import DTCGError
from .members import member_label, type_at
from .parse import flatten
from .references import ResolvedToken, resolve
from .types import NORMALISERS, normalise

if TYPE_CHECKING:
    from .resolver import ResolverDocument

Progress = Callable[[int, int], None]
#: What checking one theme combination costs besides its tokens, in token resolutions.
COMBINATION_COST = 100


def combinations(doc: ResolverDocument, max_combinations: int = 512) -> list[dict[str, str]]:
    """Theme selections to check: all of them, or one per context when there are too many."""
    mods = list(doc.modifiers.values())
    total = 1
    for m in mods:
        total *= len(m.contexts)
    if total <= max_combinations:
        names = [m.name for m in mods]
        return [
            dict(zip(names, combo, strict=True))
            for combo in itertools.product(*(list(m.contexts) for m in mods))
        ]
    defaults = {m.name: m.default or next(iter(m.contexts)) for m in mods}
    out = [defaults]
    for m in mods:
        out.extend({**defaults, m.name: ctx} for ctx in m.contexts if ctx != defaults[m.name])
    return out


def check_token(
    tok: ResolvedToken, resolved: dict[str, ResolvedToken], *, strict: bool = False
) -> Iterator[DTCGError]:
    """Problems of one resolved token: reference types, then its value vs its ``$type``.

    Args:
        tok: the token.
        resolved: every resolved token of the same theme selection (reference targets).
        strict: normalise strictly and require a type (``MISSING_TYPE``).

    Yields:
        ``TYPE_MISMATCH`` (then nothing else), else ``INVALID_VALUE`` or ``MISSING_TYPE``.
    """
    node = tok.node
    mismatches = list(_type_mismatches(tok, resolved, strict=strict))
    if mismatches:
        yield from mismatches
        return
    if tok.type is None:
        if strict:
            msg = "the type cannot be determined: no $type, no typed alias target, no typed group"
            yield DTCGError(E.MISSING_TYPE, msg, node.file, node.pointer, node.path)
        return
    try:
        normalise(tok.type, tok.value, strict=strict)
    except ValueError as exc:
        reason = str(exc)
        where = f"{tok.type}{reason}" if reason.startswith((".", "[")) else reason
        msg = f"invalid {tok.type} value: {where}"
        yield DTCGError(E.INVALID_VALUE, msg, node.file, node.pointer, node.path)


#: (expected, got, member pointer) pairs tolerant mode accepts: a typography lineHeight
#: that names a dimension token (CSS reads it as a length; Adobe Spectrum ships it).
TOLERATED_MISMATCHES = frozenset({("number", "dimension", "/lineHeight")})


def _type_mismatches(
    tok: ResolvedToken, resolved: dict[str, ResolvedToken], *, strict: bool = False
) -> Iterator[DTCGError]:
    """``TYPE_MISMATCH`` for each reference to a token of another type than expected.

    Lenient mode reads a ``number`` that aliases a ``dimension`` as the dimension's number
    (Tokens Studio, :mod:`graphql_api.dtcg.studio_forms`); ``strict`` refuses it.
    """
    node = tok.node
    for ref in tok.references:
        if ref.interpolated or ref.prop != "$value" or ref.target not in resolved:
            continue
        whole = ref.pointer == ""
        expected = node.type if whole else type_at(tok.type, ref.pointer)
        got = type_at(resolved[ref.target].type, ref.into)
        if not strict and (expected, got, ref.pointer) in TOLERATED_MISMATCHES:
            continue
        if not strict and {expected, got} == {"number", "dimension"}:
            continue  # Tokens Studio: a number read from a dimension, a number as px
        if expected in NORMALISERS and got in NORMALISERS and expected != got:
            place = "declared $type" if whole else f"{tok.type}{member_label(ref.pointer)}"
            msg = (
                f"{place} is {expected!r} but the reference {{{ref.target}}}"
                f"{ref.into and ' at ' + ref.into} is of type {got!r}"
            )
            yield DTCGError(E.TYPE_MISMATCH, msg, node.file, node.pointer, node.path)


def _value_errors(
    resolved: dict[str, ResolvedToken],
    strict: bool = False,
    memo: dict[tuple[Any, ...], tuple[Any, Any, list[DTCGError]]] | None = None,
) -> list[DTCGError]:
    """Problems of every token, leaving out tokens that reference a token with a problem.

    Like :func:`~graphql_api.dtcg.references.resolve`, an error is reported where it
    is, not again at every alias or composite that uses the broken token.
    """
    found: dict[str, list[DTCGError]] = {}
    for p, t in resolved.items():
        if memo is None:
            found[p] = list(check_token(t, resolved, strict=strict))
            continue
        # The result depends only on the node, its resolved value, its type and the types
        # of its references' targets; across combinations most tokens repeat all four.
        target_types = tuple(
            resolved[r.target].type if r.target in resolved else None for r in t.references
        )
        key = (id(t.node), id(t.value), t.type, target_types)
        hit = memo.get(key)
        if hit is None:  # the entry keeps node and value alive, so their ids stay unique
            hit = (t.node, t.value, list(check_token(t, resolved, strict=strict)))
            memo[key] = hit
        found[p] = hit[2]
    return [
        err
        for p, errs in found.items()
        if not any(found.get(r.target) for r in resolved[p].references)
        for err in errs
    ]


def merge_problems(loading: list[DTCGError], validation: list[DTCGError]) -> list[DTCGError]:
    """The problems of loading then validating, each once.

    A token the loader already reported (same code, file and JSON Pointer) is not
    reported again by validation (``--strict`` math: the importer's ``INVALID_VALUE``).
    """
    seen = {(e.code, e.file, e.pointer) for e in loading}
    return [*loading, *(e for e in validation if (e.code, e.file, e.pointer) not in seen)]


@dataclass(slots=True)
class ResolutionBudget:
    """Token resolutions that validations sharing this budget may still do.

    Attributes:
        used: resolutions counted so far (``limits.MAX_RESOLUTIONS`` in all, read when
            checked).
    """

    used: int = 0

    def left(self) -> int:
        """Resolutions still allowed."""
        return limits.MAX_RESOLUTIONS - self.used


def combination_work(layer_sizes: Iterable[int]) -> int:
    """The work one combination counts against ``limits.MAX_RESOLUTIONS``.

    :data:`COMBINATION_COST` plus the tokens of its layers (``layer_sizes``: tokens per
    layer, as stored). A write's incremental check sums it over the combinations it checks,
    as the full validation does before resolving anything.
    """
    return COMBINATION_COST + sum(layer_sizes)


def _too_much_work(
    doc: ResolverDocument, combos: list[dict[str, str]], budget: ResolutionBudget
) -> DTCGError | None:
    """An ``INVALID_RESOLVER`` error when checking ``combos`` passes what ``budget`` has left.

    Otherwise the work is counted in ``budget``.
    """
    work, allowed = 0, budget.left()
    for selection in combos:
        work += combination_work(len(d.tokens) for d in doc.layers(selection))
        if work > allowed:
            shared = (
                f", {budget.used} of them already used by this request's other documents"
                if budget.used
                else ""
            )
            msg = (
                f"validating {len(combos)} theme combinations would resolve more than "
                f"{limits.MAX_RESOLUTIONS} tokens (limits.MAX_RESOLUTIONS{shared}): too many "
                "contexts, or the same large files listed by many of them"
            )
            return DTCGError(E.INVALID_RESOLVER, msg, path="")
    budget.used += work
    return None


def validate_document(
    doc: ResolverDocument,
    *,
    progress: Progress | None = None,
    max_combinations: int = 512,
    strict: bool = False,
    selections: Iterable[dict[str, str]] | None = None,
    budget: ResolutionBudget | None = None,
) -> list[DTCGError]:
    """Every problem of a loaded resolver document, each reported once.

    Args:
        doc: the loaded document (see :func:`~graphql_api.dtcg.resolver.load_resolver`;
            load it with ``strict=True`` too for the file-level strict checks).
        progress: called with (combinations done, total) after each one.
        max_combinations: above this, check one combination per context.
        strict: reject the tolerated value forms (:mod:`graphql_api.dtcg.types`), tokens
            without a type, and the Tokens Studio forms (math, colour modifiers, a
            ``number`` aliasing a ``dimension``) that lenient resolution computes.
        selections: check only these theme selections (complete: one context per
            modifier), e.g. those a write touched; default: :func:`combinations`.
        budget: resolutions shared with other documents (default: this one alone gets
            ``limits.MAX_RESOLUTIONS``); the work of this document is counted in it.

    Returns:
        Errors with codes ``CIRCULAR_REFERENCE``, ``UNRESOLVABLE_REFERENCE``,
        ``GROUP_REFERENCE``, ``INVALID_REFERENCE``, ``INVALID_EXTENDS``,
        ``CIRCULAR_EXTENDS``, ``TYPE_MISMATCH``, ``INVALID_VALUE`` and (strict)
        ``MISSING_TYPE``; empty if valid.
    """
    seen: dict[tuple[str, str, str, str], DTCGError] = {}
    memo: dict[tuple[Any, ...], tuple[Any, Any, list[DTCGError]]] = {}
    combos = combinations(doc, max_combinations) if selections is None else list(selections)
    too_much = _too_much_work(doc, combos, budget if budget is not None else ResolutionBudget())
    if too_much is not None:
        return [too_much]
    for i, selection in enumerate(combos, 1):
        resolved, errs = resolve(flatten(doc.layers(selection)), strict=strict)
        errs.extend(_value_errors(resolved, strict, memo))
        for err in errs:
            # once per token and kind, even if its (resolved) value differs between themes
            seen.setdefault((err.code, err.file, err.pointer, err.path), err)
        if progress:
            progress(i, len(combos))
    return list(seen.values())

"""Stage "validate": check a whole resolver document before anything is written.

Every theme combination is flattened and resolved (Resolver module §4.2) and every
resolved value is checked against its ``$type`` (Format module §8–§9). With more
combinations than ``max_combinations``, each context is checked once with the
other modifiers at their defaults (every layer is still resolved at least once).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator

from . import errors as E
from .errors import DTCGError
from .parse import flatten
from .references import ResolvedToken, resolve
from .resolver import ResolverDocument
from .types import NORMALISERS, normalise

Progress = Callable[[int, int], None]


def combinations(doc: ResolverDocument, max_combinations: int = 512) -> list[dict[str, str]]:
    """Theme selections to check: all of them, or one per context when there are too many."""
    mods = list(doc.modifiers.values())
    total = 1
    for m in mods:
        total *= len(m.contexts)
    if total <= max_combinations:
        names = [m.name for m in mods]
        return [dict(zip(names, combo, strict=True)) for combo in
                itertools.product(*(list(m.contexts) for m in mods))]  # fmt: skip
    defaults = {m.name: m.default or next(iter(m.contexts)) for m in mods}
    out = [defaults]
    for m in mods:
        out.extend({**defaults, m.name: ctx} for ctx in m.contexts if ctx != defaults[m.name])
    return out


def check_token(tok: ResolvedToken, resolved: dict[str, ResolvedToken]) -> Iterator[DTCGError]:
    """Problems of one resolved token: value vs ``$type``; alias type vs declared type."""
    node = tok.node
    if tok.alias_of is not None and node.type is not None:
        target_type = resolved[tok.alias_of].type
        if target_type in NORMALISERS and node.type in NORMALISERS and target_type != node.type:
            yield DTCGError(
                E.TYPE_MISMATCH,
                f"declared $type {node.type!r} but aliases {{{tok.alias_of}}} of type "
                f"{target_type!r}",
                node.file, node.pointer, node.path,
            )  # fmt: skip
            return
    try:
        normalise(tok.type, tok.value)
    except ValueError as exc:
        yield DTCGError(
            E.INVALID_VALUE, f"invalid {tok.type} value: {exc}", node.file, node.pointer, node.path
        )


def _value_errors(resolved: dict[str, ResolvedToken]) -> list[DTCGError]:
    """Problems of every token, leaving out tokens that reference a token with a problem.

    Like :func:`~graphql_api.dtcg.references.resolve`, an error is reported where it
    is, not again at every alias or composite that uses the broken token.
    """
    found = {p: list(check_token(t, resolved)) for p, t in resolved.items()}
    return [
        err
        for p, errs in found.items()
        if not any(found.get(r.target) for r in resolved[p].references)
        for err in errs
    ]


def validate_document(
    doc: ResolverDocument, *, progress: Progress | None = None, max_combinations: int = 512
) -> list[DTCGError]:
    """Every problem of a loaded resolver document, each reported once.

    Args:
        doc: the loaded document (see :func:`~graphql_api.dtcg.resolver.load_resolver`).
        progress: called with (combinations done, total) after each one.
        max_combinations: above this, check one combination per context.

    Returns:
        Errors with codes ``CIRCULAR_REFERENCE``, ``UNRESOLVABLE_REFERENCE``,
        ``GROUP_REFERENCE``, ``TYPE_MISMATCH``, ``INVALID_VALUE``; empty if valid.
    """
    seen: dict[tuple[str, str, str, str], DTCGError] = {}
    combos = combinations(doc, max_combinations)
    for i, selection in enumerate(combos, 1):
        resolved, errs = resolve(flatten(doc.layers(selection)))
        errs.extend(_value_errors(resolved))
        for err in errs:
            # once per token and kind, even if its (resolved) value differs between themes
            seen.setdefault((err.code, err.file, err.pointer, err.path), err)
        if progress:
            progress(i, len(combos))
    return list(seen.values())

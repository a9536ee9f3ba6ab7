"""Random token graphs for the property tests of the resolver (Hypothesis strategies).

A graph is a list of :class:`Spec`, one per token ``g{i % 3}.t{i}``: a literal, a
whole-value alias (curly or ``$ref``), a composite whose members reference other tokens,
or an alias to a token that does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from hypothesis import strategies as st


@dataclass(frozen=True)
class Spec:
    """One token of a drawn graph: a literal, or references to other token indices."""

    kind: str  # "literal" | "alias" | "pointer" | "composite" | "dangling"
    refs: tuple[int, ...] = ()
    literal: int = 0


def name(i: int) -> str:
    """The path of token ``i``."""
    return f"g{i % 3}.t{i}"


def raw_value(spec: Spec) -> Any:
    """The ``$value`` a spec is written as."""
    if spec.kind == "literal":
        return spec.literal
    if spec.kind == "alias":
        return "{" + name(spec.refs[0]) + "}"
    if spec.kind == "pointer":
        return {"$ref": "#/" + name(spec.refs[0]).replace(".", "/") + "/$value"}
    if spec.kind == "dangling":
        return "{missing.t" + str(spec.literal) + "}"
    return {f"m{k}": "{" + name(r) + "}" for k, r in enumerate(spec.refs)}


@cache  # one strategy object per n: Hypothesis validates each new object again
def specs(n: int) -> st.SearchStrategy[Spec]:
    """One token of a graph of ``n`` tokens (its references among them)."""
    index = st.integers(0, n - 1)
    return st.one_of(
        st.builds(Spec, st.just("literal"), st.just(()), st.integers(0, 99)),
        st.builds(Spec, st.just("alias"), st.tuples(index)),
        st.builds(Spec, st.just("pointer"), st.tuples(index)),
        st.builds(Spec, st.just("composite"), st.lists(index, min_size=1, max_size=3).map(tuple)),
        st.builds(Spec, st.just("dangling"), st.just(()), st.integers(0, 9)),
    )

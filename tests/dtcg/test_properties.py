"""Property tests: resolution of random token graphs against a brute-force reference.

Hypothesis draws token graphs (DAGs and graphs with cycles): each token is a
literal, a whole-value alias (curly or ``$ref``), a composite value with several
references, or an alias to a token that does not exist. A naive resolver written
here follows every chain with a visited set, without memoisation or graph
algorithms, and gives the expected outcome of every token; the engine must agree:

* every token on a cycle (it can reach itself) is reported ``CIRCULAR_REFERENCE``,
  once, and no token off the cycles is;
* each ``CIRCULAR_REFERENCE`` message names a real cycle through that token;
* a token off the cycles whose first failing reference is dangling is
  ``UNRESOLVABLE_REFERENCE``; one that only leads into a failure is silently left out;
* every other token resolves to exactly the value the naive resolver computes.
"""

from __future__ import annotations

import itertools
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from graphql_api.dtcg import errors as E  # noqa: N812 - the engine's own alias
from graphql_api.dtcg.parse import parse_document
from graphql_api.dtcg.references import resolve
from tests.reference_graphs import Spec, name, raw_value, specs

MAX_TOKENS = 12


@st.composite
def graphs(draw: st.DrawFn) -> list[Spec]:
    n = draw(st.integers(1, MAX_TOKENS))
    return draw(st.lists(specs(n), min_size=n, max_size=n))


@st.composite
def dags(draw: st.DrawFn) -> list[Spec]:
    """Graphs whose references only point to later tokens: no cycle is possible."""
    specs = draw(graphs())
    n = len(specs)
    out = []
    for i, s in enumerate(specs):
        if s.kind in ("alias", "pointer", "composite") and i < n - 1:
            refs = tuple(i + 1 + (r % (n - i - 1)) for r in s.refs)
            out.append(Spec(s.kind, refs, s.literal))
        elif s.kind in ("alias", "pointer", "composite"):
            out.append(Spec("literal", (), 7))
        else:
            out.append(s)
    return out


class Naive:
    """Brute force: follow every chain with a visited set; no memo, no graph algorithm."""

    def __init__(self, specs: list[Spec]) -> None:
        self.specs = specs

    def reaches(self, start: int, goal: int) -> bool:
        seen: set[int] = set()
        todo = list(self.specs[start].refs)
        while todo:
            i = todo.pop()
            if i == goal:
                return True
            if i not in seen:
                seen.add(i)
                todo.extend(self.specs[i].refs)
        return False

    def on_cycle(self, i: int) -> bool:
        return self.reaches(i, i)

    def outcome(self, i: int, visiting: frozenset[int] = frozenset()) -> tuple[str, Any]:
        """("ok", value) | ("dangling", None) | ("fail", None)."""
        spec = self.specs[i]
        if i in visiting or self.on_cycle(i):
            return "fail", None
        if spec.kind == "dangling":
            return "dangling", None
        if spec.kind == "literal":
            return "ok", spec.literal
        got = []
        for r in spec.refs:
            status, value = self.outcome(r, visiting | {i})
            if status != "ok":
                return "fail", None
            got.append(value)
        if spec.kind == "composite":
            return "ok", {f"m{k}": v for k, v in enumerate(got)}
        return "ok", got[0]


def check(specs: list[Spec]) -> None:
    data: dict[str, Any] = {}
    for i, spec in enumerate(specs):
        data.setdefault(f"g{i % 3}", {})[f"t{i}"] = {"$value": raw_value(spec)}
    doc, errs = parse_document(data, file="p.json")
    assert errs == []
    out, errs = resolve(doc)
    naive = Naive(specs)

    cyclic = {name(i) for i in range(len(specs)) if naive.on_cycle(i)}
    dangling = {name(i) for i in range(len(specs)) if naive.outcome(i)[0] == "dangling"}
    expected = {
        name(i): naive.outcome(i)[1] for i in range(len(specs)) if naive.outcome(i)[0] == "ok"
    }

    circular = [e for e in errs if e.code == E.CIRCULAR_REFERENCE]
    assert sorted(e.path for e in circular) == sorted(cyclic)  # each once, none off a cycle
    unresolvable = {e.path for e in errs if e.code == E.UNRESOLVABLE_REFERENCE}
    assert unresolvable == dangling
    assert len(errs) == len(circular) + len(unresolvable)
    assert {p: t.value for p, t in out.items()} == expected

    edges = {name(i): {name(r) for r in s.refs} for i, s in enumerate(specs)}
    for err in circular:
        loop = err.message.split(": ", 1)[1].split(" → ")
        assert loop[0] == loop[-1]
        assert err.path in loop  # one message per loop, shared by its tokens
        assert all(b in edges[a] for a, b in itertools.pairwise(loop))


@settings(max_examples=600, deadline=None)
@given(graphs())
def test_resolution_matches_brute_force_on_any_graph(specs: list[Spec]) -> None:
    check(specs)


@settings(max_examples=150, deadline=None)
@given(dags())
def test_dags_never_report_cycles(specs: list[Spec]) -> None:
    check(specs)
    doc, _ = parse_document(
        {f"g{i % 3}": {} for i in range(len(specs))}
        | {
            f"g{g}": {f"t{i}": {"$value": raw_value(s)} for i, s in enumerate(specs) if i % 3 == g}
            for g in range(3)
        }
    )
    _, errs = resolve(doc)
    assert all(e.code != E.CIRCULAR_REFERENCE for e in errs)

"""Property test: the incremental write check says what the full validation says.

Hypothesis draws a layered design system that validates without problems (a set and
two modifiers of two contexts; tokens with literals of several types, whole-value aliases
in both syntaxes, composites and interpolated strings with references, colour modifiers
whose amount is a reference, group ``$type`` and ``$deprecated`` to inherit, contexts
that override the set's values), then an edit of a few tokens in a few layers: new
values of any type (invalid ones too), new references (cycles, dangling ones, type
mismatches), removals and new tokens; sometimes with a resolved-size budget that the
largest theme before the edit nearly fills.
The full validation of every combination that contains an edited layer is the reference
implementation; :func:`~graphql_api.dtcg.incremental_check.check_edit` must find the new
state valid exactly when it reports no problem, and its size deltas must be the true
change of each theme's resolved size.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from graphql_api.dtcg import limits
from graphql_api.dtcg.incremental_check import (
    EditCache,
    check_edit,
    dependants,
    edit_problems,
    layer_edits,
    paths_under,
    regrouped,
    reverse_references,
    sorted_layers,
    total_size,
    valid_total_size,
)
from graphql_api.dtcg.nodes import flatten
from graphql_api.dtcg.parse import parse_document
from graphql_api.dtcg.resolver import Modifier, ResolverDocument, TokenSet
from graphql_api.dtcg.validate import combinations, validate_document

if TYPE_CHECKING:
    from collections.abc import Callable

    from graphql_api.dtcg.nodes import Document

TOKENS = 8  # 2-8 paths in 3 groups: every kind, cycle and override shape still occurs
LAYERS = ("base", "theme:light", "theme:dark", "size:s", "size:m")


@dataclass(frozen=True)
class Spec:
    """One token value: a literal of some kind, or references to other token indices."""

    kind: str
    refs: tuple[int, ...] = ()
    n: int = 0


def name(i: int) -> str:
    return f"g{i % 3}.t{i}"


def ref(i: int) -> str:
    return "{" + name(i) + "}"


def _modified(spec: Spec) -> dict[str, Any]:
    studio = {"modify": {"type": "lighten", "value": ref(spec.refs[0]), "space": "srgb"}}
    extensions = {"studio.tokens": studio}
    return {"$type": "color", "$value": f"#{spec.n:02x}3366", "$extensions": extensions}


def _border(spec: Spec) -> dict[str, Any]:
    color, width = (spec.refs * 2)[:2]
    value = {"color": ref(color), "width": ref(width), "style": "solid"}
    return {"$type": "border", "$value": value}


def _pointer(i: int) -> dict[str, Any]:
    return {"$ref": "#/" + name(i).replace(".", "/") + "/$value"}


SCALARS = ("color", "dimension", "number")
BUILDERS: dict[str, Callable[[Spec], dict[str, Any]]] = {
    "number": lambda s: {"$type": "number", "$value": s.n},
    "color": lambda s: {"$type": "color", "$value": f"#{s.n * 2:02x}{s.n:02x}aa"},
    "dimension": lambda s: {"$type": "dimension", "$value": {"value": s.n, "unit": "px"}},
    "bad": lambda s: {"$type": SCALARS[s.n % 3], "$value": "nonsense"},
    "alias": lambda s: {"$value": ref(s.refs[0])},
    "pointer": lambda s: {"$value": _pointer(s.refs[0])},
    "typed_alias": lambda s: {"$type": SCALARS[s.n % 3], "$value": ref(s.refs[0])},
    "border": _border,
    "interpolated": lambda s: {"$value": " ".join(map(ref, s.refs)) + " x" + "y" * s.n},
    "modified": _modified,
    "dangling": lambda s: {"$value": "{missing.t" + str(s.n) + "}"},
    "group_reference": lambda s: {"$value": "{g" + str(s.n % 3) + "}"},  # a group, or nothing
}
KINDS = tuple(BUILDERS)


def token_object(spec: Spec) -> dict[str, Any]:
    """The DTCG token object of a spec (groups: g0 untyped, g1 ``number``, g2 deprecated)."""
    return BUILDERS[spec.kind](spec)


@cache  # one strategy object per n: Hypothesis validates each new object again
def specs(n: int) -> st.SearchStrategy[Spec]:
    index = st.integers(0, n - 1)
    refs = st.lists(index, min_size=1, max_size=3).map(tuple)
    return st.builds(Spec, st.sampled_from(KINDS), refs, st.integers(0, 60))


def group_properties(spec: Spec) -> dict[str, Any]:
    """A layer's own properties of a group (an edit at index -1, -2, -3: ``g0``-``g2``)."""
    if spec.kind in SCALARS:
        return {"$type": spec.kind}
    if spec.kind == "alias":
        return {"$deprecated": f"since {spec.n}"}
    return {"$description": f"group {spec.n}"}  # nothing a token inherits


def layer_document(tokens: dict[int, Spec]) -> Document:
    data: dict[str, Any] = {"g0": {}, "g1": {"$type": "number"}, "g2": {"$deprecated": "old"}}
    for i, spec in sorted(tokens.items()):
        if i < 0:
            data[f"g{-i - 1}"].update(group_properties(spec))
        else:
            data[f"g{i % 3}"][f"t{i}"] = token_object(spec)
    doc, errors = parse_document(data, file="p.json")
    assert not errors
    return doc


def resolver(
    layers: dict[str, dict[int, Spec]], unchanged: ResolverDocument | None = None
) -> ResolverDocument:
    """The system of ``layers``; those not in ``layers`` are ``unchanged``'s documents.

    An edit's state after shares its unedited layers with the state before, as a write's
    workspace does (parsing them again would only cost time).
    """

    def document(label: str) -> Document:
        if label in layers or unchanged is None:
            return layer_document(layers[label])
        return layer_of(unchanged, label)

    doc = ResolverDocument("p", None, "2025.10")
    doc.sets["base"] = TokenSet("base", document("base"))
    for mod in ("theme", "size"):
        contexts = {lab.split(":")[1]: document(lab) for lab in LAYERS if lab[:4] == mod[:4]}
        doc.modifiers[mod] = Modifier(mod, contexts, None, None)
    doc.order = [("set", "base"), ("modifier", "theme"), ("modifier", "size")]
    return doc


def layer_of(doc: ResolverDocument, label: str) -> Document:
    if ":" not in label:
        return doc.sets[label].document
    mod, ctx = label.split(":")
    return doc.modifiers[mod].contexts[ctx]


Layers = dict[str, dict[int, Spec]]
Edit = dict[tuple[str, int], Spec | None]


@st.composite
def systems(draw: st.DrawFn) -> tuple[int, Layers]:
    """A system of ``n`` token paths: the set's tokens, and a few overrides per context."""
    n = draw(st.integers(2, TOKENS))
    base = {i: draw(specs(n)) for i in range(n)}
    layers: Layers = {"base": base}
    for lab in LAYERS[1:]:  # each context overrides a few of the set's tokens
        keys = draw(st.lists(st.integers(0, n - 1), max_size=3, unique=True))
        layers[lab] = {i: draw(specs(n)) for i in keys}
    return n, layers


@cache  # one strategy object per n, as for specs
def edits(n: int) -> st.SearchStrategy[tuple[Edit, int | None]]:
    """An edit of a system of ``n`` paths, and the slack of a size budget (None: no budget)."""
    # 2 new paths; -1..-3: the layer's own properties of group g0..g2
    places = st.tuples(st.sampled_from(LAYERS), st.integers(-3, n + 1))
    edit = st.dictionaries(places, st.none() | specs(n + 2), min_size=1, max_size=4)
    return st.tuples(edit, st.none() | st.integers(0, 40))


# Edits drawn per system: each is checked against the same state before, so the system's
# drawing, repair and validation are shared by them (the cost of an example was mostly
# those). 300 systems draw 2,000 and more edits.
EDITS_PER_SYSTEM = (6, 10)
SYSTEMS = 300
MIN_EDITS = 2000  # the issue asks for incremental = full on thousands of random edits


@st.composite
def edited_systems(draw: st.DrawFn) -> tuple[Layers, list[tuple[Edit, int | None]]]:
    n, layers = draw(systems())
    return layers, draw(
        st.lists(edits(n), min_size=EDITS_PER_SYSTEM[0], max_size=EDITS_PER_SYSTEM[1])
    )


def repaired(layers: Layers) -> Layers | None:
    """``layers`` with every token that has a problem made a number literal, or None.

    Random systems mostly have a problem somewhere; a stored state never has one.
    """
    found = repaired_system(layers)
    return None if found is None else found[0]


def repaired_system(layers: Layers) -> tuple[Layers, ResolverDocument] | None:
    """:func:`repaired`'s layers with their system, which validates without problems."""
    for _ in range(6):
        doc = resolver(layers)
        problems = validate_document(doc)
        if not problems:
            return layers, doc
        bad = {int(e.path.rsplit(".t", 1)[1]) for e in problems if e.path}
        if not bad:
            return None
        layers = {
            lab: {i: Spec("number", (), 1) if i in bad else s for i, s in tokens.items()}
            for lab, tokens in layers.items()
        }
    return None


def apply(layers: Layers, edit: Edit) -> Layers:
    """The edited layers of ``layers`` after ``edit`` (the others are left out)."""
    out = {lab: dict(layers[lab]) for lab, _ in edit}
    for (lab, i), spec in edit.items():
        if spec is None:
            out[lab].pop(i, None)
        else:
            out[lab][i] = spec
    return out


def selections_touching(doc: ResolverDocument, labels: set[str]) -> list[dict[str, str]]:
    """What :meth:`Workspace.selections` checks: combinations with an edited layer."""
    every = combinations(doc)
    if "base" in labels:
        return every
    return [s for s in every if any(f"{m}:{c}" in labels for m, c in s.items())]


def layers_of(doc: ResolverDocument, selection: dict[str, str]) -> list[Document]:
    return doc.layers(selection)


@dataclass
class Before:
    """A valid system's state before an edit, with what every edit of it reads."""

    layers: Layers
    doc: ResolverDocument
    graph: dict[str, set[str]]
    totals: dict[tuple[tuple[str, str], ...], int]  # a selection's resolved size, once known

    def total(self, selection: dict[str, str]) -> int:
        key = tuple(sorted(selection.items()))
        if key not in self.totals:
            self.totals[key] = total_size(layers_of(self.doc, selection))
        return self.totals[key]


def check_one_edit(before: Before, edit: Edit, slack: int | None) -> None:
    """Check one edit of ``before`` incrementally and against the full validation."""
    saved = limits.MAX_RESOLVED_SIZE
    if slack is not None:  # a budget the largest theme before the edit nearly fills
        largest = max(before.total(s) for s in combinations(before.doc))
        limits.MAX_RESOLVED_SIZE = largest + slack
    try:
        after = resolver(apply(before.layers, edit), unchanged=before.doc)
        labels = {lab for lab, _ in edit}
        selections = selections_touching(after, labels)
        # the full validation as writes/check.py's full_check runs it: layers sorted by path,
        # which orders the problems as edit_problems words them (and finds the same ones)
        expected = validate_document(sorted_layers(after), selections=selections)

        edited: set[str] = set()
        groups: set[str] = set()
        for lab in labels:
            edited |= layer_edits(layer_of(before.doc, lab), layer_of(after, lab))
            groups |= regrouped(layer_of(before.doc, lab), layer_of(after, lab))
        every = {
            p for doc in (before.doc, after) for lab in LAYERS for p in layer_of(doc, lab).tokens
        }
        edited |= paths_under(every, groups)  # what writes/check.py's _edited adds
        if groups:
            event("a group's inherited properties changed")
        pairs = [(layers_of(before.doc, s), layers_of(after, s)) for s in selections]
        totals = [lambda s=s: before.total(s) for s in selections]
        referrers = lambda ps: {r for p in ps for r in before.graph.get(p, ())}  # noqa: E731
        affected = dependants(referrers, edited)
        got = check_edit(pairs, affected, totals)
        wholes = [flatten(new).tokens for _, new in pairs]

        def is_group(i: int, path: str) -> bool:
            return any(p.startswith(path + ".") for p in wholes[i])

        worded = None if got.valid else edit_problems(pairs, affected, is_group)
        if worded is not None and worded.problems:  # what a refused write answers (_refuse)
            budget = limits.MAX_RESOLVED_SIZE
            if all(
                g <= 0 or before.total(s) + g <= budget
                for g, s in zip(worded.growth, selections, strict=True)
            ):
                assert worded.problems == expected, edit
                event("refusal worded incrementally")
    finally:
        limits.MAX_RESOLVED_SIZE = saved
    event("valid" if got.valid else f"refused: {sorted({e.code for e in expected})}")
    assert got.valid == (not expected), (edit, expected)
    if got.valid:
        true_deltas = [
            total_size(new) - before.total(s) for s, (_, new) in zip(selections, pairs, strict=True)
        ]
        assert got.deltas == true_deltas, edit


EDITS_CHECKED: list[int] = []  # per system checked, its number of edits


@settings(
    max_examples=SYSTEMS,
    deadline=None,
    derandomize=True,  # the same systems and edits on every run: the count below is stable
    suppress_health_check=[HealthCheck.filter_too_much],
)
@given(edited_systems())
def check_random_edits(system: tuple[Layers, list[tuple[Edit, int | None]]]) -> None:
    found = repaired_system(system[0])
    assume(found is not None)  # every stored state passed the check
    assert found is not None
    layers, doc = found
    before = Before(layers, doc, reverse_references(layer_of(doc, lab) for lab in LAYERS), {})
    for edit, slack in system[1]:
        check_one_edit(before, edit, slack)
    EDITS_CHECKED.append(len(system[1]))


def test_incremental_check_equals_full_validation() -> None:
    """On thousands of random edits of random valid systems (see the module docstring)."""
    EDITS_CHECKED.clear()
    check_random_edits()
    print(f"incremental = full on {sum(EDITS_CHECKED)} random edits")  # noqa: T201
    assert sum(EDITS_CHECKED) >= MIN_EDITS


@settings(
    max_examples=500,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.filter_too_much],
)
@given(systems())
def test_a_valid_themes_total_from_raw_values_equals_resolving_it(
    system: tuple[int, Layers],
) -> None:
    """``valid_total_size`` (what a write's first check uses) = ``total_size`` (resolved whole).

    On every combination of a valid system (interpolated strings, pointers, composites,
    colour modifiers and property references included), and with one cache shared by the
    combinations, as the write check shares it.
    """
    found = repaired_system(system[1])
    assume(found is not None)
    assert found is not None
    _, doc = found
    shared = EditCache()
    for selection in combinations(doc):
        expected = total_size(doc.layers(selection))
        assert valid_total_size(doc.layers(selection), shared) == expected, selection
        assert valid_total_size(doc.layers(selection)) == expected, selection


def test_selections_that_differ_only_in_empty_layers_check_alike() -> None:
    """Selections are checked once per set of layers holding something, and no further.

    The ``size`` contexts are ``m`` (overrides ``g0.t1`` with a literal) and ``s`` (empty);
    the themes are empty. Making ``g0.t0`` a dimension breaks ``g0.t1`` (a colour that
    aliases it) where ``s`` applies only: ``(light, m)`` is checked first and valid,
    ``(light, s)`` must not take its answer, while ``(dark, s)`` may take ``(light, s)``'s.
    """

    def document(data: dict[str, Any]) -> Document:
        doc, errors = parse_document(data, file="p.json")
        assert not errors
        return doc

    def system(t0: dict[str, Any]) -> ResolverDocument:
        doc = ResolverDocument("p", None, "2025.10")
        base = {"g0": {"t0": t0, "t1": {"$type": "color", "$value": "{g0.t0}"}}}
        doc.sets["base"] = TokenSet("base", document(base))
        themes = {"light": document({}), "dark": document({})}
        override = {"g0": {"t1": {"$type": "color", "$value": "#00ff00"}}}
        sizes = {"m": document(override), "s": document({})}
        doc.modifiers["theme"] = Modifier("theme", themes, None, None)
        doc.modifiers["size"] = Modifier("size", sizes, None, None)
        doc.order = [("set", "base"), ("modifier", "theme"), ("modifier", "size")]
        return doc

    before = system({"$type": "color", "$value": "#ff0000"})
    after = system({"$type": "dimension", "$value": {"value": 1, "unit": "px"}})
    selections = combinations(after)
    assert selections[:2] == [{"theme": "light", "size": "m"}, {"theme": "light", "size": "s"}]
    assert validate_document(after, selections=selections)  # broken where s applies
    pairs = [(layers_of(before, s), layers_of(after, s)) for s in selections]
    totals = [lambda old=old: total_size(old) for old, _ in pairs]
    got = check_edit(pairs, {"g0.t0", "g0.t1"}, totals)
    assert not got.valid
    assert len(got.deltas) == 1  # (light, m) valid, then (light, s) found invalid

"""Property test: re-resolving what a change reaches equals resolving everything.

Hypothesis draws a token graph that resolves without problems (references point to
later tokens only) (literals, whole-value
aliases in both syntaxes, composites with several references, a group ``$type`` and
``$deprecated`` to inherit), then an edit of a few tokens: new values, new references
(possibly cycles or dangling ones), removals and new tokens. The full resolution of the
edited document is the reference; :func:`graphql_api.dtcg.incremental.reresolve` must
give exactly its tokens and sizes, or say it cannot (None) exactly when the full
resolution finds a problem.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from graphql_api.dtcg.incremental import reresolve, resolve_sized
from graphql_api.dtcg.parse import parse_document
from graphql_api.dtcg.references import resolve
from tests.reference_graphs import Spec, name, raw_value, specs

if TYPE_CHECKING:
    from graphql_api.dtcg.nodes import Document

MAX_TOKENS = 14


def document(tokens: dict[int, Spec]) -> Document:
    data: dict[str, Any] = {
        "g0": {"$deprecated": "old"},
        "g1": {"$type": "number"},
        "g2": {},
    }
    for i, spec in tokens.items():
        data[f"g{i % 3}"][f"t{i}"] = {"$value": raw_value(spec)}
    doc, errors = parse_document(data, file="p.json")
    assert not errors
    return doc


def _acyclic(i: int, n: int, spec: Spec) -> Spec:
    """``spec`` with references only to later tokens and none dangling: it resolves."""
    if spec.kind == "dangling" or (spec.refs and i == n - 1):
        return Spec("literal", (), spec.literal)
    return Spec(spec.kind, tuple(i + 1 + r % (n - i - 1) for r in spec.refs), spec.literal)


@st.composite
def edited_systems(draw: st.DrawFn) -> tuple[dict[int, Spec], dict[int, Spec | None]]:
    n = draw(st.integers(1, MAX_TOKENS))
    before = {i: _acyclic(i, n, draw(specs(n))) for i in range(n)}
    targets = st.integers(0, n + 2)  # up to 3 new tokens
    edit = draw(st.dictionaries(targets, st.none() | specs(n + 3), min_size=1, max_size=4))
    return before, edit


@settings(max_examples=300, deadline=None)
@given(edited_systems())
def test_reresolve_equals_a_full_resolution(
    system: tuple[dict[int, Spec], dict[int, Spec | None]],
) -> None:
    before_specs, edit = system
    before_doc = document(before_specs)
    sized, errors = resolve_sized(before_doc)
    assume(not errors)  # a cached snapshot never has problems
    after_specs = {**before_specs, **{i: s for i, s in edit.items() if s is not None}}
    for i, s in edit.items():
        if s is None:
            after_specs.pop(i, None)
    after_doc = document(after_specs)
    expected, expected_errors = resolve(after_doc)
    full, _ = resolve_sized(after_doc)
    back: dict[str, list[str]] = {}
    for path, tok in sized.tokens.items():
        for target in dict.fromkeys(r.target for r in tok.references):
            back.setdefault(target, []).append(path)
    changed = {name(i): after_doc.tokens.get(name(i)) for i in edit}
    got = reresolve(sized, back, changed)
    if expected_errors:
        assert got is None
        return
    assert got is not None
    assert got.tokens == expected
    assert got.sizes == full.sizes
    assert set(got.tokens) == set(after_doc.tokens)


def test_a_colour_modifier_referencing_a_token_is_never_carried() -> None:
    """``reresolve`` refuses while a token's colour modifier references another token.

    The reverse references hold no such edge, so a change to the referenced token would
    leave the modified colour stale. Looked for in every token of a resolution from scratch,
    then known (``Sized.modified``) through carried states, and in the changed nodes.
    """
    modify = {"studio.tokens": {"modify": {"type": "lighten", "value": "{g1.t1}", "space": "srgb"}}}
    plain, errors = parse_document(
        {
            "g0": {"t0": {"$type": "color", "$value": "#112233"}},
            "g1": {"t1": {"$type": "number", "$value": 0.5}},
        },
        file="p.json",
    )
    assert not errors
    modified, errors = parse_document(
        {
            "g0": {"t0": {"$type": "color", "$value": "#112233", "$extensions": modify}},
            "g1": {"t1": {"$type": "number", "$value": 0.5}},
        },
        file="p.json",
    )
    assert not errors
    new_t1 = {
        "g1.t1": parse_document({"g1": {"t1": {"$type": "number", "$value": 0.2}}})[0].tokens[
            "g1.t1"
        ]
    }
    sized, errors = resolve_sized(modified)
    assert not errors
    assert sized.modified is None  # not looked for until carried
    assert reresolve(sized, {}, new_t1) is None
    assert reresolve(replace(sized, modified=False), {}, new_t1) is not None  # trusted
    sized, errors = resolve_sized(plain)
    assert not errors
    carried = reresolve(sized, {}, new_t1)
    assert carried is not None
    assert carried.modified is False  # known from now on
    assert carried.tokens["g1.t1"].value == 0.2
    assert reresolve(carried, {}, {"g0.t0": modified.tokens["g0.t0"]}) is None
    assert reresolve(replace(carried, modified=True), {}, new_t1) is None

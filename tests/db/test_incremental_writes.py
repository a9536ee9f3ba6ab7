"""The write check on the database: incremental = full, on SQLite and PostgreSQL.

Hypothesis imports a random layered design system (the generators of
``tests/dtcg/test_incremental_check.py``) and applies random token operations one after
another (:mod:`graphql_api.writes.tokens`: create, update, per-context values, clears,
deletions, renames). Before each is stored, the same operation is checked twice on the
same stored state: by :func:`graphql_api.writes.check.check` (what every write uses) and
by :func:`~graphql_api.writes.check.full_check` (the reference implementation); both must
refuse with the same problems or both accept. The accepted operation is then stored, so
the next one runs on a state the incremental path (alias rows and all) wrote.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from graphql_api.dtcg.edits import token_object as node_object
from graphql_api.dtcg.validate import combinations
from graphql_api.store import repository
from graphql_api.writes import Invalid, Layer, Workspace, WriteRefused, replace_all, run, structure
from graphql_api.writes import tokens as ops
from graphql_api.writes.check import check, full_check
from tests.dtcg.test_incremental_check import (
    LAYERS,
    Layers,
    Spec,
    name,
    repaired,
    resolver,
    specs,
    token_object,
)
from tests.writing import workspace_of

if TYPE_CHECKING:
    from collections.abc import Callable

    from flask import Flask
    from sqlalchemy.orm import Session

Operation = tuple[str, Any]


def layer(label: str) -> Layer:
    mod, _, ctx = label.partition(":")
    return Layer(None, mod) if not ctx else Layer(mod, ctx)


def at(ws: Workspace, label: str) -> Layer:
    """The layer ``label`` as the mutations find it (NotFound once its modifier is deleted)."""
    found = layer(label)
    if found.modifier is None:
        return ws.layer(found.name)
    return ws.layer(context=(found.modifier, found.name))


@st.composite
def systems(draw: st.DrawFn) -> tuple[Layers, list[Operation]]:
    n = draw(st.integers(2, 8))
    layers: Layers = {"base": {i: draw(specs(n)) for i in range(n)}}
    for lab in LAYERS[1:]:
        keys = draw(st.lists(st.integers(0, n - 1), max_size=3, unique=True))
        layers[lab] = {i: draw(specs(n)) for i in keys}
    index = st.integers(0, n + 1)  # two paths that do not exist yet
    value = specs(n + 2).map(token_object)
    where = st.sampled_from(LAYERS)
    contexts = st.sampled_from(LAYERS[1:])
    operation = st.one_of(
        st.tuples(st.just("create"), st.tuples(index, value, where)),
        st.tuples(st.just("update"), st.tuples(index, value, st.none() | where)),
        st.tuples(st.just("set"), st.tuples(index, value, contexts)),
        st.tuples(st.just("clear"), st.tuples(index, contexts)),
        st.tuples(st.just("delete"), st.tuples(index, st.booleans())),
        st.tuples(st.just("rename"), st.tuples(index, index, st.booleans())),
        st.tuples(st.just("delete modifier"), st.sampled_from(("theme", "size"))),
    )
    return layers, draw(st.lists(operation, min_size=1, max_size=5))


def operation_of(op: Operation) -> Callable[[Workspace], str]:
    kind, args = op
    if kind == "delete modifier":
        return lambda ws: structure.delete_modifier(ws, args)
    return token_operation(op)


def token_operation(op: Operation) -> Callable[[Workspace], str]:
    kind, args = op
    if kind == "create":
        i, obj, where = args
        return lambda ws: ops.create_token(ws, name(i), obj, at(ws, where))
    if kind == "update":
        i, obj, where = args
        changes = {k: obj.get(k) for k in ("$value", "$type", "$extensions")}
        return lambda ws: ops.update_token(ws, name(i), changes, at(ws, where) if where else None)
    if kind == "set":
        i, obj, where = args
        return lambda ws: ops.set_token_value(ws, name(i), at(ws, where), obj["$value"], None)
    if kind == "clear":
        i, where = args
        return lambda ws: ops.clear_token_value(ws, name(i), at(ws, where))
    if kind == "delete":
        i, cascade = args
        return lambda ws: ops.delete_token(ws, name(i), cascade)
    i, j, follow = args
    return lambda ws: ops.rename_token(ws, name(i), name(j), follow)


def verdict(session: Session, operation: Callable[[Workspace], str], *, full: bool) -> Any:
    """The problems of checking ``operation`` on the stored state (rolled back), or why not."""
    savepoint = session.begin_nested()
    try:
        ws = workspace_of(session)
        try:
            operation(ws)
        except WriteRefused as exc:
            return ("refused by the operation", type(exc).__name__)
        try:
            if full:
                full_check(ws, ws.selections())
            else:
                check(ws, repository.current_revision(session))
        except Invalid as exc:
            return [(e.code, e.file, e.pointer, e.path, e.message) for e in exc.problems]
        return []
    finally:
        savepoint.rollback()


def _run_system(app: Flask, system: tuple[Layers, list[Operation]]) -> None:
    layers, operations = system
    fixed = repaired(layers)
    assume(fixed is not None)
    assert fixed is not None
    from graphql_api.store import db  # noqa: PLC0415

    with db.get_state(app).sessionmaker() as session:
        replace_all(session, resolver(fixed))
        session.commit()
        for op in operations:
            operation = operation_of(op)
            expected = verdict(session, operation, full=True)
            got = verdict(session, operation, full=False)
            assert got == expected, op
            if expected == []:
                run(session, operation)
                session.commit()


@pytest.mark.usefixtures("app")
def test_incremental_writes_equal_full_validation(app: Flask, database_url: str) -> None:
    examples = 60 if database_url.startswith("sqlite") else 25

    @settings(
        max_examples=examples,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    @given(systems())
    def prop(system: tuple[Layers, list[Operation]]) -> None:
        _run_system(app, system)

    prop()


def test_a_reference_written_before_its_target_existed_is_followed(app: Flask) -> None:
    """A shadowed value that names a path with no token yet: found once the path exists.

    ``g0.t0`` in the set is ``{g1.t5}`` (no such token) but every context overrides it,
    so the system is valid. Then ``g1.t5`` is created, the overrides are cleared (the set's
    value now applies) and ``g1.t5`` becomes a dimension: ``g0.t0`` (a colour)
    must be refused for a ``TYPE_MISMATCH``, found through the alias row stored when
    ``g1.t5`` got its token row.
    """
    layers: Layers = {lab: {} for lab in LAYERS}
    layers["base"] = {1: Spec("color", n=3)}
    from graphql_api.store import db  # noqa: PLC0415

    with db.get_state(app).sessionmaker() as session:
        doc = resolver(layers)
        doc.sets["base"].document.tokens["g0.t0"] = _node("g0.t0", "color", "{g1.t5}")
        for mod in doc.modifiers.values():
            for ctx in mod.contexts.values():
                ctx.tokens["g0.t0"] = _node("g0.t0", "color", "#ffffff")
        replace_all(session, doc)
        session.commit()
        obj = {"$type": "color", "$value": "#000000"}
        run(session, lambda ws: ops.create_token(ws, "g1.t5", obj, Layer(None, "base")))
        for context in [layer(lab) for lab in LAYERS[1:]]:
            run(session, _clear("g0.t0", context))
        session.commit()
        change = {"$type": "dimension", "$value": {"value": 4, "unit": "px"}}
        update = lambda ws: ops.update_token(ws, "g1.t5", change, None)  # noqa: E731
        expected = verdict(session, update, full=True)
        assert [p[0] for p in expected] == ["TYPE_MISMATCH"]
        assert verdict(session, update, full=False) == expected
        with pytest.raises(Invalid):
            run(session, update)


def test_a_new_path_links_every_value_that_names_it_in_any_form(app: Flask) -> None:
    """The alias rows a new token row gets are those of every value referencing its path.

    Shadowed values in the set name paths that have no row yet, as a curly reference, as
    a JSON Pointer (``~1`` for a ``/`` in a name, RFC 6901) and inside a composite; others
    name a path that only shares some segments or a prefix. Once the paths get their rows
    (a ``create``, a ``rename``), the alias rows must be exactly what
    :func:`~graphql_api.dtcg.refsyntax.find_references` finds in every stored value: a
    pre-filter of the candidate values on the path's text must miss none of them.
    """
    from sqlalchemy import select  # noqa: PLC0415

    from graphql_api.dtcg.refsyntax import find_references  # noqa: PLC0415
    from graphql_api.store import db  # noqa: PLC0415
    from graphql_api.store.models import Alias, Token, TokenValue  # noqa: PLC0415

    layers: Layers = {lab: {} for lab in LAYERS}
    layers["base"] = {1: Spec("color", n=3)}
    shadowed = {
        "g0.curly": ("color", "{g2.a/b}"),
        "g0.pointer": ("color", {"$ref": "#/g2/a~1b"}),
        "g0.into": ("number", {"$ref": "#/g2/a~1b/$value/alpha"}),
        "g0.border": ("border", {"color": "{g2.a/b}", "width": "1px", "style": "solid"}),
        "g0.other": ("color", "{g2.a/bc}"),  # shares a prefix, not the path
        "g0.swapped": ("color", "{a/b.g2}"),  # the same segments, another path
        "g0.renamed": ("color", "{g2.moved}"),
    }
    with db.get_state(app).sessionmaker() as session:
        doc = resolver(layers)
        for path, (type_, value) in shadowed.items():
            doc.sets["base"].document.tokens[path] = _node(path, type_, value)
            for mod in doc.modifiers.values():
                for ctx in mod.contexts.values():
                    ctx.tokens[path] = _node(path, "color", "#ffffff")
        replace_all(session, doc)
        session.commit()
        obj = {"$type": "color", "$value": "#000000"}
        run(session, lambda ws: ops.create_token(ws, "g2.a/b", obj, Layer(None, "base")))
        run(session, lambda ws: ops.rename_token(ws, "g1.t1", "g2.moved", True))
        session.commit()
        ids = set(session.scalars(select(Token.path)))
        stored = {
            (value_id, target, pointer)
            for value_id, target, pointer in session.execute(
                select(Alias.token_value_id, Token.path, Alias.pointer).join(
                    Token, Token.id == Alias.target_token_id
                )
            )
        }
        expected = {
            (value_id, r.target, r.pointer)
            for value_id, value in session.execute(select(TokenValue.id, TokenValue.value))
            for r in find_references(value)
            if r.target in ids
        }
        assert {t for _v, t, _p in expected} == {"g2.a/b", "g2.moved"}
        assert len([e for e in expected if e[1] == "g2.a/b"]) == 4
        assert stored == expected


def _clear(path: str, context: Layer) -> Callable[[Workspace], str]:
    return lambda ws: ops.clear_token_value(ws, path, context)


def _node(path: str, type_: str, value: Any) -> Any:
    from graphql_api.dtcg.edits import parse_token  # noqa: PLC0415

    node, problems = parse_token(path, {"$type": type_, "$value": value}, file="p.json")
    assert not problems
    assert node is not None
    assert node_object(node)["$value"] == value
    return node


def test_a_colour_modifier_added_by_a_write_is_followed(app: Flask) -> None:
    """A colour modifier one write adds is a dependency the next write's check follows.

    ``g0.t0`` gets a modifier whose amount is ``{g1.t1}`` (a number); the next write
    makes ``g1.t1`` a colour, which no modifier takes as an amount: refused, found through
    the colour-modifier edges the first write carried to its revision (not read again).
    """
    layers: Layers = {lab: {} for lab in LAYERS}
    layers["base"] = {0: Spec("color", n=3), 1: Spec("number", n=1)}
    extensions = token_object(Spec("modified", refs=(1,), n=3))["$extensions"]
    from graphql_api.store import db  # noqa: PLC0415

    with db.get_state(app).sessionmaker() as session:
        replace_all(session, resolver(layers))
        session.commit()
        run(session, lambda ws: ops.update_token(ws, "g0.t0", {"$extensions": extensions}, None))
        session.commit()
        change = {"$type": "color", "$value": "#000000"}
        update = lambda ws: ops.update_token(ws, "g1.t1", change, None)  # noqa: E731
        expected = verdict(session, update, full=True)
        assert [p[3] for p in expected] == ["g0.t0"]
        assert verdict(session, update, full=False) == expected


def test_a_write_remembers_its_size_totals_only_once_committed(app: Flask) -> None:
    """Rolled back: nothing is kept under its revision (the number may be handed out again)."""
    from graphql_api.store import db, resolved_totals  # noqa: PLC0415
    from graphql_api.store.alias_graph import database_of  # noqa: PLC0415

    layers: Layers = {lab: {} for lab in LAYERS}
    layers["base"] = {1: Spec("color", n=3), 2: Spec("alias", refs=(1,))}
    change = {"$type": "color", "$value": "#123456"}
    edit = lambda ws: ops.update_token(ws, "g1.t1", change, None)  # noqa: E731

    keys = [resolved_totals.key_of(s) for s in combinations(resolver(layers))]

    def kept(session: Session, revision: int) -> dict[Any, int]:
        got = {k: resolved_totals.get(database_of(session), revision, k) for k in keys}
        return {k: v for k, v in got.items() if v is not None}

    with db.get_state(app).sessionmaker() as session:
        base = replace_all(session, resolver(layers)).revision
        session.commit()
        for key in keys:  # known totals of the base revision: a write carries them forward
            resolved_totals.put(database_of(session), base, key, 1000)
        first = run(session, edit).revision
        assert kept(session, first) == {}  # not yet committed
        session.rollback()
        assert kept(session, first) == {}  # rolled back: never kept
        second = run(session, edit).revision
        session.commit()
        assert set(kept(session, second)) == set(keys)


def test_a_token_in_a_new_group_is_checked_incrementally(app: Flask) -> None:
    """A new group, with a description or a ``$type``, needs no whole-theme check.

    With a ``$type``, the tokens inside the group count as edited; a type the group gives
    against a value of its token is refused. Either way the verdict is the full
    validation's.
    """
    from graphql_api.store import db  # noqa: PLC0415

    layers: Layers = {lab: {} for lab in LAYERS}
    layers["base"] = {
        1: Spec("color", n=3),
        2: Spec("alias", refs=(1,)),
        3: Spec("interpolated", refs=(1,), n=1),  # g0.t3, a string without a type
    }
    plain = {"$type": "color", "$value": "{g1.t1}"}
    dangling = {"$type": "color", "$value": "{g1.nothing}"}

    def create(path: str, obj: dict[str, Any]) -> Callable[[Workspace], str]:
        return lambda ws: ops.create_token(ws, path, obj, Layer(None, "base"))

    described = {"brand": {"$description": "Brand colours", "accent": plain}}
    typed = {"brand": {"$type": "color", "accent": {"$value": "{g1.t1}"}}}
    retyped = {"g0": {"$type": "dimension"}}  # g0.t3 inherits it: an invalid dimension

    def patch(tree: dict[str, Any]) -> Callable[[Workspace], str]:
        return lambda ws: ops.apply_patch(ws, Layer(None, "base"), tree)

    with db.get_state(app).sessionmaker() as session:
        replace_all(session, resolver(layers))
        session.commit()
        revision = repository.current_revision(session)
        for operation, mode in [
            (create("brand.primary", plain), "incremental"),
            (patch(described), "incremental"),  # a new group with a description only
            (create("brand.broken", dangling), "full"),  # a problem: the full check words it
            (patch(typed), "incremental"),  # the new group's $type: its token re-checked
            (patch(retyped), "full"),  # refused: worded from the tokens inside g0
        ]:
            savepoint = session.begin_nested()
            ws = workspace_of(session)
            operation(ws)
            try:
                report = check(ws, revision)
                assert report.mode == mode, report
            except Invalid:
                assert mode == "full"
            savepoint.rollback()
            assert verdict(session, operation, full=False) == verdict(session, operation, full=True)


def test_a_theme_read_before_a_write_spares_it_resolving_whole_themes(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first write of a process needs each theme's old total size: a read knows it."""
    from graphql_api.store import db, resolved_totals  # noqa: PLC0415
    from graphql_api.store.snapshots import snapshot_store  # noqa: PLC0415
    from graphql_api.writes import check as check_module  # noqa: PLC0415

    layers: Layers = {lab: {} for lab in LAYERS}
    layers["base"] = {1: Spec("color", n=3), 2: Spec("alias", refs=(1,))}
    grow = {"$type": "color", "$value": "#abcdef"}  # a new token: the total grows

    def whole_theme(*_args: Any) -> int:
        raise AssertionError("a whole theme was resolved to learn its total")

    with db.get_state(app).sessionmaker() as session:
        replace_all(session, resolver(layers))
        session.commit()
        resolved_totals.clear()
        with app.app_context():
            for selection in combinations(resolver(layers)):
                snapshot_store(app).get(session, selection)
        monkeypatch.setattr(check_module, "valid_total_size", whole_theme)
        run(session, lambda ws: ops.create_token(ws, "g0.t9", grow, Layer(None, "base")))
        session.commit()


def test_a_refused_write_is_worded_without_the_whole_themes(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A refusal has the full validation's words, not its cost.

    A cycle, a type mismatch, a dangling reference, a reference to a group: the problems
    equal what the full validation says (same codes, places, messages and order); the
    whole themes are not validated. A reference to a group is told from one to nothing by
    reading the tokens under the path only.
    """
    from graphql_api.store import db  # noqa: PLC0415
    from graphql_api.writes import check as check_module  # noqa: PLC0415

    layers: Layers = {lab: {} for lab in LAYERS}
    layers["base"] = {1: Spec("color", n=3), 2: Spec("alias", refs=(1,))}
    base = Layer(None, "base")
    loop = {"$type": "color", "$value": "{brand.b}"}
    back = {"$type": "color", "$value": "{brand.a}"}
    mismatch = {"$type": "dimension", "$value": "{g1.t1}"}
    dangling = {"$type": "color", "$value": "{g1.nothing}"}
    group = {"$type": "color", "$value": "{g1}"}

    def cycle(ws: Workspace) -> str:
        ops.create_token(ws, "brand.a", loop, base)
        return ops.create_token(ws, "brand.b", back, base)

    def typed(ws: Workspace) -> str:
        return ops.create_token(ws, "brand.size", mismatch, base)

    def missing(ws: Workspace) -> str:
        return ops.create_token(ws, "brand.broken", dangling, base)

    def grouped(ws: Workspace) -> str:
        return ops.create_token(ws, "brand.group", group, base)

    from graphql_api.dtcg.validate import validate_document as real  # noqa: PLC0415

    calls: list[int] = []

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return real(*args, **kwargs)

    with db.get_state(app).sessionmaker() as session:
        replace_all(session, resolver(layers))
        session.commit()
        for operation, code in [
            (cycle, "CIRCULAR_REFERENCE"),
            (typed, "TYPE_MISMATCH"),
            (missing, "UNRESOLVABLE_REFERENCE"),
            (grouped, "GROUP_REFERENCE"),
        ]:
            expected = verdict(session, operation, full=True)
            assert expected, "the write must be refused"
            calls.clear()
            monkeypatch.setattr(check_module, "validate_document", counted)
            got = verdict(session, operation, full=False)
            monkeypatch.undo()
            assert got == expected
            assert code in {problem[0] for problem in got}
            assert not calls, operation.__name__


def test_deleting_a_modifier_is_checked_as_an_edit_of_its_default_layer(app: Flask) -> None:
    """``deleteModifier`` re-checks what its default context's layer reached, not every theme.

    A modifier whose contexts override a token: deleting it is checked incrementally.
    One whose contexts alone define a token that a set references: refused, with the full
    validation's problems.
    """
    from graphql_api.store import db  # noqa: PLC0415

    layers: Layers = {lab: {} for lab in LAYERS}
    layers["base"] = {
        1: Spec("color", n=3),
        2: Spec("alias", refs=(1,)),
        4: Spec("alias", refs=(3,)),
    }
    layers["theme:light"] = {3: Spec("color", n=5), 1: Spec("color", n=7)}
    layers["theme:dark"] = {3: Spec("color", n=9)}
    layers["size:s"] = {1: Spec("color", n=11)}

    with db.get_state(app).sessionmaker() as session:
        replace_all(session, resolver(layers))
        session.commit()
        revision = repository.current_revision(session)
        for modifier, refused in [("size", False), ("theme", True)]:
            operation = operation_of(("delete modifier", modifier))
            savepoint = session.begin_nested()
            ws = workspace_of(session)
            operation(ws)
            try:
                report = check(ws, revision)
            except Invalid:
                assert refused, modifier
            else:
                assert not refused, modifier
                assert report.mode == "incremental", report
                assert report.selections == 2  # the theme's two contexts remain
            savepoint.rollback()
            assert verdict(session, operation, full=False) == verdict(session, operation, full=True)


def test_a_write_past_max_resolutions_is_refused_as_the_full_validation_refuses_it(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The resolutions budget is counted from the tokens per layer, kept across writes."""
    from graphql_api.dtcg import limits  # noqa: PLC0415
    from graphql_api.dtcg.validate import combination_work  # noqa: PLC0415
    from graphql_api.store import db, resolved_totals  # noqa: PLC0415

    layers: Layers = {lab: {} for lab in LAYERS}
    layers["base"] = {1: Spec("color", n=3), 2: Spec("alias", refs=(1,))}
    layers["theme:dark"] = {1: Spec("color", n=5)}
    doc = resolver(layers)
    # 4 combinations; base (2 tokens) in each, dark (1 token) in two of them
    now = sum(combination_work(len(d.tokens) for d in doc.layers(s)) for s in combinations(doc))
    assert now == 4 * 100 + 4 * 2 + 2 * 1
    add_dark = token_operation(("set", (2, {"$type": "color", "$value": "#000000"}, "theme:dark")))
    add_base = token_operation(("create", (5, {"$type": "color", "$value": "#000001"}, "base")))
    update = token_operation(("update", (1, {"$type": "color", "$value": "#000002"}, None)))
    with db.get_state(app).sessionmaker() as session:
        replace_all(session, resolver(layers))
        session.commit()
        resolved_totals.clear()
        monkeypatch.setattr(limits, "MAX_RESOLUTIONS", now + 2)  # room for one dark token
        refused = verdict(session, add_base, full=False)  # +1 in all four combinations
        assert refused == verdict(session, add_base, full=True)
        assert [p[0] for p in refused] == ["INVALID_RESOLVER"]
        assert verdict(session, update, full=False) == []  # no growth
        revision = repository.current_revision(session)
        savepoint = session.begin_nested()
        ws = workspace_of(session)
        update(ws)
        assert check(ws, revision).mode == "incremental"
        savepoint.rollback()
        run(session, add_dark)  # +1 in the two dark combinations: exactly the budget
        session.commit()

        def recount(_session: Session) -> None:
            raise AssertionError("the counts of the write's revision were counted again")

        monkeypatch.setattr(repository, "layer_token_counts", recount)  # carried by the write
        refused = verdict(session, add_base, full=False)
        assert refused == verdict(session, add_base, full=True)
        assert [p[0] for p in refused] == ["INVALID_RESOLVER"]
        assert verdict(session, update, full=False) == []

"""One write path: edits, both imports and releases go through the same unit of work.

:func:`graphql_api.writes.unit.run` is the only route of a write: every revision is
recorded by :meth:`~graphql_api.writes.workspace.Workspace.store` after
:func:`graphql_api.writes.check.check`, whether it comes from ``updateToken``,
``importTokens``, ``flask tokens import`` or ``createRelease``; and the workspace reads
all the layers it needs in one statement of values (and one of groups), not one per layer.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pytest

from graphql_api.store import db, layer_cache, repository, resolved_totals
from graphql_api.store.alias_graph import database_of
from graphql_api.writes import Layer, Workspace, check, replace_all, run, structure
from graphql_api.writes.releases import create_release
from tests.dtcg.test_incremental_check import LAYERS, Spec, resolver
from tests.helpers import count_statements, import_tokens
from tests.writing import MINI, Writer, import_mini, make_key, workspace_of

if TYPE_CHECKING:
    from pathlib import Path

    from flask import Flask
    from flask.testing import FlaskCliRunner
    from sqlalchemy.orm import Session


@pytest.fixture
def recorded(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str, bool]]:
    """Per revision added: (its message, how its write was checked, inside ``store``)."""
    seen: list[tuple[str, str, bool]] = []
    modes: list[str] = []
    storing: list[bool] = []
    real_store, real_check = Workspace.store, check.check
    real_add = repository.add_revision

    def spy_check(ws: Workspace, revision: int) -> check.CheckReport:
        report = real_check(ws, revision)
        modes.append(report.mode)
        return report

    def spy_store(ws: Workspace, *, message: str, author: str) -> Any:
        storing.append(True)
        try:
            return real_store(ws, message=message, author=author)
        finally:
            storing.pop()

    def spy_add(session: Session, changes: Any, *, message: str, author: str) -> int:
        seen.append((message, modes[-1] if modes else "", bool(storing)))
        return real_add(session, changes, message=message, author=author)

    monkeypatch.setattr(check, "check", spy_check)
    monkeypatch.setattr(Workspace, "store", spy_store)
    monkeypatch.setattr(repository, "add_revision", spy_add)
    return seen


def test_every_kind_of_write_goes_through_the_unit_of_work(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path, recorded: list[tuple[str, str, bool]]
) -> None:
    path = tmp_path / "mini.resolver.json"
    path.write_text(json.dumps(MINI))
    import_tokens(runner, path)  # flask tokens import
    w = Writer(app.test_client(), make_key(app, "designer", "write"))
    assert import_mini(w)["revision"] == 2  # importTokens
    edit = w.call("updateToken", "UpdateTokenInput", path="accent.fg", value="#ffffff")
    assert edit["__typename"] == "TokenSuccess", edit
    made = w.call("createRelease", "CreateReleaseInput", name="r1", notes="")
    assert made["release"]["revision"] == 3
    assert [(message.split(" ")[0], mode, inside) for message, mode, inside in recorded] == [
        ("import", "validated", True),
        ("import", "validated", True),
        ("update", "incremental", True),
        ("release", "none", True),
    ]
    assert w.revision() == 4
    assert w.resolved("accent.fg", release="r1") == "#ffffff"


def test_a_refused_release_and_a_stale_import_record_nothing(
    app: Flask, recorded: list[tuple[str, str, bool]]
) -> None:
    w = Writer(app.test_client(), make_key(app, "designer", "write"))
    import_mini(w)
    assert w.call("createRelease", "CreateReleaseInput", name=" ", notes="")["__typename"] == (
        "ValidationError"
    )
    stale = w.call("importTokens", "TokenSourceInput", document=MINI, expectedRevision=0)
    assert (stale["__typename"], stale["code"], stale["currentRevision"]) == (
        "Conflict",
        "STALE_REVISION",
        1,
    )
    assert [(m.split(" ")[0], mode) for m, mode, _ in recorded] == [("import", "validated")]
    assert w.revision() == 1


def _system(session: Session) -> Workspace:
    """Three sets-and-contexts layers with tokens and groups stored; a fresh workspace."""
    layers = {lab: {i: Spec("color", n=3) for i in range(3)} for lab in LAYERS}
    replace_all(session, resolver(layers))
    session.commit()
    return workspace_of(session)


def _reads(statements: list[str], table: str) -> int:
    return sum(1 for s in statements if s.lstrip().upper().startswith("SELECT") and table in s)


def test_the_workspace_reads_every_layer_it_needs_in_one_statement(app: Flask) -> None:
    engine = db.get_engine(app)
    with db.get_state(app).sessionmaker() as session:
        ws = _system(session)
        layers = ws.layers()
        assert len(layers) == len(LAYERS)
        with count_statements(engine) as log:
            ws.ensure(layers)
        assert (_reads(log.statements, "token_value"), _reads(log.statements, "token_group")) == (
            1,
            1,
        ), log.dump()
        assert len(log) == 2, log.dump()

        ws = workspace_of(session)  # the layers read whole above are kept: looked up
        with count_statements(engine) as log:
            ws.ensure_paths(layers, ["g1.t1", "g2.t2"])
        assert len(log) == 0, log.dump()
        assert set(ws.document(layers[0], ()).tokens) == {"g1.t1", "g2.t2"}

        layer_cache.clear()
        ws = workspace_of(session)
        ws.ensure_paths([layers[0]], ["g0.t0"])  # one layer read in part, its groups read
        with count_statements(engine) as log:
            ws.ensure_paths(layers, ["g1.t1", "g2.t2"])
        # the values of every layer in one statement; groups only for those read the first time
        assert len(log) == 2, log.dump()
        assert _reads(log.statements, "token_value") == 1, log.dump()
        assert all(ws.read_in_part(lay) for lay in layers)
        assert set(ws.document(layers[0], ()).tokens) >= {"g0.t0", "g1.t1", "g2.t2"}


def test_a_release_reads_the_layers_in_one_statement(app: Flask) -> None:
    engine = db.get_engine(app)
    with db.get_state(app).sessionmaker() as session:
        _system(session)
        with count_statements(engine) as log:
            release = create_release(session, "r1", "notes", author="ci")
        session.commit()
        assert _reads(log.statements, "token_value") == 1, log.dump()
        assert _reads(log.statements, "token_group") == 1, log.dump()
        assert release.revision_id == 1
        assert repository.current_revision(session) == 2
        assert [r.message for r in repository.revisions_after(session, 1)] == ["release r1"]
        assert repository.changes(session, 1)[1] == 0  # a revision with no token changes
        content = repository.release_content(session, release.id)
        assert Layer(None, "base").label in content["sets"]


def test_a_release_keeps_what_was_known_of_its_base_revision_and_a_rename_does_not(
    app: Flask,
) -> None:
    """The resolved-size totals and layer counts carry over a release, not over a rename.

    A release changes no stored data, so its revision's themes are its base's; a context
    renamed changes no token either, but a total keyed by the old name would be wrong for
    another context given that name later.
    """
    key = resolved_totals.key_of({"theme": "light", "size": "s"})
    with db.get_state(app).sessionmaker() as session:
        _system(session)
        database = database_of(session)
        resolved_totals.put(database, 1, key, 1234)
        resolved_totals.put_layer_counts(database, 1, {("set", 1): 3})
        create_release(session, "r1", "")
        session.commit()
        assert resolved_totals.get(database, 2, key) == 1234
        assert resolved_totals.layer_counts(database, 2) == {("set", 1): 3}
        run(session, lambda ws: structure.rename_context(ws, "theme", "light", "day"))
        session.commit()
        assert repository.current_revision(session) == 3
        assert resolved_totals.get(database, 3, key) is None

"""Alembic migrations against the models, on SQLite and PostgreSQL.

The migrated schema (not ``create_all``) must match the models exactly, and the constraints
the models declare must really hold in it.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import delete, func, inspect, select, text
from sqlalchemy.exc import IntegrityError, InvalidRequestError
from sqlalchemy.orm import Session, selectinload

from graphql_api.store import db, health
from graphql_api.store.db import make_engine
from graphql_api.store.models import (
    Alias,
    Base,
    Context,
    Modifier,
    Revision,
    Token,
    TokenGroup,
    TokenSet,
    TokenValue,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from flask import Flask
    from sqlalchemy import Engine

ROOT = Path(__file__).resolve().parents[2]
MODEL_TABLES = frozenset(Base.metadata.tables)
EXPECTED_TABLES = frozenset(
    {
        "revision",
        "token_set",
        "modifier",
        "theme",
        "token",
        "token_value",
        "token_group",
        "alias",
        "persisted_query",
        "apq_query",
        "api_key",
        "change",
        "release",
        "token_usage",
    }
)


def alembic_config(output: io.StringIO | None = None) -> Config:
    """Return the repository's Alembic config, leaving pytest's logging alone."""
    config = Config(str(ROOT / "alembic.ini"), output_buffer=output)
    config.attributes["skip_logging_config"] = True
    return config


def run_alembic(engine: Engine, action: Callable[[Config, str], None], revision: str) -> None:
    """Run ``alembic <action> <revision>`` on a connection of ``engine`` (tests' own engine)."""
    with engine.begin() as connection:
        config = alembic_config()
        config.attributes["connection"] = connection
        action(config, revision)


def user_tables(engine: Engine) -> set[str]:
    """Return the table names of the (per-test) database, without SQLite's internal ones."""
    return {name for name in inspect(engine).get_table_names() if not name.startswith("sqlite_")}


@pytest.fixture
def engine(empty_database_url: str) -> Iterator[Engine]:
    """Yield an engine on the test's empty database."""
    new_engine = make_engine(empty_database_url)
    try:
        yield new_engine
    finally:
        new_engine.dispose()


@pytest.fixture
def migrated(engine: Engine) -> Engine:
    """Return ``engine`` after ``alembic upgrade head``."""
    run_alembic(engine, command.upgrade, "head")
    return engine


@pytest.fixture
def db_session(migrated: Engine) -> Iterator[Session]:
    """Yield a session on the migrated database (configured like the app's sessions)."""
    with Session(migrated, expire_on_commit=False) as session:
        yield session


# --------------------------------------------------------------------------- migrations


def test_models_declare_the_expected_tables() -> None:
    assert MODEL_TABLES == EXPECTED_TABLES


def test_upgrade_head_creates_every_table_at_head(migrated: Engine) -> None:
    assert user_tables(migrated) == EXPECTED_TABLES | {"alembic_version"}
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    with migrated.connect() as connection:
        assert MigrationContext.configure(connection).get_current_revision() == head
    assert health.migration_state(migrated) == (head, head)


def test_a_database_without_alembic_table_has_no_revision(empty_database_url: str) -> None:
    engine = make_engine(empty_database_url)
    try:
        assert health.migration_state(engine) == (None, health.HEAD_REVISION)
        run_alembic(engine, command.upgrade, "0005")
        assert health.migration_state(engine) == ("0005", health.HEAD_REVISION)
    finally:
        engine.dispose()


def test_migrations_form_one_chain() -> None:
    script = ScriptDirectory.from_config(alembic_config())
    assert len(script.get_heads()) == 1
    # the start-up check compares the database with this constant (no Alembic import)
    assert script.get_current_head() == health.HEAD_REVISION
    bases = [r for r in script.walk_revisions() if r.down_revision is None]
    assert len(bases) == 1


def test_downgrade_base_removes_every_table(migrated: Engine) -> None:
    run_alembic(migrated, command.downgrade, "base")

    assert user_tables(migrated) == {"alembic_version"}
    with migrated.connect() as connection:
        assert MigrationContext.configure(connection).get_current_revision() is None


def test_upgrade_after_downgrade_works_again(migrated: Engine) -> None:
    run_alembic(migrated, command.downgrade, "base")
    run_alembic(migrated, command.upgrade, "head")

    assert user_tables(migrated) == EXPECTED_TABLES | {"alembic_version"}


def test_migrated_schema_matches_the_models(migrated: Engine) -> None:
    with migrated.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)

    assert differences == []


def test_check_constraints_carry_their_conventional_names(migrated: Engine) -> None:
    inspector = inspect(migrated)
    for table in ("token_value", "token_group"):
        names = {check["name"] for check in inspector.get_check_constraints(table)}
        assert f"ck_{table}_one_layer" in names


def test_env_py_reads_the_url_from_database_url(
    empty_database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", empty_database_url)

    command.upgrade(alembic_config(), "head")
    engine = make_engine(empty_database_url)
    try:
        assert user_tables(engine) == EXPECTED_TABLES | {"alembic_version"}
        command.downgrade(alembic_config(), "base")
        assert user_tables(engine) == {"alembic_version"}
    finally:
        engine.dispose()


def test_offline_mode_renders_the_sql(
    empty_database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", empty_database_url)
    output = io.StringIO()

    command.upgrade(alembic_config(output), "head", sql=True)

    rendered = output.getvalue()
    assert "CREATE TABLE token_value" in rendered
    assert "CONSTRAINT ck_token_value_one_layer CHECK" in rendered


# --------------------------------------------------------------------------- constraints


def _seed(session: Session) -> dict[str, Any]:
    """Insert a set, a modifier with two themes, and tokens a, b; return them by name."""
    base = TokenSet(name="base", position=0)
    mode = Modifier(name="mode", position=1, default_context="light")
    light = Context(modifier=mode, name="light", position=0)
    dark = Context(modifier=mode, name="dark", position=1)
    token_a = Token(path="color.a", name="a")
    token_b = Token(path="color.b", name="b")
    session.add_all([base, mode, light, dark, token_a, token_b])
    session.flush()
    return {"base": base, "mode": mode, "light": light, "dark": dark, "a": token_a, "b": token_b}


def _value(token: Token, value: Any, **layer: Any) -> TokenValue:
    return TokenValue(
        token=token,
        value=value,
        source_file="tokens.json",
        source_pointer=f"/{token.path.replace('.', '/')}",
        **layer,
    )


def _count(session: Session, model: type[Base]) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


@pytest.mark.parametrize("model", ["value", "group"])
@pytest.mark.parametrize("layers", ["both", "neither"])
def test_a_layered_row_needs_exactly_one_layer(
    db_session: Session, model: str, layers: str
) -> None:
    rows = _seed(db_session)
    ids: dict[str, Any] = (
        {"set_id": rows["base"].id, "theme_id": rows["dark"].id}
        if layers == "both"
        else {"set_id": None, "theme_id": None}
    )
    row: Base = (
        _value(rows["a"], "#fff", **ids)
        if model == "value"
        else TokenGroup(path="color", source_file="tokens.json", **ids)
    )
    db_session.add(row)

    with pytest.raises(IntegrityError, match=r"(?i)one_layer|check"):
        db_session.flush()


def test_a_layered_row_in_a_set_or_a_theme_is_accepted(db_session: Session) -> None:
    rows = _seed(db_session)
    db_session.add_all(
        [
            _value(rows["a"], "#fff", set_id=rows["base"].id),
            _value(rows["a"], "#000", theme_id=rows["dark"].id),
            TokenGroup(path="", type="color", source_file="t.json", set_id=rows["base"].id),
            TokenGroup(path="color", source_file="t.json", theme_id=rows["dark"].id),
        ]
    )
    db_session.commit()

    assert _count(db_session, TokenValue) == 2
    assert _count(db_session, TokenGroup) == 2


def test_duplicate_token_path_is_rejected(db_session: Session) -> None:
    _seed(db_session)
    db_session.add(Token(path="color.a", name="a"))

    with pytest.raises(
        IntegrityError, match=r"uq_token_path|UNIQUE constraint failed: token\.path"
    ):
        db_session.flush()


def test_theme_names_are_unique_within_their_modifier_only(db_session: Session) -> None:
    rows = _seed(db_session)
    db_session.add(Context(modifier=Modifier(name="contrast", position=2), name="dark", position=0))
    db_session.flush()  # the same name under another modifier is fine

    db_session.add(Context(modifier_id=rows["mode"].id, name="dark", position=5))
    with pytest.raises(
        IntegrityError,
        match=r"uq_theme_modifier_id_name|UNIQUE constraint failed: theme\.modifier_id",
    ):
        db_session.flush()


def test_a_value_must_name_an_existing_token(db_session: Session) -> None:
    rows = _seed(db_session)
    db_session.add(
        TokenValue(
            token_id=rows["b"].id + 1000,
            set_id=rows["base"].id,
            value=1,
            source_file="t.json",
            source_pointer="/x",
        )
    )

    with pytest.raises(IntegrityError):
        db_session.flush()


def test_deleting_a_token_cascades_to_its_values_and_aliases(db_session: Session) -> None:
    rows = _seed(db_session)
    value_a = _value(rows["a"], "{color.b}", set_id=rows["base"].id)
    value_a.aliases.append(Alias(target=rows["b"], pointer=""))
    db_session.add_all([value_a, _value(rows["b"], "#fff", set_id=rows["base"].id)])
    db_session.commit()
    assert (_count(db_session, TokenValue), _count(db_session, Alias)) == (2, 1)

    # Deleting the alias target removes the edge pointing at it, not the referring value.
    db_session.delete(rows["b"])
    db_session.commit()
    assert (_count(db_session, TokenValue), _count(db_session, Alias)) == (1, 0)
    # The database deleted the alias; the session still holds the object: forget it.
    db_session.expunge_all()

    db_session.add(Alias(token_value_id=value_a.id, target_token_id=rows["a"].id, pointer="/x"))
    db_session.commit()
    # A bulk DELETE relies on the database alone (ON DELETE CASCADE, SQLite foreign_keys=ON).
    db_session.execute(delete(Token).where(Token.path == "color.a"))
    db_session.commit()
    assert (_count(db_session, TokenValue), _count(db_session, Alias)) == (0, 0)


def test_deleting_a_modifier_cascades_to_its_themes_and_their_layers(db_session: Session) -> None:
    rows = _seed(db_session)
    db_session.add_all(
        [
            _value(rows["a"], "#000", theme_id=rows["dark"].id),
            _value(rows["a"], "#fff", set_id=rows["base"].id),
            TokenGroup(path="color", source_file="t.json", theme_id=rows["light"].id),
        ]
    )
    db_session.commit()

    db_session.execute(delete(Modifier))
    db_session.commit()

    assert _count(db_session, Context) == 0
    assert _count(db_session, TokenGroup) == 0
    assert db_session.scalars(select(TokenValue.set_id)).all() == [rows["base"].id]


def test_json_values_keep_key_order_and_none_is_sql_null(db_session: Session) -> None:
    rows = _seed(db_session)
    raw = {"colorSpace": "srgb", "components": [1, 0.5, 0], "alpha": 1, "hex": "#ff8000"}
    reordered = {"z": 1, "a": {"y": 2, "b": 3}}
    db_session.add_all(
        [
            _value(rows["a"], raw, set_id=rows["base"].id),
            _value(rows["b"], reordered, set_id=rows["base"].id, deprecated="use color.a"),
        ]
    )
    db_session.commit()
    db_session.expunge_all()

    rows_loaded = db_session.execute(select(Token.path, TokenValue.value).join(TokenValue.token))
    loaded = {row.path: row.value for row in rows_loaded}
    assert list(loaded["color.a"]) == list(raw)
    assert list(loaded["color.b"]) == ["z", "a"]
    assert list(loaded["color.b"]["a"]) == ["y", "b"]
    null_extensions = db_session.scalar(
        select(func.count()).select_from(TokenValue).where(TokenValue.extensions.is_(None))
    )
    assert null_extensions == 2
    assert (
        db_session.scalar(select(TokenValue.deprecated).where(TokenValue.token_id == rows["b"].id))
        == "use color.a"
    )


def test_revisions_are_monotonic_and_timezone_aware(db_session: Session) -> None:
    first, second = Revision(message="import"), Revision()
    db_session.add(first)
    db_session.flush()
    db_session.add(second)
    db_session.commit()
    second_id = second.id
    assert second_id > first.id

    db_session.delete(second)
    db_session.commit()
    third = Revision(message="after delete")
    db_session.add(third)
    db_session.commit()
    db_session.expunge_all()

    assert third.id > second_id  # ids are never reused (SQLite AUTOINCREMENT, PG sequence)
    loaded = db_session.scalars(select(Revision).order_by(Revision.id)).all()
    assert [revision.message for revision in loaded] == ["import", "after delete"]
    assert all(revision.created_at.utcoffset() is not None for revision in loaded)
    assert db_session.scalar(select(func.max(Revision.id))) == third.id


def test_relationships_refuse_lazy_loading(db_session: Session) -> None:
    rows = _seed(db_session)
    db_session.add(_value(rows["a"], "#fff", set_id=rows["base"].id))
    db_session.commit()
    db_session.expunge_all()

    token = db_session.scalars(select(Token).where(Token.path == "color.a")).one()
    with pytest.raises(InvalidRequestError, match="lazy='raise'"):
        _ = token.values

    loaded = db_session.scalars(select(Modifier).options(selectinload(Modifier.contexts))).one()
    assert [theme.name for theme in loaded.contexts] == ["light", "dark"]


def test_sqlite_connections_get_the_pragmas(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'p.sqlite3'}", sqlite_busy_timeout_ms=1234)
    try:
        with engine.connect() as connection:
            assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
            assert connection.execute(text("PRAGMA busy_timeout")).scalar() == 1234
            assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
    finally:
        engine.dispose()


# --------------------------------------------------------------------------- app sessions


def test_app_context_has_one_session_rolled_back_unless_committed(app: Flask) -> None:
    with app.app_context():
        session = db.get_session()
        assert db.get_session() is session
        session.add(Token(path="kept", name="kept"))
        session.commit()
        session.add(Token(path="dropped", name="dropped"))
        session.flush()

    with app.app_context():
        paths = db.get_session().scalars(select(Token.path)).all()
    assert paths == ["kept"]

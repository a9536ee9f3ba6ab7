"""ORM models: the resolver's sets and modifiers, tokens, their raw values per layer, aliases.

A *layer* is a place a value can come from: a ``token_set`` (DTCG Resolver ``sets``) or a
``theme`` (a context of a ``modifier``). Values are stored raw, as written (references
unresolved); resolution happens on read. Every relationship is ``lazy="raise"``: load what
you need explicitly (``selectinload``/batch queries in ``repository``).

JSON columns use the generic :class:`sqlalchemy.JSON` (``json`` on PostgreSQL, not ``jsonb``)
so that the key order of token values survives a round trip. Python ``None`` is stored as
SQL ``NULL`` (``none_as_null=True``), never as JSON ``null``.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Final

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from graphql_api.store import notify
from graphql_api.store.tables import TZDateTime, api_key, metadata


class Base(DeclarativeBase):
    """Declarative base of every model, on :data:`.tables.metadata` (its naming convention)."""

    metadata = metadata


#: SQL of the check that a layered row belongs to exactly one layer (a set or a theme).
ONE_LAYER_SQL: Final = (
    "(set_id IS NOT NULL AND theme_id IS NULL) OR (set_id IS NULL AND theme_id IS NOT NULL)"
)


def _json() -> JSON:
    """Return the JSON column type used everywhere (``None`` stored as SQL ``NULL``)."""
    return JSON(none_as_null=True)


class Revision(Base):
    """One write to the data; the current data revision is ``max(id)``."""

    __tablename__ = "revision"
    # AUTOINCREMENT on SQLite: ids are never reused, even after the last row is deleted.
    __table_args__ = {"sqlite_autoincrement": True}  # noqa: RUF012

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    created_at: Mapped[datetime] = mapped_column(TZDateTime(), server_default=func.now())
    message: Mapped[str] = mapped_column(Text, default="", server_default="")
    # Name of the API key that wrote it; '' for the command line (no key).
    author: Mapped[str] = mapped_column(String(200), default="", server_default="")


class Change(Base):
    """One token touched by a write, in one layer: the change log.

    ``before``/``after`` are the token as written in that layer (``{"$value": …,
    "$type": …, …}``, references unresolved), or NULL when it did not / no longer exists
    there. A rename records ``previous_path``. ``layer`` names the set (``"foundation"``)
    or the context (``"theme:dark"``, modifier and context joined by a colon).
    """

    __tablename__ = "change"

    id: Mapped[int] = mapped_column(primary_key=True)
    revision_id: Mapped[int] = mapped_column(
        ForeignKey("revision.id", ondelete="CASCADE"), index=True
    )
    path: Mapped[str] = mapped_column(String(1000), index=True)
    previous_path: Mapped[str | None] = mapped_column(String(1000))
    layer: Mapped[str] = mapped_column(String(401))
    before: Mapped[Any | None] = mapped_column(_json())
    after: Mapped[Any | None] = mapped_column(_json())


class Release(Base):
    """A named, frozen revision (``createRelease``): what every token was at that point.

    ``content`` holds the whole stored resolver (sets, modifiers, every layer's tokens and
    groups, see :mod:`graphql_api.store.release_format`), so time travel reads it without
    replaying history.
    """

    __tablename__ = "release"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    notes: Mapped[str] = mapped_column(Text, default="", server_default="")
    revision_id: Mapped[int] = mapped_column(ForeignKey("revision.id"))
    author: Mapped[str] = mapped_column(String(200), default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(TZDateTime(), server_default=func.now())
    content: Mapped[Any] = mapped_column(_json(), nullable=False)


class TokenSet(Base):
    """A set of the resolver document: token sources always applied, in ``position`` order."""

    __tablename__ = "token_set"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    description: Mapped[str | None] = mapped_column(Text)
    position: Mapped[int]  # index in the resolver's resolutionOrder
    extensions: Mapped[Any | None] = mapped_column(_json())


class Modifier(Base):
    """A modifier of the resolver document (e.g. ``mode``); its contexts layer values on sets."""

    __tablename__ = "modifier"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    description: Mapped[str | None] = mapped_column(Text)
    default_context: Mapped[str | None] = mapped_column(String(200))
    position: Mapped[int]  # index in the resolver's resolutionOrder
    extensions: Mapped[Any | None] = mapped_column(_json())

    contexts: Mapped[list[Context]] = relationship(
        back_populates="modifier",
        order_by="Context.position",
        lazy="raise",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )


class Context(Base):
    """A context of a modifier (e.g. ``dark`` of ``mode``): a layer of values over the sets.

    The table keeps its historical name ``theme`` (and ``theme_id`` columns elsewhere); the
    GraphQL ``theme:`` argument is a selection of one context per modifier.
    """

    __tablename__ = "theme"
    __table_args__ = (UniqueConstraint("modifier_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    modifier_id: Mapped[int] = mapped_column(ForeignKey("modifier.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    position: Mapped[int]  # order within its modifier
    extensions: Mapped[Any | None] = mapped_column(_json())

    modifier: Mapped[Modifier] = relationship(back_populates="contexts", lazy="raise")


class Token(Base):
    """Identity of one token: its dotted DTCG path, e.g. ``color.fg.default``."""

    __tablename__ = "token"

    id: Mapped[int] = mapped_column(primary_key=True)
    path: Mapped[str] = mapped_column(String(1000), unique=True)
    name: Mapped[str] = mapped_column(String(300))  # last segment of path

    values: Mapped[list[TokenValue]] = relationship(
        back_populates="token",
        lazy="raise",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )


class TokenValue(Base):
    """A token's raw value in one layer (a set or a theme), as written in its source file."""

    __tablename__ = "token_value"
    __table_args__ = (
        CheckConstraint(ONE_LAYER_SQL, name="one_layer"),
        # a token's values in given layers (what a write reads and replaces): without it,
        # SQLite, which keeps no statistics, walked every value of the layer (50,000)
        Index("ix_token_value_token_layer", "token_id", "set_id", "theme_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    token_id: Mapped[int] = mapped_column(ForeignKey("token.id", ondelete="CASCADE"))
    set_id: Mapped[int | None] = mapped_column(
        ForeignKey("token_set.id", ondelete="CASCADE"), index=True
    )
    theme_id: Mapped[int | None] = mapped_column(
        ForeignKey("theme.id", ondelete="CASCADE"), index=True
    )
    type: Mapped[str | None] = mapped_column(String(100))  # own $type as written, not inherited
    value: Mapped[Any] = mapped_column(_json(), nullable=False)  # raw $value, aliases unresolved
    description: Mapped[str | None] = mapped_column(Text)
    deprecated: Mapped[Any | None] = mapped_column(_json())  # true, false or a reason string
    extensions: Mapped[Any | None] = mapped_column(_json())
    source_file: Mapped[str] = mapped_column(String(1000))
    source_pointer: Mapped[str] = mapped_column(String(2000))  # JSON Pointer of the token node

    token: Mapped[Token] = relationship(back_populates="values", lazy="raise")
    aliases: Mapped[list[Alias]] = relationship(
        back_populates="token_value",
        lazy="raise",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )


class TokenGroup(Base):
    """Properties of one group in one layer (``$type``, ``$description``, …) for inheritance."""

    __tablename__ = "token_group"
    __table_args__ = (CheckConstraint(ONE_LAYER_SQL, name="one_layer"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    path: Mapped[str] = mapped_column(String(1000))  # dotted path; '' for the root group
    set_id: Mapped[int | None] = mapped_column(
        ForeignKey("token_set.id", ondelete="CASCADE"), index=True
    )
    theme_id: Mapped[int | None] = mapped_column(
        ForeignKey("theme.id", ondelete="CASCADE"), index=True
    )
    type: Mapped[str | None] = mapped_column(String(100))
    description: Mapped[str | None] = mapped_column(Text)
    deprecated: Mapped[Any | None] = mapped_column(_json())
    extensions: Mapped[Any | None] = mapped_column(_json())
    source_file: Mapped[str] = mapped_column(String(1000))
    source_pointer: Mapped[str] = mapped_column(String(2000), default="", server_default="")
    # ``$extends`` as written ("{a.b}" or "#/a/b"); applied after flattening, on read.
    extends: Mapped[str | None] = mapped_column(String(1000))


class Alias(Base):
    """One reference edge: a token value (at ``pointer`` inside it) refers to a target token."""

    __tablename__ = "alias"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_value_id: Mapped[int] = mapped_column(
        ForeignKey("token_value.id", ondelete="CASCADE"), index=True
    )
    target_token_id: Mapped[int] = mapped_column(
        ForeignKey("token.id", ondelete="CASCADE"), index=True
    )
    # '' when the whole value is a reference, else the JSON Pointer inside it ('/0/color').
    pointer: Mapped[str] = mapped_column(String(2000), default="")

    token_value: Mapped[TokenValue] = relationship(back_populates="aliases", lazy="raise")
    target: Mapped[Token] = relationship(lazy="raise")


class PersistedQuery(Base):
    """A GraphQL document known by the SHA-256 of its text (Automatic Persisted Queries).

    Registered by clients (APQ) or by an operator (``tokens queries register``); in
    allow-list mode only these documents run.
    """

    __tablename__ = "persisted_query"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)  # lower-case hex
    query: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(TZDateTime(), server_default=func.now())


class ApqQuery(Base):
    """A document a client registered anonymously (Automatic Persisted Queries).

    Kept apart from :class:`PersistedQuery`, the operator's allow-list: switching to
    ``allowlist`` mode never runs what clients registered. Only documents that parse and
    validate are stored; the oldest are deleted past ``APQ_MAX_DOCUMENTS`` (``id`` orders
    them).
    """

    __tablename__ = "apq_query"

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)  # lower-case hex
    query: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(TZDateTime(), server_default=func.now())


class ApiKey(Base):
    """An API key: shown once at creation, stored as a salted SHA-256 of its secret.

    A key reads ``tk_<prefix>_<secret>``; ``prefix`` finds the row, the secret is checked
    against ``secret_hash`` in constant time. ``scope`` is ``read``, ``write`` or ``admin``
    (each includes the ones before it). A revoked key stays, for the change log's names.
    """

    __table__ = api_key  # a Core table (:mod:`.tables`): the ``keys`` CLI needs no ORM

    id: Mapped[int]
    name: Mapped[str]
    prefix: Mapped[str]
    salt: Mapped[str]  # hex
    secret_hash: Mapped[str]  # hex sha256(salt + secret)
    scope: Mapped[str]
    created_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]


class TokenUsage(Base):
    """How often clients requested a token: one row per UTC day, path, theme and client.

    Written in batches by :mod:`graphql_api.usage` (never on the request path). ``theme`` is
    the canonical theme combination (``pointer=fine,theme=dark``: ``modifier=context`` pairs
    sorted by modifier, ``''`` without modifiers; see
    :func:`graphql_api.usage.recorder.theme_key`); ``client`` the client's name (a header,
    else the GraphQL operation name, else ``(unknown)``). No foreign key to ``token``: the
    usage of a removed or renamed path is history. No request body, variables or address.
    """

    __tablename__ = "token_usage"

    # The primary key starts with ``day``: it serves date ranges; ``path`` needs its own index.
    day: Mapped[date] = mapped_column(primary_key=True)
    path: Mapped[str] = mapped_column(String(1000), primary_key=True, index=True)
    theme: Mapped[str] = mapped_column(String(1000), primary_key=True)
    client: Mapped[str] = mapped_column(String(200), primary_key=True)
    count: Mapped[int] = mapped_column(BigInteger)  # requests that asked for it (weighted)


notify.attach(Revision.__table__)  # NOTIFY on every new revision (PostgreSQL)

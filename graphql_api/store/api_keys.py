"""The ``api_key`` table: every statement on API keys (checks: :mod:`graphql_api.web.auth`).

Statements are SQLAlchemy Core on :data:`graphql_api.store.tables.api_key`, so the ``keys``
CLI commands run them on a plain connection without importing the ORM (start-up time);
the server runs the same functions on its request session. Functions take a
:class:`~sqlalchemy.orm.Session` or a :class:`~sqlalchemy.engine.Connection`; none commits.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, cast

from sqlalchemy import CursorResult, Row, insert, select, update

from .tables import api_key

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection
    from sqlalchemy.orm import Session

KeyRow = Row[tuple[str, str, str, str, datetime | None]]
ListedKey = Row[tuple[str, str, datetime, datetime | None]]


def name_taken(db: Session | Connection, name: str) -> bool:
    """Whether a key (active or revoked) is called ``name``."""
    return db.scalar(select(api_key.c.id).where(api_key.c.name == name)) is not None


def add(
    db: Session | Connection,
    *,
    name: str,
    prefix: str,
    salt: str,
    secret_hash: str,
    scope: str,
) -> None:
    """Insert a key row (executed now, so a duplicate prefix or name fails here)."""
    db.execute(
        insert(api_key).values(
            name=name, prefix=prefix, salt=salt, secret_hash=secret_hash, scope=scope
        )
    )


def revoke(db: Session | Connection, name: str) -> bool:
    """Mark the active key ``name`` revoked now; False when there is no such active key."""
    result = cast(
        "CursorResult[object]",
        db.execute(
            update(api_key)
            .where(api_key.c.name == name, api_key.c.revoked_at.is_(None))
            .values(revoked_at=datetime.now(UTC))
        ),
    )
    return bool(result.rowcount)


def every_key(db: Session | Connection) -> list[ListedKey]:
    """``(name, scope, created_at, revoked_at)`` of every key, oldest first."""
    c = api_key.c
    rows = db.execute(select(c.name, c.scope, c.created_at, c.revoked_at).order_by(c.id))
    return cast("list[ListedKey]", list(rows))


def by_prefix(db: Session | Connection, prefix: str) -> KeyRow | None:
    """``(name, scope, salt, secret_hash, revoked_at)`` of the key with ``prefix``, or None."""
    c = api_key.c
    return db.execute(
        select(c.name, c.scope, c.salt, c.secret_hash, c.revoked_at).where(c.prefix == prefix)
    ).first()


def active_by_prefixes(db: Session | Connection, prefixes: set[str]) -> list[tuple[str, str, str]]:
    """``(prefix, salt, secret_hash)`` of the unrevoked keys among ``prefixes``. One statement."""
    c = api_key.c
    rows = db.execute(
        select(c.prefix, c.salt, c.secret_hash).where(
            c.prefix.in_(prefixes), c.revoked_at.is_(None)
        )
    ).all()
    return [(r.prefix, r.salt, r.secret_hash) for r in rows]

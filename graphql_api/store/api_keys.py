"""The ``api_key`` table: every statement on API keys (checks: :mod:`graphql_api.web.auth`).

Functions take a :class:`~sqlalchemy.orm.Session`; none commits.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, cast

from sqlalchemy import CursorResult, Row, select, update

from .models import ApiKey

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


def name_taken(session: Session, name: str) -> bool:
    """Whether a key (active or revoked) is called ``name``."""
    return session.scalar(select(ApiKey.id).where(ApiKey.name == name)) is not None


def add(
    session: Session, *, name: str, prefix: str, salt: str, secret_hash: str, scope: str
) -> None:
    """Insert a key row (flushed, so a duplicate prefix or name fails here)."""
    session.add(ApiKey(name=name, prefix=prefix, salt=salt, secret_hash=secret_hash, scope=scope))
    session.flush()


def revoke(session: Session, name: str) -> bool:
    """Mark the active key ``name`` revoked now; False when there is no such active key."""
    result = cast(
        "CursorResult[object]",
        session.execute(
            update(ApiKey)
            .where(ApiKey.name == name, ApiKey.revoked_at.is_(None))
            .values(revoked_at=datetime.now(UTC))
        ),
    )
    return bool(result.rowcount)


def every_key(session: Session) -> list[ApiKey]:
    """Every key row, oldest first."""
    return list(session.scalars(select(ApiKey).order_by(ApiKey.id)))


KeyRow = Row[tuple[str, str, str, str, datetime | None]]


def by_prefix(session: Session, prefix: str) -> KeyRow | None:
    """``(name, scope, salt, secret_hash, revoked_at)`` of the key with ``prefix``, or None."""
    return session.execute(
        select(ApiKey.name, ApiKey.scope, ApiKey.salt, ApiKey.secret_hash, ApiKey.revoked_at).where(
            ApiKey.prefix == prefix
        )
    ).first()


def active_by_prefixes(session: Session, prefixes: set[str]) -> list[tuple[str, str, str]]:
    """``(prefix, salt, secret_hash)`` of the unrevoked keys among ``prefixes``. One statement."""
    rows = session.execute(
        select(ApiKey.prefix, ApiKey.salt, ApiKey.secret_hash).where(
            ApiKey.prefix.in_(prefixes), ApiKey.revoked_at.is_(None)
        )
    ).all()
    return [(r.prefix, r.salt, r.secret_hash) for r in rows]

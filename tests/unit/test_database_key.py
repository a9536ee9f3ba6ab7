"""Per-database caches are keyed by engine: a database made again at the same URL is new.

The write check keeps each theme's resolved-size total per database and revision
(:mod:`graphql_api.store.resolved_totals`). A database dropped and made again at the same
URL starts its revisions again, so a key by URL alone would answer for the new database
with the old one's totals.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from graphql_api.store import db
from graphql_api.store.alias_graph import database_of

if TYPE_CHECKING:
    from pathlib import Path


def test_two_engines_on_one_url_get_different_keys(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'tokens.sqlite3'}"
    first, second = db.make_engine(url), db.make_engine(url)
    try:
        with Session(first) as a, Session(first) as b, Session(second) as c:
            assert database_of(a) == database_of(b)  # one engine: one key, kept
            assert database_of(a) != database_of(c)  # same URL, another engine
            assert database_of(a).startswith(f"{url}#")
    finally:
        first.dispose()
        second.dispose()

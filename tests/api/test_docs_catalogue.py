"""The error-code page (``docs/errors.md``) lists every code the server can answer with.

Codes are collected from the code itself: the engine's catalogue (``graphql_api.dtcg.errors
.CODES``), the API's catalogue (``graphql_api.errors.ErrorCode``), the code constants of the
exporters, and any code still written as a literal into an answer (``"code": "…"``,
``json_error(…, "…")``, ``Conflict(…, "…")``). A new code without documentation fails here.
"""

from __future__ import annotations

import re
from pathlib import Path

from graphql_api.dtcg.errors import CODES
from graphql_api.errors import ErrorCode

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ROOT / "graphql_api"
PAGE = ROOT / "docs" / "errors.md"
CODE = r"([A-Z]{2,}(?:_[A-Z]+)*)"
WRITTEN = [
    re.compile(rf'"code":\s*"{CODE}"'),
    re.compile(rf'json_error\([^)]*?"{CODE}"', re.S),
    re.compile(rf'Conflict\([^)]*"{CODE}"\)', re.S),
]
CONSTANTS = re.compile(rf'^\w+ = "{CODE}"$', re.M)


def answered_codes() -> set[str]:
    """Every code the sources can write into an answer."""
    found = set(CODES) | {code.value for code in ErrorCode}
    for path in SOURCES.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for pattern in WRITTEN:
            found.update(pattern.findall(text))
    for path in sorted((SOURCES / "exporters").glob("*.py")):
        found.update(CONSTANTS.findall(path.read_text(encoding="utf-8")))
    return found


def test_the_collection_finds_codes_of_every_kind() -> None:
    codes = answered_codes()
    for sample in (
        "CIRCULAR_REFERENCE",
        "INVALID_PAGE_SIZE",
        "STALE_REVISION",
        "BODY_TOO_LARGE",
        "QUERY_TOO_DEEP",
        "SUBSCRIPTIONS_ONLY",
        "DATABASE_UNAVAILABLE",
        "NAME_COLLISION",
        "PERSISTED_QUERY_HASH_MISMATCH",
        "INVALID_ID",
        "FORBIDDEN",
        "QUERY_TOO_COSTLY",
    ):
        assert sample in codes, sample


def test_every_code_is_on_the_error_page() -> None:
    listed = set(re.findall(rf"^\| `{CODE}` \|", PAGE.read_text(encoding="utf-8"), re.M))
    assert sorted(answered_codes() - listed) == []

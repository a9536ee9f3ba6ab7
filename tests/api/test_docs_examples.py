"""Every GraphQL example of the documentation runs against the Primer demo.

The fenced ``graphql`` blocks of ``docs/*.md`` and ``README.md`` are extracted. Each must
parse and validate against the live schema. Then each block's operations are sent to a
server holding Primer (what ``make serve`` imports), on both databases:

- a page with no mutation reads the Primer database the API tests share (read-only);
- a page with a mutation runs its blocks in order, as a reader following the page would,
  on a Primer database of its own, with a ``write`` key (the docs say to send one);
- subscriptions are only validated (they need the ASGI server: ``tests/live`` runs them).

Every answer must be free of errors, and every mutation payload must be its success type.
Marks, as GraphQL comments inside a block (shown to readers as they are):

- ``# variables: {...}``: the JSON variables of the block's operations (each operation gets
  the ones it declares);
- ``# expect error: CODE``: the block shows a mistake; its answer must carry that code;
- ``# expect payload: TYPE``: the block shows a refusal; each mutation payload is a ``TYPE``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from graphql import OperationDefinitionNode, OperationType, parse, validate

from graphql_api.schema import schema
from tests.writing import make_key

if TYPE_CHECKING:
    from flask import Flask
    from flask.testing import FlaskClient

    from tests.api.conftest import SharedDB

ROOT = Path(__file__).resolve().parents[2]
PAGES = [*sorted((ROOT / "docs").rglob("*.md")), ROOT / "README.md"]
FENCE = re.compile(r"^```graphql[^\n]*\n(.*?)^```", re.S | re.M)
VARIABLES = re.compile(r"^\s*# variables: (.+)$", re.M)
EXPECT = re.compile(r"^\s*# expect error: (\w+)\s*$", re.M)
EXPECT_PAYLOAD = re.compile(r"^\s*# expect payload: (\w+)\s*$", re.M)


@dataclass(frozen=True)
class Example:
    """One fenced ``graphql`` block."""

    page: Path
    line: int
    text: str

    @property
    def where(self) -> str:
        """``docs/page.md:LINE`` for messages."""
        return f"{self.page.relative_to(ROOT)}:{self.line}"

    def operations(self) -> list[OperationDefinitionNode]:
        """The block's operations, in order."""
        return [d for d in parse(self.text).definitions if isinstance(d, OperationDefinitionNode)]

    def variables(self) -> dict[str, Any]:
        """The ``# variables:`` mark, decoded (empty without one)."""
        match = VARIABLES.search(self.text)
        return json.loads(match.group(1)) if match else {}

    def expected_error(self) -> str | None:
        """The code of a ``# expect error:`` mark."""
        match = EXPECT.search(self.text)
        return match.group(1) if match else None


def examples(page: Path) -> list[Example]:
    """The ``graphql`` blocks of a page, in order."""
    text = page.read_text(encoding="utf-8")
    return [
        Example(page, text.count("\n", 0, m.start()) + 2, m.group(1))
        for m in FENCE.finditer(text)
        if not m.group(1).startswith("--8<--")  # a snippet: the whole schema (reference/)
    ]


ALL = [e for page in PAGES for e in examples(page)]
READ_PAGES = [
    p
    for p in PAGES
    if examples(p)
    and not any(
        op.operation is OperationType.MUTATION for e in examples(p) for op in e.operations()
    )
]
WRITE_PAGES = [p for p in PAGES if examples(p) and p not in READ_PAGES]


def test_the_docs_have_examples_on_the_pages_that_teach_the_api() -> None:
    names = {p.name for p in PAGES if examples(p)}
    assert {"querying.md", "themes.md", "writing.md", "README.md"} <= names, names
    assert len(ALL) >= 30


@pytest.mark.parametrize("example", ALL, ids=[e.where for e in ALL])
def test_every_example_validates_against_the_schema(example: Example) -> None:
    errors = validate(schema._schema, parse(example.text))  # graphql-core's schema
    assert errors == [], f"{example.where}: {[e.message for e in errors]}"
    assert example.operations(), f"{example.where}: no operation"
    if len(example.operations()) > 1:
        assert all(op.name for op in example.operations()), f"{example.where}: name them"


def run(client: FlaskClient, example: Example, key: str | None = None) -> None:
    """Send each operation of ``example``; its answers must be what the block promises."""
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    given = example.variables()
    for op in example.operations():
        if op.operation is OperationType.SUBSCRIPTION:
            continue  # validated above; run by tests/live over the ASGI server
        declared = {v.variable.name.value for v in op.variable_definitions or ()}
        body = {
            "query": example.text,
            "operationName": op.name.value if op.name else None,
            "variables": {k: v for k, v in given.items() if k in declared},
        }
        result = client.post("/graphql", json=body, headers=headers).get_json()
        code = example.expected_error()
        if code is not None:
            codes = [e.get("extensions", {}).get("code") for e in result.get("errors", [])]
            assert code in codes, f"{example.where}: expected {code}, got {result}"
            continue
        assert "errors" not in result, f"{example.where}: {json.dumps(result)[:2000]}"
        if op.operation is OperationType.MUTATION:
            refusal = EXPECT_PAYLOAD.search(example.text)
            for field, payload in result["data"].items():
                kind = payload.get("__typename", "") if isinstance(payload, dict) else ""
                if refusal is not None:
                    assert kind == refusal.group(1), f"{example.where} {field}: {payload}"
                else:
                    ok = kind.endswith(("Success", "Report"))
                    assert ok, f"{example.where} {field}: {payload}"


@pytest.mark.parametrize("page", READ_PAGES, ids=[p.name for p in READ_PAGES])
def test_the_read_examples_run_on_primer(primer: SharedDB, page: Path) -> None:
    for example in examples(page):
        run(primer.client, example)


@pytest.mark.parametrize("page", WRITE_PAGES, ids=[p.name for p in WRITE_PAGES])
def test_the_write_examples_run_in_order_on_a_fresh_primer(primer_app: Flask, page: Path) -> None:
    key = make_key(primer_app, "designer", "write")
    client = primer_app.test_client()
    for example in examples(page):
        run(client, example, key)

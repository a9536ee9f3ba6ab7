"""Cached responses that outlive a write which changed none of the tokens they read.

A query that reads only tokens (``token``/``tokens`` and a token's own data, see
:mod:`graphql_api.schema.read_scope`) is served again from the response cache after a write
when, in each theme combination it read, no token it read was re-resolved. Every answer
served that way is compared with what a fresh app (empty caches) executes at the same
revision, on both databases.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pytest
from graphql import GraphQLObjectType, get_named_type, parse

from graphql_api.schema import schema
from graphql_api.schema.read_scope import reads_only_tokens, value_types
from graphql_api.store.response_cache import RESPONSE_CACHE_KEY
from tests.helpers import clock_caught_up
from tests.writing import DARK, Writer, import_mini, make_key

if TYPE_CHECKING:
    from collections.abc import Callable

    from flask import Flask
    from flask.testing import FlaskClient
    from werkzeug.test import TestResponse

    MakeApp = Callable[..., Flask]
COMPONENT = (
    "query($t: [ThemeSelection!]) { "
    'bg: token(path: "accent.bg", theme: $t) { resolvedValue aliasChain { path description } } '
    'gray: token(path: "color.gray.1", theme: $t) { description '
    "value { ... on ColorValue { hex } } } }"
)
WHOLE = (
    "query($t: [ThemeSelection!]) { tokens(theme: $t) { totalCount "
    "edges { cursor node { id path resolvedValue } } } }"
)


@pytest.fixture
def writer(app: Flask) -> Writer:
    """A client with a write key, on a database holding MINI."""
    w = Writer(app.test_client(), make_key(app, "designer", "write"))
    import_mini(w)
    return w


def update(writer: Writer, path: str, context: dict[str, str] | None = None, **fields: Any) -> int:
    """``updateToken``; the new revision."""
    extra = {"context": context} if context else {}
    payload = writer.call("updateToken", "UpdateTokenInput", path=path, **fields, **extra)
    assert payload["__typename"] == "TokenSuccess", payload
    revision: int = payload["revision"]
    return revision


def read(writer: Writer, query: str, theme: list[dict[str, str]] | None = None) -> bytes:
    response = writer.client.post("/graphql", json={"query": query, "variables": {"t": theme}})
    assert response.status_code == 200
    assert "errors" not in response.get_json(), response.get_json()
    return response.get_data()


@pytest.fixture
def fresh(make_app: MakeApp, executions: list[str]) -> Callable[..., bytes]:
    """``fresh(query, theme)``: the bytes a new app (nothing cached) answers with.

    Its execution is not counted in ``executions``.
    """

    def answer(query: str, theme: list[dict[str, str]] | None = None) -> bytes:
        counted = len(executions)
        client = make_app().test_client()
        response = client.post("/graphql", json={"query": query, "variables": {"t": theme}})
        del executions[counted:]
        return response.get_data()

    return answer


def queries(executions: list[str]) -> list[str]:
    return [q for q in executions if not q.lstrip().startswith("mutation")]


def test_a_write_to_tokens_it_did_not_read_keeps_a_component_response(
    writer: Writer, fresh: Callable[..., bytes], executions: list[str]
) -> None:
    first = read(writer, COMPONENT)
    update(writer, "color.red.5", value="#ff0000")  # light's accent.bg does not reach it
    update(writer, "size.unit", value={"value": 8, "unit": "px"})
    again = read(writer, COMPONENT)
    assert len(queries(executions)) == 1  # served twice from the first execution
    assert again == first == fresh(COMPONENT)


def test_a_write_to_a_token_it_reaches_through_references_executes_again(
    writer: Writer, fresh: Callable[..., bytes], executions: list[str]
) -> None:
    first = read(writer, COMPONENT)
    update(writer, "color.blue.5", description="the primary blue")  # accent.bg → fg → blue.5
    again = read(writer, COMPONENT)
    assert len(queries(executions)) == 2
    assert again != first
    assert again == fresh(COMPONENT)
    update(writer, "color.blue.5", value="#000080")
    assert b"#000080" in read(writer, COMPONENT)
    assert len(queries(executions)) == 3


def test_each_theme_keeps_what_a_write_to_another_context_left_alone(
    writer: Writer, fresh: Callable[..., bytes], executions: list[str]
) -> None:
    light, dark = read(writer, WHOLE), read(writer, WHOLE, DARK)
    light_ctx = {"modifier": "theme", "context": "light"}
    update(writer, "accent.fg", light_ctx, value="{color.red.5}")
    assert read(writer, WHOLE, DARK) == dark == fresh(WHOLE, DARK)
    assert len(queries(executions)) == 2  # dark did not run again
    new_light = read(writer, WHOLE)
    assert new_light != light
    assert new_light == fresh(WHOLE)
    assert len(queries(executions)) == 3


def test_a_whole_theme_response_executes_again_after_any_change_in_it(
    writer: Writer, fresh: Callable[..., bytes], executions: list[str]
) -> None:
    read(writer, WHOLE, DARK)
    update(writer, "color.gray.1", description="a new description")  # read by no alias
    assert read(writer, WHOLE, DARK) == fresh(WHOLE, DARK)
    assert len(queries(executions)) == 2


def test_a_document_reading_more_than_tokens_executes_after_every_write(
    writer: Writer, executions: list[str]
) -> None:
    query = (
        'query($t: [ThemeSelection!]) { revision token(path: "color.gray.1", theme: $t) { path } }'
    )
    read(writer, query)
    revision = update(writer, "color.red.5", value="#ff0000")
    assert f'"revision":{revision}'.encode() in read(writer, query)
    assert len(queries(executions)) == 2


def test_a_stale_entry_is_dropped_and_a_kept_one_moves_to_the_new_revision(
    app: Flask, writer: Writer, executions: list[str]
) -> None:
    cache = app.extensions[RESPONSE_CACHE_KEY]
    read(writer, COMPONENT)
    read(writer, WHOLE)
    update(writer, "color.red.5", value="#ff0000")
    read(writer, COMPONENT)  # kept: carried to the new revision
    read(writer, WHOLE)  # stale (color.red.5 is in light's theme too): executed again
    assert len(queries(executions)) == 3
    assert len(cache) == 2
    assert {e.revision for e in (cache.latest(k) for k in cache._latest)} == {writer.revision()}


# --------------------------------------------------------------------------- ETags over GET


def get(
    client: FlaskClient, query: str, theme: list[dict[str, str]] | None = None, tag: str = ""
) -> TestResponse:
    """GET /graphql for ``query`` in ``theme``, conditional on ``tag`` when given."""
    args = {"query": query, "variables": json.dumps({"t": theme})}
    return client.get("/graphql", query_string=args, headers={"If-None-Match": tag} if tag else {})


def test_a_response_carried_across_a_write_keeps_its_etag(
    writer: Writer, fresh: Callable[..., bytes], executions: list[str]
) -> None:
    first = get(writer.client, COMPONENT)
    tag = first.headers["ETag"]
    update(writer, "color.red.5", value="#ff0000")  # light's accent.bg does not reach it
    again = get(writer.client, COMPONENT, tag=tag)
    assert again.status_code == 304
    assert again.headers["ETag"] == tag
    assert again.get_data() == b""
    plain = get(writer.client, COMPONENT)
    assert plain.status_code == 200
    assert plain.headers["ETag"] == tag
    assert plain.get_data() == first.get_data() == fresh(COMPONENT)
    assert len(queries(executions)) == 1

    update(writer, "color.blue.5", value="#000080")  # accent.bg → accent.fg → blue.5
    changed = get(writer.client, COMPONENT, tag=tag)
    assert changed.status_code == 200
    assert b"#000080" in changed.get_data()
    new_tag = changed.headers["ETag"]
    assert new_tag != tag
    assert get(writer.client, COMPONENT, tag=new_tag).status_code == 304
    assert get(writer.client, COMPONENT, tag=tag).status_code == 200


def test_a_carried_etag_is_kept_by_a_post_then_a_get(writer: Writer) -> None:
    """A POST stores the entry a GET for the same request is answered from, ETag included."""
    read(writer, COMPONENT)  # POST: executed and cached, no ETag sent
    tag = get(writer.client, COMPONENT).headers["ETag"]
    update(writer, "size.unit", value={"value": 8, "unit": "px"})
    read(writer, COMPONENT)  # POST carries the entry to the new revision
    assert get(writer.client, COMPONENT, tag=tag).status_code == 304


def test_etags_across_processes_after_unrelated_then_related_writes(
    writer: Writer, make_app: MakeApp, fresh: Callable[..., bytes]
) -> None:
    """Two processes on one database: a write by one, conditional GETs to the other.

    The process that cached the response keeps its ETag across the other's unrelated write
    (it learns what changed from the database); one that never held it executes and sends
    the ETag of its own revision, which the first then also accepts (the same request at the
    same revision: the same ETag in every process). A related write ends both.
    """
    b = make_app()
    reader = b.test_client()
    tag = get(reader, COMPONENT).headers["ETag"]
    update(writer, "color.red.5", value="#ff0000")  # by A: B learns it from the database
    clock_caught_up(b)
    kept = get(reader, COMPONENT, tag=tag)
    assert kept.status_code == 304
    assert kept.headers["ETag"] == tag

    other = get(writer.client, COMPONENT, tag=tag)  # A never cached it: executes
    assert other.status_code == 200
    assert other.get_data() == get(reader, COMPONENT).get_data() == fresh(COMPONENT)
    their_tag = other.headers["ETag"]
    assert their_tag != tag
    assert get(reader, COMPONENT, tag=their_tag).status_code == 304
    assert get(writer.client, COMPONENT, tag=their_tag).status_code == 304

    update(writer, "color.blue.5", value="#000080")
    clock_caught_up(b)
    for client in (reader, writer.client):
        for old in (tag, their_tag):
            changed = get(client, COMPONENT, tag=old)
            assert changed.status_code == 200
            assert b"#000080" in changed.get_data()
            assert changed.headers["ETag"] not in (tag, their_tag)


# --------------------------------------------------------------------------- the static check


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        (
            (
                '{ token(path: "a") { path value { ... on ColorValue '
                "{ hex in(space: OKLCH) { css } } } } }"
            ),
            True,
        ),
        ("{ tokens { totalCount pageInfo { hasNextPage } edges { cursor node { id } } } }", True),
        ('{ token(path: "a") { __typename aliasOf { path } aliasChain { resolvedValue } } }', True),
        (
            (
                'query { ...F } fragment F on Query { token(path: "a") { ...T } } '
                "fragment T on Token { rawValue }"
            ),
            True,
        ),
        (
            '{ token(path: "a") { value { ... on ShadowValue { layers { color { hex } } } } } }',
            True,
        ),
        ('{ token(path: "a") { referencedBy { path } } }', False),
        ('{ token(path: "a") { aliasChain { referencedBy { path } } } }', False),
        ('{ token(path: "a") { contrast(against: "b") { ratio } } }', False),
        ('{ token(path: "a") { valuesByContext(modifier: "theme") { context } } }', False),
        ('{ revision token(path: "a") { path } }', False),
        ("{ __schema { queryType { name } } }", False),
        ("query { ...F } fragment F on Query { releases { name } }", False),
        ('mutation { updateToken(input: {path: "a"}) { __typename } }', False),
        ('{ node(id: "x") { id } }', False),
    ],
)
def test_documents_that_read_only_tokens(document: str, expected: bool) -> None:
    assert reads_only_tokens(schema._schema, parse(document)) is expected


def test_value_types_lead_to_no_token() -> None:
    graphql_schema = schema._schema
    values = value_types(graphql_schema)
    assert {"ColorValue", "ShadowValue", "ColorInSpace", "TypographyValue"} <= values
    kinds = [graphql_schema.type_map[name] for name in values]
    assert all(isinstance(kind, GraphQLObjectType) for kind in kinds)
    reached = {
        get_named_type(field.type).name
        for kind in kinds
        if isinstance(kind, GraphQLObjectType)
        for field in kind.fields.values()
    }
    assert not reached & {"Token", "Node", "Query", "Release", "Modifier", "Context"}

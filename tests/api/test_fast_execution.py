"""The fast leaf path gives exactly the results and errors of graphql-core's own executor."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
import strawberry

from graphql_api.schema import EXTENSIONS, Query, schema
from graphql_api.schema.execution import FastExecutionContext, fast_path_allowed
from graphql_api.schema.request_context import RequestContext
from graphql_api.store import db
from graphql_api.store.snapshots import SNAPSHOTS_KEY

STANDARD = strawberry.Schema(query=Query, extensions=EXTENSIONS)

QUERIES = {
    "whole-theme": 'query { tokens(theme: [{modifier: "theme", context: "dark"}]) '
    "{ totalCount edges { cursor node { path name type resolvedValue rawValue } } } }",
    "aliases-typename-and-metadata": "query { tokens(first: 40) { edges { node { __typename "
    "p: path t: type description extensions deprecated { reason } "
    "value { __typename ... on ColorValue { hex css components alpha } "
    "... on DimensionValue { px rem unit } ... on UnknownValue { json css } } } } "
    "pageInfo { hasNextPage endCursor startCursor } } }",
    "alias-graph": 'query { token(path: "button.primary.bgColor.rest") { path aliasOf { path '
    "type } aliasChain { path resolvedValue referencedBy { path } } referencedBy { name } } }",
    "skip-include": "query($no: Boolean = false) { tokens(first: 3) { edges { node { path "
    "type @include(if: $no) name @skip(if: $no) } } } }",
    "fragments": "query { tokens(first: 5) { edges { node { ...F path } } } } "
    "fragment F on Token { path type resolvedValue }",
    "errors": 'query { a: token(path: "x", theme: [{modifier: "nope", context: "x"}]) '
    "{ path } b: modifiers { name default contexts { name description } } }",
}


def _run(target: strawberry.Schema, query: str, context: Any) -> dict[str, Any]:
    result = target.execute_sync(query, context_value=context)
    errors = [(e.message, e.path) for e in result.errors or []]
    return {"data": result.data, "errors": errors}


def test_the_app_schema_uses_the_fast_path() -> None:
    assert schema.execution_context_class is FastExecutionContext
    assert fast_path_allowed(EXTENSIONS)


def test_an_extension_with_a_resolve_hook_turns_the_fast_path_off() -> None:
    class Tracing(strawberry.extensions.SchemaExtension):
        def resolve(self, _next, root, info, *args, **kwargs):  # type: ignore[no-untyped-def]
            return _next(root, info, *args, **kwargs)

    assert not fast_path_allowed([Tracing])
    assert not fast_path_allowed([lambda: Tracing()])  # noqa: PLW0108 - a factory, on purpose


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_same_result_as_graphql_core(name: str, primer: Any) -> None:
    app = primer.app
    with app.app_context():

        def context() -> RequestContext:
            return RequestContext(session=db.get_session(), snapshots=app.extensions[SNAPSHOTS_KEY])

        fast = _run(schema, QUERIES[name], context())
        slow = _run(STANDARD, QUERIES[name], context())
    assert fast == slow
    assert fast["data"] is not None


THEMED = (
    "query($a: [ThemeSelection!], $b: [ThemeSelection!]) { "
    + " ".join(f'x{i}: token(path: "accent.fg", theme: $a) {{ resolvedValue }}' for i in range(5))
    + ' y: token(path: "accent.fg", theme: $b) { resolvedValue } '
    + ' z: token(path: "accent.fg", theme: [{modifier: "theme", context: "dark"}]) { path } }'
)


def test_a_theme_variable_is_converted_once_per_operation(
    app: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from graphql_api import compat  # noqa: PLC0415 - patched below
    from tests.writing import DARK, Writer, import_mini, make_key  # noqa: PLC0415

    writer = Writer(app.test_client(), make_key(app, "designer", "write"))
    import_mini(writer)
    converted: list[int] = []
    real = compat._real_convert_argument

    def counting(value: Any, type_: Any, *args: Any, path: tuple[str | int, ...] = ()) -> Any:
        if path == ("theme",) and isinstance(value, list):
            converted.append(id(value))
        return real(value, type_, *args, path=path)

    monkeypatch.setattr(compat, "_real_convert_argument", counting)
    data = writer.read(THEMED, {"a": DARK, "b": DARK})
    assert [data[f"x{i}"]["resolvedValue"] for i in range(5)] == ["#d1242f"] * 5
    assert data["y"]["resolvedValue"] == "#d1242f"
    # $a (five fields), $b (one field) and the literal (built anew for its field): each
    # value is converted as often as any other, not once per field that uses it.
    per_value = Counter(converted)
    assert len(per_value) == 3
    assert len(set(per_value.values())) == 1
    data = writer.read(THEMED, {"a": None, "b": DARK})  # a new operation: its own values
    assert [data[f"x{i}"]["resolvedValue"] for i in range(5)] == ["#0969da"] * 5

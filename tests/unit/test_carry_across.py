"""Moving a resolution to another theme combination (:func:`graphql_api.store.carry.across`).

Layers whose groups differ only in what no token inherits (a description, the file: each of
Primer's theme files describes itself) are carried across; a group ``$type`` that differs is
not (its tokens would resolve differently), and the caller resolves from scratch.
"""

from __future__ import annotations

from typing import Any

from graphql_api.dtcg.incremental import resolve_sized
from graphql_api.dtcg.parse import flatten, parse_document
from graphql_api.store import carry
from graphql_api.store.snapshots import Snapshot

BASE = {
    "color": {
        "$type": "color",
        "blue": {"$value": "#0000ff"},
        "accent": {"$value": "{color.blue}"},
    },
    "size": {"gap": {"$type": "dimension", "$value": {"value": 4, "unit": "px"}}},
}


def layer(name: str, extra: dict[str, Any]) -> Any:
    doc, problems = parse_document(extra, file=f"{name}.tokens.json")
    assert problems == []
    return doc


def snapshot(docs: list[Any]) -> Snapshot:
    sized, errors = resolve_sized(flatten(docs))
    assert errors == []
    return Snapshot.build(1, {}, sized)


def test_groups_that_differ_only_in_description_are_carried_across() -> None:
    base = layer("base", BASE)
    light = layer(
        "light", {"$description": "the light theme", "color": {"blue": {"$value": "#0000fe"}}}
    )
    dark = layer(
        "dark", {"$description": "the dark theme", "color": {"blue": {"$value": "#000080"}}}
    )
    before = snapshot([base, light])
    moved = carry.across(before, [base, light], [base, dark])
    assert moved is not None
    sized, changed = moved
    assert set(changed) == {"color.blue"}
    fresh = snapshot([base, dark])
    assert sized.tokens == fresh.tokens
    assert sized.tokens["color.accent"].value == fresh.tokens["color.accent"].value


def test_a_group_type_that_differs_is_resolved_from_scratch() -> None:
    base = layer("base", BASE)
    plain = layer("plain", {"size": {"gap": {"$value": {"value": 8, "unit": "px"}}}})
    typed = layer(
        "typed", {"size": {"$type": "dimension", "gap": {"$value": {"value": 8, "unit": "px"}}}}
    )
    before = snapshot([base, plain])
    assert carry.across(before, [base, plain], [base, typed]) is None

"""Imported documents go through the existing pipeline unchanged.

``validate_document`` → ``imports.import_document`` → commit, then the stored layers
(read back through ``repository``) resolve to exactly what the in-memory document resolves
to, for every theme combination.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from graphql_api.dtcg.parse import flatten
from graphql_api.dtcg.references import resolve
from graphql_api.dtcg.resolver import normalise_input
from graphql_api.dtcg.validate import combinations, validate_document
from graphql_api.importers import load
from graphql_api.store import repository
from graphql_api.writes import imports
from tests.importers.helpers import FIXTURES, values

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


@pytest.mark.parametrize(
    ("name", "tokens", "contexts"),
    [
        ("tokens-studio-folder", 58, 4),  # 46 core + 8 semantic + 4 brand
        ("tokens-studio-single.json", 23, 2),  # 15 global + 5 light/dark + 3 components
        ("style-dictionary", 19, 0),
        ("context-per-file", 16, 3),
        ("spectrum", 25, 5),  # 3 palette + 14 layout + 8 button; light/dark/wireframe, 2 scales
    ],
)
def test_import_then_read_back(session: Session, name: str, tokens: int, contexts: int) -> None:
    doc = load(FIXTURES / name)
    assert validate_document(doc) == []
    result = imports.import_document(session, doc, message=f"import {name}")
    session.commit()
    assert (result.tokens, result.contexts) == (tokens, contexts)
    catalog = repository.load_catalog(session)
    assert catalog.modifier_contexts() == {
        m.name: (list(m.contexts), m.default) for m in doc.modifiers.values()
    }
    for selection in combinations(doc):
        normalised = normalise_input(catalog.modifier_contexts(), selection)
        layers, _ = repository.load_layers(session, catalog.layer_ids(normalised))
        stored, errors = resolve(flatten(layers))
        assert errors == []
        assert {p: (t.type, t.value) for p, t in stored.items()} == {
            p: (t.type, t.value) for p, t in resolve(flatten(doc.layers(normalised)))[0].items()
        }
        assert {p: t.value for p, t in stored.items()} == values(doc, selection)

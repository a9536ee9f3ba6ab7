"""Helpers shared by the importer tests.

``FIXTURES`` is the folder of hand-written, real-world-shaped token exports;
:func:`resolve_selection` flattens and resolves one theme selection of a loaded document.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from graphql_api.dtcg.parse import flatten
from graphql_api.dtcg.references import ResolvedToken, resolve
from graphql_api.dtcg.resolver import normalise_input

if TYPE_CHECKING:
    from collections.abc import Mapping

    from graphql_api.dtcg.resolver import ResolverDocument

FIXTURES = Path(__file__).parent / "fixtures"


def resolve_selection(
    doc: ResolverDocument, selection: Mapping[str, str] | None = None
) -> dict[str, ResolvedToken]:
    """Resolve ``doc`` for ``selection`` (modifiers not named take their default).

    Fails the test if resolution reports any error.
    """
    mods = {m.name: (list(m.contexts), m.default) for m in doc.modifiers.values()}
    tokens, errors = resolve(flatten(doc.layers(normalise_input(mods, selection or {}))))
    assert errors == []
    return tokens


def values(doc: ResolverDocument, selection: Mapping[str, str] | None = None) -> dict[str, Any]:
    """``{path: resolved value}`` for ``selection``."""
    return {p: t.value for p, t in resolve_selection(doc, selection).items()}

"""Combinations resolved in part (``graphql_api.dtcg.closure``) against whole resolutions.

On Primer's resolver document: in several theme combinations, for a spread of tokens, the
tokens :class:`PartialResolver` gives (a root, every token whose value reaches it, and what
those reference) must be those of resolving the whole combination, in everything a read
shows, and the referrers it finds must be the whole combination's.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from graphql_api.dtcg.closure import (
    PartialResolver,
    defined_paths,
    extends_anywhere,
    reach,
    value_referrers,
)
from graphql_api.dtcg.nodes import Document, GroupNode, TokenNode
from graphql_api.dtcg.parse import flatten
from graphql_api.dtcg.references import resolve
from graphql_api.dtcg.resolver import ResolverDocument, load_resolver, normalise_input

if TYPE_CHECKING:
    from graphql_api.dtcg.references import ResolvedToken

PRIMER = Path(__file__).resolve().parent.parent / "data" / "primer-primitives"
SELECTIONS = [
    {"theme": "light", "pointer": "fine"},
    {"theme": "dark", "pointer": "coarse"},
    {"theme": "dark_high_contrast", "pointer": "fine"},
    {"theme": "light_colorblind", "pointer": "coarse"},
]
NAMED = ["base.color.blue.5", "base.color.neutral.0", "fgColor.default", "base.size.4"]


@pytest.fixture(scope="module")
def primer() -> ResolverDocument:
    return load_resolver(PRIMER / "primer-primitives.resolver.json")


def shown(tok: ResolvedToken) -> tuple[Any, ...]:
    """What a read shows of a resolved token (its source file and pointer only word errors)."""
    n = tok.node
    return (
        n.path,
        n.value,
        n.type,
        n.description,
        n.extensions,
        tok.type,
        tok.value,
        tok.deprecated,
        tok.references,
        tok.alias_of,
    )


def referrers(tokens: dict[str, ResolvedToken], root: str) -> set[str]:
    """Every token whose value reaches ``root`` in a whole resolution."""
    back: dict[str, set[str]] = {}
    for path, tok in tokens.items():
        for ref in tok.references:
            back.setdefault(ref.target, set()).add(path)
    return reach(back, [root])


def test_partial_tokens_equal_the_whole_combination(primer: ResolverDocument) -> None:
    mods = {m.name: (list(m.contexts), m.default) for m in primer.modifiers.values()}
    every = primer.every_layer()
    assert not extends_anywhere(every)
    back = value_referrers(every)
    resolver = PartialResolver()
    calls = reached = 0
    for given in SELECTIONS:
        selection = normalise_input(mods, {k: v.replace("_", "-") for k, v in given.items()})
        layers = primer.layers(selection)
        whole, errors = resolve(flatten(layers))
        assert errors == []
        roots = [*NAMED, *sorted(whole)[::20]]
        for root in roots:
            part, errs = resolver.resolve(layers, [root], reach(back, [root]))
            assert errs == []
            expected = referrers(whole, root)
            assert expected <= part.keys(), root  # every referrer, resolved
            assert referrers(part, root) == expected, root
            for path, tok in part.items():
                assert shown(tok) == shown(whole[path]), (root, path)
            calls += 1
            reached += len(expected)
    assert reached > 400  # the roots have referrers to compare
    assert resolver.resolved < 0.7 * calls  # combinations that read alike resolved once


def test_a_token_resolves_alike_only_with_the_same_metadata() -> None:
    # two layers define the same value with different $extensions: each keeps its own
    def layer(key: str) -> Document:
        node = TokenNode("a", "#ff0000", "color", None, None, {"k": key})
        return Document({"a": node, "b": TokenNode("b", "{a}", None)})

    resolver = PartialResolver()
    first, _ = resolver.resolve([layer("one")], ["b"])
    second, _ = resolver.resolve([layer("two")], ["b"])
    assert first["a"].node.extensions == {"k": "one"}
    assert second["a"].node.extensions == {"k": "two"}
    assert first["b"].value == second["b"].value
    # layers dropped by the caller: a new document may take a dropped one's id()
    for n in range(50):
        got, _ = resolver.resolve([layer(str(n))], ["b"])
        assert got["a"].node.extensions == {"k": str(n)}


def test_defined_paths_are_every_path_some_combination_has(primer: ResolverDocument) -> None:
    mods = {m.name: (list(m.contexts), m.default) for m in primer.modifiers.values()}
    seen: set[str] = set()
    for theme in mods["theme"][0]:
        for pointer in mods["pointer"][0]:
            selection = normalise_input(mods, {"theme": theme, "pointer": pointer})
            seen.update(flatten(primer.layers(selection)).tokens)
    assert defined_paths(primer.every_layer()) == seen
    # `$extends` makes paths while a combination is flattened: no layer names them
    extending = Document(groups={"brand": GroupNode("brand", extends="{base.color}")})
    assert defined_paths([*primer.every_layer(), extending]) is None

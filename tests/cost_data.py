"""Documents for the cost tests: fan-outs the data decides (referrers, combinations)."""

from __future__ import annotations

from typing import Any


def fanout_document(referrers: int = 50, contexts: tuple[int, ...] = (2,)) -> dict[str, Any]:
    """A resolver document: ``base`` referenced by ``a.t0``…, a white ``bg``, and modifiers.

    Args:
        referrers: tokens whose value is ``{base}`` (the largest ``referencedBy``).
        contexts: contexts of each modifier ``m0``, ``m1``… (empty contexts: the theme
            combinations are their product).
    """
    black = {"colorSpace": "srgb", "components": [0, 0, 0]}
    white = {"colorSpace": "srgb", "components": [1, 1, 1]}
    tokens = {
        "base": {"$type": "color", "$value": black},
        "bg": {"$type": "color", "$value": white},
        "a": {f"t{i}": {"$value": "{base}"} for i in range(referrers)},
    }
    modifiers = {
        f"m{m}": {"default": "c0", "contexts": {f"c{c}": [] for c in range(n)}}
        for m, n in enumerate(contexts)
    }
    order = [{"$ref": "#/sets/core"}, *({"$ref": f"#/modifiers/{m}"} for m in modifiers)]
    return {
        "version": "2025.10",
        "sets": {"core": {"sources": [tokens]}},
        "modifiers": modifiers,
        "resolutionOrder": order,
    }


def nested_referrers(levels: int) -> str:
    """``token(path: "base") { referencedBy { aliasChain { referencedBy … { path } } } }``."""
    inner = "path"
    for level in range(levels):
        field = "referencedBy" if level % 2 == 0 else "aliasChain"
        inner = f"{field} {{ {inner} }}"
    return f'{{ token(path: "base") {{ {inner} }} }}'


def fragment_fanout(levels: int) -> str:
    """``{ ...F1 } fragment F1 on Query { ...F2 ...F2 } …``: 2**levels spreads when expanded."""
    parts = ["{ ...F1 }"]
    for i in range(1, levels):
        parts.append(f"fragment F{i} on Query {{ ...F{i + 1} ...F{i + 1} }}")
    parts.append(f"fragment F{levels} on Query {{ revision }}")
    return "\n".join(parts)

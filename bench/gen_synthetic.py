"""Generate a synthetic design system as a DTCG 2025.10 resolver document.

    python -m bench.gen_synthetic OUT_DIR --tokens 10000 --contexts 5 [--seed 1]

Shape (fractions of ``--tokens``, deterministic for a seed):

- 35 % primitives: ``base.color.<hue>.<n>`` sRGB colour objects, ``base.size.<n>``
  dimensions, ``base.duration.<n>`` durations;
- 30 % semantic aliases ``semantic.<group>.<n>`` = ``{base.…}`` (chain length 1);
- 20 % component aliases ``component.<c>.<n>`` = ``{semantic.…}``, a quarter of them to
  another component token (chains of 2–3);
- 15 % composites: shadow, border and typography objects whose members are references.

One set ``base`` (files of at most 2,000 tokens), one modifier ``theme`` with ``--contexts``
contexts ``c0…``; each context's file re-points 10 % of the semantic aliases and recolours
2 % of the colour primitives (so every context resolves differently).
``resolutionOrder``: the set, then the modifier.
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path
from typing import Any

HUES = ("red", "orange", "yellow", "green", "teal", "blue", "indigo", "purple", "pink", "gray")
FILE_SIZE = 2_000


def colour(rng: random.Random) -> dict[str, Any]:
    """An sRGB colour object with its hex."""
    rgb = [rng.randrange(256) for _ in range(3)]
    return {
        "colorSpace": "srgb",
        "components": [round(c / 255, 4) for c in rgb],
        "hex": "#" + "".join(f"{c:02x}" for c in rgb),
    }


def put(tree: dict[str, Any], path: str, token: dict[str, Any]) -> None:
    """Place ``token`` at dotted ``path`` in a nested group tree."""
    *groups, name = path.split(".")
    for g in groups:
        tree = tree.setdefault(g, {})
    tree[name] = token


def build(n: int, rng: random.Random) -> tuple[dict[str, dict[str, Any]], dict[str, list[str]]]:
    """Path → token for ``n`` tokens, and the paths by kind (for the contexts)."""
    n_prim, n_sem, n_comp = int(n * 0.35), int(n * 0.30), int(n * 0.20)
    n_comp_x = n - n_prim - n_sem - n_comp
    tokens: dict[str, dict[str, Any]] = {}
    kinds: dict[str, list[str]] = {"color": [], "size": [], "duration": [], "semantic": []}
    for i in range(n_prim):
        r = i % 10
        if r < 7:
            path = f"base.color.{HUES[i % len(HUES)]}.{i}"
            tokens[path] = {"$type": "color", "$value": colour(rng)}
            kinds["color"].append(path)
        elif r < 9:
            path = f"base.size.s{i}"
            tokens[path] = {"$type": "dimension", "$value": {"value": i % 64, "unit": "px"}}
            kinds["size"].append(path)
        else:
            path = f"base.duration.d{i}"
            tokens[path] = {"$type": "duration", "$value": {"value": 50 * (i % 20), "unit": "ms"}}
            kinds["duration"].append(path)
    for i in range(n_sem):
        target = rng.choice(kinds["color"] if i % 4 else kinds["size"])
        path = f"semantic.g{i % 50}.t{i}"
        tokens[path] = {"$value": "{" + target + "}"}
        kinds["semantic"].append(path)
    comps: list[str] = []
    for i in range(n_comp):
        target = rng.choice(comps) if comps and i % 4 == 0 else rng.choice(kinds["semantic"])
        path = f"component.c{i % 200}.t{i}"
        tokens[path] = {"$value": "{" + target + "}"}
        comps.append(path)
    colour_set = set(kinds["color"])
    colour_refs = [p for p in kinds["semantic"] if tokens[p]["$value"][1:-1] in colour_set]
    for i in range(n_comp_x):

        def ref(pool: list[str]) -> str:
            return "{" + rng.choice(pool) + "}"

        path = f"composite.{('shadow', 'border', 'typography')[i % 3]}.x{i}"
        if i % 3 == 0:
            value: Any = {
                "color": ref(colour_refs),
                "offsetX": ref(kinds["size"]),
                "offsetY": ref(kinds["size"]),
                "blur": ref(kinds["size"]),
                "spread": {"value": 0, "unit": "px"},
            }
            tokens[path] = {"$type": "shadow", "$value": value}
        elif i % 3 == 1:
            value = {"color": ref(colour_refs), "width": ref(kinds["size"]), "style": "solid"}
            tokens[path] = {"$type": "border", "$value": value}
        else:
            value = {
                "fontFamily": ["Inter", "sans-serif"],
                "fontSize": ref(kinds["size"]),
                "fontWeight": 400 + 100 * (i % 4),
                "letterSpacing": {"value": 0, "unit": "px"},
                "lineHeight": 1.5,
            }
            tokens[path] = {"$type": "typography", "$value": value}
    kinds["colour_semantic"] = colour_refs
    return tokens, kinds


def context_overrides(
    tokens: dict[str, dict[str, Any]], kinds: dict[str, list[str]], rng: random.Random
) -> dict[str, Any]:
    """One context: 10 % of colour aliases re-pointed, 2 % of colour primitives recoloured."""
    tree: dict[str, Any] = {}
    sem = kinds["colour_semantic"]
    for path in rng.sample(sem, max(1, len(sem) // 10)):
        put(tree, path, {"$value": "{" + rng.choice(kinds["color"]) + "}"})
    for path in rng.sample(kinds["color"], max(1, len(kinds["color"]) // 50)):
        put(tree, path, {"$type": "color", "$value": colour(rng)})
    return tree


def generate(out: Path, n_tokens: int, n_contexts: int, seed: int = 1) -> Path:
    """Write the system under ``out``; returns the resolver document's path."""
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    tokens, kinds = build(n_tokens, rng)
    paths = list(tokens)
    sources = []
    for k in range(0, len(paths), FILE_SIZE):
        tree: dict[str, Any] = {}
        for p in paths[k : k + FILE_SIZE]:
            put(tree, p, tokens[p])
        name = f"base-{k // FILE_SIZE:03d}.tokens.json"
        (out / name).write_text(json.dumps(tree))
        sources.append({"$ref": name})
    contexts = {}
    for c in range(n_contexts):
        name = f"context-c{c}.tokens.json"
        (out / name).write_text(json.dumps(context_overrides(tokens, kinds, rng)))
        contexts[f"c{c}"] = [{"$ref": name}]
    doc = {
        "$schema": "https://www.designtokens.org/schemas/2025.10/resolver.json",
        "version": "2025.10",
        "name": f"synthetic {n_tokens} tokens x {n_contexts} contexts",
        "sets": {"base": {"sources": sources}},
        "modifiers": {"theme": {"contexts": contexts, "default": "c0"}},
        "resolutionOrder": [{"$ref": "#/sets/base"}, {"$ref": "#/modifiers/theme"}],
    }
    path = out / "synthetic.resolver.json"
    path.write_text(json.dumps(doc, indent=1))
    return path


def main() -> None:
    """Command line: see the module docstring."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--tokens", type=int, default=1000)
    parser.add_argument("--contexts", type=int, default=1)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    print(generate(args.out, args.tokens, args.contexts, args.seed))


if __name__ == "__main__":
    main()

"""Cycles in the reference graph (Format module 2025.10 §7.2.3).

"Tools MUST detect and report this as an error affecting all tokens in the
circular chain": a token is on a cycle exactly when it belongs to a strongly
connected component with more than one token, or references itself. Tarjan's
algorithm finds the components in one pass (iteratively: chains of any length);
a breadth-first search then gives, for the error message, a shortest cycle
through a token.
"""

from __future__ import annotations


def loop_text(loop: list[str], limit: int = 40) -> str:
    """``a → b → c → a``; a loop longer than ``limit`` shows its ends only."""
    if len(loop) <= limit:
        return " → ".join(loop)
    head, tail = loop[: limit // 2], loop[-(limit // 2) :]
    return " → ".join([*head, f"… ({len(loop) - limit} more)", *tail])


def strongly_connected(succ: dict[str, list[str]]) -> list[list[str]]:
    """Tarjan's strongly connected components, iteratively (no recursion limit)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    out: list[list[str]] = []
    for root in succ:
        if root in index:
            continue
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        work = [(root, 0)]
        while work:
            v, i = work[-1]
            if i < len(succ[v]):
                work[-1] = (v, i + 1)
                w = succ[v][i]
                if w not in index:
                    index[w] = low[w] = len(index)
                    stack.append(w)
                    on_stack.add(w)
                    work.append((w, 0))
                elif w in on_stack:
                    low[v] = min(low[v], index[w])
                continue
            work.pop()
            if work:
                u = work[-1][0]
                low[u] = min(low[u], low[v])
            if low[v] == index[v]:
                comp = []
                while True:
                    w = stack.pop()
                    on_stack.discard(w)
                    comp.append(w)
                    if w == v:
                        break
                out.append(comp)
    return out


def loop_through(start: str, succ: dict[str, list[str]], members: set[str]) -> list[str]:
    """A shortest cycle ``[start, …, start]`` inside one strongly connected component."""
    parent: dict[str, str] = {}
    frontier = [start]
    while frontier:
        nxt = []
        for v in frontier:
            for w in succ[v]:
                if w not in members:
                    continue
                if w == start:
                    path = [v]
                    while path[-1] != start:
                        path.append(parent[path[-1]])
                    return [*reversed(path), start]
                if w not in parent:
                    parent[w] = v
                    nxt.append(w)
        frontier = nxt
    return [start, start]

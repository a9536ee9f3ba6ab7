"""(f) The cost curve: synthetic systems of N tokens x C contexts, on fresh SQLite files.

For each point: generate (:mod:`bench.gen_synthetic`), migrate, import through the CLI
(wall time), then measure the whole theme of the last context in a process of its own
(:mod:`bench.curve_point`). A point whose import would exceed the budget is skipped and
the reason recorded (predicted from the same N with fewer contexts, or a timeout).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from typing import Any

from .common import ROOT, WORK, env_for, import_tokens, log, migrate, sqlite_url
from .gen_synthetic import generate

FULL = [(n, c) for n in (1_000, 10_000, 50_000) for c in (1, 5, 20)]
QUICK = [(1_000, 1), (1_000, 5), (1_000, 20), (10_000, 1)]


def point(n: int, c: int, *, rounds: int, budget_s: float) -> dict[str, Any]:
    """Import and measure one point (raises on failure, TimeoutExpired past the budget)."""
    where = WORK / f"synthetic-{n}x{c}"
    shutil.rmtree(where, ignore_errors=True)
    doc = generate(where, n, c)
    url = sqlite_url(where / "tokens.sqlite3")
    migrate(url)
    import_s = import_tokens(url, doc, timeout=budget_s)
    proc = subprocess.run(
        [sys.executable, "-m", "bench.curve_point", url, f"c{c - 1}", "--rounds", str(rounds)],
        cwd=ROOT,
        env=env_for(url),
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"curve_point {n}x{c} failed:\n{proc.stderr[-3000:]}")
    shutil.rmtree(where, ignore_errors=True)
    return {"tokens_requested": n, "contexts": c, "import_s": import_s, **json.loads(proc.stdout)}


def run(*, quick: bool, rounds: int, budget_s: float) -> list[dict[str, Any]]:
    """Every point of the curve (QUICK or FULL), in order of size."""
    out: list[dict[str, Any]] = []
    import_times: dict[tuple[int, int], float] = {}
    for n, c in QUICK if quick else FULL:
        fewer = [(cc, t) for (nn, cc), t in import_times.items() if nn == n and cc < c]
        if fewer:
            cc, t = max(fewer)
            predicted = t * c / cc
            if predicted > budget_s:
                reason = (
                    f"skipped: import predicted {predicted:.0f} s (from {n}x{cc})"
                    f" > budget {budget_s:.0f} s"
                )
                log(f"curve {n}x{c}: {reason}")
                out.append({"tokens_requested": n, "contexts": c, "skipped": reason})
                continue
        log(f"curve {n} tokens x {c} contexts")
        try:
            row = point(n, c, rounds=rounds, budget_s=budget_s)
        except subprocess.TimeoutExpired:
            reason = f"skipped: import took more than the budget of {budget_s:.0f} s"
            out.append({"tokens_requested": n, "contexts": c, "skipped": reason})
            continue
        import_times[(n, c)] = row["import_s"]
        out.append(row)
    return out

"""The tool peer: Style Dictionary 5 (Node 22 from npm) resolving the same Primer themes.

See ``peer/sd_resolve.mjs``: the files of the resolver document in resolutionOrder, no
transforms, as the oracle was made (oracle/HOW.md).
"""

from __future__ import annotations

import json
import subprocess
import time
from typing import TYPE_CHECKING, Any

from .common import BENCH, NODE, PRIMER, median

if TYPE_CHECKING:
    from pathlib import Path

SCRIPT = BENCH / "peer/sd_resolve.mjs"


def _node(*args: str) -> dict[str, Any]:
    proc = subprocess.run(
        [str(NODE), str(SCRIPT), str(PRIMER), *args],
        cwd=SCRIPT.parent,
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"sd_resolve.mjs failed: {proc.stderr[-2000:]}")
    out: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return out


def warm_theme(theme: str, *, runs: int, dump: Path) -> dict[str, Any]:
    """One theme resolved ``runs`` times in a warm process, a fresh SD instance each time.

    After 3 warm-up runs: V8's JIT makes the first runs 2-3 times slower.

    ``dump``: where SD's last result goes (``{path: {type, value}}``), for :func:`agreement`.
    """
    out = _node("--theme", theme, "--runs", str(runs), "--warmup", "3", "--dump", str(dump))
    for k in ("initMs", "resolveMs", "serialiseMs", "totalMs"):
        out[k] = median([r[k] for r in out["runs"]])
    return out


def cold_all_combinations(*, runs: int) -> dict[str, Any]:
    """Every theme x pointer combination in one fresh ``node`` process: wall time (s).

    The work the server's import validates (every combination resolved once).
    """
    walls, last = [], {}
    for _ in range(runs):
        t0 = time.perf_counter()
        last = _node("--all", "--runs", "1", "--warmup", "0")
        walls.append(time.perf_counter() - t0)
    return {
        "wall_s": median(walls),
        "walls_s": walls,
        "selections": last["selections"],
        "tokens": last["tokens"],
        "node": last["node"],
        "styleDictionary": last["styleDictionary"],
    }


def agreement(dump: Path, nodes: list[dict[str, Any]]) -> dict[str, Any]:
    """Whether SD resolved the same values as the server (``resolvedValue``), token by token."""
    sd = json.loads(dump.read_text())
    differ = sorted(
        n["path"] for n in nodes if sd.get(n["path"], {}).get("value") != n["resolvedValue"]
    )
    return {
        "tokens_ours": len(nodes),
        "tokens_sd": len(sd),
        "same": len(nodes) - len(differ),
        "differ": differ,
    }

"""Every target of "Incremental by design" (issue 15) in one command, each beside its baseline.

``.venv/bin/python -m bench.targets [--quick] [--postgres]`` (about 10 minutes; ``--quick``:
about 8) runs, one after the other, in fresh processes:

1. ``bench.write_cost``: the every-layer write on Primer beside Style Dictionary's warm theme,
   and the same kind of write on 1,000 / 20,000 / 50,000-token systems;
2. ``bench.read_cost``: the first whole-theme read after a write and the first ``impact`` /
   ``contrastReport`` beside Style Dictionary, a component query executed with its document
   seen before (and, in process, response-cache hits and 304s beside the limit app);
3. ``bench.hit_http`` on SQLite, then on PostgreSQL: response-cache hits and 304s over HTTP
   (``gunicorn -w 1``, keep-alive) beside the limit app served the same way, as the issue
   sets them; the table shows the larger ratio of the two databases;
4. ``bench.soak`` twice on PostgreSQL with 2 gunicorn workers, 20 readers spread over
   Primer's 14 theme contexts: without writes, then with one write a second; the component
   queries' p99 of the second run as a ratio to the first's.

It prints one table (figure, target, measured, met) and writes ``bench/results/targets.json``.
Every ratio is taken within one run of its module (the soak pair runs back to back), so the
machine's load moves both sides alike; the soak's ratio is the most sensitive to other
processes (its JSON records their cores). Nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results"

#: (figure, target text, where in the results, the bound, whether lower is better).
TARGETS: list[tuple[str, str, tuple[str, str], float]] = [
    ("every-layer write on Primer, × SD theme", "≤ 0.25", ("write", "primer_write_x_sd"), 0.25),
    (
        "write on 20,000 vs 1,000 tokens",
        "≤ 2",
        ("write", "synthetic_20000_vs_1000"),
        2.0,
    ),
    (
        "write on 50,000 vs 1,000 tokens",
        "≤ 3",
        ("write", "synthetic_50000_vs_1000"),
        3.0,
    ),
    (
        "first whole-theme read after a write, × SD theme",
        "≤ 0.1",
        ("read", "first_whole_theme_after_write_x_sd"),
        0.1,
    ),
    ("component p99 with 1 write/s ÷ without, 2 workers", "≤ 3", ("soak", "p99_ratio"), 3.0),
    ("response-cache hit of (a) over HTTP, × limit", "≤ 1.5", ("http", "hit_a_x_limit"), 1.5),
    ("response-cache hit of (b) over HTTP, × limit", "≤ 1.5", ("http", "hit_b_x_limit"), 1.5),
    ("304 of (a) over HTTP, × limit", "≤ 1.3", ("http", "304_x_limit"), 1.3),
    ("first impact, × SD theme", "≤ 1", ("read", "impact_first_x_sd"), 1.0),
    ("first contrastReport, × SD theme", "≤ 1", ("read", "contrast_first_x_sd"), 1.0),
    (
        "first impact after a 5-context modifier, × SD theme",
        "≤ 5",
        ("read", "impact_first_5_contexts_x_sd"),
        5.0,
    ),
    (
        "first contrastReport after a 5-context modifier, × SD theme",
        "≤ 5",
        ("read", "contrast_first_5_contexts_x_sd"),
        5.0,
    ),
    (
        "component query executed, document seen before (ms)",
        "≤ 5",
        ("read", "component_exec_ms"),
        5.0,
    ),
]


def run(*args: str) -> None:
    """Run ``python -m <args>`` in a fresh process; stop on failure."""
    print(f"[targets] python -m {' '.join(args)}", file=sys.stderr, flush=True)
    subprocess.run([sys.executable, "-m", *args], check=True)


def soak(minutes: float, writers: int, out: Path) -> dict[str, Any]:
    """One short soak (2 workers, 20 readers); its JSON."""
    run(
        "bench.soak",
        "--workers",
        "2",
        "--minutes",
        str(minutes),
        "--warmup",
        "15",
        "--users",
        "20",
        "--writers",
        str(writers),
        "--write-interval",
        "1",
        "--out",
        str(out),
    )
    found: dict[str, Any] = json.loads(out.read_text())
    return found


def main() -> None:
    """Run the three benches, print the table, write ``bench/results/targets.json``."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="fewer rounds, 1-minute soaks")
    parser.add_argument("--postgres", action="store_true", help="write and read cost on PostgreSQL")
    args = parser.parse_args()
    backend = ["--postgres"] if args.postgres else []
    runs = "5" if args.quick else "9"
    run("bench.write_cost", "--runs", runs, *backend)
    run("bench.read_cost", "--rounds", "3" if args.quick else "5", *backend)
    http = {}
    for name, flags in (("sqlite", []), ("postgresql", ["--postgres"])):
        dest = RESULTS / f"hit_http-{name}.json"
        run("bench.hit_http", "--rounds", "9" if args.quick else "15", "--out", str(dest), *flags)
        http[name] = json.loads(dest.read_text())
    minutes = 1.0 if args.quick else 2.0
    quiet = soak(minutes, 0, RESULTS / "targets-soak-reads.json")
    busy = soak(minutes, 1, RESULTS / "targets-soak-writes.json")
    p99 = [s["phases"]["steady"]["kinds"]["component"]["p99_ms"] for s in (quiet, busy)]
    results: dict[str, dict[str, Any]] = {
        "write": json.loads((RESULTS / "write_cost.json").read_text()),
        "read": json.loads((RESULTS / "read_cost.json").read_text()),
        "http": {  # the larger ratio of the two databases, and each
            **{
                key: max(http[name][key] for name in http)
                for key in ("hit_a_x_limit", "hit_b_x_limit", "304_x_limit")
            },
            **http,
        },
        "soak": {
            "p99_without_writes_ms": p99[0],
            "p99_with_writes_ms": p99[1],
            "p99_ratio": p99[1] / p99[0],
            "writes_per_s": busy["writes"].get("per_s"),
            "other_cores": [s["cpu"]["steady"].get("other_cores") for s in (quiet, busy)],
        },
    }
    rows = []
    for figure, target, (part, key), bound in TARGETS:
        value = results[part].get(key)
        met = value is not None and value <= bound
        rows.append({"figure": figure, "target": target, "measured": value, "met": met})
        shown = f"{value:.3g}" if isinstance(value, float) else str(value)
        print(f"{figure:<62} {target:>7} {shown:>9}  {'met' if met else 'NOT met'}")
    print(f"soak: {results['soak']}")
    inproc = {
        k: round(results["read"][k], 3) for k in ("hit_a_x_limit", "hit_b_x_limit", "304_x_limit")
    }
    print(f"hits and 304s in process (test client, no HTTP), × limit: {inproc}")
    for name, figures in http.items():
        shown = {k: round(v, 3) for k, v in figures.items() if k.endswith("_x_limit")}
        print(f"over HTTP on {name}: {shown}")
    out = {"rows": rows, "results": results}
    (RESULTS / "targets.json").write_text(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()

"""CLI start-up: ``python -m bench.cli_startup [--rounds N]``.

Times, in fresh processes, the commands a user scripts (``flask --app app --help``,
``keys --help``, ``keys list``, ``keys create``, ``keys revoke``, ``tokens --help`` and
``tokens validate`` on a small DTCG file) beside the baseline ``python -c pass`` measured in
the same rounds, on a migrated SQLite database of its own
(``bench/results/tmp/cli_startup.sqlite3``, removed at the end).
Prints, per command, the median wall time, the median of the per-round ratios to the
baseline, the median time above the baseline, and the median CPU time (user + system, less
sensitive to other processes on a shared machine). Nothing asserts: the target (issue 17) is
under 0.5 s per command on a quiet machine.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

from .common import ROOT, env_for, fresh_database, median, migrate

#: A small DTCG file for ``tokens validate``: a colour, an alias and a dimension.
SMALL_FILE = {
    "color": {
        "$type": "color",
        "blue": {"$value": {"colorSpace": "srgb", "components": [0.1, 0.4, 0.9]}},
        "accent": {"$value": "{color.blue}"},
    },
    "space": {"$type": "dimension", "small": {"$value": {"value": 4, "unit": "px"}}},
}

FLASK = [sys.executable, "-m", "flask", "--app", "app"]


def commands(small: Path, round_: int) -> dict[str, list[str]]:
    """Name → argv of every command timed in round ``round_`` (the baseline first).

    ``keys create`` makes the key ``bench-<round>`` that ``keys revoke`` then revokes.
    """
    return {
        "python -c pass (baseline)": [sys.executable, "-c", "pass"],
        "flask --app app --help": [*FLASK, "--help"],
        "keys --help": [*FLASK, "keys", "--help"],
        "keys list": [*FLASK, "keys", "list"],
        "keys create": [*FLASK, "keys", "create", "--name", f"bench-{round_}"],
        "keys revoke": [*FLASK, "keys", "revoke", f"bench-{round_}"],
        "tokens --help": [*FLASK, "tokens", "--help"],
        "tokens validate small.json": [*FLASK, "tokens", "validate", str(small)],
    }


def run_once(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall seconds from start to exit, CPU seconds user + system) of one process.

    Raises:
        RuntimeError: the command failed.
    """
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} failed:\n{proc.stdout}\n{proc.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return elapsed, cpu


def measure(rounds: int) -> list[dict[str, float | str]]:
    """Per command: median wall and CPU seconds, ratio to the baseline, seconds above it."""
    with fresh_database(False, "cli_startup") as url:
        migrate(url)
        small = Path(url.removeprefix("sqlite:///")).with_suffix(".small.tokens.json")
        small.write_text(json.dumps(SMALL_FILE), encoding="utf-8")
        try:
            env = env_for(url)
            names = list(commands(small, 0))
            times: dict[str, list[float]] = {name: [] for name in names}
            cpus: dict[str, list[float]] = {name: [] for name in names}
            for round_ in range(rounds):  # interleaved: every round sees the same machine load
                for name, argv in commands(small, round_).items():
                    wall, cpu = run_once(argv, env)
                    times[name].append(wall)
                    cpus[name].append(cpu)
        finally:
            small.unlink(missing_ok=True)
    base = times.pop("python -c pass (baseline)")
    rows: list[dict[str, float | str]] = [
        {
            "command": "python -c pass (baseline)",
            "median_s": median(base),
            "ratio": 1.0,
            "above_baseline_s": 0.0,
            "cpu_s": median(cpus["python -c pass (baseline)"]),
        },
    ]
    for name, ts in times.items():
        rows.append(
            {
                "command": name,
                "median_s": median(ts),
                "ratio": median([t / b for t, b in zip(ts, base, strict=True)]),
                "above_baseline_s": median([t - b for t, b in zip(ts, base, strict=True)]),
                "cpu_s": median(cpus[name]),
            }
        )
    return rows


def main(argv: list[str] | None = None) -> None:
    """Measure and print the table."""
    parser = argparse.ArgumentParser(description="CLI start-up against `python -c pass`.")
    parser.add_argument("--rounds", type=int, default=7, help="Runs of each command.")
    args = parser.parse_args(argv)
    rows = measure(max(1, args.rounds))
    print(f"{'command':<30} {'wall s':>7} {'× baseline':>11} {'above s':>8} {'CPU s':>6}")
    for r in rows:
        print(
            f"{r['command']:<30} {r['median_s']:>7.3f} {r['ratio']:>11.1f} "
            f"{r['above_baseline_s']:>8.3f} {r['cpu_s']:>6.3f}"
        )


if __name__ == "__main__":
    main()

"""The benchmark suite: ``bash bench/run [--quick] [--only SECTION,…]`` (see bench/README.md).

Every figure is measured beside its baseline in the same run and reported as a ratio.
Prints the tables and writes ``bench/results/latest.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import time
import traceback
from contextlib import ExitStack
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import curve, importing, inproc, load, peer_sd, profile_a, report
from .common import (
    PRIMER,
    RESULTS,
    ROOT,
    WORK,
    import_tokens,
    log,
    migrate,
    postgres_database,
    sqlite_url,
)
from .gql_peer import Peer

if TYPE_CHECKING:
    from collections.abc import Callable

SECTIONS = ("inproc", "peer", "import", "load", "curve", "profile")

#: Knobs of the two modes: (quick, full).
MODES: dict[str, dict[str, Any]] = {
    "quick": {
        "rounds": 3,
        "n": 10,
        "budget_s": 3,
        "sd_runs": 3,
        "sd_all_runs": 1,
        "import_runs": 1,
        "load_rounds": 1,
        "load_s": 2,
        "curve_rounds": 3,
        "curve_budget_s": 60,
        "profile_n": 20,
    },
    "full": {
        "rounds": 7,
        "n": 30,
        "budget_s": 15,
        "sd_runs": 10,
        "sd_all_runs": 3,
        "import_runs": 3,
        "load_rounds": 3,
        "load_s": 5,
        "curve_rounds": 5,
        "curve_budget_s": 240,
        "profile_n": 40,
    },
}
LOAD = {"connections": 8, "workers": 4}


def out(*cmd: str) -> str:
    """A command's stdout ('n/a' if it cannot run)."""
    try:
        return subprocess.run(
            cmd, capture_output=True, text=True, cwd=ROOT, check=False
        ).stdout.strip()
    except OSError:
        return "n/a"


def git_state() -> str:
    """HEAD, and whether the work tree differs from it."""
    dirty = " (uncommitted changes)" if out("git", "status", "--porcelain", "-uno") else ""
    return out("git", "rev-parse", "--short", "HEAD") + dirty


def meta(mode: str, argv: list[str]) -> dict[str, Any]:
    """What ran, where and on what."""
    cpu = next(
        (
            ln.split(":", 1)[1].strip()
            for ln in Path("/proc/cpuinfo").read_text().splitlines()
            if ln.startswith("model name")
        ),
        "?",
    )
    return {
        "command": " ".join(["bash bench/run", *argv]),
        "mode": mode,
        "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "git": git_state(),
        "machine": f"{os.cpu_count()} cores, {cpu}",
        "python": platform.python_version(),
        "versions": {
            p: version(p)
            for p in (
                "strawberry-graphql",
                "graphql-core",
                "flask",
                "sqlalchemy",
                "gunicorn",
                "orjson",
                "psycopg",
            )
        },
        "wrk": out("wrk", "-v").splitlines()[0] if shutil.which("wrk") else "missing",
        "load": {**LOAD, "tool": "wrk -t1"},
    }


def style_dictionary(k: dict[str, Any], nodes: list[dict[str, Any]]) -> dict[str, Any]:
    """The peer: SD on the same theme (warm), every combination (cold), value agreement."""
    log("Style Dictionary: warm theme, then every combination cold")
    dump = WORK / "sd-dark.json"
    return {
        "warm_dark": peer_sd.warm_theme("dark", runs=k["sd_runs"], dump=dump),
        "cold_all": peer_sd.cold_all_combinations(runs=k["sd_all_runs"]),
        "agreement": peer_sd.agreement(dump, nodes),
    }


def profile(k: dict[str, Any], url: str, prep: dict[str, Any]) -> dict[str, Any]:
    """Where (a)'s time goes, and graphql-core's own split."""
    log("profile of (a)")
    out = profile_a.profile(url, prep["requests"][0], requests=k["profile_n"], out_dir=RESULTS)
    out["graphql_core_split"] = profile_a.graphql_core_split(
        Peer(prep["nodes"]), prep["requests"], n=max(5, k["n"])
    )
    return out


def main() -> None:
    """Run the selected sections and report."""
    parser = argparse.ArgumentParser(prog="bash bench/run", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a few seconds per item")
    parser.add_argument("--only", default=",".join(SECTIONS), help=f"comma list of {SECTIONS}")
    parser.add_argument("--out", default=str(RESULTS / "latest.json"))
    args = parser.parse_args()
    only = set(args.only.split(","))
    mode = "quick" if args.quick else "full"
    k = MODES[mode]
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # unwind: stop servers, drop the db
    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir(parents=True)
    results: dict[str, Any] = {"meta": meta(mode, sys.argv[1:])}
    started = time.monotonic()
    with ExitStack() as stack:
        stack.callback(shutil.rmtree, WORK, True)
        urls = {"sqlite": sqlite_url(WORK / "primer.sqlite3")}
        urls["postgresql"] = stack.enter_context(postgres_database(f"tokens_bench_{os.getpid()}"))
        for name, url in urls.items():
            log(f"Primer into {name}: migrate + import")
            migrate(url)
            import_tokens(url, PRIMER)
        prep = inproc.prepare(urls["sqlite"])
        results["notes"] = prep["notes"]
        results["workloads"] = {
            r.name: {"label": r.label, "method": r.method, "url": r.url, "body": r.body.decode()}
            for r in prep["requests"]
        }
        sections: dict[str, Callable[[], Any]] = {
            "inproc": lambda: [
                row
                for name, url in urls.items()
                for row in inproc.measure(
                    url, prep, rounds=k["rounds"], n=k["n"], budget_s=k["budget_s"], section=name
                )
            ],
            "peer": lambda: style_dictionary(k, prep["nodes"]),
            "import": lambda: importing.run(
                runs=k["import_runs"], sd_all=results["peer"]["cold_all"]
            ),
            "load": lambda: load.run(
                prep, urls, rounds=k["load_rounds"], seconds=k["load_s"], **LOAD
            ),
            "curve": lambda: curve.run(
                quick=args.quick, rounds=k["curve_rounds"], budget_s=k["curve_budget_s"]
            ),
            "profile": lambda: profile(k, urls["sqlite"], prep),
        }
        if "import" in only:
            only.add("peer")  # its baseline
        for name, fn in sections.items():
            if name not in only:
                continue
            try:
                results[name] = fn()
            except Exception:  # noqa: BLE001 - one broken section must not lose the others
                log(f"section {name} failed:\n{traceback.format_exc()}")
                results.setdefault("errors", {})[name] = traceback.format_exc(limit=-3)
    results["meta"]["duration_s"] = round(time.monotonic() - started, 1)
    results["meta"]["git_at_end"] = git_state()  # others may commit while it runs
    out = Path(args.out).resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=1, default=str))
    print(report.render(results))
    print(f"\nJSON: {os.path.relpath(out, ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    main()

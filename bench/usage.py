"""Usage analytics: the cost per request, analytics on vs off, in the same process.

``.venv/bin/python -m bench.usage [--postgres] [--rounds N] [--n N] [--budget S]``

A fresh database (an SQLite file under ``bench/results/tmp/``, or with ``--postgres`` a
PostgreSQL schema of its own on 127.0.0.1:5432) gets Primer through the CLI. Three apps on it
differ only in their analytics settings: ``off`` (``USAGE_ENABLED=0``), ``on`` (sample rate 1)
and ``sampled`` (sample rate 0.1); each has its own caches and its own flusher (every 10 s, the
default, so the background writes are part of what is measured). Two workloads, theme ``dark``:

- **component**: 12 ``token(path:)`` aliases (the first colour tokens under ``button.``) with
  ``resolvedValue`` and ``value { ... on ColorValue { hex } }``;
- **whole theme**: ``tokens(theme:) { edges { node { path type resolvedValue } } }`` (1,488).

Each runs in two server states: **executed** (``RESPONSE_CACHE_BYTES=0``: the response cache
is bypassed, Strawberry runs the query on the cached snapshot: the main figure) and **cache
hit** (the default response cache answers; analytics replays what the request read). The
three apps run interleaved (:func:`bench.common.side_by_side`); the table gives medians of
the round medians and the median over rounds of the ratio to ``off``. Writes
``bench/results/usage-<backend>-<timestamp>.json``. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import time
from functools import partial
from typing import Any

from graphql_api import create_app, usage
from graphql_api.store import db
from graphql_api.store.models import Base
from graphql_api.usage.recorder import UsageRecorder, group_reads, theme_key

from .common import PRIMER, RESULTS, ROOT, THEME, fresh_database, log, ratio, side_by_side
from .workloads import post

VARIANTS = {
    "off": {"USAGE_ENABLED": False},
    "on": {"USAGE_SAMPLE_RATE": 1.0},
    "sampled": {"USAGE_SAMPLE_RATE": 0.1},
}
STATES = {"executed": {"RESPONSE_CACHE_BYTES": 0}, "cache hit": {}}
WHOLE = (
    "query WholeTheme($theme: [ThemeSelection!]) { tokens(theme: $theme) "
    "{ edges { node { path type resolvedValue } } } }"
)


def component_query(paths: list[str]) -> str:
    """A component's query: one ``token(path:)`` alias per path."""
    fields = " ".join(
        f't{i}: token(path: "{p}", theme: $theme) '
        "{ resolvedValue value { ... on ColorValue { hex } } }"
        for i, p in enumerate(paths)
    )
    return f"query Button($theme: [ThemeSelection!]) {{ {fields} }}"


def per_call_us(fn: Any, *, n: int = 2000, batches: int = 7) -> float:
    """Median over ``batches`` of the mean time of ``n`` calls of ``fn``, in µs."""
    out = []
    for _ in range(batches):
        t0 = time.perf_counter_ns()
        for _ in range(n):
            fn()
        out.append((time.perf_counter_ns() - t0) / n / 1000)
    return statistics.median(out)


def micro(theme: str, button: list[str], paths: list[str]) -> dict[str, float]:
    """µs per call of the recorder's request-path work, on an isolated recorder.

    What a request adds besides: one list append per resolver (``Context.requested``) and
    the client name; what it never does: SQL (the flusher thread writes).
    """
    rec = UsageRecorder()
    component = [(theme, (p,)) for p in button]
    whole = [(theme, list(paths))]
    reads = group_reads(whole)
    out = {
        "record component (12 observations)": per_call_us(lambda: rec.record(component, "b")),
        "record whole theme (1 observation, 1,488 paths)": per_call_us(
            lambda: rec.record(whole, "b"), n=500
        ),
        "replay whole theme (cache hit)": per_call_us(lambda: rec.record_reads(reads, "b")),
    }
    started = time.perf_counter()
    rows = rec.drain()
    out["drain whole theme + component into rows (flusher thread), per drain"] = (
        time.perf_counter() - started
    ) * 1e6
    out["rows per drain"] = len(rows)
    return out


def git_commit() -> str:
    """Short commit, with a mark when the tree has changes."""

    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=True)
        return done.stdout.strip()

    try:
        head, dirty = git("rev-parse", "--short", "HEAD"), git("status", "--porcelain")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head + (" (uncommitted changes)" if dirty else "")


def setup(url: str) -> tuple[dict[tuple[str, str], Any], list[str], list[str]]:
    """Primer imported; the apps by (state, variant); every path; the component's paths."""
    first = create_app({"DATABASE_URL": url})
    Base.metadata.create_all(db.get_engine(first))
    result = first.test_cli_runner().invoke(args=["tokens", "import", str(PRIMER)])
    if result.exit_code != 0:
        raise SystemExit(f"import failed: {result.output}")
    db.get_engine(first).dispose()
    apps = {
        (state, name): create_app({"DATABASE_URL": url, **scfg, **vcfg})
        for state, scfg in STATES.items()
        for name, vcfg in VARIANTS.items()
    }
    probe = apps[("executed", "off")].test_client()
    body = post("all", "all", WHOLE, {"theme": [THEME]}).send(probe).get_json()
    paths = [e["node"]["path"] for e in body["data"]["tokens"]["edges"]]
    button = [p for p in paths if p.startswith("button.") and "Color" in p][:12]
    return apps, paths, button


def measure(
    apps: dict[tuple[str, str], Any], button: list[str], args: argparse.Namespace
) -> list[dict[str, Any]]:
    """One row per workload and state: the three variants side by side."""
    workloads = {
        "component (12 token(path:) aliases)": post(
            "component", "component", component_query(button), {"theme": [THEME]}
        ),
        "whole theme (tokens, 1,488)": post("whole", "whole", WHOLE, {"theme": [THEME]}),
    }
    rows = []
    for label, req in workloads.items():
        req.headers["apollographql-client-name"] = "bench"
        for state in STATES:
            clients = {n: apps[(state, n)].test_client() for n in VARIANTS}
            for client in clients.values():  # warm: snapshot, parser and plan caches
                for _ in range(3):
                    response = req.send(client)
                    if response.status_code != 200 or "errors" in response.get_json():
                        raise SystemExit(f"{label}: {response.get_data(as_text=True)[:300]}")
            log(f"usage bench: {label}, {state}")
            res = side_by_side(
                {n: partial(req.send, c) for n, c in clients.items()},
                rounds=args.rounds,
                n=args.n,
                budget_s=args.budget,
            )
            rows.append(
                {
                    "workload": label,
                    "state": state,
                    **{f"{n}_ms": res[n]["ms"] for n in VARIANTS},
                    "on_x_off": ratio(res, "on", "off"),
                    "sampled_x_off": ratio(res, "sampled", "off"),
                    "raw": res,
                }
            )
    return rows


def flush_figures(apps: dict[tuple[str, str], Any]) -> dict[str, Any]:
    """Each app's flusher: rows written, flushes, time (after a last flush at dispose)."""
    for app in apps.values():
        db.get_engine(app).dispose()  # writes what is pending
    out = {}
    for (state, name), app in apps.items():
        st = usage.get_state(app).store
        out[f"{state}/{name}"] = {
            "rows_written": st.written,
            "flushes": st.flushes,
            "failures": st.failures,
            "flush_cpu_ms_total": round(st.flush_cpu_seconds * 1000, 1),
            "flush_cpu_ms_per_flush": round(st.flush_cpu_seconds * 1000 / st.flushes, 2)
            if st.flushes
            else None,
        }
    return out


def show(result: dict[str, Any]) -> None:
    """Print the tables."""
    meta = result["meta"]
    print(
        f"backend: {meta['backend']}; 'executed': response cache bypassed "
        f"(RESPONSE_CACHE_BYTES=0); {meta['rounds']} rounds interleaved; ms per request "
        "(Flask test client, in process)"
    )
    print(
        f"{'workload':38} {'state':10} {'off':>8} {'on':>8} {'sampled':>8} "
        f"{'on/off':>7} {'0.1/off':>7}"
    )
    for r in result["rows"]:
        print(
            f"{r['workload']:38} {r['state']:10} {r['off_ms']:8.3f} {r['on_ms']:8.3f} "
            f"{r['sampled_ms']:8.3f} {r['on_x_off']:7.3f} {r['sampled_x_off']:7.3f}"
        )
    print("\nflusher (background thread, every 10 s; CPU time of the thread, not wall time):")
    for name, f in result["flushes"].items():
        if f["flushes"]:
            print(
                f"  {name:18} {f['flushes']:3} flushes, {f['rows_written']:7,} rows, "
                f"{f['flush_cpu_ms_per_flush']:.1f} ms CPU per flush"
            )
    print("\nrecorder alone, µs per call (request path unless noted):")
    for name, value in result["recorder_us"].items():
        print(f"  {name:72} {value:9.2f}")
    load = meta["loadavg_1_5_15"]
    print(
        f"\nload average (1 min): {load['start'][0]:.2f} at the start, "
        f"{load['end'][0]:.2f} at the end, on {os.cpu_count()} cores"
    )


def main() -> None:
    """Print the tables and write the JSON."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--n", type=int, default=300, help="requests per variant and round")
    parser.add_argument("--budget", type=float, default=60.0, help="seconds per workload")
    args = parser.parse_args()
    backend = "postgresql" if args.postgres else "sqlite"
    started = time.strftime("%Y-%m-%dT%H:%M:%S%z")
    load_start = os.getloadavg()
    with fresh_database(args.postgres, "usage") as url:
        apps, paths, button = setup(url)
        rows = measure(apps, button, args)
        flushes = flush_figures(apps)
    micro_us = micro(theme_key({"theme": "dark", "pointer": "fine"}), button, paths)
    meta = {
        "command": "python -m bench.usage" + (" --postgres" if args.postgres else ""),
        "started": started,
        "git": git_commit(),
        "machine": f"{os.cpu_count()} cores, {platform.machine()}",
        "python": platform.python_version(),
        "backend": backend,
        "rounds": args.rounds,
        "n": args.n,
        "budget_s": args.budget,
        "response_cache": "bypassed in 'executed' with RESPONSE_CACHE_BYTES=0",
        "variants": VARIANTS,
        "flush_seconds": 10.0,
        "loadavg_1_5_15": {"start": load_start, "end": os.getloadavg()},
    }
    result = {"meta": meta, "rows": rows, "flushes": flushes, "recorder_us": micro_us}
    show(result)
    out = RESULTS / f"usage-{backend}-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.write_text(json.dumps(result, indent=1, default=str))
    print(f"wrote {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()

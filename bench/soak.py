"""Soak and spike tests of the production server under a mixed read/write load (on demand).

``.venv/bin/python -m bench.soak [--minutes 10] [--users 40] [--spike]`` (see bench/README.md)

A fresh PostgreSQL database (``tokens_soak_<pid>``, dropped at the end) is migrated with
Alembic and gets Primer and a write key through the CLI; the production command
``gunicorn -c python:graphql_api.web.gunicorn_conf app:app`` (as many workers and threads as
the configuration says) serves it; locust (``bench/locustfile.py``, headless, its own
process) drives it with readers (80 % components, 15 % whole themes, 5 % exports, random
themes) and a few writers (``updateToken`` with ``expectedRevision``, retried on
``Conflict``). Meanwhile the RSS and CPU time of the gunicorn master and workers and of
locust are sampled from /proc.

Soak: a warm-up, then ``--minutes`` at ``--users`` readers. Spike (``--spike``): warm-up,
baseline at ``--users``, ``--spike-factor`` times the readers for ``--spike-seconds``, then
back to ``--users`` (recovery); each phase is reported on its own and the recovery is
judged against the baseline.

Prints the tables and writes ``bench/results/soak-<timestamp>.json`` (``spike-…`` with
``--spike``). Nothing is asserted: errors and memory growth are reported.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import importlib.util
import itertools
import json
import math
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections import defaultdict
from contextlib import ExitStack
from importlib.metadata import version
from pathlib import Path
from typing import Any

from . import report
from .common import (
    PRIMER,
    RESULTS,
    ROOT,
    WORK,
    Server,
    env_for,
    import_tokens,
    log,
    migrate,
    postgres_database,
)

LOCUSTFILE = ROOT / "bench/locustfile.py"
READ_KINDS = ("component", "whole theme", "export json", "export css")
WRITE_KINDS = ("revision", "updateToken")
WINDOW_S = 10  # time-series bucket
CLK_TCK = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")


# --------------------------------------------------------------------------- setup


def create_key(url: str, name: str = "soak") -> str:
    """``flask --app app keys create --name NAME --scope write``; the printed key.

    Raises:
        RuntimeError: the command failed.
    """
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "flask",
            "--app",
            "app",
            "keys",
            "create",
            "--name",
            name,
            "--scope",
            "write",
        ],
        cwd=ROOT,
        env=env_for(url),
        capture_output=True,
        text=True,
        check=False,
    )
    key = proc.stdout.strip().splitlines()[-1] if proc.stdout.strip() else ""
    if proc.returncode != 0 or not key.startswith("tk_"):
        raise RuntimeError(f"keys create failed: {proc.stdout} {proc.stderr[-2000:]}")
    return key


def prepare(url: str, document: Path = PRIMER) -> dict[str, Any]:
    """Migrate, import ``document``, create a write key; timings and the key."""
    log(f"database: alembic upgrade head, import {document.name}, keys create")
    timings = {"migrate_s": migrate(url), "import_s": import_tokens(url, document)}
    return {"key": create_key(url), **{k: round(v, 2) for k, v in timings.items()}}


def gunicorn_settings() -> dict[str, Any]:
    """Workers and threads as ``graphql_api.web.gunicorn_conf`` computes them here."""
    conf = importlib.import_module("graphql_api.web.gunicorn_conf")
    keys = ("workers", "threads", "worker_class", "timeout", "keepalive", "max_requests")
    return {k: getattr(conf, k, None) for k in keys}


def start_server(url: str, run_dir: Path, workers: int | None, env: dict[str, str]) -> Server:
    """The production command on ``url``; its log in ``run_dir``."""
    server = Server("app:app", url, workers=workers, env=env, log_dir=run_dir)
    log(f"server: {' '.join(server.cmd)} → {server.base} (pid {server.proc.pid})")
    deadline = time.monotonic() + 30
    expected = workers or gunicorn_settings()["workers"]
    while len(server.worker_pids()) < expected and time.monotonic() < deadline:
        time.sleep(0.2)
    return server


# --------------------------------------------------------------------------- /proc sampling


def proc_stats(pid: int) -> tuple[float, float] | None:
    """(RSS in MiB, user+system CPU seconds) of a process, None if it is gone."""
    try:
        rss_pages = int(Path(f"/proc/{pid}/statm").read_text().split()[1])
        stat = Path(f"/proc/{pid}/stat").read_text()
    except (OSError, IndexError, ValueError):
        return None
    fields = stat[stat.rindex(")") + 2 :].split()
    cpu = (int(fields[11]) + int(fields[12])) / CLK_TCK  # utime, stime
    return rss_pages * PAGE / 2**20, cpu


def machine_cpu() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine since boot (/proc/stat)."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle, iowait
    total = sum(fields[:8])
    return (total - idle) / CLK_TCK, total / CLK_TCK


def database_cpu(database: str) -> float:
    """CPU seconds used so far by the PostgreSQL backends serving ``database``."""
    total = 0.0
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            cmdline = (proc / "cmdline").read_bytes()
        except OSError:
            continue
        if cmdline.startswith(b"postgres:") and f" {database} ".encode() in cmdline:
            stats = proc_stats(int(proc.name))
            total += stats[1] if stats else 0.0
    return total


class Sampler(threading.Thread):
    """Every ``interval`` s: RSS and CPU of the server, locust, the database and the machine."""

    def __init__(self, server: Server, interval: float, database: str = "") -> None:
        super().__init__(daemon=True)
        self.server, self.interval, self.database = server, interval, database
        self.rows: list[dict[str, Any]] = []
        self.locust_pid: int | None = None
        self.worker_pids_seen: set[int] = set()
        self._stop_event = threading.Event()

    def sample(self) -> dict[str, Any]:
        """One row: wall time, per-process RSS (MiB) and CPU seconds."""
        master = self.server.proc.pid
        workers = sorted(self.server.worker_pids())
        self.worker_pids_seen.update(workers)
        row: dict[str, Any] = {"time": time.time(), "master": proc_stats(master), "workers": {}}
        for pid in workers:
            stats = proc_stats(pid)
            if stats is not None:
                row["workers"][pid] = stats
        row["locust"] = proc_stats(self.locust_pid) if self.locust_pid else None
        row["database_cpu"] = database_cpu(self.database) if self.database else None
        row["machine_cpu"] = machine_cpu()
        return row

    def run(self) -> None:
        """Sample until :meth:`stop`."""
        while not self._stop_event.is_set():
            self.rows.append(self.sample())
            self._stop_event.wait(self.interval)

    def stop(self) -> None:
        """Take a last sample and end the thread."""
        self._stop_event.set()
        self.join()
        self.rows.append(self.sample())


# --------------------------------------------------------------------------- locust


def run_locust(
    base: str,
    key: str,
    stages: list[list[Any]],
    *,
    run_dir: Path,
    args: argparse.Namespace,
    sampler: Sampler,
) -> dict[str, Any]:
    """Run locust headless with the stages as its load shape; its samples file, parsed."""
    samples = run_dir / "samples.json"
    cmd = [
        sys.executable,
        "-m",
        "locust",
        "-f",
        str(LOCUSTFILE),
        "--headless",
        "-H",
        base,
        "--write-key",
        key,
        "--writers",
        str(args.writers),
        "--write-interval",
        str(args.write_interval),
        "--think",
        args.think,
        "--only-summary",
        "--stop-timeout",
        "10",
        "--loglevel",
        "WARNING",
    ]
    env = dict(os.environ, SOAK_STAGES=json.dumps(stages), SOAK_SAMPLES=str(samples))
    total = sum(s[0] for s in stages)
    log(f"locust: {len(stages)} stages, {total:.0f} s: {[s[3] for s in stages]}")
    log_path = run_dir / "locust.log"
    with log_path.open("w") as out:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        sampler.locust_pid = proc.pid
        try:
            rc = proc.wait(timeout=total + 180)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    text = log_path.read_text()
    if not samples.exists():
        raise RuntimeError(f"locust wrote no samples (exit {rc}):\n{text[-3000:]}")
    data: dict[str, Any] = json.loads(samples.read_bytes())
    data["exit_code"] = rc
    data["warnings"] = sorted(
        {ln.strip()[:200] for ln in text.splitlines() if "WARNING" in ln or "CPU usage" in ln}
    )[:20]
    data["summary"] = text[-6000:]
    return data


# --------------------------------------------------------------------------- figures


def pct(xs: list[float], q: float) -> float | None:
    """Nearest-rank percentile of sorted ``xs`` (None when empty)."""
    if not xs:
        return None
    return xs[min(len(xs) - 1, max(0, math.ceil(q * len(xs)) - 1))]


def latency(rows: list[tuple[float, str, float, str | None]], seconds: float) -> dict[str, Any]:
    """Count, rate, p50/p95/p99/max (ms) and errors of some samples over ``seconds``."""
    times = sorted(r[2] for r in rows)
    return {
        "requests": len(rows),
        "rps": round(len(rows) / seconds, 2) if seconds > 0 else None,
        "p50_ms": pct(times, 0.50),
        "p95_ms": pct(times, 0.95),
        "p99_ms": pct(times, 0.99),
        "max_ms": times[-1] if times else None,
        "errors": sum(1 for r in rows if r[3] is not None),
    }


def phases_of(stages: list[list[Any]]) -> list[dict[str, Any]]:
    """Stage list → phases with start/end (s from locust's start)."""
    out, start = [], 0.0
    for seconds, readers, _rate, label in stages:
        out.append({"phase": label, "start_s": start, "end_s": start + seconds, "readers": readers})
        start += seconds
    return out


def by_phase(samples: list[Any], phases: list[dict[str, Any]]) -> dict[str, Any]:
    """Per phase: every request kind, all reads together, and everything."""
    out: dict[str, Any] = {}
    for ph in phases:
        rows = [r for r in samples if ph["start_s"] <= r[0] < ph["end_s"]]
        seconds = ph["end_s"] - ph["start_s"]
        kinds = defaultdict(list)
        for r in rows:
            kinds[r[1]].append(r)
        out[ph["phase"]] = {
            **ph,
            "kinds": {k: latency(v, seconds) for k, v in sorted(kinds.items())},
            "reads": latency([r for r in rows if r[1] in READ_KINDS], seconds),
            "all": latency(rows, seconds),
        }
    return out


def windows(samples: list[Any], end_s: float) -> list[dict[str, Any]]:
    """Reads per ``WINDOW_S`` bucket: rate, p50/p95/p99, errors; writes' count."""
    buckets: dict[int, list[Any]] = defaultdict(list)
    for r in samples:
        buckets[int(r[0] // WINDOW_S)].append(r)
    out = []
    for i in range(math.ceil(end_s / WINDOW_S)):
        rows = buckets.get(i, [])
        reads = latency([r for r in rows if r[1] in READ_KINDS], WINDOW_S)
        out.append(
            {
                "t_s": i * WINDOW_S,
                "read_rps": reads["rps"],
                "p50_ms": reads["p50_ms"],
                "p95_ms": reads["p95_ms"],
                "p99_ms": reads["p99_ms"],
                "errors": sum(1 for r in rows if r[3] is not None),
                "writes": sum(1 for r in rows if r[1] == "updateToken"),
            }
        )
    return out


def slope(points: list[tuple[float, float]]) -> float | None:
    """Least-squares slope of (x, y) points (None for fewer than 3)."""
    if len(points) < 3:
        return None
    n = len(points)
    mx = sum(p[0] for p in points) / n
    my = sum(p[1] for p in points) / n
    var = sum((p[0] - mx) ** 2 for p in points)
    return sum((p[0] - mx) * (p[1] - my) for p in points) / var if var else None


def mean(xs: list[float]) -> float | None:
    """Arithmetic mean (None when empty)."""
    return sum(xs) / len(xs) if xs else None


def memory(rows: list[dict[str, Any]], t0: float, steady: tuple[float, float]) -> dict[str, Any]:
    """RSS of master + workers over time; start, end, first vs last minute, slope."""
    series = []
    for row in rows:
        master = row["master"][0] if row["master"] else 0.0
        workers = [v[0] for v in row["workers"].values()]
        series.append(
            {
                "t_s": round(row["time"] - t0, 1),
                "total_mib": round(master + sum(workers), 1),
                "master_mib": round(master, 1),
                "workers_mib": [round(w, 1) for w in workers],
            }
        )
    lo, hi = steady
    in_steady = [(s["t_s"], s["total_mib"]) for s in series if lo <= s["t_s"] <= hi + 1]
    first = [v for t, v in in_steady if t < lo + 60]
    last = [v for t, v in in_steady if t >= hi - 60]
    half = [(t, v) for t, v in in_steady if t >= (lo + hi) / 2]
    per_min = slope(in_steady)
    per_min_half = slope(half)
    workers_first = series[0]["workers_mib"] if series else []
    workers_last = series[-1]["workers_mib"] if series else []
    return {
        "at_start_mib": series[0]["total_mib"] if series else None,
        "workers_at_start_mib": workers_first,
        "workers_at_end_mib": workers_last,
        "steady_start_mib": in_steady[0][1] if in_steady else None,
        "end_mib": series[-1]["total_mib"] if series else None,
        "steady_first_minute_avg_mib": mean(first),
        "steady_last_minute_avg_mib": mean(last),
        "steady_slope_mib_per_min": None if per_min is None else per_min * 60,
        "steady_second_half_slope_mib_per_min": None if per_min_half is None else per_min_half * 60,
        "series": series,
    }


def cpu(rows: list[dict[str, Any]], t0: float, phases: list[dict[str, Any]]) -> dict[str, Any]:
    """Cores used per phase: server (master + workers), database backends, locust, machine.

    The database's figure misses backends that ended within the phase (the pools keep
    theirs open, so there are few).
    """

    def at(t: float, need: str) -> dict[str, Any] | None:
        ok = [r for r in rows if r.get(need) is not None]
        return min(ok, key=lambda r: abs(r["time"] - t0 - t)) if ok else None

    def server_cpu(row: dict[str, Any]) -> dict[int, float]:
        return {pid: v[1] for pid, v in row["workers"].items()} | (
            {0: row["master"][1]} if row["master"] else {}
        )

    def rate(ph: dict[str, Any], need: str, value: Any) -> float | None:
        a, b = at(ph["start_s"], need), at(ph["end_s"], need)
        if a is None or b is None or b["time"] - a["time"] < 1:
            return None
        return round((value(b) - value(a)) / (b["time"] - a["time"]), 2)

    out = {}
    for ph in phases:
        a, b = at(ph["start_s"], "master"), at(ph["end_s"], "master")
        server = None
        if a is not None and b is not None and b["time"] - a["time"] >= 1:
            sa, sb = server_cpu(a), server_cpu(b)
            spent = sum(sb[p] - sa.get(p, 0.0) for p in sb)
            server = round(spent / (b["time"] - a["time"]), 2)
        row = {
            "server_cores": server,
            "database_cores": rate(ph, "database_cpu", lambda r: r["database_cpu"]),
            "locust_cores": rate(ph, "locust", lambda r: r["locust"][1]),
            "machine_busy_cores": rate(ph, "machine_cpu", lambda r: r["machine_cpu"][0]),
        }
        known = [row[k] for k in ("server_cores", "database_cores", "locust_cores")]
        if row["machine_busy_cores"] is not None and None not in known:
            # Anything else running on the machine meanwhile (other people's tests…).
            row["other_cores"] = round(max(0.0, row["machine_busy_cores"] - sum(known)), 2)
        out[ph["phase"]] = row
    return out


def cpu_series(rows: list[dict[str, Any]], t0: float) -> list[dict[str, Any]]:
    """Cores used between consecutive /proc samples: server, everything else on the machine."""
    out = []
    for a, b in itertools.pairwise(rows):
        dt = b["time"] - a["time"]
        if dt <= 0 or not a["master"] or not b["master"]:
            continue
        before = {p: v[1] for p, v in a["workers"].items()} | {0: a["master"][1]}
        after = {p: v[1] for p, v in b["workers"].items()} | {0: b["master"][1]}
        server = sum(v - before.get(p, 0.0) for p, v in after.items()) / dt
        busy = (b["machine_cpu"][0] - a["machine_cpu"][0]) / dt
        out.append(
            {
                "t_s": round(b["time"] - t0, 1),
                "server_cores": round(server, 2),
                "rest_of_machine_cores": round(max(0.0, busy - server), 2),
            }
        )
    return out


def server_log(path: Path, workers: int) -> dict[str, Any]:
    """What the gunicorn log says: statuses, tracebacks, timeouts, worker (re)starts."""
    text = path.read_text(errors="replace") if path.exists() else ""
    statuses: dict[str, int] = defaultdict(int)
    for m in re.finditer(r'"(GET|POST)[^"]*" (\d{3}) (?:\d+|-) "[^"]*" "([^"]*)"', text):
        if m.group(3).startswith("Python-urllib"):
            continue  # the harness's readiness probe and the locustfile's discovery
        statuses[m.group(2)] += 1
    errors = [ln for ln in text.splitlines() if re.search(r"\[(ERROR|CRITICAL)\]|Traceback", ln)]
    # The last line of each traceback: "SomeError: message".
    raised: dict[str, int] = defaultdict(int)
    for m in re.finditer(r"^([\w.]+(?:Error|Exception|Exit)\b.*)$", text, re.MULTILINE):
        raised[m.group(1)[:200]] += 1
    boots = len(re.findall(r"Booting worker", text))
    return {
        "http_statuses": dict(statuses),
        "error_lines": len(errors),
        "first_errors": errors[:10],
        "exceptions": dict(raised),
        "worker_timeouts": text.count("WORKER TIMEOUT"),
        "worker_boots": boots,
        "worker_restarts": max(0, boots - workers),
    }


def errors_of(samples: list[Any]) -> dict[str, Any]:
    """Failed requests grouped by kind and message."""
    groups: dict[str, int] = defaultdict(int)
    for r in samples:
        if r[3] is not None:
            groups[f"{r[1]}: {r[3][:160]}"] += 1
    return {"count": sum(groups.values()), "by_message": dict(groups)}


def recovery(phases: dict[str, Any], series: list[dict[str, Any]]) -> dict[str, Any] | None:
    """Spike only: the recovery phase's latency against the baseline's."""
    if not {"baseline", "spike", "recovery"} <= phases.keys():
        return None
    base, rec = phases["baseline"]["reads"], phases["recovery"]
    tail = [
        w
        for w in series
        if w["t_s"] >= rec["start_s"] + (rec["end_s"] - rec["start_s"]) / 2
        and w["t_s"] + WINDOW_S <= rec["end_s"]
    ]
    tail_p95 = [w["p95_ms"] for w in tail if w["p95_ms"] is not None]
    limit = 1.5 * base["p95_ms"] if base["p95_ms"] else None
    back = next(
        (
            w["t_s"] - rec["start_s"]
            for w in series
            if rec["start_s"] <= w["t_s"]
            and w["t_s"] + WINDOW_S <= rec["end_s"]
            and w["p95_ms"] is not None
            and limit is not None
            and w["p95_ms"] <= limit
        ),
        None,
    )
    median_tail = sorted(tail_p95)[len(tail_p95) // 2] if tail_p95 else None
    return {
        "baseline_read_p95_ms": base["p95_ms"],
        "recovery_second_half_read_p95_ms_median_of_windows": median_tail,
        "ratio_to_baseline": None
        if not median_tail or not base["p95_ms"]
        else round(median_tail / base["p95_ms"], 2),
        "seconds_until_a_window_p95_within_1_5x_baseline": back,
        "recovered": None if not median_tail or not limit else median_tail <= limit,
    }


# --------------------------------------------------------------------------- report


def render(res: dict[str, Any]) -> str:
    """The tables."""
    f = report.f
    parts = []
    for name, ph in res["phases"].items():
        rows = [
            [
                k,
                f(v["requests"]),
                f(v["rps"], 1),
                f(v["p50_ms"], 1),
                f(v["p95_ms"], 1),
                f(v["p99_ms"], 1),
                f(v["max_ms"], 0),
                f(v["errors"]),
            ]
            for k, v in [*ph["kinds"].items(), ("all reads", ph["reads"]), ("all", ph["all"])]
        ]
        cores = res["cpu"].get(name, {})
        title = (
            f"{name}: {ph['end_s'] - ph['start_s']:.0f} s, {ph['readers']} readers + "
            f"{res['config']['writers']} writers; cores used: server {cores.get('server_cores')}, "
            f"PostgreSQL {cores.get('database_cores')}, locust {cores.get('locust_cores')}, "
            f"other processes {cores.get('other_cores')}; "
            f"machine {cores.get('machine_busy_cores')} of {os.cpu_count()}"
        )
        parts.append(
            report.table(
                title,
                ["request", "n", "req/s", "p50 ms", "p95 ms", "p99 ms", "max ms", "errors"],
                rows,
            )
        )
    mem = res["memory"]
    parts.append(
        "\nserver RSS (master + workers, MiB): "
        f"idle at start {f(mem['at_start_mib'], 1)}, "
        f"steady start {f(mem['steady_start_mib'], 1)}, end {f(mem['end_mib'], 1)}; "
        f"steady first minute {f(mem['steady_first_minute_avg_mib'], 1)} "
        f"→ last minute {f(mem['steady_last_minute_avg_mib'], 1)}; slope "
        f"{f(mem['steady_slope_mib_per_min'], 2)} MiB/min "
        f"(second half {f(mem['steady_second_half_slope_mib_per_min'], 2)})"
    )
    w = res["writes"]
    parts.append(
        f"writes: {w.get('successes', 0)} committed ({f(w.get('per_s'), 2)}/s), "
        f"{w.get('conflicts', 0)} conflicts retried, {w.get('gave_up', 0)} given up"
    )
    e = res["errors"]
    parts.append(
        f"errors: {e['count']}"
        + "".join(f"\n  {n} × {m}" for m, n in list(e["by_message"].items())[:10])
    )
    s = res["server_log"]
    parts.append(
        f"server log: statuses {s['http_statuses']}, {s['error_lines']} error lines"
        f"{' ' + str(s['exceptions']) if s.get('exceptions') else ''}, "
        f"{s['worker_timeouts']} worker timeouts, {s['worker_restarts']} restarts"
    )
    if res.get("recovery"):
        r = res["recovery"]
        parts.append(
            f"recovery: baseline read p95 {f(r['baseline_read_p95_ms'], 1)} ms; second half of "
            f"recovery {f(r['recovery_second_half_read_p95_ms_median_of_windows'], 1)} ms "
            f"(×{r['ratio_to_baseline']}); first window within 1.5× after "
            f"{r['seconds_until_a_window_p95_within_1_5x_baseline']} s; "
            f"recovered: {r['recovered']}"
        )
    if res["locust"]["warnings"]:
        parts.append("locust warnings: " + "; ".join(res["locust"]["warnings"][:5]))
    return "\n".join(parts)


# --------------------------------------------------------------------------- main


def git(*args: str) -> str:
    """Output of a read-only git command ('' if git fails)."""
    proc = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=False)
    return proc.stdout.strip()


def meta(argv: list[str]) -> dict[str, Any]:
    """What ran, where."""
    dirty = " (uncommitted changes)" if git("status", "--porcelain", "-uno") else ""
    return {
        "command": " ".join([".venv/bin/python -m bench.soak", *argv]),
        "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "git": git("rev-parse", "--short", "HEAD") + dirty,
        "machine": f"{os.cpu_count()} cores, {platform.processor() or platform.machine()}",
        "python": platform.python_version(),
        "versions": {
            p: version(p)
            for p in ("locust", "gunicorn", "strawberry-graphql", "sqlalchemy", "psycopg", "flask")
        },
    }


def stages_for(args: argparse.Namespace) -> list[list[Any]]:
    """[seconds, readers, spawn rate, label] per stage."""
    n = args.users
    warm = [args.warmup, n, max(1.0, n / 10), "warm-up"]
    if not args.spike:
        return [warm, [args.minutes * 60, n, n, "steady"]]
    high = n * args.spike_factor
    rate = min(high, 100)  # locust's advice: no faster than 100 users/s
    return [
        warm,
        [args.baseline_seconds, n, n, "baseline"],
        [args.spike_seconds, high, rate, "spike"],  # within ~2 s
        [args.recovery_seconds, n, rate, "recovery"],
    ]


def parse_args() -> argparse.Namespace:
    """Command line."""
    p = argparse.ArgumentParser(prog="python -m bench.soak", description=__doc__.splitlines()[0])
    p.add_argument("--minutes", type=float, default=10, help="steady phase of the soak")
    p.add_argument("--users", type=int, default=40, help="readers (baseline readers with --spike)")
    p.add_argument("--think", default="0.5,1.5", help="a reader's pause, 'min,max' seconds")
    p.add_argument("--writers", type=int, default=2, help="writer users")
    p.add_argument("--write-interval", type=float, default=2.0, help="s between a writer's writes")
    p.add_argument("--warmup", type=float, default=30, help="s of ramp-up, reported apart")
    p.add_argument("--spike", action="store_true", help="baseline, spike, recovery")
    p.add_argument("--spike-factor", type=int, default=5)
    p.add_argument("--baseline-seconds", type=float, default=60)
    p.add_argument("--spike-seconds", type=float, default=60)
    p.add_argument("--recovery-seconds", type=float, default=120)
    p.add_argument("--workers", type=int, default=None, help="default: the gunicorn config's")
    p.add_argument(
        "--server-env",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="extra environment of the server (e.g. TOKENS_RESPONSE_CACHE_BYTES=0)",
    )
    p.add_argument("--sample-seconds", type=float, default=5, help="/proc sampling interval")
    p.add_argument("--keep", action="store_true", help="keep the run directory (logs, samples)")
    p.add_argument("--out", default=None, help="default: bench/results/soak-<timestamp>.json")
    return p.parse_args()


def analyse(
    data: dict[str, Any], stages: list[list[Any]], sampler: Sampler, result: dict[str, Any]
) -> None:
    """Fill ``result`` with the figures of locust's samples and the /proc samples."""
    samples, t0 = data["samples"], data["t0"]
    phases = phases_of(stages)
    end_s = phases[-1]["end_s"]
    result["phases"] = by_phase(samples, phases)
    result["series"] = windows(samples, end_s)
    result["memory"] = memory(sampler.rows, t0, (phases[1]["start_s"], end_s))
    result["memory"]["worker_pids_seen"] = len(sampler.worker_pids_seen)
    result["cpu"] = cpu(sampler.rows, t0, phases)
    result["cpu_series"] = cpu_series(sampler.rows, t0)
    writes = dict(data["writes"])
    writes["per_s"] = round(writes.get("successes", 0) / (end_s or 1), 3)
    result["writes"] = writes
    result["errors"] = errors_of(samples)
    steady = phases[1]
    if steady["end_s"] - steady["start_s"] >= 180:  # drift: only over a long phase
        reads = [r for r in samples if r[1] in READ_KINDS]
        first = [r for r in reads if steady["start_s"] <= r[0] < steady["start_s"] + 60]
        last = [r for r in reads if steady["end_s"] - 60 <= r[0] < steady["end_s"]]
        result["drift"] = {
            "first_minute_reads": latency(first, 60),
            "last_minute_reads": latency(last, 60),
        }
    result["recovery"] = recovery(result["phases"], result["series"])
    result["locust"] = {k: data[k] for k in ("exit_code", "warnings", "summary")}


def main() -> None:
    """Set up, run, analyse, print, write the JSON."""
    args = parse_args()
    if importlib.util.find_spec("locust") is None:
        sys.exit("locust is missing: .venv/bin/pip install -e '.[bench]'")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # unwind: stop servers, drop the db
    kind = "spike" if args.spike else "soak"
    out = Path(args.out or RESULTS / f"{kind}-{time.strftime('%Y%m%d-%H%M%S')}.json").resolve()
    run_dir = WORK / f"{kind}-{os.getpid()}"
    run_dir.mkdir(parents=True, exist_ok=True)
    stages = stages_for(args)
    server_env = dict(kv.split("=", 1) for kv in args.server_env)
    result: dict[str, Any] = {"meta": meta(sys.argv[1:])}
    with ExitStack() as stack:
        if not args.keep:
            stack.callback(shutil.rmtree, run_dir, True)
        url = stack.enter_context(postgres_database(f"tokens_soak_{os.getpid()}"))
        setup = prepare(url)
        server = start_server(url, run_dir, args.workers, server_env)
        stack.callback(server.stop)
        settings = gunicorn_settings()
        workers = args.workers or settings["workers"]
        result["config"] = {
            "kind": kind,
            "database": "PostgreSQL (fresh database, Alembic, Primer via CLI)",
            "server_command": " ".join(server.cmd),
            "server_env": server_env,
            "gunicorn": {**settings, "workers": workers},
            "users": args.users,
            "think_s": args.think,
            "writers": args.writers,
            "write_interval_s": args.write_interval,
            "stages": stages,
            "mix": "reads: 80 component / 15 whole theme / 3 tokens.json / 2 tokens.css",
            "setup": {k: v for k, v in setup.items() if k != "key"},
        }
        sampler = Sampler(server, args.sample_seconds, database=url.rsplit("/", 1)[1])
        sampler.start()
        try:
            data = run_locust(
                server.base, setup["key"], stages, run_dir=run_dir, args=args, sampler=sampler
            )
        finally:
            sampler.stop()
        with contextlib.suppress(OSError):
            result["server_log"] = server_log(server.log_path, workers)
    analyse(data, stages, sampler, result)
    result["meta"]["git_at_end"] = git("rev-parse", "--short", "HEAD")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=1, default=str))
    print(render(result))
    print(f"\nJSON: {os.path.relpath(out, ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    main()

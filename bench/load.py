"""Throughput and latency percentiles under concurrent load over HTTP (loopback only).

Servers, all started by the harness and stopped at the end: the production server
(``gunicorn -w 4 app:app``) on SQLite and on PostgreSQL, the same on SQLite with the
response cache off (every request executes the query), and the limit app
(``gunicorn -w 4 'bench.limit_app:create_app()'``) serving the captured bytes. The load
tool is wrk (one thread, a fixed number of connections, a fixed duration), with
``wrk_request.lua`` for the method, body and ``If-None-Match``. Rounds interleave the
servers, so every figure has its limit measured minutes apart at most.
"""

from __future__ import annotations

import json
import os
import subprocess
import urllib.error
import urllib.request
from contextlib import ExitStack
from typing import Any

from . import limit_app
from .common import BENCH, WORK, Server, log, median, rss_mb
from .workloads import Request, with_etag

LUA = BENCH / "wrk_request.lua"


def wrk(base: str, req: Request, *, seconds: float, connections: int) -> dict[str, Any]:
    """One wrk run; its figures (latencies in µs)."""
    env = dict(os.environ, BENCH_METHOD=req.method, BENCH_BODY="", BENCH_IF_NONE_MATCH="")
    if req.body:
        body = WORK / f"body-{req.name}.json"
        body.write_bytes(req.body)
        env["BENCH_BODY"] = str(body)
    env["BENCH_IF_NONE_MATCH"] = req.headers.get("If-None-Match", "")
    cmd = [
        "wrk",
        "-t1",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        "30s",
        "-s",
        str(LUA),
        base + req.url,
    ]
    proc = subprocess.run(
        cmd, env=env, capture_output=True, text=True, check=False, timeout=seconds + 60
    )
    line = next((x for x in proc.stdout.splitlines() if x.startswith("BENCH_JSON ")), None)
    if proc.returncode != 0 or line is None:
        raise RuntimeError(f"wrk failed: {proc.stdout[-1000:]} {proc.stderr[-1000:]}")
    out: dict[str, Any] = json.loads(line.removeprefix("BENCH_JSON "))
    out["rps"] = out["requests"] / (out["duration_us"] / 1e6)
    return out


def etag_of(base: str, req: Request) -> str | None:
    """The ETag a server sends for the unconditional form of ``req``."""
    plain = Request(req.name, req.label, req.method, req.path, req.query_string, req.body)
    with urllib.request.urlopen(base + plain.url, timeout=30) as resp:  # noqa: S310
        tag: str | None = resp.headers.get("ETag")
        return tag


def check_304(base: str, req: Request) -> None:
    """The conditional request really is answered 304 by this server."""
    r = urllib.request.Request(base + req.url, headers=req.headers)  # noqa: S310
    try:
        urllib.request.urlopen(r, timeout=30)  # noqa: S310
    except urllib.error.HTTPError as exc:
        if exc.code == 304:
            return
        raise
    raise RuntimeError(f"{base}{req.path}: If-None-Match was not answered 304")


def for_target(base: str, req: Request) -> Request | None:
    """``req`` with this server's own ETag when it is conditional (None: no ETag sent)."""
    if "If-None-Match" not in req.headers:
        return req
    tag = etag_of(base, req)
    if tag is None:
        return None
    cond = with_etag(Request(req.name, req.label, req.method, req.path, req.query_string), tag)
    check_304(base, cond)
    return cond


def run(
    prep: dict[str, Any],
    urls: dict[str, str],
    *,
    rounds: int,
    seconds: float,
    connections: int,
    workers: int,
) -> list[dict[str, Any]]:
    """Rows: one per (workload, server), with the limit's figures beside."""
    captured = WORK / "captured.json"
    limit_app.save(captured, prep["captured"])
    specs = {
        "limit": (
            "bench.limit_app:create_app()",
            urls["sqlite"],
            {"BENCH_CAPTURED": str(captured)},
        ),
        "SQLite": ("app:app", urls["sqlite"], {}),
        "SQLite, response cache off": (
            "app:app",
            urls["sqlite"],
            {"TOKENS_RESPONSE_CACHE_BYTES": "0"},
        ),
        "PostgreSQL": ("app:app", urls["postgresql"], {}),
    }
    results: dict[tuple[str, str], list[dict[str, Any]]] = {}
    rss: dict[str, float] = {}
    with ExitStack() as stack:
        servers = {}
        for name, (target, url, env) in specs.items():
            log(f"load: starting gunicorn -w {workers} {target} ({name})")
            servers[name] = Server(target, url, workers=workers, env=env)
            stack.callback(servers[name].stop)
        reqs = {
            (r.name, name): for_target(s.base, r)
            for name, s in servers.items()
            for r in prep["requests"]
        }
        log("load: warm-up (every worker gets every request)")
        for (_, name), r in reqs.items():
            if r is not None:
                wrk(servers[name].base, r, seconds=1, connections=connections)
        for i in range(rounds):
            for req in prep["requests"]:
                log(f"load round {i + 1}/{rounds}: {req.label}")
                for name, s in servers.items():
                    r = reqs[(req.name, name)]
                    if r is None:  # the server sent no ETag for this conditional GET
                        continue
                    results.setdefault((req.name, name), []).append(
                        wrk(s.base, r, seconds=seconds, connections=connections)
                    )
        for name, s in servers.items():
            rss[name] = median([rss_mb(p) for p in s.worker_pids()])
        commands = {name: " ".join(s.cmd) for name, s in servers.items()}
    return rows(prep["requests"], results, rss, connections, commands)


def rows(
    requests: list[Request],
    results: dict[tuple[str, str], list[dict[str, Any]]],
    rss: dict[str, float],
    connections: int,
    commands: dict[str, str],
) -> list[dict[str, Any]]:
    """Medians over rounds; ratios against the limit taken per round."""
    out: list[dict[str, Any]] = []
    for req in requests:
        lim = results.get((req.name, "limit"), [])
        for server, command in commands.items():
            runs = results.get((req.name, server))
            if not runs or not lim:
                note = "n/a: no ETag"
                out.append(
                    {"item": req.label, "workload": req.name, "server": server, "note": note}
                )
                continue
            m = {k: median([r[k] for r in runs]) for k in ("rps", "p50_us", "p95_us", "p99_us")}
            errors = sum(sum(r["errors"].values()) for r in runs)
            out.append(
                {
                    "item": req.label,
                    "workload": req.name,
                    "server": server,
                    **m,
                    "x_limit_rps": median(
                        [a["rps"] / b["rps"] for a, b in zip(runs, lim, strict=True)]
                    ),
                    "x_limit_p50": median(
                        [a["p50_us"] / b["p50_us"] for a, b in zip(runs, lim, strict=True)]
                    ),
                    "errors": errors,
                    "requests": sum(r["requests"] for r in runs),
                    "worker_rss_mb": rss[server],
                    "command": command,
                    "connections": connections,
                    "runs": runs,
                }
            )
    return out

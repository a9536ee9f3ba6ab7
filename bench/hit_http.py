"""Response-cache hits and 304s over HTTP, against the limit app served the same way.

``.venv/bin/python -m bench.hit_http [--ports 5650,5651] [--postgres] [--before CHECKOUT
--before-port N] [--rounds 15] [--out FILE] 2>/dev/null``

Primer on a fresh SQLite file under ``bench/results/tmp/`` (``--postgres``: a schema of its
own in the local server's ``test`` database); ``gunicorn -w 1`` with the
production settings (``graphql_api.web.gunicorn_conf``: gthread, keep-alive, gunicorn's access
log) serves this checkout's ``app:app`` on the first port and ``bench.limit_app`` (the bytes
captured from it) on the second; with ``--before``, another checkout's ``app:app`` on the
same database too. One keep-alive connection per server sends (a) whole theme by POST,
(b) 20 tokens by POST and the 304 of (a) by GET, 200 at a time, the servers in turn for
``--rounds`` rounds; it prints the median µs per request and the median ratio per round to
the limit (the same figures as ``bench.hit_cost``, plus HTTP parsing and the socket on both
sides). Servers' output goes to ``gunicorn-PORT.log`` beside the database; they are stopped
at the end, also on errors. Without ``--ports``, two free ports are taken. ``--out`` also
writes the figures as JSON (``hit_a_x_limit``, ``hit_b_x_limit``, ``304_x_limit`` and the µs
of each side), which :mod:`bench.targets` reads.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bench import limit_app
from bench.common import ROOT, WORK, fresh_database, gql, primer_with_key
from bench.workloads import THEME, conditional_gets, read_workloads, with_etag

if TYPE_CHECKING:
    from bench.workloads import Request


def start(port: int, checkout: Path, target: str, url: str, **extra: str) -> subprocess.Popen[Any]:
    """``gunicorn -w 1 TARGET`` from ``checkout`` on ``127.0.0.1:PORT``, once it answers."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("TOKENS_")}
    env.update(DATABASE_URL=url, PYTHONPATH=str(checkout), **extra)
    cmd = [sys.executable, "-m", "gunicorn", "-c", "python:graphql_api.web.gunicorn_conf"]
    cmd += ["-w", "1", "-b", f"127.0.0.1:{port}", "--chdir", str(checkout), target]
    with (WORK / f"gunicorn-{port}.log").open("w") as out:
        proc = subprocess.Popen(
            cmd, cwd=checkout, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    for _ in range(300):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/healthz")
            conn.getresponse().read()
        except OSError:
            time.sleep(0.1)
            continue
        return proc
    os.killpg(proc.pid, signal.SIGTERM)
    raise SystemExit(f"port {port}: {(WORK / f'gunicorn-{port}.log').read_text()[-2000:]}")


def stop(proc: subprocess.Popen[Any]) -> None:
    """SIGTERM to the server's process group, then wait."""
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)


class Client:
    """One keep-alive connection to one server; conditional GETs carry its own ETag."""

    def __init__(self, port: int) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.tag = ""

    def send(self, req: Request) -> http.client.HTTPResponse:
        """Send ``req`` (its ``If-None-Match`` replaced by this server's ETag); read it all."""
        headers = dict(req.headers)
        if "If-None-Match" in headers:
            headers["If-None-Match"] = self.tag
        self.conn.request(req.method, req.url, body=req.body or None, headers=headers)
        response = self.conn.getresponse()
        response.read()
        return response


def capture(url: str) -> dict[str, Request]:
    """Primer into ``url``; the three requests, their answers saved for the limit app."""
    app, _key = primer_with_key(url)
    client = app.test_client()
    query = "query($t: [ThemeSelection!]) { tokens(theme: $t) { edges { node { path type } } } }"
    nodes = gql(client, query, {"t": [THEME]})["tokens"]["edges"]
    whole, component = read_workloads([e["node"] for e in nodes])[:2]
    get_whole = conditional_gets()[0]
    captured = {}
    for req in (whole, component, get_whole):
        captured[limit_app.key(req.method, req.path, req.query_string, req.body)] = (
            limit_app.capture(req.send(client))
        )
    limit_app.save(WORK / "hit_http-captured.json", captured)
    return {"hit_a": whole, "hit_b": component, "304": get_whole}


def measure(clients: dict[str, Client], work: dict[str, Request], rounds: int) -> dict[Any, Any]:
    """Seconds per request, per (figure, server), one entry per round."""
    get_whole = work["304"]
    for c in clients.values():
        c.tag = c.send(get_whole).getheader("ETag") or ""
    work = {**work, "304": with_etag(get_whole, "")}
    for name, c in clients.items():
        for req in work.values():
            for _ in range(20):
                last = c.send(req)
        if last.status != 304:
            raise SystemExit(f"{name}: the conditional GET got {last.status}")
    times: dict[tuple[str, str], list[float]] = {}
    for _ in range(rounds):
        for figure, req in work.items():
            for name, c in clients.items():
                t0 = time.perf_counter()
                for _ in range(200):
                    c.send(req)
                times.setdefault((figure, name), []).append((time.perf_counter() - t0) / 200)
    return times


def free_port() -> int:
    """A TCP port nothing listens on now (the system's choice)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def main() -> None:
    """Print, per figure and server, µs per request and the median ratio to the limit."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--ports", help="this checkout's,the limit app's (default: free ones)")
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--before", help="another checkout to serve as well")
    parser.add_argument("--before-port", type=int)
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--out", type=Path, help="write the figures as JSON here too")
    args = parser.parse_args()
    if args.ports:
        ours, limit_port = (int(p) for p in args.ports.split(","))
    else:
        ours, limit_port = free_port(), free_port()
    out: dict[str, Any] = {"backend": "postgresql" if args.postgres else "sqlite"}
    with fresh_database(args.postgres, name="hit_http") as url, ExitStack() as stack:
        work = capture(url)
        servers = {
            "limit": (limit_port, ROOT, "bench.limit_app:create_app()"),
            "this checkout": (ours, ROOT, "app:app"),
        }
        if args.before:
            servers["before"] = (args.before_port, Path(args.before), "app:app")
        clients = {}
        for name, (port, checkout, target) in servers.items():
            extra = {"BENCH_CAPTURED": str(WORK / "hit_http-captured.json")}
            stack.callback(stop, start(port, checkout, target, url, **extra))
            clients[name] = Client(port)
        times = measure(clients, work, args.rounds)
    for figure in work:
        base = times[(figure, "limit")]
        for name in clients:
            if name == "limit":
                continue
            ratios = [x / y for x, y in zip(times[(figure, name)], base, strict=True)]
            print(
                f"{figure} {name}: {statistics.median(times[(figure, name)]) * 1e6:.0f} us, "
                f"limit {statistics.median(base) * 1e6:.0f} us, "
                f"x limit {statistics.median(ratios):.3f}"
            )
            if name == "this checkout":
                out[f"{figure}_us"] = statistics.median(times[(figure, name)]) * 1e6
                out[f"{figure}_limit_us"] = statistics.median(base) * 1e6
                out[f"{figure}_x_limit"] = statistics.median(ratios)
    if args.out:
        args.out.write_text(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()

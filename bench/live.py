"""Live updates on Primer: how long from a write's commit to its subscribers.

``.venv/bin/python -m bench.live [--postgres] [--changes 100] [--subscribers 200]``

A fresh database (SQLite file, or a PostgreSQL schema of its own) gets Primer through the
CLI; ``uvicorn asgi:app`` serves it in its own process with the default settings
(SQLite polled every 0.1 s; PostgreSQL LISTEN/NOTIFY). This process holds
``--subscribers`` idle WebSocket subscribers (``revisionChanged``) and one measuring client
subscribed to ``revisionChanged`` and ``tokensChanged(theme: light)``, then commits
``--changes`` writes through its own Flask app (another process, as another worker
would): ``updateToken base.color.blue.5`` in ``theme:light``, alternating two values. For
each write: latency = arrival of the event − return of the committing call. Every idle
subscriber must get every revision. The baseline, measured in the same run, is the round
trip of ``{ revision }`` over HTTP to the same server. Results go to
``bench/results/live-<backend>-<time>.json``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import time
from typing import Any

import httpx
import websockets

from graphql_api.store import db

from .common import RESULTS, ROOT, free_port, fresh_database, primer_with_key

UPDATE = (
    'mutation($v: JSON!) { updateToken(input: {path: "base.color.blue.5", value: $v, '
    'context: {modifier: "theme", context: "light"}}) { __typename ... on TokenSuccess '
    "{ revision } } }"
)
VALUES = ("#0033ff", "#0969da")
REVISIONS = "subscription { revisionChanged { revision } }"
TOKENS = (
    'subscription { tokensChanged(theme: [{modifier: "theme", context: "light"}]) '
    "{ revision tokens { path } } }"
)


async def ws_subscriber(url: str, queries: dict[str, str]) -> Any:
    """An open graphql-transport-ws connection with ``queries`` (id → document) started."""
    ws = await websockets.connect(
        url, subprotocols=["graphql-transport-ws"], open_timeout=30, max_queue=None
    )
    await ws.send(json.dumps({"type": "connection_init", "payload": {}}))
    ack = json.loads(await ws.recv())
    if ack.get("type") != "connection_ack":
        raise SystemExit(f"no ack: {ack}")
    for op_id, query in queries.items():
        await ws.send(json.dumps({"id": op_id, "type": "subscribe", "payload": {"query": query}}))
    return ws


def summary(values: list[float]) -> dict[str, float]:
    """Median, 90th percentile and worst, in ms."""
    ordered = sorted(values)
    return {
        "median_ms": round(statistics.median(ordered), 1),
        "p90_ms": round(ordered[int(0.9 * (len(ordered) - 1))], 1),
        "worst_ms": round(ordered[-1], 1),
    }


async def run(
    url: str, client: Any, headers: dict[str, str], args: argparse.Namespace
) -> dict[str, Any]:
    """Hold the subscribers, write, time the events."""
    ws_url = url.replace("http://", "ws://") + "/graphql"
    idle = [await ws_subscriber(ws_url, {"r": REVISIONS}) for _ in range(args.subscribers)]
    probe = await ws_subscriber(ws_url, {"rev": REVISIONS, "tok": TOKENS})
    async with httpx.AsyncClient(base_url=url) as http:
        expected = args.subscribers + 2
        while (await http.get("/healthz")).json()["live"]["subscribers"] < expected:
            await asyncio.sleep(0.05)
        round_trips = []
        for _ in range(20):
            started = time.perf_counter()
            (await http.get("/graphql", params={"query": "{ revision }"})).raise_for_status()
            round_trips.append((time.perf_counter() - started) * 1000)
        held = (await http.get("/healthz")).json()["live"]["subscribers"]

    latency: dict[str, list[float]] = {"rev": [], "tok": []}
    writes: list[float] = []
    for i in range(args.changes):
        started = time.perf_counter()
        body = await asyncio.to_thread(
            lambda i=i: client.post(
                "/graphql",
                headers=headers,
                json={"query": UPDATE, "variables": {"v": VALUES[i % 2]}},
            ).get_json()
        )
        committed = time.perf_counter()
        writes.append((committed - started) * 1000)
        revision = body["data"]["updateToken"]["revision"]
        pending = {"rev", "tok"}
        while pending:
            msg = json.loads(await asyncio.wait_for(probe.recv(), 30))
            if msg.get("type") != "next":
                continue
            data = next(iter(msg["payload"]["data"].values()))
            if data["revision"] == revision and msg["id"] in pending:
                latency[msg["id"]].append((time.perf_counter() - committed) * 1000)
                pending.discard(msg["id"])

    async def count_revisions(ws: Any) -> int:
        got = 0
        while got < args.changes:
            msg = json.loads(await asyncio.wait_for(ws.recv(), 60))
            got += msg.get("type") == "next"
        return got

    received = await asyncio.gather(*(count_revisions(ws) for ws in idle))
    for ws in [*idle, probe]:
        await ws.close()
    baseline = statistics.median(round_trips)
    return {
        "changes": args.changes,
        "subscribers_held": held,
        "idle_subscribers_with_every_revision": sum(r == args.changes for r in received),
        "baseline_round_trip_ms": round(baseline, 2),
        "revisionChanged": summary(latency["rev"]),
        "tokensChanged": summary(latency["tok"]),
        "revisionChanged_ratio_to_round_trip": round(
            statistics.median(latency["rev"]) / baseline, 1
        ),
        "tokensChanged_ratio_to_round_trip": round(statistics.median(latency["tok"]) / baseline, 1),
        "write_ms": summary(writes),
        "raw_ms": {
            "revisionChanged": [round(x, 1) for x in latency["rev"]],
            "tokensChanged": [round(x, 1) for x in latency["tok"]],
        },
    }


def main() -> None:
    """Print and save the latencies (median, p90, worst) for both subscriptions."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--changes", type=int, default=100)
    parser.add_argument("--subscribers", type=int, default=200)
    args = parser.parse_args()
    with fresh_database(args.postgres, "live") as url:
        app, key = primer_with_key(url)
        port = free_port()
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "asgi:app",
                "--port",
                str(port),
                "--no-access-log",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env={**os.environ, "DATABASE_URL": url},
        )
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(300):
                try:
                    httpx.get(base + "/healthz").raise_for_status()
                    break
                except httpx.HTTPError:
                    time.sleep(0.1)
            headers = {"Authorization": f"Bearer {key}"}
            figures = asyncio.run(run(base, app.test_client(), headers, args))
        finally:
            server.terminate()
            server.wait(10)
            db.get_engine(app).dispose()
    figures = {
        "backend": "postgresql" if args.postgres else "sqlite",
        **figures,
        "load_average": os.getloadavg(),
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"live-{figures['backend']}-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.write_text(json.dumps(figures, indent=1) + "\n")
    print(json.dumps(figures, indent=1))
    print(f"written to {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()

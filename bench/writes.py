"""Writes on Primer: how long each mutation takes, as a ratio to a cold read of one theme.

``.venv/bin/python -m bench.writes [--postgres] [--runs N]``

A fresh database (SQLite file, or a PostgreSQL schema of its own with ``--postgres``)
gets Primer through the CLI; then each mutation runs ``N`` times through the Flask test
client (in process, no HTTP), alternating two values so every run really writes. The
baseline, measured in the same run, is a cold read of one whole theme (the snapshot of
one theme combination rebuilt from the database): a write re-checks every combination
its edit can affect, so its cost is counted in such reads.
"""

from __future__ import annotations

import argparse
import statistics
import time
from typing import Any

from graphql_api.store import db
from graphql_api.store.snapshots import snapshot_store

from .common import fresh_database, primer_with_key

BLUE = "base.color.blue.5"
LIGHT = {"modifier": "theme", "context": "light"}
VALUES = ("#0033ff", "#0969da")


def _mutations() -> list[tuple[str, str, Any]]:
    """(label, mutation, variables for run i)."""
    upd = (
        "mutation($v: JSON!, $c: ThemeSelection) { updateToken(input: "
        '{path: "base.color.blue.5", value: $v, context: $c}) { __typename } }'
    )
    ren = (
        "mutation($a: String!, $b: String!) { renameToken(input: {path: $a, newPath: $b}) "
        "{ __typename } }"
    )
    return [
        ("updateToken, one context (theme:light)", upd, lambda i: {"v": VALUES[i % 2], "c": LIGHT}),
        ("updateToken, every context (14)", upd, lambda i: {"v": VALUES[i % 2], "c": None}),
        (
            "renameToken, 14 contexts + referrers",
            ren,
            lambda i: {
                "a": BLUE if i % 2 == 0 else "base.color.azure.5",
                "b": "base.color.azure.5" if i % 2 == 0 else BLUE,
            },
        ),
    ]


def main() -> None:
    """Print one line per mutation: median ms and the ratio to the cold-read baseline."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with fresh_database(args.postgres, "writes") as url:
        report(url, args)


def report(url: str, args: argparse.Namespace) -> None:
    """Measure on the database ``url`` and print the lines."""
    app, key = primer_with_key(url)
    client = app.test_client()
    headers = {"Authorization": f"Bearer {key}"}

    def cold_read() -> float:
        with app.app_context():
            snapshot_store(app).clear()
            started = time.perf_counter()
            snapshot_store(app).get(db.get_session(), {"theme": "light"})
            return (time.perf_counter() - started) * 1000

    baseline = statistics.median(cold_read() for _ in range(args.runs))
    print(f"backend: {'postgresql' if args.postgres else 'sqlite'}; runs: {args.runs}")
    print(f"baseline, cold read of one theme: {baseline:.1f} ms")
    for label, query, variables in _mutations():
        times = []
        for i in range(args.runs):
            started = time.perf_counter()
            request = {"query": query, "variables": variables(i)}
            body = client.post("/graphql", headers=headers, json=request).get_json()
            times.append((time.perf_counter() - started) * 1000)
            payload = next(iter(body["data"].values()))
            if payload["__typename"] != "TokenSuccess":
                raise SystemExit(f"{label}: {body}")
        ms = statistics.median(times)
        print(f"{label}: {ms:.0f} ms = {ms / baseline:.1f}x baseline")
    db.get_engine(app).dispose()


if __name__ == "__main__":
    main()

"""Concurrent writers and readers over HTTP: no lost update, no torn read (on demand).

``.venv/bin/python -m bench.consistency [--seconds 60] [--writers 4] [--readers 4] [--primer]``

A fresh PostgreSQL database (``tokens_consistency_<pid>``, dropped at the end) gets a small
design system (a set, ``theme`` light/dark, ``pointer`` fine/coarse; ``--primer``: Primer)
and the production server (``gunicorn -c python:graphql_api.web.gunicorn_conf app:app``). A
``number`` token ``counter`` (``soakCounter`` in Primer, which has a ``counter`` group) is
created with ``createToken`` in ``theme:dark``, and ``counterRef`` = ``{counter}`` beside it.

Writers loop: read ``{ revision counter { rawValue } }``, then ``updateToken`` to value + 1
with ``expectedRevision``; a ``Conflict`` is counted and the loop reads again. Readers loop:
``{ revision token(path: counter, theme: dark) { resolvedValue } }`` three times, then once
the same plus ``counterRef`` and the whole theme ``[dark, coarse]`` (another snapshot).

Checks, from the writers' results and the change log (``changes(since:)``), which give the
counter's value at every revision:

- no lost update: the final value = the number of committed increments = the change-log
  entries; the committed values are exactly 1…N; each write's ``expectedRevision`` held the
  value it incremented;
- no torn read: every value a reader saw (the token, the alias, the token inside the whole
  theme) is the counter's value at the ``revision`` the same response reported;
- revisions seen by one reader thread never go backwards.

Writes ``bench/results/consistency-<timestamp>.json`` and prints the counts.
"""

from __future__ import annotations

import argparse
import bisect
import http.client
import json
import os
import shutil
import signal
import sys
import threading
import time
from collections import defaultdict
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from . import soak
from .common import PRIMER, RESULTS, ROOT, WORK, log, postgres_database

SMALL = {
    "version": "2025.10",
    "sets": {
        "base": {
            "sources": [
                {
                    "space": {"1": {"$type": "dimension", "$value": {"value": 4, "unit": "px"}}},
                    "font": {"weight": {"$type": "fontWeight", "$value": 400}},
                }
            ]
        }
    },
    "modifiers": {
        "theme": {
            "contexts": {
                "light": [
                    {
                        "bg": {"$type": "color", "$value": "#ffffff"},
                        "fg": {"$type": "color", "$value": "#1f2328"},
                    }
                ],
                "dark": [
                    {
                        "bg": {"$type": "color", "$value": "#0d1117"},
                        "fg": {"$type": "color", "$value": "#f0f6fc"},
                    }
                ],
            },
            "default": "light",
        },
        "pointer": {
            "contexts": {
                "fine": [{"target": {"$type": "dimension", "$value": {"value": 16, "unit": "px"}}}],
                "coarse": [
                    {"target": {"$type": "dimension", "$value": {"value": 24, "unit": "px"}}}
                ],
            },
            "default": "fine",
        },
    },
    "resolutionOrder": [
        {"$ref": "#/sets/base"},
        {"$ref": "#/modifiers/pointer"},
        {"$ref": "#/modifiers/theme"},
    ],
}
DARK = {"modifier": "theme", "context": "dark"}
COARSE = {"modifier": "pointer", "context": "coarse"}
CREATE = (
    "mutation($path: String!, $value: JSON!, $type: String, $ctx: ThemeSelection) "
    "{ createToken(input: {path: $path, value: $value, type: $type, context: $ctx}) "
    "{ __typename ... on TokenSuccess { revision } } }"
)
READ = "query($p: String!, $t: [ThemeSelection!]) { revision counter: token(path: $p, theme: $t) { rawValue } }"  # noqa: E501
INCREMENT = (
    "mutation($p: String!, $v: JSON!, $ctx: ThemeSelection, $rev: Int) "
    "{ updateToken(input: {path: $p, value: $v, context: $ctx, expectedRevision: $rev}) "
    "{ __typename ... on TokenSuccess { revision } ... on Conflict { code currentRevision } } }"
)
SMALL_READ = (
    "query($p: String!, $t: [ThemeSelection!]) "
    "{ revision counter: token(path: $p, theme: $t) { resolvedValue } }"
)
THEME_READ = (
    "query($p: String!, $r: String!, $t: [ThemeSelection!], $t2: [ThemeSelection!]) "
    "{ revision counter: token(path: $p, theme: $t) { resolvedValue } "
    "ref: token(path: $r, theme: $t2) { resolvedValue } "
    "theme: tokens(theme: $t2) { totalCount edges { node { path resolvedValue } } } }"
)
CHANGES = (
    "query($s: Int!, $a: String) { changes(since: $s, first: 1000, after: $a) "
    "{ edges { node { path revision after } } pageInfo { hasNextPage endCursor } } }"
)


class Client:
    """One keep-alive HTTP connection posting GraphQL requests."""

    def __init__(self, base: str, key: str = "") -> None:
        host, port = base.removeprefix("http://").split(":")
        self.conn = http.client.HTTPConnection(host, int(port), timeout=120)
        self.headers = {"Content-Type": "application/json"}
        if key:
            self.headers["Authorization"] = f"Bearer {key}"

    def post(self, query: str, variables: dict[str, Any]) -> tuple[dict[str, Any], float]:
        """(data, ms).

        Raises:
            RuntimeError: not a 200, or GraphQL errors.
        """
        body = json.dumps({"query": query, "variables": variables})
        t0 = time.perf_counter()
        self.conn.request("POST", "/graphql", body, self.headers)
        resp = self.conn.getresponse()
        raw = resp.read()
        ms = (time.perf_counter() - t0) * 1000
        if resp.status != 200:
            raise RuntimeError(f"HTTP {resp.status}: {raw[:200]!r}")
        doc = json.loads(raw)
        if doc.get("errors"):
            raise RuntimeError(f"GraphQL errors: {doc['errors'][:1]}")
        data: dict[str, Any] = doc["data"]
        return data, ms


class Run:
    """Shared state of the writer and reader threads."""

    def __init__(self, base: str, key: str, path: str, ref: str, seconds: float) -> None:
        self.base, self.key, self.path, self.ref = base, key, path, ref
        self.deadline = time.monotonic() + seconds
        self.lock = threading.Lock()
        self.commits: list[dict[str, Any]] = []  # {revision, value, expected, writer}
        self.conflicts = 0
        self.observations: list[tuple[int, int, str, int, dict[str, Any]]] = []
        self.errors: list[str] = []
        self.latency: dict[str, list[float]] = defaultdict(list)

    def error(self, where: str, exc: Exception) -> None:
        """Record a failed request."""
        with self.lock:
            self.errors.append(f"{where}: {exc}"[:300])

    def writer(self, name: str) -> None:
        """Read-modify-write increments until the deadline."""
        client = Client(self.base, self.key)
        while time.monotonic() < self.deadline:
            try:
                data, ms = client.post(READ, {"p": self.path, "t": [DARK]})
                rev, value = data["revision"], data["counter"]["rawValue"]
                out, wms = client.post(
                    INCREMENT, {"p": self.path, "v": value + 1, "ctx": DARK, "rev": rev}
                )
            except (RuntimeError, OSError, KeyError, TypeError, ValueError) as exc:
                self.error(f"writer {name}", exc)
                client = Client(self.base, self.key)
                continue
            payload = out["updateToken"]
            with self.lock:
                self.latency["writer read"].append(ms)
                self.latency["updateToken"].append(wms)
                if payload["__typename"] == "TokenSuccess":
                    commit = {
                        "revision": payload["revision"],
                        "value": value + 1,
                        "expected": rev,
                        "read": value,
                        "writer": name,
                    }
                    self.commits.append(commit)
                elif payload["__typename"] == "Conflict":
                    self.conflicts += 1
                else:
                    self.errors.append(f"writer {name}: unexpected payload {payload}")

    def reader(self, index: int) -> None:
        """Small reads and whole-theme reads until the deadline."""
        client = Client(self.base)
        seq = 0
        small = {"p": self.path, "t": [DARK]}
        whole = {"p": self.path, "r": self.ref, "t": [DARK], "t2": [DARK, COARSE]}
        while time.monotonic() < self.deadline:
            seq += 1
            kind = "whole theme" if seq % 4 == 0 else "small"
            try:
                data, ms = client.post(
                    THEME_READ if kind == "whole theme" else SMALL_READ,
                    whole if kind == "whole theme" else small,
                )
                seen = {"counter": data["counter"]["resolvedValue"]}
                if kind == "whole theme":
                    seen["ref"] = data["ref"]["resolvedValue"]
                    nodes = {
                        e["node"]["path"]: e["node"]["resolvedValue"]
                        for e in data["theme"]["edges"]
                    }
                    seen["theme.counter"] = nodes[self.path]
                    seen["theme.ref"] = nodes[self.ref]
            except (RuntimeError, OSError, KeyError, TypeError, ValueError) as exc:
                self.error(f"reader {index}", exc)
                client = Client(self.base)
                continue
            with self.lock:
                self.latency[kind].append(ms)
                self.observations.append((index, seq, kind, data["revision"], seen))


def change_log(client: Client, since: int, path: str) -> dict[int, Any]:
    """Revision → the counter's value written at it, from ``changes(since:)``."""
    out: dict[int, Any] = {}
    after = None
    while True:
        data, _ = client.post(CHANGES, {"s": since, "a": after})
        for edge in data["changes"]["edges"]:
            node = edge["node"]
            if node["path"] == path:
                out[node["revision"]] = (node["after"] or {}).get("$value")
        page = data["changes"]["pageInfo"]
        if not page["hasNextPage"]:
            return out
        after = page["endCursor"]


def check(run: Run, created: int, log_map: dict[int, Any], final: Any) -> dict[str, Any]:
    """The verdicts and their counts."""
    commits = sorted(run.commits, key=lambda c: c["revision"])
    history = {created: 0, **{c["revision"]: c["value"] for c in commits}}
    revs = sorted(history)

    def value_at(rev: int) -> Any:
        i = bisect.bisect_right(revs, rev) - 1
        return history[revs[i]] if i >= 0 else None

    torn: list[dict[str, Any]] = []
    fields: dict[str, int] = defaultdict(int)
    for reader, seq, kind, rev, seen in run.observations:
        for field, value in seen.items():
            fields[field] += 1
            if value != value_at(rev):
                later = [r for r in revs if history[r] == value]
                torn.append(
                    {
                        "reader": reader,
                        "seq": seq,
                        "kind": kind,
                        "field": field,
                        "revision": rev,
                        "saw": value,
                        "expected": value_at(rev),
                        "value_is_of_revision": later[0] if later else None,
                    }
                )
    backwards = 0
    last: dict[int, int] = {}
    for reader, _seq, _kind, rev, _seen in run.observations:
        backwards += rev < last.get(reader, 0)
        last[reader] = rev
    n = len(commits)
    stale_base = [c for c in commits if value_at(c["expected"]) != c["read"]]
    return {
        "committed_increments": n,
        "conflicts_retried": run.conflicts,
        "final_value": final,
        "change_log_entries": len(log_map),
        "lost_updates": n - final if isinstance(final, int) else None,
        "no_lost_update": final == n == len(log_map)
        and sorted(c["value"] for c in commits) == list(range(1, n + 1))
        and log_map == {c["revision"]: c["value"] for c in commits}
        and not stale_base,
        "writes_based_on_a_value_other_than_their_expected_revision": len(stale_base),
        "observations": len(run.observations),
        "values_checked": dict(fields),
        "torn_reads": len(torn),
        "torn_responses": len({(t["reader"], t["seq"]) for t in torn}),
        "torn_values_newer_than_the_revision": sum(
            1
            for t in torn
            if t["value_is_of_revision"] is not None and t["value_is_of_revision"] > t["revision"]
        ),
        "torn_examples": torn[:10],
        "torn_by_field": {f: sum(1 for t in torn if t["field"] == f) for f in fields},
        "revision_went_backwards": backwards,
        "errors": len(run.errors),
        "error_examples": run.errors[:10],
    }


def setup_counter(base: str, key: str, primer: bool) -> tuple[str, str, int]:
    """Create the counter and its alias in ``theme:dark``; (path, alias path, revision)."""
    path = "soakCounter" if primer else "counter"
    client = Client(base, key)
    data, _ = client.post(CREATE, {"path": path, "value": 0, "type": "number", "ctx": DARK})
    ref = f"{path}Ref"
    made, _ = client.post(CREATE, {"path": ref, "value": f"{{{path}}}", "ctx": DARK})
    if "revision" not in data["createToken"] or "revision" not in made["createToken"]:
        raise RuntimeError(f"createToken failed: {data} {made}")
    # the alias's creation is a revision where the counter is still 0
    return path, ref, data["createToken"]["revision"]


def parse_args() -> argparse.Namespace:
    """Command line."""
    p = argparse.ArgumentParser(
        prog="python -m bench.consistency", description=__doc__.splitlines()[0]
    )
    p.add_argument("--seconds", type=float, default=60)
    p.add_argument("--writers", type=int, default=4)
    p.add_argument("--readers", type=int, default=4)
    p.add_argument("--primer", action="store_true", help="Primer instead of the small system")
    p.add_argument("--workers", type=int, default=None, help="default: the gunicorn config's")
    p.add_argument("--out", default=None)
    return p.parse_args()


def main() -> None:
    """Set up, run the threads, check, print, write the JSON."""
    args = parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    out = Path(args.out or RESULTS / f"consistency-{time.strftime('%Y%m%d-%H%M%S')}.json")
    run_dir = WORK / f"consistency-{os.getpid()}"
    run_dir.mkdir(parents=True, exist_ok=True)
    document = PRIMER
    if not args.primer:
        document = run_dir / "small.resolver.json"
        document.write_text(json.dumps(SMALL))
    with ExitStack() as stack:
        stack.callback(shutil.rmtree, run_dir, True)
        url = stack.enter_context(postgres_database(f"tokens_consistency_{os.getpid()}"))
        setup = soak.prepare(url, document)
        server = soak.start_server(url, run_dir, args.workers, {})
        stack.callback(server.stop)
        path, ref, created = setup_counter(server.base, setup["key"], args.primer)
        run = Run(server.base, setup["key"], path, ref, args.seconds)
        threads = [
            threading.Thread(target=run.writer, args=(f"w{i}",)) for i in range(args.writers)
        ]
        threads += [threading.Thread(target=run.reader, args=(i,)) for i in range(args.readers)]
        log(
            f"{args.writers} writers, {args.readers} readers for {args.seconds:.0f} s on "
            f"{document.name} ({server.base})"
        )
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        client = Client(server.base)
        final = client.post(SMALL_READ, {"p": path, "t": [DARK]})[0]["counter"]["resolvedValue"]
        log_map = change_log(client, created, path)
        log_map.pop(created, None)  # the creation (value 0)
        log_stats = soak.server_log(server.log_path, args.workers or 0)
    result = {
        "meta": soak.meta(sys.argv[1:])
        | {"command": " ".join([".venv/bin/python -m bench.consistency", *sys.argv[1:]])},
        "config": {
            "document": "Primer" if args.primer else "small (6 tokens)",
            "database": "PostgreSQL",
            "server_command": " ".join(server.cmd),
            "writers": args.writers,
            "readers": args.readers,
            "seconds": args.seconds,
            "counter": path,
            "alias": ref,
            "counter_created_at_revision": created,
        },
        **check(run, created, log_map, final),
        "latency_ms": {
            k: {"n": len(v), "p50": soak.pct(sorted(v), 0.5), "p99": soak.pct(sorted(v), 0.99)}
            for k, v in run.latency.items()
        },
        "server_log": {k: v for k, v in log_stats.items() if k != "worker_restarts"},
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=1, default=str))
    keys = (
        "committed_increments",
        "conflicts_retried",
        "final_value",
        "change_log_entries",
        "no_lost_update",
        "observations",
        "values_checked",
        "torn_reads",
        "torn_responses",
        "torn_values_newer_than_the_revision",
        "torn_by_field",
        "revision_went_backwards",
        "errors",
    )
    for k in keys:
        print(f"{k}: {result[k]}")
    for t in result["torn_examples"][:5]:
        print(f"  torn: {t}")
    print(f"\nJSON: {os.path.relpath(out.resolve(), ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    main()

"""One point of the cost curve, in a process of its own (so that its RSS means something).

    python -m bench.curve_point DATABASE_URL CONTEXT --rounds 5

Prints one JSON object: the whole theme (every token, ``path type resolvedValue``) of
``CONTEXT`` cold (first request of a fresh app), executed (response cache off), answered
from the response cache, and by the limit app; SQL statements of each; the process RSS
once the theme is served.
"""

from __future__ import annotations

import argparse
import gc
import json
from functools import partial
from typing import Any

from graphql_api import create_app
from graphql_api.store import db

from . import limit_app
from .common import count_sql, median, rss_mb, side_by_side, timed_ms
from .workloads import WHOLE_THEME, post

BIG = {"MAX_PAGE_SIZE": 1_000_000}  # one page holds the whole theme, whatever its size


def fresh(url: str, **config: Any) -> tuple[Any, Any]:
    """A new app and its test client."""
    app = create_app({"DATABASE_URL": url, **BIG, **config})
    return app, app.test_client()


def main() -> None:
    """Measure and print (see the module docstring)."""
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("context")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--budget", type=float, default=20.0, help="seconds per timing")
    args = parser.parse_args()
    req = post(
        "a", "whole theme", WHOLE_THEME, {"theme": [{"modifier": "theme", "context": args.context}]}
    )
    out: dict[str, Any] = {"rss_start_mb": rss_mb()}

    app, client = fresh(args.url)  # the production config: response cache on
    engine = db.get_engine(app)
    with count_sql(engine) as sql_cold:
        out["first_request_ms"] = timed_ms(lambda: req.send(client))  # process and app cold
    resp = req.send(client)
    body = resp.get_json()
    if resp.status_code != 200 or body.get("errors"):
        raise SystemExit(f"query failed: {resp.get_data(as_text=True)[:500]}")
    out["tokens"] = body["data"]["tokens"]["totalCount"]
    out["bytes"] = len(resp.get_data())
    with count_sql(engine) as sql_hit:
        req.send(client)
    out["rss_mb"] = rss_mb()  # one theme resolved, its response cached

    exec_app, exec_client = fresh(args.url, RESPONSE_CACHE_BYTES=0)
    req.send(exec_client)
    with count_sql(db.get_engine(exec_app)) as sql_exec:
        req.send(exec_client)
    limit = limit_app.create_app(
        {limit_app.key(req.method, req.path, "", req.body): limit_app.capture(resp)}
    )
    lim_client = limit.test_client()
    n = max(3, args.rounds)
    res = side_by_side(
        {
            "hit": lambda: req.send(client),
            "exec": lambda: req.send(exec_client),
            "limit": lambda: req.send(lim_client),
        },
        rounds=args.rounds,
        n=n,
        budget_s=args.budget,
    )
    cold = []
    for _ in range(n):  # fresh apps in a warm process: snapshot and responses not cached
        del app
        gc.collect()
        app, client = fresh(args.url)
        cold.append(timed_ms(partial(req.send, client)))
        db.get_engine(app).dispose()
    out.update(
        cold_ms=median(cold),
        exec_ms=res["exec"]["ms"],
        hit_ms=res["hit"]["ms"],
        limit_ms=res["limit"]["ms"],
        cold_runs=cold,
        raw=res,
        sql={"cold": len(sql_cold), "exec": len(sql_exec), "hit": len(sql_hit)},
    )
    print(json.dumps(out))


if __name__ == "__main__":
    main()

"""In-process latency of (a)–(d) through the Flask test client, beside the limit and graphql-core.

Also counts the SQL statements of every workload: response-cache hit, executed (snapshot
cached, response cache off) and cold (first request of a fresh app), on the app's engine
(``before_cursor_execute``).
"""

from __future__ import annotations

import json
from functools import partial
from typing import TYPE_CHECKING, Any

from graphql_api import create_app
from graphql_api.store import db

from . import limit_app
from .common import THEME, count_sql, log, median, ratio, side_by_side, timed_ms
from .gql_peer import Peer
from .workloads import DATA_QUERY, Request, conditional_gets, post, read_workloads, with_etag

if TYPE_CHECKING:
    from collections.abc import Callable


def new_app(url: str, **config: Any) -> Any:
    """A fresh app (own engine, own caches) on ``url``."""
    return create_app({"DATABASE_URL": url, **config})


def read_nodes(client: Any) -> list[dict[str, Any]]:
    """Every token of the theme with what graphql-core's plain data needs."""
    resp = post("data", "data", DATA_QUERY, {"theme": [THEME]}).send(client)
    body = resp.get_json()
    if resp.status_code != 200 or body.get("errors"):
        raise RuntimeError(
            f"data query failed: {resp.status_code} {resp.get_data(as_text=True)[:500]}"
        )
    return [e["node"] for e in body["data"]["tokens"]["edges"]]


def prepare(url: str) -> dict[str, Any]:
    """Workloads, captured responses and the notes on (d), read from the server at ``url``."""
    app = new_app(url)
    client = app.test_client()
    nodes = read_nodes(client)
    requests = read_workloads(nodes)
    captured: dict[str, Any] = {}
    for req in requests:
        resp = req.send(client)
        if resp.status_code != 200 or "errors" in resp.get_json():
            raise RuntimeError(
                f"{req.name}: {resp.status_code} {resp.get_data(as_text=True)[:500]}"
            )
        captured[limit_app.key(req.method, req.path, req.query_string, req.body)] = (
            limit_app.capture(resp)
        )
    notes: dict[str, str] = {}
    for req in conditional_gets():
        resp = req.send(client)
        captured[limit_app.key(req.method, req.path, req.query_string, req.body)] = (
            limit_app.capture(resp)
        )
        etag = resp.headers.get("ETag")
        if resp.status_code != 200:
            notes[req.label] = f"n/a: GET answered {resp.status_code}"
        elif not etag:
            notes[req.label] = "n/a: no ETag"
        else:
            cond = with_etag(req, etag)
            again = cond.send(client)
            if again.status_code == 304:
                requests.append(cond)
            else:
                notes[req.label] = f"n/a: If-None-Match answered {again.status_code}"
    return {"nodes": nodes, "requests": requests, "captured": captured, "notes": notes}


#: Server states measured side by side: a response-cache hit (the default config), and
#: execution with the response cache off (snapshot cached: Strawberry runs the query).
STATES = {"hit": {}, "exec": {"RESPONSE_CACHE_BYTES": 0}}


def sql_counts(url: str, req: Request) -> dict[str, int]:
    """Statements of ``req``: cold (first request of a fresh app), exec, hit."""
    out = {}
    for state, config in (("exec", STATES["exec"]), ("hit", STATES["hit"])):
        app = new_app(url, **config)
        client = app.test_client()
        engine = db.get_engine(app)
        with count_sql(engine) as cold:
            req.send(client)
        req.send(client)
        with count_sql(engine) as warm:
            req.send(client)
        out["cold"], out[state] = len(cold), len(warm)
        engine.dispose()
    return out


def measure(
    url: str, prep: dict[str, Any], *, rounds: int, n: int, budget_s: float, section: str
) -> list[dict[str, Any]]:
    """One row per workload (hit, exec, limit, graphql-core side by side), plus cold (a)."""
    clients = {state: new_app(url, **cfg).test_client() for state, cfg in STATES.items()}
    limit = limit_app.create_app(prep["captured"]).test_client()
    peer = Peer(prep["nodes"])
    rows = []
    for req in prep["requests"]:
        ours_body = req.send(clients["exec"]).get_data()
        variants: dict[str, Callable[[], Any]] = {
            s: partial(req.send, c) for s, c in clients.items()
        }
        variants["limit"] = partial(req.send, limit)
        if req.method == "POST":
            if json.loads(peer.execute(req.body)) != json.loads(ours_body):
                raise RuntimeError(f"{req.name}: graphql-core's answer differs from the server's")
            variants["peer"] = partial(peer.execute, req.body)
        log(f"{section}: {req.label}")
        res = side_by_side(variants, rounds=rounds, n=n, budget_s=budget_s)
        has_peer = "peer" in res
        rows.append(
            {
                "section": section,
                "item": req.label,
                "workload": req.name,
                "bytes": len(ours_body),
                "hit_ms": res["hit"]["ms"],
                "exec_ms": res["exec"]["ms"],
                "limit_ms": res["limit"]["ms"],
                "hit_x_limit": ratio(res, "hit", "limit"),
                "exec_x_limit": ratio(res, "exec", "limit"),
                "peer_ms": res["peer"]["ms"] if has_peer else None,
                "exec_x_peer": ratio(res, "exec", "peer") if has_peer else None,
                "sql": sql_counts(url, req),
                "raw": res,
            }
        )
    rows.append(cold_whole_theme(url, prep, rounds=rounds, section=section, limit=limit))
    return rows


def cold_whole_theme(
    url: str, prep: dict[str, Any], *, rounds: int, section: str, limit: Any
) -> dict[str, Any]:
    """(a) as the first request of a fresh app (nothing cached): median of several apps."""
    req = prep["requests"][0]
    cold, lim = [], []
    for _ in range(max(3, rounds)):
        app = new_app(url)
        client = app.test_client()
        cold.append(timed_ms(partial(req.send, client)))
        lim.append(timed_ms(partial(req.send, limit)))
        db.get_engine(app).dispose()
    return {
        "section": section,
        "item": "(a) whole theme, cold: first request of a fresh app",
        "workload": "a-cold",
        "cold_ms": median(cold),
        "limit_ms": median(lim),
        "cold_x_limit": median(cold) / median(lim),
        "raw": {"cold": cold, "limit": lim},
    }

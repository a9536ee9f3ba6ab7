"""Plain-text tables of a results dict (what ``bench/run`` prints)."""

from __future__ import annotations

import math
from typing import Any


def f(x: Any, digits: int = 2) -> str:
    """A number for a table cell ('–' for none)."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    if isinstance(x, int):
        return f"{x:,}"
    if abs(x) >= 100:
        return f"{x:,.0f}"
    return f"{x:.{digits}f}"


def x(r: Any) -> str:
    """A ratio cell (three significant digits below 1)."""
    if r is None:
        return "–"
    return f"×{r:.2g}" if r < 1 else f"×{f(r)}"


def table(title: str, headers: list[str], rows: list[list[str]]) -> str:
    """Left-aligned first column, right-aligned others."""
    widths = [max(len(str(c)) for c in col) for col in zip(headers, *rows, strict=True)]

    def line(cells: list[str]) -> str:
        return "  ".join(
            str(c).ljust(w) if i == 0 else str(c).rjust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        )

    rule = "-" * (sum(widths) + 2 * (len(widths) - 1))
    return "\n".join([f"\n{title}", rule, line(headers), rule, *(line(r) for r in rows), rule])


def inproc_table(rows: list[dict[str, Any]]) -> str:
    """In-process latencies."""
    out = []
    for r in rows:
        if r["workload"] == "a-cold":
            out.append(
                [
                    r["item"],
                    r["section"],
                    "",
                    f(r["cold_ms"]),
                    x(r["cold_x_limit"]),
                    "",
                    "",
                    "",
                    f(r["limit_ms"], 3),
                    "",
                    "",
                ]
            )
            continue
        sql = r["sql"]
        out.append(
            [
                r["item"],
                r["section"],
                f(r["bytes"]),
                f(r["hit_ms"], 3),
                x(r["hit_x_limit"]),
                f(r["exec_ms"]),
                x(r["exec_x_limit"]),
                x(r["exec_x_peer"]),
                f(r["limit_ms"], 3),
                f(r["peer_ms"]),
                f"{sql['hit']}/{sql['exec']}/{sql['cold']}",
            ]
        )
    return table(
        "Read path in-process (Flask test client; Primer, theme dark);"
        " ms per request, median of rounds",
        [
            "workload",
            "db",
            "bytes",
            "cache hit",
            "×limit",
            "executed",
            "×limit",
            "×gql-core",
            "limit",
            "gql-core",
            "SQL hit/exec/cold",
        ],
        out,
    )


def peer_table(res: dict[str, Any]) -> str:
    """Ours beside Style Dictionary on the same theme."""
    sd = res["peer"]["warm_dark"]
    ours = []
    for r in res.get("inproc", []):
        if r["section"] != "sqlite":
            continue
        if r["workload"] == "a-cold":
            ours.append(("ours, cold (load layers, flatten, resolve, serve)", r["cold_ms"]))
        elif r["workload"] == "a":
            ours.append(("ours, executed (snapshot cached, response cache off)", r["exec_ms"]))
            ours.append(("ours, response cache hit", r["hit_ms"]))
    total = sd["totalMs"]
    rows = [[name, f(ms, 3), f(total), x(ms / total)] for name, ms in ours]
    title = (
        f"Peer: Style Dictionary {sd['styleDictionary']} on Node {sd['node']}, theme dark, "
        f"{sd['tokens']} tokens, warm process (init {f(sd['initMs'])}"
        f" + resolve {f(sd['resolveMs'])} + JSON {f(sd['serialiseMs'])} ms)"
    )
    agree = res["peer"].get("agreement")
    if agree:
        title += (
            f"\nSame values as ours (resolvedValue) for {agree['same']:,} of"
            f" {agree['tokens_ours']:,} tokens; differ: {', '.join(agree['differ']) or 'none'}"
        )
    return table(title, ["whole theme (a), SQLite", "ours ms", "SD ms", "ours/SD"], rows)


def import_table(rows: list[dict[str, Any]]) -> str:
    """(e)."""
    return table(
        "Import (e): Primer resolver document (1,488 tokens, 14 x 2 theme combinations), wall s",
        ["item", "wall s", "CLI start-up s", "×start-up", "SD all combos s", "×SD"],
        [
            [
                r["item"],
                f(r["import_s"]),
                f(r["cli_startup_s"]),
                x(r["x_startup"]),
                f(r["sd_all_s"]),
                x(r["x_sd_all"]),
            ]
            for r in rows
        ],
    )


def load_table(rows: list[dict[str, Any]]) -> str:
    """Throughput and latency under load."""
    measured = [r for r in rows if "note" not in r]
    c = measured[0]["connections"] if measured else 0
    cmd = next((r["command"] for r in measured if r["server"] == "SQLite"), "")
    out = []
    for r in rows:
        if "note" in r:
            out.append([r["item"], r["server"], r["note"], *[""] * 7])
            continue
        out.append(
            [
                r["item"],
                r["server"],
                f(r["rps"]),
                x(r["x_limit_rps"]),
                f(r["p50_us"] / 1000),
                f(r["p95_us"] / 1000),
                f(r["p99_us"] / 1000),
                x(r["x_limit_p50"]),
                f(r["worker_rss_mb"], 0),
                f(r["errors"]),
            ]
        )
    headers = ["workload", "server", "req/s", "×limit", "p50 ms", "p95 ms", "p99 ms"]
    headers += ["p50 ×limit", "worker RSS MiB", "errors"]
    title = f"HTTP load: wrk -t1 -c{c}, loopback, medians of rounds; servers: {cmd}"
    return table(title, headers, out)


def curve_table(rows: list[dict[str, Any]]) -> str:
    """(f)."""
    out = []
    for r in rows:
        name = f"{r['tokens_requested']:,} x {r['contexts']}"
        if "skipped" in r:
            out.append([name, r["skipped"], *[""] * 10])
            continue
        out.append(
            [
                name,
                f(r["import_s"]),
                f(r["cold_ms"]),
                f(r["exec_ms"]),
                f(r["hit_ms"], 3),
                f(r["limit_ms"], 3),
                x(r["exec_ms"] / r["limit_ms"]),
                x(r["hit_ms"] / r["limit_ms"]),
                f(r["exec_ms"] * 1000 / r["tokens"], 1),
                f(r["rss_mb"], 0),
                f"{r['sql']['hit']}/{r['sql']['exec']}/{r['sql']['cold']}",
                f(r["bytes"]),
            ]
        )
    return table(
        "Cost curve (f): synthetic systems, SQLite; whole theme of the last context; ms",
        [
            "tokens x contexts",
            "import s",
            "cold",
            "executed",
            "cache hit",
            "limit",
            "exec ×limit",
            "hit ×limit",
            "exec µs/token",
            "RSS MiB",
            "SQL hit/exec/cold",
            "bytes",
        ],
        out,
    )


def profile_table(p: dict[str, Any]) -> str:
    """Where (a)'s time goes."""
    rows = [
        [k, f(v["ms_per_request"]), f"{100 * v['share']:.0f} %"] for k, v in p["buckets"].items()
    ]
    text = table(
        f"Profile of (a) executed (response cache off): {p['requests']} requests, "
        f"{f(p['ms_per_request'])} ms/request ({f(p['ms_per_request_sampled'])} while sampled), "
        f"{p['samples']} samples (SIGALRM, 0.5 ms)",
        ["where", "ms/request", "share"],
        rows,
    )
    split = p.get("graphql_core_split", {})
    if split:
        text += table(
            "graphql-core alone on plain dicts (the GraphQL layer's floor), ms",
            ["workload", "parse", "validate", "execute", "encode"],
            [
                [k, f(v["parse"]), f(v["validate"]), f(v["execute"]), f(v["encode"])]
                for k, v in split.items()
            ],
        )
    return text


def render(res: dict[str, Any]) -> str:
    """Every table present in ``res``."""
    m = res["meta"]
    git = m["git"]
    if m.get("git_at_end", git) != git:
        git += f" at the start, {m['git_at_end']} at the end"
    parts = [f"{m['command']}  ({m['mode']}, git {git}, {m['machine']}, Python {m['python']})"]
    parts += [f"{label}: {note}" for label, note in res.get("notes", {}).items()]
    if "inproc" in res:
        parts.append(inproc_table(res["inproc"]))
    if "peer" in res:
        parts.append(peer_table(res))
    if "import" in res:
        parts.append(import_table(res["import"]))
    if "load" in res:
        parts.append(load_table(res["load"]))
    if "curve" in res:
        parts.append(curve_table(res["curve"]))
    if "profile" in res:
        parts.append(profile_table(res["profile"]))
    parts += [f"\nSECTION {name} FAILED:\n{tb}" for name, tb in res.get("errors", {}).items()]
    return "\n".join(parts)

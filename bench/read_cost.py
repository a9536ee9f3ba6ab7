"""What a read costs around writes (issue 15, read half), each figure beside its baseline.

``.venv/bin/python -m bench.read_cost [--postgres] [--rounds N]``

On Primer (imported into a fresh SQLite file, or a PostgreSQL schema with ``--postgres``),
in process through the Flask test client (no HTTP), in one run:

- Style Dictionary 5 resolving the dark theme in a warm Node process (``peer_sd``);
- the first whole-theme read (workload (a)) after an every-layer write of
  ``base.color.blue.5``, as a ratio to Style Dictionary's theme;
- a response-cache hit of (a) and (b), and a 304 of (a) by GET, as ratios to the limit
  app answering the same bytes (``limit_app``);
- the first ``impact`` and ``contrastReport`` of a process, before and after a modifier
  with 5 contexts is added (28 → 140 combinations), as ratios to Style Dictionary's theme;
- (b), a 20-token component query, executed (response cache off, document seen before).

It imports only ``bench.common``/``workloads``/``limit_app``/``peer_sd``, so it also runs
against another checkout: ``PYTHONPATH=/path/to/checkout python bench/read_cost.py``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from functools import partial
from typing import Any

from bench import limit_app, peer_sd
from bench.common import WORK, fresh_database, gql, median, primer_with_key, side_by_side
from bench.workloads import THEME, conditional_gets, read_workloads, with_etag

UPDATE = (
    'mutation($v: JSON!) { updateToken(input: {path: "base.color.blue.5", value: $v}) '
    "{ __typename } }"
)
IMPACT = '{ impact(path: "base.color.blue.5") { totalCount themes { tokens { path } } } }'
CONTRAST = (
    '{ contrastReport(pairs: [{foreground: "fgColor.default", background: '
    '"bgColor.default"}, {foreground: "fgColor.muted", background: "bgColor.muted"}]) '
    "{ checked failures { ratio } } }"
)
MODIFIER = (
    'mutation { createModifier(input: {name: "density", contexts: ["c1", "c2", "c3", '
    '"c4", "c5"], default: "c1"}) { __typename } }'
)


def ms(fn: Any) -> float:
    """Wall time of one call, in ms."""
    t0 = time.perf_counter()
    fn()
    return (time.perf_counter() - t0) * 1000


def main() -> None:
    """Print one line per figure and write ``bench/results/read_cost.json``."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    sd = peer_sd.warm_theme("dark", runs=max(5, args.rounds), dump=WORK / "sd-dark.json")
    sd_ms = float(sd["totalMs"])
    with fresh_database(args.postgres, "read_cost") as url:
        out = measure(url, args.rounds, sd_ms)
    out["backend"] = "postgresql" if args.postgres else "sqlite"
    out["sd_theme_ms"] = sd_ms
    for k, v in out.items():
        print(f"{k}: {round(v, 3) if isinstance(v, float) else v}")
    (WORK.parent / "read_cost.json").write_text(json.dumps(out, indent=1))


def measure(url: str, rounds: int, sd_ms: float) -> dict[str, Any]:
    """Every figure of the module docstring on the empty database ``url``."""
    from graphql_api import create_app  # noqa: PLC0415

    app, key = primer_with_key(url)
    auth = {"Authorization": f"Bearer {key}"}
    client = app.test_client()
    nodes = gql(
        client,
        "query($t: [ThemeSelection!]) { tokens(theme: $t) { edges { node { path type } } } }",
        {"t": [THEME]},
    )["tokens"]["edges"]
    reqs = read_workloads([e["node"] for e in nodes])
    whole, component = reqs[0], reqs[1]
    out: dict[str, Any] = {}

    # first whole-theme read after an every-layer write (the theme was cached before)
    after_write = []
    for i in range(rounds):
        whole.send(client)
        gql(client, UPDATE, {"v": ("#0033ff", "#0969da")[i % 2]}, auth)
        after_write.append(ms(partial(whole.send, client)))
    out["first_whole_theme_after_write_ms"] = median(after_write)
    out["first_whole_theme_after_write_x_sd"] = median(after_write) / sd_ms

    # hit, 304 against the limit
    get_whole = conditional_gets()[0]
    limit, answers = limit_app.mirror(client, [whole, component, get_whole])
    cond = with_etag(get_whole, answers[2].headers["ETag"])
    for req in (whole, component, cond):
        req.send(client)
    res = side_by_side(
        {
            "hit_a": partial(whole.send, client),
            "limit_a": partial(whole.send, limit),
            "hit_b": partial(component.send, client),
            "limit_b": partial(component.send, limit),
            "304": partial(cond.send, client),
            "limit_304": partial(cond.send, limit),
        },
        rounds=rounds,
        n=300,
        budget_s=3.0 * rounds,
    )
    for ours, base in (("hit_a", "limit_a"), ("hit_b", "limit_b"), ("304", "limit_304")):
        a, b = res[ours]["rounds_ms"], res[base]["rounds_ms"]
        out[f"{ours}_ms"] = res[ours]["ms"]
        out[f"{ours}_x_limit"] = median([x / y for x, y in zip(a, b, strict=True)])

    # component query executed, document seen before (response cache off)
    exec_client = create_app({"DATABASE_URL": url, "RESPONSE_CACHE_BYTES": 0}).test_client()
    component.send(exec_client)
    out["component_exec_ms"] = median(
        [ms(partial(component.send, exec_client)) for _ in range(20 * rounds)]
    )

    # first impact / contrastReport of a process whose ordinary read is cached
    def first_call(query: str) -> float:
        fresh = create_app({"DATABASE_URL": url}).test_client()
        whole.send(fresh)
        return ms(partial(gql, fresh, query))

    for label in ("", "_5_contexts"):
        if label:
            gql(client, MODIFIER, None, auth)
        imp = statistics.median(first_call(IMPACT) for _ in range(max(1, rounds // 2)))
        con = statistics.median(first_call(CONTRAST) for _ in range(max(1, rounds // 2)))
        out[f"impact_first{label}_ms"] = imp
        out[f"impact_first{label}_x_sd"] = imp / sd_ms
        out[f"contrast_first{label}_ms"] = con
        out[f"contrast_first{label}_x_sd"] = con / sd_ms
    return out


if __name__ == "__main__":
    main()

"""Response-cache hits and 304s against the limit app, in CPU time (issue 15 targets).

``.venv/bin/python -m bench.hit_cost [--postgres] [--rounds N] [--n N] 2>/dev/null``

The same figures as ``bench.read_cost``'s ``hit_a``/``hit_b``/``304`` (Primer, theme dark,
in process through the Flask test client, access log on: send stderr to a file or
``/dev/null``), measured for a shared machine: each round times a batch of ``--n`` requests
of every variant in turn by the process's CPU time (``time.process_time``: time spent
waiting for a core while other processes run is not counted), and the ratio to the limit
is taken per round; the median over ``--rounds`` rounds is printed with the spread of the
middle half, and the ratio of the two fastest rounds (``best``: the cost with the least
interference from other processes sharing the cores and caches). On the 2-core machine
under a load average of 5, wall time moved the median ratios by ±0.3 from run to run; the
best ratio moved least.

It imports only ``bench.common``/``workloads``/``limit_app``, so it also runs against
another checkout (``PYTHONPATH=<checkout>``, with this file copied there) for before/after.
"""

from __future__ import annotations

import argparse
import statistics
import time
from typing import TYPE_CHECKING, Any

from bench import limit_app
from bench.common import fresh_database, gql, primer_with_key
from bench.workloads import THEME, conditional_gets, read_workloads, with_etag

if TYPE_CHECKING:
    from bench.workloads import Request


def cpu_us(req: Request, client: Any, n: int) -> float:
    """CPU time of one request (µs), the mean over ``n`` sent back to back."""
    t0 = time.process_time()
    for _ in range(n):
        req.send(client)
    return (time.process_time() - t0) / n * 1e6


def main() -> None:
    """Print, per figure, our CPU µs, the limit's, and the median ratio over rounds."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--n", type=int, default=200)
    args = parser.parse_args()
    with fresh_database(args.postgres, "hit_cost") as url:
        app, _key = primer_with_key(url)
        client = app.test_client()
        query = (
            "query($t: [ThemeSelection!]) { tokens(theme: $t) { edges { node { path type } } } }"
        )
        nodes = gql(client, query, {"t": [THEME]})["tokens"]["edges"]
        whole, component = read_workloads([e["node"] for e in nodes])[:2]
        get_whole = conditional_gets()[0]
        limit, answers = limit_app.mirror(client, [whole, component, get_whole])
        cond = with_etag(get_whole, answers[2].headers["ETag"])
        for req in (whole, component, cond):
            req.send(client)
            req.send(limit)
        if cond.send(client).status_code != 304:
            raise SystemExit("the conditional GET was not answered 304")
        pairs = {"hit_a": whole, "hit_b": component, "304": cond}
        ours: dict[str, list[float]] = {k: [] for k in pairs}
        base: dict[str, list[float]] = {k: [] for k in pairs}
        for _ in range(args.rounds):
            for name, req in pairs.items():
                ours[name].append(cpu_us(req, client, args.n))
                base[name].append(cpu_us(req, limit, args.n))
    print("backend:", "postgresql" if args.postgres else "sqlite")
    for name in pairs:
        ratios = sorted(x / y for x, y in zip(ours[name], base[name], strict=True))
        quarter = len(ratios) // 4
        print(
            f"{name}: {statistics.median(ours[name]):.0f} us, limit "
            f"{statistics.median(base[name]):.0f} us, x limit {statistics.median(ratios):.3f} "
            f"(middle half {ratios[quarter]:.3f}-{ratios[-1 - quarter]:.3f}), "
            f"best {min(ours[name]):.0f} / {min(base[name]):.0f} us = "
            f"{min(ours[name]) / min(base[name]):.3f}"
        )


if __name__ == "__main__":
    main()

"""``diff`` across a release over every theme combination and the snapshot cache (issue 16).

``.venv/bin/python -m bench.diff_sweep [--postgres] [--rounds N]``

Item 10: on Primer (imported into a fresh SQLite file, or a PostgreSQL schema with
``--postgres``), in process through the Flask test client, with a modifier of 5 contexts
added (14 × 2 × 5 = 140 combinations), a release ``r1`` made, then one token changed:

- a whole-theme read (theme ``dark``) in a fresh process, then ``diff(from: "r1")``
  without ``theme`` (every combination of both sides) as the first diff of that process,
  and again in the same process, in ms, beside the whole-theme read of the same process as
  the baseline;
- whether the snapshot cache still serves the whole-theme read after the diff (nothing
  built, carried or re-keyed to answer it again), and the snapshots it holds before/after.

It imports only ``bench.common``, so it also runs against another checkout's package (the
numbers before a change), from a folder without ``graphql_api``:
``cd /tmp && PYTHONPATH=/path/to/other:/path/to/this python -m bench.diff_sweep`` (the other
checkout needs its ``alembic`` folder beside its package).
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from typing import Any

from bench.common import WORK, fresh_database, gql, primer_with_key

UPDATE = (
    'mutation($v: JSON!) { updateToken(input: {path: "base.color.blue.5", value: $v}) '
    "{ __typename } }"
)
MODIFIER = (
    'mutation { createModifier(input: {name: "density", contexts: ["c1", "c2", "c3", '
    '"c4", "c5"], default: "c1"}) { __typename } }'
)
RELEASE = 'mutation { createRelease(input: {name: "r1"}) { __typename } }'
DIFF = '{ diff(from: "r1") { bump changes { path themes { context } } } }'
WHOLE = (
    "query($t: [ThemeSelection!]) { tokens(theme: $t) { edges { node { path resolvedValue } } } }"
)
DARK = [{"modifier": "theme", "context": "dark"}]


def ms(fn: Any) -> tuple[float, Any]:
    """(wall time of one call in ms, its result)."""
    t0 = time.perf_counter()
    out = fn()
    return (time.perf_counter() - t0) * 1000, out


def one_process(url: str) -> dict[str, Any]:
    """A fresh app (empty caches; the response cache off): read, diff, diff, read."""
    from graphql_api import create_app  # noqa: PLC0415
    from graphql_api.store.snapshots import snapshot_store  # noqa: PLC0415

    app = create_app({"DATABASE_URL": url, "RESPONSE_CACHE_BYTES": 0, "MAX_QUERY_SECONDS": 0})
    client = app.test_client()
    store = snapshot_store(app)
    read_ms, _ = ms(lambda: gql(client, WHOLE, {"t": DARK}))
    before = store.stats()
    first_ms, data = ms(lambda: gql(client, DIFF))
    second_ms, _ = ms(lambda: gql(client, DIFF))
    after = store.stats()
    resolved = [store.stats()[k] for k in ("built", "carried", "rekeyed")]
    gql(client, WHOLE, {"t": DARK})
    survived = [store.stats()[k] for k in ("built", "carried", "rekeyed")] == resolved
    return {
        "whole_theme_read_ms": read_ms,
        "diff_first_ms": first_ms,
        "diff_second_ms": second_ms,
        "changes": len(data["diff"]["changes"]),
        "combinations_of_a_change": len(data["diff"]["changes"][0]["themes"]),
        "snapshots_before": before["snapshots"],
        "snapshots_after": after["snapshots"],
        "read_cache_survived": survived,
    }


def main() -> None:
    """Print one line per figure and write ``bench/results/diff_sweep.json``."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    with fresh_database(args.postgres, "diff_sweep") as url:
        app, key = primer_with_key(url)
        client, auth = app.test_client(), {"Authorization": f"Bearer {key}"}
        gql(client, MODIFIER, None, auth)
        gql(client, RELEASE, None, auth)
        gql(client, UPDATE, {"v": "#0033ff"}, auth)
        runs = [one_process(url) for _ in range(args.rounds)]
    out: dict[str, Any] = {"backend": "postgresql" if args.postgres else "sqlite"}
    for k, v in runs[0].items():
        values = [r[k] for r in runs]
        out[k] = statistics.median(values) if isinstance(v, float) else values[0]
    out["diff_first_x_read"] = out["diff_first_ms"] / out["whole_theme_read_ms"]
    for k, v in out.items():
        print(f"{k}: {round(v, 3) if isinstance(v, float) else v}")
    (WORK.parent / "diff_sweep.json").write_text(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()

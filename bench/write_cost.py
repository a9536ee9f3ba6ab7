"""What one write costs: every-layer ``updateToken`` on Primer, and on 1k/20k/50k tokens.

``.venv/bin/python -m bench.write_cost [--postgres] [--runs N] [--sizes 1000,20000,50000]``

Issue 15's write targets, in one run:

- ``updateToken base.color.blue.5`` in every layer that defines it (Primer: the 14
  contexts of ``theme``, 28 combinations), through the Flask test client (in process, no
  HTTP), alternating two values so every run writes; as a ratio to Style Dictionary 5
  resolving one Primer theme (``dark``) in a warm Node process, measured in the same run
  (target ≤ 0.25×). Measured in a warm server, which has served every theme context once
  (its layers are kept decoded, :mod:`graphql_api.store.layer_cache`, and each write
  keeps the layers it edits); the same write in a server that has served no read since
  the import (every layer read in part from the database) is reported beside it
  (``primer_write_cold_ms``), and so is the same write with the incremental check
  switched off (the full validation, the reference implementation): the "before".
- the same kind of write (a colour primitive, every layer that defines it) on synthetic
  systems of N tokens × 4 contexts (:mod:`bench.gen_synthetic`), as ratios to the
  smallest (targets: 20,000 vs 1,000 ≤ 2×, 50,000 vs 1,000 ≤ 3×).

Medians of ``--runs`` writes after two warm-up writes. Prints one line per figure and
writes ``bench/results/write_cost.json``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import statistics
import time
from typing import TYPE_CHECKING, Any
from unittest import mock

from graphql_api.writes import check as write_check

from . import peer_sd
from .common import WORK, fresh_database, gql, log, primer_with_key
from .gen_synthetic import generate

if TYPE_CHECKING:
    from collections.abc import Iterator

UPDATE = (
    "mutation($p: String!, $v: JSON!) { updateToken(input: {path: $p, value: $v}) "
    "{ __typename ... on TokenSuccess { revision } } }"
)
VALUES = ("#0033ff", "#0969da")
PRIMER_PATH = "base.color.blue.5"
SYNTHETIC_PATH = "base.color.red.0"  # a colour primitive of every generated size
CONTEXTS = 4


@contextlib.contextmanager
def reports() -> Iterator[list[write_check.CheckReport]]:
    """The :class:`CheckReport` of every write in the block."""
    seen: list[write_check.CheckReport] = []
    real = write_check.check

    def spy(*args: Any, **kwargs: Any) -> write_check.CheckReport:
        report = real(*args, **kwargs)
        seen.append(report)
        return report

    with mock.patch.object(write_check, "check", spy):
        yield seen


@contextlib.contextmanager
def full_validation() -> Iterator[None]:
    """Every write checked by the full validation (the reference implementation)."""
    with mock.patch.object(write_check, "_why_full", return_value="bench: reference"):
        yield


def write_ms(app: Any, key: str, path: str, runs: int) -> tuple[float, dict[str, Any]]:
    """Median ms of ``runs`` every-layer writes of ``path`` (after 2 warm-up writes)."""
    client = app.test_client()
    headers = {"Authorization": f"Bearer {key}"}
    times: list[float] = []
    with reports() as seen:
        for i in range(runs + 2):
            request = {"query": UPDATE, "variables": {"p": path, "v": VALUES[i % 2]}}
            started = time.perf_counter()
            body = client.post("/graphql", headers=headers, json=request).get_json()
            elapsed = (time.perf_counter() - started) * 1000
            if body["data"]["updateToken"]["__typename"] != "TokenSuccess":
                raise SystemExit(f"{path}: {body}")
            if i >= 2:
                times.append(elapsed)
    last = seen[-1]
    info = {"mode": last.mode, "selections": last.selections, "rechecked": last.rechecked}
    return statistics.median(times), info


EVERY_CONTEXT = "{ modifiers { name contexts { name } } }"
THEME_COUNT = "query($t: [ThemeSelection!]) { tokens(theme: $t) { totalCount } }"


def read_every_context(app: Any, key: str) -> int:
    """Read the whole theme of every context of every modifier once; how many were read."""
    client = app.test_client()
    headers = {"Authorization": f"Bearer {key}"}
    read = 0
    for modifier in gql(client, EVERY_CONTEXT, headers=headers)["modifiers"]:
        for context in modifier["contexts"]:
            theme = [{"modifier": modifier["name"], "context": context["name"]}]
            if gql(client, THEME_COUNT, {"t": theme}, headers)["tokens"]["totalCount"] <= 0:
                raise SystemExit(f"{theme}: no tokens")
            read += 1
    return read


def main() -> None:
    """Measure and print; see the module docstring."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--sizes", default="1000,20000,50000")
    args = parser.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    out: dict[str, Any] = {"backend": "postgresql" if args.postgres else "sqlite"}

    log("Style Dictionary: warm resolve of Primer's dark theme")
    sd = peer_sd.warm_theme("dark", runs=max(5, args.runs), dump=WORK / "sd-dark.json")
    out["sd_theme_ms"] = sd_ms = float(sd["totalMs"])

    log("Primer: every-layer updateToken")
    with fresh_database(args.postgres, "write_cost") as url:
        app, key = primer_with_key(url)
        cold_ms, _ = write_ms(app, key, PRIMER_PATH, max(3, args.runs // 3))
        out["themes_read_before_writing"] = read_every_context(app, key)
        ms, info = write_ms(app, key, PRIMER_PATH, args.runs)
        with full_validation():
            full_ms, _ = write_ms(app, key, PRIMER_PATH, max(3, args.runs // 3))
        from graphql_api.store import db  # noqa: PLC0415

        db.get_engine(app).dispose()
    out["primer_write_ms"] = ms
    out["primer_write_x_sd"] = ms / sd_ms
    out["primer_write_check"] = info
    out["primer_write_cold_ms"] = cold_ms
    out["primer_write_cold_x_sd"] = cold_ms / sd_ms
    out["primer_write_full_validation_ms"] = full_ms
    out["primer_write_full_validation_x_sd"] = full_ms / sd_ms

    sizes = [int(s) for s in args.sizes.split(",")]
    per_size: dict[int, float] = {}
    for n in sizes:
        log(f"synthetic: {n} tokens x {CONTEXTS} contexts")
        resolver = generate(WORK / f"write-cost-{n}", n, CONTEXTS)
        with fresh_database(args.postgres, f"write_cost_{n}") as url:
            app, key = primer_with_key(url, resolver)
            per_size[n], info = write_ms(app, key, SYNTHETIC_PATH, args.runs)
            from graphql_api.store import db  # noqa: PLC0415

            db.get_engine(app).dispose()
        out[f"synthetic_{n}_write_ms"] = per_size[n]
        out[f"synthetic_{n}_write_check"] = info
    smallest = sizes[0]
    for n in sizes[1:]:
        out[f"synthetic_{n}_vs_{smallest}"] = per_size[n] / per_size[smallest]
    for k, v in out.items():
        print(f"{k}: {round(v, 3) if isinstance(v, float) else v}")
    (WORK.parent / "write_cost.json").write_text(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()

"""(e) Import of the whole Primer resolver document through the CLI, wall time.

Each run: a freshly migrated database (SQLite file, or a new PostgreSQL database), then
``flask --app app tokens import PRIMER`` timed from process start to exit. Baselines in the
same run: the CLI's own start-up (``flask --app app tokens --help``) and Style Dictionary
resolving every theme x pointer combination in one fresh Node process.
"""

from __future__ import annotations

import os
from typing import Any

from .common import (
    PRIMER,
    WORK,
    import_tokens,
    log,
    median,
    migrate,
    postgres_database,
    run_cli,
    sqlite_url,
)


def sqlite_runs(runs: int) -> list[float]:
    """Import wall times (s) on fresh SQLite files."""
    out = []
    for i in range(runs):
        path = WORK / f"import-{i}.sqlite3"
        for p in WORK.glob(f"{path.name}*"):
            p.unlink()
        url = sqlite_url(path)
        migrate(url)
        out.append(import_tokens(url, PRIMER))
    return out


def postgres_runs(runs: int) -> list[float]:
    """Import wall times (s) on fresh PostgreSQL databases."""
    out = []
    for _ in range(runs):
        with postgres_database(f"tokens_bench_import_{os.getpid()}") as url:
            migrate(url)
            out.append(import_tokens(url, PRIMER))
    return out


def cli_startup(runs: int) -> float:
    """Median wall time (s) of ``flask --app app tokens --help`` (the floor of any CLI run)."""
    url = sqlite_url(WORK / "startup.sqlite3")
    return median(
        [run_cli(["flask", "--app", "app", "tokens", "--help"], url) for _ in range(runs)]
    )


def run(*, runs: int, sd_all: dict[str, Any]) -> list[dict[str, Any]]:
    """Rows for SQLite and PostgreSQL."""
    startup = cli_startup(max(3, runs))
    rows = []
    for db_name, fn in (("SQLite", sqlite_runs), ("PostgreSQL", postgres_runs)):
        log(f"import Primer ({db_name}) x{runs}")
        walls = fn(runs)
        rows.append(
            {
                "item": f"(e) import Primer, CLI wall ({db_name}, fresh db)",
                "import_s": median(walls),
                "runs_s": walls,
                "cli_startup_s": startup,
                "x_startup": median(walls) / startup,
                "sd_all_s": sd_all["wall_s"],
                "x_sd_all": median(walls) / sd_all["wall_s"],
            }
        )
    return rows

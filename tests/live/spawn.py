"""Server processes forked from a process that has already imported the server's code.

A fresh ``python -m uvicorn asgi:app`` spends ~1.7 s of CPU importing Strawberry,
SQLAlchemy, psycopg and the package before it listens, and the live tests start one per
test. A :mod:`multiprocessing` fork server (one per test process) imports that code once;
each server is then a fork of it that sets its own environment, cwd and log, and runs
uvicorn's own command line, so it is still a separate ``uvicorn asgi:app`` process with
the test's settings (read from the environment when ``asgi`` is imported, in the fork).
A ``flask`` CLI command that must run in another process is forked the same way.
"""

from __future__ import annotations

import multiprocessing
import os
import subprocess
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

#: Imported once by the fork server (the slow part of starting a server); ``asgi`` itself
#: is not (it builds the app from the environment, which differs per server).
PRELOAD = [
    "tests.live.spawn",
    "graphql_api.web.asgi",
    "uvicorn.main",
    "flask.cli",
    "uvicorn.protocols.http.httptools_impl",
    "uvicorn.lifespan.on",
    "uvloop",
    "sqlalchemy.dialects.sqlite.pysqlite",
    "sqlalchemy.dialects.postgresql.psycopg",
]

_CONTEXT = multiprocessing.get_context("forkserver")
_CONTEXT.set_forkserver_preload(PRELOAD)


def _main(command: str, args: list[str], env: dict[str, str], cwd: str, log: str) -> None:
    """In the fork: its environment, cwd and log, then ``uvicorn ARGS`` or ``flask ARGS``."""
    fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    os.close(fd)
    os.environ.clear()
    os.environ.update(env)
    os.chdir(cwd)
    sys.path.insert(0, cwd)  # as ``python -m``: the ``app`` and ``asgi`` modules
    # Preloaded: already imported in the fork server.
    if command == "uvicorn":
        import uvicorn.main  # noqa: PLC0415

        uvicorn.main.main(args=args, prog_name="uvicorn")
    else:
        import flask.cli  # noqa: PLC0415

        flask.cli.cli.main(args=args, prog_name="flask")


class ServerProcess:
    """A forked ``uvicorn ARGS`` (or ``flask ARGS``), with the part of Popen the tests use."""

    def __init__(
        self, args: list[str], env: dict[str, str], cwd: Path, log: Path, command: str = "uvicorn"
    ) -> None:
        self._process = _CONTEXT.Process(
            target=_main, args=(command, args, env, str(cwd), str(log)), daemon=True
        )
        self._process.start()
        self.args = [command, *args]

    @property
    def pid(self) -> int:
        """The server's process id."""
        pid = self._process.pid
        assert pid is not None
        return pid

    def poll(self) -> int | None:
        """Its exit code, or ``None`` while it runs."""
        return self._process.exitcode

    def terminate(self) -> None:
        """SIGTERM: uvicorn shuts down gracefully."""
        self._process.terminate()

    def kill(self) -> None:
        """SIGKILL."""
        self._process.kill()

    def wait(self, timeout: float | None = None) -> int:
        """Its exit code once it exits; :class:`subprocess.TimeoutExpired` after ``timeout``."""
        self._process.join(timeout)
        code = self._process.exitcode
        if code is None:
            raise subprocess.TimeoutExpired(self.args, timeout or 0)
        return code

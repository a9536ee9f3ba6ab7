"""Another OS process for a test, forked from the test's (as gunicorn forks its workers).

A forked child has the modules imported already, so it starts in milliseconds instead of
the ~3 s a fresh interpreter takes to import the app; it shares no memory with the test
after the fork, so what it learns of the test's writes it learns through the database. It
must make its own app (engine, caches, revision clock): it never uses the test's.
"""

from __future__ import annotations

import multiprocessing
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from collections.abc import Callable
    from multiprocessing.connection import Connection
    from multiprocessing.process import BaseProcess

#: Seconds to wait for a message from a child before failing the test.
TIMEOUT = 300


@dataclass
class Child:
    """A forked child and the test's end of the pipe to it."""

    process: BaseProcess
    pipe: Connection

    def send(self, message: Any) -> None:
        """Send ``message`` to the child."""
        self.pipe.send(message)

    def receive(self) -> Any:
        """The child's next message; fail the test if it ends or says nothing in time."""
        if not self.pipe.poll(TIMEOUT):
            pytest.fail(f"no message from the child process within {TIMEOUT} s")
        try:
            return self.pipe.recv()
        except EOFError:
            self.process.join(10)
            code = self.process.exitcode
            pytest.fail(f"the child process ended (exit code {code}); its stderr says why")

    def end(self) -> int | None:
        """Close the pipe, wait for the child (killed if it hangs); its exit code."""
        self.pipe.close()
        self.process.join(60)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        return self.process.exitcode


def _run(target: Callable[..., None], mine: Connection, theirs: Connection, *args: Any) -> None:
    """In the child: close the test's end (so the child sees EOF when the test closes it)."""
    mine.close()
    target(theirs, *args)


def fork(target: Callable[..., None], *args: Any) -> Child:
    """Run ``target(pipe, *args)`` in a forked child; ``pipe`` is the child's end."""
    ctx = multiprocessing.get_context("fork")
    mine, theirs = ctx.Pipe()
    process = ctx.Process(target=_run, args=(target, mine, theirs, *args), daemon=True)
    process.start()
    theirs.close()
    return Child(process, mine)

"""A process killed in the middle of an import leaves the previous data exactly as it was.

The first import (the small themed document) is the previous data. A second import, of
Primer, runs in its own OS process and gets SIGKILL once it reports that it is writing
values; the database must still hold the first import, unchanged, and must take the next
import normally. On SQLite the WAL is rolled back on the next open; on PostgreSQL the
server aborts the dead connection's transaction.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from tests.helpers import PRIMER, import_tokens, stored_state, write_themed

if TYPE_CHECKING:
    from flask import Flask

ROOT = Path(__file__).resolve().parents[2]


def test_sigkill_during_an_import_keeps_the_previous_data(
    app: Flask, database_url: str, tmp_path: Path
) -> None:
    import_tokens(app.test_cli_runner(), write_themed(tmp_path / "v1", 4, ("light", "dark")))
    before = stored_state(app)
    env = {**os.environ, "DATABASE_URL": database_url, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "app", "tokens", "import", str(PRIMER)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert proc.stdout is not None
    seen = []
    for line in proc.stdout:
        seen.append(line)
        if "writing values" in line:  # tokens are written, values are being written
            time.sleep(0.2)
            break
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL, "".join(seen)
    assert any("writing values" in line for line in seen), "".join(seen)
    assert stored_state(app) == before
    import_tokens(app.test_cli_runner(), write_themed(tmp_path / "v2", 8, ("light", "dark")))
    after = stored_state(app)
    assert after.revision > before.revision
    assert after.values != before.values

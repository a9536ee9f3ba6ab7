"""An SQLite database whose storage cannot be written answers 503, and the process lives on.

In WAL mode SQLite writes the database file, its ``-wal`` and its ``-shm`` (the wal-index it
maps into memory). When the folder is a read-only mount, the disk is full or ``-shm`` is not
a regular file, every request must get HTTP 503 with the GraphQL error
``DATABASE_UNAVAILABLE`` (never a crash: SIGBUS kills a process whose mapped ``-shm`` cannot
be extended), and the server must recover by itself once the storage is fixed.

SQLite only: these are faults of a file database (PostgreSQL's storage is the server's).
Tests run as root, for whom ``chmod`` does not stop writes, so the faults are made by:

- ``-shm`` (or ``-wal``) replaced by a directory: SQLite would otherwise open the database
  and answer reads; the connection check refuses it.
- ``?mode=ro`` (an SQLite URI): writes fail with "attempt to write a readonly database".
- a real full disk, then a real read-only mount: a small tmpfs in a private mount namespace
  (``unshare -m``), in a subprocess whose exit status shows it was not killed by a signal;
  skipped where the machine does not allow mounts. The full disk leaves a ``-shm`` SQLite
  could not extend and a ``-wal``; on the read-only mount SQLite would open those
  read-only and answer reads, the connection check refuses them.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from http import HTTPStatus
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from graphql_api import create_app
from graphql_api.errors import ErrorCode
from graphql_api.store import db
from graphql_api.store.db import unwritable_reason
from graphql_api.store.models import Base
from graphql_api.web import auth

if TYPE_CHECKING:
    from flask import Flask
    from flask.testing import FlaskClient

ROOT = Path(__file__).resolve().parents[2]
QUERY = "{ revision }"
MUTATION = 'mutation { createModifier(input: {name: "theme", contexts: ["light"]}) { __typename } }'


def migrated(path: Path) -> str:
    """Create the tables in a new SQLite file; return a write key (every file closed after)."""
    app = create_app({"TESTING": True, "DATABASE_URL": f"sqlite:///{path}"})
    Base.metadata.create_all(db.get_engine(app))
    with app.app_context():
        session = db.get_session()
        key = auth.create_key(session, "writer", "write")
        session.commit()
    db.get_engine(app).dispose()  # the last connection removes -wal and -shm
    return key


def post(client: FlaskClient, query: str, key: str) -> tuple[int, Any, str | None]:
    """(status, JSON body, Retry-After) of one GraphQL request."""
    response = client.post(
        "/graphql", json={"query": query}, headers={"Authorization": f"Bearer {key}"}
    )
    return response.status_code, response.get_json(), response.headers.get("Retry-After")


def assert_unavailable(status: int, body: Any, retry_after: str | None) -> None:
    assert status == HTTPStatus.SERVICE_UNAVAILABLE, body
    assert [e["extensions"]["code"] for e in body["errors"]] == [ErrorCode.DATABASE_UNAVAILABLE]
    assert "cannot be written" in body["errors"][0]["message"]
    assert retry_after == "5"


@pytest.fixture
def sqlite_file(tmp_path: Path) -> tuple[Path, str]:
    path = tmp_path / "tokens.sqlite3"
    return path, migrated(path)


def _app(url: str) -> Flask:
    return create_app({"TESTING": True, "DATABASE_URL": url})


@pytest.mark.parametrize("suffix", ["-shm", "-wal"])
def test_a_wal_file_that_is_a_directory_gives_503_until_it_is_fixed(
    sqlite_file: tuple[Path, str], suffix: str
) -> None:
    path, key = sqlite_file
    blocker = Path(f"{path}{suffix}")
    blocker.mkdir()
    app = _app(f"sqlite:///{path}")
    try:
        client = app.test_client()
        assert_unavailable(*post(client, QUERY, key))
        assert_unavailable(*post(client, MUTATION, key))
        ready = client.get("/readyz")
        assert ready.status_code == HTTPStatus.SERVICE_UNAVAILABLE
        assert ready.get_json()["errors"][0]["extensions"]["code"] == "DATABASE_UNAVAILABLE"

        blocker.rmdir()  # fixed: the next request connects again, no restart
        status, body, _ = post(client, QUERY, key)
        assert (status, body) == (HTTPStatus.OK, {"data": {"revision": 0}})
    finally:
        db.get_engine(app).dispose()


def test_a_write_to_a_read_only_database_gives_503(sqlite_file: tuple[Path, str]) -> None:
    path, key = sqlite_file
    app = _app(f"sqlite:///file:{path}?mode=ro&uri=true")
    try:
        client = app.test_client()
        status, body, _ = post(client, QUERY, key)
        assert (status, body) == (HTTPStatus.OK, {"data": {"revision": 0}})  # reads still work
        assert_unavailable(*post(client, MUTATION, key))
    finally:
        db.get_engine(app).dispose()


def test_unwritable_reason_names_the_path_and_the_problem(tmp_path: Path) -> None:
    path = tmp_path / "tokens.sqlite3"
    assert unwritable_reason(str(path)) is None  # nothing yet: SQLite creates the files
    path.write_bytes(b"")
    Path(f"{path}-wal").write_bytes(b"")
    assert unwritable_reason(str(path)) is None
    Path(f"{path}-shm").mkdir()
    assert unwritable_reason(str(path)) == f"{path}-shm is not a regular file"
    assert unwritable_reason(str(tmp_path / "missing" / "tokens.sqlite3")) is None  # SQLite's


PROBE = """
import json, sys
from graphql_api import create_app
from graphql_api.store import db
app = create_app({"TESTING": True, "DATABASE_URL": "sqlite:///" + sys.argv[1]})
client = app.test_client()
for query in sys.argv[3:]:
    r = client.post("/graphql", json={"query": query},
                    headers={"Authorization": "Bearer " + sys.argv[2]})
    print(json.dumps([r.status_code, r.get_json(), r.headers.get("Retry-After")]))
db.get_engine(app).dispose()
"""

MOUNTED = """
set -e
mount -t tmpfs -o size=1m tmpfs "$MNT"
"$PY" -c "$MIGRATE" "$MNT/tokens.sqlite3" > "$MNT/key"
key=$(cat "$MNT/key")
"$PY" -c "$PROBE" "$MNT/tokens.sqlite3" "$key" "$QUERY" "$MUTATION"
echo ---
dd if=/dev/zero of="$MNT/fill" bs=4k 2>/dev/null || true
"$PY" -c "$PROBE" "$MNT/tokens.sqlite3" "$key" "$QUERY" "$MUTATION"
echo ---
rm "$MNT/fill"
ls -l "$MNT" >&2
mount -o remount,ro "$MNT"
"$PY" -c "$PROBE" "$MNT/tokens.sqlite3" "$key" "$QUERY" "$MUTATION"
"""

MIGRATE = """
import sys
from pathlib import Path
from tests.db.test_unwritable_sqlite import migrated
print(migrated(Path(sys.argv[1])), end="")
"""


def _can_mount() -> bool:
    if shutil.which("unshare") is None:
        return False
    probe = subprocess.run(
        ["unshare", "-m", "sh", "-c", "mount -t tmpfs -o size=64k tmpfs /mnt"],
        capture_output=True,
        check=False,
    )
    return probe.returncode == 0


def test_a_read_only_mount_and_a_full_disk_give_503_without_killing_the_process(
    tmp_path: Path,
) -> None:
    if not _can_mount():
        pytest.skip("this machine does not allow a private mount namespace (unshare -m)")
    mnt = tmp_path / "mnt"
    mnt.mkdir()
    env = {
        "PATH": "/usr/bin:/bin:/usr/sbin:/sbin",
        "PY": sys.executable,
        "MNT": str(mnt),
        "PROBE": PROBE,
        "MIGRATE": MIGRATE,
        "QUERY": QUERY,
        "MUTATION": MUTATION,
    }
    proc = subprocess.run(
        ["unshare", "-m", "sh", "-c", MOUNTED],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr  # a signal (SIGBUS: -7) fails here
    writable, full, read_only = (
        [json.loads(line) for line in part.strip().splitlines()]
        for part in proc.stdout.split("---\n")
    )
    assert writable[0][:2] == [HTTPStatus.OK, {"data": {"revision": 0}}]
    assert writable[1][0] == HTTPStatus.OK
    for status, body, retry_after in [*read_only, *full]:
        assert_unavailable(status, body, retry_after)

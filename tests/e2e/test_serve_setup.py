"""``make serve`` never loses data: HOST/PORT checked first, the demo only into an empty database.

The pieces ``make serve`` runs are tested one by one (the check of the address, ``tokens
import --if-empty`` on both databases) and the Makefile's order is read with ``make -n``.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from graphql_api.web.listen import ListenError, check_listen, main, parse_port
from tests.helpers import PRIMER, SMALL_EXAMPLE, import_tokens, stored_state

if TYPE_CHECKING:
    from flask import Flask
    from flask.testing import FlaskCliRunner

ROOT = Path(__file__).resolve().parents[2]


def test_a_taken_port_is_refused_with_what_to_do() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(ListenError, match=f"port {port} on 127.0.0.1 is already in use"):
            check_listen("127.0.0.1", port)


def test_a_free_port_passes_and_is_left_free() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    check_listen("127.0.0.1", port)
    with socket.socket() as again:  # check_listen released it
        again.bind(("127.0.0.1", port))


@pytest.mark.parametrize("text", ["", "abc", "0", "65536", "-1", "80.5"])
def test_bad_ports_are_refused(text: str) -> None:
    with pytest.raises(ListenError, match="PORT must be a number from 1 to 65535"):
        parse_port(text)


def test_an_unknown_host_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--host", "no-such-host.invalid", "--port", "8080"]) == 2
    err = capsys.readouterr().err
    assert "HOST 'no-such-host.invalid'" in err
    assert "Nothing was changed" in err


def test_import_if_empty_imports_into_an_empty_database_and_says_so(
    app: Flask, runner: FlaskCliRunner
) -> None:
    result = runner.invoke(args=["tokens", "import", "--if-empty", str(SMALL_EXAMPLE)])
    assert result.exit_code == 0, result.output
    assert "The database is empty: importing" in result.output
    assert stored_state(app).revision == 1
    assert "dimensions.2" in stored_state(app).paths


def test_import_if_empty_keeps_existing_data(app: Flask, runner: FlaskCliRunner) -> None:
    import_tokens(runner, SMALL_EXAMPLE)
    before = stored_state(app)
    result = runner.invoke(args=["tokens", "import", "--if-empty", str(PRIMER)])
    assert result.exit_code == 0, result.output
    assert "already holds tokens (revision 1)" in result.output
    assert "your data is kept" in result.output
    assert stored_state(app) == before


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_serve_checks_the_address_first_and_installs_only_what_serving_needs() -> None:
    out = subprocess.run(
        ["make", "-n", "-B", "serve", "HOST=0.0.0.0", "PORT=8080"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    lines = out.splitlines()

    def first(text: str) -> int:
        return next(i for i, line in enumerate(lines) if text in line)

    check = first("graphql_api.web.listen --host '0.0.0.0' --port '8080'")
    assert check < first("alembic upgrade head") < first("tokens import --if-empty")
    serve = first("uvicorn asgi:app --host '0.0.0.0' --port '8080'")
    assert first("tokens import --if-empty") < serve
    installs = [line for line in lines if "pip install" in line]
    assert any(line.rstrip().endswith("-r requirements/app.lock") for line in installs)
    assert any(line.rstrip().endswith("--no-deps -e .") for line in installs)
    assert not [i for i in installs if "dev.lock" in i or "[test" in i], installs

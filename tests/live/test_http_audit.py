"""The ``graphql-http`` package's server audits (GraphQL over HTTP) against ``uvicorn asgi:app``.

Every MUST and SHOULD audit passes, and the MAY audits on non-object ``variables`` and
``extensions`` (400). Needs Node.js and ``npm ci --prefix tests/http_audit`` (``.ci/run``
does it); skipped without them unless ``TOKENS_REQUIRE_NPM=1``, where it fails instead.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from typing import TYPE_CHECKING

import pytest

from tests.live.conftest import ROOT

if TYPE_CHECKING:
    from tests.live.conftest import LiveServer

AUDIT = ROOT / "tests" / "http_audit"
NODE = shutil.which("node")
REQUIRE_NPM = os.environ.get("TOKENS_REQUIRE_NPM") == "1"
INSTALLED = (AUDIT / "node_modules" / "graphql-http").is_dir()


def test_graphql_http_server_audits_pass(live: LiveServer) -> None:
    if NODE is None or not INSTALLED:
        missing = "node is not on PATH" if NODE is None else "run: npm ci --prefix tests/http_audit"
        if REQUIRE_NPM:
            pytest.fail(f"TOKENS_REQUIRE_NPM=1 but {missing}", pytrace=False)
        pytest.skip(missing)
    proc = subprocess.run(
        [NODE, "audit.mjs", live.url + "/graphql"],
        cwd=AUDIT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    results = [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")]
    failed = [r for r in results if r["required"] and r["status"] != "ok"]
    assert failed == [], "\n".join(f"{r['id']} {r['name']}: {r['reason']}" for r in failed)
    assert proc.returncode == 0, proc.stderr
    assert len([r for r in results if r["required"]]) > 40  # the audits did run

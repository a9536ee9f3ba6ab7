"""Browser tests: Playwright (PyPI) driving Debian's Chromium, headless.

Fixtures:
    server: a real server process (``flask run``) on a temporary SQLite database with
        Primer imported through the CLI; ``server.url`` is its base URL. Module-scoped.
    page: a Chromium page that can reach 127.0.0.1 only (every other host is refused,
        so nothing can come from a CDN). Screenshots go to ``test-artifacts/browser/``.

Without Chromium (``TOKENS_CHROMIUM``, default ``/usr/bin/chromium``) the tests are
skipped with the reason, or fail when ``TOKENS_REQUIRE_BROWSER=1`` (``.ci/run`` sets it).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.helpers import PRIMER

if TYPE_CHECKING:
    from collections.abc import Iterator

    from playwright.sync_api import Browser, Page, Route

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "browser"
CHROMIUM = os.environ.get("TOKENS_CHROMIUM", "/usr/bin/chromium")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def wait_for(url: str, timeout: float = 30.0) -> None:
    """Poll ``url`` until it answers (any status), or fail."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            urllib.request.urlopen(url, timeout=2)  # noqa: S310 - our own local URL
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


@dataclass(frozen=True)
class Server:
    """A running server process."""

    url: str


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """``flask run`` on a new SQLite database holding Primer."""
    folder = tmp_path_factory.mktemp("server")
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{folder / 'tokens.sqlite3'}",
           "FLASK_APP": "app"}  # fmt: skip
    flask = [sys.executable, "-m", "flask", "--app", "app"]
    subprocess.run([sys.executable, "-m", "alembic", "upgrade", "head"], cwd=ROOT, env=env,
                   check=True, capture_output=True)  # fmt: skip
    subprocess.run([*flask, "tokens", "import", str(PRIMER)], cwd=ROOT, env=env,  # noqa: S603
                   check=True, capture_output=True)  # fmt: skip
    port = free_port()
    log = (folder / "server.log").open("w")
    proc = subprocess.Popen(  # noqa: S603 - our interpreter, our app
        [*flask, "run", "--host", "127.0.0.1", "--port", str(port)], cwd=ROOT, env=env,
        stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        wait_for(f"http://127.0.0.1:{port}/graphql?query=%7B__typename%7D")
        yield Server(f"http://127.0.0.1:{port}")
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        log.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Headless Debian Chromium through Playwright (no browser download)."""
    if not Path(CHROMIUM).exists():
        reason = f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("TOKENS_REQUIRE_BROWSER") == "1":
            pytest.fail(f"{reason}; TOKENS_REQUIRE_BROWSER=1 requires it", pytrace=False)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright  # noqa: PLC0415 - only with Chromium

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True,
                              args=["--no-sandbox", "--disable-gpu"])  # fmt: skip
        yield b
        b.close()


@pytest.fixture
def page(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A page that reaches 127.0.0.1 only; a screenshot is kept after the test."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    blocked: list[str] = []

    def only_local(route: Route) -> None:
        url = route.request.url
        if url.startswith(("http://127.0.0.1", "http://localhost", "data:", "blob:")):
            route.continue_()
        else:
            blocked.append(url)
            route.abort()

    context.route("**/*", only_local)
    pg = context.new_page()
    csp: list[str] = []
    pg.on("console", lambda m: csp.append(m.text) if "Content Security Policy" in m.text else None)
    yield pg
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    pg.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()
    assert not blocked, f"the page tried to reach other hosts: {blocked}"
    assert not csp, f"the Content-Security-Policy blocked something: {csp}"

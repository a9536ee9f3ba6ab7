"""Browser tests: Playwright (PyPI) driving Debian's Chromium, headless.

Fixtures:
    server: a real server process (``uvicorn asgi:app``, the ASGI entry point: queries,
        GraphiQL and subscriptions) on a temporary SQLite database with Primer imported
        through the CLI (a copy of one the run migrates and imports once); ``server.url``
        is its base URL, ``server.write_key`` a write key, ``server.cli()`` runs the
        ``flask`` CLI on its database. Module-scoped.
    page: a Chromium page that can reach 127.0.0.1 only (every other host is refused,
        so nothing can come from a CDN). Screenshots go to ``test-artifacts/browser/``.
        :func:`local_page` opens more such pages (other contexts, other browsers).
    app_url: ``examples/react`` built against ``server`` (``VITE_GRAPHQL_URL``; the run
        builds once and each module's copy names its server) and served from a port of its
        own, so it calls the API cross-origin. Module-scoped.

Without Chromium (``TOKENS_CHROMIUM``, default ``/usr/bin/chromium``) the tests are
skipped with the reason, or fail when ``TOKENS_REQUIRE_BROWSER=1`` (``.ci/run`` sets it).
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from filelock import FileLock

from tests.conftest import run_folder
from tests.helpers import PRIMER, example_lock, free_port

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from playwright.sync_api import Browser, Page, Route

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "browser"
CHROMIUM = os.environ.get("TOKENS_CHROMIUM", "/usr/bin/chromium")
EXAMPLE = ROOT / "examples" / "react"


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


FLASK = [sys.executable, "-m", "flask", "--app", "app"]
DATABASE = "tokens.sqlite3"
WRITE_KEY = "write-key"
#: The API URL the React example is built with, replaced in each module's copy of the build.
URL_PLACEHOLDER = "http://tokens-api.invalid/graphql"


@dataclass(frozen=True)
class Server:
    """A running server process."""

    url: str
    env: dict[str, str]
    #: A write key (``flask keys create --scope write``, made with the database).
    write_key: str

    def cli(self, *args: str) -> str:
        """Run ``flask ARGS`` on the server's database; return its standard output."""
        done = subprocess.run(
            [*FLASK, *args],
            cwd=ROOT,
            env=self.env,
            check=True,
            capture_output=True,
            text=True,
        )
        return done.stdout


def made_once(
    tmp_path_factory: pytest.TempPathFactory, name: str, make: Callable[[Path], None]
) -> Path:
    """Folder ``name`` of this run, filled by ``make`` in the first process to ask.

    The browser modules run at the same time on different pytest-xdist workers: a file lock
    lets one of them make it while the others wait, then all of them read it.
    """
    shared = run_folder(tmp_path_factory)
    folder = shared / name
    done = shared / f"{name}.done"
    with FileLock(shared / f"{name}.lock"):
        if not done.exists():
            shutil.rmtree(folder, ignore_errors=True)  # a make this run began and did not finish
            folder.mkdir()
            make(folder)
            done.touch()
    return folder


def _migrate_and_import_primer(folder: Path) -> None:
    """Migrate ``folder``'s database, import Primer, make a write key: each through the CLI."""
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{folder / DATABASE}", "FLASK_APP": "app"}
    for command in (
        [sys.executable, "-m", "alembic", "upgrade", "head"],
        [*FLASK, "tokens", "import", str(PRIMER)],
    ):
        subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True)
    printed = subprocess.run(
        [*FLASK, "keys", "create", "--name", "browser-tests", "--scope", "write"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    key = re.search(r"tk_\S+", printed)  # the key, printed once
    assert key, printed
    (folder / WRITE_KEY).write_text(key.group(0))
    with sqlite3.connect(folder / DATABASE) as conn:  # fold the WAL in: one file to copy
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """``uvicorn asgi:app`` on a new SQLite database holding Primer.

    The database is a copy of one the run migrated and imported Primer into once (the
    modules write to theirs: usage, edits).
    """
    primer = made_once(tmp_path_factory, "browser-primer", _migrate_and_import_primer)
    folder = tmp_path_factory.mktemp("server")
    shutil.copyfile(primer / DATABASE, folder / DATABASE)
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{folder / DATABASE}", "FLASK_APP": "app"}
    port = free_port()
    log = (folder / "server.log").open("w")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "asgi:app",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--timeout-graceful-shutdown",
            "5",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_for(f"http://127.0.0.1:{port}/graphql?query=%7B__typename%7D")
        yield Server(f"http://127.0.0.1:{port}", env, (primer / WRITE_KEY).read_text())
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)
        log.close()


def _build_react_example(out: Path) -> None:
    """``npm run build`` of ``examples/react`` into ``out``, its API URL a placeholder.

    Once per run (the build, with its codegen, writes into ``examples/react`` too).
    """
    npm = shutil.which("npm")
    assert npm is not None
    with example_lock(EXAMPLE):  # tests/frontend runs npm in examples/react too
        _npm_build(npm, out)


def _npm_build(npm: str, out: Path) -> None:
    """``npm ci`` if needed, then ``npm run build`` of ``examples/react`` into ``out``."""
    stamp = EXAMPLE / "node_modules" / ".package-lock.json"  # written by every npm install
    lock = EXAMPLE / "package-lock.json"
    if not stamp.exists() or stamp.stat().st_mtime < lock.stat().st_mtime:
        subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund"],
            cwd=EXAMPLE,
            check=True,
            capture_output=True,
            timeout=600,
        )
    env = {**os.environ, "VITE_GRAPHQL_URL": URL_PLACEHOLDER}
    build = subprocess.run(
        [npm, "run", "build", "--", "--outDir", str(out), "--emptyOutDir"],
        cwd=EXAMPLE,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert build.returncode == 0, build.stdout[-3000:] + build.stderr[-3000:]


@pytest.fixture(scope="session")
def _react_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The run's build of ``examples/react`` (:func:`_build_react_example`).

    ``app_url`` asks for it before ``server``: while one worker builds, another can make
    the Primer database the servers copy.
    """
    if shutil.which("npm") is None:
        if os.environ.get("TOKENS_REQUIRE_BROWSER") == "1":
            pytest.fail("npm is needed to build examples/react", pytrace=False)
        pytest.skip("npm is not installed")
    return made_once(tmp_path_factory, "react-dist", _build_react_example)


@pytest.fixture(scope="module")
def app_url(
    _react_build: Path, server: Server, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """``examples/react`` built against ``server``, served by a static server of its own.

    The run builds it once with a placeholder API URL (:func:`_build_react_example`); each
    module serves a copy whose scripts name its own server instead, as a build with
    ``VITE_GRAPHQL_URL`` set to that server would.
    """
    out = tmp_path_factory.mktemp("react-dist") / "dist"
    shutil.copytree(_react_build, out)
    replaced = 0
    for script in out.rglob("*.js"):
        text = script.read_text(encoding="utf-8")
        replaced += text.count(URL_PLACEHOLDER)
        script.write_text(text.replace(URL_PLACEHOLDER, f"{server.url}/graphql"), "utf-8")
    assert replaced, f"the build does not contain {URL_PLACEHOLDER}"
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(out))
    httpd = ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()


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
        b = p.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        yield b
        b.close()


@contextmanager
def local_page(browser: Browser, screenshot: str) -> Iterator[Page]:
    """A page in a new context of ``browser`` that reaches 127.0.0.1 only.

    On exit a full-page screenshot is saved as ``test-artifacts/browser/SCREENSHOT.png`` and
    the context is closed; then the test fails if the page tried another host or the
    Content-Security-Policy blocked something.
    """
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
    try:
        yield pg
    finally:  # the screenshot is kept when the test failed too
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        pg.screenshot(path=str(ARTIFACTS / f"{screenshot}.png"), full_page=True)
        context.close()
    assert not blocked, f"the page tried to reach other hosts: {blocked}"
    assert not csp, f"the Content-Security-Policy blocked something: {csp}"


@pytest.fixture
def page(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A page that reaches 127.0.0.1 only; a screenshot is kept after the test."""
    with local_page(browser, request.node.name) as pg:
        yield pg

"""Issue 8, "Done means": after a few page loads of the React example, `deprecatedInUse`
names the deprecated token the example still requests, with the example as its client.

The example reads ``focus.outlineColor`` (Primer deprecated it for ``focus.outline-color``)
for its focus ring and names itself with the ``apollographql-client-name`` header.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING, Any

from playwright.sync_api import expect

from tests.browser.conftest import local_page
from tests.browser.test_react_live import post

if TYPE_CHECKING:
    from playwright.sync_api import Browser

    from tests.browser.conftest import Server

DEPRECATED_IN_USE = """query ($since: Date!) {
  deprecatedInUse(since: $since) {
    path deprecated { reason } total clients { client count }
  }
}"""
USAGE = """query ($path: String!) {
  usage(path: $path) { total clients { client count } }
}"""


def test_deprecated_in_use_names_what_the_example_still_requests(
    browser: Browser, app_url: str, server: Server
) -> None:
    today = dt.datetime.now(dt.UTC).date().isoformat()
    before = post(server, USAGE, {"path": "focus.outlineColor"})["usage"]
    loads = 3
    with local_page(browser, "react-usage") as page:
        for _ in range(loads):
            page.goto(app_url)
            expect(page.locator('[data-testid="swatch"]').first).to_be_visible(timeout=30_000)

    report = post(server, DEPRECATED_IN_USE, {"since": today})["deprecatedInUse"]
    by_path: dict[str, Any] = {entry["path"]: entry for entry in report}
    assert "focus.outlineColor" in by_path, json.dumps(report, indent=1)
    entry = by_path["focus.outlineColor"]
    assert entry["deprecated"]["reason"] == "{focus.outline-color}"  # Primer's own text
    clients = {c["client"]: c["count"] for c in entry["clients"]}
    assert clients.get("react-example", 0) >= loads
    # Only tokens the example requests are listed: its palette and type scale are not deprecated.
    assert all(
        "react-example" not in {c["client"] for c in e["clients"]}
        or e["path"] == "focus.outlineColor"
        for e in report
    )

    after = post(server, USAGE, {"path": "focus.outlineColor"})["usage"]
    assert after["total"] - before["total"] >= loads
    printed = server.cli("tokens", "usage", "--deprecated-in-use", "--since", today)
    assert "focus.outlineColor" in printed
    assert "react-example" in printed

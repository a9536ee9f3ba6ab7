"""Issue 8, "Done means": the React example open in two browsers, a token changed through
GraphiQL, and both repaint within a second.

Two Chromium processes (the fixture's and one more) each open ``examples/react`` (built
against the server, served from another port: cross-origin, as in ``test_react_example``)
and subscribe over WebSocket. A third page, GraphiQL at ``/graphql``, changes
``base.color.blue.5``: the mutation is typed into the query editor and the write key into
the headers editor, then the run button is pressed, as a person would. Both apps must then
show the new colour on every swatch that derives from the token in their theme (found with
the server's ``impact`` query) and on no other swatch, each within a second of the moment
the browser received the mutation's response. The times are printed (``pytest -s``).

Each app page times its own repaint: a ``MutationObserver`` notices the new computed colour,
and the next animation frame (just before the browser paints) records ``Date.now()``; the
mutation's response time is the browser's own network timing of that response. Both are
wall-clock times of this machine, so they compare across pages and processes.
"""

from __future__ import annotations

import json
import urllib.request
from typing import TYPE_CHECKING, Any

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS, CHROMIUM, local_page

if TYPE_CHECKING:
    from collections.abc import Mapping

    from playwright.sync_api import Browser, Page

    from tests.browser.conftest import Server

EDITED_PATH = "base.color.blue.5"
NEW_HEX = "#cc3366"
NEW_RGB = "rgb(204, 51, 102)"
DEADLINE_MS = 1000  # the "within a second"
MUTATION = (
    'mutation LiveUpdate { updateToken(input: {path: "base.color.blue.5", value: '
    '{colorSpace: "srgb", components: [0.8, 0.2, 0.4], hex: "#cc3366"}}) '
    "{ __typename ... on TokenSuccess { revision } ... on ValidationError { message } } }"
)
READ_HEX = """query ($p: String!, $t: [ThemeSelection!]) {
  token(path: $p, theme: $t) { value { ... on ColorValue { hex } } }
}"""
IMPACT = """query ($p: String!) {
  impact(path: $p) { themes { theme { modifier context } tokens { path } } }
}"""
EDITOR_VALUE = "document.querySelector({selector!r}).CodeMirror.getValue()"
QUERY_EDITOR = ".graphiql-query-editor .CodeMirror"
HEADERS_EDITOR = ".graphiql-editor-tool .graphiql-editor:not(.hidden) .CodeMirror"

# Installed in an app page before the write: records when each watched swatch first shows
# the new colour (`committed`, when the DOM changed) and the next frame (`frame`).
WATCH_REPAINT = """([paths, want]) => {
  window.__repaint = {};
  const check = () => {
    for (const path of paths) {
      if (window.__repaint[path]) continue;
      const el = document.querySelector(`[data-testid="swatch"][data-path="${path}"]`);
      if (el && getComputedStyle(el).backgroundColor === want) {
        const seen = { committed: Date.now() };
        window.__repaint[path] = seen;
        requestAnimationFrame(() => { seen.frame = Date.now(); });
      }
    }
  };
  new MutationObserver(check).observe(document.body,
    { subtree: true, childList: true, attributes: true, characterData: true });
  check();
}"""
REPAINTED = "paths => paths.every(p => window.__repaint[p] && window.__repaint[p].frame)"


def post(server: Server, query: str, variables: Mapping[str, Any] | None = None) -> Any:
    """The ``data`` of a read over HTTP (no key: reads are open)."""
    body = json.dumps({"query": query, "variables": dict(variables or {})}).encode()
    request = urllib.request.Request(  # noqa: S310 - our own local URL
        f"{server.url}/graphql", data=body, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        result = json.load(response)
    assert "errors" not in result, result["errors"]
    return result["data"]


def default_theme(server: Server) -> list[dict[str, str]]:
    """The app's theme before any pick: every modifier at its default context."""
    modifiers = post(server, "{ modifiers { name default } }")["modifiers"]
    return [{"modifier": m["name"], "context": m["default"]} for m in modifiers]


def dependent_paths(server: Server, theme: list[dict[str, str]]) -> set[str]:
    """``EDITED_PATH`` and every token whose value in ``theme`` derives from it (``impact``)."""
    impact = post(server, IMPACT, {"p": EDITED_PATH})
    wanted = sorted((s["modifier"], s["context"]) for s in theme)
    for entry in impact["impact"]["themes"]:
        if sorted((s["modifier"], s["context"]) for s in entry["theme"]) == wanted:
            return {EDITED_PATH} | {t["path"] for t in entry["tokens"]}
    pytest.fail(f"impact({EDITED_PATH}) lists no theme {wanted}")


def swatch_colours(page: Page) -> dict[str, str]:
    """data-path → computed background-color of every swatch."""
    result: dict[str, str] = page.eval_on_selector_all(
        '[data-testid="swatch"]',
        "els => Object.fromEntries(els.map(e => "
        "[e.dataset.path, getComputedStyle(e).backgroundColor]))",
    )
    return result


def open_app(page: Page, app_url: str) -> dict[str, str]:
    """Load the app, wait for its swatches and its live connection; return the colours."""
    page.goto(app_url)
    expect(page.locator('[data-testid="swatch"]').first).to_be_visible(timeout=30_000)
    expect(page.locator('[data-testid="live-status"]')).to_have_text("live", timeout=15_000)
    return swatch_colours(page)


def repainted(page: Page, paths: list[str], timeout_ms: float = 15_000) -> bool:
    """Whether every one of ``paths`` has repainted (see ``WATCH_REPAINT``) in time."""
    try:
        page.wait_for_function(REPAINTED, arg=paths, timeout=timeout_ms)
    except PlaywrightError:
        return False
    return True


def type_into(page: Page, selector: str, text: str, *, json_value: bool = False) -> None:
    """Type ``text`` into a GraphiQL editor (CodeMirror) by keyboard, retrying lost keys."""
    value = EDITOR_VALUE.format(selector=selector)
    typed = ""
    for _ in range(5):  # a keystroke lost under load is typed again, never faked
        page.locator(selector).click()
        page.keyboard.press("Control+A")
        page.keyboard.press("Delete")
        page.wait_for_function(f"({value}) === ''", timeout=5_000)
        page.keyboard.type(text, delay=10)
        typed = page.evaluate(value)
        if json_value:
            try:
                if json.loads(typed) == json.loads(text):
                    return
            except json.JSONDecodeError:
                continue
        elif " ".join(typed.split()) == text:
            return
    pytest.fail(f"typed {text!r} but the editor holds {typed!r}")


def run_mutation_in_graphiql(page: Page, server: Server, key: str) -> tuple[int, float]:
    """Type ``MUTATION`` and the key into GraphiQL and run it.

    Returns:
        The new revision, and when the browser received the response (ms since the epoch).
    """
    page.goto(f"{server.url}/graphql")
    expect(page.locator(QUERY_EDITOR)).to_be_visible(timeout=20_000)
    query_value = EDITOR_VALUE.format(selector=QUERY_EDITOR)
    page.wait_for_function(f"({query_value}).includes('query Example')", timeout=20_000)
    type_into(page, QUERY_EDITOR, MUTATION)
    page.get_by_role("button", name="Headers", exact=True).click()
    expect(page.locator(HEADERS_EDITOR)).to_be_visible()
    type_into(page, HEADERS_EDITOR, json.dumps({"Authorization": f"Bearer {key}"}), json_value=True)

    def is_the_mutation(response: Any) -> bool:
        return (
            response.url.startswith(f"{server.url}/graphql")
            and response.request.method == "POST"
            and "updateToken" in (response.request.post_data or "")
        )

    # GraphiQL re-reads the edited document's operations after a pause; until then it may
    # still send the example's operationName, which the server refuses (nothing written).
    for _ in range(20):
        with page.expect_response(is_the_mutation, timeout=15_000) as info:
            page.locator(".graphiql-execute-button").click()
        response = info.value
        response.finished()
        body = response.json()
        if body.get("data") is None:
            assert "operation" in json.dumps(body.get("errors")).lower(), body
            page.wait_for_timeout(300)
            continue
        payload = body["data"]["updateToken"]
        assert payload["__typename"] == "TokenSuccess", payload
        timing = response.request.timing
        assert timing["responseEnd"] >= 0, timing
        expect(page.locator(".graphiql-response")).to_contain_text('"TokenSuccess"')
        return int(payload["revision"]), timing["startTime"] + timing["responseEnd"]
    pytest.fail("GraphiQL never sent the typed mutation")


def test_react_example_repaints_in_two_browsers_within_a_second_of_a_graphiql_edit(
    browser: Browser, app_url: str, server: Server, record_property: Any
) -> None:
    theme = default_theme(server)
    light = {s["modifier"]: s["context"] for s in theme}
    assert light["theme"] == "light"
    before = post(server, READ_HEX, {"p": EDITED_PATH, "t": theme})["token"]["value"]["hex"]
    assert before.lower() == "#0969da"  # Primer's light blue.5, before the edit
    assert before.lower() != NEW_HEX

    second = browser.browser_type.launch(
        executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"]
    )
    try:
        with (
            local_page(browser, "react-live-browser-1") as one,
            local_page(second, "react-live-browser-2") as two,
            local_page(browser, "react-live-graphiql") as graphiql,
        ):
            apps = {"browser 1": one, "browser 2": two}
            shown = {name: open_app(page, app_url) for name, page in apps.items()}
            assert shown["browser 1"] == shown["browser 2"]
            watched = sorted(dependent_paths(server, theme) & shown["browser 1"].keys())
            assert EDITED_PATH in watched
            for page in apps.values():
                assert swatch_colours(page)[EDITED_PATH] == "rgb(9, 105, 218)"
                page.evaluate(WATCH_REPAINT, [watched, NEW_RGB])
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            one.screenshot(path=str(ARTIFACTS / "react-live-before.png"), full_page=True)

            revision, responded_at = run_mutation_in_graphiql(graphiql, server, server.write_key)

            times: dict[str, float] = {}
            for name, page in apps.items():
                if not repainted(page, watched):
                    now = {p: swatch_colours(page)[p] for p in watched}
                    pytest.fail(
                        f"{name} did not repaint {watched} within 15 s of the write "
                        f"(now {now}, want {NEW_RGB})",
                        pytrace=False,
                    )
                frames: dict[str, dict[str, float]] = page.evaluate("window.__repaint")
                times[name] = max(frames[p]["frame"] for p in watched) - responded_at
                expect(page.locator('[data-testid="revision"]')).to_have_text(str(revision))
                now = swatch_colours(page)
                changed = {p for p in now if now[p] != shown[name][p]}
                assert changed == set(watched), f"{name}: {changed} changed, not {watched}"
            for name, ms in times.items():
                print(f"{name}: repainted {ms:.0f} ms after the mutation's response")  # noqa: T201
                record_property(f"repaint_ms_{name.replace(' ', '_')}", round(ms))
            slow = {name: round(ms) for name, ms in times.items() if ms > DEADLINE_MS}
            assert not slow, f"repainted later than {DEADLINE_MS} ms: {slow}"
    finally:
        second.close()

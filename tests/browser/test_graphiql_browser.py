"""GraphiQL at /graphql in a real browser, offline: loads, runs a typed query, shows the result,
and runs a subscription over WebSocket (the server runs ``uvicorn asgi:app``)."""

from __future__ import annotations

import contextlib
import json
import time
import urllib.request
from typing import TYPE_CHECKING

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

if TYPE_CHECKING:
    from playwright.sync_api import Page

    from tests.browser.conftest import Server

QUERY = '{ token(path: "fgColor.default") { path resolvedValue } }'


def test_graphiql_loads_offline_and_runs_a_typed_query(page: Page, server: Server) -> None:
    page.goto(f"{server.url}/graphql")
    editor = page.locator(".graphiql-query-editor .CodeMirror")
    expect(editor).to_be_visible(timeout=20_000)
    value = "document.querySelector('.graphiql-query-editor .CodeMirror').CodeMirror.getValue()"
    # GraphiQL fills the editor (the example query) after it appears: wait for that first.
    page.wait_for_function(f"({value}).includes('query Example')", timeout=20_000)
    typed = ""
    for _ in range(3):  # a keystroke lost under load is typed again, never faked
        editor.click()
        page.keyboard.press("Control+A")
        page.keyboard.press("Delete")
        page.wait_for_function(f"({value}) === ''", timeout=5_000)
        page.keyboard.type(QUERY, delay=15)
        typed = page.evaluate(value)
        if " ".join(typed.split()) == QUERY:
            break
    assert " ".join(typed.split()) == QUERY  # auto-closed brackets were typed over
    response = page.locator(".graphiql-response")
    # GraphiQL re-reads the edited document's operations after a pause; until then it may
    # still send the example's operationName (the server then answers a JSON error).
    for _ in range(20):
        page.locator(".graphiql-execute-button").click()
        try:
            expect(response).to_contain_text('"resolvedValue"', timeout=1_000)
            break
        except AssertionError:
            continue
    expect(response).to_contain_text('"resolvedValue"', timeout=5_000)
    text = response.inner_text()
    assert '"path": "fgColor.default"' in text
    assert "#1f2328" in text.lower()  # Primer's light fgColor.default (the default theme)


SUBSCRIPTION = "subscription Watch { revisionChanged { revision changedPaths } }"


def test_graphiql_runs_a_subscription_over_websocket(page: Page, server: Server) -> None:
    sockets: list[str] = []
    page.on("websocket", lambda ws: sockets.append(ws.url))
    page.goto(f"{server.url}/graphql")
    editor = ".graphiql-query-editor .CodeMirror"
    expect(page.locator(editor)).to_be_visible(timeout=20_000)
    value = f"document.querySelector('{editor}').CodeMirror"
    page.wait_for_function(f"{value}.getValue().includes('query Example')", timeout=20_000)
    page.evaluate(f"{value}.setValue({SUBSCRIPTION!r})")
    response = page.locator(".graphiql-response")
    # GraphiQL re-reads the edited document's operations after a pause: run until it opens
    # the WebSocket (the example's query would go over HTTP instead).
    for _ in range(20):
        page.locator(".graphiql-execute-button").click()
        with contextlib.suppress(PlaywrightError):
            page.wait_for_event("websocket", timeout=500)
        if sockets:
            break
    assert sockets == [server.url.replace("http://", "ws://") + "/graphql"]
    wait_subscribed(server)
    revision = write_blue(server, server.write_key)
    expect(response).to_contain_text(f'"revision": {revision}', timeout=5_000)
    assert '"base.color.blue.5"' in response.inner_text()


def wait_subscribed(server: Server, timeout: float = 10.0) -> None:
    """Until the server holds one subscriber (the subscription reached its hub), or fail."""
    deadline = time.monotonic() + timeout
    while True:
        with urllib.request.urlopen(f"{server.url}/healthz", timeout=5) as answer:  # noqa: S310
            subscribers = json.load(answer)["live"]["subscribers"]
        if subscribers == 1:
            return
        assert time.monotonic() < deadline, f"{subscribers} subscribers after {timeout} s"
        time.sleep(0.05)


def write_blue(server: Server, key: str) -> int:
    """``updateToken base.color.blue.5`` over HTTP with ``key``; the new revision."""
    query = (
        'mutation { updateToken(input: {path: "base.color.blue.5", value: "#123456", '
        'context: {modifier: "theme", context: "dark"}}) '
        "{ __typename ... on TokenSuccess { revision } } }"
    )
    request = urllib.request.Request(  # noqa: S310 - our own local URL
        f"{server.url}/graphql",
        data=json.dumps({"query": query}).encode(),
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {key}"},
    )
    with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310
        payload = json.load(answer)["data"]["updateToken"]
    assert payload["__typename"] == "TokenSuccess", payload
    revision: int = payload["revision"]
    return revision

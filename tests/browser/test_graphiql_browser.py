"""GraphiQL at /graphql in a real browser, offline: loads, runs a typed query, shows the result."""

from __future__ import annotations

from typing import TYPE_CHECKING

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

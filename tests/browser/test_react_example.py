"""The React example in a real browser: Primer's light palette, then dark after switching.

``examples/react`` is built with the server's URL (``VITE_GRAPHQL_URL``) and served from
another port (the ``app_url`` fixture), so the app calls the API cross-origin (CORS). Every
swatch's computed background colour must equal the oracle's value for its token, in light
and then in dark.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS
from tests.helpers import PRIMER_ORACLE, load_oracle

if TYPE_CHECKING:
    from playwright.sync_api import Page

RGB = re.compile(r"rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?\)")


def expected_rgba(value: dict[str, Any]) -> tuple[int, int, int, float]:
    h = value["hex"].lstrip("#")
    alpha = int(h[6:8], 16) / 255 if len(h) == 8 else value.get("alpha", 1.0)
    return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16), alpha


def rendered(page: Page) -> dict[str, str]:
    """data-path → computed background-color of every swatch."""
    result: dict[str, str] = page.eval_on_selector_all(
        '[data-testid="swatch"]',
        "els => Object.fromEntries(els.map(e => "
        "[e.dataset.path, getComputedStyle(e).backgroundColor]))",
    )
    return result


def assert_palette(page: Page, oracle_name: str) -> int:
    """Every rgb swatch equals the oracle; returns how many were compared."""
    oracle = load_oracle(PRIMER_ORACLE / oracle_name)
    compared = 0
    for path, css in rendered(page).items():
        m = RGB.fullmatch(css)
        if m is None:  # a wide-gamut colour keeps its own space: not comparable as rgb
            continue
        r, g, b = (round(float(x)) for x in m.groups()[:3])
        a = float(m.group(4)) if m.group(4) is not None else 1.0
        want = expected_rgba(oracle[path]["value"])
        assert (r, g, b) == want[:3], f"{path}: {css} != oracle {oracle[path]['value']['hex']}"
        assert a == pytest.approx(want[3], abs=0.01), path
        compared += 1
    return compared


def test_react_example_renders_light_then_dark(page: Page, app_url: str) -> None:
    page.goto(app_url)
    swatches = page.locator('[data-testid="swatch"]')
    expect(swatches.first).to_be_visible(timeout=30_000)
    expect(page.locator('[data-testid="current-theme"]')).to_contain_text("light")
    light = rendered(page)
    assert len(light) > 50
    assert assert_palette(page, "light.json") > 50
    assert page.locator('[data-testid="type-sample"]').count() > 0
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "react-example-light.png"), full_page=True)

    page.select_option('[data-testid="theme-select"]', "dark")
    expect(page.locator('[data-testid="current-theme"]')).to_contain_text("dark")
    expect(swatches.first).to_be_visible()
    page.wait_for_function(
        "prev => [...document.querySelectorAll('[data-testid=\"swatch\"]')].some("
        "e => getComputedStyle(e).backgroundColor !== prev[e.dataset.path])",
        arg=light,
        timeout=15_000,
    )
    dark = rendered(page)
    assert assert_palette(page, "dark.json") > 50
    changed = [p for p in dark if light.get(p) != dark[p]]
    assert len(changed) > 50

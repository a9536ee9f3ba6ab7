"""GraphiQL is served offline: local assets only, allow-listed, default query shown."""

from __future__ import annotations

import base64
import hashlib
import re
from html.parser import HTMLParser
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import flask
import pytest
from strawberry.http.ides import get_graphql_ide_html

from graphql_api.web import graphiql
from graphql_api.web.graphiql import (
    ASSETS,
    INSTALL_COMMAND,
    GraphiQLTemplateError,
    assets_installed,
    create_blueprint,
    render_graphiql_page,
)

if TYPE_CHECKING:
    from pathlib import Path

    from flask.testing import FlaskClient

DEFAULT_QUERY = "{ __typename }"

needs_assets = pytest.mark.skipif(
    not assets_installed(),
    reason=f"GraphiQL npm assets are not installed (run: {INSTALL_COMMAND})",
)


class _Refs(HTMLParser):
    """Collects every ``src``/``href`` of the page, with the tag's ``integrity``."""

    def __init__(self) -> None:
        super().__init__()
        self.refs: list[tuple[str, str, str | None]] = []  # (tag, url, integrity)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name in ("src", "href"):
            if values.get(name) is not None:
                self.refs.append((tag, values[name] or "", values.get("integrity")))


def _refs(html: str) -> list[tuple[str, str, str | None]]:
    parser = _Refs()
    parser.feed(html)
    return parser.refs


@pytest.fixture
def app() -> flask.Flask:
    app = flask.Flask(__name__)
    app.register_blueprint(create_blueprint())

    @app.get("/page")
    def page() -> str:
        return render_graphiql_page(DEFAULT_QUERY)

    return app


@pytest.fixture
def client(app: flask.Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def page_html(client: FlaskClient) -> str:
    response = client.get("/page")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_page_references_no_other_host(page_html: str) -> None:
    refs = _refs(page_html)
    assert refs, "the page should reference its assets"
    for _tag, url, _integrity in refs:
        parts = urlsplit(url)
        assert parts.scheme in ("", "data"), f"remote URL in page: {url}"
        assert not parts.netloc, f"URL to another host in page: {url}"
    assert "unpkg.com" not in page_html


def test_page_references_exactly_the_allow_list(page_html: str) -> None:
    local = {url for _tag, url, _ in _refs(page_html) if url.startswith("/")}
    assert local == {f"/graphiql/{name}" for name in ASSETS}


def test_default_query_appears(page_html: str) -> None:
    assert 'const EXAMPLE_QUERY = "{ __typename }";' in page_html
    assert "Welcome to GraphiQL" not in page_html


def test_the_page_is_titled_after_the_product(page_html: str) -> None:
    titles = re.findall(r"<title>([^<]*)</title>", page_html)
    assert titles == ["Design-token server · GraphiQL"]
    assert "Strawberry" not in titles[0]


def test_a_title_is_escaped() -> None:
    html = render_graphiql_page(DEFAULT_QUERY, title="Tokens </title><script>x</script>")
    assert re.findall(r"<title>([^<]*)</title>", html) == [
        "Tokens &lt;/title&gt;&lt;script&gt;x&lt;/script&gt;"
    ]


def test_default_query_cannot_break_out_of_script() -> None:
    html = render_graphiql_page('{ a } </script><script>alert("x")</script> `${b}`')
    assert "</script><script>alert" not in html
    assert r"\u003c/script\u003e" in html


def test_asset_prefix_is_used() -> None:
    local = [url for _t, url, _i in _refs(render_graphiql_page("{ a }", "/x/ide/")) if "@" in url]
    assert local
    assert all(url.startswith("/x/ide/") and "//" not in url for url in local)


def test_remote_url_left_in_template_raises(monkeypatch: pytest.MonkeyPatch) -> None:
    template = get_graphql_ide_html("graphiql").replace(
        "graphiql@3.8.3/graphiql.min.js", "graphiql@9.9.9/graphiql.min.js"
    )
    monkeypatch.setattr(graphiql, "get_graphql_ide_html", lambda _ide: template)
    with pytest.raises(GraphiQLTemplateError, match=re.escape("https://unpkg.com/graphiql@9.9.9/")):
        render_graphiql_page(DEFAULT_QUERY)


def test_missing_default_query_in_template_raises(monkeypatch: pytest.MonkeyPatch) -> None:
    template = get_graphql_ide_html("graphiql").replace("EXAMPLE_QUERY", "SAMPLE")
    monkeypatch.setattr(graphiql, "get_graphql_ide_html", lambda _ide: template)
    with pytest.raises(GraphiQLTemplateError, match="EXAMPLE_QUERY"):
        render_graphiql_page(DEFAULT_QUERY)


@pytest.mark.parametrize(
    "name",
    [
        "nope.js",
        "react/package.json",
        "react@18.2.0/package.json",
        "react@18.2.0/umd/react.development.js",
        "../graphiql.py",
        "%2e%2e/%2e%2e/graphiql.py",
    ],
)
def test_unknown_asset_is_404(client: FlaskClient, name: str) -> None:
    assert client.get(f"/graphiql/{name}").status_code == 404


def test_missing_node_modules_is_503(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(graphiql, "NODE_MODULES", tmp_path / "node_modules")
    assert not assets_installed()
    response = client.get(f"/graphiql/{next(iter(ASSETS))}")
    assert response.status_code == 503
    assert response.mimetype == "text/plain"
    assert INSTALL_COMMAND in response.get_data(as_text=True)
    assert client.get("/graphiql/nope.js").status_code == 404


@needs_assets
def test_every_local_asset_is_served(client: FlaskClient, page_html: str) -> None:
    expected = {"script": "text/javascript", "link": "text/css"}
    local = [(tag, url) for tag, url, _ in _refs(page_html) if url.startswith("/")]
    assert len(local) == len(ASSETS)
    for tag, url in local:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.mimetype == expected[tag], url
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        cache = response.cache_control
        assert cache.immutable, url
        assert cache.public, url
        assert (cache.max_age or 0) >= 30 * 24 * 60 * 60, url


@needs_assets
def test_integrity_attributes_match_served_files(client: FlaskClient, page_html: str) -> None:
    checked = 0
    for _tag, url, integrity in _refs(page_html):
        if not url.startswith("/") or integrity is None:
            continue
        algorithm, _, expected = integrity.partition("-")
        assert algorithm == "sha384", integrity
        digest = hashlib.sha384(client.get(url).get_data()).digest()
        assert base64.b64encode(digest).decode() == expected, f"SRI mismatch for {url}"
        checked += 1
    assert checked == len(ASSETS)

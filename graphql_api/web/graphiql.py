"""GraphiQL served offline: Strawberry's page with its CDN assets served by Flask.

Strawberry's GraphiQL page loads React, GraphiQL and the explorer plugin from
unpkg.com. This module rewrites those URLs to copies of the *same* npm package
versions installed from ``graphql_api/static/graphiql/package-lock.json`` and
serves them from an allow-list, so the browser never needs the internet. The
files are byte-identical to the CDN ones, so the page's ``integrity`` (SRI)
attributes stay valid. Install the assets with::

    npm ci --prefix graphql_api/static/graphiql --no-audit --no-fund
"""

from __future__ import annotations

import html as html_lib
import json
import re
from pathlib import Path

import flask
from strawberry.http.ides import get_graphql_ide_html

NODE_MODULES = Path(__file__).resolve().parents[1] / "static" / "graphiql" / "node_modules"
INSTALL_COMMAND = "npm ci --prefix graphql_api/static/graphiql --no-audit --no-fund"
CDN_PREFIX = "https://unpkg.com/"
#: The page's title (the browser tab), after the product rather than Strawberry's default.
PAGE_TITLE = "Design-token server · GraphiQL"

#: URL path under ``/graphiql/`` -> file under ``node_modules``. Keys are the
#: unpkg paths used by Strawberry's template (versions included, so the URLs
#: change whenever a version does and can be cached as immutable).
ASSETS: dict[str, str] = {
    "react@18.2.0/umd/react.production.min.js": "react/umd/react.production.min.js",
    "react-dom@18.2.0/umd/react-dom.production.min.js": (
        "react-dom/umd/react-dom.production.min.js"
    ),
    "js-cookie@3.0.5/dist/js.cookie.min.js": "js-cookie/dist/js.cookie.min.js",
    "graphiql@3.8.3/graphiql.min.css": "graphiql/graphiql.min.css",
    "graphiql@3.8.3/graphiql.min.js": "graphiql/graphiql.min.js",
    "@graphiql/plugin-explorer@1.0.2/dist/style.css": "@graphiql/plugin-explorer/dist/style.css",
    "@graphiql/plugin-explorer@1.0.2/dist/index.umd.js": (
        "@graphiql/plugin-explorer/dist/index.umd.js"
    ),
}

_MIMETYPES = {".js": "text/javascript", ".css": "text/css"}
_ONE_YEAR = 365 * 24 * 60 * 60
# Strawberry's template declares the initial editor contents as a JS template
# literal and passes it as GraphiQL's ``query`` prop (``parameters.q ||
# EXAMPLE_QUERY``); ``query`` wins over ``defaultQuery``, so we replace it here.
_EXAMPLE_QUERY = re.compile(r"const EXAMPLE_QUERY = `(?:[^`\\]|\\.)*`;")
_TITLE = re.compile(r"<title>[^<]*</title>")
_REMOTE_URL = re.compile(r"""\b(?:src|href)\s*=\s*["']?\s*((?:https?:)?//[^\s"'<>]*)""", re.I)


class GraphiQLTemplateError(RuntimeError):
    """Strawberry's GraphiQL template no longer matches what this module rewrites.

    Raised instead of serving a page that would silently load code from a CDN
    (typically after a Strawberry upgrade changed asset versions): update
    ``ASSETS`` and ``package.json`` to the new versions, then run the install.
    """


def assets_installed() -> bool:
    """Tell whether every allow-listed asset is installed under ``node_modules``.

    Returns:
        True if all files of ``ASSETS`` exist, False otherwise.
    """
    return all((NODE_MODULES / path).is_file() for path in ASSETS.values())


def _js_string(text: str) -> str:
    """Encode ``text`` as a JS string literal safe inside an HTML ``<script>``."""
    encoded = json.dumps(text, ensure_ascii=True)
    return encoded.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def render_graphiql_page(
    default_query: str, asset_prefix: str = "/graphiql", title: str = PAGE_TITLE
) -> str:
    """Render Strawberry's GraphiQL page with local assets, a default query and a title.

    Args:
        default_query: Query shown in the editor when the URL carries no ``?q=``
            (GraphiQL then opens, or adds, a tab with this query).
        asset_prefix: URL path where the blueprint of :func:`create_blueprint`
            is mounted.
        title: The page's ``<title>`` (plain text; HTML-escaped here).

    Returns:
        The HTML page.

    Raises:
        GraphiQLTemplateError: If the template still references a remote URL
            after rewriting, or its default query or title can no longer be found.
    """
    html = get_graphql_ide_html("graphiql")
    prefix = asset_prefix.rstrip("/")
    for name in ASSETS:
        html = html.replace(CDN_PREFIX + name, f"{prefix}/{name}")
    leftover = _REMOTE_URL.findall(html)
    if leftover or "unpkg.com" in html:
        raise GraphiQLTemplateError(
            "Strawberry's GraphiQL template references assets not in the local allow-list "
            f"(graphql_api/graphiql.py ASSETS); remote URLs left: {leftover}"
        )
    html, count = _EXAMPLE_QUERY.subn(
        lambda _: f"const EXAMPLE_QUERY = {_js_string(default_query)};", html
    )
    if count != 1:
        raise GraphiQLTemplateError(
            "Strawberry's GraphiQL template has no `const EXAMPLE_QUERY = `...`;` to replace"
        )
    html, count = _TITLE.subn(lambda _: f"<title>{html_lib.escape(title)}</title>", html, 1)
    if count != 1:
        raise GraphiQLTemplateError("Strawberry's GraphiQL template has no <title> to replace")
    return html


def _serve(name: str) -> flask.Response:
    """Send one allow-listed asset, 404 for other names, 503 when not installed."""
    relative = ASSETS.get(name)
    if relative is None:
        flask.abort(404)
    path = NODE_MODULES / relative
    if not path.is_file():
        message = f"GraphiQL assets are not installed. From the repo root run:\n{INSTALL_COMMAND}\n"
        response = flask.Response(message, status=503, mimetype="text/plain")
        response.headers["Cache-Control"] = "no-store"
        return response
    response = flask.send_file(path, mimetype=_MIMETYPES[path.suffix], max_age=_ONE_YEAR)
    response.cache_control.immutable = True
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def create_blueprint() -> flask.Blueprint:
    """Create the blueprint serving ``GET /graphiql/<path:name>`` from ``ASSETS``.

    Returns:
        A blueprint named ``graphiql`` (mount it elsewhere with
        ``register_blueprint(..., url_prefix=...)`` and pass the same prefix as
        ``asset_prefix`` to :func:`render_graphiql_page`).
    """
    blueprint = flask.Blueprint("graphiql", __name__, url_prefix="/graphiql")
    blueprint.add_url_rule("/<path:name>", endpoint="asset", view_func=_serve, methods=["GET"])
    return blueprint

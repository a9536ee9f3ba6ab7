"""The read workloads (a)–(d), as HTTP requests that every harness sends alike.

(a) whole theme: every token with ``path type resolvedValue``;
(b) component: 20 tokens by path (aliases t0…t19) with ``value { ... on ColorValue { hex } }``;
(c) alias graph: 50 tokens (aliases n0…n49) with ``aliasChain`` and ``referencedBy { aliasOf }``;
(d) conditional GETs: the whole theme by ``GET /graphql`` and ``GET /tokens.json``, sent with
    ``If-None-Match`` = the ETag of a previous answer (only when the server sends ETags).
"""

from __future__ import annotations

import json
import urllib.parse
from dataclasses import dataclass, field
from typing import Any

from .common import THEME

WHOLE_THEME = (
    "query WholeTheme($theme: [ThemeSelection!]) { tokens(theme: $theme) "
    "{ totalCount edges { node { path type resolvedValue } } } }"
)
#: What the harness reads once to pick paths (and to build graphql-core's plain data).
DATA_QUERY = (
    "query Data($theme: [ThemeSelection!]) { tokens(theme: $theme) { edges { node { "
    "path type resolvedValue value { __typename ... on ColorValue { hex } } "
    "aliasOf { path } aliasChain { path } referencedBy { path } } } } }"
)


@dataclass(frozen=True)
class Request:
    """One HTTP request of a workload."""

    name: str
    label: str
    method: str = "POST"
    path: str = "/graphql"
    query_string: str = ""
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def url(self) -> str:
        """Path and query string."""
        return self.path + (f"?{self.query_string}" if self.query_string else "")

    def send(self, client: Any) -> Any:
        """Send with a Flask test client; returns its response."""
        return client.open(
            self.url, method=self.method, data=self.body or None, headers=self.headers
        )


def post(name: str, label: str, query: str, variables: dict[str, Any] | None = None) -> Request:
    """A GraphQL POST with a JSON body."""
    body = json.dumps({"query": query, "variables": variables or {}}).encode()
    return Request(name, label, body=body, headers={"Content-Type": "application/json"})


def aliased(prefix: str, paths: list[str], selection: str) -> str:
    """``query($theme) { t0: token(path: "…", theme: $theme) { SELECTION } … }``."""
    fields = " ".join(
        f"{prefix}{i}: token(path: {json.dumps(p)}, theme: $theme) {{ {selection} }}"
        for i, p in enumerate(paths)
    )
    return f"query Q($theme: [ThemeSelection!]) {{ {fields} }}"


def pick_paths(nodes: list[dict[str, Any]]) -> tuple[list[str], list[str]]:
    """Paths for (b) and (c), chosen from the data the same way on every run.

    (b): the first 20 colour tokens under ``button.`` (a component's tokens);
    (c): 50 colour tokens evenly spread over all colour paths (base, semantic, component).
    """
    colours = sorted(n["path"] for n in nodes if n["type"] == "color")
    button = [p for p in colours if p.startswith("button.")][:20]
    step = max(1, len(colours) // 50)
    spread = colours[::step][:50]
    return button, spread


def read_workloads(nodes: list[dict[str, Any]]) -> list[Request]:
    """(a), (b), (c) for the theme :data:`THEME`."""
    variables = {"theme": [THEME]}
    button, spread = pick_paths(nodes)
    return [
        post("a", f"(a) whole theme, {len(nodes)} tokens", WHOLE_THEME, variables),
        post(
            "b",
            f"(b) {len(button)} tokens by path, ColorValue.hex",
            aliased("t", button, "value { ... on ColorValue { hex } }"),
            variables,
        ),
        post(
            "c",
            f"(c) alias graph, {len(spread)} tokens",
            aliased("n", spread, "path aliasChain { path } referencedBy { path aliasOf { path } }"),
            variables,
        ),
    ]


def conditional_gets() -> list[Request]:
    """(d) candidates, without If-None-Match yet (see :func:`with_etag`)."""
    variables = json.dumps({"theme": [THEME]})
    qs = urllib.parse.urlencode({"query": WHOLE_THEME, "variables": variables})
    return [
        Request("d", "(d) 304, GET /graphql whole theme", "GET", "/graphql", qs),
        Request("d2", "(d) 304, GET /tokens.json?theme=dark", "GET", "/tokens.json", "theme=dark"),
    ]


def with_etag(req: Request, etag: str) -> Request:
    """The same request, conditional on ``etag``."""
    return Request(
        req.name,
        req.label,
        req.method,
        req.path,
        req.query_string,
        req.body,
        {**req.headers, "If-None-Match": etag},
    )

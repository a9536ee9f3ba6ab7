"""HTTP adapters: the GraphQL view (Strawberry on Flask) and GraphiQL served offline.

The view is thin: it builds the typed :class:`~graphql_api.schema.context.Context`
(the request's session, the process's snapshot cache, settings) and renders
GraphiQL from locally installed assets instead of a CDN.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, Request, Response, current_app
from strawberry.flask.views import GraphQLView

from . import db
from .graphiql import create_blueprint, render_graphiql_page
from .schema import schema
from .schema.context import Context
from .snapshots import SnapshotStore

SNAPSHOTS_KEY = "tokens_snapshots"

EXAMPLE_QUERY = """\
# A design-token server: DTCG tokens resolved per theme.
# Press the ▶ button. Then try another context, e.g. "light",
# or ask for aliasChain / referencedBy on a token.
query Example {
  modifiers { name default contexts { name } }
  token(path: "fgColor.accent", theme: [{modifier: "theme", context: "dark"}]) {
    path
    type
    rawValue
    resolvedValue
    value { ... on ColorValue { hex css } }
    aliasChain { path }
  }
  tokens(first: 5, filter: {types: ["dimension"]}) {
    totalCount
    edges { node { path value { ... on DimensionValue { px rem css } } } }
    pageInfo { hasNextPage endCursor }
  }
}
"""


def snapshot_store(app: Flask | None = None) -> SnapshotStore:
    """The app's snapshot cache (one per process)."""
    return (app or current_app).extensions[SNAPSHOTS_KEY]


class TokenGraphQLView(GraphQLView[Context, None]):
    """Strawberry's Flask view with a typed context and an offline GraphiQL."""

    def get_context(self, request: Request, response: Response) -> Context:  # type: ignore[override]
        """One context per request: the request's session and the process-wide cache."""
        cfg = current_app.config
        return Context(
            session=db.get_session(),
            snapshots=snapshot_store(),
            root_px=float(cfg["ROOT_FONT_SIZE_PX"]),
            max_page_size=int(cfg["MAX_PAGE_SIZE"]),
            request=request,
            response=response,
        )

    def render_graphql_ide(self, request: Request) -> Response:  # type: ignore[override]
        """GraphiQL with every asset served by this app (no CDN), opening on an example."""
        return Response(render_graphiql_page(EXAMPLE_QUERY), mimetype="text/html")


def init_app(app: Flask) -> None:
    """Mount ``/graphql`` (POST and GET; GET runs queries only) and the GraphiQL assets."""
    app.extensions[SNAPSHOTS_KEY] = SnapshotStore(int(app.config["SNAPSHOT_CACHE_SIZE"]))
    view: Any = TokenGraphQLView.as_view("graphql", schema=schema, graphql_ide="graphiql")
    app.add_url_rule("/graphql", view_func=view, methods=["GET", "POST"])
    app.register_blueprint(create_blueprint())

"""Design-token server: DTCG tokens, themes and aliases served over GraphQL."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from flask import Flask

from graphql_api import cli, usage
from graphql_api.config import load_config
from graphql_api.store import db, response_cache, snapshots
from graphql_api.web import auth, cors, observability, views

if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = ["create_app"]


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Create and configure the application (flaskr-style factory).

    Args:
        config: Settings that win over defaults and environment variables, e.g.
            ``{"TESTING": True, "DATABASE_URL": "sqlite:///..."}``.

    Returns:
        A configured Flask app with its own engine and session factory.

    Raises:
        graphql_api.config.ConfigError: An environment variable holds an invalid value.
    """
    app = Flask(__name__, instance_relative_config=True)
    os.makedirs(app.instance_path, exist_ok=True)  # noqa: PTH103 - flaskr idiom
    app.config.update(load_config(app.instance_path, config))
    app.config["MAX_CONTENT_LENGTH"] = int(app.config["MAX_BODY_BYTES"])  # 413 above it

    db.init_app(app)
    snapshots.init_app(app)  # the process's caches: the view, the CLI, exports, live updates
    response_cache.init_app(app)
    observability.init_app(app)  # first: request ids and logs for every later hook
    observability.check_migrations(db.get_engine(app))
    auth.init_app(app)
    usage.init_app(app)  # before views: the view's context needs its store
    views.init_app(app)
    cors.init_app(app)
    cli.init_app(app)

    return app

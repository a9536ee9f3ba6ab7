"""Design-token server: DTCG tokens, themes and aliases served over GraphQL."""

from __future__ import annotations

import os
import threading
from inspect import CO_COROUTINE
from types import FunctionType, MethodType
from typing import TYPE_CHECKING, Any

from flask import Flask

from graphql_api import cli, usage
from graphql_api.config import load_config
from graphql_api.store import db
from graphql_api.web import auth, observability

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping

__all__ = ["TokenServer", "create_app"]

#: Bound on :attr:`TokenServer._plain_functions` (functions made at run time stay out).
_PLAIN_FUNCTIONS_KEPT = 256


class TokenServer(Flask):
    """The Flask app; its web part (GraphQL, GraphiQL, exports, CORS) may wait for a request.

    Loaded by the ``flask`` command (``WEB_ON_FIRST_REQUEST``), the app sets the web part up
    when the first request arrives (``flask run``), so the other commands never import the
    GraphQL schema (nor Alembic, for the migration check) and start fast; the commands that
    write check the migrations themselves. The engine (and SQLAlchemy with it) is made by
    the first use of the database (:mod:`graphql_api.store.db`), so ``--help`` and ``tokens
    validate`` do not import SQLAlchemy. Otherwise (WSGI/ASGI servers, tests) the web part
    is set up at once, with the migration check that makes the engine.
    """

    _web_lock = threading.Lock()
    _web_pending: bool = False
    #: Functions :meth:`ensure_sync` found plain (hooks and views: a few dozen).
    _plain_functions: set[Callable[..., Any]]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """Flask's, plus the memo of :meth:`ensure_sync`."""
        super().__init__(*args, **kwargs)
        self._plain_functions = set()

    def set_up_web(self) -> None:
        """Make the caches; register the GraphQL view, GraphiQL, exports, CORS (once)."""
        with self._web_lock:
            if not self._web_pending:
                return
            # The heavy part: the resolver, Strawberry and the schema.
            from graphql_api.store import response_cache, revision_clock, snapshots  # noqa: PLC0415
            from graphql_api.web import cors, graphql_http, views  # noqa: PLC0415

            if self.config["WEB_ON_FIRST_REQUEST"]:
                observability.check_migrations(db.get_engine(self))
            observability.init_database_faults(self)
            snapshots.init_app(self)  # the process's caches: the view, exports, live updates
            state = db.get_state(self)
            revision_clock.init_app(self, state.engine, state.sessionmaker)
            response_cache.init_app(self)
            graphql_http.init_app(self)  # request keys of requests already read
            views.init_app(self)
            cors.init_app(self)
            self._web_pending = False

    def ensure_sync(self, func: Callable[..., Any]) -> Callable[..., Any]:
        """Flask's, without ``inspect`` for a plain function or method (the common case).

        Flask asks this of every hook and view on every request; reading the code flags
        directly costs a tenth of ``inspect.iscoroutinefunction``, and a function found
        plain once is remembered (seven asks per cache hit). Anything else (a
        coroutine function, a partial, a marked callable) goes to Flask.
        """
        target = func.__func__ if isinstance(func, MethodType) else func
        if not isinstance(target, FunctionType):
            return super().ensure_sync(func)
        if target in self._plain_functions:
            return func
        if (
            not target.__code__.co_flags & CO_COROUTINE
            and "_is_coroutine_marker" not in target.__dict__
        ):
            if len(self._plain_functions) < _PLAIN_FUNCTIONS_KEPT:
                self._plain_functions.add(target)
            return func
        return super().ensure_sync(func)

    def wsgi_app(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        """Set the web part up if it waits (see the class docstring), then serve."""
        if self._web_pending:
            self.set_up_web()
        return super().wsgi_app(environ, start_response)


def create_app(config: Mapping[str, Any] | None = None) -> TokenServer:
    """Create and configure the application (flaskr-style factory).

    Args:
        config: Settings that win over defaults and environment variables, e.g.
            ``{"TESTING": True, "DATABASE_URL": "sqlite:///..."}``.

    Returns:
        A configured Flask app with its own engine and session factory. With
        ``WEB_ON_FIRST_REQUEST`` (the ``flask`` command) its web part is set up by the first
        request or :meth:`TokenServer.set_up_web`.

    Raises:
        graphql_api.config.ConfigError: An environment variable holds an invalid value.
    """
    app = TokenServer(__name__, instance_relative_config=True)
    os.makedirs(app.instance_path, exist_ok=True)  # noqa: PTH103 - flaskr idiom
    app.config.update(load_config(app.instance_path, config))
    app.config["MAX_CONTENT_LENGTH"] = int(app.config["MAX_BODY_BYTES"])  # 413 above it

    db.init_app(app)
    observability.init_app(app)  # first: request ids and logs for every later hook
    if not app.config["WEB_ON_FIRST_REQUEST"]:
        observability.check_migrations(db.get_engine(app))
    auth.init_app(app)
    usage.init_app(app)  # before views: the view's context needs its store
    app._web_pending = True  # the factory owns the app
    if not app.config["WEB_ON_FIRST_REQUEST"]:
        app.set_up_web()
    cli.init_app(app)

    return app

"""Cross-origin requests (CORS) for browser apps on other origins, with flask-cors.

``CORS_ORIGINS`` (``TOKENS_CORS_ORIGINS``) lists the allowed origins, comma-separated:
exact origins (``https://app.example.com``), regular expressions, or ``*``; empty turns
CORS off. The default allows any port of ``localhost``/``127.0.0.1``/``[::1]`` over http or
https, so a dev server (Vite on :5173…) can query a local token server; set it explicitly
in production. Applies to ``/graphql`` and the exports; ``Authorization``,
``Content-Type`` and ``If-None-Match`` may be sent, ``ETag`` is readable, credentials
(cookies) are not used.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Final, cast

from flask import Response, request
from flask_cors import CORS

if TYPE_CHECKING:
    from flask import Flask

#: Any port of the local machine (dev servers).
LOCAL_ORIGINS: Final = r"^https?://(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$"
RESOURCES: Final = (r"/graphql", r"/tokens\..*")


def origins(setting: str) -> list[str]:
    """The allowed origins of a ``CORS_ORIGINS`` value (empty list: CORS off)."""
    return [o.strip() for o in setting.split(",") if o.strip()]


_REGEX_CHARS: Final = frozenset("^$*+?()[]{}|\\")


def origin_pattern(setting: str) -> re.Pattern[str] | None:
    """One regular expression that fully matches the origins a ``CORS_ORIGINS`` value allows.

    Used where flask-cors does not reach (the ASGI routes: WebSocket handshakes, SSE).
    Exact origins are escaped, regular expressions kept (as flask-cors tells them apart: by
    their special characters), ``*`` matches any origin. None when CORS is off.
    """
    parts: list[str] = []
    for origin in origins(setting):
        if origin == "*":
            parts.append(".*")
        elif _REGEX_CHARS.intersection(origin):
            parts.append(origin.removeprefix("^").removesuffix("$"))
        else:
            parts.append(re.escape(origin))
    return re.compile("|".join(f"(?:{p})" for p in parts)) if parts else None


def whole_origin_patterns(setting: str) -> list[str | re.Pattern[str]]:
    r"""The allowed origins for flask-cors, each regular expression anchored at both ends.

    flask-cors applies ``re.match``, which only anchors the start: ``https://app\.example\.com``
    would admit ``https://app.example.com.evil.example``. Regular expressions are compiled
    here with ``\Z`` so they match the whole origin, as :func:`origin_pattern` does on the
    ASGI routes; exact origins and ``*`` are passed on unchanged.
    """
    allowed: list[str | re.Pattern[str]] = []
    for origin in origins(setting):
        if origin != "*" and _REGEX_CHARS.intersection(origin):
            body = origin.removeprefix("^").removesuffix("$")
            allowed.append(re.compile(f"(?:{body})\\Z", re.IGNORECASE))
        else:
            allowed.append(origin)
    return allowed


def init_app(app: Flask) -> None:
    """Answer preflights and add CORS headers on the API's routes, per ``CORS_ORIGINS``."""
    allowed = whole_origin_patterns(str(app.config["CORS_ORIGINS"]))
    if not allowed:
        return
    CORS(
        app,
        resources={pattern: {"origins": allowed} for pattern in RESOURCES},
        methods=["GET", "POST", "OPTIONS"],
        allow_headers=[
            "Authorization",
            "Content-Type",
            "If-None-Match",
            "apollographql-client-name",
            "apollographql-client-version",
        ],
        expose_headers=["ETag"],
        max_age=600,
        supports_credentials=False,
    )
    if not any(isinstance(origin, str) for origin in allowed):
        _skip_without_origin(app)


def _skip_without_origin(app: Flask) -> None:
    """Run flask-cors's after-request hook only for requests that send ``Origin``.

    With regular expressions only (the default), flask-cors adds no header to a request
    without ``Origin`` (it would name literal origins or ``*`` to it); deciding that
    cost ~8 µs on every request, cache hits included.
    """
    hooks = app.after_request_funcs[None]
    hook = hooks[-1] if hooks else None
    if hook is None or hook.__name__ != "cors_after_request":  # not flask-cors's: keep it
        return

    def cors_after_request(response: Response) -> Response:
        if "HTTP_ORIGIN" not in request.environ:
            return response
        return cast("Response", hook(response))

    hooks[-1] = cors_after_request

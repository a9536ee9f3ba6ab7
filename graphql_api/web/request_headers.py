"""The request and its headers as the per-request hot path reads them (cache hits, 304s).

- ``request.headers.get(name)`` (Werkzeug's ``EnvironHeaders``) raises and catches a
  ``KeyError`` subclass for every header a request lacks: ~1.5 µs each, on every request
  for ``X-Request-Id``, ``Authorization``, ``Accept``… :func:`header` reads the same environ
  entry (the same value, duplicates joined by the server as Werkzeug sees them) without one.
- Every attribute read through Flask's ``request``/``current_app`` proxies looks the
  context up again (~0.4 µs); :func:`current_request` and :func:`current_app_object` look
  it up once for a function that reads several.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Any, cast

from flask import current_app, request

if TYPE_CHECKING:
    from flask import Flask
    from flask import Request as FlaskRequest
    from werkzeug.wrappers import Request


def current_request() -> FlaskRequest:
    """The request being handled, itself rather than Flask's proxy (in a request only)."""
    return cast("FlaskRequest", cast("Any", request)._get_current_object())


def current_app_object() -> Flask:
    """The app handling the request, itself rather than Flask's proxy (in a context only)."""
    return cast("Flask", cast("Any", current_app)._get_current_object())


@lru_cache(maxsize=64)
def environ_key(name: str) -> str:
    """The WSGI environ key of header ``name`` (``If-None-Match`` → ``HTTP_IF_NONE_MATCH``)."""
    key = name.upper().replace("-", "_")
    return key if key in ("CONTENT_TYPE", "CONTENT_LENGTH") else f"HTTP_{key}"


def header(req: Request, name: str) -> str | None:
    """The value of request header ``name`` (case-insensitive), or None when absent.

    What ``req.headers.get(name)`` answers, without its exception for an absent header.
    """
    value = req.environ.get(environ_key(name))
    return None if value is None else str(value)


class RequestHeaders:
    """The headers of ``req`` for code that calls ``.get(name)`` (usage analytics' client).

    :func:`header` behind the ``get`` of Werkzeug's ``Headers``, without its exception for
    an absent header.
    """

    __slots__ = ("req",)

    def __init__(self, req: Request) -> None:
        self.req = req

    def get(self, key: str, /) -> str | None:
        """The value of header ``key`` (case-insensitive), or None when absent."""
        return header(self.req, key)

"""Request headers read straight from the WSGI environ, for the per-request hot path.

``request.headers.get(name)`` (Werkzeug's ``EnvironHeaders``) raises and catches a
``KeyError`` subclass for every header a request lacks: ~1.5 µs each, on every request for
``X-Request-Id``, ``Authorization``, ``Accept``… :func:`header` reads the same environ entry
(the same value, duplicates joined by the server as Werkzeug sees them) without one.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from werkzeug.wrappers import Request


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

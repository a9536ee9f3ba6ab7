"""The JSON of a GraphQL request, decoded once, bounded, or refused with a clear 400.

The standard library's decoder recurses (a body nested 1,000 deep raised
``RecursionError``: an HTML 500) and turns a 5,000-digit number into an integer that
later code cannot serialise. Bodies and the ``variables``/``extensions`` parameters of a
GET are decoded with orjson (valid UTF-8 only, numbers within 64-bit integers and
doubles) and refused beyond :data:`MAX_JSON_DEPTH` levels of nesting.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any, Final

import orjson
from flask import g

if TYPE_CHECKING:
    from flask import Request
    from werkzeug.wrappers import Request as WSGIRequest

#: Deepest nesting of arrays and objects accepted in a request's JSON.
MAX_JSON_DEPTH: Final = 64
_CACHE: Final = "graphql_request_json"
#: WSGI environ key of the bytes :func:`raw_body` read.
_BODY: Final = "graphql_api.raw_body"


class BadRequestJSONError(ValueError):
    """The request's JSON cannot be used; the message says why (answered with 400)."""


def too_deep(value: Any, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether ``value`` nests arrays/objects more than ``limit`` levels (iterative)."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


def decode(data: bytes | str, what: str) -> Any:
    """Decode JSON text.

    Args:
        data: the text (bytes must be UTF-8).
        what: what it is, for the message (``"the request body"``, ``"variables"``).

    Raises:
        BadRequestJSONError: not JSON, not UTF-8, a number out of range, or nested too deep.
    """
    try:
        value = orjson.loads(data)
    except orjson.JSONDecodeError as error:
        raise BadRequestJSONError(f"{what} is not valid JSON: {error}") from None
    if too_deep(value):
        raise BadRequestJSONError(f"{what} nests more than {MAX_JSON_DEPTH} levels")
    return value


def body_json(request: Request) -> Any:
    """The decoded JSON body of a POST, once per request (cached on ``g``).

    Raises:
        BadRequestJSONError: as :func:`decode`, or the body is neither an object nor an
            array of objects (a batch).
    """
    if _CACHE in g:
        cached = g.get(_CACHE)
        if isinstance(cached, BadRequestJSONError):
            raise cached
        return cached
    try:
        value = decode(request.get_data(cache=True), "the request body")
        if isinstance(value, list):
            if not all(isinstance(item, dict) for item in value):
                raise BadRequestJSONError("each operation of a batch must be a JSON object")
        elif not isinstance(value, dict):
            raise BadRequestJSONError("the request body must be a JSON object")
    except BadRequestJSONError as error:
        setattr(g, _CACHE, error)
        raise
    setattr(g, _CACHE, value)
    return value


def raw_body(request: WSGIRequest, max_bytes: int | None) -> bytes:
    """The body of ``request``, read once; ``request.get_data()`` answers the same bytes after.

    Werkzeug's ``get_data`` wraps the WSGI input in its guarded streams first, which cost a
    twentieth of a response-cache hit. A body with a ``Content-Length`` of at most
    ``max_bytes`` (the app's ``MAX_CONTENT_LENGTH``; None: no limit) is read from
    ``wsgi.input`` directly and the input replaced by the bytes read, so that Werkzeug reads
    them again if the request is executed. Anything else goes to ``get_data`` as before: no
    ``Content-Length`` (chunked), a longer body (413), a body that ends early (400), a
    stream Werkzeug already opened.

    Raises:
        werkzeug.exceptions.RequestEntityTooLarge, werkzeug.exceptions.BadRequest: from
            ``get_data``, as above.
    """
    environ = request.environ
    found: bytes | None = environ.get(_BODY)
    if found is not None:
        return found
    length = environ.get("CONTENT_LENGTH") or ""
    # Werkzeug's cached ``stream`` lives in the request's __dict__ once made.
    if not length.isdigit() or "stream" in request.__dict__:
        return request.get_data(cache=True)
    size = int(length)
    if max_bytes is not None and size > max_bytes:
        return request.get_data(cache=True)  # refused with 413
    stream = environ["wsgi.input"]
    body = stream.read(size) if size else b""
    while len(body) < size:  # a server may return fewer bytes than asked for
        more = stream.read(size - len(body))
        if not more:
            break
        body += more
    environ["wsgi.input"] = io.BytesIO(body)
    if len(body) < size:
        return request.get_data(cache=True)  # the client went away: Werkzeug's 400
    environ[_BODY] = body
    return body

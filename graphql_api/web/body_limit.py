"""Request bodies bounded in the ASGI router, before anything stores them.

Behind asgiref's ``WsgiToAsgi`` a body is spooled whole to the temporary folder before
Flask sees ``MAX_CONTENT_LENGTH``: a 1 GiB chunked body used 1 GiB of disk and then got
400. :class:`BodyLimit` answers ``413`` with a GraphQL JSON error (``BODY_TOO_LARGE``) at
once when ``Content-Length`` is over the limit, and as soon as the bytes received pass it
for a chunked body; the rest is never read (``Connection: close``).
"""

from __future__ import annotations

import json
from http import HTTPStatus
from typing import TYPE_CHECKING

from ..errors import ErrorCode
from .observability import write_access_line

if TYPE_CHECKING:
    from starlette.types import ASGIApp, Message, Receive, Scope, Send


class BodyTooLargeError(Exception):
    """The body passed the limit while an application was reading it."""


def declared_length(scope: Scope) -> int | None:
    """The request's ``Content-Length`` (None when absent or not a number)."""
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            text = value.decode("latin-1").strip()
            return int(text) if text.isdigit() and len(text) < 20 else None  # noqa: PLR2004
    return None


class BodyLimit:
    """ASGI middleware: HTTP bodies of at most ``limit`` bytes reach ``app``.

    Args:
        app: the application for every connection (non-HTTP ones pass through untouched).
        limit: the largest body in bytes (``MAX_BODY_BYTES``).
    """

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Run ``app`` with a counting ``receive``; 413 when the body passes the limit."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = declared_length(scope)
        if declared is not None and declared > self.limit:
            await self.refuse(scope, send)
            return
        received, started = 0, False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise BodyTooLargeError
            return message

        async def watching_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, watching_send)
        except BodyTooLargeError:
            if started:  # cannot happen for apps that read the body before answering
                raise
            await self.refuse(scope, send)

    async def refuse(self, scope: Scope, send: Send) -> None:
        """Answer 413 (GraphQL JSON error) and log it; the connection is then closed."""
        message = f"the request body is larger than {self.limit} bytes"
        error = {"message": message, "extensions": {"code": ErrorCode.BODY_TOO_LARGE}}
        body = json.dumps({"errors": [error]}).encode()
        await send(
            {
                "type": "http.response.start",
                "status": HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})
        status = int(HTTPStatus.REQUEST_ENTITY_TOO_LARGE)
        line = {"method": scope.get("method"), "path": scope.get("path", ""), "status": status}
        write_access_line(line)

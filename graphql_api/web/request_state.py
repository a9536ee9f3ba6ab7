"""What the web layer learns about one HTTP request, in one typed object.

The hooks of a request fill one :class:`RequestState` in turn:

- :mod:`.observability`'s before-request hook makes it (:func:`begin`): the request id
  (the client's sane ``X-Request-Id`` or a new one) and the start time;
- the SQLAlchemy ``before_cursor_execute`` listener counts the statements in it;
- :mod:`.auth`'s before-request hook sets the principal (``Authorization: Bearer …``);
- the GraphQL front door (:mod:`.graphql_http`) sets the operation name, for executed
  requests and for those answered from the caches alike;
- the view builds the schema's :class:`~graphql_api.schema.request_context.RequestContext`
  from it (request id, principal), and the after-request hook writes the access line.

It is kept in the request's WSGI environ under :data:`ENVIRON_KEY`, not on ``flask.g``:
the environ lives exactly as long as the request, while ``g`` belongs to the application
context, which Flask reuses for every request made inside an outer one (tests, CLI
commands), so a state left on ``g`` would still be seen after its request, and by SQL run
outside any request. The hooks already hold the request object, so reading the state costs
them a dict lookup, not another context lookup (the cache-hit path runs every hook).

Live-update connections under ASGI (:mod:`.asgi`) never reach Flask: their request id
travels in the ASGI scope under :data:`ASGI_REQUEST_ID` (:func:`asgi_request_id`).
"""

from __future__ import annotations

import random
import re
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from flask import request

from .request_headers import header

if TYPE_CHECKING:
    from collections.abc import Mapping

    from werkzeug.wrappers import Request

    from .auth import Principal

#: WSGI environ key of the request's :class:`RequestState`.
ENVIRON_KEY: Final = "graphql_api.request_state"
#: ASGI scope key of a live-update connection's request id (set by ``asgi.logged``).
ASGI_REQUEST_ID: Final = "graphql_api.request_id"
#: A client's ``X-Request-Id`` that is kept (else the server makes one).
REQUEST_ID: Final = re.compile(r"[A-Za-z0-9._-]{1,64}")


@dataclass(slots=True)
class RequestState:
    """One HTTP request as the web layer sees it (see the module docstring).

    Attributes:
        request_id: the client's ``X-Request-Id`` when it matches :data:`REQUEST_ID`
            (1-64 of ``A-Za-z0-9._-``), else 32 hex digits of a new UUID4 (:func:`uuid4_hex`);
            sent back in ``X-Request-Id``, in masked errors' ``extensions.requestId`` and in
            the logs.
        started: :func:`time.perf_counter` when the request began, in seconds.
        sql_count: SQL statements the request's thread ran so far.
        principal: who sent the request (None: no key, or not a protected endpoint).
        operation_name: the GraphQL operation the request runs, for the access log: its
            ``operationName``, else the name of the document's only operation; None when
            anonymous, unknown or a batch.
    """

    request_id: str
    started: float
    sql_count: int = 0
    principal: Principal | None = None
    operation_name: str | None = None


def new_request_id(incoming: str | None) -> str:
    """``incoming`` when it is a sane request id (:data:`REQUEST_ID`), else a new one."""
    return incoming if incoming and REQUEST_ID.fullmatch(incoming) else uuid4_hex()


#: Bits of a 128-bit integer cleared, then set, to make it a UUID of version 4, variant 10.
_UUID_CLEAR: Final = ~((0xF << 76) | (0x3 << 62))
_UUID_SET: Final = (0x4 << 76) | (0x2 << 62)


def uuid4_hex() -> str:
    """A new random UUID (version 4, RFC 9562 §5.4) as 32 lowercase hex digits.

    The form of ``uuid.uuid4().hex``, from :func:`random.getrandbits` rather than
    ``os.urandom`` and without building a :class:`uuid.UUID`: a request id names a request
    in logs (a client may choose its own), it guards nothing, and every request without an
    ``X-Request-Id`` makes one (``os.urandom`` is a system call, slow on a loaded VM).
    Python reseeds the generator in a forked child.
    """
    bits = (random.getrandbits(128) & _UUID_CLEAR) | _UUID_SET
    return f"{bits:032x}"


def begin(req: Request) -> RequestState:
    """Make the state of ``req`` (its request id from ``X-Request-Id``) and keep it.

    Called once per request, by the first before-request hook; a second call replaces it.
    """
    state = RequestState(new_request_id(header(req, "X-Request-Id")), time.perf_counter())
    req.environ[ENVIRON_KEY] = state
    return state


def request_state(req: Request | None = None) -> RequestState | None:
    """The state of ``req`` (default: the current request), or None.

    None outside a request, or for a request whose before-request hooks did not run
    (e.g. a bare ``test_request_context``). One context lookup without ``req``, none with.
    """
    if req is None:
        try:
            environ = request.environ
        except RuntimeError:  # outside a request: Flask's proxy is unbound
            return None
    else:
        environ = req.environ
    state: RequestState | None = environ.get(ENVIRON_KEY)
    return state


def asgi_request_id(scope: Mapping[str, object]) -> str:
    """The request id ``asgi.logged`` gave a live-update connection ('' without one)."""
    found = scope.get(ASGI_REQUEST_ID)
    return found if isinstance(found, str) else ""

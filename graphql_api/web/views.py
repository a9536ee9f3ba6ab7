"""HTTP adapters: the GraphQL view (Strawberry on Flask) and GraphiQL served offline.

The view is thin: it builds the typed :class:`~graphql_api.schema.request_context.RequestContext`
(the request's session, the process's snapshot cache, settings, and the request id and
principal of the web layer's :class:`~.request_state.RequestState`) and renders
GraphiQL from locally installed assets instead of a CDN.
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import re
from http import HTTPStatus
from typing import Any

import orjson
from cross_web import HTTPException  # what Strawberry 0.341 views raise and catch
from flask import Flask, Request, Response, current_app, request
from graphql import GraphQLError
from strawberry.flask.views import GraphQLView
from strawberry.http import process_result
from strawberry.schema.exceptions import InvalidOperationTypeError
from strawberry.types import ExecutionResult

from .. import usage
from ..compat import request_data_argument
from ..errors import ErrorCode
from ..schema import BATCH_CEILING, schema
from ..schema.documents import ParseMemo, operations
from ..schema.request_context import RequestContext
from ..store import db
from ..store.snapshots import snapshot_store
from . import (
    export_endpoints,
    graphql_http,
    observability,
    persisted_queries,
    request_body,
)
from .graphiql import create_blueprint, render_graphiql_page
from .request_headers import current_request, header
from .request_state import request_state

EXAMPLE_QUERY = """\
# Design tokens resolved per theme. Press ▶.
# Try another context ("light", "dark-dimmed"…)
# or add referencedBy { path } to a token.
query Example($theme: [ThemeSelection!] = [
  {modifier: "theme", context: "dark"}
]) {
  modifiers { name default contexts { name } }
  token(path: "button.primary.bgColor.rest",
        theme: $theme) {
    type
    rawValue
    resolvedValue
    value { ... on ColorValue { hex css } }
    aliasChain { path }
  }
  tokens(theme: $theme, first: 5,
         filter: {types: ["dimension"]}) {
    totalCount
    edges {
      node {
        path
        value {
          ... on DimensionValue { px rem css }
        }
      }
    }
    pageInfo { hasNextPage endCursor }
  }
}
"""


def _operation_names(query: str, memo: ParseMemo | None) -> tuple[str, ...]:
    """Names of a document's operations (``(anonymous)`` for unnamed ones).

    () when the document does not parse: Strawberry reports the syntax error itself.
    Parsed by :func:`graphql_api.schema.documents.parse_document` (token limit; small
    documents cached by digest, large ones kept in the request's ``memo``, where
    Strawberry finds them again).
    """
    found = operations(query, memo)
    return tuple(d.name.value if d.name else "(anonymous)" for d in found or ())


def _operation_name(request_data: Any, memo: ParseMemo | None) -> str | None:
    """The name of the operation an operation of a batch runs, for usage analytics.

    Its operationName, else the name of the document's only operation; None if anonymous
    (:func:`graphql_http.operation_name`).
    """
    return graphql_http.operation_name(
        getattr(request_data, "query", None), getattr(request_data, "operation_name", None), memo
    )


def _missing_operation_name(request_data: Any, memo: ParseMemo | None) -> ExecutionResult | None:
    """A request error when a document has several operations and no operationName.

    GraphQL spec §6.1 GetOperation(): "If operationName is null: if document contains
    exactly one operation, return it; otherwise raise a request error". Strawberry would
    run the first one instead.
    """
    query = getattr(request_data, "query", None)
    if not query or getattr(request_data, "operation_name", None) is not None:
        return None
    names = _operation_names(query, memo)
    if len(names) <= 1:
        return None
    message = f"the document has several operations ({', '.join(names)}): give operationName"
    return ExecutionResult(data=None, errors=[GraphQLError(message)])


_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)


def graphiql_csp(page: str) -> str:
    """The CSP of a rendered GraphiQL page (its inline scripts allowed by SHA-256)."""
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() + "'"
        for s in _INLINE_SCRIPT.findall(page)
    )
    return (
        f"default-src 'self'; script-src 'self' {hashes}; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; "
        "frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
    )


GRAPHQL_RESPONSE_JSON = "application/graphql-response+json"


def wants_graphql_response_json(req: Request) -> bool:
    """Whether the client names ``application/graphql-response+json`` and prefers it.

    GraphQL over HTTP §4.2; ``*/*`` or no Accept header keeps ``application/json``.
    """
    if GRAPHQL_RESPONSE_JSON not in (header(req, "Accept") or "").lower():
        return False  # not named in any case: no need to parse the header
    accept = req.accept_mimetypes
    named = {value for value, _quality in accept}
    if GRAPHQL_RESPONSE_JSON not in named:
        return False
    json_quality = accept.quality("application/json") if "application/json" in named else 0
    return accept.quality(GRAPHQL_RESPONSE_JSON) >= json_quality


def negotiate(response: Response, req: Request | None = None) -> Response:
    """Serve ``application/graphql-response+json`` to clients that ask for it.

    With that media type a request error (a document that does not parse or validate:
    ``data`` null and no error with a ``path``) is 400 (GraphQL over HTTP §6.4.2); with
    ``application/json`` it stays 200, as the spec requires for that media type.
    """
    if not wants_graphql_response_json(req or request) or response.mimetype != "application/json":
        return response
    response.mimetype = GRAPHQL_RESPONSE_JSON
    if response.status_code == HTTPStatus.OK:
        try:
            body = orjson.loads(response.get_data())
        except orjson.JSONDecodeError:
            return response
        errors = body.get("errors") if isinstance(body, dict) else None
        if errors and body.get("data") is None and not any("path" in e for e in errors):
            response.status_code = HTTPStatus.BAD_REQUEST
            if "data" in body:  # §6.4.2: a request error has no data entry at all
                del body["data"]
                response.set_data(orjson.dumps(body))
    return response


def _content_type_refusal(req: Request) -> Response | None:
    """415 for a POST whose body is not ``application/json`` (GraphQL over HTTP §5.1.2).

    Strawberry accepts any content type that contains ``application/json``
    (``application/jsonp``…), which :func:`graphql_http.prepare` and the batch limit do not
    read: such a body would run without the persisted-query mode or the batch limit.
    """
    if req.method != "POST" or req.environ.get("CONTENT_TYPE") == "application/json":
        return None  # the common case, without parsing the header
    if req.mimetype == "application/json":
        return None
    named = req.mimetype or "no Content-Type"
    payload = {
        "errors": [
            {
                "message": f"{named} is not supported: send application/json",
                "extensions": {"code": ErrorCode.UNSUPPORTED_MEDIA_TYPE},
            }
        ]
    }
    return Response(
        orjson.dumps(payload), status=HTTPStatus.UNSUPPORTED_MEDIA_TYPE, mimetype="application/json"
    )


def _persisted_query_gate(request_data: Any) -> Any:
    """Apply the persisted-query mode to one operation :func:`graphql_http.prepare` did not read.

    The operations of a batch, and single requests prepare left to Strawberry, go through
    this: the allow-list refuses unregistered documents, APQ fills in (or registers) the
    document of a hash, exactly as for a single request.

    Returns:
        The request data to execute (its ``query`` filled in), or an ``ExecutionResult``
        carrying the persisted-query error (``extensions.code``).
    """
    session = db.get_session()
    mode = str(current_app.config["PERSISTED_QUERIES"])
    query = getattr(request_data, "query", None)
    extensions = getattr(request_data, "extensions", None)
    outcome = persisted_queries.resolve_request(
        session,
        mode,
        query if isinstance(query, str) else None,
        extensions,
        graphql_http.apq_policy(),
    )
    if outcome.error is not None:
        code, message = outcome.error
        return ExecutionResult(data=None, errors=[GraphQLError(message, extensions={"code": code})])
    if outcome.registered:
        session.commit()
    if outcome.query is not None and outcome.query != query:
        request_data.query = outcome.query
    return request_data


def _json_refusal(req: Request) -> Response | None:
    """400 (GraphQL JSON) for a POST body that is not usable JSON (:mod:`.request_body`)."""
    if req.method != "POST":
        return None
    try:
        request_body.body_json(req)
    except request_body.BadRequestJSONError as error:
        error_json = {"message": str(error), "extensions": {"code": ErrorCode.BAD_REQUEST}}
        payload = {"errors": [error_json]}
        return Response(
            orjson.dumps(payload), status=HTTPStatus.BAD_REQUEST, mimetype="application/json"
        )
    return None


def _batch_refusal(req: Request) -> Response | None:
    """400 for a batch (a JSON array of requests) over ``MAX_BATCH_SIZE`` (0: no batches)."""
    if req.method != "POST" or not req.is_json:
        return None
    body = request_body.body_json(req)
    if not isinstance(body, list):
        return None
    limit = min(int(current_app.config["MAX_BATCH_SIZE"]), BATCH_CEILING)
    if len(body) <= limit:
        return None
    message = (
        f"a batch of {len(body)} operations is over the limit of {limit}"
        if limit > 0
        else "batched requests are disabled on this server"
    )
    payload = {"errors": [{"message": message, "extensions": {"code": ErrorCode.BATCH_TOO_LARGE}}]}
    return Response(
        orjson.dumps(payload), status=HTTPStatus.BAD_REQUEST, mimetype="application/json"
    )


def _json_request_error(response: Response) -> None:
    """Turn a plain-text request error of Strawberry into a GraphQL response body.

    An unknown operationName, a bad body…: ``{"errors": [{"message": …}]}``, same status.
    Clients such as GraphiQL parse every response as JSON (GraphQL over HTTP §7.1.2).
    """
    if response.status_code < HTTPStatus.BAD_REQUEST or response.mimetype != "text/plain":
        return
    message = response.get_data(as_text=True).strip() or HTTPStatus(response.status_code).phrase
    response.set_data(orjson.dumps({"errors": [{"message": message}]}))
    response.mimetype = "application/json"
    if message == "Unsupported content type":  # GraphQL over HTTP §5.1.2: 415
        response.status_code = HTTPStatus.UNSUPPORTED_MEDIA_TYPE


def _record_usage(
    observations: list[Any],
    prepared: graphql_http.Prepared | None,
    response: Any,
    *,
    cacheable: bool,
    operation_name: str | None,
) -> None:
    """Hand the tokens a request read to usage analytics (in memory; no SQL).

    Only ``Query.token``/``Query.tokens`` note reads, so mutations record nothing. A
    response that may be served again without execution (cached bytes, ETag) keeps its
    reads for :func:`graphql_api.usage.replay`.
    """
    replayable = (
        cacheable
        and prepared is not None
        and isinstance(response, Response)
        and response.status_code == HTTPStatus.OK
    )
    cached_as = (prepared.revision, prepared.key) if replayable and prepared else None
    usage.finish(observations, operation_name, request.headers, cached_as)


@dataclasses.dataclass
class SerializedResult(ExecutionResult):
    """An operation's result already serialised: from the response cache, or stored there.

    ``body`` is the JSON object a single request for the operation answers.
    """

    body: bytes = b""


class TokenGraphQLView(GraphQLView[RequestContext, None]):
    """Strawberry's Flask view with a typed context and an offline GraphiQL.

    One instance per request (``init_every_request``): what the front door learns about
    the request is kept on it, and handed to the schema in the :class:`RequestContext`.

    Attributes:
        prepared: what :func:`graphql_http.prepare` read (None: a batch, or left to
            Strawberry).
        parse_memo: the request's :class:`~graphql_api.schema.documents.ParseMemo`.
        graphql_context: the context :meth:`get_context` made (None before execution).
        had_errors: whether a result of the request had errors (then it is not cached).
        batch_cache: the response-cache slots of a batch's operations (None: no batch yet).
    """

    init_every_request = True
    prepared: graphql_http.Prepared | None = None
    parse_memo: ParseMemo | None = None
    graphql_context: RequestContext | None = None
    had_errors: bool = False
    batch_cache: graphql_http.BatchCache | None = None

    def get_context(self, request: Request, response: Response) -> RequestContext:
        """One context per request: the request's session and the process-wide cache.

        The request id and the principal come from the request's
        :class:`~.request_state.RequestState` ('' and None without one).
        """
        cfg = current_app.config
        prepared = self.prepared
        state = request_state(request)
        context = RequestContext(
            session=db.get_session(),
            snapshots=snapshot_store(),
            root_px=float(cfg["ROOT_FONT_SIZE_PX"]),
            max_page_size=int(cfg["MAX_PAGE_SIZE"]),
            request=request,
            response=response,
            _revision=prepared.revision if prepared else None,
            principal=state.principal if state is not None else None,
            usage=usage.collector(),
            usage_store=usage.get_state().store,
            request_id=state.request_id if state is not None else "",
            parse_memo=self.parse_memo,
            json_fragments=True,  # encode_json is orjson
        )
        self.graphql_context = context
        return context

    def should_render_graphql_ide(self, request: Any) -> bool:
        """GraphiQL only for a GET that names no document (not for a persisted query's hash)."""
        if self.prepared is not None:
            return False
        return super().should_render_graphql_ide(request)

    def parse_http_body(self, request: Any) -> Any:
        """The request as :func:`graphql_http.prepare` read it (persisted query filled in)."""
        prepared = self.prepared
        return prepared.data if prepared is not None else super().parse_http_body(request)

    def process_result(self, request: Request, result: ExecutionResult) -> Any:
        """Strawberry's result processing; remembers whether the result had errors.

        An operation of a batch already serialised (:class:`SerializedResult`) is
        embedded as its bytes.
        """
        if isinstance(result, SerializedResult):
            return orjson.Fragment(result.body)
        if result.errors:
            self.had_errors = True
        return super().process_result(request, result)

    def parse_json(self, data: str | bytes) -> Any:
        """Decode with orjson (UTF-8 only); its error is a ``json.JSONDecodeError``."""
        return orjson.loads(data)

    def encode_json(self, data: object) -> bytes:
        """orjson: the same JSON as the standard library's, faster."""
        return orjson.dumps(data)

    def execute_single(self, *args: Any, **kwargs: Any) -> Any:
        """One operation: what :func:`graphql_http.prepare` did not do, then Strawberry.

        An operation of a batch (or a request prepare() left alone) gets the checks a
        single request gets at the front door: non-object ``variables``/``extensions``
        (``BAD_REQUEST``), the persisted-query mode, and the response cache. A document
        with several operations and no ``operationName`` is a request error; a mutation
        sent by GET is 405 (see :meth:`_execute`).
        """
        request_data = request_data_argument(args, kwargs)
        unprepared = self.prepared is None
        if unprepared:  # a batch, or a request prepare() left alone
            problem = graphql_http.parameter_problem(
                {"variables": request_data.variables, "extensions": request_data.extensions}
            )
            if problem is not None:  # what prepare() answers 400 for a single request
                error = GraphQLError(problem, extensions={"code": ErrorCode.BAD_REQUEST})
                return ExecutionResult(data=None, errors=[error])
            gated = _persisted_query_gate(request_data)
            if isinstance(gated, ExecutionResult):
                return gated
        missing = _missing_operation_name(request_data, self.parse_memo)
        if missing is not None:
            return missing
        if unprepared and isinstance(request_data.query, str):
            return self._execute_through_cache(request_data, args, kwargs)
        return self._execute(args, kwargs)

    def _execute_through_cache(self, request_data: Any, args: Any, kwargs: Any) -> Any:
        """One operation of a batch, answered from or stored in the response cache.

        The same entry as a single request for it (:class:`graphql_http.BatchCache`);
        a hit executes nothing and counts its token reads as :func:`usage.replay` does.
        """
        if self.batch_cache is None:
            self.batch_cache = graphql_http.BatchCache()
        batch = self.batch_cache
        slot, body = batch.slot(
            request_data.query, request_data.variables, request_data.operation_name
        )
        if slot is not None and body is not None:
            usage.replay(slot.revision, slot.key, request.headers)
            return SerializedResult(data=None, errors=None, body=body)
        context = self.graphql_context
        if context is None:
            return self._execute(args, kwargs)
        if slot is not None and not context.pin_revision(slot.revision):
            slot = None  # an earlier operation read another revision
        context.next_operation()
        start = len(context.usage) if context.usage is not None else 0
        result = self._execute(args, kwargs)
        if (
            slot is None
            or result.errors
            or context.operation_type != "query"
            or not context.cacheable
            or not context.pin_revision(slot.revision)
        ):
            return result
        body = self.encode_json(process_result(result))
        batch.store(slot, body)
        if context.usage:
            reads = context.usage[start:]
            del context.usage[start:]  # recorded here, with the entry's key for replays
            cached_as = (slot.revision, slot.key)
            usage.finish(
                reads, _operation_name(request_data, self.parse_memo), request.headers, cached_as
            )
        return SerializedResult(data=None, errors=None, body=body)

    def _execute(self, args: Any, kwargs: Any) -> Any:
        """Strawberry's execution, but a mutation sent by GET is 405, not 400.

        GraphQL over HTTP: "GET requests MUST NOT be used for executing mutation
        operations … the server MUST respond with error status code 405".
        """
        try:
            return super().execute_single(*args, **kwargs)
        except HTTPException as exc:
            # Strawberry raises 400 from InvalidOperationTypeError (only GET restricts them).
            if isinstance(exc.__cause__, InvalidOperationTypeError):
                raise HTTPException(HTTPStatus.METHOD_NOT_ALLOWED, exc.reason) from exc.__cause__
            raise

    def dispatch_request(self) -> Any:
        """Caches and persisted queries first (:mod:`.graphql_http`), then Strawberry.

        A 405 names the method that is allowed (RFC 9110 §15.5.6).
        """
        self.parse_memo = ParseMemo()
        req = current_request()
        refused = _content_type_refusal(req)
        if refused is not None:
            return refused
        seen = graphql_http.answer_seen(req)  # the same bytes read before: no reading
        if seen is not None:
            return negotiate(seen, req)
        refused = _json_refusal(request) or _batch_refusal(request)
        if refused is not None:
            return refused
        prepared = graphql_http.prepare(request, self.parse_memo)  # names the operation
        if isinstance(prepared, Response):
            return negotiate(prepared)
        self.prepared = prepared
        name = prepared.operation_name if prepared is not None else None
        response = super().dispatch_request()
        if isinstance(response, Response) and response.status_code == HTTPStatus.METHOD_NOT_ALLOWED:
            response.headers["Allow"] = "POST"
        context = self.graphql_context
        if isinstance(response, Response):
            _json_request_error(response)
            if context is not None and context.database_unavailable:
                response.status_code = HTTPStatus.SERVICE_UNAVAILABLE
                response.headers["Retry-After"] = str(observability.RETRY_AFTER_S)
        cacheable = False
        if prepared is not None and isinstance(response, Response):
            cacheable = (
                context is not None
                and context.operation_type == "query"
                and context.cacheable
                and not self.had_errors
            )
            reads = (
                graphql_http.token_reads(context, prepared, self.parse_memo)
                if cacheable and context is not None
                else None
            )
            graphql_http.finish(prepared, response, cacheable=cacheable, reads=reads)
        if context is not None and context.usage:
            _record_usage(
                context.usage, prepared, response, cacheable=cacheable, operation_name=name
            )
        return negotiate(response) if isinstance(response, Response) else response

    def render_graphql_ide(self, request: Request) -> Response:
        """GraphiQL with every asset served by this app (no CDN), opening on an example.

        Its Content-Security-Policy allows this origin only, the page's one inline script
        by hash, inline styles (CodeMirror sets them) and data: images (the favicon).
        """
        page = render_graphiql_page(EXAMPLE_QUERY)
        response = Response(page, mimetype="text/html")
        response.headers["Content-Security-Policy"] = graphiql_csp(page)
        return response


def _method_not_allowed(error: Any) -> Response:
    """405 as a GraphQL JSON error on /graphql (PUT, DELETE…), with the allowed methods."""
    body = {"errors": [{"message": f"{request.method} is not allowed; use GET or POST"}]}
    response = Response(
        orjson.dumps(body), status=HTTPStatus.METHOD_NOT_ALLOWED, mimetype="application/json"
    )
    allowed = getattr(error, "valid_methods", None) or ["GET", "POST"]
    response.headers["Allow"] = ", ".join(sorted(set(allowed) - {"HEAD", "OPTIONS"}))
    return response


def init_app(app: Flask) -> None:
    """Mount ``/graphql`` (POST and GET; GET runs queries only) and the GraphiQL assets."""
    view: Any = TokenGraphQLView.as_view("graphql", schema=schema, graphql_ide="graphiql")
    app.add_url_rule("/graphql", view_func=view, methods=["GET", "POST"])
    app.register_error_handler(HTTPStatus.METHOD_NOT_ALLOWED, _method_not_allowed)
    app.register_blueprint(create_blueprint())
    app.register_blueprint(export_endpoints.create_blueprint())

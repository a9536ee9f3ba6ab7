"""The front door of ``/graphql``: persisted queries, ETag/304 and the response cache.

:func:`prepare` runs before Strawberry: it reads the GraphQL request (GET parameters or a
JSON body; batches are left to Strawberry), applies the persisted-query mode, reads the
data revision once, and answers ``304 Not Modified`` or a cached response without
executing anything (usage analytics replays what such a request read, see
:func:`graphql_api.usage.replay`). :func:`finish` runs after: it stores a successful
query's bytes and sets ``ETag``/``Cache-Control`` on GET responses.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass
from http import HTTPStatus
from typing import TYPE_CHECKING, Any, Final, NamedTuple

import orjson
from flask import Flask, Request, Response, current_app
from graphql import GraphQLError, parse, validate
from strawberry.http import GraphQLRequestData

from .. import usage
from ..dtcg.errors import DTCGErrorGroup
from ..errors import ErrorCode
from ..schema import schema
from ..schema.documents import operation_type, operations, parse_document
from ..schema.read_scope import scopes
from ..store import db
from ..store.response_cache import response_cache
from ..store.revision_clock import Stamp, revision_clock
from ..store.snapshots import snapshot_store
from . import persisted_queries, request_body
from .http_cache import cache_control, etag, etag_matches, request_key, stamped
from .request_headers import RequestHeaders, current_app_object, header
from .request_state import request_state

if TYPE_CHECKING:
    from collections.abc import Mapping

    from ..schema.documents import ParseMemo
    from ..schema.request_context import RequestContext
    from ..store.response_cache import Entry, TokenReads

GRAPHQL_JSON = "application/json"
#: Key of the app's :class:`SeenRequests` in ``app.extensions``.
SEEN_KEY: Final = "tokens_seen_requests"


@dataclass(slots=True)
class Prepared:
    """What :func:`prepare` learnt about a request, for Strawberry and for :func:`finish`.

    Attributes:
        data: the request for Strawberry (its ``query`` filled in from a persisted hash).
        revision: the data revision read for this request.
        key: the request's cache key; ``tag`` its ETag at ``revision``.
        is_get: whether the request came by GET (only GET responses get an ETag).
        base: the request key before it is bound to the revision's write time.
        operation_name: the operation it runs, as logged (:func:`operation_name`).
    """

    data: GraphQLRequestData
    revision: int
    key: str
    tag: str
    is_get: bool
    base: str = ""
    operation_name: str | None = None


def _json_arg(value: Any, name: str) -> Any:
    if isinstance(value, str) and value:
        return request_body.decode(value, name)
    return None


def read_request(request: Request) -> dict[str, Any] | None:
    """The GraphQL request as a dict, or None when Strawberry should deal with it.

    None for batches and non-JSON bodies (refused earlier by the view).

    Raises:
        request_body.BadRequestJSONError: a body or GET parameter that is not usable JSON.
    """
    if request.method == "GET":
        args = request.args
        return {
            "query": args.get("query"),
            "variables": _json_arg(args.get("variables"), "variables"),
            "operationName": args.get("operationName") or None,
            "extensions": _json_arg(args.get("extensions"), "extensions"),
        }
    if request.mimetype != "application/json":
        return None
    body = request_body.body_json(request)
    return body if isinstance(body, dict) else None


def _error_response(code: str, message: str, status: int = HTTPStatus.OK) -> Response:
    body = orjson.dumps({"errors": [{"message": message, "extensions": {"code": code}}]})
    return Response(
        body, status=status, mimetype=GRAPHQL_JSON, headers={"Cache-Control": "no-store"}
    )


def parameter_problem(raw: Mapping[str, Any]) -> str | None:
    """Why ``variables`` or ``extensions`` cannot be used: neither an object nor null.

    GraphQL over HTTP §6.1 ("variables: … a map", "extensions: … a map"): ``0``, ``false``,
    ``"x"`` or ``[…]`` are request errors, not an empty map. None when both are usable.
    """
    for name in ("variables", "extensions"):
        value = raw.get(name)
        if value is not None and not isinstance(value, dict):
            kind = type(value).__name__.replace("str", "string").replace("list", "array")
            return f"{name} must be an object or null, not a {kind}"
    return None


def parameter_refusal(raw: dict[str, Any]) -> Response | None:
    """400 (``BAD_REQUEST``) for a request :func:`parameter_problem` finds unusable."""
    message = parameter_problem(raw)
    if message is None:
        return None
    return _error_response(ErrorCode.BAD_REQUEST, message, HTTPStatus.BAD_REQUEST)


def document_is_valid(query: str) -> bool:
    """Whether ``query`` parses (within ``MAX_QUERY_TOKENS``) and validates against the schema.

    Only such documents are stored by APQ (GraphQL §6.1 validation rules).
    """
    max_tokens = int(current_app.config["MAX_QUERY_TOKENS"]) or None
    try:
        document = parse(query, max_tokens=max_tokens)
    except GraphQLError:
        return False
    return not validate(schema._schema, document)  # Strawberry's GraphQLSchema


def apq_policy() -> persisted_queries.ApqPolicy:
    """What clients may register under this app's settings (``APQ_MAX_DOCUMENTS``)."""
    return persisted_queries.ApqPolicy(
        document_is_valid, int(current_app.config["APQ_MAX_DOCUMENTS"])
    )


def _read_or_refuse(request: Request) -> dict[str, Any] | Response | None:
    """:func:`read_request`, or the 400 for JSON or parameters that cannot be used."""
    try:
        raw = read_request(request)
    except request_body.BadRequestJSONError as error:
        return _error_response(ErrorCode.BAD_REQUEST, str(error), HTTPStatus.BAD_REQUEST)
    if raw is None:
        return None
    return parameter_refusal(raw) or raw


def operation_name(query: str | None, given: object, memo: ParseMemo | None = None) -> str | None:
    """The name of the operation a request runs, for the access log and usage analytics.

    ``given`` (the request's ``operationName``) as text when there is one; else the name
    of the document's only operation (GraphQL §6.1 GetOperation()). None when that
    operation is anonymous, or the document has several operations or does not parse.
    ``memo``: the request's parse memo (a large document is parsed once per request).
    """
    if given is not None:
        return str(given)
    found = operations(query, memo) if query else None
    if found is None or len(found) != 1 or found[0].name is None:
        return None
    return found[0].name.value


class Seen(NamedTuple):
    """What :class:`SeenRequests` keeps of a request: its key and its operation's name."""

    key: str  # :func:`~.http_cache.request_key`, before it is stamped with the write time
    operation_name: str | None  # :func:`operation_name`, for the access line of a hit


class SeenRequests:
    """Request keys of plain requests already read, by a digest of their bytes (an LRU).

    A request is read the same way whenever its bytes are the same: a POST's body (its
    ``Content-Type`` is checked on each request), a GET's query string. What
    :func:`prepare` computes from them (the JSON decoded, the nesting checked, the
    parameters checked, :func:`~.http_cache.request_key`, the operation's name) is kept
    here as a :class:`Seen`, so :func:`answer_seen` answers a repeated request from the
    caches without reading it again, and logs the operation an execution would log. Only
    plain documents are kept (no persisted-query hash, mode not ``allowlist``): nothing
    else decides how they are answered. Keyed by SHA-256 of the bytes, so an entry costs
    the same whatever the request's size. Thread-safe.
    """

    def __init__(self, max_entries: int = 4096) -> None:
        self.max_entries = max(1, max_entries)
        self._lock = threading.Lock()
        self._keys: OrderedDict[bytes, Seen] = OrderedDict()

    def get(self, raw: bytes) -> Seen | None:
        """What was kept of the request whose bytes digest to ``raw``, or None."""
        with self._lock:
            seen = self._keys.get(raw)
            if seen is not None:
                self._keys.move_to_end(raw)
            return seen

    def put(self, raw: bytes, key: str, operation_name: str | None = None) -> None:
        """Remember ``key`` and ``operation_name`` for ``raw`` (LRU past the bound)."""
        with self._lock:
            self._keys[raw] = Seen(key, operation_name)
            self._keys.move_to_end(raw)
            if len(self._keys) > self.max_entries:
                self._keys.popitem(last=False)

    def __len__(self) -> int:
        return len(self._keys)


def init_app(app: Flask) -> None:
    """Make the app's :class:`SeenRequests` (by the app factory, with the other caches)."""
    app.extensions[SEEN_KEY] = SeenRequests()


def seen_requests(app: Flask) -> SeenRequests:
    """The app's :class:`SeenRequests`."""
    seen: SeenRequests = app.extensions[SEEN_KEY]
    return seen


#: WSGI environ key of a request's :func:`raw_digest` (hashed once per request).
_DIGEST_KEY: Final = "graphql_api.raw_digest"


def raw_digest(request: Request) -> bytes | None:
    """SHA-256 of what a GET or POST request is read from (query string, body), tagged.

    None for other methods. Computed once per request (a miss of :func:`answer_seen`
    needs it again in :func:`prepare`).
    """
    environ = request.environ
    if _DIGEST_KEY not in environ:
        digest = None
        method = request.method
        if method == "GET":
            digest = hashlib.sha256(b"GET?" + request.query_string).digest()
        elif method == "POST":
            limit = current_app_object().config["MAX_CONTENT_LENGTH"]
            hashed = hashlib.sha256(b"POST\n")
            hashed.update(request_body.raw_body(request, limit))
            digest = hashed.digest()
        environ[_DIGEST_KEY] = digest
    found: bytes | None = environ[_DIGEST_KEY]
    return found


def answer_seen(request: Request) -> Response | None:
    """304 or the cached bytes for a request :class:`SeenRequests` knows; else None.

    Reads neither the request nor the database: its key and its operation's name (for the
    access line, :class:`~.request_state.RequestState`) come from the bytes' digest, the
    revision from the process's clock. None (read it with :func:`prepare`) for a request
    not seen before, an unknown revision or a response not in the cache. The request's
    ``Content-Type`` must have been checked (the view refuses anything but JSON first).
    """
    app = current_app_object()
    raw = raw_digest(request)
    seen = seen_requests(app).get(raw) if raw is not None else None
    if seen is None:
        return None
    known = revision_clock(app).current()
    if known is None:
        return None
    revision, written = known
    key = stamped(seen.key, written)
    answer = _from_cache(request, revision, key, request.method == "GET", app=app)
    if answer is not None:
        state = request_state(request)
        if state is not None:
            state.operation_name = seen.operation_name
    return answer


def prepare(request: Request, memo: ParseMemo | None = None) -> Prepared | Response | None:
    """Answer from caches when possible; else say what Strawberry should execute.

    The revision comes from the process's :class:`~graphql_api.store.revision_clock.
    RevisionClock`: a 304 or a response-cache hit reads no database and opens no session
    (in persisted-query mode ``off``, or ``apq`` with the document sent). Otherwise the
    request starts its read transaction and reads the revision there, which the clock
    learns. Once the document is known, the request's
    :class:`~.request_state.RequestState` gets its operation's name (:func:`operation_name`;
    ``memo``: the request's parse memo), whether it is answered here or executed.

    Returns:
        A ``Response`` to send as is (304, cached bytes, persisted-query error), a
        :class:`Prepared` for Strawberry, or None to leave the request to Strawberry.
    """
    raw = _read_or_refuse(request)
    if not isinstance(raw, dict):
        return raw
    mode = str(current_app.config["PERSISTED_QUERIES"])
    query = raw.get("query") if isinstance(raw.get("query"), str) else None
    extensions = raw.get("extensions")
    if mode == "allowlist" or persisted_queries.requested_hash(extensions) is not None:
        session = db.get_session()
        outcome = persisted_queries.resolve_request(session, mode, query, extensions, apq_policy())
        if outcome.registered:
            session.commit()
        plain = False
    else:  # a plain document in mode apq or off: nothing to look up or register
        outcome = persisted_queries.Outcome(query)
        plain = True
    if outcome.error is not None:
        return _error_response(*outcome.error)
    if outcome.query is None:
        return None
    variables, op_name = raw.get("variables") or {}, raw.get("operationName")
    base_key = request_key(outcome.query, variables, op_name)
    name = operation_name(outcome.query, op_name, memo)
    state = request_state(request)
    if state is not None:
        state.operation_name = name  # for the access line, a cache hit's too
    digest = raw_digest(request) if plain else None
    if digest is not None:
        seen_requests(current_app).put(digest, base_key, name)
    data = GraphQLRequestData(
        query=outcome.query,
        variables=variables or None,
        operation_name=op_name,
        extensions=extensions,
    )
    known = revision_clock(current_app).current()
    if known is not None:
        answer = _answer_cached(request, _prepared(data, known, base_key, request, name))
        if answer is not None:
            return answer
    stamp = read_stamp()
    prepared = _prepared(data, stamp, base_key, request, name)
    if stamp != known:
        answer = _answer_cached(request, prepared)
        if answer is not None:
            return answer
    return _answer_carried(request, prepared) or prepared


def read_stamp() -> Stamp:
    """Start the request's read transaction and read ``(revision, write time)`` in it.

    The revision and every later read of the request come from one committed state
    (:func:`~graphql_api.store.db.begin_snapshot`); the process's clock learns the stamp.
    """
    clock = revision_clock(current_app)
    session = db.get_session()
    generation = clock.generation
    db.begin_snapshot(session)  # the revision and every later read: one committed state
    stamp = snapshot_store().revision_stamp(session)
    clock.learn(stamp, generation)
    return stamp


def _prepared(
    data: GraphQLRequestData,
    stamp: tuple[int, str],
    base_key: str,
    request: Request,
    name: str | None,
) -> Prepared:
    revision, written = stamp
    key = stamped(base_key, written)
    is_get = request.method == "GET"
    return Prepared(data, revision, key, etag(revision, key), is_get, base_key, name)


def still_valid(entry: Entry, revision: int) -> bool:
    """Whether a cached response of an older revision is still the answer at ``revision``.

    True when, in every theme combination it read, the snapshot carried to ``revision``
    (in the request's read transaction) re-resolved none of the tokens it read, or none
    at all for a response that read every token (:meth:`~graphql_api.store.snapshots.
    SnapshotStore.changed_between`). False when that is not known: the snapshot was
    rebuilt, the theme no longer exists, the entry says nothing of what it read.
    """
    if entry.reads is None or entry.revision >= revision:
        return False
    store = snapshot_store()
    session = db.get_session()
    for selection, paths in entry.reads.items():
        try:
            store.get(session, dict(selection), revision=revision)
        except DTCGErrorGroup:
            return False
        changed = store.changed_between(selection, entry.revision, revision)
        if changed is None or (changed if paths is None else not changed.isdisjoint(paths)):
            return False
    return True


def _answer_carried(request: Request, prepared: Prepared) -> Response | None:
    """A response cached at an older revision, when a write since changed none of its reads.

    It is stored again under ``prepared``'s revision (with its usage reads) and answered
    as a cache hit; a stale one is dropped. None: execute.
    """
    cache = response_cache()
    entry = cache.latest(prepared.base)
    if entry is None or entry.revision >= prepared.revision:
        return None
    if not still_valid(entry, prepared.revision):
        cache.discard(entry)
        return None
    tag = entry.tag or etag(entry.revision, entry.key)  # a client holding it gets 304s
    cache.put(
        prepared.revision, prepared.key, entry.body, base=entry.base, reads=entry.reads, tag=tag
    )
    usage.carry((entry.revision, entry.key), (prepared.revision, prepared.key))
    return _answer_cached(request, prepared)


def _answer_cached(request: Request, prepared: Prepared) -> Response | None:
    """:func:`_from_cache` for ``prepared``."""
    return _from_cache(
        request, prepared.revision, prepared.key, prepared.is_get, app=current_app_object()
    )


def _from_cache(
    request: Request, revision: int, key: str, is_get: bool, *, app: Flask
) -> Response | None:
    """304 or the cached bytes of request ``key`` at ``revision``; None when execution is needed.

    ``is_get``: whether it came by GET (only those get 304 and ETags). The ETag is the
    cached entry's (:attr:`~graphql_api.store.response_cache.Entry.tag`: the one of the
    revision it was executed at, also after it was carried across writes that changed
    nothing it read). ``If-None-Match`` is answered 304 when it names that ETag or the
    ETag of the request at ``revision`` (:func:`~.http_cache.etag`, the same in every
    process: what a process that executed it at ``revision`` sent), also when nothing is
    cached; the 304 carries the ETag it named.
    """
    entry = response_cache(app).entry(revision, key)
    tag = entry.tag if entry is not None and entry.tag else ""
    if is_get:
        wanted = header(request, "If-None-Match")
        if wanted:
            own = etag(revision, key)
            matched = tag if tag and etag_matches(wanted, tag) else ""
            if not matched and etag_matches(wanted, own):
                matched = own
            if matched:
                usage.replay(revision, key, RequestHeaders(request), app)  # as if it ran
                # Content-Type given, not looked for (Werkzeug drops it from a 304)
                headers = _cache_headers(matched, is_get=True, app=app)
                return Response(status=304, headers=headers, content_type=GRAPHQL_JSON)
    if entry is None:
        return None
    usage.replay(revision, key, RequestHeaders(request), app)
    headers = _cache_headers(tag or etag(revision, key), is_get=is_get, app=app)
    return Response(entry.body, status=200, headers=headers, content_type=GRAPHQL_JSON)


def _cache_headers(tag: str, *, is_get: bool, app: Flask | None = None) -> dict[str, str]:
    """``ETag``, ``Cache-Control`` and ``Vary`` of a cacheable GET response (``tag``: its ETag).

    One ETag serves both media types (``application/json``,
    ``application/graphql-response+json``), so the response varies on ``Accept``; when
    reads need a key, shared caches must not keep it (``private``, ``Vary: Authorization``).
    ``app``: default the current one.
    """
    if not is_get:
        return {}
    config = (app or current_app).config
    keyed = bool(config["READ_REQUIRES_KEY"])
    return {
        "ETag": tag,
        "Cache-Control": cache_control(int(config["HTTP_MAX_AGE"]), private=keyed),
        "Vary": "Accept, Authorization" if keyed else "Accept",
    }


def token_reads(
    context: RequestContext, prepared: Prepared, memo: ParseMemo | None = None
) -> TokenReads | None:
    """What an executed query read, when its document reads only tokens; else None.

    The tokens noted by ``Query.token``/``Query.tokens``
    (:meth:`~graphql_api.schema.request_context.RequestContext.read_tokens`), all at
    ``prepared``'s revision, for a document :mod:`~graphql_api.schema.read_scope` finds
    reads nothing else. ``memo``: the request's parse memo.
    """
    if context.reads_release or not context.token_reads:
        return None
    if any(revision != prepared.revision for revision, _ in context.token_reads):
        return None
    query = prepared.data.query
    if not query:
        return None
    try:
        document = parse_document(query, memo=memo)
    except GraphQLError:
        return None
    if not scopes.reads_only_tokens(schema._schema, query, document):
        return None
    return {
        selection: frozenset(paths) if paths is not None else None
        for (_, selection), paths in context.token_reads.items()
    }


def finish(
    prepared: Prepared,
    response: Response,
    *,
    cacheable: bool,
    reads: TokenReads | None = None,
) -> Response:
    """Store a cacheable 200 response's bytes and add the GET caching headers.

    ``reads``: the tokens the response read, when that is all it read: it may then
    outlive its revision (:func:`still_valid`).
    """
    if response.status_code != HTTPStatus.OK:
        return response
    if cacheable:
        response_cache().put(
            prepared.revision,
            prepared.key,
            response.get_data(),
            base=prepared.base,
            reads=reads,
            tag=prepared.tag,
        )
        response.headers.update(_cache_headers(prepared.tag, is_get=prepared.is_get))
    elif prepared.is_get:
        response.headers["Cache-Control"] = "no-store"
    return response


@dataclass(slots=True)
class BatchSlot:
    """Where one query of a batch is cached: the revision and the stamped request key.

    The key is the one a single request for the same operation uses (:func:`prepare`),
    so a single request and the same operation inside a batch share one entry.
    """

    revision: int
    key: str
    base: str = ""


class BatchCache:
    """The response cache for the operations of one batch (one instance per request).

    Each query of a batch (``[{"query": …}, …]``) is answered from the response cache
    when a single request or an earlier batch stored it at the current revision, and is
    stored after a successful execution under the same key. Mutations are never cached.
    The revision is read as :func:`prepare` reads it: from the process's clock for a
    lookup, else once in the request's read transaction, read again when that transaction
    ended (a mutation of the batch committed, an APQ registration committed).
    """

    def __init__(self) -> None:
        self._stamp: Stamp | None = None
        self._transaction: object = None

    def slot(
        self, query: str, variables: Mapping[str, Any] | None, operation_name: str | None
    ) -> tuple[BatchSlot | None, bytes | None]:
        """``(slot, cached bytes)`` of one operation of the batch.

        ``(None, None)`` for anything but a query (nothing to look up or store);
        ``(slot, None)`` on a miss: execute, then :meth:`store` under ``slot`` if the
        result may be cached; ``(slot, bytes)`` on a hit: the bytes are the operation's
        serialised response, exactly as a single request would get them.
        """
        if operation_type(query, operation_name) != "query":
            return None, None
        base_key = request_key(query, variables or {}, operation_name)
        session = db.get_session()
        if self._stamp is not None and session.get_transaction() is not self._transaction:
            self._stamp = None  # the read transaction ended: its revision may be stale
        if self._stamp is None:
            known = revision_clock(current_app).current()
            if known is not None:
                body = response_cache().get(known[0], stamped(base_key, known[1]))
                if body is not None:
                    return BatchSlot(known[0], stamped(base_key, known[1]), base_key), body
            self._stamp = read_stamp()
            self._transaction = session.get_transaction()
        revision, written = self._stamp
        slot = BatchSlot(revision, stamped(base_key, written), base_key)
        return slot, response_cache().get(revision, slot.key)

    @staticmethod
    def store(slot: BatchSlot, body: bytes) -> None:
        """Store one query's serialised response (a 200 without errors) under ``slot``."""
        response_cache().put(
            slot.revision, slot.key, body, base=slot.base, tag=etag(slot.revision, slot.key)
        )

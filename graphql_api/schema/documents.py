"""Every GraphQL document the process reads is parsed here, with the token limit.

One function, :func:`parse_document`, parses a document text for the view's
operation-name check, the ASGI router's subscription check, the WebSocket handler and
Strawberry's own parsing step (the :class:`DocumentCache` extension), always with
``MAX_QUERY_TOKENS`` (graphql-core stops reading at the first token past it, so a
12 MB document costs what its first 20,000 tokens cost).

Parsed documents and validation results are kept in one small LRU keyed by the
SHA-256 of the text, never by the text itself, and only for documents of at most
:data:`CACHEABLE_CHARS` characters, up to :data:`CACHE_CHARS` characters in all: what the
cache holds is bounded whatever clients send (a parsed document keeps its source text).
Within one HTTP request the last document parsed (or its syntax error) is kept in the
request's :class:`ParseMemo`, which the front door makes and hands to its own checks and,
through :class:`~graphql_api.schema.request_context.RequestContext`, to Strawberry's parsing
step: the view's check and Strawberry parse a large document once.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from graphql import DocumentNode, GraphQLError, OperationDefinitionNode, parse, validate
from strawberry.extensions import SchemaExtension

from ..errors import ErrorCode
from .limits import current_limits
from .request_context import RequestContext

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

    from graphql import ASTValidationRule, GraphQLSchema

#: Largest document (characters) whose parse and validation are kept.
CACHEABLE_CHARS = 64 * 1024
#: Characters of document text the cache holds at most, all entries together.
CACHE_CHARS = 4 * 1024 * 1024
#: Entries (parsed documents, validation results) the cache holds at most.
CACHE_ENTRIES = 512


class _BoundedCache:
    """An LRU of small values keyed by digests, bounded by entries and by text characters."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._items: OrderedDict[tuple[Any, ...], tuple[int, Any]] = OrderedDict()
        self._chars = 0

    def get(self, key: tuple[Any, ...]) -> Any:
        with self._lock:
            hit = self._items.get(key)
            if hit is None:
                return None
            self._items.move_to_end(key)
            return hit[1]

    def put(self, key: tuple[Any, ...], chars: int, value: Any) -> None:
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self._chars -= old[0]
            self._items[key] = (chars, value)
            self._chars += chars
            while self._items and (len(self._items) > CACHE_ENTRIES or self._chars > CACHE_CHARS):
                _key, (size, _value) = self._items.popitem(last=False)
                self._chars -= size

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._chars = 0

    def stats(self) -> tuple[int, int]:
        """(entries, characters of document text held)."""
        with self._lock:
            return len(self._items), self._chars


_cache = _BoundedCache()


@dataclass(slots=True)
class ParseMemo:
    """The last document too large for the shared cache one request parsed, or its error.

    One per request, made by the front door.

    Attributes:
        entry: ``(key, document or GraphQLError)``; None before the first such parse.
    """

    entry: tuple[tuple[str, str, int], DocumentNode | GraphQLError] | None = None


def digest(text: str) -> str:
    """SHA-256 of a document text (hex): the only key under which documents are kept."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def parse_document(
    text: str, max_tokens: int | None = None, memo: ParseMemo | None = None
) -> DocumentNode:
    """Parse a GraphQL document with the token limit (the one parser of the process).

    Args:
        text: the document.
        max_tokens: lexical tokens read at most; default: the app's ``MAX_QUERY_TOKENS``
            (0 or less: no limit).
        memo: the request's memo: a document too large for the cache (or its syntax
            error) parsed earlier in the same request is not parsed again.

    Returns:
        The document; documents of at most :data:`CACHEABLE_CHARS` characters come from
        (and go to) the bounded cache.

    Raises:
        GraphQLError: a syntax error, or "Document contains more than N tokens".
    """
    limit = current_limits().max_tokens if max_tokens is None else max_tokens
    key = ("parse", digest(text), limit)
    cacheable = len(text) <= CACHEABLE_CHARS
    if memo is not None and memo.entry is not None and memo.entry[0] == key:
        known = memo.entry[1]
        if isinstance(known, GraphQLError):
            raise known
        return known
    hit = _cache.get(key) if cacheable else None
    if hit is not None:
        return hit  # type: ignore[no-any-return]
    try:
        document = parse(text, max_tokens=limit if limit > 0 else None)
    except GraphQLError as error:
        if memo is not None:
            memo.entry = (key, error)
        raise
    if cacheable:
        _cache.put(key, len(text), document)
    elif memo is not None:
        memo.entry = (key, document)
    return document


def operations(text: str, memo: ParseMemo | None = None) -> list[OperationDefinitionNode] | None:
    """The operations of a document, or None when it does not parse (or has too many tokens).

    ``memo``: the request's :class:`ParseMemo`, as for :func:`parse_document`.
    """
    try:
        document = parse_document(text, memo=memo)
    except GraphQLError:
        return None
    return [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]


def operation_type(text: str, operation_name: str | None) -> str | None:
    """``query``/``mutation``/``subscription`` of the operation a request runs.

    None when the document does not parse or names no such operation, or when it has
    several operations and no ``operationName`` (GraphQL spec §6.1 GetOperation()).
    """
    found = operations(text)
    if found is None:
        return None
    if operation_name is not None:
        found = [d for d in found if d.name and d.name.value == operation_name]
    return found[0].operation.value if len(found) == 1 else None


def inspect_subscription(
    text: str, operation_name: str | None
) -> tuple[str | None, GraphQLError | None]:
    """(operation type, refusal) of a document sent to the subscription transports.

    Run off the event loop. The refusal is the syntax error, or ``DOCUMENT_TOO_LARGE``
    for a document longer than :data:`CACHEABLE_CHARS` (Strawberry parses it again on
    the event loop, where only documents found in the cache are cheap).
    """
    if len(text) > CACHEABLE_CHARS:
        message = (
            f"a subscription document may have at most {CACHEABLE_CHARS} characters; "
            f"this one has {len(text)}"
        )
        return None, GraphQLError(message, extensions={"code": ErrorCode.DOCUMENT_TOO_LARGE})
    try:
        parse_document(text)
    except GraphQLError as error:
        return None, error
    return operation_type(text, operation_name), None


def validate_document(
    schema: GraphQLSchema,
    document: DocumentNode,
    text: str | None,
    rules: Sequence[type[ASTValidationRule]],
) -> list[GraphQLError]:
    """graphql-core's validation, kept for small documents by (digest, rules)."""
    key = None
    if text is not None and len(text) <= CACHEABLE_CHARS:
        key = ("validate", digest(text), id(schema), tuple(rules))
        hit = _cache.get(key)
        if hit is not None:
            return list(hit)
    errors = validate(schema, document, rules)
    if key is not None:
        _cache.put(key, 0, tuple(errors))
    return errors


def cache_stats() -> tuple[int, int]:
    """(entries, characters of document text) the document cache holds now."""
    return _cache.stats()


def clear_cache() -> None:
    """Forget every cached document and validation result (tests)."""
    _cache.clear()


class DocumentCache(SchemaExtension):
    """Strawberry's parsing and validation through :func:`parse_document`, cached by digest.

    Replaces Strawberry's ``ParserCache``/``ValidationCache``, which key on the raw text.
    Must come after :class:`~graphql_api.schema.limits.QueryLimits` (it adds its rule).
    """

    def on_parse(self) -> Iterator[None]:
        """Parse the operation's document with the token limit (and the request's memo).

        Raises:
            GraphQLError: the syntax error (Strawberry answers it as its own parse errors).
        """
        ec = self.execution_context
        if ec.graphql_document is None and ec.query:
            context = ec.context
            memo = context.parse_memo if isinstance(context, RequestContext) else None
            ec.graphql_document = parse_document(ec.query, memo=memo)
        yield

    def on_validate(self) -> Iterator[None]:
        """Validate (or reuse the result for the same small document and rules)."""
        ec = self.execution_context
        if ec.graphql_document is not None and ec.pre_execution_errors is None:
            ec.pre_execution_errors = validate_document(
                ec.schema._schema, ec.graphql_document, ec.query, ec.validation_rules
            )
        yield

"""The Query root. Resolvers delegate: snapshots hold the resolved tokens, nothing here resolves."""

from __future__ import annotations

import bisect
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from graphql import FieldNode, FragmentSpreadNode, GraphQLError, InlineFragmentNode

from ..compat import raw_info
from ..dtcg.paths import path_key
from ..errors import ErrorCode
from . import types as T  # noqa: N812 - short alias, like the engine's E and V
from .not_found import token_not_found
from .request_context import RequestContext

if TYPE_CHECKING:
    from ..dtcg.resolver import ResolverDocument
    from ..store.repository import Catalog
    from ..store.snapshots import Snapshot

Info = strawberry.Info[RequestContext, None]

THEME_ARG = (
    "Theme input: one context per modifier; modifiers not named take their default. "
    "An unknown modifier or context is an error that lists the valid ones."
)

ThemeArg = Annotated[list[T.ThemeSelection] | None, strawberry.argument(description=THEME_ARG)]
ReleaseArg = Annotated[
    str | None,
    strawberry.argument(
        description="Read the tokens as they were in this release (time travel), e.g. "
        "`1.4.0`; default: the current tokens. Unknown: error `RELEASE_NOT_FOUND`."
    ),
]


def modifier_objects(catalog: Catalog) -> list[T.Modifier]:
    """GraphQL modifiers of a stored catalog."""
    return [
        T.Modifier(
            name=m.name,
            description=m.description,
            default=m.default,
            contexts=[
                T.Context(name=c.name, description=c.description, modifier=m.name)
                for c in m.contexts
            ],
        )
        for m in catalog.modifiers.values()
    ]


def release_modifiers(doc: ResolverDocument, release: str) -> list[T.Modifier]:
    """GraphQL modifiers of release ``release``'s frozen resolver, in resolution order."""
    return [
        T.Modifier(
            name=m.name,
            description=m.description,
            default=m.default,
            release=release,
            contexts=[
                T.Context(name=c, description=None, modifier=m.name, release=release)
                for c in m.contexts
            ],
        )
        for kind, name in doc.order
        if kind == "modifier"
        for m in [doc.modifiers[name]]
    ]


def theme_input(theme: list[T.ThemeSelection] | None) -> dict[str, str]:
    """``[{modifier, context}]`` → ``{modifier: context}``.

    Raises:
        GraphQLError: a modifier is named twice (code ``DUPLICATE_MODIFIER``).
    """
    out: dict[str, str] = {}
    for sel in theme or []:
        if sel.modifier.lower() in (m.lower() for m in out):
            raise GraphQLError(
                f"modifier {sel.modifier!r} is selected more than once",
                extensions={"code": ErrorCode.DUPLICATE_MODIFIER},
            )
        out[sel.modifier] = sel.context
    return out


def _matches(
    snap: Snapshot, path: str, flt: T.TokenFilter, types: frozenset[str | None] | None
) -> bool:
    tok = snap.tokens[path]
    if types is not None and tok.type not in types:
        return False
    if flt.path_prefix:
        p = flt.path_prefix.rstrip(".")
        if path != p and not path.startswith(p + "."):
            return False
    if flt.deprecated is not None:
        is_dep = tok.deprecated is not None and tok.deprecated is not False
        if is_dep != flt.deprecated:
            return False
    return True


def _reads_edges(info: Info) -> bool:
    """Whether a ``tokens`` field selects ``edges`` (else it reads no token: usage skips it).

    Walks the field's own selection set and its fragments; ``@skip``/``@include`` are not
    evaluated (a conditional ``edges`` counts as read).
    """
    raw = raw_info(info)
    if raw is None:  # pragma: no cover - Strawberry always sets it
        return True
    stack: list[Any] = [
        sel
        for node in raw.field_nodes
        if node.selection_set
        for sel in node.selection_set.selections
    ]
    while stack:
        sel = stack.pop()
        if isinstance(sel, FieldNode):
            if sel.name.value == "edges":
                return True
        elif isinstance(sel, InlineFragmentNode):
            stack.extend(sel.selection_set.selections)
        elif isinstance(sel, FragmentSpreadNode):
            fragment = raw.fragments.get(sel.name.value)
            if fragment is not None:
                stack.extend(fragment.selection_set.selections)
    return False


@strawberry.type(description="Read design tokens resolved for a theme.")
class TokenQuery:
    """The root type. Resolvers read snapshots through :class:`.request_context.RequestContext`."""

    @strawberry.field(description="Every modifier with its contexts, in resolutionOrder.")
    def modifiers(self, info: Info, release: ReleaseArg = None) -> list[T.Modifier]:
        """From the request catalog (:meth:`.request_context.RequestContext.catalog`) or release."""
        if release is not None:
            return release_modifiers(info.context.release(release)[0], release)
        return modifier_objects(info.context.catalog())

    @strawberry.field(
        description="One token by dotted path, resolved in a theme. An unknown path: null "
        "and the error `TOKEN_NOT_FOUND`, whose `extensions.suggestions` lists up to three "
        'close paths ("did you mean `fgColor.default`?").'
    )
    def token(
        self,
        info: Info,
        path: Annotated[
            str, strawberry.argument(description="Dotted path, e.g. `fgColor.default`.")
        ],
        theme: ThemeArg = None,
        release: ReleaseArg = None,
    ) -> T.Token | None:
        """A lookup in the snapshot's token objects (:func:`.types.token_objects`).

        A token found in the current data is noted for usage analytics.

        Raises:
            GraphQLError: ``TOKEN_NOT_FOUND`` (:mod:`.not_found`): no such path in the theme.
        """
        ctx = info.context
        snap = ctx.snapshot(theme_input(theme), release)
        if release is None:
            ctx.read_tokens(snap, (path,))
        found = T.token_objects(snap).get(path)
        if found is None:
            raise token_not_found([path], snap.paths)
        if release is None:
            ctx.requested(snap, (path,))
        return found

    @strawberry.field(
        description="Tokens resolved in a theme, in natural path order (segment by "
        "segment, numbers by value: `size.2, size.12, size.112`; ties in plain text order), "
        "one page at a time (Relay connection, GraphQL Cursor Connections specification): "
        "`first`/`after` page forwards, `last`/`before` backwards. A cursor names a path, so "
        "a page after it starts at the next path in that order even if tokens were added. "
        "Without `first` or `last`, a page holds up to the server's maximum page size "
        "(10,000 by default), so a whole design system comes in one request."
    )
    def tokens(  # noqa: PLR0917 - GraphQL arguments
        self,
        info: Info,
        theme: ThemeArg = None,
        filter: Annotated[  # noqa: A002
            T.TokenFilter | None, strawberry.argument(description="Only tokens matching this.")
        ] = None,
        first: Annotated[
            int | None,
            strawberry.argument(
                description="Page size from the start (after `after`), 0 to the maximum page size."
            ),
        ] = None,
        after: Annotated[
            str | None,
            strawberry.argument(description="Cursor of the edge after which the page starts."),
        ] = None,
        release: ReleaseArg = None,
        last: Annotated[
            int | None,
            strawberry.argument(
                description="Page size from the end (before `before`), 0 to the maximum page size."
            ),
        ] = None,
        before: Annotated[
            str | None,
            strawberry.argument(description="Cursor of the edge before which the page ends."),
        ] = None,
    ) -> T.TokenConnection:
        """A keyset page over the snapshot's sorted paths, after ``filter``.

        The page's tokens (current data only) are noted for usage analytics.

        Raises:
            GraphQLError: ``INVALID_PAGE_SIZE`` (``first``/``last`` out of range),
                ``INVALID_CURSOR``.
        """
        ctx = info.context
        snap = ctx.snapshot(theme_input(theme), release)
        if release is None:
            ctx.read_tokens(snap, None)
        paths = snap.paths
        if filter is not None:
            types = frozenset(filter.types) if filter.types is not None else None
            paths = [p for p in paths if _matches(snap, p, filter, types)]
        start, stop = page_bounds(
            paths, ctx.max_page_size, first=first, after=after, last=last, before=before
        )
        page = paths[start:stop]
        if release is None and _reads_edges(info):
            ctx.requested(snap, page)  # usage analytics: the tokens of this page
        index = T.token_objects(snap)
        edges = [T.TokenEdge(cursor=T.encode_cursor(p), node=index[p]) for p in page]
        info_ = T.PageInfo(
            has_next_page=stop < len(paths),
            has_previous_page=start > 0,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        )
        return T.TokenConnection(edges=edges, page_info=info_, total_count=len(paths))


def _cursor_position(paths: list[str], cursor: str, *, right: bool) -> int:
    try:
        path = T.decode_cursor(cursor)
    except ValueError as exc:
        code = ErrorCode.INVALID_CURSOR
        raise GraphQLError(str(exc), extensions={"code": code}) from None
    search = bisect.bisect_right if right else bisect.bisect_left
    return search(paths, path_key(path), key=path_key)  # paths are in natural order


def page_bounds(
    paths: list[str],
    max_page_size: int,
    *,
    first: int | None = None,
    after: str | None = None,
    last: int | None = None,
    before: str | None = None,
) -> tuple[int, int]:
    """``(start, stop)`` of a page in ``paths`` (GraphQL Cursor Connections spec §4.4).

    ``after``/``before`` narrow the range (a cursor whose path is gone still marks its
    place in the order); then ``first`` keeps the first and ``last`` the last edges. With
    neither ``first`` nor ``last``, the page is the first ``max_page_size`` edges.

    Raises:
        GraphQLError: ``INVALID_PAGE_SIZE`` when ``first`` or ``last`` is outside 0 to
            ``max_page_size``; ``INVALID_CURSOR`` for a cursor this server did not make.
    """
    for name, size in (("first", first), ("last", last)):
        if size is not None and not 0 <= size <= max_page_size:
            raise GraphQLError(
                f"{name} must be between 0 and {max_page_size}, got {size}",
                extensions={"code": ErrorCode.INVALID_PAGE_SIZE},
            )
    start = 0 if after is None else _cursor_position(paths, after, right=True)
    stop = len(paths) if before is None else _cursor_position(paths, before, right=False)
    stop = max(start, stop)
    if first is None and last is None:
        first = max_page_size
    if first is not None:
        stop = min(stop, start + first)
    if last is not None:
        start = max(start, stop - last)
    return start, stop

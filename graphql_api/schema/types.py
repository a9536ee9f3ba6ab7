"""GraphQL object and input types: modifiers, contexts, tokens and their connection."""

from __future__ import annotations

import base64
import functools
from enum import Enum
from typing import Annotated, Any, cast

import strawberry
from strawberry.scalars import JSON

from ..dtcg.references import ResolvedToken
from ..dtcg.types import normalise
from ..store.snapshots import Snapshot
from .by_context import RELEASE_MEMO, context_snapshots
from .colorspace import Contrast, contrast_of
from .global_ids import Node
from .not_found import token_not_found
from .values import TokenValue, UnknownValue, to_graphql


@strawberry.input(description="Pick one context of one modifier (DTCG Resolver module inputs).")
class ThemeSelection:
    """One item of a ``theme`` argument; see :func:`graphql_api.schema.queries.theme_input`."""

    modifier: str = strawberry.field(description="Modifier name, e.g. `theme` (case-insensitive).")
    context: str = strawberry.field(description="Context name, e.g. `dark` (case-insensitive).")


@strawberry.type(description="A context chosen for a modifier.")
class SelectedContext:
    """One modifier → context pair of a theme combination."""

    modifier: str = strawberry.field(description="Modifier name.")
    context: str = strawberry.field(description="Context name.")


@strawberry.input(description="Narrow a token list; all given conditions must hold.")
class TokenFilter:
    """The ``filter`` argument of ``Query.tokens``."""

    types: list[str] | None = strawberry.field(
        default=None, description="Keep tokens whose effective `$type` is one of these."
    )
    path_prefix: str | None = strawberry.field(
        default=None,
        description="Keep tokens at or below this group path, e.g. `base.color` "
        "(whole segments: `base.col` matches nothing).",
    )
    deprecated: bool | None = strawberry.field(
        default=None, description="true: only deprecated tokens; false: only current ones."
    )


@strawberry.type(description="A context of a modifier (DTCG Resolver module), e.g. `dark`.")
class Context(Node):
    """Built from :class:`graphql_api.store.repository.ContextInfo`."""

    name: str = strawberry.field(description="Context name.")
    description: str | None = strawberry.field(description="Description, if the source has one.")
    modifier: strawberry.Private[str] = ""
    release: strawberry.Private[str | None] = None

    def global_key(self) -> tuple[str, list[Any]]:
        """``("Context", [modifier, context, release])``."""
        return "Context", [self.modifier, self.name, self.release]


@strawberry.type(description="A modifier of the resolver document, e.g. `theme` or `pointer`.")
class Modifier(Node):
    """Built from :class:`graphql_api.store.repository.ModifierInfo`."""

    name: str = strawberry.field(description="Modifier name.")
    description: str | None = strawberry.field(description="Description, if any.")
    default: str | None = strawberry.field(
        description="Context used when a query does not name this modifier."
    )
    contexts: list[Context] = strawberry.field(description="Contexts, in document order.")
    release: strawberry.Private[str | None] = None

    def global_key(self) -> tuple[str, list[Any]]:
        """``("Modifier", [name, release])``."""
        return "Modifier", [self.name, self.release]


@strawberry.type(description="Why a token is deprecated (DTCG `$deprecated`).")
class Deprecation:
    """Built from a token's effective ``$deprecated`` (a string or ``true``)."""

    reason: str | None = strawberry.field(
        description="The reason given, or null when `$deprecated` is just `true`."
    )


@strawberry.enum(
    description="The 13 types of the DTCG Format module (§8 types, §9 composite types), "
    "spelled as in `$type`."
)
class TokenType(Enum):
    """:data:`graphql_api.dtcg.types.SPEC_TYPES` as a GraphQL enum (names equal values)."""

    color = "color"
    dimension = "dimension"
    fontFamily = "fontFamily"  # noqa: N815 - the DTCG spelling
    fontWeight = "fontWeight"  # noqa: N815
    duration = "duration"
    cubicBezier = "cubicBezier"  # noqa: N815
    number = "number"
    strokeStyle = "strokeStyle"  # noqa: N815
    border = "border"
    transition = "transition"
    shadow = "shadow"
    gradient = "gradient"
    typography = "typography"


_STANDARD = {t.value: t for t in TokenType}

TYPE_DESCRIPTION = (
    "Effective `$type`: the token's own, else its alias target's, else the nearest group's "
    "(DTCG §5.2.2); types the spec does not define are kept as written; null if none applies."
)


@strawberry.type(description="A design token resolved in the selected theme (DTCG Format §5).")
class Token(Node):
    """Built once per snapshot (see :func:`token_objects`): plain fields cost no resolver call."""

    path: str = strawberry.field(description="Dotted path, e.g. `fgColor.default`.")
    name: str = strawberry.field(description="Last segment of the path.")
    type: str | None = strawberry.field(description=TYPE_DESCRIPTION)
    standard_type: TokenType | None = strawberry.field(
        description="The effective `$type` as an enum when it is one of the DTCG types; "
        "null for custom types and untyped tokens (then `type` tells what was written)."
    )
    description: str | None = strawberry.field(description="`$description`, if any.")
    deprecated: Deprecation | None = strawberry.field(
        description="Set when the token (or a group above it) is `$deprecated`; null otherwise."
    )
    extensions: JSON | None = strawberry.field(description="`$extensions`, verbatim.")
    raw_value: JSON = strawberry.field(
        description="`$value` as written in the selected theme; references are left as "
        'written, e.g. `"{base.color.blue.5}"`.'
    )
    resolved_value: JSON = strawberry.field(
        description="`$value` with every reference replaced (chains followed, also inside "
        "composite values), in the form the source wrote it."
    )
    tok: strawberry.Private[ResolvedToken]
    index: strawberry.Private[dict[str, Token]]
    snap: strawberry.Private[Snapshot]
    values: strawberry.Private[dict[float, Any]]

    @strawberry.field(
        description="For a colour token: its contrast against another colour token of the "
        "same theme (WCAG 2.x ratio and APCA Lc, this token as the text colour); null when "
        "either is not a colour. An unknown `against`: null and the error `TOKEN_NOT_FOUND` "
        "with up to three close paths in `extensions.suggestions`."
    )
    def contrast(
        self,
        against: Annotated[
            str, strawberry.argument(description="Path of the background colour token.")
        ],
    ) -> Contrast | None:
        """Delegates to :func:`.colorspace.contrast_of` in this token's snapshot.

        Raises:
            GraphQLError: ``TOKEN_NOT_FOUND``, ``against`` is not a token of this theme.
        """
        if against not in self.snap.tokens:
            raise token_not_found([against], self.snap.paths)
        return contrast_of(self.snap, self.path, against)

    @strawberry.field(
        description="The resolved value normalised to its `$type`'s GraphQL type, with "
        "derived fields (hex, css, px, rem…). `UnknownValue` for types the spec does not "
        "define or values that do not fit their type."
    )
    def value(self, info: strawberry.Info) -> TokenValue:
        """Converted once per token, snapshot and root size (:meth:`typed_value`)."""
        return self.typed_value(getattr(info.context, "root_px", 16.0))

    def typed_value(self, root_px: float) -> TokenValue:
        """The typed value for a root font size in px, kept in ``values`` once computed."""
        cached = self.values.get(root_px)
        if cached is None:  # once per token, snapshot and root size
            try:
                cached = to_graphql(normalise(self.tok.type, self.tok.value), root_px)
            except ValueError:
                cached = UnknownValue(json=self.tok.value, css=str(self.tok.value))
            self.values[root_px] = cached
        return cached

    @strawberry.field(
        description="The token this one aliases when its whole value is one reference; null "
        "otherwise."
    )
    def alias_of(self) -> Token | None:
        """The target's object in the same snapshot."""
        target = self.tok.alias_of
        return self.index[target] if target else None

    @strawberry.field(
        description="Every token an alias passes through, nearest first, ending with the "
        "token that holds the value; empty when this token is not an alias."
    )
    def alias_chain(self) -> list[Token]:
        """See :meth:`graphql_api.store.snapshots.Snapshot.alias_chain`."""
        return [self.index[p] for p in self.snap.alias_chain(self.path)]

    @strawberry.field(
        description="Tokens whose value references this one (directly), in path order."
    )
    def referenced_by(self) -> list[Token]:
        """From the snapshot's reverse index (:attr:`Snapshot.referenced_by`)."""
        return [self.index[p] for p in self.snap.referenced_by.get(self.path, [])]

    @strawberry.field(
        description="This token in every context of one modifier, in document order, each "
        "resolved and typed (like Figma's `valuesByMode`): the other modifiers keep the "
        "contexts this token was read in. An unknown modifier is an error "
        "(`UNKNOWN_MODIFIER`) listing the valid ones."
    )
    def values_by_context(
        self,
        info: strawberry.Info,
        modifier: Annotated[
            str,
            strawberry.argument(description="Modifier to vary, e.g. `theme` (case-insensitive)."),
        ],
    ) -> list[ContextValue]:
        """One cached snapshot per context (:func:`.by_context.context_snapshots`)."""
        ctx = info.context
        out: list[ContextValue] = []
        for name, context, snap in context_snapshots(ctx, self.snap, modifier):
            token = token_objects(snap).get(self.path)
            if token is not None and RELEASE_MEMO not in snap.memo:
                ctx.requested(snap, (self.path,))  # usage analytics, as for `token(path:)`
            out.append(ContextValue(modifier=name, context=context, token=token))
        return out

    def global_key(self) -> tuple[str, list[Any]]:
        """``("Token", [path, {modifier: context}, release])``: one theme combination."""
        selection = dict(sorted(self.snap.selection.items()))  # one ID however it was asked
        return "Token", [self.path, selection, self.snap.memo.get(RELEASE_MEMO)]


@strawberry.type(description="A token's value in one context of a modifier (`valuesByContext`).")
class ContextValue:
    """Built by :meth:`Token.values_by_context`."""

    modifier: str = strawberry.field(description="The modifier varied, as the document spells it.")
    context: str = strawberry.field(description="One of its contexts.")
    token: Token | None = strawberry.field(
        description="The token resolved in this context (with the other modifiers as read); "
        "null when the token does not exist there."
    )

    @strawberry.field(description="The token's `resolvedValue` in this context; null if absent.")
    def resolved_value(self) -> JSON | None:
        """See :attr:`Token.resolved_value`."""
        return self.token.resolved_value if self.token is not None else None

    @strawberry.field(description="The token's typed `value` in this context; null if absent.")
    def value(self, info: strawberry.Info) -> TokenValue | None:
        """See :meth:`Token.value`."""
        if self.token is None:
            return None
        return self.token.typed_value(getattr(info.context, "root_px", 16.0))


def _deprecation(dep: bool | str | None) -> Deprecation | None:
    if dep is None or dep is False:
        return None
    return Deprecation(reason=dep if isinstance(dep, str) else None)


#: Cursors of stored paths kept encoded (a few MB at most).
CURSORS_KEPT = 65_536


def token_objects(snap: Snapshot) -> dict[str, Token]:
    """The GraphQL token objects of a snapshot, path → Token, built once and memoised on it."""
    index: dict[str, Token] | None = snap.memo.get("graphql_tokens")
    if index is None:
        index = {}
        for path, tok in snap.tokens.items():
            node = tok.node
            index[path] = Token(
                path=path,
                name=node.name,
                type=tok.type,
                standard_type=_STANDARD.get(tok.type or ""),
                description=node.description,
                deprecated=_deprecation(tok.deprecated),
                extensions=cast("JSON | None", node.extensions),
                raw_value=node.value,
                resolved_value=tok.value,
                tok=tok,
                index=index,
                snap=snap,
                values={},
            )
        snap.memo["graphql_tokens"] = index
    return index


@strawberry.type(description="Relay page information.")
class PageInfo:
    """Built by ``Query.tokens`` for the page it returns."""

    has_next_page: bool = strawberry.field(description="More tokens follow this page.")
    has_previous_page: bool = strawberry.field(description="Tokens precede this page.")
    start_cursor: str | None = strawberry.field(description="Cursor of the first edge.")
    end_cursor: str | None = strawberry.field(
        description="Cursor of the last edge; pass as `after`."
    )


@strawberry.type(description="A token and its cursor.")
class TokenEdge:
    """Built by ``Query.tokens``; the cursor is :func:`encode_cursor` of the path."""

    cursor: str = strawberry.field(description="Opaque cursor of this token.")
    node: Token = strawberry.field(description="The token.")


@strawberry.type(description="A page of tokens, in path order (Relay connection).")
class TokenConnection:
    """What ``Query.tokens`` returns."""

    edges: list[TokenEdge] = strawberry.field(description="The tokens of this page.")
    page_info: PageInfo = strawberry.field(description="Where this page stands.")
    total_count: int = strawberry.field(description="Tokens matching the filter, on all pages.")


@functools.lru_cache(maxsize=CURSORS_KEPT)
def encode_cursor(path: str) -> str:
    """Opaque cursor of a token path (kept: every page of every read encodes them again)."""
    return base64.urlsafe_b64encode(path.encode()).decode()


def decode_cursor(cursor: str) -> str:
    """The path inside a cursor.

    Raises:
        ValueError: not a cursor this server made.
    """
    try:
        return base64.urlsafe_b64decode(cursor.encode()).decode()
    except (ValueError, UnicodeDecodeError):
        raise ValueError(f"invalid cursor {cursor!r}") from None

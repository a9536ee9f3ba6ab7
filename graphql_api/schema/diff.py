"""``Query.diff``: typed changes between two releases or themes, and the semver bump.

Diffs come from :func:`graphql_api.dtcg.diff_themes.diff_combinations` over pairs of
snapshots (every theme combination both sides have, or two given themes); renames between
releases come from the change log (:func:`graphql_api.store.repository.renames_between`).
"""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from strawberry.scalars import JSON

from ..dtcg.diff import TokenChange as DiffChange
from ..dtcg.diff import bump_version, semver_bump
from ..dtcg.diff_themes import CombinedDiff, diff_combinations
from ..live.changes import path_under
from ..store import repository
from . import types as T  # noqa: N812 - short alias
from .not_found import token_not_found
from .queries import ThemeArg, theme_input
from .request_context import RequestContext

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from ..store.snapshots import Snapshot

Info = strawberry.Info[RequestContext, None]


@strawberry.enum(description="Semantic-version bump a set of token changes calls for.")
class SemverBump(Enum):
    """Removal, rename or type change: MAJOR; addition or (un)deprecation: MINOR; value: PATCH."""

    NONE = "none"
    PATCH = "patch"
    MINOR = "minor"
    MAJOR = "major"


@strawberry.enum(description="What happened to a token between two versions or themes.")
class ChangeKind(Enum):
    """The kinds of :mod:`graphql_api.dtcg.diff`."""

    ADDED = "added"
    REMOVED = "removed"
    RENAMED = "renamed"
    VALUE_CHANGED = "value_changed"
    TYPE_CHANGED = "type_changed"
    DEPRECATED = "deprecated"
    UNDEPRECATED = "undeprecated"


@strawberry.interface(description="One change of one token in a diff.")
class TokenChange:
    """Fields every change has; the implementing type tells the kind."""

    kind: ChangeKind = strawberry.field(description="The kind (also told by `__typename`).")
    path: str = strawberry.field(description="Path on the `to` side (removed: the `from` side).")
    previous_path: str | None = strawberry.field(
        description="For a renamed token (and its other changes): its path on the `from` side."
    )
    themes: list[list[T.SelectedContext]] = strawberry.field(
        description="The theme combinations in which this change appears, each a list of "
        'modifier → context (e.g. `[[{modifier: "theme", context: "dark"}]]`). '
        "Without `theme`, every combination is compared and a token changed the same way in "
        "several combinations is one change listing them all."
    )


@strawberry.type(description="A token only on the `to` side.")
class TokenAdded(TokenChange):
    """``added``."""

    value: JSON = strawberry.field(description="Its resolved value.")
    token: T.Token | None = strawberry.field(description="The token on the `to` side.")


@strawberry.type(description="A token only on the `from` side.")
class TokenRemoved(TokenChange):
    """``removed``."""

    value: JSON = strawberry.field(description="Its resolved value before.")


@strawberry.type(description="A token moved from `previousPath` to `path`.")
class TokenRenamed(TokenChange):
    """``renamed``."""


@strawberry.type(description="The resolved value changed.")
class TokenValueChanged(TokenChange):
    """``value_changed``."""

    before: JSON = strawberry.field(description="Resolved value on the `from` side.")
    after: JSON = strawberry.field(description="Resolved value on the `to` side.")
    token: T.Token | None = strawberry.field(description="The token on the `to` side.")


@strawberry.type(description="The effective `$type` changed.")
class TokenTypeChanged(TokenChange):
    """``type_changed``."""

    before: str | None = strawberry.field(description="Type on the `from` side.")
    after: str | None = strawberry.field(description="Type on the `to` side.")


@strawberry.type(description="The token became deprecated.")
class TokenDeprecated(TokenChange):
    """``deprecated``."""

    reason: str | None = strawberry.field(description="The reason, or null for plain `true`.")


@strawberry.type(description="The token is no longer deprecated.")
class TokenUndeprecated(TokenChange):
    """``undeprecated``."""


@strawberry.type(description="Typed changes between two versions or two themes, and the bump.")
class TokenDiff:
    """Result of ``Query.diff``."""

    from_release: str | None = strawberry.field(description="`from` release (null: current).")
    to_release: str | None = strawberry.field(description="`to` release (null: current).")
    bump: SemverBump = strawberry.field(description="The semver bump the changes call for.")
    suggested_version: str | None = strawberry.field(
        description="`from` bumped accordingly when it is a MAJOR.MINOR.PATCH name."
    )
    changes: list[TokenChange] = strawberry.field(
        description="Every change, by path in natural order, then kind."
    )
    representation_changed: bool = strawberry.field(
        description="Whether some token's value is written differently with the same value "
        "(`#1f6feb` over the same colour as an HSL object, `16px` over `{value: 16, unit: "
        "px}`, `0.2s` over `200ms`). Such tokens are not changes; they are listed in "
        "`representationChangedPaths`."
    )
    representation_changed_paths: list[str] = strawberry.field(
        description="Paths whose value is only written differently, in natural order."
    )


def _change_object(  # noqa: PLR0911 - one per kind
    c: DiffChange, right: Snapshot, themes: Iterable[Mapping[str, str]]
) -> TokenChange:
    kind = ChangeKind(c.kind)
    common: dict[str, Any] = {
        "kind": kind,
        "path": c.path,
        "previous_path": c.previous_path,
        "themes": [
            [T.SelectedContext(modifier=m, context=x) for m, x in t.items()] for t in themes
        ],
    }
    token = T.token_objects(right).get(c.path)
    if kind is ChangeKind.ADDED:
        return TokenAdded(**common, value=c.after, token=token)
    if kind is ChangeKind.REMOVED:
        return TokenRemoved(**common, value=c.after if c.after is not None else c.before)
    if kind is ChangeKind.RENAMED:
        return TokenRenamed(**common)
    if kind is ChangeKind.VALUE_CHANGED:
        return TokenValueChanged(**common, before=c.before, after=c.after, token=token)
    if kind is ChangeKind.TYPE_CHANGED:
        return TokenTypeChanged(**common, before=c.before, after=c.after)
    if kind is ChangeKind.DEPRECATED:
        reason = c.after if isinstance(c.after, str) else None
        return TokenDeprecated(**common, reason=reason)
    return TokenUndeprecated(**common)


def _key(selection: Mapping[str, str]) -> frozenset[tuple[str, str]]:
    """A theme combination compared case-insensitively (DTCG Resolver inputs)."""
    return frozenset((m.lower(), c.lower()) for m, c in selection.items())


def _combination_pairs(
    ctx: RequestContext, from_: str | None, to: str | None
) -> list[tuple[Snapshot, Snapshot]]:
    """(left, right) snapshots of every combination both sides have (the right's order).

    A side without modifiers has one combination, the empty one; combinations only one
    side has (a context added or removed) are not compared. Each side is swept
    (:meth:`RequestContext.sweep`): the caches that serve ordinary reads are used where
    they hold a combination, never filled nor evicted; each right snapshot is derived from
    its left one (:meth:`RequestContext.sweep_pairs`), re-resolving what the two versions
    write differently.
    """
    left_keys = {_key(s) for s in ctx.theme_combinations(from_)}
    selections = [sel for sel in ctx.theme_combinations(to) if _key(sel) in left_keys]
    if not selections:
        return [(ctx.snapshot({}, from_), ctx.snapshot({}, to))]
    # The left swept, each right derived from its left: none stored in the read caches.
    return list(ctx.sweep_pairs(selections, from_, to))


def _refuse_unless_under(prefix: str, known: set[str]) -> None:
    """Refuse ``prefix`` when no path of ``known`` is at or below it.

    Raises:
        GraphQLError: ``TOKEN_NOT_FOUND``, with the close paths and groups of ``known``.
    """
    if not any(path_under(p, prefix) for p in known):
        groups = {p.rsplit(".", i)[0] for p in known for i in range(p.count(".") + 1)}
        raise token_not_found([prefix], known | groups)


def _under(
    merged: CombinedDiff, prefix: str, pairs: list[tuple[Snapshot, Snapshot]]
) -> CombinedDiff:
    """The changes at or below ``prefix`` (old or new path).

    Raises:
        GraphQLError: ``TOKEN_NOT_FOUND``: no token is at or below ``prefix`` on either side.
    """
    _refuse_unless_under(prefix, {p for pair in pairs for snap in pair for p in snap.paths})
    changes = [
        t
        for t in merged.changes
        if path_under(t.change.path, prefix)
        or (t.change.previous_path and path_under(t.change.previous_path, prefix))
    ]
    written = [p for p in merged.representation_changed if path_under(p, prefix)]
    return CombinedDiff(changes, written)


def _renames(ctx: RequestContext, left: int, right: int) -> dict[str, str]:
    """Renames recorded in the change log from revision ``left`` to ``right`` (or back)."""
    if left < right:
        return repository.renames_between(ctx.session, left, right)
    if left > right:
        back = repository.renames_between(ctx.session, right, left)
        return {new: old for old, new in back.items()}
    return {}


FromArg = Annotated[
    str | None,
    strawberry.argument(name="from", description="Release on the left (default: the current)."),
]
ToArg = Annotated[
    str | None, strawberry.argument(description="Release on the right (default: the current).")
]


@strawberry.type(description="Diffs between releases or themes.")
class DiffQuery:
    """The ``diff`` field (merged into ``Query``)."""

    @strawberry.field(
        description="Typed changes from one release (or theme) to another, with the semver "
        "bump they imply. Without `theme`, `fromTheme` and `toTheme`, every theme "
        "combination both sides have is compared, and each change lists the combinations it "
        "appears in (`themes`). Values are compared after normalisation: the same colour, "
        "dimension or duration written differently is not a change (see "
        "`representationChanged`). Between releases, renames recorded in the change log are "
        "shown as renames; others are detected (same type and value under a new path). With "
        "`fromTheme`/`toTheme`, compares two themes of the same version."
    )
    def diff(  # noqa: PLR0917 - GraphQL arguments
        self,
        info: Info,
        from_: FromArg = None,
        to: ToArg = None,
        theme: ThemeArg = None,
        from_theme: Annotated[
            list[T.ThemeSelection] | None,
            strawberry.argument(description="Theme on the left (default: `theme`)."),
        ] = None,
        to_theme: Annotated[
            list[T.ThemeSelection] | None,
            strawberry.argument(description="Theme on the right (default: `theme`)."),
        ] = None,
        path_prefix: Annotated[
            str | None,
            strawberry.argument(
                description="Only changes at or below this dotted path (`color` matches "
                "`color.bg`, not `colorful`). A path that is neither a token nor a group on "
                "either side: null and the error `TOKEN_NOT_FOUND` with close paths."
            ),
        ] = None,
    ) -> TokenDiff | None:
        """:func:`graphql_api.dtcg.diff_themes.diff_combinations` over the snapshot pairs.

        Raises:
            GraphQLError: ``TOKEN_NOT_FOUND`` (:mod:`.not_found`): ``pathPrefix`` names
                nothing on either side.
        """
        ctx = info.context
        if path_prefix:  # a prefix no layer of either side defines: before any resolution
            defined = [ctx.defined_paths(r) for r in dict.fromkeys((from_, to))]
            if all(d is not None for d in defined):
                _refuse_unless_under(path_prefix, {p for d in defined for p in d or ()})
        if theme or from_theme or to_theme:
            pairs = [
                (
                    ctx.snapshot(theme_input(from_theme or theme), from_),
                    ctx.snapshot(theme_input(to_theme or theme), to),
                )
            ]
        else:
            pairs = _combination_pairs(ctx, from_, to)
        renames = _renames(ctx, pairs[0][0].revision, pairs[0][1].revision)
        merged = diff_combinations(
            ((right.selection, left.tokens, right.tokens) for left, right in pairs),
            renames=renames,
        )
        if path_prefix:
            merged = _under(merged, path_prefix, pairs)
        rights = {_key(right.selection): right for _left, right in pairs}
        bump = semver_bump(t.change for t in merged.changes)
        return TokenDiff(
            from_release=from_,
            to_release=to,
            bump=SemverBump(bump),
            suggested_version=bump_version(from_, bump) if from_ else None,
            changes=[
                _change_object(t.change, rights[_key(t.themes[0])], t.themes)
                for t in merged.changes
            ],
            representation_changed=bool(merged.representation_changed),
            representation_changed_paths=merged.representation_changed,
        )


#: Types reachable only through the ``TokenChange`` interface (the schema must list them).
CHANGE_TYPES = (
    TokenAdded,
    TokenRemoved,
    TokenRenamed,
    TokenValueChanged,
    TokenTypeChanged,
    TokenDeprecated,
    TokenUndeprecated,
)

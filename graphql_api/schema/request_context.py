"""The typed GraphQL context: one per request, built by the view."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from graphql import GraphQLError

from ..dtcg.closure import defined_paths
from ..dtcg.errors import DTCGErrorGroup
from ..dtcg.validate import ResolutionBudget
from ..errors import ErrorCode
from ..store import closures, repository
from ..usage.recorder import theme_key
from . import budget

if TYPE_CHECKING:
    from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence

    from sqlalchemy.orm import Session

    from ..live.service import LiveUpdates
    from ..store.snapshots import Snapshot, SnapshotStore
    from ..usage import UsageStore
    from ..usage.recorder import Observation
    from .documents import ParseMemo


class Principal(Protocol):
    """Who sent a request, as resolvers see it: an API key's name and scope.

    The front door fills it in (:class:`graphql_api.web.auth.Principal` is one).
    """

    @property
    def name(self) -> str:
        """The key's name (recorded as a revision's author)."""
        ...

    @property
    def scope(self) -> str:
        """``read``, ``write`` or ``admin``."""
        ...

    def allows(self, scope: str) -> bool:
        """Whether the key's scope includes ``scope``."""
        ...


#: Key of a snapshot's canonical theme text (usage analytics) in ``Snapshot.memo``.
USAGE_THEME_MEMO = "usage_theme_key"


def combinations(modifiers: Iterable[tuple[str, Iterable[str]]]) -> list[dict[str, str]]:
    """Every theme selection: one context per modifier, ``(modifier, contexts)`` in order."""
    mods = [(name, list(contexts)) for name, contexts in modifiers]
    names = [name for name, _ in mods]
    return [
        dict(zip(names, combo, strict=True))
        for combo in itertools.product(*(contexts for _, contexts in mods))
    ]


def require_scope(context: RequestContext, scope: str) -> Principal:
    """The request's principal if its API key has ``scope``.

    Raises:
        GraphQLError: ``UNAUTHENTICATED`` without a key, ``FORBIDDEN`` with a key lacking
            the scope; nothing has been written.
    """
    principal = context.principal
    if principal is None:
        raise GraphQLError(
            f"this needs an API key with scope {scope!r}: send Authorization: Bearer <key>",
            extensions={"code": ErrorCode.UNAUTHENTICATED},
        )
    if not principal.allows(scope):
        raise GraphQLError(
            f"the key {principal.name!r} has scope {principal.scope!r}, this needs {scope!r}",
            extensions={"code": ErrorCode.FORBIDDEN},
        )
    return principal


def graphql_error(group: DTCGErrorGroup) -> GraphQLError:
    """A client-facing error for expected DTCG problems (unknown modifier/context, …).

    ``extensions.code`` is the first problem's code; ``extensions.problems`` lists all.
    """
    first = group.errors[0].code if group.errors else "INVALID_INPUT"
    message = "; ".join(e.message for e in group.errors) or str(group)
    problems = [e.as_dict() for e in group.errors]
    return GraphQLError(message, extensions={"code": first, "problems": problems})


def release_not_found(name: str | None) -> GraphQLError:
    """The ``RELEASE_NOT_FOUND`` error for a release that does not exist."""
    return GraphQLError(f"no release {name!r}", extensions={"code": ErrorCode.RELEASE_NOT_FOUND})


@dataclass
class RequestContext:
    """What resolvers get as ``info.context``.

    Attributes:
        session: the request's database session (never committed by readers).
        snapshots: the process-wide snapshot cache.
        root_px: CSS pixels per rem, for dimension conversions.
        max_page_size: largest ``first`` a connection accepts.
        request: the Flask request, if any (a Starlette request or WebSocket under ASGI).
        live: the live-updates service; None under WSGI (subscriptions then refuse).
        connection_params: the ``connection_init`` payload of a graphql-transport-ws socket.
    """

    session: Session
    snapshots: SnapshotStore
    root_px: float = 16.0
    max_page_size: int = 10_000
    request: Any = None
    response: Any = None
    _memo: dict[tuple[tuple[str, str], ...], Snapshot] = field(default_factory=dict)
    _revision: int | None = None
    operation_type: str | None = None  # "query" / "mutation", set when execution starts
    principal: Principal | None = None  # the request's API key, if it sent one
    usage: list[Observation] | None = None  # tokens read, for usage analytics (None: off)
    usage_store: UsageStore | None = None  # where usage is counted and read (reports)
    cacheable: bool = True  # False: the result depends on more than the data revision
    live: LiveUpdates | None = None  # live updates (ASGI only): subscriptions use it
    connection_params: Any = None  # graphql-transport-ws connection_init payload
    cost_stats: Any = None  # the data's fan-outs (schema.cost.DataStats), when computed early
    resolutions: ResolutionBudget = field(default_factory=ResolutionBudget)
    request_id: str = ""  # the front door's request id, for masked errors and logs
    parse_memo: ParseMemo | None = None  # the request's parse of a large document (documents)
    database_unavailable: bool = False  # set when an error was a database fault (then 503)
    #: (revision, selection) → token paths the response depends on, None: all of them
    token_reads: dict[tuple[int, tuple[tuple[str, str], ...]], set[str] | None] = field(
        default_factory=dict
    )
    reads_release: bool = False  # a field read a release (read_scope leaves those out)
    json_fragments: bool = False  # the result is encoded by orjson: kept fragments may be used

    def read_tokens(self, snap: Snapshot, paths: Iterable[str] | None) -> None:
        """Note that the response depends on ``paths`` of ``snap`` (None: on every token).

        ``Query.token`` notes its path (found or not), ``Query.tokens`` the whole
        combination: a connection's pages and ``totalCount`` change when tokens are added
        or removed. What the front door needs to keep a cached response across a write
        (:mod:`.read_scope`); an update of a dict, no SQL.
        """
        key = (snap.revision, tuple(sorted(snap.selection.items())))
        if paths is None:
            self.token_reads[key] = None
            return
        known = self.token_reads.get(key, set())
        if known is not None:
            known.update(paths)
            self.token_reads[key] = known

    def requested(self, snap: Snapshot, paths: Sequence[str]) -> None:
        """Note that this request read ``paths`` in ``snap``'s theme combination.

        For usage analytics: an append to the request's own list (no lock, no SQL); the
        view hands the list to the recorder when the request ends. No-op when usage is off.
        """
        if self.usage is not None:
            key: str | None = snap.memo.get(USAGE_THEME_MEMO)
            if key is None:
                key = snap.memo[USAGE_THEME_MEMO] = theme_key(snap.selection)
            self.usage.append((key, paths))

    def written(self, revision: int) -> None:
        """After a write committed: later fields of this request read ``revision``."""
        self._revision = revision
        self._memo.clear()

    def next_operation(self) -> None:
        """Forget what the previous operation of a batch said about itself.

        Its type and whether its result may be cached; the next operation sets its own.
        """
        self.operation_type = None
        self.cacheable = True

    def pin_revision(self, revision: int) -> bool:
        """Read ``revision`` from now on, unless this request already reads another one.

        Returns:
            Whether this request reads ``revision`` (a response computed now may be
            cached under it).
        """
        if self._revision is None:
            self._revision = revision
        return self._revision == revision

    def revision(self) -> int:
        """The data revision this request reads (one statement, the first time only)."""
        if self._revision is None:
            self._revision = repository.current_revision(self.session)
        return self._revision

    def catalog(self) -> repository.Catalog:
        """The stored sets and modifiers at this request's revision."""
        return self.snapshots.catalog(self.session, self.revision())

    def theme_combinations(self, release: str | None = None) -> list[dict[str, str]]:
        """Every theme selection (the product of the modifiers' contexts).

        Of the stored modifiers, or of release ``release``'s (errors as :meth:`release`).
        """
        if release is not None:
            doc = self.release_resolver(release)
            return combinations((m.name, m.contexts) for m in doc.modifiers.values())
        mods = self.catalog().modifiers.values()
        return combinations((m.name, [c.name for c in m.contexts]) for m in mods)

    def release_resolver(self, name: str) -> Any:
        """The frozen resolver document of release ``name``, with nothing resolved.

        Raises:
            GraphQLError: ``RELEASE_NOT_FOUND``.
        """
        try:
            return self.snapshots.release_resolver(self.session, name)
        except LookupError:
            raise release_not_found(name) from None

    def defined_paths(self, release: str | None = None) -> Collection[str] | None:
        """Every token path a layer defines, now or in ``release``, with nothing resolved.

        The paths some theme combination can have: a path not among them is in none, so a
        question about it can be refused before any combination is resolved. None when a
        group uses ``$extends`` (its copies get paths no layer names): resolve to know.

        Raises:
            GraphQLError: ``RELEASE_NOT_FOUND``.
        """
        if release is None:
            return repository.defined_token_paths(self.session)
        return defined_paths(self.release_resolver(release).every_layer())

    def release(self, name: str, theme: Mapping[str, str] | None = None) -> tuple[Any, Snapshot]:
        """(frozen resolver document, snapshot) of release ``name`` for a theme input.

        Raises:
            GraphQLError: ``RELEASE_NOT_FOUND``, or a bad theme input as :meth:`snapshot`.
        """
        try:
            return self.snapshots.release(self.session, name, theme)
        except LookupError:
            raise release_not_found(name) from None
        except DTCGErrorGroup as group:
            raise graphql_error(group) from None

    def sweep(
        self, selections: list[dict[str, str]], release: str | None = None
    ) -> Iterator[Snapshot]:
        """The snapshot of each selection, for queries over every combination.

        Current data, or ``release``'s frozen tokens. Each combination is resolved once
        per request, derived from the previous one
        (:meth:`~graphql_api.store.snapshots.SnapshotStore.sweep`,
        :meth:`~graphql_api.store.snapshots.SnapshotStore.sweep_release`), and never
        stored in the caches that serve ordinary reads. The operation's clock is checked
        after each combination (:func:`.budget.check`).

        Raises:
            GraphQLError: ``RELEASE_NOT_FOUND``, or a bad theme input as :meth:`snapshot`.
            OperationStopped: the operation ran past ``MAX_QUERY_SECONDS``.
        """
        self.reads_release = self.reads_release or release is not None
        try:
            swept = (
                self.snapshots.sweep(self.session, self.revision(), selections)
                if release is None
                else self.snapshots.sweep_release(self.session, release, selections)
            )
            for snap in swept:
                budget.check()  # MAX_QUERY_SECONDS between combinations: cut, not finished
                yield snap
        except LookupError:
            raise release_not_found(release) from None
        except DTCGErrorGroup as group:
            raise graphql_error(group) from None

    def sweep_in_part(
        self,
        selections: list[dict[str, str]],
        roots: Collection[str],
        *,
        referrers: bool = False,
        release: str | None = None,
    ) -> Iterator[Snapshot] | None:
        """Per selection, a snapshot holding only ``roots`` and what they reference.

        With ``referrers``, also the tokens whose value reaches a root (what ``impact``
        lists). Current data, or ``release``'s frozen tokens. The layers are read for
        those tokens only and each combination resolves just them, sharing what resolves
        alike (:mod:`graphql_api.store.closures`); nothing is stored in the caches that
        serve ordinary reads. Such a snapshot answers only questions about those tokens:
        its ``paths`` and ``referenced_by`` are not the whole combination's. The
        operation's clock is checked after each combination (:func:`.budget.check`).

        Returns:
            The snapshots in the order of ``selections``, or None when they cannot be
            exact (``$extends``; the data changed while read): use :meth:`sweep`.

        Raises:
            GraphQLError: ``RELEASE_NOT_FOUND``, or a bad theme input as :meth:`snapshot`.
            OperationStopped: the operation ran past ``MAX_QUERY_SECONDS``.
        """
        try:
            if release is None:
                found = closures.sweep_in_part(
                    self.session,
                    self.revision(),
                    self.catalog(),
                    selections,
                    roots,
                    referrers=referrers,
                )
            else:
                self.reads_release = True
                doc, revision = self.snapshots.release_document(self.session, release)
                back = self.snapshots.release_referrers(doc) if referrers else None
                found = closures.sweep_release_in_part(
                    doc, revision, release, selections, roots, referrers=back
                )
        except LookupError:
            raise release_not_found(release) from None
        except DTCGErrorGroup as group:
            raise graphql_error(group) from None
        return None if found is None else self._clocked(found)

    def _clocked(self, snaps: Iterator[Snapshot]) -> Iterator[Snapshot]:
        """``snaps``, the operation's clock checked after each (errors as :meth:`sweep`)."""
        try:
            for snap in snaps:
                self.snapshots.counts["partial"] += 1
                budget.check()  # MAX_QUERY_SECONDS between combinations: cut, not finished
                yield snap
        except DTCGErrorGroup as group:
            raise graphql_error(group) from None

    def sweep_pairs(
        self, selections: list[dict[str, str]], left: str | None, right: str | None
    ) -> Iterator[tuple[Snapshot, Snapshot]]:
        """(left, right) snapshots of each selection, for a diff over every combination.

        ``left``/``right``: a release name, or None for the current data. The left side is
        swept as :meth:`sweep` does; each right snapshot is derived from its left one
        (:meth:`~graphql_api.store.snapshots.SnapshotStore.sweep_pairs`: what differs
        between the two versions is re-resolved). The operation's clock is checked after
        each pair (:func:`.budget.check`).

        Raises:
            GraphQLError: ``RELEASE_NOT_FOUND``, or a bad theme input as :meth:`snapshot`.
            OperationStopped: the operation ran past ``MAX_QUERY_SECONDS``.
        """
        try:
            pairs = self.snapshots.sweep_pairs(
                self.session, selections, left, right, self.revision()
            )
            for pair in pairs:
                budget.check()  # MAX_QUERY_SECONDS between combinations: cut, not finished
                yield pair
        except LookupError as missing:
            name = missing.args[0] if missing.args else left or right
            raise release_not_found(name) from None
        except DTCGErrorGroup as group:
            raise graphql_error(group) from None

    def snapshot(self, theme: Mapping[str, str] | None, release: str | None = None) -> Snapshot:
        """The resolved snapshot for a theme input, once per request and input.

        ``release``: read that release's frozen tokens instead of the current ones.

        Raises:
            GraphQLError: with ``extensions.code`` ``UNKNOWN_MODIFIER``/``UNKNOWN_CONTEXT``,
                or ``RELEASE_NOT_FOUND``.
        """
        if release is not None:
            self.reads_release = True
            return self.release(release, theme)[1]
        key = tuple(sorted((theme or {}).items()))
        snap = self._memo.get(key)
        if snap is None:
            try:
                snap = self.snapshots.get(self.session, theme, revision=self.revision())
            except DTCGErrorGroup as group:
                raise graphql_error(group) from None
            self._memo[key] = snap
            self._revision = snap.revision  # newer if the data changed while it was built
        return snap

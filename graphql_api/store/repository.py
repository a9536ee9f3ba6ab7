"""Every SELECT of the application, and the inserts of a release and of a revision.

Batch fetchers return plain objects keyed by name/id; stored layers become DTCG documents
through :mod:`.token_rows`, which also holds the few SELECTs a write of token rows makes
between its inserts (the ids of the rows it wrote). Writes of other subjects have their
own modules: :mod:`.structure` (sets, modifiers, contexts), :mod:`.token_rows`,
:mod:`.persisted_queries`, :mod:`.api_keys`.

Functions take a :class:`~sqlalchemy.orm.Session`; none commits.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, insert, select

from ..dtcg.parse import Document
from .models import (
    Alias,
    Change,
    Context,
    Modifier,
    Release,
    Revision,
    Token,
    TokenGroup,
    TokenSet,
    TokenValue,
)
from .token_rows import GROUP_COLUMNS, VALUE_COLUMNS, group_node, layer_key, token_node

if TYPE_CHECKING:
    from collections.abc import Collection, Iterable
    from datetime import datetime

    from sqlalchemy import Select
    from sqlalchemy.orm import Session


@dataclass(frozen=True, slots=True)
class ContextInfo:
    """A context (theme) of a modifier, as stored."""

    id: int
    name: str
    description: str | None


@dataclass(frozen=True, slots=True)
class ModifierInfo:
    """A modifier with its contexts in order."""

    id: int
    name: str
    description: str | None
    default: str | None
    position: int
    contexts: tuple[ContextInfo, ...]


@dataclass(frozen=True, slots=True)
class Catalog:
    """The structure of the stored resolver: sets and modifiers, in ``resolutionOrder``.

    Attributes:
        sets: ``(set id, name, position)`` for every set.
        modifiers: modifier name → :class:`ModifierInfo`.
    """

    sets: tuple[tuple[int, str, int], ...] = ()
    modifiers: dict[str, ModifierInfo] = field(default_factory=dict)

    def modifier_contexts(self) -> dict[str, tuple[list[str], str | None]]:
        """Modifier name → (context names, default): the input of ``normalise_input``."""
        return {m.name: ([c.name for c in m.contexts], m.default) for m in self.modifiers.values()}

    def layer_ids(self, selection: dict[str, str]) -> list[tuple[str, int]]:
        """``("set" | "theme", id)`` of each layer for a normalised selection, in order."""
        items: list[tuple[int, str, int]] = [(pos, "set", sid) for sid, _, pos in self.sets]
        for m in self.modifiers.values():
            ctx = next(c for c in m.contexts if c.name == selection[m.name])
            items.append((m.position, "theme", ctx.id))
        return [(kind, i) for _, kind, i in sorted(items)]

    def every_layer_id(self) -> list[tuple[str, int]]:
        """``("set" | "theme", id)`` of every set, then of every context of every modifier."""
        return [("set", sid) for sid, _, _ in self.sets] + [
            ("theme", c.id) for m in self.modifiers.values() for c in m.contexts
        ]


def current_revision(session: Session) -> int:
    """The current data revision (0 when nothing was ever written). One statement."""
    return session.scalar(select(func.coalesce(func.max(Revision.id), 0))) or 0


def revision_and_now(session: Session) -> tuple[int, Any]:
    """(the current revision, 0 before any write; the database's current time). One statement."""
    row = session.execute(select(func.coalesce(func.max(Revision.id), 0), func.now())).one()
    return int(row[0]), row[1]


def token_paths(session: Session) -> list[str]:
    """Every stored token path (any layer), in no particular order. One statement."""
    return list(session.scalars(select(Token.path)))


def defined_token_paths(session: Session) -> list[str] | None:
    """Every stored token path: the paths some theme combination can have.

    None when a stored group uses ``$extends``: its copies are made while a combination is
    flattened, under paths no row names. Two statements at most.
    """
    extending = select(TokenGroup.id).where(TokenGroup.extends.is_not(None)).limit(1)
    if session.scalar(extending) is not None:
        return None
    return token_paths(session)


def current_revision_stamp(session: Session) -> tuple[int, str]:
    """(current revision, when it was written as ISO text); (0, "") before any write.

    One statement. The time tells a revision number reused after the database was
    recreated from the one a client saw before (HTTP validators must not collide).
    """
    row = session.execute(
        select(Revision.id, Revision.created_at).order_by(Revision.id.desc()).limit(1)
    ).first()
    return (row.id, row.created_at.isoformat()) if row else (0, "")


def load_catalog(session: Session) -> Catalog:
    """Sets, modifiers and their contexts. Two statements."""
    sets = tuple(
        (r.id, r.name, r.position)
        for r in session.execute(
            select(TokenSet.id, TokenSet.name, TokenSet.position).order_by(TokenSet.position)
        )
    )
    rows = session.execute(
        select(Modifier, Context)
        .join(Context, Context.modifier_id == Modifier.id)
        .order_by(Modifier.position, Context.position)
    ).all()
    contexts: dict[int, list[ContextInfo]] = {}
    mods: dict[int, Modifier] = {}
    for mod, theme in rows:
        mods[mod.id] = mod
        contexts.setdefault(mod.id, []).append(ContextInfo(theme.id, theme.name, theme.description))
    modifiers = {
        m.name: ModifierInfo(
            m.id, m.name, m.description, m.default_context, m.position, tuple(contexts[m.id])
        )
        for m in mods.values()
    }
    return Catalog(sets, modifiers)


def layer_token_counts(session: Session) -> dict[tuple[str, int], int]:
    """Tokens stored per layer: ``("set" | "theme", id)`` → count. One statement.

    Layers without tokens are absent (count 0).
    """
    rows = session.execute(
        select(TokenValue.set_id, TokenValue.theme_id, func.count()).group_by(
            TokenValue.set_id, TokenValue.theme_id
        )
    )
    return {layer_key(set_id, theme_id): int(n) for set_id, theme_id, n in rows}


def load_layers(
    session: Session,
    layers: Iterable[tuple[str, int]],
    paths: Collection[str] | None = None,
    *,
    groups: bool | Collection[tuple[str, int]] = True,
) -> tuple[list[Document], dict[str, int]]:
    """The stored layers as DTCG documents, in the order given.

    One statement for every layer's values, one for their groups, whatever the number of
    layers (rows become tokens and groups by :mod:`.token_rows`).

    Args:
        session: Where to read.
        layers: ``("set" | "theme", id)`` pairs (see :meth:`Catalog.layer_ids`).
        paths: only the tokens at these paths (every group still); None: every token.
        groups: True: every layer's groups; False: none (one statement), for layers whose
            groups were read; or the layers (of ``layers``) whose groups to read.

    Returns:
        (one document per layer, token path → token id).
    """
    order = list(layers)
    # Keys read from rows below are typed (str, int): see token_rows.layer_key.
    docs: dict[tuple[str, int], Document] = {key: Document() for key in order}
    set_ids = [i for k, i in order if k == "set"]
    theme_ids = [i for k, i in order if k == "theme"]
    ids: dict[str, int] = {}
    value_rows = session.execute(
        select(Token.id, Token.path, TokenValue.set_id, TokenValue.theme_id, *VALUE_COLUMNS)
        .join(Token, Token.id == TokenValue.token_id)
        .where(
            TokenValue.set_id.in_(set_ids) | TokenValue.theme_id.in_(theme_ids),
            *([Token.path.in_(list(paths))] if paths is not None else []),
        )
        .order_by(TokenValue.id)
    )
    # rows unpacked as tuples: a write reads a thousand of them on a real system
    tokens_of = {key: doc.tokens for key, doc in docs.items()}
    for token_id, path, set_id, theme_id, *fields in value_rows.tuples():
        ids[path] = token_id
        tokens_of[layer_key(set_id, theme_id)][path] = token_node(path, fields)
    grouped = order if groups is True else [] if groups is False else list(groups)
    if grouped:
        _read_groups(session, grouped, docs)
    return [docs[k] for k in order], ids


def _read_groups(
    session: Session, layers: list[tuple[str, int]], docs: dict[tuple[str, int], Document]
) -> None:
    """Add the groups of ``layers`` to their documents in ``docs``. One statement."""
    set_ids = [i for k, i in layers if k == "set"]
    theme_ids = [i for k, i in layers if k == "theme"]
    group_rows = session.execute(
        select(TokenGroup.set_id, TokenGroup.theme_id, *GROUP_COLUMNS)
        .where(TokenGroup.set_id.in_(set_ids) | TokenGroup.theme_id.in_(theme_ids))
        .order_by(TokenGroup.id)
    )
    for set_id, theme_id, *fields in group_rows.tuples():
        docs[layer_key(set_id, theme_id)].groups[fields[0]] = group_node(fields)


def value_layers(session: Session, path: str) -> list[tuple[str, int]]:
    """``("set" | "theme", id)`` of every layer that gives ``path`` a value. One statement."""
    rows = session.execute(
        select(TokenValue.set_id, TokenValue.theme_id)
        .join(Token, Token.id == TokenValue.token_id)
        .where(Token.path == path)
    )
    return [layer_key(set_id, theme_id) for set_id, theme_id in rows.tuples()]


def referring_layers(session: Session, paths: Collection[str]) -> list[tuple[str, int]]:
    """Layers holding a value that references one of ``paths`` (stored aliases). One statement."""
    rows = session.execute(
        select(TokenValue.set_id, TokenValue.theme_id)
        .join(Alias, Alias.token_value_id == TokenValue.id)
        .join(Token, Token.id == Alias.target_token_id)
        .where(Token.path.in_(list(paths)))
        .distinct()
    )
    return [layer_key(set_id, theme_id) for set_id, theme_id in rows.tuples()]


@dataclass(frozen=True, slots=True)
class ReleaseInfo:
    """A release without its content."""

    id: int
    name: str
    notes: str
    revision: int
    author: str
    created_at: datetime


def _release_info() -> Select[tuple[int, str, str, int, str, datetime]]:
    """SELECT of the columns of :class:`ReleaseInfo`, in its order."""
    return select(
        Release.id,
        Release.name,
        Release.notes,
        Release.revision_id,
        Release.author,
        Release.created_at,
    )


def release_info(session: Session, name: str) -> ReleaseInfo | None:
    """The release called ``name``, or None. One statement (none for a name with NUL).

    PostgreSQL refuses NUL in text parameters; no release is named with one.
    """
    if "\x00" in name:
        return None
    row = session.execute(_release_info().where(Release.name == name)).first()
    return ReleaseInfo(*row) if row else None


def releases(session: Session) -> list[ReleaseInfo]:
    """Every release, oldest first. One statement."""
    rows = session.execute(_release_info().order_by(Release.id))
    return [ReleaseInfo(*r) for r in rows]


def add_release(
    session: Session, *, name: str, notes: str, revision: int, author: str, content: Any
) -> Release:
    """Insert a release of ``revision`` (flushed, so its id and time are set); returns the row.

    ``content`` is the frozen resolver (:func:`graphql_api.store.release_format.dump`).
    """
    release = Release(name=name, notes=notes, revision_id=revision, author=author, content=content)
    session.add(release)
    session.flush()
    return release


def add_revision(
    session: Session, changes: list[dict[str, Any]], *, message: str, author: str
) -> int:
    """Insert a revision and its change-log rows (flushed); returns the revision.

    ``changes`` are ``change`` rows without their revision (``path``, ``previous_path``,
    ``layer``, ``before``, ``after``). Two statements (one for no changes).
    """
    revision = Revision(message=message, author=author)
    session.add(revision)
    session.flush()
    if changes:
        session.execute(insert(Change), [{"revision_id": revision.id, **c} for c in changes])
    return revision.id


def release_content(session: Session, release_id: int) -> Any:
    """The frozen resolver of a release (:mod:`graphql_api.store.release_format`). One statement."""
    return session.scalar(select(Release.content).where(Release.id == release_id))


@dataclass(frozen=True, slots=True)
class ChangeRow:
    """A change-log row with its revision's time, author and message."""

    id: int
    revision: int
    path: str
    previous_path: str | None
    layer: str
    before: Any
    after: Any
    created_at: datetime
    author: str
    message: str


def changes(
    session: Session, since: int, *, after_id: int = 0, limit: int = 100
) -> tuple[list[ChangeRow], int]:
    """Change-log rows of revisions after ``since``, in write order; and how many in all.

    Args:
        session: where to read.
        since: a revision; only later writes are listed (0: all).
        after_id: keyset cursor, the last row id already seen.
        limit: page size.
    """
    base = select(Change.id).where(Change.revision_id > since)
    total = session.scalar(select(func.count()).select_from(base.subquery())) or 0
    rows = session.execute(
        select(
            Change.id,
            Change.revision_id,
            Change.path,
            Change.previous_path,
            Change.layer,
            Change.before,
            Change.after,
            Revision.created_at,
            Revision.author,
            Revision.message,
        )
        .join(Revision, Revision.id == Change.revision_id)
        .where(Change.revision_id > since, Change.id > after_id)
        .order_by(Change.id)
        .limit(limit)
    )
    return [ChangeRow(*r) for r in rows], total


def renames_between(session: Session, start: int, end: int) -> dict[str, str]:
    """Renames made by revisions in (start, end]: old path → new path, chains collapsed."""
    rows = session.execute(
        select(Change.previous_path, Change.path)
        .where(
            Change.revision_id > start, Change.revision_id <= end, Change.previous_path.is_not(None)
        )
        .order_by(Change.id)
    )
    out: dict[str, str] = {}
    for old, new in rows:
        if old is None or old == new:
            continue
        for k, v in list(out.items()):
            if v == old:
                out[k] = new
        out.setdefault(old, new)
    return out


@dataclass(frozen=True, slots=True)
class RevisionRow:
    """A revision with the paths its write touched (the change log's paths and old paths)."""

    id: int
    created_at: datetime
    author: str
    message: str
    paths: tuple[str, ...]


def revisions_after(
    session: Session, after: int, upto: int | None = None, *, limit: int | None = None
) -> list[RevisionRow]:
    """Revisions in (``after``, ``upto``], oldest first, with their touched paths. Two statements.

    ``paths`` are sorted and distinct; a rename lists its old and its new path. ``limit``:
    only the oldest that many revisions (and only their paths are read).
    """
    cond = [Revision.id > after] + ([Revision.id <= upto] if upto is not None else [])
    revs = session.execute(
        select(Revision.id, Revision.created_at, Revision.author, Revision.message)
        .where(*cond)
        .order_by(Revision.id)
        .limit(limit)
    ).all()
    if not revs:
        return []
    touched: dict[int, set[str]] = {r.id: set() for r in revs}
    rows = session.execute(
        select(Change.revision_id, Change.path, Change.previous_path).where(
            Change.revision_id > after, Change.revision_id <= revs[-1].id
        )
    )
    for rev, path, previous in rows:
        paths = touched.setdefault(rev, set())
        paths.add(path)
        if previous:
            paths.add(previous)
    return [
        RevisionRow(r.id, r.created_at, r.author, r.message, tuple(sorted(touched[r.id])))
        for r in revs
    ]


def changes_between(
    session: Session, start: int, end: int, *, limit: int
) -> list[tuple[str, str | None, str]] | None:
    """``(path, previous path, layer)`` of the change log's rows in revisions (start, end].

    One statement. None when there are more than ``limit`` rows (the caller starts over
    instead of following so many changes).
    """
    rows = session.execute(
        select(Change.path, Change.previous_path, Change.layer)
        .where(Change.revision_id > start, Change.revision_id <= end)
        .limit(limit + 1)
    ).all()
    if len(rows) > limit:
        return None
    return [(r.path, r.previous_path, r.layer) for r in rows]

"""Mutation payloads: each mutation returns a union of its success type and the refusals.

A refusal is data, not a GraphQL error, so a client sees why with a typed selection
(``... on ValidationError { problems { code path pointer } }``). Only a missing or
insufficient API key is a GraphQL error (code ``UNAUTHENTICATED``/``FORBIDDEN``).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from strawberry.scalars import JSON

from ..errors import ErrorCode
from . import types as T  # noqa: N812 - short alias, like the engine's E and V
from .global_ids import Node

if TYPE_CHECKING:
    from ..dtcg.errors import DTCGError
    from ..writes.changes import ChangeRecord
    from ..writes.errors import Conflict as ConflictError
    from ..writes.errors import Invalid
    from ..writes.errors import NotFound as NotFoundError


@strawberry.type(description="One problem, from the DTCG error catalogue (see docs/errors.md).")
class Problem:
    """Built from :class:`graphql_api.dtcg.errors.DTCGError`."""

    code: str = strawberry.field(description="Catalogue code, e.g. `CIRCULAR_REFERENCE`.")
    message: str = strawberry.field(description="What is wrong, in words.")
    path: str = strawberry.field(description="Dotted token path concerned ('' if none).")
    file: str = strawberry.field(description="Source file ('' if none; `graphql` for input).")
    pointer: str = strawberry.field(description="JSON Pointer inside `file` ('' = whole file).")

    @classmethod
    def of(cls, err: DTCGError) -> Problem:
        """From an engine error."""
        return cls(
            code=err.code, message=err.message, path=err.path, file=err.file, pointer=err.pointer
        )


@strawberry.type(
    description="Refused: the change would make the design system invalid (a cycle, a "
    "dangling reference, a type mismatch, an invalid value…). Nothing was written."
)
class ValidationError:
    """Built from :class:`graphql_api.writes.errors.Invalid`."""

    message: str = strawberry.field(description="Summary of the first problems.")
    problems: list[Problem] = strawberry.field(description="Every problem found.")

    @classmethod
    def of(cls, exc: Invalid) -> ValidationError:
        """From a refusal."""
        return cls(message=str(exc), problems=[Problem.of(p) for p in exc.problems])


@strawberry.type(description="Refused: what the mutation names does not exist. Nothing written.")
class NotFound:
    """Built from :class:`graphql_api.writes.errors.NotFound`."""

    message: str = strawberry.field(description="What was not found.")
    kind: str = strawberry.field(description="`token`, `set`, `modifier`, `context` or `release`.")
    code: str = strawberry.field(
        description="`TOKEN_NOT_FOUND`, `SET_NOT_FOUND`, `MODIFIER_NOT_FOUND`, "
        "`CONTEXT_NOT_FOUND` or `RELEASE_NOT_FOUND` (the kind, upper case)."
    )
    suggestions: list[str] = strawberry.field(
        description="For a token: up to three existing paths close to the one named, closest "
        'first ("did you mean `fgColor.default`?"); else empty.'
    )

    @classmethod
    def of(cls, exc: NotFoundError) -> NotFound:
        """From a refusal."""
        code = ErrorCode(f"{exc.kind.upper()}_NOT_FOUND")
        return cls(message=str(exc), kind=exc.kind, code=code, suggestions=exc.suggestions)


@strawberry.type(
    description="Refused: `expectedRevision` is stale (someone wrote since; read again and "
    "retry), or the name is taken. Nothing was written."
)
class Conflict:
    """Built from :class:`graphql_api.writes.errors.Conflict`."""

    message: str = strawberry.field(description="What conflicts.")
    code: str = strawberry.field(description="`STALE_REVISION` or `ALREADY_EXISTS`.")
    current_revision: int = strawberry.field(description="The revision stored now.")

    @classmethod
    def of(cls, exc: ConflictError) -> Conflict:
        """From a refusal."""
        return cls(message=str(exc), code=exc.code, current_revision=exc.current_revision)


@strawberry.type(description="One token touched by a write in one layer (the change log).")
class Change:
    """A change-log row."""

    path: str = strawberry.field(description="Token path (after a rename: the new one).")
    previous_path: str | None = strawberry.field(description="The old path of a rename.")
    layer: str = strawberry.field(
        description="Set name (`foundation`) or `modifier:context` (`theme:dark`)."
    )
    before: JSON | None = strawberry.field(
        description='The token as written in that layer before (`{"$value", "$type"…}`), '
        "references unresolved; null if it had no value there."
    )
    after: JSON | None = strawberry.field(
        description="The token as written after; null if the write removed it from the layer."
    )
    revision: int = strawberry.field(description="Revision of the write.")
    created_at: datetime | None = strawberry.field(description="When the write was made (UTC).")
    author: str = strawberry.field(description="API key name of the writer ('' = command line).")
    message: str = strawberry.field(description="What the write did, e.g. `rename a to b`.")

    @classmethod
    def of(cls, rec: ChangeRecord, revision: int, author: str, message: str) -> Change:
        """From an entry just written."""
        return cls(
            path=rec.path,
            previous_path=rec.previous_path,
            layer=rec.layer,
            before=rec.before,
            after=rec.after,
            revision=revision,
            created_at=None,
            author=author,
            message=message,
        )


@strawberry.type(description="The write was stored as a new revision.")
class WriteSuccess:
    """What any successful write returns."""

    revision: int = strawberry.field(
        description="The new revision: pass it as `expectedRevision` to the next write."
    )
    message: str = strawberry.field(description="What the write did.")
    changes: list[Change] = strawberry.field(
        description="Every token touched, per layer (also in `Query.changes`)."
    )


@strawberry.type(description="The token was written; `token` is it resolved after the write.")
class TokenSuccess(WriteSuccess):
    """Success of a token mutation."""

    path: strawberry.Private[str | None]

    @strawberry.field(
        description="The token resolved in the default theme after the write (null if "
        "the write removed it). Resolved only when selected: a write that does not ask "
        "for it costs no snapshot rebuild."
    )
    def token(self, info: strawberry.Info) -> T.Token | None:
        """The default theme's snapshot at the request's revision (now the new one)."""
        if self.path is None:
            return None
        return T.token_objects(info.context.snapshot(None)).get(self.path)


@strawberry.type(description="The modifier or context change was stored.")
class ModifierSuccess(WriteSuccess):
    """Success of a modifier or context mutation."""

    modifier: T.Modifier | None = strawberry.field(
        description="The modifier after the write (null once deleted)."
    )


@strawberry.type(description="A document was imported: it replaced every token.")
class ImportSuccess:
    """Success of ``importTokens``."""

    revision: int = strawberry.field(description="The new revision.")
    message: str = strawberry.field(description="What the write did.")
    changes: int = strawberry.field(
        description="Change-log entries written (read them with `Query.changes`)."
    )
    tokens: int = strawberry.field(description="Distinct token paths stored.")
    values: int = strawberry.field(description="Values stored (one per token per layer).")
    aliases: int = strawberry.field(description="Reference edges stored.")


@strawberry.type(description="A named release: a frozen revision that reads can time-travel to.")
class Release(Node):
    """A ``release`` row."""

    name: str = strawberry.field(description="Release name, e.g. `1.4.0`.")
    notes: str = strawberry.field(description="Release notes.")
    revision: int = strawberry.field(description="The data revision it froze.")
    created_at: datetime = strawberry.field(description="When it was made (UTC).")
    author: str = strawberry.field(description="API key name of its maker.")

    def global_key(self) -> tuple[str, list[Any]]:
        """``("Release", [name])``."""
        return "Release", [self.name]


@strawberry.type(description="The release was made.")
class ReleaseSuccess:
    """Success of ``createRelease``."""

    release: Release = strawberry.field(description="The new release.")


@strawberry.type(description="Result of `validateTokens`: every problem; nothing is written.")
class ValidationReport:
    """A dry run's outcome."""

    valid: bool = strawberry.field(description="True when there is no problem.")
    problems: list[Problem] = strawberry.field(description="Every problem found.")


TokenPayload = Annotated[
    TokenSuccess | ValidationError | NotFound | Conflict,
    strawberry.union("TokenPayload", description="Result of a token mutation."),
]
ModifierPayload = Annotated[
    ModifierSuccess | ValidationError | NotFound | Conflict,
    strawberry.union("ModifierPayload", description="Result of a modifier/context mutation."),
]
ImportPayload = Annotated[
    ImportSuccess | ValidationError | NotFound | Conflict,
    strawberry.union("ImportPayload", description="Result of `importTokens`."),
]
WritePayload = Annotated[
    WriteSuccess | ValidationError | NotFound | Conflict,
    strawberry.union("WritePayload", description="Result of `applyPatch`."),
]
ReleasePayload = Annotated[
    ReleaseSuccess | ValidationError | NotFound | Conflict,
    strawberry.union("ReleasePayload", description="Result of `createRelease`."),
]

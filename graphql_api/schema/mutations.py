# ruff: noqa: A002 - `input` is the GraphQL convention for a mutation's argument
"""The Mutation root: every write, each all-or-nothing, each needing a write-scope API key.

Resolvers delegate to :mod:`graphql_api.writes`: they name the operation, run it in the
request's session and commit, or roll back and return the refusal as a payload member.
Every input takes ``expectedRevision`` (optimistic concurrency): when given and stale,
the payload is a ``Conflict`` and nothing is written.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import strawberry
from strawberry.scalars import JSON

from .. import writes
from ..dtcg.errors import DTCGErrorGroup
from ..store import repository
from ..writes import releases, structure, tokens
from ..writes.documents import document_files, read_upload
from ..writes.imports import ImportResult
from . import payloads as P  # noqa: N812 - short alias
from . import types as T  # noqa: N812 - short alias
from .request_context import RequestContext, require_scope

if TYPE_CHECKING:
    from collections.abc import Callable

Info = strawberry.Info[RequestContext, None]

EXPECTED = (
    "The revision this change is based on (from `WriteSuccess.revision` or a read's "
    "`revision`). When given and someone wrote since, the payload is a `Conflict` "
    "(`STALE_REVISION`) and nothing is written; omit it to write regardless."
)
UNSET: Any = strawberry.UNSET
INPUT = strawberry.argument(description="What to do; see the input type's fields.")


def _expected() -> Any:
    return strawberry.field(default=None, description=EXPECTED)


@strawberry.input(description="Create a token in one layer.")
class CreateTokenInput:
    """Arguments of ``createToken``."""

    path: str = strawberry.field(description="Dotted path of the new token.")
    value: JSON = strawberry.field(description="`$value` as DTCG JSON; may be a reference.")
    type: str | None = strawberry.field(default=None, description="`$type`.")
    description: str | None = strawberry.field(default=None, description="`$description`.")
    deprecated: JSON | None = strawberry.field(
        default=None, description="`$deprecated`: true or a reason string."
    )
    extensions: JSON | None = strawberry.field(default=None, description="`$extensions`.")
    set: str | None = strawberry.field(
        default=None, description="Set to create it in (default: the only set)."
    )
    context: T.ThemeSelection | None = strawberry.field(
        default=None, description="Or the context (of a modifier) to create it in."
    )
    expected_revision: int | None = _expected()


@strawberry.input(
    description="Change a token's properties; fields left out stay, null removes one."
)
class UpdateTokenInput:
    """Arguments of ``updateToken``."""

    path: str = strawberry.field(description="Dotted path of the token.")
    value: JSON | None = strawberry.field(default=UNSET, description="New `$value`.")
    type: str | None = strawberry.field(default=UNSET, description="New `$type` (null: none).")
    description: str | None = strawberry.field(default=UNSET, description="New `$description`.")
    deprecated: JSON | None = strawberry.field(
        default=UNSET, description="`$deprecated`: true, false or a reason; null removes it."
    )
    extensions: JSON | None = strawberry.field(default=UNSET, description="New `$extensions`.")
    set: str | None = strawberry.field(
        default=None, description="Only in this set (default: every layer defining it)."
    )
    context: T.ThemeSelection | None = strawberry.field(
        default=None, description="Only in this context (default: every layer defining it)."
    )
    expected_revision: int | None = _expected()


@strawberry.input(description="Move a token to another path, in every layer.")
class RenameTokenInput:
    """Arguments of ``renameToken``."""

    path: str = strawberry.field(description="Current path.")
    new_path: str = strawberry.field(description="New path.")
    update_references: bool = strawberry.field(
        default=True,
        description="true: references to the old path are rewritten to the new one; false: "
        "a token referencing it makes the payload a `ValidationError` listing each.",
    )
    expected_revision: int | None = _expected()


@strawberry.input(description="Delete a token from every layer.")
class DeleteTokenInput:
    """Arguments of ``deleteToken``."""

    path: str = strawberry.field(description="Path of the token.")
    cascade: bool = strawberry.field(
        default=False,
        description="Also delete every token that references it, transitively; without it a "
        "referenced token is not deleted (`ValidationError`, `UNRESOLVABLE_REFERENCE`).",
    )
    expected_revision: int | None = _expected()


@strawberry.input(description="Give a token its own value in one context (an override).")
class SetTokenValueInput:
    """Arguments of ``setTokenValue``."""

    path: str = strawberry.field(description="Path of an existing token.")
    context: T.ThemeSelection = strawberry.field(description="The context.")
    value: JSON = strawberry.field(description="`$value` in that context.")
    type: str | None = strawberry.field(
        default=None, description="`$type` (default: the token's type elsewhere)."
    )
    expected_revision: int | None = _expected()


@strawberry.input(description="Remove a token's value from one context.")
class ClearTokenValueInput:
    """Arguments of ``clearTokenValue``."""

    path: str = strawberry.field(description="Path of the token.")
    context: T.ThemeSelection = strawberry.field(description="The context.")
    expected_revision: int | None = _expected()


@strawberry.input(description="Merge a DTCG token tree into one layer (JSON Merge Patch).")
class ApplyPatchInput:
    """Arguments of ``applyPatch``."""

    document: JSON = strawberry.field(
        description="A DTCG token tree: its tokens and groups are added or merged property "
        "by property into the layer; `null` removes a token, property or group (RFC 7386)."
    )
    set: str | None = strawberry.field(default=None, description="The set to patch.")
    context: T.ThemeSelection | None = strawberry.field(
        default=None, description="Or the context to patch."
    )
    expected_revision: int | None = _expected()


@strawberry.input(description="One file of an upload.")
class SourceFileInput:
    """A file of ``importTokens``/``validateTokens``."""

    path: str = strawberry.field(description="Relative path, e.g. `tokens/color.json`.")
    content: str = strawberry.field(description="File text (JSON or JSON5).")


@strawberry.input(
    description="Token sources, read exactly as `flask tokens import` reads files: a "
    "resolver document, a DTCG file, a Tokens Studio or Style Dictionary folder…"
)
class TokenSourceInput:
    """Arguments of ``importTokens``/``validateTokens``."""

    document: JSON | None = strawberry.field(
        default=None, description="One JSON document (a resolver document or a token file)."
    )
    files: list[SourceFileInput] | None = strawberry.field(
        default=None, description="Or several files (a resolver document with its sources…)."
    )
    entry: str | None = strawberry.field(
        default=None,
        description="With `files`: the file to read (default: the only one, "
        "else the whole upload as a folder).",
    )
    format: str = strawberry.field(
        default="auto",
        description="`auto`, `resolver`, `dtcg`, `tokens-studio`, "
        "`style-dictionary` or `context-per-file`.",
    )
    strict: bool = strawberry.field(
        default=False, description="Reject the non-standard forms otherwise accepted."
    )
    expected_revision: int | None = _expected()


@strawberry.input(description="Add a modifier with empty contexts (last in resolution order).")
class CreateModifierInput:
    """Arguments of ``createModifier``."""

    name: str = strawberry.field(description="Modifier name.")
    contexts: list[str] = strawberry.field(description="Context names, in order.")
    default: str | None = strawberry.field(default=None, description="Default context.")
    description: str | None = strawberry.field(default=None, description="Description.")
    expected_revision: int | None = _expected()


@strawberry.input(description="Rename a modifier.")
class RenameModifierInput:
    """Arguments of ``renameModifier``."""

    name: str = strawberry.field(description="Current name.")
    new_name: str = strawberry.field(description="New name.")
    expected_revision: int | None = _expected()


@strawberry.input(description="Delete a modifier, its contexts and their values.")
class DeleteModifierInput:
    """Arguments of ``deleteModifier``."""

    name: str = strawberry.field(description="Modifier name.")
    expected_revision: int | None = _expected()


@strawberry.input(description="Change a modifier's default context.")
class SetModifierDefaultInput:
    """Arguments of ``setModifierDefault``."""

    name: str = strawberry.field(description="Modifier name.")
    context: str = strawberry.field(description="One of its contexts.")
    expected_revision: int | None = _expected()


@strawberry.input(description="Add a context to a modifier.")
class CreateContextInput:
    """Arguments of ``createContext``."""

    modifier: str = strawberry.field(description="Modifier name.")
    name: str = strawberry.field(description="New context name.")
    copy_from: str | None = strawberry.field(
        default=None, description="Start with a copy of this context's values (default: empty)."
    )
    expected_revision: int | None = _expected()


@strawberry.input(description="Rename a context.")
class RenameContextInput:
    """Arguments of ``renameContext``."""

    modifier: str = strawberry.field(description="Modifier name.")
    name: str = strawberry.field(description="Current context name.")
    new_name: str = strawberry.field(description="New context name.")
    expected_revision: int | None = _expected()


@strawberry.input(description="Delete a context and its values (not the default or last one).")
class DeleteContextInput:
    """Arguments of ``deleteContext``."""

    modifier: str = strawberry.field(description="Modifier name.")
    name: str = strawberry.field(description="Context name.")
    expected_revision: int | None = _expected()


@strawberry.input(description="Freeze the current revision under a name.")
class CreateReleaseInput:
    """Arguments of ``createRelease``."""

    name: str = strawberry.field(description="Release name, e.g. `1.4.0`; unique.")
    notes: str = strawberry.field(default="", description="Release notes.")


def _layer(ws: writes.Workspace, set_name: str | None, ctx: T.ThemeSelection | None) -> Any:
    if set_name is None and ctx is None:
        return None
    return ws.layer(set_name, (ctx.modifier, ctx.context) if ctx else None)


Refusal = P.ValidationError | P.NotFound | P.Conflict
S = TypeVar("S")


def _refusal(exc: Exception) -> Refusal:
    if isinstance(exc, writes.Invalid):
        return P.ValidationError.of(exc)
    if isinstance(exc, writes.NotFound):
        return P.NotFound.of(exc)
    if isinstance(exc, writes.Conflict):
        return P.Conflict.of(exc)
    raise exc


def _transaction(ctx: RequestContext, work: Callable[[], S]) -> S | Refusal:
    """Run ``work`` in a write transaction of the request's session.

    Commits it, or rolls it back and returns the refusal as a payload member (any other
    exception is re-raised after the rollback).
    """
    session = ctx.session
    session.commit()  # end the request's read snapshot: the write reads what is current
    try:
        result = work()
        session.commit()
    except writes.WriteRefused as exc:
        session.rollback()
        return _refusal(exc)
    except BaseException:
        session.rollback()
        raise
    return result


def _write(
    info: Info,
    operation: Callable[[writes.Workspace], str],
    expected: int | None,
    success: Callable[[writes.WriteResult, list[P.Change]], S],
) -> S | Refusal:
    """Run one workspace operation (:func:`graphql_api.writes.run`) in a write transaction."""
    ctx = info.context
    principal = require_scope(ctx, "write")
    result = _transaction(
        ctx,
        lambda: writes.run(
            ctx.session, operation, author=principal.name, expected_revision=expected
        ),
    )
    if not isinstance(result, writes.WriteResult):
        return result
    ctx.written(result.revision)
    changes = [
        P.Change.of(c, result.revision, principal.name, result.message) for c in result.changes
    ]
    return success(result, changes)


def _token_success(path: str | None) -> Callable[..., P.TokenSuccess]:
    def build(result: writes.WriteResult, changes: list[P.Change]) -> P.TokenSuccess:
        return P.TokenSuccess(
            revision=result.revision, message=result.message, changes=changes, path=path
        )

    return build


def _modifier_success(info: Info, name: str | None) -> Callable[..., P.ModifierSuccess]:
    def build(result: writes.WriteResult, changes: list[P.Change]) -> P.ModifierSuccess:
        from .queries import modifier_objects  # noqa: PLC0415 - avoids an import cycle

        found = [m for m in modifier_objects(info.context.catalog()) if m.name == name]
        return P.ModifierSuccess(
            revision=result.revision,
            message=result.message,
            changes=changes,
            modifier=found[0] if found else None,
        )

    return build


def _write_success(result: writes.WriteResult, changes: list[P.Change]) -> P.WriteSuccess:
    return P.WriteSuccess(revision=result.revision, message=result.message, changes=changes)


def _dtcg(data: CreateTokenInput | UpdateTokenInput) -> dict[str, Any]:
    """The input's token properties under their DTCG names."""
    return {
        "$value": data.value,
        "$type": data.type,
        "$description": data.description,
        "$deprecated": data.deprecated,
        "$extensions": data.extensions,
    }


def _properties(data: UpdateTokenInput) -> dict[str, Any]:
    return {k: v for k, v in _dtcg(data).items() if v is not UNSET}


def _object(data: CreateTokenInput) -> dict[str, Any]:
    return {k: v for k, v in _dtcg(data).items() if v is not None or k == "$value"}


def _upload(source: TokenSourceInput, ctx: RequestContext) -> tuple[Any, list[P.Problem]]:
    if (source.document is None) == (source.files is None):
        message = "give exactly one of `document` and `files`"
        return None, [
            P.Problem(code="INVALID_INPUT", message=message, path="", file="", pointer="")
        ]
    files = (
        document_files(source.document)
        if source.files is None
        else {f.path: f.content for f in source.files}
    )
    doc, problems = read_upload(
        files, source.entry, source.format, strict=source.strict, budget=ctx.resolutions
    )  # shared by the request's uploads
    return doc, [P.Problem.of(p) for p in problems]


@strawberry.type(
    description="Change the design system. Every mutation needs an API key with scope "
    "`write` (`Authorization: Bearer …`), is all-or-nothing, re-checks every theme "
    "combination it can affect, and records each token it touches in the change log."
)
class Mutation:
    """Token, modifier and context writes, imports, patches and releases."""

    @strawberry.mutation(description="Create a token in a set or context.")
    def create_token(self, info: Info, input: Annotated[CreateTokenInput, INPUT]) -> P.TokenPayload:
        """Delegates to :func:`graphql_api.writes.tokens.create_token`."""
        return _write(
            info,
            lambda ws: tokens.create_token(
                ws, input.path, _object(input), _layer(ws, input.set, input.context)
            ),
            input.expected_revision,
            _token_success(input.path),
        )

    @strawberry.mutation(
        description="Change a token's value, type, description, deprecation or extensions, in "
        "one layer or in every layer that defines it."
    )
    def update_token(self, info: Info, input: Annotated[UpdateTokenInput, INPUT]) -> P.TokenPayload:
        """Delegates to :func:`graphql_api.writes.tokens.update_token`."""
        return _write(
            info,
            lambda ws: tokens.update_token(
                ws, input.path, _properties(input), _layer(ws, input.set, input.context)
            ),
            input.expected_revision,
            _token_success(input.path),
        )

    @strawberry.mutation(
        description="Rename or move a token; references follow (`updateReferences`) or are "
        "reported."
    )
    def rename_token(self, info: Info, input: Annotated[RenameTokenInput, INPUT]) -> P.TokenPayload:
        """Delegates to :func:`graphql_api.writes.tokens.rename_token`."""
        return _write(
            info,
            lambda ws: tokens.rename_token(ws, input.path, input.new_path, input.update_references),
            input.expected_revision,
            _token_success(input.new_path),
        )

    @strawberry.mutation(description="Delete a token; refused while referenced unless `cascade`.")
    def delete_token(self, info: Info, input: Annotated[DeleteTokenInput, INPUT]) -> P.TokenPayload:
        """Delegates to :func:`graphql_api.writes.tokens.delete_token`."""
        return _write(
            info,
            lambda ws: tokens.delete_token(ws, input.path, input.cascade),
            input.expected_revision,
            _token_success(None),
        )

    @strawberry.mutation(description="Set a token's value in one context (an override per theme).")
    def set_token_value(
        self, info: Info, input: Annotated[SetTokenValueInput, INPUT]
    ) -> P.TokenPayload:
        """Delegates to :func:`graphql_api.writes.tokens.set_token_value`."""
        sel = input.context
        return _write(
            info,
            lambda ws: tokens.set_token_value(
                ws,
                input.path,
                ws.layer(context=(sel.modifier, sel.context)),
                input.value,
                input.type,
            ),
            input.expected_revision,
            _token_success(input.path),
        )

    @strawberry.mutation(description="Remove a token's value from one context.")
    def clear_token_value(
        self, info: Info, input: Annotated[ClearTokenValueInput, INPUT]
    ) -> P.TokenPayload:
        """Delegates to :func:`graphql_api.writes.tokens.clear_token_value`."""
        sel = input.context
        return _write(
            info,
            lambda ws: tokens.clear_token_value(
                ws, input.path, ws.layer(context=(sel.modifier, sel.context))
            ),
            input.expected_revision,
            _token_success(input.path),
        )

    @strawberry.mutation(
        description="Apply a DTCG token tree to one set or context as a JSON Merge Patch."
    )
    def apply_patch(self, info: Info, input: Annotated[ApplyPatchInput, INPUT]) -> P.WritePayload:
        """Delegates to :func:`graphql_api.writes.tokens.apply_patch`."""

        def operation(ws: writes.Workspace) -> str:
            layer = _layer(ws, input.set, input.context)
            if layer is None:
                layer = (
                    ws.layer(next(iter(ws.doc.sets), None))
                    if len(ws.doc.sets) == 1
                    else ws.layer(None)
                )
            return tokens.apply_patch(ws, layer, input.document)

        return _write(info, operation, input.expected_revision, _write_success)

    @strawberry.mutation(
        description="Replace every token, set and modifier with a document, read and checked "
        "as `flask tokens import` does."
    )
    def import_tokens(
        self, info: Info, input: Annotated[TokenSourceInput, INPUT]
    ) -> P.ImportPayload:
        """Reads the upload, then :func:`graphql_api.writes.replace_all`."""
        ctx = info.context
        principal = require_scope(ctx, "write")
        doc, problems = _upload(input, ctx)
        if problems or doc is None:
            return P.ValidationError(
                message=f"{len(problems)} problem(s); nothing written", problems=problems
            )
        result = _transaction(
            ctx,
            lambda: writes.replace_all(
                ctx.session, doc, author=principal.name, expected_revision=input.expected_revision
            ),
        )
        if not isinstance(result, ImportResult):
            return result
        ctx.written(result.revision)
        return P.ImportSuccess(
            revision=result.revision,
            message=f"import {doc.name}",
            changes=result.changes,
            tokens=result.tokens,
            values=result.values,
            aliases=result.aliases,
        )

    @strawberry.mutation(
        description="Dry run of `importTokens`: every problem with its code, path and JSON "
        "Pointer; nothing is written. Needs an API key with scope `write`, like the import "
        "it checks (validation resolves every theme combination)."
    )
    def validate_tokens(
        self, info: Info, input: Annotated[TokenSourceInput, INPUT]
    ) -> P.ValidationReport:
        """Reads the upload like ``importTokens`` and stops there.

        Raises:
            GraphQLError: ``UNAUTHENTICATED``/``FORBIDDEN`` without a ``write`` key.
        """
        require_scope(info.context, "write")
        try:
            _doc, problems = _upload(input, info.context)
        except DTCGErrorGroup as group:  # pragma: no cover - read_upload returns them
            problems = [P.Problem.of(e) for e in group.errors]
        return P.ValidationReport(valid=not problems, problems=problems)

    @strawberry.mutation(description="Add a modifier with empty contexts.")
    def create_modifier(
        self, info: Info, input: Annotated[CreateModifierInput, INPUT]
    ) -> P.ModifierPayload:
        """Delegates to :func:`graphql_api.writes.structure.create_modifier`."""
        return _write(
            info,
            lambda ws: structure.create_modifier(
                ws, input.name, input.contexts, input.default, input.description
            ),
            input.expected_revision,
            _modifier_success(info, input.name),
        )

    @strawberry.mutation(description="Rename a modifier.")
    def rename_modifier(
        self, info: Info, input: Annotated[RenameModifierInput, INPUT]
    ) -> P.ModifierPayload:
        """Delegates to :func:`graphql_api.writes.structure.rename_modifier`."""
        return _write(
            info,
            lambda ws: structure.rename_modifier(ws, input.name, input.new_name),
            input.expected_revision,
            _modifier_success(info, input.new_name),
        )

    @strawberry.mutation(
        description="Delete a modifier with its contexts and values; refused if other tokens "
        "need them."
    )
    def delete_modifier(
        self, info: Info, input: Annotated[DeleteModifierInput, INPUT]
    ) -> P.ModifierPayload:
        """Delegates to :func:`graphql_api.writes.structure.delete_modifier`."""
        return _write(
            info,
            lambda ws: structure.delete_modifier(ws, input.name),
            input.expected_revision,
            _modifier_success(info, None),
        )

    @strawberry.mutation(description="Change a modifier's default context.")
    def set_modifier_default(
        self,
        info: Info,
        input: Annotated[SetModifierDefaultInput, INPUT],
    ) -> P.ModifierPayload:
        """Delegates to :func:`graphql_api.writes.structure.set_default`."""
        return _write(
            info,
            lambda ws: structure.set_default(ws, input.name, input.context),
            input.expected_revision,
            _modifier_success(info, input.name),
        )

    @strawberry.mutation(description="Add a context to a modifier, empty or as a copy of another.")
    def create_context(
        self, info: Info, input: Annotated[CreateContextInput, INPUT]
    ) -> P.ModifierPayload:
        """Delegates to :func:`graphql_api.writes.structure.create_context`."""
        return _write(
            info,
            lambda ws: structure.create_context(ws, input.modifier, input.name, input.copy_from),
            input.expected_revision,
            _modifier_success(info, input.modifier),
        )

    @strawberry.mutation(description="Rename a context.")
    def rename_context(
        self, info: Info, input: Annotated[RenameContextInput, INPUT]
    ) -> P.ModifierPayload:
        """Delegates to :func:`graphql_api.writes.structure.rename_context`."""
        return _write(
            info,
            lambda ws: structure.rename_context(ws, input.modifier, input.name, input.new_name),
            input.expected_revision,
            _modifier_success(info, input.modifier),
        )

    @strawberry.mutation(description="Delete a context and its values.")
    def delete_context(
        self, info: Info, input: Annotated[DeleteContextInput, INPUT]
    ) -> P.ModifierPayload:
        """Delegates to :func:`graphql_api.writes.structure.delete_context`."""
        return _write(
            info,
            lambda ws: structure.delete_context(ws, input.modifier, input.name),
            input.expected_revision,
            _modifier_success(info, input.modifier),
        )

    @strawberry.mutation(
        description="Freeze the current revision as a named release; reads then take "
        "`release:` to see it, and `diff` compares releases."
    )
    def create_release(
        self, info: Info, input: Annotated[CreateReleaseInput, INPUT]
    ) -> P.ReleasePayload:
        """Delegates to :func:`graphql_api.writes.releases.create_release`."""
        ctx = info.context
        principal = require_scope(ctx, "write")

        def make() -> tuple[Any, int, Any]:
            row = releases.create_release(
                ctx.session, input.name, input.notes, author=principal.name
            )
            revision, created_at = repository.revision_and_now(ctx.session)
            return row, revision, created_at

        made = _transaction(ctx, make)
        if not isinstance(made, tuple):
            return made
        row, revision, created_at = made
        ctx.written(revision)
        release = P.Release(
            name=row.name,
            notes=row.notes,
            revision=row.revision_id,
            created_at=row.created_at or created_at,
            author=row.author,
        )
        return P.ReleaseSuccess(release=release)

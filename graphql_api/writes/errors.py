"""Why a write was refused. Each maps to one member of a mutation's payload union.

Raised by the operations of :mod:`graphql_api.writes`; the transaction is rolled back, so
nothing of a refused write is stored.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import ApiError

if TYPE_CHECKING:
    from collections.abc import Sequence

    from ..dtcg.errors import DTCGError


class WriteRefused(ApiError):  # noqa: N818 - a refusal, not a failure
    """Base class: the write was not made (the API's exception tree: :mod:`graphql_api.errors`)."""


class NotFound(WriteRefused):
    """The token, set, modifier, context or release named does not exist.

    Attributes:
        kind: ``"token"``, ``"set"``, ``"modifier"``, ``"context"`` or ``"release"``.
        suggestions: for a token, up to three existing paths close to the one named.
    """

    def __init__(self, message: str, kind: str, suggestions: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.kind = kind
        self.suggestions = list(suggestions)


class Conflict(WriteRefused):
    """The write is based on a stale revision, or would overwrite something that exists.

    Attributes:
        current_revision: the revision stored now.
        code: ``STALE_REVISION`` or ``ALREADY_EXISTS``.
    """

    def __init__(self, message: str, current_revision: int, code: str) -> None:
        super().__init__(message, code)
        self.current_revision = current_revision


class Invalid(WriteRefused):
    """The result would not be a valid design system: every problem, with catalogue codes."""

    def __init__(self, problems: list[DTCGError]) -> None:
        first = problems[0].code if problems else None
        super().__init__("; ".join(str(p) for p in problems[:3]), first)
        self.problems = problems

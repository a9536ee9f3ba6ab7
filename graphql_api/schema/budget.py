"""What one operation may spend while it runs: wall-clock seconds and fields resolved.

The estimate of :mod:`.cost` refuses what looks too big before anything runs; this is
the backstop while it runs. The execution context
(:class:`~graphql_api.schema.execution.FastExecutionContext`) counts the fields it
completes and looks at the clock once per object; long loops inside resolvers
(``contrastReport``) call :func:`check`. Passing either limit ends the whole operation:
``data`` is null and the only error says which limit and how to stay under it:

- ``QUERY_TIMEOUT``: the operation ran longer than ``MAX_QUERY_SECONDS``
  (queries and subscription events; a mutation is never cut after its write);
- ``QUERY_TOO_COSTLY``: it resolved more than ``MAX_QUERY_COST`` fields.

The stop is a :class:`BaseException` so that graphql-core's per-field error handling
(which catches ``Exception``) does not turn it into thousands of field errors.
"""

from __future__ import annotations

import time
from contextvars import ContextVar
from dataclasses import dataclass

from graphql import GraphQLError

from ..errors import ErrorCode

TIMEOUT = ErrorCode.QUERY_TIMEOUT
TOO_COSTLY = ErrorCode.QUERY_TOO_COSTLY


class OperationStopped(BaseException):
    """Raised inside execution to end the operation; carries the error to report."""

    def __init__(self, error: GraphQLError) -> None:
        super().__init__(error.message)
        self.error = error


@dataclass(slots=True)
class Budget:
    """Limits of one operation (or one subscription event); 0 or less: no limit.

    Attributes:
        seconds: wall-clock seconds allowed (``MAX_QUERY_SECONDS``).
        max_fields: fields that may be resolved (``MAX_QUERY_COST``).
    """

    seconds: float = 0.0
    max_fields: int = 0
    started: float = 0.0
    fields: int = 0

    def start(self) -> Budget:
        """A fresh copy of this budget, its clock starting now."""
        return Budget(self.seconds, self.max_fields, time.monotonic(), 0)

    def spend(self, fields: int) -> None:
        """Count ``fields`` resolved, then :meth:`check`.

        Raises:
            OperationStopped: a limit is passed.
        """
        self.fields += fields
        if 0 < self.max_fields < self.fields:
            message = (
                f"the operation resolved more than {self.max_fields} fields (MAX_QUERY_COST) "
                "and was stopped: ask for fewer fields or a smaller page"
            )
            raise OperationStopped(GraphQLError(message, extensions={"code": TOO_COSTLY}))
        self.check()

    def check(self) -> None:
        """Raise when the operation has run longer than allowed.

        Raises:
            OperationStopped: with a ``QUERY_TIMEOUT`` error.
        """
        if self.seconds > 0 and time.monotonic() - self.started > self.seconds:
            message = (
                f"the operation ran longer than {self.seconds:g} s (MAX_QUERY_SECONDS) and "
                "was stopped: ask for fewer fields, tokens or theme combinations"
            )
            raise OperationStopped(GraphQLError(message, extensions={"code": TIMEOUT}))


#: The budget of the operation running in this thread or task, for resolvers' loops.
CURRENT: ContextVar[Budget | None] = ContextVar("graphql_api_budget", default=None)


def check() -> None:
    """Check the running operation's clock (no-op outside an operation).

    Raises:
        OperationStopped: the operation has run longer than ``MAX_QUERY_SECONDS``.
    """
    budget = CURRENT.get()
    if budget is not None:
        budget.check()

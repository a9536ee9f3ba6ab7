"""Every use of another library's private parts, in one place, checked at import.

The server reaches below the public APIs of three libraries where their public APIs could
not do the job; each use is wrapped here, and nothing else in the package touches a private
name of theirs:

- Strawberry: :data:`CoreExecutionContext` (its graphql-core execution context, subclassed
  by :mod:`graphql_api.schema.execution` to complete basic leaf fields without per-field
  calls), :func:`raw_info` (the graphql-core ``GraphQLResolveInfo`` behind a Strawberry
  ``Info``, whose field nodes tell which sub-fields a resolver's caller selected) and
  :func:`request_data_argument` (the ``request_data`` argument of
  ``GraphQLView.execute_single``).
- asgiref: :class:`ThreadPoolWsgiInstance` (``WsgiToAsgiInstance`` with its
  ``run_wsgi_app`` on the event loop's thread pool instead of one shared thread).
- Strawberry's argument conversion (``strawberry.types.arguments.convert_argument``,
  replaced at import by :func:`_convert_argument`): within one operation
  (:func:`converted_once`), an input object or list argument whose value is the very same
  object (a variable, e.g. the ``theme`` of twenty ``token`` fields) is converted once, not
  once per field.

:func:`check_versions` runs at import and refuses, with a message that says what to do,
any version outside the ranges these uses were written and tested against
(:data:`SUPPORTED`). To move to a newer release: read the changed private code, adapt the
wrapper here, run the whole test suite, then widen the range and update the lock file
(``make lock``).
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from contextvars import ContextVar
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING, Any, Final

#: distribution → (lowest version, first version not supported), compared numerically.
SUPPORTED: Final[dict[str, tuple[str, str]]] = {
    "strawberry-graphql": ("0.341", "0.342"),
    "graphql-core": ("3.3", "3.4"),
    "asgiref": ("3.8", "4.0"),
}


class IncompatibleDependencyError(RuntimeError):
    """An installed library is outside the versions whose private parts this code uses."""


def _numbers(text: str) -> tuple[int, ...]:
    """``"0.341.2"`` → ``(0, 341, 2)``; a suffix (``rc1``, ``.dev0``) ends the release part."""
    match = re.match(r"\d+(?:\.\d+)*", text)
    return tuple(int(n) for n in match.group(0).split(".")) if match else ()


def check_versions(supported: dict[str, tuple[str, str]] = SUPPORTED) -> None:
    """Refuse to run on a library version whose private parts may have changed.

    Raises:
        IncompatibleDependencyError: a distribution is missing or outside its range; the
            message names it, the installed and the supported versions, and the lock file.
    """
    for dist, (low, high) in supported.items():
        try:
            installed = version(dist)
        except PackageNotFoundError:
            msg = f"{dist} is not installed; install the locked versions (requirements.lock)"
            raise IncompatibleDependencyError(msg) from None
        if not _numbers(low) <= _numbers(installed) < _numbers(high):
            msg = (
                f"{dist} {installed} is installed, but graphql_api uses private parts of it "
                f"tested only with >={low},<{high} (see graphql_api/compat.py); install the "
                "locked versions: pip install -r requirements.lock"
            )
            raise IncompatibleDependencyError(msg)


check_versions()

# Imported after the check, so an incompatible release fails with the message above
# rather than with an ImportError of a moved private name.
from asgiref.sync import SyncToAsync  # noqa: E402
from asgiref.wsgi import WsgiToAsgiInstance  # noqa: E402
from strawberry.schema.schema import (  # noqa: E402
    StrawberryGraphQLCoreExecutionContext as CoreExecutionContext,
)
from strawberry.types import arguments as _arguments  # noqa: E402

if TYPE_CHECKING:
    from collections.abc import Iterator

#: Arguments converted in the running operation: id(value) → (value, type, path, result).
_CONVERTED: ContextVar[dict[int, tuple[Any, Any, Any, Any]] | None] = ContextVar(
    "graphql_api_converted_arguments", default=None
)
_real_convert_argument = _arguments.convert_argument


def _convert_argument(
    value: Any,
    type_: Any,
    scalar_registry: Any,
    config: Any,
    info: Any = None,
    *,
    path: tuple[str | int, ...] = (),
) -> Any:
    """Strawberry's ``convert_argument``, once per operation for a top-level object or list.

    The value graphql-core hands over for a variable is the same object for every field
    that uses it; its conversion is kept (with the value, so its id stays its own) for the
    rest of the operation. Anything else is converted as Strawberry does.
    """
    memo = _CONVERTED.get()
    if memo is None or len(path) != 1 or not isinstance(value, (list, dict)):
        return _real_convert_argument(value, type_, scalar_registry, config, info, path=path)
    hit = memo.get(id(value))
    if hit is not None and hit[0] is value and hit[1] is type_ and hit[2] == path:
        return hit[3]
    out = _real_convert_argument(value, type_, scalar_registry, config, info, path=path)
    memo[id(value)] = (value, type_, path, out)
    return out


_arguments.convert_argument = _convert_argument


@contextmanager
def converted_once() -> Iterator[None]:
    """Within the block (one operation), argument values are converted once each."""
    token = _CONVERTED.set({})
    try:
        yield
    finally:
        _CONVERTED.reset(token)


def raw_info(info: Any) -> Any:
    """The graphql-core ``GraphQLResolveInfo`` behind a Strawberry ``Info`` (or None)."""
    return getattr(info, "_raw_info", None)


def request_data_argument(args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    """The ``request_data`` argument of Strawberry's ``GraphQLView.execute_single``."""
    return kwargs.get("request_data", args[-1] if args else None)


class ThreadPoolWsgiInstance(WsgiToAsgiInstance):
    """asgiref runs every WSGI request on one shared thread; this one uses the loop's pool."""

    run_wsgi_app = SyncToAsync(
        WsgiToAsgiInstance.__dict__["run_wsgi_app"].func, thread_sensitive=False
    )


__all__ = [
    "SUPPORTED",
    "CoreExecutionContext",
    "IncompatibleDependencyError",
    "ThreadPoolWsgiInstance",
    "check_versions",
    "converted_once",
    "raw_info",
    "request_data_argument",
]

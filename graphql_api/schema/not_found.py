"""``TOKEN_NOT_FOUND``: an unknown token path, with up to three close paths to try instead.

Like GitHub's API for unresolved nodes, a field naming an unknown path answers ``null`` plus
an error (``extensions.code`` ``TOKEN_NOT_FOUND``). The error's ``extensions``:

- ``tokenPath``: the unknown path, as written;
- ``suggestions``: up to three existing paths that look like it, closest first
  (:func:`graphql_api.dtcg.paths.close_paths`);
- ``notFound`` (several unknown paths, e.g. ``contrastReport``): ``[{tokenPath,
  suggestions}]`` for each.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from graphql import GraphQLError

from ..dtcg.paths import close_paths
from ..errors import ErrorCode

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

__all__ = ["TOKEN_NOT_FOUND", "did_you_mean", "token_not_found"]

#: ``extensions.code`` of an unknown token path.
TOKEN_NOT_FOUND: Final = ErrorCode.TOKEN_NOT_FOUND


def did_you_mean(suggestions: Sequence[str]) -> str:
    """``"; did you mean `a`, `b` or `c`?"`` (empty without suggestions)."""
    if not suggestions:
        return ""
    quoted = [f"`{p}`" for p in suggestions]
    listed = quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} or {quoted[-1]}"
    return f"; did you mean {listed}?"


def token_not_found(paths: Sequence[str], known: Iterable[str], where: str = "") -> GraphQLError:
    """The error for unknown token paths (one or more), with close paths for each.

    Args:
        paths: the unknown paths, as the client wrote them (at least one).
        known: every path that exists where they were looked up.
        where: what was searched, for the message (e.g. ``" in theme dark"``).

    Returns:
        A :class:`GraphQLError` with code ``TOKEN_NOT_FOUND`` (see the module docstring).
    """
    pool = list(known)
    found = [(p, close_paths(p, pool)) for p in dict.fromkeys(paths)]
    messages = [f"no token at path {p!r}{where}{did_you_mean(s) or '.'}" for p, s in found]
    extensions: dict[str, object] = {
        "code": TOKEN_NOT_FOUND,
        "tokenPath": found[0][0],
        "suggestions": found[0][1],
    }
    if len(found) > 1:
        extensions["notFound"] = [{"tokenPath": p, "suggestions": s} for p, s in found]
    return GraphQLError(" ".join(messages), extensions=extensions)

"""Resolved tokens → named variables (name, CSS text), with every naming problem reported.

Errors (raised together as one :class:`~graphql_api.dtcg.errors.DTCGErrorGroup`; HTTP 400,
CLI exit 1):

- ``NAME_COLLISION``: two token paths give the same name (``focus.outline-color`` and
  ``focus.outlineColor`` in camel case); the message names both paths and the name. Nothing
  is overwritten silently.
- ``INVALID_EXPORT_NAME``: a path has no letter or digit at all, or (``identifier=True``,
  SCSS) its name starts with a digit, which a Sass variable cannot (give a ``prefix``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..dtcg.errors import DTCGError, DTCGErrorGroup
from .css_values import css_pieces

if TYPE_CHECKING:
    from collections.abc import Iterable

    from ..dtcg.references import ResolvedToken
    from .naming import Naming

NAME_COLLISION = "NAME_COLLISION"
INVALID_EXPORT_NAME = "INVALID_EXPORT_NAME"


@dataclass(frozen=True, slots=True)
class Variable:
    """One exported variable.

    Attributes:
        name: the variable's name without its sigil (``--``, ``$``).
        css: the value's CSS text (see :mod:`.css_values`).
        path: the token it comes from.
        color: the value is one colour.
        typed: the text comes from one of the 13 DTCG types (see :class:`.css_values.Piece`).
    """

    name: str
    css: str
    path: str
    color: bool = False
    typed: bool = True


def variables(tokens: Iterable[ResolvedToken], naming: Naming) -> list[Variable]:
    """The variables of ``tokens`` in their order (a typography token gives several).

    Names are not checked here: see :func:`check_names`.
    """
    return [
        Variable(naming.name(tok.path, piece.suffix), piece.css, tok.path, piece.color, piece.typed)
        for tok in tokens
        for piece in css_pieces(tok.type, tok.value)
    ]


def check_names(groups: Iterable[list[Variable]], *, identifier: bool = False) -> None:
    """Refuse names that collide or cannot be written, across every group (context) at once.

    A token has the same name in every context, so the groups are checked together: each
    collision is reported once.

    Raises:
        DTCGErrorGroup: ``NAME_COLLISION`` / ``INVALID_EXPORT_NAME`` (module docstring).
    """
    owner: dict[str, str] = {}
    errors: list[DTCGError] = []
    seen: set[tuple[str, str]] = set()
    for group in groups:
        for var in group:
            if not var.name or (identifier and var.name[0].isdigit()):
                if ("", var.path) not in seen:
                    seen.add(("", var.path))
                    why = "has no letter or digit" if not var.name else "starts with a digit"
                    hint = "" if not var.name else " (give a prefix)"
                    message = f"the name {var.name!r} of this token {why}{hint}"
                    errors.append(DTCGError(INVALID_EXPORT_NAME, message, path=var.path))
                continue
            first = owner.setdefault(var.name, var.path)
            pair = (first, var.path)
            if first != var.path and pair not in seen:
                seen.add(pair)
                message = (
                    f"tokens {first} and {var.path} both become {var.name!r}; choose another "
                    "name style (name=kebab keeps them apart when only '-' and case differ)"
                )
                errors.append(DTCGError(NAME_COLLISION, message, path=var.path))
    if errors:
        raise DTCGErrorGroup(errors)

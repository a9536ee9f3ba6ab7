"""Variable names from token paths: ``kebab``, ``camel`` or ``snake``, with an optional prefix.

The rule, the same for every format (CSS, SCSS, JS, TS):

1. The path is split at ``.``; ``$root`` segments (Format module 2025.10 §6.2: the token a
   group itself stands for) are dropped, so ``color.accent.$root`` is named like
   ``color.accent`` would be.
2. Each segment is split into words at every character that is not a letter or a digit:
   ``-``, ``_``, spaces, ``@``, ``/``, … separate words and never appear in a name. Letters
   and digits of any script are kept, and so is their case: CSS custom properties are
   case-sensitive, and real token sets hold both ``outlineColor`` and ``outline-color``
   (Primer), which a lower-casing rule would merge into one name.
3. The words of ``prefix`` (split the same way) come first.
4. ``kebab`` joins the words with ``-`` (``fgColor.default`` → ``fgColor-default``),
   ``snake`` with ``_`` (``fgColor_default``), and ``camel`` upper-cases the first letter of
   every word but the first and joins them (``fgColorDefault``; ``gray.100`` → ``gray100``).

Composite values exported as several variables (typography) append their member's words
(``font``, ``size``) to the token's, so they follow the same style.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence

#: The naming styles, for the ``name`` argument.
STYLES: tuple[str, ...] = ("kebab", "camel", "snake")
#: The reserved name of a group's own token (§6.2); not part of variable names.
ROOT = "$root"
_WORD = re.compile(r"[^\W_]+")  # letters and digits of any script


def words(text: str) -> list[str]:
    """The words of a dotted path or a prefix: ``"fgColor.$root.x-y"`` → ``[fgColor, x, y]``."""
    return [w for seg in text.split(".") if seg != ROOT for w in _WORD.findall(seg)]


def join(parts: Sequence[str], style: str) -> str:
    """``parts`` joined in ``style``; ``""`` for no words.

    Raises:
        ValueError: ``style`` is not one of :data:`STYLES`.
    """
    if style == "kebab":
        return "-".join(parts)
    if style == "snake":
        return "_".join(parts)
    if style == "camel":
        return "".join(w if i == 0 else w[:1].upper() + w[1:] for i, w in enumerate(parts))
    raise ValueError(f"unknown naming style {style!r} (valid: {', '.join(STYLES)})")


@dataclass(frozen=True, slots=True)
class Naming:
    """How one export names its variables.

    Attributes:
        style: one of :data:`STYLES`.
        prefix: words put before every name (from :func:`words` of the ``prefix`` argument).
    """

    style: str
    prefix: tuple[str, ...] = ()

    @classmethod
    def of(cls, style: str, prefix: str = "") -> Naming:
        """A naming for the ``name`` and ``prefix`` arguments.

        Raises:
            ValueError: an unknown style, or a prefix that has characters but no word.
        """
        if style not in STYLES:
            raise ValueError(f"name={style!r} is not one of {', '.join(STYLES)}")
        parts = tuple(words(prefix))
        if prefix.strip() and not parts:
            raise ValueError(f"prefix={prefix!r} has no letter or digit")
        return cls(style, parts)

    def name(self, path: str, suffix: Sequence[str] = ()) -> str:
        """The name of ``path`` (plus a member's ``suffix`` words); ``""`` if it has no word."""
        own = words(path)
        return join([*self.prefix, *own, *suffix], self.style) if own else ""

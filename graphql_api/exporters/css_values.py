"""CSS text of resolved token values: one small formatter per DTCG ``$type``.

The text is the one the GraphQL ``css`` fields give (both read the ``css`` property of the
normalised values of :mod:`graphql_api.dtcg.values`, so there is one implementation):

=============  ==============================================================================
``$type``      CSS text
=============  ==============================================================================
color          ``#rrggbb`` / ``#rrggbbaa`` for sRGB and HSL, else CSS Color 4
               (``oklch(0.5 0.1 100)``, ``color(display-p3 …)``)
dimension      ``16px``, ``0.5rem``, ``1em``
fontFamily     ``"Open Sans", sans-serif`` (names with spaces quoted)
fontWeight     ``400`` (names mapped to numbers)
duration       ``200ms``, ``1.5s``
cubicBezier    ``cubic-bezier(0.4, 0, 0.2, 1)``
number         ``1.5``
strokeStyle    the keyword; ``dashed`` for a dash array (CSS has no dash arrays)
border         ``1px solid #d1d9e0``
transition     ``200ms cubic-bezier(…) 0ms``
shadow         ``box-shadow`` text, layers joined with ``, ``
gradient       ``linear-gradient(90deg, #fff 0%, #000 100%)``
typography     no single CSS value: one variable per member the token has, named with the
               member's words (``-font-family``, ``-font-size``, ``-font-weight``,
               ``-letter-spacing``, ``-line-height``); no ``font`` shorthand
other types    strings as written, numbers as text, anything else as compact JSON
=============  ==============================================================================

A value that does not fit its type (never stored: imports validate) falls back to
:func:`graphql_api.dtcg.types.css_text`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..dtcg import values as V  # noqa: N812 - the engine's own alias
from ..dtcg.types import css_text, normalise


@dataclass(frozen=True, slots=True)
class Piece:
    """One variable's worth of a token's value.

    Attributes:
        suffix: words added to the token's name (a typography member), ``()`` for the value.
        css: the CSS text.
        color: the text is one colour (it may go inside ``light-dark()``).
        typed: the text was written from a value of one of the 13 DTCG types (not a custom
            type's text as the source gave it).
    """

    suffix: tuple[str, ...]
    css: str
    color: bool = False
    typed: bool = True


Formatter = Callable[[Any], list[Piece]]


def _whole(v: V.TokenValue) -> list[Piece]:
    return [Piece((), v.css)]


def _color(v: V.Color) -> list[Piece]:
    return [Piece((), v.css, color=True)]


def _typography(v: V.Typography) -> list[Piece]:
    members: list[tuple[tuple[str, ...], str | None]] = [
        (("font", "family"), v.font_family.css if v.font_family else None),
        (("font", "size"), v.font_size.css if v.font_size else None),
        (("font", "weight"), v.font_weight.css if v.font_weight else None),
        (("letter", "spacing"), v.letter_spacing.css if v.letter_spacing else None),
        (("line", "height"), V.fmt_number(v.line_height) if v.line_height is not None else None),
    ]
    return [Piece(suffix, css) for suffix, css in members if css is not None]


#: ``$type`` → formatter; types not listed (custom ones) use :func:`_whole` on ``Unknown``.
FORMATTERS: dict[str, Formatter] = {
    "color": _color,
    "dimension": _whole,
    "fontFamily": _whole,
    "fontWeight": _whole,
    "duration": _whole,
    "cubicBezier": _whole,
    "number": _whole,
    "strokeStyle": _whole,
    "border": _whole,
    "transition": _whole,
    "shadow": _whole,
    "gradient": _whole,
    "typography": _typography,
}


def css_pieces(type_: str | None, value: Any) -> list[Piece]:
    """The variables of one resolved value: ``[Piece((), text)]``, or one per typography member."""
    formatter = FORMATTERS.get(type_ or "")
    try:
        typed = normalise(type_, value)
    except ValueError:
        formatter = None
    if formatter is None:
        return [Piece((), css_text(type_, value), typed=False)]
    return formatter(typed)


# ----------------------------------------------------------------- writing values safely

#: Text that would end a declaration or block, start a comment or a priority, in CSS.
_CSS_UNSAFE = re.compile(r"[;{}!\\\n\r\f]|/\*|\*/")
#: What Sass reads otherwise than CSS: variables, interpolation, maps (``(a: b)``), division
#: and silent comments.
_SASS_READS = re.compile(r"[$:/]|#\{")
_PAIRS = {")": "(", "]": "["}


def _balanced(text: str) -> bool:
    """Brackets nest and quotes close (a lone ``(`` would swallow the rest of the sheet)."""
    stack: list[str] = []
    quote = ""
    for ch in text:
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "\"'":
            quote = ch
        elif ch in "([":
            stack.append(ch)
        elif ch in _PAIRS and (not stack or stack.pop() != _PAIRS[ch]):
            return False
    return not stack and not quote


def css_string(text: str, *, scss: bool = False) -> str:
    """``text`` as a quoted CSS string; ``"`` and backslashes escaped (SCSS: ``#{`` too)."""
    out = text.replace("\\", "\\\\").replace('"', '\\"')
    out = out.replace("\n", "\\a ").replace("\r", "\\d ").replace("\f", "\\c ")
    if scss:
        out = out.replace("#{", "\\#{")
    return f'"{out}"'


def declaration_value(text: str) -> str:
    """``text`` as written, or as a quoted CSS string when it would break the stylesheet.

    Quoted: text with ``;``, ``{``, ``}``, ``!``, a backslash, a line break, a comment,
    unbalanced brackets or quotes, and empty text.
    """
    if _CSS_UNSAFE.search(text) or not _balanced(text) or not text.strip():
        return css_string(text)
    return text


def scss_value(text: str, *, typed: bool) -> tuple[str, bool]:
    """``(value, uses sass:string)`` for a Sass variable.

    Text that would break a stylesheet is a quoted string, as in CSS. Text of a custom type,
    or with ``$``, ``:``, ``/`` or ``#{``, is written ``string.unquote("…")``: Sass keeps it
    as written (``(a: b)`` would be a map, ``16 / 9`` a division, ``a and b`` a boolean).
    Anything else (the 13 DTCG types' text) is written as is, so Sass reads numbers with
    units and colours.
    """
    quoted = declaration_value(text)
    if quoted != text:
        return css_string(text, scss=True), False
    if not typed or _SASS_READS.search(text):
        return f"string.unquote({css_string(text, scss=True)})", True
    return text, False

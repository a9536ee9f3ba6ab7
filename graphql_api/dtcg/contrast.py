"""Colour conversion and contrast for resolved colour tokens (DTCG Color module 2025.10).

All colour maths is coloraide's: conversion between the Color module's 14 spaces,
alpha compositing (``Color.layer``) and the WCAG 2.x contrast ratio (``wcag21``).
coloraide ships no APCA (removed upstream); :class:`APCAContrast` registers the
published APCA-W3 0.0.98G-4g formula as a coloraide contrast plugin, so both methods
are called the same way (``color.contrast(other, method="apca")``).

Components are given in the DTCG ranges (:data:`~graphql_api.dtcg.colors.COMPONENT_RANGES`:
hsl/hwb saturation etc. in 0-100, not coloraide's 0-1).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from coloraide import Color as _Color
from coloraide.contrast import ColorContrast

from .colors import COLOR_SPACES

if TYPE_CHECKING:
    from .values import Color

__all__ = ["SPACES", "Converted", "apca", "convert", "to_coloraide", "wcag_ratio"]

_PERCENT_SPACES = frozenset({"hsl", "hwb"})
#: The DTCG colour spaces a colour converts to (Color module §4.2), by DTCG name.
SPACES = tuple(COLOR_SPACES)


class APCAContrast(ColorContrast):
    """APCA-W3 0.0.98G-4g lightness contrast Lc (text colour first, background second).

    Positive for dark text on a light background, negative for light on dark; |Lc| 60 is
    the usual minimum for body text, 75 preferred, 45 for large text.
    """

    NAME = "apca"

    def contrast(self, color1: Any, color2: Any, **_kwargs: Any) -> float:
        """Lc of text ``color1`` on background ``color2`` (both taken as opaque sRGB)."""
        text, back = _screen_y(color1), _screen_y(color2)
        if abs(back - text) < 0.0005:  # noqa: PLR2004 - deltaYmin of the formula
            return 0.0
        if back > text:  # dark text on a light background
            sapc = (back**0.56 - text**0.57) * 1.14
            out = 0.0 if sapc < 0.1 else sapc - 0.027  # noqa: PLR2004 - loClip
        else:
            sapc = (back**0.65 - text**0.62) * 1.14
            out = 0.0 if sapc > -0.1 else sapc + 0.027  # noqa: PLR2004 - loClip
        return out * 100


def _screen_y(color: Any) -> float:
    """APCA's screen luminance: sRGB channels ^2.4, soft black clamp."""
    r, g, b = (min(max(x, 0.0), 1.0) for x in color.convert("srgb").coords(nans=False))
    y = float(0.2126729 * r**2.4 + 0.7151522 * g**2.4 + 0.0721750 * b**2.4)
    return y + (0.022 - y) ** 1.414 if y < 0.022 else y  # noqa: PLR2004 - blkThrs


class _TokenColor(_Color):
    """coloraide's Color with the APCA plugin registered (the base class is left alone)."""


_TokenColor.register(APCAContrast())


def to_coloraide(c: Color) -> Any:
    """A coloraide colour of a normalised DTCG colour (``none`` components become NaN)."""
    coords = [math.nan if x is None else x for x in c.components]
    if c.color_space in _PERCENT_SPACES:
        coords = [coords[0], coords[1] / 100, coords[2] / 100]
    return _TokenColor(COLOR_SPACES[c.color_space], coords, c.alpha)


@dataclass(frozen=True, slots=True)
class Converted:
    """A colour in another space.

    Attributes:
        space: DTCG colour space name.
        components: in that space's DTCG ranges; None for a powerless (``none``) hue.
        alpha: opacity in [0, 1].
        in_gamut: whether the colour fits the space (RGB spaces and hsl/hwb have a gamut).
        css: CSS text in that space (``color(display-p3 …)``, ``oklch(…)``…).
    """

    space: str
    components: tuple[float | None, ...]
    alpha: float
    in_gamut: bool
    css: str


def convert(c: Color, space: str) -> Converted:
    """``c`` converted to DTCG colour space ``space``, not gamut-mapped.

    Raises:
        ValueError: unknown space (one of :data:`SPACES`).
    """
    if space not in COLOR_SPACES:
        raise ValueError(f"unknown colour space {space!r} (one of {', '.join(SPACES)})")
    out = to_coloraide(c).convert(COLOR_SPACES[space])
    comps: list[float | None] = [None if math.isnan(x) else x for x in out.coords()]
    if space in _PERCENT_SPACES:
        comps = [comps[0], *(None if x is None else x * 100 for x in comps[1:])]
    return Converted(
        space, tuple(comps), out.alpha(), bool(out.in_gamut()), out.to_string(none=True)
    )


def _opaque(fg: Color, bg: Color) -> tuple[Any, Any]:
    """Foreground composited over the background, the background over white (WCAG 2.x)."""
    back = _TokenColor.layer([to_coloraide(bg), _TokenColor("srgb", [1, 1, 1])], space="srgb")
    front = _TokenColor.layer([to_coloraide(fg), back], space="srgb")
    return front, back


def wcag_ratio(fg: Color, bg: Color) -> float:
    """WCAG 2.x contrast ratio, 1 to 21 (coloraide ``wcag21``), after alpha compositing."""
    front, back = _opaque(fg, bg)
    return float(front.contrast(back, method="wcag21"))


def apca(fg: Color, bg: Color) -> float:
    """APCA Lc of text ``fg`` on ``bg`` (about -108 to 106), after alpha compositing."""
    front, back = _opaque(fg, bg)
    return float(front.contrast(back, method="apca"))

"""Colour values at query time: conversion to other spaces and the contrast of two tokens.

Delegates to :mod:`graphql_api.dtcg.contrast` (coloraide). Kept free of the rest of the
schema so the value types (:mod:`.values`) and ``Token`` (:mod:`.types`) can use it.
WCAG 2.x levels (Success Criterion 1.4.3 / 1.4.6): AA needs 4.5:1 (3:1 for large text),
AAA 7:1 (4.5:1).
"""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING

import strawberry

from ..dtcg import contrast as C  # noqa: N812 - short alias
from ..dtcg.types import normalise
from ..dtcg.values import Color

if TYPE_CHECKING:
    from ..store.snapshots import Snapshot


@strawberry.enum(description="A colour space of the DTCG Color module (§4.2).")
class ColorSpace(Enum):
    """The 14 spaces of :data:`graphql_api.dtcg.contrast.SPACES`, by GraphQL name."""

    SRGB = "srgb"
    SRGB_LINEAR = "srgb-linear"
    HSL = "hsl"
    HWB = "hwb"
    LAB = "lab"
    LCH = "lch"
    OKLAB = "oklab"
    OKLCH = "oklch"
    DISPLAY_P3 = "display-p3"
    A98_RGB = "a98-rgb"
    PROPHOTO_RGB = "prophoto-rgb"
    REC2020 = "rec2020"
    XYZ_D65 = "xyz-d65"
    XYZ_D50 = "xyz-d50"


@strawberry.type(description="A colour converted to another space (not gamut-mapped).")
class ColorInSpace:
    """Built from :class:`graphql_api.dtcg.contrast.Converted`."""

    space: str = strawberry.field(description="DTCG colour space name, e.g. `oklch`.")
    components: list[float | None] = strawberry.field(
        description="Components in the space's DTCG ranges (hsl: h 0-360, s/l 0-100; "
        "oklch: L 0-1, C ≥ 0, h 0-360); null for a powerless hue."
    )
    alpha: float = strawberry.field(description="Opacity in [0, 1].")
    in_gamut: bool = strawberry.field(description="Whether the colour fits that space's gamut.")
    css: str = strawberry.field(description="CSS text in that space (gamut-mapped for CSS).")


def color_in(source: Color, space: ColorSpace) -> ColorInSpace:
    """The GraphQL object of :func:`graphql_api.dtcg.contrast.convert`."""
    out = C.convert(source, str(space.value))
    return ColorInSpace(
        space=out.space,
        components=list(out.components),
        alpha=out.alpha,
        in_gamut=out.in_gamut,
        css=out.css,
    )


@strawberry.enum(description="WCAG 2.x conformance level for text contrast.")
class WcagLevel(Enum):
    """AA (SC 1.4.3) or AAA (SC 1.4.6)."""

    AA = "AA"
    AAA = "AAA"


#: Minimum ratio per (level, large text).
REQUIRED = {("AA", False): 4.5, ("AA", True): 3.0, ("AAA", False): 7.0, ("AAA", True): 4.5}


@strawberry.type(description="Contrast of a colour token (foreground) against another.")
class Contrast:
    """Result of ``Token.contrast``."""

    against: str = strawberry.field(description="Path of the background token.")
    ratio: float = strawberry.field(
        description="WCAG 2.x contrast ratio, 1-21 (translucent colours composited first)."
    )
    apca: float = strawberry.field(
        description="APCA Lc (W3 0.0.98G-4g), text on background: about -108 to 106; |Lc| "
        "≥ 60 for body text, ≥ 45 for large text."
    )
    aa: bool = strawberry.field(description="Ratio ≥ 4.5 (WCAG 2.x AA, normal text).")
    aaa: bool = strawberry.field(description="Ratio ≥ 7 (WCAG 2.x AAA, normal text).")


def color_of(snap: Snapshot, path: str) -> Color | None:
    """The normalised colour of token ``path`` in ``snap``, or None (absent or not a colour)."""
    tok = snap.tokens.get(path)
    if tok is None or tok.type != "color":
        return None
    value = normalise("color", tok.value)
    return value if isinstance(value, Color) else None


def contrast_of(snap: Snapshot, path: str, against: str) -> Contrast | None:
    """``Token.contrast``: null when either token is missing or not a colour."""
    fg, bg = color_of(snap, path), color_of(snap, against)
    if fg is None or bg is None:
        return None
    ratio = C.wcag_ratio(fg, bg)
    aa, aaa = REQUIRED[("AA", False)], REQUIRED[("AAA", False)]
    return Contrast(
        against=against, ratio=ratio, apca=C.apca(fg, bg), aa=ratio >= aa, aaa=ratio >= aaa
    )

"""Tokens Studio colour modifiers (``$extensions['studio.tokens'].modify``). Not part of DTCG.

A Tokens Studio colour token may carry::

    "$extensions": {"studio.tokens": {"modify": {
        "type": "lighten" | "darken" | "mix" | "alpha",
        "value": "0.2",            # amount in [0, 1]: a number, numeric text, math or a reference
        "space": "srgb" | "hsl" | "lch" | "p3",
        "color": "#ffffff"         # mix only: the other colour (or a reference)
    }}}

The resolver (:mod:`graphql_api.dtcg.references`, lenient mode only) applies it to the
token's resolved colour, per theme combination, after the modifier's own references
are resolved. The arithmetic is that of ``@tokens-studio/sd-transforms``
(``modifyColor``, ``lighten``, ``darken``, ``mix``, ``transparentize``, on colorjs.io),
done here with coloraide:

* ``lighten``: srgb/p3 channels move ``amount`` of the way to 1; hsl lightness moves
  ``amount`` of the way to 100; lch lightness likewise, and chroma shrinks by ``amount``.
* ``darken``: srgb/p3 channels and hsl/lch lightness shrink by ``amount`` (lch chroma too).
* ``mix``: interpolation towards ``color`` by ``amount`` in ``space`` (coloraide ``mix``,
  shorter hue arc).
* ``alpha``: the alpha becomes ``amount`` (clamped to [0, 1]).

Other spaces: colorjs' ``lighten``/``darken`` (OKLCh lightness × (1 ± amount)). The
result is a DTCG colour object in the modifier's space (``p3`` → ``display-p3``) with
its ``hex`` (gamut-mapped to sRGB); unknown modifier types leave the colour unchanged,
as sd-transforms does.
"""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING, Any

from coloraide import Color

if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = ["SPACES", "hex_rgba", "modify_color"]

SPACES = {"srgb": "srgb", "hsl": "hsl", "lch": "lch", "p3": "display-p3"}
"""Tokens Studio ``space`` → DTCG / coloraide colour space."""
_PRECISION = 5  # colorjs.io's default output precision, as sd-transforms uses it
_HEX_RGBA = re.compile(r"^\s*rgba\(\s*(#[0-9a-fA-F]{3,8})\s*,\s*(\d*\.?\d+)(%?)\s*\)\s*$")


def hex_rgba(text: str) -> str:
    """Tokens Studio's ``rgba(#hex, alpha)`` as CSS (``rgba(#1f262e, 0.12)``, ``rgba(#fff, 0%)``).

    Returns:
        ``#rrggbb`` with the alpha applied (coloraide's CSS), or ``text`` unchanged when
        it is not that form (sd-transforms ``ts/color/css/hexrgba`` does the same).
    """
    m = _HEX_RGBA.match(text)
    if m is None:
        return text
    try:
        c = Color(m.group(1))
    except ValueError:
        return text
    alpha = float(m.group(2)) / (100 if m.group(3) else 1)
    return c.set("alpha", max(0.0, min(1.0, alpha))).to_string(hex=True)


def _lighten(c: Color, space: str, amount: float) -> Color:
    if space in ("srgb", "display-p3"):
        c = c.convert(space)
        c.set({ch: min(1.0, c[ch] + amount * (1 - c[ch])) for ch in ("red", "green", "blue")})
        return c
    if space == "hsl":
        c = c.convert("hsl")
        light = c["lightness"] * 100
        return c.set("lightness", min(100.0, light + (100 - light) * amount) / 100)
    if space == "lch":
        c = c.convert("lch")
        light, chroma = c["lightness"], c["chroma"]
        c.set("chroma", max(0.0, chroma - amount * chroma))
        return c.set("lightness", min(100.0, light + (100 - light) * amount))
    c = c.convert("oklch")
    return c.set("lightness", c["lightness"] * (1 + amount))


def _darken(c: Color, space: str, amount: float) -> Color:
    if space in ("srgb", "display-p3"):
        c = c.convert(space)
        c.set({ch: max(0.0, c[ch] - amount * c[ch]) for ch in ("red", "green", "blue")})
        return c
    if space == "hsl":
        c = c.convert("hsl")
        return c.set("lightness", max(0.0, c["lightness"] * (1 - amount)))
    if space == "lch":
        c = c.convert("lch")
        c.set("chroma", max(0.0, c["chroma"] - amount * c["chroma"]))
        return c.set("lightness", max(0.0, c["lightness"] * (1 - amount)))
    c = c.convert("oklch")
    return c.set("lightness", c["lightness"] * (1 - amount))


def modify_color(
    base: Color, modifier: Mapping[str, Any], amount: float, other: Color | None
) -> Color:
    """Apply one Tokens Studio modifier to a colour.

    Args:
        base: the token's resolved colour.
        modifier: the ``modify`` object (``type``, ``space``); its ``value`` and ``color``
            are passed resolved as ``amount`` and ``other``.
        amount: the modifier's amount (a number; ``lighten``/``darken`` use it as is,
            ``mix`` and ``alpha`` clamp it to [0, 1]).
        other: the ``mix`` colour (None for the other types).

    Returns:
        A new colour in the modifier's space (``p3`` → ``display-p3``); ``base``
        converted to that space for an unknown ``type``.

    Raises:
        ValueError: ``mix`` without a colour.
    """
    space = SPACES.get(str(modifier.get("space", "srgb")), "srgb")
    kind = modifier.get("type")
    c = base.clone()
    if kind == "lighten":
        c = _lighten(c, space, amount)
    elif kind == "darken":
        c = _darken(c, space, amount)
    elif kind == "mix":
        if other is None:
            raise ValueError("a mix modifier needs a color")
        c = c.mix(other, max(0.0, min(1.0, amount)), space=space)
    elif kind == "alpha":
        c.set("alpha", max(0.0, min(1.0, amount)))
    return c.convert(space)


def color_json(c: Color) -> dict[str, Any]:
    """A DTCG colour object (Color module §4) for ``c``, in its own space, with ``hex``.

    Components are rounded to :data:`_PRECISION` significant digits (colorjs' output);
    hsl saturation/lightness are given in 0-100, as DTCG writes them.
    """
    space = c.space()
    comps = [0.0 if math.isnan(x) else float(f"{x:.{_PRECISION}g}") for x in c.coords()]
    if space == "hsl":
        comps = [comps[0], comps[1] * 100, comps[2] * 100]
    hex6 = c.convert("srgb").fit("srgb").to_string(hex=True, alpha=False).lower()
    out: dict[str, Any] = {"colorSpace": space, "components": comps}
    alpha = c.alpha()
    if alpha != 1:
        out["alpha"] = float(f"{alpha:.{_PRECISION}g}")
    out["hex"] = hex6
    return out

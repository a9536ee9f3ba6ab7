"""The color type (Format module 2025.10 §8.1; Color module 2025.10 §4).

A colour is ``{colorSpace, components, alpha?, hex?}``: one of 14 colour spaces,
three components (a number or ``"none"``) each in its space's range, an optional
``alpha`` in [0, 1] (1 when omitted) and an optional ``hex`` fallback in 6-digit
CSS notation. Component ranges, from the Color module's table (brackets include
the bound, parentheses exclude it; these are CSS Color 4's reference ranges):

=============================================  ==========================================
colorSpace                                     components
=============================================  ==========================================
``srgb`` ``srgb-linear`` ``display-p3``        each [0, 1]
``a98-rgb`` ``prophoto-rgb`` ``rec2020``
``xyz-d65`` ``xyz-d50``
``hsl``                                        hue [0, 360), saturation, lightness [0, 100]
``hwb``                                        hue [0, 360), whiteness, blackness [0, 100]
``lab``                                        L [0, 100], a and b unbounded
``lch``                                        L [0, 100], C [0, ∞), hue [0, 360)
``oklab``                                      L [0, 1], a and b unbounded
``oklch``                                      L [0, 1], C [0, ∞), hue [0, 360)
=============================================  ==========================================

Tolerant mode also accepts (strict mode rejects, ``INVALID_VALUE``): CSS colour
strings (``"#0366d6"``, ``"#f00"``, ``"#ff000080"``, ``"rgb(…)"``, ``"hsl(…)"``,
named colours), read with coloraide; a hue of exactly 360; XYZ components
outside [0, 1] (the table's range excludes real colours: the D65 white point is
``[0.9505, 1, 1.0888]``, and CSS Color 4 leaves XYZ unbounded); members other
than the four above (ignored); a ``hex`` fallback in any CSS hex form (``#rgb``,
``#rgba``, ``#rrggbbaa``, any case), normalised to ``#rrggbb`` (its alpha digits are
ignored: ``alpha`` is the colour's alpha). Strict mode keeps the 6-digit rule.

Hostile input: a ``colorSpace`` that is a list or an object is refused like any
unknown space (it raised ``TypeError``, unhashable, in the lookup); a component or
``alpha`` that is an integer too large for a float is not a finite number (it raised
``OverflowError``); messages quote values through :func:`~graphql_api.dtcg.errors.brief`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

from coloraide import Color as _Color

from . import values as V  # noqa: N812 - the engine's own alias
from .color_modify import hex_rgba
from .errors import brief
from .primitives import is_finite

COLOR_SPACES = {
    "srgb": "srgb",
    "srgb-linear": "srgb-linear",
    "hsl": "hsl",
    "hwb": "hwb",
    "lab": "lab",
    "lch": "lch",
    "oklab": "oklab",
    "oklch": "oklch",
    "display-p3": "display-p3",
    "a98-rgb": "a98-rgb",
    "prophoto-rgb": "prophoto-rgb",
    "rec2020": "rec2020",
    "xyz-d65": "xyz-d65",
    "xyz-d50": "xyz-d50",
}
_PERCENT_SPACES = {"hsl", "hwb"}  # DTCG gives saturation/lightness, whiteness/blackness in 0-100
_INF = math.inf
_UNIT = (0.0, 1.0, True)
_HUE = (0.0, 360.0, False)  # 360 excluded
_PERCENT = (0.0, 100.0, True)
_FREE = (-_INF, _INF, True)
#: (low, high, high included) per component, per colour space (Color module §4.2).
COMPONENT_RANGES: dict[str, tuple[tuple[float, float, bool], ...]] = {
    **dict.fromkeys(
        (
            "srgb",
            "srgb-linear",
            "display-p3",
            "a98-rgb",
            "prophoto-rgb",
            "rec2020",
            "xyz-d65",
            "xyz-d50",
        ),
        (_UNIT, _UNIT, _UNIT),
    ),
    "hsl": (_HUE, _PERCENT, _PERCENT),
    "hwb": (_HUE, _PERCENT, _PERCENT),
    "lab": (_PERCENT, _FREE, _FREE),
    "lch": (_PERCENT, (0.0, _INF, True), _HUE),
    "oklab": (_UNIT, _FREE, _FREE),
    "oklch": (_UNIT, (0.0, _INF, True), _HUE),
}
_NAMES = {
    "hsl": ("hue", "saturation", "lightness"),
    "hwb": ("hue", "whiteness", "blackness"),
    "lab": ("L", "a", "b"),
    "lch": ("L", "C", "hue"),
    "oklab": ("L", "a", "b"),
    "oklch": ("L", "C", "hue"),
    "xyz-d65": ("X", "Y", "Z"),
    "xyz-d50": ("X", "Y", "Z"),
}
_N_COMPONENTS = 3  # every one of the 14 spaces has three components
_BYTE = 255
_XYZ = frozenset({"xyz-d65", "xyz-d50"})  # [0, 1] enforced in strict mode only
_MEMBERS = frozenset({"colorSpace", "components", "alpha", "hex"})
_HEX6 = re.compile(r"#[0-9a-fA-F]{6}")
_CSS_HEX = re.compile(r"#(?:[0-9a-fA-F]{3,4}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})")
_SHORT_HEX = 5  # "#rgb" and "#rgba"


def hex_fallback(v: Any, *, strict: bool = False) -> str | None:
    """The ``hex`` member of a colour object as ``#rrggbb`` (Color module §4.1).

    Args:
        v: the member as written (None when absent).
        strict: only ``#rrggbb`` (any case); tolerant mode also takes ``#rgb``,
            ``#rgba`` and ``#rrggbbaa`` and keeps their colour digits.

    Returns:
        None when absent, else the fallback as ``#rrggbb`` (case kept).

    Raises:
        ValueError: not a hex colour of an accepted form.
    """
    if v is None:
        return None
    pattern = _HEX6 if strict else _CSS_HEX
    if not isinstance(v, str) or not pattern.fullmatch(v):
        forms = "#rrggbb (6 digits)" if strict else "a CSS hex colour (#rgb, #rgba, #rrggbb[aa])"
        raise ValueError(f".hex: hex must be {forms}, got {brief(v)}")
    if len(v) <= _SHORT_HEX:
        return "#" + "".join(c * 2 for c in v[1:4])
    return v[:7]


def _number(v: Any, what: str) -> float:
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not is_finite(v):
        raise ValueError(f"{what} must be a finite number, got {brief(v)}")
    return v


def color(v: Any, *, strict: bool = False) -> V.Color:
    """§8.1 / Color module §4: ``{colorSpace, components, alpha?, hex?}``.

    Args:
        v: the resolved value.
        strict: reject CSS strings, a hue of 360 and unknown members.

    Raises:
        ValueError: the value is not a colour; the message says which member and why.
    """
    if isinstance(v, str):
        if strict:
            msg = f"a colour must be an object {{colorSpace, components}}, got {brief(v)}"
            raise ValueError(msg)
        return _from_css(v)
    if not isinstance(v, Mapping):
        raise ValueError(f"a colour must be an object or a hex string, got {brief(v)}")
    if strict and v.keys() - _MEMBERS:
        raise ValueError(f"unknown colour members {sorted(v.keys() - _MEMBERS)} (§4.1)")
    space = v.get("colorSpace")
    if not isinstance(space, str) or space not in COLOR_SPACES:  # a list or object: unhashable
        raise ValueError(f".colorSpace: unknown {brief(space)} (one of {', '.join(COLOR_SPACES)})")
    comps_in = v.get("components")
    if not isinstance(comps_in, list) or len(comps_in) != _N_COMPONENTS:
        raise ValueError(".components: must be a list of 3 numbers or 'none'")
    comps = tuple(
        None if x == "none" else _number(x, f".components[{i}]: component")
        for i, x in enumerate(comps_in)
    )
    _check_ranges(space, comps, strict)
    alpha = _number(v.get("alpha", 1), ".alpha: alpha")
    if not 0 <= alpha <= 1:
        raise ValueError(f".alpha: alpha must be in [0, 1], got {alpha}")
    hex_in = hex_fallback(v.get("hex"), strict=strict)
    coords = [math.nan if x is None else x for x in comps]
    if space in _PERCENT_SPACES:
        coords = [coords[0], coords[1] / 100, coords[2] / 100]
    return _make_color(_Color(COLOR_SPACES[space], coords, alpha), space, comps, alpha, hex_in)


def _check_ranges(space: str, comps: tuple[float | None, ...], strict: bool) -> None:
    names = _NAMES.get(space, ("red", "green", "blue"))
    for i, ((low, high, closed), x) in enumerate(zip(COMPONENT_RANGES[space], comps, strict=True)):
        if x is None or (space in _XYZ and not strict):
            continue
        hue_360 = not closed and x == high and not strict  # tolerated: hue 360 (= 0)
        if x < low or x > high or (x == high and not closed and not hue_360):
            bound = "]" if closed else ")"
            raise ValueError(
                f".components[{i}]: {names[i]} of {space} must be in "
                f"[{_fmt(low)}, {_fmt(high)}{bound}, got {x}"
            )


def _fmt(x: float) -> str:
    return "∞" if x == _INF else "-∞" if x == -_INF else V.fmt_number(x)


def _from_css(v: str) -> V.Color:
    v = hex_rgba(v)  # Tokens Studio's rgba(#hex, alpha), a tolerated form
    try:
        c = _Color(v.strip())
    except ValueError:
        raise ValueError(f"not a colour: {brief(v)}") from None
    comps = tuple(None if math.isnan(x) else x for x in c.coords())
    if c.space() in _PERCENT_SPACES:  # coloraide: 0 to 1; DTCG: 0 to 100
        comps = (comps[0], *(None if x is None else x * 100 for x in comps[1:]))
    return _make_color(c, c.space(), comps, c.alpha(), v if v.startswith("#") else None)


def _make_color(
    c: _Color, space: str, comps: tuple[float | None, ...], alpha: float, hex_in: str | None
) -> V.Color:
    if hex_in and _HEX6.fullmatch(hex_in):
        hex6 = hex_in.lower()
    else:
        hex6 = c.convert("srgb").fit("srgb").to_string(hex=True, alpha=False).lower()
    a = math.floor(alpha * _BYTE + 0.5)  # round half up, as CSS and JS do (0.3 → 77 = 4d)
    hex_ = hex6 if a == _BYTE else f"{hex6}{a:02x}"
    css = hex_ if space in ("srgb", "hsl") or not space else c.to_string()
    return V.Color(space, comps, alpha, hex_, css)

"""Primitive types (Format module 2025.10 §8.2 to §8.7).

dimension, duration, fontFamily, fontWeight, cubicBezier, number; colour is in
:mod:`graphql_api.dtcg.colors`.

Each function takes a *resolved* value and ``strict`` (reject the tolerated forms
listed in :mod:`graphql_api.dtcg.types`) and returns a
:mod:`graphql_api.dtcg.values` dataclass, or raises :class:`ValueError`.

Hostile input: a JSON integer too large for a float (400 digits) is not a finite
number (:func:`is_finite`; ``math.isfinite`` raised ``OverflowError`` on it), and
messages quote values through :func:`~graphql_api.dtcg.errors.brief`, so a 20 MB
string does not make a 20 MB message.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

from . import values as V  # noqa: N812 - the engine's own alias
from .errors import brief

DIMENSION_UNITS = ("px", "rem", "em")  # em: tolerant only
DURATION_UNITS = ("ms", "s")
FONT_WEIGHTS = {
    "thin": 100,
    "hairline": 100,
    "extra-light": 200,
    "ultra-light": 200,
    "light": 300,
    "normal": 400,
    "regular": 400,
    "book": 400,
    "medium": 500,
    "semi-bold": 600,
    "demi-bold": 600,
    "bold": 700,
    "extra-bold": 800,
    "ultra-bold": 800,
    "black": 900,
    "heavy": 900,
    "extra-black": 950,
    "ultra-black": 950,
}
_NUM_UNIT = re.compile(r"^\s*(-?(?:\d+\.?\d*|\.\d+)(?:e-?\d+)?)\s*([a-z%]*)\s*$", re.I)
ZERO_PX = V.Dimension(0, "px")
_MIN_WEIGHT, _MAX_WEIGHT = 1, 1000
_BEZIER_POINTS = 4


def finite(v: Any, what: str) -> float:
    """``v`` if it is a finite JSON number (not a boolean) that fits a float.

    An integer too large for a float (``1`` followed by 400 zeros) is not finite here:
    ``math.isfinite`` would raise ``OverflowError`` on it.

    Raises:
        ValueError: naming ``what``.
    """
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not is_finite(v):
        raise ValueError(f"{what} must be a finite number, got {brief(v)}")
    return v


def is_finite(v: float) -> bool:
    """``math.isfinite`` that answers False, not ``OverflowError``, for a huge integer."""
    try:
        return math.isfinite(v)
    except OverflowError:
        return False


def at(where: str, exc: ValueError) -> ValueError:
    """``exc`` with ``where`` (``.member`` or ``[i]``) put in front of its member path."""
    msg = str(exc)
    return ValueError(where + msg if msg.startswith((".", "[")) else f"{where}: {msg}")


def dimension(v: Any, *, strict: bool = False) -> V.Dimension:
    """§8.2 dimension: ``{value, unit}`` with unit px or rem.

    Tolerant mode also reads ``em``, strings (``"16px"``, ``"0"``) and a bare JSON number
    as px (``16``: Style Dictionary's and Figma's unitless sizes, e.g. LaunchDarkly's
    LaunchPad tokens); strict mode refuses them.
    """
    units = ("px", "rem") if strict else DIMENSION_UNITS
    if isinstance(v, str) and not strict:
        m = _NUM_UNIT.match(v)
        if not m or (m.group(2) or "px") not in units:
            raise ValueError(f"not a dimension: {brief(v)}")
        if not m.group(2) and float(m.group(1)) != 0:
            raise ValueError(f"a dimension needs a unit: {brief(v)}")
        return V.Dimension(float(m.group(1)), m.group(2) or "px")
    if isinstance(v, (int, float)) and not isinstance(v, bool) and not strict:
        return ZERO_PX if v == 0 else V.Dimension(finite(v, "dimension"), "px")
    if not isinstance(v, Mapping):
        raise ValueError(f"a dimension must be {{value, unit}}, got {brief(v)}")
    if v.get("unit") not in units:
        raise ValueError(f"unit must be {' or '.join(units)}, got {v.get('unit')!r}")
    if strict and v.keys() - {"value", "unit"}:
        raise ValueError(f"unknown dimension members {sorted(v.keys() - {'value', 'unit'})}")
    return V.Dimension(finite(v.get("value"), "value"), v["unit"])


def duration(v: Any, *, strict: bool = False) -> V.Duration:
    """§8.5 duration: ``{value, unit}`` with unit ms or s (tolerant: ``"200ms"``)."""
    if isinstance(v, str) and not strict:
        m = _NUM_UNIT.match(v)
        if not m or m.group(2) not in DURATION_UNITS:
            raise ValueError(f"not a duration: {brief(v)}")
        return V.Duration(float(m.group(1)), m.group(2))
    if not isinstance(v, Mapping) or v.get("unit") not in DURATION_UNITS:
        raise ValueError(f"a duration must be {{value, unit: ms|s}}, got {brief(v)}")
    if strict and v.keys() - {"value", "unit"}:
        raise ValueError(f"unknown duration members {sorted(v.keys() - {'value', 'unit'})}")
    return V.Duration(finite(v.get("value"), "value"), v["unit"])


def font_family(v: Any, *, strict: bool = False) -> V.FontFamily:
    """§8.3 fontFamily: a string or a non-empty list of strings."""
    if isinstance(v, str):
        return V.FontFamily((v,))
    if isinstance(v, list) and v and all(isinstance(x, str) for x in v):
        return V.FontFamily(tuple(v))
    raise ValueError(f"a fontFamily must be a string or a list of strings, got {brief(v)}")


def font_weight(v: Any, *, strict: bool = False) -> V.FontWeight:
    """§8.4 fontWeight: a number in [1, 1000] or one of the spec's names (case-sensitive)."""
    if isinstance(v, str):
        name = v if strict else v.lower()
        if name in FONT_WEIGHTS:
            return V.FontWeight(FONT_WEIGHTS[name])
        if strict or not v.strip().isdigit():
            raise ValueError(f"unknown font weight {brief(v)}")
        v = int(v)
    w = finite(v, "fontWeight")
    if not _MIN_WEIGHT <= w <= _MAX_WEIGHT:
        raise ValueError(f"fontWeight must be in [1, 1000], got {w}")
    return V.FontWeight(w)


def cubic_bezier(v: Any, *, strict: bool = False) -> V.CubicBezier:
    """§8.6 cubicBezier: ``[x1, y1, x2, y2]`` with x1, x2 in [0, 1]."""
    if not isinstance(v, list) or len(v) != _BEZIER_POINTS:
        raise ValueError(f"a cubicBezier must be 4 numbers, got {brief(v)}")
    x1, y1, x2, y2 = (finite(x, "cubicBezier") for x in v)
    if not (0 <= x1 <= 1 and 0 <= x2 <= 1):
        raise ValueError(f"cubicBezier x values must be in [0, 1], got {brief(v)}")
    return V.CubicBezier(x1, y1, x2, y2)


def number(v: Any, *, strict: bool = False) -> V.Number:
    """§8.7 number."""
    return V.Number(finite(v, "number"))

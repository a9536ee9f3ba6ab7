"""One small validator/normaliser per ``$type`` (DTCG Format module §8, §9; Color module).

:func:`normalise` turns a *resolved* value (references already replaced) into the
typed dataclass of :mod:`graphql_api.dtcg.values`, or raises :class:`ValueError`
saying what is wrong. Older forms accepted (real files use them): colours as CSS
strings (``"#ff0000"``, ``"rgb(…)"``), dimensions and durations as strings
(``"16px"``, ``"200ms"``), the ``em`` unit, font weights as numeric strings,
and ``0`` as a unitless dimension. Types the spec does not define are kept as
:class:`~graphql_api.dtcg.values.Unknown`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from typing import Any

from coloraide import Color as _Color

from . import values as V

COLOR_SPACES = {
    "srgb": "srgb", "srgb-linear": "srgb-linear", "hsl": "hsl", "hwb": "hwb", "lab": "lab",
    "lch": "lch", "oklab": "oklab", "oklch": "oklch", "display-p3": "display-p3",
    "a98-rgb": "a98-rgb", "prophoto-rgb": "prophoto-rgb", "rec2020": "rec2020",
    "xyz-d65": "xyz-d65", "xyz-d50": "xyz-d50",
}  # fmt: skip
_PERCENT_SPACES = {"hsl", "hwb"}  # DTCG gives saturation/lightness, whiteness/blackness in 0–100
DIMENSION_UNITS = ("px", "rem", "em")
DURATION_UNITS = ("ms", "s")
FONT_WEIGHTS = {
    "thin": 100, "hairline": 100, "extra-light": 200, "ultra-light": 200, "light": 300,
    "normal": 400, "regular": 400, "book": 400, "medium": 500, "semi-bold": 600,
    "demi-bold": 600, "bold": 700, "extra-bold": 800, "ultra-bold": 800, "black": 900,
    "heavy": 900, "extra-black": 950, "ultra-black": 950,
}  # fmt: skip
STROKE_KEYWORDS = ("solid", "dashed", "dotted", "double", "groove", "ridge", "outset", "inset")
_NUM_UNIT = re.compile(r"^\s*(-?(?:\d+\.?\d*|\.\d+)(?:e-?\d+)?)\s*([a-z%]*)\s*$", re.I)


def _number(v: Any, what: str) -> float:
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
        raise ValueError(f"{what} must be a finite number, got {v!r}")
    return v


def color(v: Any) -> V.Color:
    """§8.1 / Color module: ``{colorSpace, components, alpha?, hex?}`` or a CSS colour string."""
    if isinstance(v, str):
        try:
            c = _Color(v.strip())
        except ValueError:
            raise ValueError(f"not a colour: {v!r}") from None
        comps = tuple(None if math.isnan(x) else x for x in c.coords())
        if c.space() in _PERCENT_SPACES:  # coloraide: 0 to 1; DTCG: 0 to 100
            comps = (comps[0], *(None if x is None else x * 100 for x in comps[1:]))
        return _make_color(c, c.space(), comps, c.alpha(), v if v.startswith("#") else None)
    if not isinstance(v, Mapping):
        raise ValueError(f"a colour must be an object or a hex string, got {v!r}")
    space = v.get("colorSpace")
    if space not in COLOR_SPACES:
        raise ValueError(f"unknown colorSpace {space!r} (one of {', '.join(COLOR_SPACES)})")
    comps_in = v.get("components")
    if not isinstance(comps_in, list) or len(comps_in) != 3:
        raise ValueError("components must be a list of 3 numbers or 'none'")
    comps = tuple(None if x == "none" else _number(x, "component") for x in comps_in)
    alpha = _number(v.get("alpha", 1), "alpha")
    if not 0 <= alpha <= 1:
        raise ValueError(f"alpha must be in [0, 1], got {alpha}")
    hex_in = v.get("hex")
    if hex_in is not None and not re.fullmatch(r"#[0-9a-fA-F]{6}", str(hex_in)):
        raise ValueError(f"hex must be #rrggbb, got {hex_in!r}")
    coords = [math.nan if x is None else x for x in comps]
    if space in _PERCENT_SPACES:
        coords = [coords[0], coords[1] / 100, coords[2] / 100]
    return _make_color(_Color(COLOR_SPACES[space], coords, alpha), space, comps, alpha, hex_in)


def _make_color(
    c: _Color, space: str, comps: tuple[float | None, ...], alpha: float, hex_in: str | None
) -> V.Color:
    if hex_in and len(hex_in) == 7:
        hex6 = hex_in.lower()
    else:
        hex6 = c.convert("srgb").fit("srgb").to_string(hex=True, alpha=False).lower()
    a = math.floor(alpha * 255 + 0.5)  # round half up, as CSS and JS do (0.3 → 77 = 4d)
    hex_ = hex6 if a == 255 else f"{hex6}{a:02x}"
    if space in ("srgb", "hsl") or not space:
        css = hex_
    else:
        css = c.to_string()
    return V.Color(space, comps, alpha, hex_, css)


def dimension(v: Any) -> V.Dimension:
    """§8.2 dimension: ``{value, unit}`` with unit px or rem (em accepted), or ``"16px"``."""
    if isinstance(v, str):
        m = _NUM_UNIT.match(v)
        if not m or (m.group(2) or "px") not in DIMENSION_UNITS:
            raise ValueError(f"not a dimension: {v!r}")
        if not m.group(2) and float(m.group(1)) != 0:
            raise ValueError(f"a dimension needs a unit: {v!r}")
        return V.Dimension(float(m.group(1)), m.group(2) or "px")
    if isinstance(v, (int, float)) and not isinstance(v, bool) and v == 0:
        return V.Dimension(0, "px")
    if not isinstance(v, Mapping):
        raise ValueError(f"a dimension must be {{value, unit}}, got {v!r}")
    if v.get("unit") not in DIMENSION_UNITS:
        raise ValueError(f"unit must be px or rem, got {v.get('unit')!r}")
    return V.Dimension(_number(v.get("value"), "value"), v["unit"])


def duration(v: Any) -> V.Duration:
    """§8.5 duration: ``{value, unit}`` with unit ms or s, or ``"200ms"``."""
    if isinstance(v, str):
        m = _NUM_UNIT.match(v)
        if not m or m.group(2) not in DURATION_UNITS:
            raise ValueError(f"not a duration: {v!r}")
        return V.Duration(float(m.group(1)), m.group(2))
    if not isinstance(v, Mapping) or v.get("unit") not in DURATION_UNITS:
        raise ValueError(f"a duration must be {{value, unit: ms|s}}, got {v!r}")
    return V.Duration(_number(v.get("value"), "value"), v["unit"])


def font_family(v: Any) -> V.FontFamily:
    """§8.3 fontFamily: a string or a list of strings."""
    if isinstance(v, str):
        return V.FontFamily((v,))
    if isinstance(v, list) and v and all(isinstance(x, str) for x in v):
        return V.FontFamily(tuple(v))
    raise ValueError(f"a fontFamily must be a string or a list of strings, got {v!r}")


def font_weight(v: Any) -> V.FontWeight:
    """§8.4 fontWeight: a number in [1, 1000] or one of the spec's names."""
    if isinstance(v, str):
        if v.lower() in FONT_WEIGHTS:
            return V.FontWeight(FONT_WEIGHTS[v.lower()])
        if not v.strip().isdigit():
            raise ValueError(f"unknown font weight {v!r}")
        v = int(v)
    w = _number(v, "fontWeight")
    if not 1 <= w <= 1000:
        raise ValueError(f"fontWeight must be in [1, 1000], got {w}")
    return V.FontWeight(w)


def cubic_bezier(v: Any) -> V.CubicBezier:
    """§8.6 cubicBezier: ``[x1, y1, x2, y2]`` with x1, x2 in [0, 1]."""
    if not isinstance(v, list) or len(v) != 4:
        raise ValueError(f"a cubicBezier must be 4 numbers, got {v!r}")
    x1, y1, x2, y2 = (_number(x, "cubicBezier") for x in v)
    if not (0 <= x1 <= 1 and 0 <= x2 <= 1):
        raise ValueError(f"cubicBezier x values must be in [0, 1], got {v!r}")
    return V.CubicBezier(x1, y1, x2, y2)


def number(v: Any) -> V.Number:
    """§8.7 number."""
    return V.Number(_number(v, "number"))


def stroke_style(v: Any) -> V.StrokeStyle:
    """§9.2 strokeStyle: a keyword or ``{dashArray, lineCap}``."""
    if isinstance(v, str):
        if v not in STROKE_KEYWORDS:
            raise ValueError(f"unknown strokeStyle {v!r}")
        return V.StrokeStyle(v)
    if not isinstance(v, Mapping) or not isinstance(v.get("dashArray"), list):
        raise ValueError(f"a strokeStyle must be a keyword or {{dashArray, lineCap}}, got {v!r}")
    if v.get("lineCap") not in ("round", "butt", "square"):
        raise ValueError(f"lineCap must be round, butt or square, got {v.get('lineCap')!r}")
    return V.StrokeStyle(None, tuple(dimension(d) for d in v["dashArray"]), v["lineCap"])


def _member(v: Any, name: str, parse: Callable[[Any], Any], default: Any = ...) -> Any:
    if not isinstance(v, Mapping):
        raise ValueError(f"expected an object, got {v!r}")
    if name not in v:
        if default is ...:
            raise ValueError(f"missing member {name!r}")
        return default
    try:
        return parse(v[name])
    except ValueError as exc:
        raise ValueError(f"{name}: {exc}") from None


def border(v: Any) -> V.Border:
    """§9.3 border: ``{color, width, style}``."""
    return V.Border(
        _member(v, "color", color),
        _member(v, "width", dimension),
        _member(v, "style", stroke_style),
    )


def transition(v: Any) -> V.Transition:
    """§9.4 transition: ``{duration, delay?, timingFunction}``."""
    return V.Transition(
        _member(v, "duration", duration),
        _member(v, "delay", duration, V.Duration(0, "ms")),
        _member(v, "timingFunction", cubic_bezier),
    )


def _shadow_layer(v: Any) -> V.ShadowLayer:
    zero = V.Dimension(0, "px")
    inset = v.get("inset", False) if isinstance(v, Mapping) else False
    if not isinstance(inset, bool):
        raise ValueError(f"inset must be true or false, got {inset!r}")
    return V.ShadowLayer(
        _member(v, "color", color),
        _member(v, "offsetX", dimension),
        _member(v, "offsetY", dimension),
        _member(v, "blur", dimension),
        _member(v, "spread", dimension, zero),
        inset,
    )


def shadow(v: Any) -> V.Shadow:
    """§9.5 shadow: one layer object or a non-empty list of them."""
    layers = v if isinstance(v, list) else [v]
    if not layers:
        raise ValueError("a shadow needs at least one layer")
    return V.Shadow(tuple(_shadow_layer(x) for x in layers))


def gradient(v: Any) -> V.Gradient:
    """§9.6 gradient: a list of ``{color, position}``; positions clamped to [0, 1]."""
    if not isinstance(v, list) or not v:
        raise ValueError(f"a gradient must be a non-empty list of stops, got {v!r}")
    stops = []
    for s in v:
        pos = min(1.0, max(0.0, _member(s, "position", lambda p: _number(p, "position"))))
        stops.append(V.GradientStop(_member(s, "color", color), pos))
    return V.Gradient(tuple(stops))


def typography(v: Any) -> V.Typography:
    """§9.7 typography: fontFamily, fontSize, fontWeight, letterSpacing, lineHeight."""
    if not isinstance(v, Mapping):
        raise ValueError(f"a typography value must be an object, got {v!r}")
    return V.Typography(
        _member(v, "fontFamily", font_family, None),
        _member(v, "fontSize", dimension, None),
        _member(v, "fontWeight", font_weight, None),
        _member(v, "letterSpacing", dimension, None),
        _member(v, "lineHeight", lambda x: _number(x, "lineHeight"), None),
    )


NORMALISERS: dict[str, Callable[[Any], V.TokenValue]] = {
    "color": color,
    "dimension": dimension,
    "duration": duration,
    "fontFamily": font_family,
    "fontWeight": font_weight,
    "cubicBezier": cubic_bezier,
    "number": number,
    "strokeStyle": stroke_style,
    "border": border,
    "transition": transition,
    "shadow": shadow,
    "gradient": gradient,
    "typography": typography,
}


def normalise(type_: str | None, value: Any) -> V.TokenValue:
    """Typed view of a resolved ``value`` of ``type_`` (unknown types → ``Unknown``).

    Raises:
        ValueError: the value does not fit its type; the message says why.
    """
    parse = NORMALISERS.get(type_ or "")
    return parse(value) if parse else V.Unknown(value)


def css_text(type_: str | None, value: Any) -> str:
    """CSS text of a resolved value, used to interpolate ``{ref}`` inside longer strings.

    Falls back to the JSON text when the value does not fit its type.
    """
    try:
        return normalise(type_, value).css
    except ValueError:
        pass
    if isinstance(value, Mapping) and "value" in value and "unit" in value:
        return f"{V.fmt_number(value['value'])}{value['unit']}"
    return V.Unknown(value).css

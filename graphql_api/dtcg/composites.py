"""Composite types (Format module 2025.10 §9).

strokeStyle, border, transition, shadow, gradient, typography.

Sub-values are checked with the primitive validators; a problem names the member
where it is (``.color: …``, ``[1].offsetX: …``). ``strict`` rejects the tolerated
forms listed in :mod:`graphql_api.dtcg.types` (missing optional-in-practice
members, unknown members, nested lists).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from . import values as V  # noqa: N812 - the engine's own alias
from .colors import color
from .errors import brief
from .primitives import (
    ZERO_PX,
    at,
    cubic_bezier,
    dimension,
    duration,
    finite,
    font_family,
    font_weight,
)

_CSS_GRADIENT = re.compile(r"\s*(?:repeating-)?(?:linear|radial|conic)-gradient\(.*\)\s*$", re.S)
STROKE_KEYWORDS = ("solid", "dashed", "dotted", "double", "groove", "ridge", "outset", "inset")
LINE_CAPS = ("round", "butt", "square")

Parse = Callable[..., Any]


def _object(v: Any, what: str, members: tuple[str, ...], strict: bool) -> Mapping[str, Any]:
    if not isinstance(v, Mapping):
        raise ValueError(f"a {what} value must be an object, got {brief(v)}")
    if strict and v.keys() - set(members):
        extra = sorted(v.keys() - set(members))
        raise ValueError(f"{what} has members the spec does not define: {extra} (§9.2)")
    return v


def _member(v: Mapping[str, Any], name: str, parse: Parse, strict: bool, default: Any = ...) -> Any:
    if name not in v:
        if default is ... or strict:
            raise ValueError(f".{name}: missing member {name!r}")
        return default
    try:
        return parse(v[name], strict=strict)
    except ValueError as exc:
        raise at(f".{name}", exc) from None


def stroke_style(v: Any, *, strict: bool = False) -> V.StrokeStyle:
    """§9.3 strokeStyle: a keyword or ``{dashArray, lineCap}``."""
    if isinstance(v, str):
        if v not in STROKE_KEYWORDS:
            raise ValueError(f"unknown strokeStyle {brief(v)}")
        return V.StrokeStyle(v)
    if not isinstance(v, Mapping) or not isinstance(v.get("dashArray"), list):
        msg = f"a strokeStyle must be a keyword or {{dashArray, lineCap}}, got {brief(v)}"
        raise ValueError(msg)
    _object(v, "strokeStyle", ("dashArray", "lineCap"), strict)
    if v.get("lineCap") not in LINE_CAPS:
        raise ValueError(f".lineCap: must be round, butt or square, got {brief(v.get('lineCap'))}")
    dashes = []
    for i, d in enumerate(v["dashArray"]):
        try:
            dashes.append(dimension(d, strict=strict))
        except ValueError as exc:
            raise at(f".dashArray[{i}]", exc) from None
    return V.StrokeStyle(None, tuple(dashes), v["lineCap"])


def border(v: Any, *, strict: bool = False) -> V.Border:
    """§9.4 border: ``{color, width, style}``."""
    o = _object(v, "border", ("color", "width", "style"), strict)
    return V.Border(
        _member(o, "color", color, strict),
        _member(o, "width", dimension, strict),
        _member(o, "style", stroke_style, strict),
    )


def transition(v: Any, *, strict: bool = False) -> V.Transition:
    """§9.5 transition: ``{duration, delay, timingFunction}`` (tolerant: delay 0ms)."""
    o = _object(v, "transition", ("duration", "delay", "timingFunction"), strict)
    return V.Transition(
        _member(o, "duration", duration, strict),
        _member(o, "delay", duration, strict, V.Duration(0, "ms")),
        _member(o, "timingFunction", cubic_bezier, strict),
    )


_LAYER = ("color", "offsetX", "offsetY", "blur", "spread", "inset")


def _shadow_layer(v: Any, strict: bool) -> V.ShadowLayer:
    o = _object(v, "shadow layer", _LAYER, strict)
    inset = o.get("inset", False)
    if not isinstance(inset, bool):
        raise ValueError(f".inset: must be true or false, got {brief(inset)}")
    return V.ShadowLayer(
        _member(o, "color", color, strict),
        _member(o, "offsetX", dimension, strict),
        _member(o, "offsetY", dimension, strict),
        _member(o, "blur", dimension, strict),
        _member(o, "spread", dimension, strict, ZERO_PX),
        inset,
    )


def _items(v: list[Any], strict: bool, what: str) -> list[tuple[str, Any]]:
    """``([i], item)`` pairs; tolerant mode splices items that are lists (§9.1)."""
    out: list[tuple[str, Any]] = []
    for i, item in enumerate(v):
        if isinstance(item, list):
            if strict:
                raise ValueError(f"[{i}]: a {what} list cannot be one item (§9.1)")
            out.extend((f"[{i}][{j}]", x) for j, x in enumerate(item))
        else:
            out.append((f"[{i}]", item))
    return out


def shadow(v: Any, *, strict: bool = False) -> V.Shadow:
    """§9.6 shadow: one layer object or a non-empty list of them (``inset`` optional)."""
    if not isinstance(v, list):
        return V.Shadow((_shadow_layer(v, strict),))
    layers = []
    for where, item in _items(v, strict, "shadow"):
        try:
            layers.append(_shadow_layer(item, strict))
        except ValueError as exc:
            raise at(where, exc) from None
    if not layers:
        raise ValueError("a shadow needs at least one layer")
    return V.Shadow(tuple(layers))


def gradient(v: Any, *, strict: bool = False) -> V.Gradient | V.Unknown:
    """§9.7 gradient: a non-empty list of ``{color, position}``; positions clamped to [0, 1].

    Tolerant mode keeps a CSS gradient function (``"linear-gradient(127deg, #ebff38 0%,
    …)"``, as LaunchDarkly's LaunchPad ships) as :class:`~graphql_api.dtcg.values.Unknown`:
    an angle and stacked layers have no DTCG form.
    """
    if isinstance(v, str) and not strict and _CSS_GRADIENT.match(v):
        return V.Unknown(v)
    if not isinstance(v, list) or not v:
        raise ValueError(f"a gradient must be a non-empty list of stops, got {brief(v)}")
    stops = []
    for where, s in _items(v, strict, "gradient"):
        try:
            o = _object(s, "gradient stop", ("color", "position"), strict)
            pos = _member(o, "position", lambda p, strict: finite(p, "position"), strict)
            stops.append(
                V.GradientStop(_member(o, "color", color, strict), min(1.0, max(0.0, pos)))
            )
        except ValueError as exc:
            raise at(where, exc) from None
    if not stops:
        raise ValueError("a gradient needs at least one stop")
    return V.Gradient(tuple(stops))


def typography(v: Any, *, strict: bool = False) -> V.Typography:
    """§9.8 typography: fontFamily, fontSize, fontWeight, letterSpacing, lineHeight (number).

    Tolerant mode also reads a ``lineHeight`` that is a dimension, as CSS does
    (Adobe Spectrum writes ``"16px"``): ``em`` is already the ratio, ``px``/``rem``
    are divided by ``fontSize`` (which must then be given and not 0).
    """
    members = ("fontFamily", "fontSize", "fontWeight", "letterSpacing", "lineHeight")
    o = _object(v, "typography", members, strict)
    size = _member(o, "fontSize", dimension, strict, None)
    return V.Typography(
        _member(o, "fontFamily", font_family, strict, None),
        size,
        _member(o, "fontWeight", font_weight, strict, None),
        _member(o, "letterSpacing", dimension, strict, None),
        _member(o, "lineHeight", lambda x, strict: _line_height(x, size, strict), strict, None),
    )


def _line_height(v: Any, size: V.Dimension | None, strict: bool) -> float:
    if strict or (isinstance(v, (int, float)) and not isinstance(v, bool)):
        return finite(v, "lineHeight")
    try:
        height = dimension(v)
    except ValueError:
        raise ValueError(f"lineHeight must be a number (or a dimension), got {brief(v)}") from None
    if height.unit == "em":
        return height.value
    if size is None or size.px() == 0:
        raise ValueError("a lineHeight dimension needs a fontSize that is not 0 (§9.8)")
    return height.px() / size.px()

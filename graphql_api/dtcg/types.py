"""One small validator/normaliser per ``$type`` (DTCG Format module 2025.10 §8, §9; Color module).

:func:`normalise` turns a *resolved* value (references already replaced) into the
typed dataclass of :mod:`graphql_api.dtcg.values`, or raises :class:`ValueError`
saying what is wrong and where: a problem inside a composite names the member,
``.color: …`` for an object member, ``[1].color: …`` for the second layer of a
shadow list (:func:`~graphql_api.dtcg.validate.check_token` prefixes the type,
giving ``shadow[1].color: …``). Colours live in :mod:`graphql_api.dtcg.colors`.

Non-standard value forms accepted in tolerant mode (the default) and rejected
with ``strict=True`` (``INVALID_VALUE`` from validation):

* colours as CSS strings (``"#ff0000"``, ``"#f00"``, ``"rgb(…)"``, ``"red"``), a
  hue of exactly 360, XYZ components outside [0, 1], unknown colour members
  (see :mod:`graphql_api.dtcg.colors`);
* dimensions and durations as strings (``"16px"``, ``"0.5rem"``, ``"200ms"``),
  the ``em`` unit, ``0`` (number or string) as a unitless dimension, a bare number as
  a px dimension (``16``);
* a gradient written as a CSS gradient function (``"linear-gradient(…)"``): it has no
  DTCG form (angle, several layers), so its typed view is ``Unknown`` (its CSS text);
* a typography ``lineHeight`` that is a dimension (see :mod:`graphql_api.dtcg.composites`);
* font weights as numeric strings (``"600"``) and names in any case (``"Bold"``);
* composites with members missing that the spec requires: shadow ``spread``
  (0), transition ``delay`` (0ms), any typography member (left unset);
* composites with members the spec does not define (ignored; §9.2 says they
  make the token invalid);
* a shadow or gradient list whose item is itself a list (a reference to a
  list-valued token): its items are spliced in (§9.1 says references in arrays
  are never flattened).

Types the spec does not define are kept as :class:`~graphql_api.dtcg.values.Unknown`
in both modes (strict mode reports them once, as ``UNKNOWN_TYPE``, when parsing).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from . import values as V  # noqa: N812 - the engine's own alias
from .colors import COLOR_SPACES, color
from .composites import (
    LINE_CAPS,
    STROKE_KEYWORDS,
    border,
    gradient,
    shadow,
    stroke_style,
    transition,
    typography,
)
from .primitives import (
    DIMENSION_UNITS,
    DURATION_UNITS,
    FONT_WEIGHTS,
    cubic_bezier,
    dimension,
    duration,
    font_family,
    font_weight,
    number,
)

__all__ = [
    "COLOR_SPACES",
    "DIMENSION_UNITS",
    "DURATION_UNITS",
    "FONT_WEIGHTS",
    "LINE_CAPS",
    "NORMALISERS",
    "SPEC_TYPES",
    "STROKE_KEYWORDS",
    "border",
    "color",
    "css_text",
    "cubic_bezier",
    "dimension",
    "duration",
    "font_family",
    "font_weight",
    "gradient",
    "normalise",
    "number",
    "shadow",
    "stroke_style",
    "transition",
    "typography",
]


NORMALISERS: dict[str, Callable[..., V.TokenValue]] = {
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
#: The 13 types of Format module §8-§9, in the spec's order.
SPEC_TYPES: tuple[str, ...] = tuple(NORMALISERS)


def normalise(type_: str | None, value: Any, *, strict: bool = False) -> V.TokenValue:
    """Typed view of a resolved ``value`` of ``type_`` (unknown types → ``Unknown``).

    Args:
        type_: the token's effective ``$type`` (None when it has none).
        value: the resolved value.
        strict: reject the tolerated forms listed in the module docstring.

    Raises:
        ValueError: the value does not fit its type; the message says where and why.
    """
    parse = NORMALISERS.get(type_ or "")
    return parse(value, strict=strict) if parse else V.Unknown(value)


def css_text(type_: str | None, value: Any) -> str:
    """CSS text of a resolved value, used to interpolate ``{ref}`` inside longer strings.

    Falls back to the JSON text when the value does not fit its type (and never raises:
    ``{"value": null, "unit": "px"}`` used to raise ``TypeError`` here).
    """
    try:
        return normalise(type_, value).css
    except ValueError:
        pass
    if isinstance(value, Mapping) and isinstance(value.get("unit"), str):
        number = value.get("value")  # anything but a number is written as JSON below
        if isinstance(number, (int, float)) and not isinstance(number, bool):
            return f"{V.fmt_number(number)}{value['unit']}"
    return V.Unknown(value).css

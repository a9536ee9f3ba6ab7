"""Whether two resolved values are the same value written differently (pure).

``diff`` compares values after normalisation (DTCG Format §8-§9 through
:func:`graphql_api.dtcg.types.normalise`), so a change of representation alone is not a
change of value:

- **color** (§8.1): the same when their 8-bit sRGB hex (with alpha) is the same, e.g.
  ``"#1f6feb"`` and ``{"colorSpace": "hsl", "components": […], "hex": "#1f6feb"}``. Colours
  outside the sRGB gamut (where hex is clipped) compare in CIE XYZ D65, rounded to 4 places.
- **dimension** (§8.2): the same number in the same unit (``"16px"`` and ``{"value": 16,
  "unit": "px"}``); px and rem are not converted (that depends on the root font size).
- **duration** (§8.5): the same number of milliseconds (``"0.2s"`` and ``200ms``).
- composite types (§9) compare member by member with the rules above; other types and
  values that do not fit their type compare as JSON.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from . import values as V  # noqa: N812 - the engine's alias
from .contrast import to_coloraide
from .types import normalise

__all__ = ["canonical", "same_value"]

#: Decimal places of the XYZ coordinates compared for colours outside sRGB.
XYZ_PLACES = 4


def _color_key(c: V.Color) -> Any:
    colour = to_coloraide(c)
    if colour.in_gamut("srgb"):
        return ("color", c.hex)
    xyz = colour.convert("xyz-d65").coords()
    return ("color", *(round(x, XYZ_PLACES) for x in xyz), round(c.alpha, XYZ_PLACES))


def _key(value: Any) -> Any:
    """A hashable form of a normalised value in which equal means "the same value"."""
    if isinstance(value, V.Color):
        return _color_key(value)
    if isinstance(value, V.Duration):
        return ("duration", value.ms)
    if isinstance(value, V.Unknown):
        return ("json", _freeze(value.json))
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return (
            type(value).__name__,
            *(
                (f.name, _key(getattr(value, f.name)))
                for f in dataclasses.fields(value)
                if f.name != "css"
            ),
        )
    if isinstance(value, list | tuple):
        return tuple(_key(v) for v in value)
    return _freeze(value)


def _freeze(value: Any) -> Any:
    if isinstance(value, dict):
        return frozenset((k, _freeze(v)) for k, v in value.items())
    if isinstance(value, list | tuple):
        return tuple(_freeze(v) for v in value)
    return value


def canonical(type_: str | None, value: Any) -> Any:
    """A hashable key of a resolved value: equal keys mean the same value (module docstring).

    A value that does not fit its type (``normalise`` raises) is keyed as JSON.
    """
    try:
        return _key(normalise(type_, value))
    except (ValueError, TypeError, KeyError):
        return ("json", _freeze(value))


def same_value(type_: str | None, before: Any, after: Any) -> bool:
    """Whether two resolved values of ``type_`` are the same value (module docstring)."""
    return bool(before == after or canonical(type_, before) == canonical(type_, after))

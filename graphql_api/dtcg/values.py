"""Typed, normalised token values (DTCG Format module §8 types, §9 composite types).

One frozen dataclass per ``$type``; each has a ``css`` property giving the CSS
text for the value. Built by :mod:`graphql_api.dtcg.types` from resolved values.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any


def fmt_number(x: float) -> str:
    """Shortest text of a number: ``16.0`` → ``"16"``, ``0.5`` → ``"0.5"``.

    An integer is written as is: ``float()`` of one too large for a float (a custom-typed
    ``1e400`` written out in digits) raised ``OverflowError``.
    """
    if isinstance(x, bool):
        return str(int(x))
    if isinstance(x, int):
        return str(x)  # also an integer too large for a float (no OverflowError)
    if float(x).is_integer():
        return str(int(x))
    return repr(float(x))


@dataclass(frozen=True, slots=True)
class Color:
    """§8.1 color. ``components`` in the space's own ranges (None = ``"none"``)."""

    color_space: str
    components: tuple[float | None, ...]
    alpha: float
    hex: str
    css: str


@dataclass(frozen=True, slots=True)
class Dimension:
    """§8.2 dimension: ``value`` in ``unit`` (px, rem; ``em`` accepted as an older form)."""

    value: float
    unit: str

    def px(self, root_px: float = 16.0) -> float:
        """The value in CSS pixels; rem and em count ``root_px`` pixels."""
        return self.value if self.unit == "px" else self.value * root_px

    def rem(self, root_px: float = 16.0) -> float:
        """The value in rem (``root_px`` pixels each)."""
        return self.value / root_px if self.unit == "px" else self.value

    @property
    def css(self) -> str:
        """``"16px"``, ``"0.5rem"``."""
        return f"{fmt_number(self.value)}{self.unit}"


@dataclass(frozen=True, slots=True)
class Duration:
    """§8.5 duration: ``value`` in ``unit`` (ms or s)."""

    value: float
    unit: str

    @property
    def ms(self) -> float:
        """The duration in milliseconds."""
        return self.value * 1000 if self.unit == "s" else self.value

    @property
    def css(self) -> str:
        """``"200ms"``."""
        return f"{fmt_number(self.value)}{self.unit}"


@dataclass(frozen=True, slots=True)
class FontFamily:
    """§8.3 fontFamily: one or several family names, in order of preference."""

    families: tuple[str, ...]

    @property
    def css(self) -> str:
        """Comma-separated, quoting names with spaces that are not already quoted.

        A single string that already holds a comma-separated CSS list is kept as written.
        """

        def q(name: str) -> str:
            if " " in name and "," not in name and not name.startswith(("'", '"')):
                return f'"{name}"'
            return name

        return ", ".join(q(f) for f in self.families)


@dataclass(frozen=True, slots=True)
class FontWeight:
    """§8.4 fontWeight: a number in [1, 1000] (names mapped to numbers)."""

    weight: float

    @property
    def css(self) -> str:
        """``"400"``."""
        return fmt_number(self.weight)


@dataclass(frozen=True, slots=True)
class CubicBezier:
    """§8.6 cubicBezier: control points P1 (x1, y1) and P2 (x2, y2), x in [0, 1]."""

    x1: float
    y1: float
    x2: float
    y2: float

    @property
    def css(self) -> str:
        """``"cubic-bezier(0.25, 0.1, 0.25, 1)"``."""
        nums = ", ".join(fmt_number(v) for v in (self.x1, self.y1, self.x2, self.y2))
        return f"cubic-bezier({nums})"


@dataclass(frozen=True, slots=True)
class Number:
    """§8.7 number."""

    value: float

    @property
    def css(self) -> str:
        """The number as text."""
        return fmt_number(self.value)


@dataclass(frozen=True, slots=True)
class StrokeStyle:
    """§9.2 strokeStyle: a keyword, or ``dash_array`` with ``line_cap``."""

    keyword: str | None
    dash_array: tuple[Dimension, ...] = ()
    line_cap: str | None = None

    @property
    def css(self) -> str:
        """The keyword, or ``"dashed"`` for a dash array (CSS borders have no dash arrays)."""
        return self.keyword or "dashed"


@dataclass(frozen=True, slots=True)
class Border:
    """§9.3 border."""

    color: Color
    width: Dimension
    style: StrokeStyle

    @property
    def css(self) -> str:
        """``"1px solid #d1d9e0"``."""
        return f"{self.width.css} {self.style.css} {self.color.css}"


@dataclass(frozen=True, slots=True)
class Transition:
    """§9.4 transition."""

    duration: Duration
    delay: Duration
    timing_function: CubicBezier

    @property
    def css(self) -> str:
        """``"200ms cubic-bezier(…) 0ms"``."""
        return f"{self.duration.css} {self.timing_function.css} {self.delay.css}"


@dataclass(frozen=True, slots=True)
class ShadowLayer:
    """One layer of §9.5 shadow."""

    color: Color
    offset_x: Dimension
    offset_y: Dimension
    blur: Dimension
    spread: Dimension
    inset: bool

    @property
    def css(self) -> str:
        """``"[inset ]x y blur spread color"``."""
        parts = [self.offset_x.css, self.offset_y.css, self.blur.css, self.spread.css]
        return ("inset " if self.inset else "") + " ".join(parts) + " " + self.color.css


@dataclass(frozen=True, slots=True)
class Shadow:
    """§9.5 shadow: one or several layers."""

    layers: tuple[ShadowLayer, ...]

    @property
    def css(self) -> str:
        """Layers joined with ``", "``."""
        return ", ".join(layer.css for layer in self.layers)


@dataclass(frozen=True, slots=True)
class GradientStop:
    """One stop of §9.6 gradient; ``position`` clamped to [0, 1]."""

    color: Color
    position: float


@dataclass(frozen=True, slots=True)
class Gradient:
    """§9.6 gradient."""

    stops: tuple[GradientStop, ...]

    @property
    def css(self) -> str:
        """``"linear-gradient(90deg, #fff 0%, #000 100%)"``."""
        stops = ", ".join(f"{s.color.css} {fmt_number(s.position * 100)}%" for s in self.stops)
        return f"linear-gradient(90deg, {stops})"


@dataclass(frozen=True, slots=True)
class Typography:
    """§9.7 typography. Members missing in the source are None."""

    font_family: FontFamily | None
    font_size: Dimension | None
    font_weight: FontWeight | None
    letter_spacing: Dimension | None
    line_height: float | None

    @property
    def css(self) -> str:
        """The CSS ``font`` shorthand: ``"400 16px/1.5 sans-serif"``."""
        parts = []
        if self.font_weight:
            parts.append(self.font_weight.css)
        if self.font_size:
            size = self.font_size.css
            if self.line_height is not None:
                size += f"/{fmt_number(self.line_height)}"
            parts.append(size)
        if self.font_family:
            parts.append(self.font_family.css)
        return " ".join(parts)


@dataclass(frozen=True, slots=True)
class Unknown:
    """A value of a ``$type`` the spec does not define (kept as JSON)."""

    json: Any

    @property
    def css(self) -> str:
        """Strings and numbers as text; anything else as compact JSON."""
        if isinstance(self.json, str):
            return self.json
        if isinstance(self.json, (int, float)) and not isinstance(self.json, bool):
            return fmt_number(self.json)
        return json.dumps(self.json, separators=(",", ":"))


TokenValue = (
    Color
    | Dimension
    | Duration
    | FontFamily
    | FontWeight
    | CubicBezier
    | Number
    | StrokeStyle
    | Border
    | Transition
    | Shadow
    | Gradient
    | Typography
    | Unknown
)

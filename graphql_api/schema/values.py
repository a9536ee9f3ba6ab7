"""GraphQL types of normalised token values: the ``TokenValue`` union, one type per ``$type``.

Converted from the pure dataclasses of :mod:`graphql_api.dtcg.values` by :func:`to_graphql`.
"""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.scalars import JSON

from ..dtcg import values as V  # noqa: N812 - the engine's own alias
from .colorspace import ColorInSpace, ColorSpace, color_in

CSS = "The value as CSS text, ready to use in a stylesheet."


@strawberry.type(description="A colour (DTCG Color module; Format §8.1).")
class ColorValue:
    """Built from :class:`graphql_api.dtcg.values.Color`."""

    color_space: str = strawberry.field(description="DTCG colorSpace, e.g. `srgb`, `hsl`, `oklch`.")
    components: list[float | None] = strawberry.field(
        description="The 3 components in the space's own ranges (hsl: h 0–360, s/l 0–100); "
        "null for `none`."
    )
    alpha: float = strawberry.field(description="Opacity in [0, 1].")
    hex: str = strawberry.field(
        description="sRGB hex, lower case: `#rrggbb`, or `#rrggbbaa` when alpha < 1 "
        "(the source's `hex` fallback when given)."
    )
    css: str = strawberry.field(description=CSS)
    source: strawberry.Private[V.Color]

    @strawberry.field(
        name="in",
        description="This colour in another DTCG colour space (coloraide), with components "
        "in that space's ranges and whether it is in gamut, e.g. `in(space: OKLCH)`.",
    )
    def in_(
        self,
        space: Annotated[ColorSpace, strawberry.argument(description="Target colour space.")],
    ) -> ColorInSpace:
        """Converted on request (not gamut-mapped); see :func:`.colorspace.color_in`."""
        return color_in(self.source, space)


@strawberry.type(description="A distance (Format §8.2): px, rem, or the older `em`.")
class DimensionValue:
    """Built from :class:`graphql_api.dtcg.values.Dimension` for a root font size."""

    value: float = strawberry.field(description="The number, in `unit`.")
    unit: str = strawberry.field(description="`px`, `rem` or `em`.")
    px: float = strawberry.field(description="In CSS pixels (rem/em × the root font size).")
    rem: float = strawberry.field(description="In rem (px ÷ the root font size).")
    css: str = strawberry.field(description=CSS)


@strawberry.type(description="A length of time (Format §8.5).")
class DurationValue:
    """Built from :class:`graphql_api.dtcg.values.Duration`."""

    value: float = strawberry.field(description="The number, in `unit`.")
    unit: str = strawberry.field(description="`ms` or `s`.")
    ms: float = strawberry.field(description="In milliseconds.")
    css: str = strawberry.field(description=CSS)


@strawberry.type(description="Font families in order of preference (Format §8.3).")
class FontFamilyValue:
    """Built from :class:`graphql_api.dtcg.values.FontFamily`."""

    families: list[str] = strawberry.field(description="Family names, most preferred first.")
    css: str = strawberry.field(description=CSS)


@strawberry.type(description="A font weight (Format §8.4), names mapped to numbers.")
class FontWeightValue:
    """Built from :class:`graphql_api.dtcg.values.FontWeight`."""

    weight: float = strawberry.field(description="1–1000 (400 normal, 700 bold).")
    css: str = strawberry.field(description=CSS)


@strawberry.type(description="An easing curve (Format §8.6): P1 (x1, y1) and P2 (x2, y2).")
class CubicBezierValue:
    """Built from :class:`graphql_api.dtcg.values.CubicBezier`."""

    x1: float = strawberry.field(description="P1 x, in [0, 1].")
    y1: float = strawberry.field(description="P1 y.")
    x2: float = strawberry.field(description="P2 x, in [0, 1].")
    y2: float = strawberry.field(description="P2 y.")
    css: str = strawberry.field(description=CSS)


@strawberry.type(description="A plain number (Format §8.7).")
class NumberValue:
    """Built from :class:`graphql_api.dtcg.values.Number`."""

    value: float = strawberry.field(description="The number.")
    css: str = strawberry.field(description=CSS)


@strawberry.type(description="A line style (Format §9.2): a keyword or a dash pattern.")
class StrokeStyleValue:
    """Built from :class:`graphql_api.dtcg.values.StrokeStyle`."""

    keyword: str | None = strawberry.field(description="`solid`, `dashed`, … or null.")
    dash_array: list[DimensionValue] = strawberry.field(description="Dash and gap lengths.")
    line_cap: str | None = strawberry.field(description="`round`, `butt` or `square`.")
    css: str = strawberry.field(description=CSS)


@strawberry.type(description="A border (Format §9.3).")
class BorderValue:
    """Built from :class:`graphql_api.dtcg.values.Border`."""

    color: ColorValue = strawberry.field(description="Border colour.")
    width: DimensionValue = strawberry.field(description="Border width.")
    style: StrokeStyleValue = strawberry.field(description="Line style.")
    css: str = strawberry.field(description=CSS)


@strawberry.type(description="An animated transition (Format §9.4).")
class TransitionValue:
    """Built from :class:`graphql_api.dtcg.values.Transition`."""

    duration: DurationValue = strawberry.field(description="How long it runs.")
    delay: DurationValue = strawberry.field(description="Wait before it starts (0ms if unset).")
    timing_function: CubicBezierValue = strawberry.field(description="Easing curve.")
    css: str = strawberry.field(description=CSS)


@strawberry.type(description="One layer of a shadow (Format §9.5).")
class ShadowLayer:
    """Built from :class:`graphql_api.dtcg.values.ShadowLayer`."""

    color: ColorValue = strawberry.field(description="Shadow colour.")
    offset_x: DimensionValue = strawberry.field(description="Horizontal offset.")
    offset_y: DimensionValue = strawberry.field(description="Vertical offset.")
    blur: DimensionValue = strawberry.field(description="Blur radius.")
    spread: DimensionValue = strawberry.field(description="Spread (0px if unset).")
    inset: bool = strawberry.field(description="Inner shadow.")
    css: str = strawberry.field(description=CSS)


@strawberry.type(description="A shadow of one or more layers (Format §9.5).")
class ShadowValue:
    """Built from :class:`graphql_api.dtcg.values.Shadow`."""

    layers: list[ShadowLayer] = strawberry.field(description="Layers, top first.")
    css: str = strawberry.field(description="CSS `box-shadow` text.")


@strawberry.type(description="A colour stop of a gradient.")
class GradientStop:
    """Built from :class:`graphql_api.dtcg.values.GradientStop`."""

    color: ColorValue = strawberry.field(description="Stop colour.")
    position: float = strawberry.field(description="Position in [0, 1] (clamped).")


@strawberry.type(description="A gradient (Format §9.6).")
class GradientValue:
    """Built from :class:`graphql_api.dtcg.values.Gradient`."""

    stops: list[GradientStop] = strawberry.field(description="Stops in order.")
    css: str = strawberry.field(description="A CSS `linear-gradient(90deg, …)`.")


@strawberry.type(
    description="A typographic style (Format §9.7); members the source omits are null."
)
class TypographyValue:
    """Built from :class:`graphql_api.dtcg.values.Typography`."""

    font_family: FontFamilyValue | None = strawberry.field(description="Font families.")
    font_size: DimensionValue | None = strawberry.field(description="Font size.")
    font_weight: FontWeightValue | None = strawberry.field(description="Font weight.")
    letter_spacing: DimensionValue | None = strawberry.field(description="Letter spacing.")
    line_height: float | None = strawberry.field(description="Line height, a multiplier.")
    css: str = strawberry.field(description="CSS `font` shorthand.")


@strawberry.type(description="A value of a `$type` the DTCG spec does not define, or untyped.")
class UnknownValue:
    """Built from :class:`graphql_api.dtcg.values.Unknown`, or for a misfit value."""

    json: JSON | None = strawberry.field(description="The resolved value as JSON.")
    css: str = strawberry.field(description="Strings and numbers as text, else compact JSON.")


TokenValue = Annotated[
    ColorValue
    | DimensionValue
    | DurationValue
    | FontFamilyValue
    | FontWeightValue
    | CubicBezierValue
    | NumberValue
    | StrokeStyleValue
    | BorderValue
    | TransitionValue
    | ShadowValue
    | GradientValue
    | TypographyValue
    | UnknownValue,
    strawberry.union("TokenValue", description="The normalised value of a token, by `$type`."),
]


def _color(c: V.Color) -> ColorValue:
    return ColorValue(
        color_space=c.color_space,
        components=list(c.components),
        alpha=c.alpha,
        hex=c.hex,
        css=c.css,
        source=c,
    )


def _dim(d: V.Dimension, root_px: float) -> DimensionValue:
    return DimensionValue(
        value=d.value, unit=d.unit, px=d.px(root_px), rem=d.rem(root_px), css=d.css
    )


def _dur(d: V.Duration) -> DurationValue:
    return DurationValue(value=d.value, unit=d.unit, ms=d.ms, css=d.css)


def _bezier(b: V.CubicBezier) -> CubicBezierValue:
    return CubicBezierValue(x1=b.x1, y1=b.y1, x2=b.x2, y2=b.y2, css=b.css)


def _stroke(s: V.StrokeStyle, root_px: float) -> StrokeStyleValue:
    dashes = [_dim(d, root_px) for d in s.dash_array]
    return StrokeStyleValue(keyword=s.keyword, dash_array=dashes, line_cap=s.line_cap, css=s.css)


def _layer(s: V.ShadowLayer, r: float) -> ShadowLayer:
    return ShadowLayer(
        color=_color(s.color),
        offset_x=_dim(s.offset_x, r),
        offset_y=_dim(s.offset_y, r),
        blur=_dim(s.blur, r),
        spread=_dim(s.spread, r),
        inset=s.inset,
        css=s.css,
    )


def to_graphql(v: V.TokenValue, root_px: float = 16.0) -> TokenValue:  # noqa: PLR0911, PLR0912
    """The GraphQL object for a normalised value; rem/px conversions use ``root_px``."""
    r = root_px
    if isinstance(v, V.Color):
        return _color(v)
    if isinstance(v, V.Dimension):
        return _dim(v, r)
    if isinstance(v, V.Duration):
        return _dur(v)
    if isinstance(v, V.FontFamily):
        return FontFamilyValue(families=list(v.families), css=v.css)
    if isinstance(v, V.FontWeight):
        return FontWeightValue(weight=v.weight, css=v.css)
    if isinstance(v, V.CubicBezier):
        return _bezier(v)
    if isinstance(v, V.Number):
        return NumberValue(value=v.value, css=v.css)
    if isinstance(v, V.StrokeStyle):
        return _stroke(v, r)
    if isinstance(v, V.Border):
        return BorderValue(
            color=_color(v.color), width=_dim(v.width, r), style=_stroke(v.style, r), css=v.css
        )
    if isinstance(v, V.Transition):
        return TransitionValue(
            duration=_dur(v.duration),
            delay=_dur(v.delay),
            timing_function=_bezier(v.timing_function),
            css=v.css,
        )
    if isinstance(v, V.Shadow):
        return ShadowValue(layers=[_layer(x, r) for x in v.layers], css=v.css)
    if isinstance(v, V.Gradient):
        stops = [GradientStop(color=_color(s.color), position=s.position) for s in v.stops]
        return GradientValue(stops=stops, css=v.css)
    if isinstance(v, V.Typography):
        return TypographyValue(
            font_family=(
                FontFamilyValue(families=list(v.font_family.families), css=v.font_family.css)
                if v.font_family
                else None
            ),
            font_size=_dim(v.font_size, r) if v.font_size else None,
            font_weight=FontWeightValue(weight=v.font_weight.weight, css=v.font_weight.css)
            if v.font_weight
            else None,
            letter_spacing=_dim(v.letter_spacing, r) if v.letter_spacing else None,
            line_height=v.line_height,
            css=v.css,
        )
    return UnknownValue(json=v.json, css=v.css)

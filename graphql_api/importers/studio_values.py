"""Tokens Studio (Figma plugin) token values → DTCG 2025.10 values.

:func:`convert_token` maps one token's Tokens Studio type and value to a DTCG
``$type`` and ``$value``. References are never resolved here (resolution happens
after flattening, in :mod:`graphql_api.dtcg.references`); a value or member that
is a reference is kept as written and only the type is mapped.

Accepted legacy forms (Tokens Studio type → DTCG type, value):

* ``sizing``, ``spacing``, ``borderRadius``, ``borderWidth``, ``fontSizes``,
  ``letterSpacing``, ``paragraphSpacing``, ``paragraphIndent``, ``dimension`` →
  ``dimension``: unitless numbers and numeric strings get ``px`` (``"16"`` →
  ``"16px"``, ``4`` → ``"4px"``); ``"1rem"``, ``"2px"``, ``"1em"`` are kept;
  ``letterSpacing`` percentages are a share of the font size, i.e. ``em``
  (``"-2%"`` → ``"-0.02em"``).
* ``fontFamilies`` → ``fontFamily`` (string or list, kept).
* ``fontWeights`` → ``fontWeight``: numbers and numeric strings → numbers; Figma
  style names → DTCG names (``"Semi Bold"``/``"SemiBold"`` → ``"semi-bold"``,
  ``"Regular"`` → ``"regular"``); an ``Italic`` suffix is moved to
  ``$extensions['studio.tokens'].fontStyle``.
* ``lineHeights`` → ``number`` when numeric (``"1.5"``, ``"150%"`` → ``1.5``).
* ``opacity`` → ``number`` (``"50%"`` → ``0.5``, ``"0.5"`` → ``0.5``).
* ``number`` → ``number`` (numeric strings → numbers).
* ``boxShadow`` → ``shadow``: ``{x, y, blur, spread, color, type}`` (or a list of
  them) → ``{offsetX, offsetY, blur, spread, color, inset}``, ``inset`` true for
  ``type: innerShadow``; members such as ``blendMode`` are kept in
  ``$extensions['studio.tokens'].boxShadow`` (the original value).
* ``typography`` → ``typography``: ``fontFamily``, ``fontWeight``, ``fontSize``,
  ``lineHeight``, ``letterSpacing`` converted as above; ``textCase``,
  ``textDecoration``, ``paragraphSpacing``, ``paragraphIndent`` (and any member
  that has no DTCG form, e.g. ``lineHeight: "AUTO"``) go to
  ``$extensions['studio.tokens']``.
* ``border`` → ``border`` (``{color, width, style}``, width as a dimension).
* ``color`` → ``color``. Old references ``$a.b`` → ``{a.b}``.

A value of a known type that has no DTCG form (``"AUTO"`` line height, a ``"50%"``
radius, a CSS shadow string, a ``color`` that is a CSS gradient, a ``border`` whose
colour is ``"none"``) keeps its Tokens Studio type and value as written; the engine
stores it as an unknown type. When that type is also a DTCG type name (``color``,
``border``, ``dimension``…), it becomes ``tokens-studio-<type>`` (``tokens-studio-color``)
so that the engine does not check the value against the DTCG type. Unknown types (``composition``,
``text``, ``asset``, ``boolean``, ``other`` …) are kept as written.

Math expressions (``"{spacing.base} * 2"``, ``"floor({a} / 3)"``) are not evaluated
here: their operands are only known per theme, after flattening. They are kept as
written with the mapped type, and the resolver computes them (lenient mode,
:mod:`graphql_api.dtcg.studio_forms`); with ``strict``, :func:`convert_token` raises
:class:`StudioValueError` and the importer reports ``INVALID_VALUE``, as DTCG has no math.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from graphql_api.dtcg.expressions import is_expression

EXTENSION = "studio.tokens"
DIMENSION_TYPES = frozenset(
    {
        "sizing",
        "spacing",
        "borderRadius",
        "borderWidth",
        "fontSizes",
        "letterSpacing",
        "paragraphSpacing",
        "paragraphIndent",
        "dimension",
    }
)
TYPE_NAMES = {
    **dict.fromkeys(DIMENSION_TYPES, "dimension"),
    "fontFamilies": "fontFamily",
    "fontWeights": "fontWeight",
    "lineHeights": "number",
    "opacity": "number",
    "number": "number",
    "boxShadow": "shadow",
    "typography": "typography",
    "border": "border",
    "color": "color",
}
NO_FORM_PREFIX = "tokens-studio-"
DTCG_TYPE_NAMES = frozenset(
    {
        "color",
        "dimension",
        "fontFamily",
        "fontWeight",
        "duration",
        "cubicBezier",
        "number",
        "strokeStyle",
        "border",
        "transition",
        "shadow",
        "gradient",
        "typography",
    }
)
TEXT_TYPES = frozenset({"fontFamilies", "text", "asset", "textCase", "textDecoration"})
FONT_WEIGHT_NAMES = {
    "thin": "thin",
    "hairline": "hairline",
    "extralight": "extra-light",
    "ultralight": "ultra-light",
    "light": "light",
    "normal": "normal",
    "regular": "regular",
    "book": "book",
    "medium": "medium",
    "semibold": "semi-bold",
    "demibold": "demi-bold",
    "bold": "bold",
    "extrabold": "extra-bold",
    "ultrabold": "ultra-bold",
    "black": "black",
    "heavy": "heavy",
    "extrablack": "extra-black",
    "ultrablack": "ultra-black",
}
TYPOGRAPHY_EXTRAS = ("textCase", "textDecoration", "paragraphSpacing", "paragraphIndent")

_REF = re.compile(r"\{[^{}]+\}")
_OLD_REF = re.compile(r"(?<![\w$])\$([A-Za-z_][\w-]*(?:\.[\w-]+)*)")
_NUM = r"-?(?:\d+\.?\d*|\.\d+)"
_NUMBER = re.compile(rf"^\s*({_NUM})\s*$")
_NUM_UNIT = re.compile(rf"^\s*({_NUM})\s*(px|rem|em|%)\s*$")


class StudioValueError(ValueError):
    """A value the importer refuses (a math expression); the message says why."""


class _NoDTCGFormError(ValueError):
    """A value of a known type that has no DTCG form: keep type and value as written."""


@dataclass(slots=True)
class Converted:
    """One converted token: DTCG ``$type`` (None = inherit), ``$value``, studio extras."""

    type: str | None
    value: Any
    extras: dict[str, Any] = field(default_factory=dict)


def number_text(x: float) -> str:
    """Shortest text of a number: ``16.0`` → ``"16"``, ``0.5`` → ``"0.5"``."""
    return str(int(x)) if float(x).is_integer() else repr(float(x))


def is_reference(v: Any) -> bool:
    """True when ``v`` is one whole ``{a.b}`` reference."""
    return isinstance(v, str) and _REF.fullmatch(v.strip()) is not None


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def is_math(v: Any) -> bool:
    """True for a math expression: ``"{a} * 2"``, ``"floor({a} / 3)"``, ``"2px + 4px"``."""
    return isinstance(v, str) and is_expression(v)


def dimension(v: Any, *, percent_em: bool = False) -> Any:
    """``16``/``"16"`` → ``"16px"``; ``"1rem"`` kept; ``"-2%"`` → ``"-0.02em"`` (``percent_em``).

    References and math expressions are kept as written (the resolver computes them).
    """
    if is_reference(v) or is_math(v):
        return v
    if _is_number(v):
        return f"{number_text(v)}px"
    m = _NUMBER.match(v) if isinstance(v, str) else None
    if m:
        return f"{m.group(1)}px"
    m = _NUM_UNIT.match(v) if isinstance(v, str) else None
    if m and m.group(2) != "%":
        return v.strip()
    if m and percent_em:
        return f"{number_text(float(m.group(1)) / 100)}em"
    raise _NoDTCGFormError(v)


def ratio(v: Any) -> Any:
    """``1.5``/``"1.5"`` → ``1.5``; ``"150%"`` → ``1.5`` (line heights, opacity)."""
    if is_reference(v) or _is_number(v) or is_math(v):
        return v
    m = _NUMBER.match(v) if isinstance(v, str) else None
    if m:
        return float(m.group(1)) if "." in m.group(1) else int(m.group(1))
    m = _NUM_UNIT.match(v) if isinstance(v, str) else None
    if m and m.group(2) == "%":
        return float(m.group(1)) / 100
    raise _NoDTCGFormError(v)


def font_weight(v: Any, extras: dict[str, Any]) -> Any:
    """``700``/``"700"`` → ``700``; ``"Semi Bold"`` → ``"semi-bold"``; ``"Bold Italic"`` → bold."""
    if is_reference(v) or _is_number(v) or is_math(v):
        return v
    if not isinstance(v, str):
        raise _NoDTCGFormError(v)
    if _NUMBER.match(v):
        return ratio(v)
    key = re.sub(r"[\s_-]+", "", v).lower()
    if key.endswith("italic") and key != "italic":
        key = key.removesuffix("italic")
        extras["fontStyle"] = "italic"
    if key not in FONT_WEIGHT_NAMES:
        raise _NoDTCGFormError(v)
    return FONT_WEIGHT_NAMES[key]


def _shadow_layer(v: Any) -> tuple[dict[str, Any], bool]:
    if not isinstance(v, Mapping):
        raise _NoDTCGFormError(v)
    out = {
        dtcg: dimension(v[ts])
        for ts, dtcg in (("x", "offsetX"), ("y", "offsetY"), ("blur", "blur"), ("spread", "spread"))
        if ts in v
    }
    if "color" in v:
        out["color"] = v["color"]
    kind = v.get("type", "dropShadow")
    if kind not in ("dropShadow", "innerShadow"):
        raise _NoDTCGFormError(v)
    out["inset"] = kind == "innerShadow"
    known = {"x", "y", "blur", "spread", "color", "type"}
    return out, bool(set(v) - known)


def shadow(v: Any, extras: dict[str, Any]) -> Any:
    """``{x, y, blur, spread, color, type}`` or a list → DTCG shadow layer(s)."""
    if is_reference(v):
        return v
    layers = [_shadow_layer(x) for x in (v if isinstance(v, list) else [v])]
    if any(extra for _, extra in layers):
        extras["boxShadow"] = v
    out = [layer for layer, _ in layers]
    return out if isinstance(v, list) else out[0]


def typography(v: Any, extras: dict[str, Any]) -> Any:
    """Tokens Studio typography object → DTCG typography (extras to ``extras``)."""
    if is_reference(v):
        return v
    if not isinstance(v, Mapping):
        raise _NoDTCGFormError(v)
    members: dict[str, Callable[[Any], Any]] = {
        "fontFamily": lambda x: x,
        "fontWeight": lambda x: font_weight(x, extras),
        "fontSize": dimension,
        "lineHeight": ratio,
        "letterSpacing": lambda x: dimension(x, percent_em=True),
    }
    out: dict[str, Any] = {}
    for key, member in v.items():
        try:
            if key not in members:
                raise _NoDTCGFormError(member)
            out[key] = members[key](member)
        except _NoDTCGFormError:
            extras[key] = member
    return out


def border(v: Any) -> Any:
    """``{color, width, style}`` with ``width`` as a dimension (``color: "none"``: no DTCG form)."""
    if is_reference(v):
        return v
    if not isinstance(v, Mapping) or v.get("color") == "none":
        raise _NoDTCGFormError(v)
    return {**v, "width": dimension(v["width"])} if "width" in v else dict(v)


def color(v: Any) -> Any:
    """A colour as written; a CSS gradient string (Tokens Studio allows it) has no DTCG form."""
    if isinstance(v, str) and "gradient(" in v:
        raise _NoDTCGFormError(v)
    return v


def _convert_value(ts_type: str, v: Any, extras: dict[str, Any]) -> Any:
    if ts_type in DIMENSION_TYPES:
        return dimension(v, percent_em=ts_type == "letterSpacing")
    if ts_type in ("lineHeights", "opacity", "number"):
        return ratio(v)
    simple: dict[str, Callable[[Any], Any]] = {
        "fontWeights": lambda x: font_weight(x, extras),
        "boxShadow": lambda x: shadow(x, extras),
        "typography": lambda x: typography(x, extras),
        "border": border,
        "color": color,
    }
    return simple[ts_type](v) if ts_type in simple else v


def old_references(v: Any, *, whole_only: bool = False) -> Any:
    """``"$a.b"`` → ``"{a.b}"`` in every string of ``v`` (only whole strings if ``whole_only``)."""
    if isinstance(v, str):
        if whole_only:
            return "{" + v[1:] + "}" if _OLD_REF.fullmatch(v) else v
        return _OLD_REF.sub(lambda m: "{" + m.group(1) + "}", v)
    if isinstance(v, Mapping):
        return {k: old_references(x, whole_only=whole_only) for k, x in v.items()}
    if isinstance(v, list):
        return [old_references(x, whole_only=whole_only) for x in v]
    return v


def find_math(v: Any) -> str | None:
    """The first string in ``v`` that is a math expression (:func:`is_math`), or None."""
    if isinstance(v, str):
        return v if is_math(v) else None
    items = v.values() if isinstance(v, Mapping) else v if isinstance(v, list) else ()
    return next((m for m in map(find_math, items) if m is not None), None)


def convert_token(ts_type: str | None, value: Any, *, strict: bool = False) -> Converted:
    """Map one Tokens Studio token (type, value) to DTCG (see the module docstring).

    Args:
        ts_type: the token's own or inherited Tokens Studio type (None = untyped).
        value: the value as written (JSON data).
        strict: refuse math expressions (DTCG has none); otherwise they are kept as
            written, with the mapped type, for the resolver to compute per theme.

    Returns:
        The DTCG type (mapped, or as written when unknown or without a DTCG form),
        the converted value, and data for ``$extensions['studio.tokens']``.

    Raises:
        StudioValueError: ``strict`` and the value is (or holds) a math expression.
    """
    value = old_references(value, whole_only=ts_type in TEXT_TYPES)
    if strict and ts_type not in TEXT_TYPES:
        expr = find_math(value)
        if expr is not None:
            raise StudioValueError(
                f"math expression {expr!r} is not supported: Tokens Studio evaluates it in "
                "the plugin, DTCG has no math; write the computed value instead"
            )
    if ts_type is None:
        return Converted(None, value)
    extras: dict[str, Any] = {}
    try:
        converted = _convert_value(ts_type, value, extras)
    except _NoDTCGFormError:
        # a DTCG type name would make the engine check (and refuse) the value
        own = f"{NO_FORM_PREFIX}{ts_type}" if ts_type in DTCG_TYPE_NAMES else ts_type
        return Converted(own, value)
    return Converted(TYPE_NAMES.get(ts_type, ts_type), converted, extras)

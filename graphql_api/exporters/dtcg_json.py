"""Export resolved tokens as a DTCG 2025.10 token document (Format module §5–§9).

Values are written in the 2025.10 forms: the older forms real files use are converted
(a hex colour string becomes ``{colorSpace: "srgb", components, hex}``, ``"16px"``
becomes ``{value: 16, unit: "px"}``, a numeric font-weight string a number, a weight
name in another case its lower-case name, a missing shadow ``spread`` / transition
``delay`` the 0 a tolerant reader assumes), so a strict
reader accepts the result; values already in 2025.10 form are written unchanged. Types
the spec does not define, and the ``em`` unit, are written as they are (no 2025.10
form exists for them). Every token carries its effective ``$type`` explicitly.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

from ..dtcg.types import FONT_WEIGHTS, color, dimension, duration

if TYPE_CHECKING:
    from ..dtcg.references import ResolvedToken


def _color(v: Any) -> Any:
    if not isinstance(v, str):
        return v
    c = color(v)
    out: dict[str, Any] = {"colorSpace": c.color_space, "components": list(c.components)}
    if c.alpha != 1:
        out["alpha"] = c.alpha
    if c.color_space == "srgb":
        out["hex"] = c.hex[:7]
    return out


def _dimension(v: Any) -> Any:
    if isinstance(v, Mapping):
        return v
    d = dimension(v)
    return {"value": _num(d.value), "unit": d.unit}


def _duration(v: Any) -> Any:
    if isinstance(v, Mapping):
        return v
    d = duration(v)
    return {"value": _num(d.value), "unit": d.unit}


def _font_weight(v: Any) -> Any:
    if isinstance(v, str) and v.strip().isdigit():
        return int(v)
    # a name in another case ("Bold"): the spec's names are lower case
    return v.lower() if isinstance(v, str) and v.lower() in FONT_WEIGHTS else v


def _num(x: float) -> float | int:
    return int(x) if float(x).is_integer() else x


def _members(**convert: Callable[[Any], Any]) -> Callable[[Any], Any]:
    def apply(v: Any) -> Any:
        if not isinstance(v, Mapping):
            return v
        return {k: convert[k](x) if k in convert else x for k, x in v.items()}

    return apply


def _stroke(v: Any) -> Any:
    return _members(dashArray=lambda a: [_dimension(d) for d in a])(v)


_layer_members = _members(
    color=_color, offsetX=_dimension, offsetY=_dimension, blur=_dimension, spread=_dimension
)


def _with_default(convert: Callable[[Any], Any], member: str, default: Any) -> Callable[[Any], Any]:
    """``convert``, then add ``member`` (required by 2025.10) with ``default`` if it is missing.

    ``default`` is the value a tolerant reader assumes: 0px spread, 0ms delay.
    """

    def apply(v: Any) -> Any:
        out = convert(v)
        return {**out, member: default} if isinstance(out, Mapping) and member not in out else out

    return apply


_layer = _with_default(_layer_members, "spread", {"value": 0, "unit": "px"})

CONVERTERS: dict[str, Callable[[Any], Any]] = {
    "color": _color,
    "dimension": _dimension,
    "duration": _duration,
    "fontWeight": _font_weight,
    "strokeStyle": _stroke,
    "border": _members(color=_color, width=_dimension, style=_stroke),
    "transition": _with_default(
        _members(duration=_duration, delay=_duration), "delay", {"value": 0, "unit": "ms"}
    ),
    "shadow": lambda v: [_layer(x) for x in v] if isinstance(v, list) else _layer(v),
    "gradient": lambda v: [_members(color=_color)(s) for s in v],
    "typography": _members(fontSize=_dimension, letterSpacing=_dimension, fontWeight=_font_weight),
}


def to_dtcg_value(type_: str | None, value: Any) -> Any:
    """``value`` of ``type_`` in its DTCG 2025.10 form (unchanged when it is one already).

    Raises:
        ValueError: the value does not fit its type.
    """
    convert = CONVERTERS.get(type_ or "")
    return convert(value) if convert else value


def export_document(
    tokens: Iterable[ResolvedToken], *, keep_references: bool = False
) -> dict[str, Any]:
    """A nested DTCG document of ``tokens``.

    Args:
        tokens: resolved tokens of one theme selection.
        keep_references: write raw values (references as written) instead of resolved ones.

    Returns:
        ``{group: {…, token: {"$type", "$value", "$description"?, "$deprecated"?,
        "$extensions"?}}}`` — JSON-serialisable.

    Raises:
        ValueError: a resolved value does not fit its type (cannot happen for imported data).
    """
    root: dict[str, Any] = {}
    for tok in tokens:
        node: dict[str, Any] = root
        for seg in tok.path.split(".")[:-1]:
            node = node.setdefault(seg, {})
        entry: dict[str, Any] = {}
        if tok.type is not None:
            entry["$type"] = tok.type
        if keep_references:
            entry["$value"] = tok.node.value
        else:
            entry["$value"] = to_dtcg_value(tok.type, tok.value)
        if tok.node.description is not None:
            entry["$description"] = tok.node.description
        if tok.deprecated not in (None, False):
            entry["$deprecated"] = tok.deprecated
        if tok.node.extensions is not None:
            entry["$extensions"] = tok.node.extensions
        node.setdefault(tok.path.split(".")[-1], {}).update(entry)
    return root

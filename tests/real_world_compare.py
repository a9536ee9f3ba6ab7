"""Compare a value the server resolved with the value an independent tool built.

One function, :func:`compare`, used by ``tests/importers/test_real_world.py``:

* colours by value: both parsed with coloraide, equal when every sRGB channel differs
  by at most 0.5/255 after rounding and alpha by at most 0.005;
* dimensions by px (``rem``/``em`` count 16 px; ``{value, unit}``, ``"8px"``, ``"0"``, and a
  bare number or numeric string, which Style Dictionary and Figma mean as px);
* durations by ms (``{value, unit}``, ``"200ms"``, ``"0.2s"``);
* numbers within 1e-9 relative (numeric strings read as numbers);
* composites member by member with the same rules (shadow ``x``/``y`` of Tokens
  Studio and Spectrum are ``offsetX``/``offsetY``; a typography ``lineHeight`` is
  compared as a dimension when either side has a unit, else as a number);
* font weights as numbers (DTCG names and Figma's ``"Semi Bold"`` read as numbers);
* Tokens Studio's ``rgba(#hex, alpha)`` colours and ``type: inset``/``innerShadow``
  shadows (= ``inset: true``) read; a composite member only the oracle has is ignored when
  it is no DTCG member (Tokens Studio's ``paragraphSpacing``, kept in ``$extensions``);
* a Tokens Studio value without a DTCG form (type ``tokens-studio-<type>``: a CSS
  gradient in a colour, a border whose colour is ``none``) by canonical JSON equality
  regardless of case, else member by member as ``<type>``;
* everything else by canonical JSON equality.

The oracle side is never produced by the server's code.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Mapping
from typing import Any

from coloraide import Color

ROOT_PX = 16.0
CHANNEL = 0.5 / 255
ALPHA = 0.005
REL = 1e-9
_NUM_UNIT = re.compile(r"^\s*(-?(?:\d+\.?\d*|\.\d+)(?:e-?\d+)?)\s*([a-z%]*)\s*$", re.I)
_SHADOW_ALIASES = {"x": "offsetX", "y": "offsetY"}
MEMBER_TYPES: dict[str, dict[str, str]] = {
    "shadow": {
        "color": "color",
        "offsetX": "dimension",
        "offsetY": "dimension",
        "blur": "dimension",
        "spread": "dimension",
    },
    "border": {"color": "color", "width": "dimension", "style": "strokeStyle"},
    "typography": {
        "fontSize": "dimension",
        "letterSpacing": "dimension",
        "lineHeight": "lineHeight",
        "fontWeight": "fontWeight",
        "fontFamily": "fontFamily",
    },
    "transition": {"duration": "duration", "delay": "duration", "timingFunction": "cubicBezier"},
    "gradient": {"color": "color", "position": "number"},
}


def _canonical(v: Any) -> str:
    return json.dumps(v, sort_keys=True, separators=(",", ":"))


_HEX_RGBA = re.compile(r"^\s*rgba\(\s*(#[0-9a-f]{3,8})\s*,\s*(\d*\.?\d+)(%?)\s*\)\s*$", re.I)


def _colour(v: Any) -> Color:
    if isinstance(v, str):
        m = _HEX_RGBA.match(v)  # Tokens Studio's rgba(#hex, alpha)
        if m:
            alpha = float(m.group(2)) / (100 if m.group(3) else 1)
            return Color(m.group(1)).set("alpha", alpha)
        return Color(v.strip())
    if isinstance(v, Mapping):
        comps = [math.nan if c == "none" else c for c in v["components"]]
        space = v["colorSpace"]
        if space in ("hsl", "hwb"):
            comps = [comps[0], comps[1] / 100, comps[2] / 100]
        return Color(space, comps, v.get("alpha", 1))
    raise ValueError(f"not a colour: {v!r}")


def _compare_colour(ours: Any, oracle: Any) -> str | None:
    if _canonical(ours) == _canonical(oracle):  # also "none" in a Tokens Studio border
        return None
    try:
        a, b = _colour(ours), _colour(oracle)
    except (ValueError, KeyError, TypeError) as exc:
        return f"cannot read as colours: {exc}"
    ca = a.convert("srgb").fit("srgb").coords()
    cb = b.convert("srgb").fit("srgb").coords()
    for i, (x_in, y_in) in enumerate(zip(ca, cb, strict=True)):
        x, y = (0.0 if math.isnan(x_in) else x_in), (0.0 if math.isnan(y_in) else y_in)
        if abs(round(x * 255) - round(y * 255)) / 255 > CHANNEL:
            return f"sRGB channel {i}: {x * 255:.2f} vs {y * 255:.2f}"
    if abs(a.alpha() - b.alpha()) > ALPHA:
        return f"alpha {a.alpha()} vs {b.alpha()}"
    return None


def _amount(v: Any, units: Mapping[str, float], bare: bool) -> float:
    """``v`` in the first unit of ``units``; ``bare``: a number without a unit is in it."""
    if isinstance(v, Mapping):
        return float(v["value"]) * units[v["unit"]]
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        if v == 0 or bare:
            return float(v)
        raise ValueError(f"a number without a unit: {v!r}")
    if isinstance(v, str):
        m = _NUM_UNIT.match(v)
        if m and (m.group(2) or float(m.group(1)) == 0 or bare):  # "0.4": bare, in px
            return float(m.group(1)) * units[m.group(2).lower() or next(iter(units))]
    raise ValueError(f"cannot read {v!r}")


def _close(a: float, b: float) -> bool:
    return a == b or abs(a - b) <= REL * max(abs(a), abs(b))


def _measured(
    units: Mapping[str, float], unit: str, *, bare: bool
) -> Callable[[Any, Any], str | None]:
    def cmp(ours: Any, oracle: Any) -> str | None:
        try:
            a, b = _amount(ours, units, bare), _amount(oracle, units, bare)
        except (ValueError, KeyError, TypeError) as exc:
            return f"cannot read as {unit}: {exc}"
        return None if _close(a, b) else f"{a:g}{unit} vs {b:g}{unit}"

    return cmp


_compare_dimension = _measured({"px": 1.0, "rem": ROOT_PX, "em": ROOT_PX}, "px", bare=True)
_compare_duration = _measured({"ms": 1.0, "s": 1000.0}, "ms", bare=False)


def _number(v: Any) -> float:
    if isinstance(v, bool):
        raise ValueError(f"not a number: {v!r}")
    if isinstance(v, (int, float)):
        return float(v)
    if isinstance(v, str) and _NUM_UNIT.match(v) and not _NUM_UNIT.match(v).group(2):  # type: ignore[union-attr]
        return float(v)
    raise ValueError(f"not a number: {v!r}")


def _compare_number(ours: Any, oracle: Any) -> str | None:
    try:
        a, b = _number(ours), _number(oracle)
    except ValueError as exc:
        return str(exc)
    return None if _close(a, b) else f"{a!r} vs {b!r}"


def _has_unit(v: Any) -> bool:
    if isinstance(v, Mapping):
        return "unit" in v
    m = _NUM_UNIT.match(v) if isinstance(v, str) else None
    return bool(m and m.group(2))


def _compare_line_height(ours: Any, oracle: Any) -> str | None:
    if _has_unit(ours) or _has_unit(oracle):
        return _compare_dimension(ours, oracle)
    return _compare_number(ours, oracle)


def _members(type_: str, v: Any) -> Any:
    if type_ == "shadow" and isinstance(v, Mapping):
        out = {_SHADOW_ALIASES.get(k, k): x for k, x in v.items() if k != "type"}
        if v.get("type") in ("inset", "innerShadow"):  # sd-transforms, Tokens Studio
            out["inset"] = True
        return out
    return v


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
"""DTCG §8.4 font weight names; Figma's ``"Semi Bold"``/``"SemiBold"`` read the same."""


def _weight(v: Any) -> float:
    if isinstance(v, str) and not _NUM_UNIT.match(v):
        key = re.sub(r"[\s_-]+", "", v).lower()
        names = {k.replace("-", ""): w for k, w in FONT_WEIGHTS.items()}
        if key in names:
            return float(names[key])
    return _number(v)


def _compare_font_weight(ours: Any, oracle: Any) -> str | None:
    try:
        a, b = _weight(ours), _weight(oracle)
    except ValueError as exc:
        return str(exc)
    return None if _close(a, b) else f"{a!r} vs {b!r}"


def _compare_items(type_: str, ours: Any, oracle: Any) -> str | None:
    ours_l = ours if isinstance(ours, list) else [ours]
    oracle_l = oracle if isinstance(oracle, list) else [oracle]
    if len(ours_l) != len(oracle_l):
        return f"{len(ours_l)} items vs {len(oracle_l)}"
    for i, (a, b) in enumerate(zip(ours_l, oracle_l, strict=True)):
        why = _compare_composite(type_, a, b)
        if why:
            return f"[{i}]{why if why.startswith(('.', '[')) else ': ' + why}"
    return None


def _compare_composite(type_: str, ours: Any, oracle: Any) -> str | None:
    if isinstance(ours, list) or isinstance(oracle, list):
        return _compare_items(type_, ours, oracle)
    a, b = _members(type_, ours), _members(type_, oracle)
    if not isinstance(a, Mapping) or not isinstance(b, Mapping):
        return None if _canonical(a) == _canonical(b) else f"{_canonical(a)} vs {_canonical(b)}"
    for key in sorted(set(a) | set(b)):
        if key not in b:
            continue  # a member the oracle tool does not output (e.g. inset: false)
        if key not in a and key not in MEMBER_TYPES[type_]:
            continue  # not a DTCG member: our importers keep it in $extensions
        if key not in a:
            return f".{key}: missing (oracle {_canonical(b[key])})"
        why = compare(MEMBER_TYPES[type_].get(key, ""), a[key], b[key])
        if why:
            return f".{key}: {why}"
    return None


COMPARATORS: dict[str, Callable[[Any, Any], str | None]] = {
    "color": _compare_colour,
    "dimension": _compare_dimension,
    "duration": _compare_duration,
    "number": _compare_number,
    "lineHeight": _compare_line_height,
    "fontWeight": _compare_font_weight,
}
#: Tokens Studio values without a DTCG form keep their type as ``tokens-studio-<type>``.
NO_FORM_PREFIX = "tokens-studio-"


def compare(ours_type: str | None, ours_value: Any, oracle_value: Any) -> str | None:
    """Why the server's value differs from the oracle's, or None when they agree.

    Args:
        ours_type: the token's resolved ``$type`` (None when it has none).
        ours_value: the server's resolved value (references replaced, as written).
        oracle_value: the independent tool's value for the same token and combination.

    Returns:
        None when equal under the rules of the module docstring, else a short reason.
    """
    if ours_type and ours_type.startswith(NO_FORM_PREFIX):
        if _canonical(ours_value).lower() == _canonical(oracle_value).lower():
            return None  # kept as text: equal but for the case of hex digits
        ours_type = ours_type.removeprefix(NO_FORM_PREFIX)
    if ours_type in MEMBER_TYPES:
        return _compare_composite(ours_type, ours_value, oracle_value)
    cmp = COMPARATORS.get(ours_type or "")
    if cmp is not None:
        return cmp(ours_value, oracle_value)
    if _canonical(ours_value) == _canonical(oracle_value):
        return None
    return f"{_canonical(ours_value)[:120]} vs {_canonical(oracle_value)[:120]}"

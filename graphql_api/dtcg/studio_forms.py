"""Tokens Studio forms the resolver accepts in lenient mode (never with ``strict``).

Real Tokens Studio exports hold three things DTCG 2025.10 has no form for; their values
depend on the theme, so they are computed by :mod:`graphql_api.dtcg.references` per
theme combination, after flattening and after the references are replaced:

* math (:mod:`graphql_api.dtcg.expressions`): a string that is a calculation, alone or
  as a member of a composite (``"{spacing.sm} * 2"``, typography ``fontSize:
  "{base} * 1.25"``), becomes its result, typed by where it sits: a ``number`` or
  ``fontWeight`` gets the number (units dropped), a ``dimension`` the number with its unit
  (``px`` when none), a ``duration`` likewise (``ms``), an untyped or custom token the
  number or the text with its unit. Results that fail in a numeric place are errors;
  elsewhere the text is kept as written (``"calc(100% - 2px)"`` is not ours to refuse);
* colour modifiers (:mod:`graphql_api.dtcg.color_modify`) in
  ``$extensions['studio.tokens'].modify``, whose ``value`` and ``color`` may be
  references or math;
* a ``number`` token whose value is an alias of a ``dimension``: Tokens Studio writes
  unitless sizes as dimensions and reads them as numbers, so it gets the dimension's
  number (``"16px"`` → 16); the other way round, a ``number`` that a reference brings
  where a ``dimension`` belongs is pixels (a typography ``letterSpacing`` naming a
  ``number`` token). Validation does not report these two as ``TYPE_MISMATCH``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from coloraide import Color

from . import colors, primitives
from .color_modify import color_json, modify_color
from .errors import pointer_join
from .expressions import ExpressionError, Quantity, evaluate, is_expression
from .members import type_at
from .refsyntax import Reference, find_references
from .types import SPEC_TYPES

EXTENSION = "studio.tokens"
_NUMERIC = {"number": "", "fontWeight": "", "dimension": "px", "duration": "ms"}
"""Types whose value may be computed → the unit a unitless result gets ("" = a number)."""
_COMPOSITES = frozenset({"typography", "border", "shadow", "transition"})
_NUMBER = re.compile(r"-?(?:\d+\.?\d*|\.\d+)")
_TEXT_TYPES = frozenset({"color", "fontFamily", "strokeStyle", "cubicBezier", "gradient"})


def modifier(extensions: Mapping[str, Any] | None) -> Mapping[str, Any] | None:
    """The ``modify`` object of ``$extensions['studio.tokens']``, or None."""
    studio = extensions.get(EXTENSION) if isinstance(extensions, Mapping) else None
    mod = studio.get("modify") if isinstance(studio, Mapping) else None
    return mod if isinstance(mod, Mapping) else None


def modifier_references(extensions: Mapping[str, Any] | None) -> tuple[Reference, ...]:
    """The references inside the ``modify`` object (pointers relative to it)."""
    mod = modifier(extensions)
    return () if mod is None else tuple(find_references(dict(mod)))


def _typed(q: Quantity, type_: str | None) -> Any:
    if type_ in ("number", "fontWeight"):
        number = q.number
        return int(number) if number.denominator == 1 else float(number)
    if type_ in _NUMERIC and not q.unit:
        return Quantity(q.number, _NUMERIC[type_]).json()
    return q.json()


def evaluate_math(raw: Any, value: Any, type_: str | None, pointer: str = "") -> Any:
    """``value`` (``raw`` with its references replaced) with every calculation computed.

    Args:
        raw: the value as written (tells which strings are calculations).
        value: the same value, references replaced by their CSS text.
        type_: the token's type; members are typed by :func:`~graphql_api.dtcg.members.type_at`.
        pointer: JSON Pointer of ``raw`` inside the token's value.

    Raises:
        ValueError: a calculation in a numeric place fails; the message names the member.
    """
    if isinstance(raw, str) and isinstance(value, str):
        member = type_at(type_, pointer) if pointer else type_
        if member in _TEXT_TYPES or _custom(member) or not is_expression(raw):
            return value
        try:
            return _typed(evaluate(value), member)
        except ExpressionError as exc:
            if member in _NUMERIC:
                where = f" at {pointer}" if pointer else ""
                raise ValueError(f"math expression {raw!r}{where} ({value!r}): {exc}") from None
            return value
    if isinstance(raw, Mapping) and isinstance(value, Mapping):
        out = {
            k: evaluate_math(r, v, type_, pointer_join(pointer, k)) if _may_compute(r) else v
            for k, v in value.items()
            for r in (raw.get(k),)
        }
        return _same(value, out)
    if isinstance(raw, list) and isinstance(value, list) and len(raw) == len(value):
        items = [
            evaluate_math(r, v, type_, pointer_join(pointer, i)) if _may_compute(r) else v
            for i, (r, v) in enumerate(zip(raw, value, strict=True))
        ]
        return _same(value, items)
    return value


def _may_compute(raw: Any) -> bool:
    """Whether a member as written may hold a calculation (else it is kept as resolved).

    An object or array, or a string with an operator or a parenthesis; numbers, booleans,
    null and other strings are never calculations (:func:`is_expression`).
    """
    if isinstance(raw, str):
        return any(c in raw for c in "+-*/^(")
    return isinstance(raw, (Mapping, list))


def _custom(type_: str | None) -> bool:
    """A ``$type`` of another tool (not DTCG's, not the Tokens Studio importer's).

    Its values are opaque text, never calculations: ``"16 / 9"`` of a ``custom-ratio`` stays.
    """
    return type_ is not None and type_ not in SPEC_TYPES and not type_.startswith("tokens-studio")


def _same(old: Any, new: Any) -> Any:
    """``old`` itself when ``new`` holds the very same members (callers memoise by identity)."""
    pairs = (
        zip(old.values(), new.values(), strict=True)
        if isinstance(old, Mapping)
        else zip(old, new, strict=True)
    )
    return old if all(a is b for a, b in pairs) else new


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and primitives.is_finite(v)


def _amount(v: Any) -> float:
    if _is_number(v):
        return float(v)
    if isinstance(v, str):
        try:
            q = evaluate(v)
        except ExpressionError as exc:
            raise ValueError(f"modify value {v!r}: {exc}") from None
        return float(q.number) / (100 if q.unit == "%" else 1)
    raise ValueError(f"modify value must be a number, got {v!r}")


def _coloraide(v: Any) -> Color:
    return Color(colors.color(v).css)


def apply_modifier(
    value: Any, extensions: Mapping[str, Any] | None, substitute: Callable[[Any], Any]
) -> Any:
    """The colour ``value`` with the token's Tokens Studio ``modify`` applied.

    Args:
        value: the token's resolved colour (any form :func:`~graphql_api.dtcg.colors.color`
            reads).
        extensions: the token's ``$extensions``.
        substitute: replaces the references of the ``modify`` object by their values.

    Returns:
        ``value`` unchanged without a modifier, else a DTCG colour object.

    Raises:
        ValueError: the colour, the amount or the mix colour cannot be read.
    """
    mod = modifier(extensions)
    if mod is None:
        return value
    resolved = substitute(dict(mod))
    other = _coloraide(resolved["color"]) if "color" in resolved else None
    result = modify_color(_coloraide(value), resolved, _amount(resolved.get("value")), other)
    return color_json(result)


def numbers_as_px(raw: Any, value: Any, type_: str | None, pointer: str = "") -> Any:
    """``value`` with each number that a reference brings where a ``dimension`` belongs in px.

    Tokens Studio reads unitless sizes as pixels (``letterSpacing: "{ls.50}"`` naming a
    ``number`` token 0.4 is ``0.4px``). Only values brought by a reference (``raw`` is a
    reference string there): a number written in a dimension stays an error, as in DTCG.
    """
    member = type_at(type_, pointer) if pointer else type_
    if member == "dimension":
        brought = isinstance(raw, str) and "{" in raw
        unitless = _is_number(value) or (isinstance(value, str) and _NUMBER.fullmatch(value))
        return f"{str(value).strip()}px" if brought and unitless else value
    if isinstance(value, Mapping) and isinstance(raw, Mapping) and member in _COMPOSITES:
        out = {
            k: numbers_as_px(raw.get(k), v, type_, pointer_join(pointer, k))
            for k, v in value.items()
        }
        return _same(value, out)
    if isinstance(value, list) and isinstance(raw, list) and member in _COMPOSITES:
        if len(raw) != len(value):
            return value
        items = [
            numbers_as_px(r, v, type_, pointer_join(pointer, i))
            for i, (r, v) in enumerate(zip(raw, value, strict=True))
        ]
        return _same(value, items)
    return value


def number_of_dimension(value: Any) -> Any:
    """The number of a resolved dimension (``"16px"``/``{value: 16, unit: px}`` → 16)."""
    if isinstance(value, Mapping) and _is_number(value.get("value")):
        return value["value"]
    if isinstance(value, str):
        try:
            q = evaluate(value)
        except ExpressionError:
            return value
        number = q.number
        return int(number) if number.denominator == 1 else float(number)
    return value

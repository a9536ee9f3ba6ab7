"""The type expected at each place inside a value (Format module 2025.10 §8, §9, §9.1).

Composite values are made of sub-values of known types: a border's ``color`` is a
``color``, a typography ``fontSize`` a ``dimension``… A reference at such a place
must name a token of that type (§9: "references to other design tokens that have
the sub-value's type"; §7.4.5 "type mismatches"). :func:`type_at` answers "what
type belongs at this JSON Pointer inside a value of this type", both for the place
a reference sits and for the part of a target a JSON Pointer reads
(``#/c/$value/components/0`` is a ``number``).

Decisions: an item of a shadow (gradient) list is a ``shadow`` (``gradient``),
since §9.1 lets items reference whole shadow tokens; colour ``components`` and
``alpha``, dimension/duration ``value``, cubicBezier items and gradient
``position`` are ``number``; strings with no token type of their own (``hex``,
``unit``, ``colorSpace``, a font name in a list) have none (None: no check).
"""

from __future__ import annotations

from .errors import pointer_parts

_OBJECT_MEMBERS: dict[str, dict[str, str]] = {
    "border": {"color": "color", "width": "dimension", "style": "strokeStyle"},
    "transition": {"duration": "duration", "delay": "duration", "timingFunction": "cubicBezier"},
    "shadow": {
        "color": "color",
        "offsetX": "dimension",
        "offsetY": "dimension",
        "blur": "dimension",
        "spread": "dimension",
    },
    "gradient-stop": {"color": "color", "position": "number"},
    "typography": {
        "fontFamily": "fontFamily",
        "fontSize": "dimension",
        "fontWeight": "fontWeight",
        "letterSpacing": "dimension",
        "lineHeight": "number",
    },
    "color": {"alpha": "number"},
    "dimension": {"value": "number"},
    "duration": {"value": "number"},
}
_LIST_ITEMS = {
    "shadow": "shadow",
    "gradient": "gradient-stop",
    "cubicBezier": "number",
    "color.components": "number",
    "strokeStyle.dashArray": "dimension",
}


def type_at(type_: str | None, pointer: str) -> str | None:
    """The token type expected at ``pointer`` inside a value of ``type_``, or None.

    ``type_at("shadow", "/1/color") == "color"``; ``type_at("shadow", "/1") == "shadow"``;
    ``type_at("color", "/components/0") == "number"``; ``type_at("color", "/hex") is None``.
    """
    cur = type_
    for seg in pointer_parts(pointer):
        if cur is None:
            return None
        if seg.isdigit():
            item = _LIST_ITEMS.get(cur)
            cur = item
            continue
        nested = f"{cur}.{seg}"
        if nested in _LIST_ITEMS:
            cur = nested
            continue
        cur = _OBJECT_MEMBERS.get(cur, {}).get(seg)
    if cur == "gradient-stop":
        return "gradient"  # a stop on its own: a reference there names a gradient token (§9.1)
    return cur if cur is None or "." not in cur else None


def member_label(pointer: str) -> str:
    """``"/1/color"`` → ``"[1].color"``: where a sub-value sits, for messages."""
    return "".join(f"[{s}]" if s.isdigit() else f".{s}" for s in pointer_parts(pointer))

"""Theme arguments of the exports: one selection, or several contexts of one modifier.

``theme`` arguments: ``<modifier>:<context>`` (repeatable, comma-separated lists too), or a
bare ``<context>`` when that context name belongs to exactly one modifier; modifiers not
named take their default.

Several contexts (``contexts=light,dark`` / ``light-dark=light,dark``): bare names or
``<modifier>:<context>``, all of one modifier, which ``modifier=`` may name (then bare names
are looked up in it only); ``modifier=`` alone means every context of it, its default first.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..dtcg.errors import DTCGError, DTCGErrorGroup

if TYPE_CHECKING:
    from collections.abc import Iterable

    from ..store.repository import Catalog, ModifierInfo

INVALID_ARGUMENT = "INVALID_ARGUMENT"


def split_list(items: Iterable[str]) -> list[str]:
    """Repeated and comma-separated arguments as one list: ``["a,b", "c"]`` → ``[a, b, c]``."""
    return [p for item in items for p in (s.strip() for s in item.split(",")) if p]


def parse_theme_args(items: Iterable[str], catalog: Catalog) -> dict[str, str]:
    """``["theme:dark", "coarse"]`` → ``{"theme": "dark", "pointer": "coarse"}``.

    Raises:
        DTCGErrorGroup: ``UNKNOWN_CONTEXT`` for a bare context that no modifier (or
            several) has; unknown names in ``modifier:context`` are left to the resolver.
    """
    out: dict[str, str] = {}
    errors: list[DTCGError] = []
    for part in split_list(items):
        if ":" in part:
            mod, _, ctx = part.partition(":")
            out[mod.strip()] = ctx.strip()
            continue
        owners = [
            m.name
            for m in catalog.modifiers.values()
            if any(c.name.lower() == part.lower() for c in m.contexts)
        ]
        if len(owners) == 1:
            out[owners[0]] = part
        else:
            what = "no modifier" if not owners else f"several modifiers ({', '.join(owners)})"
            errors.append(
                DTCGError(
                    "UNKNOWN_CONTEXT",
                    f"context {part!r} belongs to {what}; write theme=<modifier>:<context>",
                )
            )
    if errors:
        raise DTCGErrorGroup(errors)
    return out


def _modifier(name: str, catalog: Catalog) -> ModifierInfo:
    found = next((m for m in catalog.modifiers.values() if m.name.lower() == name.lower()), None)
    if found is None:
        valid = ", ".join(catalog.modifiers) or "none"
        message = f"unknown modifier {name!r} (valid: {valid})"
        raise DTCGErrorGroup([DTCGError("UNKNOWN_MODIFIER", message)])
    return found


def _context(mod: ModifierInfo, name: str) -> str:
    found = next((c.name for c in mod.contexts if c.name.lower() == name.lower()), None)
    if found is None:
        valid = ", ".join(c.name for c in mod.contexts)
        message = f"modifier {mod.name!r} has no context {name!r} (valid: {valid})"
        raise DTCGErrorGroup([DTCGError("UNKNOWN_CONTEXT", message)])
    return found


def modifier_contexts(
    modifier: str | None, items: Iterable[str], catalog: Catalog
) -> tuple[str, list[str]]:
    """The modifier and contexts (as the document spells them) of a several-context export.

    Returns:
        ``(modifier, [context, …])`` in the order given (every context, default first, when
        only ``modifier`` is given).

    Raises:
        DTCGErrorGroup: ``UNKNOWN_MODIFIER``, ``UNKNOWN_CONTEXT`` (also for a bare name no
            or several modifiers have), ``INVALID_ARGUMENT`` for contexts of several
            modifiers, a context given twice, or neither contexts nor a modifier.
    """
    names = split_list(items)
    if modifier is None and not names:
        raise DTCGErrorGroup([DTCGError(INVALID_ARGUMENT, "give contexts or a modifier")])
    mod = _modifier(modifier, catalog) if modifier else None
    if mod is not None and not names:
        rest = [c.name for c in mod.contexts if c.name != mod.default]
        return mod.name, ([mod.default] if mod.default else []) + rest
    picked: list[tuple[str, str]] = []
    for name in names:
        if mod is not None and ":" not in name:
            picked.append((mod.name, name))
        else:
            ((m, c),) = parse_theme_args([name], catalog).items()
            picked.append((_modifier(m, catalog).name, c))
    mods = list(dict.fromkeys(m for m, _ in picked))
    if len(mods) != 1 or (mod is not None and mods != [mod.name]):
        message = f"the contexts must all be of one modifier, got {', '.join(mods)}"
        raise DTCGErrorGroup([DTCGError(INVALID_ARGUMENT, message)])
    info = _modifier(mods[0], catalog)
    contexts = [_context(info, c) for _, c in picked]
    repeated = sorted({c for c in contexts if contexts.count(c) > 1})
    if repeated:
        message = f"context {', '.join(repeated)} is given more than once"
        raise DTCGErrorGroup([DTCGError(INVALID_ARGUMENT, message)])
    return info.name, contexts

"""CSS custom properties and SCSS variables from named variables (see :mod:`.variables`).

Shapes (every file starts with a one-line comment naming the theme selection, has one
declaration per line, and ends with a newline):

- :func:`css_single`: ``:root { --name: value; … }`` for one theme.
- :func:`css_contexts`: several contexts of one modifier. The first (the base) is written
  whole as ``:root, [data-theme="light"] { … }``; every other context as
  ``[data-theme="dark"] { … }`` holding only the variables whose value differs from the
  base's (or that the base lacks). A variable only the base has keeps its base value.
- :func:`css_light_dark`: a light/dark pair. ``:root`` declares ``color-scheme: light dark``
  and every variable: a colour that differs as ``light-dark(<light>, <dark>)``, anything else
  with its light value. ``[data-theme="light"]`` / ``[data-theme="dark"]`` set
  ``color-scheme: light`` / ``dark`` (so ``light-dark()`` follows the attribute) and hold
  the variables that are not colours and differ between the two, so the attribute switches
  everything while, without it, colours follow the system preference.
- :func:`scss_file`: ``$name: value;`` per variable; values Sass would evaluate (custom
  types' text, ``:``, ``/``…) as ``string.unquote("…")`` after ``@use "sass:string";``.

Values are the CSS text, quoted only when they would break the file
(:func:`~.css_values.declaration_value`). The attribute and context names go into the
selectors as written (the attribute is checked by the caller, the context is a quoted string).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .css_values import css_string, declaration_value, scss_value

if TYPE_CHECKING:
    from collections.abc import Iterable

    from .variables import Variable


def comment(text: str, *, line: bool = False) -> str:
    """A one-line comment: ``/* text */``, or ``// text`` with ``line`` (SCSS, JS)."""
    flat = " ".join(text.split())
    return f"// {flat}" if line else f"/* {flat.replace('*/', '* /')} */"


def _block(selector: str, declarations: Iterable[str]) -> str:
    body = "".join(f"  {d};\n" for d in declarations)
    return f"{selector} {{\n{body}}}"


def _prop(var: Variable, value: str | None = None) -> str:
    return f"--{var.name}: {declaration_value(var.css if value is None else value)}"


def _file(header: str, blocks: list[str]) -> str:
    return comment(header) + "\n" + "\n\n".join(blocks) + "\n"


def _selector(attribute: str, context: str) -> str:
    return f"[{attribute}={css_string(context)}]"


def css_single(variables: list[Variable], header: str) -> str:
    """``:root { --name: value; … }``."""
    return _file(header, [_block(":root", map(_prop, variables))])


def css_contexts(contexts: list[tuple[str, list[Variable]]], attribute: str, header: str) -> str:
    """The base context (first) whole, each other one as the variables that differ from it.

    Args:
        contexts: ``(context name, its variables)``, the base first.
        attribute: the attribute the selectors test, e.g. ``data-theme``.
        header: the comment's text.
    """
    (base_name, base), *others = contexts
    blocks = [_block(f":root, {_selector(attribute, base_name)}", map(_prop, base))]
    known = {v.name: v.css for v in base}
    for name, variables in others:
        differ = [v for v in variables if known.get(v.name) != v.css]
        blocks.append(_block(_selector(attribute, name), map(_prop, differ)))
    return _file(header, blocks)


def css_light_dark(
    light: tuple[str, list[Variable]],
    dark: tuple[str, list[Variable]],
    attribute: str,
    header: str,
) -> str:
    """Colours as ``light-dark()``, the rest in ``[attribute="…"]`` blocks (module docstring)."""
    (light_name, lights), (dark_name, darks) = light, dark
    by_light = {v.name: v for v in lights}
    by_dark = {v.name: v for v in darks}

    def paired(a: Variable, b: Variable | None) -> bool:
        return b is not None and a.color and b.color

    root = ["color-scheme: light dark"]
    light_block = ["color-scheme: light"]
    for v in lights:
        d = by_dark.get(v.name)
        if d is not None and paired(v, d) and d.css != v.css:
            root.append(_prop(v, f"light-dark({v.css}, {d.css})"))
            continue
        root.append(_prop(v))
        if d is not None and not paired(v, d) and d.css != v.css:
            light_block.append(_prop(v))
    dark_block = ["color-scheme: dark"]
    for d in darks:
        lv = by_light.get(d.name)
        if lv is None or (not paired(lv, d) and d.css != lv.css):
            dark_block.append(_prop(d))
    blocks = [
        _block(":root", root),
        _block(_selector(attribute, light_name), light_block),
        _block(_selector(attribute, dark_name), dark_block),
    ]
    return _file(header, blocks)


def scss_file(variables: list[Variable], header: str) -> str:
    """``$name: value;`` per variable (see :func:`~.css_values.scss_value`).

    ``@use "sass:string";`` comes first when a value needs ``string.unquote``.
    """
    values = [scss_value(v.css, typed=v.typed) for v in variables]
    lines = [f"${v.name}: {text};\n" for v, (text, _) in zip(variables, values, strict=True)]
    use = '@use "sass:string";\n' if any(uses for _, uses in values) else ""
    return comment(header, line=True) + "\n" + use + "".join(lines)

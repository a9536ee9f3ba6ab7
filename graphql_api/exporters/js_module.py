"""An ES module of named variables (see :mod:`.variables`): one flat object, values as CSS text.

JavaScript::

    // Design tokens: pointer=fine, theme=dark.
    export const tokens = {
      fgColorDefault: "#f0f6fc",
      "2xl": "24px",
    };

TypeScript adds ``as const`` and ``export type TokenName = keyof typeof tokens;``.

Flat, not nested: one key per variable, named like the CSS and SCSS exports (camel case by
default), so ``tokens.fgColorDefault`` is ``var(--fgColor-default)``. Every value is a
string, the CSS text (numbers too: ``"1.5"``), written with :func:`json.dumps` (escaped,
ASCII). A key that is not an ASCII identifier is written quoted.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from .stylesheet import comment

if TYPE_CHECKING:
    from .variables import Variable


def _key(name: str) -> str:
    return name if name.isascii() and name.isidentifier() else json.dumps(name)


def js_module(variables: list[Variable], header: str, *, typescript: bool = False) -> str:
    """``export const tokens = {…};`` (TypeScript: ``as const`` and ``TokenName``)."""
    body = "".join(f"  {_key(v.name)}: {json.dumps(v.css)},\n" for v in variables)
    text = f"{comment(header, line=True)}\nexport const tokens = {{\n{body}}}"
    if typescript:
        return text + " as const;\n\nexport type TokenName = keyof typeof tokens;\n"
    return text + ";\n"

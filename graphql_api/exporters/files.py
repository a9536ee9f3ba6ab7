"""Export files for build pipelines: CSS, SCSS, JS, TS, built the same way for HTTP and CLI.

:func:`render` turns :class:`ExportOptions` (the query arguments of ``GET /tokens.<format>``,
or the options of ``flask tokens export``) into the file's text, so both write the same
bytes. Names: :mod:`.naming`; values: :mod:`.css_values`; shapes: :mod:`.stylesheet`,
:mod:`.js_module`; theme arguments: :mod:`.themes`.

Errors are raised as one :class:`~graphql_api.dtcg.errors.DTCGErrorGroup` (HTTP 400 with
``{"errors": [...]}``, CLI exit 1): ``INVALID_ARGUMENT`` (unknown ``name`` style, a prefix
without letters, an invalid ``attribute`` or one without several contexts, several-context
arguments for another format than CSS or with ``theme`` naming the same modifier,
``contexts`` with ``light-dark``),
the theme errors (``UNKNOWN_MODIFIER``, ``UNKNOWN_CONTEXT``, …) and the naming errors
(``NAME_COLLISION``, ``INVALID_EXPORT_NAME``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..dtcg.errors import DTCGError, DTCGErrorGroup
from .js_module import js_module
from .naming import Naming, words
from .stylesheet import css_contexts, css_light_dark, css_single, scss_file
from .themes import INVALID_ARGUMENT, modifier_contexts, parse_theme_args, split_list
from .variables import Variable, check_names, variables

if TYPE_CHECKING:
    from ..store.repository import Catalog
    from ..store.snapshots import Snapshot

#: Format → default naming style.
FORMATS: dict[str, str] = {"css": "kebab", "scss": "kebab", "js": "camel", "ts": "camel"}
_ATTRIBUTE = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")

Loader = Callable[[dict[str, str]], "Snapshot"]


@dataclass(frozen=True, slots=True)
class ExportOptions:
    """What to export, as the query arguments (or CLI options) say.

    Attributes:
        format: ``css``, ``scss``, ``js`` or ``ts``.
        themes: ``theme`` arguments (see :mod:`.themes`).
        name: ``kebab`` / ``camel`` / ``snake``; None: the format's default.
        prefix: words put before every name.
        modifier: several contexts: the modifier (CSS only).
        contexts: several contexts: ``[data-*]`` blocks (CSS only), the first is the base.
        light_dark: a light and a dark context: ``light-dark()`` colours (CSS only).
        attribute: the selectors' attribute; None: ``data-<modifier>``.
    """

    format: str
    themes: tuple[str, ...] = ()
    name: str | None = None
    prefix: str = ""
    modifier: str | None = None
    contexts: tuple[str, ...] = ()
    light_dark: tuple[str, ...] = ()
    attribute: str | None = None

    @property
    def several(self) -> bool:
        """Several contexts of one modifier in one stylesheet."""
        return bool(self.modifier or self.contexts or self.light_dark)


@dataclass(frozen=True, slots=True)
class Rendered:
    """An export file: its ``text`` and how many variables it declares (distinct names)."""

    text: str
    variables: int


def _argument_errors(o: ExportOptions) -> list[DTCGError]:
    problems = []
    if o.format not in FORMATS:
        problems.append(f"format {o.format!r} is not one of {', '.join(FORMATS)}")
    if o.several and o.format != "css":
        problems.append("modifier, contexts and light-dark apply to CSS only")
    if o.contexts and o.light_dark:
        problems.append("give contexts or light-dark, not both")
    if o.light_dark and len(split_list(o.light_dark)) != 2:  # noqa: PLR2004 - a pair
        problems.append("light-dark takes two contexts: <light>,<dark>")
    if o.attribute is not None and not _ATTRIBUTE.fullmatch(o.attribute):
        problems.append(f"attribute {o.attribute!r} is not a valid attribute name")
    elif o.attribute is not None and not o.several:
        problems.append("attribute applies with modifier, contexts or light-dark")
    return [DTCGError(INVALID_ARGUMENT, p) for p in problems]


_KEEP = "--keep-references: json only"
_NOT_JSON = "--name, --prefix, --modifier, --contexts, --light-dark, --attribute: not for json"


def json_option_errors(options: ExportOptions, *, keep_references: bool) -> list[DTCGError]:
    """CLI: options that do not fit the format (``json`` is written by ``dtcg_json``).

    ``INVALID_ARGUMENT`` for variable options with ``json``, ``--keep-references`` without.
    """
    if options.format != "json":
        return [] if not keep_references else [DTCGError(INVALID_ARGUMENT, _KEEP)]
    given = options.name or options.prefix or options.several or options.attribute
    return [DTCGError(INVALID_ARGUMENT, _NOT_JSON)] if given else []


def _header(
    catalog: Catalog, selection: dict[str, str], varied: str = "", contexts: list[str] | None = None
) -> str:
    """The header comment's text, modifiers in the catalog's order.

    Not the selection dict's order: it depends on which request built the cached
    snapshot, and the bytes must not.
    """
    parts = [f"{m}={selection[m]}" for m in catalog.modifiers if m in selection and m != varied]
    if varied and contexts:
        parts.insert(0, f"{varied}={'|'.join(contexts)} (base {contexts[0]})")
    return f"Design tokens: {', '.join(parts) or 'no modifiers'}."


def render(options: ExportOptions, catalog: Catalog, load: Loader) -> Rendered:
    """The export file for ``options``.

    Args:
        options: the arguments.
        catalog: the stored modifiers (theme names are checked against it).
        load: the snapshot of a theme input (modifier → context), e.g. ``SnapshotStore.get``.

    Raises:
        DTCGErrorGroup: see the module docstring; every argument problem at once.
    """
    errors = _argument_errors(options)
    naming = None
    try:
        naming = Naming.of(options.name or FORMATS.get(options.format, "kebab"), options.prefix)
    except ValueError as exc:
        errors.append(DTCGError(INVALID_ARGUMENT, str(exc)))
    if errors or naming is None:
        raise DTCGErrorGroup(errors)
    base = parse_theme_args(options.themes, catalog)
    if not options.several:
        snap = load(base)
        found = variables(snap.tokens.values(), naming)
        check_names([found], identifier=options.format == "scss")
        return Rendered(
            _single(options.format, found, _header(catalog, snap.selection)), len(found)
        )
    return _several(options, catalog, load, base, naming)


def _single(fmt: str, found: list[Variable], header: str) -> str:
    if fmt == "css":
        return css_single(found, header)
    if fmt == "scss":
        return scss_file(found, header)
    return js_module(found, header, typescript=fmt == "ts")


def _several(
    options: ExportOptions, catalog: Catalog, load: Loader, base: dict[str, str], naming: Naming
) -> Rendered:
    items = options.light_dark or options.contexts
    modifier, contexts = modifier_contexts(options.modifier, items, catalog)
    if any(m.lower() == modifier.lower() for m in base):
        message = f"theme names modifier {modifier!r}, whose contexts are the ones exported"
        raise DTCGErrorGroup([DTCGError(INVALID_ARGUMENT, message)])
    attribute = options.attribute or "data-" + "-".join(words(modifier)).lower()
    if not words(modifier) and options.attribute is None:
        message = f"modifier {modifier!r} gives no attribute name: give attribute="
        raise DTCGErrorGroup([DTCGError(INVALID_ARGUMENT, message)])
    snaps = [load({**base, modifier: c}) for c in contexts]
    groups = [variables(s.tokens.values(), naming) for s in snaps]
    check_names(groups)
    header = _header(catalog, snaps[0].selection, modifier, contexts)
    pairs = list(zip(contexts, groups, strict=True))
    if options.light_dark:
        text = css_light_dark(pairs[0], pairs[1], attribute, header)
    else:
        text = css_contexts(pairs, attribute, header)
    return Rendered(text, len({v.name for g in groups for v in g}))

"""Flat tokens and groups (Format module 2025.10 §5 tokens, §6 groups) and flattening.

A :class:`Document` maps dotted paths to :class:`TokenNode` (a token as written:
``$value`` unresolved) and :class:`GroupNode` (the group properties tokens inherit).
:func:`flatten` merges several documents in order (Resolver module §4.1.4, §6.2:
later sources win, a token is replaced whole). These names are re-exported by
:mod:`graphql_api.dtcg.parse`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Sequence


@dataclass(frozen=True, slots=True)
class TokenNode:
    """A token as written in one file.

    Attributes:
        path: dotted path, e.g. ``"color.base.blue.5"``.
        value: the ``$value`` as written (JSON data; references unresolved). A token
            written with ``$ref`` instead of ``$value`` (§7.1.2) has ``{"$ref": …}``.
        type: the token's own ``$type``, or None when it inherits one.
        description: ``$description`` or None.
        deprecated: ``$deprecated`` (True/False/reason string) or None when unset.
        extensions: ``$extensions`` verbatim, or None.
        file: the source file, as given to the reader.
        pointer: JSON Pointer of the token node inside ``file``.
        extended_from: for a token a group inherited through ``$extends`` (§6.4), the
            path of the token it copies (``file``/``pointer`` are that token's); else None.
    """

    path: str
    value: Any
    type: str | None = None
    description: str | None = None
    deprecated: bool | str | None = None
    extensions: dict[str, Any] | None = None
    file: str = ""
    pointer: str = ""
    extended_from: str | None = None

    @property
    def name(self) -> str:
        """The last segment of ``path``."""
        return self.path.rsplit(".", 1)[-1]


@dataclass(frozen=True, slots=True)
class GroupNode:
    """Group-level properties inherited by the tokens below a group (root: ``path == ""``).

    Attributes:
        extends: the group's ``$extends`` target as written (``"{a.b}"`` or ``"#/a/b"``;
            a group ``$ref`` is stored here too), applied after flattening by
            :func:`graphql_api.dtcg.extends.apply_extends`; None when unset.
    """

    path: str
    type: str | None = None
    description: str | None = None
    deprecated: bool | str | None = None
    extensions: dict[str, Any] | None = None
    file: str = ""
    pointer: str = ""
    extends: str | None = None


@dataclass(slots=True)
class Document:
    """Flat tokens and groups of one file, one layer, or several flattened layers."""

    tokens: dict[str, TokenNode] = field(default_factory=dict)
    groups: dict[str, GroupNode] = field(default_factory=dict)


def flatten(documents: Iterable[Document]) -> Document:
    """Merge documents in order (Resolver module §4.1.4, §6.2: later sources win).

    A token is replaced whole; a group's properties are merged key by key
    (a later group's ``$type`` replaces an earlier one, an unset one keeps it).
    """
    out = Document()
    for doc in documents:
        out.tokens.update(doc.tokens)
        for path, group in doc.groups.items():
            prev = out.groups.get(path)
            out.groups[path] = group if prev is None else merge_group(prev, group)
    return out


def merge_group(old: GroupNode, new: GroupNode) -> GroupNode:
    """``new``'s group properties over ``old``'s, key by key (an unset one keeps the old).

    When only ``old`` has ``$extends``, the merged group keeps ``old``'s file and pointer
    so that an ``$extends`` error names the file where it is written.
    """
    keep_old_place = new.extends is None and old.extends is not None
    return replace(
        new,
        type=new.type if new.type is not None else old.type,
        description=new.description if new.description is not None else old.description,
        deprecated=new.deprecated if new.deprecated is not None else old.deprecated,
        extensions=new.extensions if new.extensions is not None else old.extensions,
        extends=new.extends if new.extends is not None else old.extends,
        file=old.file if keep_old_place else new.file,
        pointer=old.pointer if keep_old_place else new.pointer,
    )


def ancestors(path: str) -> Sequence[str]:
    """Group paths above ``path``, nearest first, ending with the root ``""``."""
    return list(iter_ancestors(path))


def iter_ancestors(path: str) -> Iterator[str]:
    """:func:`ancestors`, lazily: stop early and only the strings used are built."""
    i = path.rfind(".")
    while i != -1:
        yield path[:i]
        i = path.rfind(".", 0, i)
    yield ""


def group_paths(paths: Iterable[str]) -> set[str]:
    """Every group path above any of ``paths`` (``""`` included when there is one).

    Linear in the total length of ``paths``: the walk up from a path stops at the first
    group already found (its own ancestors were added with it), where building every
    ancestor of every path costs depth x length per token.
    """
    out: set[str] = set()
    for path in paths:
        for a in iter_ancestors(path):
            if a in out:
                break
            out.add(a)
    return out

"""Modifier and context operations (DTCG Resolver module §4.1.5 modifiers and contexts).

Rows of ``modifier`` and ``theme`` change through :mod:`graphql_api.store.structure`; values
change through the :class:`~.workspace.Workspace` so the check and the change log see them.
A context or modifier that goes away takes its values with it (``ON DELETE CASCADE``); each
of those values is written to the change log first.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..dtcg import errors as E  # noqa: N812 - the engine's alias
from ..dtcg.errors import DTCGError
from ..dtcg.nodes import Document
from ..dtcg.parse import name_problem
from ..dtcg.resolver import Modifier as ModifierDoc
from ..errors import ErrorCode
from ..store import structure as rows
from .changes import layer_changes
from .errors import Conflict, Invalid, NotFound
from .workspace import Layer, RemovedModifier, Workspace

if TYPE_CHECKING:
    from ..store.models import Modifier


def _invalid(message: str) -> Invalid:
    return Invalid([DTCGError(E.INVALID_INPUT, message)])


def _check_name(kind: str, name: str) -> None:
    problem = name_problem(name) if name.strip() else "empty name"
    if problem or ":" in name:
        raise _invalid(f"{kind} name {name!r}: {problem or 'must not contain :'}")


def _modifier(ws: Workspace, name: str) -> ModifierDoc:
    mod = ws.doc.modifiers.get(name)
    if mod is None:
        raise NotFound(f"no modifier {name!r}", "modifier")
    return mod


def _row(ws: Workspace, name: str) -> Modifier:
    row = rows.modifier_row(ws.session, name)
    if row is None:  # pragma: no cover - the workspace was read in the same transaction
        raise NotFound(f"no modifier {name!r}", "modifier")
    return row


def create_modifier(
    ws: Workspace, name: str, contexts: list[str], default: str | None, description: str | None
) -> str:
    """Add a modifier with empty contexts, last in resolution order (its values win).

    Raises:
        Conflict: ``ALREADY_EXISTS``.
        Invalid: no contexts, a repeated or invalid name, a default that is not a context.
    """
    _check_name("modifier", name)
    if name in ws.doc.modifiers or name in ws.doc.sets:
        raise Conflict(f"a modifier or set {name!r} exists already", 0, ErrorCode.ALREADY_EXISTS)
    if not contexts or len(set(contexts)) != len(contexts):
        raise _invalid(f"modifier {name!r} needs one or more distinct contexts")
    for ctx in contexts:
        _check_name("context", ctx)
    if default is not None and default not in contexts:
        raise _invalid(f"default {default!r} is not one of the contexts {contexts}")
    session = ws.session
    position = rows.next_position(session)
    row_id = rows.add_modifier(
        session, name, description=description, default=default, position=position
    )
    rows.add_contexts(session, row_id, contexts)
    ws.doc.modifiers[name] = ModifierDoc(name, {c: Document() for c in contexts}, default)
    ws.doc.order.append(("modifier", name))
    return f"create modifier {name}"


def rename_modifier(ws: Workspace, name: str, new_name: str) -> str:
    """Rename a modifier (theme inputs must use the new name afterwards)."""
    _modifier(ws, name)
    _check_name("modifier", new_name)
    if new_name in ws.doc.modifiers or new_name in ws.doc.sets:
        msg = f"a modifier or set {new_name!r} exists already"
        raise Conflict(msg, 0, ErrorCode.ALREADY_EXISTS)
    rows.update_modifier(_row(ws, name), name=new_name)
    return f"rename modifier {name} to {new_name}"


def delete_modifier(ws: Workspace, name: str) -> str:
    """Remove a modifier, its contexts and their values.

    Every remaining combination is checked again, as an edit that empties the layer the
    modifier's default context gave it (:func:`~graphql_api.writes.check.check`).

    Raises:
        Invalid: tokens elsewhere reference tokens only its contexts define.
    """
    mod = _modifier(ws, name)
    layers = [Layer(name, c) for c in mod.contexts]
    ws.ensure(layers)
    for lay in layers:
        ws.extra.extend(layer_changes(lay.label, ws.document(lay), Document()))
    position = ws.doc.order.index(("modifier", name))
    default = mod.default if mod.default in mod.contexts else next(iter(mod.contexts), None)
    if default is not None:
        contexts = {lay.name: ws.document(lay) for lay in layers}
        ws.removed.append(RemovedModifier(name, position, default, contexts))
    del ws.doc.modifiers[name]
    ws.doc.order.remove(("modifier", name))
    ws.structural = True
    rows.delete_modifier(ws.session, _row(ws, name))
    return f"delete modifier {name}"


def set_default(ws: Workspace, name: str, context: str) -> str:
    """Change the context a modifier takes when a theme input does not name it."""
    mod = _modifier(ws, name)
    if context not in mod.contexts:
        raise NotFound(f"modifier {name!r} has no context {context!r}", "context")
    rows.update_modifier(_row(ws, name), default_context=context)
    return f"default of {name} is {context}"


def create_context(ws: Workspace, modifier: str, name: str, copy_from: str | None) -> str:
    """Add a context, empty or holding a copy of another context's values.

    Raises:
        NotFound: the modifier or ``copy_from`` does not exist.
        Conflict: ``ALREADY_EXISTS``.
        Invalid: the combinations with the new context do not resolve (an empty context
            where sets reference tokens that only contexts define).
    """
    mod = _modifier(ws, modifier)
    _check_name("context", name)
    if name in mod.contexts:
        raise Conflict(f"modifier {modifier!r} has a context {name!r}", 0, ErrorCode.ALREADY_EXISTS)
    document = Document()
    if copy_from is not None:
        source = ws.document(ws.layer(context=(modifier, copy_from)))
        document = Document(dict(source.tokens), dict(source.groups))
    row = _row(ws, modifier)
    ids = rows.add_contexts(ws.session, row.id, [name], first_position=len(mod.contexts))
    mod.contexts[name] = Document()
    ws.add_layer(Layer(modifier, name), "theme", ids[name], document)
    return f"create context {modifier}:{name}"


def rename_context(ws: Workspace, modifier: str, name: str, new_name: str) -> str:
    """Rename a context (and the modifier's default, if it was this one)."""
    mod = _modifier(ws, modifier)
    ws.layer(context=(modifier, name))
    _check_name("context", new_name)
    if new_name in mod.contexts:
        msg = f"modifier {modifier!r} has a context {new_name!r}"
        raise Conflict(msg, 0, ErrorCode.ALREADY_EXISTS)
    rows.rename_context(ws.session, _row(ws, modifier), name, new_name)
    return f"rename context {modifier}:{name} to {new_name}"


def delete_context(ws: Workspace, modifier: str, name: str) -> str:
    """Remove a context and its values.

    Raises:
        NotFound: no such context.
        Invalid: it is the modifier's only context, or its default (change that first).
    """
    mod = _modifier(ws, modifier)
    lay = ws.layer(context=(modifier, name))
    if len(mod.contexts) == 1:
        raise _invalid(f"{name!r} is the only context of {modifier!r}; delete the modifier")
    if mod.default == name:
        raise _invalid(f"{name!r} is the default of {modifier!r}; set another default first")
    ws.extra.extend(layer_changes(lay.label, ws.document(lay), Document()))
    del mod.contexts[name]
    rows.delete_context(ws.session, _row(ws, modifier).id, name)
    return f"delete context {modifier}:{name}"

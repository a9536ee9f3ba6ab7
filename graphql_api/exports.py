"""Plain-HTTP exports for build pipelines: ``GET /tokens.json?theme=…``.

Theme arguments: ``theme=<modifier>:<context>`` (repeatable), or ``theme=<context>`` when
that context name belongs to exactly one modifier; modifiers not named take their default.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from flask import Blueprint, Response, current_app, request

from . import db
from .dtcg.errors import DTCGError, DTCGErrorGroup
from .exporters.dtcg_json import export_document
from .http_cache import cache_control, etag, etag_matches, request_key, stamped
from .snapshots import Snapshot, snapshot_store

if TYPE_CHECKING:
    from collections.abc import Iterable

    from .repository import Catalog


def parse_theme_args(items: Iterable[str], catalog: Catalog) -> dict[str, str]:
    """``["theme:dark", "coarse"]`` → ``{"theme": "dark", "pointer": "coarse"}``.

    Raises:
        DTCGErrorGroup: ``UNKNOWN_CONTEXT`` for a bare context that no modifier (or
            several) has; unknown names in ``modifier:context`` are left to the resolver.
    """
    out: dict[str, str] = {}
    errors: list[DTCGError] = []
    for item in items:
        for part in filter(None, (p.strip() for p in item.split(","))):
            if ":" in part:
                mod, _, ctx = part.partition(":")
                out[mod.strip()] = ctx.strip()
                continue
            owners = [
                m.name for m in catalog.modifiers.values()
                if any(c.name.lower() == part.lower() for c in m.contexts)
            ]  # fmt: skip
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


def snapshot_for_args(items: Iterable[str], revision: int) -> Snapshot:
    """The request's snapshot for ``theme`` arguments (see :func:`parse_theme_args`).

    Raises:
        DTCGErrorGroup: an unknown modifier or context.
    """
    store = snapshot_store()
    session = db.get_session()
    catalog = store.catalog(session, revision)
    return store.get(session, parse_theme_args(items, catalog), revision=revision)


def _error(group: DTCGErrorGroup) -> Response:
    body = {"errors": [e.as_dict() for e in group.errors]}
    return Response(json.dumps(body), status=400, mimetype="application/json")


def create_blueprint() -> Blueprint:
    """``GET /tokens.json``: the selected theme as a DTCG document.

    Query arguments: ``theme`` (repeatable, see module docstring); ``references=keep``
    writes raw values with their references instead of resolved values. An unknown
    modifier or context answers 400 with ``{"errors": [{code, message, …}]}``.
    """
    bp = Blueprint("exports", __name__)

    @bp.get("/tokens.json")
    def tokens_json() -> Response:
        revision, stamp = snapshot_store().revision_stamp(db.get_session())
        args = sorted(request.args.items(multi=True))
        tag = etag(revision, stamped(request_key("/tokens.json", {"args": args}, None), stamp))
        headers = {
            "ETag": tag,
            "Cache-Control": cache_control(int(current_app.config["HTTP_MAX_AGE"])),
        }
        if etag_matches(request.headers.get("If-None-Match"), tag):
            return Response(status=304, headers=headers)
        try:
            snap = snapshot_for_args(request.args.getlist("theme"), revision)
        except DTCGErrorGroup as group:
            return _error(group)
        keep = request.args.get("references") == "keep"
        doc = export_document(snap.tokens.values(), keep_references=keep)
        headers["Content-Disposition"] = 'inline; filename="tokens.json"'
        return Response(
            json.dumps(doc, ensure_ascii=False, indent=2),
            mimetype="application/json",
            headers=headers,
        )

    return bp

"""Plain-HTTP exports for build pipelines: ``GET /tokens.{json,css,scss,js,ts}?theme=…``.

Theme arguments: ``theme=<modifier>:<context>`` (repeatable), or ``theme=<context>`` when
that context name belongs to exactly one modifier; modifiers not named take their default
(:func:`~graphql_api.exporters.themes.parse_theme_args`).

Every format answers with an ``ETag`` (the data revision and the query arguments) and
``Cache-Control``, and ``304`` to a matching ``If-None-Match`` without reading any token. A
bad argument answers ``400`` with ``{"errors": [{code, message, …}]}`` and no ``ETag``.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from flask import Blueprint, Response, current_app, request

from ..dtcg.errors import DTCGErrorGroup
from ..exporters.dtcg_json import export_document
from ..exporters.files import FORMATS, ExportOptions, render
from ..exporters.themes import parse_theme_args
from ..store import db
from ..store.snapshots import Snapshot, snapshot_store
from .http_cache import cache_control, etag, etag_matches, request_key, stamped

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from werkzeug.datastructures import MultiDict

__all__ = ["MEDIA_TYPES", "create_blueprint", "options_from_args", "parse_theme_args"]

#: Content-Type per format. TypeScript has no registered type: ``application/typescript``
#: is the one TypeScript tooling (Deno, esbuild) uses.
MEDIA_TYPES: dict[str, str] = {
    "json": "application/json",
    "css": "text/css; charset=utf-8",
    "scss": "text/x-scss; charset=utf-8",
    "js": "text/javascript; charset=utf-8",
    "ts": "application/typescript; charset=utf-8",
}


def snapshot_for_args(items: Iterable[str], revision: int) -> Snapshot:
    """The request's snapshot for ``theme`` arguments (see :func:`parse_theme_args`).

    Raises:
        DTCGErrorGroup: an unknown modifier or context.
    """
    store = snapshot_store()
    session = db.get_session()
    catalog = store.catalog(session, revision)
    return store.get(session, parse_theme_args(items, catalog), revision=revision)


def options_from_args(fmt: str, args: MultiDict[str, str]) -> ExportOptions:
    """:class:`ExportOptions` from query arguments.

    ``theme`` (repeatable), ``name``, ``prefix``, ``modifier``, ``contexts`` and
    ``light-dark`` (repeatable or comma lists), ``attribute``.
    """
    return ExportOptions(
        format=fmt,
        themes=tuple(args.getlist("theme")),
        name=args.get("name"),
        prefix=args.get("prefix", ""),
        modifier=args.get("modifier") or None,
        contexts=tuple(args.getlist("contexts")),
        light_dark=tuple(args.getlist("light-dark")),
        attribute=args.get("attribute"),
    )


def _error(group: DTCGErrorGroup) -> Response:
    body = {"errors": [e.as_dict() for e in group.errors]}
    return Response(json.dumps(body), status=400, mimetype="application/json")


def _cached(path: str, fmt: str, build: Callable[[int], str]) -> Response:
    """ETag/304 handling around ``build(revision)`` → body; a DTCGErrorGroup → 400."""
    session = db.get_session()
    db.begin_snapshot(session)  # one committed state for the ETag and the body
    revision, stamp = snapshot_store().revision_stamp(session)
    args = sorted(request.args.items(multi=True))
    tag = etag(revision, stamped(request_key(path, {"args": args}, None), stamp))
    keyed = bool(current_app.config["READ_REQUIRES_KEY"])  # never in a shared cache
    headers = {
        "ETag": tag,
        "Cache-Control": cache_control(int(current_app.config["HTTP_MAX_AGE"]), private=keyed),
    }
    if keyed:
        headers["Vary"] = "Authorization"
    if etag_matches(request.headers.get("If-None-Match"), tag):
        return Response(status=304, headers=headers)
    try:
        body = build(revision)
    except DTCGErrorGroup as group:
        return _error(group)
    headers["Content-Disposition"] = f'inline; filename="tokens.{fmt}"'
    return Response(body, content_type=MEDIA_TYPES[fmt], headers=headers)


def _json_body(revision: int) -> str:
    snap = snapshot_for_args(request.args.getlist("theme"), revision)
    keep = request.args.get("references") == "keep"
    doc = export_document(snap.tokens.values(), keep_references=keep)
    return json.dumps(doc, ensure_ascii=False, indent=2)


def create_blueprint() -> Blueprint:
    """``GET /tokens.json`` and ``GET /tokens.{css,scss,js,ts}``.

    ``/tokens.json``: the selected theme as a DTCG document; ``references=keep`` writes raw
    values with their references instead of resolved values.

    ``/tokens.<format>``: see :mod:`graphql_api.exporters.files` and :func:`options_from_args`.
    """
    bp = Blueprint("exports", __name__)

    # One endpoint for every format, named as ``auth.PROTECTED_ENDPOINTS`` names it, so a
    # key is required for all of them when reads require one.
    @bp.get("/tokens.json", endpoint="tokens_json", defaults={"fmt": "json"})
    @bp.get(f"/tokens.<any({', '.join(FORMATS)}):fmt>", endpoint="tokens_json")
    def tokens_export(fmt: str) -> Response:
        if fmt == "json":
            return _cached("/tokens.json", fmt, _json_body)

        def build(revision: int) -> str:
            store, session = snapshot_store(), db.get_session()
            catalog = store.catalog(session, revision)
            options = options_from_args(fmt, request.args)
            return render(
                options, catalog, lambda theme: store.get(session, theme, revision=revision)
            ).text

        return _cached(f"/tokens.{fmt}", fmt, build)

    return bp

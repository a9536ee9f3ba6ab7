"""``flask --app app tokens usage …``: the usage reports on the command line.

- ``tokens usage PATH [--since D] [--until D]``: requests for one token per client, theme
  combination and day.
- ``tokens usage --unused [--since D]``: tokens of the current data no client requested.
- ``tokens usage --deprecated-in-use [--since D]``: deprecated tokens still requested, with
  the clients requesting them.

Dates are UTC days written ``YYYY-MM-DD``; ``--since`` defaults to 30 days ago. ``--json``
prints one JSON document instead of tables. Counts written by running servers appear after
their next flush (``USAGE_FLUSH_SECONDS``).
"""

from __future__ import annotations

import dataclasses
import json
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

import click
from flask.cli import with_appcontext

from ..store import db
from . import get_state, report
from .recorder import utc_today

if TYPE_CHECKING:
    from collections.abc import Sequence

    from sqlalchemy.orm import Session

    from ..store.snapshots import Snapshot

DATE = click.DateTime(formats=["%Y-%m-%d"])
DEFAULT_DAYS = 30


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """Rows as left-aligned text columns (numbers right-aligned) under ``headers``."""
    cells = [[str(h) for h in headers]] + [
        [f"{v:,}" if isinstance(v, int) else str(v) for v in row] for row in rows
    ]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    numeric = [bool(rows) and all(isinstance(r[i], int) for r in rows) for i in range(len(headers))]
    lines = [
        "  ".join(
            c.rjust(w) if numeric[i] else c.ljust(w)
            for i, (c, w) in enumerate(zip(r, widths, strict=True))
        ).rstrip()
        for r in cells
    ]
    return "\n".join(lines)


def _plain(value: Any) -> Any:
    """Dataclasses and dates as JSON data."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    return value


def _deprecation_text(value: bool | str | None) -> str:
    return "yes" if value is True else (value or "")


def _day(value: datetime | None) -> date | None:
    return value.date() if value is not None else None


def _path_report(session: Session, path: str, since: date, until: date | None) -> str:
    from ..store import usage as usage_rows  # noqa: PLC0415 - lazy: the ORM models

    summary = report.summarise(path, usage_rows.daily_rows(session, path, since, until))
    head = f"{path}: {summary.total:,} requests from {since} to {until or 'today'} (UTC days)"
    if not summary.total:
        return head + "."
    parts = [
        head + f", first {summary.first_seen}, last {summary.last_seen}.",
        table(
            ["client", "requests", "last seen"],
            [[c.client, c.count, c.last_seen] for c in summary.clients],
        ),
        table(
            ["theme", "requests"], [[t.theme or "(no modifiers)", t.count] for t in summary.themes]
        ),
        table(["day", "client", "requests"], [[d.day, d.client, d.count] for d in summary.days]),
    ]
    return "\n\n".join(parts)


def _snapshots(session: Session) -> tuple[Snapshot, Any]:
    """(the default theme's snapshot, selection → snapshot or None) of the current data."""
    # Imported here: the resolver is heavy and `flask … --help` should start fast.
    from ..dtcg.errors import DTCGErrorGroup  # noqa: PLC0415
    from ..store.snapshots import SnapshotStore  # noqa: PLC0415

    snapshots = SnapshotStore(64)
    revision, _catalog = snapshots.current_catalog(session)

    def snapshot(selection: dict[str, str]) -> Snapshot | None:
        try:
            return snapshots.get(session, selection, revision=revision)
        except DTCGErrorGroup:
            return None

    return snapshots.get(session, {}, revision=revision), snapshot


def _unused(session: Session, usage_session: Session, since: date, *, as_json: bool) -> str:
    from ..store import usage as usage_rows  # noqa: PLC0415 - lazy: the ORM models

    default, _snapshot = _snapshots(session)
    found = []
    for path in usage_rows.unused_paths(usage_session, since, usage_rows.stored_paths(session)):
        tok = default.tokens.get(path)
        dep = tok.deprecated if tok is not None else None
        found.append(
            {
                "path": path,
                "type": tok.type if tok is not None else None,
                "deprecated": dep if isinstance(dep, str) else bool(dep),
            }
        )
    if as_json:
        return json.dumps({"since": since.isoformat(), "tokens": found}, indent=2)
    rows = [[t["path"], t["type"] or "", _deprecation_text(t["deprecated"])] for t in found]
    tail = f"{len(found):,} tokens not requested since {since}."
    return (table(["path", "type", "deprecated"], rows) + "\n" if rows else "") + tail


def _deprecated(session: Session, usage_session: Session, since: date, *, as_json: bool) -> str:
    from . import reads  # noqa: PLC0415 - lazy: the ORM models

    _default, snapshot = _snapshots(session)
    uses = reads.deprecated_in_use(usage_session, since, report.deprecation_lookup(snapshot))
    if as_json:
        return json.dumps({"since": since.isoformat(), "tokens": _plain(uses)}, indent=2)
    rows = [
        [
            u.path,
            u.total,
            u.last_seen,
            ", ".join(f"{c.client} ({c.count:,})" for c in u.clients),
            u.reason or "(deprecated)",
        ]
        for u in uses
    ]
    tail = f"{len(uses):,} deprecated tokens requested since {since}."
    headers = ["path", "requests", "last seen", "clients", "reason"]
    return (table(headers, rows) + "\n" if rows else "") + tail


@click.command("usage")
@with_appcontext
@click.argument("path", required=False)
@click.option(
    "--since",
    type=DATE,
    default=None,
    help="First UTC day included, YYYY-MM-DD. Default: 30 days ago.",
)
@click.option(
    "--until",
    type=DATE,
    default=None,
    help="Last UTC day included, YYYY-MM-DD (with PATH). Default: today.",
)
@click.option(
    "--unused",
    is_flag=True,
    help="List the tokens of the current data that no client requested since --since.",
)
@click.option(
    "--deprecated-in-use",
    "deprecated",
    is_flag=True,
    help="List deprecated tokens requested since --since, with their clients.",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of tables.")
def usage_command(  # noqa: PLR0917 - click passes options by keyword
    path: str | None,
    since: datetime | None,
    until: datetime | None,
    unused: bool,
    deprecated: bool,
    as_json: bool,
) -> None:
    """Which tokens clients request: per token (PATH), unused ones, deprecated ones in use.

    Counts are requests per UTC day, by client (the apollographql-client-name header or the
    operation name) and theme combination.
    """
    if sum([path is not None, unused, deprecated]) != 1:
        raise click.UsageError("give exactly one of PATH, --unused or --deprecated-in-use")
    if until is not None and path is None:
        raise click.UsageError("--until goes with PATH only")
    first = _day(since) or utc_today() - timedelta(days=DEFAULT_DAYS)
    last = _day(until)
    if last is not None and first > last:
        raise click.BadParameter(f"{first} is after --until {last}", param_hint="--since")
    from ..store import usage as usage_rows  # noqa: PLC0415 - lazy: the ORM models

    usage_store = get_state().store
    usage_store.flush()
    session = db.get_session()
    with usage_store.session() as usage_session:
        if path is not None and as_json:
            rows = usage_rows.daily_rows(usage_session, path, first, last)
            text = json.dumps(_plain(report.summarise(path, rows)), indent=2)
        elif path is not None:
            text = _path_report(usage_session, path, first, last)
        elif unused:
            text = _unused(session, usage_session, first, as_json=as_json)
        else:
            text = _deprecated(session, usage_session, first, as_json=as_json)
    click.echo(text)

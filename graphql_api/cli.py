"""``flask --app app tokens …`` commands (Flask's click integration).

``tokens import PATH``: load, validate and store a resolver document
(``*.resolver.json``) or a single DTCG token file, in one transaction.
"""

from __future__ import annotations

import time
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from . import db, services
from .dtcg.errors import DTCGError, DTCGErrorGroup
from .dtcg.resolver import ResolverDocument, load_resolver, load_token_file
from .dtcg.validate import validate_document

tokens_cli = AppGroup("tokens", help="Import and inspect design tokens.")


def detect_format(path: Path) -> str:
    """``"resolver"`` for ``*.resolver.json`` or a JSON object with ``resolutionOrder``, else ``"dtcg"``."""
    if path.name.endswith(".resolver.json"):
        return "resolver"
    try:
        head = path.read_text(encoding="utf-8", errors="replace")[:65536]
    except OSError:
        return "dtcg"
    return "resolver" if '"resolutionOrder"' in head else "dtcg"


def load_any(path: Path, fmt: str) -> ResolverDocument:
    """Load ``path`` as a resolver document or a single token file.

    Raises:
        DTCGErrorGroup: every problem found while reading.
    """
    if fmt == "auto":
        fmt = detect_format(path)
    return load_resolver(path) if fmt == "resolver" else load_token_file(path)


def _print_errors(errors: list[DTCGError]) -> None:
    for err in errors:
        click.echo(str(err), err=True)
    n = len(errors)
    click.echo(f"{n} error{'s' if n != 1 else ''}; nothing was written.", err=True)


@tokens_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--format", "fmt", type=click.Choice(["auto", "resolver", "dtcg"]), default="auto",
    show_default=True, help="resolver: a DTCG resolver document; dtcg: one token file.",
)  # fmt: skip
def import_command(path: Path, fmt: str) -> None:
    """Validate PATH and replace the stored tokens with it, all or nothing."""
    started = time.perf_counter()
    click.echo(f"Reading {path} …")
    try:
        doc = load_any(path, fmt)
    except DTCGErrorGroup as group:
        _print_errors(group.errors)
        raise SystemExit(1) from None
    n_layers = len(doc.sets) + sum(len(m.contexts) for m in doc.modifiers.values())
    click.echo(f"Read {n_layers} layers in {time.perf_counter() - started:.1f} s. Validating …")
    with click.progressbar(length=1, label="Resolving theme combinations") as bar:

        def progress(done: int, total: int) -> None:
            bar.length = total
            bar.update(done - bar.pos)

        errors = validate_document(doc, progress=progress)
    if errors:
        _print_errors(errors)
        raise SystemExit(1)
    session = db.get_session()
    try:
        result = services.import_document(
            session, doc, message=f"import {path.name}", step=lambda s: click.echo(f"  {s}")
        )
        session.commit()
    except Exception:
        session.rollback()
        raise
    current_app.logger.info("imported %s as revision %s", path, result.revision)
    click.echo(
        f"Imported {result.tokens} tokens ({result.values} values, {result.aliases} aliases), "
        f"{result.sets} sets, {result.modifiers} modifiers, {result.contexts} contexts "
        f"as revision {result.revision} in {time.perf_counter() - started:.1f} s."
    )


def init_app(app: Flask) -> None:
    """Register the ``tokens`` command group."""
    app.cli.add_command(tokens_cli)

"""``flask --app app tokens …`` commands (Flask's click integration).

- ``tokens import PATH``: load, validate and store tokens, all or nothing.
- ``tokens validate PATH``: the same checks, nothing written; ``--format json`` for CI.
- ``tokens export PATH``: write one theme as a DTCG 2025.10 document, or (``--format``) as
  CSS custom properties, SCSS variables or a JS/TS module, as ``GET /tokens.<format>``.
- ``tokens usage PATH | --unused | --deprecated-in-use``: usage analytics
  (:mod:`graphql_api.usage.cli`).

PATH may be a DTCG resolver document, a DTCG token file, a Tokens Studio file or
folder, Style Dictionary files, or a folder with one DTCG file per context; the
format is detected unless ``--input-format`` names it.

Start-up stays fast (``bench/cli_startup.py``): this module imports only click, Flask and
the key store; each command imports the engine, importers, exporters or store modules it
uses when it runs.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from .store import db
from .usage.cli import usage_command
from .web import auth

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from .dtcg.errors import DTCGError
    from .dtcg.resolver import ResolverDocument

tokens_cli = AppGroup("tokens", help="Import, validate and export design tokens.")

PROBLEMS_FORMATS = ("resolver", "dtcg", "spectrum", "tokens-studio")
"""Loaders that can report their problems and go on, so one run reports every stage's."""


class LazyChoice(click.Choice):  # type: ignore[type-arg]
    """A :class:`click.Choice` whose choices are computed when first needed.

    The choices of ``--input-format`` and ``--format`` come from the importers and
    exporters; importing those at start-up would slow down every command.
    """

    def __init__(self, load: Callable[[], Sequence[str]]) -> None:
        self._load = load
        self._choices: tuple[str, ...] | None = None
        self.case_sensitive = True

    @property
    def choices(self) -> tuple[str, ...]:  # type: ignore[override]
        """The choices, computed once."""
        if self._choices is None:
            self._choices = tuple(self._load())
        return self._choices


def _input_formats() -> list[str]:
    from . import importers  # noqa: PLC0415 - lazy (module docstring)

    return ["auto", *importers.FORMATS]


FORMAT_CHOICE = LazyChoice(_input_formats)
PATH_ARG = click.Path(exists=True, path_type=Path)


def load_any(path: Path, fmt: str, **options: Any) -> ResolverDocument:
    """Load ``path`` in format ``fmt`` ("auto" detects it).

    Raises:
        DTCGErrorGroup: every problem found while reading.
    """
    from . import importers  # noqa: PLC0415 - lazy (module docstring)

    return importers.load(path, fmt, **options)


def _input_options(func: Any) -> Any:
    """The options shared by ``import`` and ``validate`` that say how to read PATH."""
    options = [
        click.option(
            "--input-format",
            "fmt",
            type=FORMAT_CHOICE,
            default="auto",
            show_default=True,
            help="Format of PATH.",
        ),
        click.option(
            "--context-per-file",
            is_flag=True,
            help="PATH is a folder of DTCG files, one per context of one modifier.",
        ),
        click.option(
            "--modifier",
            default="theme",
            show_default=True,
            help="With --context-per-file: the modifier's name.",
        ),
        click.option(
            "--base",
            "base",
            multiple=True,
            help="With --context-per-file: glob of base-set files (repeatable).",
        ),
        click.option(
            "--default",
            "default",
            default=None,
            help="With --context-per-file: the default context.",
        ),
        click.option(
            "--strict",
            is_flag=True,
            help="Reject the non-standard forms that are otherwise accepted.",
        ),
        click.option(
            "--allow-outside-refs",
            is_flag=True,
            help="Read files that a $ref (or a symlink in a folder) names outside "
            "the folder of PATH; refused by default. URLs are always refused.",
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _read(path: Path, opts: dict[str, Any], problems: list[DTCGError]) -> ResolverDocument:
    """Load PATH as the options say; load problems of DTCG sources go to ``problems``.

    Raises:
        DTCGErrorGroup: PATH cannot be read at all.
    """
    from . import importers  # noqa: PLC0415 - lazy (module docstring)

    fmt = "context-per-file" if opts.pop("context_per_file") else opts.pop("fmt")
    opts.pop("fmt", None)
    kwargs: dict[str, Any] = {"strict": True} if opts.pop("strict") else {}
    if opts.pop("allow_outside_refs", False):
        kwargs["allow_outside_refs"] = True
    modifier, base, default = opts.pop("modifier"), opts.pop("base"), opts.pop("default")
    if fmt == "auto":
        fmt = importers.detect_format(path)
    if fmt in PROBLEMS_FORMATS:
        kwargs["problems"] = problems  # keep going, so validation reports its problems too
    if fmt == "context-per-file":
        kwargs["modifier"] = modifier
        kwargs["default"] = default
        if base:
            kwargs["base"] = tuple(base)
    return load_any(path, fmt, **kwargs)


def _check(
    path: Path, opts: dict[str, Any], *, quiet: bool = False
) -> tuple[ResolverDocument | None, list[DTCGError]]:
    """Load and validate PATH: (the document, every problem found by both stages)."""
    from .dtcg.errors import DTCGErrorGroup  # noqa: PLC0415 - lazy (module docstring)
    from .dtcg.validate import merge_problems, validate_document  # noqa: PLC0415

    strict = bool(opts.get("strict"))
    problems: list[DTCGError] = []
    try:
        doc = _read(path, opts, problems)
    except DTCGErrorGroup as group:
        return None, problems + group.errors
    kwargs: dict[str, Any] = {"strict": True} if strict else {}
    if quiet or not sys.stderr.isatty():  # no bar in logs and pipes
        if not quiet:
            click.echo("Resolving every theme combination …")
        return doc, merge_problems(problems, validate_document(doc, **kwargs))
    with click.progressbar(length=1, label="Resolving theme combinations", file=sys.stderr) as bar:

        def progress(done: int, total: int) -> None:
            bar.length = total
            bar.update(done - bar.pos)

        errors = validate_document(doc, progress=progress, **kwargs)
    return doc, merge_problems(problems, errors)


def _print_errors(errors: list[DTCGError], *, written: bool = False) -> None:
    for err in errors:
        click.echo(str(err), err=True)
    n = len(errors)
    tail = "" if written else "; nothing was written"
    click.echo(f"{n} error{'s' if n != 1 else ''}{tail}.", err=True)


@tokens_cli.command("import")
@click.argument("path", type=PATH_ARG)
@_input_options
@click.option(
    "--if-empty",
    is_flag=True,
    help="Import only into a database nothing was written to yet (revision 0); "
    "else say so and keep the data (what `make serve` does).",
)
def import_command(path: Path, *, if_empty: bool, **opts: Any) -> None:
    """Validate PATH and replace the stored tokens with it, all or nothing."""
    check_schema()
    if if_empty and (revision := _stored_revision()) > 0:
        click.echo(
            f"The database already holds tokens (revision {revision}): {path} was not "
            "imported and your data is kept. To replace it: "
            f"flask --app app tokens import {path}"
        )
        return
    if if_empty:
        click.echo(f"The database is empty: importing {path}.")
    started = time.perf_counter()
    click.echo(f"Reading {path} …")
    doc, errors = _check(path, opts)
    if errors or doc is None:
        _print_errors(errors)
        raise SystemExit(1)
    click.echo(f"Validated in {time.perf_counter() - started:.1f} s. Writing …")
    from . import writes  # noqa: PLC0415 - lazy (module docstring)

    session = db.get_session()
    try:
        result = writes.replace_all(
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


def check_schema() -> None:
    """Refuse to write to a database behind the migrations (the commands that write).

    Raises:
        click.ClickException: with the command that fixes it.
    """
    from .web.observability import MigrationsBehindError, check_migrations  # noqa: PLC0415

    try:
        check_migrations(db.get_engine())
    except MigrationsBehindError as exc:
        raise click.ClickException(str(exc)) from None


def _stored_revision() -> int:
    """The current data revision: 0 when nothing was ever written."""
    from .store import repository  # noqa: PLC0415 - lazy: keeps the CLI's start-up fast

    return repository.current_revision(db.get_session())


@tokens_cli.command("validate")
@click.argument("path", type=PATH_ARG)
@_input_options
@click.option(
    "--format",
    "output",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="json: one object with every problem, for CI.",
)
def validate_command(path: Path, output: str, **opts: Any) -> None:
    """Check PATH without writing anything; exit 1 if there is any problem."""
    doc, errors = _check(path, opts, quiet=output == "json")
    if output == "json":
        body = {"valid": not errors, "errors": [e.as_dict() for e in errors]}
        if doc is not None:
            body["tokens"] = len(
                {p for s in doc.sets.values() for p in s.document.tokens}
                | {p for m in doc.modifiers.values() for d in m.contexts.values() for p in d.tokens}
            )
        click.echo(json.dumps(body, indent=2))
    elif errors:
        _print_errors(errors, written=True)
    else:
        click.echo(f"{path}: valid.")
    if errors:
        raise SystemExit(1)


def _export_formats() -> list[str]:
    from .exporters.files import FORMATS  # noqa: PLC0415 - lazy (module docstring)

    return ["json", *FORMATS]


def _name_styles() -> Sequence[str]:
    from .exporters.naming import STYLES  # noqa: PLC0415 - lazy (module docstring)

    return STYLES


EXPORT_FORMATS = LazyChoice(_export_formats)


def _export_options(func: Any) -> Any:
    """The options of ``export``: the format, the theme, and (css, scss, js, ts) names."""
    options = [
        click.option(
            "--format",
            "fmt",
            type=EXPORT_FORMATS,
            default="json",
            show_default=True,
            help="json: a DTCG document; css, scss, js, ts: as GET /tokens.<format>.",
        ),
        click.option(
            "--theme",
            "themes",
            multiple=True,
            metavar="MODIFIER:CONTEXT",
            help="Context per modifier (repeatable); a bare context name works when "
            "only one modifier has it. Others take their default.",
        ),
        click.option(
            "--keep-references", is_flag=True, help="json: raw values with their references."
        ),
        click.option(
            "--name",
            "style",
            type=LazyChoice(_name_styles),
            default=None,
            help="Names: kebab (css, scss default), camel (js, ts default), snake.",
        ),
        click.option("--prefix", default="", help="Put before every name: gh → --gh-…."),
        click.option(
            "--modifier",
            default=None,
            help="css: every context of this modifier, its default as the base.",
        ),
        click.option(
            "--contexts",
            multiple=True,
            metavar="A,B,…",
            help="css: contexts of one modifier; the first is :root, the others "
            "[data-<modifier>] blocks of what differs.",
        ),
        click.option(
            "--light-dark",
            "light_dark",
            default=None,
            metavar="LIGHT,DARK",
            help="css: colours as light-dark(), the rest in [data-*] blocks.",
        ),
        click.option(
            "--attribute", default=None, help="css, several contexts: the selectors' attribute."
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func


@tokens_cli.command("export")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@_export_options
def export_command(  # click passes options by keyword
    path: Path,
    *,
    fmt: str,
    themes: tuple[str, ...],
    keep_references: bool,
    style: str | None,
    prefix: str,
    modifier: str | None,
    contexts: tuple[str, ...],
    light_dark: str | None,
    attribute: str | None,
) -> None:
    """Write the stored tokens of one theme to PATH ('-' for stdout).

    The file is byte for byte what GET /tokens.<format> answers for the same arguments.
    """
    from .dtcg.errors import DTCGErrorGroup, raise_if_any  # noqa: PLC0415 - lazy
    from .exporters.dtcg_json import export_document  # noqa: PLC0415
    from .exporters.files import ExportOptions, json_option_errors, render  # noqa: PLC0415
    from .exporters.themes import parse_theme_args  # noqa: PLC0415
    from .store.snapshots import SnapshotStore  # noqa: PLC0415

    options = ExportOptions(
        fmt,
        themes,
        style,
        prefix,
        modifier,
        contexts,
        (light_dark,) if light_dark else (),
        attribute,
    )
    session = db.get_session()
    store = SnapshotStore(1)
    try:
        raise_if_any(json_option_errors(options, keep_references=keep_references))
        revision, catalog = store.current_catalog(session)
        if fmt != "json":
            out = render(options, catalog, lambda t: store.get(session, t, revision=revision))
            text, what = out.text, f"{out.variables} variables"
        else:
            snap = store.get(session, parse_theme_args(themes, catalog), revision=revision)
            document = export_document(snap.tokens.values(), keep_references=keep_references)
            text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
            what = f"{len(snap.tokens)} tokens ({dict(snap.selection)})"
    except DTCGErrorGroup as group:
        _print_errors(group.errors, written=True)
        raise SystemExit(1) from None
    if str(path) == "-":
        click.echo(text, nl=False)
    else:
        path.write_bytes(text.encode("utf-8"))
        click.echo(f"Wrote {what} to {path}.")


queries_cli = AppGroup("queries", help="Persisted queries (APQ and the allow-list).")


def documents_in(path: Path) -> list[str]:
    """GraphQL documents in ``path``.

    A ``.graphql`` file is one document; a JSON file is an Apollo persisted-query manifest
    (``{"operations": [{"id", "body", …}]}``).

    Raises:
        click.ClickException: a manifest entry whose ``id`` is not the SHA-256 of its body.
    """
    from .web import persisted_queries  # noqa: PLC0415 - lazy (module docstring)

    text = path.read_text(encoding="utf-8")
    if path.suffix != ".json":
        return [text]
    operations = json.loads(text).get("operations", [])
    bodies = []
    for op in operations:
        body = op["body"]
        if op.get("id") and op["id"] != persisted_queries.sha256_hex(body):
            msg = f"{path}: operation {op.get('name')!r}: id is not sha256(body)"
            raise click.ClickException(msg)
        bodies.append(body)
    return bodies


@queries_cli.command("register")
@click.argument(
    "paths", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
def register_command(paths: tuple[Path, ...]) -> None:
    """Register the documents in PATHS (.graphql files or Apollo manifests) by SHA-256."""
    check_schema()
    from .web import persisted_queries  # noqa: PLC0415 - lazy (module docstring)

    session = db.get_session()
    for path in paths:
        for body in documents_in(path):
            click.echo(f"{persisted_queries.register(session, body)}  {path.name}")
    session.commit()


@queries_cli.command("list")
def list_command() -> None:
    """Print the SHA-256 and first line of every registered document."""
    from .store import persisted_queries  # noqa: PLC0415 - lazy (module docstring)

    for digest, query in persisted_queries.all_documents(db.get_session()):
        click.echo(f"{digest}  {query.strip().splitlines()[0][:60] if query.strip() else ''}")


keys_cli = AppGroup("keys", help="API keys: create, list, revoke.")


@keys_cli.command("create")
@click.option("--name", required=True, help="A unique name; it is recorded with every write.")
@click.option(
    "--scope",
    type=click.Choice(auth.SCOPES),
    default="read",
    show_default=True,
    help="read < write < admin.",
)
def create_key_command(name: str, scope: str) -> None:
    """Create a key and print it once: it cannot be shown again."""
    check_schema()
    try:
        with db.get_engine().begin() as connection:  # Core: the keys need no ORM
            key = auth.create_key(connection, name, scope)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(key)
    click.echo(f"Key {name!r} ({scope}) created. Store it now: it is not shown again.", err=True)


@keys_cli.command("revoke")
@click.argument("name")
def revoke_key_command(name: str) -> None:
    """Revoke the key called NAME: requests with it are refused from now on."""
    check_schema()
    with db.get_engine().begin() as connection:
        revoked = auth.revoke_key(connection, name)
    if not revoked:
        raise click.ClickException(f"no active key named {name!r}")
    click.echo(f"Key {name!r} revoked.")


@keys_cli.command("list")
def list_keys_command() -> None:
    """Name, scope, creation time and state of every key (never the secret)."""
    with db.get_engine().connect() as connection:
        keys = auth.list_keys(connection)
    for key in keys:
        state = f"revoked {key.revoked_at:%Y-%m-%d %H:%M}" if key.revoked_at else "active"
        click.echo(f"{key.name}\t{key.scope}\tcreated {key.created_at:%Y-%m-%d %H:%M}\t{state}")


def init_app(app: Flask) -> None:
    """Register the ``tokens`` command group."""
    tokens_cli.add_command(queries_cli)
    tokens_cli.add_command(usage_command)
    app.cli.add_command(tokens_cli)
    app.cli.add_command(keys_cli)

"""Hostile and malformed DTCG input: rejected with the right catalogue code, in bounded time
and memory, with nothing written.

The corpus is ``tests/hostile/files`` (small files, described by ``manifest.json``: the file,
what it exercises, the codes expected per mode) plus the cases built here by
:data:`GENERATED` (groups 10,000 levels deep, a 50 MB string, 100,000 aliases, reference and
``$extends`` fan-outs, FIFOs and symlinks…), generated into ``tmp_path`` so that nothing big
is committed.

Every case goes through the engine (``importers.load`` with the loaders' ``problems``, then
``validate_document``, as ``tokens import`` does) in a forked child process, which is killed
after :data:`CPU_SECONDS` of CPU time (the test fails as a hang) and reports:

* the codes found: each expected one must be there, and every error must be a
  :class:`DTCGError` with a code of ``errors.CODES``; any other exception (``RecursionError``,
  ``MemoryError``, ``TypeError``, ``UnicodeDecodeError``…) fails the test with its traceback;
* the peak memory the case added: the growth of the child's peak resident set
  (``VmHWM``, reset through ``/proc/self/clear_refs`` when the case starts), which must stay
  under :data:`MEMORY_CAP` (``tracemalloc``'s peak where ``/proc`` has no such files; it
  slows allocation-heavy code four times, which is why it is not the default). Both limits
  are guards against hangs and blow-ups, not benchmarks: the slowest case (100,000 aliases in
  a cycle) takes about 4 s and adds about 210 MB.

The same files, and a subset of the generated cases, go through ``flask tokens import`` on
SQLite and PostgreSQL: exit code 1, every expected code printed on a line naming the case,
and the database unchanged (revision and stored values, :func:`tests.helpers.stored_state`).
``--allow-outside-refs`` is tested at the end, for ``import`` and ``validate``.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import resource
import signal
import time
import traceback
import tracemalloc
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from graphql_api import importers
from graphql_api.dtcg import errors as E  # noqa: N812 - the engine's own alias
from graphql_api.dtcg import limits
from graphql_api.dtcg.errors import DTCGError, DTCGErrorGroup
from graphql_api.dtcg.parse import parse_document
from graphql_api.dtcg.resolver import ResolverDocument, TokenSet, load_resolver
from graphql_api.dtcg.validate import validate_document
from tests.helpers import stored_state

if TYPE_CHECKING:
    from collections.abc import Callable

    from click.testing import Result
    from flask import Flask
    from flask.testing import FlaskCliRunner

HERE = Path(__file__).resolve().parent
FILES = HERE / "files"
MANIFEST: dict[str, dict[str, Any]] = json.loads((HERE / "manifest.json").read_text("utf-8"))[
    "cases"
]
#: CPU seconds an engine case may use before it counts as a hang (a guard, not a benchmark).
#: CPU time, not wall time: a busy machine slows a case down but does not make it fail.
CPU_SECONDS = 60
#: Wall-clock seconds after which the parent gives up on a child that neither finishes nor
#: uses CPU (e.g. blocked); far above CPU_SECONDS so machine load never reaches it.
WALL_SECONDS = 600.0
#: Peak memory an engine case may add (a guard against blow-ups; see the module docstring).
MEMORY_CAP = 300 * 1024 * 1024
#: Address space the child may add to what it inherits: a runaway allocation becomes a
#: MemoryError in the child instead of exhausting the machine.
ADDRESS_SPACE_HEADROOM = 4 * 1024**3

GOOD = {"c": {"$type": "color", "red": {"$value": "#ff0000"}, "alias": {"$value": "{c.red}"}}}


# --------------------------------------------------------------------------- running a case


@dataclass
class Outcome:
    """What an engine run reported (computed in the child, sent back as plain data)."""

    codes: set[str] = field(default_factory=set)
    count: int = 0
    sample: list[tuple[str, str, str, str, str]] = field(default_factory=list)
    paths: dict[str, set[str]] = field(default_factory=dict)  # code -> token/group paths
    not_catalogue: list[str] = field(default_factory=list)
    crash: str | None = None
    longest: int = 0  # longest error text
    peak: int = 0
    seconds: float = 0.0

    def describe(self) -> str:
        head = f"{self.count} errors, codes {sorted(self.codes)}, peak {self.peak >> 20} MB"
        lines = [f"{head}, {self.seconds:.1f} s"]
        lines += [f"  [{c}] {p or '-'} {f}#{ptr}: {m}" for c, m, f, ptr, p in self.sample]
        if self.crash:
            lines.append(self.crash)
        return "\n".join(lines)


def _summarise(errors: list[Any], outcome: Outcome) -> None:
    outcome.count = len(errors)
    outcome.longest = max((len(str(err)) for err in errors), default=0)
    for err in errors:
        if not isinstance(err, DTCGError) or err.code not in E.CODES:
            outcome.not_catalogue.append(repr(err)[:300])
            continue
        outcome.codes.add(err.code)
        outcome.paths.setdefault(err.code, set()).add(err.path)
        if len(outcome.sample) < 12:
            outcome.sample.append((err.code, err.message[:300], err.file, err.pointer, err.path))


def load_and_validate(
    path: Path, *, strict: bool, fmt: str = "auto", allow_outside_refs: bool = False
) -> list[DTCGError]:
    """What ``tokens import|validate`` do before writing: every problem of PATH."""
    problems: list[DTCGError] = []
    try:
        use = importers.detect_format(path) if fmt == "auto" else fmt
        options: dict[str, Any] = {"strict": strict, "allow_outside_refs": allow_outside_refs}
        if use in ("resolver", "dtcg"):
            options["problems"] = problems
        doc = importers.load(path, use, **options)
    except DTCGErrorGroup as group:
        return problems + group.errors
    return problems + validate_document(doc, strict=strict)


def parse_and_validate(data: Any, *, strict: bool) -> list[DTCGError]:
    """Data given to the parser directly (API writes, importers), then validated."""
    doc, errors = parse_document(data, file="data.json", strict=strict)
    resolver = ResolverDocument("data", None, "2025.10")
    resolver.sets["base"] = TokenSet("base", doc)
    resolver.order.append(("set", "base"))
    return errors + validate_document(resolver, strict=strict)


def _status_bytes(field_name: str) -> int:
    """A size field of ``/proc/self/status`` (``VmRSS``, ``VmHWM``), in bytes."""
    with Path("/proc/self/status").open() as status:
        for line in status:
            if line.startswith(field_name + ":"):
                return int(line.split()[1]) * 1024
    raise OSError(f"no {field_name} in /proc/self/status")


def _start_peak() -> Callable[[], int]:
    """Start measuring the memory this process adds; a function giving the peak so far.

    Linux: the resident set's high-water mark, reset to the current size, minus that size.
    Elsewhere: ``tracemalloc``'s peak of Python allocations.
    """
    try:
        Path("/proc/self/clear_refs").write_text("5")  # VmHWM := VmRSS (Linux >= 4.0)
        start = _status_bytes("VmRSS")
    except OSError:
        tracemalloc.start()
        return lambda: tracemalloc.get_traced_memory()[1]
    return lambda: _status_bytes("VmHWM") - start


def _child(conn: Any, work: Callable[[], list[DTCGError]], cpu_seconds: int) -> None:
    """In the forked child: cap CPU and address space, run ``work``, report (peak memory too)."""
    outcome = Outcome()
    used_cpu = int(sum(os.times()[:2]))
    resource.setrlimit(resource.RLIMIT_CPU, (used_cpu + cpu_seconds, used_cpu + cpu_seconds + 5))
    try:
        hard = resource.getrlimit(resource.RLIMIT_AS)[1]
        with Path("/proc/self/statm").open() as statm:
            used = int(statm.read().split()[0]) * resource.getpagesize()
        cap = used + ADDRESS_SPACE_HEADROOM
        if hard == resource.RLIM_INFINITY or cap < hard:
            resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    except (OSError, ValueError):
        pass  # not Linux: the peak (tracemalloc) is still measured
    peak = _start_peak()
    started = time.perf_counter()
    try:
        errors = work()
    except (DTCGError, DTCGErrorGroup) as exc:  # a loader raising past `problems`
        errors = exc.errors if isinstance(exc, DTCGErrorGroup) else [exc]
    except BaseException:  # noqa: BLE001 - any other exception is what the test reports
        errors = []
        outcome.crash = traceback.format_exc(limit=-12)
    outcome.seconds = time.perf_counter() - started
    outcome.peak = peak()
    if outcome.crash is None:
        _summarise(errors, outcome)
    conn.send(outcome)
    conn.close()


def isolated(
    work: Callable[[], list[DTCGError]],
    timeout: float = WALL_SECONDS,
    cpu_seconds: int = CPU_SECONDS,
) -> Outcome:
    """Run ``work`` in a forked child; fail the test if it uses more than ``CPU_SECONDS``.

    The child gets ``RLIMIT_CPU`` (the kernel sends SIGXCPU past it), so the guard counts
    the case's own CPU time; ``timeout`` (wall clock) only catches a child that blocks.
    """
    if "fork" not in multiprocessing.get_all_start_methods():
        pytest.skip("needs fork() to kill a hanging case")
    ctx = multiprocessing.get_context("fork")
    receive, send = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_child, args=(send, work, cpu_seconds), daemon=True)
    child.start()
    send.close()
    try:
        if not receive.poll(timeout):
            child.kill()
            pytest.fail(f"no result after {timeout} s: the engine hangs on this input")
        try:
            outcome: Outcome = receive.recv()
        except EOFError:
            child.join(10)
            if child.exitcode in (-signal.SIGXCPU, -signal.SIGKILL):
                pytest.fail(f"more than {cpu_seconds} s of CPU: the engine hangs on this input")
            pytest.fail(f"the child died without a result (exit code {child.exitcode})")
    finally:
        child.join(10)
        if child.is_alive():
            child.kill()
    return outcome


def _spin() -> list[DTCGError]:
    while True:
        pass


def test_the_watchdog_counts_cpu_time_and_ends_a_hang() -> None:
    # The wall-clock guard would say "no result after …": this message is RLIMIT_CPU's.
    with pytest.raises(pytest.fail.Exception, match="more than 1 s of CPU"):
        isolated(_spin, timeout=120, cpu_seconds=1)


def _hold_memory(size: int) -> Callable[[], list[DTCGError]]:
    def work() -> list[DTCGError]:
        held = b"\x01" * size  # one block filled byte by byte: resident, not lazy
        assert len(held) == size
        return []

    return work


def test_the_peak_counts_what_a_case_adds_and_not_what_it_inherits() -> None:
    inherited = b"\x01" * (200 << 20)  # 200 MB resident in the parent (filled, not lazy)
    # 8 MB past the cap: the resident set's growth can fall a few pages short of the bytes
    # held (one block has no per-object overhead to make up for them)
    small, large = isolated(_hold_memory(1 << 20)), isolated(_hold_memory(MEMORY_CAP + (8 << 20)))
    assert small.peak < 50 << 20, small.describe()
    assert large.peak >= MEMORY_CAP, large.describe()  # what check() calls a blow-up
    del inherited


def check(outcome: Outcome, expected: list[str], paths: list[str] | None = None) -> None:
    """Only catalogue errors, the expected codes, each listed path with one of them, bounded."""
    assert outcome.crash is None, "the engine crashed:\n" + outcome.describe()
    assert not outcome.not_catalogue, outcome.not_catalogue
    assert outcome.peak < MEMORY_CAP, "memory blow-up:\n" + outcome.describe()
    if not expected:
        assert outcome.count == 0, "expected no problem in this mode:\n" + outcome.describe()
        return
    missing = set(expected) - outcome.codes
    assert not missing, f"missing {sorted(missing)}:\n" + outcome.describe()
    reported = {p for code in expected for p in outcome.paths.get(code, ())}
    unreported = [p for p in paths or () if p not in reported]
    assert not unreported, f"no {expected} error for {unreported}:\n" + outcome.describe()


def expected_codes(case: dict[str, Any], mode: str) -> list[str]:
    codes: list[str] = case.get(mode, case.get("codes", []))
    return codes


# --------------------------------------------------------------------------- the file corpus


def test_the_corpus_is_large_and_described() -> None:
    on_disk = {
        p.relative_to(FILES).as_posix()
        for p in FILES.rglob("*")
        if p.is_file() and p.suffix in (".json", ".json5")
    }
    listed = set(MANIFEST)
    assert listed <= on_disk, sorted(listed - on_disk)
    assert len(listed) >= 60
    for name, case in MANIFEST.items():
        assert case["what"], name
        assert "codes" in case or ("tolerant" in case and "strict" in case), name
        for mode in ("tolerant", "strict"):
            assert set(expected_codes(case, mode)) <= set(E.CODES), name
        assert any(expected_codes(case, m) for m in ("tolerant", "strict")), name


@pytest.mark.parametrize("mode", ["tolerant", "strict"])
@pytest.mark.parametrize("name", sorted(MANIFEST))
def test_file_case_through_the_engine(name: str, mode: str) -> None:
    case = MANIFEST[name]
    strict = mode == "strict"
    fmt = case.get("format", "auto")
    outcome = isolated(lambda: load_and_validate(FILES / name, strict=strict, fmt=fmt))
    check(
        outcome,
        expected_codes(case, mode),
        case.get("paths") if expected_codes(case, mode) else None,
    )


# --------------------------------------------------------------------------- generated cases


def _write(folder: Path, name: str, content: Any) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        text = content if isinstance(content, str) else json.dumps(content)
        path.write_text(text, "utf-8")
    return path


def _resolver(folder: Path, doc: dict[str, Any], name: str = "doc.resolver.json") -> Path:
    return _write(folder, name, {"version": "2025.10", **doc})


def _nested(depth: int, leaf: Any, key: str | None = "g") -> Any:
    """``depth`` objects (or, with ``key=None``, arrays) around ``leaf``, built iteratively."""
    for _ in range(depth):
        leaf = [leaf] if key is None else {key: leaf}
    return leaf


def _fan_out(levels: int, value: Callable[[str], Any], base: Any, type_: str) -> dict[str, Any]:
    """Tokens l0…l<levels>, each level's value built from the previous level's path twice."""
    tokens: dict[str, Any] = {"l0": {"$value": base}}
    for i in range(1, levels + 1):
        tokens[f"l{i}"] = {"$value": value(f"f.l{i - 1}")}
    return {"f": {"$type": type_, **tokens}}


def deep_groups_json(tmp: Path) -> Path:
    text = '{"g": ' * 10_000 + '{"$type": "number", "t": {"$value": 1}}' + "}" * 10_000
    return _write(tmp, "deep-groups.json", text)


def deep_groups_json5(tmp: Path) -> Path:
    return _write(tmp, "deep-groups.json5", "{g: " * 10_000 + "{t: {$value: 1}}" + "}" * 10_000)


def deep_arrays_in_a_value(tmp: Path) -> Path:
    text = '{"t": {"$type": "shadow", "$value": ' + "[" * 100_000 + "]" * 100_000 + "}}"
    return _write(tmp, "deep-arrays.json", text)


def deep_groups_as_data(_tmp: Path) -> Any:
    return _nested(10_000, {"$type": "number", "t": {"$value": 1}})


def deep_value_as_data(_tmp: Path) -> Any:
    return {"t": {"$type": "custom", "$value": _nested(10_000, 1, key=None)}}


def string_of_50_mb(tmp: Path) -> Path:
    head, tail = '{"c": {"$type": "color", "big": {"$value": "', '"}}}'
    return _write(tmp, "huge-string.json", head + "x" * 50_000_000 + tail)


def string_of_20_mb_as_a_colour(tmp: Path) -> Path:
    head, tail = '{"c": {"$type": "color", "big": {"$value": "', '"}}}'
    return _write(tmp, "big-colour.json", head + "#" * 20_000_000 + tail)


def group_name_of_1_mb(tmp: Path) -> Path:
    tokens = {f"t{i}": {"$value": i} for i in range(1000)}
    return _write(tmp, "long-name.json", {"g" * 1_000_000: {"$type": "number", **tokens}})


def chain_of_100k_aliases(tmp: Path) -> Path:
    n = 100_000
    tokens = {f"t{i}": {"$value": f"{{c.t{i + 1}}}"} for i in range(n)}  # t100000 is missing
    return _write(tmp, "chain.json", {"c": {"$type": "number", **tokens}})


def cycle_of_100k_aliases(tmp: Path) -> Path:
    n = 100_000
    tokens = {f"t{i}": {"$value": f"{{c.t{(i + 1) % n}}}"} for i in range(n)}
    return _write(tmp, "cycle.json", {"c": {"$type": "number", **tokens}})


def dense_cycle(tmp: Path) -> Path:
    n = 10_000  # each token references the next and the first: 8,000 took 23 s before
    tokens = {f"t{i}": {"$value": [f"{{c.t{(i + 1) % n}}}", "{c.t0}"]} for i in range(n)}
    return _write(tmp, "dense-cycle.json", {"c": {"$type": "custom", **tokens}})


def fan_out_lists(tmp: Path) -> Path:
    doc = _fan_out(30, lambda p: [f"{{{p}}}", f"{{{p}}}"], [1], "custom")
    return _write(tmp, "fan-out-lists.json", doc)


def fan_out_json_pointers(tmp: Path) -> Path:
    def twice(p: str) -> Any:
        pointer = "#/" + p.replace(".", "/")
        return {"a": {"$ref": pointer}, "b": {"$ref": pointer}}

    return _write(tmp, "fan-out-pointers.json", _fan_out(30, twice, {"x": 1}, "custom"))


def fan_out_interpolation(tmp: Path) -> Path:
    doc = _fan_out(30, lambda p: f"{{{p}}} {{{p}}}", "x", "custom")
    return _write(tmp, "fan-out-strings.json", doc)


def composites_referencing_composites(tmp: Path) -> Path:
    layer = {"color": "#000000", "offsetX": "1px", "offsetY": "1px", "blur": "2px"}
    doc = _fan_out(30, lambda p: [f"{{{p}}}", f"{{{p}}}"], layer, "shadow")
    return _write(tmp, "fan-out-shadows.json", doc)


def chain_of_nested_lists(tmp: Path) -> Path:
    n = 1_000  # each wraps the previous in a list: resolved 1,000 levels deep
    tokens = {
        "l0": {"$value": 1},
        **{f"l{i}": {"$value": [f"{{c.l{i - 1}}}"]} for i in range(1, n)},
    }
    return _write(tmp, "list-chain.json", {"c": {"$type": "custom", **tokens}})


def extends_fan_out(tmp: Path) -> Path:
    doc: dict[str, Any] = {"l0": {"$type": "number", "t": {"$value": 1}}}
    for i in range(1, 31):
        doc[f"l{i}"] = {"a": {"$extends": f"{{l{i - 1}}}"}, "b": {"$extends": f"{{l{i - 1}}}"}}
    return _write(tmp, "extends-fan-out.json", doc)


def extends_chain(tmp: Path) -> Path:
    n = 2_000
    doc: dict[str, Any] = {f"g{i}": {"$extends": f"{{g{i + 1}}}"} for i in range(n)}
    doc[f"g{n}"] = {"$type": "number", "t": {"$value": 1}}
    return _write(tmp, "extends-chain.json", doc)


def extends_long_cycle(tmp: Path) -> Path:
    n = 1_000
    doc = {
        f"g{i}": {"$extends": f"{{g{(i + 1) % n}}}", f"t{i}": {"$type": "number", "$value": i}}
        for i in range(n)
    }
    return _write(tmp, "extends-cycle.json", doc)


def set_fan_out(tmp: Path) -> Path:
    bad = {"c": {"$type": "color", "bad": {"$value": "not-a-colour"}}}
    sets: dict[str, Any] = {"s0": {"sources": [bad]}}
    for i in range(1, 31):
        sets[f"s{i}"] = {"sources": [{"$ref": f"#/sets/s{i - 1}"}, {"$ref": f"#/sets/s{i - 1}"}]}
    return _resolver(tmp, {"sets": sets, "resolutionOrder": [{"$ref": "#/sets/s30"}]})


def set_ref_chain(tmp: Path) -> Path:
    n = 3_000
    sets: dict[str, Any] = {f"s{i}": {"sources": [{"$ref": f"#/sets/s{i + 1}"}]} for i in range(n)}
    sets[f"s{n}"] = {"sources": []}
    return _resolver(tmp, {"sets": sets, "resolutionOrder": [{"$ref": "#/sets/s0"}]})


def many_contexts_listing_one_file(tmp: Path) -> Path:
    _write(
        tmp,
        "big.tokens.json",
        {"c": {"$type": "number", **{f"t{i}": {"$value": i} for i in range(2_000)}}},
    )
    contexts = {f"x{i}": [{"$ref": "big.tokens.json"}] for i in range(3_000)}
    doc = {
        "modifiers": {"m": {"contexts": contexts}},
        "resolutionOrder": [{"$ref": "#/modifiers/m"}],
    }
    return _resolver(tmp, doc)


def long_resolution_order(tmp: Path) -> Path:
    order = [{"$ref": "#/sets/s"}] * 30_000
    return _resolver(tmp, {"sets": {"s": {"sources": []}}, "resolutionOrder": order})


def fifo_as_a_source(tmp: Path) -> Path:
    os.mkfifo(tmp / "pipe.tokens.json")  # reading it would block forever
    return _resolver(
        tmp,
        {
            "sets": {"s": {"sources": [{"$ref": "pipe.tokens.json"}]}},
            "resolutionOrder": [{"$ref": "#/sets/s"}],
        },
    )


def fifo_as_the_file(tmp: Path) -> Path:
    os.mkfifo(tmp / "pipe.json")
    return tmp / "pipe.json"


def symlink_out_of_the_folder(tmp: Path) -> Path:
    _write(tmp, "outside/secret.json", {"s": {"$type": "number", "$value": 1}})
    (tmp / "doc").mkdir()
    (tmp / "doc" / "link.json").symlink_to(tmp / "outside" / "secret.json")
    doc = {
        "sets": {"s": {"sources": [{"$ref": "link.json"}]}},
        "resolutionOrder": [{"$ref": "#/sets/s"}],
    }
    return _resolver(tmp / "doc", doc)


def symlink_to_dev_zero(tmp: Path) -> Path:
    (tmp / "zero.json").symlink_to("/dev/zero")  # read with allow_outside_refs: a device
    doc = {
        "sets": {"s": {"sources": [{"$ref": "zero.json"}]}},
        "resolutionOrder": [{"$ref": "#/sets/s"}],
    }
    return _resolver(tmp, doc)


def symlink_loop(tmp: Path) -> Path:
    (tmp / "loop.json").symlink_to(tmp / "loop.json")  # ELOOP when read
    doc = {
        "sets": {"s": {"sources": [{"$ref": "loop.json"}]}},
        "resolutionOrder": [{"$ref": "#/sets/s"}],
    }
    return _resolver(tmp, doc)


def folder_with_a_symlink_out(tmp: Path) -> Path:
    _write(tmp, "secret.json", {"s": {"$type": "number", "$value": 1}})
    _write(tmp, "themes/light.json", {"c": {"$type": "number", "a": {"$value": 1}}})
    (tmp / "themes" / "dark.json").symlink_to(tmp / "secret.json")
    return tmp / "themes"


def large_json5_needing_the_slow_parser(tmp: Path) -> Path:
    tokens = ", ".join(f"t{i}: {{$value: 0x{i:x}}}" for i in range(20_000))  # hex: slow path
    return _write(tmp, "large.json5", "{c: {$type: 'number', " + tokens + "}}")


@dataclass(frozen=True)
class Generated:
    """A case built in ``tmp_path``: a file or folder to load, or data for the parser."""

    build: Callable[[Path], Any]
    codes: list[str]
    what: str
    count: int | None = None  # exactly this many errors (reported once each)
    data: bool = False  # build returns data for parse_document, not a path
    allow: bool = False  # load with allow_outside_refs=True
    cli: bool = False  # also through `tokens import` on both databases


GENERATED: dict[str, Generated] = {
    "groups-10000-deep": Generated(
        deep_groups_json, ["INVALID_JSON"], "groups nested 10,000 levels", cli=True
    ),
    "groups-10000-deep-json5": Generated(
        deep_groups_json5, ["INVALID_JSON"], "the same in JSON5 (the json5 parser's own recursion)"
    ),
    "arrays-100000-deep-in-a-value": Generated(
        deep_arrays_in_a_value, ["INVALID_JSON"], "arrays nested 100,000 deep in a $value", cli=True
    ),
    "groups-10000-deep-as-data": Generated(
        deep_groups_as_data,
        ["INVALID_NODE"],
        "parse_document given data 10,000 groups deep (API writes)",
        data=True,
    ),
    "value-10000-deep-as-data": Generated(
        deep_value_as_data,
        ["INVALID_NODE"],
        "parse_document given a value 10,000 lists deep",
        data=True,
    ),
    "string-50-mb": Generated(
        string_of_50_mb,
        ["INVALID_JSON"],
        "a 50 MB string: past limits.MAX_FILE_BYTES, refused before reading",
        cli=True,
    ),
    "string-20-mb-colour": Generated(
        string_of_20_mb_as_a_colour,
        ["INVALID_VALUE"],
        "a 20 MB string as a colour: read, refused, the message stays short",
    ),
    "group-name-1-mb": Generated(
        group_name_of_1_mb,
        ["INVALID_NAME"],
        "a 1 MB group name over 1,000 tokens (a gigabyte of paths)",
        count=1,
        cli=True,
    ),
    "chain-100000-aliases": Generated(
        chain_of_100k_aliases,
        ["UNRESOLVABLE_REFERENCE"],
        "100,000 aliases ending at a missing token: one error, where it is",
        count=1,
    ),
    "cycle-100000-aliases": Generated(
        cycle_of_100k_aliases,
        ["CIRCULAR_REFERENCE"],
        "a cycle of 100,000 aliases: every token reported once",
        count=100_000,
    ),
    "dense-cycle-10000": Generated(
        dense_cycle,
        ["CIRCULAR_REFERENCE"],
        "10,000 tokens referencing the next and the first (quadratic loop search before)",
        count=10_000,
    ),
    "fan-out-lists-2^30": Generated(
        fan_out_lists,
        ["INVALID_VALUE"],
        "30 levels each listing the previous level twice: 2^30 leaves written out",
        count=1,
        cli=True,
    ),
    "fan-out-json-pointers-2^30": Generated(
        fan_out_json_pointers, ["INVALID_VALUE"], 'the same with {"$ref"} objects', count=1
    ),
    "fan-out-interpolation-2^30": Generated(
        fan_out_interpolation,
        ["INVALID_VALUE"],
        '"{prev} {prev}" 30 levels: a 1 GB string (6 GB, 17 s before)',
        count=1,
        cli=True,
    ),
    "composites-referencing-composites": Generated(
        composites_referencing_composites,
        ["INVALID_VALUE"],
        "shadows listing the previous shadow twice, 30 levels",
    ),
    "chain-of-nested-lists": Generated(
        chain_of_nested_lists,
        ["INVALID_VALUE"],
        "1,000 tokens each wrapping the previous in a list: resolved 1,000 deep",
        count=1,
    ),
    "extends-fan-out-2^30": Generated(
        extends_fan_out,
        ["INVALID_EXTENDS"],
        "groups a and b extending the level below, 30 levels (71 s, 860 MB at 18 before)",
        count=1,
        cli=True,
    ),
    "extends-chain-2000": Generated(
        extends_chain,
        ["INVALID_EXTENDS"],
        "2,000 groups each extending the next (RecursionError before)",
    ),
    "extends-cycle-1000": Generated(
        extends_long_cycle,
        ["INVALID_EXTENDS"],
        "a $extends cycle of 1,000 groups: passes the chain limit first",
    ),
    "set-fan-out-2^30": Generated(
        set_fan_out,
        ["INVALID_VALUE"],
        "30 sets each listing the previous set twice (22 took 69 s before)",
        count=1,
    ),
    "set-ref-chain-3000": Generated(
        set_ref_chain,
        ["INVALID_RESOLVER"],
        "3,000 sets each listing the next (RecursionError before)",
        cli=True,
    ),
    "contexts-3000-listing-one-file": Generated(
        many_contexts_listing_one_file,
        ["INVALID_RESOLVER"],
        "3,000 contexts listing one 2,000-token file",
    ),
    "resolution-order-30000": Generated(
        long_resolution_order,
        ["INVALID_RESOLVER"],
        "30,000 resolutionOrder items naming one set (14.5 s before: quadratic)",
        count=29_999,
    ),
    "fifo-as-a-source": Generated(
        fifo_as_a_source,
        ["FILE_NOT_FOUND"],
        "a source $ref to a FIFO (reading it would block forever)",
        cli=True,
    ),
    "fifo-as-the-file": Generated(
        fifo_as_the_file, ["FILE_NOT_FOUND"], "the token file itself is a FIFO"
    ),
    "symlink-out-of-the-folder": Generated(
        symlink_out_of_the_folder,
        ["FILE_NOT_FOUND"],
        "a source $ref to a symlink leading out of the folder",
        cli=True,
    ),
    "symlink-to-dev-zero-allowed": Generated(
        symlink_to_dev_zero,
        ["FILE_NOT_FOUND"],
        "with allow_outside_refs, a symlink to /dev/zero: not a regular file",
        allow=True,
    ),
    "symlink-loop": Generated(
        symlink_loop, ["FILE_NOT_FOUND"], "a source $ref to a symlink that points to itself"
    ),
    "folder-with-a-symlink-out": Generated(
        folder_with_a_symlink_out,
        ["FILE_NOT_FOUND"],
        "a context-per-file folder with a symlink leading out of it",
        cli=True,
    ),
    "json5-past-the-slow-parser-limit": Generated(
        large_json5_needing_the_slow_parser,
        ["INVALID_JSON"],
        "a 600 KB JSON5 file with hex numbers (only the slow parser reads them)",
    ),
}


@pytest.mark.parametrize("name", list(GENERATED))
def test_generated_case_through_the_engine(name: str, tmp_path: Path) -> None:
    case = GENERATED[name]
    built = case.build(tmp_path)
    if case.data:
        outcome = isolated(lambda: parse_and_validate(built, strict=False))
    else:
        outcome = isolated(
            lambda: load_and_validate(built, strict=False, allow_outside_refs=case.allow)
        )
    check(outcome, case.codes)
    if case.count is not None:
        assert outcome.count == case.count, outcome.describe()
    assert outcome.longest <= 3 * limits.MAX_TEXT_LENGTH, "an error text is not bounded"


# ------------------------------------------------------------------------ the CLI, both databases


def _seed(app: Flask, runner: FlaskCliRunner, folder: Path) -> Any:
    """Import a good document first, so that "nothing written" is checked on real data."""
    result = runner.invoke(args=["tokens", "import", str(_write(folder, "good.json", GOOD))])
    assert result.exit_code == 0, result.output
    state = stored_state(app)
    assert state.revision == 1
    assert len(state.values) == 2
    return state


def _import(runner: FlaskCliRunner, path: Path, *options: str) -> Result:
    return runner.invoke(args=["tokens", "import", *options, str(path)])


def _refusal_problems(result: Result, codes: list[str], name: str) -> list[str]:
    """Why ``result`` is not a proper refusal naming ``name`` with ``codes`` (empty: it is)."""
    problems = []
    if result.exit_code != 1:
        problems.append(f"exit code {result.exit_code}: {result.exception!r}")
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        problems.append(f"exception {result.exception!r}")
    lines = [line for line in result.stderr.splitlines() if line.startswith("[")]
    for code in codes:
        if not any(line.startswith(f"[{code}]") and name in line for line in lines):
            problems.append(f"no [{code}] line naming {name!r}")
    if "nothing was written" not in result.stderr:
        problems.append("no 'nothing was written'")
    return problems


def test_cli_import_refuses_every_file_case(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    before = _seed(app, runner, tmp_path)
    failures = []
    for name, case in sorted(MANIFEST.items()):
        strict = not expected_codes(case, "tolerant")  # rejected in strict mode only
        options = ["--strict"] if strict else []
        if "format" in case:
            options += ["--input-format", case["format"]]
        codes = expected_codes(case, "strict" if strict else "tolerant")
        shown = Path(name).parts[1].split(".")[0]  # the file, or the case's folder
        result = _import(runner, FILES / name, *options)
        problems = _refusal_problems(result, codes, shown)
        if stored_state(app) != before:
            problems.append("the database changed")
        if problems:
            failures.append(f"{name}: {'; '.join(problems)}\n{result.output[-1500:]}")
    assert not failures, f"{len(failures)} cases:\n" + "\n".join(failures)


@pytest.mark.parametrize("name", [n for n, c in GENERATED.items() if c.cli])
def test_cli_import_refuses_generated_case(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path, name: str
) -> None:
    before = _seed(app, runner, tmp_path / "seed")
    case = GENERATED[name]
    (tmp_path / "case").mkdir()
    path = case.build(tmp_path / "case")
    result = _import(runner, path)
    shown = path.name.split(".")[0]
    assert not _refusal_problems(result, case.codes, shown), result.output[-3000:]
    assert stored_state(app) == before


# --------------------------------------------------------------------------- --allow-outside-refs


def _outside_layout(tmp: Path) -> Path:
    """themes/doc.resolver.json with a source ``../shared/colors.json`` (outside its folder)."""
    _write(tmp, "shared/colors.json", {"c": {"$type": "color", "red": {"$value": "#ff0000"}}})
    doc = {
        "sets": {"base": {"sources": [{"$ref": "../shared/colors.json"}]}},
        "resolutionOrder": [{"$ref": "#/sets/base"}],
    }
    return _resolver(tmp / "themes", doc)


def test_loader_refuses_outside_refs_unless_allowed(tmp_path: Path) -> None:
    path = _outside_layout(tmp_path)
    with pytest.raises(DTCGErrorGroup) as caught:
        load_resolver(path)
    [err] = caught.value.errors
    assert (err.code, err.file, err.pointer) == (
        "FILE_NOT_FOUND",
        str(path),
        "/sets/base/sources/0",
    )
    assert "--allow-outside-refs" in err.message
    assert str(tmp_path) not in err.message  # no server path shown to whoever uploaded it
    doc = load_resolver(path, allow_outside_refs=True)
    assert set(doc.sets["base"].document.tokens) == {"c.red"}
    assert validate_document(doc) == []
    # the same through importers.load, for the folder too (its only *.resolver.json)
    assert importers.load(path.parent, allow_outside_refs=True).sets["base"].document.tokens
    with pytest.raises(DTCGErrorGroup):
        importers.load(path.parent)


def test_inside_refs_through_dotdot_and_symlinks_are_fine(tmp_path: Path) -> None:
    _write(tmp_path, "doc/tokens/a.json", {"a": {"$type": "number", "$value": 1}})
    (tmp_path / "doc" / "link.json").symlink_to(tmp_path / "doc" / "tokens" / "a.json")
    sources = [{"$ref": "tokens/../tokens/a.json"}, {"$ref": "link.json"}, {"$ref": "./link.json"}]
    path = _resolver(
        tmp_path / "doc",
        {"sets": {"s": {"sources": sources}}, "resolutionOrder": [{"$ref": "#/sets/s"}]},
    )
    assert validate_document(load_resolver(path)) == []


@pytest.mark.parametrize(
    "ref",
    [
        "https://example.com/tokens.json",
        "http://127.0.0.1:9/t.json",
        "file:///etc/hostname",
        "//example.com/t.json",
        "ftp://example.com/t.json",
    ],
)
def test_urls_are_refused_even_when_outside_refs_are_allowed(tmp_path: Path, ref: str) -> None:
    doc = {"sets": {"s": {"sources": [{"$ref": ref}]}}, "resolutionOrder": [{"$ref": "#/sets/s"}]}
    path = _resolver(tmp_path, doc)
    with pytest.raises(DTCGErrorGroup) as caught:
        load_resolver(path, allow_outside_refs=True)
    assert [(e.code, "URL" in e.message) for e in caught.value.errors] == [("FILE_NOT_FOUND", True)]


@pytest.mark.parametrize("fmt", ["context-per-file", "style-dictionary", "tokens-studio"])
def test_folder_importers_refuse_symlinks_out_unless_allowed(tmp_path: Path, fmt: str) -> None:
    legacy = fmt != "context-per-file"
    token = (
        {"value": "#ff0000", "type": "color"} if legacy else {"$type": "color", "$value": "#ff0000"}
    )
    _write(tmp_path, "secret.json", {"s": {"red": token}})
    _write(tmp_path, "tokens/light.json", {"c": {"red": token}})
    (tmp_path / "tokens" / "dark.json").symlink_to(tmp_path / "secret.json")
    with pytest.raises(DTCGErrorGroup) as caught:
        importers.load(tmp_path / "tokens", fmt)
    assert [e.code for e in caught.value.errors] == ["FILE_NOT_FOUND"]
    assert caught.value.errors[0].file.endswith("dark.json")
    doc = importers.load(tmp_path / "tokens", fmt, allow_outside_refs=True)
    layers = [s.document for s in doc.sets.values()]
    layers += [d for m in doc.modifiers.values() for d in m.contexts.values()]
    assert any("s.red" in d.tokens for d in layers)


def test_cli_refuses_outside_refs_unless_allowed(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    before = _seed(app, runner, tmp_path / "seed")
    path = _outside_layout(tmp_path / "case")

    result = _import(runner, path)
    assert not _refusal_problems(result, ["FILE_NOT_FOUND"], "doc.resolver.json"), result.output
    assert "--allow-outside-refs" in result.stderr
    assert stored_state(app) == before

    checked = runner.invoke(args=["tokens", "validate", "--format", "json", str(path)])
    assert checked.exit_code == 1
    assert [e["code"] for e in json.loads(checked.stdout)["errors"]] == ["FILE_NOT_FOUND"]
    checked = runner.invoke(args=["tokens", "validate", "--allow-outside-refs", str(path)])
    assert checked.exit_code == 0, checked.output
    assert stored_state(app) == before  # validate never writes

    result = _import(runner, path, "--allow-outside-refs")
    assert result.exit_code == 0, result.output
    after = stored_state(app)
    assert after.revision == before.revision + 1
    assert after.paths == {"c.red"}


def test_cli_refuses_urls_even_with_allow_outside_refs(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    before = _seed(app, runner, tmp_path / "seed")
    doc = {
        "sets": {"s": {"sources": [{"$ref": "https://example.com/tokens.json"}]}},
        "resolutionOrder": [{"$ref": "#/sets/s"}],
    }
    path = _resolver(tmp_path / "case", doc)
    for command in ("import", "validate"):
        result = runner.invoke(args=["tokens", command, "--allow-outside-refs", str(path)])
        assert result.exit_code == 1, result.output
        assert "[FILE_NOT_FOUND]" in result.stderr
        assert "URL" in result.stderr
    assert stored_state(app) == before

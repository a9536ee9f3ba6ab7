"""Fuzzing the DTCG reader: whatever the input, only catalogue errors, and never a hang.

Hypothesis generates random JSON-like documents with DTCG-ish keys and values (token and
group properties, spec types, curly and JSON Pointer references, ``$extends``), random
resolver documents, and mutations of real files (Primer's JSON5 sources and the small
DTCG example): a node deleted, duplicated or given another JSON type, bytes spliced,
flipped or cut off. Each goes through the engine's entry points: :func:`parse_document`,
:func:`load_token_file`, :func:`load_resolver` (with ``problems``) and
:func:`validate_document`, tolerant and strict. They may only return or raise
:class:`DTCGError` / :class:`DTCGErrorGroup` with codes of ``errors.CODES``, never another
exception (``RecursionError``, ``TypeError``, ``OverflowError``, ``UnicodeDecodeError``…),
and each example must finish within :data:`HANG_SECONDS` (a ``SIGALRM`` timer; the test
fails as a hang).

Deterministic: ``derandomize=True`` (examples derive from the test, not from a seed or
the example database), bounded example counts, no deadline (a slow machine is not a
failure; a hang is). Crashes found here are fixed in the engine and kept below as
regular tests (``test_found_*``).
"""

from __future__ import annotations

import copy
import json
import signal
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

import json5
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graphql_api.dtcg import errors as E  # noqa: N812 - the engine's own alias
from graphql_api.dtcg.errors import DTCGError, DTCGErrorGroup
from graphql_api.dtcg.jsonio import loads
from graphql_api.dtcg.parse import parse_document
from graphql_api.dtcg.resolver import ResolverDocument, TokenSet, load_resolver, load_token_file
from graphql_api.dtcg.types import SPEC_TYPES
from graphql_api.dtcg.validate import validate_document

DATA = Path(__file__).resolve().parent.parent / "data"
#: Small real files to mutate (large ones make the slow JSON5 fallback dominate).
REAL_FILES = sorted(
    f
    for f in [
        *(DATA / "primer-primitives" / "src" / "tokens").rglob("*.json5"),
        *(DATA / "dtcg-small-example" / "tokens").glob("*.json"),
    ]
    if f.stat().st_size < 12_000
)
HANG_SECONDS = 20
FUZZ = settings(
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


class Hang(Exception):  # noqa: N818 - what the test reports
    """An example ran longer than HANG_SECONDS."""


@contextmanager
def time_limit(seconds: float = HANG_SECONDS) -> Iterator[None]:
    """Raise :class:`Hang` in the main thread after ``seconds`` (POSIX timers)."""

    def on_alarm(_signum: int, _frame: Any) -> None:
        raise Hang(f"no result after {seconds} s")

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def check_errors(errors: list[DTCGError]) -> None:
    for err in errors:
        assert isinstance(err, DTCGError), err
        assert err.code in E.CODES, err


@contextmanager
def only_catalogue_errors() -> Iterator[None]:
    """The block may raise DTCGError/DTCGErrorGroup with catalogue codes; nothing else."""
    raised: list[DTCGError] | None = None
    with time_limit():
        try:
            yield
        except DTCGErrorGroup as group:
            raised = group.errors
        except DTCGError as err:
            raised = [err]
    if raised is not None:
        assert raised, "an empty DTCGErrorGroup"
        check_errors(raised)


def wrap(doc: Any) -> ResolverDocument:
    resolver = ResolverDocument("fuzz", None, "2025.10")
    resolver.sets["base"] = TokenSet("base", doc)
    resolver.order.append(("set", "base"))
    return resolver


def engine(data: Any, *, strict: bool) -> None:
    """parse_document then validate_document, under the two rules above."""
    with only_catalogue_errors():
        doc, errors = parse_document(data, file="fuzz.json", strict=strict)
        check_errors(errors)
        check_errors(validate_document(wrap(doc), strict=strict))


def load_file(path: Path, *, strict: bool) -> None:
    with only_catalogue_errors():
        problems: list[DTCGError] = []
        doc = load_token_file(path, strict=strict, problems=problems)
        check_errors(problems)
        check_errors(validate_document(doc, strict=strict))


# --------------------------------------------------------------------------- strategies

NAMES = st.sampled_from(
    ["a", "b", "c", "color", "size", "$root", "x.y", "{a}", "a}", "$foo", "", "~/", "0", "1"]
)
PROPERTIES = st.sampled_from(
    ["$value", "$type", "$ref", "$extends", "$description", "$deprecated", "$extensions"]
)
KEYS = st.one_of(PROPERTIES, NAMES, st.text(max_size=4))
REFERENCES = st.sampled_from(
    [
        "{a}",
        "{a.b}",
        "{b.a}",
        "{c}",
        "{a.b.c}",
        "{}",
        "{a..b}",
        "{ a }",
        "1px {a} {b}",
        "#/a",
        "#/a/b",
        "#/a/$value/0",
        "#/a/$type",
        "#",
        "#/",
        "other.json#/a",
        "{color.$root}",
        "{a.$root}",
    ]
)
STRINGS = st.one_of(
    st.sampled_from(
        [
            *SPEC_TYPES,
            "custom",
            "#ff0000",
            "#f00",
            "red",
            "16px",
            "1rem",
            "0",
            "200ms",
            "solid",
            "bold",
            "none",
            "srgb",
            "px",
            "rgb(1, 2, 3)",
        ]
    ),
    REFERENCES,
    st.text(max_size=8),
)
NUMBERS = st.one_of(
    st.integers(-5, 1005),
    st.integers(),
    st.sampled_from([10**400, -(10**400), 2**64, 0.5, -0.0, 1e308]),
    st.floats(allow_nan=True, allow_infinity=True),
)
LEAVES = st.one_of(st.none(), st.booleans(), NUMBERS, STRINGS)


def _containers(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    ref = st.fixed_dictionaries({"$ref": st.one_of(REFERENCES, children)})
    return st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(KEYS, children, max_size=5),
        ref,
        st.fixed_dictionaries(
            {"$value": children},
            optional={"$type": st.one_of(st.sampled_from(SPEC_TYPES), children)},
        ),
    )


JSON = st.recursive(LEAVES, _containers, max_leaves=40)
DOCUMENTS = st.dictionaries(KEYS, JSON, max_size=6)


# --------------------------------------------------------------------------- random documents


@settings(FUZZ, max_examples=400)
@given(data=DOCUMENTS, strict=st.booleans())
def test_random_documents_give_only_catalogue_errors(data: dict[str, Any], strict: bool) -> None:
    engine(data, strict=strict)


@settings(FUZZ, max_examples=150)
@given(data=JSON, strict=st.booleans())
def test_any_json_value_as_a_document(data: Any, strict: bool) -> None:
    engine(data, strict=strict)


#: Pieces of JSON and JSON5 text, so that random texts look like token files.
TEXT_PIECES = st.sampled_from(
    [
        "{",
        "}",
        "[",
        "]",
        ":",
        ",",
        ", ",
        '"a"',
        '"$value"',
        '"$type"',
        "'b'",
        "c",
        "$value",
        "1",
        "-0",
        "0x1F",
        ".5",
        "+1",
        "1e400",
        "NaN",
        "Infinity",
        "true",
        "null",
        "/*",
        "*/",
        "//",
        "\n",
        " ",
        '"\\ud800"',
        '"{a}"',
        "'#/a'",
        '"',
        "'",
        "\\",
        "\ufeff",
        "\x00",
    ]
)
TEXTS = st.one_of(
    st.lists(TEXT_PIECES, max_size=40).map("".join),
    st.text(max_size=60),
    st.builds(lambda doc: json.dumps(doc, allow_nan=True), DOCUMENTS),
)


@settings(FUZZ, max_examples=400)
@given(text=TEXTS)
def test_random_text_through_the_reader(text: str) -> None:
    for strict in (False, True):
        with only_catalogue_errors():
            engine(loads(text, file="fuzz.json", strict=strict), strict=strict)


@settings(FUZZ, max_examples=100)
@given(text=TEXTS, prefix=st.sampled_from([b"", b"\xef\xbb\xbf", b"\xff", b"\xc3"]))
def test_random_files_through_the_reader(text: str, prefix: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.json"
        path.write_bytes(prefix + text.encode("utf-8", "surrogatepass"))
        for strict in (False, True):
            load_file(path, strict=strict)


# --------------------------------------------------------------------------- mutated real files


def _nodes(data: Any, at: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Paths (tuples of keys and indices) of every node below the root."""
    items = (
        data.items()
        if isinstance(data, Mapping)
        else enumerate(data)
        if isinstance(data, list)
        else ()
    )
    for k, v in items:
        yield (*at, k)
        yield from _nodes(v, (*at, k))


def _mutate(data: Any, path: tuple[Any, ...], how: str, replacement: Any) -> Any:
    parent = data
    for k in path[:-1]:
        parent = parent[k]
    key = path[-1]
    if how == "delete":
        del parent[key]
    elif how == "duplicate" and isinstance(parent, list):
        parent.insert(key, json.loads(json.dumps(parent[key])))
    elif how == "duplicate":
        parent[f"{key}-copy"] = json.loads(json.dumps(parent[key]))
    else:  # retype
        parent[key] = replacement
    return data


@cache
def _parsed(file: Path) -> Any:
    """A real file's data, parsed once: the pure-Python JSON5 parser took 95% of the time."""
    return json5.loads(file.read_text("utf-8"))


@settings(FUZZ, max_examples=250)
@given(
    index=st.integers(0, 10_000),
    node=st.integers(0, 10_000),
    how=st.sampled_from(["delete", "duplicate", "retype"]),
    replacement=JSON,
    strict=st.booleans(),
)
def test_structurally_mutated_real_files(
    index: int, node: int, how: str, replacement: Any, strict: bool
) -> None:
    file = REAL_FILES[index % len(REAL_FILES)]
    data = copy.deepcopy(_parsed(file))  # a copy to mutate
    paths = list(_nodes(data))
    if paths:
        data = _mutate(data, paths[node % len(paths)], how, replacement)
    engine(data, strict=strict)


@settings(FUZZ, max_examples=250)
@given(
    index=st.integers(0, 10_000),
    how=st.sampled_from(["splice", "flip", "truncate", "insert"]),
    where=st.floats(0, 1),
    chunk=st.binary(max_size=8),
    strict=st.booleans(),
)
def test_byte_mutated_real_files(
    index: int, how: str, where: float, chunk: bytes, strict: bool
) -> None:
    file = REAL_FILES[index % len(REAL_FILES)]
    raw = bytearray(file.read_bytes())
    at = int(where * (len(raw) - 1))
    if how == "splice":
        raw[at : at + len(chunk)] = chunk
    elif how == "flip":
        raw[at] ^= 1 << (len(chunk) % 8)
    elif how == "truncate":
        del raw[at:]
    else:
        raw[at:at] = chunk or b"\xff"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / file.name
        path.write_bytes(bytes(raw))
        load_file(path, strict=strict)


# --------------------------------------------------------------------------- resolver documents

SOURCE_REFS = st.sampled_from(
    [
        "#/sets/a",
        "#/sets/b",
        "#/sets",
        "#/modifiers/m",
        "#/$defs/t",
        "#/resolutionOrder/0",
        "#",
        "#/nope",
        "tokens.json",
        "tokens.json#/c",
        "missing.json",
        "../outside.json",
        "/etc/hostname",
        "https://example.com/t.json",
        "sub",
        "",
    ]
)
SOURCES = st.lists(
    st.one_of(
        st.fixed_dictionaries({"$ref": st.one_of(SOURCE_REFS, LEAVES)}),
        st.dictionaries(KEYS, JSON, max_size=3),
        LEAVES,
    ),
    max_size=3,
)
SETS = st.dictionaries(
    st.sampled_from(["a", "b", "c"]),
    st.one_of(st.fixed_dictionaries({"sources": SOURCES}), JSON),
    max_size=3,
)
MODIFIERS = st.dictionaries(
    st.sampled_from(["m", "n"]),
    st.one_of(
        st.fixed_dictionaries(
            {
                "contexts": st.dictionaries(
                    st.sampled_from(["x", "y", "z"]), st.one_of(SOURCES, JSON), max_size=3
                )
            },
            optional={"default": st.one_of(st.sampled_from(["x", "y", "q"]), LEAVES)},
        ),
        JSON,
    ),
    max_size=2,
)
ORDER = st.lists(
    st.one_of(
        st.fixed_dictionaries(
            {
                "$ref": st.one_of(
                    st.sampled_from(
                        [
                            "#/sets/a",
                            "#/sets/b",
                            "#/modifiers/m",
                            "#/modifiers/n",
                            "#/$defs/t",
                            "#/resolutionOrder/0",
                            "x.json",
                        ]
                    ),
                    LEAVES,
                )
            }
        ),
        st.fixed_dictionaries(
            {"type": st.sampled_from(["set", "modifier", "x"]), "name": STRINGS},
            optional={"sources": SOURCES, "contexts": JSON},
        ),
        LEAVES,
    ),
    max_size=4,
)
RESOLVERS = st.fixed_dictionaries(
    {"resolutionOrder": st.one_of(ORDER, JSON)},
    optional={
        "version": st.one_of(st.just("2025.10"), LEAVES),
        "sets": st.one_of(SETS, JSON),
        "modifiers": st.one_of(MODIFIERS, JSON),
        "$defs": st.fixed_dictionaries({"t": DOCUMENTS}),
    },
)


@settings(FUZZ, max_examples=250)
@given(document=RESOLVERS, strict=st.booleans())
def test_random_resolver_documents(document: dict[str, Any], strict: bool) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "doc"
        (root / "sub").mkdir(parents=True)
        (root / "tokens.json").write_text(
            json.dumps(
                {"c": {"$type": "number", "one": {"$value": 1}, "two": {"$value": "{c.one}"}}}
            ),
            "utf-8",
        )
        (Path(folder) / "outside.json").write_text('{"o": {"$value": 1}}', "utf-8")
        path = root / "fuzz.resolver.json"
        path.write_text(json.dumps(document), "utf-8")
        with only_catalogue_errors():
            problems: list[DTCGError] = []
            doc = load_resolver(path, strict=strict, problems=problems)
            check_errors(problems)
            check_errors(validate_document(doc, strict=strict))


# --------------------------------------------------------------------------- crashes found


@pytest.mark.parametrize("strict", [False, True], ids=["tolerant", "strict"])
@pytest.mark.parametrize(
    ("data", "code"),
    [
        pytest.param(
            {"t": {"$type": "number", "$value": 10**400}}, "INVALID_VALUE", id="huge-integer"
        ),
        pytest.param(
            {"t": {"$type": "dimension", "$value": {"value": 10**400, "unit": "px"}}},
            "INVALID_VALUE",
            id="huge-integer-in-a-dimension",
        ),
        pytest.param(
            {"t": {"$type": "color", "$value": {"colorSpace": ["srgb"], "components": [0, 0, 0]}}},
            "INVALID_VALUE",
            id="colour-space-a-list",
        ),
        pytest.param(
            {"t": {"$type": "color", "$value": {"colorSpace": {}, "components": [0, 0, 0]}}},
            "INVALID_VALUE",
            id="colour-space-an-object",
        ),
    ],
)
def test_found_value_crashes(data: dict[str, Any], code: str, strict: bool) -> None:
    doc, errors = parse_document(data, strict=strict)
    errors += validate_document(wrap(doc), strict=strict)
    assert code in {e.code for e in errors}


def test_found_interpolating_a_huge_integer() -> None:
    # css_text of a custom-typed huge integer used float() and raised OverflowError
    data = {
        "n": {"$type": "custom", "$value": 10**400},
        "s": {"$type": "custom", "$value": "x {n}"},
    }
    doc, errors = parse_document(data)
    assert errors == []
    assert validate_document(wrap(doc)) == []


@pytest.mark.parametrize("member", [None, {}, [], "4", True], ids=repr)
def test_found_interpolating_a_broken_dimension(member: Any) -> None:
    # found by test_structurally_mutated_real_files (Primer's border.json5): css_text's
    # {value, unit} fallback called fmt_number on the member and raised TypeError
    data = {
        "d": {"$type": "dimension", "$value": {"value": member, "unit": "px"}},
        "s": {"$type": "custom", "$value": "1px solid {d}"},
    }
    doc, errors = parse_document(data)
    assert errors == []
    assert {(e.code, e.path) for e in validate_document(wrap(doc))} == {("INVALID_VALUE", "d")}


@pytest.mark.parametrize(
    "text",
    [
        pytest.param('{"a": 1 /* never closed', id="unterminated-comment-hung"),
        pytest.param('{"a": 1' + "0" * 5000 + "}", id="integer-past-4300-digits"),
        pytest.param("{a: 1" + "0" * 5000 + "}", id="json5-integer-past-4300-digits"),
    ],
)
def test_found_reader_crashes(text: str) -> None:
    with time_limit(10), pytest.raises(DTCGError) as caught:
        loads(text, file="t.json5")
    assert caught.value.code == E.INVALID_JSON

"""Format module 2025.10 §5 (tokens), §6 (groups) and file reading: ``graphql_api.dtcg.parse``.

Each table row is named after the rule it checks (``format-5.1.1-…`` for the spec's
section, ``compat-…`` for an older form real files ship and the engine accepts).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import json5
import pytest

from graphql_api.dtcg import errors as E  # noqa: N812 - the engine's own alias
from graphql_api.dtcg.errors import DTCGError
from graphql_api.dtcg.jsonio import json5_as_json
from graphql_api.dtcg.parse import Document, flatten, load_json, loads, parse_document


def parsed(data: Any, *, strict: bool = False, file: str = "t.json") -> Document:
    """Parse ``data`` and require that it has no problem."""
    doc, errs = parse_document(data, file=file, strict=strict)
    assert errs == []
    return doc


# --------------------------------------------------------------------------- reading files

JSON5_CASES = [
    pytest.param('{"a": 1}', {"a": 1}, id="json-plain"),
    pytest.param('{\n  // a line comment\n  "a": 1 /* block */\n}', {"a": 1}, id="json5-comments"),
    pytest.param("{a: 1, $value: 2}", {"a": 1, "$value": 2}, id="json5-unquoted-keys"),
    pytest.param("{'a': 'x'}", {"a": "x"}, id="json5-single-quotes"),
    pytest.param('{"a": [1, 2,], "b": 3,}', {"a": [1, 2], "b": 3}, id="json5-trailing-commas"),
    pytest.param('{"a": 1, "a": 2}', {"a": 2}, id="json-duplicate-key-last-wins"),
    pytest.param("{a: 1, a: {b: 2}, // c\n}", {"a": {"b": 2}}, id="json5-duplicate-key-last-wins"),
    pytest.param("{a: 0x10, b: +1, c: .5}", {"a": 16, "b": 1, "c": 0.5}, id="json5-numbers"),
]


@pytest.mark.parametrize(("text", "expected"), JSON5_CASES)
def test_loads_json_and_json5(text: str, expected: Any) -> None:
    assert loads(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("{a: 1}", id="strict-rejects-unquoted-keys"),
        pytest.param('{"a": 1,}', id="strict-rejects-trailing-comma"),
        pytest.param('{"a": 1} // c', id="strict-rejects-comments"),
    ],
)
def test_strict_reads_plain_json_only(text: str) -> None:
    with pytest.raises(DTCGError) as info:
        loads(text, file="x.json", strict=True)
    assert info.value.code == E.INVALID_JSON
    assert info.value.file == "x.json"


def test_strict_keeps_last_duplicate_key() -> None:
    # RFC 8259 leaves duplicates to the reader; Python's and JS's readers keep the last one.
    assert loads('{"a": 1, "a": 2}', strict=True) == {"a": 2}


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        pytest.param(b'{"a": "\xff\xfe"}', "UTF-8", id="file-invalid-utf8"),
        pytest.param(b'{"a": ', "JSON5", id="file-truncated"),
        pytest.param(b"{a: 1 b: 2}", "JSON5", id="file-missing-comma"),
        pytest.param(b"not json", "JSON5", id="file-not-json"),
    ],
)
def test_invalid_file_is_invalid_json_naming_the_file(
    tmp_path: Path, content: bytes, fragment: str
) -> None:
    path = tmp_path / "broken.tokens.json"
    path.write_bytes(content)
    with pytest.raises(DTCGError) as info:
        load_json(path)
    assert info.value.code == E.INVALID_JSON
    assert info.value.file == str(path)
    assert fragment in info.value.message
    assert str(path) in str(info.value)


def test_file_with_bom_and_json5(tmp_path: Path) -> None:
    path = tmp_path / "bom.json5"
    path.write_bytes("\ufeff{a: {$value: 'é'}}".encode())
    assert load_json(path) == {"a": {"$value": "é"}}


def test_missing_file_is_file_not_found(tmp_path: Path) -> None:
    path = tmp_path / "nope.json"
    with pytest.raises(DTCGError) as info:
        load_json(path)
    assert (info.value.code, info.value.file) == (E.FILE_NOT_FOUND, str(path))


# --------------------------------------------------------------------------- tokens and groups


def test_format_5_token_vs_6_group() -> None:
    data = {
        "color": {
            "$type": "color",
            "$description": "all colours",
            "blue": {"$value": "#0000ff"},
            "brand": {"primary": {"$value": "{color.blue}", "$type": "color"}},
        }
    }
    doc = parsed(data)
    assert set(doc.tokens) == {"color.blue", "color.brand.primary"}
    blue = doc.tokens["color.blue"]
    assert (blue.value, blue.type, blue.name) == ("#0000ff", None, "blue")
    assert blue.pointer == "/color/blue"
    assert blue.file == "t.json"
    assert doc.tokens["color.brand.primary"].type == "color"
    assert doc.tokens["color.brand.primary"].value == "{color.blue}"
    assert doc.groups["color"].type == "color"
    assert doc.groups["color"].description == "all colours"
    assert doc.groups["color"].pointer == "/color"
    # a group without group properties has no GroupNode, but is not a token either
    assert "color.brand" not in doc.tokens


@pytest.mark.parametrize(
    "value",
    [
        pytest.param(0, id="format-5.2.1-value-zero"),
        pytest.param(False, id="format-5.2.1-value-false"),
        pytest.param(None, id="format-5.2.1-value-null"),
        pytest.param("", id="format-5.2.1-value-empty-string"),
        pytest.param({"value": 4, "unit": "px"}, id="format-5.2.1-value-object"),
        pytest.param([1, 2], id="format-5.2.1-value-array"),
    ],
)
def test_format_5_2_1_any_value_makes_a_token(value: Any) -> None:
    doc = parsed({"t": {"$value": value}})
    assert doc.tokens["t"].value == value
    assert doc.tokens["t"].value is value  # kept as written, not copied or converted


NAME_CASES = [
    pytest.param(
        {"g": {"$brand": {"$value": 1}}},
        "g.$brand",
        "/g/$brand",
        id="format-5.1.1-name-leading-dollar",
    ),
    pytest.param(
        {"g": {"a{b": {"$value": 1}}}, "g.a{b", "/g/a{b", id="format-5.1.1-name-open-brace"
    ),
    pytest.param(
        {"g": {"a}b": {"$value": 1}}}, "g.a}b", "/g/a}b", id="format-5.1.1-name-close-brace"
    ),
    pytest.param({"g": {"a.b": {"$value": 1}}}, "g.a.b", "/g/a.b", id="format-5.1.1-name-dot"),
    pytest.param({"a.b": {"c": {"$value": 1}}}, "a.b", "/a.b", id="format-5.1.1-group-name-dot"),
    pytest.param(
        {"g": {"x/y": {"a.b": {"$value": 1}}}},
        "g.x/y.a.b",
        "/g/x~1y/a.b",
        id="format-5.1.1-pointer-escapes-slash",
    ),
]


@pytest.mark.parametrize(("data", "path", "pointer"), NAME_CASES)
@pytest.mark.parametrize("strict", [False, True], ids=["lenient", "strict"])
def test_format_5_1_1_invalid_names(data: Any, path: str, pointer: str, strict: bool) -> None:
    doc, errs = parse_document(data, file="names.json", strict=strict)
    assert [(e.code, e.path, e.pointer, e.file) for e in errs] == [
        (E.INVALID_NAME, path, pointer, "names.json")
    ]
    assert path not in doc.tokens


def test_format_5_1_1_valid_names_with_other_characters() -> None:
    doc = parsed({"g": {"a-b_c d/é 1": {"$value": 1}, "x$": {"$value": 2}}})
    assert set(doc.tokens) == {"g.a-b_c d/é 1", "g.x$"}
    assert doc.tokens["g.a-b_c d/é 1"].pointer == "/g/a-b_c d~1é 1"


def test_format_6_2_root_token() -> None:
    data = {"accent": {"$type": "color", "$root": {"$value": "#f00"}, "light": {"$value": "#f88"}}}
    doc = parsed(data)
    assert set(doc.tokens) == {"accent.$root", "accent.light"}
    assert doc.tokens["accent.$root"].pointer == "/accent/$root"
    assert doc.tokens["accent.$root"].name == "$root"


def test_format_6_token_and_group_on_one_node_tolerated() -> None:
    data = {"size": {"$value": "4px", "$type": "dimension", "large": {"$value": "8px"}}}
    doc = parsed(data)
    assert doc.tokens["size"].value == "4px"
    assert doc.tokens["size.large"].value == "8px"
    assert doc.tokens["size.large"].pointer == "/size/large"


def test_format_6_token_and_group_on_one_node_rejected_when_strict() -> None:
    data = {"size": {"$value": "4px", "large": {"$value": "8px"}}}
    doc, errs = parse_document(data, file="s.json", strict=True)
    assert [(e.code, e.path, e.pointer) for e in errs] == [(E.INVALID_NODE, "size", "/size")]
    assert "size.large" not in doc.tokens


VENDOR_CASES = [
    pytest.param({"t": {"$value": "#fff", "alpha": 0.5}}, "alpha", id="compat-primer-alpha-member"),
    pytest.param({"t": {"$value": 1, "comment": "x"}}, "comment", id="compat-token-string-member"),
    pytest.param({"t": {"$value": 1, "$foo": {"a": 1}}}, "$foo", id="compat-unknown-dollar-member"),
]


@pytest.mark.parametrize(("data", "member"), VENDOR_CASES)
def test_compat_vendor_members_of_a_token_ignored(data: Any, member: str) -> None:
    doc = parsed(data)
    assert set(doc.tokens) == {"t"}
    assert doc.tokens["t"].value == data["t"]["$value"]
    strict_doc, errs = parse_document(data, strict=True)
    assert [(e.code, e.path) for e in errs] == [(E.INVALID_NODE, "t")]
    assert member in errs[0].message
    assert strict_doc.tokens["t"].value == data["t"]["$value"]


def test_compat_non_object_group_member_ignored() -> None:
    data = {"g": {"comment": "Style Dictionary comment", "n": 3, "t": {"$value": 1}}}
    assert set(parsed(data).tokens) == {"g.t"}
    _, errs = parse_document(data, strict=True)
    assert sorted((e.code, e.path, e.pointer) for e in errs) == [
        (E.INVALID_NODE, "g.comment", "/g/comment"),
        (E.INVALID_NODE, "g.n", "/g/n"),
    ]


def test_format_5_metadata_kept_verbatim() -> None:
    ext = {"org.primer.figma": {"collection": "mode", "scopes": ["bgColor"], "n": None}}
    data = {
        "t": {
            "$value": 1,
            "$type": "number",
            "$description": "a token",
            "$deprecated": "use u",
            "$extensions": ext,
        },
        "u": {"$value": 2, "$deprecated": True},
        "v": {"$value": 3, "$deprecated": False},
        "w": {"$value": 4},
    }
    doc = parsed(data)
    t = doc.tokens["t"]
    assert (t.type, t.description, t.deprecated) == ("number", "a token", "use u")
    assert t.extensions == {
        "org.primer.figma": {"collection": "mode", "scopes": ["bgColor"], "n": None}
    }
    assert doc.tokens["u"].deprecated is True
    assert doc.tokens["v"].deprecated is False
    w = doc.tokens["w"]
    assert (w.type, w.description, w.deprecated, w.extensions) == (None, None, None, None)


def test_format_6_group_properties() -> None:
    data = {"g": {"$deprecated": "old", "$extensions": {"x": {"y": [1]}}, "t": {"$value": 1}}}
    group = parsed(data).groups["g"]
    assert (group.deprecated, group.extensions) == ("old", {"x": {"y": [1]}})


def test_root_of_a_file_must_be_an_object() -> None:
    doc, errs = parse_document([1, 2], file="list.json")
    assert [(e.code, e.file) for e in errs] == [(E.INVALID_NODE, "list.json")]
    assert doc.tokens == {}


def test_inline_pointer_prefix() -> None:
    doc, errs = parse_document({"t": {"$value": 1}}, file="r.json", pointer="/sets/a/sources/0")
    assert errs == []
    assert doc.tokens["t"].pointer == "/sets/a/sources/0/t"


# ------------------------------------------------------------------- flatten (resolver §6.2)


def test_resolver_flatten_later_wins_token_replaced_whole() -> None:
    first = parsed(
        {
            "c": {
                "$type": "color",
                "$description": "colours",
                "a": {"$value": "#111", "$description": "first a", "$extensions": {"x": 1}},
                "b": {"$value": "#222"},
            }
        },
        file="1.json",
    )
    second = parsed({"c": {"a": {"$value": "#333"}, "z": {"$value": "#444"}}}, file="2.json")
    flat = flatten([first, second])
    a = flat.tokens["c.a"]
    # replaced whole: the later token's missing description/extensions are not inherited
    assert (a.value, a.description, a.extensions, a.file) == ("#333", None, None, "2.json")
    assert flat.tokens["c.b"].value == "#222"
    assert flat.tokens["c.z"].value == "#444"
    # the inputs are untouched
    assert first.tokens["c.a"].value == "#111"


def test_resolver_flatten_group_properties_merged_key_by_key() -> None:
    first = parsed({"g": {"$type": "color", "$description": "one", "t": {"$value": 1}}})
    second = parsed({"g": {"$description": "two", "u": {"$value": 2}}})
    third = parsed({"g": {"$type": "dimension"}})
    assert flatten([first, second]).groups["g"].type == "color"
    assert flatten([first, second]).groups["g"].description == "two"
    assert flatten([first, second, third]).groups["g"].type == "dimension"
    assert flatten([first, second, third]).groups["g"].description == "two"


def test_resolver_flatten_empty() -> None:
    flat = flatten([])
    assert (flat.tokens, flat.groups) == ({}, {})


FAST_PATH_CASES = [
    *(p.values[0] for p in JSON5_CASES),
    "{'q': 'say \"hi\"', r: 'it\\'s', s: \"x\\\\\"}",
    "{a: 'b\\\\', c: 'd'}",
    "{a: -Infinity, c: 1e5, d: -0.5e-3}",
    "{url: 'http://x//y', 'k/*': '*/', \"c//\": 1}",
    "{a: 'line\\\nnext', b: '\\x41'}",
    "{a: [ // c\n 1, /* d */ ], b: {c: 1, /* e */ }, }",
    "{$value: {unit: 'px', value: 4}, 'a b': 1}",
]


@pytest.mark.parametrize("text", FAST_PATH_CASES)
def test_json5_fast_path_means_what_json5_means(text: str) -> None:
    # loads() translates common JSON5 to JSON (10x faster on Primer) and falls back to
    # the json5 parser for anything else: the result must always be the json5 one.
    assert loads(text) == json5.loads(text)


def test_json5_fast_path_on_real_files() -> None:
    data = Path(__file__).resolve().parent.parent / "data" / "primer-primitives" / "src"
    files = sorted(data.rglob("*.json5"))[:6]
    assert files
    for file in files:
        text = file.read_text(encoding="utf-8")
        assert json.loads(json5_as_json(text) or "null") == json5.loads(text), file

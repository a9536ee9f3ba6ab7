"""Resolver module 2025.10 (sets, modifiers, contexts, resolutionOrder, inputs): ``dtcg.resolver``.

Every test writes its resolver document and token files into ``tmp_path``.
Rows are named ``resolver-<section>-…`` after the part of the Resolver module
they check (§3.1 file, §4.1.4 sets, §4.1.5 modifiers, §4.1.6 resolution order, §4.2
reference objects, §5 inputs, §6.1 input validation, §6.2 ordering, §6.3 aliases).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pytest

from graphql_api.dtcg import errors as E  # noqa: N812 - the engine's own alias
from graphql_api.dtcg.errors import DTCGErrorGroup
from graphql_api.dtcg.parse import flatten
from graphql_api.dtcg.references import resolve
from graphql_api.dtcg.resolver import (
    ResolverDocument,
    load_resolver,
    load_token_file,
    normalise_input,
)

if TYPE_CHECKING:
    from pathlib import Path


def write(path: Path, data: Any) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data) if not isinstance(data, str) else data, encoding="utf-8")
    return path


def modifiers_of(doc: ResolverDocument) -> dict[str, tuple[list[str], str | None]]:
    return {m.name: (list(m.contexts), m.default) for m in doc.modifiers.values()}


def values(doc: ResolverDocument, given: dict[str, str]) -> dict[str, Any]:
    """Resolve ``doc`` for the input ``given``: flatten the layers, then resolve."""
    selection = normalise_input(modifiers_of(doc), given)
    out, errs = resolve(flatten(doc.layers(selection)))
    assert errs == []
    return {p: t.value for p, t in out.items()}


BASE = {
    "color": {
        "$type": "color",
        "blue": {"$value": "#0000ff"},
        "primary": {"$value": "{color.blue}"},
        "border": {
            "$type": "border",
            "$value": {"color": "{color.primary}", "width": "1px", "style": "solid"},
        },
    },
    "size": {"$type": "dimension", "m": {"$value": "8px"}},
}

RESOLVER = {
    "$schema": "https://www.designtokens.org/schemas/2025.10/resolver.json",
    "version": "2025.10",
    "name": "test system",
    "description": "for tests",
    "sets": {
        "base": {"description": "the base", "sources": [{"$ref": "tokens/base.json"}]},
        "extra": {"sources": [{"size": {"l": {"$value": "{size.m}"}}}]},
    },
    "modifiers": {
        "mode": {
            "description": "colour mode",
            "contexts": {"light": [], "dark": [{"$ref": "tokens/dark.json5"}]},
            "default": "light",
        },
        "contrast": {
            "contexts": {"normal": [{"$ref": "#/sets/extra"}], "high": [{"$ref": "tokens/hc.json"}]}
        },
    },
    "resolutionOrder": [
        {"$ref": "#/sets/base"},
        {"$ref": "#/modifiers/mode"},
        {"type": "set", "name": "inline", "sources": [{"n": {"$type": "number", "$value": 1}}]},
        {
            "type": "modifier",
            "name": "Brand",
            "contexts": {"a": [], "b": [{"color": {"blue": {"$value": "#0000bb"}}}]},
            "default": "a",
        },
        {"$ref": "#/modifiers/contrast"},
    ],
}


@pytest.fixture
def system(tmp_path: Path) -> Path:
    write(tmp_path / "tokens/base.json", BASE)
    write(tmp_path / "tokens/dark.json5", "{color: {blue: {$value: '#000088'}}, // dark\n}")
    write(tmp_path / "tokens/hc.json", {"color": {"primary": {"$value": "#000000"}}})
    return write(tmp_path / "system.resolver.json", RESOLVER)


# --------------------------------------------------------------------------- structure


def test_resolver_document_structure(system: Path) -> None:
    doc = load_resolver(system)
    assert (doc.name, doc.description, doc.version) == ("test system", "for tests", "2025.10")
    assert doc.order == [
        ("set", "base"),
        ("modifier", "mode"),
        ("set", "inline"),
        ("modifier", "Brand"),
        ("modifier", "contrast"),
    ]
    assert doc.sets["base"].description == "the base"
    assert set(doc.sets["base"].document.tokens) == {
        "color.blue",
        "color.primary",
        "color.border",
        "size.m",
    }
    assert modifiers_of(doc) == {
        "mode": (["light", "dark"], "light"),
        "Brand": (["a", "b"], "a"),
        "contrast": (["normal", "high"], None),
    }
    assert doc.modifiers["mode"].description == "colour mode"
    assert doc.sets["inline"].document.tokens["n"].value == 1
    # a file source keeps its own file name; an inline one names the resolver document
    assert doc.sets["base"].document.tokens["color.blue"].file.endswith("base.json")
    assert doc.modifiers["mode"].contexts["dark"].tokens["color.blue"].file.endswith("dark.json5")
    inline = doc.sets["inline"].document.tokens["n"]
    assert (inline.file, inline.pointer) == (str(system), "/resolutionOrder/2/sources/0/n")
    extra = doc.modifiers["contrast"].contexts["normal"].tokens["size.l"]
    assert (extra.file, extra.pointer) == (str(system), "/sets/extra/sources/0/size/l")


RESOLUTION_CASES = [
    pytest.param({"contrast": "normal"}, "color.primary", "#0000ff", id="resolver-6.1-defaults"),
    pytest.param(
        {"contrast": "normal"}, "size.l", "8px", id="resolver-4.1.5.1-context-references-set"
    ),
    pytest.param({"contrast": "normal"}, "n", 1, id="resolver-4.1.6.1-inline-set"),
    pytest.param(
        {"contrast": "normal", "mode": "dark"},
        "color.blue",
        "#000088",
        id="resolver-6.2-later-layer-wins",
    ),
    pytest.param(
        {"contrast": "normal", "mode": "dark"},
        "color.primary",
        "#000088",
        id="resolver-6.3-flatten-then-resolve",
    ),
    pytest.param(
        {"contrast": "normal", "mode": "dark"},
        "color.border",
        {"color": "#000088", "width": "1px", "style": "solid"},
        id="resolver-6.3-flatten-then-resolve-inside-composite",
    ),
    pytest.param(
        {"contrast": "normal", "mode": "dark", "Brand": "b"},
        "color.primary",
        "#0000bb",
        id="resolver-6.2-order-inline-modifier-after-mode",
    ),
    pytest.param(
        {"contrast": "high", "mode": "dark"},
        "color.primary",
        "#000000",
        id="resolver-6.2-token-replaced-whole",
    ),
    pytest.param(
        {"contrast": "high", "mode": "dark"},
        "color.border",
        {"color": "#000000", "width": "1px", "style": "solid"},
        id="resolver-6.3-alias-follows-overridden-alias",
    ),
]


@pytest.mark.parametrize(("given", "path", "expected"), RESOLUTION_CASES)
def test_resolver_resolution(system: Path, given: dict[str, str], path: str, expected: Any) -> None:
    assert values(load_resolver(system), given)[path] == expected


def test_resolver_4_1_context_without_a_set_lacks_its_tokens(system: Path) -> None:
    out = values(load_resolver(system), {"contrast": "high"})
    assert "size.l" not in out
    assert out["size.m"] == "8px"


def test_resolver_4_2_types_survive_flattening(system: Path) -> None:
    doc = load_resolver(system)
    selection = normalise_input(modifiers_of(doc), {"contrast": "high", "mode": "dark"})
    out, _ = resolve(flatten(doc.layers(selection)))
    # the dark and high-contrast files have no $type: the base file's group type applies
    assert out["color.blue"].type == "color"
    assert out["color.primary"].type == "color"
    assert out["color.primary"].node.file.endswith("hc.json")


def test_resolver_layers_are_in_resolution_order(system: Path) -> None:
    doc = load_resolver(system)
    layers = doc.layers({"mode": "dark", "Brand": "b", "contrast": "high"})
    assert layers == [
        doc.sets["base"].document,
        doc.modifiers["mode"].contexts["dark"],
        doc.sets["inline"].document,
        doc.modifiers["Brand"].contexts["b"],
        doc.modifiers["contrast"].contexts["high"],
    ]


def test_resolver_ref_relative_to_the_document(tmp_path: Path) -> None:
    write(tmp_path / "tokens/a.json", {"a": {"$value": 1}})
    write(tmp_path / "tokens/sub/b.json", {"b": {"$value": "{a}"}})
    resolver = {
        "version": "2025.10",
        "sets": {
            "s": {"sources": [{"$ref": "../tokens/a.json"}, {"$ref": "../tokens/sub/b.json"}]}
        },
        "resolutionOrder": [{"$ref": "#/sets/s"}],
    }
    # a sibling folder is outside the document's own folder: allowed only when asked
    doc = load_resolver(
        write(tmp_path / "themes/r.resolver.json", resolver), allow_outside_refs=True
    )
    assert values(doc, {}) == {"a": 1, "b": 1}


def test_resolver_ref_is_percent_decoded(tmp_path: Path) -> None:
    """A file ``$ref`` is a URI reference (RFC 3986): spaces and UTF-8 come %-encoded."""
    write(tmp_path / "tokens/Color Light.Mode 1.json", {"a": {"$value": 1}})
    write(tmp_path / "tokens/Thème sombre.json", {"b": {"$value": "{a}"}})
    resolver = {
        "version": "2025.10",
        "sets": {
            "s": {
                "sources": [
                    {"$ref": "tokens/Color%20Light.Mode%201.json"},
                    {"$ref": "tokens/Th%C3%A8me%20sombre.json"},
                ]
            }
        },
        "resolutionOrder": [{"$ref": "#/sets/s"}],
    }
    doc = load_resolver(write(tmp_path / "r.resolver.json", resolver))
    assert values(doc, {}) == {"a": 1, "b": 1}


@pytest.mark.parametrize(
    ("ref", "fragment"),
    [
        pytest.param("%2e%2e/secret.json", "outside the folder", id="rfc3986-encoded-dot-dot"),
        pytest.param("..%2Fsecret.json", "outside the folder", id="rfc3986-encoded-slash"),
        pytest.param("%2F%2Fhost/x.json", "is a URL", id="rfc3986-encoded-network-path"),
        pytest.param("a%00.json", "not a file name", id="rfc3986-encoded-nul"),
        pytest.param("%C3%28.json", "not UTF-8", id="rfc3986-invalid-utf8"),
    ],
)
def test_resolver_percent_decoded_ref_still_refused(
    tmp_path: Path, ref: str, fragment: str
) -> None:
    write(tmp_path / "secret.json", {"s": {"$value": 1}})
    resolver = {
        "sets": {"s": {"sources": [{"$ref": ref}]}},
        "resolutionOrder": [{"$ref": "#/sets/s"}],
    }
    with pytest.raises(DTCGErrorGroup) as info:
        load_resolver(write(tmp_path / "doc/r.resolver.json", resolver))
    [err] = info.value.errors
    assert err.code == E.FILE_NOT_FOUND
    assert fragment in err.message


# --------------------------------------------------------------------------- inputs (§5)

INPUT_CASES = [
    pytest.param(
        {"contrast": "normal"},
        {"mode": "light", "Brand": "a", "contrast": "normal"},
        id="resolver-6.1-defaults-filled-in",
    ),
    pytest.param(
        {"MODE": "Dark", "Contrast": "HIGH", "brand": "B"},
        {"mode": "dark", "Brand": "b", "contrast": "high"},
        id="resolver-5.1-case-insensitive",
    ),
]


@pytest.mark.parametrize(("given", "expected"), INPUT_CASES)
def test_resolver_5_inputs(system: Path, given: dict[str, str], expected: dict[str, str]) -> None:
    assert normalise_input(modifiers_of(load_resolver(system)), given) == expected


INPUT_ERROR_CASES = [
    pytest.param(
        {"contrast": "normal", "theme": "dark"},
        E.UNKNOWN_MODIFIER,
        ["theme", "mode", "Brand", "contrast"],
        id="resolver-6.1-unknown-modifier",
    ),
    pytest.param(
        {"contrast": "normal", "mode": "dim"},
        E.UNKNOWN_CONTEXT,
        ["dim", "mode", "light", "dark"],
        id="resolver-6.1-unknown-context",
    ),
    pytest.param(
        {}, E.MISSING_INPUT, ["contrast", "normal", "high"], id="resolver-6.1-missing-input"
    ),
]


@pytest.mark.parametrize(("given", "code", "names"), INPUT_ERROR_CASES)
def test_resolver_5_input_errors(
    system: Path, given: dict[str, str], code: str, names: list[str]
) -> None:
    with pytest.raises(DTCGErrorGroup) as info:
        normalise_input(modifiers_of(load_resolver(system)), given)
    assert [e.code for e in info.value.errors] == [code]
    for name in names:
        assert name in info.value.errors[0].message


def test_resolver_5_all_input_errors_reported_together(system: Path) -> None:
    with pytest.raises(DTCGErrorGroup) as info:
        normalise_input(modifiers_of(load_resolver(system)), {"theme": "x", "mode": "dim"})
    assert sorted(e.code for e in info.value.errors) == sorted(
        [E.UNKNOWN_MODIFIER, E.UNKNOWN_CONTEXT, E.MISSING_INPUT]
    )


def test_resolver_5_no_modifiers() -> None:
    assert normalise_input({}, {}) == {}
    with pytest.raises(DTCGErrorGroup) as info:
        normalise_input({}, {"mode": "dark"})
    assert info.value.errors[0].code == E.UNKNOWN_MODIFIER


# --------------------------------------------------------------------------- malformed documents

OK_SET = {"s": {"sources": [{"t": {"$value": 1}}]}}

INVALID_RESOLVER_CASES = [
    pytest.param(
        {"modifiers": {"m": {"contexts": {}}}, "resolutionOrder": [{"$ref": "#/modifiers/m"}]},
        "/modifiers/m/contexts",
        "no contexts",
        id="resolver-4.1.5.1-modifier-without-contexts",
    ),
    pytest.param(
        {"modifiers": {"m": {"default": "a"}}, "resolutionOrder": [{"$ref": "#/modifiers/m"}]},
        "/modifiers/m/contexts",
        "no contexts",
        id="resolver-4.1.5.1-modifier-contexts-missing",
    ),
    pytest.param(
        {
            "modifiers": {"m": {"contexts": {"a": [], "b": []}, "default": "c"}},
            "resolutionOrder": [{"$ref": "#/modifiers/m"}],
        },
        "/modifiers/m/default",
        "'c'",
        id="resolver-4.1.5.3-default-not-a-context",
    ),
    pytest.param(
        {"sets": OK_SET, "resolutionOrder": [{"$ref": "#/sets/nope"}]},
        "/resolutionOrder/0",
        "#/sets/nope",
        id="resolver-4.2.1-ref-to-missing-set",
    ),
    pytest.param(
        {"sets": OK_SET, "resolutionOrder": [{"$ref": "#/modifiers/nope"}]},
        "/resolutionOrder/0",
        "#/modifiers/nope",
        id="resolver-4.2.1-ref-to-missing-modifier",
    ),
    pytest.param(
        {"sets": OK_SET, "resolutionOrder": [{"$ref": "#/other/s"}]},
        "/resolutionOrder/0",
        "#/other/s",
        id="resolver-4.2.1-ref-outside-sets-and-modifiers",
    ),
    pytest.param(
        {"sets": [], "resolutionOrder": [{"$ref": "#/sets/s"}]},
        "/resolutionOrder/0",
        "#/sets/s",
        id="resolver-4.1.4-sets-not-an-object",
    ),
    pytest.param(
        {"sets": OK_SET, "resolutionOrder": []},
        "/resolutionOrder",
        "non-empty",
        id="resolver-4.1.6-empty-order",
    ),
    pytest.param(
        {"sets": OK_SET}, "/resolutionOrder", "non-empty", id="resolver-4.1.6-missing-order"
    ),
    pytest.param(
        {"resolutionOrder": ["#/sets/s"]},
        "/resolutionOrder/0",
        "object",
        id="resolver-4.1.6-item-not-an-object",
    ),
    pytest.param(
        {"resolutionOrder": [{"type": "set", "sources": []}]},
        "/resolutionOrder/0",
        "name",
        id="resolver-4.1.6.1-inline-item-without-name",
    ),
    pytest.param(
        {"resolutionOrder": [{"type": "theme", "name": "x"}]},
        "/resolutionOrder/0",
        "type",
        id="resolver-4.1.6.1-inline-item-bad-type",
    ),
    pytest.param(
        {"sets": OK_SET, "resolutionOrder": [{"$ref": "#/sets/s"}, {"$ref": "#/sets/s"}]},
        "/resolutionOrder/1",
        "twice",
        id="resolver-4.1.6.1-set-twice",
    ),
    pytest.param(
        {"sets": {"s": {"sources": {"$ref": "a.json"}}}, "resolutionOrder": [{"$ref": "#/sets/s"}]},
        "/sets/s/sources",
        "list",
        id="resolver-4.1.4-sources-not-a-list",
    ),
    pytest.param(
        {"sets": {"s": {"sources": ["a.json"]}}, "resolutionOrder": [{"$ref": "#/sets/s"}]},
        "/sets/s/sources/0",
        "object",
        id="resolver-4.1.4-source-not-an-object",
    ),
    pytest.param(
        {
            "sets": {"s": {"sources": [{"$ref": "#/sets/nope"}]}},
            "resolutionOrder": [{"$ref": "#/sets/s"}],
        },
        "/sets/s/sources/0",
        "#/sets/nope",
        id="resolver-4.1.4-source-ref-to-missing-set",
    ),
    pytest.param(
        {
            "modifiers": {"m": {"contexts": {"a": []}}},
            "sets": {"s": {"sources": [{"$ref": "#/modifiers/m"}]}},
            "resolutionOrder": [{"$ref": "#/sets/s"}],
        },
        "/sets/s/sources/0",
        "#/modifiers/m",
        id="resolver-4.1.4-source-ref-to-modifier",
    ),
    pytest.param(
        {
            "sets": {"s": {"sources": [{"$ref": "#/sets/s"}]}},
            "resolutionOrder": [{"$ref": "#/sets/s"}],
        },
        "/sets/s/sources/0",
        "itself",
        id="resolver-4.1.4-set-includes-itself",
    ),
    pytest.param(
        {
            "sets": {
                "a": {"sources": [{"$ref": "#/sets/b"}]},
                "b": {"sources": [{"$ref": "#/sets/a"}]},
            },
            "resolutionOrder": [{"$ref": "#/sets/a"}],
        },
        "/sets/b/sources/0",
        "itself",
        id="resolver-4.1.4-sets-include-each-other",
    ),
]


@pytest.mark.parametrize(("resolver", "pointer", "fragment"), INVALID_RESOLVER_CASES)
def test_resolver_invalid_documents(
    tmp_path: Path, resolver: dict[str, Any], pointer: str, fragment: str
) -> None:
    path = write(tmp_path / "bad.resolver.json", {"version": "2025.10", **resolver})
    with pytest.raises(DTCGErrorGroup) as info:
        load_resolver(path)
    errs = info.value.errors
    assert [(e.code, e.file, e.pointer) for e in errs] == [(E.INVALID_RESOLVER, str(path), pointer)]
    assert fragment in errs[0].message


def test_resolver_every_problem_reported(tmp_path: Path) -> None:
    resolver = {
        "modifiers": {"m": {"contexts": {}}, "n": {"contexts": {"a": []}, "default": "z"}},
        "sets": {"s": {"sources": [{"$ref": "missing.json"}, {"a.b": {"$value": 1}}]}},
        "resolutionOrder": [
            {"$ref": "#/modifiers/m"},
            {"$ref": "#/modifiers/n"},
            {"$ref": "#/sets/s"},
            {"$ref": "#/sets/nope"},
        ],
    }
    path = write(tmp_path / "r.json", resolver)
    with pytest.raises(DTCGErrorGroup) as info:
        load_resolver(path)
    assert sorted(e.code for e in info.value.errors) == sorted(
        [E.INVALID_RESOLVER] * 3 + [E.FILE_NOT_FOUND, E.INVALID_NAME]
    )


def test_resolver_file_not_found_names_the_file(tmp_path: Path) -> None:
    resolver = {
        "sets": {"s": {"sources": [{"$ref": "tokens/missing.json"}]}},
        "resolutionOrder": [{"$ref": "#/sets/s"}],
    }
    path = write(tmp_path / "r.json", resolver)
    with pytest.raises(DTCGErrorGroup) as info:
        load_resolver(path)
    [err] = info.value.errors
    assert err.code == E.FILE_NOT_FOUND
    assert err.file == str(tmp_path / "tokens" / "missing.json")
    assert "missing.json" in str(err)
    assert "/sets/s/sources/0" in err.message  # where it was referenced


def test_resolver_invalid_json_in_a_source(tmp_path: Path) -> None:
    write(tmp_path / "broken.json", "{a: ")
    resolver = {
        "sets": {"s": {"sources": [{"$ref": "broken.json"}]}},
        "resolutionOrder": [{"$ref": "#/sets/s"}],
    }
    with pytest.raises(DTCGErrorGroup) as info:
        load_resolver(write(tmp_path / "r.json", resolver))
    assert [(e.code, e.file) for e in info.value.errors] == [
        (E.INVALID_JSON, str(tmp_path / "broken.json"))
    ]


def test_resolver_invalid_name_in_a_source_file(tmp_path: Path) -> None:
    write(tmp_path / "t.json", {"g": {"{x}": {"$value": 1}}})
    resolver = {
        "sets": {"s": {"sources": [{"$ref": "t.json"}]}},
        "resolutionOrder": [{"$ref": "#/sets/s"}],
    }
    with pytest.raises(DTCGErrorGroup) as info:
        load_resolver(write(tmp_path / "r.json", resolver))
    assert [(e.code, e.file, e.pointer, e.path) for e in info.value.errors] == [
        (E.INVALID_NAME, str(tmp_path / "t.json"), "/g/{x}", "g.{x}")
    ]


@pytest.mark.parametrize(
    ("content", "code"),
    [
        pytest.param(None, E.FILE_NOT_FOUND, id="resolver-3.1-document-missing"),
        pytest.param("{resolutionOrder: ", E.INVALID_JSON, id="resolver-3.1-document-invalid-json"),
        pytest.param("[1]", E.INVALID_RESOLVER, id="resolver-3.1-document-not-an-object"),
    ],
)
def test_resolver_document_itself_unreadable(
    tmp_path: Path, content: str | None, code: str
) -> None:
    path = tmp_path / "r.resolver.json"
    if content is not None:
        write(path, content)
    with pytest.raises(DTCGErrorGroup) as info:
        load_resolver(path)
    assert [(e.code, e.file) for e in info.value.errors] == [(code, str(path))]


# --------------------------------------------------------------------------- load_token_file


def test_load_token_file(tmp_path: Path) -> None:
    path = write(tmp_path / "tokens.json", BASE)
    doc = load_token_file(path)
    assert doc.order == [("set", "base")]
    assert doc.modifiers == {}
    assert (doc.name, doc.version) == ("tokens", "2025.10")
    out = values(doc, {})
    assert out["color.primary"] == "#0000ff"
    assert out["color.border"]["color"] == "#0000ff"


@pytest.mark.parametrize(
    ("content", "code", "pointer"),
    [
        pytest.param(None, E.FILE_NOT_FOUND, "", id="token-file-missing"),
        pytest.param("{a: {$value: 1", E.INVALID_JSON, "", id="token-file-invalid-json5"),
        pytest.param(
            '{"a": {"$b": {"$value": 1}}}', E.INVALID_NAME, "/a/$b", id="token-file-invalid-name"
        ),
    ],
)
def test_load_token_file_errors(
    tmp_path: Path, content: str | None, code: str, pointer: str
) -> None:
    path = tmp_path / "t.json"
    if content is not None:
        write(path, content)
    with pytest.raises(DTCGErrorGroup) as info:
        load_token_file(path)
    assert [(e.code, e.file, e.pointer) for e in info.value.errors] == [(code, str(path), pointer)]


def test_load_token_file_strict_rejects_json5(tmp_path: Path) -> None:
    path = write(tmp_path / "t.json5", "{a: {$value: 1}}")
    assert set(load_token_file(path).sets["base"].document.tokens) == {"a"}
    with pytest.raises(DTCGErrorGroup) as info:
        load_token_file(path, strict=True)
    assert info.value.errors[0].code == E.INVALID_JSON


def test_load_problems_collected_with_the_partial_document(tmp_path: Path) -> None:
    resolver = {
        "version": "2025.10",
        "modifiers": {"m": {"contexts": {}}},
        "sets": {
            "s": {
                "sources": [
                    {"$ref": "missing.json"},
                    {"c": {"$bad": {"$value": 1}, "a": {"$value": "{c.a}"}}},
                ]
            }
        },
        "resolutionOrder": [{"$ref": "#/modifiers/m"}, {"$ref": "#/sets/s"}],
    }
    path = write(tmp_path / "r.json", resolver)
    problems: list[Any] = []
    doc = load_resolver(path, problems=problems)
    assert sorted(e.code for e in problems) == [
        E.FILE_NOT_FOUND,
        E.INVALID_NAME,
        E.INVALID_RESOLVER,
    ]
    assert doc.order == [("set", "s")]  # the modifier without contexts is left out
    _, errs = resolve(flatten(doc.layers({})))
    assert [e.code for e in errs] == [E.CIRCULAR_REFERENCE]  # reportable in the same run


def test_load_token_file_problems_collected(tmp_path: Path) -> None:
    path = write(tmp_path / "t.json", {"c": {"$bad": {"$value": 1}, "ok": {"$value": 2}}})
    problems: list[Any] = []
    doc = load_token_file(path, problems=problems)
    assert [e.code for e in problems] == [E.INVALID_NAME]
    assert set(doc.sets["base"].document.tokens) == {"c.ok"}

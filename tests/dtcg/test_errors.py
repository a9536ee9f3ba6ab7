"""The error catalogue (``graphql_api.dtcg.errors``): stable codes, documented, located.

Every code the engine can report is a constant of the module, listed in
``CODES`` and documented in the module docstring (the catalogue the README
cites); every error carries its code, file, JSON Pointer, path and message.
"""

from __future__ import annotations

import re

import pytest

from graphql_api.dtcg import errors as E  # noqa: N812 - the engine's own alias
from graphql_api.dtcg import parse, types
from graphql_api.dtcg.errors import DTCGError, DTCGErrorGroup, pointer_join, pointer_parts

CONSTANTS = {
    k: v
    for k, v in vars(E).items()
    if re.fullmatch(r"[A-Z_]+", k) and k not in {"CODES", "TYPE_CHECKING"}
}


def test_every_code_is_a_constant_named_like_its_value() -> None:
    assert {c: c for c in E.CODES} == CONSTANTS
    assert len(set(E.CODES)) == len(E.CODES)


@pytest.mark.parametrize("code", E.CODES)
def test_every_code_is_documented_in_the_catalogue(code: str) -> None:
    assert E.__doc__ is not None
    assert f"``{code}``" in E.__doc__


def test_codes_that_existed_before_are_kept() -> None:
    kept = {
        "INVALID_JSON",
        "FILE_NOT_FOUND",
        "INVALID_NAME",
        "INVALID_NODE",
        "INVALID_VALUE",
        "CIRCULAR_REFERENCE",
        "UNRESOLVABLE_REFERENCE",
        "GROUP_REFERENCE",
        "TYPE_MISMATCH",
        "INVALID_RESOLVER",
        "UNKNOWN_MODIFIER",
        "UNKNOWN_CONTEXT",
        "MISSING_INPUT",
    }
    assert kept <= set(E.CODES)


def test_error_text_and_dict() -> None:
    err = DTCGError(E.TYPE_MISMATCH, "declared color", "a.json", "/x/y", "x.y")
    assert str(err) == "[TYPE_MISMATCH] token x.y, a.json#/x/y: declared color"
    assert err.as_dict() == {
        "code": "TYPE_MISMATCH",
        "message": "declared color",
        "file": "a.json",
        "pointer": "/x/y",
        "path": "x.y",
    }
    group = DTCGErrorGroup([err, err])
    assert str(group).startswith("2 problems found\n  [TYPE_MISMATCH]")


@pytest.mark.parametrize(
    ("segments", "pointer"),
    [
        pytest.param(["a", "b"], "/a/b", id="rfc6901-plain"),
        pytest.param(["a/b", "c~d"], "/a~1b/c~0d", id="rfc6901-escapes"),
        pytest.param(["~1"], "/~01", id="rfc6901-tilde-one-literal"),
        pytest.param(["", "0"], "//0", id="rfc6901-empty-segment"),
    ],
)
def test_rfc6901_pointers_round_trip(segments: list[str], pointer: str) -> None:
    assert pointer_join("", *segments) == pointer
    assert pointer_parts(pointer) == segments
    assert pointer_parts("#" + pointer) == segments


def test_non_standard_forms_are_listed_where_the_readme_cites_them() -> None:
    for module in (parse, types):
        assert module.__doc__ is not None
        assert "rejected" in module.__doc__
        assert "strict=True" in module.__doc__

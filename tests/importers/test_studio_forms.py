"""Tokens Studio math, colour modifiers and number-of-dimension, resolved per theme.

Expected values are worked out by hand (arithmetic in the comments) or, for colour
modifiers, were produced by ``@tokens-studio/sd-transforms`` 2.0.3 (``modifyColor`` on
colorjs.io) with Node 22, not by this project.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pytest

from graphql_api.dtcg import errors as E  # noqa: N812 - the engine's own alias
from graphql_api.dtcg.expressions import ExpressionError, evaluate, is_expression
from graphql_api.dtcg.parse import flatten
from graphql_api.dtcg.references import resolve
from graphql_api.dtcg.resolver import load_token_file
from graphql_api.dtcg.validate import validate_document
from graphql_api.importers import load_tokens_studio
from tests.importers.helpers import values
from tests.real_world_compare import compare

if TYPE_CHECKING:
    from pathlib import Path

    from flask.testing import FlaskCliRunner


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("floor(14 / 3 * 3)", 14),  # exact: 14/3 * 3 = 14, floats give 13.999…
        ("8px * 2", "16px"),
        ("2px + 4px", "6px"),
        ("16px / 2px", "8px"),  # px is a label: sd-transforms gives 8px
        ("(1rem + 0.5rem) / 2", "0.75rem"),
        ("-2^2", -4),  # ^ binds tighter than unary minus (expr-eval)
        ("roundTo(16 / 1.2^3, 0)", 9),  # 16 / 1.728 = 9.259…
        ("min(4, 2, 8) + max(1, abs(-3))", 5),
        ("ceil(1.2) + round(2.5) + round(-2.5)", 3),  # 2 + 3 + -2 (Math.round)
        ("1 / 3", 0.3333),  # 4 decimals, sd-transforms' mathFractionDigits
    ],
)
def test_evaluate(text: str, expected: Any) -> None:
    assert evaluate(text).json() == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1 / (2 - 2)", "division by zero"),
        ("2rem + 2em", "mixes the units em, rem"),
        ("rgba(0, 0, 0, 0.5)", "unknown name 'rgba'"),
        ("(1 + 2", r"expected '\)'"),
        ("2 ^ 1000", "exponent"),
        ("(" * 60 + "1" + ")" * 60, "nested deeper"),
    ],
)
def test_bad_expressions(text: str, message: str) -> None:
    with pytest.raises(ExpressionError, match=message):
        evaluate(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("{a} * 2", True),
        ("floor({a} / 0)", True),
        ("-4px", False),
        ("16", False),
        ("Inter, sans-serif", False),
        ("rgba({c}, 0.5)", False),
        ("ease-in-out", False),
    ],
)
def test_is_expression(text: str, expected: bool) -> None:
    assert is_expression(text) is expected


def _export(tmp_path: Path, sets: dict[str, Any], themes: list[dict[str, Any]]) -> Path:
    for name, data in sets.items():
        (tmp_path / f"{name}.json").write_text(json.dumps(data), encoding="utf-8")
    (tmp_path / "$themes.json").write_text(json.dumps(themes), encoding="utf-8")
    (tmp_path / "$metadata.json").write_text(json.dumps({"tokenSetOrder": list(sets)}))
    return tmp_path


def _theme(name: str, *sets: str) -> dict[str, Any]:
    return {"name": name, "group": "mode", "selectedTokenSets": dict.fromkeys(sets, "enabled")}


MATH_SETS = {
    "core": {
        "size": {
            "third": {"value": "{size.base} / 3", "type": "sizing"},
            "unit": {"value": "floor({size.third} * 3)", "type": "sizing"},
            "double": {"value": "{size.base} * 2", "type": "spacing"},
            "rem": {"value": "{size.step} * 2", "type": "spacing"},
            "ratio": {"value": "{size.base}", "type": "number"},
        },
        "font": {
            "body": {
                "value": {"fontFamily": "Inter", "fontSize": "{size.base} * 1.5"},
                "type": "typography",
            }
        },
    },
    "small": {
        "size": {
            "base": {"value": "14", "type": "sizing"},
            "step": {"value": "0.5rem", "type": "spacing"},
        }
    },
    "large": {
        "size": {
            "base": {"value": "16", "type": "sizing"},
            "step": {"value": "1rem", "type": "spacing"},
        }
    },
}


def test_math_is_evaluated_per_theme_after_flattening(tmp_path: Path) -> None:
    path = _export(
        tmp_path, MATH_SETS, [_theme("small", "core", "small"), _theme("large", "core", "large")]
    )
    doc = load_tokens_studio(path)
    assert validate_document(doc) == []
    small, large = values(doc, {"mode": "small"}), values(doc, {"mode": "large"})
    # 14 / 3 = 4.6667 (4 decimals), floor(4.6667 * 3) = floor(14.0001) = 14
    assert (small["size.third"], small["size.unit"]) == ("4.6667px", "14px")
    assert (large["size.double"], large["size.rem"]) == ("32px", "2rem")
    assert small["size.rem"] == "1rem"
    assert small["font.body"]["fontSize"] == "21px"  # 14 * 1.5
    assert (small["size.ratio"], large["size.ratio"]) == (14, 16)  # a number of a dimension


def test_strict_keeps_refusing_math(tmp_path: Path) -> None:
    size = {
        "base": {"value": "16", "type": "sizing"},
        "double": {"value": "{size.base} * 2", "type": "sizing"},
    }
    sets = {"core": {"size": size}}
    path = _export(tmp_path, sets, [_theme("only", "core")])
    problems: list[E.DTCGError] = []
    load_tokens_studio(path, strict=True, problems=problems)
    assert (E.INVALID_VALUE, "size.double") in {(e.code, e.path) for e in problems}
    assert validate_document(load_tokens_studio(path)) == []


def test_number_aliasing_a_dimension_is_its_number_unless_strict(tmp_path: Path) -> None:
    file = tmp_path / "tokens.json"
    file.write_text(
        json.dumps(
            {
                "base": {"$type": "dimension", "$value": {"value": 16, "unit": "px"}},
                "ratio": {"$type": "number", "$value": "{base}"},
            }
        )
    )
    doc = load_token_file(file)
    assert validate_document(doc) == []
    assert resolve(flatten(doc.layers({})))[0]["ratio"].value == 16
    [err] = validate_document(load_token_file(file, strict=True), strict=True)
    assert (err.code, err.path) == (E.TYPE_MISMATCH, "ratio")


def test_a_bad_expression_names_token_file_and_pointer(tmp_path: Path) -> None:
    sets = {
        "core": {
            "size": {
                "zero": {"value": "0", "type": "sizing"},
                "bad": {"value": "8 / {size.zero}", "type": "sizing"},
            }
        }
    }
    path = _export(tmp_path, sets, [_theme("only", "core")])
    [err] = validate_document(load_tokens_studio(path))
    assert (err.code, err.path, err.file, err.pointer) == (
        E.INVALID_VALUE,
        "size.bad",
        str(path / "core.json"),
        "/size/bad",
    )
    assert "division by zero" in err.message


# Produced by sd-transforms 2.0.3 modifyColor (colorjs.io 0.5) on Node 22.23.3.
MODIFIED = [
    ("lighten", "srgb", "0.2", None, "rgb(80.549% 40.706% 40.706%)"),
    ("darken", "srgb", "0.2", None, "rgb(60.549% 20.706% 20.706%)"),
    ("lighten", "hsl", "0.3", None, "hsl(0 50.598% 65.549%)"),
    ("darken", "hsl", "0.3", None, "hsl(0 50.598% 35.549%)"),
    ("lighten", "lch", "0.5", None, "lch(73.553 29.675 29.704)"),
    ("mix", "srgb", "0.5", "#ffffff", "rgb(87.843% 62.941% 62.941%)"),
    ("alpha", "srgb", "0.4", None, "rgb(75.686% 25.882% 25.882% / 0.4)"),
]


@pytest.mark.parametrize("case", MODIFIED, ids=lambda c: f"{c[0]}-{c[1]}")
def test_colour_modifiers_match_sd_transforms(
    tmp_path: Path, case: tuple[str, str, str, str | None, str]
) -> None:
    kind, space, amount, other, expected = case
    modify = {"type": kind, "value": "{mod.amount}", "space": space}
    if other:
        modify["color"] = other
    sets = {
        "core": {
            "mod": {"amount": {"value": amount, "type": "number"}},
            "base": {"value": "#C14242", "type": "color"},
            "out": {
                "value": "{base}",
                "type": "color",
                "$extensions": {"studio.tokens": {"modify": modify}},
            },
        }
    }
    doc = load_tokens_studio(_export(tmp_path, sets, [_theme("only", "core")]))
    assert validate_document(doc) == []
    assert compare("color", values(doc, {"mode": "only"})["out"], expected) is None


def test_every_problem_of_every_stage_in_one_run(runner: FlaskCliRunner, tmp_path: Path) -> None:
    sets = {
        "core": {
            "size": {
                "base": {"value": "8", "type": "sizing"},
                "bad": {"value": "{size.base} / 0", "type": "sizing"},  # resolve stage
                "after": {"value": "{size.bad} * 2", "type": "sizing"},
            },  # hidden by bad
            "color": {"fg": {"value": "{size.base}", "type": "color"}},  # validate stage
        },
    }
    path = _export(tmp_path, sets, [_theme("only", "core", "broken")])
    (path / "broken.json").write_text('{"c": {"value": ', encoding="utf-8")  # load stage
    result = runner.invoke(args=["tokens", "validate", "--format", "json", str(path)])
    assert result.exit_code == 1
    body = json.loads(result.output)
    got = sorted((e["code"], e["path"] or e["file"].rpartition("/")[2]) for e in body["errors"])
    assert got == [
        (E.INVALID_JSON, "broken.json"),
        (E.INVALID_VALUE, "size.bad"),
        (E.TYPE_MISMATCH, "color.fg"),
    ]
    text = runner.invoke(args=["tokens", "validate", str(path)])
    assert "3 errors" in text.output

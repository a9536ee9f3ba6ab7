"""Arithmetic in token values (Tokens Studio math), evaluated exactly. Not part of DTCG.

Tokens Studio lets a value be an expression over numbers and references:
``"{spacing.sm} * 2"``, ``"2px + 4px"``, ``"floor({size.base} / 3)"``. The
resolver (:mod:`graphql_api.dtcg.references`, lenient mode only) replaces the
references by their CSS text first, per theme combination after flattening, then
calls :func:`evaluate` on the resulting text (``"8px * 2"``).

Semantics are those of ``@tokens-studio/sd-transforms`` (``checkAndEvaluateMath``,
``parseAndReduce``), whose expression parser is ``expr-eval``:

* ``+ - * /``, ``^`` (power, binds tighter than unary minus: ``-2^2`` is -4),
  parentheses, unary minus and plus;
* functions ``floor ceil round trunc abs sign min max sqrt roundTo(x, n)``
  (``round`` and ``roundTo`` round halves up, toward +∞, like JavaScript's ``Math.round``
  under expr-eval);
* units are labels, not dimensions: every operand may carry one (``px``, ``rem``,
  ``em``, ``%``, ``ms``…); ``px`` is ignored in the arithmetic; the result takes the
  one other unit used, else ``px`` when any operand had it, else none (``"16px / 2px"``
  is ``8px``, ``"{rem.1} * 2"`` with ``1rem`` is ``2rem``). Two different units besides
  ``px`` are an error (sd-transforms leaves such text unevaluated);
* the result is rounded to :data:`FRACTION_DIGITS` decimals, half away from zero
  (sd-transforms' default ``mathFractionDigits``).

Arithmetic is exact (:class:`fractions.Fraction`): ``floor(14 / 3 * 3)`` is 14, not
13. Only ``sqrt`` and ``^`` with a non-integer exponent go through floats.

No ``eval``: a small recursive-descent parser. Hostile input: the text is at most
:data:`MAX_LENGTH` characters, nesting at most :data:`MAX_NESTING`, and exponents
are bounded (:data:`MAX_EXPONENT`), so the work and the numbers stay small.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = [
    "FRACTION_DIGITS",
    "EvaluationError",
    "ExpressionError",
    "Quantity",
    "evaluate",
    "is_expression",
]

FRACTION_DIGITS = 4
MAX_LENGTH = 2_000
MAX_NESTING = 50
MAX_EXPONENT = 64
MAX_ROUND_DIGITS = 20
_TOKEN = re.compile(
    r"\s*(?:(?P<num>(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)(?P<unit>[a-zA-Z]+|%)?"
    r"|(?P<name>[a-zA-Z_]\w*)|(?P<op>[-+*/^(),]))"
)
_REFERENCE = re.compile(r"\{[^{}]+\}")


class ExpressionError(ValueError):
    """The text is not an expression this module can evaluate; the message says why."""


class EvaluationError(ExpressionError):
    """A well-formed expression whose arithmetic fails (division by zero, a limit)."""


@dataclass(frozen=True, slots=True)
class Quantity:
    """A result: an exact number and its unit (``""`` for none)."""

    number: Fraction
    unit: str

    def json(self) -> int | float | str:
        """``16`` / ``0.5`` without a unit, ``"16px"`` / ``"1.5rem"`` with one."""
        text = _number_text(self.number)
        if self.unit:
            return f"{text}{self.unit}"
        return int(text) if self.number.denominator == 1 else float(text)


def _number_text(x: Fraction) -> str:
    if x.denominator == 1:
        return str(x.numerator)
    text = format(Decimal(x.numerator) / Decimal(x.denominator), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def is_expression(text: str) -> bool:
    """True when ``text`` is a calculation: well-formed, with an operator or a function call.

    References (``{a.b}``) count as numbers. ``"-4px"``, ``"16"``, ``"Inter, sans-serif"``,
    ``"rgba({c}, 0.5)"`` and ``"ease-in-out"`` are not calculations; ``"{a} * 2"``,
    ``"2px + 4px"`` and ``"floor({a} / 0)"`` (well-formed, fails when evaluated) are.
    """
    if len(text) > MAX_LENGTH or not any(c in text for c in "+-*/^("):
        return False
    parser = None
    try:
        parser = _Parser(_REFERENCE.sub("1", text))
        parser.run()
    except EvaluationError:
        return parser is not None and parser.ops > 0
    except ExpressionError:
        return False
    return parser.ops > 0


def _math_round(x: Fraction, digits: int = 0) -> Fraction:
    """Round half up (toward +∞) to ``digits`` decimals, like JavaScript's ``Math.round``."""
    scaled = x * 10**digits
    return Fraction(math.floor(scaled + Fraction(1, 2)), 10**digits)


def _round(x: Fraction, digits: int = 0) -> Fraction:
    """Round half away from zero to ``digits`` decimals, like JavaScript's ``toFixed``."""
    scaled = x * 10**digits
    whole = math.floor(abs(scaled) + Fraction(1, 2))
    return Fraction(whole if scaled >= 0 else -whole, 10**digits)


def _sqrt(x: Fraction) -> Fraction:
    if x < 0:
        raise EvaluationError("square root of a negative number")
    return Fraction(math.sqrt(x))


def _round_to(x: Fraction, n: Fraction = Fraction(0)) -> Fraction:
    if n.denominator != 1 or not 0 <= n <= MAX_ROUND_DIGITS:
        raise EvaluationError(f"roundTo needs a whole number of decimals, 0 to {MAX_ROUND_DIGITS}")
    return _math_round(x, int(n))


FUNCTIONS: dict[str, tuple[Callable[..., Fraction], int, int]] = {
    "floor": (lambda x: Fraction(math.floor(x)), 1, 1),
    "ceil": (lambda x: Fraction(math.ceil(x)), 1, 1),
    "round": (_math_round, 1, 1),
    "trunc": (lambda x: Fraction(math.trunc(x)), 1, 1),
    "abs": (abs, 1, 1),
    "sign": (lambda x: Fraction((x > 0) - (x < 0)), 1, 1),
    "sqrt": (_sqrt, 1, 1),
    "min": (min, 1, 64),
    "max": (max, 1, 64),
    "roundTo": (_round_to, 1, 2),
}
"""Name → (function of exact numbers, fewest arguments, most arguments)."""


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = self._lex(text)
        self.i = 0
        self.depth = 0
        self.units: set[str] = set()
        self.ops = 0  # binary operators and function calls read so far

    def run(self) -> Fraction:
        if not self.tokens:
            raise ExpressionError("empty expression")
        value = self.sum()
        tok = self.peek()
        if tok is not None:
            raise ExpressionError(f"unexpected {tok[1]!r}")
        return value

    @staticmethod
    def _lex(text: str) -> list[tuple[str, str, str]]:
        out, pos = [], 0
        while pos < len(text):
            if text[pos:].strip() == "":
                break
            m = _TOKEN.match(text, pos)
            if m is None or m.end() == pos:
                raise ExpressionError(f"unexpected {text[pos:].strip()[:20]!r}")
            pos = m.end()
            if m.group("num") is not None:
                out.append(("num", m.group("num"), m.group("unit") or ""))
            elif m.group("name") is not None:
                out.append(("name", m.group("name"), ""))
            else:
                out.append(("op", m.group("op"), ""))
        return out

    def peek(self) -> tuple[str, str, str] | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self, op: str) -> bool:
        tok = self.peek()
        if tok is not None and tok[0] == "op" and tok[1] == op:
            self.i += 1
            return True
        return False

    def expect(self, op: str) -> None:
        if not self.take(op):
            raise ExpressionError(f"expected {op!r}")

    def sum(self) -> Fraction:
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise EvaluationError(f"nested deeper than {MAX_NESTING} levels")
        value = self.product()
        while True:
            if self.take("+"):
                self.ops += 1
                value += self.product()
            elif self.take("-"):
                self.ops += 1
                value -= self.product()
            else:
                self.depth -= 1
                return value

    def product(self) -> Fraction:
        value = self.unary()
        while True:
            if self.take("*"):
                self.ops += 1
                value *= self.unary()
            elif self.take("/"):
                self.ops += 1
                divisor = self.unary()
                if divisor == 0:
                    raise EvaluationError("division by zero")
                value /= divisor
            else:
                return value

    def unary(self) -> Fraction:
        if self.take("-"):
            return -self.unary()
        if self.take("+"):
            return self.unary()
        return self.power()

    def power(self) -> Fraction:
        base = self.primary()
        if not self.take("^"):
            return base
        self.ops += 1
        exponent = self.unary()
        if abs(exponent) > MAX_EXPONENT:
            raise EvaluationError(f"exponent larger than {MAX_EXPONENT}")
        if exponent.denominator == 1:
            if base == 0 and exponent < 0:
                raise EvaluationError("division by zero")
            return base ** int(exponent)
        if base < 0:
            raise EvaluationError("a negative number to a fractional power")
        return Fraction(float(base) ** float(exponent))

    def primary(self) -> Fraction:
        tok = self.peek()
        if tok is None:
            raise ExpressionError("the expression ends too early")
        self.i += 1
        kind, text, unit = tok
        if kind == "num":
            if unit:
                self.units.add(unit)
            return Fraction(text)
        if kind == "name":
            return self.call(text)
        if text == "(":
            value = self.sum()
            self.expect(")")
            return value
        raise ExpressionError(f"unexpected {text!r}")

    def call(self, name: str) -> Fraction:
        if name not in FUNCTIONS:
            raise ExpressionError(f"unknown name {name!r} (functions: {', '.join(FUNCTIONS)})")
        func, least, most = FUNCTIONS[name]
        self.ops += 1
        self.expect("(")
        args = [self.sum()]
        while self.take(","):
            args.append(self.sum())
        self.expect(")")
        if not least <= len(args) <= most:
            raise ExpressionError(f"{name}() takes {least} to {most} arguments, not {len(args)}")
        return func(*args)


def evaluate(text: str) -> Quantity:
    """Evaluate an arithmetic expression whose references are already replaced.

    Args:
        text: e.g. ``"8px * 2"``, ``"floor(4.6667 * 3)"``, ``"(1rem + 0.5rem) / 2"``;
            at most :data:`MAX_LENGTH` characters.

    Returns:
        The exact result rounded to :data:`FRACTION_DIGITS` decimals, with its unit
        (see the module docstring for how units combine).

    Raises:
        ExpressionError: not an expression (unknown name, stray character, unbalanced
            parenthesis), division by zero, two different units besides ``px``, or a
            limit passed.
    """
    if len(text) > MAX_LENGTH:
        raise ExpressionError(f"longer than {MAX_LENGTH} characters")
    parser = _Parser(text)
    value = parser.run()
    others = sorted(parser.units - {"px"})
    if len(others) > 1:
        raise ExpressionError(f"mixes the units {', '.join(others)}")
    unit = others[0] if others else "px" if "px" in parser.units else ""
    return Quantity(_round(value, FRACTION_DIGITS), unit)

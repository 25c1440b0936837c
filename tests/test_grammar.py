"""The value grammar shared by targets and money (nlp.normalize.grammar), its import
graph, and properties of parse_money on any input.

Expected values are worked out by hand from the text.
"""

from __future__ import annotations

import ast
import re
import time
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nlp.errors import ParseError
from nlp.normalize.grammar import (
    COMPARISON_WORDS,
    more_than_step,
    multiplier_value,
    read_numeral,
)
from nlp.normalize.money import fold, parse_money
from nlp.normalize.target import normalize_target

NORMALIZE = Path(__file__).resolve().parent.parent / "nlp" / "normalize"


# -- numerals ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("numeral", "low", "high"),
    [
        ("一千二百", 1200, 1200),
        ("三点五万", 35000, 35000),
        ("几十万", 100_000, 1_000_000),
        ("数十亿", 1_000_000_000, 10_000_000_000),
        ("几万", 10_000, 100_000),
        ("十几", 10, 20),
        ("二十几万", 200_000, 300_000),
        ("三五百", 300, 500),
        ("八九亿", 800_000_000, 900_000_000),
        ("四五千", 4000, 5000),
        ("十七八", 17, 18),
        ("一两万", 10_000, 20_000),
    ],
)
def test_read_numeral(numeral: str, low: int, high: int) -> None:
    assert read_numeral(numeral) == (Decimal(low), Decimal(high))


@pytest.mark.parametrize("numeral", ["几", "数", "九三百", "三三百", "万", "十几几"])
def test_unreadable_numerals(numeral: str) -> None:
    assert read_numeral(numeral) is None


def test_digit_strings_stay_exact() -> None:
    # 二〇二四 is a year written digit by digit, not "二 or 四".
    assert read_numeral("二〇二四") == (Decimal(2024), Decimal(2024))


@pytest.mark.parametrize(
    ("number", "step"),
    [("3000", "1000"), ("10", "10"), ("35", "1"), ("1.5", "0.1"), ("0", None)],
)
def test_more_than_reaches_the_last_written_place(
    number: str, step: str | None
) -> None:
    assert more_than_step(Decimal(number)) == (Decimal(step) if step else None)


def test_multipliers_multiply() -> None:
    assert multiplier_value("千万亿") == 10**15
    assert multiplier_value("k") == 1000
    assert multiplier_value(None) == 1


def test_targets_and_money_share_the_comparison_words() -> None:
    # 不到 and 小于 are bounds in both normalizers (issue 10).
    assert COMPARISON_WORDS["不到"] == COMPARISON_WORDS["小于"] == "<"
    assert normalize_target("不到5%").text == "<5%"
    assert parse_money("小于40万").approx == "at_most"
    assert parse_money("不到1.9万台币").approx == "at_most"


# -- import graph ------------------------------------------------------------------


def _normalize_imports(path: Path) -> set[str]:
    """The nlp.normalize modules a module imports, at any level of its code."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module, *(f"{node.module}.{a.name}" for a in node.names)]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        else:
            continue
        for name in names:
            module = name.removeprefix("nlp.normalize.")
            if (
                name.startswith("nlp.normalize.")
                and (NORMALIZE / f"{module}.py").exists()
            ):
                found.add(module)
    return found


def test_normalize_has_no_import_cycle() -> None:
    graph = {
        path.stem: _normalize_imports(path)
        for path in NORMALIZE.glob("*.py")
        if path.stem != "__init__"
    }
    assert graph["grammar"] <= {"numerals"}
    done: set[str] = set()

    def visit(module: str, stack: tuple[str, ...]) -> None:
        assert module not in stack, f"import cycle: {' -> '.join((*stack, module))}"
        if module in done:
            return
        for imported in graph[module]:
            visit(imported, (*stack, module))
        done.add(module)

    for module in graph:
        visit(module, ())


# -- parse_money on any input ------------------------------------------------------

_ALPHABET = list(
    "0123456789,.， \u3000\t-~至到从万亿千百十元块角分钱多余几数约近不到以上左右含"
    "()（）一二三四五六七八九两零壹贰仟佰拾个美港币人民台欧日韩整%年"
)
_CHINESE_NUMERAL = re.compile(
    "[零〇一二三四五六七八九两壹贰叁肆伍陆柒捌玖拾佰仟十百千几数]"
)


def _significant(value: Decimal) -> str:
    """The digits of ``value`` without sign, point, leading or trailing zeros."""
    return format(abs(value), "f").replace(".", "").strip("0")


def _check_consistent(text: str) -> None:
    """Whatever parse_money returns is consistent; whatever it rejects, it names."""
    try:
        money = parse_money(text)
    except ParseError as err:
        assert repr(text) in str(err)
        return
    if money.value_max is not None:
        assert money.value <= money.value_max
    assert money.text == text.strip()
    assert re.fullmatch("[A-Z]{3}", money.currency)
    assert money.approx in ("exact", "about", "at_least", "at_most")
    if not _CHINESE_NUMERAL.search(text):
        digits = "".join(ch for ch in fold(text) if ch.isdigit())
        assert _significant(money.value) in digits


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=_ALPHABET, max_size=16))
def test_parse_money_is_consistent_on_grammar_characters(text: str) -> None:
    _check_consistent(text)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=24))
def test_parse_money_is_consistent_on_any_text(text: str) -> None:
    _check_consistent(text)


@pytest.mark.parametrize(
    "text",
    ["8500到3千元", "5万到1万元", "几十多万元", "0多元", "-3至5万元"],
)
def test_backward_or_unreadable_ranges_raise(text: str) -> None:
    with pytest.raises(ValueError, match=re.escape(repr(text))):
        parse_money(text)


@pytest.mark.parametrize(
    "text", [" " * 4000, " \t" * 4000, "1" + " " * 4000 + "x", "约" + " \t" * 4000]
)
def test_parse_money_is_linear_on_whitespace(text: str) -> None:
    start = time.perf_counter()
    with pytest.raises(ParseError):
        parse_money(text)
    # Quadratic backtracking took seconds to minutes on these (issue 12).
    assert time.perf_counter() - start < 0.5

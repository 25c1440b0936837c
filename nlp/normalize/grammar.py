"""The value grammar shared by targets, money and the clause splitter.

One place for what a number, a unit, an operator, a range and an approximation look
like in budget documents, so :mod:`nlp.normalize.target` and :mod:`nlp.normalize.money`
read the same text the same way:

- numbers: Arabic digits, Chinese numerals, and the fuzzy ones written as ranges
  (``几十万`` → 10万–100万, ``十几`` → 10–20, ``三五百`` → 300–500, ``八九亿``);
  ``多``/``余`` after a number (``3000多`` → 3000–4000);
- operators: comparison words and signs (不低于, 小于, 不到, ≥, ≧) with the target
  operator they mean, and the money approximation each operator implies;
- ranges: ``-``, ``--``, ``~``, ``至``, ``到`` between two numbers;
- units: multipliers (十 百 千 万 亿 and their products, k, w) and currencies.

This module imports only :mod:`nlp.normalize.numerals`; every other normalizer module
builds on it, so the package's import graph has no cycle.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal

from nlp.normalize.numerals import DIGITS, SMALL_UNITS, parse_chinese_number
from nlp.records import Approx


def alternation(words: Iterable[str]) -> str:
    """A regex alternation of ``words``, longest first so 达到 wins over 达."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


# -- operators ---------------------------------------------------------------------

# Comparison words and the target operator each means (CONTRACT.md "Target text").
COMPARISON_WORDS: dict[str, str] = {
    **dict.fromkeys(("大于等于", "大于或等于", "不低于", "不少于", "不小于"), "≥"),
    **dict.fromkeys(("至少", "最少"), "≥"),
    **dict.fromkeys(("小于等于", "小于或等于", "不高于", "不超过", "不大于"), "≤"),
    **dict.fromkeys(("不多于", "至多", "最多"), "≤"),
    **dict.fromkeys(("高于", "超过", "大于", "多于"), ">"),
    **dict.fromkeys(("低于", "小于", "少于", "不足", "不到"), "<"),
}
SIGN_OPS: dict[str, str] = {
    ">=": "≥", "=>": "≥", "<=": "≤", "=<": "≤", "≥": "≥", "≤": "≤", "≧": "≥",
    "≦": "≤", ">": ">", "<": "<", "=": "=",
}  # fmt: skip
# The money approximation (CONTRACT.md "amount") a comparison implies: a bound that
# includes or excludes the number is still a bound on the amount.
OP_APPROX: dict[str, Approx] = {
    "≥": "at_least",
    ">": "at_least",
    "≤": "at_most",
    "<": "at_most",
    "=": "exact",
}
# Words that only money writes: approximations and bounds of a spoken amount.
MONEY_ONLY_WORDS: dict[str, Approx] = {
    "约为": "about", "大约": "about", "大概": "about", "约": "about",
    "将近": "at_most", "接近": "at_most", "近": "at_most", "最高": "at_most",
    "最低": "at_least", "逾": "at_least",
}  # fmt: skip


def money_approx_words() -> dict[str, Approx]:
    """Every word or sign before an amount, with the approximation it means."""
    words: dict[str, Approx] = {
        word: OP_APPROX[op] for word, op in {**COMPARISON_WORDS, **SIGN_OPS}.items()
    }
    del words["="]  # "=5万元" is no bound, and no amount writes it
    return words | MONEY_ONLY_WORDS


# -- ranges ------------------------------------------------------------------------

# A dash may be doubled (1万元--5万元, 2——3万); full-width forms fold before reading.
RANGE_MARK = r"(?:[-—–−－]{1,2}|[~～〜]|至|到)"


# -- multipliers -------------------------------------------------------------------

MULTIPLIERS: dict[str, int] = {
    "十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000,
    "万": 10_000, "萬": 10_000, "亿": 100_000_000, "億": 100_000_000,
    "k": 1000, "K": 1000, "w": 10_000, "W": 10_000, "ｋ": 1000, "Ｋ": 1000,
    "ｗ": 10_000, "Ｗ": 10_000,
}  # fmt: skip
# After an Arabic number: 万, 亿, their products with 十/百/千 (3千万, 1.5万亿,
# 3千万亿), or a colloquial k/w not starting a word.
MULT = (
    r"(?:[十百千拾佰仟]?(?:[万萬](?:[亿億])?|[亿億])|[十百千拾佰仟]"
    r"|[kKwWｋＫｗＷ](?![A-Za-zＡ-Ｚａ-ｚ]))"
)


def multiplier_value(mult: str | None) -> int:
    """The factor of a multiplier word: 万 → 10000, 千万亿 → 10**15, k → 1000."""
    factor = 1
    for ch in mult or "":
        factor *= MULTIPLIERS[ch]
    return factor


# -- numerals ----------------------------------------------------------------------

CN_DIGIT_CHARS = "零〇○一二三四五六七八九两兩壹贰貳叁參肆伍陆陸柒捌玖幺"
CN_UNIT_CHARS = "十拾百佰千仟万萬亿億"
# 几 and 数 stand for an unknown digit (几十万, 数十亿, 十几).
FUZZY_DIGITS = "几幾数數"
CN_NUMERAL_CHARS = CN_DIGIT_CHARS + CN_UNIT_CHARS + "点點"
# A Chinese numeral starts with a digit or 十 (千万元 alone is no number), or with
# 几/数 right before a unit (数十亿; 数 alone is the word "number").
CN_NUM = (
    rf"(?:[{CN_DIGIT_CHARS}十拾]|[{FUZZY_DIGITS}](?=[{CN_UNIT_CHARS}]))"
    rf"[{CN_NUMERAL_CHARS}几幾]*"
)
# Digits that may stand side by side for "this or that" (三五百, 七八十, 一两万).
_ADJACENT_GAP = 2
_CN_TRAILING_MULT = re.compile(r"[万萬亿億]+$")


def read_numeral(numeral: str) -> tuple[Decimal, Decimal] | None:
    """Read a Chinese numeral, exact or fuzzy, as its lowest and highest value.

    Args:
        numeral: ``"一千二百"``, ``"三点五万"``, ``"几十万"``, ``"十几"``, ``"八九亿"``.

    Returns:
        ``(low, high)``, equal for an exact numeral; None when it does not read.
    """
    exact = _exact_numeral(numeral)
    if exact is not None:
        return exact, exact
    return (
        _leading_fuzzy(numeral) or _trailing_fuzzy(numeral) or _adjacent_digits(numeral)
    )


def _exact_numeral(numeral: str) -> Decimal | None:
    """A numeral with one value, including a decimal one before 万/亿 (三点五万)."""
    if "点" in numeral or "點" in numeral:
        m = _CN_TRAILING_MULT.search(numeral)
        if m:
            base = parse_chinese_number(numeral[: m.start()])
            return None if base is None else base * multiplier_value(m.group())
    return parse_chinese_number(numeral)


def _leading_fuzzy(numeral: str) -> tuple[Decimal, Decimal] | None:
    """``几十万`` / ``数十亿``: some digit times the units, from one to ten times."""
    if numeral[:1] not in FUZZY_DIGITS or len(numeral) < 2:
        return None
    if any(ch not in MULTIPLIERS for ch in numeral[1:]):
        return None
    unit = Decimal(multiplier_value(numeral[1:]))
    return unit, unit * 10


def _trailing_fuzzy(numeral: str) -> tuple[Decimal, Decimal] | None:
    """``十几`` / ``二十几万``: the 几 is the digit below the unit before it."""
    at = max(numeral.find("几"), numeral.find("幾"))
    if at < 1 or numeral[at - 1] not in SMALL_UNITS:
        return None
    tail = numeral[at + 1 :]
    if any(ch not in "万萬亿億" for ch in tail):
        return None
    low = parse_chinese_number(numeral[:at])
    if low is None:
        return None
    scale = multiplier_value(tail)
    step = SMALL_UNITS[numeral[at - 1]]
    return low * scale, (low + step) * scale


def _adjacent_digits(numeral: str) -> tuple[Decimal, Decimal] | None:
    """``三五百`` → 300–500, ``八九亿``, ``十七八``: two digits, this one or that."""
    for i in range(len(numeral) - 1):
        first, second = DIGITS.get(numeral[i]), DIGITS.get(numeral[i + 1])
        if not first or not second or not 0 < second - first <= _ADJACENT_GAP:
            continue
        low = parse_chinese_number(numeral[: i + 1] + numeral[i + 2 :])
        high = parse_chinese_number(numeral[:i] + numeral[i + 1 :])
        if low is not None and high is not None and low < high:
            return low, high
        return None
    return None


def more_than_step(number: Decimal) -> Decimal | None:
    """How far ``多``/``余`` after ``number`` reaches: its last written place.

    ``3000多`` reaches 4000, ``十多`` 20, ``35多`` 36, ``1.5多`` 1.6. None for zero.
    """
    if number <= 0:
        return None
    return Decimal(1).scaleb(number.normalize().as_tuple().exponent)

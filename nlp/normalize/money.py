"""Monetary amounts as written in Chinese budget documents, read exactly.

:func:`parse_money` reads one amount string (a table cell, a phrase) into a
:class:`nlp.records.Money`: Arabic numbers with half- or full-width digits, thousands
separators and OCR spaces (``87, 300. 0 万元``), multipliers 千/万/亿 and their
combinations (``1.5万亿``, ``3千万``, colloquial ``k``/``w``), Chinese numerals in
lower and financial case with 元/圆/块, 角/毛, 分 and 整, ranges, approximation words
and currencies (ISO 4217).

The grammar lives here as compiled regular expressions shared with
:mod:`nlp.normalize.amounts`, which finds amounts in running text. Values are
:class:`decimal.Decimal` in the currency's main unit (yuan for CNY), built from the
digit string, never from a float.

Units: the unit written with the number wins; otherwise ``default_unit`` (the table's
``单位：万元`` line) applies and ``unit_source`` is ``"table"``. A bare number with
neither is rejected: its value would be a guess between 元 and 万元.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from decimal import Decimal

from nlp.errors import ParseError
from nlp.normalize.grammar import (
    CN_DIGIT_CHARS,
    CN_NUM,
    CN_NUMERAL_CHARS,
    CN_UNIT_CHARS,
    FUZZY_DIGITS,
    MULT,
    RANGE_MARK,
    alternation,
    money_approx_words,
    more_than_step,
    multiplier_value,
    read_numeral,
)
from nlp.normalize.numerals import DIGITS
from nlp.records import Approx, Money, UnitSource, money_written_cny

# -- character folding ------------------------------------------------------------

# One character in, one character out, so offsets into the folded text are offsets
# into the original: full-width ASCII, ideographic space, dash and tilde variants,
# and traditional forms of the unit characters.
_FOLD_PAIRS = {chr(0xFF01 + i): chr(0x21 + i) for i in range(94)}
_FOLD_PAIRS.update(
    {
        "\u3000": " ",
        "\u00a0": " ",
        "—": "-",
        "–": "-",
        "−": "-",
        "〜": "~",
        "萬": "万",
        "億": "亿",
        "圓": "圆",
        "塊": "块",
    }
)
# ￥ (U+FFE5) is outside the full-width ASCII block; keep it as the yen/yuan sign.
FOLD_TABLE = str.maketrans(_FOLD_PAIRS)


def fold(text: str) -> str:
    """Fold full-width and variant characters to the forms the grammar reads.

    The result has the same length as ``text``, character for character.
    """
    return text.translate(FOLD_TABLE)


# -- vocabulary -------------------------------------------------------------------

# Currency words written after the number. Longest first matters for the regex.
SUFFIX_CURRENCIES: dict[str, str] = {
    "新加坡元": "SGD", "瑞士法郎": "CHF", "新台币": "TWD", "人民币": "CNY",
    "港元": "HKD", "港币": "HKD", "美元": "USD", "美金": "USD", "欧元": "EUR",
    "日元": "JPY", "日圆": "JPY", "英镑": "GBP", "澳元": "AUD", "澳币": "AUD",
    "韩元": "KRW", "泰铢": "THB", "卢布": "RUB", "加元": "CAD", "加币": "CAD",
    "台币": "TWD", "新币": "SGD", "块钱": "CNY", "元钱": "CNY", "元": "CNY",
    "圆": "CNY", "块": "CNY", "圓": "CNY", "塊": "CNY",
    "RMB": "CNY", "CNY": "CNY", "USD": "USD", "HKD": "HKD", "EUR": "EUR",
    "JPY": "JPY", "GBP": "GBP", "TWD": "TWD", "AUD": "AUD", "KRW": "KRW",
    "THB": "THB", "RUB": "RUB", "CAD": "CAD", "SGD": "SGD", "CHF": "CHF",
}  # fmt: skip
# Currency words that also stand before the number (港币两千九百六十元): the named
# currencies, not the generic 元/块 every currency's amount may end with.
_CURRENCY_NAMES = {
    word: code
    for word, code in SUFFIX_CURRENCIES.items()
    if not word.isascii() and word not in ("块钱", "元钱", "元", "圆", "块", "圓", "塊")
}
# Currency marks written before the number.
PREFIX_CURRENCIES: dict[str, str] = {
    **_CURRENCY_NAMES,
    "RMB": "CNY", "CNY": "CNY", "USD": "USD", "HKD": "HKD",
    "EUR": "EUR", "JPY": "JPY", "GBP": "GBP", "TWD": "TWD", "AUD": "AUD",
    "KRW": "KRW", "THB": "THB", "RUB": "RUB", "CAD": "CAD", "SGD": "SGD",
    "CHF": "CHF", "US$": "USD", "HK$": "HKD", "NT$": "TWD", "S$": "SGD",
    "A$": "AUD", "C$": "CAD", "￥": "CNY", "¥": "CNY", "$": "USD", "€": "EUR",
    "£": "GBP", "₩": "KRW", "＄": "USD",
}  # fmt: skip
# CONTRACT.md: about (约, 左右, 余, 多), at_least (以上, 不低于, 至少),
# at_most (以内, 不超过, 近, 不到); the comparison words are the targets'.
PREFIX_APPROX: dict[str, Approx] = money_approx_words()
SUFFIX_APPROX: dict[str, Approx] = {
    "左右": "about", "上下": "about", "以上": "at_least", "以下": "at_most",
    "以内": "at_most", "之内": "at_most",
}  # fmt: skip
JIAO_UNITS = frozenset("角毛")
# Measures that are not money: a number with 万/亿 followed by one of these counts
# area, length, people or goods (106.4万m², 12.5万公里, 3.2万人次), and a column
# headed by one holds no money. Single measure words, then the longer unit words
# and the Latin and squared symbols that follow a number (m², km, kW, t).
MEASURE_CHARS = frozenset(
    "人户件套个名次份栋台辆亩平米吨张本册家所场项批位条间株棵只头支篇字号级倍期"
)
MEASURE_WORDS = (
    "公里", "千米", "公顷", "千瓦", "兆瓦", "平方", "立方", "千克", "公斤", "标箱",
    "标准箱", "延米", "床位", "座", "处", "盏", "羽", "尾",
)  # fmt: skip
MEASURE_SYMBOLS = "㎡㎞㎥㎏㎾℃°"
_MEASURE_CJK = (
    rf"[{''.join(sorted(MEASURE_CHARS))}{MEASURE_SYMBOLS}]|{'|'.join(MEASURE_WORDS)}"
)
# After a bare 万/亿 any Latin letter is a measure (m², km, kW): a currency code
# there is read as the amount's unit by the grammar before this is asked.
MEASURE_UNIT_RE = re.compile(rf"{_MEASURE_CJK}|[A-Za-z]")
# A unit in brackets naming a measure: (万m²), （万公里）, （人次）. Measure
# characters that also name ranks and editions (本级, 号, 期) are left out.
_BRACKET_CHARS = "".join(sorted(MEASURE_CHARS - frozenset("本级号期字倍位条平")))
MEASURE_UNIT_BRACKET = re.compile(
    rf"[（(]\s*[万亿千]?\s*(?:[{_BRACKET_CHARS}{MEASURE_SYMBOLS}]|"
    rf"{'|'.join(MEASURE_WORDS)}|k?m[²³23]?|k[Ww]h?|kg|t)+\s*[）)/]"
)


# -- grammar ----------------------------------------------------------------------
# The grammar reads raw text as well as folded text (full-width digits and
# separators, 萬/億, ideographic spaces), so running text is searched unfolded.

_DIGIT = "0-9０-９"
_SP = r"[ \t\u3000]"
# An Arabic number: thousands groups (OCR may put spaces or a line break after a
# separator), then an optional fraction (OCR may put spaces after the point).
NUM = (
    rf"(?<![{_DIGIT}A-Za-z.．])"
    rf"(?:[{_DIGIT}]{{1,3}}(?:{_SP}*[,，]\s*[{_DIGIT}]{{3}})+(?![{_DIGIT}])|[{_DIGIT}]+)"
    rf"(?:[.．]\s*[{_DIGIT}]+)?"
)
# 两个亿: a measure word between the number and 亿.
_GE_YI = "(?:个(?=[亿億]))?"
# 元 starts words that are not money (元旦, 多元化); 圆满, 整改 likewise.
_NOT_AFTER_YUAN = r"(?!旦|素|宵|年|化|论|首|结构|方程)"
_UNIT_WORDS = alternation(k for k in SUFFIX_CURRENCIES if not k.isascii())
_UNIT_CODES = alternation(k for k in SUFFIX_CURRENCIES if k.isascii())
UNIT = (
    rf"(?:{_UNIT_WORDS}|(?<![A-Za-z])(?:{_UNIT_CODES})(?![A-Za-z]))"
    rf"{_NOT_AFTER_YUAN}(?:(?<![圆圓])|(?![满形心桌梦]))"
)
_CODE_MARKS = [k for k in PREFIX_CURRENCIES if k[0].isalpha() and k.isascii()]
_WORD_MARKS = [k for k in PREFIX_CURRENCIES if not k.isascii()]
_SIGN_MARKS = [
    k for k in PREFIX_CURRENCIES if k not in _CODE_MARKS and k not in _WORD_MARKS
]
PREFIX_CUR = (
    rf"(?:(?<![A-Za-z])(?:{alternation(_CODE_MARKS)})"
    rf"|(?:{alternation(_WORD_MARKS)})(?=\s*[{_DIGIT}{CN_DIGIT_CHARS}{FUZZY_DIGITS}])"
    rf"|{alternation(_SIGN_MARKS)})"
)
# Single-character words get a guard against the words they end (节约, 最近).
_MULTI_CHAR_APPROX = alternation(
    k for k in PREFIX_APPROX if len(k) > 1 and "约" not in k and "近" not in k
)
_SIGNS = "".join(k for k in PREFIX_APPROX if len(k) == 1 and not k.isalpha())
PRE_APPROX = (
    r"(?:约为|大约|大概|(?<![节制预契合简公条违誓婚特])约|将近|接近"
    rf"|(?<![最附接将靠邻])近|{_MULTI_CHAR_APPROX}|逾|[{re.escape(_SIGNS)}＞＜])"
)
# "50万元（含）以上": the 含 marks the bound as included, which at_least already says.
_INCLUDED = r"(?:[(（]含[)）])"
POST_APPROX = rf"{_INCLUDED}?(?P<postword>{alternation(SUFFIX_APPROX)})"
RANGE_SEP = rf"{_SP}*{RANGE_MARK}{_SP}*"
_CN_D = f"[{_DIGIT}{CN_DIGIT_CHARS}]"
# After a currency unit: 角/毛 and 分 (and 钱: 六角七分钱), the colloquial 块五
# (3.5), and 整.
JIAO_FEN = (
    rf"(?:(?P<jiao>{_CN_D})[角毛](?:(?P<fen>{_CN_D})分)?钱?"
    rf"|(?P<fen2>{_CN_D})分钱?"
    rf"|(?<=[块塊])(?P<tail>[{CN_DIGIT_CHARS}])(?![{CN_NUMERAL_CHARS}角毛分元块{_DIGIT}]))?"
    r"(?P<zheng>整(?![改理合体治个顿洁齐修数]))?"
)

AMOUNT_BODY = (
    rf"(?:(?P<pre>{PRE_APPROX}){_SP}*)?"
    rf"(?:(?P<cur>{PREFIX_CUR}){_SP}*)?"
    rf"(?:(?:从{_SP}*)?(?:(?P<lo>{NUM})|(?P<cnlo>{CN_NUM})){_GE_YI}{_SP}*"
    rf"(?P<lomult>{MULT})?{_SP}*(?P<lounit>{UNIT})?{_INCLUDED}?"
    rf"{RANGE_SEP}(?:{PREFIX_CUR}{_SP}*)?)?"
    rf"(?:(?P<num>{NUM})|(?P<cnum>{CN_NUM}))"
    r"(?:\s*(?P<yu1>[余多]))?"
    rf"(?:\s*{_GE_YI}(?P<mult>{MULT}))?"
    r"(?P<yu2>[余多])?"
    rf"(?:\s*(?P<unit>{UNIT})(?:人民币)?{JIAO_FEN})?"
    rf"(?:{_SP}*(?P<post>{POST_APPROX}))?"
)
AMOUNT_RE = re.compile(AMOUNT_BODY)
# parse_money: the whole string, optionally signed (增减 columns are negative). It
# reads text whose whitespace runs are already one space each (see _squeeze).
PARSE_RE = re.compile(rf"(?:(?P<pre0>{PRE_APPROX}) ?)?(?P<sign>-)? ?{AMOUNT_BODY}")
_WHITESPACE_RUN = re.compile(r"\s+")
# The common shape, "1,742.74 万元", read without the full grammar, and the same
# with OCR spaces or line breaks after a separator or the point ("87, 300. 0 万元",
# as NUM allows), tried second; anything else (full-width forms, ranges,
# approximations, other currencies) takes the general path. Groups: the number,
# the unit.
FAST_RE = re.compile(
    r" ?((?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?) ?(万元|亿元|元|万|亿)?"
)
FAST_OCR_RE = re.compile(
    r"\s*((?:[0-9]{1,3}(?:[ \t]*,\s*[0-9]{3})+(?![0-9])|[0-9]+)(?:\.\s*[0-9]+)?)"
    r"(?:\s*(万元|亿元|元|万|亿))?\s*"
)
_fast_match = FAST_RE.fullmatch
_fast_ocr_match = FAST_OCR_RE.fullmatch
FAST_FACTORS = {
    "万元": Decimal(10_000),
    "亿元": Decimal(100_000_000),
    "元": Decimal(1),
    "万": Decimal(10_000),
    "亿": Decimal(100_000_000),
}
UNIT_SPEC_RE = re.compile(rf"\s*(?P<mult>{MULT})?\s*(?P<unit>{UNIT})?\s*")
_NUM_JUNK = re.compile(r"[\s,，]")
_CN_TRAILING_MULT = re.compile(r"[万萬亿億]+$")
CN_UNIT_FACTORS = frozenset(CN_UNIT_CHARS)


@dataclass(frozen=True, slots=True)
class UnitSpec:
    """A unit as a factor to yuan-like main units and a currency code."""

    factor: int
    currency: str


@functools.lru_cache(maxsize=64)
def parse_unit(unit: str) -> UnitSpec:
    """Read a unit name such as ``万元``, ``元``, ``亿元``, ``千美元``.

    Raises:
        ParseError: ``unit`` is not a multiplier and/or currency.
    """
    m = UNIT_SPEC_RE.fullmatch(fold(unit))
    if not unit or m is None or not (m["mult"] or m["unit"]):
        raise ParseError(f"not a money unit: {unit!r}")
    currency = SUFFIX_CURRENCIES[m["unit"]] if m["unit"] else "CNY"
    return UnitSpec(multiplier_value(m["mult"]), currency)


def arabic_value(digits: str) -> Decimal:
    """An Arabic number string with separators and OCR spaces, exactly."""
    return Decimal(_NUM_JUNK.sub("", digits).replace("．", "."))


def chinese_value(numeral: str) -> Decimal | None:
    """An exact Chinese numeral, including a decimal one before 万/亿 (三点五万)."""
    read = read_numeral(numeral)
    return read[0] if read is not None and read[0] == read[1] else None


def cn_trailing_factor(numeral: str) -> int:
    """The 万/亿 a Chinese numeral ends with (三万 → 10000), for range lower ends."""
    m = _CN_TRAILING_MULT.search(numeral)
    return multiplier_value(m.group()) if m else 1


def cn_unit_tail(numeral: str) -> int:
    """The units after a Chinese numeral's last digit (三仟 → 1000, 九百亿 → 10**10)."""
    last = max((i for i, ch in enumerate(numeral) if ch in DIGITS), default=-1)
    tail = numeral[last + 1 :]
    if any(ch not in CN_UNIT_FACTORS for ch in tail):
        return 1
    return multiplier_value(tail)


def _digit_value(ch: str) -> int:
    if ch.isdecimal():
        return int(ch)
    return DIGITS.get(ch, 0)


def has_currency(m: re.Match[str]) -> bool:
    """Whether the amount names its currency (a unit word or a prefix mark)."""
    return bool(m["unit"] or m["cur"] or m["lounit"])


def _writes_unit(m: re.Match[str]) -> bool:
    """A currency, a multiplier, or a Chinese numeral ending in 万/亿 (三百万):
    CONTRACT.md reads 万 after a number as 万元."""
    cnum = m["cnum"]
    return (
        has_currency(m)
        or m["mult"] is not None
        or (cnum is not None and cnum[-1] in "万萬亿億")
    )


def _number_span(m: re.Match[str]) -> tuple[Decimal, Decimal] | None:
    """The main number as (low, high): equal unless fuzzy (几十, 三五百, 3000多)."""
    if m["num"] is not None:
        low = high = arabic_value(m["num"])
    else:
        read = read_numeral(m["cnum"])
        if read is None:
            return None
        low, high = read
    if m["yu1"] or m["yu2"]:
        step = more_than_step(low) if low == high else None
        if step is None:
            return None  # 几十多 or 0多: no reading to stand by
        high = low + step
    return low, high


def money_from_match(
    m: re.Match[str],
    text: str,
    default: UnitSpec | None,
    default_source: UnitSource = "table",
    pre: str | None = None,
    negative: bool = False,
) -> Money | None:
    """Build a Money from a match of the amount grammar.

    Args:
        m: a match of :data:`AMOUNT_RE` or :data:`PARSE_RE`.
        text: the amount as written (becomes ``Money.text``).
        default: unit to use when the text has neither multiplier nor currency.
        default_source: ``unit_source`` to report when ``default`` is used.
        pre: an approximation word read before the sign, if any.
        negative: whether a minus sign preceded the number.

    Returns:
        The amount, or None when the match has no unit and no default applies, a
        Chinese numeral does not read, or a range runs backwards.
    """
    span = _number_span(m)
    if span is None:
        return None
    if _writes_unit(m):
        factor, source = multiplier_value(m["mult"]), "text"
        currency = _currency(m)
    elif default is not None:
        factor, source, currency = default.factor, default_source, default.currency
    else:
        return None
    cents = _jiao_fen(m)
    low, high = span[0] * factor + cents, span[1] * factor + cents
    if negative:
        low, high = -high, -low
    fuzzy = low != high
    if m["lo"] is not None or m["cnlo"] is not None:
        low = _range_low(m, span[0] * factor, factor)
        if low is None or negative:
            return None  # "-3至5万元" has no reading to stand by
    if low > high:
        return None
    return Money(
        text=text,
        value=low,
        value_max=high if high != low or m["lo"] or m["cnlo"] else None,
        currency=currency,
        approx=_approx(m, pre, fuzzy),
        unit_source=source,
    )


def _currency(m: re.Match[str]) -> str:
    for unit in (m["unit"], m["lounit"]):
        if unit and SUFFIX_CURRENCIES[unit] != "CNY":
            return SUFFIX_CURRENCIES[unit]
    if m["cur"]:
        return PREFIX_CURRENCIES[m["cur"]]
    return "CNY"


def _jiao_fen(m: re.Match[str]) -> Decimal:
    jiao = m["jiao"] or m["tail"]
    fen = m["fen"] or m["fen2"]
    total = Decimal(0)
    if jiao:
        total += Decimal(_digit_value(jiao)) / 10
    if fen:
        total += Decimal(_digit_value(fen)) / 100
    return total


def _range_low(m: re.Match[str], upper: Decimal, factor: int) -> Decimal | None:
    """The lower end of a range.

    With no unit of its own it borrows the upper end's: first every unit after the
    upper's last digit (两到三仟 → 2000, 八到九百亿 → 800亿), then only its 万/亿
    (十八至三十万 → 18万), then the multiplier written after it (3至5万元), as long
    as the borrowed value stays below the upper end (从8500到3万 keeps 8500).
    """
    if m["lo"] is not None:
        low = arabic_value(m["lo"])
        own = m["lomult"] is not None or m["lounit"] is not None
    else:
        low = chinese_value(m["cnlo"])
        if low is None:
            return None
        own = m["lomult"] is not None or cn_trailing_factor(m["cnlo"]) > 1
    if own:
        return low * multiplier_value(m["lomult"])
    scales = [factor]
    if m["cnum"] is not None:
        scales = [
            factor * cn_unit_tail(m["cnum"]),
            factor * cn_trailing_factor(m["cnum"]),
        ]
    for scale in scales:
        if low * scale < upper:
            return low * scale
    return low


def _approx(m: re.Match[str], pre: str | None, fuzzy: bool) -> Approx:
    if m["post"]:
        return SUFFIX_APPROX[m["postword"]]
    word = m["pre"] or pre
    if word:
        # The pattern matches full-width signs (＜) too; the table holds folded ones.
        return PREFIX_APPROX.get(word) or PREFIX_APPROX[fold(word)]
    return "about" if fuzzy else "exact"


def parse_money(
    text: str,
    default_unit: str | None = None,
    *,
    default_source: UnitSource = "table",
) -> Money:
    """Read one amount string exactly.

    Args:
        text: the amount alone, e.g. ``"746.1 万元"``, ``"壹万贰仟元整"``,
            ``"1万-5万元"``, ``"3,293.00"`` (with ``default_unit``).
        default_unit: the unit when ``text`` writes none (``"万元"`` for a cell of a
            table headed ``单位：万元``).
        default_source: ``unit_source`` reported when ``default_unit`` is used:
            ``"table"`` (unit line, column header) or ``"context"`` (the document's
            prevailing unit).

    Returns:
        The amount; ``value`` in the currency's main unit (yuan for CNY).

    Raises:
        ParseError: ``text`` is not an amount (empty, a year, a percentage, words),
            or has no unit and no ``default_unit`` was given. The message quotes it.
    """
    fast = _fast_match(text)
    if fast is not None:
        number, unit = fast.groups()
        value = Decimal(number.replace(",", ""))
    else:
        fast = _fast_ocr_match(text)
        if fast is not None:  # OCR whitespace inside the number as well
            number, unit = fast.groups()
            value = Decimal(_NUM_JUNK.sub("", number))
    if fast is not None:
        if unit is not None:  # inlined: the common table and prose shape
            return money_written_cny(text.strip(), value * FAST_FACTORS[unit])
        if default_unit is not None:
            return _parse_fast(value, text, parse_unit(default_unit), default_source)
    default = parse_unit(default_unit) if default_unit is not None else None
    return _parse_general(text, default, default_source)


def _parse_fast(
    value: Decimal, text: str, default: UnitSpec, source: UnitSource
) -> Money:
    """A bare number of the common shape, valued in the table's unit."""
    return Money(
        text.strip(),
        value * default.factor,
        currency=default.currency,
        unit_source=source,
    )


def _squeeze(text: str) -> str:
    """Folded text with every whitespace run made one space, so no pattern can
    backtrack across a long run (parse_money stays linear in the text)."""
    return _WHITESPACE_RUN.sub(" ", fold(text)).strip()


def _parse_general(
    text: str, default: UnitSpec | None, default_source: UnitSource
) -> Money:
    """The full grammar: every form parse_money documents."""
    m = PARSE_RE.fullmatch(_squeeze(text))
    if m is None:
        raise ParseError(f"not a money amount: {text!r}")
    if m["pre0"] and m["pre"]:
        raise ParseError(f"not a money amount: {text!r}")
    money = money_from_match(
        m,
        text.strip(),
        default,
        default_source,
        pre=m["pre0"],
        negative=m["sign"] is not None,
    )
    if money is None:
        if not _writes_unit(m) and default is None:
            raise ParseError(
                f"amount has no unit and no default_unit was given: {text!r}"
            )
        raise ParseError(f"not a money amount: {text!r}")
    return money

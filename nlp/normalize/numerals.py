"""Chinese numerals, lower and upper case, to exact Decimals.

Reads 一二三…, 两, 零/〇, the financial forms 壹贰叁肆伍陆柒捌玖拾佰仟, 萬 and 億,
positional units 十百千万亿, a decimal part after 点, digit strings such as
二〇二四, and the spoken elision 两万五 (= 25000).
"""

from __future__ import annotations

from decimal import Decimal

DIGITS: dict[str, int] = {
    "零": 0, "〇": 0, "○": 0, "Ｏ": 0,
    "一": 1, "壹": 1, "幺": 1,
    "二": 2, "贰": 2, "貳": 2, "两": 2, "兩": 2,
    "三": 3, "叁": 3, "參": 3,
    "四": 4, "肆": 4,
    "五": 5, "伍": 5,
    "六": 6, "陆": 6, "陸": 6,
    "七": 7, "柒": 7,
    "八": 8, "捌": 8,
    "九": 9, "玖": 9,
}  # fmt: skip
SMALL_UNITS: dict[str, int] = {
    "十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000,
}  # fmt: skip
WAN_UNITS = frozenset("万萬")
YI_UNITS = frozenset("亿億")
POINT = frozenset("点點")
NUMERAL_CHARS = frozenset(DIGITS) | frozenset(SMALL_UNITS) | WAN_UNITS | YI_UNITS

WAN = 10_000
YI = 100_000_000


def is_numeral_char(ch: str) -> bool:
    """Whether ``ch`` can be part of a Chinese numeral (not counting 点)."""
    return ch in NUMERAL_CHARS


def parse_chinese_number(text: str) -> Decimal | None:
    """Read a Chinese numeral exactly.

    Args:
        text: the numeral alone: "一千二百三十四", "壹万贰仟", "三点五", "二〇二四".

    Returns:
        The value, or None when ``text`` is not a well-formed numeral.
    """
    text = text.strip()
    if not text:
        return None
    integer, sep, fraction = _split_point(text)
    value = _parse_integer(integer) if integer else Decimal(0)
    if value is None:
        return None
    if sep:
        frac = _parse_digit_string(fraction)
        if frac is None or not fraction:
            return None
        value += Decimal(f"0.{frac}")
    return value


def _split_point(text: str) -> tuple[str, bool, str]:
    for i, ch in enumerate(text):
        if ch in POINT:
            return text[:i], True, text[i + 1 :]
    return text, False, ""


def _parse_digit_string(text: str) -> str | None:
    """ "二〇二四" -> "2024"; None if any character is not a digit."""
    out = []
    for ch in text:
        if ch not in DIGITS:
            return None
        out.append(str(DIGITS[ch]))
    return "".join(out)


def _parse_integer(text: str) -> Decimal | None:
    if any(ch not in NUMERAL_CHARS for ch in text):
        return None
    if not any(ch in DIGITS or ch in SMALL_UNITS for ch in text):
        return None  # 万 or 亿 alone is a unit, not a number
    has_unit = any(ch not in DIGITS for ch in text)
    if not has_unit:
        # A bare digit run is positional: 二〇二四 = 2024, 五 = 5.
        digits = _parse_digit_string(text)
        return Decimal(digits) if digits else None
    total = 0  # everything above the last 亿
    section = 0  # the part below 亿, already multiplied by 万 where written
    number = 0  # the digit waiting for its unit
    last_unit = 0
    pending_digit = False
    for ch in text:
        if ch in DIGITS:
            if pending_digit and DIGITS[ch] != 0 and number:
                return None  # two digits in a row without a unit: 三四百
            number = DIGITS[ch]
            pending_digit = DIGITS[ch] != 0
        elif ch in SMALL_UNITS:
            unit = SMALL_UNITS[ch]
            if number == 0 and not pending_digit:
                # 十二 = 12; 一百零十 is ill-formed but 十 alone means 10.
                number = 1
            section += number * unit
            number, pending_digit, last_unit = 0, False, unit
        elif ch in WAN_UNITS:
            section = (section + number) * WAN
            number, pending_digit, last_unit = 0, False, WAN
        else:  # 亿
            total = (total + section + number) * YI
            section, number, pending_digit, last_unit = 0, 0, False, YI
    if pending_digit and last_unit >= 100 and text[-2] not in DIGITS:
        # Spoken elision: 两万五 = 25000, 三百五 = 350 (the digit takes the next
        # unit down). Only when the digit directly follows the unit.
        number *= last_unit // 10
    return Decimal(total + section + number)

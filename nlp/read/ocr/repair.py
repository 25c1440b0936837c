"""Repairs of OCR noise inside numbers.

``100. 0%``, ``87, 300. 0``, ``66，100.08``, ``l00`` and ``O.5`` are repaired by
small named rules, each touching only number-like tokens; ``PM2s`` → ``PM2.5``
is the one named term. Repairs that need a whole cell (text wrapped over
lines) are made where cells are formed, in :mod:`nlp.read.layout.ocr_cells`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from nlp.normalize.levels import one_dropped, one_replaced

# A number-like token: digits with letters OCR confuses for digits, points and
# thousands commas, not touching a Latin letter on either side (so words such
# as "ISO" or "Word" are left alone).
_NUMBER_LIKE = re.compile(r"(?<![A-Za-z])[0-9lIO][0-9lIO.,]*(?![A-Za-z])")
_LETTER_DIGITS = str.maketrans({"l": "1", "I": "1", "O": "0"})
# What may follow a number whose spaced-out point or comma is repaired: a unit,
# a percent sign, punctuation or the end. Text such as "1. 15个" (a list number
# then a count) is left alone.
_NUMBER_END = r"(?=\s*(?:%|％|‰|万元|亿元|千元|元|万|亿|[,，.;；:：)）]|\s|$))"
_SPACED_POINT = re.compile(r"(?<![\d.])(\d+)\s*[.．]\s+(\d+)" + _NUMBER_END)
_THOUSANDS = re.compile(
    r"(?<![\d.])(\d{1,3})(?:，\s*|,\s+)(\d{3})(?=\s*[.．]\s*\d|[,，]\s*\d{3}|"
    r"\s*(?:万元|亿元|千元|元|万|亿)|\s*$)"
)


def repair_letter_digits(text: str) -> str:
    """``l00`` → ``100``, ``O.5`` → ``0.5``: letters read for digits in a number.

    Only in a token of digits, points and commas that holds at least one real
    digit and touches no other Latin letter; Chinese text is never touched.
    """

    def fix(match: re.Match[str]) -> str:
        token = match.group(0)
        if not any(ch.isdigit() for ch in token):
            return token
        return token.translate(_LETTER_DIGITS)

    return _NUMBER_LIKE.sub(fix, text)


def repair_thousands_separator(text: str) -> str:
    """``87, 300. 0`` → ``87,300. 0``, ``66，100.08万元`` → ``66,100.08万元``.

    The recogniser reads a thousands comma between digits as the full-width
    Chinese comma, or leaves a space after it; either would cut the number in
    two. Repaired only where the three-digit group continues as a number (a
    decimal point, another group, a money unit or the end), so ``12， 345人``
    stays.
    """
    previous = None
    while previous != text:  # "1, 234, 567" needs one pass per group
        previous = text
        text = _THOUSANDS.sub(r"\1,\2", text)
    return text


def repair_spaced_point(text: str) -> str:
    """``100. 0%`` → ``100.0%``: a space around a decimal point.

    Only where the fraction is followed by a unit, ``%``, punctuation, a space
    or the end, so a list number before a count (``1. 15个``) stays.
    """
    return _SPACED_POINT.sub(r"\1.\2", text)


# Groups of three digits after points, then the decimals: ``1.297.78``,
# ``1,257.692.64``. A number has one decimal point, so every point but the last
# is a thousands comma the recogniser read as a point.
_POINT_GROUPS = re.compile(
    r"(?<![\d.,])(\d{1,3}(?:[.,]\d{3})*)\.(\d{3})\.(\d{1,2})(?![\d.])"
)


def repair_point_as_comma(text: str) -> str:
    """``1.297.78`` → ``1,297.78``: a thousands comma read as a point.

    Only where the groups between the points are exactly three digits and the
    last point has one or two decimals after it, so a date (``2026.1.15``) or a
    section number (``1.2.3``) is left alone.
    """

    def fix(match: re.Match[str]) -> str:
        head = match.group(1).replace(".", ",")
        return f"{head},{match.group(2)}.{match.group(3)}"

    previous = None
    while previous != text:
        previous = text
        text = _POINT_GROUPS.sub(fix, text)
    return text


# PM2.5 with its point lost (``PM25``, ``PM2s``, ``PM2 5``) or its ``.5`` dropped
# (``PM2）``): no pollutant is called PM2 or PM25, so each can only be PM2.5.
# PM10 and PM1 are left alone.
_PM25 = re.compile(r"PM\s*2(?:\s*[.．·,，。]?\s*[5sS])?(?![\d.．·]|\s*[.．·,，。]\s*5)")


def repair_pm25(text: str) -> str:
    """``PM2s年均浓度`` → ``PM2.5年均浓度``, ``(PM2)`` → ``(PM2.5)``."""
    return _PM25.sub("PM2.5", text)


OCR_REPAIRS: tuple[Callable[[str], str], ...] = (
    repair_letter_digits,
    repair_thousands_separator,
    repair_spaced_point,
    repair_point_as_comma,
    repair_pm25,
)


def repair_ocr_text(text: str) -> str:
    """Apply every repair in :data:`OCR_REPAIRS`, in order."""
    for repair in OCR_REPAIRS:
        text = repair(text)
    return text


# Indicator-table header labels by the column they name. A header line one
# misread character away from labels naming a single column (日标值 → 目标值 or
# 指标值, both the target column) is that label; one naming several columns
# (·级指标: 一级, 二级 or 三级) is left as read.
_HEADER_LABELS: dict[str, str] = {
    "一级指标": "level1",
    "二级指标": "level2",
    "三级指标": "metric",
    "目标值": "target",
    "指标值": "target",
    "年度目标值": "target",
    "年度指标值": "target",
    "实施周期指标值": "target_period",
}


def repair_header_label(text: str) -> str:
    """``日标值`` → ``目标值``: a header label with one character misread.

    Only a whole line as long as a label, differing from it in one character,
    with every such label naming the same column; anything else is unchanged.
    Header labels are no record's value, so no record carries a note of this.
    """
    if text in _HEADER_LABELS or any(ch.isdigit() for ch in text):
        return text
    near = [label for label in _HEADER_LABELS if one_replaced(label, text)]
    if not near or len({_HEADER_LABELS[label] for label in near}) != 1:
        return text
    return near[0]


_LEVEL_LABELS = ("一级指标", "二级指标", "三级指标")


def level_like(text: str) -> bool:
    """A level header label as read, or with one character misread or lost.

    Marks around it are not counted: the recogniser may read 一 as two strokes
    (``-·级指标``).
    """
    text = "".join(ch for ch in text if "\u4e00" <= ch <= "\u9fff")
    return any(
        text == label or one_replaced(label, text) or one_dropped(label, text)
        for label in _LEVEL_LABELS
    )


def level_labels_in_order(texts: Sequence[str]) -> list[str]:
    """The three level header labels of one header line, left to right.

    ``·级指标 | 级指标 | 三级指标`` → ``一级指标 | 二级指标 | 三级指标``: a header
    names the levels in order, so three level-like labels on one line are the
    三 levels even where a misread character leaves one ambiguous. Any other
    count leaves the texts as read.
    """
    if len(texts) != len(_LEVEL_LABELS) or not all(map(level_like, texts)):
        return list(texts)
    return list(_LEVEL_LABELS)

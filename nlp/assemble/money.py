"""Money cells of tables become amounts.

A cell is money when it is shaped like an amount and its unit can be found: in
the cell itself, the column header, the row label, the table's unit line, or (for
a label or header naming money) the unit most tables of the document use. Counts,
codes and percentages are left out by their header or row label.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from itertools import pairwise

from nlp.assemble.rows import NOT_APPLICABLE
from nlp.blocks import GridRow, TableView, is_number_cell, normalize_label
from nlp.errors import ParseError
from nlp.normalize.money import MEASURE_UNIT_BRACKET, parse_money
from nlp.records import Amount, Money, Source

UNIT_WORD = re.compile(r"[（(]\s*(?:单位\s*[:：]\s*)?(亿元|万元|千元|元)\s*[）)]")
MONEY_WORD = re.compile(
    r"金额|资金|预算|决算|经费|支出|收入|拨款|合计|小计|总计|总额|费|价值|成本|投资"
)
NOT_MONEY = re.compile(
    r"编码|代码|序号|编号|数量|人数|户数|个数|次数|面积|年度$|年份|%|％|百分比|"
    r"率|比例|比重|日期|时间|电话|计量单位|平方米|批次|行\s*次|栏\s*次"
)
# The row under a budget table's header that numbers its columns (栏次 | 1 | 2 …,
# ** | ** | 1 | 2 …): labels of this kind and small increasing integers only.
COLUMN_NUMBER_LABEL = re.compile(r"栏\s*次|行\s*次|序\s*号|项\s*目|[*＊甲乙丙丁]+")
COLUMN_NUMBER = re.compile(r"\d{1,2}")
# A misread column-number row: this many consecutive integers, other words no
# longer than this (a label such as ** or 栏次 read as 冰水).
COLUMN_NUMBER_MIN_RUN = 3
COLUMN_NUMBER_NOISE_CHARS = 2
ENUMERATION = re.compile(
    r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]|\d+[.、．)]|"
    r"[①-⑳]|其中[:：])\s*"
)
LABEL_MAX_CHARS = 20
DESCRIPTION_HEADER = re.compile(r"内容|说明|用途|描述|备注|依据|概况|目标")
SENTENCE_PUNCTUATION = re.compile(r"[，,。；;、！？]")


def _table_amounts(
    table: TableView,
    doc: str,
    prevailing: str,
    used: set[tuple[int, int]],
    out: list[Amount],
) -> None:
    """Append an amount for every money cell of the table."""
    headers: dict[int, list[str]] = {}
    in_header_band = False
    for row in table.rows:
        if row.role == "header":
            headers = _extend_headers(headers if in_header_band else {}, row)
            in_header_band = True
            continue
        in_header_band = False
        if row.role != "data" or is_column_number_row(row.cells):
            continue
        for col, text in enumerate(row.cells):
            if not row.origin[col] or (row.index, col) in used:
                continue
            amount = _cell_amount(table, row, col, text, headers, prevailing, doc)
            if amount is not None:
                out.append(amount)


def is_column_number_row(cells: Sequence[str]) -> bool:
    """A row that numbers the columns (栏次 1 2 3 …): its integers are not money.

    On a scan the label is often misread (``**`` as ``冰水``) and two columns may
    share a cell (``冰冰 1 2``); a run of at least
    :data:`COLUMN_NUMBER_MIN_RUN` consecutive integers then still numbers the
    columns when the other words are no longer than a label's
    :data:`COLUMN_NUMBER_NOISE_CHARS` characters.
    """
    numbers: list[int] = []
    others: list[str] = []
    for cell in cells:
        text = cell.strip()
        if not text or COLUMN_NUMBER_LABEL.fullmatch(text):
            continue
        if COLUMN_NUMBER.fullmatch(text):
            numbers.append(int(text))
            continue
        for word in text.split():
            if COLUMN_NUMBER.fullmatch(word):
                numbers.append(int(word))
            elif not COLUMN_NUMBER_LABEL.fullmatch(word):
                others.append(word)
    if len(numbers) < 2 or not all(a < b for a, b in pairwise(numbers)):
        return False
    if not others:
        return True
    consecutive = all(b == a + 1 for a, b in pairwise(numbers))
    return (
        consecutive
        and len(numbers) >= COLUMN_NUMBER_MIN_RUN
        and all(
            len(word) <= COLUMN_NUMBER_NOISE_CHARS and not MONEY_WORD.search(word)
            for word in others
        )
    )


def _extend_headers(
    headers: dict[int, list[str]], row: GridRow
) -> dict[int, list[str]]:
    """Add a header row to the column headers; an empty cell right of a label
    belongs to that label (a spanning header whose span the export lost)."""
    out = {col: list(parts) for col, parts in headers.items()}
    carry = ""
    for col, text in enumerate(row.cells):
        label = re.sub(r"\s+", "", text)
        if label:
            carry = label
        elif carry and not headers.get(col):
            label = carry
        if label and (not out.get(col) or out[col][-1] != label):
            out.setdefault(col, []).append(label)
    return out


def _cell_amount(
    table: TableView,
    row: GridRow,
    col: int,
    text: str,
    headers: dict[int, list[str]],
    prevailing: str,
    doc: str,
) -> Amount | None:
    text = text.strip()
    if not text or not _money_shaped(text):
        return None
    label = row_label(row, col, headers)
    header = "/".join(headers.get(col, []))
    unit, unit_source = _cell_unit(
        text, label, header, _band_unit(headers) or table.unit, prevailing
    )
    if unit_source is None:
        return None
    try:
        money = parse_money(text, default_unit=unit)
    except ParseError:
        return None
    if unit_source != "text":
        money = _with_unit_source(money, unit_source)
    column = None if label and UNIT_WORD.search(label) else _column_name(headers, col)
    return Amount(
        doc=doc, money=money, subject=_subject(label), column=column,
        source=Source(text=row.text, page=row.page, table=table.index, row=row.index,
                      span=row.spans[col], bbox=row.bbox),
    )  # fmt: skip


def _money_shaped(text: str) -> bool:
    """A bare number, or a number written with a money unit."""
    if is_number_cell(text):
        return True
    return bool(re.fullmatch(r"[-−]?\d[\d,，.．\s]*(?:亿元|万元|千元|元|万|亿)", text))


def row_label(
    row: GridRow, col: int, headers: dict[int, list[str]] | None = None
) -> str | None:
    """The row's label on this side of a (possibly two-sided) table: the nearest
    label-like text cell left of ``col`` that is not under a description column
    (主要内容, 说明), else the nearest text cell."""
    headers = headers or {}
    nearest = named = None
    for c in range(col - 1, -1, -1):
        text = row.cells[c].strip()
        if not text or is_number_cell(text) or text in NOT_APPLICABLE:
            continue
        nearest = nearest or text
        if DESCRIPTION_HEADER.search("/".join(headers.get(c, []))):
            continue
        if _is_label_like(text):
            return text
        named = named or text
    return named or nearest


def _is_label_like(text: str) -> bool:
    """Short, and no sentence punctuation once a leading enumeration is gone."""
    body = ENUMERATION.sub("", normalize_label(text))
    return len(body) <= LABEL_MAX_CHARS and not SENTENCE_PUNCTUATION.search(body)


def _band_unit(headers: dict[int, list[str]]) -> str | None:
    """A unit named anywhere in the header band (项目资金（元） in its corner)
    holds for the band's columns that do not name their own."""
    for parts in headers.values():
        for part in parts:
            match = UNIT_WORD.search(part)
            if match:
                return match.group(1)
    return None


def _cell_unit(
    text: str,
    label: str | None,
    header: str,
    table_unit: str | None,
    prevailing: str,
) -> tuple[str | None, str | None]:
    """The unit a money cell is in, and where it came from; (None, None) if the
    cell is not money (a count, a code, a percentage)."""
    if not is_number_cell(text):
        return None, "text"
    label_norm = normalize_label(label or "")
    header_unit = UNIT_WORD.search(header)
    if header_unit:
        return header_unit.group(1), "table"
    if NOT_MONEY.search(header) or MEASURE_UNIT_BRACKET.search(header):
        return None, None
    label_unit = UNIT_WORD.search(label_norm)
    if label_unit:
        return label_unit.group(1), "table"
    if MEASURE_UNIT_BRACKET.search(label_norm):
        return None, None  # 道路（万公里）: the row states a unit that is not money
    if NOT_MONEY.search(label_norm) and not MONEY_WORD.search(header):
        return None, None
    if table_unit:
        return table_unit, "table"
    if MONEY_WORD.search(label_norm) or MONEY_WORD.search(header):
        return prevailing, "context"
    return None, None


def _with_unit_source(money: Money, unit_source: str) -> Money:
    return Money(
        text=money.text, value=money.value, value_max=money.value_max,
        currency=money.currency, approx=money.approx,
        unit_source=unit_source,  # type: ignore[arg-type]
    )  # fmt: skip


def _column_name(headers: dict[int, list[str]], col: int) -> str | None:
    parts = headers.get(col)
    return parts[-1] if parts else None


def _subject(label: str | None) -> str | None:
    """A row label as a subject: no enumeration, unit or whitespace."""
    if not label:
        return None
    subject = ENUMERATION.sub("", normalize_label(label))
    subject = UNIT_WORD.sub("", subject).rstrip(":：")
    return subject or None


def _prevailing_unit(tables: Sequence[TableView]) -> str:
    """The unit most tables of the document use; 万元 when none says."""
    units = Counter(t.unit for t in tables if t.unit)
    return units.most_common(1)[0][0] if units else "万元"

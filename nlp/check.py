"""Cheap consistency checks over one document's records.

Each check is a small function that counts records with one kind of problem; the
counts go into the document's ``checks`` in documents.jsonl so a reviewer can see
which outputs deserve a look. Checks never change or drop records.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Hashable, Sequence

from nlp.document import Document
from nlp.normalize.levels import level_kind
from nlp.normalize.target_vocab import BASE_UNITS, QUALITATIVE_UNITS
from nlp.records import Amount, Indicator, Source
from nlp.sums import check_sums

IndicatorCheck = Callable[[Sequence[Indicator]], int]
AmountCheck = Callable[[Sequence[Amount]], int]

_DIGIT = re.compile(r"\d")
# The note nlp.normalize.target puts on a target no rule recognised.
UNRECOGNISED_NOTE = "unrecognised"


def _source_key(source: Source) -> Hashable:
    """Where a record came from: table and row, or character span."""
    return (source.page, source.table, source.row, source.span)


def target_repaired(indicators: Sequence[Indicator]) -> int:
    """Indicators whose target was changed by a repair rule."""
    return sum(1 for i in indicators if i.target is not None and i.target.repaired)


def target_qualitative_unrecognised(indicators: Sequence[Indicator]) -> int:
    """Qualitative targets that no normalization rule recognised.

    The target normalizer marks them with the note ``unrecognised``: legitimate
    free-text targets (``对片区建设提出指导性建议``) and missed numeric ones alike.
    """
    return sum(
        1
        for i in indicators
        if i.target is not None
        and i.target.op == "qual"
        and UNRECOGNISED_NOTE in i.target.notes
    )


def target_qualitative_with_number(indicators: Sequence[Indicator]) -> int:
    """Qualitative targets that still contain a digit.

    A target with digits that no rule turned into an operator and value (``投诉率为
    0``, ``1年内完成``) is the likeliest kind of numeric target the normalizer missed.
    """
    return sum(
        1
        for i in indicators
        if i.target is not None
        and i.target.op == "qual"
        and _DIGIT.search(i.target.text)
    )


def indicator_no_target(indicators: Sequence[Indicator]) -> int:
    """Indicators without a target."""
    return sum(1 for i in indicators if i.target is None)


def duplicate_indicator(indicators: Sequence[Indicator]) -> int:
    """Extra copies of an indicator: same metric, target and source row or span."""
    keys = Counter(
        (
            i.metric,
            i.target.text if i.target else i.target_raw,
            _source_key(i.source),
        )
        for i in indicators
    )
    return sum(n - 1 for n in keys.values() if n > 1)


# A target that is only a unit (a unit column read as the target).
_BARE_UNITS = frozenset(BASE_UNITS) | {"%", "‰", "百分比", "万元", "亿元"}
_BARE_UNITS |= {f"{u}数" for u in "个次天人"}
# A project name that is a total row, never a project (guideline rule 24).
_TOTAL = re.compile(
    r"^\s*(?:[一二三四五六七八九十\d]+[、.．]\s*)?(?:合\s*计|总\s*计|小\s*计)\s*(?:[:：(（].*)?$"
)
# A row of column numbers (栏次 1 2 3 …) under a budget table's header.
_COLUMN_NUMBERS = re.compile(r"^[\s|\t]*(?:栏次)?(?:[\s|\t]*\d{1,2})+[\s|\t]*$")


def _is_level_name(text: str | None) -> bool:
    if not text:
        return False
    return level_kind(text) is not None


def target_bare_unit(indicators: Sequence[Indicator]) -> int:
    """Targets that are only a unit (``%``, ``次``, ``个数``): a unit column misread."""
    return sum(
        1
        for i in indicators
        if i.target is not None
        and "".join(i.target.text.split()) in _BARE_UNITS | QUALITATIVE_UNITS
    )


def target_level_name(indicators: Sequence[Indicator]) -> int:
    """Targets that are a level name (``产出指标``): a level column misread."""
    return sum(
        1 for i in indicators if i.target is not None and _is_level_name(i.target.text)
    )


def metric_level_name(indicators: Sequence[Indicator]) -> int:
    """Metrics equal to a level name. Reported, not an error: some tables print
    the level again in the 三级 cell (guideline rule 23)."""
    return sum(1 for i in indicators if _is_level_name(i.metric))


def project_total(indicators: Sequence[Indicator]) -> int:
    """Indicators whose project is a 合计 / 总计 / 小计 row."""
    return sum(1 for i in indicators if i.project and _TOTAL.match(i.project))


def amount_column_number_row(amounts: Sequence[Amount]) -> int:
    """Amounts read from a row of column numbers (栏次 1 2 3 …)."""
    return sum(1 for a in amounts if _COLUMN_NUMBERS.match(a.source.text or ""))


def amount_negative(amounts: Sequence[Amount]) -> int:
    """Amounts below zero (budget cuts are usually written as 减少, not signed)."""
    return sum(1 for a in amounts if a.money.value < 0)


def duplicate_amount(amounts: Sequence[Amount]) -> int:
    """Extra copies of an amount: same value, column and source position."""
    keys = Counter(
        (a.money.value, a.column, a.source.text, _source_key(a.source)) for a in amounts
    )
    return sum(n - 1 for n in keys.values() if n > 1)


INDICATOR_CHECKS: tuple[tuple[str, IndicatorCheck], ...] = (
    ("target-repaired", target_repaired),
    ("target-qualitative-unrecognised", target_qualitative_unrecognised),
    ("target-qualitative-with-number", target_qualitative_with_number),
    ("indicator-no-target", indicator_no_target),
    ("duplicate-indicator", duplicate_indicator),
    ("target-bare-unit", target_bare_unit),
    ("target-level-name", target_level_name),
    ("metric-level-name", metric_level_name),
    ("project-total", project_total),
)
AMOUNT_CHECKS: tuple[tuple[str, AmountCheck], ...] = (
    ("amount-negative", amount_negative),
    ("duplicate-amount", duplicate_amount),
    ("amount-column-number-row", amount_column_number_row),
)
# Words of an indicator table's header; a page holding two is an indicator-table
# page. This reads the page's words only, not what extraction made of them, so the
# two counts can disagree.
_TABLE_WORDS = (
    "一级指标", "二级指标", "三级指标", "指标名称", "指标内容", "指标值", "目标值",
    "绩效指标", "年度指标值", "实施周期指标值", "指标性质", "计量单位",
)  # fmt: skip
_TABLE_LEVELS = ("产出指标", "效益指标", "满意度", "数量指标", "质量指标", "时效指标")


def page_texts(document: Document) -> dict[int, str]:
    """Each page's text: its blocks' texts joined (a block counts on each page)."""
    texts: dict[int, list[str]] = {}
    for block in document.blocks:
        for page in {p.page for p in block.prov if p.page is not None}:
            texts.setdefault(page, []).append(block.text)
    return {page: "\n".join(parts) for page, parts in texts.items()}


def is_indicator_table_page(text: str) -> bool:
    """True for a page whose words show an indicator table: two header words and a
    level or metric word (``产出指标``, ``满意度`` …)."""
    folded = "".join(text.split())
    header = sum(1 for word in _TABLE_WORDS if word in folded)
    return header >= 2 and any(word in folded for word in _TABLE_LEVELS)


def page_checks(
    document: Document, indicators: Sequence[Indicator]
) -> list[tuple[str, int]]:
    """Indicator-table pages found by their words, and how many gave no table
    record (a table row, not a prose statement)."""
    found = {
        page
        for page, text in page_texts(document).items()
        if is_indicator_table_page(text)
    }
    with_rows = {
        i.source.page
        for i in indicators
        if i.source.span is None and i.source.page is not None
    }
    return [
        ("indicator-table-pages", len(found)),
        ("indicator-table-pages-without-records", len(found - with_rows)),
    ]


def check(
    indicators: Sequence[Indicator],
    amounts: Sequence[Amount],
    document: Document | None = None,
) -> tuple[tuple[str, int], ...]:
    """Run every check on one document's records.

    Args:
        indicators: the document's indicator records.
        amounts: the document's amount records.
        document: the read document, for the page checks (:func:`page_checks`);
            paginated inputs only.

    Returns:
        ``(check name, count)`` pairs for the checks that flagged something, in
        the order of :data:`INDICATOR_CHECKS`, :data:`AMOUNT_CHECKS`, the page
        checks, then the sum checks of :mod:`nlp.sums` (which also flag the
        amounts concerned).
    """
    counts = [(name, fn(indicators)) for name, fn in INDICATOR_CHECKS]
    counts += [(name, fn(amounts)) for name, fn in AMOUNT_CHECKS]
    if document is not None and document.pages:
        counts += page_checks(document, indicators)
    ocr_pages = [p.number for p in document.pages if p.ocr] if document else []
    counts += check_sums(amounts, ocr_pages).as_checks()
    return tuple((name, n) for name, n in counts if n)

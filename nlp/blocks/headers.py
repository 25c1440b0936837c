"""Cell and row vocabulary: header labels, column roles, unit lines, numbers.

What a cell or a row says, independent of where it sits: the header vocabulary
mapping a label to a column role (一级指标, 三级指标, 指标值, 计量单位 …), indicator
header rows, money-table header rows (项目 | 2022年预算数) as opposed to form rows
(项目名称 | 社区培训项目), sub-header rows, unit lines (``单位：万元``) and bare
number cells.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from itertools import pairwise

from nlp.blocks.records import DEFAULT_PARAMS, ColumnRole

# Table cells repeat their labels (a page header, a level name down a column); the
# label functions are pure, so a bounded cache saves most of their work.
LABEL_CACHE_SIZE = 8192
UNIT_LINE = re.compile(
    r"^[（(]?(?:金额|货币|计量|资金)?单位\s*[:：]\s*(?P<unit>亿元|万元|千元|元)[）)]?$"
)
UNIT_IN_TEXT = re.compile(
    r"(?:单位\s*[:：]\s*)?[（(]\s*(?:单位\s*[:：]\s*)?(亿元|万元|千元|元)\s*[）)]"
)
UNIT_ANYWHERE = re.compile(r"单位\s*[:：]\s*(亿元|万元|千元|元)")


NUMBER_CELL = re.compile(r"^[-−]?\d[\d,，\s]*(?:[.．]\s*\d+)?$")


@lru_cache(maxsize=LABEL_CACHE_SIZE)
def normalize_label(text: str) -> str:
    """Fold a label for matching: NFKC, no whitespace, no line breaks."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


# Header vocabulary: ordered (pattern, role). The first match wins, so the more
# specific phrases (指标值来源 is a basis column, not a target) come first.
_HEADER_RULES: tuple[tuple[re.Pattern[str], ColumnRole], ...] = tuple(
    (re.compile(p), role)
    for p, role in (
        (r"来源|依据|标准|备注|偏差|原因|措施|是否", "basis"),
        (r"分值|权重|评分|得分", "weight"),
        (r"^一级(?:指标)?$", "level1"),
        (r"^二级(?:指标)?$", "level2"),
        (r"^三级(?:指标)?$", "metric"),
        (r"描述|解释|说明|定义|指标内涵", "description"),
        (r"指标性质|指标值类型|运算符|指标方向|符号|比较", "operator"),
        (r"^(?:计量|度量|指标值?)?单位$", "unit"),
        (r"实际完成|实际值|完成值|实际达到|完成情况|实现值", "actual"),
        (r"实施周期|中长期", "target_period"),
        (r"目标值|指标值|预期值|计划值|^(?:年度|全年|预期)?目标$|^数值$", "target"),
        (r"^(?:绩效)?指标(?:内容|名称)?$|^具体指标$|^绩效指标名称$", "metric"),
    )
)


@lru_cache(maxsize=LABEL_CACHE_SIZE)
def header_role(text: str) -> ColumnRole | None:
    """The column role a header cell names, or None.

    Args:
        text: a cell's text.

    Returns:
        One of the column roles, or None when the text names none.
    """
    label = normalize_label(text).strip(":：")
    if not label or len(label) > DEFAULT_PARAMS.max_header_cell_chars:
        return None
    label = re.sub(r"[(（][^)）]*[)）]$", "", label)  # 指标值(%) -> 指标值
    for pattern, role in _HEADER_RULES:
        if pattern.search(label):
            return role
    return None


def indicator_roles(cells: Sequence[str]) -> dict[int, ColumnRole] | None:
    """Column roles when ``cells`` form an indicator header row, else None.

    A header row names a metric column and a target (or actual) column; repeated
    texts from a merged header cell count once, at their first column.
    """
    roles: dict[int, ColumnRole] = {}
    seen: set[str] = set()
    for col, text in enumerate(cells):
        role = header_role(text)
        if role is None:
            continue
        key = normalize_label(text)
        if key in seen:
            continue
        seen.add(key)
        roles.setdefault(col, role)
    found = set(roles.values())
    values = {"target", "target_period", "actual"}
    if "metric" in found and found & values:
        return roles
    if {"level1", "level2"} <= found and found & values:
        return roles
    return None


def unit_of_line(text: str) -> str | None:
    """The unit named by a unit line such as ``单位：万元``, else None."""
    match = UNIT_LINE.match(normalize_label(text))
    return match.group("unit") if match else None


def is_number_cell(text: str) -> bool:
    """Whether a cell holds a bare number (separators and OCR spaces allowed)."""
    text = text.strip()
    return (
        bool(text)
        and bool(NUMBER_CELL.match(text))
        and any(ch.isdigit() for ch in text)
    )


def _is_header_like(cells: Sequence[str]) -> bool:
    """A row of column labels (项目 | 2022年预算数 | 项目 | 2022年预算数).

    At least two distinct labels, each either header vocabulary or a short label
    without digits (收 入), and at least one naming a money column.
    """
    filled = [c for c in dict.fromkeys(cells) if c.strip()]
    if len(filled) < 2:
        return False
    labels = [normalize_label(c) for c in filled]
    if _is_form_row(labels):
        return False  # 项目名称 | 社区培训项目: a form row, its value is data
    if not all(_is_header_label(label) for label in labels):
        return False
    return any(MONEY_HEADER.search(label) for label in labels)


def _is_form_row(labels: Sequence[str]) -> bool:
    """A form label followed by its value (项目名称 | 社区培训项目), not by another
    column header (项目名称 | 预算数（万元）, 任务名称 | 主要内容)."""
    for label, right in pairwise(labels):
        if FORM_LABEL.match(label) and not (
            COLUMN_WORD.search(right) or header_role(right) is not None
        ):
            return True
    return False


def _is_header_label(label: str) -> bool:
    if len(label) > DEFAULT_PARAMS.max_header_cell_chars or is_number_cell(label):
        return False
    if re.search(r"[,，。；;、！？]", label):
        return False
    if header_role(label) is not None:
        return True
    if re.search(r"[≥≤<>]|\d\s*[%％]", label):
        return False
    if MONEY_HEADER.search(label) or COLUMN_LABEL.search(label):
        return True
    if UNIT_IN_TEXT.search(label):
        return True  # 单价（万元）: a column that states its unit
    return len(label) <= SHORT_LABEL_CHARS and not re.search(r"\d", label)


# Column names that are not money columns but head budget tables all the same.
COLUMN_LABEL = re.compile(
    r"执行数|执行率|完成数|实际数|数量|单价|价格|序号|名称|内容|说明"
)


SHORT_LABEL_CHARS = 4


FORM_LABEL = re.compile(
    r"^(?:项目名称|任务名称|部门名称|单位名称|部门（单位）名称|部门\(单位\)名称|主管部门|"
    r"主管单位|项目类型|资金用途|项目编码|项目代码|实施单位|项目负责人)[:：]?$"
)


COLUMN_WORD = re.compile(
    r"预算|决算|金额|合计|小计|总计|总额|支出|收入|拨款|资金|经费|科目|年度|内容|说明|"
    r"描述|目标|名称|性质|类型|编码|单位$|万元|元）|元\)"
)


MONEY_HEADER = re.compile(
    r"预算数|决算数|金额|合计|小计|总计|总额|预算|支出|收入|拨款|资金|经费|"
    r"科目|项目|年度|单位"
)


def _is_sub_header_cells(cells: Sequence[str]) -> bool:
    filled = [normalize_label(c) for c in cells if c.strip()]
    if not filled or indicator_roles(cells):
        return False
    named = [c for c in filled if header_role(c) is not None]
    return bool(named) and all(
        header_role(c) is not None
        or (len(c) <= SHORT_LABEL_CHARS and not re.search(r"\d", c))
        for c in filled
    )

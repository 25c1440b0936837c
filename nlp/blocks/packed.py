"""Packed indicator cells: one cell holding a whole project's indicators.

Some budget tables print a project's indicators inside a single cell as numbered
clauses (guideline rule 21)::

    1.1－产出指标，11－数量指标，道路养护长度；实施周期指标值：47.1公里，年度指标值：47.1公里
    2、2－效益指标，22－社会效益，…

Each clause names its 一级 and 二级 with their codes (``1－产出指标``,
``11－数量指标``),
then the metric, then the values for the whole period (实施周期指标值) and for the
year (年度指标值). The clause is the unit a person reads, so table recovery splits
the cell into clauses here and assembly reads each clause like a row. A colon
where a semicolon belongs (``数量：实施周期指标值``: the OCR of a scan reads ``；``
as ``：``) separates clauses and their parts too, and a label may lack its
``值`` (``实施周期指标：``, a character the OCR dropped).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from nlp.normalize.target import normalize_target

# A level written with its code: 1－产出指标, 11-数量指标, 41－经济成本指标.
# A scan's OCR may read the dash as 一, which cannot follow a code as a numeral.
_CODED_LEVEL = r"\d{1,2}\s*[－\-—–一]\s*[^\d，,；;。：:\s][^，,；;。：:]{0,15}?"
# The start of a clause: its number (1、 2. 1.) directly before the coded 一级.
_CLAUSE_START = re.compile(
    rf"(?:^|(?<=[；;。，,：:\s]))\d{{1,3}}\s*[、.．]\s*(?={_CODED_LEVEL}[，,；;：:])"
)
_CLAUSE = re.compile(
    rf"^(?P<l1>{_CODED_LEVEL})[，,；;：:]\s*(?P<l2>{_CODED_LEVEL})[，,；;：:]\s*"
    r"(?P<metric>.+?)[；;，,。：:]?\s*"
    r"(?:实施周期(?:指标值?|目标值?)\s*[:：]\s*(?P<period>.*?)[；;，,。：:]*\s*)?"
    r"(?:年度(?:指标值?|目标值?)\s*[:：]\s*(?P<annual>.*?))?[；;，,。：:\s]*$",
    re.S,
)
_VALUE_LABEL = re.compile(r"(?:实施周期|年度)(?:指标值?|目标值?)\s*[:：]")
_CODE = re.compile(r"^\d{1,2}\s*[－\-—–一]\s*")
_TRAILING = re.compile(r"[；;，,。：:\s]+$")

MIN_CLAUSES = 1
# A value restating its measure before the figure (安全事故发生控制数为零 under the
# metric 安全事故发生数): the measure, then a relation.
_RESTATED = re.compile(
    r"^(?P<measure>[^，,；;。：:\d≥≤<>＜＞=≧≦]{2,30}?)"
    r"(?P<rest>(?:为|是|达到|达|不高于|不低于|不超过|不少于|不大于|不小于|低于|高于|"
    r"超过|控制在|保持在|[≥≤<>＜＞=≧≦]).+)$"
)
_COPULA = re.compile(r"^(?:为|是|达到|达)(?=[\d零〇一二三四五六七八九十百])")
# Characters a restated measure shares, in one run, with the clause's metric: a
# shorter overlap (更新率 under 数据更新时效率) names another measure.
MIN_SHARED_CHARS = 4


@dataclass(frozen=True, slots=True)
class PackedClause:
    """One indicator of a packed cell.

    Attributes:
        level1: the 一级 as written, its code removed (产出指标).
        level2: the 二级 as written, its code removed (经济成本指标).
        metric: the measure as written.
        target: the 年度 value, else the only value given.
        target_period: the 实施周期 value when a 年度 value is given too.
    """

    level1: str
    level2: str
    metric: str
    target: str | None
    target_period: str | None


def is_packed_cell(text: str) -> bool:
    """Whether a cell holds numbered clauses with coded levels and value labels."""
    if "实施周期" not in text and "年度" not in text:
        return False  # most cells: no value label, no need for the patterns
    return bool(_VALUE_LABEL.search(text)) and bool(_CLAUSE_START.search(text))


def packed_clauses(text: str) -> tuple[PackedClause, ...]:
    """The indicators a packed cell holds, in printed order.

    Args:
        text: the cell's text.

    Returns:
        One clause per numbered indicator; text that is not a clause is skipped.
    """
    text = text.replace("\n", "")
    matches = list(_CLAUSE_START.finditer(text))
    ends = [m.start() for m in matches[1:]] + [len(text)]
    clauses = []
    for match, end in zip(matches, ends, strict=False):
        clause = _clause(text[match.end() : end].strip())
        if clause is not None:
            clauses.append(clause)
    return tuple(clauses)


def _clause(piece: str) -> PackedClause | None:
    match = _CLAUSE.match(piece)
    if match is None or not _VALUE_LABEL.search(piece):
        return None
    period, annual = _value(match["period"]), _value(match["annual"])
    return PackedClause(
        level1=_CODE.sub("", match["l1"]).strip(),
        level2=_CODE.sub("", match["l2"]).strip(),
        metric=_TRAILING.sub("", match["metric"]).strip(),
        target=annual if annual is not None else period,
        target_period=period if annual is not None else None,
    )


def stated_value(value: str, metric: str) -> str:
    """The figure of a clause value that restates its measure first.

    ``应急抢险及时率为100%`` under 应急抢险及时率 → ``100%``; ``日常养护综合年费用不高于
    175万元/公里`` under 道路日常养护综合年费用 → ``不高于175万元/公里``. The clause's
    metric names the measure already (rule 21), so the restatement is not a second
    measure. A value naming no measure or another one, or stating no figure, is
    returned unchanged.
    """
    match = _RESTATED.match(value)
    if match is None or not _shares_run(match["measure"], metric):
        return value
    rest = _COPULA.sub("", match["rest"])
    # Only a figure is read apart: words after the relation (达到国家二级标准,
    # ≥95%（扣除停电…）) keep the value whole, as printed.
    return rest if normalize_target(rest).op != "qual" else value


def _shares_run(measure: str, metric: str) -> bool:
    """Whether ``measure`` and ``metric`` share a run of characters."""
    return (
        metric in measure
        or measure in metric
        or any(
            measure[i : i + MIN_SHARED_CHARS] in metric
            for i in range(len(measure) - MIN_SHARED_CHARS + 1)
        )
    )


def _value(text: str | None) -> str | None:
    if text is None:
        return None
    cleaned = _TRAILING.sub("", text).strip()
    return cleaned or None

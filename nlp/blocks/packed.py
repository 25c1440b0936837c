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
# A scan's OCR may read the dash as 一, which cannot follow a code as a numeral,
# or drop it (21经济效益): the name cannot start with a digit either way.
_DASH = r"[－\-—–一]"
_CODED_LEVEL = rf"\d{{1,2}}\s*{_DASH}?\s*[^\d，,；;。：:\s][^，,；;。：:]{{0,15}}?"
# A 二级 code as OCR may read it before a dash: 4]－ for 41－, 川－ for 11－, 1－.
_L2_CODE = rf"(?:\d{{2}}|[\d\]|川口]{{1,2}}(?=\s*{_DASH}))"
_L2_LEVEL = rf"{_L2_CODE}\s*{_DASH}?\s*[^\d，,；;。：:\s][^，,；;。：:]{{0,15}}?"
# Between the levels, and after the 二级, a scan may read the comma as a full
# stop (Latin or Chinese) or 、.
_LEVEL_SEP = r"[，,；;：:.．。、]"
# The head of a clause: its number (1、 2. 1.), the coded 一级, the coded 二级.
# On a scan the number's 、 may be lost (41一产出指标 for 4、1－), the number
# itself (、1一产出指标), or the separator before it (≤0%2、3一满意度指标).
# A level's name in a head holds no digit and no 、 (a value's 1套；10、1－… is no
# level named 、1－产出指标).
_HEAD_NAME = r"[^\d，,；;。：:、\s][^\d，,；;。：:、]{0,15}?"
_CLAUSE_HEAD = re.compile(
    rf"(?P<num>\d{{1,2}}\s*[、.．]\s*|\d(?=\d)|[、.．]\s*)?"
    rf"(?P<c1>\d)\s*(?P<d1>{_DASH})?\s*{_HEAD_NAME}{_LEVEL_SEP}\s*"
    rf"(?P<c2>{_L2_CODE})\s*(?P<d2>{_DASH})?\s*{_HEAD_NAME}{_LEVEL_SEP}"
)
_SEPARATOR = "；;。，,：:"
# The value labels, also as a scan's OCR reads them with characters lost, added
# or misread (实施周指标值, 实按周期指标值, 年指标值, 年度指标们, and on a coarse scan
# 实施周呵指标的, 实施盛明指标值, 实周期指标信). The garbled middle of 实施周期 is
# accepted only after 实施 or before 周期, so 实际完成值 is never a period label.
_LABEL_CHAR = r"[^\s\d，,；;。：:、]"
_GARBLED = r"[^\s，,；;。：:、]"  # a misread character may be a digit (实施3周期)
_LABEL_WORD = rf"(?:指标{_LABEL_CHAR}?|目标值?|标值)"
_PERIOD_LABEL = rf"实(?:施{_GARBLED}{{0,3}}?|{_GARBLED}?周期){_LABEL_WORD}"
_ANNUAL_LABEL = rf"(?:年度|年|(?<![年\d])度){_LABEL_WORD}"
_CLAUSE = re.compile(
    rf"^(?P<l1>{_CODED_LEVEL}){_LEVEL_SEP}\s*(?P<l2>{_L2_LEVEL}){_LEVEL_SEP}\s*"
    r"(?P<metric>.+?)[；;，,。：:]?\s*"
    rf"(?:{_PERIOD_LABEL}\s*[:：]\s*(?P<period>.*?)[；;，,。：:]*\s*)?"
    # The period's value comes first, so an annual value never holds its label:
    # 满意度指标：实施周期指标值：… is a metric ending 度指标, not a 年度 label that
    # lost its 年.
    rf"(?:{_ANNUAL_LABEL}\s*[:：]\s*"
    rf"(?P<annual>(?:(?!{_PERIOD_LABEL}\s*[:：]).)*?))?[；;，,。：:\s]*$",
    re.S,
)
_VALUE_LABEL = re.compile(rf"(?:{_PERIOD_LABEL}|{_ANNUAL_LABEL})\s*[:：]")
_CODE = re.compile(rf"^(?:{_L2_CODE}|\d{{1,2}})\s*{_DASH}?\s*")
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
    return bool(_VALUE_LABEL.search(text)) and bool(_clause_starts(text))


def packed_clauses(text: str) -> tuple[PackedClause, ...]:
    """The indicators a packed cell holds, in printed order.

    Args:
        text: the cell's text.

    Returns:
        One clause per numbered indicator; text that is not a clause is skipped.
    """
    text = text.replace("\n", "")
    starts = _clause_starts(text)
    ends = [start for start, _ in starts[1:]] + [len(text)]
    clauses = []
    for (_, body), end in zip(starts, ends, strict=False):
        clause = _clause(text[body:end].strip())
        if clause is not None:
            clauses.append(clause)
    return tuple(clauses)


def _clause_starts(text: str) -> list[tuple[int, int]]:
    """Where each clause starts and where its 一级 code starts.

    A head counts when its codes agree (the 二级 code starts with the 一级 code:
    1－产出指标，12－质量指标) or both dashes are printed; a clause number run
    into the text before it (≤1002、3…) keeps only its last digit.
    """
    starts = []
    position = 0
    while (match := _CLAUSE_HEAD.search(text, position)) is not None:
        agree = match["c2"][0] == match["c1"]
        if not agree and not (match["d1"] and match["d2"]):
            position = match.start() + 1  # a value's digits, not a head: look on
            continue
        position = match.end()
        start = match.start()
        num = match["num"] or ""
        digits = len(num) - len(num.lstrip("0123456789"))
        if digits > 1 and start > 0 and text[start - 1] not in _SEPARATOR:
            start += digits - 1
        starts.append((start, match.start("c1")))
    return starts


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

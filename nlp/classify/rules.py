"""The narrative statement rules: a measure, a relation and a value in one clause.

Holds the :data:`STATEMENT` pattern, the :class:`Statement` record, the document's
default kind (:func:`document_kind`) and the rule matcher the candidate generator
reuses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

StatementKind = Literal["target", "actual"]

# A measure: Chinese text (quotes and brackets allowed inside) ending in a
# measure word. Digits are excluded so a preceding "1年内" cannot be swallowed.
_MEASURE_SUFFIX = r"(?:率|度|比例|比率|占比|人数|次数|个数|数量|数)"
# An age or type qualifier is the one number a measure may start with
# (65岁及以上老年人健康管理率, 0—6岁儿童…, 2型糖尿病…); other digits end it.
_QUALIFIER = r"(?:\d{1,3}(?:[—–\-～~]\d{1,3})?(?:周?岁(?:及以上|以上|以下)?|型))"
_MEASURE = (
    r"(?P<measure>"
    + _QUALIFIER
    + r"?[\u4e00-\u9fff“”‘’\"'（）()A-Za-z+]{1,40}?"
    + _MEASURE_SUFFIX
    + r")"
)
_RELATION = (
    r"(?P<relation>不低于|不少于|不高于|不超过|不大于|不小于|保持在|控制在|保持|达到了?|"
    r"低于|高于|超过|大于|小于|分别为|为|是|达|≥|≤|＞|＜|>|<|≧|≦|=|＝)?"
)
_NUMBER = r"(?:\d{1,3}(?:[,，]\s?\d{3})+|\d+)(?:\s?[.．]\s?\d+)?"
# Count units, longest first; 万/亿 before a count unit is a multiplier (50万次).
_COUNT_UNIT = (
    r"(?:(?:万|亿)?(?:人次|户次|学时|课时|批次|项次|件次|小时|分钟|个月|工作日|"
    r"[个次人项份篇件家台套天年月日户场批名条辆栋所类种分]))"
)
_VALUE = (
    r"(?P<value>"
    + _NUMBER
    + r"\s?(?:%|％|‰|"
    + _COUNT_UNIT
    + r"(?:/[\u4e00-\u9fff]{1,3})?)?(?:及?以上|以下|以内)?)"
)
_MONEY_AFTER = re.compile(r"\s*(?:亿元|万元|千元|元|万(?!人|次|户|份|册|件)|亿)")
STATEMENT = re.compile(_MEASURE + r"\s*" + _RELATION + r"\s*" + _VALUE)

# Words that end a clause's lead-in: the measure starts after the last of them.
_LEAD_IN = re.compile(
    r"通过|实现|最终使|使得|使|确保|保证|其中|并且|并|且|以及|力争|预计|即|未达到|未达|全年|"
    r"本年度|本年|年内|月内|季度内|我(?:中心|单位|部门|局|委|办|院|所|站|队|区|县|市)|"
    r"本(?:中心|单位|部门)"
)
_MIN_MEASURE_CHARS = 3
_NOT_MEASURE = re.compile(r"^(?:每?(?:季度|年度|月度)|.{0,2}年度)$")
_OPENERS = {"“": "”", "‘": "’", "（": "）", "(": ")", '"': '"', "'": "'"}
_CLOSERS = frozenset("）)”’")
# What a number before the measure leaves behind: 2024年 → 年, （1） → ）.
_AFTER_NUMBER = re.compile(r"^(?:年度?|月份?|季度|[）)])")
_TARGET_CUES = re.compile(
    r"目标|力争|预计|计划|要求|不低于|不少于|不高于|不超过|确保|争取"
)
_ACTUAL_DOC = re.compile(r"自评|决算|评价报告|执行情况|总结|完成情况")


@dataclass(frozen=True, slots=True)
class Statement:
    """A measure with its relation and value, found in text.

    Attributes:
        start: offset of the measure in the searched text.
        end: offset after the value (half-open).
        metric: the measure as written.
        target_raw: relation and value as written (``不低于90%``).
        kind: "target" or "actual".
        confidence: how sure the rule is.
    """

    start: int
    end: int
    metric: str
    target_raw: str
    kind: StatementKind
    confidence: float


RULE_CONFIDENCE = 0.6


def document_kind(title_text: str) -> StatementKind:
    """Default kind of a document's statements: reports state achieved values.

    Args:
        title_text: the document's first lines (title and first headings).
    """
    return "actual" if _ACTUAL_DOC.search(title_text) else "target"


@dataclass(frozen=True, slots=True)
class _RuleMatch:
    """A rule statement with the offsets its spans need."""

    statement: Statement
    metric_end: int
    value_start: int


def _rule_matches(text: str, default_kind: StatementKind) -> list[_RuleMatch]:
    found = []
    for match in STATEMENT.finditer(text):
        if _MONEY_AFTER.match(text, match.end()):
            continue  # 全年执行数 8.47 万元 is an amount, not an indicator
        if match.group("relation") == "分别为":
            continue  # an enumeration: no single value belongs to the measure
        if _followed_by_digit(text, match.end()):
            continue  # the value was cut short (a date, a code)
        measure, offset = _trim_lead_in(
            match.group("measure"), _digit_before(text, match.start("measure"))
        )
        if len(measure) < _MIN_MEASURE_CHARS or _NOT_MEASURE.match(measure):
            continue  # 基数为0: a bare measure word names nothing
        start = match.start("measure") + offset
        relation_start = match.start("relation") if match.group("relation") else -1
        value_start = relation_start if relation_start >= 0 else match.start("value")
        target_raw = text[value_start : match.end()]
        clause = _clause_around(text, start)
        kind = _kind_of(clause, default_kind)
        statement = Statement(
            start=start,
            end=match.end(),
            metric=re.sub(r"\s+", "", measure),
            target_raw=target_raw.strip(),
            kind=kind,
            confidence=RULE_CONFIDENCE,
        )
        found.append(_RuleMatch(statement, match.end("measure"), value_start))
    return found


def _followed_by_digit(text: str, end: int) -> bool:
    return end < len(text) and text[end].isdigit()


def _digit_before(text: str, start: int) -> bool:
    return start > 0 and text[start - 1].isdigit()


def _trim_lead_in(measure: str, after_digit: bool = False) -> tuple[str, int]:
    """Drop a leading verb or connective and unbalanced opening quotes.

    The measure starts after the rightmost lead-in word that still leaves a
    measure of at least three characters (通过 inside 验收通过率 is part of the
    name, 且 before it is not). Right after a digit, what remains of a date or an
    enumeration mark (年 of 2024年, ） of （1）) goes too. Returns the measure and the
    characters dropped.
    """
    cut = 0
    if after_digit and (rest := _AFTER_NUMBER.match(measure)):
        cut = rest.end()
    elif measure[:1] in _CLOSERS:
        cut = 1  # a closing bracket or quote cannot start a name
    for match in _LEAD_IN.finditer(measure):
        if len(measure) - match.end() >= _MIN_MEASURE_CHARS:
            cut = max(cut, match.end())
    cut = max(cut, _after_unbalanced_opener(measure))
    return measure[cut:], cut


def _after_unbalanced_opener(measure: str) -> int:
    """Offset just after the last quote or bracket opened and never closed."""
    stack: list[int] = []
    for i, ch in enumerate(measure):
        if ch in _OPENERS and _OPENERS[ch] != ch:
            stack.append(i)
        elif stack and ch == _OPENERS[measure[stack[-1]]]:
            stack.pop()
    return stack[-1] + 1 if stack else 0


def _clause_around(text: str, start: int) -> str:
    left = max(text.rfind(p, 0, start) for p in "，。；;,")
    return text[left + 1 : start + 40]


def _kind_of(clause: str, default_kind: StatementKind) -> StatementKind:
    """A clause with a goal cue states a target; otherwise the document decides."""
    if _TARGET_CUES.search(clause) or ("“" in clause and "<" in clause):
        return "target"
    return default_kind

"""The narrative statement rules: a measure, a relation and a value in one clause.

Holds the :data:`STATEMENT` pattern, the :class:`Statement` record, the document's
default kind (:func:`document_kind`) and the rule matcher the candidate generator
reuses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from nlp.classify import grammar

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
        value_raw: the part of ``target_raw`` that is the value, when it is not
            all of it (a grade's score in parentheses, a value after ``：``).
    """

    start: int
    end: int
    metric: str
    target_raw: str
    kind: StatementKind
    confidence: float
    value_raw: str | None = None


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


def _rule_matches(
    text: str, default_kind: StatementKind, decided: bool = False
) -> list[_RuleMatch]:
    """The grammar's statements of ``text`` with their kinds (:mod:`grammar`).

    Args:
        text: a paragraph or a prose cell.
        default_kind: the kind of the section the text is in, or the document's.
        decided: True when a section heading decided ``default_kind``; only an
            explicit cue in the clause (计划, 实际, 力争, a score) overrides it.
    """
    found = []
    for hit in _active(text, grammar.find(text)):
        if _VALUE_LABEL_METRIC.match(hit.metric):
            continue  # 实施周期指标值：90%: a value's label, not a measure
        kind = _kind_of(hit.clause, default_kind, decided, hit.score)
        if kind == "actual" and _plans_ahead(text, hit):
            kind = "target"
        statement = Statement(
            start=hit.start,
            end=hit.end,
            metric=hit.metric,
            target_raw=hit.target_raw,
            kind=kind,
            confidence=RULE_CONFIDENCE,
            value_raw=hit.value_raw,
        )
        metric_end = hit.value_start if hit.start < hit.value_start else hit.start
        found.append(_RuleMatch(statement, metric_end, hit.value_start))
    return found


# A value label read where a measure should be (a packed cell whose clauses did
# not parse: 实施周期指标值, and as a scan garbles it, 实施盛明指标, 年度指标们).
_VALUE_LABEL_METRIC = re.compile(
    r"^(?:实[\u4e00-\u9fff]{1,3}|年度?)(?:指标|目标)[\u4e00-\u9fff]?$"
)
# A prose cell giving both values (rule 22): the 年度 one is the target.
_PERIOD_LABEL = re.compile(r"实施周期(?:指标值|目标)")
_YEAR_LABEL = re.compile(r"年度(?:指标值|目标)")


def _active(text: str, hits: list[grammar.Found]) -> list[grammar.Found]:
    """Drop the 实施周期 part of a text that also states the 年度 values."""
    period, year = _PERIOD_LABEL.search(text), _YEAR_LABEL.search(text)
    if period is None or year is None:
        return hits
    if period.start() < year.start():
        return [h for h in hits if not period.start() <= h.start < year.start()]
    return [h for h in hits if h.start < period.start()]


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


_STRONG_TARGET = re.compile(r"计划|力争|预计|目标|争取|拟|将")
_ACTUAL_CUE = re.compile(r"实际|已完成|累计完成")


# Words earlier in a sentence that make what follows a plan (下一步，我局将…，确保…；
# 具体目标包括：（1）…；（2）…), unless they report on one (目标完成情况).
_PLAN_AHEAD = re.compile(
    r"下一步|我(?:局|单位|部门|中心)将|力争|目标(?:包括|为|是)|以下工作"
)
_REPORTED = re.compile(r"完成|实现|情况|取得|成效")


def _plans_ahead(text: str, hit: grammar.Found) -> bool:
    """True when the sentence holding ``hit`` announces plans before it and the
    hit itself is no score and says nothing was done (实际)."""
    if hit.score or _ACTUAL_CUE.search(hit.clause):
        return False
    sentence_start = max(text.rfind(ch, 0, hit.start) for ch in "。！？") + 1
    before = text[sentence_start : hit.start]
    return bool(_PLAN_AHEAD.search(before)) and not _REPORTED.search(before)


def _kind_of(
    clause: str, default_kind: StatementKind, decided: bool = False, score: bool = False
) -> StatementKind:
    """The kind of a clause's statement (guideline rule 30).

    A score or grade is an actual; 实际 marks an actual and 计划 / 力争 / 目标 a target
    wherever they are; otherwise a section heading decides (``decided``), and
    without one a goal cue in the clause makes a target and the document decides
    the rest.
    """
    if score or _ACTUAL_CUE.search(clause):
        return "actual"
    if _STRONG_TARGET.search(clause):
        return "target"
    if decided:
        return default_kind
    if _TARGET_CUES.search(clause) or ("“" in clause and "<" in clause):
        return "target"
    return default_kind

"""Candidate spans for the span model and the settings that propose them.

Candidates are the rules' metric and value spans, every number expression (with
and without the relation before it), noun phrases ending in a measure word right
before a value, and the cells of a table row.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from nlp.classify.rules import (
    _NUMBER,
    StatementKind,
    _followed_by_digit,
    _rule_matches,
)

_VALUE_UNIT = (
    r"(?:%|％|‰|亿元|万元|千元|元|万|亿|[个次人项份篇件家台套天年月日户场批名条辆栋]"
    r"(?:/[\u4e00-\u9fff]{1,3})?)"
)
VALUE_CANDIDATE = re.compile(
    r"(?P<relation>不低于|不少于|不高于|不超过|不大于|不小于|保持在|控制在|保持|达到了?|"
    r"低于|高于|超过|大于|小于|为|是|达)?\s*"
    r"(?P<value>[≥≤＞＜><≧≦=＝]?\s?" + _NUMBER + r"\s?" + _VALUE_UNIT + r"?"
    r"(?:及?以上|以下|以内)?)"
)
_MEASURE_WORD = re.compile(r"(?:率|度|比例|比率|占比|数|数量|量|值|进度)$")
_CLAUSE_MARK = re.compile(r"[，。；;,:：！？\n\t|、（）()“”《》]")
_CELL_SEPARATOR = re.compile(r"\t|\s\|\s|^\s*\||\|\s*$")


@dataclass(frozen=True, slots=True)
class ModelParams:
    """How candidates are proposed and scored pairs are kept.

    Attributes:
        context: characters of left and right context in a record.
        ngram_max: longest character n-gram of the span.
        max_metric_tokens: longest noun-phrase candidate, in jieba tokens.
        keep_rule: minimum score (P(METRIC) × P(value), before calibration) of a
            rule statement the model keeps.
        keep_extra: minimum P(METRIC) of another metric start for the model to
            move a rule statement's metric there.
    """

    context: int = 4
    ngram_max: int = 3
    max_metric_tokens: int = 10
    keep_rule: float = 0.01
    keep_extra: float = 0.5


@dataclass(frozen=True, slots=True)
class Candidate:
    """A span that may carry a label.

    Attributes:
        start: offset in the text.
        end: offset after it (half-open).
        sources: the generators that proposed it (``rule-metric``, ``rule-value``,
            ``value``, ``relation-value``, ``np-metric``, ``cell``).
    """

    start: int
    end: int
    sources: tuple[str, ...]


def candidate_spans(
    text: str,
    token_bounds: Sequence[tuple[int, int]],
    default_kind: StatementKind = "target",
    params: ModelParams | None = None,
) -> list[Candidate]:
    """Every candidate span of ``text``, sorted by offsets.

    Args:
        text: a line, paragraph or prose cell.
        token_bounds: (start, end) of each token of the segmented text.
        default_kind: passed to the rules.
        params: generator settings.

    Returns:
        Candidates, one per distinct (start, end), sources merged.
    """
    params = params or ModelParams()
    found: dict[tuple[int, int], set[str]] = {}

    def add(start: int, end: int, source: str) -> None:
        start, end = _strip_span(text, start, end)
        if end > start:
            found.setdefault((start, end), set()).add(source)

    for rule in _rule_matches(text, default_kind):
        add(rule.statement.start, rule.metric_end, "rule-metric")
        add(rule.value_start, rule.statement.end, "rule-value")
    value_starts = []
    for match in VALUE_CANDIDATE.finditer(text):
        if _followed_by_digit(text, match.end()) or _preceded_by_digit(text, match):
            continue
        add(match.start("value"), match.end(), "value")
        if match.group("relation"):
            add(match.start("relation"), match.end(), "relation-value")
            value_starts.append(match.start("relation"))
        value_starts.append(match.start("value"))
    for start, end in _noun_phrases(text, token_bounds, value_starts, params):
        add(start, end, "np-metric")
    for start, end in _cells(text):
        add(start, end, "cell")
    return [
        Candidate(s, e, tuple(sorted(src))) for (s, e), src in sorted(found.items())
    ]


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _preceded_by_digit(text: str, match: re.Match[str]) -> bool:
    start = match.start()
    return start > 0 and (text[start - 1].isdigit() or text[start - 1] in ".．")


def _noun_phrases(
    text: str,
    token_bounds: Sequence[tuple[int, int]],
    value_starts: Iterable[int],
    params: ModelParams,
) -> Iterator[tuple[int, int]]:
    """Token runs ending in a measure word just before a value.

    Each run of 1 … ``max_metric_tokens`` tokens that ends right before the value
    (whitespace aside) and stays inside the clause is one candidate; the model
    picks where the metric starts.
    """
    ends = {end: i for i, (_, end) in enumerate(token_bounds)}
    for value_start in set(value_starts):
        end = value_start
        while end > 0 and text[end - 1].isspace():
            end -= 1
        last = ends.get(end)
        if last is None or not _MEASURE_WORD.search(text[token_bounds[last][0] : end]):
            continue
        first_allowed = last - params.max_metric_tokens + 1
        for i in range(last, max(first_allowed, 0) - 1, -1):
            start = token_bounds[i][0]
            piece = text[start:end]
            if _CLAUSE_MARK.search(piece) or any(ch.isdigit() for ch in piece):
                break
            yield start, end


def _cells(text: str) -> Iterator[tuple[int, int]]:
    """The cells of a tab- or pipe-separated table row, or nothing."""
    if not _CELL_SEPARATOR.search(text):
        return
    start = 0
    for match in re.finditer(r"\t|\|", text):
        yield start, match.start()
        start = match.end()
    yield start, len(text)

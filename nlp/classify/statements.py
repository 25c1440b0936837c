"""Statements from text: the rules, and the span model's judgement of each.

The rules (:mod:`nlp.classify.grammar`) find every statement and its kind (from the
clause's cues and the section). With a model, each rule statement is scored: the
model's P(METRIC) of the metric span the rules chose (when the metric is written
before the value) times its P(TARGET or ACTUAL) of the value span, mapped to the
observed precision of such scores (the model's calibration). A statement scored
below ``keep_rule`` is dropped; the others keep the rules' kind and carry the
calibrated confidence. The model moves a metric's start only
where it is confident: another candidate ending where the rule's metric ends with
P(METRIC) of at least ``keep_extra`` and above the rule's own.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from nlp.classify.candidates import (
    Candidate,
    ModelParams,
    _strip_span,
    candidate_spans,
)
from nlp.classify.features import span_record
from nlp.classify.model import SpanScorer
from nlp.classify.rules import Statement, StatementKind, _rule_matches, _RuleMatch


def find_statements(
    text: str,
    default_kind: StatementKind = "target",
    model: SpanScorer | None = None,
    decided: bool = False,
) -> list[Statement]:
    """Every narrative indicator statement in ``text``.

    Args:
        text: a paragraph or a prose table cell.
        default_kind: the kind when the clause itself gives no cue.
        model: a trained span classifier; None keeps to the rules. With a model,
            the rules' statements are kept or dropped by the model's calibrated
            confidence, which becomes their ``confidence``.
        decided: True when a section heading decided ``default_kind``; then
            only an explicit cue in the clause changes it.

    Returns:
        Statements in text order.
    """
    if model is not None:
        return _model_statements(text, default_kind, model, decided)
    return [found.statement for found in _rule_matches(text, default_kind, decided)]


@dataclass(frozen=True, slots=True)
class ScoredSpan:
    """A candidate with its label probabilities."""

    candidate: Candidate
    proba: dict[str, float]

    def p(self, label: str) -> float:
        """Probability of ``label`` (0 when the model does not know it)."""
        return self.proba.get(label, 0.0)


def token_bounds_of(text: str) -> list[tuple[int, int]]:
    """(start, end) of each token of ``text`` from the shared segmenter."""
    from nlp.segment import token_bounds

    return token_bounds(text)


def score_spans(
    text: str,
    model: SpanScorer,
    default_kind: StatementKind = "target",
    token_bounds: Sequence[tuple[int, int]] | None = None,
) -> list[ScoredSpan]:
    """Every candidate span of ``text`` with the model's probabilities.

    Args:
        text: a line, paragraph or prose cell.
        model: the span scorer.
        default_kind: the document's kind.
        token_bounds: token offsets; segmented here when None.
    """
    bounds = token_bounds if token_bounds is not None else token_bounds_of(text)
    candidates = candidate_spans(text, bounds, default_kind, model.params)
    if not candidates:
        return []
    records = [
        span_record(text, c, bounds, default_kind, model.params.context)
        for c in candidates
    ]
    proba = model.predict_proba(records)
    return [
        ScoredSpan(
            c, {label: float(p) for label, p in zip(model.classes, row, strict=True)}
        )
        for c, row in zip(candidates, proba, strict=True)
    ]


def _model_statements(
    text: str, default_kind: StatementKind, model: SpanScorer, decided: bool = False
) -> list[Statement]:
    """The rule statements the model keeps, with calibrated confidence."""
    found = _rule_matches(text, default_kind, decided)
    if not found:
        return []  # the model judges rule statements only: skip segmentation
    scored = {
        (s.candidate.start, s.candidate.end): s
        for s in score_spans(text, model, default_kind)
    }
    kept = []
    for rule in found:
        raw = statement_score(text, rule, scored)
        if raw < model.params.keep_rule:
            continue
        confidence = model.calibrated(raw)
        statement = _moved_metric(text, rule, scored, model.params)
        kept.append(replace(statement, confidence=round(confidence, 4)))
    return kept


def statement_score(
    text: str, rule: _RuleMatch, scored: dict[tuple[int, int], ScoredSpan]
) -> float:
    """P(METRIC) of the rule's metric span × P(TARGET or ACTUAL) of its value span.

    A span the candidates do not hold (a metric named after its count, an
    enumeration's measure) contributes nothing.
    """
    score = 1.0
    value = scored.get(_strip_span(text, rule.value_start, rule.statement.end))
    if value is not None:
        score *= value.p("TARGET") + value.p("ACTUAL")
    if rule.statement.start < rule.metric_end:
        metric = scored.get(_strip_span(text, rule.statement.start, rule.metric_end))
        if metric is not None:
            score *= metric.p("METRIC")
    return score


def _moved_metric(
    text: str,
    rule: _RuleMatch,
    scored: dict[tuple[int, int], ScoredSpan],
    params: ModelParams,
) -> Statement:
    """The rule's statement, its metric starting where the model is confident."""
    statement = rule.statement
    if statement.start >= rule.metric_end or "（" in statement.metric[-1:]:
        return statement
    start, end = _strip_span(text, statement.start, rule.metric_end)
    own = scored.get((start, end))
    best = own.p("METRIC") if own is not None else 0.0
    choice = None
    for (s, e), span in scored.items():
        if e != end or s == start or "np-metric" not in span.candidate.sources:
            continue
        if span.p("METRIC") >= max(params.keep_extra, best):
            choice, best = span, span.p("METRIC")
    if choice is None:
        return statement
    metric = re.sub(r"\s+", "", text[choice.candidate.start : end])
    return replace(statement, start=choice.candidate.start, metric=metric)

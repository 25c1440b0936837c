"""Statements from text: the rules alone, or candidates the span model scores.

With a model, each value candidate is paired with the metric candidate ending
right before it that the model finds likeliest (so for a statement the rules found,
the model decides where its metric starts: after a lead-in verb the rules do not
list, say). A pair is a statement when P(METRIC) × P(TARGET or ACTUAL) clears the
threshold (lower for statements the rules found); the larger of P(TARGET) and
P(ACTUAL) gives the kind and the product is the confidence. Overlapping statements
keep the rules' first, then the best.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from nlp.classify.candidates import (
    VALUE_CANDIDATE,
    Candidate,
    ModelParams,
    candidate_spans,
)
from nlp.classify.features import span_record
from nlp.classify.model import SpanScorer
from nlp.classify.rules import Statement, StatementKind, _rule_matches


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
            the rules' statements and the broader candidates are kept or dropped
            and typed (target / actual) by the model, and ``confidence`` is the
            model's probability.
        decided: True when a section heading decided ``default_kind``; then
            only an explicit cue in the clause changes it.

    Returns:
        Statements in text order.
    """
    if model is not None:
        return _model_statements(text, default_kind, model)
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
    text: str, default_kind: StatementKind, model: SpanScorer
) -> list[Statement]:
    """Statements from metric/value pairs the model keeps."""
    if not VALUE_CANDIDATE.search(text):
        return []  # no number, no statement: skip segmentation
    scored = score_spans(text, model, default_kind)
    metrics_ending: dict[int, list[ScoredSpan]] = {}
    for span in scored:
        if any(s.endswith("metric") for s in span.candidate.sources):
            metrics_ending.setdefault(span.candidate.end, []).append(span)
    pairs = []
    for value in scored:
        sources = value.candidate.sources
        if not any(s in ("rule-value", "relation-value", "value") for s in sources):
            continue
        metric_end = value.candidate.start
        while metric_end > 0 and text[metric_end - 1].isspace():
            metric_end -= 1
        options = metrics_ending.get(metric_end)
        if not options:
            continue
        metric = _likeliest_metric(options)
        if "rule-value" in value.candidate.sources and any(
            "rule-metric" in o.candidate.sources for o in options
        ):
            # The rules found this statement; the model says where its metric
            # starts (the rule's own start unless another is likelier).
            pairs.append(_pair(text, metric, value, model.params, True))
        else:
            pairs.append(_pair(text, metric, value, model.params, False))
    return _best_non_overlapping([p for p in pairs if p is not None])


def _likeliest_metric(options: Sequence[ScoredSpan]) -> ScoredSpan:
    """The option the model likes best as a metric; the rule's own on a tie."""
    return max(
        options,
        key=lambda s: (
            s.p("METRIC"),
            "rule-metric" in s.candidate.sources,
            -s.candidate.start,
        ),
    )


def _pair(
    text: str,
    metric: ScoredSpan,
    value: ScoredSpan,
    params: ModelParams,
    from_rules: bool,
) -> tuple[Statement, bool] | None:
    """The statement a metric/value pair makes, if its score clears the bar."""
    p_target, p_actual = value.p("TARGET"), value.p("ACTUAL")
    score = metric.p("METRIC") * (p_target + p_actual)
    if score < (params.keep_rule if from_rules else params.keep_extra):
        return None
    m, v = metric.candidate, value.candidate
    statement = Statement(
        start=m.start,
        end=v.end,
        metric=re.sub(r"\s+", "", text[m.start : m.end]),
        target_raw=text[v.start : v.end].strip(),
        kind="target" if p_target >= p_actual else "actual",
        confidence=round(score, 4),
    )
    return statement, from_rules


def _best_non_overlapping(pairs: list[tuple[Statement, bool]]) -> list[Statement]:
    """Rule pairs the model kept first, then the best-scored others in the gaps."""
    kept: list[Statement] = []
    ordered = sorted(pairs, key=lambda p: (not p[1], -p[0].confidence, p[0].start))
    for statement, _ in ordered:
        if all(statement.end <= k.start or statement.start >= k.end for k in kept):
            kept.append(statement)
    return sorted(kept, key=lambda s: s.start)

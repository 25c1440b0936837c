"""Find indicator statements in running text.

A narrative indicator is a *measure* followed directly by a *relation* and a
*value* (annotation guideline rule 4): ``法律意见出具及时率不低于90%``,
``采购执行率为98.73%``, ``按时办结率100%``. This package states that as rules
(:func:`find_statements` without a model) and, with a trained span model, lets the
model decide:

1. **Candidates.** The rules' metric and value spans, every number expression
   (with and without the relation before it), noun phrases of up to
   ``max_metric_tokens`` jieba tokens ending in a measure word right before a value,
   and the cells of a table row (:func:`candidate_spans`).
2. **Scoring.** Each candidate becomes a record (the span, its left and right
   context, the tokens around it, where it came from, the document's kind) and the
   :class:`SpanScorer` gives it a probability for each label of :data:`LABELS`.
3. **Pairing.** A metric candidate directly followed by a value candidate is a
   statement when P(METRIC) × P(TARGET or ACTUAL) clears the threshold (lower for
   pairs the rules proposed); the larger of P(TARGET) and P(ACTUAL) gives the kind
   and the product is the confidence. Overlapping statements keep the best.

The scorer is the exported form of the scikit-learn pipeline trained by
``nlp.train``: a vocabulary of feature names and a weight matrix, read from JSON and
``.npy`` files, so loading needs neither scikit-learn nor pickle.
"""

from nlp.classify.candidates import (
    VALUE_CANDIDATE,
    Candidate,
    ModelParams,
    candidate_spans,
)
from nlp.classify.features import span_features, span_record
from nlp.classify.model import (
    DEFAULT_MODEL_DIR,
    LABELS,
    MODEL_FORMAT,
    OUTSIDE,
    SpanScorer,
    load_default_model,
)
from nlp.classify.rules import (
    RULE_CONFIDENCE,
    STATEMENT,
    Statement,
    StatementKind,
    document_kind,
)
from nlp.classify.spacy_component import (
    CANDIDATES_KEY,
    SPANS_KEY,
    SpanModelComponent,
    span_pipeline,
)
from nlp.classify.statements import (
    ScoredSpan,
    find_statements,
    score_spans,
    token_bounds_of,
)

__all__ = [
    "CANDIDATES_KEY",
    "DEFAULT_MODEL_DIR",
    "LABELS",
    "MODEL_FORMAT",
    "OUTSIDE",
    "RULE_CONFIDENCE",
    "SPANS_KEY",
    "STATEMENT",
    "VALUE_CANDIDATE",
    "Candidate",
    "ModelParams",
    "ScoredSpan",
    "SpanModelComponent",
    "SpanScorer",
    "Statement",
    "StatementKind",
    "candidate_spans",
    "document_kind",
    "find_statements",
    "load_default_model",
    "score_spans",
    "span_features",
    "span_pipeline",
    "span_record",
    "token_bounds_of",
]

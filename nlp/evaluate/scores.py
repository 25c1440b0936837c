"""Result records: counts with precision/recall/F1, per-document and overall reports.

Precision with nothing predicted is 1 when nothing was expected, else 0; recall
with nothing expected is 1 when nothing was predicted, else 0.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from nlp.evaluate.measures import RecordType, Subset


@dataclass(frozen=True, slots=True)
class Score:
    """Counts of one comparison, with precision, recall and F1."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        """Share of predicted records that are right."""
        if self.tp + self.fp:
            return self.tp / (self.tp + self.fp)
        return 1.0 if self.fn == 0 else 0.0

    @property
    def recall(self) -> float:
        """Share of gold records that were found."""
        if self.tp + self.fn:
            return self.tp / (self.tp + self.fn)
        return 1.0 if self.fp == 0 else 0.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __add__(self, other: Score) -> Score:
        return Score(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    def to_dict(self) -> dict[str, Any]:
        """Counts and rates as JSON."""
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
        }


@dataclass(frozen=True, slots=True)
class ScoreRow:
    """The score of one measure on one subset."""

    record: RecordType
    measure: str
    subset: Subset
    score: Score

    def to_dict(self) -> dict[str, Any]:
        """The row as JSON."""
        return {
            "record": self.record,
            "measure": self.measure,
            "subset": self.subset,
            **self.score.to_dict(),
        }


@dataclass(frozen=True, slots=True)
class ErrorItem:
    """A gold record not predicted (missing) or a prediction not in gold (spurious).

    Attributes:
        doc: the gold document's name.
        record: "indicator" or "amount".
        kind: "missing" (false negative) or "spurious" (false positive).
        measure: the measure it failed.
        key: the compared fields, as text.
        source_text: the record's ``source.text``.
        line: the gold record's line in the corpus file, when annotated.
    """

    doc: str
    record: RecordType
    kind: Literal["missing", "spurious"]
    measure: str
    key: str
    source_text: str | None = None
    line: int | None = None

    def to_dict(self) -> dict[str, Any]:
        """The error as JSON."""
        return {
            "doc": self.doc,
            "record": self.record,
            "kind": self.kind,
            "measure": self.measure,
            "key": self.key,
            "source_text": self.source_text,
            "line": self.line,
        }


@dataclass(frozen=True, slots=True)
class DocReport:
    """Scores and errors for one gold document.

    Attributes:
        doc: the gold document's name.
        pred_doc: the matched prediction's ``doc``, or None when absent.
        status: the prediction's status in documents.jsonl, or "absent".
        error: the prediction's error message, if any.
        scores: one row per measure and subset.
        errors: unmatched records of the :data:`ERROR_MEASURES`.
        attrs: the document's group values (``doc``, ``city``, ``format``).
    """

    doc: str
    pred_doc: str | None
    status: str
    error: str | None
    scores: tuple[ScoreRow, ...]
    errors: tuple[ErrorItem, ...]
    attrs: dict[str, str] = field(default_factory=dict)

    def score(self, measure: str, subset: Subset = "all") -> Score:
        """The score of ``measure`` on ``subset``."""
        return _find(self.scores, measure, subset)

    def to_dict(self) -> dict[str, Any]:
        """The document's report as JSON."""
        return {
            "doc": self.doc,
            "pred_doc": self.pred_doc,
            "status": self.status,
            "error": self.error,
            "attrs": dict(self.attrs),
            "scores": [row.to_dict() for row in self.scores],
            "errors": [e.to_dict() for e in self.errors],
        }


@dataclass(frozen=True, slots=True)
class Report:
    """Micro-averaged scores over all gold documents, and per document.

    Attributes:
        overall: one row per measure and subset, counts summed over documents.
        documents: per-document reports, sorted by name.
        unscored: predicted documents with no gold.
    """

    overall: tuple[ScoreRow, ...]
    documents: tuple[DocReport, ...]
    unscored: tuple[str, ...] = field(default=())

    def score(self, measure: str, subset: Subset = "all") -> Score:
        """The overall score of ``measure`` on ``subset``."""
        return _find(self.overall, measure, subset)

    def to_dict(self) -> dict[str, Any]:
        """The report as JSON."""
        return {
            "overall": [row.to_dict() for row in self.overall],
            "documents": [d.to_dict() for d in self.documents],
            "unscored": list(self.unscored),
        }


def _find(rows: Iterable[ScoreRow], measure: str, subset: Subset) -> Score:
    for row in rows:
        if row.measure == measure and row.subset == subset:
            return row.score
    raise KeyError(f"no score for measure {measure!r} on subset {subset!r}")

"""The measures: how two records are compared, and the table/narrative subsets.

Records are compared as multisets of keys:

* indicators: ``triple`` (level1_norm, level2_norm, metric, target.text), ``metric``,
  ``metric+target`` and ``levels`` (level1_norm, level2_norm, metric);
* amounts: ``value``, ``value+subject`` and ``value+subject~`` (lenient: subjects
  match when one contains the other);
* spans: the labelled text spans the records name (:func:`record_spans`), one
  measure per label (METRIC, TARGET, ACTUAL, LEVEL, AMOUNT) on the label and the
  surface text, so typing a value target or actual counts, and a metric is scored
  whatever row or statement it ended up in.

Metrics, target texts and subjects are compared after NFKC (which folds full-width
ASCII to half-width, on both sides alike) with all whitespace removed.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

Record = dict[str, Any]
RecordType = Literal["indicator", "amount", "span"]
Subset = Literal["all", "table", "narrative"]
SUBSETS: tuple[Subset, ...] = ("all", "table", "narrative")


def norm_text(value: str | None) -> str | None:
    """Text for comparison: NFKC, all whitespace removed; None or blank → None."""
    if value is None:
        return None
    folded = "".join(unicodedata.normalize("NFKC", value).split())
    return folded or None


def _target_text(record: Record) -> str | None:
    target = record.get("target")
    return norm_text(target.get("text")) if target else None


def _metric(record: Record) -> str | None:
    return norm_text(record.get("metric"))


def _levels(record: Record) -> tuple[str | None, str | None]:
    return record.get("level1_norm"), record.get("level2_norm")


@dataclass(frozen=True, slots=True)
class Measure:
    """One way of comparing records.

    Attributes:
        name: short name shown in reports.
        record: "indicator" or "amount".
        key: the part of a record that must be equal for a match.
        compatible: for lenient measures, a further test on two records with equal
            keys that may still match when not identical; None means equal keys
            are enough.
        exact: the strict key used to pair identical records first when
            ``compatible`` is set.
        applies: which records the measure compares (all when None).
    """

    name: str
    record: RecordType
    key: Callable[[Record], Hashable]
    compatible: Callable[[Record, Record], bool] | None = None
    exact: Callable[[Record], Hashable] | None = None
    applies: Callable[[Record], bool] | None = None


def _subject_contains(gold: Record, pred: Record) -> bool:
    g, p = norm_text(gold.get("subject")), norm_text(pred.get("subject"))
    if g is None or p is None:
        return g is p
    return g in p or p in g


INDICATOR_MEASURES: tuple[Measure, ...] = (
    Measure(
        "triple", "indicator", lambda r: (*_levels(r), _metric(r), _target_text(r))
    ),
    Measure("metric", "indicator", _metric),
    Measure("metric+target", "indicator", lambda r: (_metric(r), _target_text(r))),
    Measure("levels", "indicator", lambda r: (*_levels(r), _metric(r))),
    Measure(
        "statement",
        "indicator",
        lambda r: (_metric(r), _target_text(r), r.get("kind") or "target"),
    ),
    *(
        Measure(
            f"statement:{kind}",
            "indicator",
            lambda r: (_metric(r), _target_text(r), r.get("kind") or "target"),
            applies=lambda r, kind=kind: (r.get("kind") or "target") == kind,
        )
        for kind in ("target", "actual")
    ),
    Measure(
        "triple+project",
        "indicator",
        lambda r: (
            *_levels(r),
            _metric(r),
            _target_text(r),
            norm_text(r.get("project")),
        ),
    ),
)
AMOUNT_MEASURES: tuple[Measure, ...] = (
    Measure("value", "amount", lambda r: r.get("value")),
    Measure(
        "value+subject",
        "amount",
        lambda r: (r.get("value"), norm_text(r.get("subject"))),
    ),
    Measure(
        "value+subject~",
        "amount",
        lambda r: r.get("value"),
        compatible=_subject_contains,
        exact=lambda r: (r.get("value"), norm_text(r.get("subject"))),
    ),
)
SPAN_LABELS = ("METRIC", "TARGET", "ACTUAL", "LEVEL", "AMOUNT")


def record_spans(
    indicators: Sequence[Record], amounts: Sequence[Record]
) -> list[Record]:
    """The labelled text spans the records name, one per record that names it.

    An indicator names its METRIC, its ``target_raw`` as TARGET or ACTUAL (by
    ``kind``) and each raw level as LEVEL; an amount names its ``text`` as AMOUNT.
    Each span keeps its record's fields, so the table / narrative subsets apply.
    """
    spans: list[Record] = []
    for record in indicators:
        value_label = "ACTUAL" if record.get("kind") == "actual" else "TARGET"
        named = [
            ("METRIC", record.get("metric")),
            (value_label, record.get("target_raw")),
        ]
        named += [("LEVEL", record.get(level)) for level in ("level1", "level2")]
        spans += [
            {**record, "span_label": label, "span_text": text}
            for label, text in named
            if norm_text(text)
        ]
    spans += [
        {**record, "span_label": "AMOUNT", "span_text": record.get("text")}
        for record in amounts
        if norm_text(record.get("text"))
    ]
    return spans


def _span_measure(label: str) -> Measure:
    return Measure(
        label,
        "span",
        lambda r: norm_text(r["span_text"]),
        applies=lambda r: r["span_label"] == label,
    )


SPAN_MEASURES: tuple[Measure, ...] = tuple(
    _span_measure(label) for label in SPAN_LABELS
)
MEASURES = INDICATOR_MEASURES + AMOUNT_MEASURES + SPAN_MEASURES
# Measures whose unmatched records are listed as errors.
ERROR_MEASURES = ("triple", "value+subject")


def record_origin(record: Record) -> str:
    """``table`` or ``prose``: where a record was read, as the source says it.

    Gold written from reading sheets says so in ``origin``. A prediction says it by
    its source: an indicator read in running text (a paragraph, a prose cell) has
    a character ``span`` and a table row has none; an amount from a table cell has
    a ``table``.
    """
    origin = record.get("origin")
    if origin in ("table", "prose"):
        return origin
    source = record.get("source") or {}
    if "metric" in record:
        return "prose" if source.get("span") is not None else "table"
    return "table" if source.get("table") is not None else "prose"


def is_narrative(record: Record, by_origin: bool = False) -> bool:
    """True for a record found in running text rather than read from a table row.

    With ``by_origin`` (gold that states each record's origin, as the real-document
    gold does) the record's :func:`record_origin` decides. Otherwise the rule reads
    the same on gold and predictions, whatever the input format:
    an indicator is narrative when it has no level (guideline rule 8: narrative
    indicators have none; a table row always has at least one); an amount is
    narrative when its unit is written with the number (``unit_source == "text"``),
    since a table cell takes its unit from the table. An amount in a prose table
    cell (年度绩效目标) therefore counts as narrative, as it reads as prose.
    """
    if by_origin:
        return record_origin(record) == "prose"
    if "metric" in record:
        return not record.get("level1_norm") and not record.get("level2_norm")
    return record.get("unit_source") == "text"


def _in_subset(record: Record, subset: Subset, by_origin: bool = False) -> bool:
    if subset == "all":
        return True
    return is_narrative(record, by_origin) == (subset == "narrative")

"""The measures: how two records are compared, and the table/narrative subsets.

Records are compared as multisets of keys:

* indicators: ``triple`` (level1_norm, level2_norm, metric, target.text), ``metric``,
  ``metric+target`` and ``levels`` (level1_norm, level2_norm, metric);
* amounts: ``value``, ``value+subject`` and ``value+subject~`` (lenient: subjects
  match when one contains the other).

Metrics, target texts and subjects are compared after NFKC (which folds full-width
ASCII to half-width, on both sides alike) with all whitespace removed.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, Literal

Record = dict[str, Any]
RecordType = Literal["indicator", "amount"]
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
    """

    name: str
    record: RecordType
    key: Callable[[Record], Hashable]
    compatible: Callable[[Record, Record], bool] | None = None
    exact: Callable[[Record], Hashable] | None = None


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
MEASURES = INDICATOR_MEASURES + AMOUNT_MEASURES
# Measures whose unmatched records are listed as errors.
ERROR_MEASURES = ("triple", "value+subject")


def is_narrative(record: Record) -> bool:
    """True for a record found in running text rather than read from a table row.

    The rule reads the same on gold and predictions, whatever the input format:
    an indicator is narrative when it has no level (guideline rule 8: narrative
    indicators have none; a table row always has at least one); an amount is
    narrative when its unit is written with the number (``unit_source == "text"``),
    since a table cell takes its unit from the table. An amount in a prose table
    cell (年度绩效目标) therefore counts as narrative, as it reads as prose.
    """
    if "metric" in record:
        return not record.get("level1_norm") and not record.get("level2_norm")
    return record.get("unit_source") == "text"


def _in_subset(record: Record, subset: Subset) -> bool:
    if subset == "all":
        return True
    return is_narrative(record) == (subset == "narrative")

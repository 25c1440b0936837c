"""Agreement between two annotators' records on the pages both read.

Records of the two readings are paired on what identifies them on a page (an
indicator or statement by its metric, an amount by its value), with whitespace and
full-width forms folded; the pairing gives the record-level agreement (F1 of one
reading against the other). On the paired records each field is then compared,
giving the agreement per field and the list of disagreements to settle in the
guideline.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from nlp.evaluate.measures import norm_text

Record = dict[str, Any]

# Fields compared on paired records, per record table.
FIELDS: dict[str, tuple[str, ...]] = {
    "indicators": (
        "level1",
        "level2",
        "level1_norm",
        "level2_norm",
        "target.text",
        "target_period.text",
        "actual.text",
        "kind",
        "project",
        "project_code",
    ),
    "statements": ("target.text", "kind"),
    "amounts": ("text", "value_max", "approx", "unit_source", "subject", "column"),
}
_PAIR_KEY: dict[str, Callable[[Record], Any]] = {
    "indicators": lambda r: (r["source"].get("page"), norm_text(r.get("metric"))),
    "statements": lambda r: (r["source"].get("page"), norm_text(r.get("metric"))),
    "amounts": lambda r: (r["source"].get("page"), r.get("value")),
}


@dataclass
class FieldAgreement:
    """How often two readings agree on one field of paired records."""

    same: int = 0
    compared: int = 0

    @property
    def rate(self) -> float:
        """Share of paired records with the same value (1.0 when none compared)."""
        return self.same / self.compared if self.compared else 1.0


@dataclass
class Agreement:
    """Record-level and per-field agreement of two readings of the same pages."""

    table: str
    first: int = 0
    second: int = 0
    paired: int = 0
    fields: dict[str, FieldAgreement] = field(default_factory=dict)
    disagreements: list[tuple[str, Record, Record | None]] = field(default_factory=list)

    @property
    def f1(self) -> float:
        """Record-level F1 of one reading against the other."""
        total = self.first + self.second
        return 2 * self.paired / total if total else 1.0


def field_value(record: Record, name: str) -> Any:
    """A field by dotted name (``target.text``), folded for comparison."""
    value: Any = record
    for part in name.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return norm_text(value) if isinstance(value, str) else value


def _pairs(
    first: Sequence[Record], second: Sequence[Record], key: Callable[[Record], Any]
) -> tuple[list[tuple[Record, Record]], list[Record], list[Record]]:
    """Pairs with equal keys, in order; unpaired records of each side."""
    waiting: dict[Any, list[Record]] = defaultdict(list)
    for record in second:
        waiting[key(record)].append(record)
    pairs, alone = [], []
    for record in first:
        bucket = waiting.get(key(record))
        if bucket:
            pairs.append((record, bucket.pop(0)))
        else:
            alone.append(record)
    left = [r for bucket in waiting.values() for r in bucket]
    return pairs, alone, left


def agreement(
    table: str, first: Sequence[Record], second: Sequence[Record]
) -> Agreement:
    """Agreement of two readings of the same pages for one record table.

    Args:
        table: ``indicators`` (table rows), ``statements`` or ``amounts``.
        first: the first reading's records on the shared pages.
        second: the second reading's records on the same pages.
    """
    pairs, alone, left = _pairs(first, second, _PAIR_KEY[table])
    result = Agreement(table, first=len(first), second=len(second), paired=len(pairs))
    for name in FIELDS[table]:
        tally = result.fields.setdefault(name, FieldAgreement())
        for a, b in pairs:
            tally.compared += 1
            if field_value(a, name) == field_value(b, name):
                tally.same += 1
            else:
                result.disagreements.append((name, a, b))
    result.disagreements += [("only first", r, None) for r in alone]
    result.disagreements += [("only second", r, None) for r in left]
    return result

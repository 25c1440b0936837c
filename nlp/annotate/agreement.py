"""Agreement between two annotators' records on the pages both read.

Records of the two readings are paired on what identifies them on a page (an
indicator or statement by its metric, an amount by its value), with whitespace and
full-width forms folded; the pairing gives the record-level agreement (F1 of one
reading against the other). On the paired records each field is then compared,
giving the agreement per field (share of equal values and Cohen's kappa) and the
list of disagreements to settle in the guideline.

:func:`compare_exports` does the same for two annotators' exports of the same
tasks (Label Studio JSON or doccano JSONL): their records are compared as above,
and their spans and boxes directly (F1 per label, Cohen's kappa on the labels).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
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
    values: list[tuple[Any, Any]] = field(default_factory=list)

    @property
    def rate(self) -> float:
        """Share of paired records with the same value (1.0 when none compared)."""
        return self.same / self.compared if self.compared else 1.0

    @property
    def kappa(self) -> float:
        """Cohen's kappa of the two readings' values of this field."""
        return cohen_kappa(self.values)


def cohen_kappa(pairs: Sequence[tuple[Hashable, Hashable]]) -> float:
    """Cohen's kappa of paired labels: agreement beyond what chance gives.

    1.0 when there is nothing to compare or both sides always use one same label.
    """
    if not pairs:
        return 1.0
    n = len(pairs)
    observed = sum(a == b for a, b in pairs) / n
    first = Counter(repr(a) for a, _ in pairs)
    second = Counter(repr(b) for _, b in pairs)
    chance = sum(first[k] * second[k] for k in first) / (n * n)
    if chance >= 1.0:
        return 1.0 if observed >= 1.0 else 0.0
    return (observed - chance) / (1.0 - chance)


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
            tally.values.append((field_value(a, name), field_value(b, name)))
            if field_value(a, name) == field_value(b, name):
                tally.same += 1
            else:
                result.disagreements.append((name, a, b))
    result.disagreements += [("only first", r, None) for r in alone]
    result.disagreements += [("only second", r, None) for r in left]
    return result


# --- two annotators' exports -----------------------------------------------------

# Boxes of two annotators are the same box when they overlap this much (IoU).
BOX_IOU = 0.5


@dataclass
class LabelTally:
    """Spans (or boxes) of one label in each export, and how many coincide."""

    first: int = 0
    second: int = 0
    same: int = 0

    @property
    def f1(self) -> float:
        """F1 of one export's spans against the other's (1.0 when both are empty)."""
        total = self.first + self.second
        return 2 * self.same / total if total else 1.0


@dataclass
class ExportComparison:
    """Record agreement per table, and span / box agreement per label."""

    overall: dict[str, Agreement]
    spans: dict[str, Any]


def _task_key(data: dict[str, Any]) -> tuple:
    return (
        data.get("doc"),
        data.get("kind", "passage"),
        data.get("page"),
        data.get("table"),
        data.get("row"),
        data.get("offset"),
    )


def _marks(task: dict[str, Any]) -> list[tuple[Any, str]]:
    """The spans ((start, end), label) or boxes ((x, y, w, h), label) of a task."""
    from nlp.annotate import labelstudio

    if "entities" in task or "label" in task:  # a doccano line
        from nlp.annotate.doccano import _entities

        return [
            ((e["start_offset"], e["end_offset"]), e["label"]) for e in _entities(task)
        ]
    annotation = labelstudio.latest_annotation(task)
    result = annotation.get("result") if annotation else []
    if task["data"].get("kind") == "page":
        regions = labelstudio.page_regions(result or [])
        return [
            (tuple(r["box"][k] for k in ("x", "y", "width", "height")), r["label"])
            for r in regions.values()
        ]
    spans, _ = labelstudio.passage_regions(result or [])
    return [((s.start, s.end), s.label) for s in spans.values()]


def _iou(a: tuple, b: tuple) -> float:
    ax1, ay1, ax2, ay2 = a[0], a[1], a[0] + a[2], a[1] + a[3]
    bx1, by1, bx2, by2 = b[0], b[1], b[0] + b[2], b[1] + b[3]
    w = max(0.0, min(ax2, bx2) - max(ax1, bx1))
    h = max(0.0, min(ay2, by2) - max(ay1, by1))
    inter = w * h
    union = a[2] * a[3] + b[2] * b[3] - inter
    return inter / union if union else 0.0


def _same_place(a: tuple, b: tuple) -> bool:
    return a == b if len(a) == 2 else _iou(a, b) >= BOX_IOU


def _mark_pairs(
    first: list[tuple[Any, str]], second: list[tuple[Any, str]]
) -> list[tuple[str, str]]:
    """(first label, second label) per place either marked; "O" where one did not."""
    left = list(second)
    pairs = []
    for place, label in first:
        match = next((m for m in left if _same_place(place, m[0])), None)
        if match is None:
            pairs.append((label, "O"))
        else:
            left.remove(match)
            pairs.append((label, match[1]))
    return pairs + [("O", label) for _, label in left]


def _load_tasks(path: Path) -> list[dict[str, Any]]:
    import json

    from nlp.annotate import doccano

    if Path(path).suffix.lower() == ".jsonl":
        return doccano.read_jsonl(path)
    loaded = json.loads(Path(path).read_text(encoding="utf-8"))
    return loaded if isinstance(loaded, list) else [loaded]


def _records_of(task: dict[str, Any]) -> list[tuple[str, Record]]:
    from nlp.annotate import doccano, labelstudio

    if "data" not in task:
        return doccano.import_lines([task])
    return labelstudio.import_tasks([task])


def compare_exports(first: Path, second: Path) -> ExportComparison:
    """Agreement of two annotators' exports on the tasks both hold."""
    from nlp.evaluate.measures import record_origin

    def keyed(path: Path) -> dict[tuple, dict[str, Any]]:
        return {_task_key(t.get("data", t)): t for t in _load_tasks(path)}

    a_tasks, b_tasks = keyed(first), keyed(second)
    pooled: dict[str, tuple[list, list]] = {
        "indicators": ([], []),
        "statements": ([], []),
        "amounts": ([], []),
    }
    labels: dict[str, LabelTally] = defaultdict(LabelTally)
    label_pairs: list[tuple[str, str]] = []
    for key in sorted(set(a_tasks) & set(b_tasks), key=repr):
        for side, task in enumerate((a_tasks[key], b_tasks[key])):
            for table, record in _records_of(task):
                name = table
                if table == "indicators" and record_origin(record) == "prose":
                    name = "statements"
                pooled[name][side].append(record)
        pairs = _mark_pairs(_marks(a_tasks[key]), _marks(b_tasks[key]))
        label_pairs += pairs
        for la, lb in pairs:
            if la != "O":
                labels[la].first += 1
            if lb != "O":
                labels[lb].second += 1
            if la == lb:
                labels[la].same += 1
    overall = {t: agreement(t, a, b) for t, (a, b) in pooled.items() if a or b}
    spans = {
        "labels": dict(sorted(labels.items())),
        "kappa": cohen_kappa(label_pairs),
        "positions": len(label_pairs),
    }
    return ExportComparison(overall=overall, spans=spans)

"""Score extract output against gold annotations (annotations/README.md, "Scoring").

Gold is a folder of ``<stem>.indicators.jsonl`` and ``<stem>.amounts.jsonl`` files,
one pair per document, records in contract shape. The prediction is an extract
output folder (``indicators``, ``amounts`` and, optionally, ``documents`` tables in
any output format).

Documents are matched by file name: a gold document named ``x.txt`` scores the
prediction whose ``doc`` has that base name; when none has, a prediction with the
same stem (``x.pdf``, ``sub/x.docx``) is used, so gold written for a text export
also scores a run over the original file.

Records are compared as multisets of keys:

* indicators: ``triple`` (level1_norm, level2_norm, metric, target.text), ``metric``,
  ``metric+target`` and ``levels`` (level1_norm, level2_norm, metric);
* amounts: ``value``, ``value+subject`` and ``value+subject~`` (lenient: subjects
  match when one contains the other).

Metrics, target texts and subjects are compared after NFKC (which folds full-width
ASCII to half-width, on both sides alike) with all whitespace removed. Each measure
is scored on all records and on the ``table`` and ``narrative`` subsets (see
:func:`is_narrative`).

Precision with nothing predicted is 1 when nothing was expected, else 0; recall
with nothing expected is 1 when nothing was predicted, else 0.
"""

from __future__ import annotations

import json
import logging
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, Literal

from nlp.write import FORMATS, read_records

logger = logging.getLogger(__name__)

Record = dict[str, Any]
RecordType = Literal["indicator", "amount"]
Subset = Literal["all", "table", "narrative"]
SUBSETS: tuple[Subset, ...] = ("all", "table", "narrative")
GOLD_SUFFIXES: dict[RecordType, str] = {
    "indicator": ".indicators.jsonl",
    "amount": ".amounts.jsonl",
}
ABSENT = "absent"
# Characters of an error's source text shown in the text report.
SOURCE_TEXT_SHOWN = 100


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


# ---------------------------------------------------------------- scores


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
    """

    doc: str
    pred_doc: str | None
    status: str
    error: str | None
    scores: tuple[ScoreRow, ...]
    errors: tuple[ErrorItem, ...]

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


# ---------------------------------------------------------------- matching


def _pair_in_order(gold: list[int], pred: list[int]) -> list[tuple[int, int]]:
    return list(zip(gold, pred, strict=False))


def _max_matching(
    gold: Sequence[int], pred: Sequence[int], ok: Callable[[int, int], bool]
) -> list[tuple[int, int]]:
    """Maximum bipartite matching (Kuhn's augmenting paths)."""
    edges = {g: [p for p in pred if ok(g, p)] for g in gold}
    owner: dict[int, int] = {}

    def augment(g: int, seen: set[int]) -> bool:
        for p in edges[g]:
            if p in seen:
                continue
            seen.add(p)
            if p not in owner or augment(owner[p], seen):
                owner[p] = g
                return True
        return False

    for g in gold:
        augment(g, set())
    return [(g, p) for p, g in owner.items()]


def match(
    gold: Sequence[Record], pred: Sequence[Record], measure: Measure
) -> tuple[int, list[int], list[int]]:
    """Match records under ``measure`` as multisets.

    Returns:
        (matched pairs, indices of unmatched gold, indices of unmatched pred).
    """
    groups: dict[Hashable, tuple[list[int], list[int]]] = defaultdict(lambda: ([], []))
    for i, record in enumerate(gold):
        groups[measure.key(record)][0].append(i)
    for i, record in enumerate(pred):
        groups[measure.key(record)][1].append(i)
    matched, missing, spurious = 0, [], []
    for g_idx, p_idx in groups.values():
        pairs = _pair_group(gold, pred, g_idx, p_idx, measure)
        matched += len(pairs)
        used_g = {g for g, _ in pairs}
        used_p = {p for _, p in pairs}
        missing += [g for g in g_idx if g not in used_g]
        spurious += [p for p in p_idx if p not in used_p]
    return matched, sorted(missing), sorted(spurious)


def _pair_group(
    gold: Sequence[Record],
    pred: Sequence[Record],
    g_idx: list[int],
    p_idx: list[int],
    measure: Measure,
) -> list[tuple[int, int]]:
    """Pairs within one key group; identical records first for lenient measures."""
    if measure.compatible is None or measure.exact is None:
        return _pair_in_order(g_idx, p_idx)
    exact = match(
        [gold[i] for i in g_idx],
        [pred[i] for i in p_idx],
        Measure(measure.name, measure.record, measure.exact),
    )
    _, rest_g_local, rest_p_local = exact
    rest_g = [g_idx[i] for i in rest_g_local]
    rest_p = [p_idx[i] for i in rest_p_local]
    unpaired_g, unpaired_p = set(rest_g), set(rest_p)
    paired_g = [g for g in g_idx if g not in unpaired_g]
    paired_p = [p for p in p_idx if p not in unpaired_p]
    compatible = measure.compatible
    loose = _max_matching(rest_g, rest_p, lambda g, p: compatible(gold[g], pred[p]))
    return list(zip(paired_g, paired_p, strict=True)) + loose


def _describe(record: Record, measure: Measure) -> str:
    key = measure.exact(record) if measure.exact else measure.key(record)
    parts = key if isinstance(key, tuple) else (key,)
    return " | ".join("∅" if part is None else str(part) for part in parts)


def _errors(
    doc: str,
    gold: Sequence[Record],
    pred: Sequence[Record],
    measure: Measure,
    missing: list[int],
    spurious: list[int],
) -> list[ErrorItem]:
    items = []
    for kind, records, indices in (
        ("missing", gold, missing),
        ("spurious", pred, spurious),
    ):
        for i in indices:
            source = records[i].get("source") or {}
            items.append(
                ErrorItem(
                    doc=doc,
                    record=measure.record,
                    kind=kind,
                    measure=measure.name,
                    key=_describe(records[i], measure),
                    source_text=source.get("text"),
                    line=source.get("line"),
                )
            )
    return items


def score_document(
    doc: str,
    gold: dict[RecordType, list[Record]],
    pred: dict[RecordType, list[Record]],
) -> tuple[tuple[ScoreRow, ...], tuple[ErrorItem, ...]]:
    """Every measure on every subset for one document, and its errors."""
    rows, errors = [], []
    for measure in MEASURES:
        for subset in SUBSETS:
            g = [r for r in gold[measure.record] if _in_subset(r, subset)]
            p = [r for r in pred[measure.record] if _in_subset(r, subset)]
            tp, missing, spurious = match(g, p, measure)
            score = Score(tp=tp, fp=len(spurious), fn=len(missing))
            rows.append(ScoreRow(measure.record, measure.name, subset, score))
            if subset == "all" and measure.name in ERROR_MEASURES:
                errors += _errors(doc, g, p, measure, missing, spurious)
    return tuple(rows), tuple(errors)


# ---------------------------------------------------------------- loading


def _read_jsonl(path: Path) -> list[Record]:
    return list(read_records(path)) if path.exists() else []


def load_gold(gold_dir: Path) -> dict[str, dict[RecordType, list[Record]]]:
    """Gold records per document name (the records' ``doc`` base name, or stem).

    Raises:
        FileNotFoundError: the folder holds no gold files.
    """
    gold_dir = Path(gold_dir)
    stems = sorted(
        {
            path.name[: -len(suffix)]
            for suffix in GOLD_SUFFIXES.values()
            for path in gold_dir.glob(f"*{suffix}")
        }
    )
    if not stems:
        raise FileNotFoundError(
            f"{gold_dir}: no gold files (*.indicators.jsonl, *.amounts.jsonl)"
        )
    gold = {}
    for stem in stems:
        records: dict[RecordType, list[Record]] = {
            kind: _read_jsonl(gold_dir / f"{stem}{suffix}")
            for kind, suffix in GOLD_SUFFIXES.items()
        }
        names = {
            PurePosixPath(r["doc"]).name
            for rs in records.values()
            for r in rs
            if r.get("doc")
        }
        gold[names.pop() if len(names) == 1 else stem] = records
    return gold


def _table_file(pred_dir: Path, table: str) -> Path | None:
    for fmt in FORMATS:
        path = pred_dir / f"{table}.{fmt}"
        if path.exists():
            return path
    return None


def load_pred(
    pred_dir: Path,
) -> tuple[dict[str, dict[RecordType, list[Record]]], dict[str, Record]]:
    """Predicted records per ``doc``, and documents.jsonl entries per ``doc``.

    Raises:
        FileNotFoundError: the folder holds no indicators or amounts table.
    """
    pred_dir = Path(pred_dir)
    pred: dict[str, dict[RecordType, list[Record]]] = defaultdict(
        lambda: {"indicator": [], "amount": []}
    )
    found = False
    for kind, table in (("indicator", "indicators"), ("amount", "amounts")):
        path = _table_file(pred_dir, table)
        if path is None:
            continue
        found = True
        for record in read_records(path):
            pred[record["doc"]][kind].append(record)
    if not found:
        raise FileNotFoundError(
            f"{pred_dir}: no extract output (indicators.jsonl, amounts.jsonl)"
        )
    documents: dict[str, Record] = {}
    path = _table_file(pred_dir, "documents")
    if path is not None:
        documents = {r["doc"]: r for r in read_records(path)}
    return dict(pred), documents


def _stem(name: str) -> str:
    return PurePosixPath(name).stem


def _match_docs(gold_names: Iterable[str], pred_docs: Iterable[str]) -> dict[str, str]:
    """Gold name → predicted ``doc``: same base name, else same stem."""
    pred_docs = sorted(set(pred_docs))
    by_name: dict[str, list[str]] = defaultdict(list)
    by_stem: dict[str, list[str]] = defaultdict(list)
    for doc in pred_docs:
        by_name[PurePosixPath(doc).name].append(doc)
        by_stem[_stem(doc)].append(doc)
    matched = {}
    for name in gold_names:
        candidates = by_name.get(name) or by_stem.get(_stem(name)) or []
        if len(candidates) > 1:
            logger.warning(
                "%s: several predictions match (%s); using %s",
                name,
                ", ".join(candidates),
                candidates[0],
            )
        if candidates:
            matched[name] = candidates[0]
    return matched


def evaluate(gold_dir: Path, pred_dir: Path) -> Report:
    """Score an extract output folder against a gold folder.

    Args:
        gold_dir: folder of ``<stem>.indicators.jsonl`` / ``<stem>.amounts.jsonl``.
        pred_dir: extract output folder.

    Returns:
        The report: overall micro scores, per-document scores and errors.

    Raises:
        FileNotFoundError: either folder holds no records files.
    """
    gold = load_gold(gold_dir)
    pred, documents = load_pred(pred_dir)
    matched = _match_docs(gold, set(pred) | set(documents))
    empty: dict[RecordType, list[Record]] = {"indicator": [], "amount": []}
    reports = []
    for name in sorted(gold):
        pred_doc = matched.get(name)
        rows, errors = score_document(name, gold[name], pred.get(pred_doc, empty))
        entry = documents.get(pred_doc, {}) if pred_doc else {}
        reports.append(
            DocReport(
                doc=name,
                pred_doc=pred_doc,
                status=entry.get("status", "ok" if pred_doc else ABSENT),
                error=entry.get("error"),
                scores=rows,
                errors=errors,
            )
        )
    overall = _sum_rows(reports)
    unscored = tuple(sorted((set(pred) | set(documents)) - set(matched.values())))
    return Report(overall=overall, documents=tuple(reports), unscored=unscored)


def _sum_rows(reports: Sequence[DocReport]) -> tuple[ScoreRow, ...]:
    totals: dict[tuple[RecordType, str, Subset], Score] = {}
    for report in reports:
        for row in report.scores:
            key = (row.record, row.measure, row.subset)
            totals[key] = totals.get(key, Score()) + row.score
    if not reports:
        return tuple(
            ScoreRow(m.record, m.name, s, Score()) for m in MEASURES for s in SUBSETS
        )
    return tuple(ScoreRow(r, m, s, score) for (r, m, s), score in totals.items())


# ---------------------------------------------------------------- rendering


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def report_json(report: Report) -> str:
    """The report as indented JSON text."""
    return json.dumps(report.to_dict(), ensure_ascii=False, indent=2)


def render_text(report: Report, console: Any, max_errors: int = 20) -> None:
    """Print the report as Rich tables.

    Args:
        report: the evaluation report.
        console: a ``rich.console.Console``.
        max_errors: errors listed per document (all are in the JSON form).
    """
    from rich.box import SIMPLE
    from rich.table import Table

    overall = Table(title="Overall (micro)", box=SIMPLE)
    for column in ("record", "measure", "subset", "TP", "FP", "FN", "P", "R", "F1"):
        is_label = column.islower()
        overall.add_column(
            column, justify="left" if is_label else "right", no_wrap=True
        )
    for row in report.overall:
        s = row.score
        overall.add_row(
            row.record,
            row.measure,
            row.subset,
            str(s.tp),
            str(s.fp),
            str(s.fn),
            f"{s.precision:.3f}",
            f"{s.recall:.3f}",
            f"{s.f1:.3f}",
        )
    console.print(overall)

    per_doc = Table(title="Per document (F1, all records)", box=SIMPLE)
    per_doc.add_column("doc", no_wrap=True)
    per_doc.add_column("status")
    headline = ("triple", "metric", "value", "value+subject")
    for name in headline:
        per_doc.add_column(name, justify="right")
    for doc in report.documents:
        per_doc.add_row(
            doc.doc,
            doc.status,
            *(f"{doc.score(name).f1:.3f}" for name in headline),
        )
    console.print(per_doc)

    for doc in report.documents:
        if doc.error:
            console.print(f"{doc.doc}: {doc.error}", style="red", markup=False)
        if not doc.errors:
            continue
        console.print(f"\n{doc.doc}: {len(doc.errors)} errors", style="bold")
        for item in doc.errors[:max_errors]:
            where = f" (line {item.line})" if item.line else ""
            shown = " ".join((item.source_text or "").split())
            console.print(
                f"  {item.kind:8} {item.record:9} {item.key}{where}\n"
                f"           {_clip(shown, SOURCE_TEXT_SHOWN)}",
                markup=False,
                highlight=False,
                soft_wrap=True,
            )
        if len(doc.errors) > max_errors:
            console.print(f"  … {len(doc.errors) - max_errors} more", markup=False)
    if report.unscored:
        console.print(
            f"\nno gold for: {', '.join(report.unscored)}", markup=False, soft_wrap=True
        )

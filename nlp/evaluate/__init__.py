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
  match when one contains the other);
* spans: ``METRIC``, ``TARGET``, ``ACTUAL``, ``LEVEL`` and ``AMOUNT``, the labelled
  surface texts the records name (``measures.record_spans``).

Metrics, target texts and subjects are compared after NFKC (which folds full-width
ASCII to half-width, on both sides alike) with all whitespace removed. Each measure
is scored on all records and on the ``table`` and ``narrative`` subsets (see
:func:`is_narrative`).

Precision with nothing predicted is 1 when nothing was expected, else 0; recall
with nothing expected is 1 when nothing was predicted, else 0.

The package holds :mod:`~nlp.evaluate.measures` (keys and subsets),
:mod:`~nlp.evaluate.scores` (result records), :mod:`~nlp.evaluate.match`
(matching and per-document scoring), :mod:`~nlp.evaluate.load` (reading folders)
and :mod:`~nlp.evaluate.render` (JSON and Rich output); :func:`evaluate` ties them
together.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from nlp.evaluate.load import (
    GOLD_SUFFIXES,
    _match_docs,
    load_gold,
    load_pred,
    load_scope,
)
from nlp.evaluate.match import match, score_document
from nlp.evaluate.measures import (
    AMOUNT_MEASURES,
    ERROR_MEASURES,
    INDICATOR_MEASURES,
    MEASURES,
    SUBSETS,
    Measure,
    Record,
    RecordType,
    Subset,
    is_narrative,
    norm_text,
)
from nlp.evaluate.render import (
    SOURCE_TEXT_SHOWN,
    render_groups,
    render_text,
    report_json,
)
from nlp.evaluate.scope import restrict
from nlp.evaluate.scores import DocReport, ErrorItem, Report, Score, ScoreRow

__all__ = [
    "ABSENT",
    "AMOUNT_MEASURES",
    "ERROR_MEASURES",
    "GOLD_SUFFIXES",
    "INDICATOR_MEASURES",
    "MEASURES",
    "SOURCE_TEXT_SHOWN",
    "SUBSETS",
    "DocReport",
    "ErrorItem",
    "Measure",
    "Record",
    "RecordType",
    "Report",
    "Score",
    "ScoreRow",
    "Subset",
    "evaluate",
    "group_scores",
    "is_narrative",
    "load_gold",
    "load_pred",
    "match",
    "norm_text",
    "render_groups",
    "render_text",
    "report_json",
    "score_document",
]

ABSENT = "absent"


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
    scopes = load_scope(gold_dir)
    pred, documents = load_pred(pred_dir)
    matched = _match_docs(gold, set(pred) | set(documents))
    empty: dict[RecordType, list[Record]] = {"indicator": [], "amount": []}
    reports = []
    for name in sorted(gold):
        pred_doc = matched.get(name)
        predicted = restrict(pred.get(pred_doc, empty), scopes.get(name))
        rows, errors = score_document(name, gold[name], predicted)
        entry = documents.get(pred_doc, {}) if pred_doc else {}
        reports.append(
            DocReport(
                doc=name,
                pred_doc=pred_doc,
                status=entry.get("status", "ok" if pred_doc else ABSENT),
                error=entry.get("error"),
                scores=rows,
                errors=errors,
                attrs=_attrs(name, gold[name]),
            )
        )
    overall = _sum_rows(reports)
    unscored = tuple(sorted((set(pred) | set(documents)) - set(matched.values())))
    return Report(overall=overall, documents=tuple(reports), unscored=unscored)


# Gold fields a report can be grouped on, besides the document itself.
GROUP_FIELDS = ("city", "format")


def _attrs(name: str, records: dict[RecordType, list[Record]]) -> dict[str, str]:
    """The document's group values: each field's value on its gold records."""
    attrs = {"doc": name}
    for field in GROUP_FIELDS:
        values = {r.get(field) for rs in records.values() for r in rs} - {None}
        attrs[field] = values.pop() if len(values) == 1 else "—"
    return attrs


def group_scores(report: Report, field: str) -> dict[str, tuple[ScoreRow, ...]]:
    """Micro scores per value of a gold field (``city``, ``format``, ``doc``).

    Raises:
        KeyError: ``field`` is not one the report's documents carry.
    """
    groups: dict[str, list[DocReport]] = {}
    for doc in report.documents:
        if field not in doc.attrs:
            raise KeyError(f"cannot group by {field!r}: not a gold field")
        groups.setdefault(doc.attrs[field], []).append(doc)
    return {value: _sum_rows(docs) for value, docs in sorted(groups.items())}


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

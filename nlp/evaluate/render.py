"""The evaluation report as JSON text or as Rich tables."""

from __future__ import annotations

import json
from typing import Any

from nlp.evaluate.measures import Subset
from nlp.evaluate.scores import Report, ScoreRow

# Characters of an error's source text shown in the text report.
SOURCE_TEXT_SHOWN = 100


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def report_json(report: Report) -> str:
    """The report as indented JSON text."""
    return json.dumps(report.to_dict(), ensure_ascii=False, indent=2)


# The figures a per-document or per-group row shows: (measure, subset).
HEADLINE: tuple[tuple[str, Subset], ...] = (
    ("triple", "table"),
    ("statement", "narrative"),
    ("value", "all"),
    ("value+subject~", "all"),
)


def _headline_label(measure: str, subset: Subset) -> str:
    return measure if subset == "all" else f"{measure} ({subset})"


def _headline_cells(rows: tuple[ScoreRow, ...]) -> list[str]:
    """F1 (and gold count) of each headline figure; "—" where nothing is compared."""
    cells = []
    for measure, subset in HEADLINE:
        score = next(
            r.score for r in rows if r.measure == measure and r.subset == subset
        )
        expected = score.tp + score.fn
        if expected == 0 and score.fp == 0:
            cells.append("—")
        else:
            cells.append(f"{score.f1:.3f} (n={expected})")
    return cells


def render_groups(
    groups: dict[str, tuple[ScoreRow, ...]], field: str, console: Any
) -> None:
    """Print one row of headline F1 figures per group (city, format, ...)."""
    from rich.box import SIMPLE
    from rich.table import Table

    table = Table(title=f"Per {field} (F1)", box=SIMPLE)
    table.add_column(field, no_wrap=True)
    for measure, subset in HEADLINE:
        table.add_column(_headline_label(measure, subset), justify="right")
    for value, rows in groups.items():
        table.add_row(value, *_headline_cells(rows))
    console.print(table)


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

    per_doc = Table(title="Per document (F1)", box=SIMPLE)
    per_doc.add_column("doc", no_wrap=True)
    per_doc.add_column("status")
    for measure, subset in HEADLINE:
        per_doc.add_column(_headline_label(measure, subset), justify="right")
    for doc in report.documents:
        per_doc.add_row(doc.doc, doc.status, *_headline_cells(doc.scores))
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

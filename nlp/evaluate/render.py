"""The evaluation report as JSON text or as Rich tables."""

from __future__ import annotations

import json
from typing import Any

from nlp.evaluate.scores import Report

# Characters of an error's source text shown in the text report.
SOURCE_TEXT_SHOWN = 100


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

"""Markdown tables of an evaluation on the real corpus, for the README and notes.

Usage: python tools/figures.py GOLD PRED   (prints Markdown)

Per document and per city: table-row triple F1, prose statement F1 (split into
target and actual), amount value F1 and value + subject (lenient) F1, each with
its gold count.
"""

from __future__ import annotations

import sys
from pathlib import Path

from nlp.evaluate import Score, evaluate, group_scores
from nlp.evaluate.scores import ScoreRow

COLUMNS = (
    ("table triple", "triple", "table"),
    ("prose statement", "statement", "narrative"),
    ("prose target", "statement:target", "narrative"),
    ("prose actual", "statement:actual", "narrative"),
    ("amount value", "value", "all"),
    ("value + subject (lenient)", "value+subject~", "all"),
)


def _find(rows: tuple[ScoreRow, ...], measure: str, subset: str) -> Score:
    return next(r.score for r in rows if r.measure == measure and r.subset == subset)


def _cell(score: Score) -> str:
    n = score.tp + score.fn
    if n == 0 and score.fp == 0:
        return "—"
    return f"{score.f1:.3f} ({score.tp}/{score.fp}/{score.fn})"


def _table(title: str, groups: dict[str, tuple[ScoreRow, ...]]) -> str:
    lines = [f"| {title} | " + " | ".join(c[0] for c in COLUMNS) + " |"]
    lines.append("| --- " * (len(COLUMNS) + 1) + "|")
    for name, rows in groups.items():
        cells = [_cell(_find(rows, m, s)) for _, m, s in COLUMNS]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(gold: Path, pred: Path) -> str:
    report = evaluate(gold, pred)
    docs = {d.doc: d.scores for d in report.documents}
    parts = [
        "F1 (TP/FP/FN); table triple = levels, metric and target of table rows; "
        "prose statement = metric, value and kind.",
        "",
        _table("all", {"all documents": report.overall}),
        "",
        _table("city", group_scores(report, "city")),
        "",
        _table("document", docs),
        "",
        _table("format", group_scores(report, "format")),
    ]
    return "\n".join(parts)


if __name__ == "__main__":
    print(main(Path(sys.argv[1]), Path(sys.argv[2])))

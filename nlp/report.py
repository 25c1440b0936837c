"""The health report: what a reviewer would flag in an extraction, without gold.

It aggregates the ``checks`` that :mod:`nlp.check` writes per document into
documents.jsonl: indicator-table pages found by their words against pages that gave
table records, targets that are a bare unit or a level name, qualitative targets
with a digit, metrics equal to a level name (reported, not an error), duplicates,
amounts from column-number rows and 总计/合计 projects; and it lists every table
total whose parts do not add up (:mod:`nlp.sums`), with the parts' sum, the
difference and a cause category, read from the total's record in amounts.jsonl.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nlp.sums import MISMATCH, MismatchNote
from nlp.write import FORMATS, read_records

# The columns of the report, in order: (check name, short header).
COLUMNS: tuple[tuple[str, str], ...] = (
    ("indicator-table-pages", "table pages"),
    ("indicator-table-pages-without-records", "pages w/o rows"),
    ("target-bare-unit", "bare unit"),
    ("target-level-name", "level target"),
    ("target-qualitative-with-number", "qual+digit"),
    ("metric-level-name", "level metric"),
    ("duplicate-indicator", "dup ind"),
    ("duplicate-amount", "dup amt"),
    ("amount-column-number-row", "col-no amt"),
    ("project-total", "总计 project"),
    ("sum-totals", "totals"),
    ("sum-mismatch", "sum mismatch"),
    ("sum-repaired", "sum repaired"),
)


@dataclass(frozen=True)
class HealthRow:
    """One document's record counts and check counts."""

    doc: str
    status: str
    indicators: int
    amounts: int
    checks: dict[str, int] = field(default_factory=dict)

    def count(self, name: str) -> int:
        """A check's count (0 when it did not flag anything)."""
        return int(self.checks.get(name, 0))


@dataclass(frozen=True)
class MismatchRow:
    """One table total whose parts do not add up, where it is and by how much."""

    doc: str
    page: int | None
    table: int | None
    row: int | None
    column: str | None
    subject: str | None
    text: str
    note: MismatchNote

    def to_dict(self) -> dict[str, Any]:
        """The mismatch as the JSON report writes it (money as strings)."""
        return {
            "page": self.page,
            "table": self.table,
            "row": self.row,
            "column": self.column,
            "subject": self.subject,
            "text": self.text,
            "total": str(self.note.total),
            "parts": str(self.note.parts),
            "difference": str(self.note.difference),
            "part_rows": list(self.note.rows),
            "cause": self.note.cause,
        }


def output_table(out_dir: Path, name: str) -> Path | None:
    """An output table of an extract folder in whichever format it was written."""
    for fmt in FORMATS:
        path = Path(out_dir) / f"{name}.{fmt}"
        if path.exists():
            return path
    return None


def mismatch_rows(out_dir: Path) -> list[MismatchRow]:
    """Every mismatched total of an extract folder, by document, page and row."""
    path = output_table(out_dir, "amounts")
    if path is None:
        return []
    out = []
    for record in read_records(path):
        if MISMATCH not in (record.get("flags") or ()):
            continue
        for text in record.get("notes") or ():
            note = MismatchNote.from_text(text)
            if note is not None:
                out.append(_mismatch_row(record, note))
    return sorted(out, key=lambda m: (m.doc, m.page or 0, m.table or 0, m.row or 0))


def _mismatch_row(record: dict[str, Any], note: MismatchNote) -> MismatchRow:
    source = record.get("source") or {}
    return MismatchRow(
        doc=record["doc"],
        page=source.get("page"),
        table=source.get("table"),
        row=source.get("row"),
        column=record.get("column"),
        subject=record.get("subject"),
        text=record.get("text") or "",
        note=note,
    )


def render_mismatches(rows: list[MismatchRow], console: Any) -> None:
    """Print the mismatched totals as a Rich table, then the count per cause."""
    from collections import Counter

    from rich.box import SIMPLE
    from rich.table import Table

    table = Table(title="Sum mismatches (yuan)", box=SIMPLE)
    for header in ("doc", "page", "table", "row", "column", "total row"):
        table.add_column(header)
    for header in ("total", "sum of parts", "difference"):
        table.add_column(header, justify="right")
    table.add_column("cause")
    for row in rows:
        table.add_row(
            row.doc,
            str(row.page),
            str(row.table),
            str(row.row),
            row.column or "",
            row.subject or "",
            f"{row.note.total:,.2f}",
            f"{row.note.parts:,.2f}",
            f"{row.note.difference:,.2f}",
            row.note.cause,
        )
    console.print(table)
    causes = Counter(row.note.cause for row in rows)
    console.print(
        "causes: " + ", ".join(f"{c} {n}" for c, n in causes.most_common())
        if causes
        else "no sum mismatches"
    )


def documents_table(out_dir: Path) -> Path:
    """The documents table of an extract output folder.

    Raises:
        FileNotFoundError: the folder holds no documents table.
    """
    for fmt in FORMATS:
        path = Path(out_dir) / f"documents.{fmt}"
        if path.exists():
            return path
    raise FileNotFoundError(f"{out_dir}: no documents table (documents.jsonl)")


def health_rows(out_dir: Path) -> list[HealthRow]:
    """One row per document of an extract output folder, sorted by name."""
    rows = [_row(record) for record in read_records(documents_table(out_dir))]
    return sorted(rows, key=lambda r: r.doc)


def _row(record: dict[str, Any]) -> HealthRow:
    checks = record.get("checks") or {}
    return HealthRow(
        doc=record["doc"],
        status=record.get("status") or "?",
        indicators=int(record.get("indicators") or 0),
        amounts=int(record.get("amounts") or 0),
        checks={k: int(v) for k, v in checks.items()},
    )


def totals(rows: Iterable[HealthRow]) -> dict[str, int]:
    """Each column summed over documents, with the record counts."""
    rows = list(rows)
    out = {"indicators": sum(r.indicators for r in rows)}
    out["amounts"] = sum(r.amounts for r in rows)
    out |= {name: sum(r.count(name) for r in rows) for name, _ in COLUMNS}
    return out


def render(rows: list[HealthRow], console: Any) -> None:
    """Print the report as a Rich table, one row per document and a total row."""
    from rich.box import SIMPLE
    from rich.table import Table

    table = Table(title="Health report (counts a reviewer would look at)", box=SIMPLE)
    table.add_column("doc", no_wrap=True)
    table.add_column("status")
    table.add_column("ind", justify="right")
    table.add_column("amt", justify="right")
    for _, header in COLUMNS:
        table.add_column(header, justify="right")
    for row in rows:
        table.add_row(
            row.doc,
            row.status,
            str(row.indicators),
            str(row.amounts),
            *(str(row.count(name)) for name, _ in COLUMNS),
        )
    total = totals(rows)
    table.add_row(
        "total",
        f"{len(rows)} docs",
        str(total["indicators"]),
        str(total["amounts"]),
        *(str(total[name]) for name, _ in COLUMNS),
        style="bold",
    )
    console.print(table)

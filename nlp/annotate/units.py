"""Records grouped into what an annotator reviews: a page, a table row, a passage.

Every record goes to exactly one unit, so a correction has one home:

- a page of a PDF or scan (:class:`PageUnit`): every indicator and amount found on
  the page, drawn as a box on the page image;
- a row of a table in any other format (:class:`RowUnit`): the row's cells with
  its indicator fields (level1, level2, metric, target, actual); rows of an
  indicator table that hold no record are units too, so a missed row can be added;
- a passage of running text (:class:`PassageUnit`): the text with every prose
  indicator (metric and value spans, linked) and every amount as spans.

A record that cannot be placed (a text record without offsets whose quoted text is
not found) stays with its document as ``unplaced`` and comes back unchanged.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

Record = dict[str, Any]

PAGED_SUFFIXES = frozenset({".pdf", ".png", ".jpg", ".jpeg", ".tif", ".tiff"})
# A passage gathers consecutive blocks up to this many characters.
PASSAGE_CHARS = 1200
# Rows of the table shown above and below the row under review.
ROW_CONTEXT = 2
TABLES = ("indicators", "amounts")


@dataclass(frozen=True, slots=True)
class Item:
    """One record and the table it belongs to (``indicators`` / ``amounts``)."""

    table: str
    record: Record


@dataclass(slots=True)
class PageUnit:
    """A page of a paginated document and the records found on it."""

    doc: str
    page: int
    items: list[Item] = field(default_factory=list)


@dataclass(slots=True)
class RowUnit:
    """A table row: its cells, the header above it, and its indicator records."""

    doc: str
    table: int
    row: int
    page: int | None
    cells: list[str]
    header: list[str]
    context: list[list[str]]
    project: str | None
    bbox: list[float] | None = None
    items: list[Item] = field(default_factory=list)


@dataclass(slots=True)
class PassageUnit:
    """Running text (``offset`` into the document's text) and its span records."""

    doc: str
    offset: int
    text: str
    page: int | None = None
    items: list[Item] = field(default_factory=list)


@dataclass(slots=True)
class Units:
    """Every unit of a set of documents, and the records that found no unit."""

    pages: list[PageUnit] = field(default_factory=list)
    rows: list[RowUnit] = field(default_factory=list)
    passages: list[PassageUnit] = field(default_factory=list)
    unplaced: list[Item] = field(default_factory=list)


def is_paged(doc: str) -> bool:
    """True for documents reviewed as page images (PDFs and scans)."""
    return Path(doc).suffix.lower() in PAGED_SUFFIXES


def read_jsonl(path: Path) -> list[Record]:
    """The objects of a JSON Lines file (none when it is missing)."""
    if not path.exists():
        return []
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def load_records(folder: Path) -> dict[str, list[Item]]:
    """Records per document from an extraction's ``--out`` folder or a gold folder.

    ``indicators.jsonl`` / ``amounts.jsonl`` (an extraction) and
    ``<stem>.indicators.jsonl`` / ``<stem>.amounts.jsonl`` (gold) are both read.
    """
    folder = Path(folder)
    by_doc: dict[str, list[Item]] = defaultdict(list)
    for table in TABLES:
        paths = [folder / f"{table}.jsonl", *sorted(folder.glob(f"*.{table}.jsonl"))]
        for path in paths:
            for record in read_jsonl(path):
                by_doc[record["doc"]].append(Item(table, record))
    return dict(by_doc)


def doc_paths(inputs: list[Path]) -> dict[str, Path]:
    """Document name → file, named as ``extract`` names them (and by file name)."""
    from nlp.pipeline.inputs import collect_inputs

    pairs = collect_inputs(list(inputs)) if inputs else []
    found: dict[str, Path] = {}
    for path, doc in pairs:
        found.setdefault(doc, path)
        found.setdefault(path.name, path)
    return found


def find_doc(doc: str, paths: dict[str, Path]) -> Path | None:
    """The file of ``doc``: by its name as written, else by its file name."""
    return paths.get(doc) or paths.get(Path(doc).name)


def build_units(records: dict[str, list[Item]], paths: dict[str, Path]) -> Units:
    """Group each document's records into review units.

    Args:
        records: :func:`load_records` output.
        paths: :func:`doc_paths` output; text documents must be found here.

    Raises:
        FileNotFoundError: a non-paginated document's file is not among ``paths``.
    """
    units = Units()
    for doc in sorted(records):
        items = records[doc]
        if is_paged(doc):
            units.pages += _page_units(doc, items)
            continue
        path = find_doc(doc, paths)
        if path is None:
            raise FileNotFoundError(f"{doc}: not among the --docs inputs")
        _text_units(doc, path, items, units)
    return units


def _page_units(doc: str, items: list[Item]) -> list[PageUnit]:
    pages: dict[int, PageUnit] = {}
    for item in items:
        page = item.record["source"].get("page") or 1
        pages.setdefault(page, PageUnit(doc, page)).items.append(item)
    return [pages[p] for p in sorted(pages)]


def _is_row_record(item: Item) -> bool:
    """An indicator read from a table row (not a statement in a prose cell)."""
    from nlp.evaluate.measures import record_origin

    source = item.record["source"]
    return (
        item.table == "indicators"
        and record_origin(item.record) == "table"
        and source.get("table") is not None
        and source.get("row") is not None
    )


def _text_units(doc: str, path: Path, items: list[Item], units: Units) -> None:
    """Row units for table indicators, passages for the rest of a text document."""
    from nlp.blocks import recover_tables
    from nlp.read import read_document

    document = read_document(path, name=doc, ocr="never")
    row_items = [i for i in items if _is_row_record(i)]
    span_items = [i for i in items if not _is_row_record(i)]
    units.rows += _row_units(doc, recover_tables(document), row_items, units)
    passages = _passages(doc, document)
    for item in span_items:
        span = record_span(item, document.text)
        home = _passage_at(passages, span) if span else None
        if home is None:
            units.unplaced.append(item)
        else:
            home.items.append(item)
    units.passages += passages


def _row_units(
    doc: str, tables: tuple, items: list[Item], units: Units
) -> list[RowUnit]:
    """A unit per data row of every table holding an indicator record."""
    by_row: dict[tuple[int, int], list[Item]] = defaultdict(list)
    for item in items:
        source = item.record["source"]
        by_row[(source["table"], source["row"])].append(item)
    out = []
    for view in tables:
        held = sorted(r for t, r in by_row if t == view.index)
        if not held:
            continue
        project = next(
            (
                i.record.get("project")
                for (t, _), its in by_row.items()
                for i in its
                if t == view.index and i.record.get("project")
            ),
            None,
        )
        for row in view.rows:
            mine = by_row.pop((view.index, row.index), [])
            if not mine and (row.role != "data" or row.index < held[0]):
                continue
            out.append(_row_unit(doc, view, row, project, mine))
    for (_, _), rest in sorted(by_row.items()):
        units.unplaced += rest  # a record naming a row the reader did not recover
    return out


def _row_unit(doc: str, view: Any, row: Any, project: str | None, items: list[Item]):
    header_index = max(
        (s.header_row for s in view.sections if s.header_row < row.index), default=None
    )
    header = list(view.rows[header_index].cells) if header_index is not None else []
    lo, hi = max(0, row.index - ROW_CONTEXT), row.index + ROW_CONTEXT + 1
    context = [list(r.cells) for r in view.rows[lo:hi]]
    return RowUnit(
        doc=doc,
        table=view.index,
        row=row.index,
        page=row.page,
        cells=list(row.cells),
        header=header,
        context=context,
        project=project,
        bbox=list(row.bbox) if row.bbox else None,
        items=items,
    )


def _passages(doc: str, document: Any) -> list[PassageUnit]:
    """Consecutive blocks joined up to :data:`PASSAGE_CHARS` characters."""
    passages: list[PassageUnit] = []
    start = end = None
    page = None
    for block in document.blocks:
        spans = [p.span for p in block.prov if p.span]
        if not spans:
            continue
        b_start, b_end = spans[0][0], spans[-1][1]
        if start is not None and b_end - start > PASSAGE_CHARS:
            passages.append(PassageUnit(doc, start, document.text[start:end], page))
            start = None
        if start is None:
            start, page = b_start, block.page
        end = b_end
    if start is not None:
        passages.append(PassageUnit(doc, start, document.text[start:end], page))
    return passages


def _passage_at(
    passages: list[PassageUnit], span: tuple[int, int]
) -> PassageUnit | None:
    for passage in passages:
        if passage.offset <= span[0] and span[1] <= passage.offset + len(passage.text):
            return passage
    return None


def record_span(item: Item, text: str) -> tuple[int, int] | None:
    """Where a span record lies in the document's text.

    The record's ``source.span`` when it has one; else where its quoted
    ``source.text`` is found (the first occurrence), or None.
    """
    source = item.record["source"]
    if source.get("span"):
        start, end = source["span"]
        return int(start), int(end)
    quoted = (source.get("text") or "").strip()
    at = text.find(quoted) if quoted else -1
    return (at, at + len(quoted)) if at >= 0 else None

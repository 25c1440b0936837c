"""Span annotations for the span model, from the gold records and from templates.

Gold records (``annotations/gold/*.jsonl``) carry the text they were read from and
its line in the corpus file (``source.text``, ``source.line``). Each record's
metric, target and levels (indicators) or amount text (amounts) is looked up inside
its source text in ``annotations/corpus/<doc>`` to get character offsets; the
labels are METRIC, TARGET / ACTUAL (by the record's ``kind``), LEVEL and AMOUNT.
Whitespace may differ (``metric`` has it removed), nothing else. Records that cannot
be found are counted, not guessed.

One example is one line of a corpus file, with every aligned span on it; lines
without spans are kept as negatives. :func:`build_dataset` stores them as a Hugging
Face ``datasets`` corpus (``datasets.load_from_disk("annotations/spans")``), one
row per line, with a ``doc`` column for leave-one-document-out.

:func:`synthesize` writes sentences from templates filled with the metric names,
targets and amounts of the examples it is given (the training fold only), so the
model sees phrasings the five documents do not use. Synthetic rows are never part
of an evaluation set.
"""

from __future__ import annotations

import hashlib
import json
import logging
import random
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nlp.classify import document_kind

logger = logging.getLogger(__name__)

INDICATOR_SUFFIX = ".indicators.jsonl"
AMOUNT_SUFFIX = ".amounts.jsonl"
# Characters past the end of a record's source text still searched (the export
# may wrap a sentence onto the next line).
SEARCH_SLACK = 40
_KIND_LABEL = {"target": "TARGET", "actual": "ACTUAL"}
_MEASURE_END = re.compile(r"(?:率|度|比例|比率|占比|数|数量)$")
# Formats whose gold quotes lines of the file itself.
RAW_TEXT_SUFFIXES = frozenset({".txt", ".md"})
_NUMERIC_TARGET = re.compile(r"^[≥≤><]?\d+(?:\.\d+)?(?:%|[个次人项份件家户场名条])?$")


@dataclass(frozen=True, slots=True)
class SpanLabel:
    """A labelled span of an example (offsets into the example's text)."""

    start: int
    end: int
    label: str


@dataclass(slots=True)
class Example:
    """One line of a corpus file and its labelled spans.

    Attributes:
        doc: the corpus file's name.
        line: 1-based line number (0 for synthetic sentences).
        text: the line.
        spans: labelled spans on it.
        doc_kind: the document's default statement kind.
        synthetic: True for template sentences.
    """

    doc: str
    line: int
    text: str
    spans: list[SpanLabel] = field(default_factory=list)
    doc_kind: str = "target"
    synthetic: bool = False
    set_name: str = ""
    city: str = ""
    page: int = 0

    def to_row(self) -> dict[str, Any]:
        """The example as a dataset row."""
        return {
            "doc": self.doc,
            "line": self.line,
            "text": self.text,
            "spans": [
                {"start": s.start, "end": s.end, "label": s.label} for s in self.spans
            ],
            "doc_kind": self.doc_kind,
            "synthetic": self.synthetic,
            "set": self.set_name,
            "city": self.city,
            "page": self.page,
        }

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Example:
        """An example from a dataset row (rows of older corpora lack set/city/page)."""
        spans = [SpanLabel(s["start"], s["end"], s["label"]) for s in row["spans"]]
        return cls(
            row["doc"],
            row["line"],
            row["text"],
            spans,
            row["doc_kind"],
            row["synthetic"],
            row.get("set") or "",
            row.get("city") or "",
            row.get("page") or 0,
        )


@dataclass(slots=True)
class AlignmentReport:
    """How many gold spans were placed, per label, and which failed.

    Attributes:
        aligned: spans found, per label.
        failed: spans not found in their source text, per label.
        crossing: spans found but running over a line break, per label.
        off_tokens: aligned spans whose ends fall inside a segmenter token.
        failures: (doc, line, label, text) of each failure.
    """

    aligned: Counter[str] = field(default_factory=Counter)
    failed: Counter[str] = field(default_factory=Counter)
    crossing: Counter[str] = field(default_factory=Counter)
    off_tokens: int = 0
    failures: list[tuple[str, int, str, str]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The report as JSON."""
        return {
            "aligned": dict(sorted(self.aligned.items())),
            "failed": dict(sorted(self.failed.items())),
            "crossing_lines": dict(sorted(self.crossing.items())),
            "off_token_boundaries": self.off_tokens,
            "failures": [list(f) for f in self.failures],
        }


def _flexible(text: str) -> re.Pattern[str]:
    """A pattern for ``text`` with any whitespace allowed between characters."""
    chars = [re.escape(ch) for ch in re.sub(r"\s+", "", text)]
    return re.compile(r"\s*".join(chars))


class _Aligner:
    """Finds gold texts in one corpus file, never reusing a span."""

    def __init__(self, doc: str, text: str, report: AlignmentReport) -> None:
        self.doc = doc
        self.text = text
        self.report = report
        self.line_starts = [0]
        for match in re.finditer("\n", text):
            self.line_starts.append(match.end())
        self.used: set[tuple[int, int, str]] = set()
        self.spans: list[tuple[int, int, str]] = []

    def region(self, record: dict[str, Any]) -> tuple[int, int]:
        source = record.get("source") or {}
        if not source.get("line"):
            return self._quoted_region(source.get("text") or "")
        line = int(source["line"])
        start = self.line_starts[min(line, len(self.line_starts)) - 1]
        line_end = self.text.find("\n", start)
        line_end = len(self.text) if line_end < 0 else line_end
        quoted = source.get("text") or ""
        found = _flexible(quoted[:60]).search(self.text, start) if quoted else None
        if found is not None and found.start() <= line_end:
            start = found.start()  # the record quotes a sentence inside the line
        end = max(line_end, start + len(quoted)) + SEARCH_SLACK
        return start, min(len(self.text), end)

    def _quoted_region(self, quoted: str) -> tuple[int, int]:
        """Where a record without a line number quotes the document.

        Rows are quoted with their cells joined by `` | ``; the document's text
        joins them with tabs, which the whitespace-tolerant pattern matches once
        the bars are gone. An unquoted or unfound record searches the whole text.
        """
        cells = " ".join(quoted.split(" | "))
        found = _flexible(cells[:60]).search(self.text) if cells.strip() else None
        if found is None:
            return 0, len(self.text)
        end = found.start() + len(cells) + SEARCH_SLACK
        return found.start(), min(len(self.text), end)

    def place(
        self,
        needle: str | None,
        label: str,
        region: tuple[int, int],
        after: int | None = None,
        required: bool = True,
    ) -> int | None:
        """Add the first unused occurrence of ``needle``; return its end."""
        if not needle or not needle.strip():
            return None
        begin = region[0] if after is None else after
        matches = list(_flexible(needle).finditer(self.text, begin, region[1]))

        # Whole cells first, then matches not cut out of a longer number.
        def rank(m: re.Match[str]) -> tuple[bool, bool]:
            return not self._whole_cell(m), not self._whole_number(m)

        matches.sort(key=rank)
        # A 自评 row's target and actual records share their metric: a metric
        # already placed is taken again rather than a worse-placed occurrence.
        shared: re.Match[str] | None = None
        for match in matches:
            key = (match.start(), match.end(), label)
            if shared is not None and rank(match) > rank(shared):
                break
            if key in self.used and label == "METRIC" and shared is None:
                shared = match
            if key in self.used or not self._whole_number(match):
                continue
            if label == "LEVEL" and not self._whole_cell(match):
                continue
            self.used.add(key)
            if "\n" in match.group():
                self.report.crossing[label] += 1
                return match.end()
            self.spans.append(key)
            self.report.aligned[label] += 1
            return match.end()
        if shared is not None:
            return shared.end()
        if required:
            self.report.failed[label] += 1
            line = self.text.count("\n", 0, region[0]) + 1
            self.report.failures.append((self.doc, line, label, needle))
        return None

    def _whole_number(self, match: re.Match[str]) -> bool:
        """False for a number cut out of a longer one (``0`` in ``3300.00``)."""
        before = self.text[match.start() - 1] if match.start() else ""
        after = self.text[match.end()] if match.end() < len(self.text) else ""
        group = match.group()
        if group[:1].isdigit() and (before.isdigit() or before in ".,"):
            return False
        return not (group[-1:].isdigit() and (after.isdigit() or after in ".,"))

    def _whole_cell(self, match: re.Match[str]) -> bool:
        """True when the match fills a table cell (or a whole line)."""
        before = self.text[: match.start()].rstrip(" ")[-1:]
        after = self.text[match.end() :].lstrip(" ")[:1]
        return before in ("", "\t", "|", "\n") and after in ("", "\t", "|", "\n")

    def indicator(self, record: dict[str, Any]) -> None:
        region = self.region(record)
        metric_end = self.place(record.get("metric"), "METRIC", region)
        for level in (record.get("level1"), record.get("level2")):
            self.place(level, "LEVEL", region, required=False)
        label = _KIND_LABEL.get(record.get("kind") or "target", "TARGET")
        placed = self.place(
            record.get("target_raw"), label, region, after=metric_end, required=False
        )
        if placed is None:  # a count written before its noun (建成8个…中心)
            self.place(record.get("target_raw"), label, region)

    def amount(self, record: dict[str, Any]) -> None:
        self.place(record.get("text"), "AMOUNT", self.region(record))


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def align_document(
    stem: str, gold_dir: Path, corpus_dir: Path, report: AlignmentReport
) -> list[Example]:
    """The examples (one per non-empty line) of one corpus file.

    Args:
        stem: the file's stem (``000_ee0f5e6c66703748``).
        gold_dir: folder of gold records.
        corpus_dir: folder of corpus files.
        report: alignment counts, updated.
    """
    indicators = _read_jsonl(gold_dir / f"{stem}{INDICATOR_SUFFIX}")
    amounts = _read_jsonl(gold_dir / f"{stem}{AMOUNT_SUFFIX}")
    doc = next((r["doc"] for r in indicators + amounts if r.get("doc")), f"{stem}.txt")
    text = corpus_text(corpus_dir / doc)
    aligner = _Aligner(doc, text, report)
    for record in indicators:
        aligner.indicator(record)
    for record in amounts:
        aligner.amount(record)
    kind = document_kind(text[:400])
    examples = []
    spans = sorted(set(aligner.spans))
    for number, start in enumerate(aligner.line_starts, start=1):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        line = text[start:end]
        if not line.strip():
            continue
        on_line = [
            SpanLabel(s - start, e - start, label)
            for s, e, label in spans
            if start <= s and e <= end
        ]
        examples.append(Example(doc, number, line, on_line, kind))
    return examples


def corpus_text(path: Path) -> str:
    """The text a corpus file's gold offsets refer to.

    Text files are read as they are (their gold quotes lines of the file); other
    formats (HTML, DOCX, XLSX) as the reader's ``Document.text``, where a table row
    is one line of tab-separated cells.
    """
    if path.suffix.lower() in RAW_TEXT_SUFFIXES:
        return path.read_text(encoding="utf-8")
    from nlp.read import read_document

    return read_document(path, name=path.name).text


def annotation_sets(annotations: Path) -> list[Path]:
    """The annotated sets under ``annotations``: it and each subfolder that holds
    ``gold/`` and ``corpus/`` (``annotations/``, ``annotations/heldout`` …)."""
    annotations = Path(annotations)
    candidates = [annotations, *sorted(p for p in annotations.iterdir() if p.is_dir())]
    return [p for p in candidates if (p / "gold").is_dir() and (p / "corpus").is_dir()]


def _gold_stems(gold_dir: Path) -> list[str]:
    return sorted(
        {
            p.name[: -len(INDICATOR_SUFFIX)]
            for p in gold_dir.glob(f"*{INDICATOR_SUFFIX}")
        }
        | {p.name[: -len(AMOUNT_SUFFIX)] for p in gold_dir.glob(f"*{AMOUNT_SUFFIX}")}
    )


# Reads a real document (PDF, scan …) into the reader's ``Document``; a caller that
# reads the same documents again later (``nlp.retrain``) passes one that keeps them.
ReadDocument = Callable[[Path], Any]


def read_real_document(path: Path) -> Any:
    """The reader's ``Document`` of ``path`` (OCR for a scan)."""
    from nlp.read import read_document

    return read_document(path, name=path.name)


def load_examples(
    annotations: Path, read: ReadDocument = read_real_document
) -> tuple[list[Example], AlignmentReport]:
    """Every gold example of every annotated set under a folder.

    Args:
        annotations: a folder holding ``gold/`` and ``corpus/``, or subfolders that
            do (:func:`annotation_sets`).
        read: how a real document is read.

    Returns:
        (examples in set, document and line order, alignment report).

    Raises:
        FileNotFoundError: no folder under ``annotations`` holds ``gold/`` and
            ``corpus/``.
    """
    sets = annotation_sets(annotations)
    if not sets and not real_sets(annotations):
        raise FileNotFoundError(
            f"{annotations}: no annotated set (a folder with gold/ and corpus/) "
            "in it or its subfolders"
        )
    report = AlignmentReport()
    examples: list[Example] = []
    for folder in sets:
        gold_dir, corpus_dir = folder / "gold", folder / "corpus"
        name = set_name(annotations, folder)
        for stem in _gold_stems(gold_dir):
            found = align_document(stem, gold_dir, corpus_dir, report)
            for example in found:
                example.set_name = name
            examples += found
    for folder in real_sets(annotations):
        examples += align_real_set(folder, set_name(annotations, folder), report, read)
    _count_off_token(examples, report)
    return examples, report


def set_name(annotations: Path, folder: Path) -> str:
    """A set's name in the corpus: ``seeds`` for the top folder, else its folder."""
    return "seeds" if Path(folder) == Path(annotations) else Path(folder).name


# --- real documents: PDFs and scans annotated on chosen pages --------------------

SCOPE_FILE = "scope.json"
# Where a paragraph may end a sentence (a PDF returns one paragraph a line).
_UNIT_DONE = "。；;！？：:"
PROSE_CELL_MIN_CHARS = 8


def real_sets(annotations: Path) -> list[Path]:
    """Sets of real documents under ``annotations``: ``gold/`` with a ``scope.json``
    (the pages annotated) and ``docs/`` holding the documents themselves."""
    annotations = Path(annotations)
    candidates = [annotations, *sorted(p for p in annotations.iterdir() if p.is_dir())]
    return [
        p
        for p in candidates
        if (p / "gold" / SCOPE_FILE).is_file() and (p / "docs").is_dir()
    ]


def align_real_set(
    folder: Path,
    name: str,
    report: AlignmentReport,
    read: ReadDocument = read_real_document,
) -> list[Example]:
    """Examples of every document of a real set whose statement pages were read.

    Only prose statements are aligned (``origin: prose``); the rest of each scoped
    page is kept as negatives. The scope says which pages were read, so no other
    page is used.
    """
    scope = json.loads((folder / "gold" / SCOPE_FILE).read_text(encoding="utf-8"))
    examples: list[Example] = []
    for doc, pages in sorted(scope.items()):
        statement_pages = set(pages.get("statement_pages") or ())
        gold = folder / "gold" / f"{Path(doc).stem}{INDICATOR_SUFFIX}"
        if not statement_pages or not gold.exists():
            continue
        records = [r for r in _read_jsonl(gold) if r.get("origin") == "prose"]
        examples += align_real_document(
            folder / "docs" / doc, records, statement_pages, report, name, read
        )
    return examples


def align_real_document(
    path: Path,
    records: Sequence[dict[str, Any]],
    pages: set[int],
    report: AlignmentReport,
    name: str = "real",
    read: ReadDocument = read_real_document,
) -> list[Example]:
    """One example per prose unit of the document's ``pages``, gold spans placed.

    The reader's text is cut into the units the prose reader reads (headings,
    sentences joined over a PDF's line paragraphs, prose table cells); each gold
    record is found by the sentence it quotes (``source.text``), then its metric
    and value inside it.
    """
    document = read(path)
    units = prose_units(document, pages)
    text = "\n".join(unit for unit, _ in units)
    aligner = _Aligner(path.name, text, report)
    for record in records:
        if (record.get("source") or {}).get("page") in pages:
            aligner.indicator(record)
    kind = document_kind(document.text[:400])
    city = next((r.get("city") for r in records if r.get("city")), "")
    city = city or path.name.split("-")[0]
    spans = sorted(set(aligner.spans))
    examples = []
    for number, ((unit, page), start) in enumerate(
        zip(units, aligner.line_starts, strict=True), start=1
    ):
        end = start + len(unit)
        on_line = [
            SpanLabel(s - start, e - start, label)
            for s, e, label in spans
            if start <= s and e <= end
        ]
        examples.append(
            Example(path.name, number, unit, on_line, kind, False, name, city, page)
        )
    return examples


def prose_units(document: Any, pages: set[int]) -> list[tuple[str, int]]:
    """The texts the prose reader reads on ``pages``, with their pages.

    Headings are units of their own; paragraphs are joined until a sentence ends
    (a PDF gives one paragraph a line); table cells of running text are units.
    Line breaks inside a unit become spaces so one unit is one line.
    """
    units: list[tuple[str, int]] = []
    carry, carry_page = "", 0

    def flush() -> None:
        nonlocal carry
        if carry.strip():
            units.append((carry.strip(), carry_page))
        carry = ""

    for block in document.blocks:
        page = block.prov[0].page if block.prov else None
        if page not in pages:
            flush()
            continue
        if block.kind == "table" and block.table is not None:
            flush()
            for cell in block.table.cells:
                cell_text = " ".join(cell.text.split())
                if len(cell_text) >= PROSE_CELL_MIN_CHARS and not re.fullmatch(
                    r"[\d.,%％\s\-—]+", cell_text
                ):
                    units.append((cell_text, page))
            continue
        if block.kind == "heading":
            flush()
            units.append((" ".join(block.text.split()), page))
            continue
        if not carry:
            carry_page = page
        carry += " ".join(block.text.split("\n"))
        if carry.rstrip()[-1:] in _UNIT_DONE:
            flush()
    flush()
    return units


def _count_off_token(examples: Iterable[Example], report: AlignmentReport) -> None:
    """Count spans the segmenter would cut through (Doc.char_span → None)."""
    from nlp.segment import get_pipeline

    tokenizer = get_pipeline().tokenizer
    for example in examples:
        if not example.spans:
            continue
        doc = tokenizer(example.text)
        for span in example.spans:
            if doc.char_span(span.start, span.end) is None:
                report.off_tokens += 1


def build_dataset(
    annotations: Path, out: Path, read: ReadDocument = read_real_document
) -> AlignmentReport:
    """Write the gold span corpus as a ``datasets`` folder.

    Args:
        annotations: the folder holding ``gold/`` and ``corpus/``.
        out: the dataset folder (``annotations/spans``), replaced.
        read: how a real document is read.

    Returns:
        The alignment report (also written as ``alignment.json`` beside the data).
    """
    from datasets import Dataset

    examples, report = load_examples(annotations, read)
    dataset = Dataset.from_list([e.to_row() for e in examples])
    dataset.save_to_disk(str(out))
    text = json.dumps(report.to_dict(), ensure_ascii=False, indent=1)
    (Path(out) / "alignment.json").write_text(text + "\n", encoding="utf-8")
    write_dataset_card(Path(out), examples, report)
    return report


# What each set is, for the dataset card; a set not listed is described by its name.
SET_DESCRIPTIONS = {
    "seeds": (
        "published budget and performance disclosures (text exports)",
        "`annotations/gold` (indicators and amounts)",
    ),
    "heldout": (
        "disclosures written for the project in the style of other regions "
        "(invented text)",
        "`heldout/gold`",
    ),
    "heldout2": ("as above, another hand (invented text)", "`heldout2/gold`"),
    "heldout3": ("as above, another hand (invented text)", "`heldout3/gold`"),
    "real": (
        "real 2026 部门预算 PDFs (scans OCR'd) from {cities} "
        "(`annotations/real/docs/MANIFEST.tsv`)",
        "prose statements (`origin: prose`) of `annotations/real/gold` on the "
        "statement pages `scope.json` lists; no other page is used",
    ),
}


def write_dataset_card(
    out: Path, examples: Sequence[Example], report: AlignmentReport
) -> None:
    """Write the corpus's ``README.md``: how to load it, columns, labels, where each
    set's rows come from (counted from ``examples``), licence."""
    card = DATASET_CARD.format(
        columns="\n".join(f"| `{name}` | {meaning} |" for name, meaning in COLUMNS),
        sources="\n".join(_source_rows(examples)),
        labels=", ".join(f"{k} {v}" for k, v in sorted(report.aligned.items())),
        failed=sum(report.failed.values()),
        crossing=sum(report.crossing.values()),
        rows=len(examples),
    )
    (Path(out) / "README.md").write_text(card, encoding="utf-8")


def _source_rows(examples: Sequence[Example]) -> list[str]:
    """One Markdown table row per set: rows, rows with spans, documents, spans."""
    rows = []
    for name in dict.fromkeys(e.set_name for e in examples):
        members = [e for e in examples if e.set_name == name]
        cities = "、".join(sorted({e.city for e in members if e.city}))
        what, spans_from = SET_DESCRIPTIONS.get(name, (f"annotated set `{name}`", "—"))
        labels = Counter(s.label for e in members for s in e.spans)
        rows.append(
            f"| `{name}` | {len(members)} | {sum(1 for e in members if e.spans)} | "
            f"{len({e.doc for e in members})} | "
            f"{', '.join(f'{k} {v}' for k, v in sorted(labels.items()))} | "
            f"{what.format(cities=cities)} | {spans_from} |"
        )
    return rows


COLUMNS = (
    ("doc", "the document's file name"),
    ("line", "1-based line of the corpus file, or of the unit list of a real document"),
    (
        "text",
        "the line: a corpus line, or for a real document a heading, a sentence "
        "joined over the PDF's line paragraphs, or a prose table cell",
    ),
    ("spans", "`{start, end, label}` character offsets into `text`"),
    ("doc_kind", "the document's default statement kind (`target` / `actual`)"),
    (
        "synthetic",
        "always false here (template sentences are made at training time from the "
        "training fold only and never stored)",
    ),
    ("set", "which annotated set the row comes from (below)"),
    ("city", "the city of a real document (empty for the other sets)"),
    ("page", "the page of a real document (0 for the other sets)"),
)

DATASET_CARD = """# Dataset card: zhibiao span corpus (`annotations/spans`)

```python
import datasets
corpus = datasets.load_from_disk("annotations/spans")
```

What `zhibiao train`, `python -m nlp.crossval` and `python -m nlp.retrain` train on.
This card is written by `nlp.corpus.build_dataset`; rebuild the corpus after the gold
changes with `python -m nlp.corpus --annotations annotations --out annotations/spans`
(or `python -m nlp.retrain`, which also retrains the model). A real set's scan is
OCR'd, so a rebuild takes minutes. `alignment.json` beside the data counts the spans
placed and lists every gold text not found.

## Rows

One row per line of text a reader gives ({rows} rows), with every gold span placed on
it; lines without spans are kept as negatives.

| column | meaning |
| --- | --- |
{columns}

Labels: `METRIC` (what is measured), `TARGET` / `ACTUAL` (relation and value, by the
gold record's `kind`), `LEVEL` (一级/二级 of a table row), `AMOUNT` (a money amount).

Spans placed, per label: {labels}.
Gold texts not found: {failed}; running over a line break (left out): {crossing}
(`alignment.json` lists them).

## Sources

| set | rows | rows with spans | documents | spans | what they are | spans from |
| --- | --- | --- | --- | --- | --- | --- |
{sources}

For the real set the reader's text (`Document.text` of the PDF reader, or the OCR of
the scan) is cut into the units the prose reader reads, and each gold statement is
found by the sentence it quotes (`source.text`), then its metric and value inside it.
Real amounts are not aligned (the model's prose role is statements). Gold texts not
found are mostly normalised values the text writes otherwise (`≥90` for `90分以上`),
metrics the guideline composes from a row and a clause, and OCR misreadings.

The `heldout*` documents are invented text written to test generalisation; they are
not real disclosures. They may be trained on, but no synthetic or invented text is
in any real-document evaluation (`python -m nlp.crossval --real` holds out real
documents only, a whole city at a time).

## Licence

The real documents and the seeds are public government information disclosures
(政府信息公开: 部门预算 and 决算 published by the departments under the budget law);
the corpus quotes them for research. The real PDFs were taken from a public
repository that collected them; `annotations/real/docs/MANIFEST.tsv` gives each
file's source repository, commit, path and SHA-256. The `heldout*` texts and the
annotations are the project's own and share the repository's licence (MIT).
"""


def load_dataset_examples(path: Path) -> list[Example]:
    """The examples of a dataset folder written by :func:`build_dataset`."""
    from datasets import load_from_disk

    return [Example.from_row(row) for row in load_from_disk(str(path))]


def examples_hash(examples: Sequence[Example]) -> str:
    """SHA-256 of the examples' JSON, for the model card."""
    digest = hashlib.sha256()
    for example in examples:
        digest.update(json.dumps(example.to_row(), ensure_ascii=False).encode())
    return digest.hexdigest()


# --- synthetic sentences ------------------------------------------------------

_TARGET_LEADS = (
    "",
    "确保",
    "力争",
    "全年",
    "目标：",
    "预计",
    "年度",
    "通过开展相关工作，",
)
_TARGET_RELATIONS = ("不低于", "达到", "达", "不少于", "保持在", "≥", "")
_ACTUAL_LEADS = ("", "本年度", "经统计，", "截至年底，", "全年")
_ACTUAL_RELATIONS = ("为", "达", "达到", "")
_TAILS = ("。", "，工作有序推进。", "；", "，较上年有所提高。", "，")
_SUBJECTS = (
    "项目资金",
    "人员支出",
    "公用经费",
    "专项经费",
    "财政拨款",
    "办公设备购置费",
)
_NEGATIVES = (
    "{year}年{month}月完成验收。",
    "共涉及{count}户居民，覆盖{count}个社区。",
    "全年开展培训{count}次，参训人员{count}人次。",
    "文号为{year}〔{count}〕号。",
    "第{count}季度执行情况良好。",
)


@dataclass(frozen=True, slots=True)
class _Vocabulary:
    metrics: tuple[str, ...]
    values: tuple[str, ...]
    amounts: tuple[str, ...]


def _vocabulary(examples: Iterable[Example]) -> _Vocabulary:
    metrics, values, amounts = set(), set(), set()
    for example in examples:
        for span in example.spans:
            text = example.text[span.start : span.end].strip()
            if span.label == "METRIC" and _MEASURE_END.search(text) and len(text) >= 3:
                metrics.add(re.sub(r"\s+", "", text))
            elif span.label in ("TARGET", "ACTUAL"):
                value = re.sub(r"\s+|^(?:不低于|不少于|达到|达|为|是)", "", text)
                value = value.replace("以上", "")
                if _NUMERIC_TARGET.match(value):
                    values.add(value.lstrip("≥≤><"))
            elif span.label == "AMOUNT":
                amounts.add(text)
    return _Vocabulary(
        tuple(sorted(metrics)), tuple(sorted(values)), tuple(sorted(amounts))
    )


def synthesize(examples: Sequence[Example], n: int, seed: int = 0) -> list[Example]:
    """Template sentences filled with the vocabulary of ``examples``.

    Args:
        examples: the training fold's gold examples (the vocabulary source).
        n: sentences to write.
        seed: random seed; the same inputs and seed give the same sentences.

    Returns:
        Synthetic examples (``synthetic=True``, ``doc="synthetic"``).
    """
    vocab = _vocabulary(e for e in examples if not e.synthetic)
    if not vocab.metrics or not vocab.values:
        return []
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        roll = rng.random()
        if roll < 0.45:
            out.append(_statement_sentence(rng, vocab, "TARGET"))
        elif roll < 0.8:
            out.append(_statement_sentence(rng, vocab, "ACTUAL"))
        elif roll < 0.9 and vocab.amounts:
            out.append(_amount_sentence(rng, vocab))
        else:
            out.append(_negative_sentence(rng))
    return out


def _statement_sentence(rng: random.Random, vocab: _Vocabulary, label: str) -> Example:
    if label == "TARGET":
        lead, relation = rng.choice(_TARGET_LEADS), rng.choice(_TARGET_RELATIONS)
        suffix = rng.choice(("", "以上", "")) if relation in ("达到", "达", "") else ""
        kind = "target"
    else:
        lead, relation, suffix = (
            rng.choice(_ACTUAL_LEADS),
            rng.choice(_ACTUAL_RELATIONS),
            "",
        )
        kind = rng.choice(("actual", "target"))
    metric, value = rng.choice(vocab.metrics), rng.choice(vocab.values)
    text = lead + metric
    metric_span = SpanLabel(len(lead), len(text), "METRIC")
    target = relation + value + suffix
    spans = [metric_span, SpanLabel(len(text), len(text) + len(target), label)]
    text += target + rng.choice(_TAILS)
    return Example("synthetic", 0, text, spans, kind, synthetic=True)


def _amount_sentence(rng: random.Random, vocab: _Vocabulary) -> Example:
    subject, amount = rng.choice(_SUBJECTS), rng.choice(vocab.amounts)
    head = f"{subject}预算"
    text = f"{head}{amount}，主要用于日常运转。"
    spans = [SpanLabel(len(head), len(head) + len(amount), "AMOUNT")]
    return Example("synthetic", 0, text, spans, "target", synthetic=True)


def _negative_sentence(rng: random.Random) -> Example:
    template = rng.choice(_NEGATIVES)
    text = template.format(
        year=rng.randint(2018, 2025), month=rng.randint(1, 12), count=rng.randint(1, 60)
    )
    return Example("synthetic", 0, text, [], rng.choice(("actual", "target")), True)


def main(argv: Sequence[str] | None = None) -> int:
    """Rebuild ``annotations/spans`` from ``annotations/`` and print the counts."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m nlp.corpus")
    parser.add_argument("--annotations", type=Path, default=Path("annotations"))
    parser.add_argument("--out", type=Path, default=Path("annotations/spans"))
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    report = build_dataset(args.annotations, args.out)
    summary = {k: v for k, v in report.to_dict().items() if k != "failures"}
    logger.info("%s", json.dumps(summary, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

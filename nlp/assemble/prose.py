"""Paragraphs and prose cells of tables: narrative statements and amounts.

Statements come from ``nlp.classify.find_statements`` (rules, or the span model
when one is given), amounts from ``nlp.normalize.amounts.find_amounts``; each
record's source is the sentence around the hit, with its span in the document.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from nlp.assemble.money import row_label
from nlp.blocks import GridRow, TableView, is_number_cell, unit_of_line
from nlp.classify import SpanScorer, Statement, StatementKind, find_statements
from nlp.classify.sections import (
    SectionKind,
    SectionTracker,
    looks_like_heading,
    section_kind,
)
from nlp.document import Block, Document
from nlp.normalize.amounts import find_amounts
from nlp.normalize.target import normalize_target
from nlp.records import Amount, Indicator, Source

PROSE_MIN_CHARS = 8
# Points short of the right margin a wrapped PDF line may end (justified text).
_MARGIN_SLACK = 6.0


@dataclass(slots=True)
class ProseReader:
    """Reads prose of one document into indicator and amount records.

    Attributes:
        doc: the document's name in records.
        kind: the document's default statement kind ("target" or "actual").
        rule_confidence: confidence of a statement the rules found.
        model: the span model, or None for the rules alone; with a model, a
            statement's confidence is the model's.
        indicators: records found so far.
        amounts: records found so far.
    """

    doc: str
    kind: StatementKind
    rule_confidence: float
    model: SpanScorer | None = None
    indicators: list[Indicator] = field(default_factory=list)
    amounts: list[Amount] = field(default_factory=list)
    sections: SectionTracker = field(default_factory=SectionTracker)
    carry: list[_Piece] = field(default_factory=list)
    right_edges: Counter[int] = field(default_factory=Counter)

    def table_cells(
        self,
        table: TableView,
        used: set[tuple[int, int]],
        document: Document,
        project: str | None,
    ) -> None:
        """Statements and amounts in the table's cells that hold prose.

        A cell's label (its row's label, else its column's header) is read like a
        heading: a 项目概况 cell is background, a 年度绩效目标 cell holds targets,
        a 完成情况 cell actuals (guideline rules 29, 30).
        """
        self.flush(project)
        headers: dict[int, str] = {}
        for row in table.rows:
            if row.role == "header":
                headers = dict(enumerate(row.cells))
            for col, text in enumerate(row.cells):
                span = row.spans[col]
                if (row.index, col) in used or not row.origin[col] or span is None:
                    continue
                if not _is_prose_cell(text):
                    continue
                source = Source(
                    text=text.strip(), page=row.page, table=table.index,
                    row=row.index, span=span, bbox=row.bbox,
                )  # fmt: skip
                label = _cell_section(row, col, headers.get(col))
                self._read_joined(
                    document.text[span[0] : span[1]],
                    [_Piece(document.text[span[0] : span[1]], span[0], source)],
                    project,
                    label,
                )

    def block(self, block: Block, project: str | None) -> None:
        """Statements and amounts in a paragraph or heading."""
        prov = block.prov[0] if block.prov else None
        if prov is None or prov.span is None:
            return
        source = Source(text=block.text, page=prov.page, bbox=prov.bbox)
        wraps = self._fills_line(prov.bbox)
        if block.kind == "heading" or (looks_like_heading(block.text) and not wraps):
            self.flush(project)
            self.sections.heading(block.text)
            self.text(block.text, prov.span[0], source, project)
            return
        # A sentence a PDF reader returned as several paragraphs (one a line) is
        # read whole: the unfinished tail of one paragraph joins the next.
        pieces = [*self.carry, _Piece(block.text, prov.span[0], source)]
        joined = "".join(p.text for p in pieces)
        cut = max(joined.rfind(ch) for ch in _CLAUSE_DONE) + 1
        if cut < len(joined.rstrip()):
            self.carry = _rest(pieces, cut)
        else:
            self.carry, cut = [], len(joined)
        self._read_joined(joined[:cut], pieces, project)

    def _fills_line(self, bbox: tuple[float, float, float, float] | None) -> bool:
        """A PDF line reaching the right margin: a numbered sentence wrapping onto
        the next line, not a heading. The margin is the right edge most lines read
        so far end at (justified text)."""
        if bbox is None:
            return False
        self.right_edges[round(bbox[2] / _MARGIN_SLACK)] += 1
        edge, count = self.right_edges.most_common(1)[0]
        return count > 1 and bbox[2] >= (edge - 1) * _MARGIN_SLACK

    def flush(self, project: str | None) -> None:
        """Read the unfinished sentence left by the last paragraph."""
        if self.carry:
            pieces, self.carry = self.carry, []
            self._read_joined("".join(p.text for p in pieces), pieces, project)

    def text(self, text: str, offset: int, source: Source, project: str | None) -> None:
        """Records for ``text``, found at ``offset`` in the document."""
        self._read_joined(text, [_Piece(text, offset, source)], project)

    def _read_joined(
        self,
        text: str,
        pieces: list[_Piece],
        project: str | None,
        section: SectionKind | None = None,
    ) -> None:
        """Statements and amounts of a sentence joined from ``pieces``: an amount
        or a subject broken over a PDF line is read whole. ``section``, when given,
        is the text's own section (a table cell's label), else the headings'."""
        self._add_statements(text, pieces, project, section)
        self._add_amounts(text, pieces)

    def _add_statements(
        self,
        text: str,
        pieces: list[_Piece],
        project: str | None,
        section: SectionKind | None = None,
    ) -> None:
        for statement in self._statements(text, section):
            piece, start = _locate(pieces, statement.start)
            offset = piece.offset + start - statement.start
            self.indicators.append(
                self._statement_record(statement, text, offset, piece.source, project)
            )

    def _add_amounts(self, text: str, pieces: list[_Piece]) -> None:
        for found in find_amounts(text):
            piece, start = _locate(pieces, found.start)
            offset = piece.offset + start - found.start
            self.amounts.append(
                Amount(
                    doc=self.doc,
                    money=found.money,
                    subject=found.subject,
                    column=None,
                    source=_sentence_source(
                        piece.source, text, offset, found.start, found.end
                    ),
                )
            )

    def _statements(
        self, text: str, section: SectionKind | None = None
    ) -> list[Statement]:
        """Statements of ``text`` typed by its section; none in background."""
        section = section or self.sections.kind
        if section == "background":
            # Rule 29 leaves out the counts of background, problem and advice
            # paragraphs; a rate, score or cap stated there is still a statement.
            found = find_statements(text, self.kind, self.model)
            return [s for s in found if not _is_count(s)]
        if section is None:
            return find_statements(text, self.kind, self.model)
        return find_statements(text, section, self.model, decided=True)

    def _statement_record(
        self,
        statement: Statement,
        text: str,
        offset: int,
        source: Source,
        project: str | None,
    ) -> Indicator:
        confidence = (
            statement.confidence if self.model is not None else self.rule_confidence
        )
        return Indicator(
            doc=self.doc, metric=statement.metric, project=project,
            source=_sentence_source(
                source, text, offset, statement.start, statement.end
            ),
            target_raw=statement.target_raw,
            target=normalize_target(statement.value_raw or statement.target_raw),
            confidence=confidence, kind=statement.kind,
        )  # fmt: skip


@dataclass(frozen=True, slots=True)
class _Piece:
    """Part of a text being read: its characters, document offset and source."""

    text: str
    offset: int
    source: Source


def _locate(pieces: list[_Piece], position: int) -> tuple[_Piece, int]:
    """The piece holding ``position`` of the joined text, and the offset in it."""
    for piece in pieces:
        if position < len(piece.text):
            return piece, position
        position -= len(piece.text)
    return pieces[-1], len(pieces[-1].text)


def _rest(pieces: list[_Piece], cut: int) -> list[_Piece]:
    """The pieces of the joined text from ``cut`` on."""
    out, position = [], 0
    for piece in pieces:
        end = position + len(piece.text)
        if end > cut:
            skip = max(0, cut - position)
            out.append(_Piece(piece.text[skip:], piece.offset + skip, piece.source))
        position = end
    return out


# Units of a value that is not a count: rates, scores, money caps (rule 35).
_NOT_COUNT_UNITS = ("%", "‰", "分", "元")


def _is_count(statement: Statement) -> bool:
    """A statement whose value counts things (``38个``, ``450198人``)."""
    target = normalize_target(statement.value_raw or statement.target_raw)
    if target.qualitative is not None or target.unit is None:
        return False  # a grade, or a bare number
    return not target.unit.endswith(_NOT_COUNT_UNITS)


def _cell_section(row: GridRow, col: int, header: str | None) -> SectionKind | None:
    """The section a prose cell's label names: the row's label left of it, else
    its column's header."""
    label = row_label(row, col)
    kind = section_kind(label) if label and label != row.cells[col] else None
    if kind is None and header and header != row.cells[col]:
        kind = section_kind(header)
    return kind


def _is_prose_cell(text: str) -> bool:
    """A cell of running text: not a figure, not a unit line, not a short label."""
    return (
        not is_number_cell(text)
        and len(text.strip()) >= PROSE_MIN_CHARS
        and not unit_of_line(text)
    )


_SENTENCE_END = "。；;！？\n"
# Where a paragraph may end a sentence (a line break inside a PDF paragraph does not).
_CLAUSE_DONE = "。；;！？：:"


def _sentence_source(
    source: Source, text: str, offset: int, start: int, end: int
) -> Source:
    """The record's source: the sentence around the hit, its span in the document."""
    left = max(text.rfind(ch, 0, start) for ch in _SENTENCE_END) + 1
    rights = [i for i in (text.find(ch, end) for ch in _SENTENCE_END) if i >= 0]
    right = min(rights) + 1 if rights else len(text)
    return Source(
        text=text[left:right].strip(), page=source.page, table=source.table,
        row=source.row, span=(offset + start, offset + end), bbox=source.bbox,
    )  # fmt: skip

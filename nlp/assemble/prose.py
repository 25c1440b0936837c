"""Paragraphs and prose cells of tables: narrative statements and amounts.

Statements come from ``nlp.classify.find_statements`` (rules, or the span model
when one is given), amounts from ``nlp.normalize.amounts.find_amounts``; each
record's source is the sentence around the hit, with its span in the document.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from nlp.blocks import TableView, is_number_cell, unit_of_line
from nlp.classify import SpanScorer, Statement, StatementKind, find_statements
from nlp.document import Block, Document
from nlp.normalize.amounts import find_amounts
from nlp.normalize.target import normalize_target
from nlp.records import Amount, Indicator, Source

PROSE_MIN_CHARS = 8


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

    def table_cells(
        self,
        table: TableView,
        used: set[tuple[int, int]],
        document: Document,
        project: str | None,
    ) -> None:
        """Statements and amounts in the table's cells that hold prose."""
        for row in table.rows:
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
                self.text(document.text[span[0] : span[1]], span[0], source, project)

    def block(self, block: Block, project: str | None) -> None:
        """Statements and amounts in a paragraph or heading."""
        prov = block.prov[0] if block.prov else None
        if prov is None or prov.span is None:
            return
        source = Source(text=block.text, page=prov.page, bbox=prov.bbox)
        self.text(block.text, prov.span[0], source, project)

    def text(self, text: str, offset: int, source: Source, project: str | None) -> None:
        """Records for ``text``, found at ``offset`` in the document."""
        for statement in find_statements(text, self.kind, self.model):
            self.indicators.append(
                self._statement_record(statement, text, offset, source, project)
            )
        for found in find_amounts(text):
            self.amounts.append(
                Amount(
                    doc=self.doc,
                    money=found.money,
                    subject=found.subject,
                    column=None,
                    source=_sentence_source(
                        source, text, offset, found.start, found.end
                    ),
                )
            )

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
            target=normalize_target(statement.target_raw),
            confidence=confidence, kind=statement.kind,
        )  # fmt: skip


def _is_prose_cell(text: str) -> bool:
    """A cell of running text: not a figure, not a unit line, not a short label."""
    return (
        not is_number_cell(text)
        and len(text.strip()) >= PROSE_MIN_CHARS
        and not unit_of_line(text)
    )


_SENTENCE_END = "。；;！？\n"


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

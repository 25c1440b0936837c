"""Paragraphs and prose cells of tables: narrative statements and amounts.

Statements come from ``nlp.classify.find_statements`` (rules, or the span model
when one is given), amounts from ``nlp.normalize.amounts.find_amounts``; each
record's source is the sentence around the hit, with its span in the document.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from nlp.blocks import TableView, is_number_cell, unit_of_line
from nlp.classify import SpanScorer, Statement, StatementKind, find_statements
from nlp.document import Block, Document
from nlp.normalize.amounts import find_amounts
from nlp.normalize.target import normalize_target
from nlp.records import Amount, Indicator, Source

if TYPE_CHECKING:
    from nlp.assemble import AssemblyParams

PROSE_MIN_CHARS = 8


def _prose_in_table(
    table: TableView,
    used: set[tuple[int, int]],
    document: Document,
    doc: str,
    kind: StatementKind,
    project: str | None,
    params: AssemblyParams,
    indicators: list[Indicator],
    amounts: list[Amount],
    model: SpanScorer | None = None,
) -> None:
    """Statements and amounts in table cells that hold prose."""
    for row in table.rows:
        for col, text in enumerate(row.cells):
            span = row.spans[col]
            if (row.index, col) in used or not row.origin[col] or span is None:
                continue
            if is_number_cell(text) or len(text.strip()) < PROSE_MIN_CHARS:
                continue
            if unit_of_line(text):
                continue
            source = Source(
                text=text.strip(),
                page=row.page,
                table=table.index,
                row=row.index,
                span=span,
                bbox=row.bbox,
            )
            _prose(
                document.text[span[0] : span[1]],
                span[0],
                source,
                doc,
                kind,
                project,
                params,
                indicators,
                amounts,
                model,
            )


def _prose_block(
    block: Block,
    document: Document,
    doc: str,
    kind: StatementKind,
    project: str | None,
    params: AssemblyParams,
    indicators: list[Indicator],
    amounts: list[Amount],
    model: SpanScorer | None = None,
) -> None:
    prov = block.prov[0] if block.prov else None
    if prov is None or prov.span is None:
        return
    start = prov.span[0]
    source = Source(text=block.text, page=prov.page, bbox=prov.bbox)
    _prose(
        block.text, start, source, doc, kind, project, params, indicators, amounts,
        model,
    )  # fmt: skip


def _prose(
    text: str,
    offset: int,
    source: Source,
    doc: str,
    kind: StatementKind,
    project: str | None,
    params: AssemblyParams,
    indicators: list[Indicator],
    amounts: list[Amount],
    model: SpanScorer | None = None,
) -> None:
    for statement in find_statements(text, kind, model):
        record = _statement_record(
            statement, text, offset, source, doc, project, params
        )
        if model is not None:  # the model's probability is the confidence
            record = dataclasses.replace(record, confidence=statement.confidence)
        indicators.append(record)
    for found in find_amounts(text):
        amounts.append(
            Amount(
                doc=doc,
                money=found.money,
                subject=found.subject,
                column=None,
                source=_sentence_source(source, text, offset, found.start, found.end),
            )
        )


def _statement_record(
    statement: Statement,
    text: str,
    offset: int,
    source: Source,
    doc: str,
    project: str | None,
    params: AssemblyParams,
) -> Indicator:
    return Indicator(
        doc=doc, metric=statement.metric, project=project,
        source=_sentence_source(source, text, offset, statement.start, statement.end),
        target_raw=statement.target_raw,
        target=normalize_target(statement.target_raw),
        confidence=min(statement.confidence, params.narrative)
        if statement.confidence < 1 else params.narrative,
        kind=statement.kind,
    )  # fmt: skip


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

"""Assembly: table rows and statements become indicator and amount records.

This is where a table row becomes a triple. Table recovery (``nlp.blocks``) hands
over each indicator section with the roles of every data row's cells (a row that
slid left or right already realigned there); a row is read under those roles.
Levels carry down rows until a new one is written. Targets go through
``normalize_target`` (with the unit column) and ``split_targets`` (cells holding
several targets).

Amounts come from money cells of tables (unit from the cell, the row label, the
column header or the table's unit line) and from prose via ``find_amounts``.
Narrative indicator statements come from ``nlp.classify``.

Layout: ``rows`` reads one row (under its cell roles, level carry-down, records
for a row); ``tables`` walks a table's indicator sections;
``money`` turns money cells into amounts; ``prose`` reads paragraphs and prose
cells; ``projects`` tracks the project each table and paragraph belongs to.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from nlp.assemble.money import (
    DESCRIPTION_HEADER,
    ENUMERATION,
    LABEL_MAX_CHARS,
    MONEY_WORD,
    NOT_MONEY,
    SENTENCE_PUNCTUATION,
    UNIT_WORD,
    _prevailing_unit,
    _table_amounts,
)
from nlp.assemble.projects import DEPARTMENT_LABEL, PROJECT_LABEL, _ProjectTracker
from nlp.assemble.prose import PROSE_MIN_CHARS, ProseReader
from nlp.assemble.rows import NOT_APPLICABLE, OPERATOR_CELL, QUALITATIVE_OPERATOR
from nlp.assemble.tables import _indicator_cells
from nlp.blocks import TableView
from nlp.classify import SpanScorer, document_kind, load_default_model
from nlp.document import Document
from nlp.records import Amount, Indicator

__all__ = [
    "DEFAULT_PARAMS",
    "DEPARTMENT_LABEL",
    "DESCRIPTION_HEADER",
    "ENUMERATION",
    "LABEL_MAX_CHARS",
    "MONEY_WORD",
    "NOT_APPLICABLE",
    "NOT_MONEY",
    "OPERATOR_CELL",
    "PROJECT_LABEL",
    "PROSE_MIN_CHARS",
    "QUALITATIVE_OPERATOR",
    "SENTENCE_PUNCTUATION",
    "UNIT_WORD",
    "AssemblyParams",
    "assemble",
]


@dataclass(frozen=True, slots=True)
class AssemblyParams:
    """Confidence given to records by how they were read.

    Attributes:
        positional: a row read under its header.
        by_content: a row table recovery realigned in printed order.
        narrative: a statement found by the narrative rules.
    """

    positional: float = 0.95
    by_content: float = 0.8
    narrative: float = 0.6


DEFAULT_PARAMS = AssemblyParams()


def assemble(
    document: Document,
    tables: Sequence[TableView],
    doc: str,
    params: AssemblyParams = DEFAULT_PARAMS,
    model: SpanScorer | None = None,
    use_model: bool = False,
) -> tuple[tuple[Indicator, ...], tuple[Amount, ...]]:
    """Build every indicator and amount record of one document.

    Args:
        document: the reader's output.
        tables: the recovered tables of ``document``.
        doc: the document's name in records.
        params: confidences.
        model: span model that keeps, drops and types narrative statements (their
            confidence is then the model's); None keeps to the rules.
        use_model: when ``model`` is None, use the shipped default model if there
            is one.

    Returns:
        (indicators, amounts), each in document order.
    """
    if model is None and use_model:
        model = load_default_model()
    prevailing = _prevailing_unit(tables)
    projects = _ProjectTracker(document, tables)
    indicators: list[Indicator] = []
    amounts: list[Amount] = []
    prose = ProseReader(
        doc, document_kind(document.text[:400]), params.narrative, model,
        indicators, amounts,
    )  # fmt: skip
    table_of_block = {i: t for t in tables for i in t.block_indices}
    ocr_pages = frozenset(page.number for page in document.pages if page.ocr)
    for index, block in enumerate(document.blocks):
        table = table_of_block.get(index)
        if table is not None:
            if table.block_indices[0] != index:
                continue  # a continuation part, handled with its table
            project = projects.ref(table)
            used = _indicator_cells(table, project, doc, params, indicators, ocr_pages)
            _table_amounts(table, doc, prevailing, used, amounts)
            prose.table_cells(table, used, document, project.name)
        elif block.kind in ("paragraph", "heading"):
            prose.block(block, projects.current(index))
    prose.flush(
        projects.current(len(document.blocks) - 1)
    )  # an unfinished last sentence
    return tuple(indicators), tuple(amounts)

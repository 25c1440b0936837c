"""Predictions restricted to the pages a gold document was annotated on.

Gold for a long real document covers chosen pages (``scope.json``); a prediction
elsewhere in the document is neither right nor wrong, so it is left out. Which page
list applies depends on where the record was read (:func:`record_origin`): a table
row by ``indicator_pages``, a prose statement by ``statement_pages``, an amount by
``amount_table_pages`` or ``amount_prose_pages``.
"""

from __future__ import annotations

from collections.abc import Sequence

from nlp.evaluate.measures import Record, RecordType, record_origin

Scope = dict[str, list[int]]

_PAGES: dict[tuple[RecordType, str], str] = {
    ("indicator", "table"): "indicator_pages",
    ("indicator", "prose"): "statement_pages",
    ("amount", "table"): "amount_table_pages",
    ("amount", "prose"): "amount_prose_pages",
}


def in_scope(record: Record, kind: RecordType, scope: Scope) -> bool:
    """True when ``record`` lies on a page annotated for records of its origin."""
    pages = scope.get(_PAGES[(kind, record_origin(record))]) or ()
    page = (record.get("source") or {}).get("page")
    return page in pages


def restrict(
    records: dict[RecordType, list[Record]], scope: Scope | None
) -> dict[RecordType, list[Record]]:
    """The records of one document that fall inside its ``scope`` (all without)."""
    if scope is None:
        return records
    return {
        kind: [r for r in rs if in_scope(r, kind, scope)]
        for kind, rs in records.items()
    }


def scoped_out(gold: Sequence[Record], kind: RecordType, scope: Scope) -> list[Record]:
    """Gold records outside their own scope: a sheet that contradicts its scope."""
    return [r for r in gold if not in_scope(r, kind, scope)]

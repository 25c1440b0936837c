"""Scanned items to blocks: heading rules and paragraphs joined across page breaks."""

from __future__ import annotations

import re

from nlp.read.base import DocumentBuilder
from nlp.read.text.lines import (
    _BLANK_CHARS,
    _ENUMERATOR,
    _SECTION,
    _Para,
    _Rows,
    clean_cell,
    clean_markup,
)
from nlp.read.text.params import DEFAULT_PARAMS, TextParams

_NUMBERED = re.compile(
    r"(?:\d{1,2}(?:\.\d{1,2})*\s*[、.．](?!\d)"
    r"|[（(]\s*\d{1,2}\s*[）)]"
    r"|\d{1,2}\s*[)）]"
    r"|[a-zA-Z]\s*[.、)）]\s)"
)
_TITLE = re.compile(r"(?:表|报告|说明|情况|目标|概况|目录)$")
_TRAILING_PAREN = re.compile(r"[（(][^（()）]*[）)]$")
_UNIT_START = re.compile(r"(?:亿元|万元|千元|元|%|％)")
# Sentence-final marks, and marks no heading breaks or ends on.
_FINAL = frozenset("。！？!?；;：:…")
_CLOSERS = "”’\"'）)】」』》"
_NOT_IN_HEADING = frozenset("。；;，,")
_NOT_HEADING_END = frozenset("。！？!?；;，,、：:")
# Marks inside a line that make it prose rather than a title or a label.
_PROSE_MARKS = frozenset("，、；,;。！？!?")


class _Emitter:
    """Turns scanned items into blocks, joining paragraphs cut by page breaks."""

    def __init__(self, builder: DocumentBuilder, params: TextParams) -> None:
        self.builder = builder
        self.params = params
        self.pending: _Para | None = None

    def add(self, item: _Para | _Rows) -> None:
        """Add a paragraph candidate or a table in reading order."""
        if isinstance(item, _Rows):
            self.flush()
            self._add_table(item.rows)
            return
        item.text = clean_markup(item.text)
        if not item.text:
            return
        if item.heading is None:
            item.heading = not item.list_item and is_heading(item.text, self.params)
        if self.pending is not None and _should_join(self.pending, item, self.params):
            self.pending.text = _join(self.pending.text, item.text)
            # A number cut from its unit may have looked like a numbered heading.
            self.pending.heading = is_heading(self.pending.text, self.params)
            return
        self.flush()
        self.pending = item

    def flush(self) -> None:
        """Write the pending paragraph, if any."""
        if self.pending is not None:
            kind = "heading" if self.pending.heading else "paragraph"
            self.builder.add_text(self.pending.text, kind=kind)
            self.pending = None

    def _add_table(self, rows: list[list[str]]) -> None:
        table: list[list[str]] = []
        for raw in rows:
            texts = [clean_cell(field) for field in raw]
            if any(texts):  # a row of empty cells carries nothing
                table.append(texts)
        if table:
            # Every field is a one-position cell without page or box: add_rows
            # lays them out as add_table would, without a CellInput per field.
            self.builder.add_rows(table)


def is_heading(text: str, params: TextParams = DEFAULT_PARAMS) -> bool:
    """True when a line outside tables reads as a heading (rules in module doc)."""
    text = text.strip()
    if not text or len(text) > params.heading_max_chars or "\n" in text:
        return False
    if text[-1] in _NOT_HEADING_END or any(c in _NOT_IN_HEADING for c in text):
        return False
    if _SECTION.match(text) or _NUMBERED.match(text):
        return True
    compact = _TRAILING_PAREN.sub("", text.replace(" ", "").replace("\u3000", ""))
    return len(text) <= params.title_max_chars and bool(_TITLE.search(compact))


def _ends_sentence(text: str) -> bool:
    """True when text ends in sentence-final punctuation (closing quotes skipped)."""
    stripped = text.rstrip(_CLOSERS + _BLANK_CHARS)
    return bool(stripped) and stripped[-1] in _FINAL


def _should_join(first: _Para, second: _Para, params: TextParams) -> bool:
    """True when ``second`` continues ``first`` across a page break."""
    if not second.after_blank or second.heading or second.list_item:
        return False
    if _ends_sentence(first.text):
        return False
    # A number then its unit: one amount, even if the first part looked like a
    # numbered heading ("8) …预算数 52. 34" / "万元，…").
    if first.text[-1].isdigit() and _UNIT_START.match(second.text):
        return True
    if first.heading or _ENUMERATOR.match(second.text) or _NUMBERED.match(second.text):
        return False
    cut_prose = len(first.text) >= params.join_min_chars or any(
        c in _PROSE_MARKS for c in first.text
    )
    return cut_prose or second.text[0].islower()


def _join(first: str, second: str) -> str:
    """Join two pieces of one sentence; a space only between ASCII words."""
    a, b = first[-1], second[0]
    if a.isascii() and a.isalnum() and b.isascii() and b.isalnum():
        return f"{first} {second}"
    return first + second

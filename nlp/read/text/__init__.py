"""Read plain-text exports (.txt, .md, .text) of budget documents into a Document.

Text exports of PDF and Word files write tables in three styles, all recognised:

* **Tab-separated rows.** Consecutive lines holding a tab form one table; each
  tab-separated field is a cell in column order, so a leading tab is an empty first
  cell and trailing tabs are empty trailing cells. A blank line ends the table:
  rows continued after a page break become a second table (merging them is the job
  of a later stage).
* **Markdown pipe tables.** Consecutive ``| a | b |`` lines; the ``|---|`` separator
  row is dropped, ``\\|`` is a literal bar. The row above the separator is not
  flagged as a header: converters put the first data row there whatever it holds.
* **One cell per line.** Each line starting with a tab is one cell (``\\t`` alone
  is an empty cell; further tabs on the line add empty cells after it), a blank
  line ends a row. A line without a tab directly after a
  non-empty cell continues that cell (a multi-line cell), as does a numbered line
  after at most one blank line when it carries the next number of a list the cell
  started (``1.…`` / ``2.…``). The table runs over any number of blank lines and
  ends at the first other line: blank-line runs inside one exported table vary, so
  counting them does not find table ends. A section line (``第七部分…``, ``一、…``,
  ``（一）…``, ``表 1``) never continues a cell.

  A run of tab lines is read one cell per line when at least
  :attr:`TextParams.cell_line_share` of its tab lines are a single tab followed by
  text, and almost none (:attr:`TextParams.row_line_share`) starts with text
  followed by a tab, which is how tab-separated rows start.

In every style, ``<p>…</p>``, ``<br>`` and ``<div>`` in a cell become line breaks,
inline tags (``<b>``, ``<span>``…) are removed, and common HTML entities are
decoded; rows whose cells are all empty are dropped; every other position is kept,
empty or not, so later stages can align columns. A tab-separated "table" of one row
whose first field is only a section number (``一、\\t部门职责``) is a heading written
with a tab, and is read as text.

Conversion noise removed everywhere: ``[bookmark: …]`` and pandoc ``[]{#…}``
anchors, Markdown ``**bold**`` markers, zero-width characters and byte-order marks,
no-break spaces (to spaces), lines that are only a Markdown rule (``---``), and an
unmatched ASCII ``"`` at either end of a cell (spreadsheet quoting cut in two).
Markdown list bullets (``- ``) are removed and the item is a paragraph.

Outside tables each non-blank line is one block. It is a heading when it is short
(:attr:`TextParams.heading_max_chars`), does not end or break in sentence
punctuation, and starts with a section number (``第一部分``, ``一、``, ``（三）``,
``1.``, ``（2）``, ``表 1``), is a Markdown ``#`` heading, or is a short title
ending in 表 / 报告 / 说明 / 情况 / 目标 / 概况 / 目录 (``项目支出绩效目标表``).
Everything else is a paragraph.

Page breaks in these exports show as a blank line in mid-sentence
(``预算数 52. 34`` / blank / ``万元，…``). Two paragraphs separated by blank lines
are joined into one when the first does not end in sentence punctuation and either
it ends in a digit and the second starts with a unit (万元, 元, 亿元, %), or the first
reads as cut prose (it holds a comma, enumeration comma or full stop, or is at least
:attr:`TextParams.join_min_chars` long) or the second starts with a lower-case
letter, and the second is neither a heading nor a numbered or bulleted item. A
first part that looked like a numbered heading (``8) …预算数 52. 34``) is
re-classified after the join. Lines that follow each other without a blank line are
never joined: in those exports every line is its own paragraph.

Bytes are decoded as UTF-8 (with or without byte-order mark), UTF-16 with a
byte-order mark, then GB18030 (a superset of GBK and GB2312), then whatever
charset-normalizer finds. Line ends are normalised to ``\\n``. Text inputs have no
pages, so every provenance has ``page=None``; character spans come from
:class:`~nlp.read.base.DocumentBuilder`.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

from nlp.document import Document
from nlp.errors import ReadError
from nlp.read.base import DocumentBuilder
from nlp.read.limits import check_count
from nlp.read.text.decode import _read_bytes, decode
from nlp.read.text.lines import clean_cell, clean_markup, clean_text
from nlp.read.text.paragraphs import _Emitter, is_heading
from nlp.read.text.params import DEFAULT_PARAMS, TextParams
from nlp.read.text.tables import _scan

logger = logging.getLogger(__name__)


class TextReader:
    """Reads plain-text and Markdown exports into a Document.

    Args:
        params: reader thresholds; the defaults suit published budget exports.
    """

    format = "text"
    extensions = (".txt", ".md", ".text")

    def __init__(self, params: TextParams | None = None) -> None:
        self.params = params

    def read(self, path: Path, name: str | None = None) -> Document:
        """Read a text file into a Document.

        Args:
            path: the file to read.
            name: the document's display name (default: the file name).

        Returns:
            The Document, with ``format="text"``.

        Raises:
            ReadError: the file is missing, a folder, unreadable, empty, binary or
                undecodable; the message starts with the file name.
        """
        path = Path(path)
        display = name or path.name
        params = self.params or DEFAULT_PARAMS
        started = time.perf_counter()
        data = _read_bytes(path, display)
        text, encoding = decode(data, display, params)
        if not text.strip():
            raise ReadError(f"{display}: file holds only whitespace, no text")
        logger.debug("%s: decoded as %s", display, encoding)
        return self._parse(
            text, display, params, (("decode", time.perf_counter() - started),)
        )

    def read_string(self, text: str, name: str) -> Document:
        """Read text already in memory; never touches the disk.

        Args:
            text: the document text (any line ends).
            name: the document's display name.

        Returns:
            The Document; empty (no blocks) when ``text`` is blank.
        """
        return self._parse(text, name, self.params or DEFAULT_PARAMS)

    def _parse(
        self,
        text: str,
        name: str,
        params: TextParams,
        timings: tuple[tuple[str, float], ...] = (),
    ) -> Document:
        started = time.perf_counter()
        check_count(
            name, "characters in one line", _longest_line(text), "max_line_chars"
        )
        builder = DocumentBuilder(name, self.format)
        for step, seconds in timings:
            builder.add_timing(step, seconds)
        emitter = _Emitter(builder, params)
        for item in _scan(clean_text(text).split("\n"), params):
            emitter.add(item)
        emitter.flush()
        builder.add_timing("parse", time.perf_counter() - started)
        return builder.build()


def _longest_line(text: str) -> int:
    """Characters in the longest line, without splitting the text into copies."""
    longest, start = 0, 0
    while start <= len(text):
        end = text.find("\n", start)
        if end < 0:
            end = len(text)
        longest = max(longest, end - start)
        start = end + 1
    return longest


__all__ = [
    "DEFAULT_PARAMS",
    "TextParams",
    "TextReader",
    "clean_cell",
    "clean_markup",
    "clean_text",
    "decode",
    "is_heading",
]

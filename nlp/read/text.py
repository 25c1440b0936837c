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

import codecs
import html
import logging
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from nlp.document import Document
from nlp.errors import ReadError
from nlp.read.base import DocumentBuilder

logger = logging.getLogger(__name__)

LineKind = Literal["blank", "pipe", "tab", "text"]


@dataclass(frozen=True, slots=True)
class TextParams:
    """Thresholds of the plain-text reader.

    Attributes:
        heading_max_chars: longest line (in characters) read as a heading.
        title_max_chars: longest unnumbered title line (``收支总表``) read as a
            heading.
        cell_line_share: least share of a tab run's tab lines that must be one
            ``\\t``-led cell for the run to be read one cell per line.
        row_line_share: share of a tab run's tab lines starting with text then a
            tab (a tab-separated row) above which the run is read as rows.
        join_min_chars: length from which a paragraph without sentence-final
            punctuation counts as prose cut by a page break.
        list_blank_lines: most blank lines between a numbered cell line and the
            next number of its list for the number to continue the cell.
        max_control_share: largest share of control characters a decoded text
            may hold before it is taken for a binary file.
    """

    heading_max_chars: int = 40
    title_max_chars: int = 30
    cell_line_share: float = 0.8
    row_line_share: float = 0.05
    join_min_chars: int = 60
    list_blank_lines: int = 1
    max_control_share: float = 0.01


DEFAULT_PARAMS = TextParams()

# --- decoding -------------------------------------------------------------------

_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
# C0 controls other than tab, line feed, vertical tab, form feed, carriage return.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")

# --- noise ------------------------------------------------------------------------

_LINE_ENDS = re.compile(r"\r\n?|[\f\v\x85\u2028\u2029]")
# Invisible characters dropped, and the no-break space made a plain space.
_INVISIBLE = (
    ("\ufeff", ""),
    ("\u200b", ""),
    ("\u200c", ""),
    ("\u200d", ""),
    ("\u2060", ""),
    ("\xa0", " "),
)
_BOOKMARK = re.compile(r"\[bookmark:[^\]\n]*\]|\[\]\{#[^}\n]*\}")
_BOLD = re.compile(r"\*\*([^*\n]+?)\*\*")
_RULE = re.compile(r"\s*([-*_=])(?:\s*\1){2,}\s*")
_BULLET = re.compile(r"\s*[-*+•·]\s+")
_MD_HEADING = re.compile(r"\s*#{1,6}\s+(.*?)\s*#*\s*")
_BREAK_TAG = re.compile(r"<\s*/?\s*(?:p|br|div|li|tr)\b[^<>]*>", re.IGNORECASE)
_INLINE_TAG = re.compile(
    r"<\s*/?\s*(?:span|font|b|i|u|s|em|strong|sup|sub|a|td|th)\b[^<>]*>", re.IGNORECASE
)
_ENTITY = re.compile(r"&(?:nbsp|amp|lt|gt|quot|apos|#\d{1,7}|#[xX][0-9a-fA-F]{1,6});")

# --- line classes -----------------------------------------------------------------

_BLANK_CHARS = " \u3000"
_PIPE_SPLIT = re.compile(r"(?<!\\)\|")
_PIPE_SEPARATOR = re.compile(r"\s*\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?\s*")
_SINGLE_CELL = re.compile(r"\t[^\t]*")

# --- headings and page-break joins ------------------------------------------------

_CN_DIGITS = "一二三四五六七八九十"
_CN_VALUES = {c: i for i, c in enumerate(_CN_DIGITS[:9], start=1)}
_SECTION = re.compile(
    rf"(?:第[{_CN_DIGITS}百零〇\d]+\s*[部分章节篇]"
    rf"|[{_CN_DIGITS}]{{1,3}}\s*[、.．]"
    rf"|[（(]\s*[{_CN_DIGITS}]{{1,3}}\s*[）)]"
    rf"|附?表\s*[\d{_CN_DIGITS}]+(?:\s*[-－—.．]\s*\d+)*(?:\s|$))"
)
_NUMBERED = re.compile(
    r"(?:\d{1,2}(?:\.\d{1,2})*\s*[、.．](?!\d)"
    r"|[（(]\s*\d{1,2}\s*[）)]"
    r"|\d{1,2}\s*[)）]"
    r"|[a-zA-Z]\s*[.、)）]\s)"
)
# A list number at the start of a line, Arabic or Chinese, with its delimiter.
_ENUMERATOR = re.compile(
    rf"\s*(?:[（(]\s*)?(\d{{1,3}}|[{_CN_DIGITS}]{{1,3}})\s*[.、．)）](?!\d)"
)
_ENUMERATOR_ONLY = re.compile(
    rf"\s*(?:第[{_CN_DIGITS}百零〇\d]+\s*[部分章节篇条]"
    rf"|[{_CN_DIGITS}]{{1,3}}\s*[、.．]|[（(]\s*[{_CN_DIGITS}\d]{{1,3}}\s*[）)]"
    r"|\d{1,3}(?:\.\d{1,3})*\s*[、.．]?)\s*"
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
        builder = DocumentBuilder(name, self.format)
        for step, seconds in timings:
            builder.add_timing(step, seconds)
        emitter = _Emitter(builder, params)
        for item in _scan(clean_text(text).split("\n"), params):
            emitter.add(item)
        emitter.flush()
        builder.add_timing("parse", time.perf_counter() - started)
        return builder.build()


# --- bytes to text ----------------------------------------------------------------


def _read_bytes(path: Path, display: str) -> bytes:
    """The file's bytes, or a ReadError naming the file and the problem."""
    if path.is_dir():
        raise ReadError(f"{display}: is a folder, not a file")
    if not path.exists():
        raise ReadError(f"{display}: no such file ({path})")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ReadError(f"{display}: cannot read: {exc.strerror or exc}") from exc
    if not data:
        raise ReadError(f"{display}: file is empty")
    return data


def decode(
    data: bytes, name: str, params: TextParams = DEFAULT_PARAMS
) -> tuple[str, str]:
    """Decode a text file's bytes, trying UTF-8, UTF-16 by BOM, GB18030, detection.

    Args:
        data: the file's bytes.
        name: display name, for error messages.
        params: reader thresholds (the control-character limit).

    Returns:
        (text, encoding name).

    Raises:
        ReadError: the bytes are binary (NUL bytes, control characters) or no
            encoding decodes them.
    """
    text, encoding = _decode_known(data)
    if text is None:
        if b"\x00" in data:
            raise ReadError(
                f"{name}: binary file (NUL bytes), not text; "
                "UTF-16 text needs a byte-order mark"
            )
        text, encoding = _decode_detected(data, name)
    controls = len(_CONTROL.findall(text))
    if controls > params.max_control_share * len(text):
        raise ReadError(
            f"{name}: binary file, not text ({controls} control characters "
            f"after decoding as {encoding})"
        )
    return text, encoding


def _decode_known(data: bytes) -> tuple[str | None, str]:
    """Decode by byte-order mark, strict UTF-8 or strict GB18030; None if none fits."""
    if data.startswith(_UTF16_BOMS):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            return None, ""
    if b"\x00" in data:
        return None, ""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    return None, ""


def _decode_detected(data: bytes, name: str) -> tuple[str, str]:
    """Decode with charset-normalizer's best guess."""
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise ReadError(
            f"{name}: cannot decode: not UTF-8 or GB18030 and no other "
            "encoding fits (binary file?)"
        )
    logger.info("%s: not UTF-8 or GB18030, decoded as %s", name, best.encoding)
    return str(best), best.encoding


# --- noise ------------------------------------------------------------------------


def clean_text(text: str) -> str:
    """Normalise line ends and drop conversion noise that spans no line break.

    Removes byte-order marks and zero-width characters, ``[bookmark: …]`` and
    pandoc anchors, and Markdown ``**`` bold markers; no-break spaces become spaces.
    """
    text = _LINE_ENDS.sub("\n", text)
    for char, replacement in _INVISIBLE:
        if char in text:  # a scan is far cheaper than str.translate on large texts
            text = text.replace(char, replacement)
    if "[" in text:
        text = _BOOKMARK.sub("", text)
    if "**" in text:
        text = _BOLD.sub(r"\1", text)
    return text


def clean_cell(text: str) -> str:
    """Cell text cleaned like a paragraph, less an unmatched ASCII ``"`` at an end.

    A lone quote at the start or end of a cell is spreadsheet quoting cut in two
    by the export; in a paragraph it could be the writer's, so paragraphs keep it.
    """
    text = clean_markup(text)
    if text.count('"') == 1 and (text[0] == '"' or text[-1] == '"'):
        text = text.strip('"').strip()
    return text


def clean_markup(text: str) -> str:
    """Text with markup turned into line breaks, each line trimmed.

    ``<p>``, ``<br>``, ``<div>`` become line breaks, inline tags go, entities are
    decoded; each line is stripped and empty lines are dropped.
    """
    if "<" in text:
        text = _INLINE_TAG.sub("", _BREAK_TAG.sub("\n", text))
    if "&" in text:
        text = _ENTITY.sub(lambda m: html.unescape(m.group(0)), text).replace(
            "\xa0", " "
        )
    if "\n" in text:
        text = "\n".join(s for line in text.split("\n") if (s := line.strip()))
    return text.strip()


# --- scanning lines into items ----------------------------------------------------


@dataclass(slots=True)
class _Para:
    """A paragraph candidate: one source line outside tables."""

    text: str
    after_blank: bool
    list_item: bool = False
    heading: bool | None = None


@dataclass(slots=True)
class _Rows:
    """A table as raw rows of field strings."""

    rows: list[list[str]]


def _line_kind(line: str) -> LineKind:
    """Classify a line: blank, Markdown pipe row, tab line, or text."""
    stripped = line.strip()
    if stripped[:1] == "|" and stripped.count("|") >= 2:
        return "pipe"  # before tabs: a pipe row may hold a tab inside a cell
    if "\t" in line:
        return "tab"
    if not stripped.strip(_BLANK_CHARS) or _RULE.fullmatch(stripped):
        return "blank"
    return "text"


def _scan(lines: list[str], params: TextParams) -> Iterator[_Para | _Rows]:
    """Walk the lines once, yielding paragraphs and tables in reading order."""
    kinds = [_line_kind(line) for line in lines]
    i, n = 0, len(lines)
    after_blank = True
    while i < n:
        kind = kinds[i]
        if kind == "blank":
            after_blank = True
            i += 1
        elif kind == "pipe":
            j = i
            while j < n and kinds[j] == "pipe":
                j += 1
            yield _Rows(_pipe_rows(lines[i:j]))
            after_blank, i = False, j
        elif kind == "tab":
            end = _tab_run_end(lines, kinds, i, params)
            yield from _tab_run(lines, kinds, i, end, params)
            after_blank, i = False, end
        else:
            yield _text_item(lines[i], after_blank)
            after_blank = False
            i += 1


def _text_item(line: str, after_blank: bool) -> _Para:
    """A text line as a paragraph candidate, Markdown markers interpreted."""
    if match := _MD_HEADING.fullmatch(line):
        return _Para(match.group(1), after_blank, heading=True)
    if match := _BULLET.match(line):
        return _Para(line[match.end() :], after_blank, list_item=True)
    return _Para(line, after_blank)


def _pipe_rows(lines: list[str]) -> list[list[str]]:
    """Split Markdown pipe rows into fields, dropping the ``|---|`` separator."""
    rows = []
    for line in lines:
        stripped = line.strip()
        if _PIPE_SEPARATOR.fullmatch(stripped):
            continue
        fields = _PIPE_SPLIT.split(stripped)
        fields = fields[1:]  # the leading "|" opens the row
        if stripped.endswith("|") and not stripped.endswith("\\|"):
            fields = fields[:-1]
        rows.append([f.replace("\\|", "|") for f in fields])
    return rows


def _tab_run_end(
    lines: list[str], kinds: list[LineKind], start: int, params: TextParams
) -> int:
    """Find where a run of tab lines ends.

    The run takes tab lines, blank lines between them, and text lines that
    continue a one-cell-per-line cell; whether the run really is one cell per line
    is decided afterwards, so continuation lines are only candidates.

    Returns:
        The index after the run's last tab or continuation line.
    """
    last = start
    j = start + 1
    n = len(lines)
    while j < n:
        kind = kinds[j]
        if kind == "tab":
            last = j
        elif kind == "text":
            if not _continues(lines, last, j, params):
                break
            last = j
        elif kind == "pipe":
            break
        j += 1
    return last + 1


def _continues(lines: list[str], last: int, j: int, params: TextParams) -> bool:
    """True when text line ``j`` continues the cell that ended on line ``last``."""
    previous = lines[last].rsplit("\t", 1)[-1].strip(_BLANK_CHARS)
    if not previous:
        return False
    line = lines[j]
    gap = j - last - 1
    if gap <= params.list_blank_lines and _next_in_list(previous, line):
        return True
    # Directly below the cell, unless it opens a new section.
    return not gap and not _SECTION.match(line.strip(_BLANK_CHARS))


def _next_in_list(previous: str, line: str) -> bool:
    """True when ``line`` starts with the list number after ``previous``'s."""
    first = _ENUMERATOR.match(previous)
    second = _ENUMERATOR.match(line)
    if first is None or second is None:
        return False
    a, b = _number(first.group(1)), _number(second.group(1))
    return a is not None and b == a + 1


def _number(token: str) -> int | None:
    """Value of an Arabic or small Chinese numeral (一 … 九十九)."""
    if token.isdigit():
        return int(token)
    tens, sep, ones = token.partition("十")
    if not sep:
        return _CN_VALUES.get(token)
    value = (_CN_VALUES.get(tens, 0) if tens else 1) * 10
    return value + (_CN_VALUES.get(ones, 0) if ones else 0)


def _tab_run(
    lines: list[str],
    kinds: list[LineKind],
    start: int,
    end: int,
    params: TextParams,
) -> Iterator[_Para | _Rows]:
    """Yield the tables (and, for tab-separated runs, paragraphs) of a tab run."""
    tab_lines = [lines[k] for k in range(start, end) if kinds[k] == "tab"]
    total = len(tab_lines)
    single = sum(1 for line in tab_lines if _SINGLE_CELL.fullmatch(line))
    rowlike = sum(1 for line in tab_lines if line[0] != "\t")
    one_per_line = (
        single >= params.cell_line_share * total
        and rowlike <= params.row_line_share * total
    )
    if one_per_line:
        yield _Rows(_cell_per_line_rows(lines, kinds, start, end))
    else:
        yield from _tab_separated(lines, kinds, start, end)


def _cell_per_line_rows(
    lines: list[str], kinds: list[LineKind], start: int, end: int
) -> list[list[str]]:
    """Rows of a one-cell-per-line run: blank lines end rows, text continues cells."""
    rows: list[list[str]] = []
    row: list[str] = []
    row_open = False
    for k in range(start, end):
        kind = kinds[k]
        if kind == "blank":
            row_open = False
        elif kind == "tab":
            if not row_open and row:
                rows.append(row)
                row = []
            line = lines[k]
            row.extend((line[1:] if line[0] == "\t" else line).split("\t"))
            row_open = True
        else:  # a continuation line: always after a non-empty cell
            row[-1] = f"{row[-1]}\n{lines[k]}"
            row_open = True
    if row:
        rows.append(row)
    return rows


def _tab_separated(
    lines: list[str], kinds: list[LineKind], start: int, end: int
) -> Iterator[_Para | _Rows]:
    """Tables of a tab-separated run: consecutive tab lines, split at blank lines."""
    rows: list[list[str]] = []
    after_blank = False
    for k in range(start, end):
        kind = kinds[k]
        if kind == "tab":
            rows.append(lines[k].split("\t"))
            after_blank = False
            continue
        if rows:
            yield from _tab_table(rows)
            rows = []
        if kind == "blank":
            after_blank = True
        else:
            yield _text_item(lines[k], after_blank)
            after_blank = False
    if rows:
        yield from _tab_table(rows)


def _tab_table(rows: list[list[str]]) -> Iterator[_Para | _Rows]:
    """A tab table, or a heading typed with a tab (``一、\\t部门职责``) as text."""
    if len(rows) == 1:
        fields = [f.strip(_BLANK_CHARS) for f in rows[0]]
        filled = [f for f in fields if f]
        if len(filled) >= 2 and _ENUMERATOR_ONLY.fullmatch(filled[0]):
            yield _Para(" ".join(filled), after_blank=True)
            return
    yield _Rows(rows)


# --- items to blocks --------------------------------------------------------------


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

"""Tables in the three export styles: pipe rows, tab-separated rows, cell per line.

:func:`_scan` walks the lines once and yields paragraph candidates and tables in
reading order.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from nlp.read.text.lines import (
    _BLANK_CHARS,
    _CN_DIGITS,
    _ENUMERATOR,
    _SECTION,
    LineKind,
    _line_kind,
    _Para,
    _Rows,
    _text_item,
)
from nlp.read.text.params import TextParams

_PIPE_SPLIT = re.compile(r"(?<!\\)\|")
_PIPE_SEPARATOR = re.compile(r"\s*\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?\s*")
_SINGLE_CELL = re.compile(r"\t[^\t]*")
_CN_VALUES = {c: i for i, c in enumerate(_CN_DIGITS[:9], start=1)}
_ENUMERATOR_ONLY = re.compile(
    rf"\s*(?:第[{_CN_DIGITS}百零〇\d]+\s*[部分章节篇条]"
    rf"|[{_CN_DIGITS}]{{1,3}}\s*[、.．]|[（(]\s*[{_CN_DIGITS}\d]{{1,3}}\s*[）)]"
    r"|\d{1,3}(?:\.\d{1,3})*\s*[、.．]?)\s*"
)


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

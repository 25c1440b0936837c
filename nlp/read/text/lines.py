"""Line cleanup and classification: conversion noise, line kinds, scanned items.

Also holds the line-start patterns (section numbers, list numbers) that both the
table scan and the heading rules read.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Literal

LineKind = Literal["blank", "pipe", "tab", "text"]

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
_CN_DIGITS = "一二三四五六七八九十"
_SECTION = re.compile(
    rf"(?:第[{_CN_DIGITS}百零〇\d]+\s*[部分章节篇]"
    rf"|[{_CN_DIGITS}]{{1,3}}\s*[、.．]"
    rf"|[（(]\s*[{_CN_DIGITS}]{{1,3}}\s*[）)]"
    rf"|附?表\s*[\d{_CN_DIGITS}]+(?:\s*[-－—.．]\s*\d+)*(?:\s|$))"
)
# A list number at the start of a line, Arabic or Chinese, with its delimiter.
_ENUMERATOR = re.compile(
    rf"\s*(?:[（(]\s*)?(\d{{1,3}}|[{_CN_DIGITS}]{{1,3}})\s*[.、．)）](?!\d)"
)


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


def _text_item(line: str, after_blank: bool) -> _Para:
    """A text line as a paragraph candidate, Markdown markers interpreted."""
    if match := _MD_HEADING.fullmatch(line):
        return _Para(match.group(1), after_blank, heading=True)
    if match := _BULLET.match(line):
        return _Para(line[match.end() :], after_blank, list_item=True)
    return _Para(line, after_blank)

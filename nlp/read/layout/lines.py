"""Lines, runs and paragraphs from positioned text fragments."""

from __future__ import annotations

import statistics
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from nlp.document import TextSource
from nlp.read.layout.common import (
    CLOSERS,
    SECTION_START,
    SENTENCE_END,
    LayoutParams,
    Paragraph,
    TextFragment,
    is_wide,
    join_lines,
)


@dataclass(slots=True)
class Line:
    """Fragments on one text line, left to right."""

    fragments: list[TextFragment]
    x0: float
    top: float
    x1: float
    bottom: float
    text: str = ""
    runs: list[Run] = field(default_factory=list)

    @property
    def height(self) -> float:
        return self.bottom - self.top


@dataclass(slots=True)
class Run:
    """Fragments of one line between column gaps."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    source: TextSource
    confidence: float


def source_of(frags: Sequence[TextFragment]) -> TextSource:
    return "ocr" if any(f.source == "ocr" for f in frags) else "text"


def source_of_runs(runs: Sequence[Run]) -> TextSource:
    return "ocr" if any(run.source == "ocr" for run in runs) else "text"


# Marks some exports draw a part of a line lower or higher than the text around
# them (a full-width bracket or quote set on its own baseline).
OFFSET_MARKS = frozenset("()（）[]【】〔〕“”‘’\"',，.。、:：;；")


# Line heights above a mark searched for the text it belongs to.
MARK_WINDOW = 3.0


def seat_marks(
    frags: Sequence[TextFragment], params: LayoutParams
) -> list[TextFragment]:
    """Put punctuation drawn off its line back on the line it belongs to.

    Some exports draw brackets and quotes several points below the characters
    around them, so by position they fall between two lines, or into the next row
    of a table (``观测系统传输及时率(国家地面站)`` read as ``…国家地面站( )`` and a
    ``)`` opening the next row). A fragment made only of such marks that touches,
    left or right, a text fragment it overlaps vertically takes that fragment's
    top and bottom; the text fragment with the most vertical overlap wins.
    """
    out = list(frags)
    texts = [f for f in frags if not _only_marks(f.text)]
    if len(texts) == len(out):
        return out
    texts.sort(key=lambda f: f.top)
    tops = [f.top for f in texts]
    for i, frag in enumerate(out):
        if not _only_marks(frag.text):
            continue
        home = _mark_home(frag, texts, tops, params)
        if home is not None:
            out[i] = replace(frag, top=home.top, bottom=home.bottom)
    return out


def _only_marks(text: str) -> bool:
    stripped = text.strip()
    return bool(stripped) and all(ch in OFFSET_MARKS for ch in stripped)


def _mark_home(
    mark: TextFragment,
    texts: Sequence[TextFragment],
    tops: Sequence[float],
    params: LayoutParams,
) -> TextFragment | None:
    """The text fragment beside ``mark`` it overlaps most vertically, if any."""
    height = mark.bottom - mark.top or 1.0
    reach = params.mark_reach * height
    best: TextFragment | None = None
    best_overlap = 0.0
    # Only fragments starting near the mark can overlap it.
    low = bisect_left(tops, mark.top - MARK_WINDOW * height)
    for text in texts[low : bisect_right(tops, mark.bottom)]:
        overlap = min(text.bottom, mark.bottom) - max(text.top, mark.top)
        if overlap <= best_overlap:
            continue
        if _beside(mark, text, reach):
            best, best_overlap = text, overlap
    if best is None or best_overlap >= params.line_overlap * height:
        return None  # on its line already
    return best


def _beside(mark: TextFragment, text: TextFragment, reach: float) -> bool:
    """Whether ``mark`` sits just left or just right of ``text``, not over it.

    A bracket's box is a full character wide while its glyph is half that, so the
    box may reach half its width into the text beside it; a mark lying over the
    middle of a fragment belongs to another line.
    """
    give = (mark.x1 - mark.x0) / 2
    left = text.x0 - reach <= mark.x1 <= text.x0 + give
    right = text.x1 - give <= mark.x0 <= text.x1 + reach
    return left or right


def group_lines(frags: Sequence[TextFragment], params: LayoutParams) -> list[Line]:
    """Group fragments into lines, top to bottom, each left to right with runs."""
    ordered = sorted(frags, key=lambda f: (f.top, f.x0))
    lines: list[Line] = []
    for frag in ordered:
        line = lines[-1] if lines else None
        if line is not None and _same_line(line, frag, params):
            line.fragments.append(frag)
            line.x0 = min(line.x0, frag.x0)
            line.x1 = max(line.x1, frag.x1)
            line.top = min(line.top, frag.top)
            line.bottom = max(line.bottom, frag.bottom)
        else:
            lines.append(Line([frag], frag.x0, frag.top, frag.x1, frag.bottom))
    for line in lines:
        line.fragments.sort(key=lambda f: f.x0)
        line.runs = _runs(line, params)
        line.text = " ".join(run.text for run in line.runs)
    return lines


def _same_line(line: Line, frag: TextFragment, params: LayoutParams) -> bool:
    overlap = min(line.bottom, frag.bottom) - max(line.top, frag.top)
    smaller = min(line.height, frag.height) or 1.0
    return overlap >= params.line_overlap * smaller


def _runs(line: Line, params: LayoutParams) -> list[Run]:
    """Split a line where the gap is a column gap; join fragments within a run."""
    height = line.height or 1.0
    runs: list[Run] = []
    parts: list[str] = []
    current: list[TextFragment] = []
    for frag in line.fragments:
        if current:
            gap = frag.x0 - current[-1].x1
            if gap > params.column_gap * height:
                runs.append(_make_run(current, parts))
                current, parts = [], []
            elif gap > params.space_gap * height and not (
                is_wide(current[-1].text[-1]) and is_wide(frag.text[0])
            ):
                parts.append(" ")
        current.append(frag)
        parts.append(frag.text.strip())
    runs.append(_make_run(current, parts))
    return runs


def _make_run(frags: list[TextFragment], parts: list[str]) -> Run:
    return Run(
        text="".join(parts),
        x0=frags[0].x0,
        top=min(f.top for f in frags),
        x1=max(f.x1 for f in frags),
        bottom=max(f.bottom for f in frags),
        source=source_of(frags),
        confidence=min(f.confidence for f in frags),
    )


def join_cell_lines(lines: Sequence[Line]) -> str:
    """A cell's lines joined like a paragraph's."""
    text = ""
    for line in lines:
        text = join_lines(text, line.text)
    return text


def paragraphs(lines: list[Line], page: int, params: LayoutParams) -> list[Paragraph]:
    """Join lines into paragraphs and headings."""
    if not lines:
        return []
    body = statistics.median(line.height for line in lines) or 1.0
    left = min(line.x0 for line in lines)
    right = max(line.x1 for line in lines)
    # The right edge tells full lines from short ones only when several lines
    # reach it; a page of one line has no measure.
    full = sum(1 for line in lines if line.x1 >= right - params.short_line * body)
    if full < 2:
        right = float("inf")
    paragraphs: list[Paragraph] = []
    group: list[Line] = []
    for line in lines:
        if group and _breaks(group[-1], line, body, left, right, params):
            paragraphs.append(_paragraph(group, page, body, left, right, params))
            group = []
        group.append(line)
    paragraphs.append(_paragraph(group, page, body, left, right, params))
    return paragraphs


def _breaks(
    prev: Line,
    line: Line,
    body: float,
    left: float,
    right: float,
    params: LayoutParams,
) -> bool:
    """True when ``line`` starts a new paragraph after ``prev``."""
    height = max(prev.height, line.height, body)
    if line.top - prev.bottom > params.paragraph_gap * height:
        return True
    if line.x0 > left + params.indent * body:
        return True
    if right < float("inf") and prev.x1 < right - params.short_line * body:
        return True
    if _larger(prev, body, params) != _larger(line, body, params):
        return True
    return bool(SECTION_START.match(line.text)) and _ends_sentence(prev.text)


def _larger(line: Line, body: float, params: LayoutParams) -> bool:
    return line.height >= params.heading_size * body


def _ends_sentence(text: str) -> bool:
    stripped = text.rstrip().rstrip(CLOSERS)
    return bool(stripped) and stripped[-1] in SENTENCE_END


def _paragraph(
    lines: list[Line],
    page: int,
    body: float,
    left: float,
    right: float,
    params: LayoutParams,
) -> Paragraph:
    text = join_cell_lines(lines)
    runs = [run for line in lines for run in line.runs]
    last = lines[-1]
    heading = (
        len(lines) == 1
        and len(text) <= params.heading_max_chars
        and not _ends_sentence(text)
        and (_larger(last, body, params) or bool(SECTION_START.match(text)))
        and not any(mark in text for mark in "。；;，,")
    )
    return Paragraph(
        text=text,
        bbox=(
            min(line.x0 for line in lines),
            lines[0].top,
            max(line.x1 for line in lines),
            last.bottom,
        ),
        page=page,
        source=source_of_runs(runs),
        confidence=min(run.confidence for run in runs),
        kind="heading" if heading else "paragraph",
        open_end=last.x1 >= right - params.short_line * body
        and not _ends_sentence(text)
        and not heading,
        indented=lines[0].x0 > left + params.indent * body,
    )

"""Across pages: visible text, running headers and footers, cut paragraphs."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import replace

from nlp.read.layout.common import (
    DEFAULT_PARAMS,
    DIGITS,
    PAGE_NUMBER,
    LayoutParams,
    PageItem,
    Paragraph,
    TextFragment,
    join_lines,
)


def visible_fragments(
    fragments: Sequence[TextFragment],
    width: float,
    height: float,
    params: LayoutParams = DEFAULT_PARAMS,
) -> list[TextFragment]:
    """Fragments a reader of the page sees, sorted top to bottom.

    Drops whitespace-only fragments, fragments whose centre is off the page, and
    repeated copies of the same text within
    :attr:`LayoutParams.duplicate_tolerance` points of the first.
    """
    tol = params.duplicate_tolerance
    seen: dict[tuple[str, int, int], list[TextFragment]] = defaultdict(list)
    kept: list[TextFragment] = []
    for frag in fragments:
        if not frag.text.strip():
            continue
        cx, cy = (frag.x0 + frag.x1) / 2, (frag.top + frag.bottom) / 2
        if not (0 <= cx <= width and 0 <= cy <= height):
            continue
        key = (
            frag.text,
            round(frag.x0 / max(tol, 1e-6)),
            round(frag.top / max(tol, 1e-6)),
        )
        if _is_copy(frag, key, seen, tol):
            continue
        seen[key].append(frag)
        kept.append(frag)
    kept.sort(key=lambda f: (f.top, f.x0))
    return kept


def _is_copy(
    frag: TextFragment,
    key: tuple[str, int, int],
    seen: dict[tuple[str, int, int], list[TextFragment]],
    tol: float,
) -> bool:
    text, kx, ky = key
    for dx in (-1, 0, 1):
        for dy in (-1, 0, 1):
            for other in seen.get((text, kx + dx, ky + dy), ()):
                if abs(other.x0 - frag.x0) <= tol and abs(other.top - frag.top) <= tol:
                    return True
    return False


def finish_pages(
    pages: Sequence[Sequence[PageItem]],
    heights: Sequence[float],
    params: LayoutParams = DEFAULT_PARAMS,
) -> list[PageItem]:
    """Drop running headers, footers and page numbers; join paragraphs cut by pages.

    Args:
        pages: each page's items from :func:`layout_page`, in page order.
        heights: each page's height, points.
        params: tolerances.

    Returns:
        All items in reading order, as one list.
    """
    kept = drop_page_furniture(pages, heights, params)
    return join_across_pages(kept)


def drop_page_furniture(
    pages: Sequence[Sequence[PageItem]],
    heights: Sequence[float],
    params: LayoutParams = DEFAULT_PARAMS,
) -> list[list[PageItem]]:
    """Remove running headers and footers and lone page numbers.

    A running header or footer is a one-line paragraph in the top or bottom
    :attr:`LayoutParams.furniture_zone` of the page whose text (digits aside)
    repeats at the same place on at least :attr:`LayoutParams.furniture_share` of
    the pages (and :attr:`LayoutParams.furniture_min_pages`); headings (larger
    type) are titles and never count. A page number is a margin paragraph that is
    only a number (``3``, ``- 3 -``, ``第3页``, ``3/10``).
    """
    keys: list[list[tuple[str, int, str] | None]] = []
    counts: Counter[tuple[str, int, str]] = Counter()
    for items, height in zip(pages, heights, strict=True):
        page_keys = [_margin_key(item, height, params) for item in items]
        keys.append(page_keys)
        counts.update(
            {k for k, item in zip(page_keys, items, strict=True) if k and _plain(item)}
        )
    needed = max(params.furniture_min_pages, params.furniture_share * len(pages))
    result: list[list[PageItem]] = []
    for items, page_keys in zip(pages, keys, strict=True):
        kept = []
        for item, key in zip(items, page_keys, strict=True):
            if key is not None and (
                PAGE_NUMBER.fullmatch(key[2].replace("#", "0"))
                or (_repeats(counts, key) >= needed and _plain(item))
            ):
                continue
            kept.append(item)
        result.append(kept)
    return result


def _repeats(counts: Counter[tuple[str, int, str]], key: tuple[str, int, str]) -> int:
    """Pages the margin text repeats on, its x bucket or a neighbouring one (a
    scanned page shifts by a few points, across a bucket edge) counted."""
    where, bucket, text = key
    return sum(counts[(where, b, text)] for b in (bucket - 1, bucket, bucket + 1))


def _plain(item: PageItem) -> bool:
    """True for body-size text; a heading repeated on each page is a title, kept."""
    return isinstance(item, Paragraph) and item.kind == "paragraph"


def join_across_pages(pages: Iterable[Sequence[PageItem]]) -> list[PageItem]:
    """Flatten pages, joining a paragraph cut by a page break to its rest.

    The last paragraph of a page continues as the first item of the next page when
    it ran to the right edge without closing punctuation and the next page's first
    paragraph is neither indented nor a heading.
    """
    out: list[PageItem] = []
    for items in pages:
        rest = list(items)
        if rest and out:
            last, first = out[-1], rest[0]
            if (
                isinstance(last, Paragraph)
                and isinstance(first, Paragraph)
                and last.open_end
                and not first.indented
                and first.kind == "paragraph"
            ):
                out[-1] = replace(
                    last,
                    text=join_lines(last.text, first.text),
                    open_end=first.open_end,
                    confidence=min(last.confidence, first.confidence),
                )
                rest = rest[1:]
        out.extend(rest)
    return out


def _margin_key(
    item: PageItem, height: float, params: LayoutParams
) -> tuple[str, int, str] | None:
    """(zone, x bucket, text with digits masked) for a margin line, else None."""
    if not isinstance(item, Paragraph) or len(item.text) > params.furniture_max_chars:
        return None
    x0, top, x1, bottom = item.bbox
    zone = params.furniture_zone * height
    if bottom <= zone:
        where = "top"
    elif top >= height - zone:
        where = "bottom"
    else:
        return None
    bucket = int((x0 + x1) / 2 // params.furniture_x_bucket)
    return where, bucket, _mask_digits("".join(item.text.split()))


# Characters besides digits a margin text needs before a digit between two of its
# letters is taken for noise (a page number such as 第3页 keeps its digit).
FURNITURE_MIN_WORDS = 6


def _mask_digits(text: str) -> str:
    """Digits as one ``#`` per number, so page 3 and page 12 give one key; in a
    text of several characters besides, a lone digit is dropped instead (OCR noise
    inside a running header: ``部1门预算公开``)."""
    masked = DIGITS.sub("#", text)
    if len(masked.replace("#", "")) < FURNITURE_MIN_WORDS:
        return masked
    return re.sub(r"(?<=[^\W\d_])#(?=[^\W\d_])", "", masked)

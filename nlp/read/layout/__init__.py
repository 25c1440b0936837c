"""Page geometry: positioned text and ruling lines to paragraphs and tables.

Readers of paginated inputs (born-digital PDF, OCR of scans and images) find text
with a box and, where the page draws them, line segments. This module turns one
page of those into blocks in reading order, the same way whatever the source:

1. **Visible text.** Fragments whose centre lies off the page are dropped, and so
   are copies of a fragment printed again at (nearly) the same place (fake bold,
   overprinting exports); brackets and quotes drawn off their line are put back
   on the line they touch.
2. **Ruled tables.** Horizontal and vertical rulings are snapped and joined into
   segments; segments that touch form a table region. Its grid comes from the
   distinct x of its vertical and y of its horizontal segments; two neighbouring
   grid positions are one merged cell where the separator between them is not
   drawn. Text goes to the cell holding its centre; an OCR line that crosses
   the grid's column lines is first cut into its pieces (:mod:`.split`).
3. **Lines and runs.** The remaining fragments are grouped into lines (vertical
   overlap) and each line into runs, split where the horizontal gap is wider than
   :attr:`LayoutParams.column_gap` line heights.
4. **Aligned tables.** Consecutive lines of several runs whose runs fall into the
   same x-ranges (columns) form a table when at least
   :attr:`LayoutParams.min_table_cols` columns align over
   :attr:`LayoutParams.min_table_rows` rows; a line closer than
   :attr:`LayoutParams.cell_wrap_gap` under a row continues that row's cells.
   In both kinds of table, recognised cells are repaired where a repair needs
   the whole cell or its row (:mod:`.ocr_cells`): yes-or-no options wrapped
   over lines, and two cells of a row one character apart (a metric echoed in
   the column that explains it) given the reading the recogniser was surer of.
5. **Paragraphs.** Other lines are joined into paragraphs; a paragraph ends at a
   wide vertical gap, a short line, a change of text size, or before an indented
   line or a numbered heading. Lines are joined without a space (Chinese has none,
   and a number cut at a line end stays one number) unless both sides are Latin.

Across pages, :func:`finish_pages` drops running headers and footers (the same
text, digits aside, at the same place in the top or bottom margin of most pages)
and lone page numbers (``- 3 -``, ``第3页``), and joins a paragraph cut by a page
break. :func:`add_page_items` appends the result to a
:class:`~nlp.read.base.DocumentBuilder`.

Coordinates are PDF points with a top-left origin: ``top < bottom``.
"""

from __future__ import annotations

from collections.abc import Sequence

from nlp.read.base import DocumentBuilder
from nlp.read.layout.common import (
    DEFAULT_PARAMS,
    LayoutParams,
    PageItem,
    Paragraph,
    ParagraphKind,
    Ruling,
    TableItem,
    TextFragment,
    is_wide,
    join_lines,
)
from nlp.read.layout.lines import group_lines, paragraphs, seat_marks
from nlp.read.layout.pages import (
    drop_page_furniture,
    finish_pages,
    join_across_pages,
    visible_fragments,
)
from nlp.read.layout.split import split_across_columns
from nlp.read.layout.tables import aligned_tables, ruled_grids, ruled_table


def layout_page(
    fragments: Sequence[TextFragment],
    rulings: Sequence[Ruling],
    width: float,
    height: float,
    params: LayoutParams = DEFAULT_PARAMS,
) -> list[PageItem]:
    """Rebuild one page's paragraphs and tables in reading order.

    Args:
        fragments: the page's text with boxes (any granularity, one page).
        rulings: line segments drawn on or detected in the page.
        width: page width, points.
        height: page height, points.
        params: tolerances.

    Returns:
        Paragraphs and tables, top to bottom.
    """
    visible = seat_marks(visible_fragments(fragments, width, height, params), params)
    if not visible:
        return []
    page = visible[0].page
    grids = ruled_grids(rulings, params)
    in_grid: list[list[TextFragment]] = [[] for _ in grids]
    free: list[TextFragment] = []
    for frag in visible:
        cx, cy = (frag.x0 + frag.x1) / 2, (frag.top + frag.bottom) / 2
        for index, grid in enumerate(grids):
            if grid.slot_of(cx, cy) is not None:
                in_grid[index].append(frag)
                break
        else:
            free.append(frag)
    items: list[PageItem] = []
    for grid, frags in zip(grids, in_grid, strict=True):
        table = ruled_table(grid, split_across_columns(frags, grid.xs), page, params)
        if table is None:
            free.extend(frags)  # a framed paragraph, not a table
        else:
            items.append(table)
    lines = group_lines(free, params)
    tables, rest = aligned_tables(lines, page, params)
    items.extend(tables)
    items.extend(paragraphs(rest, page, params))
    items.sort(key=lambda item: (item.bbox[1], item.bbox[0]))
    return items


def add_page_items(builder: DocumentBuilder, items: Sequence[PageItem]) -> None:
    """Append paragraphs and tables to a document in the given order."""
    for item in items:
        if isinstance(item, TableItem):
            builder.add_table(item.cells)
        else:
            builder.add_text(
                item.text,
                kind=item.kind,
                page=item.page,
                bbox=item.bbox,
                source=item.source,
                confidence=item.confidence,
            )


__all__ = [
    "DEFAULT_PARAMS",
    "LayoutParams",
    "PageItem",
    "Paragraph",
    "ParagraphKind",
    "Ruling",
    "TableItem",
    "TextFragment",
    "add_page_items",
    "drop_page_furniture",
    "finish_pages",
    "is_wide",
    "join_across_pages",
    "join_lines",
    "layout_page",
    "ruled_grids",
    "visible_fragments",
]

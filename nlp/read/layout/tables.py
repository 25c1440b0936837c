"""Tables from ruling lines (grids with merged cells) and from aligned text."""

from __future__ import annotations

import statistics
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from nlp.document import BBox
from nlp.read.base import CellInput
from nlp.read.layout.common import (
    DEFAULT_PARAMS,
    LayoutParams,
    Ruling,
    TableItem,
    TextFragment,
    join_lines,
)
from nlp.read.layout.lines import (
    Line,
    Run,
    group_lines,
    join_cell_lines,
    source_of,
    source_of_runs,
)
from nlp.read.layout.ocr_cells import repair_ocr_cells
from nlp.read.layout.split import unmerge_numbers, unmerge_rows


@dataclass(frozen=True, slots=True)
class _Segment:
    """A horizontal (at ``pos`` = y, from ``start`` to ``end`` in x) or vertical
    (at ``pos`` = x, from ``start`` to ``end`` in y) ruling."""

    pos: float
    start: float
    end: float


@dataclass(slots=True)
class Grid:
    """A ruled table: grid lines and the merged-cell rectangles over them."""

    xs: list[float]
    ys: list[float]
    groups: list[tuple[int, int, int, int]]  # (row0, col0, row1, col1), half-open
    slot_group: dict[tuple[int, int], int]

    @property
    def bbox(self) -> BBox:
        return (self.xs[0], self.ys[0], self.xs[-1], self.ys[-1])

    def slot_of(self, x: float, y: float) -> tuple[int, int] | None:
        """Grid position holding the point, or None when it is outside."""
        if not (self.xs[0] <= x <= self.xs[-1] and self.ys[0] <= y <= self.ys[-1]):
            return None
        col = min(bisect_right(self.xs, x) - 1, len(self.xs) - 2)
        row = min(bisect_right(self.ys, y) - 1, len(self.ys) - 2)
        return row, col


def ruled_grids(
    rulings: Sequence[Ruling], params: LayoutParams = DEFAULT_PARAMS
) -> list[Grid]:
    """Table grids drawn by rulings: one per group of touching segments."""
    horizontal, vertical = _segments(rulings, params)
    if len(horizontal) < 2 or len(vertical) < 2:
        return []
    grids = []
    for hs, vs in _touching_groups(horizontal, vertical, params):
        if len(hs) >= 2 and len(vs) >= 2:
            grid = _grid(hs, vs, params)
            if grid is not None:
                grids.append(grid)
    return grids


def _segments(
    rulings: Sequence[Ruling], params: LayoutParams
) -> tuple[list[_Segment], list[_Segment]]:
    """Horizontal and vertical segments, snapped and joined."""
    horizontal: list[_Segment] = []
    vertical: list[_Segment] = []
    thick = params.ruling_thickness
    for r in rulings:
        x0, x1 = sorted((r.x0, r.x1))
        top, bottom = sorted((r.top, r.bottom))
        w, h = x1 - x0, bottom - top
        if h <= thick and w >= params.ruling_min_length:
            horizontal.append(_Segment((top + bottom) / 2, x0, x1))
        elif w <= thick and h >= params.ruling_min_length:
            vertical.append(_Segment((x0 + x1) / 2, top, bottom))
        elif w > thick and h > thick:  # a box: its four edges
            horizontal += [_Segment(top, x0, x1), _Segment(bottom, x0, x1)]
            vertical += [_Segment(x0, top, bottom), _Segment(x1, top, bottom)]
    return _join(horizontal, params), _join(vertical, params)


def _join(segments: list[_Segment], params: LayoutParams) -> list[_Segment]:
    """Snap segments on (nearly) one line to one position and join overlaps."""
    segments.sort(key=lambda s: (s.pos, s.start))
    joined: list[_Segment] = []
    for band in _bands(segments, params.snap_tolerance):
        pos = statistics.fmean(s.pos for s in band)
        band.sort(key=lambda s: s.start)
        start, end = band[0].start, band[0].end
        for s in band[1:]:
            if s.start <= end + params.join_tolerance:
                end = max(end, s.end)
            else:
                joined.append(_Segment(pos, start, end))
                start, end = s.start, s.end
        joined.append(_Segment(pos, start, end))
    return joined


def _bands(segments: list[_Segment], tol: float) -> Iterable[list[_Segment]]:
    """Runs of segments (sorted by position) whose positions chain within ``tol``."""
    band: list[_Segment] = []
    for s in segments:
        if band and s.pos - band[-1].pos > tol:
            yield band
            band = []
        band.append(s)
    if band:
        yield band


def _touching_groups(
    horizontal: list[_Segment], vertical: list[_Segment], params: LayoutParams
) -> list[tuple[list[_Segment], list[_Segment]]]:
    """Connected groups of horizontal and vertical segments that touch."""
    tol = params.join_tolerance
    parent = list(range(len(horizontal) + len(vertical)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    offset = len(horizontal)
    for i, h in enumerate(horizontal):
        for j, v in enumerate(vertical):
            if (
                h.start - tol <= v.pos <= h.end + tol
                and v.start - tol <= h.pos <= v.end + tol
            ):
                parent[find(i)] = find(offset + j)
    groups: dict[int, tuple[list[_Segment], list[_Segment]]] = {}
    for i, h in enumerate(horizontal):
        groups.setdefault(find(i), ([], []))[0].append(h)
    for j, v in enumerate(vertical):
        groups.setdefault(find(offset + j), ([], []))[1].append(v)
    return list(groups.values())


def _positions(values: Iterable[float], tol: float) -> list[float]:
    """Distinct positions: sorted values, those within ``tol`` of each other merged."""
    out: list[float] = []
    cluster: list[float] = []
    for v in sorted(values):
        if cluster and v - cluster[-1] > tol:
            out.append(statistics.fmean(cluster))
            cluster = []
        cluster.append(v)
    if cluster:
        out.append(statistics.fmean(cluster))
    return out


def _grid(
    horizontal: list[_Segment], vertical: list[_Segment], params: LayoutParams
) -> Grid | None:
    """The grid of one group of segments, with merged cells where borders lack."""
    tol = params.min_cell_size
    xs = _positions(
        [v.pos for v in vertical]
        + [min(h.start for h in horizontal), max(h.end for h in horizontal)],
        tol,
    )
    ys = _positions(
        [h.pos for h in horizontal]
        + [min(v.start for v in vertical), max(v.end for v in vertical)],
        tol,
    )
    if len(xs) < 2 or len(ys) < 2:
        return None
    n_rows, n_cols = len(ys) - 1, len(xs) - 1
    parent = {(r, c): (r, c) for r in range(n_rows) for c in range(n_cols)}

    def find(slot: tuple[int, int]) -> tuple[int, int]:
        while parent[slot] != slot:
            parent[slot] = parent[parent[slot]]
            slot = parent[slot]
        return slot

    for r in range(n_rows):
        mid_y = (ys[r] + ys[r + 1]) / 2
        for c in range(1, n_cols):
            if not _covered(vertical, xs[c], mid_y, tol):
                parent[find((r, c))] = find((r, c - 1))
    for c in range(n_cols):
        mid_x = (xs[c] + xs[c + 1]) / 2
        for r in range(1, n_rows):
            if not _covered(horizontal, ys[r], mid_x, tol):
                parent[find((r, c))] = find((r - 1, c))
    members: dict[tuple[int, int], list[tuple[int, int]]] = defaultdict(list)
    for slot in parent:
        members[find(slot)].append(slot)
    return _grid_from_members(xs, ys, list(members.values()))


def _covered(segments: list[_Segment], pos: float, across: float, tol: float) -> bool:
    """True when a segment lies at ``pos`` and spans the point ``across``."""
    return any(
        abs(s.pos - pos) <= tol and s.start - tol <= across <= s.end + tol
        for s in segments
    )


def _grid_from_members(
    xs: list[float], ys: list[float], members: list[list[tuple[int, int]]]
) -> Grid:
    """Rectangles of merged slots; a non-rectangular merge is split back to slots."""
    groups: list[tuple[int, int, int, int]] = []
    slot_group: dict[tuple[int, int], int] = {}
    for slots in sorted(members, key=min):
        r0 = min(r for r, _ in slots)
        r1 = max(r for r, _ in slots) + 1
        c0 = min(c for _, c in slots)
        c1 = max(c for _, c in slots) + 1
        if len(slots) == (r1 - r0) * (c1 - c0):
            rects = [(r0, c0, r1, c1)]
        else:
            rects = [(r, c, r + 1, c + 1) for r, c in sorted(slots)]
        for rect in rects:
            for r in range(rect[0], rect[2]):
                for c in range(rect[1], rect[3]):
                    slot_group[(r, c)] = len(groups)
            groups.append(rect)
    return Grid(xs, ys, groups, slot_group)


def ruled_table(
    grid: Grid, frags: list[TextFragment], page: int, params: LayoutParams
) -> TableItem | None:
    """Cells of a ruled grid filled with the text inside them.

    Grid rows and columns without any text are dropped. Returns None when fewer
    than two cells hold text (a frame drawn around a paragraph).
    """
    by_group: dict[int, list[TextFragment]] = defaultdict(list)
    for frag in frags:
        slot = grid.slot_of((frag.x0 + frag.x1) / 2, (frag.top + frag.bottom) / 2)
        if slot is not None:
            by_group[grid.slot_group[slot]].append(frag)
    if len(by_group) < 2:
        return None
    filled = _unmerged(grid, by_group)
    rows = sorted({r for rect, _ in filled for r in range(rect[0], rect[2])})
    cols = sorted({c for rect, _ in filled for c in range(rect[1], rect[3])})
    row_index = {r: i for i, r in enumerate(rows)}
    col_index = {c: i for i, c in enumerate(cols)}
    cells = []
    for (r0, c0, r1, c1), cell_frags in sorted(filled, key=lambda kv: kv[0]):
        kept_rows = [row_index[r] for r in range(r0, r1) if r in row_index]
        kept_cols = [col_index[c] for c in range(c0, c1) if c in col_index]
        lines = group_lines(cell_frags, params)
        text = join_cell_lines(lines)
        cells.append(
            CellInput(
                text=text,
                row=kept_rows[0],
                col=kept_cols[0],
                row_span=len(kept_rows),
                col_span=len(kept_cols),
                page=page,
                bbox=(grid.xs[c0], grid.ys[r0], grid.xs[c1], grid.ys[r1]),
                source=source_of(cell_frags),
                confidence=min(f.confidence for f in cell_frags),
            )
        )
    return TableItem(tuple(repair_ocr_cells(cells)), grid.bbox, page)


def _unmerged(
    grid: Grid, by_group: dict[int, list[TextFragment]]
) -> list[tuple[tuple[int, int, int, int], list[TextFragment]]]:
    """Each filled cell's rectangle and text; merged cells that OCR shows to be
    several cells (a grid line missed on the scan) are cut back (:mod:`.split`)."""
    filled: list[tuple[tuple[int, int, int, int], list[TextFragment]]] = []
    rest: list[int] = []
    cut_rows: set[tuple[int, int]] = set()
    for g, frags in by_group.items():
        rect = grid.groups[g]
        pieces = unmerge_numbers(grid.xs, grid.ys, rect, frags)
        if len(pieces) == 1:
            rest.append(g)
            continue
        filled.extend(pieces)
        if len({piece[0][0] for piece in pieces}) > 1:
            cut_rows.add((rect[0], rect[2]))
    for g in rest:
        rect = grid.groups[g]
        if (rect[0], rect[2]) in cut_rows:
            filled.extend(unmerge_rows(grid.ys, rect, by_group[g]))
        else:
            filled.append((rect, by_group[g]))
    return filled


def aligned_tables(
    lines: list[Line], page: int, params: LayoutParams
) -> tuple[list[TableItem], list[Line]]:
    """Tables of text aligned in columns, and the lines left over."""
    tables: list[TableItem] = []
    rest: list[Line] = []
    i = 0
    while i < len(lines):
        end = _candidate_end(lines, i, params)
        table = _aligned_table(lines[i:end], page, params) if end - i >= 2 else None
        if table is None:
            rest.append(lines[i])
            i += 1
        else:
            tables.append(table)
            i = end
    return tables, rest


def _candidate_end(lines: list[Line], start: int, params: LayoutParams) -> int:
    """End (exclusive) of the run of lines from ``start`` that could be one table.

    The run starts at a line of several runs and goes on while lines follow closely
    and are either of several runs or a wrapped continuation just under a row.
    """
    if len(lines[start].runs) < 2:
        return start + 1
    end = start + 1
    while end < len(lines):
        prev, line = lines[end - 1], lines[end]
        gap = line.top - prev.bottom
        if gap > params.table_row_gap * max(prev.height, line.height):
            break
        if len(line.runs) < 2 and gap > params.cell_wrap_gap * line.height:
            break
        end += 1
    while (
        end - start > 1
        and len(lines[end - 1].runs) < 2
        and not _is_wrap(lines[end - 2], lines[end - 1], params)
    ):
        end -= 1
    return end


def _is_wrap(prev: Line, line: Line, params: LayoutParams) -> bool:
    """True when ``line`` sits close enough under ``prev`` to continue its cells."""
    return line.top - prev.bottom <= params.cell_wrap_gap * line.height


def _aligned_table(
    lines: list[Line], page: int, params: LayoutParams
) -> TableItem | None:
    """A table from lines whose runs align in columns, or None."""
    columns = _columns(
        [run for line in lines if len(line.runs) >= 2 for run in line.runs]
    )
    if len(columns) < params.min_table_cols:
        return None
    rows: list[dict[int, list[Run]]] = []
    spans: list[dict[int, int]] = []
    for k, line in enumerate(lines):
        placed = _place_runs(line.runs, columns)
        if k and rows and _is_wrap(lines[k - 1], line, params):
            for col, runs in placed[0].items():
                rows[-1].setdefault(col, []).extend(runs)
                spans[-1].setdefault(col, placed[1][col])
            continue
        rows.append(placed[0])
        spans.append(placed[1])
    aligned = sum(1 for row in rows if len(row) >= params.min_table_cols)
    if aligned < params.min_table_rows:
        return None
    cells = []
    for r, (row, row_spans) in enumerate(zip(rows, spans, strict=True)):
        for col in sorted(row):
            runs = row[col]
            text = ""
            for run in runs:
                text = join_lines(text, run.text)
            cells.append(
                CellInput(
                    text=text,
                    row=r,
                    col=col,
                    col_span=row_spans[col],
                    page=page,
                    bbox=(
                        min(run.x0 for run in runs),
                        min(run.top for run in runs),
                        max(run.x1 for run in runs),
                        max(run.bottom for run in runs),
                    ),
                    source=source_of_runs(runs),
                    confidence=min(run.confidence for run in runs),
                )
            )
    bbox = (
        min(line.x0 for line in lines),
        lines[0].top,
        max(line.x1 for line in lines),
        lines[-1].bottom,
    )
    return TableItem(tuple(repair_ocr_cells(cells)), bbox, page)


def _columns(runs: list[Run]) -> list[tuple[float, float]]:
    """Column x-ranges: the union of overlapping run extents, left to right."""
    columns: list[list[float]] = []
    for run in sorted(runs, key=lambda r: r.x0):
        if columns and run.x0 <= columns[-1][1]:
            columns[-1][1] = max(columns[-1][1], run.x1)
        else:
            columns.append([run.x0, run.x1])
    return [(a, b) for a, b in columns]


def _place_runs(
    runs: list[Run], columns: list[tuple[float, float]]
) -> tuple[dict[int, list[Run]], dict[int, int]]:
    """Runs by first column they overlap, and how many columns each covers."""
    placed: dict[int, list[Run]] = {}
    spans: dict[int, int] = {}
    starts = [c[0] for c in columns]
    for run in runs:
        overlapping = [
            i for i, (a, b) in enumerate(columns) if run.x0 < b and run.x1 > a
        ]
        if not overlapping:  # in a gap: the column it starts after
            overlapping = [max(bisect_right(starts, run.x0) - 1, 0)]
        first = overlapping[0]
        placed.setdefault(first, []).append(run)
        spans[first] = max(spans.get(first, 1), overlapping[-1] - first + 1)
    return placed, spans

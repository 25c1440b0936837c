"""Table recovery: from reader cells to tables a person would recognise.

Readers hand over tables exactly as the file draws them; budget documents break one
logical table into several (a page break, a repeated header, a row cut in two) and
print the unit once above it (``单位：万元``). This stage

1. expands merged cells into a full grid (each covered position repeats the text),
2. joins a table continued after a page break to the table it continues,
3. binds the unit line (``单位：万元`` above the table or inside it) to the table,
4. classifies rows (header, unit line, data) and finds each indicator section's
   column roles by meaning (一级指标, 三级指标, 指标值, 计量单位 …), since headers
   repeat and columns move between sections.

The output, :class:`TableView`, is plain data; ``assemble`` turns its rows into
records.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from typing import Literal

from nlp.document import BBox, Block, Document, Table
from nlp.normalize.levels import level_kind
from nlp.normalize.target import looks_like_target

RowRole = Literal["header", "unit", "data", "blank"]
ColumnRole = Literal[
    "level1", "level2", "metric", "description", "target", "actual",
    "operator", "unit", "basis",
]  # fmt: skip

# Table cells repeat their labels (a page header, a level name down a column); the
# label functions are pure, so a bounded cache saves most of their work.
LABEL_CACHE_SIZE = 8192
UNIT_LINE = re.compile(
    r"^[（(]?(?:金额|货币|计量|资金)?单位\s*[:：]\s*(?P<unit>亿元|万元|千元|元)[）)]?$"
)
UNIT_IN_TEXT = re.compile(
    r"(?:单位\s*[:：]\s*)?[（(]\s*(?:单位\s*[:：]\s*)?(亿元|万元|千元|元)\s*[）)]"
)
UNIT_ANYWHERE = re.compile(r"单位\s*[:：]\s*(亿元|万元|千元|元)")
PAGE_FURNITURE = re.compile(
    r"^(?:[-—–\s]*\d+[-—–\s]*|第\s*\d+\s*页(?:\s*[/，,]?\s*共\s*\d+\s*页)?|\d+\s*/\s*\d+)$"
)
NUMBER_CELL = re.compile(r"^[-−]?\d[\d,，\s]*(?:[.．]\s*\d+)?$")


@dataclass(frozen=True, slots=True)
class RecoveryParams:
    """Tolerances for joining table parts, in units stated per field.

    Attributes:
        max_col_difference: grid columns by which a continuation part may differ
            from the table it continues (page exports drop or add empty columns).
        unit_lookback: non-table blocks searched above a table for its unit line.
        max_header_cell_chars: longest text (characters) a header cell may hold.
        max_gap_blocks: page-furniture blocks (page numbers) allowed between parts.
    """

    max_col_difference: int = 3
    unit_lookback: int = 4
    max_header_cell_chars: int = 24
    max_gap_blocks: int = 2


DEFAULT_PARAMS = RecoveryParams()


@dataclass(frozen=True, slots=True)
class GridRow:
    """One row of a recovered table with merged cells expanded.

    Attributes:
        index: 0-based row in the recovered table (continuations included).
        cells: text at every grid position; a merged cell's text is repeated at
            each position it covers.
        origin: True where the position is the merged cell's top-left corner.
        spans: character span in ``Document.text`` of the cell at each position.
        page: 1-based page of the row's first cell with a page, if any.
        bbox: bounding box of the row (union of its cells), if known.
        role: "header", "unit" (a 单位 line), "data" or "blank".
    """

    index: int
    cells: tuple[str, ...]
    origin: tuple[bool, ...]
    spans: tuple[tuple[int, int] | None, ...]
    page: int | None
    bbox: BBox | None
    role: RowRole

    @property
    def text(self) -> str:
        """The row as a person reads it: the cells' texts joined by tabs."""
        return "\t".join(
            c if o else "" for c, o in zip(self.cells, self.origin, strict=True)
        ).rstrip("\t")

    @property
    def span(self) -> tuple[int, int] | None:
        """Character span from the row's first to its last cell."""
        known = [s for s in self.spans if s is not None]
        if not known:
            return None
        return min(s[0] for s in known), max(s[1] for s in known)


@dataclass(frozen=True, slots=True)
class Section:
    """Rows under one indicator header, with that header's column roles.

    Attributes:
        header_row: index of the header row in the table.
        start: first data row index (inclusive).
        end: last data row index (exclusive).
        roles: column index -> role, for the columns the header names.
    """

    header_row: int
    start: int
    end: int
    roles: tuple[tuple[int, ColumnRole], ...]

    def column(self, role: ColumnRole) -> int | None:
        """The first column with ``role``, or None."""
        for col, r in self.roles:
            if r == role:
                return col
        return None


@dataclass(frozen=True, slots=True)
class TableView:
    """A recovered table: one or more reader tables joined across page breaks.

    Attributes:
        index: 0-based index among the document's recovered tables.
        rows: grid rows, continuations appended.
        n_cols: grid width (the widest part).
        title: the nearest short text above the table (its caption or heading).
        unit: money unit bound to the table ("万元", "元", "亿元"), if any.
        sections: indicator sections, in row order.
        block_indices: indices into ``Document.blocks`` of the parts joined here.
    """

    index: int
    rows: tuple[GridRow, ...]
    n_cols: int
    title: str | None
    unit: str | None
    sections: tuple[Section, ...]
    block_indices: tuple[int, ...]


@lru_cache(maxsize=LABEL_CACHE_SIZE)
def normalize_label(text: str) -> str:
    """Fold a label for matching: NFKC, no whitespace, no line breaks."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


# Header vocabulary: ordered (pattern, role). The first match wins, so the more
# specific phrases (指标值来源 is a basis column, not a target) come first.
_HEADER_RULES: tuple[tuple[re.Pattern[str], ColumnRole], ...] = tuple(
    (re.compile(p), role)
    for p, role in (
        (r"来源|依据|标准|备注|分值|权重|评分|得分|偏差|原因|措施", "basis"),
        (r"^一级(?:指标)?$", "level1"),
        (r"^二级(?:指标)?$", "level2"),
        (r"^三级(?:指标)?$", "metric"),
        (r"描述|解释|说明|定义|指标内涵", "description"),
        (r"指标性质|指标值类型|运算符|指标方向|符号|比较", "operator"),
        (r"^(?:计量|度量|指标值?)?单位$", "unit"),
        (r"实际完成|实际值|完成值|实际达到|完成情况|实现值", "actual"),
        (r"目标值|指标值|预期值|计划值|^(?:年度|全年|预期)?目标$|^数值$", "target"),
        (r"^(?:绩效)?指标(?:内容|名称)?$|^具体指标$|^绩效指标名称$", "metric"),
    )
)


@lru_cache(maxsize=LABEL_CACHE_SIZE)
def header_role(text: str) -> ColumnRole | None:
    """The column role a header cell names, or None.

    Args:
        text: a cell's text.

    Returns:
        One of the column roles, or None when the text names none.
    """
    label = normalize_label(text).strip(":：")
    if not label or len(label) > DEFAULT_PARAMS.max_header_cell_chars:
        return None
    label = re.sub(r"[(（][^)）]*[)）]$", "", label)  # 指标值(%) -> 指标值
    for pattern, role in _HEADER_RULES:
        if pattern.search(label):
            return role
    return None


def indicator_roles(cells: Sequence[str]) -> dict[int, ColumnRole] | None:
    """Column roles when ``cells`` form an indicator header row, else None.

    A header row names a metric column and a target (or actual) column; repeated
    texts from a merged header cell count once, at their first column.
    """
    roles: dict[int, ColumnRole] = {}
    seen: set[str] = set()
    for col, text in enumerate(cells):
        role = header_role(text)
        if role is None:
            continue
        key = normalize_label(text)
        if key in seen:
            continue
        seen.add(key)
        roles.setdefault(col, role)
    found = set(roles.values())
    if "metric" in found and found & {"target", "actual"}:
        return roles
    if {"level1", "level2"} <= found and found & {"target", "actual"}:
        return roles
    return None


def unit_of_line(text: str) -> str | None:
    """The unit named by a unit line such as ``单位：万元``, else None."""
    match = UNIT_LINE.match(normalize_label(text))
    return match.group("unit") if match else None


def is_number_cell(text: str) -> bool:
    """Whether a cell holds a bare number (separators and OCR spaces allowed)."""
    text = text.strip()
    return (
        bool(text)
        and bool(NUMBER_CELL.match(text))
        and any(ch.isdigit() for ch in text)
    )


def recover_tables(
    document: Document, params: RecoveryParams = DEFAULT_PARAMS
) -> tuple[TableView, ...]:
    """Recover every logical table of a document.

    Args:
        document: a reader's output.
        params: joining tolerances.

    Returns:
        The tables in reading order, continuations joined.
    """
    groups = list(_group_continuations(document.blocks, params))
    views = []
    for index, block_indices in enumerate(groups):
        parts = [document.blocks[i] for i in block_indices]
        rows = _joined_rows(parts)
        unit = _unit_above(document.blocks, block_indices[0], params) or _unit_inside(
            rows
        )
        rows = _with_roles(rows)
        views.append(
            TableView(
                index=index,
                rows=tuple(rows),
                n_cols=max(len(r.cells) for r in rows) if rows else 0,
                title=_title_above(document.blocks, block_indices[0], parts[0]),
                unit=unit,
                sections=tuple(_sections(rows)),
                block_indices=tuple(block_indices),
            )
        )
    return tuple(views)


def _group_continuations(
    blocks: Sequence[Block], params: RecoveryParams
) -> Iterator[list[int]]:
    """Group table blocks into logical tables (a part continues the one before)."""
    current: list[int] = []
    last_roles: dict[int, ColumnRole] | None = None
    gap = 0
    for i, block in enumerate(blocks):
        if block.table is None:
            if current and _is_page_furniture(block) and gap < params.max_gap_blocks:
                gap += 1
                continue
            if current:
                yield current
            current, last_roles, gap = [], None, 0
            continue
        roles = _first_header_roles(block.table)
        previous = blocks[current[-1]].table if current else None
        if previous is not None and _continues(
            previous, block.table, last_roles, roles, params
        ):
            current.append(i)
        else:
            if current:
                yield current
            current = [i]
            last_roles = None
        last_roles = _last_header_roles(block.table) or last_roles
        gap = 0
    if current:
        yield current


def _is_page_furniture(block: Block) -> bool:
    """A page number or similar line printed between two parts of a table."""
    return bool(PAGE_FURNITURE.match(block.text.strip()))


def _continues(
    previous: Table,
    table: Table,
    previous_roles: dict[int, ColumnRole] | None,
    roles: dict[int, ColumnRole] | None,
    params: RecoveryParams,
) -> bool:
    """Whether ``table`` continues ``previous`` after a page break.

    A continuation directly follows its table and has about the same width; it
    either repeats the indicator header (same roles) or has no header of its own.
    Tables that start with a header of another kind, or with a unit/title line,
    are new tables.
    """
    if abs(previous.n_cols - table.n_cols) > params.max_col_difference:
        return False
    if roles is not None:
        return previous_roles is not None and set(roles.values()) == set(
            previous_roles.values()
        )
    first = _first_row_texts(table)
    if any(unit_of_line(t) for t in first if t):
        return False
    if _is_header_like(first):
        return False  # a money table's header after an indicator table
    return previous_roles is not None or _looks_like_data(first)


def _first_header_roles(table: Table) -> dict[int, ColumnRole] | None:
    """Roles of the table's indicator header when it is among its first rows."""
    grid = _grid(table)
    for row in grid[:3]:
        roles = indicator_roles([text for text, _, _ in row])
        if roles:
            return roles
    return None


def _last_header_roles(table: Table) -> dict[int, ColumnRole] | None:
    """Roles of the last indicator header anywhere in the table."""
    found = None
    for row in _grid(table):
        roles = indicator_roles([text for text, _, _ in row])
        if roles:
            found = roles
    return found


def _first_row_texts(table: Table) -> list[str]:
    grid = _grid(table)
    return [text for text, _, _ in grid[0]] if grid else []


def _looks_like_data(cells: Sequence[str]) -> bool:
    """A first row made of blanks and numbers: a money table's continued body."""
    filled = [c for c in cells if c.strip()]
    return bool(filled) and any(is_number_cell(c) for c in filled)


_GridCell = tuple[str, bool, "object"]


def _grid(table: Table) -> list[list[tuple[str, bool, object]]]:
    """Expand merged cells: (text, is_origin, cell) at every grid position."""
    grid: list[list[tuple[str, bool, object]]] = [
        [("", True, None) for _ in range(table.n_cols)] for _ in range(table.n_rows)
    ]
    for cell in table.cells:
        for r in range(cell.row, min(cell.end_row, table.n_rows)):
            for c in range(cell.col, min(cell.end_col, table.n_cols)):
                is_origin = r == cell.row and c == cell.col
                grid[r][c] = (cell.text, is_origin, cell)
    return grid


def _joined_rows(parts: Sequence[Block]) -> list[GridRow]:
    """Rows of all parts, with a row cut in two by a page break made whole."""
    rows: list[GridRow] = []
    for part_no, block in enumerate(parts):
        assert block.table is not None
        part_rows = _rows_of(block.table, start=len(rows))
        if part_no and rows and part_rows and _is_cut_row(rows[-1], part_rows[0]):
            rows[-1] = _join_cut_row(rows[-1], part_rows[0])
            part_rows = [
                _reindex(r, len(rows) + k) for k, r in enumerate(part_rows[1:])
            ]
        rows.extend(part_rows)
    return rows


def _rows_of(table: Table, start: int) -> list[GridRow]:
    rows = []
    for r, row in enumerate(_grid(table)):
        cells = tuple(text for text, _, _ in row)
        origin = tuple(is_origin for _, is_origin, _ in row)
        spans = tuple(_cell_span(cell) for _, _, cell in row)
        page, bbox = _row_geometry(row)
        rows.append(GridRow(start + r, cells, origin, spans, page, bbox, role="data"))
    return rows


def _cell_span(cell: object) -> tuple[int, int] | None:
    prov = getattr(cell, "prov", ())
    return prov[0].span if prov else None


def _row_geometry(
    row: Sequence[tuple[str, bool, object]],
) -> tuple[int | None, BBox | None]:
    page = None
    boxes = []
    for _, is_origin, cell in row:
        for prov in getattr(cell, "prov", ()):
            if page is None and prov.page is not None:
                page = prov.page
            if is_origin and prov.bbox is not None and prov.page == page:
                boxes.append(prov.bbox)
    if not boxes:
        return page, None
    return page, (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


def _is_cut_row(last: GridRow, first: GridRow) -> bool:
    """A continuation's first row that is the rest of the previous part's last row.

    Its first column is empty, it holds no number and no level name of its own,
    and each of its filled cells continues a filled cell of the row above.
    """
    filled = [i for i, c in enumerate(first.cells) if c.strip()]
    if not filled or filled[0] == 0:
        return False
    if any(is_number_cell(first.cells[i]) for i in filled):
        return False
    if indicator_roles(first.cells):
        return False
    if any(
        level_kind(first.cells[i]) or _is_short_target(first.cells[i]) for i in filled
    ):
        # A complete row under a blank 一级 carried over the break.
        return False
    return all(i < len(last.cells) and last.cells[i].strip() for i in filled) and (
        not _ends_sentence(last.cells[filled[0]])
    )


def _is_short_target(text: str) -> bool:
    """A cell that is a target value on its own (≥90%, 2023年12月前), not prose."""
    text = text.strip()
    return len(text) <= SHORT_TARGET_CHARS and looks_like_target(text)


SHORT_TARGET_CHARS = 16


def _ends_sentence(text: str) -> bool:
    return text.rstrip().endswith(("。", "；", ";", "！", "？"))


def _join_cut_row(last: GridRow, rest: GridRow) -> GridRow:
    cells = list(last.cells)
    for i, text in enumerate(rest.cells):
        if text.strip() and i < len(cells):
            cells[i] = cells[i] + text
    return GridRow(
        last.index, tuple(cells), last.origin, last.spans, last.page, last.bbox, "data"
    )


def _reindex(row: GridRow, index: int) -> GridRow:
    return GridRow(
        index, row.cells, row.origin, row.spans, row.page, row.bbox, row.role
    )


def _with_roles(rows: Sequence[GridRow]) -> list[GridRow]:
    """Classify rows. Inside an indicator section only a repeated indicator header
    (or the sub-header under it) is a header: data rows there hold free text that
    may read like labels."""
    out: list[GridRow] = []
    in_section = False
    previous_was_indicator_header = False
    for row in rows:
        role: RowRole
        filled = [c for c in row.cells if c.strip()]
        is_indicator_header = bool(indicator_roles(row.cells))
        if not filled:
            role = "blank"
        elif len(set(filled)) == 1 and unit_of_line(filled[0]):
            role = "unit"
        elif (
            is_indicator_header
            or (previous_was_indicator_header and _is_sub_header_cells(row.cells))
            or (not in_section and _is_header_like(row.cells))
        ):
            role = "header"
        else:
            role = "data"
        in_section = in_section or is_indicator_header
        previous_was_indicator_header = is_indicator_header
        out.append(
            GridRow(
                row.index, row.cells, row.origin, row.spans, row.page, row.bbox, role
            )
        )
    return out


def _is_header_like(cells: Sequence[str]) -> bool:
    """A row of column labels (项目 | 2022年预算数 | 项目 | 2022年预算数).

    At least two distinct labels, each either header vocabulary or a short label
    without digits (收 入), and at least one naming a money column.
    """
    filled = [c for c in dict.fromkeys(cells) if c.strip()]
    if len(filled) < 2:
        return False
    labels = [normalize_label(c) for c in filled]
    if _is_form_row(labels):
        return False  # 项目名称 | 社区培训项目: a form row, its value is data
    if not all(_is_header_label(label) for label in labels):
        return False
    return any(MONEY_HEADER.search(label) for label in labels)


def _is_form_row(labels: Sequence[str]) -> bool:
    """A form label followed by its value (项目名称 | 社区培训项目), not by another
    column header (项目名称 | 预算数（万元）, 任务名称 | 主要内容)."""
    for label, right in pairwise(labels):
        if FORM_LABEL.match(label) and not (
            COLUMN_WORD.search(right) or header_role(right) is not None
        ):
            return True
    return False


def _is_header_label(label: str) -> bool:
    if len(label) > DEFAULT_PARAMS.max_header_cell_chars or is_number_cell(label):
        return False
    if re.search(r"[,，。；;、！？]", label):
        return False
    if header_role(label) is not None:
        return True
    if MONEY_HEADER.search(label) and not re.search(r"[≥≤<>]|\d\s*[%％]", label):
        return True
    return len(label) <= SHORT_LABEL_CHARS and not re.search(r"\d", label)


SHORT_LABEL_CHARS = 4


FORM_LABEL = re.compile(
    r"^(?:项目名称|任务名称|部门名称|单位名称|部门（单位）名称|部门\(单位\)名称|主管部门|"
    r"主管单位|项目类型|资金用途|项目编码|项目代码|实施单位|项目负责人)[:：]?$"
)
COLUMN_WORD = re.compile(
    r"预算|决算|金额|合计|小计|总计|总额|支出|收入|拨款|资金|经费|科目|年度|内容|说明|"
    r"描述|目标|名称|性质|类型|编码|单位$|万元|元）|元\)"
)
MONEY_HEADER = re.compile(
    r"预算数|决算数|金额|合计|小计|总计|总额|预算|支出|收入|拨款|资金|经费|"
    r"科目|项目|年度|单位"
)


def _unit_above(
    blocks: Sequence[Block], first: int, params: RecoveryParams
) -> str | None:
    """The unit line among the few non-table blocks above a table."""
    for block in reversed(blocks[max(0, first - params.unit_lookback) : first]):
        if block.table is not None:
            return None
        for line in block.text.splitlines():
            unit = unit_of_line(line)
            if unit is None:
                match = UNIT_ANYWHERE.search(normalize_label(line))
                unit = match.group(1) if match and len(line) < 40 else None
            if unit:
                return unit
    return None


def _unit_inside(rows: Sequence[GridRow]) -> str | None:
    """A unit line printed as a row (or a cell of a row) of the table itself."""
    for row in rows[:6]:
        for cell in row.cells:
            unit = unit_of_line(cell)
            if unit:
                return unit
    return None


def _title_above(blocks: Sequence[Block], first: int, table_block: Block) -> str | None:
    """The table's caption, else the nearest short non-unit line above it."""
    if table_block.table is not None and table_block.table.caption:
        return table_block.table.caption
    for block in reversed(blocks[max(0, first - 4) : first]):
        if block.table is not None:
            return None
        text = block.text.strip()
        if unit_of_line(text) or UNIT_ANYWHERE.search(normalize_label(text)):
            continue
        if re.fullmatch(r"表\s*\d+|\d{4}\s*年度?|（?\d{4}年度）?", text):
            continue
        if 2 <= len(text) <= 40 and "\n" not in text:
            return re.sub(r"\s+", "", text)
    return None


def _sections(rows: Sequence[GridRow]) -> Iterator[Section]:
    """Indicator sections: each indicator header and the rows up to the next one."""
    headers = []
    for row in rows:
        roles = indicator_roles(row.cells) if row.role == "header" else None
        if roles:
            headers.append((row.index, _refine_roles(rows, row.index, roles)))
    for k, (header_row, roles) in enumerate(headers):
        end = headers[k + 1][0] if k + 1 < len(headers) else len(rows)
        start = header_row + 1
        # A second header row (运算符 | 数值 | 单位 under 指标值) refines the roles.
        if start < end and _is_sub_header(rows[start]):
            start += 1
        yield Section(header_row, start, end, tuple(sorted(roles.items())))


def _is_sub_header(row: GridRow) -> bool:
    """A second header row under the indicator header (运算符 | 数值 | 单位)."""
    return _is_sub_header_cells(row.cells)


def _is_sub_header_cells(cells: Sequence[str]) -> bool:
    filled = [normalize_label(c) for c in cells if c.strip()]
    if not filled or indicator_roles(cells):
        return False
    named = [c for c in filled if header_role(c) is not None]
    return bool(named) and all(
        header_role(c) is not None
        or (len(c) <= SHORT_LABEL_CHARS and not re.search(r"\d", c))
        for c in filled
    )


def _refine_roles(
    rows: Sequence[GridRow], header_row: int, roles: dict[int, ColumnRole]
) -> dict[int, ColumnRole]:
    """Merge a sub-header row's roles (a split 指标值 column) into the header's."""
    refined = dict(roles)
    below = header_row + 1
    if below < len(rows) and _is_sub_header(rows[below]):
        for col, text in enumerate(rows[below].cells):
            role = header_role(text)
            if role is not None and rows[below].origin[col]:
                refined[col] = role
    return refined

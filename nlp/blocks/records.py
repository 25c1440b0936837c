"""Records of table recovery: grid rows, indicator sections, recovered tables.

Plain data handed from ``nlp.blocks`` to ``assemble``, with the row and column
role vocabularies and the tolerances (:class:`RecoveryParams`) used to join parts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from nlp.document import BBox

RowRole = Literal["header", "unit", "data", "blank"]
ColumnRole = Literal[
    "level1", "level2", "metric", "description", "target", "target_period",
    "actual", "operator", "unit", "basis", "weight", "project", "packed",
]  # fmt: skip
# Roles a row is read under; the others (basis, weight, description) are
# never a value of the indicator.
READ_ROLES: tuple[ColumnRole, ...] = (
    "level1", "level2", "metric", "target", "target_period", "operator", "unit",
    "actual", "project",
)  # fmt: skip


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
class RowRoles:
    """Which cell of one data row holds which role (``nlp.blocks.alignment``).

    Attributes:
        row: index of the row in the table.
        roles: (role, column) pairs; one column may hold two roles (an empty
            三级 cell's measure named in the description column).
        shifted: True when the row did not sit under its header and was read in
            printed order instead.
    """

    row: int
    roles: tuple[tuple[ColumnRole, int], ...]
    shifted: bool = False

    @classmethod
    def of(cls, row: int, roles: dict[ColumnRole, int], shifted: bool) -> RowRoles:
        """Build from a role -> column mapping."""
        return cls(row, tuple(roles.items()), shifted)

    def column(self, role: ColumnRole) -> int | None:
        """The column holding ``role`` in this row, or None."""
        for r, col in self.roles:
            if r == role:
                return col
        return None


@dataclass(frozen=True, slots=True)
class Section:
    """Rows under one indicator header, with that header's column roles.

    Attributes:
        header_row: index of the header row in the table.
        start: first data row index (inclusive).
        end: last data row index (exclusive).
        roles: column index -> role, for the columns the header names.
        rows: the cell roles of each data row, in row order.
    """

    header_row: int
    start: int
    end: int
    roles: tuple[tuple[int, ColumnRole], ...]
    rows: tuple[RowRoles, ...] = ()

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

"""Assembly: table rows and statements become indicator and amount records.

This is where a table row becomes a triple. For each indicator section of a
recovered table (``nlp.blocks``), a row is read by position under its header; when
that reading is implausible (a level name in the metric column, a metric in the
level column, an empty metric) the row is read by content instead: level names
first, then the metric, then the target. Levels carry down rows until a new one is
written. Targets go through ``normalize_target`` (with the unit column) and
``split_targets`` (cells holding several targets).

Amounts come from money cells of tables (unit from the cell, the row label, the
column header or the table's unit line) and from prose via ``find_amounts``.
Narrative indicator statements come from ``nlp.classify``.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from nlp.blocks import (
    GridRow,
    Section,
    TableView,
    is_number_cell,
    normalize_label,
    unit_of_line,
)
from nlp.classify import (
    SpanScorer,
    Statement,
    StatementKind,
    document_kind,
    find_statements,
    load_default_model,
)
from nlp.document import Block, Document
from nlp.errors import ParseError
from nlp.normalize.amounts import find_amounts
from nlp.normalize.levels import (
    implied_level1,
    level_kind,
    normalize_level1,
    normalize_level2,
)
from nlp.normalize.money import parse_money
from nlp.normalize.target import looks_like_target, normalize_target, split_targets
from nlp.records import Amount, Indicator, Kind, Money, Source, Target

NOT_APPLICABLE = frozenset({"不适用", "无", "/", "-", "—", "--", "", "N/A", "n/a"})
OPERATOR_CELL = re.compile(
    r"^[≥≤><=＝＞＜≧≦]{1,2}$|^(?:大于等于|小于等于|大于|小于|等于)$"
)
QUALITATIVE_OPERATOR = frozenset({"定性"})
UNIT_WORD = re.compile(r"[（(]\s*(?:单位\s*[:：]\s*)?(亿元|万元|千元|元)\s*[）)]")
MONEY_WORD = re.compile(
    r"金额|资金|预算|决算|经费|支出|收入|拨款|合计|小计|总计|总额|费|价值|成本|投资"
)
NOT_MONEY = re.compile(
    r"编码|代码|序号|编号|数量|人数|户数|个数|次数|面积|年度$|年份|%|％|百分比|"
    r"率|比例|比重|日期|时间|电话|计量单位|平方米|批次"
)
ENUMERATION = re.compile(
    r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]|\d+[.、．)]|"
    r"[①-⑳]|其中[:：])\s*"
)
PROJECT_LABEL = re.compile(r"^(?:项目名称|任务名称|项目)$")
DEPARTMENT_LABEL = re.compile(
    r"^(?:部门|单位|部门（单位）|部门\(单位\))名称$|^预算单位$"
)
PROSE_MIN_CHARS = 8
LABEL_MAX_CHARS = 20
DESCRIPTION_HEADER = re.compile(r"内容|说明|用途|描述|备注|依据|概况|目标")
SENTENCE_PUNCTUATION = re.compile(r"[，,。；;、！？]")


@dataclass(frozen=True, slots=True)
class AssemblyParams:
    """Confidence given to records by how they were read.

    Attributes:
        positional: a row read under its header by position.
        by_content: a row realigned by content.
        narrative: a statement found by the narrative rules.
    """

    positional: float = 0.95
    by_content: float = 0.8
    narrative: float = 0.6


DEFAULT_PARAMS = AssemblyParams()


@dataclass(slots=True)
class _Reading:
    """One row's cells assigned to roles."""

    level1: str | None = None
    level2: str | None = None
    metric: str | None = None
    target: str | None = None
    operator: str | None = None
    unit: str | None = None
    actual: str | None = None
    used_cols: set[int] = field(default_factory=set)


@dataclass(slots=True)
class _Levels:
    """Levels carried down a table until a new one is written."""

    level1: str | None = None
    level2: str | None = None

    def update(self, level1: str | None, level2: str | None) -> None:
        if level1 and level1 != self.level1:
            # A new 一级 starts a new group of 二级, unless the 一级 was only printed
            # now (a merged cell whose text landed after a page break).
            if self.level1 is not None:
                self.level2 = None
            self.level1 = level1
        if level2:
            self.level2 = level2


def assemble(
    document: Document,
    tables: Sequence[TableView],
    doc: str,
    params: AssemblyParams = DEFAULT_PARAMS,
    model: SpanScorer | None = None,
    use_model: bool = False,
) -> tuple[tuple[Indicator, ...], tuple[Amount, ...]]:
    """Build every indicator and amount record of one document.

    Args:
        document: the reader's output.
        tables: the recovered tables of ``document``.
        doc: the document's name in records.
        params: confidences.
        model: span model that keeps, drops and types narrative statements (their
            confidence is then the model's); None keeps to the rules.
        use_model: when ``model`` is None, use the shipped default model if there
            is one.

    Returns:
        (indicators, amounts), each in document order.
    """
    if model is None and use_model:
        model = load_default_model()
    kind = document_kind(document.text[:400])
    prevailing = _prevailing_unit(tables)
    projects = _ProjectTracker(document, tables)
    indicators: list[Indicator] = []
    amounts: list[Amount] = []
    table_of_block = {i: t for t in tables for i in t.block_indices}
    for index, block in enumerate(document.blocks):
        table = table_of_block.get(index)
        if table is not None:
            if table.block_indices[0] != index:
                continue  # a continuation part, handled with its table
            project = projects.before(table)
            used = _indicator_cells(table, project, doc, params, indicators)
            _table_amounts(table, doc, prevailing, used, amounts)
            _prose_in_table(
                table, used, document, doc, kind, project, params, indicators, amounts,
                model,
            )  # fmt: skip
        elif block.kind in ("paragraph", "heading"):
            _prose_block(
                block,
                document,
                doc,
                kind,
                projects.current(index),
                params,
                indicators,
                amounts,
                model,
            )
    return tuple(indicators), tuple(amounts)


# --- indicators from tables ---------------------------------------------------


def _indicator_cells(
    table: TableView,
    project: str | None,
    doc: str,
    params: AssemblyParams,
    out: list[Indicator],
) -> set[tuple[int, int]]:
    """Append the table's indicator records; return the (row, col) cells used."""
    used: set[tuple[int, int]] = set()
    levels = _Levels()
    for section in table.sections:
        labels = _repeated_labels(table.rows[section.start : section.end], section)
        for col in range(table.n_cols):
            used.add((section.header_row, col))
        for row in table.rows[section.start : section.end]:
            if row.role in ("header", "unit", "blank"):
                used.update((row.index, c) for c in range(len(row.cells)))
                continue
            reading, confidence = _read_row(row, section, labels, levels, params)
            used.update((row.index, c) for c in reading.used_cols)
            levels.update(reading.level1, reading.level2)
            out.extend(
                _records_for_row(reading, levels, row, table, project, doc, confidence)
            )
    return used


def _repeated_labels(rows: Sequence[GridRow], section: Section) -> set[str]:
    """Texts left of the first role column that repeat down the section.

    Page exports repeat a row label (年度绩效指标) at the left of every row; it is
    not part of any indicator. A text there that appears once is a shifted metric.
    """
    first_role_col = min(col for col, _ in section.roles)
    counts: Counter[str] = Counter()
    for row in rows:
        for col in range(min(first_role_col, len(row.cells))):
            if row.cells[col].strip():
                counts[row.cells[col].strip()] += 1
    return {text for text, n in counts.items() if n > 1}


def _read_row(
    row: GridRow,
    section: Section,
    labels: set[str],
    levels: _Levels,
    params: AssemblyParams,
) -> tuple[_Reading, float]:
    positional = _read_by_position(row, section)
    _satisfaction_as_level2(positional, levels)
    if _plausible(positional, section):
        return positional, params.positional
    return _read_by_content(row, section, labels, levels), params.by_content


def _cell(row: GridRow, col: int | None) -> str:
    if col is None or col >= len(row.cells):
        return ""
    return row.cells[col].strip()


def _read_by_position(row: GridRow, section: Section) -> _Reading:
    reading = _Reading()
    for role in ("level1", "level2", "metric", "target", "operator", "unit", "actual"):
        col = section.column(role)  # type: ignore[arg-type]
        text = _cell(row, col)
        if text:
            setattr(reading, role, text)
            reading.used_cols.add(col)  # type: ignore[arg-type]
    description = section.column("description")
    if description is not None:
        reading.used_cols.add(description)
    if reading.metric is None and description is not None and _cell(row, description):
        # A table whose 三级指标 cell is empty names the measure in the description.
        reading.metric = _cell(row, description)
    return reading


def _satisfaction_as_level2(reading: _Reading, levels: _Levels) -> None:
    """满意度 alone in the 一级 column under an open 效果/效益 一级 is its 二级."""
    if (
        reading.level1
        and not reading.level2
        and level_kind(reading.level1) == "either"
        and normalize_level1(levels.level1) == "效益指标"
    ):
        reading.level1, reading.level2 = None, reading.level1


def _plausible(reading: _Reading, section: Section) -> bool:
    """Whether a positional reading makes sense by content."""
    if not reading.metric or level_kind(reading.metric) is not None:
        return False
    if reading.level1 and level_kind(reading.level1) not in ("level1", "either"):
        return False
    if reading.level2 and level_kind(reading.level2) is None:
        return False
    value = reading.target or reading.actual
    if not value:
        return False
    # A metric column holding a target value and a target column holding prose
    # means the row slid left or right.
    return not (looks_like_target(reading.metric) and not looks_like_target(value))


def _read_by_content(
    row: GridRow, section: Section, labels: set[str], levels: _Levels
) -> _Reading:
    """Assign a shifted row's cells to roles in reading order."""
    first_role_col = min(col for col, _ in section.roles)
    cells = [
        (col, text.strip())
        for col, text in enumerate(row.cells)
        if text.strip()
        and text.strip() not in labels
        and row.origin[col]
        and not (col < first_role_col and is_number_cell(text))  # 序号
    ]
    cells = _dedupe_merged(row, cells)
    reading = _Reading()
    i = 0
    level_cells = []
    while (
        i < len(cells)
        and level_kind(cells[i][1])
        and not looks_like_target(cells[i][1])
    ):
        level_cells.append(cells[i])
        i += 1
    _assign_levels(reading, level_cells, section, levels)
    if i < len(cells):
        reading.metric = cells[i][1]
        reading.used_cols.add(cells[i][0])
        i += 1
    i = _skip_description(reading, cells, i, section)
    if i < len(cells) and OPERATOR_CELL.match(cells[i][1]):
        reading.operator = cells[i][1]
        reading.used_cols.add(cells[i][0])
        i += 1
    if i < len(cells):
        col, text = cells[i]
        if section.column("target") is None and section.column("actual") is not None:
            reading.actual = text
        else:
            reading.target = text
        reading.used_cols.add(col)
        i += 1
    if i < len(cells) and section.column("unit") is not None and len(cells[i][1]) <= 4:
        reading.unit = cells[i][1]
        reading.used_cols.add(cells[i][0])
    reading.used_cols.update(c for c, _ in level_cells)
    return reading


def _dedupe_merged(row: GridRow, cells: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Drop a text repeated in adjacent columns (a merged cell seen twice)."""
    out: list[tuple[int, str]] = []
    for col, text in cells:
        if out and out[-1][1] == text and out[-1][0] == col - 1:
            continue
        out.append((col, text))
    return out


def _assign_levels(
    reading: _Reading,
    level_cells: Sequence[tuple[int, str]],
    section: Section,
    levels: _Levels,
) -> None:
    """Level names at the start of a shifted row: one or two of them."""
    if len(level_cells) >= 2:
        reading.level1, reading.level2 = level_cells[0][1], level_cells[1][1]
    elif len(level_cells) == 1:
        _col, text = level_cells[0]
        kind = level_kind(text)
        # 满意度 alone is a 二级 under a carried 一级 (the row lost its empty
        # leading cell), and a 一级 only when no other 一级 is open.
        carried = normalize_level1(levels.level1)
        as_level1 = kind == "level1" or (
            kind == "either" and (carried is None or carried == "满意度指标")
        )
        if as_level1:
            reading.level1 = text
        else:
            reading.level2 = text
            reading.level1 = levels.level1


def _skip_description(
    reading: _Reading, cells: Sequence[tuple[int, str]], i: int, section: Section
) -> int:
    """Step over a description cell between metric and target."""
    if section.column("description") is None or i + 1 >= len(cells):
        return i
    if not looks_like_target(cells[i][1]) and looks_like_target(cells[i + 1][1]):
        reading.used_cols.add(cells[i][0])
        return i + 1
    return i


def _records_for_row(
    reading: _Reading,
    levels: _Levels,
    row: GridRow,
    table: TableView,
    project: str | None,
    doc: str,
    confidence: float,
) -> Iterator[Indicator]:
    metric = _clean_metric(reading.metric)
    if metric is None:
        return
    level1, level2 = levels.level1, levels.level2
    level2_norm = normalize_level2(level2)
    level1_norm = normalize_level1(level1) or implied_level1(level2_norm)
    source = Source(
        text=row.text,
        page=row.page,
        table=table.index,
        row=row.index,
        span=None,
        bbox=row.bbox,
    )
    values: list[tuple[str, Kind]] = []
    if reading.target:
        values.append((reading.target, "target"))
    if reading.actual:
        values.append((reading.actual, "actual"))
    for raw, kind in values:
        if raw in NOT_APPLICABLE and metric in NOT_APPLICABLE:
            continue
        for suffix, target_raw, target in _targets(raw, reading):
            name = f"{metric}（{suffix}）" if suffix else metric
            yield Indicator(
                doc=doc, metric=name, source=source, project=project,
                level1=level1, level2=level2, level1_norm=level1_norm,
                level2_norm=level2_norm, target_raw=target_raw, target=target,
                confidence=confidence, kind=kind,
            )  # fmt: skip


def _clean_metric(metric: str | None) -> str | None:
    if metric is None:
        return None
    cleaned = re.sub(r"\s+", "", metric)
    if cleaned in NOT_APPLICABLE or level_kind(cleaned) is not None:
        return None
    return cleaned


def _targets(raw: str, reading: _Reading) -> Iterator[tuple[str | None, str, Target]]:
    """(measure suffix, raw text, Target) for each target a cell holds."""
    operator = (reading.operator or "").strip()
    unit = reading.unit
    if operator in QUALITATIVE_OPERATOR:
        yield None, raw, normalize_target(raw, unit="定性")
        return
    if operator and OPERATOR_CELL.match(operator):
        yield None, raw, normalize_target(operator + raw, unit=unit)
        return
    if unit:
        yield None, raw, normalize_target(raw, unit=unit)
        return
    pairs = split_targets(raw)
    if len(pairs) == 1 and pairs[0][0] is None:
        yield None, raw, pairs[0][1]
        return
    for suffix, target in pairs:
        yield suffix, target.raw, target


# --- amounts from tables ------------------------------------------------------


def _table_amounts(
    table: TableView,
    doc: str,
    prevailing: str,
    used: set[tuple[int, int]],
    out: list[Amount],
) -> None:
    """Append an amount for every money cell of the table."""
    headers: dict[int, list[str]] = {}
    in_header_band = False
    for row in table.rows:
        if row.role == "header":
            headers = _extend_headers(headers if in_header_band else {}, row)
            in_header_band = True
            continue
        in_header_band = False
        if row.role != "data":
            continue
        for col, text in enumerate(row.cells):
            if not row.origin[col] or (row.index, col) in used:
                continue
            amount = _cell_amount(table, row, col, text, headers, prevailing, doc)
            if amount is not None:
                out.append(amount)


def _extend_headers(
    headers: dict[int, list[str]], row: GridRow
) -> dict[int, list[str]]:
    """Add a header row to the column headers; an empty cell right of a label
    belongs to that label (a spanning header whose span the export lost)."""
    out = {col: list(parts) for col, parts in headers.items()}
    carry = ""
    for col, text in enumerate(row.cells):
        label = re.sub(r"\s+", "", text)
        if label:
            carry = label
        elif carry and not headers.get(col):
            label = carry
        if label and (not out.get(col) or out[col][-1] != label):
            out.setdefault(col, []).append(label)
    return out


def _cell_amount(
    table: TableView,
    row: GridRow,
    col: int,
    text: str,
    headers: dict[int, list[str]],
    prevailing: str,
    doc: str,
) -> Amount | None:
    text = text.strip()
    if not text or not _money_shaped(text):
        return None
    label = _row_label(row, col, headers)
    header = "/".join(headers.get(col, []))
    unit, unit_source = _cell_unit(text, label, header, table.unit, prevailing)
    if unit_source is None:
        return None
    try:
        money = parse_money(text, default_unit=unit)
    except ParseError:
        return None
    if unit_source != "text":
        money = _with_unit_source(money, unit_source)
    column = None if label and UNIT_WORD.search(label) else _column_name(headers, col)
    return Amount(
        doc=doc, money=money, subject=_subject(label), column=column,
        source=Source(text=row.text, page=row.page, table=table.index, row=row.index,
                      span=row.spans[col], bbox=row.bbox),
    )  # fmt: skip


def _money_shaped(text: str) -> bool:
    """A bare number, or a number written with a money unit."""
    if is_number_cell(text):
        return True
    return bool(re.fullmatch(r"[-−]?\d[\d,，.．\s]*(?:亿元|万元|千元|元|万|亿)", text))


def _row_label(
    row: GridRow, col: int, headers: dict[int, list[str]] | None = None
) -> str | None:
    """The row's label on this side of a (possibly two-sided) table: the nearest
    label-like text cell left of ``col`` that is not under a description column
    (主要内容, 说明), else the nearest text cell."""
    headers = headers or {}
    nearest = named = None
    for c in range(col - 1, -1, -1):
        text = row.cells[c].strip()
        if not text or is_number_cell(text) or text in NOT_APPLICABLE:
            continue
        nearest = nearest or text
        if DESCRIPTION_HEADER.search("/".join(headers.get(c, []))):
            continue
        if _is_label_like(text):
            return text
        named = named or text
    return named or nearest


def _is_label_like(text: str) -> bool:
    """Short, and no sentence punctuation once a leading enumeration is gone."""
    body = ENUMERATION.sub("", normalize_label(text))
    return len(body) <= LABEL_MAX_CHARS and not SENTENCE_PUNCTUATION.search(body)


def _cell_unit(
    text: str,
    label: str | None,
    header: str,
    table_unit: str | None,
    prevailing: str,
) -> tuple[str | None, str | None]:
    """The unit a money cell is in, and where it came from; (None, None) if the
    cell is not money (a count, a code, a percentage)."""
    if not is_number_cell(text):
        return None, "text"
    label_norm = normalize_label(label or "")
    header_unit = UNIT_WORD.search(header)
    if header_unit:
        return header_unit.group(1), "table"
    if NOT_MONEY.search(header):
        return None, None
    label_unit = UNIT_WORD.search(label_norm)
    if label_unit:
        return label_unit.group(1), "table"
    if NOT_MONEY.search(label_norm) and not MONEY_WORD.search(header):
        return None, None
    if table_unit:
        return table_unit, "table"
    if MONEY_WORD.search(label_norm) or MONEY_WORD.search(header):
        return prevailing, "context"
    return None, None


def _with_unit_source(money: Money, unit_source: str) -> Money:
    return Money(
        text=money.text, value=money.value, value_max=money.value_max,
        currency=money.currency, approx=money.approx,
        unit_source=unit_source,  # type: ignore[arg-type]
    )  # fmt: skip


def _column_name(headers: dict[int, list[str]], col: int) -> str | None:
    parts = headers.get(col)
    return parts[-1] if parts else None


def _subject(label: str | None) -> str | None:
    """A row label as a subject: no enumeration, unit or whitespace."""
    if not label:
        return None
    subject = ENUMERATION.sub("", normalize_label(label))
    subject = UNIT_WORD.sub("", subject).rstrip(":：")
    return subject or None


def _prevailing_unit(tables: Sequence[TableView]) -> str:
    """The unit most tables of the document use; 万元 when none says."""
    units = Counter(t.unit for t in tables if t.unit)
    return units.most_common(1)[0][0] if units else "万元"


# --- prose: paragraphs and prose cells ---------------------------------------


def _prose_in_table(
    table: TableView,
    used: set[tuple[int, int]],
    document: Document,
    doc: str,
    kind: StatementKind,
    project: str | None,
    params: AssemblyParams,
    indicators: list[Indicator],
    amounts: list[Amount],
    model: SpanScorer | None = None,
) -> None:
    """Statements and amounts in table cells that hold prose."""
    for row in table.rows:
        for col, text in enumerate(row.cells):
            span = row.spans[col]
            if (row.index, col) in used or not row.origin[col] or span is None:
                continue
            if is_number_cell(text) or len(text.strip()) < PROSE_MIN_CHARS:
                continue
            if unit_of_line(text):
                continue
            source = Source(
                text=text.strip(),
                page=row.page,
                table=table.index,
                row=row.index,
                span=span,
                bbox=row.bbox,
            )
            _prose(
                document.text[span[0] : span[1]],
                span[0],
                source,
                doc,
                kind,
                project,
                params,
                indicators,
                amounts,
                model,
            )


def _prose_block(
    block: Block,
    document: Document,
    doc: str,
    kind: StatementKind,
    project: str | None,
    params: AssemblyParams,
    indicators: list[Indicator],
    amounts: list[Amount],
    model: SpanScorer | None = None,
) -> None:
    prov = block.prov[0] if block.prov else None
    if prov is None or prov.span is None:
        return
    start = prov.span[0]
    source = Source(text=block.text, page=prov.page, bbox=prov.bbox)
    _prose(
        block.text, start, source, doc, kind, project, params, indicators, amounts,
        model,
    )  # fmt: skip


def _prose(
    text: str,
    offset: int,
    source: Source,
    doc: str,
    kind: StatementKind,
    project: str | None,
    params: AssemblyParams,
    indicators: list[Indicator],
    amounts: list[Amount],
    model: SpanScorer | None = None,
) -> None:
    for statement in find_statements(text, kind, model):
        record = _statement_record(
            statement, text, offset, source, doc, project, params
        )
        if model is not None:  # the model's probability is the confidence
            record = dataclasses.replace(record, confidence=statement.confidence)
        indicators.append(record)
    for found in find_amounts(text):
        amounts.append(
            Amount(
                doc=doc,
                money=found.money,
                subject=found.subject,
                column=None,
                source=_sentence_source(source, text, offset, found.start, found.end),
            )
        )


def _statement_record(
    statement: Statement,
    text: str,
    offset: int,
    source: Source,
    doc: str,
    project: str | None,
    params: AssemblyParams,
) -> Indicator:
    return Indicator(
        doc=doc, metric=statement.metric, project=project,
        source=_sentence_source(source, text, offset, statement.start, statement.end),
        target_raw=statement.target_raw,
        target=normalize_target(statement.target_raw),
        confidence=min(statement.confidence, params.narrative)
        if statement.confidence < 1 else params.narrative,
        kind=statement.kind,
    )  # fmt: skip


_SENTENCE_END = "。；;！？\n"


def _sentence_source(
    source: Source, text: str, offset: int, start: int, end: int
) -> Source:
    """The record's source: the sentence around the hit, its span in the document."""
    left = max(text.rfind(ch, 0, start) for ch in _SENTENCE_END) + 1
    rights = [i for i in (text.find(ch, end) for ch in _SENTENCE_END) if i >= 0]
    right = min(rights) + 1 if rights else len(text)
    return Source(
        text=text[left:right].strip(), page=source.page, table=source.table,
        row=source.row, span=(offset + start, offset + end), bbox=source.bbox,
    )  # fmt: skip


# --- projects -----------------------------------------------------------------


class _ProjectTracker:
    """The project a table or paragraph belongs to, from 项目名称 / 部门名称 rows."""

    def __init__(self, document: Document, tables: Sequence[TableView]) -> None:
        self._by_block: dict[int, str] = {}
        self._department: str | None = None
        current: str | None = None
        first_block = {t.block_indices[0]: t for t in tables}
        for index in range(len(document.blocks)):
            table = first_block.get(index)
            if table is not None:
                current = self._scan(table) or current
            if current:
                self._by_block[index] = current
        self._tables = {t.index: t for t in tables}

    def _scan(self, table: TableView) -> str | None:
        project = None
        for row in table.rows:
            if row.role == "header":
                continue
            for col, text in enumerate(row.cells):
                label = normalize_label(text)
                value = _value_right_of(row, col)
                if value is None:
                    continue
                if PROJECT_LABEL.match(label) and project is None:
                    project = value
                elif DEPARTMENT_LABEL.match(label) and self._department is None:
                    self._department = value
        return project

    def before(self, table: TableView) -> str | None:
        return (
            self._by_block.get(table.block_indices[0])
            or self._department
            or table.title
        )

    def current(self, block_index: int) -> str | None:
        return self._by_block.get(block_index) or self._department


def _value_right_of(row: GridRow, col: int) -> str | None:
    label = row.cells[col].strip()
    for c in range(col + 1, len(row.cells)):
        text = row.cells[c].strip()
        if text and text != label:
            return re.sub(r"\s+", "", text)
    return None

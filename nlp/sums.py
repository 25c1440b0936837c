"""Arithmetic of budget tables as a check: totals against their parts, in Decimal.

Budget tables print totals (合计, 小计, 总计) over their rows. Where a total and
its parts were both read as amounts, they must add up exactly. The amounts of one
table column are grouped (a two-sided 收支总表 is two groups: the side is the
cell the row's subject stands in), and each total row is checked against the
candidate sets of parts a budget table uses:

- the rows between it and the previous total (a 小计 under its block), or
  between it and the next total (a 合计 printed above its rows);
- every other row of the column;
- of those, only the top level where rows carry classification codes
  (``208`` / ``20805`` / ``2080505``, or the 类 | 款 | 项 code cells); and every
  coded row against its direct children.

A total that matches none is a mismatch: the total and its parts get the flag
``sum-mismatch``, or ``sum-rounding`` when the difference is no more than one
unit of the last printed digit per part (parts printed rounded to 万元 with two
decimals need not add up to their rounded total). On a page read by OCR a
mismatch usually means a misread digit, and one stated rule repairs it: when
changing a single OCR-confusable digit (6/8, 1/7, 0/8, either way) in exactly
one of the amounts involved makes the sum hold, and no other such change does,
that amount's value and text are changed, it gets the flag ``sum-repaired`` and
a note saying what was changed. Pages with a text layer are never repaired:
there a mismatch is the document's own.

This is the one check that writes to records (their ``flags`` and ``notes``,
and the repaired value); the counts go to documents.jsonl like every check's.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from nlp.records import Amount, Money

MISMATCH = "sum-mismatch"
REPAIRED = "sum-repaired"
ROUNDING = "sum-rounding"
# OCR-confusable digit pairs, either way round.
CONFUSABLE: tuple[tuple[str, str], ...] = (("6", "8"), ("1", "7"), ("0", "8"))
_TOTAL = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+\s*[、.．]\s*)?.{0,8}?(合\s*计|总\s*计|小\s*计)\s*$"
)
_CODE = re.compile(r"^\d{3,7}$")
# A code written before the label in one cell: [20132]组织事务, 20132 组织事务.
_CODE_IN_LABEL = re.compile(
    r"^(?:[\[【［(（](\d{3,7})[\]】］)）]\s*|(\d{3,7})\s+)(?=[\u4e00-\u9fff])(?!年)"
)
_LABEL = re.compile(r"[\u4e00-\u9fff]")
_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")


@dataclass(slots=True)
class _Row:
    """One amount of a column group, with what the check needs to know of it."""

    amount: Amount
    row: tuple[int, int]  # (table, row): continued tables keep their order
    total: bool
    code: str | None


@dataclass(frozen=True, slots=True)
class SumCounts:
    """What the check found in one document.

    Attributes:
        tables: table columns that hold a total with parts.
        totals: totals checked.
        mismatches: totals that match none of their candidate parts.
        rounding: totals off their parts by no more than the parts' rounding.
        repaired: amounts repaired by one confusable digit.
    """

    tables: int = 0
    totals: int = 0
    mismatches: int = 0
    rounding: int = 0
    repaired: int = 0

    def as_checks(self) -> list[tuple[str, int]]:
        """The counts under their documents.jsonl check names."""
        return [
            ("sum-tables", self.tables),
            ("sum-totals", self.totals),
            (MISMATCH, self.mismatches),
            (ROUNDING, self.rounding),
            (REPAIRED, self.repaired),
        ]


def is_total(subject: str | None) -> bool:
    """True for a 合计 / 总计 / 小计 row label (``收入合计``, ``一、合 计``)."""
    return bool(subject) and bool(_TOTAL.match(subject or ""))


def row_code(source_text: str) -> str | None:
    """The row's classification code: a leading 3-7 digit cell, the 类/款/项
    cells joined (``208 | 05 | 05`` → ``2080505``), or a code written in the
    label cell (``[20132]组织事务``, ``20132 组织事务``); empty cells before it
    (an indented label) are skipped."""
    cells = [c.strip() for c in re.split(r"\t|\s\|\s", source_text)]
    while cells and not cells[0]:
        cells.pop(0)
    parts = []
    for cell in cells:
        if cell.isdigit() and len(cell) <= 7:
            parts.append(cell)
            continue
        break
    code = "".join(parts)
    if not parts and cells:
        written = _CODE_IN_LABEL.match(cells[0])
        code = (written.group(1) or written.group(2)) if written else ""
    return code if _CODE.match(code) else None


def side_code(source_text: str, side: int) -> str | None:
    """The classification code of the side of a row an amount stands in.

    A two-sided table (人员经费 | 公用经费, each with its 科目编码, 科目名称 and
    金额) prints two codes in one row; the amount in grid column ``side`` has
    the code of its own side: the cells after the last amount or label of the
    side before it.
    """
    cells = source_text.split("\t")[:side]
    start = 0
    labels = [k for k, cell in enumerate(cells) if _LABEL.search(cell)]
    if labels:
        before = cells[: labels[-1]]
        filled = [
            k for k, c in enumerate(before) if c.strip() and not c.strip().isdigit()
        ]
        start = filled[-1] + 1 if filled else 0
    return row_code("\t".join(cells[start:]))


def _side(amount: Amount, seen: dict[tuple[object, ...], int]) -> int:
    """Which grid column of its row the amount stands in, so a 收支总表's income
    and spending amounts (one column name, two sides) are apart. A row's
    amounts come left to right, so the n-th amount with a given text is the n-th
    cell holding it; an amount not found in its row's cells is column 0."""
    cells = ["".join(c.split()) for c in (amount.source.text or "").split("\t")]
    text = "".join(amount.money.text.split())
    matches = [k for k, c in enumerate(cells) if c == text]
    if not matches:
        return 0
    key = (amount.source.table, amount.source.row, text)
    nth = seen.get(key, 0)
    seen[key] = nth + 1
    return matches[min(nth, len(matches) - 1)]


GroupKey = tuple[int, str, int]


def keyed_groups(amounts: Sequence[Amount]) -> dict[GroupKey, list[_Row]]:
    """Table amounts grouped by (table, column, side), each group in row order."""
    groups: dict[GroupKey, list[_Row]] = defaultdict(list)
    seen: dict[tuple[object, ...], int] = {}
    for amount in amounts:
        source = amount.source
        if source.table is None or source.row is None or amount.column is None:
            continue
        side = _side(amount, seen)
        key = (source.table, amount.column, side)
        code = (
            side_code(source.text or "", side) if side else row_code(source.text or "")
        )
        row = _Row(amount, (source.table, source.row), is_total(amount.subject), code)
        groups[key].append(row)
    for rows in groups.values():
        rows.sort(key=lambda r: r.row)
    return dict(groups)


def column_groups(amounts: Sequence[Amount]) -> list[list[_Row]]:
    """Table amounts grouped by table, column and side, in row order."""
    return list(keyed_groups(amounts).values())


def continued_rows(
    groups: dict[GroupKey, list[_Row]],
    key: GroupKey,
    reach: int = 1,
    pages: dict[int, tuple[int, int]] | None = None,
) -> list[_Row]:
    """The group with the same column of up to ``reach`` tables before and
    after it, each on the page next to the last: a table page breaks cut into
    several reader tables (a 合计 printed on its first page over rows running
    on over the next pages; a 公用经费合计 on the last page over every page).
    A part with nothing on this side (a 收支总表's page of spending rows only)
    adds no rows but keeps the chain going."""
    table, column, side = key
    chain = table_chain(pages or _table_pages(groups), table, reach)
    return [row for t in chain for row in groups.get((t, column, side), [])]


def table_chain(pages: dict[int, tuple[int, int]], table: int, reach: int) -> list[int]:
    """The table with up to ``reach`` tables each side, each starting on the
    page after the one before it ends (``pages``: first and last page)."""
    chain = [table]
    for _ in range(reach):
        before = chain[0] - 1
        if before not in pages or pages[before][1] + 1 != pages[chain[0]][0]:
            break
        chain.insert(0, before)
    for _ in range(reach):
        after = chain[-1] + 1
        if after not in pages or pages[chain[-1]][1] + 1 != pages[after][0]:
            break
        chain.append(after)
    return chain


def _table_pages(groups: dict[GroupKey, list[_Row]]) -> dict[int, tuple[int, int]]:
    """Each table's first and last page."""
    pages: dict[int, tuple[int, int]] = {}
    for (table, _, _), rows in groups.items():
        low, high = pages.get(table, (_page(rows[0]), _page(rows[-1])))
        pages[table] = (min(low, _page(rows[0])), max(high, _page(rows[-1])))
    return pages


def _page(row: _Row) -> int:
    return row.amount.source.page or 0


def _distinct_rows(rows: Iterable[_Row]) -> list[_Row]:
    """One amount per table row (a row repeated by a reader counts once)."""
    kept: dict[tuple[int, int], _Row] = {}
    for row in rows:
        kept.setdefault(row.row, row)
    return list(kept.values())


def _top_level(rows: Sequence[_Row]) -> list[_Row]:
    """The rows with the shortest code, when codes are given."""
    coded = [r for r in rows if r.code]
    if not coded:
        return []
    shortest = min(len(r.code or "") for r in coded)
    return [r for r in coded if len(r.code or "") == shortest]


def nested_top_level(rows: Sequence[_Row]) -> list[_Row]:
    """The top level of rows nested by their sums alone (no codes printed).

    A 类 row is followed by its 款 rows, each by its 项 rows, and a parent is the
    sum of the children right under it. Read greedily: a row whose value the
    next rows (each with its own children) add up to is their parent, exactly
    or within one unit of the last printed digit per child (a unit's rows
    printed rounded to 万元 need not add up to its printed line). Empty when no
    row turned out to be a parent (the plain list is a candidate already).
    """
    values = [r.amount.money.value for r in rows]
    steps = [last_place(r.amount.money) for r in rows]
    ends = _item_ends(values, steps)
    top: list[_Row] = []
    index = 0
    while index < len(rows):
        top.append(rows[index])
        index = ends[index]
    return top if len(top) < len(rows) else []


def _item_ends(
    values: Sequence[Decimal], steps: Sequence[Decimal] | None = None
) -> list[int]:
    """For each row, where its item (the row and its children) ends.

    Filled from the last row up, so each row's children are already known: a
    row with a positive value takes the following items while their sum stays
    below its value, and keeps them when the sum reaches it, exactly or within
    ``steps[row]`` (its last printed digit) per child taken.
    """
    ends = [0] * len(values)
    for index in range(len(values) - 1, -1, -1):
        ends[index] = index + 1
        target = values[index]
        if target <= 0:
            continue
        step = steps[index] if steps else Decimal(0)
        position, reached, taken = index + 1, Decimal(0), 0
        while position < len(values):
            reached += values[position]
            position, taken = ends[position], taken + 1
            if abs(target - reached) <= step * taken:
                ends[index] = position
                break
            if reached > target:
                break
    return ends


# Steps of the nesting search before it gives up (a long list of equal values
# has many readings).
PARSE_BUDGET = 200000
# Rows printed rounded: a parent may differ from its children's sum by up to
# this many units of its last printed digit.
PARSE_SLACK_UNITS = 10


def nested_parse(rows: Sequence[_Row], total: _Row) -> list[_Row]:
    """The top level of a nesting of ``rows`` that adds up to ``total``.

    The greedy nesting of :func:`nested_top_level` reads a row followed by a
    sibling of the same value (60.00, 60.00) as parent and child; this search
    tries every reading: an item is a row alone, or a row and the items under
    it that add up to it (within the rounding of its last printed digit, as
    the total). Whether the total then holds exactly or by rounding is decided
    by the caller, as for every candidate. Empty when no reading adds up, or
    when the search ran out of steps.
    """
    values = [r.amount.money.value for r in rows]
    slacks = [last_place(r.amount.money) * PARSE_SLACK_UNITS for r in rows]
    # No run from a row can add up to more than all the rows from it on.
    rest_sum = [Decimal(0)] * (len(values) + 1)
    for k in range(len(values) - 1, -1, -1):
        rest_sum[k] = rest_sum[k + 1] + max(values[k], Decimal(0))
    budget = [PARSE_BUDGET]
    item_memo: dict[int, tuple[int, ...]] = {}
    run_memo: dict[tuple[int, Decimal, Decimal], tuple[int, ...] | None] = {}

    def item_ends(start: int) -> tuple[int, ...]:
        if start not in item_memo:
            item_memo[start] = (start + 1,)  # while its children are searched
            ends = [start + 1]
            if values[start] > 0:
                run = runs(start + 1, values[start], slacks[start])
                ends += [run[-1]] if run else []
            item_memo[start] = tuple(reversed(ends))  # a parent first
        return item_memo[start]

    def runs(start: int, target: Decimal, slack: Decimal) -> tuple[int, ...] | None:
        """Item boundaries from ``start`` whose items add up to ``target``."""
        key = (start, target, slack)
        if key in run_memo:
            return run_memo[key]
        run_memo[key] = None
        budget[0] -= 1
        if budget[0] < 0 or start >= len(values) or values[start] < 0:
            return None
        if rest_sum[start] < target - slack:
            return None
        value = values[start]
        for end in item_ends(start):
            if abs(target - value) <= slack:
                run_memo[key] = (end,)
                break
            if value < target and (rest := runs(end, target - value, slack)):
                run_memo[key] = (end, *rest)
                break
        return run_memo[key]

    value = total.amount.money.value
    found = runs(0, value, last_place(total.amount.money) * PARSE_SLACK_UNITS)
    if not rows or value <= 0 or not found or budget[0] < 0:
        return []
    return [rows[k] for k in (0, *found[:-1])]


def candidate_parts(rows: Sequence[_Row], index: int) -> list[list[_Row]]:
    """The sets of parts total ``rows[index]`` may be the sum of, likeliest first."""
    before, after = [], []
    previous_total: list[_Row] = []
    for row in reversed(rows[:index]):
        if row.total:
            previous_total = [row]
            break
        before.append(row)
    before.reverse()
    for row in rows[index + 1 :]:
        if row.total:
            break
        after.append(row)
    others = [r for k, r in enumerate(rows) if k != index and not r.total]
    subtotals = [r for k, r in enumerate(rows) if k != index and r.total]
    candidates = [_top_level(after), _top_level(before), after, before]
    candidates += [_top_level(others), others, subtotals]
    candidates += [nested_top_level(after), nested_top_level(before)]
    candidates += [nested_top_level(others)]
    # 收入总计 = 本年收入合计 + the rows under it (上年结转, 用事业基金弥补收支差额).
    # … where 上年结余、结转 is printed with its parts (1.财政拨款结余 2.非财政…).
    if previous_total:
        candidates += [previous_total + before]
        nested = nested_top_level(before)
        candidates += [previous_total + nested] if nested else []
    # A total over the first rows under it (a unit, then its own sub-units).
    value = rows[index].amount.money.value
    candidates += [_closest_run(after, value), _closest_run(before[::-1], value)[::-1]]
    return [c for c in candidates if c]


def _closest_run(rows: Sequence[_Row], value: Decimal) -> list[_Row]:
    """Of the runs ``rows[:n]`` (shorter than all the rows), the one whose sum
    is closest to ``value`` (earliest on a tie)."""
    best: list[_Row] = []
    best_gap: Decimal | None = None
    running = Decimal(0)
    for n in range(1, len(rows)):
        running += rows[n - 1].amount.money.value
        gap = abs(value - running)
        if best_gap is None or gap < best_gap:
            best, best_gap = list(rows[:n]), gap
    return best


def _difference(total: _Row, parts: Sequence[_Row]) -> Decimal:
    parts_sum = sum((p.amount.money.value for p in parts), Decimal(0))
    return total.amount.money.value - parts_sum


def _holds(total: _Row, parts: Sequence[_Row]) -> bool:
    return _difference(total, parts) == 0


def last_place(money: Money) -> Decimal:
    """The value of one unit in the last printed digit (``12.34万元`` → 100 yuan)."""
    numbers = _NUMBER.findall(money.text)
    if len(numbers) != 1:
        return Decimal(0)
    number = Decimal(numbers[0].replace(",", ""))
    if number == 0:
        return Decimal(0)
    exponent = number.as_tuple().exponent
    step = Decimal(1).scaleb(exponent if isinstance(exponent, int) else 0)
    return money.value * step / number


def is_rounding(total: _Row, parts: Sequence[_Row]) -> bool:
    """The difference is at most one unit of the last printed digit per part:
    amounts printed rounded (to 万元 with two decimals) do not add up exactly."""
    difference = abs(_difference(total, parts))
    unit = last_place(total.amount.money)
    return unit > 0 and difference <= unit * len(parts)


def _children(rows: Sequence[_Row], parent: _Row) -> list[_Row]:
    """Coded rows one level under a coded parent (``208`` → ``20805``): the
    run of rows right after it whose codes start with its code (a later table
    joined across a page break may list the same codes again)."""
    code = parent.code or ""
    under: list[_Row] = []
    for row in rows[rows.index(parent) + 1 :]:
        if not row.code:
            continue
        if row.code == code or not row.code.startswith(code):
            break
        under.append(row)
    if not under:
        return []
    nearest = min(len(r.code or "") for r in under)
    return [r for r in under if len(r.code or "") == nearest]


def _checks(rows: Sequence[_Row]) -> list[tuple[_Row, list[list[_Row]]]]:
    """(total, candidate part sets) for every total and every coded parent."""
    out = []
    for index, row in enumerate(rows):
        if row.total:
            out.append((row, candidate_parts(rows, index)))
        elif row.code:
            children = _children(rows, row)
            if children:
                out.append((row, [children]))
    return [(total, parts) for total, parts in out if parts]


def digit_variants(text: str) -> list[tuple[str, str]]:
    """Texts one confusable digit away from ``text``, with what was changed."""
    out = []
    for k, char in enumerate(text):
        for a, b in CONFUSABLE:
            for old, new in ((a, b), (b, a)):
                if char == old:
                    out.append((text[:k] + new + text[k + 1 :], f"{old}→{new}"))
    return out


def _repaired_money(money: Money, new_text: str) -> Money | None:
    """``money`` with its number text replaced, the value scaled alike."""
    old_numbers, new_numbers = _NUMBER.findall(money.text), _NUMBER.findall(new_text)
    if len(old_numbers) != 1 or len(new_numbers) != 1:
        return None
    old = Decimal(old_numbers[0].replace(",", ""))
    new = Decimal(new_numbers[0].replace(",", ""))
    if old == 0:
        return None
    value = (money.value * new / old).quantize(Decimal("0.01"))
    return Money(
        new_text,
        value,
        money.value_max,
        money.currency,
        money.approx,
        money.unit_source,
    )


def find_repair(total: _Row, parts: Sequence[_Row]) -> tuple[_Row, Money, str] | None:
    """The single confusable-digit change that makes ``parts`` add up to ``total``.

    None when no change does or when more than one does (then it is not known
    which digit was misread).
    """
    found = []
    involved = [total, *parts]
    for target in involved:
        for text, change in digit_variants(target.amount.money.text):
            money = _repaired_money(target.amount.money, text)
            if money is None:
                continue
            values = {id(r): r.amount.money.value for r in involved}
            values[id(target)] = money.value
            if sum(values[id(p)] for p in parts) == values[id(total)]:
                found.append((target, money, change))
    return found[0] if len(found) == 1 else None


def _one_repair(
    total: _Row, candidates: Sequence[Sequence[_Row]]
) -> tuple[_Row, Money, str] | None:
    """The repair the candidate part sets agree on, when there is exactly one."""
    fixes = {}
    for parts in candidates:
        fix = find_repair(total, parts)
        if fix is not None:
            fixes[(id(fix[0]), fix[1].text)] = fix
    return next(iter(fixes.values())) if len(fixes) == 1 else None


def _add(amount: Amount, field: str, item: str) -> None:
    """Append to a record's flags or notes (records are frozen; this check is the
    one writer of these fields after assembly)."""
    current = getattr(amount, field)
    if item not in current:
        object.__setattr__(amount, field, (*current, item))


def _repair(row: _Row, money: Money, change: str) -> None:
    amount = row.amount
    note = f"{REPAIRED}: {amount.money.text} → {money.text} ({change}, OCR digit)"
    object.__setattr__(amount, "money", money)
    _add(amount, "flags", REPAIRED)
    _add(amount, "notes", note)


def _candidates_for(
    total: _Row, candidates: list[list[_Row]], continued: Sequence[_Row]
) -> list[list[_Row]]:
    """The total's part sets in its own table, then over the continued table."""
    if total not in continued or not total.total:
        if total.code:
            children = _children(continued, total)
            return [*candidates, children] if children else candidates
        return candidates
    return [*candidates, *candidate_parts(continued, continued.index(total))]


def _across_pages(
    groups: dict[GroupKey, list[_Row]],
    pages: dict[int, tuple[int, int]],
    key: GroupKey,
    total: _Row,
    own: list[list[_Row]],
) -> list[list[_Row]] | None:
    """None when the total adds up over its table joined with the tables a
    page break cut it from, one more table each side at a time (nearest first,
    so the next table on the page after is not taken for a continuation when a
    nearer one completes the sum); else every candidate part set tried, the
    total's own table's first."""
    candidates, seen = list(own), 1
    rows = _distinct_rows(groups[key])
    for reach in range(1, len(pages) + 1):
        chain = len(table_chain(pages, key[0], reach))
        if chain <= seen:
            break
        seen = chain
        rows = _distinct_rows(continued_rows(groups, key, reach, pages))
        more = _candidates_for(total, own, rows)
        if any(_holds(total, parts) for parts in more):
            return None
        candidates += more[len(own) :]
    # Codes give the nesting; a search would only find runs the codes deny.
    coded = total.code or 2 * sum(1 for r in rows if r.code) > len(rows)
    searched = searched_parts(rows, total) if total in rows and not coded else []
    if any(_holds(total, parts) for parts in searched):
        return None
    return candidates + searched


def searched_parts(rows: Sequence[_Row], total: _Row) -> list[list[_Row]]:
    """The nestings found by search of the rows after and before the total
    (up to the next and previous totals): tried last, being the costliest."""
    index = rows.index(total)
    after: list[_Row] = []
    for row in rows[index + 1 :]:
        if row.total:
            break
        after.append(row)
    before: list[_Row] = []
    for row in reversed(rows[:index]):
        if row.total:
            break
        before.insert(0, row)
    found = [nested_parse(after, total), nested_parse(before, total)]
    return [parts for parts in found if parts]


def check_sums(amounts: Sequence[Amount], ocr_pages: Iterable[int] = ()) -> SumCounts:
    """Check every table total against its parts; flag and repair as stated above.

    Args:
        amounts: one document's amount records (flagged in place).
        ocr_pages: pages read by OCR, where a single confusable digit is repaired.

    Returns:
        The counts for documents.jsonl.
    """
    ocr = set(ocr_pages)
    tables = totals = mismatches = rounding = repaired = 0
    groups = keyed_groups(amounts)
    pages = _table_pages(groups)
    for key, group in groups.items():
        rows = _distinct_rows(group)
        checks = _checks(rows)
        if not checks:
            continue
        tables += 1
        for total, own in checks:
            totals += 1
            if any(_holds(total, parts) for parts in own):
                continue
            candidates = _across_pages(groups, pages, key, total, own)
            if candidates is None:
                continue
            fix = (
                _one_repair(total, candidates)
                if total.amount.source.page in ocr
                else None
            )
            if fix is not None:
                _repair(*fix)
                repaired += 1
                continue
            near = [parts for parts in candidates if is_rounding(total, parts)]
            parts = near[0] if near else candidates[0]
            flag = ROUNDING if near else MISMATCH
            if flag == ROUNDING:
                rounding += 1
            else:
                mismatches += 1
                _add(total.amount, "notes", mismatch_note(total, parts))
            for row in (total, *parts):
                _add(row.amount, "flags", flag)
    return SumCounts(tables, totals, mismatches, rounding, repaired)


@dataclass(frozen=True, slots=True)
class MismatchNote:
    """What a total's record says about its mismatch (one note, one format).

    Attributes:
        total: the total's value, yuan.
        parts: the sum of the parts checked, yuan.
        rows: the table rows of those parts.
        cause: a category from :func:`mismatch_cause`.
    """

    total: Decimal
    parts: Decimal
    rows: tuple[int, ...]
    cause: str

    @property
    def difference(self) -> Decimal:
        """Total minus the parts' sum, yuan."""
        return self.total - self.parts

    def to_text(self) -> str:
        """The note as written into the record's ``notes``."""
        rows = ",".join(str(r) for r in self.rows)
        return (
            f"{MISMATCH}: total {self.total} parts {self.parts} "
            f"difference {self.difference} rows {rows}; cause: {self.cause}"
        )

    @classmethod
    def from_text(cls, text: str) -> MismatchNote | None:
        """Read a note written by :meth:`to_text`; None for any other note."""
        match = _NOTE.fullmatch(text)
        if match is None:
            return None
        rows = tuple(int(r) for r in match["rows"].split(",") if r)
        return cls(
            Decimal(match["total"]), Decimal(match["parts"]), rows, match["cause"]
        )


_NOTE = re.compile(
    rf"{MISMATCH}: total (?P<total>-?[\d.]+) parts (?P<parts>-?[\d.]+) "
    r"difference -?[\d.]+ rows (?P<rows>[\d,]*); cause: (?P<cause>[\w-]+)"
)


def mismatch_note(total: _Row, parts: Sequence[_Row]) -> str:
    """The note a mismatched total's record gets: the parts' sum, the
    difference, the rows checked and the likeliest cause."""
    parts_sum = sum((p.amount.money.value for p in parts), Decimal(0))
    note = MismatchNote(
        total.amount.money.value,
        parts_sum,
        tuple(p.row[1] for p in parts),
        mismatch_cause(total, parts),
    )
    return note.to_text()


# A parts' sum this close to a whole multiple of the total (2×, 3×) counts the
# total's levels (类, 款, 项) more than once.
LEVELS_TOLERANCE = Decimal("0.001")


def mismatch_cause(total: _Row, parts: Sequence[_Row]) -> str:
    """A short category for a mismatch, read from its arithmetic.

    ``levels-double-counted``: the parts add up to about 2× or 3× the total, so
    nested rows without codes were taken as one level; ``total-in-parts``: a
    part equals the total (a total row the check did not recognise);
    ``parts-exceed-total`` / ``parts-short-of-total``: neither, the parts found
    do not add up (rows cut off at a page break, the document's own figures).
    """
    value = total.amount.money.value
    parts_sum = sum((p.amount.money.value for p in parts), Decimal(0))
    if value > 0 and parts_sum >= 2 * value:
        ratio = parts_sum / value
        if abs(ratio - ratio.to_integral_value()) <= LEVELS_TOLERANCE * ratio:
            return "levels-double-counted"
    if value != 0 and any(p.amount.money.value == value for p in parts):
        return "total-in-parts"
    return "parts-exceed-total" if parts_sum > value else "parts-short-of-total"

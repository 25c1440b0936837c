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
_LABEL = re.compile(r"[\u4e00-\u9fff]")
_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")


@dataclass(slots=True)
class _Row:
    """One amount of a column group, with what the check needs to know of it."""

    amount: Amount
    row: int
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
    """The row's classification code: a leading 3-7 digit cell, or the 类/款/项
    cells joined (``208 | 05 | 05`` → ``2080505``)."""
    cells = [c.strip() for c in re.split(r"\t|\s\|\s", source_text)]
    parts = []
    for cell in cells:
        if cell.isdigit() and len(cell) <= 7:
            parts.append(cell)
            continue
        break
    code = "".join(parts)
    return code if _CODE.match(code) else None


def _side(amount: Amount, seen: dict[tuple[object, ...], int]) -> int:
    """Which side of the row the amount is on: the number of label cells (cells
    with Chinese text) before its subject's cell, so a 收支总表's income items are
    side 0 and its spending items side 1, and code cells do not count."""
    cells = [c.strip() for c in (amount.source.text or "").split("\t")]
    subject = "".join((amount.subject or "").split())
    matches = [k for k, c in enumerate(cells) if "".join(c.split()) == subject]
    if not matches:
        return 0
    key = (amount.source.table, amount.source.row, amount.column, subject)
    nth = seen.get(key, 0)
    seen[key] = nth + 1
    index = matches[min(nth, len(matches) - 1)]
    return sum(1 for cell in cells[:index] if _LABEL.search(cell))


def column_groups(amounts: Sequence[Amount]) -> list[list[_Row]]:
    """Table amounts grouped by table, column and side, in row order."""
    groups: dict[tuple[object, ...], list[_Row]] = defaultdict(list)
    seen: dict[tuple[object, ...], int] = {}
    for amount in amounts:
        source = amount.source
        if source.table is None or source.row is None or amount.column is None:
            continue
        side = _side(amount, seen)
        key = (source.table, amount.column, side)
        code = row_code(source.text or "")
        groups[key].append(_Row(amount, source.row, is_total(amount.subject), code))
    for rows in groups.values():
        rows.sort(key=lambda r: r.row)
    return list(groups.values())


def _distinct_rows(rows: Iterable[_Row]) -> list[_Row]:
    """One amount per table row (a row repeated by a reader counts once)."""
    kept: dict[int, _Row] = {}
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


def candidate_parts(rows: Sequence[_Row], index: int) -> list[list[_Row]]:
    """The sets of parts total ``rows[index]`` may be the sum of, likeliest first."""
    before, after = [], []
    for row in reversed(rows[:index]):
        if row.total:
            break
        before.append(row)
    for row in rows[index + 1 :]:
        if row.total:
            break
        after.append(row)
    others = [r for k, r in enumerate(rows) if k != index and not r.total]
    subtotals = [r for k, r in enumerate(rows) if k != index and r.total]
    candidates = [_top_level(after), _top_level(before), after, before]
    candidates += [_top_level(others), others, subtotals]
    # A total over the first rows under it (a unit, then its own sub-units).
    candidates += [after[:n] for n in range(1, len(after))]
    candidates += [before[:n] for n in range(1, len(before))]
    return [c for c in candidates if c]


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
    """Coded rows one level under a coded parent (``208`` → ``20805``)."""
    code = parent.code or ""
    under = [r for r in rows if r.code and r.code != code and r.code.startswith(code)]
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
    for group in column_groups(amounts):
        rows = _distinct_rows(group)
        checks = _checks(rows)
        if not checks:
            continue
        tables += 1
        for total, candidates in checks:
            totals += 1
            if any(_holds(total, parts) for parts in candidates):
                continue
            parts = candidates[0]
            fix = (
                _one_repair(total, candidates)
                if total.amount.source.page in ocr
                else None
            )
            if fix is not None:
                _repair(*fix)
                repaired += 1
                continue
            flag = ROUNDING if is_rounding(total, parts) else MISMATCH
            if flag == ROUNDING:
                rounding += 1
            else:
                mismatches += 1
            for row in (total, *parts):
                _add(row.amount, "flags", flag)
    return SumCounts(tables, totals, mismatches, rounding, repaired)

"""Cheap consistency checks over one document's records.

Each check is a small function that counts records with one kind of problem; the
counts go into the document's ``checks`` in documents.jsonl so a reviewer can see
which outputs deserve a look. Checks never change or drop records.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Hashable, Sequence

from nlp.records import Amount, Indicator, Source

IndicatorCheck = Callable[[Sequence[Indicator]], int]
AmountCheck = Callable[[Sequence[Amount]], int]

_DIGIT = re.compile(r"\d")
# The note nlp.normalize.target puts on a target no rule recognised.
UNRECOGNISED_NOTE = "unrecognised"


def _source_key(source: Source) -> Hashable:
    """Where a record came from: table and row, or character span."""
    return (source.page, source.table, source.row, source.span)


def target_repaired(indicators: Sequence[Indicator]) -> int:
    """Indicators whose target was changed by a repair rule."""
    return sum(1 for i in indicators if i.target is not None and i.target.repaired)


def target_qualitative_unrecognised(indicators: Sequence[Indicator]) -> int:
    """Qualitative targets that no normalization rule recognised.

    The target normalizer marks them with the note ``unrecognised``: legitimate
    free-text targets (``对片区建设提出指导性建议``) and missed numeric ones alike.
    """
    return sum(
        1
        for i in indicators
        if i.target is not None
        and i.target.op == "qual"
        and UNRECOGNISED_NOTE in i.target.notes
    )


def target_qualitative_with_number(indicators: Sequence[Indicator]) -> int:
    """Qualitative targets that still contain a digit.

    A target with digits that no rule turned into an operator and value (``投诉率为
    0``, ``1年内完成``) is the likeliest kind of numeric target the normalizer missed.
    """
    return sum(
        1
        for i in indicators
        if i.target is not None
        and i.target.op == "qual"
        and _DIGIT.search(i.target.text)
    )


def indicator_no_target(indicators: Sequence[Indicator]) -> int:
    """Indicators without a target."""
    return sum(1 for i in indicators if i.target is None)


def duplicate_indicator(indicators: Sequence[Indicator]) -> int:
    """Extra copies of an indicator: same metric, target and source row or span."""
    keys = Counter(
        (
            i.metric,
            i.target.text if i.target else i.target_raw,
            _source_key(i.source),
        )
        for i in indicators
    )
    return sum(n - 1 for n in keys.values() if n > 1)


def amount_negative(amounts: Sequence[Amount]) -> int:
    """Amounts below zero (budget cuts are usually written as 减少, not signed)."""
    return sum(1 for a in amounts if a.money.value < 0)


def duplicate_amount(amounts: Sequence[Amount]) -> int:
    """Extra copies of an amount: same value, column and source position."""
    keys = Counter(
        (a.money.value, a.column, a.source.text, _source_key(a.source)) for a in amounts
    )
    return sum(n - 1 for n in keys.values() if n > 1)


INDICATOR_CHECKS: tuple[tuple[str, IndicatorCheck], ...] = (
    ("target-repaired", target_repaired),
    ("target-qualitative-unrecognised", target_qualitative_unrecognised),
    ("target-qualitative-with-number", target_qualitative_with_number),
    ("indicator-no-target", indicator_no_target),
    ("duplicate-indicator", duplicate_indicator),
)
AMOUNT_CHECKS: tuple[tuple[str, AmountCheck], ...] = (
    ("amount-negative", amount_negative),
    ("duplicate-amount", duplicate_amount),
)


def check(
    indicators: Sequence[Indicator], amounts: Sequence[Amount]
) -> tuple[tuple[str, int], ...]:
    """Run every check on one document's records.

    Args:
        indicators: the document's indicator records.
        amounts: the document's amount records.

    Returns:
        ``(check name, count)`` pairs for the checks that flagged something, in
        the order of :data:`INDICATOR_CHECKS` then :data:`AMOUNT_CHECKS`.
    """
    counts = [(name, fn(indicators)) for name, fn in INDICATOR_CHECKS]
    counts += [(name, fn(amounts)) for name, fn in AMOUNT_CHECKS]
    return tuple((name, n) for name, n in counts if n)

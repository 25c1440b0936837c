"""Cells holding several named targets (``采集率达97%以上,准确率达90%以上``).

:func:`split_targets` cuts such a cell into (measure, target) pairs and
:func:`looks_like_target` tells a target cell from a metric or level name; both read
each clause with the target rules of :mod:`nlp.normalize.target_rules`, whose
:func:`~nlp.normalize.target_rules.split_measure` finds where a name ends.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from nlp.normalize.target_rules import (
    MAX_CLAUSE_CHARS,
    MEASURE_ENDINGS,
    clean_target_text,
    normalize_target,
    qualitative_target,
    split_measure,
)
from nlp.records import Target

__all__ = [
    "COPULAS",
    "MAX_CLAUSE_CHARS",
    "MEASURE_ENDINGS",
    "looks_like_target",
    "split_targets",
]

_SEPARATOR_RE = re.compile(r"[,，;；、]")
# A lone clause joined by a copula states a value (投诉率为0): guideline rule 11 keeps
# it one qualitative target; comparisons (信息通报率达100%) name a measure's target.
COPULAS = (None, "为", "是")
# A lone clause joined by 约 or a linking 至/到 (长约5.85公里) is read as its value.
_LOOSE_RELATIONS = ("约", "大约", "大概", "约为", "至", "到")


@dataclass(frozen=True, slots=True)
class _Clause:
    """A measure name followed by its target, and the relation word between them."""

    name: str
    target: Target
    relation: str | None


def _named_clause(piece: str) -> _Clause | None:
    """Split ``采集率达97%以上`` into its measure name and numeric target
    (:func:`nlp.normalize.target_rules.split_measure` says where).

    Returns:
        The clause, or None.
    """
    piece = piece.strip()
    named = split_measure(piece)
    if named is None:
        return None
    target = normalize_target(piece[named.value_at :].strip())
    return _Clause(named.name, target, named.relation)


def split_targets(text: str) -> list[tuple[str | None, Target]]:
    """Split a cell holding several named targets into (measure, target) pairs.

    ``采集率达97%以上,信息准确率达97%以上,未注销率低于3%;`` gives three pairs. The
    text is split on ``,，;；、`` only when every piece is a named clause (see
    :func:`_named_clause`). A single clause naming its measure is split off when
    its relation is a comparison (``信息通报率达100%``); a plain statement with 为/是
    (``投诉率为0``) stays one qualitative target (annotation guideline rule 11).

    Returns:
        A list of (name or None, Target); ``[(None, normalize_target(text))]`` when
        the text cannot be split cleanly.
    """
    whole = normalize_target(text)
    if whole.op != "qual" and "metric-prefix" not in whole.notes:
        return [(None, whole)]
    clauses = _clauses(text)
    if not clauses:
        return [(None, whole)]
    if len(clauses) == 1 and clauses[0].relation in COPULAS:
        return [(None, qualitative_target(text))]
    if len(clauses) == 1 and clauses[0].relation in _LOOSE_RELATIONS:
        return [(None, whole)]
    return [(clause.name, clause.target) for clause in clauses]


def _clauses(text: str) -> list[_Clause] | None:
    """The named clauses of ``text`` split on ``,，;；、``; None if any piece is not."""
    clauses = []
    for piece in _SEPARATOR_RE.split(text):
        if not clean_target_text(piece)[0]:
            continue  # the empty piece after a closing ";"
        clause = _named_clause(piece)
        if clause is None:
            return None
        clauses.append(clause)
    return clauses or None


def looks_like_target(text: str) -> bool:
    """Whether a cell's content looks like a target value, not a metric or level name.

    Rules: a numeric target (``≥95%``, ``153``, ``每季度1次``, ``1年``); a phrase of the
    qualitative vocabulary (显著, 有效, 验收合格, 不适用, 得到提升, deadlines such as
    ``2021年12月前``); or clauses that each name a measure followed by a numeric
    target (``投诉率为 0``, ``采集率达97%以上,准确率达90%以上``).
    """
    target = normalize_target(text)
    if not target.text:
        return False
    if target.op != "qual" or "unrecognised" not in target.notes:
        return True
    return _clauses(text) is not None

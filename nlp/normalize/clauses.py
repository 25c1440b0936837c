"""Cells holding several named targets (``采集率达97%以上,准确率达90%以上``).

:func:`split_targets` cuts such a cell into (measure, target) pairs and
:func:`looks_like_target` tells a target cell from a metric or level name; both read
each clause with the target rules of :mod:`nlp.normalize.target_rules`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from nlp.normalize.numerals import NUMERAL_CHARS
from nlp.normalize.target_rules import (
    _read_numeric,
    clean_target_text,
    fullwidth,
    is_qualitative_phrase,
    normalize_target,
)
from nlp.normalize.target_vocab import (
    _CJK,
    _FOLD_MAP,
    _SPACE_RE,
    SIGN_OPS,
    STRONG_OPS,
    WEAK_OPS,
)
from nlp.records import Target

_SEPARATOR_RE = re.compile(r"[,，;；、]")
# Measures named before a relation-less value (guideline rule 4): 按时办结率100%.
MEASURE_ENDINGS = ("率", "度", "比例", "比率", "占比", "数", "数量")
# A lone clause joined by a copula states a value (投诉率为0): guideline rule 11 keeps
# it one qualitative target; comparisons (信息通报率达100%) name a measure's target.
COPULAS = (None, "为", "是")
# A named clause is short; longer pieces are prose, not a target cell's clause.
MAX_CLAUSE_CHARS = 200
# Characters a target can start with: where a clause's measure name may end.
_TARGET_START = (
    frozenset("".join([*WEAK_OPS, *STRONG_OPS, *SIGN_OPS, *_FOLD_MAP, "0123456789-每"]))
    | NUMERAL_CHARS
)


@dataclass(frozen=True, slots=True)
class _Clause:
    """A measure name followed by its target, and the relation word between them."""

    name: str
    target: Target
    relation: str | None


def _named_clause(piece: str) -> _Clause | None:
    """Split ``采集率达97%以上`` into its measure name and numeric target.

    The name is the shortest prefix after which the rest reads as a numeric target.
    It must hold a Chinese character; without a relation word or sign before the
    number it must end like a measure (率, 度, 比例, 数 ...): ``电脑4台`` is no clause.

    Returns:
        The clause, or None.
    """
    piece = piece.strip()
    if len(piece) > MAX_CLAUSE_CHARS:
        return None
    for i in range(1, len(piece)):
        if piece[i] not in _TARGET_START or piece[i - 1] in "0123456789.-":
            continue
        if piece[i - 1].isspace() or not re.search(f"[{_CJK}]", piece[:i]):
            continue
        cleaned, _ = clean_target_text(piece[i:])
        if not cleaned or is_qualitative_phrase(cleaned):
            continue
        reading = _read_numeric(cleaned)
        if reading is None:
            continue
        name = _SPACE_RE.sub("", fullwidth(piece[:i]))
        if reading.relation is None and not name.endswith(MEASURE_ENDINGS):
            return None
        return _Clause(name, normalize_target(piece[i:].strip()), reading.relation)
    return None


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
    if whole.op != "qual":
        return [(None, whole)]
    clauses = _clauses(text)
    if not clauses or (len(clauses) == 1 and clauses[0].relation in COPULAS):
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

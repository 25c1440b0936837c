"""Target values (目标值 / 指标值) in the canonical form of CONTRACT.md "Target text".

The public face of the target normalizer: :func:`normalize_target` reads one target
(:mod:`nlp.normalize.target_rules`), :func:`split_targets` and
:func:`looks_like_target` handle cells of several named targets
(:mod:`nlp.normalize.clauses`). Both modules build on the grammar shared with money
(:mod:`nlp.normalize.grammar`); this one only gathers them, so nothing imports it
back and the package has no import cycle.
"""

from __future__ import annotations

from nlp.normalize.clauses import (
    COPULAS,
    MAX_CLAUSE_CHARS,
    MEASURE_ENDINGS,
    looks_like_target,
    split_targets,
)
from nlp.normalize.target_rules import (
    canonical_unit,
    clean_target_text,
    dup_100_suffix,
    format_number,
    is_qualitative_phrase,
    negative_zero,
    normalize_target,
)

__all__ = [
    "COPULAS",
    "MAX_CLAUSE_CHARS",
    "MEASURE_ENDINGS",
    "canonical_unit",
    "clean_target_text",
    "dup_100_suffix",
    "format_number",
    "is_qualitative_phrase",
    "looks_like_target",
    "negative_zero",
    "normalize_target",
    "split_targets",
]

"""Normalizers: target values, money amounts, levels, Chinese numerals.

Each is a pure function of a string; these are the functions researchers measure
and data engineers sum, so they are exact (Decimal) and never guess.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "find_amounts": "nlp.normalize.amounts",
    "implied_level1": "nlp.normalize.levels",
    "level_kind": "nlp.normalize.levels",
    "looks_like_target": "nlp.normalize.target",
    "normalize_level1": "nlp.normalize.levels",
    "normalize_level2": "nlp.normalize.levels",
    "normalize_target": "nlp.normalize.target",
    "parse_chinese_number": "nlp.normalize.numerals",
    "parse_money": "nlp.normalize.money",
    "split_targets": "nlp.normalize.target",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    """Import a normalizer's module on first use (PEP 562)."""
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'nlp.normalize' has no attribute {name!r}")

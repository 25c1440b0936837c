"""zhibiao (指标): indicators and amounts from Chinese budget documents.

The pipeline a document flows through, one module per stage::

    read/        one reader per input format -> Document (nlp.document)
    blocks/      tables: merged cells, page breaks, header rows, unit lines
    segment.py   Chinese segmentation (jieba inside spaCy)
    classify/    narrative statements: rules and the trained span classifier
    assemble/    table rows and statements -> Indicator / Amount records
                 (assemble/rows.py: where a table row becomes a triple)
    normalize/   targets, money, levels (pure functions)
    check.py     consistency checks
    write.py     JSON Lines / Parquet / CSV, written atomically
    pipeline/    runs the stages per document and turns failures into records

Heavy libraries (pdfminer, onnxruntime, spaCy) are imported by the stages that use
them, so ``import nlp`` stays light.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from nlp.records import Amount, AmountSpan, Indicator, Money, Result, Target

if TYPE_CHECKING:
    from pathlib import Path

    from nlp.normalize import find_amounts, normalize_target, parse_money, split_targets

_LAZY = {
    "find_amounts": "nlp.normalize.amounts",
    "normalize_target": "nlp.normalize.target",
    "parse_money": "nlp.normalize.money",
    "split_targets": "nlp.normalize.target",
}

__version__ = "0.1.0"

__all__ = [
    "Amount",
    "AmountSpan",
    "Indicator",
    "Money",
    "Result",
    "Target",
    "__version__",
    "extract",
    "find_amounts",
    "normalize_target",
    "parse_money",
    "split_targets",
]


def extract(path_or_text: str | Path, **options: Any) -> Result:
    """Extract indicators and amounts from a file path or a document's text.

    Args:
        path_or_text: a path to an input file, or the text of a document.
        **options: fields of ``nlp.pipeline.ExtractOptions`` (ocr, use_model).

    Returns:
        The document's Result, with ``.indicators``, ``.amounts`` and ``.to_dict()``.
    """
    from nlp.pipeline import ExtractOptions
    from nlp.pipeline import extract as run_extract

    return run_extract(path_or_text, ExtractOptions(**options) if options else None)


def __getattr__(name: str) -> Any:
    """Load the normalizers on first use (PEP 562)."""
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'nlp' has no attribute {name!r}")

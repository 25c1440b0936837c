"""Thresholds of the PDF reader, in the units stated per field."""

from __future__ import annotations

from dataclasses import dataclass, field

from nlp.read.layout import (
    DEFAULT_PARAMS as DEFAULT_LAYOUT,
)
from nlp.read.layout import (
    LayoutParams,
)

Rect = tuple[float, float, float, float]


@dataclass(frozen=True, slots=True)
class PdfParams:
    """Thresholds of the PDF reader.

    Attributes:
        min_text_chars: visible characters below which a page has no usable text
            layer.
        max_garbage_share: share of characters without a Unicode mapping above
            which a page's text layer is unusable.
        merge_gap: font sizes of horizontal gap (or overlap) within which two
            successive characters on one baseline join one fragment.
        baseline_tolerance: font sizes by which characters of one fragment may
            differ in vertical position.
        white_level: colour level (0 black .. 1 white) from which text is white.
        clip_tolerance: points a character's centre may lie outside a clipping
            box or the CropBox and still be kept.
        overprint_tolerance: points within which the same character drawn twice
            counts as one.
        layout: page-layout tolerances.
    """

    min_text_chars: int = 10
    max_garbage_share: float = 0.5
    merge_gap: float = 0.15
    baseline_tolerance: float = 0.2
    white_level: float = 0.95
    clip_tolerance: float = 1.0
    overprint_tolerance: float = 1.0
    layout: LayoutParams = field(default=DEFAULT_LAYOUT)


DEFAULT_PARAMS = PdfParams()

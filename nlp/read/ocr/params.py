"""OCR options: :class:`OcrParams`, its defaults and the point unit."""

from __future__ import annotations

from dataclasses import dataclass

POINTS_PER_INCH = 72.0


@dataclass(frozen=True, slots=True)
class OcrParams:
    """Every OCR knob, in the units stated per field.

    Attributes:
        dpi: resolution PDF pages are rendered at, dots per inch.
        use_cls: run the 0°/180° text-line orientation classifier. Off by
            default: on upright scans it flips and garbles correct lines and costs
            time (see the model card).
        use_lexicon: rescore the recogniser's runner-up characters with the
            segmenter's word list (:mod:`nlp.read.ocr.lexicon`): 项口 → 项目.
        second_opinion: let a second recogniser (PP-OCRv5) re-read short value
            lines and doubtful lone marks (:mod:`nlp.read.ocr.second`):
            ``17万`` → ``<=17万``.
        max_side_px: longest image side RapidOCR may work at before it shrinks
            the image; large enough that the render resolution is kept.
        min_score: recogniser score below which a text line is dropped.
        deskew_min_degrees: skew below this is left alone (no second pass).
        deskew_max_degrees: larger estimates are treated as unreliable.
        skew_min_aspect: a box counts toward the skew estimate only when its
            width is at least this many times its height (a text line, not a
            single character whose box angle is noise).
        profile_width_px: the page is reduced to about this width (pixels)
            for the projection-profile skew search.
        profile_window_degrees: the search covers the box estimate plus or
            minus this.
        profile_step_degrees: angle step of the search.
        ruling_min_pt: shortest table line, in points; shorter dark runs are
            strokes of characters or noise.
        ruling_fill: share of a ruling's run that must be dark (scan gaps).
        ruling_max_thickness_pt: a dark band thicker than this is a filled area,
            not a line.
        ruling_merge_gap_pt: rulings on the same line separated by at most this
            are one ruling (a ruling broken by a blanked text box or a scan gap).
        split_inset: line heights a vertical ruling must lie inside a text
            box for the box to be cut there (two cells' texts read as one
            line); nearer the box's edge it is the border the box touches.
        cell_inset_pt: points trimmed from each side of a ruled cell before
            its ink is looked at (the rulings and their scan blur).
        cell_min_ink_px: dark pixels a ruled cell without text must hold to
            be read again beside its neighbour (a mark, not speckle).
        lone_mark_chars: longest text without Chinese characters or digits
            that is taken for a stray read of a mark and read again.
        text_mask_shrink: share of a text box's height trimmed from each side
            before the box is blanked for ruling detection, so a table line
            touching a generous box survives.
        threads: onnxruntime intra-op threads per process. One: each
            ``--workers`` process then uses one core and N workers never
            oversubscribe N cores; more threads on one page cost more CPU time
            per page (the pool's synchronisation) for less wall time.
        spinning: let idle onnxruntime threads spin-wait. Off: spinning burns a
            core while the pipeline does its own work between model calls.
        rec_batch: text lines per recognition call. One: a batch is padded to
            its widest line, and budget pages mix short cells with long lines,
            so larger batches mostly compute padding.
        skew_search_degrees: the projection-profile skew search before OCR
            covers plus or minus this.
        skew_coarse_step_degrees: angle step of the coarse search; the best
            angle is then refined in ``profile_step_degrees`` steps.
        content_margin_px: pixels of margin kept around the page's ink when
            blank borders are cut off before text detection.
        content_min_ink: share of a pixel row or column that must be dark for
            it to count as ink (scan noise and specks do not).
    """

    dpi: int = 200
    use_cls: bool = False
    use_lexicon: bool = True
    second_opinion: bool = True
    max_side_px: int = 4000
    min_score: float = 0.5
    deskew_min_degrees: float = 0.4
    deskew_max_degrees: float = 10.0
    skew_min_aspect: float = 2.0
    profile_width_px: int = 800
    profile_window_degrees: float = 1.5
    profile_step_degrees: float = 0.1
    ruling_min_pt: float = 24.0
    ruling_fill: float = 0.9
    ruling_max_thickness_pt: float = 4.0
    ruling_merge_gap_pt: float = 6.0
    split_inset: float = 0.5
    cell_inset_pt: float = 2.0
    cell_min_ink_px: int = 12
    lone_mark_chars: int = 2
    text_mask_shrink: float = 0.2
    threads: int = 1
    spinning: bool = False
    rec_batch: int = 1
    skew_search_degrees: float = 3.0
    skew_coarse_step_degrees: float = 0.25
    content_margin_px: int = 24
    content_min_ink: float = 0.002

    def __post_init__(self) -> None:
        if self.dpi <= 0:
            raise ValueError(f"dpi must be positive, not {self.dpi}")
        if not 0.0 <= self.min_score <= 1.0:
            raise ValueError(f"min_score must be in [0, 1], not {self.min_score}")
        if self.threads < 1 or self.rec_batch < 1:
            raise ValueError("threads and rec_batch must be at least 1")
        if not 0.0 < self.ruling_fill <= 1.0:
            raise ValueError(f"ruling_fill must be in (0, 1], not {self.ruling_fill}")


DEFAULT_PARAMS = OcrParams()

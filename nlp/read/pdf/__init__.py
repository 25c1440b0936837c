"""Read PDF files: the text layer with pdfminer.six, OCR where a page has none.

Pages are interpreted one at a time (pdfminer's ``PDFPageInterpreter`` with a
collecting device, no ``LAParams`` analysis), so memory stays flat however long
the file. For each page the reader keeps only the text a person sees:

* characters under text render mode 3 or 7 (invisible, as in the text layer of a
  scanned-and-OCRed file) are dropped;
* white characters (fill colour white for filled text, stroke colour for stroked
  text) are dropped unless they sit on a dark filled shape (a header band);
* characters whose centre is outside the page's CropBox, or outside the current
  clipping path (approximated by its bounding box: office exports draw text that
  overflows a cell twice, the copy clipped to the cell), are dropped;
* a character printed again at (nearly) the same place is kept once;
* characters without a Unicode mapping (``(cid:12)``, private-use code points) are
  dropped and counted for the OCR decision below.

Visible characters are joined into fragments (runs of characters on one baseline
without a gap) and, with the page's ruling lines (``LTLine``, ``LTRect`` and
axis-parallel ``LTCurve`` edges), handed to :func:`nlp.read.layout.layout_page`,
which rebuilds paragraphs and tables. :func:`nlp.read.layout.finish_pages` then
drops running headers, footers and page numbers and joins paragraphs cut by a page
break; tables continued over pages are joined later, by table recovery.

A page needs OCR when it has fewer than :attr:`PdfParams.min_text_chars` visible
characters and holds an image or hidden text, or when most of its characters have
no Unicode mapping (``(cid:12)``, private-use code points). With ``ocr="auto"``
such pages are recognised by :func:`nlp.read.ocr.ocr_pdf_page_result` (imported
only then), whose "render", "ocr" and "rulings" timings join the document's;
``"always"`` recognises every page, ``"never"`` leaves such pages empty.

Coordinates are converted once, here, from pdfminer's bottom-left origin to points
from the top-left of the page.

The package holds :mod:`~nlp.read.pdf.params` (thresholds),
:mod:`~nlp.read.pdf.chars` (which characters are visible, and fragments),
:mod:`~nlp.read.pdf.device` (the collecting pdfminer device and interpreter),
:mod:`~nlp.read.pdf.pages` (page streaming, rulings, images),
:mod:`~nlp.read.pdf.ocr_pages` (a page's OCR: recognised in place, or listed first
and given later, for batches that spread one document's pages over workers) and
:mod:`~nlp.read.pdf.reader` (:class:`PdfReader` and the OCR decision). None of them
imports pdfminer or the OCR engine until a file is read.
"""

from nlp.read.pdf.params import DEFAULT_PARAMS, PdfParams
from nlp.read.pdf.reader import PdfReader

__all__ = ["DEFAULT_PARAMS", "PdfParams", "PdfReader"]

"""Read Word ``.docx`` files into a Document.

The body's children are read in order from the XML (python-docx's
``document.paragraphs`` and ``document.tables`` would lose the interleaving):

* Paragraphs whose style is a heading or title, or that carry an outline level,
  become headings; other paragraphs become paragraphs. Paragraph text includes
  hyperlinks, content controls (``w:sdt``), field results and text boxes; deleted
  revisions and field instructions are left out; tabs become spaces.
* Tables are read from their ``w:tc`` elements, because python-docx's
  ``row.cells`` repeats a merged cell once per grid column. ``w:gridSpan`` (and the
  legacy ``w:hMerge``) gives the column span, ``w:vMerge`` restart/continue the row
  span, ``w:gridBefore`` the empty columns a row starts with. Rows marked as
  repeating header rows give header cells. A table inside a cell keeps its text in
  that cell and is also emitted as its own table block after the outer table.

Headers, footers, footnotes and comments are not read. DOCX has no fixed pages, so
every provenance has ``page=None``.
"""

from __future__ import annotations

import logging
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from docx import Document as open_docx
from docx.document import Document as DocxDocument
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph
from lxml import etree

from nlp.document import Document
from nlp.errors import ReadError
from nlp.read.base import CellInput, DocumentBuilder
from nlp.read.limits import check_archive

logger = logging.getLogger(__name__)

_HEADING_STYLE = re.compile(r"^(heading|标题)\s*\d|^(title|标题)$", re.I)
_SPACES = str.maketrans({"\xa0": " ", "\u3000": " ", "\t": " ", "\r": ""})
# Word's outline levels 0-8 are heading levels; 9 means body text.
BODY_OUTLINE_LEVEL = 9

_P, _TBL, _TR, _TC = qn("w:p"), qn("w:tbl"), qn("w:tr"), qn("w:tc")
_SDT, _SDT_CONTENT, _CUSTOM_XML = qn("w:sdt"), qn("w:sdtContent"), qn("w:customXml")
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
# Run content that renders as text, and what it renders as (None: its own text).
_RUN_TEXT = {
    qn("w:t"): None,
    qn("w:tab"): " ",
    qn("w:br"): "\n",
    qn("w:cr"): "\n",
    qn("w:noBreakHyphen"): "-",
    qn("w:softHyphen"): "",
}
# Subtrees whose text is not shown: deleted text, field codes, alternates of
# content that also appears in mc:Choice, paragraph and run properties.
_HIDDEN = frozenset(
    {qn("w:delText"), qn("w:instrText"), qn("w:pPr"), qn("w:rPr"), _MC_FALLBACK}
    | {qn("w:del"), qn("w:moveFrom")}
)


class DocxReader:
    """Reads ``.docx`` files with python-docx."""

    format = "docx"
    extensions = (".docx",)

    def read(self, path: Path, name: str | None = None) -> Document:
        """Read a DOCX file into a Document.

        Args:
            path: the file to read.
            name: display name; defaults to the file name.

        Returns:
            The Document with headings, paragraphs and tables in body order.

        Raises:
            ReadError: the file is missing, not a DOCX package, corrupt or empty.
        """
        path = Path(path)
        docx = _open(path)
        builder = DocumentBuilder(name or path.name, self.format)
        _BodyReader(docx, builder).read(docx.element.body)
        document = builder.build()
        if not document.blocks:
            raise ReadError(f"{path}: no text found")
        return document


def _open(path: Path) -> DocxDocument:
    """Open ``path`` with python-docx, turning every failure into ReadError."""
    if not path.is_file():
        raise ReadError(f"{path}: file not found")
    if not zipfile.is_zipfile(path):
        raise ReadError(f"{path}: not a valid DOCX (zip) file")
    check_archive(path, str(path))
    try:
        return open_docx(str(path))
    except (
        PackageNotFoundError,
        zipfile.BadZipFile,
        KeyError,
        ValueError,
        OSError,
        EOFError,
        zlib.error,
        etree.XMLSyntaxError,
    ) as exc:
        raise ReadError(f"{path}: corrupt DOCX file: {exc}") from exc


def _children(element: etree._Element) -> Iterator[etree._Element]:
    """Children of ``element``, looking through content controls and custom XML."""
    for child in element.iterchildren():
        if child.tag == _SDT:
            content = child.find(_SDT_CONTENT)
            if content is not None:
                yield from _children(content)
        elif child.tag == _CUSTOM_XML:
            yield from _children(child)
        else:
            yield child


def paragraph_text(p: etree._Element) -> str:
    """The shown text of a ``w:p`` element.

    Args:
        p: the paragraph element.

    Returns:
        Its text; text boxes inside it follow on their own lines.
    """
    parts: list[str] = []
    _collect_runs(p, parts)
    return "".join(parts).translate(_SPACES).strip()


def _collect_runs(element: etree._Element, parts: list[str]) -> None:
    for child in element.iterchildren():
        tag = child.tag
        if tag in _HIDDEN:
            continue
        if tag in _RUN_TEXT:
            shown = _RUN_TEXT[tag]
            parts.append(child.text or "" if shown is None else shown)
        elif tag == _P:
            # A paragraph inside a text box starts a new line.
            parts.append("\n")
            _collect_runs(child, parts)
        else:
            _collect_runs(child, parts)


@dataclass
class _CellDraft:
    """A cell being assembled while rows are read; spans grow with merges."""

    texts: list[str]
    row: int
    col: int
    row_span: int
    col_span: int
    header: bool

    def finish(self) -> CellInput:
        text = "\n".join(t for t in self.texts if t)
        return CellInput(
            text, self.row, self.col, self.row_span, self.col_span, self.header
        )


def _property(tc_or_tr: etree._Element, pr: str, name: str) -> etree._Element | None:
    props = tc_or_tr.find(qn(pr))
    return None if props is None else props.find(qn(name))


def _int_val(element: etree._Element | None, default: int) -> int:
    if element is None:
        return default
    match = re.match(r"\d+", element.get(qn("w:val")) or "")
    return max(int(match.group()), 1) if match else default


def _merge_val(tc: etree._Element, name: str) -> str | None:
    """'restart', 'continue' or None for a cell's w:vMerge / w:hMerge."""
    element = _property(tc, "w:tcPr", name)
    if element is None:
        return None
    return element.get(qn("w:val")) or "continue"


class _BodyReader:
    """Appends the blocks of a body (or a cell) to a DocumentBuilder."""

    def __init__(self, docx: DocxDocument, builder: DocumentBuilder) -> None:
        self.docx = docx
        self.builder = builder

    def read(self, body: etree._Element) -> None:
        for child in _children(body):
            if child.tag == _P:
                text = paragraph_text(child)
                kind = "heading" if self._is_heading(child) else "paragraph"
                self.builder.add_text(text, kind)
            elif child.tag == _TBL:
                self.add_table(child)

    def _is_heading(self, p: etree._Element) -> bool:
        """True for heading/title styles or an outline level on the paragraph."""
        level = _property(p, "w:pPr", "w:outlineLvl")
        if level is not None:
            return _int_val(level, BODY_OUTLINE_LEVEL) < BODY_OUTLINE_LEVEL
        style = Paragraph(p, self.docx).style
        while style is not None:
            if _HEADING_STYLE.match(style.name or ""):
                return True
            level = style.element.find(f"{qn('w:pPr')}/{qn('w:outlineLvl')}")
            if level is not None:
                return _int_val(level, BODY_OUTLINE_LEVEL) < BODY_OUTLINE_LEVEL
            style = style.base_style
        return False

    def add_table(self, tbl: etree._Element) -> None:
        """Add ``tbl`` as a table block, then the tables nested in its cells."""
        nested: list[etree._Element] = []
        cells = read_table(tbl, nested)
        self.builder.add_table(cells)
        for inner in nested:
            self.add_table(inner)


def read_table(
    tbl: etree._Element, nested: list[etree._Element] | None = None
) -> list[CellInput]:
    """Cells of a ``w:tbl`` at their top-left grid positions with true spans.

    Args:
        tbl: the table element.
        nested: where to queue tables found directly inside cells.

    Returns:
        One CellInput per visible cell; positions covered by a merge are absent.
    """
    drafts: list[_CellDraft] = []
    # The cell occupying each column in the previous row, for vertical merges.
    above: dict[int, _CellDraft] = {}
    rows = [tr for tr in _children(tbl) if tr.tag == _TR]
    for r, tr in enumerate(rows):
        col = _int_val(_property(tr, "w:trPr", "w:gridBefore"), 0)
        header = _property(tr, "w:trPr", "w:tblHeader") is not None
        current: dict[int, _CellDraft] = {}
        last: _CellDraft | None = None
        for tc in (c for c in _children(tr) if c.tag == _TC):
            span = _int_val(_property(tc, "w:tcPr", "w:gridSpan"), 1)
            text = cell_text(tc, nested)
            vmerge = _merge_val(tc, "w:vMerge")
            hmerge = _merge_val(tc, "w:hMerge")
            if hmerge == "continue" and last is not None:
                last.col_span += span
                last.texts.append(text)
                target = last
            elif vmerge == "continue" and col in above and above[col].col == col:
                target = above[col]
                target.row_span = r - target.row + 1
                # Word hides text in continuation cells; keep any so none is lost.
                target.texts.append(text)
            else:
                target = _CellDraft([text], r, col, 1, span, header)
                drafts.append(target)
            for j in range(col, col + span):
                current[j] = target
            last = target
            col += span
        above = current
    return [d.finish() for d in drafts]


def cell_text(tc: etree._Element, nested: list[etree._Element] | None) -> str:
    """Text of a ``w:tc``: its paragraphs, and nested tables not queued apart.

    Args:
        tc: the cell element.
        nested: where to queue tables found in the cell, or None.

    Returns:
        The cell's lines joined by "\\n".
    """
    lines: list[str] = []
    for child in _children(tc):
        if child.tag == _P:
            lines.append(paragraph_text(child))
        elif child.tag == _TBL:
            # A nested table queued as its own block is not repeated in the outer
            # cell: records would be found twice.
            if nested is not None:
                nested.append(child)
            else:
                lines.extend(_table_lines(child))
    return "\n".join(line for line in lines if line)


def _table_lines(tbl: etree._Element) -> list[str]:
    """A nested table's text as one line per row, cells separated by spaces."""
    rows: dict[int, list[str]] = {}
    for cell in read_table(tbl):
        if cell.text:
            rows.setdefault(cell.row, []).append(cell.text.replace("\n", " "))
    return [" ".join(rows[r]) for r in sorted(rows)]

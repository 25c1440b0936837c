"""Hostile inputs, built inside the tests: small on disk, huge or wrong once read.

Each builder writes one file into a folder and returns its path; the size
arguments default to the sizes that once took the machine (a 14,400-point PDF
page, 500 one-pixel TIFF frames, a DOCX inflating to 1.1 GB, a 20 MB line, a
million-row sheet, 50 MB of HTML, 5,000 nested tables), and the fast tests pass
smaller sizes with lowered limits. :data:`CASES` lists them with the outcome each
must have; ``benchmarks/hostile.py`` runs the same builders.
"""

from __future__ import annotations

import os
import random
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PIL import Image
from reportlab.lib import pdfencrypt
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen.canvas import Canvas

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))

# A good text, in simplified characters (GB18030, UTF-8) and traditional (Big5).
GOOD_LINES = (
    "项目支出绩效目标表",
    "一级指标\t二级指标\t三级指标\t指标值",
    "产出指标\t数量指标\t培训人次\t95人次以上",
    "效益指标\t社会效益指标\t群众满意度\t90%以上",
    "本项目预算资金746.1万元，其中人员支出300万元。",
)
BIG5_TEXT = (
    "項目支出績效目標表\n\n"
    "一級指標\t二級指標\t三級指標\t指標值\n"
    "產出指標\t數量指標\t培訓人次\t95人次以上\n"
    "效益指標\t社會效益指標\t群眾滿意度\t90%以上\n\n"
    "本項目預算資金746.1萬元，其中人員支出300萬元。\n"
)
GOOD_TEXT = "\n\n".join(GOOD_LINES[:1]) + "\n\n" + "\n".join(GOOD_LINES[1:4]) + "\n\n"
GOOD_TEXT += GOOD_LINES[4] + "\n"
# "预算说明" in GBK: a file name that is not valid UTF-8.
NON_UTF8_NAME = "预算说明".encode("gbk") + b".txt"
CHUNK = 1 << 20


def pdf_huge_page(folder: Path, side_points: float = 14_400.0) -> Path:
    """One square page ``side_points`` wide holding one tiny image (a scan)."""
    path = folder / "huge_page.pdf"
    canvas = Canvas(str(path), pagesize=(side_points, side_points))
    image = Image.new("L", (40, 40), 0)
    canvas.drawImage(ImageReader(image), 10, 10, width=40, height=40)
    canvas.showPage()
    canvas.save()
    return path


def tiff_tiny_frames(folder: Path, frames: int = 500) -> Path:
    """A TIFF of ``frames`` one-pixel frames."""
    path = folder / "tiny_frames.tif"
    images = [Image.new("L", (1, 1), 255) for _ in range(frames)]
    images[0].save(path, save_all=True, append_images=images[1:])
    return path


def docx_inflating(folder: Path, inflated_bytes: int = 1_100_000_000) -> Path:
    """A DOCX whose document.xml inflates to ``inflated_bytes`` of paragraphs."""
    path = folder / "inflating.docx"
    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    head = f'<?xml version="1.0"?><w:document {ns}><w:body>'.encode()
    paragraph = "<w:p><w:r><w:t>预算资金100万元</w:t></w:r></w:p>".encode()
    tail = b"</w:body></w:document>"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _DOCX_TYPES)
        archive.writestr("_rels/.rels", _DOCX_RELS)
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            member.write(head)
            block = paragraph * (CHUNK // len(paragraph))
            written = len(head)
            while written < inflated_bytes:
                member.write(block)
                written += len(block)
            member.write(tail)
    return path


def text_long_line(folder: Path, chars: int = 20_000_000) -> Path:
    """A UTF-8 text of one line of ``chars`` characters."""
    path = folder / "long_line.txt"
    unit = "本项目预算资金746.1万元，其中人员支出300万元，"
    with path.open("w", encoding="utf-8") as handle:
        handle.write(unit * (chars // len(unit)) + "\n")
    return path


def xlsx_many_rows(folder: Path, rows: int = 1_000_000) -> Path:
    """A workbook whose one sheet has ``rows`` rows of two cells."""
    path = folder / "many_rows.xlsx"
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _XLSX_TYPES)
        archive.writestr("_rels/.rels", _XLSX_RELS)
        archive.writestr("xl/workbook.xml", _XLSX_WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _XLSX_WORKBOOK_RELS)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(f'<worksheet xmlns="{main}"><sheetData>'.encode())
            batch = []
            for r in range(1, rows + 1):
                batch.append(
                    f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>支出</t></is></c>'
                    f'<c r="B{r}"><v>{r}</v></c></row>'
                )
                if len(batch) == 10_000:
                    sheet.write("".join(batch).encode())
                    batch = []
            sheet.write("".join(batch).encode() + b"</sheetData></worksheet>")
    return path


def html_large(folder: Path, megabytes: int = 50) -> Path:
    """``megabytes`` of HTML: one table of budget rows."""
    path = folder / "large.html"
    row = (
        "<tr><td>一般公共服务支出</td><td>2010101</td><td>行政运行</td>"
        "<td>1,234.56</td><td>789.00</td></tr>\n"
    )
    count = megabytes * CHUNK // len(row.encode())
    with path.open("w", encoding="utf-8") as handle:
        handle.write("<html><body><table>")
        for _ in range(count // 1000):
            handle.write(row * 1000)
        handle.write(row * (count % 1000) + "</table></body></html>")
    return path


def html_random_bytes(folder: Path, size: int = 65_536) -> Path:
    """Random bytes named ``.html``."""
    path = folder / "random.html"
    path.write_bytes(random.Random(12).randbytes(size))
    return path


def html_nested_tables(folder: Path, depth: int = 5_000) -> Path:
    """``depth`` tables nested in each other's cells, text in the innermost."""
    path = folder / "nested.html"
    inner = "<p>本项目预算资金746.1万元。</p>"
    html = "<table><tr><td>" * depth + inner + "</td></tr></table>" * depth
    path.write_text(f"<html><body>{html}</body></html>", encoding="utf-8")
    return path


def pdf_owner_password(folder: Path) -> Path:
    """A PDF readable without a password whose owner password forbids copying."""
    path = folder / "owner_password.pdf"
    encrypt = pdfencrypt.StandardEncryption(
        "", ownerPassword="owner-only", canPrint=1, canModify=0, canCopy=0
    )
    _text_pdf(path, encrypt)
    return path


def pdf_plain(folder: Path) -> Path:
    """The same page as :func:`pdf_owner_password`, not encrypted."""
    path = folder / "plain.pdf"
    _text_pdf(path, None)
    return path


def pdf_many_pages(folder: Path, pages: int = 3_000) -> Path:
    """A PDF of ``pages`` pages of one short line."""
    path = folder / "many_pages.pdf"
    canvas = Canvas(str(path), pagesize=(300, 200))
    for _ in range(pages):
        canvas.setFont(FONT, 10)
        canvas.drawString(20, 100, "预算")
        canvas.showPage()
    canvas.save()
    return path


def _text_pdf(path: Path, encrypt: pdfencrypt.StandardEncryption | None) -> None:
    canvas = Canvas(str(path), pagesize=(595, 400), encrypt=encrypt)
    canvas.setFont(FONT, 12)
    canvas.drawString(60, 300, GOOD_LINES[4])
    canvas.showPage()
    canvas.save()


def text_big5(folder: Path) -> Path:
    """A Big5 text in traditional characters."""
    path = folder / "big5.txt"
    path.write_bytes(BIG5_TEXT.encode("big5"))
    return path


def text_big5_twin(folder: Path) -> Path:
    """The same text as :func:`text_big5`, in UTF-8."""
    path = folder / "big5_twin.txt"
    path.write_text(BIG5_TEXT, encoding="utf-8")
    return path


def text_non_utf8_name(folder: Path) -> Path:
    """A good text under a file name that is not valid UTF-8."""
    raw = os.path.join(os.fsencode(folder), NON_UTF8_NAME)
    with open(raw, "wb") as handle:
        handle.write(GOOD_TEXT.encode("utf-8"))
    return Path(os.fsdecode(raw))


def text_stray_bytes(folder: Path) -> Path:
    """A GB18030 text with two corrupt bytes in the middle."""
    path = folder / "stray_bytes.txt"
    data = GOOD_TEXT.encode("gb18030")
    cut = data.index("本项目".encode("gb18030"))
    path.write_bytes(data[:cut] + b"\xff\xff" + data[cut:])
    return path


@dataclass(frozen=True)
class Case:
    """A hostile input and the outcome it must have.

    Attributes:
        name: short name.
        build: writes the file at its full size into a folder.
        status: the document's status: "error" or "ok".
        limit: for an error, the limit its message must name (or a phrase).
    """

    name: str
    build: Callable[[Path], Path]
    status: str
    limit: str = ""


CASES = (
    Case("pdf_huge_page", pdf_huge_page, "error", "max_page_pixels"),
    Case("tiff_tiny_frames", tiff_tiny_frames, "ok"),
    Case("docx_inflating", docx_inflating, "error", "max_member_bytes"),
    Case("text_long_line", text_long_line, "error", "max_line_chars"),
    Case("xlsx_many_rows", xlsx_many_rows, "error", "max_sheet_rows"),
    Case("html_large", html_large, "error", "max_sheet_rows"),
    Case("html_random_bytes", html_random_bytes, "error", "binary"),
    Case("html_nested_tables", html_nested_tables, "ok"),
    Case("pdf_many_pages", pdf_many_pages, "error", "max_pages"),
    Case("pdf_owner_password", pdf_owner_password, "ok"),
    Case("text_big5", text_big5, "ok"),
    Case("text_non_utf8_name", text_non_utf8_name, "ok"),
    Case("text_stray_bytes", text_stray_bytes, "ok"),
)


_DOCX_TYPES = (
    '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
    'package/2006/content-types"><Default Extension="rels" ContentType="'
    'application/vnd.openxmlformats-package.relationships+xml"/><Default '
    'Extension="xml" ContentType="application/xml"/><Override PartName="'
    '/word/document.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.document.main+xml"/></Types>'
)
_DOCX_RELS = (
    '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
    'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
    "openxmlformats.org/officeDocument/2006/relationships/officeDocument"
    '" Target="word/document.xml"/></Relationships>'
)
_XLSX_TYPES = (
    '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
    'package/2006/content-types"><Default Extension="rels" ContentType="'
    'application/vnd.openxmlformats-package.relationships+xml"/><Default '
    'Extension="xml" ContentType="application/xml"/><Override PartName="'
    '/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="'
    '/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.worksheet+xml"/></Types>'
)
_XLSX_RELS = (
    '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
    'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
    "openxmlformats.org/officeDocument/2006/relationships/officeDocument"
    '" Target="xl/workbook.xml"/></Relationships>'
)
_XLSX_WORKBOOK = (
    '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/'
    'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships"><sheets><sheet name="预算" sheetId="1" '
    'r:id="rId1"/></sheets></workbook>'
)
_XLSX_WORKBOOK_RELS = (
    '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
    'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
    "openxmlformats.org/officeDocument/2006/relationships/worksheet"
    '" Target="worksheets/sheet1.xml"/></Relationships>'
)

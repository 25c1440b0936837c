"""Readers: one per input format, chosen by file extension.

:data:`READERS` is the single table mapping an extension to the reader class that
handles it, written as ``"module:Class"`` so that importing :mod:`nlp` loads no
reader library (pdfminer, onnxruntime) until a file of that format is read.
:func:`read_document` picks the reader, checks that the file's first bytes agree with
its extension, and reads it.
"""

from __future__ import annotations

import importlib
import inspect
import zipfile
from functools import cache
from pathlib import Path
from typing import Literal

from nlp.document import Document
from nlp.errors import ReadError, UnsupportedFormatError
from nlp.read.base import Reader

OcrMode = Literal["auto", "always", "never"]

READERS: dict[str, str] = {
    ".txt": "nlp.read.text:TextReader",
    ".text": "nlp.read.text:TextReader",
    ".md": "nlp.read.text:TextReader",
    ".html": "nlp.read.html:HtmlReader",
    ".htm": "nlp.read.html:HtmlReader",
    ".xhtml": "nlp.read.html:HtmlReader",
    ".docx": "nlp.read.docx:DocxReader",
    ".xlsx": "nlp.read.xlsx:XlsxReader",
    ".xlsm": "nlp.read.xlsx:XlsxReader",
    ".pdf": "nlp.read.pdf:PdfReader",
    ".png": "nlp.read.image:ImageReader",
    ".jpg": "nlp.read.image:ImageReader",
    ".jpeg": "nlp.read.image:ImageReader",
    ".tif": "nlp.read.image:ImageReader",
    ".tiff": "nlp.read.image:ImageReader",
}

# Leading bytes a well-formed file of each kind starts with.
_ZIP_EXTENSIONS = frozenset({".docx", ".xlsx", ".xlsm"})
_IMAGE_EXTENSIONS = frozenset({".png", ".jpg", ".jpeg", ".tif", ".tiff"})
# Any image signature is accepted for any image extension: a JPEG saved as .png is
# common and the image library opens it by content.
_IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")
_PDF_MAGIC = b"%PDF-"
# The PDF specification lets readers accept a header anywhere in the first 1024 bytes.
_PDF_HEADER_WINDOW = 1024


def supported_extensions() -> tuple[str, ...]:
    """Extensions with a reader, lower case with the dot, sorted."""
    return tuple(sorted(READERS))


def is_supported(path: Path) -> bool:
    """True when a reader handles ``path``'s extension (case-insensitive)."""
    return path.suffix.lower() in READERS


def reader_for(path: Path, ocr: OcrMode = "auto") -> Reader:
    """The reader for ``path``'s extension.

    Reader instances are cached per process, so a reader that loads a model (OCR)
    loads it once, not once per document.

    Args:
        path: the input file; only its extension is used.
        ocr: OCR mode, passed to readers whose constructor takes ``ocr``.

    Returns:
        A reader instance.

    Raises:
        UnsupportedFormatError: no reader handles the extension.
    """
    return _reader_instance(_reader_target(path), ocr)


def _reader_target(path: Path) -> str:
    """The ``"module:Class"`` reading ``path``'s extension."""
    suffix = path.suffix.lower()
    if suffix not in READERS:
        shown = f"'{path.suffix}'" if path.suffix else "(no extension)"
        raise UnsupportedFormatError(
            f"{path}: unsupported file type {shown} "
            f"(supported: {' '.join(supported_extensions())})"
        )
    return READERS[suffix]


@cache
def _reader_instance(target: str, ocr: OcrMode) -> Reader:
    """Import and construct the reader named ``"module:Class"`` (cached)."""
    module_name, _, class_name = target.partition(":")
    cls = getattr(importlib.import_module(module_name), class_name)
    if "ocr" in inspect.signature(cls).parameters:
        return cls(ocr=ocr)
    return cls()


def read_document(
    path: Path, name: str | None = None, ocr: OcrMode = "auto"
) -> Document:
    """Read one input file into a Document.

    Args:
        path: the input file.
        name: the document's display name (default: the file name).
        ocr: "auto" (OCR only pages without a text layer), "always" or "never".

    Returns:
        The Document the format's reader built.

    Raises:
        UnsupportedFormatError: no reader handles the extension.
        ReadError: the file is missing, not a regular file, empty, or its content
            does not match its extension; or the reader could not read it.
    """
    path = Path(path)
    target = _reader_target(path)
    sniff(path)  # before importing the reader: cheap checks, clear messages
    return _reader_instance(target, ocr).read(path, name)


def sniff(path: Path) -> None:
    """Reject files that cannot be what their extension says, before parsing.

    Catches the common mistakes cheaply and with a clear message: a missing file,
    a folder, an empty file, a PDF without a ``%PDF-`` header, an Office file that
    is not a zip archive, an image without its format's signature.

    Raises:
        ReadError: naming the file and the problem.
    """
    if not path.exists():
        kind = "broken symbolic link" if path.is_symlink() else "no such file"
        raise ReadError(f"{path}: {kind}")
    if path.is_dir():
        raise ReadError(f"{path}: is a folder, not a file")
    if not path.is_file():
        raise ReadError(f"{path}: not a regular file")
    try:
        with path.open("rb") as handle:
            head = handle.read(_PDF_HEADER_WINDOW)
    except OSError as exc:
        raise ReadError(f"{path}: cannot open: {exc.strerror or exc}") from exc
    if not head:
        raise ReadError(f"{path}: file is empty")
    suffix = path.suffix.lower()
    if suffix == ".pdf" and _PDF_MAGIC not in head:
        raise ReadError(f"{path}: not a PDF file (no %PDF- header)")
    if suffix in _ZIP_EXTENSIONS and not zipfile.is_zipfile(path):
        raise ReadError(
            f"{path}: not a valid {suffix} file (not a zip archive; "
            "truncated, or an old binary .doc/.xls renamed?)"
        )
    if suffix in _IMAGE_EXTENSIONS and not head.startswith(_IMAGE_MAGIC):
        raise ReadError(f"{path}: not a PNG, JPEG or TIFF image (unknown signature)")


__all__ = [
    "READERS",
    "OcrMode",
    "is_supported",
    "read_document",
    "reader_for",
    "sniff",
    "supported_extensions",
]

"""Per-document input limits the readers enforce while they read.

A hostile or broken file can be small on disk and huge once read: a PDF page of
14,400 points rendered for OCR, a DOCX whose XML inflates to gigabytes, a sheet of
a million rows, a text of one 20 MB line. Readers check these limits *before* the
expensive step (rendering, inflating, parsing) and raise :class:`LimitError`
naming the file, the limit and its value, so the batch records one error and goes
on. Wall time and memory are limited by the pipeline, which runs each document in
a worker process (:mod:`nlp.pipeline.workers`).

The limits in force are set per document with :func:`reading_limits` (a context
variable, so the reader interface stays ``read(path, name)``) and read by the
readers with :func:`current_limits`.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import asdict, dataclass
from pathlib import Path

from nlp.errors import LimitError

MIB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class ReadLimits:
    """Largest input a reader accepts; each name is also its command-line option.

    The defaults are far above any budget document seen (a few hundred pages,
    sheets of a few thousand rows, paragraphs of a few thousand characters) and
    low enough that one document stays under 2 GB of memory and a minute of time.

    Attributes:
        max_pages: pages of a PDF, frames of a TIFF.
        max_page_pixels: pixels of one page rendered (or resampled) for OCR.
        max_member_bytes: inflated bytes of one member of a DOCX/XLSX archive.
        max_sheet_rows: rows of one spreadsheet sheet.
        max_line_chars: characters of one line of a text file or one paragraph.
    """

    max_pages: int = 2000
    max_page_pixels: int = 100_000_000
    max_member_bytes: int = 256 * MIB
    max_sheet_rows: int = 200_000
    max_line_chars: int = 30_000

    def __post_init__(self) -> None:
        for name, value in asdict(self).items():
            if value < 1:
                raise ValueError(f"{name} must be at least 1, not {value}")


DEFAULT_LIMITS = ReadLimits()
_CURRENT: ContextVar[ReadLimits] = ContextVar("zhibiao_read_limits")


def current_limits() -> ReadLimits:
    """The limits of the document being read (the defaults outside a run)."""
    return _CURRENT.get(DEFAULT_LIMITS)


@contextmanager
def reading_limits(limits: ReadLimits) -> Iterator[ReadLimits]:
    """Make ``limits`` the ones :func:`current_limits` returns inside the block."""
    token = _CURRENT.set(limits)
    try:
        yield limits
    finally:
        _CURRENT.reset(token)


def over_limit(name: str, what: str, limit: str, value: int) -> LimitError:
    """The error for an input over a limit: file, what was found, limit and value.

    Args:
        name: how the file is named in messages.
        what: what was found, in words ("PDF has 3,000 pages").
        limit: the limit's attribute name (``max_pages``).
        value: the limit's value.
    """
    option = "--" + limit.replace("_", "-")
    return LimitError(
        f"{name}: {what}, over the limit {limit}={value:,} (raise it with {option})",
        limit,
        value,
    )


def check_count(name: str, what: str, count: int, limit: str) -> None:
    """Raise :class:`LimitError` when ``count`` is over the limit ``limit``.

    Args:
        name: how the file is named in messages.
        what: the counted thing, plural ("pages", "rows in sheet 'A'").
        count: how many there are.
        limit: the :class:`ReadLimits` attribute to compare with.
    """
    value = getattr(current_limits(), limit)
    if count > value:
        raise over_limit(name, f"{count:,} {what}", limit, value)


def check_archive(path: Path, name: str) -> None:
    """Refuse a zip archive with a member that inflates past ``max_member_bytes``.

    The declared sizes are what Python's zipfile reads up to, so checking them
    bounds what any reader of the archive can inflate.

    Args:
        path: the archive (DOCX, XLSX).
        name: how the file is named in messages.
    """
    limit = current_limits().max_member_bytes
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        return  # the reader reports the damage in its own words
    for member in members:
        if member.file_size > limit:
            raise over_limit(
                name,
                f"archive member {member.filename} inflates to "
                f"{member.file_size:,} bytes",
                "max_member_bytes",
                limit,
            )


# Run once after a large model loads in this process (the OCR engine): a worker
# counts its address-space cap from its size with every model loaded.
AFTER_MODEL_LOAD: list[Callable[[], None]] = []

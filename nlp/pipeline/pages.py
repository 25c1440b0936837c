"""The jobs a worker process runs, and the page split of scanned documents.

With several workers, one long scanned PDF must not keep all but one of them idle,
so its OCR is split into page jobs (:class:`nlp.pipeline.workers.WorkerPool`
schedules them):

1. :class:`DocumentJob` with ``split=True``: the document is read with OCR
   deferred (:func:`nlp.read.pdf.ocr_pages.deferred_ocr`). When no page needs OCR
   the read was the real one and extraction goes on to a :class:`Result`;
   otherwise the job answers with a :class:`PagePlan` naming those pages.
2. :class:`PageJob`: one page recognised, in any worker, under the document's
   reading limits; a failure becomes the message the document's record will
   carry, naming the file and the page.
3. :class:`AssemblyJob`: the document read again with the pages' OCR given
   (:func:`nlp.read.pdf.ocr_pages.given_ocr`), then every stage, as a single
   read would run them: the records are the same.

A document without a page to recognise costs one read, as before; one with such
pages is parsed twice, which costs little beside OCR (a second of OCR per page
against milliseconds of parsing).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from nlp.pipeline.document import extract_file, failure_message
from nlp.pipeline.options import ExtractOptions, TimeRecorder
from nlp.read.limits import reading_limits
from nlp.read.pdf.ocr_pages import (
    OcrRequest,
    deferred_ocr,
    given_ocr,
    recognise_page,
)
from nlp.records import Result

if TYPE_CHECKING:
    from nlp.read.ocr import PageOcr


@dataclass(frozen=True, slots=True)
class DocumentJob:
    """Extract one document; with ``split``, stop at a plan when pages need OCR."""

    path: Path
    doc: str
    split: bool = False


@dataclass(frozen=True, slots=True)
class PageJob:
    """Recognise one page of a document."""

    path: Path
    doc: str
    request: OcrRequest


@dataclass(frozen=True, slots=True)
class AssemblyJob:
    """Extract a document whose pages' OCR is given, by 1-based page number."""

    path: Path
    doc: str
    pages: Mapping[int, PageOcr | None] = field(default_factory=dict)


Job = DocumentJob | PageJob | AssemblyJob


@dataclass(frozen=True, slots=True)
class PagePlan:
    """The pages of a document to recognise before it is extracted, in order."""

    requests: tuple[OcrRequest, ...]


@dataclass(frozen=True, slots=True)
class PageResult:
    """One page's OCR, or why it failed (a message naming the file and page).

    Attributes:
        number: the 1-based page number.
        ocr: the page's OCR (None: OCR not available, in "auto" mode).
        error: the failure message; None when the page was recognised.
    """

    number: int
    ocr: PageOcr | None = None
    error: str | None = None


class _PagesFirst(BaseException):
    """Stops a deferred read's extraction after reading.

    Not an ``Exception``, so the stages' failure handling lets it through.
    """


def run_job(job: Job, options: ExtractOptions) -> Result | PagePlan | PageResult:
    """Run one job in this process (a worker's whole work)."""
    if isinstance(job, PageJob):
        return recognise(job, options)
    if isinstance(job, AssemblyJob):
        with given_ocr(job.pages):
            return extract_file(job.path, job.doc, options)
    if not job.split:
        return extract_file(job.path, job.doc, options)
    return survey(job, options)


def survey(job: DocumentJob, options: ExtractOptions) -> Result | PagePlan:
    """Extract the document, or list its pages to recognise when it has any."""
    with deferred_ocr() as requests:

        def stop_for_pages() -> None:
            if requests:
                raise _PagesFirst

        try:
            return extract_file(job.path, job.doc, options, after_read=stop_for_pages)
        except _PagesFirst:
            return PagePlan(tuple(requests))


def recognise(job: PageJob, options: ExtractOptions) -> PageResult:
    """Recognise one page under the document's reading limits; never raises."""
    number = job.request.number
    timer = TimeRecorder()
    try:
        with reading_limits(options.limits), timer.stage("read"):
            ocr = recognise_page(job.path, job.doc, job.request, options.ocr)
    except Exception as exc:
        _, message = failure_message(exc, job.doc, str(job.path), timer)
        return PageResult(number, error=message)
    return PageResult(number, ocr)

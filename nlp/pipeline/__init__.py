"""Run the stages over documents: read → recover tables → assemble → check.

The pipeline owns control flow and failure. :func:`extract_file` runs every stage on
one input, times each one, and turns any exception into a ``DocumentRecord`` with
status ``error`` and a message that names the file, so one bad input never stops a
batch. :func:`run_batch` expands the inputs, runs documents in worker processes when
asked, and streams each result to a :class:`~nlp.write.RecordWriter` as it is ready.

Batch output is in input order: at most :attr:`BatchParams.window_per_worker`
documents per worker are in flight, and finished results wait only for the
documents submitted before them, so memory stays flat however many inputs there are,
and runs with one or many workers write the same records in the same order. With
several workers the OCR of a scanned document's pages is spread over all of them,
and the document is then assembled in one process from its pages' results, so a
long scan does not run on one core (:mod:`nlp.pipeline.pages`).

Layout: ``options`` holds the run settings and bookkeeping (``ExtractOptions``,
``BatchParams``, ``BatchSummary``, ``TimeRecorder``); ``document`` runs the stages on
one input (``extract_file``, ``extract_text``, ``extract``); ``inputs`` expands files
and folders (``collect_inputs``); ``batch`` runs many documents, in worker processes
when asked, and writes their records (``run_batch``); ``workers`` runs the worker
processes under the limits, and ``pages`` the jobs they run (a document, one page's
OCR, a document assembled from its pages).
"""

from __future__ import annotations

from nlp.pipeline.batch import run_batch
from nlp.pipeline.document import TEXT_NAME, extract, extract_file, extract_text
from nlp.pipeline.inputs import Shard, collect_inputs
from nlp.pipeline.options import (
    OCR_MODES,
    BatchParams,
    BatchSummary,
    ExtractOptions,
    OcrMode,
    TimeRecorder,
)
from nlp.records import DocumentRecord, Result
from nlp.write import OutputFormat

__all__ = [
    "OCR_MODES",
    "TEXT_NAME",
    "BatchParams",
    "BatchSummary",
    "DocumentRecord",
    "ExtractOptions",
    "OcrMode",
    "OutputFormat",
    "Result",
    "Shard",
    "TimeRecorder",
    "collect_inputs",
    "extract",
    "extract_file",
    "extract_text",
    "run_batch",
]

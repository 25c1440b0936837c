"""One document through every stage: read → recover tables → assemble → check.

:func:`extract_file` runs every stage on one input, times each one, and turns any
exception into a ``DocumentRecord`` with status ``error`` and a message that names
the file, so one bad input never stops a batch. :func:`extract_text` does the same
for text given as a string, and :func:`extract` accepts either.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from pathlib import Path, PurePath
from typing import Literal

from nlp.document import Document
from nlp.errors import UnsupportedFormatError, ZhibiaoError
from nlp.pipeline.options import ExtractOptions, TimeRecorder
from nlp.read import read_document
from nlp.read.limits import reading_limits
from nlp.read.pdf.ocr_pages import PageOcrError
from nlp.records import RULES_ONLY, DocumentRecord, Result

logger = logging.getLogger(__name__)

TEXT_NAME = "<text>"


def _stage_functions() -> tuple[Callable, Callable, Callable]:
    """The table-recovery, assembly and check stages (imported on first use)."""
    from nlp.assemble import assemble
    from nlp.blocks import recover_tables
    from nlp.check import check

    return recover_tables, assemble, check


def _model_used(options: ExtractOptions) -> tuple[tuple[str, str], ...] | str:
    """The narrative model extraction used, for ``documents.jsonl``.

    Called after assembly, which loaded the model (or warned that it is missing).
    """
    if not options.use_model:
        return RULES_ONLY
    from nlp.classify.model import default_model_info

    info = default_model_info()
    return RULES_ONLY if info is None else tuple(info.to_dict().items())


def _run_stages(
    load: Callable[[], Document],
    doc: str,
    label: str,
    options: ExtractOptions,
) -> Result:
    """Run every stage on one input, turning a failure into an error record.

    Args:
        load: reads the input into a Document.
        doc: the ``doc`` value of the records.
        label: how messages name the input (its path, or "<text>").
        options: extraction options.
    """
    start = time.perf_counter()
    timer = TimeRecorder()
    document: Document | None = None
    try:
        with timer.stage("read"):
            document = load()
        for step, seconds in document.timings:
            timer.add(f"read.{step}", seconds)
        recover_tables, assemble, check = _stage_functions()
        with timer.stage("tables"):
            tables = recover_tables(document)
        with timer.stage("assemble"):
            indicators, amounts = assemble(
                document, tables, doc, use_model=options.use_model
            )
        with timer.stage("check"):
            checks = check(indicators, amounts, document)
    except Exception as exc:
        status, message = failure_message(exc, doc, label, timer)
        return _failure(doc, status, message, start, timer, document)
    replaced = _replaced_characters(document)
    if replaced:
        checks = (*checks, ("undecodable-bytes", replaced))
    record = DocumentRecord(
        doc=doc,
        status="ok",
        pages=document.n_pages,
        seconds=time.perf_counter() - start,
        format=document.format,
        timings=tuple(timer.timings),
        checks=checks,
        ocr_pages=sum(1 for page in document.pages if page.ocr),
        indicators=len(indicators),
        amounts=len(amounts),
        model=_model_used(options),
    )
    return Result(document=record, indicators=tuple(indicators), amounts=tuple(amounts))


def failure_message(
    exc: Exception, doc: str, label: str, timer: TimeRecorder
) -> tuple[Literal["error", "skipped"], str]:
    """The status and message of a document whose extraction raised ``exc``.

    Args:
        exc: what was raised.
        doc: the document's ``doc`` name.
        label: how messages name the input (its path, or "<text>").
        timer: the stages run so far (the last one is where it failed).
    """
    names = (doc, PurePath(label).name)
    if isinstance(exc, UnsupportedFormatError):
        return "skipped", _name_file(str(exc), label, names)
    if _out_of_memory(exc):
        logger.error("%s: out of memory", label)
        limit = f"max_memory_mb={_MEMORY_LIMIT_MB[0]}" if _MEMORY_LIMIT_MB else ""
        page = f"page {exc.page}: " if isinstance(exc, PageOcrError) else ""
        return "error", (
            f"{label}: {page}ran out of memory while {_stage_words(timer)} "
            f"(over the limit {limit or 'max_memory_mb'}; raise it with "
            "--max-memory-mb)"
        )
    if isinstance(exc, ZhibiaoError):
        logger.debug("%s failed", label, exc_info=True)
        return "error", _name_file(str(exc), label, names)
    logger.exception("%s: internal error", label)
    return "error", _internal_error(label, timer, exc)


def _out_of_memory(exc: BaseException) -> bool:
    """Whether ``exc`` means the process ran out of memory.

    A page's OCR failure is judged by its cause; an error of our own otherwise
    never is one.
    """
    if isinstance(exc, PageOcrError) and exc.__cause__ is not None:
        exc = exc.__cause__
    if isinstance(exc, MemoryError):
        return True
    return not isinstance(exc, ZhibiaoError) and _near_memory_cap()


# The memory limit of this process, when a worker process set one.
_MEMORY_LIMIT_MB: list[int] = []


def _near_memory_cap() -> bool:
    """Whether this process's address space came within 10 % of its cap.

    A library in C (the HTML parser, the OCR runtime) that cannot allocate under
    the worker's cap raises its own error rather than MemoryError; near the cap,
    that error is the memory limit.
    """
    if not _MEMORY_LIMIT_MB:
        return False
    try:
        import resource

        cap = resource.getrlimit(resource.RLIMIT_AS)[0]
        with open("/proc/self/status", encoding="ascii") as handle:
            peak = next(
                int(line.split()[1]) * 1024
                for line in handle
                if line.startswith("VmPeak:")
            )
    except (ImportError, OSError, StopIteration, ValueError):
        return False
    return cap > 0 and peak >= 0.9 * cap


def set_memory_limit(megabytes: int) -> None:
    """Record this process's memory limit, for the out-of-memory message."""
    _MEMORY_LIMIT_MB[:] = [megabytes]


# What each stage does, for messages that say what failed in words.
STAGE_WORDS = {
    "read": "reading the file",
    "tables": "recovering tables",
    "assemble": "assembling indicators and amounts",
    "check": "checking the records",
}
# Longest exception text quoted in an error message.
MAX_CAUSE_CHARS = 300


def _stage_words(timer: TimeRecorder) -> str:
    """The stage that was running when an exception ended the document."""
    stage = timer.timings[-1][0] if timer.timings else "read"
    return STAGE_WORDS.get(stage, stage)


def _internal_error(label: str, timer: TimeRecorder, exc: Exception) -> str:
    """An error message naming the file, the failing stage and the cause."""
    cause = str(exc)
    if len(cause) > MAX_CAUSE_CHARS:
        cause = cause[:MAX_CAUSE_CHARS] + "…"
    if isinstance(exc, RecursionError):
        cause = "the input nests too deeply to be read"
    return (
        f"{label}: internal error while {_stage_words(timer)}: "
        f"{type(exc).__name__}: {cause}"
    )


def _replaced_characters(document: Document) -> int:
    """Bytes a text or HTML reader could not decode (each became U+FFFD)."""
    if document.format not in ("text", "html"):
        return 0
    return document.text.count("\ufffd")


def _name_file(message: str, label: str, names: Sequence[str] = ()) -> str:
    """Make sure an error message names the input it concerns.

    Readers name a file by its display name (``doc``); a message that names the
    input in any of its forms is kept as it is, otherwise ``label`` is prefixed.
    """
    if any(name and name in message for name in (label, *names)):
        return message
    return f"{label}: {message}"


def _failure(
    doc: str,
    status: Literal["error", "skipped"],
    message: str,
    start: float,
    timer: TimeRecorder,
    document: Document | None = None,
) -> Result:
    record = DocumentRecord(
        doc=doc,
        status=status,
        error=message,
        pages=document.n_pages if document else None,
        seconds=time.perf_counter() - start,
        format=document.format if document else None,
        timings=tuple(timer.timings),
    )
    return Result(document=record)


def extract_file(
    path: Path,
    doc: str,
    options: ExtractOptions | None = None,
    *,
    after_read: Callable[[], None] | None = None,
) -> Result:
    """Extract indicators and amounts from one file; never raises for bad input.

    Args:
        path: the input file.
        doc: the ``doc`` value for its records (path relative to the inputs' root).
        options: extraction options (default: ``ExtractOptions()``).
        after_read: called once the file is read, before the other stages (a
            batch stops there, with an exception that is not an ``Exception``,
            when the document's pages are to be recognised elsewhere first).

    Returns:
        The records and the document's outcome; on failure the outcome has status
        ``error`` (or ``skipped`` for an unsupported file type) and a message that
        starts with the file.
    """
    options = options or ExtractOptions()
    path = Path(path)

    def load() -> Document:
        document = read_document(path, name=doc, ocr=options.ocr)
        if after_read is not None:
            after_read()
        return document

    with reading_limits(options.limits):
        return _run_stages(load, doc, str(path), options)


def extract_text(text: str, options: ExtractOptions | None = None) -> Result:
    """Extract from document text given as a string (``doc`` is "<text>")."""
    from nlp.read.text import TextReader

    options = options or ExtractOptions()
    return _run_stages(
        lambda: TextReader().read_string(text, TEXT_NAME), TEXT_NAME, TEXT_NAME, options
    )


def _existing_file(value: str) -> Path | None:
    """``value`` as a path when it names an existing file, else None."""
    if not value or "\n" in value:
        return None
    try:
        path = Path(value)
        return path if path.is_file() else None
    except (OSError, ValueError):  # too long for a path, or contains NUL
        return None


def extract(path_or_text: str | Path, options: ExtractOptions | None = None) -> Result:
    """Extract indicators and amounts from a file or from document text.

    Args:
        path_or_text: a :class:`~pathlib.Path`, a string naming an existing file,
            or any other string, which is read as the document's text.
        options: extraction options.

    Returns:
        The Result; check ``result.document.status`` ("ok", "error", "skipped").

    Example:
        >>> from nlp import extract
        >>> result = extract("绩效目标：按时办结率100%。")
        >>> [i.metric for i in result.indicators]  # doctest: +SKIP
    """
    if isinstance(path_or_text, Path):
        return extract_file(path_or_text, path_or_text.name, options)
    path = _existing_file(path_or_text)
    if path is not None:
        return extract_file(path, path.name, options)
    return extract_text(path_or_text, options)

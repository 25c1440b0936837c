"""Run the stages over documents: read → recover tables → assemble → check.

The pipeline owns control flow and failure. :func:`extract_file` runs every stage on
one input, times each one, and turns any exception into a ``DocumentRecord`` with
status ``error`` and a message that names the file, so one bad input never stops a
batch. :func:`run_batch` expands the inputs, runs documents in worker processes when
asked, and streams each result to a :class:`~nlp.write.RecordWriter` as it is ready.

Batch output is in input order: at most :attr:`BatchParams.window_per_worker`
documents per worker are in flight, and finished results wait only for the
documents submitted before them, so memory stays flat however many inputs there are,
and runs with one or many workers write the same records in the same order.
"""

from __future__ import annotations

import inspect
import logging
import multiprocessing
import os
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import Literal

from nlp.document import Document
from nlp.errors import UnsupportedFormatError, ZhibiaoError
from nlp.read import is_supported, read_document, supported_extensions
from nlp.records import DocumentRecord, Result
from nlp.write import OutputFormat, RecordWriter

logger = logging.getLogger(__name__)

OcrMode = Literal["auto", "always", "never"]
OCR_MODES: tuple[OcrMode, ...] = ("auto", "always", "never")
TEXT_NAME = "<text>"

# Office writes "~$name.docx" lock files beside open documents; they are not documents.
_LOCK_PREFIX = "~$"


@dataclass(frozen=True, slots=True)
class ExtractOptions:
    """How documents are extracted.

    Attributes:
        ocr: "auto" (OCR only pages or regions without a text layer), "always"
            or "never".
        use_model: use trained models where a stage has one; False keeps to rules.
    """

    ocr: OcrMode = "auto"
    use_model: bool = True

    def __post_init__(self) -> None:
        if self.ocr not in OCR_MODES:
            raise ValueError(f"ocr must be one of {OCR_MODES}, not {self.ocr!r}")


@dataclass(frozen=True, slots=True)
class BatchParams:
    """Tuning of batch runs.

    Attributes:
        window_per_worker: documents in flight per worker process; results beyond
            the oldest unfinished one wait in memory, so this bounds memory.
        start_method: multiprocessing start method for worker processes; "spawn"
            gives each worker a clean interpreter (no forked OCR runtime threads).
    """

    window_per_worker: int = 4
    start_method: str = "spawn"


@dataclass(slots=True)
class BatchSummary:
    """Counts for a finished batch.

    Attributes:
        ok: documents extracted.
        error: documents that failed.
        skipped: inputs not processed (unsupported file type).
        indicators: indicator records written.
        amounts: amount records written.
        seconds: wall time of the batch.
    """

    ok: int = 0
    error: int = 0
    skipped: int = 0
    indicators: int = 0
    amounts: int = 0
    seconds: float = 0.0

    @property
    def documents(self) -> int:
        """Inputs seen, whatever their outcome."""
        return self.ok + self.error + self.skipped

    def add(self, result: Result) -> None:
        """Count one document's result."""
        status = result.document.status
        if status == "ok":
            self.ok += 1
        elif status == "error":
            self.error += 1
        else:
            self.skipped += 1
        self.indicators += len(result.indicators)
        self.amounts += len(result.amounts)


@dataclass(slots=True)
class TimeRecorder:
    """Collects wall-clock seconds per named stage."""

    timings: list[tuple[str, float]] = field(default_factory=list)

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        """Time the ``with`` block as stage ``name`` (recorded even if it raises)."""
        start = time.perf_counter()
        try:
            yield
        finally:
            self.timings.append((name, time.perf_counter() - start))

    def add(self, name: str, seconds: float) -> None:
        """Record a timing measured elsewhere."""
        self.timings.append((name, seconds))


# ---------------------------------------------------------------- one document


def _stage_functions() -> tuple[Callable, Callable, Callable]:
    """The table-recovery, assembly and check stages (imported on first use)."""
    from nlp.assemble import assemble
    from nlp.blocks import recover_tables
    from nlp.check import check

    return recover_tables, assemble, check


def _accepts(fn: Callable, parameter: str) -> bool:
    """True when ``fn`` takes a keyword argument called ``parameter``."""
    try:
        return parameter in inspect.signature(fn).parameters
    except (TypeError, ValueError):
        return False


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
    names = (doc, PurePath(label).name)
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
            if _accepts(assemble, "use_model"):
                indicators, amounts = assemble(
                    document, tables, doc, use_model=options.use_model
                )
            else:
                indicators, amounts = assemble(document, tables, doc)
        with timer.stage("check"):
            checks = check(indicators, amounts)
    except UnsupportedFormatError as exc:
        message = _name_file(str(exc), label, names)
        return _failure(doc, "skipped", message, start, timer)
    except ZhibiaoError as exc:
        logger.debug("%s failed", label, exc_info=True)
        message = _name_file(str(exc), label, names)
        return _failure(doc, "error", message, start, timer, document)
    except Exception as exc:
        logger.exception("%s: internal error", label)
        message = f"{label}: internal error: {type(exc).__name__}: {exc}"
        return _failure(doc, "error", message, start, timer, document)
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
    )
    return Result(document=record, indicators=tuple(indicators), amounts=tuple(amounts))


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


def extract_file(path: Path, doc: str, options: ExtractOptions | None = None) -> Result:
    """Extract indicators and amounts from one file; never raises for bad input.

    Args:
        path: the input file.
        doc: the ``doc`` value for its records (path relative to the inputs' root).
        options: extraction options (default: ``ExtractOptions()``).

    Returns:
        The records and the document's outcome; on failure the outcome has status
        ``error`` (or ``skipped`` for an unsupported file type) and a message that
        starts with the file.
    """
    options = options or ExtractOptions()
    path = Path(path)
    return _run_stages(
        lambda: read_document(path, name=doc, ocr=options.ocr),
        doc,
        str(path),
        options,
    )


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


# ---------------------------------------------------------------- inputs


def _hidden(relative: Path) -> bool:
    """True for hidden files or files inside hidden folders, and Office lock files."""
    hidden = any(part.startswith(".") for part in relative.parts)
    return hidden or relative.name.startswith(_LOCK_PREFIX)


def _folder_files(folder: Path) -> list[Path]:
    """Supported files under ``folder``, recursively, sorted, hidden ones skipped.

    Broken symbolic links are kept (their read fails with a clear message); FIFOs,
    sockets and devices are not files to read and are left out.
    """
    found = []
    for path in folder.rglob("*"):
        if _hidden(path.relative_to(folder)) or not is_supported(path):
            continue
        if path.is_file() or (path.is_symlink() and not path.exists()):
            found.append(path)
    return sorted(found)


def _common_root(inputs: Sequence[Path]) -> Path:
    """The folder that ``doc`` names are relative to."""
    roots = [p if p.is_dir() else p.parent for p in inputs]
    return Path(os.path.commonpath([str(r) for r in roots]))


def collect_inputs(inputs: list[Path]) -> list[tuple[Path, str]]:
    """Expand files and folders into ``(path, doc)`` pairs.

    Folders are searched recursively for supported extensions (sorted; hidden
    files and folders skipped). Files named directly are kept whatever their
    extension, so an unsupported one gets a ``skipped`` record. ``doc`` is the path
    relative to the common root of the inputs, with "/" separators; a single file
    gives its file name. A file reached twice is listed once.

    Args:
        inputs: files and folders.

    Returns:
        ``(path, doc)`` pairs in input order, folder contents sorted.

    Raises:
        FileNotFoundError: an input does not exist.
    """
    absolute = [Path(os.path.abspath(p)) for p in inputs]
    for given, path in zip(inputs, absolute, strict=True):
        if not path.exists() and not path.is_symlink():
            raise FileNotFoundError(f"{given}: no such file or folder")
    if not absolute:
        return []
    root = _common_root(absolute)
    pairs: list[tuple[Path, str]] = []
    seen: set[Path] = set()
    for path in absolute:
        files = _folder_files(path) if path.is_dir() else [path]
        for file in files:
            if file in seen:
                continue
            seen.add(file)
            pairs.append((file, file.relative_to(root).as_posix()))
    return pairs


# ---------------------------------------------------------------- batches


def _warm_up() -> None:
    """Import the stages when a worker starts, so models load once per process."""
    _stage_functions()


def _extract_item(item: tuple[Path, str], options: ExtractOptions) -> Result:
    """Worker entry point: one ``(path, doc)`` pair."""
    path, doc = item
    return extract_file(path, doc, options)


def _serial_results(
    items: Sequence[tuple[Path, str]], options: ExtractOptions
) -> Iterator[Result]:
    for item in items:
        yield _extract_item(item, options)


def _parallel_results(
    items: Sequence[tuple[Path, str]],
    options: ExtractOptions,
    workers: int,
    params: BatchParams,
) -> Iterator[Result]:
    """Results in input order from a process pool, with bounded look-ahead."""
    context = multiprocessing.get_context(params.start_method)
    window = max(1, workers * params.window_per_worker)
    pending: deque[tuple[tuple[Path, str], Future[Result]]] = deque()
    todo = iter(items)
    with ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=_warm_up
    ) as pool:
        try:
            for item in todo:
                pending.append((item, pool.submit(_extract_item, item, options)))
                if len(pending) >= window:
                    yield _collect(*pending.popleft())
            while pending:
                yield _collect(*pending.popleft())
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            raise


def _collect(item: tuple[Path, str], future: Future[Result]) -> Result:
    """A worker's result; a crashed worker becomes an error record, not a crash."""
    path, doc = item
    try:
        return future.result()
    except Exception as exc:  # BrokenProcessPool, pickling errors
        logger.exception("%s: worker failed", path)
        message = f"{path}: internal error: {type(exc).__name__}: {exc}"
        return Result(DocumentRecord(doc=doc, status="error", error=message))


def run_batch(
    inputs: list[Path],
    out_dir: Path,
    fmt: OutputFormat = "jsonl",
    workers: int = 1,
    options: ExtractOptions | None = None,
    progress: bool = False,
    params: BatchParams | None = None,
) -> BatchSummary:
    """Extract every input and write the records to ``out_dir``.

    Args:
        inputs: files and folders (see :func:`collect_inputs`).
        out_dir: output folder.
        fmt: "jsonl", "parquet" or "csv".
        workers: worker processes; 1 runs in this process.
        options: extraction options.
        progress: show a progress bar on standard error.
        params: batch tuning.

    Returns:
        Counts of documents by status and of records written.

    Raises:
        FileNotFoundError: an input does not exist.
    """
    options = options or ExtractOptions()
    params = params or BatchParams()
    start = time.perf_counter()
    items = collect_inputs(inputs)
    if not items:
        logger.warning(
            "no input files found (supported: %s)", " ".join(supported_extensions())
        )
    summary = BatchSummary()
    if workers > 1 and len(items) > 1:
        results = _parallel_results(items, options, min(workers, len(items)), params)
    else:
        results = _serial_results(items, options)
    with (
        closing(results),
        RecordWriter(out_dir, fmt) as writer,
        _progress(len(items), progress) as tick,
    ):
        for result in results:
            writer.write(result)
            summary.add(result)
            tick(result.document.doc)
    summary.seconds = time.perf_counter() - start
    return summary


@contextmanager
def _progress(total: int, enabled: bool) -> Iterator[Callable[[str], None]]:
    """A callback advancing a Rich progress bar on stderr, or doing nothing."""
    if not enabled:
        yield lambda doc: None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    columns = (
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        TextColumn("{task.fields[doc]}", style="dim"),
    )
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("extracting", total=total, doc="")
        yield lambda doc: bar.update(task, advance=1, doc=doc)

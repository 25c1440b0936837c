"""Batch runs: documents in worker processes, results streamed to the writers.

:func:`run_batch` expands the inputs, runs each document in a worker process
under the time and memory limits (:mod:`nlp.pipeline.workers`), and streams each
result to a :class:`~nlp.write.RecordWriter` as it is ready.

Batch output is in input order: at most :attr:`BatchParams.window_per_worker`
documents per worker are in flight, and finished results wait only for the
documents submitted before them, so memory stays flat however many inputs there are,
and runs with one or many workers write the same records in the same order.

The output folder: a run refuses a folder that is not empty unless told to
overwrite it (an earlier run's files are removed, its manifest first) or to
resume (documents an earlier run finished, with the same content hash, are copied
instead of extracted again; :mod:`nlp.pipeline.resume`). SIGTERM stops a run like
Ctrl-C: workers are stopped and the partial files and journal stay, so the run
can be resumed.

Progress is a Rich bar on a terminal (``progress="bar"``) or one plain line per
document (``progress="lines"``) for logs of batch jobs; either way each finished
document is also logged at INFO on the ``nlp.progress`` logger, so a log file
shows the run's progress.
"""

from __future__ import annotations

import logging
import os
import signal
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any, Literal

from nlp.pipeline.document import extract_file
from nlp.pipeline.inputs import Shard, collect_inputs
from nlp.pipeline.options import BatchParams, BatchSummary, ExtractOptions
from nlp.pipeline.resume import finished_documents
from nlp.pipeline.workers import WorkerLimits, WorkerPool
from nlp.read import supported_extensions
from nlp.records import DocumentRecord, Result
from nlp.write import (
    MANIFEST_NAME,
    PREVIOUS_MANIFEST_NAME,
    OutputFormat,
    RecordWriter,
    RowLines,
    clear_output,
    file_sha256,
)

logger = logging.getLogger(__name__)
progress_logger = logging.getLogger("nlp.progress")

ProgressMode = Literal["off", "bar", "lines"]
PROGRESS_MODES: tuple[ProgressMode, ...] = ("off", "bar", "lines")

OutputMode = Literal["new", "overwrite", "resume"]


class OutputExistsError(FileExistsError):
    """The output folder holds files and neither overwrite nor resume was asked."""


class RunInterrupted(KeyboardInterrupt):
    """SIGTERM (or SIGINT) stopped the run; its partial output can be resumed."""


def _serial_results(
    items: Sequence[tuple[Path, str]], options: ExtractOptions
) -> Iterator[Result]:
    for path, doc in items:
        yield extract_file(path, doc, options)


def _content_hash(path: Path) -> str:
    """The input's sha256, or "" when it cannot be read (its record says why)."""
    try:
        return file_sha256(path)
    except OSError:
        return ""


def prepare_output(out_dir: Path, mode: OutputMode) -> None:
    """Check the output folder against the mode; clear it for "overwrite".

    Raises:
        OutputExistsError: the folder holds files and ``mode`` is "new".
    """
    if not out_dir.is_dir() or not any(out_dir.iterdir()):
        return
    if mode == "new":
        raise OutputExistsError(
            f"{out_dir}: output folder is not empty; use --overwrite to replace "
            "its contents or --resume to finish an earlier run"
        )
    if mode == "overwrite":
        clear_output(out_dir)


def _set_aside_manifest(out_dir: Path) -> None:
    """Keep a finished run's manifest under another name while resuming.

    The folder stops looking finished; the earlier tables stay usable (checked
    against that manifest) until the new ones replace them.
    """
    manifest = out_dir / MANIFEST_NAME
    if manifest.is_file():
        os.replace(manifest, out_dir / PREVIOUS_MANIFEST_NAME)


@contextmanager
def _stop_on_sigterm() -> Iterator[None]:
    """Turn SIGTERM into :class:`RunInterrupted` in the main thread for the run."""

    def stop(signum: int, frame: Any) -> None:
        raise RunInterrupted(f"stopped by {signal.Signals(signum).name}")

    try:
        previous = signal.signal(signal.SIGTERM, stop)
    except ValueError:  # not the main thread: leave signals alone
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def run_batch(
    inputs: list[Path],
    out_dir: Path,
    fmt: OutputFormat = "jsonl",
    workers: int = 1,
    options: ExtractOptions | None = None,
    progress: bool | ProgressMode = False,
    params: BatchParams | None = None,
    shard: Shard | None = None,
    mode: OutputMode = "new",
    limits: WorkerLimits | None = None,
) -> BatchSummary:
    """Extract every input and write the records to ``out_dir``.

    Args:
        inputs: files and folders (see :func:`collect_inputs`).
        out_dir: output folder.
        fmt: "jsonl", "parquet" or "csv".
        workers: worker processes.
        options: extraction options (with the reading limits).
        progress: "bar" (or True) a progress bar on standard error, "lines" one
            line per document there, "off" (or False) nothing.
        params: batch tuning; ``params.isolate=False`` runs documents in this
            process, without time or memory limits.
        shard: run only this shard's documents (see :class:`Shard`).
        mode: "new" (the folder must be empty or missing), "overwrite" or
            "resume".
        limits: time and memory per document.

    Returns:
        Counts of documents by status and of records written.

    Raises:
        FileNotFoundError: an input does not exist.
        OutputExistsError: ``out_dir`` is not empty and ``mode`` is "new".
        RunInterrupted: SIGTERM stopped the run (partial output kept).
    """
    options = options or ExtractOptions()
    params = params or BatchParams()
    limits = limits or WorkerLimits()
    progress_mode = _progress_mode(progress)
    start = time.perf_counter()
    out_dir = Path(out_dir)
    items = collect_inputs(inputs, shard)
    if not items:
        logger.warning(
            "no input files found (supported: %s)", " ".join(supported_extensions())
        )
    prepare_output(out_dir, mode)
    hashes = {doc: _content_hash(path) for path, doc in items}
    carried = finished_documents(out_dir, hashes) if mode == "resume" else {}
    _set_aside_manifest(out_dir)
    todo = [item for item in items if item[1] not in carried]
    summary = BatchSummary(resumed=len(items) - len(todo))
    run = {"options": options.to_dict(), "limits": limits.to_dict()}
    with (
        _stop_on_sigterm(),
        closing(_results(todo, options, workers, params, limits)) as results,
        RecordWriter(out_dir, fmt, run) as writer,
        _progress(len(items), progress_mode) as tick,
    ):
        for _, doc in items:
            if doc in carried:
                lines = carried.pop(doc)
                _write_carried(writer, doc, hashes[doc], lines, summary)
                tick(_carried_record(doc, lines))
            else:
                result = next(results)
                writer.write(result, hashes[doc])
                summary.add(result)
                tick(result.document)
    summary.seconds = time.perf_counter() - start
    return summary


def _results(
    todo: Sequence[tuple[Path, str]],
    options: ExtractOptions,
    workers: int,
    params: BatchParams,
    limits: WorkerLimits,
) -> Iterator[Result]:
    """The results of ``todo`` in order, from workers or from this process."""
    if not params.isolate or not todo:
        yield from _serial_results(todo, options)
        return
    pool = WorkerPool(
        workers,
        options,
        limits,
        params.start_method,
        params.window_per_worker,
    )
    yield from pool.results(todo)


def _write_carried(
    writer: RecordWriter,
    doc: str,
    sha256: str,
    lines: RowLines,
    summary: BatchSummary,
) -> None:
    """Copy a document an earlier run finished."""
    writer.write_lines(doc, sha256, "ok", lines)
    summary.ok += 1
    summary.indicators += len(lines["indicators"])
    summary.amounts += len(lines["amounts"])


def _carried_record(doc: str, lines: RowLines) -> DocumentRecord:
    """The progress entry of a document copied from an earlier run."""
    return DocumentRecord(
        doc=doc,
        status="ok",
        indicators=len(lines["indicators"]),
        amounts=len(lines["amounts"]),
    )


def _progress_mode(progress: bool | ProgressMode) -> ProgressMode:
    """The progress mode of a ``run_batch`` argument (True is "bar")."""
    if isinstance(progress, bool):
        return "bar" if progress else "off"
    if progress not in PROGRESS_MODES:
        raise ValueError(f"progress must be one of {PROGRESS_MODES}, not {progress!r}")
    return progress


def progress_line(done: int, total: int, record: DocumentRecord) -> str:
    """One document's progress line: ``[3/10] a.txt: ok, 4 indicators, 0.2 s``.

    A failed document's line ends with its error message.
    """
    seconds = f"{record.seconds:.1f} s" if record.seconds is not None else "- s"
    head = f"[{done}/{total}] {record.doc}: {record.status}"
    if record.status == "ok":
        counts = f"{record.indicators} indicators, {record.amounts} amounts"
        return f"{head}, {counts}, {seconds}"
    if record.status == "error":
        return f"{head}, {seconds}: {record.error}"
    return f"{head}, {seconds}"


@contextmanager
def _progress(
    total: int, mode: ProgressMode
) -> Iterator[Callable[[DocumentRecord], None]]:
    """A callback called once per finished document: logs it and shows progress."""
    done = 0

    def log(record: DocumentRecord) -> str:
        nonlocal done
        done += 1
        line = progress_line(done, total, record)
        progress_logger.info("%s", line)
        return line

    if mode == "bar":
        with _progress_bar(total) as advance:

            def log_and_advance(record: DocumentRecord) -> None:
                log(record)
                advance(record.doc)

            yield log_and_advance
        return
    if mode == "lines":

        def log_and_print(record: DocumentRecord) -> None:
            print(log(record), file=sys.stderr, flush=True)

        yield log_and_print
        return
    yield log


@contextmanager
def _progress_bar(total: int) -> Iterator[Callable[[str], None]]:
    """A callback advancing a Rich progress bar on stderr."""
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

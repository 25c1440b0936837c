"""Batch runs: documents in worker processes, results streamed to the writers.

:func:`run_batch` expands the inputs, runs documents in worker processes when
asked, and streams each result to a :class:`~nlp.write.RecordWriter` as it is ready.

Batch output is in input order: at most :attr:`BatchParams.window_per_worker`
documents per worker are in flight, and finished results wait only for the
documents submitted before them, so memory stays flat however many inputs there are,
and runs with one or many workers write the same records in the same order.

Progress is a Rich bar on a terminal (``progress="bar"``) or one plain line per
document (``progress="lines"``) for logs of batch jobs; either way each finished
document is also logged at INFO on the ``nlp.progress`` logger, so a log file
shows the run's progress.
"""

from __future__ import annotations

import logging
import multiprocessing
import sys
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Literal

from nlp.pipeline.document import _stage_functions, extract_file
from nlp.pipeline.inputs import Shard, collect_inputs
from nlp.pipeline.options import BatchParams, BatchSummary, ExtractOptions
from nlp.read import supported_extensions
from nlp.records import DocumentRecord, Result
from nlp.write import OutputFormat, RecordWriter

logger = logging.getLogger(__name__)
progress_logger = logging.getLogger("nlp.progress")

ProgressMode = Literal["off", "bar", "lines"]
PROGRESS_MODES: tuple[ProgressMode, ...] = ("off", "bar", "lines")


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
    progress: bool | ProgressMode = False,
    params: BatchParams | None = None,
    shard: Shard | None = None,
) -> BatchSummary:
    """Extract every input and write the records to ``out_dir``.

    Args:
        inputs: files and folders (see :func:`collect_inputs`).
        out_dir: output folder.
        fmt: "jsonl", "parquet" or "csv".
        workers: worker processes; 1 runs in this process.
        options: extraction options.
        progress: "bar" (or True) a progress bar on standard error, "lines" one
            line per document there, "off" (or False) nothing.
        params: batch tuning.
        shard: run only this shard's documents (see :class:`Shard`).

    Returns:
        Counts of documents by status and of records written.

    Raises:
        FileNotFoundError: an input does not exist.
    """
    options = options or ExtractOptions()
    params = params or BatchParams()
    mode = _progress_mode(progress)
    start = time.perf_counter()
    items = collect_inputs(inputs, shard)
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
        _progress(len(items), mode) as tick,
    ):
        for result in results:
            writer.write(result)
            summary.add(result)
            tick(result.document)
    summary.seconds = time.perf_counter() - start
    return summary


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

"""Worker processes that run one job at a time under time and memory limits.

Each document is extracted in a worker process; with several workers, the pages
of a document that need OCR are recognised as jobs of their own on all of them and
the document is then assembled by one (:mod:`nlp.pipeline.pages`). Page jobs
carry their document's limits: the time limit counts the seconds of all the
document's jobs, as if one worker had done them, and a page that fails, runs out
of time or memory, or loses its worker fails its document (naming the page), not
the run. Each worker holds one OCR engine and uses one core
(:func:`_one_thread_each`).

The main process watches every worker: a document that runs past
:attr:`WorkerLimits.max_seconds`, or a worker whose resident memory passes
:attr:`WorkerLimits.max_memory_mb`, is stopped by killing the worker; a worker
that dies (the kernel's out-of-memory killer, a crash in native code) costs its
one document, which gets an error record naming the limit, and a fresh worker
takes its place. Workers also carry an
address-space limit (their size after loading the models, the OCR engine included
when it loads, plus twice the memory limit: native runtimes reserve far more
address space than they touch), so one huge allocation fails at once instead of
taking the machine.

Workers die with the main process (``PR_SET_PDEATHSIG`` on Linux, and a watch on
the parent elsewhere), so killing the main process never leaves orphans.
"""

from __future__ import annotations

import contextlib
import heapq
import itertools
import logging
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field, replace
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any

from nlp.pipeline.document import _stage_functions, set_memory_limit
from nlp.pipeline.options import ExtractOptions
from nlp.pipeline.pages import (
    AssemblyJob,
    DocumentJob,
    Job,
    PageJob,
    PagePlan,
    PageResult,
    run_job,
)
from nlp.read.limits import AFTER_MODEL_LOAD
from nlp.records import DocumentRecord, Result

logger = logging.getLogger(__name__)

MIB = 1024 * 1024
READY = "ready"
# How often the main process looks at clocks and memory while workers run.
POLL_SECONDS = 0.2
# How long a worker asked to stop may take before it is killed.
STOP_GRACE_SECONDS = 2.0
_PR_SET_PDEATHSIG = 1
# Workers that may die before they are ready before the run gives up.
MAX_FAILED_STARTS = 3

Task = tuple[Path, str]
# A document's assembly job sorts after its page jobs.
ASSEMBLY_ORDER = sys.maxsize
# Native thread pools held to one thread in each worker (see _one_thread_each).
THREAD_VARIABLES = (
    "OMP_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "MKL_NUM_THREADS",
    "OPENCV_FOR_THREADS_NUM",
)


@dataclass(frozen=True, slots=True)
class WorkerLimits:
    """Time and memory one document may take; each name is also its option.

    Attributes:
        max_seconds: wall time of one document, reading to records.
        max_memory_mb: resident memory of the worker process (models included).
    """

    max_seconds: float = 3600.0
    max_memory_mb: int = 2048

    def __post_init__(self) -> None:
        if self.max_seconds <= 0 or self.max_memory_mb <= 0:
            raise ValueError(f"worker limits must be positive: {self}")

    def to_dict(self) -> dict[str, Any]:
        """The limits as plain values, for the manifest."""
        return asdict(self)


def _die_with_parent(parent: int) -> None:
    """Make this process end when the process that started it ends."""
    if sys.platform.startswith("linux"):
        import ctypes

        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(1)

    if os.getppid() != parent:
        os._exit(1)
    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


# Address space allowed above the loaded size, in units of the memory limit:
# onnxruntime's arenas and per-thread malloc arenas reserve address space well
# beyond what is resident, which the resident-memory watch bounds instead.
ADDRESS_SPACE_FACTOR = 2


def _recap_after_ocr_loads(extra_bytes: int) -> None:
    """Count the cap again from the worker's size once the OCR engine is loaded."""
    AFTER_MODEL_LOAD.append(lambda: _limit_address_space(extra_bytes))


def _limit_address_space(extra_bytes: int) -> None:
    """Cap the address space at its current size plus ``extra_bytes``."""
    try:
        import resource

        with open("/proc/self/statm") as handle:
            size = int(handle.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        resource.setrlimit(resource.RLIMIT_AS, (size + extra_bytes, -1))
    except (ImportError, OSError, ValueError):
        logger.debug("no address-space limit on this system")


def _one_thread_each() -> None:
    """Keep native thread pools to one thread, unless the user set them.

    Each worker is meant to use one core (onnxruntime's sessions are built with
    one thread, :class:`nlp.read.ocr.OcrParams`); OpenCV, which RapidOCR uses to
    resize and trace boxes, and BLAS would otherwise start a thread per core in
    every worker. Set before they are imported.
    """
    for name in THREAD_VARIABLES:
        os.environ.setdefault(name, "1")
    if "cv2" in sys.modules:  # OpenCV read the variable already
        from nlp.read.ocr.engine import limit_opencv_threads

        limit_opencv_threads(int(os.environ["OPENCV_FOR_THREADS_NUM"]))


def _worker_main(
    conn: Connection, options: ExtractOptions, limits: WorkerLimits, parent: int
) -> None:
    """A worker: load the stages once, then run the jobs it is sent."""
    _die_with_parent(parent)
    # The main process decides what an interrupt means for the run.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _one_thread_each()
    _stage_functions()
    headroom = ADDRESS_SPACE_FACTOR * limits.max_memory_mb * MIB
    _limit_address_space(headroom)
    _recap_after_ocr_loads(headroom)
    set_memory_limit(limits.max_memory_mb)
    conn.send(READY)
    while True:
        try:
            job = conn.recv()
        except EOFError:
            return
        if job is None:
            return
        conn.send(run_job(job, options))


def resident_bytes(pid: int) -> int:
    """Resident memory of a process (0 where /proc cannot tell)."""
    try:
        with open(f"/proc/{pid}/statm") as handle:
            return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


@dataclass(eq=False, slots=True)
class _InFlight:
    """A document the pool has started and not finished.

    Attributes:
        index: its position among the tasks.
        path: the input file.
        doc: its ``doc`` name.
        started: when its first job was given (monotonic seconds).
        spent: seconds its finished jobs took; with the running ones' seconds
            this is what the time limit counts, as if one worker did it all.
        split: its pages were recognised as page jobs.
        pending: pages given out or queued and not yet back.
        pages: each page's OCR, by 1-based number.
        failures: each failed page's message, by number.
        finished: its result is in; jobs still running for it are ignored.
    """

    index: int
    path: Path
    doc: str
    started: float
    spent: float = 0.0
    split: bool = False
    pending: set[int] = field(default_factory=set)
    pages: dict[int, Any] = field(default_factory=dict)
    failures: dict[int, str] = field(default_factory=dict)
    finished: bool = False


@dataclass(frozen=True, slots=True)
class _Given:
    """A job a worker is running, for the document it belongs to."""

    document: _InFlight
    job: Job
    page: int | None = None


class _Worker:
    """One worker process, its pipe, and the job it is running."""

    def __init__(
        self, context: Any, options: ExtractOptions, limits: WorkerLimits
    ) -> None:
        self.conn, child = context.Pipe()
        self.process = context.Process(
            target=_worker_main,
            args=(child, options, limits, os.getpid()),
            name="zhibiao-worker",
            daemon=True,
        )
        self.process.start()
        child.close()
        self.ready = False
        self.task: _Given | None = None
        self.started = 0.0
        self.peak_bytes = 0

    def give(self, given: _Given) -> bool:
        """Send a job; False when the worker has died since it was last seen idle.

        Its sentinel then reports the death, and the job goes to another worker.
        """
        try:
            self.conn.send(given.job)
        except OSError:  # a broken pipe or a reset connection
            return False
        self.task = given
        self.started = time.monotonic()
        return True

    def stop(self) -> None:
        """Ask the worker to finish; kill it when it does not."""
        with contextlib.suppress(OSError, ValueError):
            self.conn.send(None)
        self.process.join(STOP_GRACE_SECONDS)
        self.kill()

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join()
        self.conn.close()


class WorkerPool:
    """Runs documents in worker processes and returns their results in task order.

    With more than one worker, the pages of a document that need OCR are
    recognised as separate jobs on every worker (:mod:`nlp.pipeline.pages`), the
    oldest document's jobs first; its records are those of a single read.

    Args:
        workers: worker processes.
        options: extraction options.
        limits: time and memory per document (its page jobs included).
        start_method: multiprocessing start method.
        window_per_worker: documents in flight per worker (bounds memory: results
            after the oldest unfinished document wait in memory).
    """

    def __init__(
        self,
        workers: int,
        options: ExtractOptions,
        limits: WorkerLimits,
        start_method: str = "spawn",
        window_per_worker: int = 4,
    ) -> None:
        self.size = max(1, workers)
        self.options = options
        self.limits = limits
        self.context = multiprocessing.get_context(start_method)
        self.window = self.size * max(1, window_per_worker)
        self.split_pages = self.size > 1 and options.ocr != "never"
        self.peak_bytes = 0
        self._workers: list[_Worker] = []
        self._failed_starts = 0
        self._queue: list[tuple[int, int, int, _Given]] = []
        self._queued = itertools.count()
        self._done: dict[int, Result] = {}

    def results(self, tasks: Sequence[Task]) -> Iterator[Result]:
        """Each task's Result, in the order of ``tasks``.

        A document whose worker is killed or dies, or one of whose pages fails,
        gets an error record; the others go on. Workers are stopped when the
        iteration ends, however it ends.
        """
        self._done = {}
        self._queue = []
        todo: deque[int] = deque(range(len(tasks)))
        emitted = 0
        try:
            self._workers = [self._spawn() for _ in range(min(self.size, len(tasks)))]
            while emitted < len(tasks):
                while emitted in self._done:
                    yield self._done.pop(emitted)
                    emitted += 1
                if emitted >= len(tasks):
                    break
                self._assign(tasks, todo, emitted)
                self._step()
        finally:
            self.close()

    def close(self) -> None:
        """Stop every worker."""
        workers, self._workers = self._workers, []
        for worker in workers:
            worker.stop()

    def _spawn(self) -> _Worker:
        return _Worker(self.context, self.options, self.limits)

    def _assign(self, tasks: Sequence[Task], todo: deque[int], emitted: int) -> None:
        """Give idle workers jobs: queued page and assembly jobs, then documents."""
        for worker in self._workers:
            if not (worker.ready and worker.task is None):
                continue
            given = self._next_queued()
            if given is None and todo and todo[0] < emitted + self.window:
                index = todo.popleft()
                path, doc = tasks[index]
                document = _InFlight(index, path, doc, time.monotonic())
                given = _Given(document, DocumentJob(path, doc, self.split_pages))
            if given is None:
                return
            if not worker.give(given):
                self._push(given)
        # Page jobs wait and every worker is busy: start the rest of the pool.
        if self._queue and len(self._workers) < self.size:
            self._workers.append(self._spawn())

    def _next_queued(self) -> _Given | None:
        """The oldest document's next job, skipping those of finished documents."""
        while self._queue:
            *_, given = heapq.heappop(self._queue)
            if not given.document.finished and not _cancelled(given):
                return given
        return None

    def _push(self, given: _Given) -> None:
        """Queue a job: documents in task order, pages in page order, assembly last."""
        order = given.page if given.page is not None else ASSEMBLY_ORDER
        entry = (given.document.index, order, next(self._queued), given)
        heapq.heappush(self._queue, entry)

    def _step(self) -> None:
        """Wait for a message, a death or the next poll; handle what happened."""
        waiting = {w.conn: w for w in self._workers}
        sentinels = {w.process.sentinel: w for w in self._workers}
        ready = wait([*waiting, *sentinels], timeout=POLL_SECONDS)
        for handle in ready:
            worker = waiting.get(handle)  # type: ignore[call-overload]
            if worker is not None:
                self._receive(worker)
        for handle in ready:
            worker = sentinels.get(handle)  # type: ignore[call-overload]
            if worker is not None and worker in self._workers:
                if worker.conn.poll():
                    self._receive(worker)
                self._lost(worker, self._death(worker))
        self._watch()

    def _receive(self, worker: _Worker) -> None:
        try:
            message = worker.conn.recv()
        except (EOFError, OSError):
            return  # the sentinel reports the death
        if message == READY:
            worker.ready = True
            return
        given, worker.task = worker.task, None
        if given is None:
            return
        document = given.document
        document.spent += time.monotonic() - worker.started
        if document.finished:
            return  # a page of a document that already failed
        if isinstance(message, PagePlan):
            self._plan(document, message)
        elif isinstance(message, PageResult):
            self._page_back(document, message)
        else:
            self._finish(document, message)

    def _plan(self, document: _InFlight, plan: PagePlan) -> None:
        """Queue a job for every page the document needs recognised."""
        document.split = True
        for request in plan.requests:
            document.pending.add(request.number)
            job = PageJob(document.path, document.doc, request)
            self._push(_Given(document, job, request.number))

    def _page_back(self, document: _InFlight, result: PageResult) -> None:
        """Record a page's outcome; assemble or fail the document when it is time.

        A document fails with its lowest failed page, as a single read would,
        once no lower page is still out; higher pages are not started.
        """
        document.pending.discard(result.number)
        if result.error is not None:
            document.failures[result.number] = result.error
        else:
            document.pages[result.number] = result.ocr
        if document.failures:
            first = min(document.failures)
            if not any(page < first for page in document.pending):
                self._fail(document, document.failures[first])
        elif not document.pending:
            job = AssemblyJob(document.path, document.doc, document.pages)
            self._push(_Given(document, job))

    def _finish(self, document: _InFlight, result: Result) -> None:
        """The document's result; a split document's time is its whole wall time."""
        document.finished = True
        if document.split:
            seconds = time.monotonic() - document.started
            record = replace(result.document, seconds=seconds)
            result = Result(record, result.indicators, result.amounts)
        self._done[document.index] = result

    def _fail(self, document: _InFlight, message: str) -> None:
        """End the document with an error record (the message names the file)."""
        logger.error("%s", message)
        record = DocumentRecord(
            doc=document.doc,
            status="error",
            error=message,
            seconds=time.monotonic() - document.started,
        )
        self._finish(document, Result(document=record))

    def _watch(self) -> None:
        """Stop documents over the time limit and workers over the memory limit."""
        now = time.monotonic()
        memory_limit = self.limits.max_memory_mb * MIB
        running: dict[int, list[_Worker]] = {}
        for worker in list(self._workers):
            if worker.task is None:
                continue
            used = resident_bytes(worker.process.pid or 0)
            worker.peak_bytes = max(worker.peak_bytes, used)
            self.peak_bytes = max(self.peak_bytes, used)
            if used > memory_limit:
                self._lost(
                    worker,
                    f"used {used // MIB:,} MB of memory, over the limit "
                    f"max_memory_mb={self.limits.max_memory_mb} (raise it with "
                    "--max-memory-mb); stopped",
                )
            else:
                running.setdefault(worker.task.document.index, []).append(worker)
        for workers in running.values():
            document = workers[0].task.document  # type: ignore[union-attr]
            used_seconds = document.spent + sum(now - w.started for w in workers)
            if used_seconds > self.limits.max_seconds:
                self._over_time(document, workers)

    def _over_time(self, document: _InFlight, workers: list[_Worker]) -> None:
        """Stop every job of a document over the time limit; it gets an error."""
        pages = sorted(w.task.page for w in workers if w.task and w.task.page)
        counted = ", its pages together" if document.split else ""
        why = (
            f"took longer than the limit max_seconds={self.limits.max_seconds:g}"
            f"{counted} (raise it with --max-seconds); stopped"
        )
        for worker in workers:
            worker.task = None
            self._replace(worker, why)
        if not document.finished:  # else a page left running after another failed
            self._fail(document, f"{document.path}: {_pages_words(pages)}{why}")

    def _death(self, worker: _Worker) -> str:
        """Why a worker died, in words."""
        code = worker.process.exitcode
        if code is not None and code < 0:
            name = signal.Signals(-code).name
            cause = f"killed by {name}"
            if -code == signal.SIGKILL:
                cause += (
                    " (out of memory? the limit is "
                    f"max_memory_mb={self.limits.max_memory_mb})"
                )
        else:
            cause = f"exited with code {code}"
        doing = "while reading it" if worker.task is not None else "between documents"
        return f"worker process {cause} {doing}; the run goes on"

    def _replace(self, worker: _Worker, why: str) -> None:
        """Kill a worker and start another in its place."""
        worker.kill()
        if not worker.ready:
            self._failed_starts += 1
            if self._failed_starts > MAX_FAILED_STARTS:
                raise RuntimeError(f"worker processes fail to start: {why}")
        position = self._workers.index(worker)
        self._workers[position] = self._spawn()

    def _lost(self, worker: _Worker, why: str) -> None:
        """Replace a worker; the document of its job, if any, gets an error record."""
        given, worker.task = worker.task, None
        self._replace(worker, why)
        if given is None:
            logger.warning("%s", why)
            return
        document = given.document
        document.spent += time.monotonic() - worker.started
        if not document.finished:
            pages = [given.page] if given.page is not None else []
            self._fail(document, f"{document.path}: {_pages_words(pages)}{why}")


def _cancelled(given: _Given) -> bool:
    """A page above a failed one: the document will fail before it matters."""
    failures = given.document.failures
    if given.page is None or not failures:
        return False
    if given.page > min(failures):
        given.document.pending.discard(given.page)
        return True
    return False


def _pages_words(pages: Sequence[int]) -> str:
    """ "page 3: ", "pages 3, 4: " or nothing, to follow a file name."""
    if not pages:
        return ""
    label = "page" if len(pages) == 1 else "pages"
    return f"{label} {', '.join(map(str, pages))}: "

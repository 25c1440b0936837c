"""Worker processes that run one document at a time under time and memory limits.

Each document is extracted in a worker process. The main process watches every
worker: a document that runs past :attr:`WorkerLimits.max_seconds`, or a worker
whose resident memory passes :attr:`WorkerLimits.max_memory_mb`, is stopped by
killing the worker; a worker that dies (the kernel's out-of-memory killer, a
crash in native code) costs its one document, which gets an error record naming
the limit, and a fresh worker takes its place. Workers also carry an
address-space limit (their size after loading the models plus the memory limit),
so one huge allocation fails at once instead of taking the machine.

Workers die with the main process (``PR_SET_PDEATHSIG`` on Linux, and a watch on
the parent elsewhere), so killing the main process never leaves orphans.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any

from nlp.pipeline.document import _stage_functions, extract_file, set_memory_limit
from nlp.pipeline.options import ExtractOptions
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


def _limit_address_space(extra_bytes: int) -> None:
    """Cap the address space at its current size plus ``extra_bytes``."""
    try:
        import resource

        with open("/proc/self/statm") as handle:
            size = int(handle.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        resource.setrlimit(resource.RLIMIT_AS, (size + extra_bytes, -1))
    except (ImportError, OSError, ValueError):
        logger.debug("no address-space limit on this system")


def _worker_main(
    conn: Connection, options: ExtractOptions, limits: WorkerLimits, parent: int
) -> None:
    """A worker: load the stages once, then extract the documents it is sent."""
    _die_with_parent(parent)
    # The main process decides what an interrupt means for the run.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _stage_functions()
    _limit_address_space(limits.max_memory_mb * MIB)
    set_memory_limit(limits.max_memory_mb)
    conn.send(READY)
    while True:
        try:
            task = conn.recv()
        except EOFError:
            return
        if task is None:
            return
        path, doc = task
        conn.send(extract_file(path, doc, options))


def resident_bytes(pid: int) -> int:
    """Resident memory of a process (0 where /proc cannot tell)."""
    try:
        with open(f"/proc/{pid}/statm") as handle:
            return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


class _Worker:
    """One worker process, its pipe, and the document it is working on."""

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
        self.task: tuple[int, Task] | None = None
        self.started = 0.0
        self.peak_bytes = 0

    def give(self, index: int, task: Task) -> None:
        self.task = (index, task)
        self.started = time.monotonic()
        self.conn.send(task)

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
    """Runs tasks in worker processes and returns their results in task order.

    Args:
        workers: worker processes.
        options: extraction options.
        limits: time and memory per document.
        start_method: multiprocessing start method.
        window_per_worker: tasks in flight per worker (bounds memory: results
            after the oldest unfinished task wait in memory).
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
        self.peak_bytes = 0
        self._workers: list[_Worker] = []
        self._failed_starts = 0

    def results(self, tasks: Sequence[Task]) -> Iterator[Result]:
        """Each task's Result, in the order of ``tasks``.

        A task whose worker is killed or dies gets an error record; the others
        go on. Workers are stopped when the iteration ends, however it ends.
        """
        done: dict[int, Result] = {}
        todo: deque[int] = deque(range(len(tasks)))
        emitted = 0
        try:
            self._workers = [self._spawn() for _ in range(min(self.size, len(tasks)))]
            while emitted < len(tasks):
                while emitted in done:
                    yield done.pop(emitted)
                    emitted += 1
                if emitted >= len(tasks):
                    break
                self._assign(tasks, todo, emitted)
                self._step(tasks, done)
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
        for worker in self._workers:
            if not todo or todo[0] >= emitted + self.window:
                return
            if worker.ready and worker.task is None:
                index = todo.popleft()
                worker.give(index, tasks[index])

    def _step(self, tasks: Sequence[Task], done: dict[int, Result]) -> None:
        """Wait for a message, a death or the next poll; handle what happened."""
        waiting = {w.conn: w for w in self._workers}
        sentinels = {w.process.sentinel: w for w in self._workers}
        ready = wait([*waiting, *sentinels], timeout=POLL_SECONDS)
        for handle in ready:
            worker = waiting.get(handle)  # type: ignore[call-overload]
            if worker is not None:
                self._receive(worker, done)
        for handle in ready:
            worker = sentinels.get(handle)  # type: ignore[call-overload]
            if worker is not None and worker in self._workers:
                if worker.conn.poll():
                    self._receive(worker, done)
                self._lost(worker, done, self._death(worker))
        self._watch(done)

    def _receive(self, worker: _Worker, done: dict[int, Result]) -> None:
        try:
            message = worker.conn.recv()
        except (EOFError, OSError):
            return  # the sentinel reports the death
        if message == READY:
            worker.ready = True
            return
        if worker.task is not None:
            done[worker.task[0]] = message
            worker.task = None

    def _watch(self, done: dict[int, Result]) -> None:
        """Stop documents over the time limit and workers over the memory limit."""
        now = time.monotonic()
        memory_limit = self.limits.max_memory_mb * MIB
        for worker in list(self._workers):
            if worker.task is None:
                continue
            used = resident_bytes(worker.process.pid or 0)
            worker.peak_bytes = max(worker.peak_bytes, used)
            self.peak_bytes = max(self.peak_bytes, used)
            if now - worker.started > self.limits.max_seconds:
                self._lost(
                    worker,
                    done,
                    "took longer than the limit "
                    f"max_seconds={self.limits.max_seconds:g} (raise it with "
                    "--max-seconds); stopped",
                )
            elif used > memory_limit:
                self._lost(
                    worker,
                    done,
                    f"used {used // MIB:,} MB of memory, over the limit "
                    f"max_memory_mb={self.limits.max_memory_mb} (raise it with "
                    "--max-memory-mb); stopped",
                )

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
        return f"worker process {cause} while reading it; the run goes on"

    def _lost(self, worker: _Worker, done: dict[int, Result], why: str) -> None:
        """Replace a worker; its document, if any, gets an error record."""
        worker.kill()
        if not worker.ready:
            self._failed_starts += 1
            if self._failed_starts > MAX_FAILED_STARTS:
                raise RuntimeError(f"worker processes fail to start: {why}")
        position = self._workers.index(worker)
        self._workers[position] = self._spawn()
        if worker.task is None:
            logger.warning("a worker process ended between documents: %s", why)
            return
        index, (path, doc) = worker.task
        logger.error("%s: %s", path, why)
        record = DocumentRecord(
            doc=doc,
            status="error",
            error=f"{path}: {why}",
            seconds=time.monotonic() - worker.started,
        )
        done[index] = Result(document=record)

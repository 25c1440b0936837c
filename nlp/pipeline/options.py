"""Settings and bookkeeping of a run: extraction options, batch tuning, counts, timings.

:class:`ExtractOptions` says how documents are extracted, :class:`BatchParams` how a
batch is run, :class:`BatchSummary` counts a finished batch and
:class:`TimeRecorder` collects the seconds spent in each stage of one document.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from nlp.read.limits import DEFAULT_LIMITS, ReadLimits
from nlp.records import Result

OcrMode = Literal["auto", "always", "never"]
OCR_MODES: tuple[OcrMode, ...] = ("auto", "always", "never")


@dataclass(frozen=True, slots=True)
class ExtractOptions:
    """How documents are extracted.

    Attributes:
        ocr: "auto" (OCR only pages or regions without a text layer), "always"
            or "never".
        use_model: use trained models where a stage has one; False keeps to rules.
        limits: the largest input the readers accept (pages, pixels, bytes ...).
    """

    ocr: OcrMode = "auto"
    use_model: bool = True
    limits: ReadLimits = DEFAULT_LIMITS

    def __post_init__(self) -> None:
        if self.ocr not in OCR_MODES:
            raise ValueError(f"ocr must be one of {OCR_MODES}, not {self.ocr!r}")

    def to_dict(self) -> dict[str, Any]:
        """The options as plain values, for the manifest."""
        return {
            "ocr": self.ocr,
            "use_model": self.use_model,
            "limits": asdict(self.limits),
        }


@dataclass(frozen=True, slots=True)
class BatchParams:
    """Tuning of batch runs.

    Attributes:
        window_per_worker: documents in flight per worker process; results beyond
            the oldest unfinished one wait in memory, so this bounds memory.
        start_method: multiprocessing start method for worker processes; "spawn"
            gives each worker a clean interpreter (no forked OCR runtime threads).
        isolate: run each document in a worker process under the time and
            memory limits; False runs them in this process, without those
            limits (for debugging and tests that patch the stages).
    """

    window_per_worker: int = 4
    start_method: str = "spawn"
    isolate: bool = True


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
        resumed: documents copied from an earlier run, not extracted again
            (counted in ``ok`` as well).
    """

    ok: int = 0
    error: int = 0
    skipped: int = 0
    indicators: int = 0
    amounts: int = 0
    seconds: float = 0.0
    resumed: int = 0

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

"""The worker pool survives workers that die while idle."""

from __future__ import annotations

import multiprocessing
import os
import signal
from pathlib import Path

from hostile_cases import GOOD_TEXT

from nlp.pipeline import ExtractOptions
from nlp.pipeline.workers import WorkerLimits, WorkerPool


def test_a_worker_killed_between_documents_costs_no_document(tmp_path: Path) -> None:
    tasks = []
    for i in range(3):
        path = tmp_path / f"d{i}.txt"
        path.write_text(GOOD_TEXT, encoding="utf-8")
        tasks.append((path, path.name))
    pool = WorkerPool(1, ExtractOptions(use_model=False), WorkerLimits())
    results = pool.results(tasks)
    first = next(results)  # the only worker is now idle
    (worker,) = [
        p for p in multiprocessing.active_children() if p.name == "zhibiao-worker"
    ]
    os.kill(worker.pid or 0, signal.SIGKILL)
    worker.join()
    rest = list(results)
    assert [r.document.doc for r in [first, *rest]] == ["d0.txt", "d1.txt", "d2.txt"]
    assert [r.document.status for r in [first, *rest]] == ["ok"] * 3
    assert len(rest[0].indicators) == len(first.indicators) > 0

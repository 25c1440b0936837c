"""OCR pages of one document spread over the workers of a batch.

A scanned PDF made here (pages drawn with the test CJK font, saved as an
image-only PDF) is extracted with one worker and with two: the records are the
same (with the real OCR engine in the slow test). Page failures are injected by
replacing the OCR function in workers started with ``fork`` (they inherit the
replacement): a failed or too slow page fails its document, with a message naming
the file and the page, and the batch goes on.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from cjk_font import CJK_FONT
from helpers import run_records
from hostile_cases import GOOD_TEXT
from PIL import Image, ImageDraw, ImageFont

from nlp.pipeline import BatchParams, ExtractOptions, run_batch
from nlp.pipeline.workers import THREAD_VARIABLES, WorkerLimits
from nlp.read import ocr
from nlp.read.layout import TextFragment
from nlp.read.limits import ReadLimits
from nlp.read.ocr import PageOcr
from nlp.write import read_records

DPI = 150
PAGE_PT = (420.0, 150.0)
FORK = BatchParams(start_method="fork")


def _px(points: float) -> int:
    return round(points * DPI / 72)


def _page(lines: list[str], size: tuple[float, float] = PAGE_PT) -> Image.Image:
    image = Image.new("L", (_px(size[0]), _px(size[1])), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(CJK_FONT, _px(11))
    for k, line in enumerate(lines):
        draw.text((_px(30), _px(30 + 22 * k)), line, font=font, fill=0)
    return image


def scanned_pdf(path: Path, pages: int, big_page: int = 0) -> Path:
    """An image-only PDF; page ``big_page`` (1-based) is four times as large."""
    images = []
    for n in range(1, pages + 1):
        amounts = f"2024年安排培训经费{n}6.5万元，购置设备{n}2万元。"
        lines = [f"第{n}部分 项目支出", amounts]
        size = (PAGE_PT[0] * 2, PAGE_PT[1] * 2) if n == big_page else PAGE_PT
        images.append(_page(lines, size))
    images[0].save(
        path, "PDF", save_all=True, append_images=images[1:], resolution=float(DPI)
    )
    return path


def _inputs(folder: Path, pages: int = 3, big_page: int = 0) -> Path:
    folder.mkdir(parents=True)
    scanned_pdf(folder / "scan.pdf", pages, big_page)
    (folder / "good.txt").write_text(GOOD_TEXT, encoding="utf-8")
    return folder


def _documents(out: Path) -> dict[str, dict[str, Any]]:
    return {r["doc"]: r for r in read_records(out / "documents.jsonl")}


@pytest.mark.slow
def test_two_workers_give_the_records_of_one(tmp_path: Path) -> None:
    inputs = _inputs(tmp_path / "in", pages=3)
    options = ExtractOptions(use_model=False)
    run_batch([inputs], tmp_path / "one", workers=1, options=options)
    run_batch([inputs], tmp_path / "two", workers=2, options=options)
    one, two = run_records(tmp_path / "one"), run_records(tmp_path / "two")
    assert one == two
    scan = _documents(tmp_path / "two")["scan.pdf"]
    assert scan["status"] == "ok" and scan["ocr_pages"] == 3
    assert {"read.ocr", "read.render"} <= set(scan["timings"])
    found = {(a["doc"], a["source"]["page"]) for a in one["amounts"]}
    assert {("scan.pdf", n) for n in (1, 2, 3)} <= found


def _fake_ocr(
    monkeypatch: pytest.MonkeyPatch,
    on_page: Callable[[int], None] = lambda number: None,
    render: bool = False,
) -> None:
    """Replace the OCR of a PDF page by one line of text, after ``on_page``."""

    def fake(path: Path, page_index: int, width: float, height: float) -> PageOcr:
        on_page(page_index + 1)
        if render:
            ocr.render_pdf_page(path, page_index, 72)
        text = f"第{page_index + 1}页安排经费{page_index + 1}2.5万元。"
        fragment = TextFragment(text, 30, 30, 300, 42, page_index + 1, "ocr", 0.9)
        return PageOcr((fragment,), (), 0.0, (("ocr", 0.01),))

    monkeypatch.setattr(ocr, "ocr_pdf_page_result", fake)


def test_pages_are_recognised_on_every_worker(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen = tmp_path / "pids"
    seen.mkdir()

    def note_process(number: int) -> None:
        (seen / f"{number}-{os.getpid()}").touch()
        time.sleep(0.4)

    _fake_ocr(monkeypatch, note_process)
    inputs = _inputs(tmp_path / "in", pages=8)
    run_batch([inputs / "scan.pdf"], tmp_path / "out", workers=2, params=FORK)
    records = list(read_records(tmp_path / "out" / "amounts.jsonl"))
    assert [r["source"]["page"] for r in records] == list(range(1, 9))
    pages = sorted(int(name.split("-")[0]) for name in os.listdir(seen))
    assert pages == list(range(1, 9)), "each page recognised once"
    assert len({name.split("-")[1] for name in os.listdir(seen)}) == 2


def test_assembled_pages_give_the_records_of_one_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fake_ocr(monkeypatch)
    inputs = _inputs(tmp_path / "in", pages=5)
    run_batch([inputs], tmp_path / "one", workers=1, params=FORK)
    run_batch([inputs], tmp_path / "two", workers=2, params=FORK)
    one, two = run_records(tmp_path / "one"), run_records(tmp_path / "two")
    assert one == two
    assert len([a for a in one["amounts"] if a["doc"] == "scan.pdf"]) == 5


def test_page_jobs_run_the_engine_on_one_thread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """N workers on N cores: onnxruntime and OpenCV use one thread in each page job.

    A forked job never resizes OpenCV's pool (that can hang after a fork); it
    still runs on one thread, from the worker's thread variables.
    """

    def note_threads(number: int) -> None:
        import cv2

        engine = ocr.get_engine()
        sessions = (engine.text_det.infer.session, engine.text_rec.session.session)
        options = [s.get_session_options() for s in sessions]
        counts = [(o.intra_op_num_threads, o.inter_op_num_threads) for o in options]
        (tmp_path / f"threads-{number}").write_text(f"{counts} {cv2.getNumThreads()}")

    _fake_ocr(monkeypatch, note_threads)
    inputs = _inputs(tmp_path / "in", pages=2)
    run_batch([inputs / "scan.pdf"], tmp_path / "out", workers=2, params=FORK)
    notes = {p.read_text() for p in tmp_path.glob("threads-*")}
    assert len(notes) == 1
    sessions, opencv = notes.pop().rsplit(" ", 1)
    assert sessions == "[(1, 1), (1, 1)]"
    assert opencv == "1"


def test_a_spawned_worker_gives_opencv_one_thread() -> None:
    """A worker as the pipeline starts it (a fresh interpreter) sets OpenCV to one
    thread before the engine loads, whatever the machine's core count."""
    code = (
        "from nlp.pipeline.workers import _one_thread_each\n"
        "_one_thread_each()\n"
        "from nlp.read.ocr.engine import get_engine\n"
        "get_engine()\n"
        "import cv2\n"
        "print(cv2.getNumThreads())\n"
    )
    env = {k: v for k, v in os.environ.items() if k not in THREAD_VARIABLES}
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split()[-1] == "1"


@pytest.mark.parametrize("workers", [1, 2])
def test_a_failed_page_fails_its_document_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers: int
) -> None:
    def fail_on_page_2(number: int) -> None:
        if number == 2:
            raise RuntimeError("engine broke")

    _fake_ocr(monkeypatch, fail_on_page_2)
    inputs = _inputs(tmp_path / "in", pages=4)
    summary = run_batch([inputs], tmp_path / "out", workers=workers, params=FORK)
    records = _documents(tmp_path / "out")
    assert summary.error == 1 and summary.ok == 1
    error = records["scan.pdf"]["error"]
    assert error == ("scan.pdf: page 2: OCR failed: RuntimeError: engine broke"), error
    assert records["good.txt"]["status"] == "ok"


def test_a_page_over_the_time_limit_fails_its_document_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def hang_on_page_2(number: int) -> None:
        if number == 2:
            time.sleep(60)

    _fake_ocr(monkeypatch, hang_on_page_2)
    inputs = _inputs(tmp_path / "in", pages=3)
    started = time.monotonic()
    summary = run_batch(
        [inputs],
        tmp_path / "out",
        workers=2,
        params=FORK,
        limits=WorkerLimits(max_seconds=3),
    )
    assert time.monotonic() - started < 45
    records = _documents(tmp_path / "out")
    error = records["scan.pdf"]["error"]
    assert "scan.pdf" in error and "page 2" in error and "max_seconds=3" in error
    assert records["good.txt"]["status"] == "ok"
    assert summary.error == 1 and summary.ok == 1


def test_page_jobs_keep_the_documents_reading_limits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fake_ocr(monkeypatch, render=True)
    inputs = _inputs(tmp_path / "in", pages=3, big_page=2)
    # Page 2 is 840 x 300 points: 252,000 pixels at 72 dpi, the others 63,000.
    options = ExtractOptions(use_model=False, limits=ReadLimits(max_page_pixels=10**5))
    summary = run_batch(
        [inputs], tmp_path / "out", workers=2, options=options, params=FORK
    )
    records = _documents(tmp_path / "out")
    error = records["scan.pdf"]["error"]
    assert "scan.pdf" in error and "page 2" in error and "max_page_pixels" in error
    assert summary.error == 1 and summary.ok == 1


def test_a_worker_counts_its_address_space_cap_from_after_the_ocr_engine_loads() -> (
    None
):
    """The cap is the loaded size plus twice the limit, and it is counted again
    once the OCR engine (a model loaded on first use) is in memory."""
    code = (
        "import resource\n"
        "from nlp.pipeline.workers import ADDRESS_SPACE_FACTOR, MIB\n"
        "from nlp.pipeline import workers\n"
        "extra = ADDRESS_SPACE_FACTOR * 2048 * MIB\n"
        "workers._limit_address_space(extra)\n"
        "workers._recap_after_ocr_loads(extra)\n"
        "before = resource.getrlimit(resource.RLIMIT_AS)[0]\n"
        "from nlp.read.ocr.engine import get_engine\n"
        "get_engine()\n"
        "after = resource.getrlimit(resource.RLIMIT_AS)[0]\n"
        "pages = int(open('/proc/self/statm').read().split()[0])\n"
        "size = pages * resource.getpagesize()\n"
        "print(after > before, after - size >= extra - 64 * MIB)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["True", "True"]

"""OCR cost per page against baseline RapidOCR, on scanned corpus pages.

Run: ``python -m benchmarks.ocr [--scans DIR] [--pages N] [--long-pages N]``.

The pages are scanned versions of the annotated real table pages made by
``tools/make_scans.py`` (made on the fly into a temporary folder when ``--scans``
is not given): rendered from the corpus PDFs' own fonts, so no system font is
needed. The text layer of the same page is the reference for character accuracy.

Time is **CPU time of this process** (``resource.getrusage``, self and children,
every onnxruntime thread included), not wall time: the 2-core machine is shared,
and CPU time per page is what "faster per core" means. Each page is measured
side by side in one run:

- **baseline**: RapidOCR alone with the settings pinned before this work
  (rapidocr-onnxruntime with its shipped models and default onnxruntime
  sessions, ``max_side_len=4000``, no line classifier, recognition batch 6) on the
  page rendered at 200 dpi;
- **OCR step**: :func:`nlp.read.ocr.ocr_pdf_page_result` with today's
  :class:`~nlp.read.ocr.OcrParams` (render, skew, OCR, rulings);
- **pipeline**: ``nlp.pipeline.extract`` on the one-page scan (read, OCR, layout,
  tables, assembly, checks).

Character accuracy is order-free (page layout makes reading orders differ):
precision and recall of the page's characters (whitespace removed) as multisets
against the text layer, and their F1.

Then pages per second (wall) and CPU seconds per page of ``zhibiao extract`` at
1 and 2 workers on one long scanned document (the ``--pages`` scanned pages
repeated to ``--long-pages`` pages in one image-only PDF), each run in a fresh
process: with 2 workers the document's pages are recognised on both
(:mod:`nlp.pipeline.pages`). CPU time counts every process of the run (main and
workers, model loading included); the records of both runs are compared byte for
byte.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)
ROOT = Path(__file__).resolve().parents[1]
BASELINE_DPI = 200
BASELINE_MAX_SIDE = 4000


def cpu_seconds() -> float:
    """User + system CPU time of this process and its finished children."""
    total = 0.0
    for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):
        usage = resource.getrusage(who)
        total += usage.ru_utime + usage.ru_stime
    return total


@dataclass(slots=True)
class Accuracy:
    """Character multiset counts summed over pages."""

    common: int = 0
    reference: int = 0
    found: int = 0

    def add(self, reference: str, found: str) -> None:
        ref = Counter(c for c in reference if not c.isspace())
        hyp = Counter(c for c in found if not c.isspace())
        self.common += sum((ref & hyp).values())
        self.reference += sum(ref.values())
        self.found += sum(hyp.values())

    def f1(self) -> float:
        p = self.common / max(self.found, 1)
        r = self.common / max(self.reference, 1)
        return 2 * p * r / (p + r) if p + r else 0.0

    def row(self) -> str:
        p = self.common / max(self.found, 1)
        r = self.common / max(self.reference, 1)
        return f"{p:.2%} | {r:.2%} | {self.f1():.2%}"


def baseline_engine() -> object:
    """RapidOCR as it was pinned: shipped config, default sessions."""
    from rapidocr_onnxruntime import RapidOCR

    return RapidOCR(max_side_len=BASELINE_MAX_SIDE, use_cls=False)


def one_page_pdf(source: Path, page: int, out: Path) -> Path:
    """Copy one page of a PDF into its own file."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(source))
    subset = pdfium.PdfDocument.new()
    subset.import_pages(pdf, [page - 1])
    subset.save(str(out))
    subset.close()
    pdf.close()
    return out


def ensure_scans(scans: Path | None, folder: Path) -> Path:
    """The scans folder, made from the corpus when not given."""
    if scans is not None:
        return scans
    out = folder / "scans"
    cmd = [sys.executable, str(ROOT / "tools" / "make_scans.py"), "--out", str(out)]
    subprocess.run([*cmd, "--kinds", "indicator"], check=True, cwd=ROOT)
    return out


def sample_pages(scans: Path, n: int, seed: int = 16) -> list[dict]:
    """``n`` scanned pages, spread over documents, reproducibly."""
    pages = [json.loads(x) for x in (scans / "pages.jsonl").read_text().splitlines()]
    random.Random(seed).shuffle(pages)
    return pages[:n]


def per_page(scans: Path, pages: Sequence[dict], folder: Path) -> list[str]:
    """Baseline, OCR step and pipeline per page: CPU seconds and accuracy."""
    from nlp.pipeline import extract
    from nlp.read.ocr import DEFAULT_PARAMS, ocr_pdf_page_result, render_pdf_page

    engine = baseline_engine()
    warm = np.full((64, 64, 3), 255, dtype=np.uint8)
    engine(warm)  # type: ignore[operator]
    times: dict[str, list[float]] = {"baseline": [], "ocr": [], "pipeline": []}
    accuracy = {"baseline": Accuracy(), "ocr": Accuracy()}
    for k, page in enumerate(pages):
        path = one_page_pdf(
            scans / "docs" / page["doc"], page["page"], folder / f"p{k}.pdf"
        )
        start = cpu_seconds()
        image = np.asarray(render_pdf_page(path, 0, BASELINE_DPI))
        result, _ = engine(np.stack([image] * 3, axis=-1), use_cls=False)  # type: ignore[operator]
        times["baseline"].append(cpu_seconds() - start)
        accuracy["baseline"].add(page["text"], "".join(r[1] for r in result or ()))
        start = cpu_seconds()
        size = (image.shape[1] * 72 / BASELINE_DPI, image.shape[0] * 72 / BASELINE_DPI)
        ours = ocr_pdf_page_result(path, 0, *size, DEFAULT_PARAMS)
        times["ocr"].append(cpu_seconds() - start)
        accuracy["ocr"].add(page["text"], "".join(f.text for f in ours.fragments))
        start = cpu_seconds()
        extract(path)
        times["pipeline"].append(cpu_seconds() - start)
        log.info(
            "page %d/%d %s p%d: baseline %.2f s, OCR %.2f s, pipeline %.2f s (CPU)",
            k + 1, len(pages), page["doc"], page["page"],
            times["baseline"][-1], times["ocr"][-1], times["pipeline"][-1],
        )  # fmt: skip
    mean = {k: sum(v) / len(v) for k, v in times.items()}
    return [
        f"{len(pages)} scanned pages; CPU seconds per page (mean), char accuracy "
        "against the page's text layer (precision | recall | F1)",
        "",
        "| what | CPU s/page | speed-up per core | char P | char R | char F1 |",
        "| --- | --- | --- | --- | --- | --- |",
        f"| RapidOCR alone, baseline settings (200 dpi, side {BASELINE_MAX_SIDE}, "
        f"no cls, default sessions) | {mean['baseline']:.2f} | 1.00× | "
        f"{accuracy['baseline'].row()} |",
        f"| OCR step, today's settings | {mean['ocr']:.2f} | "
        f"{mean['baseline'] / mean['ocr']:.2f}× | {accuracy['ocr'].row()} |",
        f"| whole pipeline (`extract` on the page) | {mean['pipeline']:.2f} | "
        f"{mean['baseline'] / mean['pipeline']:.2f}× | (as the OCR step) |",
    ]


def long_scan(scans: Path, pages: Sequence[dict], count: int, out: Path) -> Path:
    """One image-only PDF of ``count`` pages: the scanned pages, repeated in turn."""
    import pypdfium2 as pdfium

    long_pdf = pdfium.PdfDocument.new()
    for k in range(count):
        page = pages[k % len(pages)]
        source = pdfium.PdfDocument(str(scans / "docs" / page["doc"]))
        long_pdf.import_pages(source, [page["page"] - 1])
        source.close()
    long_pdf.save(str(out))
    long_pdf.close()
    return out


def _records(out: Path) -> dict[str, bytes]:
    """The record tables of a run, byte for byte."""
    return {t: (out / f"{t}.jsonl").read_bytes() for t in ("indicators", "amounts")}


def workers_run(
    scans: Path, pages: Sequence[dict], count: int, folder: Path
) -> list[str]:
    """Pages/s and CPU s/page of ``extract`` at 1 and 2 workers on one long scan."""
    path = long_scan(scans, pages, count, folder / "long-scan.pdf")
    lines = [
        "",
        f"One long scanned document of {count} pages ({len(pages)} scanned pages "
        "repeated), `zhibiao extract` in a new process, load average "
        f"{' / '.join(f'{x:.1f}' for x in os.getloadavg())} at the start:",
        "",
        "| workers | wall s | pages/s (wall) | CPU s (all processes) | CPU s/page |",
        "| --- | --- | --- | --- | --- |",
    ]
    records = {}
    for workers in (1, 2):
        out = folder / f"out{workers}"
        cmd = [sys.executable, "-m", "nlp.cli", "extract", str(path), "--out", str(out)]
        cmd += ["--workers", str(workers), "--quiet"]
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(cmd, check=True, cwd=ROOT)
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
        records[workers] = _records(out)
        lines.append(
            f"| {workers} | {wall:.1f} | {count / wall:.3f} | {cpu:.1f} | "
            f"{cpu / count:.2f} |"
        )
        log.info("%s", lines[-1])
    same = "identical" if records[1] == records[2] else "DIFFERENT"
    lines += ["", f"Records at 2 workers against 1 worker: {same}."]
    return lines


def main(argv: Sequence[str] | None = None) -> None:
    """Parse arguments, run both parts, log the report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--scans", type=Path, default=None, help="tools/make_scans.py output"
    )
    parser.add_argument("--pages", type=int, default=8, help="pages timed one by one")
    parser.add_argument(
        "--long-pages",
        type=int,
        default=16,
        help="pages of the long scan (0: skip it)",
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        scans = ensure_scans(args.scans, folder)
        pages = sample_pages(scans, args.pages)
        report = per_page(scans, pages, folder)
        if args.long_pages:
            report += workers_run(scans, pages, args.long_pages, folder)
    log.info("%s", "\n".join(report))


if __name__ == "__main__":
    main()

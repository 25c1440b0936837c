"""Speed and memory of PDF reading, against pdfminer.six's own ``extract_pages``.

Run: ``python -m benchmarks.pdf [--pages N] [--repeats N] [--memory-pages N ...]``.

The input is generated here with reportlab (built-in CID font ``STSong-Light``):
every page has a heading, two justified paragraphs with amounts, and a 10-row
绩效目标表 (一级/二级/三级指标/指标值, merged cells), drawn with ruling lines on
odd pages and without on even pages.

Reported, pages per second (best and median of ``--repeats`` runs after a warm-up):

- ``pdfminer extract_pages``: pdfminer.six's high-level layout analysis with
  default ``LAParams``, iterating every page: the floor a pdfminer-based reader
  cannot beat by much;
- ``pdfminer interpreter only``: pdfminer's page interpreter with a device that
  builds no layout (``laparams=None``): the parsing cost alone;
- ``PdfReader.read``: our reader (pages, visible text, layout, page furniture);
- ``extract``: the whole pipeline (read, table recovery, assembly, checks).

Memory: ``tracemalloc`` peak while reading generated files of ``--memory-pages``
pages; streaming page by page keeps the peak growing only with the text kept, not
with pdfminer's per-page objects.
"""

from __future__ import annotations

import argparse
import gc
import logging
import statistics
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

log = logging.getLogger(__name__)

FONT = "STSong-Light"
ROWS = (
    ("一级指标", "二级指标", "三级指标", "指标值"),
    ("产出指标", "数量指标", "培训人次", "≥500人次"),
    (None, None, "发放宣传手册", "1000份"),
    (None, None, "覆盖乡镇数", "12个"),
    (None, "质量指标", "培训合格率", "≥95%"),
    (None, "时效指标", "完成时间", "2023年12月底前"),
    ("效益指标", "社会效益指标", "群众知晓率", "显著提高"),
    (None, "可持续影响指标", "长效机制建立", "是"),
    ("满意度指标", "服务对象满意度指标", "参训人员满意度", "≥90%"),
    ("成本指标", "经济成本指标", "人均培训成本", "≤300元"),
)
SPANS = {(1, 0): 5, (1, 1): 3, (6, 0): 2}
WIDTHS = (80.0, 110.0, 150.0, 110.0)
PROSE = (
    "    2023年部门收入预算合计88,808.45万元，比上年增加1,200.00万元，其中：一般公",
    "共预算拨款收入80,000.00万元，政府性基金预算拨款收入8,808.45万元，主要用于农村",
    "公路养护、农村实用技术培训和安全生产监督管理等工作。",
)


def make_pdf(path: Path, pages: int) -> Path:
    """Write the benchmark PDF of ``pages`` pages to ``path``."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen.canvas import Canvas

    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    _, height = A4
    canvas = Canvas(str(path), pagesize=A4)

    def text(x: float, top: float, line: str, size: float = 10.0, space: float = 0.0):
        obj = canvas.beginText(x, height - top - size * 0.88)
        obj.setFont(FONT, size)
        obj.setCharSpace(space)
        obj.textOut(line)
        canvas.drawText(obj)

    for number in range(1, pages + 1):
        text(72, 60, f"第{number}部分 项目支出绩效目标表", size=14)
        for block, top in ((0, 100), (1, 160)):
            for k, line in enumerate(PROSE):
                natural = pdfmetrics.stringWidth(line, FONT, 10)
                space = (420 - natural) / (len(line) - 1) if k < len(PROSE) - 1 else 0
                text(72, top + block + k * 15, line, space=space)
        _table(canvas, text, height, ruled=number % 2 == 1)
        text(290, 810, f"- {number} -", size=9)
        canvas.showPage()
    canvas.save()
    return path


def _table(canvas, text, height: float, ruled: bool) -> None:
    top, row_height = 240.0, 22.0
    lefts = [72 + sum(WIDTHS[:c]) for c in range(len(WIDTHS) + 1)]
    for r, row in enumerate(ROWS):
        for c, cell in enumerate(row):
            if cell is None:
                continue
            rows = SPANS.get((r, c), 1)
            x0, x1 = lefts[c], lefts[c + 1]
            y0, y1 = top + r * row_height, top + (r + rows) * row_height
            if ruled:
                canvas.rect(x0, height - y1, x1 - x0, y1 - y0, stroke=1, fill=0)
            text(x0 + 3, y0 + 6, cell, size=9)


def _pages_per_second(
    runs: dict[str, Callable[[], int]], repeats: int
) -> dict[str, tuple[float, float]]:
    """Best and median pages per second of each run (which returns pages read).

    The runs take turns, repeat by repeat, so a change in the machine's load falls
    on all of them alike and their ratios stay fair.
    """
    for run in runs.values():
        run()  # warm-up: imports, font caches
    rates: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(repeats):
        for name, run in runs.items():
            gc.collect()
            start = time.perf_counter()
            pages = run()
            rates[name].append(pages / (time.perf_counter() - start))
    return {name: (max(r), statistics.median(r)) for name, r in rates.items()}


def _pdfminer_layout(path: Path) -> int:
    from pdfminer.high_level import extract_pages

    return sum(1 for _ in extract_pages(path))


def _pdfminer_interpreter(path: Path) -> int:
    from pdfminer.converter import PDFPageAggregator
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage

    manager = PDFResourceManager(caching=True)
    device = PDFPageAggregator(manager, laparams=None)
    interpreter = PDFPageInterpreter(manager, device)
    count = 0
    with path.open("rb") as handle:
        for page in PDFPage.get_pages(handle):
            interpreter.process_page(page)
            device.get_result()
            count += 1
    return count


def _reader(path: Path) -> int:
    from nlp.read.pdf import PdfReader

    return len(PdfReader(ocr="never").read(path).pages)


def _extract(path: Path) -> int:
    from nlp.pipeline import ExtractOptions, extract

    result = extract(path, ExtractOptions(ocr="never"))
    if result.document.status != "ok":
        raise RuntimeError(result.document.error)
    return result.document.pages or 0


def _peak_mib(path: Path) -> float:
    from nlp.read.pdf import PdfReader

    reader = PdfReader(ocr="never")
    gc.collect()
    tracemalloc.start()
    reader.read(path)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def main() -> None:
    """Generate the inputs, time each reader, print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=30)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--memory-pages", type=int, nargs="*", default=[50, 500])
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    import nlp.read.pdf  # noqa: F401  # import cost out of the timings

    with tempfile.TemporaryDirectory() as folder:
        path = make_pdf(Path(folder) / "bench.pdf", args.pages)
        runs = {
            "pdfminer extract_pages (LAParams)": _pdfminer_layout,
            "pdfminer interpreter only": _pdfminer_interpreter,
            "PdfReader.read": _reader,
            "extract (full pipeline)": _extract,
        }
        results = _pages_per_second(
            {name: (lambda run=run: run(path)) for name, run in runs.items()},
            args.repeats,
        )
        floor = results["pdfminer extract_pages (LAParams)"][0]
        print(f"\n{args.pages} pages, best of {args.repeats}\n")
        print("| run | pages/s best | pages/s median | time vs extract_pages |")
        print("| --- | ---: | ---: | ---: |")
        for name, (best, median) in results.items():
            print(f"| {name} | {best:.1f} | {median:.1f} | {floor / best:.2f}× |")
        print("\n| pages | tracemalloc peak, PdfReader.read |")
        print("| ---: | ---: |")
        for pages in args.memory_pages:
            big = make_pdf(Path(folder) / f"mem{pages}.pdf", pages)
            print(f"| {pages} | {_peak_mib(big):.1f} MiB |")


if __name__ == "__main__":
    main()

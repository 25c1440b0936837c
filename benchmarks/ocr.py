"""OCR speed and accuracy on generated scans of budget tables and prose.

Run: ``python -m benchmarks.ocr [--pages N] [--repeats N]``.

Scans are made here, not collected: each page is drawn with PIL in the WenQuanYi
Micro Hei font (a 绩效目标表 with ruling lines, or paragraphs of budget prose with
amounts), degraded like a budget office scan (blur, grey background, noise, JPEG,
saved at 150 or 300 dpi) and wrapped into an image-only PDF. What was drawn is the
ground truth, so accuracy needs no hand labels.

Three parts:

1. **Option study** — RapidOCR with and without the 0°/180° line classifier
   (``use_cls``) at 150, 200 and 300 dpi render resolution, on upright scans:
   character accuracy (1 − edit distance / characters, each drawn line matched to
   its best unused OCR line), exact lines, exact lines holding digits, dropped
   lines (no OCR line within half the line's length in edits) and seconds per page.
2. **Deskew** — the same scans turned by 1.5–3°, read with and without the
   deskew step at the default options.
3. **Speed** — seconds per page for the engine alone on the rendered image, the
   whole pipeline (``nlp.pipeline.extract`` on the scanned PDF) and rendering,
   with the pipeline/engine ratio, and how many drawn indicator rows came out as
   (metric, target, levels) triples.
"""

from __future__ import annotations

import argparse
import io
import logging
import random
import statistics
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from nlp.read.ocr import (
    DEFAULT_PARAMS,
    OcrParams,
    ocr_image,
    render_pdf_page,
    run_engine,
)

log = logging.getLogger(__name__)

FONT_PATH = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
POINTS_PER_INCH = 72.0
DRAW_DPI = 300
PAGE_PT = (595.0, 842.0)  # A4 portrait
MARGIN_PT = 57.0
TABLE_COLUMNS_PT = (80.0, 120.0, 180.0, 100.0)
TABLE_FONT_PT = 10.5
PROSE_FONT_PT = 12.0
ROW_PT = 24.0
STUDY_DPIS = (150, 200, 300)

LEVELS = (
    ("产出指标", "数量指标"),
    ("产出指标", "质量指标"),
    ("产出指标", "时效指标"),
    ("产出指标", "成本指标"),
    ("效益指标", "社会效益指标"),
    ("效益指标", "经济效益指标"),
    ("效益指标", "可持续影响指标"),
    ("满意度指标", "服务对象满意度指标"),
)
METRICS = (
    "培训人次", "验收合格率", "督导检查", "群众知晓率", "服务对象满意度",
    "资金拨付及时率", "设备完好率", "项目完成率", "覆盖乡镇数", "受益人口数",
    "政策知晓率", "档案归档率", "故障处理时限", "年度预算执行率", "公用经费控制数",
    "森林覆盖率", "新增就业人数", "巡查次数", "监测站点数", "患者满意度",
)  # fmt: skip
TARGETS = (
    "≥95%", "100%", "每季度1次", "≥99%", "≥90%", "99.5%", "≤5%", "96.6%",
    "≥20人", "1份/项目", "≥69个", "3天以内", "≤87,300.0万元", "不低于98%",
    "显著提升", "有效", "及时", "≥1,699人次", "2次/周", "≥80%",
)  # fmt: skip
SUBJECTS = (
    "人员支出", "公用经费", "项目支出", "一般管理事务", "公务接待费", "机关运行",
    "信息化建设", "培训费", "办公设备购置", "事业运行",
)  # fmt: skip
PURPOSES = (
    "保障机构正常运转", "开展业务培训和督导检查", "完成年度重点工作任务",
    "支付在职人员工资福利", "购置办公设备和维护信息系统",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Scan:
    """A generated scan and what was drawn on it.

    Attributes:
        kind: "table" or "prose".
        pdf: the image-only PDF's bytes.
        lines: drawn text lines (table cells, prose lines), spaces removed.
        rows: drawn indicator rows (level1, level2, metric, target).
        amounts: amount strings drawn in prose ("746.1万元").
    """

    kind: str
    pdf: bytes
    lines: tuple[str, ...]
    rows: tuple[tuple[str, str, str, str], ...] = ()
    amounts: tuple[str, ...] = ()


# ---------------------------------------------------------------- drawing


def _px(points: float, dpi: int = DRAW_DPI) -> int:
    return round(points * dpi / POINTS_PER_INCH)


def _font(size_pt: float) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONT_PATH), _px(size_pt))


def _blank_page() -> tuple[Image.Image, ImageDraw.ImageDraw]:
    image = Image.new("L", (_px(PAGE_PT[0]), _px(PAGE_PT[1])), 255)
    return image, ImageDraw.Draw(image)


def draw_table_page(rng: random.Random, n_rows: int = 22) -> tuple[Image.Image, Scan]:
    """A 绩效目标表 with a header row, ruling lines and ``n_rows`` indicator rows."""
    image, draw = _blank_page()
    font = _font(TABLE_FONT_PT)
    title = "2024年度项目绩效目标表"
    draw.text((_px(MARGIN_PT), _px(MARGIN_PT)), title, font=_font(14), fill=0)
    header = ("一级指标", "二级指标", "三级指标", "指标值")
    rows = [header]
    for _ in range(n_rows):
        level1, level2 = rng.choice(LEVELS)
        rows.append((level1, level2, rng.choice(METRICS), rng.choice(TARGETS)))
    edges = [MARGIN_PT]
    for width in TABLE_COLUMNS_PT:
        edges.append(edges[-1] + width)
    top = MARGIN_PT + 36
    line_width = max(1, _px(0.75))
    for r, row in enumerate(rows):
        y = top + r * ROW_PT
        for c, text in enumerate(row):
            draw.text((_px(edges[c] + 4), _px(y + 6)), text, font=font, fill=0)
    for r in range(len(rows) + 1):
        y = _px(top + r * ROW_PT)
        draw.line([(_px(edges[0]), y), (_px(edges[-1]), y)], fill=0, width=line_width)
    bottom = _px(top + len(rows) * ROW_PT)
    for x in edges:
        draw.line([(_px(x), _px(top)), (_px(x), bottom)], fill=0, width=line_width)
    lines = [title, *(text for row in rows for text in row)]
    data_rows = tuple(tuple(row) for row in rows[1:])
    return image, Scan("table", b"", tuple(lines), rows=data_rows)  # type: ignore[arg-type]


def _amount(rng: random.Random) -> str:
    whole = rng.choice((rng.randint(1, 999), rng.randint(1000, 99999)))
    text = f"{whole:,}" if whole >= 1000 else str(whole)
    return f"{text}.{rng.randint(0, 99):02d}".rstrip("0").rstrip(".") + "万元"


def _sentence(rng: random.Random, amounts: list[str]) -> str:
    subject, amount, change = rng.choice(SUBJECTS), _amount(rng), _amount(rng)
    amounts += [amount, change]
    percent = f"{rng.randint(0, 99)}.{rng.randint(0, 9)}%"
    verb = rng.choice(("增加", "减少"))
    return (
        f"{subject}{amount}，比上年{verb}{change}，变动{percent}，"
        f"主要用于{rng.choice(PURPOSES)}。"
    )


def _wrap(text: str, font: ImageFont.FreeTypeFont, width_px: int) -> list[str]:
    lines, current = [], ""
    for char in text:
        if current and font.getlength(current + char) > width_px:
            lines.append(current)
            current = ""
        current += char
    return [*lines, current] if current else lines


def draw_prose_page(
    rng: random.Random, n_paragraphs: int = 6
) -> tuple[Image.Image, Scan]:
    """Budget prose: paragraphs of sentences with amounts, wrapped to the page."""
    image, draw = _blank_page()
    font = _font(PROSE_FONT_PT)
    width = _px(PAGE_PT[0] - 2 * MARGIN_PT)
    amounts: list[str] = []
    lines: list[str] = []
    for _ in range(n_paragraphs):
        paragraph = "".join(_sentence(rng, amounts) for _ in range(3))
        lines += _wrap("　　" + paragraph, font, width)
        lines.append("")
    y = MARGIN_PT
    for line in lines:
        if line:
            draw.text((_px(MARGIN_PT), _px(y)), line, font=font, fill=0)
        y += PROSE_FONT_PT * 1.8
    drawn = tuple(line.strip().replace("　", "") for line in lines if line.strip())
    return image, Scan("prose", b"", drawn, amounts=tuple(amounts))


def degrade(
    image: Image.Image, rng: random.Random, scan_dpi: int, skew_degrees: float = 0.0
) -> Image.Image:
    """Make a clean drawing look like an office scan at ``scan_dpi``."""
    if skew_degrees:
        image = image.rotate(
            skew_degrees, resample=Image.Resampling.BICUBIC, fillcolor=255
        )
    image = image.filter(ImageFilter.GaussianBlur(radius=rng.uniform(0.6, 1.2)))
    pixels = np.asarray(image, dtype=np.float32)
    pixels = 30 + pixels * (rng.uniform(200, 225) - 30) / 255  # grey paper, grey ink
    pixels += np.random.default_rng(rng.randint(0, 2**31)).normal(0, 10, pixels.shape)
    image = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))
    size = (_px(PAGE_PT[0], scan_dpi), _px(PAGE_PT[1], scan_dpi))
    image = image.resize(size, Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=rng.randint(45, 70))
    return Image.open(io.BytesIO(buffer.getvalue())).convert("L")


def image_pdf(image: Image.Image, dpi: int) -> bytes:
    """An image-only PDF of one page (page size = pixels at ``dpi``)."""
    buffer = io.BytesIO()
    image.save(buffer, "PDF", resolution=float(dpi))
    return buffer.getvalue()


def make_scans(n_pages: int, seed: int = 7, skew: bool = False) -> list[Scan]:
    """``n_pages`` table scans and ``n_pages`` prose scans, alternately 150/300 dpi."""
    rng = random.Random(seed)
    scans = []
    for i in range(2 * n_pages):
        image, drawn = draw_table_page(rng) if i % 2 == 0 else draw_prose_page(rng)
        scan_dpi = 150 if (i // 2) % 2 == 0 else 300
        angle = rng.choice((-1, 1)) * rng.uniform(1.5, 3.0) if skew else 0.0
        scanned = degrade(image, rng, scan_dpi, angle)
        scans.append(
            Scan(
                drawn.kind,
                image_pdf(scanned, scan_dpi),
                drawn.lines,
                drawn.rows,
                drawn.amounts,
            )
        )
    return scans


# ---------------------------------------------------------------- scoring


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance between two strings."""
    if len(a) < len(b):
        a, b = b, a
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i]
        for j, cb in enumerate(b, start=1):
            current.append(
                min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
            )
        previous = current
    return previous[-1]


@dataclass(slots=True)
class Score:
    """Accumulated accuracy over drawn lines."""

    chars: int = 0
    errors: int = 0
    lines: int = 0
    exact: int = 0
    digit_lines: int = 0
    digit_exact: int = 0
    dropped: int = 0

    def add(self, truth: Sequence[str], found: Sequence[str]) -> None:
        """Match each drawn line to its best unused OCR line and count errors."""
        pool = [text.replace(" ", "") for text in found]
        for line in truth:
            distance = len(line)
            if line in pool:
                pool.remove(line)
                distance = 0
            elif pool:
                best = min(range(len(pool)), key=lambda k: edit_distance(line, pool[k]))
                distance = min(len(line), edit_distance(line, pool[best]))
                if distance <= len(line) / 2:
                    pool.pop(best)
            self.chars += len(line)
            self.errors += distance
            self.lines += 1
            self.exact += distance == 0
            self.dropped += distance > len(line) / 2
            if any(ch.isdigit() for ch in line):
                self.digit_lines += 1
                self.digit_exact += distance == 0

    def row(self) -> str:
        """Accuracy columns of a Markdown table."""
        return (
            f"{1 - self.errors / max(self.chars, 1):.2%} | "
            f"{self.exact}/{self.lines} | {self.digit_exact}/{self.digit_lines} | "
            f"{self.dropped}"
        )


# ---------------------------------------------------------------- parts


def _pdf_file(scan: Scan, folder: Path, index: int) -> Path:
    path = folder / f"scan{index:02d}-{scan.kind}.pdf"
    path.write_bytes(scan.pdf)
    return path


def option_study(paths: Sequence[Path], scans: Sequence[Scan]) -> list[str]:
    """Engine accuracy and speed with and without cls at each render resolution."""
    rows = [
        "| use_cls | dpi | char accuracy | exact lines | exact lines with digits "
        "| dropped lines | s/page |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for use_cls in (False, True):
        params = OcrParams(use_cls=use_cls)
        for dpi in STUDY_DPIS:
            score, seconds = Score(), []
            for path, scan in zip(paths, scans, strict=True):
                pixels = np.asarray(render_pdf_page(path, 0, dpi))
                start = time.perf_counter()
                lines = run_engine(pixels, params)
                seconds.append(time.perf_counter() - start)
                score.add(scan.lines, [line.text for line in lines])
            rows.append(
                f"| {'on' if use_cls else 'off'} | {dpi} | {score.row()} | "
                f"{statistics.median(seconds):.2f} |"
            )
            log.info("%s", rows[-1])
    return rows


def _table_rows(items: Sequence[object]) -> set[tuple[str, ...]]:
    """Rows of the laid-out tables as tuples of cell texts, spaces removed."""
    from nlp.read.layout import TableItem

    rows: dict[tuple[int, int], dict[int, str]] = {}
    for k, item in enumerate(items):
        if isinstance(item, TableItem):
            for cell in item.cells:
                rows.setdefault((k, cell.row), {})[cell.col] = cell.text
    return {
        tuple(cells[c].replace(" ", "") for c in sorted(cells))
        for cells in rows.values()
    }


def deskew_study(paths: Sequence[Path], scans: Sequence[Scan]) -> list[str]:
    """Skewed scans with and without deskew: recognition and table rows rebuilt.

    Recognition alone hardly needs deskewing (the detector finds turned boxes);
    the layout does: on a page turned 2°, a 480 pt wide row drops 17 pt from
    left to right, most of a row's height.
    """
    from nlp.read.layout import layout_page

    rows = [
        "| deskew | char accuracy | exact lines | exact lines with digits "
        "| dropped lines | table rows rebuilt | s/page |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    no_deskew = OcrParams(deskew_min_degrees=float("inf"))
    scale = POINTS_PER_INCH / DEFAULT_PARAMS.dpi
    for label, params in (("off", no_deskew), ("on", DEFAULT_PARAMS)):
        score, seconds = Score(), []
        rebuilt = drawn = 0
        for path, scan in zip(paths, scans, strict=True):
            image = render_pdf_page(path, 0, params.dpi)
            start = time.perf_counter()
            page = ocr_image(image, 1, (scale, scale), params)
            seconds.append(time.perf_counter() - start)
            score.add(scan.lines, [f.text for f in page.fragments])
            size = (image.width * scale, image.height * scale)
            found = _table_rows(layout_page(page.fragments, page.rulings, *size))
            drawn += len(set(scan.rows))
            rebuilt += len(set(scan.rows) & found)
        rows.append(
            f"| {label} | {score.row()} | {rebuilt}/{drawn} | "
            f"{statistics.median(seconds):.2f} |"
        )
        log.info("%s", rows[-1])
    return rows


def speed(paths: Sequence[Path], scans: Sequence[Scan], repeats: int) -> list[str]:
    """Seconds per page: render, engine alone, whole pipeline; triples recovered."""
    from nlp.pipeline import extract

    render, engine, pipeline = [], [], []
    drawn = found = 0
    for path, scan in zip(paths, scans, strict=True):
        for _ in range(repeats):
            start = time.perf_counter()
            image = render_pdf_page(path, 0, DEFAULT_PARAMS.dpi)
            render.append(time.perf_counter() - start)
            pixels = np.asarray(image)
            start = time.perf_counter()
            run_engine(pixels)
            engine.append(time.perf_counter() - start)
            start = time.perf_counter()
            result = extract(path)
            pipeline.append(time.perf_counter() - start)
        triples = {
            (i.level1, i.level2, i.metric, i.target_raw) for i in result.indicators
        }
        drawn += len(set(scan.rows))
        found += len(set(scan.rows) & triples)
    engine_s, pipeline_s = statistics.median(engine), statistics.median(pipeline)
    return [
        f"- pages: {len(paths)} × {repeats} runs, median seconds per page",
        f"- render at {DEFAULT_PARAMS.dpi} dpi (pypdfium2): "
        f"{statistics.median(render):.3f} s",
        f"- RapidOCR alone on the rendered page: {engine_s:.2f} s",
        f"- whole pipeline (`extract` on the scanned PDF): {pipeline_s:.2f} s",
        f"- pipeline / RapidOCR: {pipeline_s / engine_s:.2f}×",
        f"- drawn indicator rows found as (level1, level2, metric, target): "
        f"{found}/{drawn}",
    ]


def run(n_pages: int, repeats: int) -> str:
    """All three parts; returns the Markdown report."""
    upright = make_scans(n_pages)
    skewed = make_scans(n_pages, seed=11, skew=True)
    run_engine(np.full((64, 64), 255, dtype=np.uint8))  # load the engine first
    with tempfile.TemporaryDirectory() as folder:
        up_paths = [_pdf_file(s, Path(folder), i) for i, s in enumerate(upright)]
        sk_paths = [_pdf_file(s, Path(folder), 50 + i) for i, s in enumerate(skewed)]
        study = option_study(up_paths, upright)
        deskew = deskew_study(sk_paths, skewed)
        timing = speed(up_paths, upright, repeats)
    return "\n".join(
        [
            f"### Options ({len(upright)} upright scans)",
            "",
            *study,
            "",
            f"### Deskew ({len(skewed)} scans turned 1.5–3°, default options)",
            "",
            *deskew,
            "",
            "### Speed",
            "",
            *timing,
        ]
    )


def main(argv: Sequence[str] | None = None) -> None:
    """Parse arguments, run the benchmark, log the report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=2, help="pages of each kind")
    parser.add_argument("--repeats", type=int, default=2, help="timed runs per page")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    log.info("%s", run(args.pages, args.repeats))


if __name__ == "__main__":
    main()

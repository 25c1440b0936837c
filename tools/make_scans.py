"""Scanned versions of the annotated pages of the real corpus, with their gold.

Usage: python tools/make_scans.py [--docs DIR] [--gold DIR] [--out DIR]
                                  [--kinds indicator,amount] [--dpi N] [--seed N]

For every document of the gold's ``scope.json`` that has a text layer, the pages
annotated for the chosen kinds (``indicator`` = table indicator pages, ``amount``
= amount table and prose pages, ``statement`` = prose statement pages) are
rendered with pypdfium2 and degraded the way offices scan: a resolution between
100 and 300 dpi, a turn of up to ±2°, blur, binarisation on some pages, noise and
JPEG compression; the images are wrapped in an image-only PDF
``<stem>-scan.pdf``. The same pages are also copied with their text layer into
``<stem>-text.pdf``, so the text layer of exactly those pages can be scored next
to the scan (tables continued from an unscanned page lose their context in both).

Written under ``--out`` (outside the repository, e.g. /tmp/scans):

- ``docs/<stem>-scan.pdf``, ``docs/<stem>-text.pdf``;
- ``gold/``: for each, the document's gold with ``doc`` set to the new file name,
  pages renumbered to the new file and ``scope.json`` restricted to the chosen
  pages, so ``zhibiao evaluate --gold OUT/gold --pred PRED`` scores either;
- ``pages.jsonl``: per scanned page, its source page, dpi, angle, whether it was
  binarised, and the text layer of the page (the reference for character
  accuracy in ``benchmarks/ocr.py``).

Nothing here needs a system font: pages are rendered from the PDFs' own fonts.
"""

from __future__ import annotations

import argparse
import io
import json
import random
import sys
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageFilter

POINTS_PER_INCH = 72.0
KIND_PAGES = {
    "indicator": ("indicator_pages",),
    "statement": ("statement_pages",),
    "amount": ("amount_table_pages", "amount_prose_pages"),
}
SCAN_DPIS = (100, 150, 200, 250, 300)
DPI_WEIGHTS = (1, 4, 4, 2, 2)  # offices scan at 150-200 dpi most often
GOLD_SUFFIXES = (".indicators.jsonl", ".amounts.jsonl")


@dataclass(frozen=True, slots=True)
class Degradation:
    """How one page is made to look scanned.

    Attributes:
        dpi: scan resolution.
        angle: turn in degrees, counter-clockwise.
        blur: Gaussian blur radius, pixels at ``dpi``.
        binarise: thresholded to black and white (fax-like scanners).
        noise: standard deviation of additive grey noise (0-255 scale).
        jpeg_quality: JPEG quality the image is stored with.
    """

    dpi: int
    angle: float
    blur: float
    binarise: bool
    noise: float
    jpeg_quality: int


@dataclass(frozen=True, slots=True)
class ScannedPage:
    """One page of a scanned file and where it came from."""

    doc: str
    page: int
    source_doc: str
    source_page: int
    degradation: Degradation
    text: str


def choose_degradation(rng: random.Random, dpi: int | None = None) -> Degradation:
    """A random but reproducible scan of one page."""
    scan_dpi = dpi or rng.choices(SCAN_DPIS, weights=DPI_WEIGHTS)[0]
    return Degradation(
        dpi=scan_dpi,
        angle=round(rng.uniform(-2.0, 2.0), 2),
        blur=round(rng.uniform(0.3, 0.9) * scan_dpi / 200, 2),
        binarise=rng.random() < 0.3,
        noise=round(rng.uniform(4.0, 12.0), 1),
        jpeg_quality=rng.randint(50, 80),
    )


def degrade(image: Image.Image, how: Degradation, seed: int) -> bytes:
    """Turn, blur, binarise and add noise to a greyscale page; its JPEG bytes."""
    if how.angle:
        image = image.rotate(
            how.angle, resample=Image.Resampling.BICUBIC, fillcolor=255
        )
    image = image.filter(ImageFilter.GaussianBlur(radius=how.blur))
    pixels = np.asarray(image, dtype=np.float32)
    if how.binarise:
        pixels = np.where(pixels < 170, 0.0, 255.0)
    else:
        pixels = 25 + pixels * (225 - 25) / 255  # grey paper, grey ink
    pixels += np.random.default_rng(seed).normal(0, how.noise, pixels.shape)
    noisy = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))
    buffer = io.BytesIO()
    noisy.save(buffer, "JPEG", quality=how.jpeg_quality)
    return buffer.getvalue()


def image_pdf(pages: Sequence[tuple[bytes, int]], path: Path) -> None:
    """An image-only PDF of JPEG pages, each sized by its own resolution."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument.new()
    try:
        for jpeg, dpi in pages:
            with Image.open(io.BytesIO(jpeg)) as image:
                size = image.size
            width, height = (side * POINTS_PER_INCH / dpi for side in size)
            page = pdf.new_page(width, height)
            obj = pdfium.PdfImage.new(pdf)
            obj.load_jpeg(io.BytesIO(jpeg), inline=False)
            obj.set_matrix(pdfium.PdfMatrix().scale(width, height))
            page.insert_obj(obj)
            page.gen_content()
            page.close()
        pdf.save(str(path))
    finally:
        pdf.close()


def render_page(pdf: object, index: int, dpi: int) -> Image.Image:
    """One page of an open pypdfium2 document as a greyscale image."""
    page = pdf[index]  # type: ignore[index]
    try:
        bitmap = page.render(scale=dpi / POINTS_PER_INCH, grayscale=True)
        return bitmap.to_pil().convert("L")
    finally:
        page.close()


def page_text(pdf: object, index: int) -> str:
    """The text layer of one page, as pdfium extracts it."""
    page = pdf[index]  # type: ignore[index]
    try:
        textpage = page.get_textpage()
        try:
            return textpage.get_text_range()
        finally:
            textpage.close()
    finally:
        page.close()


def scan_document(
    source: Path,
    pages: Sequence[int],
    out_docs: Path,
    rng: random.Random,
    dpi: int | None,
) -> list[ScannedPage]:
    """Write ``<stem>-scan.pdf`` and ``<stem>-text.pdf`` of ``pages`` (1-based)."""
    import pypdfium2 as pdfium

    stem = source.stem
    scan_name, text_name = f"{stem}-scan.pdf", f"{stem}-text.pdf"
    pdf = pdfium.PdfDocument(str(source))
    images, scanned = [], []
    try:
        for number, source_page in enumerate(pages, start=1):
            how = choose_degradation(rng, dpi)
            clean = render_page(pdf, source_page - 1, how.dpi)
            images.append((degrade(clean, how, rng.randint(0, 2**31)), how.dpi))
            text = page_text(pdf, source_page - 1)
            scanned.append(
                ScannedPage(scan_name, number, source.name, source_page, how, text)
            )
        subset = pdfium.PdfDocument.new()
        subset.import_pages(pdf, [p - 1 for p in pages])
        subset.save(str(out_docs / text_name))
        subset.close()
    finally:
        pdf.close()
    image_pdf(images, out_docs / scan_name)
    return scanned


def remap_gold(
    gold_dir: Path,
    out_gold: Path,
    source: Path,
    new_name: str,
    page_map: dict[int, int],
) -> int:
    """Copy a document's gold under ``new_name`` with pages renumbered; count kept."""
    kept = 0
    for suffix in GOLD_SUFFIXES:
        path = gold_dir / f"{source.stem}{suffix}"
        if not path.exists():
            continue
        lines = []
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            record = json.loads(line)
            page = (record.get("source") or {}).get("page")
            if page not in page_map:
                continue
            record["doc"] = new_name
            record["source"]["page"] = page_map[page]
            lines.append(json.dumps(record, ensure_ascii=False))
        kept += len(lines)
        target = out_gold / f"{Path(new_name).stem}{suffix}"
        target.write_text("".join(f"{x}\n" for x in lines), encoding="utf-8")
    return kept


def chosen_pages(scope: dict[str, list[int]], kinds: Iterable[str]) -> list[int]:
    """The union of the scope's pages for the chosen kinds, sorted."""
    pages: set[int] = set()
    for kind in kinds:
        for key in KIND_PAGES[kind]:
            pages.update(scope.get(key) or ())
    return sorted(pages)


def restricted_scope(
    scope: dict[str, list[int]], page_map: dict[int, int]
) -> dict[str, list[int]]:
    """The scope's page lists, renumbered, kept to the scanned pages.

    Every kind annotated on a scanned page stays in scope (its gold is copied).
    """
    return {
        key: sorted(page_map[p] for p in pages if p in page_map)
        for key, pages in scope.items()
    }


def has_text_layer(path: Path) -> bool:
    """True when the PDF's first pages carry extractable text."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        return any(page_text(pdf, i).strip() for i in range(min(3, len(pdf))))
    finally:
        pdf.close()


def make_scans(
    docs: Path, gold: Path, out: Path, kinds: Sequence[str], dpi: int | None, seed: int
) -> list[ScannedPage]:
    """Scan every scoped PDF with a text layer; write docs, gold and pages.jsonl."""
    scopes = json.loads((gold / "scope.json").read_text(encoding="utf-8"))
    out_docs, out_gold = out / "docs", out / "gold"
    out_docs.mkdir(parents=True, exist_ok=True)
    out_gold.mkdir(parents=True, exist_ok=True)
    new_scopes: dict[str, dict[str, list[int]]] = {}
    every: list[ScannedPage] = []
    for name, scope in sorted(scopes.items()):
        source = docs / name
        pages = chosen_pages(scope, kinds)
        if not pages or source.suffix.lower() != ".pdf" or not has_text_layer(source):
            continue
        rng = random.Random(f"{seed}:{name}")
        scanned = scan_document(source, pages, out_docs, rng, dpi)
        page_map = {s.source_page: s.page for s in scanned}
        for new_name in (f"{source.stem}-scan.pdf", f"{source.stem}-text.pdf"):
            kept = remap_gold(gold, out_gold, source, new_name, page_map)
            new_scopes[new_name] = restricted_scope(scope, page_map)
        print(f"{name}: {len(pages)} pages, {kept} gold records", file=sys.stderr)
        every.extend(scanned)
    (out_gold / "scope.json").write_text(
        json.dumps(new_scopes, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    with (out / "pages.jsonl").open("w", encoding="utf-8") as handle:
        for page in every:
            handle.write(json.dumps(asdict(page), ensure_ascii=False) + "\n")
    return every


def main(argv: Sequence[str] | None = None) -> None:
    """Parse arguments and write the scans."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=Path, default=Path("annotations/real/docs"))
    parser.add_argument("--gold", type=Path, default=Path("annotations/real/gold"))
    parser.add_argument("--out", type=Path, default=Path("/tmp/scans"))
    parser.add_argument("--kinds", default="indicator,amount")
    parser.add_argument("--dpi", type=int, default=None, help="one resolution for all")
    parser.add_argument("--seed", type=int, default=16)
    args = parser.parse_args(argv)
    kinds = [k.strip() for k in args.kinds.split(",") if k.strip()]
    unknown = set(kinds) - set(KIND_PAGES)
    if unknown:
        parser.error(f"unknown kinds: {', '.join(sorted(unknown))}")
    pages = make_scans(args.docs, args.gold, args.out, kinds, args.dpi, args.seed)
    print(f"{len(pages)} pages scanned into {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()

"""Extraction throughput with and without the narrative span model, and load time.

Run: ``python -m benchmarks.model [--seeds DIR] [--repeats N] [--model DIR]``.

Measured on the seed documents (``shared/seeds/*.txt`` beside the repository, else
``annotations/corpus``):

- load: wall time of a fresh ``python -c`` that imports ``nlp.classify``, reads the
  model folder and builds the segmentation pipeline (a new process each time, so
  nothing is cached; the jieba dictionary cache in the temp folder is warm after the
  first run);
- extract: documents per second through read → tables → assemble, rules only vs
  rules + model (one warm-up pass, then ``--repeats`` timed passes, best shown);
- prose: characters of running text per second through the statement finder
  (``find_statements``: the rules, then the model's judgement of each statement),
  rules only vs rules + model, over every line of the seeds that is not a table row;
- spans: candidate spans scored per second by the model alone, over every line of
  the seeds.
"""

from __future__ import annotations

import argparse
import logging
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

log = logging.getLogger(__name__)

REPO = Path(__file__).resolve().parent.parent
SEED_DIRS = (REPO.parent / "shared" / "seeds", REPO / "annotations" / "corpus")
LOAD_SNIPPET = (
    "import time; t = time.perf_counter(); "
    "from pathlib import Path; "
    "from nlp.classify import SpanScorer, token_bounds_of; "
    "m = SpanScorer.from_disk(Path({model!r})); t1 = time.perf_counter(); "
    "token_bounds_of('采购执行率为98.73%'); t2 = time.perf_counter(); "
    "print(f'{{t1 - t:.3f}} {{t2 - t:.3f}}')"
)


def _seed_files(seeds: Path | None) -> list[Path]:
    for folder in [seeds] if seeds else SEED_DIRS:
        if folder and folder.is_dir():
            files = sorted(folder.glob("*.txt"))
            if files:
                return files
    raise SystemExit("no seed documents found; pass --seeds DIR")


def _best_of(repeats: int, run: Callable[[], object]) -> float:
    run()  # warm-up: imports, jieba, caches
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def _extract_all(files: Sequence[Path], model: object) -> None:
    from nlp.assemble import assemble
    from nlp.blocks import recover_tables
    from nlp.read import read_document

    for path in files:
        document = read_document(path, name=path.name)
        assemble(document, recover_tables(document), path.name, model=model)


def _statements(lines: Sequence[str], model: object) -> None:
    from nlp.classify import find_statements

    for line in lines:
        find_statements(line, "target", model)


def _load_times(model_dir: Path, repeats: int) -> tuple[float, float]:
    """(model read, model read + segmenter ready) in seconds, best of fresh runs."""
    code = LOAD_SNIPPET.format(model=str(model_dir))
    best = (float("inf"), float("inf"))
    for _ in range(repeats):
        out = subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            cwd=REPO,
        ).stdout.split()
        best = min(best, (float(out[0]), float(out[1])))
    return best


def main(argv: Sequence[str] | None = None) -> int:
    """Print the benchmark table."""
    from nlp.classify import SpanScorer, score_spans

    parser = argparse.ArgumentParser(prog="python -m benchmarks.model")
    parser.add_argument("--seeds", type=Path)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument(
        "--model", type=Path, default=REPO / "nlp" / "models" / "narrative"
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    files = _seed_files(args.seeds)
    model = SpanScorer.from_disk(args.model)
    load_model, load_ready = _load_times(args.model, args.repeats)
    rules = _best_of(args.repeats, lambda: _extract_all(files, None))
    with_model = _best_of(args.repeats, lambda: _extract_all(files, model))
    lines = [
        line
        for path in files
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    counted = [0]

    def score_lines() -> None:
        counted[0] = sum(len(score_spans(line, model)) for line in lines)

    spans_time = _best_of(args.repeats, score_lines)
    prose = [line for line in lines if "\t" not in line and "|" not in line]
    chars = sum(len(line) for line in prose)
    prose_rules = _best_of(args.repeats, lambda: _statements(prose, None))
    prose_model = _best_of(args.repeats, lambda: _statements(prose, model))
    size = sum(p.stat().st_size for p in args.model.iterdir() if p.is_file())
    rows = [
        ("documents", f"{len(files)}"),
        ("model size", f"{size / 1e6:.2f} MB"),
        ("load: read model (fresh process)", f"{load_model:.3f} s"),
        ("load: model + segmenter ready", f"{load_ready:.3f} s"),
        ("extract, rules only", f"{len(files) / rules:.1f} docs/s ({rules:.2f} s)"),
        (
            "extract, rules + model",
            f"{len(files) / with_model:.1f} docs/s ({with_model:.2f} s)",
        ),
        ("prose, rules only", f"{chars / prose_rules:,.0f} chars/s ({chars} chars)"),
        ("prose, rules + model", f"{chars / prose_model:,.0f} chars/s"),
        ("model alone", f"{counted[0] / spans_time:.0f} spans/s ({counted[0]} spans)"),
    ]
    width = max(len(name) for name, _ in rows)
    log.info("\n".join(f"{name:<{width}}  {value}" for name, value in rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

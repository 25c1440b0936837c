"""Prose throughput with and without the narrative span model, its size and load time.

Run: ``python -m benchmarks.model [--repeats N] [--model DIR] [--corpus DIR]``.

Everything is printed by one run:

- size: bytes of the model folder's files on disk;
- load, in fresh processes (nothing cached in memory), CPU time (user + sys) and wall
  time: reading the model files (``SpanScorer.from_disk``), and making the segmenter
  ready (jieba's prefix dictionary plus the budget lexicon, ``get_segmenter``) with
  the prefix-dictionary cache warm and with it cold (empty cache folders, ours and
  jieba's: jieba builds the dictionary from its word list, then our cache is
  written; what the first run on a new machine pays);
- prose: characters and statements per CPU second through the statement finder
  (``find_statements``: the rules, then, with the model, its judgement of each rule
  statement), rules only vs rules + model, on two texts: the real prose units of the
  saved span corpus (``annotations/spans``, set ``real``: sentences and prose cells of
  the annotated statement pages of real PDFs and the OCR'd scan) and the non-table
  lines of the bundled samples (``samples/``);
- extract: the bundled samples through read → tables → assemble, rules only vs
  rules + model, documents per CPU second.

Throughput is the best of ``--repeats`` passes after a warm-up pass (the warm-up
loads the model and the segmenter once, as a process does).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "samples"
CORPUS = REPO / "annotations" / "spans"
# Run in a fresh interpreter: CPU and wall seconds of one loading step.
LOAD_SNIPPET = """
import json, resource, time
def cpu():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime
step = {step!r}
c, w = cpu(), time.perf_counter()
if step == "model":
    from pathlib import Path
    from nlp.classify import SpanScorer
    SpanScorer.from_disk(Path({model!r}))
else:
    from nlp.segment import get_segmenter
    get_segmenter().words("采购执行率为98.73%")
print(json.dumps([cpu() - c, time.perf_counter() - w]))
"""


@dataclass(frozen=True, slots=True)
class Prose:
    """Lines of running text and the statement kind each is read with."""

    name: str
    lines: list[tuple[str, str]]

    @property
    def chars(self) -> int:
        """Characters over all lines."""
        return sum(len(text) for text, _ in self.lines)


def real_prose(corpus: Path) -> Prose:
    """The real prose units of the saved span corpus (set ``real``)."""
    from datasets import load_from_disk

    rows = load_from_disk(str(corpus)).filter(lambda row: row["set"] == "real")
    lines = [(row["text"], row["doc_kind"]) for row in rows]
    docs = len({row["doc"] for row in rows})
    return Prose(f"real prose ({docs} PDFs)", lines)


def sample_prose(files: Sequence[Path]) -> Prose:
    """The non-table lines of the bundled samples, as the reader gives them."""
    from nlp.read import read_document

    lines = []
    for path in files:
        for line in read_document(path, name=path.name).text.splitlines():
            if line.strip() and "\t" not in line:
                lines.append((line, "target"))
    return Prose(f"samples ({len(files)} files)", lines)


def _best_cpu(repeats: int, run: Callable[[], object]) -> float:
    """Best CPU seconds of ``repeats`` runs after a warm-up run."""
    run()
    times = []
    for _ in range(repeats):
        start = time.process_time()
        run()
        times.append(time.process_time() - start)
    return max(min(times), 1e-9)


def _statements(prose: Prose, model: object) -> int:
    from nlp.classify import find_statements

    return sum(len(find_statements(text, kind, model)) for text, kind in prose.lines)


def _extract_all(files: Sequence[Path], model: object) -> None:
    from nlp.assemble import assemble
    from nlp.blocks import recover_tables
    from nlp.read import read_document

    for path in files:
        document = read_document(path, name=path.name)
        assemble(document, recover_tables(document), path.name, model=model)


def load_time(
    step: str, model: Path, repeats: int, cold: bool = False
) -> tuple[float, float]:
    """(CPU s, wall s) of one loading step in a fresh process, best of ``repeats``.

    Args:
        step: ``model`` (read the model files) or ``segmenter``.
        model: the model folder.
        repeats: fresh processes to run.
        cold: give the process empty cache folders, ours and jieba's, so jieba
            builds its dictionary from its word list and the cache is written.
    """
    code = LOAD_SNIPPET.format(step=step, model=str(model))
    best = (float("inf"), float("inf"))
    for _ in range(repeats):
        with tempfile.TemporaryDirectory() as empty:
            # cold: neither our prefix cache nor jieba's own (in the temp folder)
            env = {**os.environ, "ZHIBIAO_CACHE": empty, "TMPDIR": empty}
            env = env if cold else None
            out = subprocess.run(
                [sys.executable, "-c", code],
                capture_output=True,
                text=True,
                check=True,
                cwd=REPO,
                env=env,
            ).stdout
        cpu, wall = json.loads(out.strip().splitlines()[-1])
        best = min(best, (cpu, wall))
    return best


def _seconds(cpu_wall: tuple[float, float]) -> str:
    return f"{cpu_wall[0]:.2f} s CPU ({cpu_wall[1]:.2f} s wall)"


def _rate(amount: float, seconds: float) -> str:
    return f"{amount / seconds:,.0f}"


def main(argv: Sequence[str] | None = None) -> int:
    """Print the benchmark table."""
    from nlp.classify import SpanScorer
    from nlp.segment import get_segmenter

    parser = argparse.ArgumentParser(prog="python -m benchmarks.model")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument(
        "--model", type=Path, default=REPO / "nlp" / "models" / "narrative"
    )
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")

    size = sum(p.stat().st_size for p in args.model.iterdir() if p.is_file())
    model_load = load_time("model", args.model, args.repeats)
    get_segmenter().words("预热")  # the default cache is warm from here on
    warm = load_time("segmenter", args.model, args.repeats)
    cold = load_time("segmenter", args.model, 1, cold=True)
    rows = [
        ("model size on disk", f"{size / 1e6:.2f} MB"),
        (
            "load: model files",
            f"{model_load[0]:.2f} s CPU ({model_load[1]:.2f} s wall)",
        ),
        (
            "load: segmenter, prefix cache warm",
            f"{warm[0]:.2f} s CPU ({warm[1]:.2f} s wall)",
        ),
        (
            "load: segmenter, prefix cache cold",
            f"{cold[0]:.2f} s CPU ({cold[1]:.2f} s wall)",
        ),
        (
            "load: model + segmenter (warm)",
            f"{model_load[0] + warm[0]:.2f} s CPU "
            f"({model_load[1] + warm[1]:.2f} s wall)",
        ),
    ]
    model = SpanScorer.from_disk(args.model)
    files = sorted(p for p in SAMPLES.iterdir() if p.is_file())
    texts = [real_prose(args.corpus)] if args.corpus.is_dir() else []
    texts.append(sample_prose(files))
    for prose in texts:
        for label, used in (("rules only", None), ("rules + model", model)):
            found = _statements(prose, used)
            seconds = _best_cpu(args.repeats, lambda p=prose, m=used: _statements(p, m))
            rows.append(
                (
                    f"prose, {prose.name}, {label}",
                    f"{_rate(prose.chars, seconds)} chars/s, "
                    f"{_rate(found, seconds)} statements/s "
                    f"({prose.chars:,} chars, {found} statements)",
                )
            )
    for label, used in (("rules only", None), ("rules + model", model)):
        seconds = _best_cpu(args.repeats, lambda m=used: _extract_all(files, m))
        rows.append(
            (
                f"extract samples, {label}",
                f"{len(files) / seconds:.1f} docs/s ({seconds:.2f} s CPU)",
            )
        )
    width = max(len(name) for name, _ in rows)
    log.info("\n".join(f"{name:<{width}}  {value}" for name, value in rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

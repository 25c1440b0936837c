"""Rebuild the span corpus, choose the span model by leave one city out, train it.

``python -m nlp.retrain`` redoes, in one process, everything the shipped model
depends on, after the gold, the readers or the statement rules change:

1. the span corpus (``nlp.corpus.build_dataset``: ``annotations`` →
   ``annotations/spans`` with its dataset card and ``alignment.json``);
2. leave one city out on the real documents, training every fold from the saved
   corpus as ``datasets.load_from_disk`` gives it back (``nlp.crossval.choose_real``):
   rules only vs rules + model per document and per city, the setting chosen,
   the calibration of ``confidence`` and its reliability table;
3. the shipped model trained on the whole saved corpus with that setting, with
   ``scores.md`` and the model card (``nlp.crossval.train_chosen``).

Each real document is read once (a scan OCR'd once) for steps 1 and 2 together.
"""

from __future__ import annotations

import argparse
import json
import logging
import time
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from nlp.corpus import build_dataset
from nlp.crossval import DocumentCache, choose_real, train_chosen

logger = logging.getLogger(__name__)

DEFAULT_ANNOTATIONS = Path("annotations")
DEFAULT_OUT = Path("nlp") / "models" / "narrative"


def retrain(
    annotations: Path = DEFAULT_ANNOTATIONS,
    out: Path = DEFAULT_OUT,
    corpus: Path | None = None,
    seed: int = 0,
    cache: DocumentCache | None = None,
) -> dict[str, Any]:
    """Corpus → leave one city out → model, as the module docstring says.

    Args:
        annotations: the annotated sets (seeds, held-out sets, ``real``).
        out: the model folder, overwritten.
        corpus: where the span corpus is written; ``annotations/spans`` when None.
        seed: seed of the template sampling.
        cache: documents already read (for tests and repeated runs).

    Returns:
        Alignment counts, the chosen settings, training facts and step times.
    """
    annotations = Path(annotations)
    corpus = Path(corpus) if corpus is not None else annotations / "spans"
    cache = cache if cache is not None else DocumentCache()
    seconds: dict[str, float] = {}
    start = time.perf_counter()
    alignment = build_dataset(annotations, corpus, read=cache.read)
    seconds["corpus"] = round(time.perf_counter() - start, 1)
    start = time.perf_counter()
    choice = choose_real(annotations, corpus, seed=seed, cache=cache)
    seconds["leave_one_city_out"] = round(time.perf_counter() - start, 1)
    start = time.perf_counter()
    report = train_chosen(choice, corpus, out, seed=seed)
    seconds["train"] = round(time.perf_counter() - start, 1)
    return {
        "corpus": str(corpus),
        "alignment": {k: v for k, v in alignment.to_dict().items() if k != "failures"},
        "params": asdict(choice.params),
        "model": {k: str(v) for k, v in asdict(report).items()},
        "seconds": seconds,
    }


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m nlp.retrain [--annotations DIR] [--out DIR] [--corpus DIR]``."""
    parser = argparse.ArgumentParser(
        prog="python -m nlp.retrain",
        description="Rebuild the span corpus, choose the model by leave one city "
        "out on the real documents, train it and write scores.md and the cards.",
    )
    parser.add_argument("--annotations", type=Path, default=DEFAULT_ANNOTATIONS)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument(
        "--corpus", type=Path, help="span corpus to write (default ANNOTATIONS/spans)"
    )
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    summary = retrain(args.annotations, args.out, args.corpus, args.seed)
    logger.info("%s", json.dumps(summary, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

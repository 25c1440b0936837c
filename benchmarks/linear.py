"""Time against input length, 10,000 to 1,000,000 characters: is it linear?

Run: ``python -m benchmarks.linear [--max-chars N] [--budget SECONDS]``.

For text assembly (a plain-text document read into a ``Document``: decoding
aside, line scanning, table detection, paragraph joining and the builder's
offsets) and for each of the four normalizers, inputs of growing length are
built from repeated budget sentences, from runs of spaces and tabs, and from one
long run of digits. Each row gives the seconds per size and the ratio of each
time to the one before (10 for linear growth at a tenfold size, 100 for
quadratic); sizes below a million take the best of three calls. A function
that passes ``--budget`` seconds at a size is not run at the next one.
"""

from __future__ import annotations

import argparse
import itertools
import time
from collections.abc import Callable

from nlp.errors import ParseError
from nlp.normalize import find_amounts, normalize_target, parse_money, split_targets
from nlp.read.limits import ReadLimits, reading_limits
from nlp.read.text import TextReader

SENTENCE = (
    "本项目预算资金746.1万元，其中人员支出300万元；培训合格率≥95%，满意度达90%以上。"
)
TABLE_ROW = "产出指标\t数量指标\t培训人次\t≥95人次\n"
SIZES = (10_000, 100_000, 1_000_000)
REPEATS = 3


def _repeat(unit: str, size: int) -> str:
    return (unit * (size // len(unit) + 1))[:size]


INPUTS: dict[str, Callable[[int], str]] = {
    "sentences": lambda n: _repeat(SENTENCE, n),
    "lines": lambda n: _repeat(SENTENCE + "\n" + TABLE_ROW, n),
    "spaces": lambda n: _repeat(" \t", n),
    "digits": lambda n: _repeat("1234567890", n),
}


def _assemble(text: str) -> object:
    # The line limit would stop the long lines this benchmark is about.
    with reading_limits(ReadLimits(max_line_chars=10**9)):
        return TextReader().read_string(text, "bench")


def _parse_money(text: str) -> object:
    try:
        return parse_money(text)
    except ParseError:
        return None


FUNCTIONS: dict[str, Callable[[str], object]] = {
    "text assembly": _assemble,
    "normalize_target": normalize_target,
    "split_targets": split_targets,
    "parse_money": _parse_money,
    "find_amounts": find_amounts,
}


def _best_time(function: Callable[[str], object], text: str, repeats: int) -> float:
    """Least seconds of ``repeats`` calls (small sizes are noisy)."""
    best = float("inf")
    for _ in range(repeats):
        started = time.perf_counter()
        function(text)
        best = min(best, time.perf_counter() - started)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-chars", type=int, default=SIZES[-1])
    parser.add_argument("--budget", type=float, default=60.0)
    args = parser.parse_args()
    sizes = [n for n in SIZES if n <= args.max_chars]
    header = " | ".join(f"{n:,} chars s" for n in sizes)
    print(f"| function | input | {header} | growth per tenfold |")
    print("| --- | --- |" + " ---: |" * len(sizes) + " --- |")
    for name, function in FUNCTIONS.items():
        for kind, build in INPUTS.items():
            cells, times = [], []
            for size in sizes:
                if times and times[-1] > args.budget:
                    cells.append("skipped")
                    continue
                text = build(size)
                times.append(_best_time(function, text, REPEATS if size < 10**6 else 1))
                cells.append(f"{times[-1]:.3f}")
            ratios = [
                f"×{b / a:.0f}" if a > 1e-3 else "—"
                for a, b in itertools.pairwise(times)
            ]
            print(
                f"| {name} | {kind} | {' | '.join(cells)} | {' '.join(ratios)} |",
                flush=True,
            )


if __name__ == "__main__":
    main()

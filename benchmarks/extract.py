"""Throughput, memory and single-document latency of ``extract`` on text inputs.

Run: ``python -m benchmarks.extract [--size-mb 50] [--workers 1 2] [--seeds DIR]
[--doc-kb 60] [--repeats 7] [--profile-mb 5] [--top 15]``.

**Corpus.** The seed documents (``shared/seeds/*.txt`` beside the repository, else
``annotations/corpus/``, or ``--seeds DIR``) are copied round-robin into a
temporary folder as distinct files (``00042_<seed name>``) until the copies hold
``--size-mb`` megabytes (10^6 bytes).

**Batch runs.** :func:`nlp.pipeline.run_batch` extracts the corpus into a temporary
output folder (JSON Lines) once per ``--workers`` value. Each run happens in a
fresh interpreter started for it, so peak memory belongs to that run alone: peak
RSS is ``resource.getrusage`` ``ru_maxrss`` of that interpreter (``RUSAGE_SELF``,
which does the work when there is one worker and only writes records otherwise)
and of its largest worker process (``RUSAGE_CHILDREN``, the maximum over the
workers, not their sum); CPU seconds (user + system) are those of that interpreter
and of all its workers together, steadier than wall time when other work shares the
machine (the load average is reported). The interpreter imports the stages and
extracts one small document before the clock starts; with several workers the wall
time includes starting the worker pool, which is part of what a batch costs. The
records of every run are compared byte for byte with those of the first.

**Floors,** measured in the same invocation on the same files and on one core,
so the ratios say what the analysis costs above work no text extractor can skip:

- *read+decode*: ``Path.read_bytes().decode("utf-8")`` of every file, the least
  any reader does to get text;
- *read+split+regex*: the same, then one naive pass that splits the text into
  lines and tab fields (``str.split``) and finds every ``number + 元/万元/亿元``
  run with one regular expression: a table tokenizer and an amount finder with
  no analysis at all.

Files are read warm (just written, in the page cache) by the floors and by the
pipeline alike, so neither includes disk latency.

**Typical document.** The seeds are about 1.5-2 KB of text per printed page;
they are concatenated and cut at the first blank line after ``--doc-kb`` KB
(60 KB, about 30 pages), written to a file and extracted with
:func:`nlp.pipeline.extract_file` pinned to one CPU; best and median of
``--repeats`` runs after a warm-up.

**Profile.** cProfile over a one-worker ``run_batch`` on the first
``--profile-mb`` MB of the corpus; the ``--top`` functions by cumulative and by
own time, each with its share of the profiled total.
"""

from __future__ import annotations

import argparse
import cProfile
import hashlib
import json
import logging
import os
import pstats
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

REPO = Path(__file__).resolve().parent.parent
SEED_DIRS = (REPO.parent / "shared" / "seeds", REPO / "annotations" / "corpus")
MB = 1_000_000
KB = 1_000
# The record files compared between runs; documents.jsonl holds timings.
RECORD_FILES = ("indicators.jsonl", "amounts.jsonl")
# The naive amount finder of the split+regex floor.
SIMPLE_AMOUNT = re.compile(r"[0-9][0-9,.]*\s*(?:万元|亿元|元)")
FLOOR_REPEATS = 3
WARM_UP_TEXT = "一、部门预算\n\n项目\t指标\t目标值\n数量指标\t培训人次\t≥100人次\n"


def seed_dir(explicit: str | None) -> Path:
    """The folder of seed ``.txt`` files: ``explicit``, else the first that exists."""
    candidates = (Path(explicit),) if explicit else SEED_DIRS
    for folder in candidates:
        if folder.is_dir() and any(folder.glob("*.txt")):
            return folder
    raise SystemExit(f"no seed .txt files in {', '.join(map(str, candidates))}")


def build_corpus(seeds: Sequence[Path], folder: Path, size: int) -> list[Path]:
    """Copy the seeds round-robin into ``folder`` until the copies hold ``size`` bytes.

    Returns:
        The copies, in the order ``run_batch`` will read them (sorted names).
    """
    folder.mkdir(parents=True, exist_ok=True)
    files: list[Path] = []
    total = 0
    while total < size:
        seed = seeds[len(files) % len(seeds)]
        copy = folder / f"{len(files):05d}_{seed.name}"
        shutil.copyfile(seed, copy)
        files.append(copy)
        total += copy.stat().st_size
    return files


def total_bytes(files: Sequence[Path]) -> int:
    """Sum of the files' sizes."""
    return sum(f.stat().st_size for f in files)


# --------------------------------------------------------------------- floors


def floor_read_decode(files: Sequence[Path]) -> int:
    """Read and decode every file; returns characters seen (so nothing is skipped)."""
    return sum(len(f.read_bytes().decode("utf-8")) for f in files)


def floor_split_regex(files: Sequence[Path]) -> int:
    """Read, decode, split into lines and tab fields, find naive amounts.

    Returns:
        Fields plus amounts seen (so nothing is optimised away).
    """
    seen = 0
    for f in files:
        text = f.read_bytes().decode("utf-8")
        for line in text.split("\n"):
            seen += len(line.split("\t"))
        seen += len(SIMPLE_AMOUNT.findall(text))
    return seen


def best_seconds(fn: Callable[[], object], repeats: int) -> float:
    """Best wall time of ``repeats`` calls of ``fn``."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


# --------------------------------------------------------------- batch runs


@dataclass(slots=True)
class BatchRun:
    """One ``run_batch`` measured in its own interpreter.

    Attributes:
        workers: worker processes asked for.
        seconds: wall time of ``run_batch``.
        documents: documents extracted (status ok).
        errors: documents that failed.
        indicators: indicator records written.
        amounts: amount records written.
        rss_start_mb: resident memory of the interpreter when the clock started.
        peak_self_mb: peak resident memory of the interpreter running the batch.
        peak_worker_mb: peak resident memory of the largest worker (0 without).
        cpu_self_s: CPU seconds (user + system) of the interpreter in the batch.
        cpu_workers_s: CPU seconds of all worker processes together.
        digest: SHA-256 of the record files, to compare runs.
    """

    workers: int
    seconds: float
    documents: int
    errors: int
    indicators: int
    amounts: int
    rss_start_mb: float
    peak_self_mb: float
    peak_worker_mb: float
    cpu_self_s: float
    cpu_workers_s: float
    digest: str


def _current_rss_mb() -> float:
    """Resident memory of this process now, from /proc (0 where unavailable)."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
    except (OSError, IndexError, ValueError):
        return 0.0
    return pages * os.sysconf("SC_PAGE_SIZE") / MB


def _maxrss_mb(who: int) -> float:
    """``ru_maxrss`` in MB (Linux reports kilobytes)."""
    return resource.getrusage(who).ru_maxrss * 1024 / MB


def _cpu_seconds(who: int) -> float:
    """User plus system CPU seconds so far."""
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def _digest(out_dir: Path) -> str:
    """SHA-256 over the record files of an output folder."""
    sha = hashlib.sha256()
    for name in RECORD_FILES:
        with (out_dir / name).open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                sha.update(chunk)
    return sha.hexdigest()


def child_batch(corpus: Path, out_dir: Path, workers: int) -> BatchRun:
    """Warm up, then time one ``run_batch``; runs inside a fresh interpreter."""
    from nlp.pipeline import extract_text, run_batch

    extract_text(WARM_UP_TEXT)  # import the stages and load models first
    rss_start = _current_rss_mb()
    cpu_start = _cpu_seconds(resource.RUSAGE_SELF)
    start = time.perf_counter()
    summary = run_batch([corpus], out_dir, "jsonl", workers=workers)
    seconds = time.perf_counter() - start
    return BatchRun(
        workers=workers,
        seconds=seconds,
        documents=summary.ok,
        errors=summary.error,
        indicators=summary.indicators,
        amounts=summary.amounts,
        rss_start_mb=rss_start,
        peak_self_mb=_maxrss_mb(resource.RUSAGE_SELF),
        peak_worker_mb=_maxrss_mb(resource.RUSAGE_CHILDREN),
        cpu_self_s=_cpu_seconds(resource.RUSAGE_SELF) - cpu_start,
        cpu_workers_s=_cpu_seconds(resource.RUSAGE_CHILDREN),
        digest=_digest(out_dir),
    )


def run_batch_isolated(corpus: Path, out_dir: Path, workers: int) -> BatchRun:
    """Run :func:`child_batch` in a new interpreter and read back its result."""
    answer = out_dir.with_suffix(".json")
    command = [
        sys.executable,
        "-m",
        "benchmarks.extract",
        "--child-batch",
        json.dumps([str(corpus), str(out_dir), workers, str(answer)]),
    ]
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"batch run failed:\n{done.stderr}")
    return BatchRun(**json.loads(answer.read_text(encoding="utf-8")))


# --------------------------------------------------------- typical document


def typical_document(seeds: Sequence[Path], size: int) -> str:
    """The seeds concatenated, cut at the first blank line after ``size`` bytes."""
    text = "\n\n".join(s.read_text(encoding="utf-8") for s in seeds)
    while len(text.encode("utf-8")) < size:
        text = f"{text}\n\n{text}"
    cut = len(text.encode("utf-8")[:size].decode("utf-8", errors="ignore"))
    blank = text.find("\n\n", cut)
    return text if blank < 0 else text[:blank] + "\n"


def _load_average() -> str:
    """The 1-minute load average (other work on the machine skews timings)."""
    if not hasattr(os, "getloadavg"):
        return "unknown"
    return f"{os.getloadavg()[0]:.2f}"


def _pin_to_one_cpu() -> str:
    """Restrict this process to one CPU where the OS allows it; says which."""
    if not hasattr(os, "sched_setaffinity"):
        return "not pinned"
    cpu = min(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {cpu})
    return f"pinned to CPU {cpu}"


def time_typical(path: Path, repeats: int) -> dict[str, Any]:
    """Best and median seconds of ``extract_file`` on one document, one CPU."""
    from nlp.pipeline import extract_file

    allowed = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else None
    pinned = _pin_to_one_cpu()
    try:
        extract_file(path, path.name)  # warm-up: imports, first-use caches
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            result = extract_file(path, path.name)
            times.append(time.perf_counter() - start)
    finally:
        if allowed is not None:
            os.sched_setaffinity(0, allowed)
    stages = dict(result.document.timings)
    return {
        "best": min(times),
        "median": statistics.median(times),
        "pinned": pinned,
        "indicators": len(result.indicators),
        "amounts": len(result.amounts),
        "stages": stages,
    }


# ------------------------------------------------------------------ profile


def profile_batch(files: Sequence[Path], work: Path, top: int) -> str:
    """cProfile a one-worker ``run_batch`` over ``files``; top functions as text."""
    from nlp.pipeline import extract_text, run_batch

    extract_text(WARM_UP_TEXT)
    subset = work / "profile_in"
    subset.mkdir()
    for f in files:
        os.link(f, subset / f.name)
    profiler = cProfile.Profile()
    profiler.enable()
    run_batch([subset], work / "profile_out", "jsonl", workers=1)
    profiler.disable()
    stats = pstats.Stats(profiler)
    raw = stats.stats  # type: ignore[attr-defined]
    # The outermost call's cumulative time: the whole profiled run.
    total = max(cum for (_, _, _, cum, _) in raw.values())
    lines = [f"profiled run_batch: {total:.2f} s (cProfile overhead included)"]
    for index, title in ((3, "cumulative"), (2, "own")):
        lines += ["", f"top {top} by {title} time", _profile_table(raw, index, top)]
    return "\n".join(lines)


def _profile_table(raw: dict, index: int, top: int) -> str:
    """A Markdown table of the top functions by column ``index`` of pstats' rows.

    pstats rows are ``(primitive calls, calls, own s, cumulative s, callers)``;
    shares are of the outermost call's cumulative time.
    """
    total = max(cum for (_, _, _, cum, _) in raw.values())
    order = sorted(raw.items(), key=lambda item: item[1][index], reverse=True)
    rows = [
        "| function | calls | own s | own % | cumulative s | cumulative % |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for (filename, line, name), (_, calls, own, cum, _) in order[:top]:
        where = _short_path(filename)
        label = f"{where}:{line}({name})" if line else name
        rows.append(
            f"| `{label}` | {calls:,} | {own:.3f} | {100 * own / total:.1f} | "
            f"{cum:.3f} | {100 * cum / total:.1f} |"
        )
    return "\n".join(rows)


def _short_path(filename: str) -> str:
    """A source path relative to the repository, or its last two parts."""
    path = Path(filename)
    try:
        return path.relative_to(REPO).as_posix()
    except ValueError:
        return "/".join(path.parts[-2:]) if path.parts else filename


# ------------------------------------------------------------------- report


def report(
    size: int,
    n_files: int,
    floors: dict[str, float],
    runs: Sequence[BatchRun],
    typical: dict[str, Any],
    typical_bytes: int,
) -> str:
    """The results as Markdown tables."""
    mb = size / MB
    lines = [
        f"corpus: {n_files} files, {mb:.1f} MB; machine: {os.cpu_count()} CPUs, "
        f"Python {sys.version.split()[0]}; load average at the end "
        f"{_load_average()}",
        "",
        "| run | documents/s | MB/s | wall s | × read+decode | × split+regex | "
        "CPU s main / workers | peak RSS main MB | peak RSS largest worker MB |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, seconds in floors.items():
        lines.append(
            f"| floor: {name} | {n_files / seconds:,.0f} | {mb / seconds:,.1f} | "
            f"{seconds:.3f} | | | | | |"
        )
    for run in runs:
        lines.append(
            f"| extract, {run.workers} worker{'s' if run.workers > 1 else ''} | "
            f"{run.documents / run.seconds:,.1f} | {mb / run.seconds:.2f} | "
            f"{run.seconds:.1f} | {run.seconds / floors['read+decode']:,.0f}× | "
            f"{run.seconds / floors['read+split+regex']:,.0f}× | "
            f"{run.cpu_self_s:.1f} / {run.cpu_workers_s:.1f} | "
            f"{run.peak_self_mb:.0f} (start {run.rss_start_mb:.0f}) | "
            f"{run.peak_worker_mb:.0f} |"
        )
    first = runs[0]
    lines.append("")
    for run in runs:
        same = "identical to" if run.digest == first.digest else "DIFFERENT from"
        lines.append(
            f"- {run.workers} worker(s): {run.documents} ok, {run.errors} errors, "
            f"{run.indicators:,} indicators, {run.amounts:,} amounts; records "
            f"{same} the {first.workers}-worker run"
        )
    if len(runs) > 1:
        base = runs[0].seconds
        for run in runs[1:]:
            lines.append(
                f"- speed-up {run.workers} vs {first.workers} worker(s): "
                f"{base / run.seconds:.2f}×"
            )
    stages = ", ".join(f"{k} {v * 1000:.0f} ms" for k, v in typical["stages"].items())
    lines += [
        "",
        f"typical document: {typical_bytes / KB:.0f} KB (~{typical_bytes / 2000:.0f}-"
        f"{typical_bytes / 1500:.0f} pages), {typical['pinned']}: best "
        f"{typical['best'] * 1000:.0f} ms, median {typical['median'] * 1000:.0f} ms "
        f"({typical['indicators']} indicators, {typical['amounts']} amounts); "
        f"stages of the last run: {stages}",
    ]
    return "\n".join(lines)


def run(args: argparse.Namespace) -> None:
    """Build the corpus, measure floors, batches, one document, and the profile."""
    seeds = sorted(seed_dir(args.seeds).glob("*.txt"))
    with tempfile.TemporaryDirectory(prefix="zhibiao-bench-") as tmp:
        work = Path(tmp)
        files = build_corpus(seeds, work / "corpus", int(args.size_mb * MB))
        size = total_bytes(files)
        log.info(
            "corpus: %d files, %.1f MB in %s; load average %s",
            len(files),
            size / MB,
            work,
            _load_average(),
        )
        floors = {
            "read+decode": best_seconds(
                lambda: floor_read_decode(files), FLOOR_REPEATS
            ),
            "read+split+regex": best_seconds(
                lambda: floor_split_regex(files), FLOOR_REPEATS
            ),
        }
        runs = []
        for workers in args.workers:
            log.info("run_batch with %d worker(s) ...", workers)
            out = work / f"out_{workers}"
            runs.append(run_batch_isolated(work / "corpus", out, workers))
            shutil.rmtree(out)
        doc_text = typical_document(seeds, int(args.doc_kb * KB))
        doc_path = work / "typical.txt"
        doc_path.write_text(doc_text, encoding="utf-8")
        typical = time_typical(doc_path, args.repeats)
        log.info(
            "%s",
            report(size, len(files), floors, runs, typical, doc_path.stat().st_size),
        )
        if args.profile_mb > 0:
            subset: list[Path] = []
            while total_bytes(subset) < args.profile_mb * MB and len(subset) < len(
                files
            ):
                subset.append(files[len(subset)])
            log.info(
                "\nprofile: one worker, %d files, %.1f MB\n%s",
                len(subset),
                total_bytes(subset) / MB,
                profile_batch(subset, work, args.top),
            )


def main(argv: Sequence[str] | None = None) -> None:
    """Parse arguments and run the benchmark (or, internally, one batch run)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=float, default=50.0, help="corpus size")
    parser.add_argument(
        "--workers", type=int, nargs="+", default=[1, 2], help="worker counts"
    )
    parser.add_argument("--seeds", help="directory of seed .txt files")
    parser.add_argument("--doc-kb", type=float, default=60.0, help="typical doc size")
    parser.add_argument("--repeats", type=int, default=7, help="typical doc runs")
    parser.add_argument(
        "--profile-mb", type=float, default=5.0, help="profiled subset (0: none)"
    )
    parser.add_argument("--top", type=int, default=15, help="profile rows")
    parser.add_argument("--child-batch", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.repeats < 1:
        parser.error("--repeats must be at least 1")
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    if args.child_batch:
        corpus, out_dir, workers, answer = json.loads(args.child_batch)
        measured = child_batch(Path(corpus), Path(out_dir), workers)
        Path(answer).write_text(json.dumps(asdict(measured)), encoding="utf-8")
        return
    run(args)


if __name__ == "__main__":
    main()

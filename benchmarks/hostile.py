"""Time and peak memory of each hostile input against the default limits.

Run: ``python -m benchmarks.hostile [--cases NAME ...] [--keep DIR]``.

Each case of ``tests/hostile_cases.py`` is built at its full size (a 14,400-point
PDF page, 500 one-pixel TIFF frames, a DOCX inflating to 1.1 GB, a 20 MB line, a
million-row sheet, 50 MB of HTML, 5,000 nested tables ...) and extracted alone
with ``zhibiao extract`` in a child process with the default limits. The table
gives the wall time of the extraction, the peak resident memory of the processes
it ran (``ru_maxrss`` of the child and its worker), the document's status and the
start of its message, against the budget: 60 s and 2 GB per case.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPOSITORY / "tests"))

from hostile_cases import CASES, Case  # noqa: E402

BUDGET_SECONDS = 60.0
BUDGET_BYTES = 2 * 1024**3


def measure(case: Case, folder: Path) -> dict[str, object]:
    """Build one case and extract it in a child process; time, memory, outcome."""
    inputs = folder / "in"
    inputs.mkdir()
    path = case.build(inputs)
    out = folder / "out"
    command = [
        sys.executable,
        "-m",
        "benchmarks.hostile",
        "--child",
        str(path),
        str(out),
    ]
    started = time.perf_counter()
    child = subprocess.run(command, cwd=REPOSITORY, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    try:
        report = json.loads(child.stdout.strip().splitlines()[-1])
    except (IndexError, ValueError):
        report = {"status": "crash", "error": child.stderr[-300:], "peak": 0}
    return {"case": case.name, "seconds": seconds, **report}


def child(path: Path, out: Path) -> None:
    """In the child: run the extraction, report status and peak memory."""
    command = [sys.executable, "-m", "nlp.cli", "extract", str(path), "--out", str(out)]
    subprocess.run(command, cwd=REPOSITORY, capture_output=True)
    documents = out / "documents.jsonl"
    record = {}
    if documents.exists():
        record = json.loads(documents.read_text(encoding="utf-8").splitlines()[0])
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    print(
        json.dumps(
            {
                "status": record.get("status", "none"),
                "error": (record.get("error") or "")[-160:],
                "peak": peak,
            },
            ensure_ascii=False,
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", nargs="*", help="case names (default: all)")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(Path(args.child[0]), Path(args.child[1]))
        return
    chosen = [c for c in CASES if not args.cases or c.name in args.cases]
    print("| case | seconds | peak MB | within 60 s / 2 GB | status | message |")
    print("| --- | ---: | ---: | --- | --- | --- |")
    for case in chosen:
        with tempfile.TemporaryDirectory(prefix="hostile-") as folder:
            row = measure(case, Path(folder))
        within = row["seconds"] <= BUDGET_SECONDS and row["peak"] <= BUDGET_BYTES
        message = str(row["error"]).replace("|", "/").replace("\n", " ")
        print(
            f"| {case.name} | {row['seconds']:.1f} | {row['peak'] / 1024**2:,.0f} "
            f"| {'yes' if within else 'NO'} | {row['status']} | {message} |",
            flush=True,
        )


if __name__ == "__main__":
    main()

"""Faults in a running batch: killed workers, a killed or stopped main process.

A run is started with the command line in a child process and hit while it
works: SIGKILL to one worker, then SIGKILL (or SIGTERM) to the main process.
Then: no worker is left behind, the folder does not look finished, and
``--resume`` gives the records of an uninterrupted run without extracting again
the documents the first run finished.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from helpers import run_records
from hostile_cases import GOOD_TEXT

from nlp.pipeline import BatchParams, ExtractOptions, run_batch
from nlp.write import JOURNAL_NAME, MANIFEST_NAME, read_records, verify_manifest

REPOSITORY = Path(__file__).resolve().parents[1]
DOCUMENTS = 40
WAIT_SECONDS = 120.0


def _inputs(folder: Path) -> Path:
    """Documents that differ in their amounts, large enough to take a moment."""
    folder.mkdir(parents=True)
    for i in range(DOCUMENTS):
        text = GOOD_TEXT.replace("746.1", f"{700 + i}.5") * 30
        (folder / f"d{i:02d}.txt").write_text(text, encoding="utf-8")
    return folder


def _command(inputs: Path, out: Path, *extra: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "nlp.cli",
        "extract",
        str(inputs),
        "--out",
        str(out),
        "--workers",
        "2",
        "--no-model",
        "--quiet",
        *extra,
    ]


def _journaled(out: Path) -> list[dict[str, Any]]:
    """Documents the running batch has finished, from its journal."""
    try:
        lines = (out / JOURNAL_NAME).read_text(encoding="utf-8").splitlines()
    except OSError:
        return []
    entries = []
    for line in lines[1:]:
        try:
            entries.append(json.loads(line))
        except ValueError:
            break
    return entries


def _wait_for(out: Path, documents: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while len(_journaled(out)) < documents:
        assert process.poll() is None, "the run ended before the fault"
        assert time.monotonic() < deadline, "the run made no progress"
        time.sleep(0.01)


def _children(pid: int) -> list[int]:
    """Processes whose parent is ``pid``."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # The command name may hold spaces; fields after it are fixed.
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        if parent == pid:
            found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def _workers_of(pid: int) -> list[int]:
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        workers = [
            child for child in _children(pid) if b"spawn_main" in _cmdline(child)
        ]
        if len(workers) >= 2 or time.monotonic() > deadline:
            return workers
        time.sleep(0.05)


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("faults")
    inputs = _inputs(root / "in")
    run_batch(
        [inputs],
        root / "reference",
        options=ExtractOptions(use_model=False),
        params=BatchParams(isolate=False),
    )
    return {"inputs": inputs, "records": run_records(root / "reference")}


def _resume_and_compare(
    reference: dict[str, Any], out: Path, finished: list[dict[str, Any]]
) -> None:
    before = {
        json.loads(line)["doc"]: line
        for line in (out / "documents.jsonl.partial").read_text("utf-8").splitlines()
    }
    resumed = subprocess.run(
        _command(reference["inputs"], out, "--resume"),
        cwd=REPOSITORY,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert resumed.returncode == 0, resumed.stderr
    assert verify_manifest(out) is not None
    assert run_records(out) == reference["records"]
    after = {
        json.loads(line)["doc"]: line
        for line in (out / "documents.jsonl").read_text("utf-8").splitlines()
    }
    ok = [e["doc"] for e in finished if e["status"] == "ok"]
    assert ok, "the first run finished some documents"
    for doc in ok:  # same line, same timings: copied, not extracted again
        assert after[doc] == before[doc]
    assert not (out / JOURNAL_NAME).exists()


@pytest.mark.slow
def test_killed_worker_and_main_process_then_resume(
    reference: dict[str, Any], tmp_path: Path
) -> None:
    out = tmp_path / "out"
    process = subprocess.Popen(
        _command(reference["inputs"], out), cwd=REPOSITORY, stderr=subprocess.PIPE
    )
    try:
        workers = _workers_of(process.pid)
        assert len(workers) == 2
        _wait_for(out, 2, process)
        os.kill(workers[0], signal.SIGKILL)
        _wait_for(out, 6, process)
        running = [c for c in _children(process.pid) if b"spawn_main" in _cmdline(c)]
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    finished = _journaled(out)
    assert len(finished) < DOCUMENTS, "the run was cut short"
    deadline = time.monotonic() + 10
    while any(_alive(w) for w in running + workers):
        assert time.monotonic() < deadline, "a worker outlived the main process"
        time.sleep(0.1)
    assert not (out / MANIFEST_NAME).exists()
    assert verify_manifest(out) is None
    _resume_and_compare(reference, out, finished)


@pytest.mark.slow
def test_sigterm_stops_the_run_and_it_resumes(
    reference: dict[str, Any], tmp_path: Path
) -> None:
    out = tmp_path / "out"
    process = subprocess.Popen(
        _command(reference["inputs"], out), cwd=REPOSITORY, stderr=subprocess.PIPE
    )
    try:
        workers = _workers_of(process.pid)
        _wait_for(out, 3, process)
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 130
    finally:
        if process.poll() is None:
            process.kill()
    assert not any(_alive(w) for w in workers)
    assert verify_manifest(out) is None
    _resume_and_compare(reference, out, _journaled(out))


def test_non_empty_output_is_refused_without_overwrite_or_resume(
    tmp_path: Path,
) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "a.txt").write_text(GOOD_TEXT, encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / "indicators.jsonl").write_text("old\n", encoding="utf-8")
    refused = subprocess.run(
        _command(inputs, out), cwd=REPOSITORY, capture_output=True, text=True
    )
    assert refused.returncode == 2
    assert "--overwrite" in refused.stderr
    assert (out / "indicators.jsonl").read_text(encoding="utf-8") == "old\n"
    (out / "amounts.parquet").write_text("stale\n", encoding="utf-8")
    replaced = subprocess.run(
        _command(inputs, out, "--overwrite"), cwd=REPOSITORY, capture_output=True
    )
    assert replaced.returncode == 0
    assert not (out / "amounts.parquet").exists()
    manifest = verify_manifest(out)
    assert manifest is not None
    assert [i["doc"] for i in manifest["inputs"]] == ["a.txt"]


def test_resume_of_a_finished_run_extracts_only_changed_inputs(
    tmp_path: Path,
) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    for name in ("a", "b"):
        (inputs / f"{name}.txt").write_text(GOOD_TEXT, encoding="utf-8")
    out = tmp_path / "out"
    options = ExtractOptions(use_model=False)
    params = BatchParams(isolate=False)
    run_batch([inputs], out, options=options, params=params)
    before = (out / "documents.jsonl").read_text(encoding="utf-8").splitlines()
    (inputs / "b.txt").write_text(GOOD_TEXT.replace("746.1", "800"), encoding="utf-8")
    summary = run_batch([inputs], out, options=options, params=params, mode="resume")
    assert (summary.resumed, summary.ok) == (1, 2)
    after = (out / "documents.jsonl").read_text(encoding="utf-8").splitlines()
    assert after[0] == before[0]
    values = {a["value"] for a in read_records(out / "amounts.jsonl")}
    assert "8000000.00" in values and "7461000.00" in values
    assert verify_manifest(out) is not None
    assert not (out / "manifest.previous.json").exists()

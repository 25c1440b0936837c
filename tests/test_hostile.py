"""Hostile inputs in one batch: one record each, within its limit, good ones intact.

The fast tests build each hostile case small and lower the limit it must hit;
the ``slow`` tests build them at the sizes that once took the machine and run
with the default limits, each under a minute.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

import hostile_cases as hc
import pytest

from nlp.pipeline import BatchParams, ExtractOptions, run_batch
from nlp.pipeline.workers import WorkerLimits
from nlp.read.limits import ReadLimits
from nlp.write import bytes_escaped, read_records, verify_manifest

SMALL_LIMITS = ReadLimits(
    max_pages=20,
    max_page_pixels=4_000_000,
    max_member_bytes=2_000_000,
    max_sheet_rows=2_000,
    max_line_chars=20_000,
)


def _good_inputs(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "good.txt").write_text(hc.GOOD_TEXT, encoding="utf-8")
    (folder / "good.html").write_text(
        "<html><body><p>本项目预算资金746.1万元。</p><table>"
        "<tr><th>一级指标</th><th>二级指标</th><th>三级指标</th><th>指标值</th></tr>"
        "<tr><td>产出指标</td><td>数量指标</td><td>培训人次</td><td>95人次以上</td></tr>"
        "</table></body></html>",
        encoding="utf-8",
    )
    return [folder / "good.txt", folder / "good.html"]


def _hostile_inputs(folder: Path) -> dict[str, Path]:
    """Every case, built small enough for the lowered limits to catch."""
    folder.mkdir(parents=True, exist_ok=True)
    return {
        "pdf_huge_page": hc.pdf_huge_page(folder, side_points=1_440.0),
        "tiff_tiny_frames": hc.tiff_tiny_frames(folder, frames=15),
        "docx_inflating": hc.docx_inflating(folder, inflated_bytes=5_000_000),
        "text_long_line": hc.text_long_line(folder, chars=60_000),
        "xlsx_many_rows": hc.xlsx_many_rows(folder, rows=5_000),
        "html_large": hc.html_large(folder, megabytes=1),
        "html_random_bytes": hc.html_random_bytes(folder),
        "html_nested_tables": hc.html_nested_tables(folder),
        "pdf_many_pages": hc.pdf_many_pages(folder, pages=30),
        "pdf_owner_password": hc.pdf_owner_password(folder),
        "text_big5": hc.text_big5(folder),
        "text_non_utf8_name": hc.text_non_utf8_name(folder),
        "text_stray_bytes": hc.text_stray_bytes(folder),
    }


def _by_doc(out: Path, table: str) -> dict[str, list[dict[str, Any]]]:
    rows: dict[str, list[dict[str, Any]]] = {}
    for row in read_records(out / f"{table}.jsonl"):
        if table == "documents":
            row = {k: v for k, v in row.items() if k not in ("seconds", "timings")}
        rows.setdefault(row["doc"], []).append(row)
    return rows


@pytest.fixture(scope="module")
def hostile_batch(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """One batch of good and hostile inputs, and one of the good inputs alone."""
    root = tmp_path_factory.mktemp("hostile")
    good = _good_inputs(root / "in")
    cases = _hostile_inputs(root / "in" / "hostile")
    options = ExtractOptions(limits=SMALL_LIMITS, use_model=False)
    started = time.perf_counter()
    summary = run_batch(
        [root / "in"],
        root / "mixed",
        workers=2,
        options=options,
        limits=WorkerLimits(max_seconds=120),
    )
    seconds = time.perf_counter() - started
    run_batch(good, root / "alone", options=options, params=BatchParams(isolate=False))
    return {
        "root": root,
        "cases": cases,
        "summary": summary,
        "seconds": seconds,
        "mixed": root / "mixed",
        "alone": root / "alone",
    }


def _record(batch: dict[str, Any], case: str) -> dict[str, Any]:
    name = os.fsdecode(batch["cases"][case].relative_to(batch["root"] / "in"))
    docs = _by_doc(batch["mixed"], "documents")
    assert len(docs[name]) == 1, f"{case}: one document record"
    return docs[name][0]


@pytest.mark.parametrize(
    "case", [c for c in hc.CASES if c.status == "error"], ids=lambda c: c.name
)
def test_each_hostile_input_is_one_error_naming_file_and_limit(
    hostile_batch: dict[str, Any], case: hc.Case
) -> None:
    record = _record(hostile_batch, case.name)
    assert record["status"] == "error"
    assert hostile_batch["cases"][case.name].name in record["error"]
    assert case.limit in record["error"]
    assert "internal error" not in record["error"]


def test_good_documents_are_unchanged_by_hostile_neighbours(
    hostile_batch: dict[str, Any],
) -> None:
    for table in ("indicators", "amounts", "documents"):
        alone = _by_doc(hostile_batch["alone"], table)
        mixed = _by_doc(hostile_batch["mixed"], table)
        for doc, rows in alone.items():
            mixed_rows = mixed[doc]
            if table != "documents":
                assert rows, f"{doc}: the good document has {table}"
            assert mixed_rows == rows


def test_the_hostile_batch_finishes_with_a_complete_manifest(
    hostile_batch: dict[str, Any],
) -> None:
    manifest = verify_manifest(hostile_batch["mixed"])
    assert manifest is not None
    assert len(manifest["inputs"]) == len(hostile_batch["cases"]) + 2
    assert hostile_batch["seconds"] < 300


def test_nested_tables_are_read_without_recursion(
    hostile_batch: dict[str, Any],
) -> None:
    record = _record(hostile_batch, "html_nested_tables")
    assert record["status"] == "ok"
    amounts = _by_doc(hostile_batch["mixed"], "amounts")["hostile/nested.html"]
    assert [a["value"] for a in amounts] == ["7461000.00"]


def test_tiny_tiff_frames_are_not_blown_up_for_ocr(
    hostile_batch: dict[str, Any],
) -> None:
    record = _record(hostile_batch, "tiff_tiny_frames")
    assert record["status"] == "ok"
    assert record["pages"] == 15
    assert record["ocr_pages"] == 15


def test_big5_text_gives_the_records_of_its_utf8_twin(
    hostile_batch: dict[str, Any], tmp_path: Path
) -> None:
    twin = hc.text_big5_twin(tmp_path)
    run_batch([twin], tmp_path / "out", params=BatchParams(isolate=False))
    twin_amounts = [
        a["value"] for a in read_records(tmp_path / "out" / "amounts.jsonl")
    ]
    amounts = _by_doc(hostile_batch["mixed"], "amounts")["hostile/big5.txt"]
    assert twin_amounts and [a["value"] for a in amounts] == twin_amounts
    assert _record(hostile_batch, "text_big5")["status"] == "ok"


def test_owner_password_pdf_is_read(hostile_batch: dict[str, Any]) -> None:
    record = _record(hostile_batch, "pdf_owner_password")
    assert record["status"] == "ok"
    assert record["ocr_pages"] == 0  # its text layer is read
    amounts = _by_doc(hostile_batch["mixed"], "amounts")["hostile/owner_password.pdf"]
    assert [a["value"] for a in amounts] == ["7461000.00", "3000000.00"]


def test_stray_bad_bytes_are_tolerated_and_counted(
    hostile_batch: dict[str, Any],
) -> None:
    record = _record(hostile_batch, "text_stray_bytes")
    assert record["status"] == "ok"
    assert record["checks"]["undecodable-bytes"] == 2


def test_a_file_name_that_is_not_utf8_is_kept(
    hostile_batch: dict[str, Any],
) -> None:
    record = _record(hostile_batch, "text_non_utf8_name")
    assert record["status"] == "ok"
    expected = "hostile/" + os.fsdecode(hc.NON_UTF8_NAME)
    assert record["doc"] == expected
    assert os.fsencode(record["doc"]).endswith(hc.NON_UTF8_NAME)
    raw = (hostile_batch["mixed"] / "documents.jsonl").read_bytes()
    raw.decode("utf-8")  # the file stays valid UTF-8
    assert b"\\udc" in raw  # each bad byte as a JSON escape


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_names_that_are_not_utf8_are_written_as_hex_escapes(
    tmp_path: Path, fmt: str
) -> None:
    (tmp_path / "in").mkdir()
    path = hc.text_non_utf8_name(tmp_path / "in")
    summary = run_batch(
        [path], tmp_path / "out", fmt=fmt, params=BatchParams(isolate=False)
    )
    assert summary.ok == 1
    docs = [r["doc"] for r in read_records(tmp_path / "out" / f"documents.{fmt}")]
    name = os.fsdecode(hc.NON_UTF8_NAME)
    assert docs == [bytes_escaped(name)]
    assert "\\x" in docs[0] and docs[0].isprintable()


def test_random_bytes_with_a_text_extension_are_an_error(tmp_path: Path) -> None:
    path = tmp_path / "random.txt"
    path.write_bytes((tmp_path / "x").parent.name.encode() + os.urandom(4096))
    result = run_batch([path], tmp_path / "out", params=BatchParams(isolate=False))
    assert result.error == 1
    record = next(read_records(tmp_path / "out" / "documents.jsonl"))
    assert "random.txt" in record["error"] and "binary" in record["error"]


def test_a_document_over_the_time_limit_is_stopped(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    path = hc.html_large(tmp_path / "in", megabytes=4)
    good = _good_inputs(tmp_path / "in")
    started = time.perf_counter()
    summary = run_batch(
        [path, *good],
        tmp_path / "out",
        options=ExtractOptions(use_model=False),
        limits=WorkerLimits(max_seconds=0.5),
    )
    assert time.perf_counter() - started < 120
    records = {r["doc"]: r for r in read_records(tmp_path / "out" / "documents.jsonl")}
    assert "max_seconds=0.5" in records["large.html"]["error"]
    assert summary.error == 1 and summary.ok == 2


def test_a_worker_over_the_memory_limit_costs_one_document(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    path = hc.html_large(tmp_path / "in", megabytes=24)
    good = _good_inputs(tmp_path / "in")
    summary = run_batch(
        [path, *good],
        tmp_path / "out",
        options=ExtractOptions(use_model=False),
        limits=WorkerLimits(max_memory_mb=300),
    )
    records = {r["doc"]: r for r in read_records(tmp_path / "out" / "documents.jsonl")}
    assert "max_memory_mb=300" in records["large.html"]["error"]
    assert summary.error == 1 and summary.ok == 2


def _one(case: hc.Case, folder: Path) -> tuple[dict[str, Any], float]:
    path = case.build(folder / "in")
    started = time.perf_counter()
    run_batch([path], folder / "out")
    seconds = time.perf_counter() - started
    line = (folder / "out" / "documents.jsonl").read_text(encoding="utf-8")
    return json.loads(line.splitlines()[0]), seconds


@pytest.mark.slow
@pytest.mark.parametrize("case", hc.CASES, ids=lambda c: c.name)
def test_full_size_hostile_input_within_a_minute(tmp_path: Path, case: hc.Case) -> None:
    (tmp_path / "in").mkdir()
    record, seconds = _one(case, tmp_path)
    assert record["status"] == case.status, record.get("error")
    if case.status == "error":
        assert case.limit in record["error"]
    assert seconds < 60 + 15  # the limit, plus starting the worker

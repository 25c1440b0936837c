"""Tests for nlp.pipeline: inputs, failure handling, batches and workers."""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx
import pytest
from helpers import GOOD_TEXT, write

from nlp.errors import ParseError
from nlp.pipeline import (
    BatchParams,
    ExtractOptions,
    TimeRecorder,
    collect_inputs,
    extract,
    extract_file,
    run_batch,
)
from nlp.pipeline import batch as pipeline_batch
from nlp.pipeline import document as pipeline_document
from nlp.records import DocumentRecord
from nlp.write import read_records


def _docx_bytes() -> bytes:
    document = docx.Document()
    document.add_paragraph("本项目预算资金746.1万元。")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _documents(out: Path) -> dict[str, dict[str, Any]]:
    return {r["doc"]: r for r in read_records(out / "documents.jsonl")}


# ---------------------------------------------------------------- collect_inputs


def test_collect_inputs_expands_folders_sorted_and_relative(tmp_path: Path) -> None:
    root = tmp_path / "in"
    for name in ("b/z.txt", "b/a.docx", "a.txt", "c/d/e.html", "c/notes.xyz"):
        write(root / name, "x")
    for hidden in (".hidden.txt", ".git/config.txt", "b/~$a.docx"):
        write(root / hidden, "x")
    pairs = collect_inputs([root])
    assert [doc for _, doc in pairs] == ["a.txt", "b/a.docx", "b/z.txt", "c/d/e.html"]
    assert all(path.is_absolute() and path.exists() for path, _ in pairs)


def test_collect_inputs_single_file_gives_its_name(tmp_path: Path) -> None:
    file = write(tmp_path / "deep" / "报告.txt", "x")
    assert collect_inputs([file]) == [(file, "报告.txt")]


def test_collect_inputs_uses_the_common_root_of_all_inputs(tmp_path: Path) -> None:
    one = write(tmp_path / "x" / "one.txt", "x")
    two = write(tmp_path / "y" / "sub" / "two.md", "x")
    write(tmp_path / "y" / "sub" / "three.txt", "x")
    pairs = collect_inputs([one, tmp_path / "y", two])
    assert [doc for _, doc in pairs] == ["x/one.txt", "y/sub/three.txt", "y/sub/two.md"]


def test_collect_inputs_keeps_unsupported_files_named_directly(
    tmp_path: Path,
) -> None:
    odd = write(tmp_path / "table.xyz", "x")
    assert collect_inputs([odd]) == [(odd, "table.xyz")]


def test_collect_inputs_keeps_broken_links_but_not_folders(tmp_path: Path) -> None:
    root = tmp_path / "in"
    (root / "folder.txt").mkdir(parents=True)
    write(root / "folder.txt" / "inner.txt", "x")
    (root / "gone.txt").symlink_to(root / "missing.txt")
    assert [doc for _, doc in collect_inputs([root])] == [
        "folder.txt/inner.txt",
        "gone.txt",
    ]


def test_collect_inputs_missing_path_raises(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match=r"nope\.txt: no such file"):
        collect_inputs([tmp_path / "nope.txt"])


# ---------------------------------------------------------------- one document


def test_options_reject_unknown_ocr_mode() -> None:
    with pytest.raises(ValueError, match="ocr must be one of"):
        ExtractOptions(ocr="sometimes")  # type: ignore[arg-type]


def test_time_recorder_records_failed_stages_too() -> None:
    timer = TimeRecorder()
    with timer.stage("ok"):
        pass
    with pytest.raises(KeyError), timer.stage("bad"):
        raise KeyError("x")
    assert [name for name, _ in timer.timings] == ["ok", "bad"]
    assert all(seconds >= 0 for _, seconds in timer.timings)


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("empty.txt", b"", "empty"),
        ("garbage.txt", bytes(range(256)) * 40, "binary|decode|text"),
        ("fake.pdf", b"<html>not a pdf</html>", "not a PDF"),
        ("cut.docx", None, "not a valid .docx"),
        ("fake.png", b"GIF89a....", "image"),
    ],
)
def test_bad_files_give_error_records_naming_the_file(
    tmp_path: Path, name: str, data: bytes | None, reason: str
) -> None:
    if data is None:
        whole = _docx_bytes()
        data = whole[: len(whole) // 2]  # a download cut short
    path = write(tmp_path / name, data)
    result = extract_file(path, name)
    record = result.document
    assert record.status == "error"
    assert name in record.error
    assert re.search(reason, record.error)
    assert result.indicators == () and result.amounts == ()


def test_folder_and_broken_link_give_error_records(tmp_path: Path) -> None:
    folder = tmp_path / "looks-like.txt"
    folder.mkdir()
    link = tmp_path / "link.txt"
    link.symlink_to(tmp_path / "missing.txt")
    folder_record = extract_file(folder, folder.name).document
    link_record = extract_file(link, link.name).document
    assert folder_record.status == link_record.status == "error"
    assert "looks-like.txt" in folder_record.error
    assert "folder" in folder_record.error
    assert "link.txt" in link_record.error
    assert "broken symbolic link" in link_record.error


def test_unknown_extension_is_skipped_with_the_supported_list(tmp_path: Path) -> None:
    path = write(tmp_path / "budget.wps", "x")
    record = extract_file(path, "budget.wps").document
    assert record.status == "skipped"
    assert record.error.startswith(str(path))
    assert "unsupported file type '.wps'" in record.error
    assert ".docx" in record.error and ".pdf" in record.error


def _stages_raising(exc: Exception) -> Callable[[], tuple[Callable, ...]]:
    def recover_tables(document: Any) -> tuple:
        return ()

    def assemble(document: Any, tables: Any, doc: str, use_model: bool) -> tuple:
        raise exc

    def check(indicators: Any, amounts: Any) -> tuple:
        return ()

    return lambda: (recover_tables, assemble, check)


def test_unexpected_exception_becomes_internal_error_record(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(
        pipeline_document, "_stage_functions", _stages_raising(RuntimeError("boom"))
    )
    path = write(tmp_path / "a.txt", GOOD_TEXT)
    with caplog.at_level(logging.ERROR, logger="nlp.pipeline"):
        result = extract_file(path, "a.txt")
    assert result.document.status == "error"
    assert result.document.error == (
        f"{path}: internal error while assembling indicators and amounts: "
        "RuntimeError: boom"
    )
    assert result.document.format == "text"
    assert [name for name, _ in result.document.timings][:1] == ["read"]
    assert "assemble" in dict(result.document.timings)
    assert any(r.exc_info for r in caplog.records), "traceback is logged"


def test_zhibiao_error_without_file_name_gets_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        pipeline_document,
        "_stage_functions",
        _stages_raising(ParseError("bad target '≥'")),
    )
    path = write(tmp_path / "a.txt", GOOD_TEXT)
    record = extract_file(path, "a.txt").document
    assert record.error == f"{path}: bad target '≥'"


def test_good_file_runs_every_stage(tmp_path: Path) -> None:
    path = write(tmp_path / "good.txt", GOOD_TEXT)
    result = extract_file(path, "good.txt")
    record = result.document
    assert record.status == "ok", record.error
    assert record.format == "text"
    assert {"read", "tables", "assemble", "check"} <= set(dict(record.timings))
    assert record.indicators == len(result.indicators) > 0
    assert record.amounts == len(result.amounts) > 0
    assert {i.doc for i in result.indicators} == {"good.txt"}
    assert "培训合格率" in {i.metric for i in result.indicators}


def test_extract_takes_a_path_a_path_string_or_text(tmp_path: Path) -> None:
    path = write(tmp_path / "good.txt", GOOD_TEXT)
    from_path = extract(path)
    from_string = extract(str(path))
    from_text = extract(GOOD_TEXT)
    assert from_path.document.doc == from_string.document.doc == "good.txt"
    assert from_text.document.doc == "<text>"
    assert from_text.document.status == "ok", from_text.document.error
    metrics = [i.metric for i in from_path.indicators]
    assert [i.metric for i in from_text.indicators] == metrics
    assert {i.doc for i in from_text.indicators} == {"<text>"}


def test_extract_of_a_missing_path_object_is_an_error_record(tmp_path: Path) -> None:
    record = extract(tmp_path / "missing.txt").document
    assert record.status == "error"
    assert "missing.txt" in record.error


def test_extract_of_text_that_is_not_a_path_reads_it_as_text() -> None:
    result = extract("no/such/file.txt")
    assert result.document.doc == "<text>"
    assert result.document.status == "ok", result.document.error


# ---------------------------------------------------------------- batches


def _bad_batch(root: Path) -> None:
    write(root / "good.txt", GOOD_TEXT)
    write(root / "sub" / "good2.md", GOOD_TEXT)
    write(root / "empty.txt", b"")
    write(root / "garbage.txt", bytes(range(256)) * 40)
    whole = _docx_bytes()
    write(root / "cut.docx", whole[: len(whole) // 3])
    (root / "gone.txt").symlink_to(root / "never-existed.txt")
    write(root / "ignored.xyz", "not collected from a folder")


def test_batch_with_bad_files_processes_the_good_ones(tmp_path: Path) -> None:
    root = tmp_path / "in"
    _bad_batch(root)
    odd = write(tmp_path / "in" / "named.wps", "x")
    summary = run_batch([root, odd], tmp_path / "out")
    docs = _documents(tmp_path / "out")
    assert docs["good.txt"]["status"] == "ok"
    assert docs["sub/good2.md"]["status"] == "ok"
    for name in ("empty.txt", "garbage.txt", "cut.docx", "gone.txt"):
        assert docs[name]["status"] == "error"
        assert name in docs[name]["error"]
    assert docs["named.wps"]["status"] == "skipped"
    assert "ignored.xyz" not in docs
    assert (summary.ok, summary.error, summary.skipped) == (2, 4, 1)
    indicators = list(read_records(tmp_path / "out" / "indicators.jsonl"))
    assert summary.indicators == len(indicators) > 0
    assert {i["doc"] for i in indicators} == {"good.txt", "sub/good2.md"}


def _without_timing(record: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in record.items() if k not in ("seconds", "timings")}


def test_two_workers_write_the_same_records_as_one(tmp_path: Path) -> None:
    root = tmp_path / "in"
    _bad_batch(root)
    for i in range(4):
        write(root / f"more{i}.txt", GOOD_TEXT.replace("培训", f"培训{i}"))
    run_batch([root], tmp_path / "one", workers=1)
    run_batch([root], tmp_path / "two", workers=2)
    for table in ("indicators", "amounts"):
        one = list(read_records(tmp_path / "one" / f"{table}.jsonl"))
        two = list(read_records(tmp_path / "two" / f"{table}.jsonl"))
        assert one == two
        assert one
    docs_one = [
        _without_timing(r) for r in read_records(tmp_path / "one" / "documents.jsonl")
    ]
    docs_two = [
        _without_timing(r) for r in read_records(tmp_path / "two" / "documents.jsonl")
    ]
    assert docs_one == docs_two


def test_batch_keeps_memory_flat_by_streaming(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each result is written before the next document is read."""
    root = tmp_path / "in"
    for i in range(3):
        write(root / f"d{i}.txt", GOOD_TEXT)
    events: list[str] = []
    real_extract = pipeline_batch.extract_file

    def traced_extract(path: Path, doc: str, options: Any = None) -> Any:
        events.append(f"extract {doc}")
        return real_extract(path, doc, options)

    real_write = pipeline_batch.RecordWriter.write_document

    def traced_write(self: Any, record: DocumentRecord, sha256: str = "") -> None:
        events.append(f"write {record.doc}")
        real_write(self, record, sha256)

    monkeypatch.setattr(pipeline_batch, "extract_file", traced_extract)
    monkeypatch.setattr(pipeline_batch.RecordWriter, "write_document", traced_write)
    run_batch([root], tmp_path / "out", params=BatchParams(isolate=False))
    assert events == [
        f"{verb} d{i}.txt" for i in range(3) for verb in ("extract", "write")
    ]


def test_empty_folder_writes_empty_tables(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    summary = run_batch([tmp_path / "in"], tmp_path / "out")
    assert summary.documents == 0
    assert list(read_records(tmp_path / "out" / "documents.jsonl")) == []


def test_progress_bar_does_not_change_the_output(tmp_path: Path) -> None:
    for i in range(2):
        write(tmp_path / "in" / f"d{i}.txt", GOOD_TEXT)
    quiet = run_batch([tmp_path / "in"], tmp_path / "quiet")
    shown = run_batch([tmp_path / "in"], tmp_path / "shown", progress=True)
    assert (quiet.ok, quiet.indicators) == (shown.ok, shown.indicators)
    assert shown.ok == 2
    assert list(read_records(tmp_path / "quiet" / "indicators.jsonl")) == list(
        read_records(tmp_path / "shown" / "indicators.jsonl")
    )


# --- which model each document used ------------------------------------------


@pytest.fixture
def no_shipped_model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """The shipped model folder points at an empty folder for one test."""
    from nlp.classify import model

    monkeypatch.setattr(model, "DEFAULT_MODEL_DIR", tmp_path / "no-model")
    model.load_default_model.cache_clear()
    model.default_model_info.cache_clear()
    yield
    model.load_default_model.cache_clear()
    model.default_model_info.cache_clear()


def test_documents_record_names_the_model(tmp_path: Path) -> None:
    from nlp.classify.model import DEFAULT_MODEL_DIR, model_sha256

    write(tmp_path / "in" / "a.txt", GOOD_TEXT)
    run_batch([tmp_path / "in"], tmp_path / "out")
    model = _documents(tmp_path / "out")["a.txt"]["model"]
    assert model["name"] == "narrative"
    assert model["version"]
    assert model["sha256"] == model_sha256(DEFAULT_MODEL_DIR)


def test_no_model_option_records_rules_only(tmp_path: Path) -> None:
    write(tmp_path / "in" / "a.txt", GOOD_TEXT)
    run_batch(
        [tmp_path / "in"], tmp_path / "out", options=ExtractOptions(use_model=False)
    )
    assert _documents(tmp_path / "out")["a.txt"]["model"] == "rules only"


@pytest.mark.usefixtures("no_shipped_model")
def test_missing_model_is_a_warning_and_records_rules_only(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING, logger="nlp.classify"):
        result = extract(GOOD_TEXT)
    assert result.document.status == "ok"
    assert result.document.to_dict()["model"] == "rules only"
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert any("no narrative model" in r.getMessage() for r in warnings)


def test_failed_document_names_no_model(tmp_path: Path) -> None:
    bad = write(tmp_path / "bad.pdf", b"this is not a pdf")
    assert "model" not in extract_file(bad, "bad.pdf").document.to_dict()


# --- progress -------------------------------------------------------------------


def test_progress_lines_name_each_document(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = write(tmp_path / "in" / "a.txt", GOOD_TEXT)
    odd = write(tmp_path / "in" / "b.wps", "x")
    bad = write(tmp_path / "in" / "c.pdf", b"this is not a pdf")
    run_batch([good, odd, bad], tmp_path / "out", progress="lines")
    lines = capsys.readouterr().err.splitlines()
    assert lines[0].startswith("[1/3] a.txt: ok, 3 indicators, ")
    assert lines[1].startswith("[2/3] b.wps: skipped, ")
    assert lines[2].startswith("[3/3] c.pdf: error, ")
    assert str(bad) in lines[2]


def test_unknown_progress_mode_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="progress must be one of"):
        run_batch([tmp_path], tmp_path / "out", progress="loud")  # type: ignore[arg-type]

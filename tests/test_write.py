"""Tests for nlp.write: formats, round trips and atomic output."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from nlp.records import (
    Amount,
    DocumentRecord,
    Indicator,
    Money,
    Result,
    Source,
    Target,
)
from nlp.write import (
    TABLES,
    RecordWriter,
    parquet_schema,
    read_records,
    verify_manifest,
)


def _results() -> list[Result]:
    """Two documents' worth of records, covering nulls, nesting and Chinese text."""
    target = Target(
        raw="≥ 95100%",
        text="≥95%",
        op="≥",
        value=Decimal("95"),
        unit="%",
        repaired=True,
        notes=("dup-100-suffix", "ocr-space"),
    )
    table_source = Source(text="数量指标\t培训人次\t≥95100%", table=0, row=3, page=2)
    prose_source = Source(
        text="人员支出 746.1 万元，占比 12.5%。", span=(10, 19), bbox=(1.0, 2.5, 3, 4)
    )
    first = Result(
        document=DocumentRecord(
            doc="a/甲.txt",
            status="ok",
            pages=3,
            seconds=0.25,
            format="text",
            timings=(("read", 0.1), ("assemble", 0.15)),
            checks=(("target-repaired", 1),),
            indicators=2,
            amounts=2,
        ),
        indicators=(
            Indicator(
                doc="a/甲.txt",
                metric="培训人次",
                source=table_source,
                project="社区培训",
                level1="产出目标",
                level2="数量",
                level1_norm="产出指标",
                level2_norm="数量指标",
                target_raw="≥ 95100%",
                target=target,
                confidence=0.9,
            ),
            Indicator(
                doc="a/甲.txt",
                metric="满意度",
                source=prose_source,
                target_raw=None,
                target=None,
                confidence=0.5,
                kind="actual",
            ),
        ),
        amounts=(
            Amount(
                doc="a/甲.txt",
                money=Money(text="746.1 万元", value=Decimal("7461000")),
                source=prose_source,
                subject="人员支出",
            ),
            Amount(
                doc="a/甲.txt",
                money=Money(
                    text="10-20万元",
                    value=Decimal("100000"),
                    value_max=Decimal("200000"),
                    approx="about",
                    unit_source="table",
                ),
                source=table_source,
                column="2022年预算数",
            ),
        ),
    )
    second = Result(
        document=DocumentRecord(
            doc="b.docx", status="error", error="b.docx: not a valid .docx file"
        )
    )
    return [first, second]


def _expected(results: list[Result]) -> dict[str, list[dict]]:
    return {
        "indicators": [i.to_dict() for r in results for i in r.indicators],
        "amounts": [a.to_dict() for r in results for a in r.amounts],
        "documents": [r.document.to_dict() for r in results],
    }


def _write(out: Path, fmt: str, results: list[Result]) -> RecordWriter:
    with RecordWriter(out, fmt) as writer:
        for result in results:
            writer.write(result)
    return writer


def test_jsonl_round_trip_is_exactly_to_dict(tmp_path: Path) -> None:
    results = _results()
    writer = _write(tmp_path / "out", "jsonl", results)
    expected = _expected(results)
    for table in TABLES:
        path = tmp_path / "out" / f"{table}.jsonl"
        assert list(read_records(path)) == expected[table]
    assert writer.counts == {"indicators": 2, "amounts": 2, "documents": 2}


def test_jsonl_is_utf8_one_object_per_line_without_escapes(tmp_path: Path) -> None:
    _write(tmp_path, "jsonl", _results())
    raw = (tmp_path / "indicators.jsonl").read_bytes().decode("utf-8")
    lines = raw.splitlines()
    assert len(lines) == 2
    assert "培训人次" in lines[0]
    assert "\\u" not in raw
    assert json.loads(lines[0])["target"]["notes"] == ["dup-100-suffix", "ocr-space"]


def test_parquet_round_trip_keeps_structs_and_money_strings(tmp_path: Path) -> None:
    results = _results()
    _write(tmp_path, "parquet", results)
    expected = _expected(results)
    for table in TABLES:
        path = tmp_path / f"{table}.parquet"
        assert pq.read_schema(path).equals(parquet_schema(table))
        got = list(read_records(path))
        want = expected[table]
        if table != "documents":
            # Parquet structs have fixed fields: an absent bbox reads back as null.
            for row in want:
                row["source"].setdefault("bbox", None)
        assert got == want
    amounts = pq.read_table(tmp_path / "amounts.parquet")
    assert str(amounts.schema.field("value").type) == "string"
    assert str(amounts.schema.field("source").type).startswith("struct<")


def test_csv_round_trip_flattens_nested_fields_as_json(tmp_path: Path) -> None:
    results = _results()
    _write(tmp_path, "csv", results)
    expected = _expected(results)
    for table in TABLES:
        assert list(read_records(tmp_path / f"{table}.csv")) == expected[table]
    header = (tmp_path / "amounts.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    assert header.split(",")[:3] == ["doc", "text", "value"]


@pytest.mark.parametrize("fmt", ["jsonl", "parquet", "csv"])
def test_empty_run_still_writes_every_table(tmp_path: Path, fmt: str) -> None:
    _write(tmp_path, fmt, [])
    for table in TABLES:
        assert list(read_records(tmp_path / f"{table}.{fmt}")) == []
    assert not list(tmp_path.glob("*.partial"))


@pytest.mark.parametrize("fmt", ["jsonl", "parquet", "csv"])
def test_exception_mid_run_leaves_no_complete_looking_file(
    tmp_path: Path, fmt: str
) -> None:
    first, _ = _results()
    with (
        pytest.raises(RuntimeError, match="disk on fire"),
        RecordWriter(tmp_path, fmt) as writer,
    ):
        writer.write(first)
        raise RuntimeError("disk on fire")
    for table in TABLES:
        assert not (tmp_path / f"{table}.{fmt}").exists()
        # Work files are JSON Lines whatever the format, so a run can resume.
        assert (tmp_path / f"{table}.jsonl.partial").exists()
    assert not (tmp_path / "manifest.json").exists()
    assert verify_manifest(tmp_path) is None


def test_interrupted_jsonl_keeps_the_finished_documents_in_partial(
    tmp_path: Path,
) -> None:
    first, _ = _results()
    with pytest.raises(KeyboardInterrupt), RecordWriter(tmp_path, "jsonl") as writer:
        writer.write(first)
        raise KeyboardInterrupt
    partial = tmp_path / "documents.jsonl.partial"
    lines = partial.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["doc"] for line in lines] == ["a/甲.txt"]


def test_failed_run_leaves_an_earlier_complete_output_untouched(
    tmp_path: Path,
) -> None:
    first, second = _results()
    _write(tmp_path, "jsonl", [first])
    before = (tmp_path / "documents.jsonl").read_bytes()
    with (
        pytest.raises(ValueError, match="stop"),
        RecordWriter(tmp_path, "jsonl") as writer,
    ):
        writer.write(second)
        raise ValueError("stop")
    assert (tmp_path / "documents.jsonl").read_bytes() == before


def test_successful_run_replaces_stale_partial_files(tmp_path: Path) -> None:
    (tmp_path / "amounts.jsonl.partial").write_text("garbage\n", encoding="utf-8")
    _write(tmp_path, "jsonl", _results())
    assert not (tmp_path / "amounts.jsonl.partial").exists()
    assert len(list(read_records(tmp_path / "amounts.jsonl"))) == 2


def test_unknown_format_is_rejected() -> None:
    with pytest.raises(ValueError, match="unknown output format 'xml'"):
        RecordWriter(Path("out"), "xml")  # type: ignore[arg-type]


def test_writing_outside_the_with_block_fails(tmp_path: Path) -> None:
    writer = RecordWriter(tmp_path, "jsonl")
    with pytest.raises(RuntimeError, match="outside its `with` block"):
        writer.write(_results()[1])

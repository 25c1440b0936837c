"""Write extraction records to an output folder, atomically.

:class:`RecordWriter` writes three tables, ``indicators``, ``amounts`` and
``documents``, as JSON Lines (``.jsonl``), Parquet (``.parquet``) or CSV (``.csv``).
Records are written exactly as their ``to_dict()`` gives them (CONTRACT.md).

Atomicity: each table is written to ``<file>.partial`` in the output folder and
renamed to its final name only when the writer closes without an exception, so a
file with a final name is always complete. After an exception or interruption the
``.partial`` files are kept (JSON Lines is flushed after every document, so they
show how far the run got) and the final names are left untouched; a later run
overwrites them.

Formats:

* JSON Lines: UTF-8, one object a line, ``ensure_ascii=False``.
* Parquet: an explicit schema; ``target`` and ``source`` are structs, ``span`` and
  ``bbox`` lists, ``timings`` and ``checks`` maps; money (``value``, ``value_max``)
  stays a decimal string. Rows are written in row groups of
  :data:`PARQUET_ROW_GROUP` so memory stays flat. pyarrow is imported only when
  Parquet is read or written.
* CSV: UTF-8 with a byte-order mark (so spreadsheet programs detect the encoding),
  one column per top-level field; nested fields (``target``, ``source``,
  ``timings``, ``checks``) are JSON strings; an empty cell is null.

:func:`read_records` reads any of the three back into contract-shaped dicts.
"""

from __future__ import annotations

import csv
import json
import logging
import os
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal, Protocol

from nlp.records import Amount, DocumentRecord, Indicator, Result

if TYPE_CHECKING:
    import pyarrow as pa

logger = logging.getLogger(__name__)

OutputFormat = Literal["jsonl", "parquet", "csv"]
TableName = Literal["indicators", "amounts", "documents"]
FORMATS: tuple[OutputFormat, ...] = ("jsonl", "parquet", "csv")
TABLES: tuple[TableName, ...] = ("indicators", "amounts", "documents")
PARTIAL_SUFFIX = ".partial"
PARQUET_ROW_GROUP = 10_000

# Column kinds for CSV: how a cell is written and read back.
#   str: text, never null; str?: text or null (empty cell); int?/float: numbers;
#   json: a nested value written as a JSON string.
ColumnKind = Literal["str", "str?", "int?", "float", "float?", "json"]

COLUMNS: dict[TableName, tuple[tuple[str, ColumnKind], ...]] = {
    "indicators": (
        ("doc", "str"),
        ("project", "str?"),
        ("level1", "str?"),
        ("level2", "str?"),
        ("level1_norm", "str?"),
        ("level2_norm", "str?"),
        ("metric", "str"),
        ("target_raw", "str?"),
        ("target", "json"),
        ("source", "json"),
        ("confidence", "float"),
        ("kind", "str"),
    ),
    "amounts": (
        ("doc", "str"),
        ("text", "str"),
        ("value", "str"),
        ("value_max", "str?"),
        ("currency", "str"),
        ("approx", "str"),
        ("unit_source", "str"),
        ("subject", "str?"),
        ("column", "str?"),
        ("source", "json"),
        ("flags", "json"),
        ("notes", "json"),
    ),
    "documents": (
        ("doc", "str"),
        ("status", "str"),
        ("error", "str?"),
        ("pages", "int?"),
        ("seconds", "float?"),
        ("format", "str?"),
        ("timings", "json"),
        ("checks", "json"),
        ("ocr_pages", "int?"),
        ("indicators", "int?"),
        ("amounts", "int?"),
    ),
}


@cache
def _parquet_types() -> dict[str, pa.DataType]:
    """Arrow types of the columns that are not plain strings."""
    import pyarrow as pa

    source = pa.struct(
        [
            ("page", pa.int32()),
            ("table", pa.int32()),
            ("row", pa.int32()),
            ("span", pa.list_(pa.int64())),
            ("text", pa.string()),
            ("bbox", pa.list_(pa.float64())),
        ]
    )
    target = pa.struct(
        [
            ("raw", pa.string()),
            ("text", pa.string()),
            ("op", pa.string()),
            ("value", pa.float64()),
            ("value_max", pa.float64()),
            ("unit", pa.string()),
            ("qualitative", pa.string()),
            ("repaired", pa.bool_()),
            ("notes", pa.list_(pa.string())),
        ]
    )
    return {
        "target": target,
        "source": source,
        "flags": pa.list_(pa.string()),
        "notes": pa.list_(pa.string()),
        "confidence": pa.float64(),
        "pages": pa.int32(),
        "seconds": pa.float64(),
        "timings": pa.map_(pa.string(), pa.float64()),
        "checks": pa.map_(pa.string(), pa.int64()),
        "ocr_pages": pa.int32(),
        "indicators": pa.int32(),
        "amounts": pa.int32(),
    }


def parquet_schema(table: TableName) -> pa.Schema:
    """The Parquet schema of one output table."""
    import pyarrow as pa

    types = _parquet_types()
    return pa.schema(
        [
            pa.field(name, types.get(name, pa.string()), nullable=kind != "str")
            for name, kind in COLUMNS[table]
        ]
    )


def table_path(out_dir: Path, table: TableName, fmt: OutputFormat) -> Path:
    """Final path of one output table."""
    return out_dir / f"{table}.{fmt}"


class _Sink(Protocol):
    """One output table being written to its ``.partial`` file."""

    def write(self, row: dict[str, Any]) -> None: ...
    def flush(self) -> None: ...
    def close(self) -> None: ...


class _JsonlSink:
    def __init__(self, path: Path, table: TableName) -> None:
        self._handle = path.open("w", encoding="utf-8", newline="\n")

    def write(self, row: dict[str, Any]) -> None:
        self._handle.write(json.dumps(row, ensure_ascii=False) + "\n")

    def flush(self) -> None:
        self._handle.flush()

    def close(self) -> None:
        self._handle.close()


class _CsvSink:
    def __init__(self, path: Path, table: TableName) -> None:
        self._columns = COLUMNS[table]
        # utf-8-sig: spreadsheet programs otherwise misread Chinese text.
        self._handle = path.open("w", encoding="utf-8-sig", newline="")
        self._writer = csv.writer(self._handle)
        self._writer.writerow([name for name, _ in self._columns])

    def write(self, row: dict[str, Any]) -> None:
        self._writer.writerow(
            [_csv_cell(row.get(name), kind) for name, kind in self._columns]
        )

    def flush(self) -> None:
        self._handle.flush()

    def close(self) -> None:
        self._handle.close()


class _ParquetSink:
    def __init__(self, path: Path, table: TableName) -> None:
        import pyarrow.parquet as pq

        self._schema = parquet_schema(table)
        self._writer = pq.ParquetWriter(path, self._schema)
        self._rows: list[dict[str, Any]] = []

    def write(self, row: dict[str, Any]) -> None:
        self._rows.append(row)
        if len(self._rows) >= PARQUET_ROW_GROUP:
            self.flush()

    def flush(self) -> None:
        # Small row groups are wasteful; only full groups are written before close.
        if len(self._rows) >= PARQUET_ROW_GROUP:
            self._write_rows()

    def _write_rows(self) -> None:
        if self._rows:
            import pyarrow as pa

            batch = pa.Table.from_pylist(self._rows, schema=self._schema)
            self._writer.write_table(batch)
            self._rows = []

    def close(self) -> None:
        self._write_rows()
        self._writer.close()


_SINKS: dict[OutputFormat, type[_JsonlSink] | type[_CsvSink] | type[_ParquetSink]] = {
    "jsonl": _JsonlSink,
    "csv": _CsvSink,
    "parquet": _ParquetSink,
}


def _csv_cell(value: Any, kind: ColumnKind) -> str:
    """A value as a CSV cell: JSON for nested values, empty for null."""
    if kind == "json":
        return json.dumps(value, ensure_ascii=False)
    return "" if value is None else str(value)


class RecordWriter:
    """Writes indicators, amounts and documents tables into an output folder.

    Use as a context manager; files get their final names only on a clean exit.

    Args:
        out_dir: the output folder, created when missing.
        fmt: "jsonl", "parquet" or "csv".

    Raises:
        ValueError: unknown ``fmt``.
    """

    def __init__(self, out_dir: Path, fmt: OutputFormat = "jsonl") -> None:
        if fmt not in FORMATS:
            raise ValueError(f"unknown output format {fmt!r} (use one of {FORMATS})")
        self.out_dir = Path(out_dir)
        self.fmt = fmt
        self.counts: dict[TableName, int] = dict.fromkeys(TABLES, 0)
        self._sinks: dict[TableName, _Sink] = {}

    @property
    def paths(self) -> dict[TableName, Path]:
        """Final path of each table."""
        return {t: table_path(self.out_dir, t, self.fmt) for t in TABLES}

    def _partial(self, table: TableName) -> Path:
        final = table_path(self.out_dir, table, self.fmt)
        return final.with_name(final.name + PARTIAL_SUFFIX)

    def __enter__(self) -> RecordWriter:
        self.out_dir.mkdir(parents=True, exist_ok=True)
        sink_cls = _SINKS[self.fmt]
        try:
            for table in TABLES:
                self._sinks[table] = sink_cls(self._partial(table), table)
        except BaseException:
            self._close_sinks()
            raise
        return self

    def write_indicator(self, record: Indicator) -> None:
        """Append one indicator."""
        self._write("indicators", record.to_dict())

    def write_amount(self, record: Amount) -> None:
        """Append one amount."""
        self._write("amounts", record.to_dict())

    def write_document(self, record: DocumentRecord) -> None:
        """Append one document outcome and flush, so progress is on disk."""
        self._write("documents", record.to_dict())
        for sink in self._sinks.values():
            sink.flush()

    def write(self, result: Result) -> None:
        """Append a document's indicators, amounts and outcome."""
        for indicator in result.indicators:
            self.write_indicator(indicator)
        for amount in result.amounts:
            self.write_amount(amount)
        self.write_document(result.document)

    def _write(self, table: TableName, row: dict[str, Any]) -> None:
        if table not in self._sinks:
            raise RuntimeError("RecordWriter used outside its `with` block")
        self._sinks[table].write(row)
        self.counts[table] += 1

    def _close_sinks(self) -> None:
        """Close every open sink, even when one fails."""
        sinks, self._sinks = self._sinks, {}
        for table, sink in sinks.items():
            try:
                sink.close()
            except Exception:
                logger.exception("could not close %s", self._partial(table))

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc_type is not None:
            self._close_sinks()
            logger.warning(
                "run interrupted; incomplete output left as *%s in %s",
                PARTIAL_SUFFIX,
                self.out_dir,
            )
            return
        for sink in self._sinks.values():
            sink.close()
        self._sinks = {}
        # documents last: its final name marks a finished run.
        for table in TABLES:
            os.replace(self._partial(table), table_path(self.out_dir, table, self.fmt))


def read_records(path: Path) -> Iterator[dict[str, Any]]:
    """Read an output table back as contract-shaped dicts.

    Args:
        path: ``<table>.jsonl``, ``<table>.parquet`` or ``<table>.csv``.

    Yields:
        One dict per record, as ``to_dict()`` wrote it (Parquet adds the
        ``source.bbox`` key as null where it was absent).

    Raises:
        ValueError: unknown extension or table name.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                if line.strip():
                    yield json.loads(line)
        return
    table = _table_name(path)
    if suffix == ".parquet":
        yield from _read_parquet(path, table)
    elif suffix == ".csv":
        yield from _read_csv(path, table)
    else:
        raise ValueError(f"{path}: not a .jsonl, .parquet or .csv output table")


def _table_name(path: Path) -> TableName:
    for table in TABLES:
        if path.stem == table:
            return table
    raise ValueError(f"{path}: not one of the output tables {TABLES}")


def _read_parquet(path: Path, table: TableName) -> Iterator[dict[str, Any]]:
    import pyarrow.parquet as pq

    maps = [name for name, kind in COLUMNS[table] if name in ("timings", "checks")]
    parquet = pq.ParquetFile(path)
    for batch in parquet.iter_batches():
        for row in batch.to_pylist():
            for name in maps:
                # Arrow hands maps back as lists of (key, value) pairs.
                row[name] = dict(row[name] or ())
            yield row


def _read_csv(path: Path, table: TableName) -> Iterator[dict[str, Any]]:
    kinds = dict(COLUMNS[table])
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            yield {name: _csv_value(row[name], kinds[name]) for name in kinds}


def _csv_value(cell: str, kind: ColumnKind) -> Any:
    """A CSV cell back as the value ``to_dict()`` gave."""
    if kind == "json":
        return json.loads(cell)
    if kind == "str":
        return cell
    if cell == "":
        return None
    if kind == "int?":
        return int(cell)
    if kind in ("float", "float?"):
        return float(cell)
    return cell

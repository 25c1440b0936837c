"""Write extraction records to an output folder, atomically.

:class:`RecordWriter` writes three tables, ``indicators``, ``amounts`` and
``documents``, as JSON Lines (``.jsonl``), Parquet (``.parquet``) or CSV (``.csv``).
Records are written exactly as their ``to_dict()`` gives them (CONTRACT.md).

Atomicity and the manifest: while a run goes on, every table is written as JSON
Lines to ``<table>.jsonl.partial`` (whatever the output format), flushed after
each document, and a journal ``manifest.jsonl.partial`` gets one line per
finished document (its name, content hash, status and where its rows end). When
the writer closes without an exception the tables get their final names
(converted to Parquet or CSV first when asked) and ``manifest.json`` is written
last, listing each table with its sha256, byte size and record count and each
input with its sha256 and status. A folder is finished only when its manifest
says so and every file matches its hash (:func:`verify_manifest`); after an
interruption the partial files and the journal are kept, so ``--resume`` can go
on from the last finished document (:mod:`nlp.pipeline.resume`).

File names that are not valid UTF-8 reach the writer decoded with surrogate
escapes (``os.fsdecode``): JSON Lines keeps them as ``\\udcNN`` escapes (valid
UTF-8 JSON that ``json.loads`` turns back into the same string, and
``os.fsencode`` into the original bytes); Parquet and CSV, whose text must be
valid Unicode, write each such byte as the four characters ``\\xNN``.

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
import hashlib
import json
import logging
import os
import re
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
MANIFEST_NAME = "manifest.json"
JOURNAL_NAME = "manifest.jsonl.partial"
PREVIOUS_MANIFEST_NAME = "manifest.previous.json"
MANIFEST_VERSION = 1
# Characters that only file names decoded with surrogate escapes carry.
_SURROGATE = re.compile("[\ud800-\udfff]")
_ESCAPED_BYTE = re.compile("[\udc80-\udcff]")

# Column kinds for CSV: how a cell is written and read back.
#   str: text, never null; str?: text or null (empty cell); int?/float: numbers;
#   json: a nested value written as a JSON string.
ColumnKind = Literal["str", "str?", "int?", "float", "float?", "json"]

COLUMNS: dict[TableName, tuple[tuple[str, ColumnKind], ...]] = {
    "indicators": (
        ("doc", "str"),
        ("project", "str?"),
        ("project_code", "str?"),
        ("level1", "str?"),
        ("level2", "str?"),
        ("level1_norm", "str?"),
        ("level2_norm", "str?"),
        ("metric", "str"),
        ("target_raw", "str?"),
        ("target", "json"),
        ("target_period", "json"),
        ("actual", "json"),
        ("source", "json"),
        ("confidence", "float"),
        ("kind", "str"),
        ("notes", "json"),
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
        "target_period": target,
        "actual": target,
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
        self._handle.write(json_line(row))

    def write_line(self, line: str) -> None:
        self._handle.write(line)

    def tell(self) -> int:
        """Bytes written so far (the handle is flushed first)."""
        self._handle.flush()
        return self._handle.buffer.tell()

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

    Use as a context manager; files get their final names, and the folder its
    manifest, only on a clean exit (see the module docstring).

    Args:
        out_dir: the output folder, created when missing.
        fmt: "jsonl", "parquet" or "csv".
        run: facts about the run recorded in the manifest (options, limits).

    Raises:
        ValueError: unknown ``fmt``.
    """

    def __init__(
        self,
        out_dir: Path,
        fmt: OutputFormat = "jsonl",
        run: dict[str, Any] | None = None,
    ) -> None:
        if fmt not in FORMATS:
            raise ValueError(f"unknown output format {fmt!r} (use one of {FORMATS})")
        self.out_dir = Path(out_dir)
        self.fmt = fmt
        self.run = dict(run or {})
        self.counts: dict[TableName, int] = dict.fromkeys(TABLES, 0)
        self._sinks: dict[TableName, _JsonlSink] = {}
        self._journal: Any = None
        self._inputs: list[dict[str, Any]] = []

    @property
    def paths(self) -> dict[TableName, Path]:
        """Final path of each table."""
        return {t: table_path(self.out_dir, t, self.fmt) for t in TABLES}

    def _partial(self, table: TableName) -> Path:
        return work_path(self.out_dir, table)

    def __enter__(self) -> RecordWriter:
        self.out_dir.mkdir(parents=True, exist_ok=True)
        try:
            for table in TABLES:
                self._sinks[table] = _JsonlSink(self._partial(table), table)
            self._journal = (self.out_dir / JOURNAL_NAME).open(
                "w", encoding="utf-8", newline="\n"
            )
            self._journal.write(json_line({"format": self.fmt, "run": self.run}))
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

    def write_document(self, record: DocumentRecord, sha256: str = "") -> None:
        """Append one document outcome, flush, and note it in the journal."""
        self._write("documents", record.to_dict())
        self._finish_document(record.doc, sha256, record.status)

    def write(self, result: Result, sha256: str = "") -> None:
        """Append a document's indicators, amounts and outcome.

        Args:
            result: the document's records.
            sha256: the input's content hash, for the manifest and ``--resume``.
        """
        for indicator in result.indicators:
            self.write_indicator(indicator)
        for amount in result.amounts:
            self.write_amount(amount)
        self.write_document(result.document, sha256)

    def write_lines(self, doc: str, sha256: str, status: str, lines: RowLines) -> None:
        """Append a document's rows already written as JSON lines (a resumed run).

        Args:
            doc: the document's name.
            sha256: its content hash.
            status: its status.
            lines: its JSON lines per table, each ending in a line break.
        """
        for table in TABLES:
            for line in lines.get(table, ()):
                self._sinks[table].write_line(line)
                self.counts[table] += 1
        self._finish_document(doc, sha256, status)

    def _write(self, table: TableName, row: dict[str, Any]) -> None:
        if table not in self._sinks:
            raise RuntimeError("RecordWriter used outside its `with` block")
        self._sinks[table].write(row)
        self.counts[table] += 1

    def _finish_document(self, doc: str, sha256: str, status: str) -> None:
        """Flush the tables, then journal the document: it is now on disk."""
        for sink in self._sinks.values():
            sink.flush()
        entry = {"doc": doc, "sha256": sha256, "status": status}
        ends = {t: self._sinks[t].tell() for t in TABLES}
        self._journal.write(json_line({**entry, "ends": ends}))
        self._journal.flush()
        self._inputs.append(entry)

    def _close_sinks(self) -> None:
        """Close every open file, even when one fails."""
        sinks, self._sinks = self._sinks, {}
        for table, sink in sinks.items():
            try:
                sink.close()
            except Exception:
                logger.exception("could not close %s", self._partial(table))
        if self._journal is not None:
            self._journal.close()
            self._journal = None

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._close_sinks()
        if exc_type is not None:
            logger.warning(
                "run interrupted; incomplete output left as *%s in %s",
                PARTIAL_SUFFIX,
                self.out_dir,
            )
            return
        files = {}
        for table in TABLES:
            final = table_path(self.out_dir, table, self.fmt)
            _finish_table(self._partial(table), final, table, self.fmt)
            files[final.name] = _file_entry(final, self.counts[table])
        write_manifest(self.out_dir, self.fmt, files, self._inputs, self.run)
        for name in (JOURNAL_NAME, PREVIOUS_MANIFEST_NAME):
            (self.out_dir / name).unlink(missing_ok=True)
        for table in TABLES:
            self._partial(table).unlink(missing_ok=True)


RowLines = dict[str, list[str]]


def work_path(out_dir: Path, table: TableName) -> Path:
    """Where a table is written while a run goes on (JSON Lines, any format)."""
    return out_dir / f"{table}.jsonl{PARTIAL_SUFFIX}"


def _finish_table(work: Path, final: Path, table: TableName, fmt: OutputFormat) -> None:
    """Give a finished table its final name, converting it from JSON Lines."""
    if fmt == "jsonl":
        os.replace(work, final)
        return
    converted = final.with_name(final.name + PARTIAL_SUFFIX)
    sink = _SINKS[fmt](converted, table)
    try:
        with work.open(encoding="utf-8") as handle:
            for line in handle:
                sink.write(_unicode_safe(json.loads(line)))
    finally:
        sink.close()
    os.replace(converted, final)


def json_line(row: dict[str, Any]) -> str:
    """One JSON Lines line: UTF-8 text, surrogate-escaped bytes as ``\\udcNN``."""
    text = json.dumps(row, ensure_ascii=False)
    if _SURROGATE.search(text):
        # Only inside strings; a JSON escape keeps the file valid UTF-8.
        text = _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
    return text + "\n"


def bytes_escaped(text: str) -> str:
    """``text`` with each surrogate-escaped byte written as ``\\xNN``."""
    return _ESCAPED_BYTE.sub(lambda m: f"\\x{ord(m.group()) - 0xDC00:02x}", text)


def _unicode_safe(value: Any) -> Any:
    """A record with every surrogate-escaped byte in its strings as ``\\xNN``."""
    if isinstance(value, str):
        return bytes_escaped(value) if _SURROGATE.search(value) else value
    if isinstance(value, dict):
        return {key: _unicode_safe(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_unicode_safe(item) for item in value]
    return value


def file_sha256(path: Path) -> str:
    """The sha256 of a file's bytes, read in blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def _file_entry(path: Path, records: int) -> dict[str, Any]:
    return {
        "sha256": file_sha256(path),
        "bytes": path.stat().st_size,
        "records": records,
    }


def write_manifest(
    out_dir: Path,
    fmt: OutputFormat,
    files: dict[str, dict[str, Any]],
    inputs: list[dict[str, Any]],
    run: dict[str, Any],
) -> Path:
    """Write ``manifest.json`` atomically; it marks the folder as finished.

    Args:
        out_dir: the output folder.
        fmt: the tables' format.
        files: per table file name, its sha256, bytes and records.
        inputs: per input, its ``doc``, ``sha256`` and ``status``.
        run: facts about the run (options, limits).

    Returns:
        The manifest's path.
    """
    manifest = {
        "zhibiao_manifest": MANIFEST_VERSION,
        "complete": True,
        "format": fmt,
        "files": files,
        "inputs": inputs,
        "run": run,
    }
    path = out_dir / MANIFEST_NAME
    temporary = path.with_name(path.name + PARTIAL_SUFFIX)
    with temporary.open("w", encoding="utf-8", newline="\n") as handle:
        handle.write(json_line(manifest))
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)
    return path


def verify_manifest(out_dir: Path, name: str = MANIFEST_NAME) -> dict[str, Any] | None:
    """The folder's manifest when it is complete and every file matches it.

    A reader should trust an output folder only when this returns a manifest:
    a folder without one, or whose files differ from it, was interrupted or
    changed since.

    Args:
        out_dir: the output folder.
        name: the manifest's file name.

    Returns:
        The manifest as a dict, or None.
    """
    path = Path(out_dir) / name
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(manifest, dict) or manifest.get("complete") is not True:
        return None
    for file_name, entry in manifest.get("files", {}).items():
        table = Path(out_dir) / file_name
        if not table.is_file() or table.stat().st_size != entry.get("bytes"):
            return None
        if file_sha256(table) != entry.get("sha256"):
            return None
    return manifest


def output_names(out_dir: Path) -> list[Path]:
    """Files in ``out_dir`` that a run writes: tables, partial files, manifests."""
    names = {MANIFEST_NAME, JOURNAL_NAME, PREVIOUS_MANIFEST_NAME}
    names.add(MANIFEST_NAME + PARTIAL_SUFFIX)
    for table in TABLES:
        for fmt in FORMATS:
            names.add(f"{table}.{fmt}")
            names.add(f"{table}.{fmt}{PARTIAL_SUFFIX}")
    return sorted(p for p in Path(out_dir).iterdir() if p.name in names)


def clear_output(out_dir: Path) -> None:
    """Remove an earlier run's files, the manifest first (the folder stops
    looking finished before anything else goes)."""
    (Path(out_dir) / MANIFEST_NAME).unlink(missing_ok=True)
    for path in output_names(out_dir):
        path.unlink(missing_ok=True)


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
            # A file written before a column was added reads it as null.
            yield {name: _csv_value(row.get(name, ""), kinds[name]) for name in kinds}


def _csv_value(cell: str, kind: ColumnKind) -> Any:
    """A CSV cell back as the value ``to_dict()`` gave."""
    if kind == "json":
        return json.loads(cell) if cell else None
    if kind == "str":
        return cell
    if cell == "":
        return None
    if kind == "int?":
        return int(cell)
    if kind in ("float", "float?"):
        return float(cell)
    return cell

"""The ``zhibiao`` command line: parses arguments and calls the library.

Exit codes: 0 success; 1 some documents failed (``extract``) or a string could not
be parsed; 2 usage error (bad option, missing input path).
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from enum import Enum
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

app = typer.Typer(
    name="zhibiao",
    help="Extract performance indicators (绩效指标) and monetary amounts from "
    "Chinese government budget documents.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _register_subcommands() -> None:
    from nlp.annotate.cli import annotate_app

    app.add_typer(annotate_app, name="annotate")


EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130
REPORT_WIDTH = 120
LOG_FORMAT = "%(levelname)s %(name)s: %(message)s"
FILE_LOG_FORMAT = "%(asctime)s " + LOG_FORMAT
# Per-document progress records; the console shows them as a bar or plain lines.
PROGRESS_LOGGER = "nlp.progress"


class OutputFormat(str, Enum):
    """Output table format."""

    jsonl = "jsonl"
    parquet = "parquet"
    csv = "csv"


class OcrMode(str, Enum):
    """When to run OCR."""

    auto = "auto"
    always = "always"
    never = "never"


class ReportFormat(str, Enum):
    """Evaluation report format."""

    text = "text"
    json = "json"


def _stderr() -> Console:
    return Console(stderr=True)


def _error(message: object) -> None:
    """Print an error on stderr, unwrapped so paths stay whole."""
    _stderr().print(f"Error: {message}", markup=False, highlight=False, soft_wrap=True)


class _StderrHandler(logging.StreamHandler):
    """Writes to whatever ``sys.stderr`` is when a record arrives.

    So a handler set up for one command never writes to a stream that has since
    been replaced or closed (as in tests that run several commands).
    """

    @property  # type: ignore[override]
    def stream(self) -> Any:
        return sys.stderr

    @stream.setter
    def stream(self, value: Any) -> None:
        pass


def _not_progress(record: logging.LogRecord) -> bool:
    """Console filter: progress records are shown by the bar or lines instead."""
    return record.name != PROGRESS_LOGGER


def _configure_logging(verbose: bool) -> None:
    """Console logging on stderr: warnings, or INFO and up with ``--verbose``.

    The root logger passes INFO so that a ``--log-file`` handler gets it too.
    """
    root = logging.getLogger()
    for handler in [h for h in root.handlers if isinstance(h, _StderrHandler)]:
        root.removeHandler(handler)
    console = _StderrHandler()
    console.setLevel(logging.INFO if verbose else logging.WARNING)
    console.setFormatter(logging.Formatter(LOG_FORMAT))
    console.addFilter(_not_progress)
    root.addHandler(console)
    root.setLevel(logging.INFO)


@contextmanager
def _log_file(path: Path | None) -> Iterator[None]:
    """Append INFO and up (progress lines included) to ``path`` while in the block."""
    if path is None:
        yield
        return
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setLevel(logging.INFO)
    handler.setFormatter(logging.Formatter(FILE_LOG_FORMAT))
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield
    finally:
        root.removeHandler(handler)
        handler.close()


def _progress_mode(quiet: bool) -> str:
    """A bar on a terminal, plain lines otherwise (a batch job's log), or none."""
    if quiet:
        return "off"
    return "bar" if sys.stderr.isatty() else "lines"


def _check_format_installed(fmt: OutputFormat) -> None:
    """Parquet needs pyarrow, the ``parquet`` extra: a usage error without it."""
    from importlib.util import find_spec

    if fmt is OutputFormat.parquet and find_spec("pyarrow") is None:
        raise typer.BadParameter(
            "parquet output needs pyarrow: pip install 'zhibiao[parquet]'",
            param_hint="--format",
        )


def _version() -> str:
    try:
        return version("zhibiao")
    except PackageNotFoundError:
        return "unknown"


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"zhibiao {_version()}")
        raise typer.Exit(EXIT_OK)


@app.callback()
def main(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            callback=_show_version,
            is_eager=True,
            help="Show the version and exit.",
        ),
    ] = False,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Log progress details.")
    ] = False,
) -> None:
    """Extract performance indicators and monetary amounts from budget documents."""
    _configure_logging(verbose)


def _given(**options: Any) -> dict[str, Any]:
    """The options given on the command line (the rest keep their defaults)."""
    return {name: value for name, value in options.items() if value is not None}


@app.command()
def extract(
    inputs: Annotated[
        list[Path],
        typer.Argument(
            help="Files or folders (searched recursively).",
            exists=True,
            show_default=False,
        ),
    ],
    out: Annotated[
        Path,
        typer.Option(
            "--out", "-o", help="Output folder.", file_okay=False, show_default=False
        ),
    ],
    fmt: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="Output format.")
    ] = OutputFormat.jsonl,
    workers: Annotated[
        int, typer.Option("--workers", "-j", min=1, help="Worker processes.")
    ] = 1,
    ocr: Annotated[
        OcrMode,
        typer.Option(help="OCR: auto (pages without text only), always, never."),
    ] = OcrMode.auto,
    no_model: Annotated[
        bool, typer.Option("--no-model", help="Use rules only, no trained models.")
    ] = False,
    quiet: Annotated[
        bool,
        typer.Option(
            "--quiet",
            "-q",
            help="No progress (bar on a terminal, one line per document "
            "otherwise) and no summary.",
        ),
    ] = False,
    log_file: Annotated[
        Path | None,
        typer.Option(
            "--log-file",
            help="Also append log messages and one progress line per document "
            "to this file.",
            dir_okay=False,
            show_default=False,
        ),
    ] = None,
    shard: Annotated[
        str | None,
        typer.Option(
            help="Run only part K of N of the inputs (K/N, e.g. 3/10): split a "
            "batch over machines; each document falls in one part, the same on "
            "every run.",
            show_default=False,
        ),
    ] = None,
    overwrite: Annotated[
        bool,
        typer.Option("--overwrite", help="Replace an earlier run's output in --out."),
    ] = False,
    resume: Annotated[
        bool,
        typer.Option(
            "--resume",
            help="Finish an earlier run into --out: documents it finished (same "
            "content) are kept, the rest are extracted.",
        ),
    ] = False,
    max_seconds: Annotated[
        float | None,
        typer.Option(
            min=0.001,
            help="Wall-time limit per document, s [3600].",
            show_default=False,
        ),
    ] = None,
    max_memory_mb: Annotated[
        int | None,
        typer.Option(
            min=1,
            help="Memory limit per worker process, MB [2048].",
            show_default=False,
        ),
    ] = None,
    max_pages: Annotated[
        int | None,
        typer.Option(
            min=1, help="Pages of a PDF or frames of a TIFF [2000].", show_default=False
        ),
    ] = None,
    max_page_pixels: Annotated[
        int | None,
        typer.Option(
            min=1, help="Pixels of one page rendered for OCR [1e8].", show_default=False
        ),
    ] = None,
    max_member_bytes: Annotated[
        int | None,
        typer.Option(
            min=1,
            help="Inflated bytes of one DOCX/XLSX member [256 MiB].",
            show_default=False,
        ),
    ] = None,
    max_sheet_rows: Annotated[
        int | None,
        typer.Option(
            min=1, help="Rows of one sheet or table [200000].", show_default=False
        ),
    ] = None,
    max_line_chars: Annotated[
        int | None,
        typer.Option(
            min=1,
            help="Characters of one line or paragraph [30000].",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Extract indicators and amounts from INPUTS into --out.

    Writes indicators, amounts and documents tables, then manifest.json. Exit
    code 0 when every document was extracted (unsupported files are skipped),
    1 when some failed, 2 on a usage error (including a non-empty --out without
    --overwrite or --resume), 130 when interrupted (resume with --resume).
    """
    from nlp.pipeline import ExtractOptions, Shard, run_batch
    from nlp.pipeline.batch import OutputExistsError
    from nlp.pipeline.workers import WorkerLimits
    from nlp.read.limits import ReadLimits

    console = _stderr()
    if overwrite and resume:
        raise typer.BadParameter("use --overwrite or --resume, not both")
    read_limits = replace(
        ReadLimits(),
        **_given(
            max_pages=max_pages,
            max_page_pixels=max_page_pixels,
            max_member_bytes=max_member_bytes,
            max_sheet_rows=max_sheet_rows,
            max_line_chars=max_line_chars,
        ),
    )
    options = ExtractOptions(ocr=ocr.value, use_model=not no_model, limits=read_limits)
    limits = replace(
        WorkerLimits(),
        **_given(max_seconds=max_seconds, max_memory_mb=max_memory_mb),
    )
    _check_format_installed(fmt)
    try:
        part = Shard.parse(shard) if shard is not None else None
    except ValueError as error:
        raise typer.BadParameter(str(error), param_hint="--shard") from error
    try:
        with _log_file(log_file):
            summary = run_batch(
                inputs,
                out,
                fmt=fmt.value,
                workers=workers,
                options=options,
                progress=_progress_mode(quiet),
                shard=part,
                mode="overwrite" if overwrite else "resume" if resume else "new",
                limits=limits,
            )
    except (FileNotFoundError, OutputExistsError) as exc:
        _error(exc)
        raise typer.Exit(EXIT_USAGE) from exc
    except KeyboardInterrupt as exc:
        _error(f"interrupted; finish the run with --resume --out {out}")
        raise typer.Exit(EXIT_INTERRUPTED) from exc
    if not quiet:
        resumed = f" ({summary.resumed} kept from the earlier run)" * bool(
            summary.resumed
        )
        console.print(
            f"{summary.documents} documents: {summary.ok} ok{resumed}, "
            f"{summary.error} error, "
            f"{summary.skipped} skipped; {summary.indicators} indicators, "
            f"{summary.amounts} amounts; {summary.seconds:.1f} s → {out}",
            markup=False,
            highlight=False,
            soft_wrap=True,
        )
    raise typer.Exit(EXIT_FAILED if summary.error else EXIT_OK)


@app.command()
def evaluate(
    gold: Annotated[
        Path,
        typer.Option(
            "--gold",
            help="Gold folder (<stem>.indicators.jsonl, <stem>.amounts.jsonl).",
            exists=True,
            file_okay=False,
            show_default=False,
        ),
    ],
    pred: Annotated[
        Path,
        typer.Option(
            "--pred",
            help="Extract output folder.",
            exists=True,
            file_okay=False,
            show_default=False,
        ),
    ],
    fmt: Annotated[
        ReportFormat, typer.Option("--format", "-f", help="Report format.")
    ] = ReportFormat.text,
    max_errors: Annotated[
        int, typer.Option(min=0, help="Errors listed per document (text format).")
    ] = 20,
    by: Annotated[
        list[str] | None,
        typer.Option(
            "--by",
            help="Also report per value of a gold field: city, format or doc "
            "(repeatable).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Score extract output (--pred) against gold annotations (--gold)."""
    from nlp.evaluate import evaluate as run_evaluation
    from nlp.evaluate import group_scores, render_groups, render_text

    try:
        report = run_evaluation(gold, pred)
        groups = {field: group_scores(report, field) for field in by or ()}
    except (FileNotFoundError, KeyError) as exc:
        _error(exc)
        raise typer.Exit(EXIT_USAGE) from exc
    if fmt is ReportFormat.json:
        payload = report.to_dict()
        payload["groups"] = {
            field: {value: [r.to_dict() for r in rows] for value, rows in g.items()}
            for field, g in groups.items()
        }
        typer.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    # Pipes and files get a fixed width wide enough for the score tables.
    width = None if sys.stdout.isatty() else REPORT_WIDTH
    console = Console(width=width)
    render_text(report, console, max_errors=max_errors)
    for field, g in groups.items():
        render_groups(g, field, console)


def _print_json(value: dict[str, Any]) -> None:
    typer.echo(json.dumps(value, ensure_ascii=False))


def _parse_failed(exc: Exception) -> typer.Exit:
    _error(exc)
    return typer.Exit(EXIT_FAILED)


@app.command("normalize-target")
def normalize_target_command(
    text: Annotated[str, typer.Argument(help="A target value, e.g. ≥ 95 %.")],
    unit: Annotated[
        str | None, typer.Option(help="Unit from a separate unit column.")
    ] = None,
) -> None:
    """Print the normalized target of TEXT as one JSON line."""
    from nlp.errors import ParseError
    from nlp.normalize.target import normalize_target

    try:
        target = normalize_target(text, unit=unit)
    except ParseError as exc:
        raise _parse_failed(exc) from exc
    _print_json(target.to_dict())


@app.command("parse-money")
def parse_money_command(
    text: Annotated[str, typer.Argument(help="An amount, e.g. 746.1 万元.")],
    unit: Annotated[
        str | None,
        typer.Option(help="Unit from the table (单位：万元) when TEXT has none."),
    ] = None,
) -> None:
    """Print the parsed amount of TEXT as one JSON line."""
    from nlp.errors import ParseError
    from nlp.normalize.money import parse_money

    try:
        money = parse_money(text, unit)
    except ParseError as exc:
        raise _parse_failed(exc) from exc
    _print_json(money.to_dict())


@app.command("find-amounts")
def find_amounts_command(
    file: Annotated[
        Path,
        typer.Argument(
            help="A UTF-8 text file.", exists=True, dir_okay=False, show_default=False
        ),
    ],
) -> None:
    """Print one JSON line per money mention found in FILE's text."""
    from nlp.errors import ParseError
    from nlp.normalize.amounts import find_amounts

    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        message = f"{file}: cannot read as UTF-8 text: {exc}"
        raise _parse_failed(ValueError(message)) from exc
    try:
        spans = find_amounts(text)
    except ParseError as exc:
        raise _parse_failed(exc) from exc
    for span in spans:
        _print_json(span.to_dict())


@app.command("train")
def train_command(
    annotations: Annotated[
        Path,
        typer.Option(
            help="The saved span corpus (datasets.load_from_disk), or the folder "
            "holding it as spans/ (build it with python -m nlp.corpus).",
            exists=True,
        ),
    ] = Path("annotations"),
    out: Annotated[Path, typer.Option(help="Model folder to write.")] = Path(
        "nlp/models/narrative"
    ),
    seed: Annotated[int, typer.Option(help="Seed of the template sampling.")] = 0,
) -> None:
    """Train the narrative span model on the saved span corpus and write it to OUT.

    Default settings and no calibration: the shipped model is made by
    python -m nlp.retrain, which chooses them by leave one city out."""
    from dataclasses import asdict

    from nlp.train import train

    try:
        report = train(annotations, out, seed=seed)
    except FileNotFoundError as exc:
        _error(exc)
        raise typer.Exit(EXIT_USAGE) from exc
    _print_json(
        {k: str(v) if isinstance(v, Path) else v for k, v in asdict(report).items()}
    )


@app.command("report")
def report_command(
    paths: Annotated[
        list[Path],
        typer.Argument(
            help="An extract output folder (with documents.jsonl), or inputs to "
            "extract first.",
            exists=True,
            show_default=False,
        ),
    ],
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            help="Where to extract inputs (default: a temporary folder).",
            file_okay=False,
            show_default=False,
        ),
    ] = None,
    workers: Annotated[
        int, typer.Option("--workers", "-j", min=1, help="Worker processes.")
    ] = 1,
    fmt: Annotated[
        ReportFormat, typer.Option("--format", "-f", help="Report format.")
    ] = ReportFormat.text,
) -> None:
    """Health report over a folder: checks a reviewer would look at, without gold."""
    import tempfile

    from nlp.report import (
        documents_table,
        health_rows,
        mismatch_rows,
        render,
        render_mismatches,
    )

    def done(folder: Path) -> None:
        rows = health_rows(folder)
        mismatches = mismatch_rows(folder)
        if fmt is ReportFormat.json:
            for row in rows:
                _print_json(
                    {
                        "doc": row.doc,
                        "status": row.status,
                        "indicators": row.indicators,
                        "amounts": row.amounts,
                        "checks": row.checks,
                        "sum_mismatches": [
                            m.to_dict() for m in mismatches if m.doc == row.doc
                        ],
                    }
                )
        else:
            width = None if sys.stdout.isatty() else 200
            console = Console(width=width)
            render(rows, console)
            render_mismatches(mismatches, console)

    if len(paths) == 1 and paths[0].is_dir():
        try:
            documents_table(paths[0])
        except FileNotFoundError:
            pass
        else:
            done(paths[0])
            return
    from nlp.pipeline import ExtractOptions, run_batch

    with tempfile.TemporaryDirectory(prefix="zhibiao-report-") as tmp:
        folder = out or Path(tmp)
        run_batch(
            paths,
            folder,
            fmt="jsonl",
            workers=workers,
            options=ExtractOptions(),
            progress=sys.stderr.isatty(),
        )
        done(folder)


_register_subcommands()


if __name__ == "__main__":
    app()

"""``zhibiao annotate``: gold from reading sheets; tasks for Label Studio and doccano
and their exports back into gold; agreement of two readings or two exports."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.box import SIMPLE
from rich.console import Console
from rich.table import Table

annotate_app = typer.Typer(
    help=(
        "Annotation: export model output for annotators (Label Studio, doccano), "
        "import their corrections as gold, compare two annotators."
    ),
    no_args_is_help=True,
)

RootOption = Annotated[
    Path,
    typer.Option(
        "--root",
        help="Annotated set: sheets/, second/, docs/MANIFEST.tsv, gold/.",
        exists=True,
        file_okay=False,
    ),
]


@annotate_app.command("build-gold")
def build_gold_command(root: RootOption = Path("annotations/real")) -> None:
    """Write ROOT/gold from the reading sheets in ROOT/sheets."""
    from nlp.annotate import SheetError, build_real_gold

    try:
        counts = build_real_gold(root)
    except (SheetError, FileNotFoundError, KeyError) as exc:
        Console(stderr=True).print(f"Error: {exc}", markup=False, soft_wrap=True)
        raise typer.Exit(2) from exc
    typer.echo(", ".join(f"{k}: {v}" for k, v in counts.items()))


@annotate_app.command("agreement")
def agreement_command(
    exports: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Two exports of the same tasks (Label Studio JSON or doccano "
            "JSONL), one per annotator; without them, ROOT's two readings.",
            exists=True,
            dir_okay=False,
        ),
    ] = None,
    root: RootOption = Path("annotations/real"),
    max_listed: Annotated[
        int, typer.Option(min=0, help="Disagreements listed per table.")
    ] = 40,
) -> None:
    """Agreement of two annotators: two exports, or ROOT/second vs ROOT/sheets."""
    from nlp.annotate import compare_readings
    from nlp.annotate.agreement import compare_exports, field_value

    console = Console(width=140)
    if exports:
        if len(exports) != 2:
            Console(stderr=True).print("Error: give two export files", markup=False)
            raise typer.Exit(2)
        comparison = compare_exports(exports[0], exports[1])
        _print_spans(console, comparison.spans)
    else:
        comparison = compare_readings(root)
    for table_name, result in comparison.overall.items():
        console.print(
            f"{table_name}: {result.first} first, {result.second} second, "
            f"{result.paired} paired (record F1 {result.f1:.3f})",
            markup=False,
        )
        table = Table(box=SIMPLE)
        table.add_column("field")
        table.add_column("same", justify="right")
        table.add_column("compared", justify="right")
        table.add_column("agreement", justify="right")
        table.add_column("kappa", justify="right")
        for name, tally in result.fields.items():
            table.add_row(
                name,
                str(tally.same),
                str(tally.compared),
                f"{tally.rate:.3f}",
                f"{tally.kappa:.3f}",
            )
        console.print(table)
        for name, a, b in result.disagreements[:max_listed]:
            page = a["source"].get("page")
            label = a.get("metric") or a.get("text")
            if b is None:
                console.print(f"  p{page} {name}: {label}", markup=False)
            else:
                console.print(
                    f"  p{page} {name}: {label}: "
                    f"{field_value(a, name)!r} vs {field_value(b, name)!r}",
                    markup=False,
                )


def _print_spans(console: Console, spans: dict) -> None:
    """Span F1 per label and Cohen's kappa on span labels."""
    if not spans:
        return
    table = Table(box=SIMPLE, title="spans (passages) and boxes (pages)")
    for column in ("label", "first", "second", "same", "F1"):
        table.add_column(column, justify="left" if column == "label" else "right")
    for label, tally in spans["labels"].items():
        table.add_row(
            label,
            str(tally.first),
            str(tally.second),
            str(tally.same),
            f"{tally.f1:.3f}",
        )
    console.print(table)
    console.print(
        f"Cohen's kappa on span labels: {spans['kappa']:.3f} "
        f"({spans['positions']} positions)",
        markup=False,
    )


DocsOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--docs",
        help="Document files or folders (repeat the option), named as extract "
        "named them.",
        exists=True,
    ),
]


@annotate_app.command("export")
def export_command(
    out: Annotated[Path, typer.Argument(help="Folder written.", file_okay=False)],
    pred: Annotated[
        Path,
        typer.Option(
            "--pred",
            help="extract --out folder, or a gold folder.",
            exists=True,
            file_okay=False,
        ),
    ],
    docs: DocsOption = None,
    to: Annotated[
        str, typer.Option("--to", help="label-studio or doccano.")
    ] = "label-studio",
    model_version: Annotated[
        str | None, typer.Option(help="Model version written on predictions.")
    ] = None,
    image_base: Annotated[
        str | None,
        typer.Option(help="URL prefix of the images/ folder (default: embedded)."),
    ] = None,
) -> None:
    """Write the records of PRED as annotation tasks with predictions in OUT."""
    from nlp.annotate.exchange import FORMATS, export

    if to not in FORMATS:
        Console(stderr=True).print(f"Error: --to must be one of {', '.join(FORMATS)}")
        raise typer.Exit(2)
    try:
        summary = export(pred, docs or [], out, to, model_version, image_base)  # type: ignore[arg-type]
    except FileNotFoundError as exc:
        Console(stderr=True).print(f"Error: {exc}", markup=False, soft_wrap=True)
        raise typer.Exit(2) from exc
    tasks = ", ".join(f"{k}: {v}" for k, v in summary.tasks.items()) or "no tasks"
    typer.echo(f"{tasks}; unplaced records: {summary.unplaced}")
    for path in summary.files:
        typer.echo(str(path))


@annotate_app.command("import")
def import_command(
    exports: Annotated[
        list[Path],
        typer.Argument(
            help="Label Studio JSON export(s) or doccano JSONL.",
            exists=True,
            dir_okay=False,
        ),
    ],
    out: Annotated[
        Path, typer.Option("--out", help="The annotated set (annotations/<set>/).")
    ],
    docs: DocsOption = None,
    spans: Annotated[
        bool, typer.Option(help="Also build the spans/ datasets corpus.")
    ] = True,
) -> None:
    """Write gold, corpus and span data of the annotated set OUT from EXPORTS."""
    from nlp.annotate.exchange import import_export

    try:
        facts = import_export(exports, out, docs, spans=spans)
    except (ValueError, KeyError) as exc:
        Console(stderr=True).print(f"Error: {exc}", markup=False, soft_wrap=True)
        raise typer.Exit(2) from exc
    review = ", ".join(f"{k} {v}" for k, v in facts["review"].items())
    typer.echo(
        f"{facts['name']} {facts['version']}: {facts['indicators']} indicators, "
        f"{facts['amounts']} amounts ({review}); corpus {facts['corpus']} documents"
    )


@annotate_app.command("config")
def config_command(
    kind: Annotated[str, typer.Argument(help="page, row or passage.")] = "page",
    out: Annotated[
        Path | None, typer.Option("--out", help="File written (default: print).")
    ] = None,
) -> None:
    """The Label Studio labeling config for one task kind."""
    from nlp.annotate.labelstudio import config

    try:
        text = config(kind)
    except ValueError as exc:
        Console(stderr=True).print(f"Error: {exc}", markup=False)
        raise typer.Exit(2) from exc
    if out is None:
        typer.echo(text, nl=False)
    else:
        out.write_text(text, encoding="utf-8")

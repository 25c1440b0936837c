"""``zhibiao annotate``: gold from reading sheets, and agreement of two readings."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.box import SIMPLE
from rich.console import Console
from rich.table import Table

annotate_app = typer.Typer(
    help="Annotation: build gold from reading sheets; compare two readings.",
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
    root: RootOption = Path("annotations/real"),
    max_listed: Annotated[
        int, typer.Option(min=0, help="Disagreements listed per table.")
    ] = 40,
) -> None:
    """Agreement of ROOT/second with ROOT/sheets on the pages both read."""
    from nlp.annotate import compare_readings
    from nlp.annotate.agreement import field_value

    comparison = compare_readings(root)
    console = Console(width=140)
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
        for name, tally in result.fields.items():
            table.add_row(
                name, str(tally.same), str(tally.compared), f"{tally.rate:.3f}"
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

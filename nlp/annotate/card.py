"""Which annotated sets trained a model, for its model card.

A set is a folder under ``annotations/`` with ``gold/`` and ``corpus/``
(:func:`nlp.corpus.annotation_sets`). Its version is the one ``annotate import``
wrote in ``set.json``, or, for a set written by hand, the same hash of its gold
files (:func:`nlp.annotate.gold.set_version`), so a card names exactly the data.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from nlp.annotate.gold import set_version


def training_sets(annotations: Path) -> list[dict[str, Any]]:
    """Name, folder, version, documents and record counts of each annotated set."""
    from nlp.corpus import annotation_sets

    annotations = Path(annotations)
    out = []
    for folder in annotation_sets(annotations):
        gold = folder / "gold"
        facts_path = folder / "set.json"
        facts = (
            json.loads(facts_path.read_text(encoding="utf-8"))
            if facts_path.exists()
            else {}
        )
        out.append(
            {
                "name": folder.relative_to(annotations.parent).as_posix(),
                "version": set_version(gold),
                "imported_as": facts.get("version"),
                "documents": len({p.name.split(".")[0] for p in gold.glob("*.jsonl")}),
                "indicators": _count(gold, "indicators"),
                "amounts": _count(gold, "amounts"),
                "review": facts.get("review"),
            }
        )
    return out


def _count(gold: Path, table: str) -> int:
    return sum(
        sum(1 for line in p.read_text(encoding="utf-8").splitlines() if line.strip())
        for p in gold.glob(f"*.{table}.jsonl")
    )


def card_section(sets: list[dict[str, Any]]) -> str:
    """A Markdown section for a model card listing the training sets."""
    lines = [
        "## Annotated sets trained on",
        "",
        "| set | version | documents | indicators | amounts | review |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for s in sets:
        review = ", ".join(f"{k} {v}" for k, v in (s.get("review") or {}).items())
        lines.append(
            f"| {s['name']} | `{s['version']}` | {s['documents']} | "
            f"{s['indicators']} | {s['amounts']} | {review or '—'} |"
        )
    return "\n".join(lines) + "\n"

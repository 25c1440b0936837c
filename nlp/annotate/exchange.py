"""Export records for annotators and import their work back as an annotated set.

``export`` writes, for Label Studio, one task file and one labeling config per task
kind (``page.tasks.json`` + ``page.xml``, ``row…``, ``passage…``), the page images
(``images/``) and the records that found no unit (``unplaced.jsonl``); for
doccano, ``passages.jsonl``. ``import`` reads either export back into
``annotations/<set>/`` (:func:`nlp.annotate.gold.write_set`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from nlp.annotate import doccano, labelstudio
from nlp.annotate.gold import group_gold, write_set
from nlp.annotate.units import build_units, doc_paths, load_records

Format = Literal["label-studio", "doccano"]
FORMATS: tuple[str, ...] = ("label-studio", "doccano")
DOCCANO_FILE = "passages.jsonl"


@dataclass
class ExportSummary:
    """What an export wrote: tasks per kind and records left unplaced."""

    tasks: dict[str, int] = field(default_factory=dict)
    unplaced: int = 0
    files: list[Path] = field(default_factory=list)


def default_model_version() -> str:
    """``zhibiao-<package version>``, with the narrative model's data hash if any."""
    import nlp
    from nlp.classify.model import DEFAULT_MODEL_DIR

    version = f"zhibiao-{nlp.__version__}"
    config = DEFAULT_MODEL_DIR / "config.json"
    if config.exists():
        meta = json.loads(config.read_text(encoding="utf-8")).get("meta") or {}
        if meta.get("data_hash"):
            version += f"+{meta['data_hash'][:8]}"
    return version


def export(
    pred: Path,
    docs: list[Path],
    out: Path,
    to: Format = "label-studio",
    model_version: str | None = None,
    image_base: str | None = None,
) -> ExportSummary:
    """Write the records of ``pred`` (an extraction or a gold folder) as tasks.

    Args:
        pred: ``zhibiao extract --out`` folder, or a gold folder.
        docs: the documents (files or folders), named as ``extract`` named them.
        out: folder written.
        to: ``label-studio`` or ``doccano`` (text passages only).
        model_version: written on each prediction (default
            :func:`default_model_version`).
        image_base: URL prefix for page images instead of embedding them.
    """
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    paths = doc_paths(docs)
    units = build_units(load_records(pred), paths)
    if to == "doccano":
        units.pages, units.rows = [], []
    options = labelstudio.ExportOptions(
        model_version or default_model_version(), image_base
    )
    tasks = labelstudio.export_tasks(units, options, out / "images", paths)
    summary = ExportSummary(unplaced=len(units.unplaced))
    if to == "doccano":
        path = out / DOCCANO_FILE
        doccano.write_jsonl(tasks["passage"], path)
        summary.tasks["passage"] = len(tasks["passage"])
        summary.files.append(path)
    else:
        for kind, kind_tasks in tasks.items():
            if not kind_tasks:
                continue
            path = out / f"{kind}.tasks.json"
            text = json.dumps(kind_tasks, ensure_ascii=False, indent=1)
            path.write_text(text + "\n", encoding="utf-8")
            (out / f"{kind}.xml").write_text(labelstudio.config(kind), encoding="utf-8")
            summary.tasks[kind] = len(kind_tasks)
            summary.files += [path, out / f"{kind}.xml"]
    if units.unplaced:
        lines = [
            json.dumps({"table": i.table, **i.record}, ensure_ascii=False) + "\n"
            for i in units.unplaced
        ]
        (out / "unplaced.jsonl").write_text("".join(lines), encoding="utf-8")
    return summary


def read_export(path: Path) -> list[tuple[str, dict[str, Any]]]:
    """Gold ``(table, record)`` pairs from a Label Studio JSON or doccano JSONL."""
    path = Path(path)
    if path.suffix.lower() == ".jsonl":
        return doccano.import_lines(doccano.read_jsonl(path))
    tasks = json.loads(path.read_text(encoding="utf-8"))
    if isinstance(tasks, dict):
        tasks = [tasks]
    return labelstudio.import_tasks(tasks)


def import_export(
    export_files: list[Path],
    out: Path,
    docs: list[Path] | None = None,
    spans: bool = True,
) -> dict[str, Any]:
    """Write the annotated set ``out`` from one or more export files.

    Documents are copied into ``out/corpus/`` from ``docs``, or from the paths the
    tasks recorded at export time when they still exist.

    Returns:
        The set's facts (``set.json``).
    """
    pairs = [pair for path in export_files for pair in read_export(path)]
    paths = doc_paths(docs or [])
    for path in export_files:
        for doc, file in _recorded_paths(Path(path)).items():
            paths.setdefault(doc, file)
    names = ", ".join(Path(p).name for p in export_files)
    return write_set(group_gold(pairs), out, paths, names, spans=spans)


def _recorded_paths(path: Path) -> dict[str, Path]:
    """Document files named in an export's tasks, where they still exist."""
    if path.suffix.lower() == ".jsonl":
        items = doccano.read_jsonl(path)
    else:
        loaded = json.loads(path.read_text(encoding="utf-8"))
        items = [
            t.get("data") or {}
            for t in (loaded if isinstance(loaded, list) else [loaded])
        ]
    return {
        d["doc"]: Path(d["path"])
        for d in items
        if d.get("path") and Path(d["path"]).exists()
    }

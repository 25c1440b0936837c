"""Label Studio: labeling configs, tasks with the model's records as predictions,
and the annotators' export back into gold.

Three kinds of task, one project (and one config) each, as :mod:`nlp.annotate.units`
groups the records:

- ``page``: the page image with a box per indicator and amount; selecting a box
  shows the record's fields (level1, level2, metric, target, kind; text, value,
  subject) as text to correct. Boxes are in percent of the page; records carry
  ``source.bbox`` in PDF points, converted with the page size.
- ``row``: a table row shown among its neighbours under its header, with level1,
  level2, metric, target and actual pre-filled and editable, and a verdict.
- ``passage``: running text with METRIC, TARGET, ACTUAL, LEVEL and AMOUNT spans
  and a relation from each metric to its value.

Each task keeps the records it shows (``data.records``, with the region ids they
were drawn as), so the import needs nothing but the export: a region whose fields
and geometry are as predicted gives the record back unchanged (``review:
predicted``), a changed one a corrected record, a new one an added record, and a
record whose region is gone is deleted.
"""

from __future__ import annotations

import base64
import html
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nlp.annotate import gold as g
from nlp.annotate.units import Item, PageUnit, PassageUnit, RowUnit, Units

Record = dict[str, Any]

KINDS = ("page", "row", "passage")
SPAN_LABELS = ("METRIC", "TARGET", "ACTUAL", "LEVEL", "AMOUNT")
BOX_LABELS = ("INDICATOR", "AMOUNT")
ROW_FIELDS = ("level1", "level2", "metric", "target", "actual")
ROW_VERDICTS = ("indicator", "not an indicator")
# Page images are rendered at this resolution (enough to read a table cell).
RENDER_DPI = 110
POINTS_PER_INCH = 72.0
# Boxes that moved less than this (percent of the page) are unchanged.
BOX_TOLERANCE = 0.05
_COLORS = {
    "INDICATOR": "#1f77b4",
    "AMOUNT": "#2ca02c",
    "METRIC": "#1f77b4",
    "TARGET": "#ff7f0e",
    "ACTUAL": "#d62728",
    "LEVEL": "#9467bd",
}


# --- configs -------------------------------------------------------------------


def _field(name: str, to: str, label: str, when: str | None = None) -> str:
    region = (
        f' perRegion="true" whenTagName="box" whenLabelValue="{when}"' if when else ""
    )
    return (
        f'  <Header value="{label}" size="6"/>\n'
        f'  <TextArea name="{name}" toName="{to}"{region} editable="true" '
        f'maxSubmissions="1" rows="1" placeholder="{label}"/>\n'
    )


def _when(label: str, body: str) -> str:
    """Fields shown only while a box with ``label`` is selected."""
    return (
        f'  <View visibleWhen="region-selected" whenTagName="box" '
        f'whenLabelValue="{label}">\n{body}  </View>\n'
    )


def config(kind: str) -> str:
    """The labeling config (XML) for a task kind: ``page``, ``row`` or ``passage``.

    Raises:
        ValueError: an unknown kind.
    """
    if kind == "page":
        return _page_config()
    if kind == "row":
        return _row_config()
    if kind == "passage":
        return _passage_config()
    raise ValueError(f"unknown task kind {kind!r}; expected one of {KINDS}")


def _page_config() -> str:
    labels = "".join(
        f'    <Label value="{v}" background="{_COLORS[v]}"/>\n' for v in BOX_LABELS
    )
    indicator = "".join(
        _field(name, "page", name, when="INDICATOR")
        for name in ("level1", "level2", "metric", "target")
    )
    indicator += (
        '  <Choices name="kind" toName="page" perRegion="true" whenTagName="box" '
        'whenLabelValue="INDICATOR" choice="single" showInline="true">\n'
        '    <Choice value="target"/>\n    <Choice value="actual"/>\n'
        "  </Choices>\n"
    )
    amount = "".join(
        _field(f"amount_{name}", "page", name, when="AMOUNT")
        for name in g.AMOUNT_FIELDS
    )
    return (
        "<View>\n"
        '  <Header value="$title"/>\n'
        '  <View style="display: flex; gap: 1em">\n'
        '  <View style="flex: 3">\n'
        '  <Image name="page" value="$image" zoom="true" zoomControl="true"/>\n'
        "  </View>\n"
        '  <View style="flex: 2">\n'
        '  <RectangleLabels name="box" toName="page" strokeWidth="2">\n'
        f"{labels}  </RectangleLabels>\n"
        f"{_when('INDICATOR', indicator)}"
        f"{_when('AMOUNT', amount)}"
        "  </View>\n"
        "  </View>\n"
        "</View>\n"
    )


def _row_config() -> str:
    verdicts = "".join(f'    <Choice value="{v}"/>\n' for v in ROW_VERDICTS)
    fields = "".join(_field(name, "row", name) for name in ROW_FIELDS)
    return (
        "<View>\n"
        '  <Header value="$title"/>\n'
        '  <HyperText name="row" value="$table_html"/>\n'
        '  <Choices name="verdict" toName="row" choice="single" showInline="true">\n'
        f"{verdicts}  </Choices>\n"
        f"{fields}"
        "</View>\n"
    )


def _passage_config() -> str:
    labels = "".join(
        f'    <Label value="{v}" background="{_COLORS.get(v, "#8c564b")}"/>\n'
        for v in SPAN_LABELS
    )
    return (
        "<View>\n"
        '  <Header value="$title"/>\n'
        "  <Relations>\n"
        '    <Relation value="value"/>\n'
        "  </Relations>\n"
        '  <Labels name="span" toName="text">\n'
        f"{labels}  </Labels>\n"
        '  <Text name="text" value="$text" granularity="symbol"/>\n'
        "</View>\n"
    )


# --- export ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ExportOptions:
    """How tasks are written.

    Attributes:
        model_version: written on every prediction.
        image_base: when set, page images are referenced as ``image_base/<file>``
            (a folder the team serves); else they are embedded as data URIs.
    """

    model_version: str
    image_base: str | None = None


def record_id(table: str, index: int) -> str:
    """The region id a task's ``index``-th record is drawn as."""
    return f"{table[0]}{index}"


def _stored(items: list[Item]) -> list[Record]:
    return [
        {"id": record_id(item.table, n), "table": item.table, "record": item.record}
        for n, item in enumerate(items)
    ]


def _prediction(result: list[Record], items: list[Item], version: str) -> Record:
    scores = [float(i.record.get("confidence", 1.0)) for i in items]
    score = round(sum(scores) / len(scores), 4) if scores else 1.0
    return {"model_version": version, "score": score, "result": result}


def page_task(
    unit: PageUnit,
    image: str,
    size: tuple[float, float],
    path: Path | None,
    version: str,
) -> Record:
    """A page task: the image and a box (with fields) per record."""
    result: list[Record] = []
    for n, item in enumerate(unit.items):
        rid = record_id(item.table, n)
        box = percent_box(item.record["source"].get("bbox"), size, n)
        label = "INDICATOR" if item.table == "indicators" else "AMOUNT"
        score = float(item.record.get("confidence", 1.0))
        result.append(
            _region(rid, "box", "rectanglelabels", box, {"rectanglelabels": [label]})
            | {"score": score}
        )
        for name, value in g.fields_of(item.table, item.record).items():
            if not value:
                continue
            if name == "kind":
                result.append(
                    _region(rid, "kind", "choices", box, {"choices": [value]})
                )
                continue
            tag = name if item.table == "indicators" else f"amount_{name}"
            result.append(_region(rid, tag, "textarea", box, {"text": [value]}))
    data = {
        "kind": "page",
        "doc": unit.doc,
        "page": unit.page,
        "title": f"{unit.doc} · page {unit.page}",
        "image": image,
        "page_size": list(size),
        "path": str(path) if path else None,
        "records": _stored(unit.items),
    }
    return {"data": data, "predictions": [_prediction(result, unit.items, version)]}


def _region(rid: str, name: str, kind: str, box: Record, value: Record) -> Record:
    return {
        "id": rid,
        "from_name": name,
        "to_name": "page",
        "type": kind,
        "value": {**box, **value},
    }


def percent_box(
    bbox: list[float] | None, size: tuple[float, float], index: int
) -> Record:
    """A box in percent of the page (Label Studio's geometry).

    A record without ``bbox`` (gold read from a sheet) is drawn as a small box in
    the left margin, one below the other, for the annotator to move onto its place.
    """
    if not bbox:
        return {
            "x": 0.5,
            "y": min(97.0, 2.0 + 2.5 * index),
            "width": 2.0,
            "height": 2.0,
            "rotation": 0,
        }
    width, height = size
    x0, top, x1, bottom = bbox
    return {
        "x": round(100 * x0 / width, 4),
        "y": round(100 * top / height, 4),
        "width": round(100 * (x1 - x0) / width, 4),
        "height": round(100 * (bottom - top) / height, 4),
        "rotation": 0,
    }


def points_box(value: Record, size: tuple[float, float]) -> list[float]:
    """A Label Studio box (percent) back in PDF points (x0, top, x1, bottom)."""
    width, height = size
    x0 = value["x"] * width / 100
    top = value["y"] * height / 100
    return [
        round(x0, 2),
        round(top, 2),
        round(x0 + value["width"] * width / 100, 2),
        round(top + value["height"] * height / 100, 2),
    ]


def row_task(unit: RowUnit, path: Path | None, version: str) -> Record:
    """A row task: the row under its header, fields pre-filled from its records."""
    values = row_values(unit.items)
    result = [
        {
            "id": name,
            "from_name": name,
            "to_name": "row",
            "type": "textarea",
            "value": {"text": [values[name]]},
        }
        for name in ROW_FIELDS
        if values[name]
    ]
    predictions = []
    if unit.items:
        result.append(
            {
                "id": "verdict",
                "from_name": "verdict",
                "to_name": "row",
                "type": "choices",
                "value": {"choices": [ROW_VERDICTS[0]]},
            }
        )
        predictions = [_prediction(result, unit.items, version)]
    data = {
        "kind": "row",
        "doc": unit.doc,
        "page": unit.page,
        "table": unit.table,
        "row": unit.row,
        "title": f"{unit.doc} · table {unit.table} · row {unit.row}"
        + (f" · page {unit.page}" if unit.page else ""),
        "table_html": table_html(unit),
        "cells": unit.cells,
        "project": unit.project,
        "bbox": unit.bbox,
        "path": str(path) if path else None,
        "records": _stored(unit.items),
    }
    return {"data": data, "predictions": predictions}


def row_values(items: list[Item]) -> dict[str, str]:
    """A row's field values from its records (target and actual by kind)."""
    values = dict.fromkeys(ROW_FIELDS, "")
    for item in items:
        fields = g.indicator_fields(item.record)
        for name in ("level1", "level2", "metric"):
            values[name] = values[name] or fields[name]
        slot = "actual" if fields["kind"] == "actual" else "target"
        values[slot] = values[slot] or fields["target"]
    return values


def table_html(unit: RowUnit) -> str:
    """The header, the row and its neighbours as an HTML table, the row marked."""

    def cells(row: list[str], tag: str) -> str:
        return "".join(f"<{tag}>{html.escape(c)}</{tag}>" for c in row)

    style = (
        "<style>table{border-collapse:collapse}td,th{border:1px solid #999;"
        "padding:2px 6px}tr.review{background:#fff3b0;font-weight:bold}</style>"
    )
    rows = [f"<tr>{cells(unit.header, 'th')}</tr>"] if unit.header else []
    for row in unit.context:
        mark = ' class="review"' if row == unit.cells else ""
        rows.append(f"<tr{mark}>{cells(row, 'td')}</tr>")
    return f"{style}<table>{''.join(rows)}</table>"


def passage_task(unit: PassageUnit, path: Path | None, version: str) -> Record:
    """A passage task: the text, a span per metric / value / amount, relations."""
    result: list[Record] = []
    for n, item in enumerate(unit.items):
        rid = record_id(item.table, n)
        for suffix, label, (start, end) in record_spans(item, unit):
            result.append(
                {
                    "id": rid + suffix,
                    "from_name": "span",
                    "to_name": "text",
                    "type": "labels",
                    "value": {
                        "start": start,
                        "end": end,
                        "text": unit.text[start:end],
                        "labels": [label],
                    },
                    "score": float(item.record.get("confidence", 1.0)),
                }
            )
        if item.table == "indicators":
            result.append(_relation(rid + ".m", rid + ".v"))
    data = {
        "kind": "passage",
        "doc": unit.doc,
        "page": unit.page,
        "offset": unit.offset,
        "title": f"{unit.doc} · from character {unit.offset}",
        "text": unit.text,
        "path": str(path) if path else None,
        "records": _stored(unit.items),
    }
    predictions = [_prediction(result, unit.items, version)] if unit.items else []
    return {"data": data, "predictions": predictions}


def _relation(source: str, target: str) -> Record:
    return {
        "from_id": source,
        "to_id": target,
        "type": "relation",
        "direction": "right",
        "labels": ["value"],
    }


def record_spans(
    item: Item, unit: PassageUnit
) -> list[tuple[str, str, tuple[int, int]]]:
    """(id suffix, label, passage offsets) of a record's spans.

    An amount is one span; an indicator its metric and its value, looked up (with
    whitespace allowed between characters) inside the record's span.
    """
    from nlp.annotate.units import record_span
    from nlp.corpus import _flexible

    record = item.record
    span = record["source"].get("span")
    if span:
        start, end = span[0] - unit.offset, span[1] - unit.offset
    else:
        start, end = record_span(item, unit.text) or (0, len(unit.text))
    if item.table == "amounts":
        return [("", "AMOUNT", (start, end))]
    spans = []
    metric = _flexible(record.get("metric") or "").search(unit.text, start, end)
    if metric:
        spans.append((".m", "METRIC", (metric.start(), metric.end())))
    raw = record.get("target_raw") or ""
    after = metric.end() if metric else start
    value = _flexible(raw).search(unit.text, after, end) if raw.strip() else None
    if value:
        label = "ACTUAL" if record.get("kind") == "actual" else "TARGET"
        spans.append((".v", label, (value.start(), value.end())))
    return spans


def export_tasks(
    units: Units, options: ExportOptions, images: Path, paths: dict[str, Path]
) -> dict[str, list]:
    """Tasks per kind (``page``, ``row``, ``passage``) for the given units.

    Args:
        units: :func:`nlp.annotate.units.build_units` output.
        options: model version and image references.
        images: folder the page images are written to.
        paths: document name → file (:func:`nlp.annotate.units.doc_paths`).

    Raises:
        FileNotFoundError: a paginated document's file is not among ``paths``.
    """
    from nlp.annotate.pages import render_page
    from nlp.annotate.units import find_doc

    def unit_path(unit: Any) -> Path | None:
        return find_doc(unit.doc, paths)

    tasks: dict[str, list] = {kind: [] for kind in KINDS}
    for unit in units.pages:
        path = unit_path(unit)
        if path is None:
            raise FileNotFoundError(f"{unit.doc}: not among the --docs inputs")
        png, size = render_page(path, unit.page, RENDER_DPI)
        name = f"{Path(unit.doc).stem}-p{unit.page:04d}.png"
        images.mkdir(parents=True, exist_ok=True)
        (images / name).write_bytes(png)
        image = (
            f"{options.image_base.rstrip('/')}/{name}"
            if options.image_base
            else "data:image/png;base64," + base64.b64encode(png).decode()
        )
        tasks["page"].append(page_task(unit, image, size, path, options.model_version))
    for unit in units.rows:
        tasks["row"].append(row_task(unit, unit_path(unit), options.model_version))
    for unit in units.passages:
        tasks["passage"].append(
            passage_task(unit, unit_path(unit), options.model_version)
        )
    return tasks


# --- import ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Span:
    """A labelled span of a passage (offsets into the passage's text)."""

    start: int
    end: int
    label: str


def latest_annotation(task: Record) -> Record | None:
    """The task's most recent annotation that was not cancelled, if any."""
    done = [a for a in task.get("annotations") or [] if not a.get("was_cancelled")]
    return max(
        done, key=lambda a: (a.get("updated_at") or "", a.get("id") or 0), default=None
    )


def annotator_of(annotation: Record | None) -> str | None:
    """Who submitted an annotation: the e-mail where the export gives it, else
    ``label-studio:<user id>`` (Label Studio's JSON export gives only the id)."""
    if annotation is None:
        return None
    who = annotation.get("completed_by")
    if isinstance(who, dict):
        return who.get("email") or f"label-studio:{who.get('id')}"
    return None if who is None else f"label-studio:{who}"


def import_tasks(tasks: list[Record]) -> list[tuple[str, Record]]:
    """Gold ``(table, record)`` pairs from a Label Studio JSON export.

    Each task's latest annotation is read; a task nobody annotated gives its
    records back as predicted.

    Raises:
        ValueError: a task was not written by :func:`export_tasks`.
    """
    out: list[tuple[str, Record]] = []
    for task in tasks:
        data = task.get("data") or {}
        kind = data.get("kind")
        if kind not in KINDS or "records" not in data:
            raise ValueError(f"task {task.get('id')}: not a zhibiao task (no kind)")
        annotation = latest_annotation(task)
        if annotation is None:
            out += [
                (s["table"], g.reviewed(s["record"], "predicted"))
                for s in data["records"]
            ]
            continue
        who = annotator_of(annotation)
        result = annotation.get("result") or []
        if kind == "page":
            out += import_page(data, result, who)
        elif kind == "row":
            out += import_row(data, result, who)
        else:
            spans, relations = passage_regions(result)
            out += import_passage(data, spans, relations, who)
    return out


def _text(value: Record) -> str:
    return " ".join(t.strip() for t in value.get("text") or [] if t.strip())


def page_regions(result: list[Record]) -> dict[str, Record]:
    """Regions of a page annotation by id: label, box and field values."""
    regions: dict[str, Record] = {}
    for item in result:
        rid = item.get("id")
        if rid is None:
            continue
        region = regions.setdefault(rid, {"label": None, "box": None, "fields": {}})
        value = item.get("value") or {}
        if item.get("type") == "rectanglelabels":
            region["label"] = (value.get("rectanglelabels") or [None])[0]
            region["box"] = {k: value[k] for k in ("x", "y", "width", "height")}
        elif item.get("type") == "textarea":
            name = item["from_name"].removeprefix("amount_")
            region["fields"][name] = _text(value)
        elif item.get("type") == "choices":
            region["fields"][item["from_name"]] = (value.get("choices") or [""])[0]
    return {rid: r for rid, r in regions.items() if r["label"] in BOX_LABELS}


def _same_box(a: Record, b: Record) -> bool:
    return all(abs(a[k] - b[k]) <= BOX_TOLERANCE for k in ("x", "y", "width", "height"))


def _table_of(label: str) -> str:
    return "indicators" if label == "INDICATOR" else "amounts"


def _complete(table: str, fields: Record) -> dict[str, str]:
    names = g.INDICATOR_FIELDS if table == "indicators" else g.AMOUNT_FIELDS
    out = {name: fields.get(name, "") for name in names}
    if table == "indicators":
        out["kind"] = out["kind"] or "target"
    return out


def _apply(table: str, record: Record, fields: dict[str, str]) -> Record:
    if table == "indicators":
        return g.apply_indicator(record, fields)
    return g.apply_amount(record, fields)


def import_page(
    data: Record, result: list[Record], who: str | None
) -> list[tuple[str, Record]]:
    """Records of an annotated page: unchanged, corrected, added; deleted gone."""
    size = tuple(data["page_size"])
    regions = page_regions(result)
    out = []
    for index, stored in enumerate(data["records"]):
        table, record = stored["table"], stored["record"]
        region = regions.get(stored["id"])
        if region is None or _table_of(region["label"]) != table:
            continue  # deleted (a relabelled box comes back as an added record)
        del regions[stored["id"]]
        fields = _complete(table, region["fields"])
        before = percent_box(record["source"].get("bbox"), size, index)
        moved = not _same_box(region["box"], before)
        if fields == g.fields_of(table, record) and not moved:
            out.append((table, g.reviewed(record, "predicted")))
            continue
        fixed = _apply(table, record, fields)
        if moved:
            fixed["source"] = {
                **fixed["source"],
                "bbox": points_box(region["box"], size),
            }
        out.append((table, g.reviewed(fixed, "corrected", who)))
    for region in regions.values():
        table = _table_of(region["label"])
        source = g.new_source(data["page"], bbox=points_box(region["box"], size))
        fields = _complete(table, region["fields"])
        if table == "indicators":
            record = g.new_indicator(data["doc"], source)
            record = g.apply_indicator(record, fields)
            has_levels = record["level1"] or record["level2"]
            record["origin"] = "table" if has_levels else "prose"
        else:
            record = g.apply_amount(g.new_amount(data["doc"], source), fields)
        out.append((table, g.reviewed(record, "added", who)))
    return out


def import_row(
    data: Record, result: list[Record], who: str | None
) -> list[tuple[str, Record]]:
    """Records of an annotated table row: one per filled target / actual."""
    values = dict.fromkeys(ROW_FIELDS, "")
    verdict = ""
    for item in result:
        if item.get("type") == "textarea" and item.get("from_name") in values:
            values[item["from_name"]] = _text(item.get("value") or {})
        elif item.get("from_name") == "verdict":
            verdict = ((item.get("value") or {}).get("choices") or [""])[0]
    if verdict == ROW_VERDICTS[1] or not values["metric"]:
        return []  # the row holds no indicator: its records are deleted
    records = [s["record"] for s in data["records"]]
    out = []
    for slot in ("target", "actual"):
        mine = [r for r in records if (r.get("kind") or "target") == slot]
        fields = {
            "level1": values["level1"],
            "level2": values["level2"],
            "metric": values["metric"],
            "target": values[slot],
            "kind": slot,
        }
        if mine and not values[slot]:
            continue  # the value was cleared: deleted
        if mine:
            same = fields == g.indicator_fields(mine[0])
            record = mine[0] if same else g.apply_indicator(mine[0], fields)
            out.append(
                (
                    "indicators",
                    g.reviewed(record, "predicted" if same else "corrected", who),
                )
            )
        elif values[slot]:
            out.append(
                ("indicators", g.reviewed(_row_record(data, fields), "added", who))
            )
        out += [("indicators", g.reviewed(r, "predicted")) for r in mine[1:]]
    return out


def _row_record(data: Record, fields: dict[str, str]) -> Record:
    source = g.new_source(
        data.get("page"),
        table=data["table"],
        row=data["row"],
        text="\t".join(data.get("cells") or []).rstrip("\t"),
    )
    if data.get("bbox"):
        source["bbox"] = data["bbox"]
    record = g.new_indicator(data["doc"], source, data.get("project"))
    record = g.apply_indicator(record, fields)
    record["origin"] = "table"
    return record


def passage_regions(
    result: list[Record],
) -> tuple[dict[str, Span], list[tuple[str, str]]]:
    """Spans by region id and (from, to) relations of a passage annotation."""
    spans: dict[str, Span] = {}
    relations = []
    for item in result:
        if item.get("type") == "relation":
            relations.append((item["from_id"], item["to_id"]))
        elif item.get("type") == "labels":
            value = item["value"]
            spans[item["id"]] = Span(value["start"], value["end"], value["labels"][0])
    return spans, relations


def stored_spans(data: Record) -> dict[str, Span]:
    """The spans a passage task's records were drawn as, by region id."""
    unit = PassageUnit(data["doc"], data["offset"], data["text"], data.get("page"))
    spans = {}
    for stored in data["records"]:
        item = Item(stored["table"], stored["record"])
        for suffix, label, (start, end) in record_spans(item, unit):
            spans[stored["id"] + suffix] = Span(start, end, label)
    return spans


def import_passage(
    data: Record,
    spans: dict[str, Span],
    relations: list[tuple[str, str]],
    who: str | None,
) -> list[tuple[str, Record]]:
    """Records of an annotated passage: statements are metric → value relations."""
    before = stored_spans(data)
    stored = {s["id"]: s for s in data["records"]}
    claimed: set[str] = set()
    statements = []
    for source, target in relations:
        metric, value = spans.get(source), spans.get(target)
        if metric is None or value is None or metric.label != "METRIC":
            continue
        if value.label not in ("TARGET", "ACTUAL"):
            continue
        rid = next(
            (
                r
                for r in (source.removesuffix(".m"), target.removesuffix(".v"))
                if r in stored
                and stored[r]["table"] == "indicators"
                and r not in claimed
            ),
            None,
        )
        if rid is not None:
            claimed.add(rid)
        statements.append((rid, metric, value))
    amounts = [(rid, s) for rid, s in spans.items() if s.label == "AMOUNT"]
    order = {s["id"]: n for n, s in enumerate(data["records"])}
    found = [
        (rid, _statement(data, stored.get(rid), before, rid, metric, value, who))
        for rid, metric, value in statements
    ]
    found += [
        (rid, _amount(data, stored.get(rid), before, rid, span, who))
        for rid, span in amounts
    ]
    ranked = sorted(found, key=lambda f: order.get(f[0], len(order)))
    return [pair for _, pair in ranked]


def _statement(
    data: Record,
    stored: Record | None,
    before: dict[str, Span],
    rid: str | None,
    metric: Span,
    value: Span,
    who: str | None,
) -> tuple[str, Record]:
    text, offset = data["text"], data["offset"]
    if stored is not None:
        record = stored["record"]
        if before.get(f"{rid}.m") == metric and before.get(f"{rid}.v") == value:
            return "indicators", g.reviewed(record, "predicted")
    raw = text[value.start : value.end]
    fields = {
        "metric": text[metric.start : metric.end],
        "kind": "actual" if value.label == "ACTUAL" else "target",
    }
    base = (
        stored["record"]
        if stored
        else g.new_indicator(
            data["doc"],
            g.new_source(
                data.get("page"), text=_sentence(text, metric.start, value.end)
            ),
        )
    )
    record = g.apply_indicator(base, {**g.indicator_fields(base), **fields})
    old_value = before.get(f"{rid}.v") if stored else None
    if old_value != value:
        record["target_raw"] = raw
        record["target"] = _normalized(raw)
    record["source"] = {
        **record["source"],
        "span": [offset + metric.start, offset + value.end],
    }
    if stored is None:
        record["origin"] = "prose"
    review = "corrected" if stored else "added"
    return "indicators", g.reviewed(record, review, who)


def _amount(
    data: Record,
    stored: Record | None,
    before: dict[str, Span],
    rid: str,
    span: Span,
    who: str | None,
) -> tuple[str, Record]:
    text, offset = data["text"], data["offset"]
    if stored is not None and before.get(rid) == span:
        return "amounts", g.reviewed(stored["record"], "predicted")
    written = text[span.start : span.end]
    base = (
        stored["record"]
        if stored
        else g.new_amount(
            data["doc"],
            g.new_source(data.get("page"), text=_sentence(text, span.start, span.end)),
        )
    )
    subject = base.get("subject") or _subject(text, span)
    record = g.apply_amount(
        base, {"text": written, "value": "", "subject": subject or ""}
    )
    record["source"] = {
        **record["source"],
        "span": [offset + span.start, offset + span.end],
    }
    if stored is None:
        record["origin"] = "prose"
    review = "corrected" if stored else "added"
    return "amounts", g.reviewed(record, review, who)


def _normalized(raw: str) -> Record:
    from nlp.normalize import normalize_target

    return normalize_target(raw).to_dict()


def _subject(text: str, span: Span) -> str | None:
    from nlp.normalize import find_amounts

    for found in find_amounts(text):
        if (found.start, found.end) == (span.start, span.end):
            return found.subject
    return None


def _sentence(text: str, start: int, end: int) -> str:
    marks = "。；;！？\n"
    left = max(text.rfind(ch, 0, start) for ch in marks) + 1
    rights = [i for i in (text.find(ch, end) for ch in marks) if i >= 0]
    right = min(rights) + 1 if rights else len(text)
    return text[left:right].strip()

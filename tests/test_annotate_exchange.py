"""Tests for the annotation round trip: Label Studio tasks and doccano JSONL out,
the annotators' exports back in as gold (untouched, corrected, deleted, added),
two annotators' agreement, and the training-set facts for the model card.

Documents are built here (a PDF with a table and a sentence, an HTML table, a
text report); their extraction plays the model whose output is reviewed.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nlp.annotate import doccano
from nlp.annotate.agreement import cohen_kappa, compare_exports
from nlp.annotate.card import card_section, training_sets
from nlp.annotate.exchange import export, import_export, read_export
from nlp.annotate.gold import without_review
from nlp.annotate.labelstudio import config, percent_box, points_box
from nlp.annotate.units import load_records
from nlp.cli import app

REPORT = (
    "2024年度部门整体绩效自评报告\n\n一、总体情况\n"
    "本年度预算执行率为98.5%，采购执行率为96.2%。全年支出350.2万元。\n\n"
    "二、绩效目标\n力争群众满意度不低于90%。\n"
)
TABLE = """<html><body><h2>项目绩效目标表</h2><table>
<tr><th>一级指标</th><th>二级指标</th><th>三级指标</th><th>指标值</th></tr>
<tr><td>产出指标</td><td>数量指标</td><td>采购设备数量</td><td>≥10台</td></tr>
<tr><td>产出指标</td><td>质量指标</td><td>设备验收合格率</td><td>100%</td></tr>
<tr><td>效益指标</td><td>社会效益指标</td><td>服务覆盖率</td><td>100%</td></tr>
</table></body></html>"""


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(documents folder, extraction folder) shared by the tests."""
    import sys

    sys.path.insert(0, str(Path(__file__).parent))
    from conftest import PdfBuilder

    root = tmp_path_factory.mktemp("annotate")
    docs = root / "docs"
    docs.mkdir()
    pdf = PdfBuilder(docs)
    page = pdf.page()
    page.text(72, 60, "项目支出绩效目标表", size=14)
    rows = [
        ["一级指标", "二级指标", "三级指标", "指标值"],
        ["产出指标", "数量指标", "培训人数", "≥200人"],
        ["产出指标", "质量指标", "培训合格率", "≥95%"],
    ]
    page.table(72, 100, [90, 120, 150, 90], rows)
    page.text(72, 300, "本项目预算资金120.5万元。", size=10)
    pdf.save("training.pdf")
    (docs / "report.txt").write_text(REPORT, encoding="utf-8")
    (docs / "table.html").write_text(TABLE, encoding="utf-8")
    out = root / "out"
    done = CliRunner().invoke(
        app,
        ["extract", str(docs), "--out", str(out), "--workers", "1", "--quiet"],
    )
    assert done.exit_code == 0, done.output
    return docs, out


def _originals(pred: Path) -> dict[str, list[dict]]:
    return {doc: [i.record for i in items] for doc, items in load_records(pred).items()}


def _imported(pairs: list[tuple[str, dict]]) -> dict[str, list[dict]]:
    by_doc: dict[str, list[tuple[str, dict]]] = {}
    for table, record in pairs:
        by_doc.setdefault(record["doc"], []).append((table, record))
    return {
        doc: [r for t in ("indicators", "amounts") for tt, r in items if tt == t]
        for doc, items in by_doc.items()
    }


def _submitted(tasks: list[dict]) -> list[dict]:
    """Each task annotated exactly as predicted (a reviewer who changed nothing)."""
    done = copy.deepcopy(tasks)
    for n, task in enumerate(done):
        result = task["predictions"][0]["result"] if task["predictions"] else []
        task["annotations"] = [{"id": n, "completed_by": 7, "result": result}]
    return done


def _all_tasks(folder: Path) -> list[dict]:
    tasks = []
    for kind in ("page", "row", "passage"):
        path = folder / f"{kind}.tasks.json"
        if path.exists():
            tasks += json.loads(path.read_text(encoding="utf-8"))
    return tasks


def test_export_writes_a_task_kind_per_unit(corpus, tmp_path: Path) -> None:
    docs, out = corpus
    summary = export(out, [docs], tmp_path, "label-studio", model_version="m-1")
    assert summary.tasks["page"] == 1 and summary.tasks["row"] == 3
    assert summary.unplaced == 0
    page = json.loads((tmp_path / "page.tasks.json").read_text(encoding="utf-8"))[0]
    assert page["data"]["image"].startswith("data:image/png;base64,")
    assert page["predictions"][0]["model_version"] == "m-1"
    boxes = [r for r in page["predictions"][0]["result"] if r["from_name"] == "box"]
    labels = sorted(b["value"]["rectanglelabels"][0] for b in boxes)
    assert labels.count("INDICATOR") == 2 and "AMOUNT" in labels
    assert all(0 <= b["value"]["x"] <= 100 and b["value"]["width"] > 0 for b in boxes)
    rows = json.loads((tmp_path / "row.tasks.json").read_text(encoding="utf-8"))
    assert rows[0]["data"]["cells"] == ["产出指标", "数量指标", "采购设备数量", "≥10台"]
    assert 'class="review"' in rows[0]["data"]["table_html"]
    passage = json.loads((tmp_path / "passage.tasks.json").read_text("utf-8"))
    result = next(t for t in passage if t["predictions"])["predictions"][0]["result"]
    spans = {
        r["value"]["text"]: r["value"]["labels"][0] for r in result if "value" in r
    }
    assert spans["预算执行率"] == "METRIC" and spans["为98.5%"] == "ACTUAL"
    assert any(r["type"] == "relation" for r in result)
    assert (tmp_path / "page.xml").read_text(encoding="utf-8") == config("page")


@pytest.mark.parametrize("annotated", [False, True])
def test_label_studio_round_trip_gives_the_same_records(
    corpus, tmp_path: Path, annotated: bool
) -> None:
    docs, out = corpus
    export(out, [docs], tmp_path / "tasks", "label-studio")
    tasks = _all_tasks(tmp_path / "tasks")
    if annotated:
        tasks = _submitted(tasks)
    path = tmp_path / "export.json"
    path.write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    back = _imported(read_export(path))
    assert {d: [without_review(r) for r in rs] for d, rs in back.items()} == _originals(
        out
    )
    assert {r["review"] for rs in back.values() for r in rs} == {"predicted"}


def test_doccano_round_trip_gives_the_same_text_records(corpus, tmp_path: Path):
    docs, out = corpus
    export(out, [docs], tmp_path, "doccano")
    lines = doccano.read_jsonl(tmp_path / "passages.jsonl")
    assert {e["label"] for line in lines for e in line["entities"]} >= {
        "METRIC",
        "ACTUAL",
        "AMOUNT",
    }
    back = _imported(read_export(tmp_path / "passages.jsonl"))
    report = [without_review(r) for r in back["report.txt"]]
    assert report == _originals(out)["report.txt"]


def test_gold_set_round_trip(corpus, tmp_path: Path) -> None:
    """A gold folder exported and imported back is the same gold."""
    docs, out = corpus
    export(out, [docs], tmp_path / "tasks", "label-studio")
    tasks = _all_tasks(tmp_path / "tasks")
    first = tmp_path / "export.json"
    first.write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    import_export([first], tmp_path / "set", spans=False)
    gold = tmp_path / "set" / "gold"
    export(gold, [docs], tmp_path / "again", "label-studio")
    second = tmp_path / "again.json"
    second.write_text(
        json.dumps(_submitted(_all_tasks(tmp_path / "again")), ensure_ascii=False),
        encoding="utf-8",
    )
    import_export([second], tmp_path / "set2", spans=False)
    for path in sorted(gold.glob("*.jsonl")):
        again = tmp_path / "set2" / "gold" / path.name
        assert again.read_text(encoding="utf-8") == path.read_text(encoding="utf-8")


def _passage_task(tmp_path: Path, corpus) -> dict:
    docs, out = corpus
    export(out, [docs], tmp_path, "label-studio")
    tasks = json.loads((tmp_path / "passage.tasks.json").read_text(encoding="utf-8"))
    return next(t for t in tasks if t["data"]["doc"] == "report.txt")


def test_passage_correction_deletion_and_addition(corpus, tmp_path: Path) -> None:
    task = _passage_task(tmp_path, corpus)
    text = task["data"]["text"]
    result = copy.deepcopy(task["predictions"][0]["result"])
    spans = {r["value"]["text"]: r for r in result if r["type"] == "labels"}
    # 采购执行率's value becomes a target; the 350.2万元 amount is deleted.
    spans["为96.2%"]["value"]["labels"] = ["TARGET"]
    result.remove(spans["350.2万元"])
    # A statement the model missed: 满意度 → 不低于90% is kept; add 全年支出 as one.
    start = text.index("全年支出")
    result += [
        {"id": "n.m", "type": "labels", "from_name": "span", "to_name": "text",
         "value": {"start": start, "end": start + 4, "labels": ["METRIC"]}},
        {"id": "n.v", "type": "labels", "from_name": "span", "to_name": "text",
         "value": {"start": start + 4, "end": start + 11, "labels": ["ACTUAL"]}},
        {"from_id": "n.m", "to_id": "n.v", "type": "relation", "direction": "right"},
    ]  # fmt: skip
    task["annotations"] = [{"id": 1, "completed_by": 3, "result": result}]
    path = tmp_path / "export.json"
    path.write_text(json.dumps([task], ensure_ascii=False), encoding="utf-8")
    pairs = read_export(path)
    by_metric = {r.get("metric") or r["text"]: r for _, r in pairs}
    assert by_metric["预算执行率"]["review"] == "predicted"
    assert by_metric["采购执行率"]["review"] == "corrected"
    assert by_metric["采购执行率"]["kind"] == "target"
    assert by_metric["采购执行率"]["source"]["read_by"] == "label-studio:3"
    assert "350.2万元" not in by_metric
    added = by_metric["全年支出"]
    assert added["review"] == "added" and added["target_raw"] == "350.2万元"
    assert added["source"]["span"] == [start, start + 11]


def test_doccano_edit_is_read_by_place(corpus, tmp_path: Path) -> None:
    docs, out = corpus
    export(out, [docs], tmp_path, "doccano")
    lines = doccano.read_jsonl(tmp_path / "passages.jsonl")
    line = next(x for x in lines if x["doc"] == "report.txt")
    # doccano renumbers entities on export; drop the first relation's value.
    line["entities"] = [
        {**e, "id": e["id"] + 100} for e in line["entities"] if e["label"] != "AMOUNT"
    ]
    line["relations"] = [
        {**r, "from_id": r["from_id"] + 100, "to_id": r["to_id"] + 100}
        for r in line["relations"][1:]
    ]
    pairs = doccano.import_lines([line])
    assert [r["metric"] for t, r in pairs if t == "indicators"] == [
        "采购执行率",
        "群众满意度",
    ]
    assert all(r["review"] == "predicted" for _, r in pairs)


def test_row_verdict_and_added_row(corpus, tmp_path: Path) -> None:
    docs, out = corpus
    export(out, [docs], tmp_path, "label-studio")
    rows = json.loads((tmp_path / "row.tasks.json").read_text(encoding="utf-8"))
    first, second = rows[0], rows[1]
    first["annotations"] = [
        {
            "id": 1,
            "completed_by": 2,
            "result": [
                {
                    "from_name": "verdict",
                    "type": "choices",
                    "value": {"choices": ["not an indicator"]},
                }
            ],
        }
    ]
    result = copy.deepcopy(second["predictions"][0]["result"])
    for item in result:
        if item["from_name"] == "target":
            item["value"]["text"] = ["≥99%"]
    result.append(
        {"id": "actual", "from_name": "actual", "type": "textarea",
         "value": {"text": ["98%"]}}
    )  # fmt: skip
    second["annotations"] = [{"id": 2, "completed_by": 2, "result": result}]
    path = tmp_path / "export.json"
    path.write_text(json.dumps([first, second], ensure_ascii=False), encoding="utf-8")
    pairs = [r for _, r in read_export(path)]
    assert [
        (r["metric"], r["kind"], r["target"]["text"], r["review"]) for r in pairs
    ] == [
        ("设备验收合格率", "target", "≥99%", "corrected"),
        ("设备验收合格率", "actual", "98%", "added"),
    ]
    assert pairs[1]["source"]["row"] == second["data"]["row"]
    assert pairs[1]["origin"] == "table"


def test_box_coordinates_round_trip() -> None:
    size = (595.0, 842.0)
    bbox = [72.0, 100.5, 520.25, 118.0]
    assert points_box(percent_box(bbox, size, 0), size) == pytest.approx(bbox, abs=0.01)


def test_cohen_kappa() -> None:
    assert cohen_kappa([("a", "a"), ("b", "b")]) == 1.0
    assert cohen_kappa([("a", "b"), ("b", "a")]) == -1.0
    # 3 of 4 agree; chance agreement 0.5 → kappa 0.5
    assert cohen_kappa([("a", "a"), ("a", "a"), ("b", "b"), ("a", "b")]) == (
        pytest.approx(0.5)
    )


def test_two_annotators_agreement(corpus, tmp_path: Path) -> None:
    task = _passage_task(tmp_path, corpus)
    result = task["predictions"][0]["result"]
    first = {**task, "annotations": [{"id": 1, "completed_by": 1, "result": result}]}
    changed = copy.deepcopy(result)
    for item in changed:
        if item.get("value", {}).get("text") == "为96.2%":
            item["value"]["labels"] = ["TARGET"]
    second = {**task, "annotations": [{"id": 2, "completed_by": 2, "result": changed}]}
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    a.write_text(json.dumps([first], ensure_ascii=False), encoding="utf-8")
    b.write_text(json.dumps([second], ensure_ascii=False), encoding="utf-8")
    comparison = compare_exports(a, b)
    labels = comparison.spans["labels"]
    assert labels["METRIC"].f1 == 1.0
    assert labels["ACTUAL"].first == 2 and labels["ACTUAL"].same == 1
    assert comparison.spans["kappa"] < 1.0
    kind = comparison.overall["statements"].fields["kind"]
    assert (kind.same, kind.compared) == (2, 3)
    assert [d[0] for d in comparison.overall["statements"].disagreements] == ["kind"]
    cli = CliRunner().invoke(app, ["annotate", "agreement", str(a), str(b)])
    assert cli.exit_code == 0, cli.output
    assert "kappa" in cli.output and "ACTUAL" in cli.output


def test_import_cli_writes_a_trainable_set(corpus, tmp_path: Path) -> None:
    docs, out = corpus
    runner = CliRunner()
    done = runner.invoke(
        app,
        ["annotate", "export", str(tmp_path / "t"), "--pred", str(out),
         "--docs", str(docs)],
    )  # fmt: skip
    assert done.exit_code == 0, done.output
    tasks = _all_tasks(tmp_path / "t")
    path = tmp_path / "export.json"
    path.write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    target = tmp_path / "annotations" / "reviewed"
    done = runner.invoke(app, ["annotate", "import", str(path), "--out", str(target)])
    assert done.exit_code == 0, done.output
    assert sorted(p.name for p in (target / "corpus").iterdir()) == [
        "report.txt",
        "table.html",
        "training.pdf",
    ]
    from nlp.corpus import load_dataset_examples

    examples = load_dataset_examples(target / "spans")
    labels = {s.label for e in examples for s in e.spans}
    assert {"METRIC", "ACTUAL", "AMOUNT"} <= labels
    facts = json.loads((target / "set.json").read_text(encoding="utf-8"))
    sets = training_sets(tmp_path / "annotations")
    assert sets[0]["name"] == "annotations/reviewed"
    assert sets[0]["version"] == facts["version"] == sets[0]["imported_as"]
    assert f"`{facts['version']}`" in card_section(sets)


def test_config_command_prints_each_kind() -> None:
    runner = CliRunner()
    for kind, tag in (("page", "RectangleLabels"), ("row", "HyperText"),
                      ("passage", "Relations")):  # fmt: skip
        done = runner.invoke(app, ["annotate", "config", kind])
        assert done.exit_code == 0 and f"<{tag}" in done.output
    assert runner.invoke(app, ["annotate", "config", "video"]).exit_code == 2

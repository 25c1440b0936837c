"""Tests for leave-one-document-out evaluation over several annotated sets."""

from __future__ import annotations

import json

import pytest

from nlp.corpus import build_dataset
from nlp.crossval import cross_validate, gold_documents, render_markdown

DOCS = {
    "a.txt": "2023年度绩效自评报告\n采购执行率为98.73%，按时办结率100%。\n",
    "b.txt": "2023年度绩效自评报告\n资金到位率为100%，群众满意度达96%。\n",
}
STATEMENTS = {
    "a.txt": [("采购执行率", "为98.73%", "98.73%"), ("按时办结率", "100%", "100%")],
    "b.txt": [("资金到位率", "为100%", "100%"), ("群众满意度", "达96%", "≥96%")],
}


def _record(doc: str, metric: str, raw: str, text: str, line: str) -> dict:
    return {
        "doc": doc,
        "level1": None,
        "level2": None,
        "level1_norm": None,
        "level2_norm": None,
        "metric": metric,
        "target_raw": raw,
        "target": {"text": text},
        "kind": "actual",
        "source": {"text": line, "line": 2, "table": None, "span": None},
    }


def _write_set(folder, docs) -> None:
    (folder / "gold").mkdir(parents=True)
    (folder / "corpus").mkdir()
    for doc in docs:
        (folder / "corpus" / doc).write_text(DOCS[doc], encoding="utf-8")
        line = DOCS[doc].splitlines()[1]
        records = [_record(doc, *s, line) for s in STATEMENTS[doc]]
        text = "\n".join(json.dumps(r, ensure_ascii=False) for r in records)
        (folder / "gold" / f"{doc[:-4]}.indicators.jsonl").write_text(
            text, encoding="utf-8"
        )


def test_folds_cover_every_set_and_score_both_runs(tmp_path):
    _write_set(tmp_path, ["a.txt"])
    _write_set(tmp_path / "heldout", ["b.txt"])
    assert [(d.set_name, d.doc) for d in gold_documents(tmp_path)] == [
        (tmp_path.name, "a.txt"),
        ("heldout", "b.txt"),
    ]
    with pytest.raises(FileNotFoundError, match=r"nlp\.corpus"):
        cross_validate(tmp_path, seed=0)  # the folds train on the saved corpus only
    build_dataset(tmp_path, tmp_path / "spans")
    results = cross_validate(tmp_path, seed=0)
    assert [(r.set_name, r.doc) for r in results] == [
        (tmp_path.name, "a.txt"),
        ("heldout", "b.txt"),
    ]
    for result in results:
        rules = result.narrative["rules"]["triple"]
        assert (rules.tp, rules.fp, rules.fn) == (2, 0, 0)  # the rules find both
        model = result.narrative["model"]["triple"]
        assert model.tp + model.fn == 2  # scored against the same gold
    text = render_markdown(results)
    assert "| **heldout** | **triple** |" in text
    assert "Training time over the 2 folds" in text

"""The end-to-end retraining command: corpus → leave one city out → model."""

from __future__ import annotations

import json

from nlp.classify import SpanScorer
from nlp.crossval import DocumentCache
from nlp.retrain import main, retrain

SEED_TEXT = "2024年绩效自评报告\n采购执行率为98.73%，预算 12.5 万元。\n"


def _seed_set(root) -> None:
    (root / "gold").mkdir(parents=True)
    (root / "corpus").mkdir()
    (root / "corpus" / "d.txt").write_text(SEED_TEXT, encoding="utf-8")
    record = {
        "doc": "d.txt", "metric": "采购执行率", "target_raw": "为98.73%",
        "kind": "actual", "level1": None, "level2": None,
        "source": {"text": "采购执行率为98.73%，预算 12.5 万元。", "line": 2},
    }  # fmt: skip
    (root / "gold" / "d.indicators.jsonl").write_text(
        json.dumps(record, ensure_ascii=False), encoding="utf-8"
    )


def _real_pdf(pdf_builder, name: str, sentence: str):
    pdf = pdf_builder()
    page = pdf.page()
    page.text(72, 72, "一、年度主要目标", size=12)
    page.text(72, 100, sentence, size=10)
    page.text(72, 124, "单位共有车辆3辆。", size=10)
    return pdf.save(name)


def _real_set(root, pdf_builder) -> None:
    """Two real PDFs of two cities, statement gold on page 1 of each."""
    (root / "docs").mkdir(parents=True)
    (root / "gold").mkdir()
    documents = {
        "甲-a.pdf": ("甲", "全年验收合格率达到95%，群众满意度不低于90%。"),
        "乙-b.pdf": ("乙", "全年设备完好率达到98%，投诉办结率不低于95%。"),
    }
    scope = {}
    for doc, (city, sentence) in documents.items():
        path = _real_pdf(pdf_builder, doc, sentence)
        (root / "docs" / doc).write_bytes(path.read_bytes())
        scope[doc] = {"statement_pages": [1], "indicator_pages": []}
        first, second = sentence.rstrip("。").split("，")
        records = [
            {"doc": doc, "metric": metric, "target_raw": raw, "target": {"text": text},
             "kind": "target", "origin": "prose", "city": city,
             "source": {"page": 1, "text": sentence}}
            for metric, raw, text in (
                (first[2:7], first[7:], first[9:]),
                (second[:5], second[5:], "≥" + second[8:]),
            )
        ]  # fmt: skip
        (root / "gold" / f"{doc[:-4]}.indicators.jsonl").write_text(
            "\n".join(json.dumps(r, ensure_ascii=False) for r in records),
            encoding="utf-8",
        )
    (root / "gold" / "scope.json").write_text(
        json.dumps(scope, ensure_ascii=False), encoding="utf-8"
    )


class CountingCache(DocumentCache):
    """A document cache that counts how often each document is really read."""

    def __init__(self) -> None:
        super().__init__()
        self.reads: dict[str, int] = {}

    def read(self, path):
        if path not in self._documents:
            self.reads[path.name] = self.reads.get(path.name, 0) + 1
        return super().read(path)


def test_retrain_builds_the_corpus_chooses_by_city_and_trains(tmp_path, pdf_builder):
    from datasets import load_from_disk

    annotations = tmp_path / "annotations"
    _seed_set(annotations)
    _real_set(annotations / "real", pdf_builder)
    cache = CountingCache()
    out = tmp_path / "model"
    summary = retrain(annotations, out, cache=cache)

    corpus = load_from_disk(str(annotations / "spans"))
    assert set(corpus["set"]) == {"seeds", "real"}
    assert set(corpus["city"]) == {"", "甲", "乙"}
    card = (annotations / "spans" / "README.md").read_text(encoding="utf-8")
    assert "| `seeds` | 2 | 1 | 1 |" in card and "| `real` | 6 | 2 | 2 |" in card
    assert "乙、甲" in card  # the real set's cities
    # each real document is read once for the corpus and the folds together
    assert cache.reads == {"甲-a.pdf": 1, "乙-b.pdf": 1}

    scores = (out / "scores.md").read_text(encoding="utf-8")
    for city in ("甲", "乙"):
        assert f"| **{city}** | all |" in scores
    assert "observed precision" in scores
    model = SpanScorer.from_disk(out)
    assert model.meta["examples_per_set"] == {"real": 6, "seeds": 2}
    assert model.params.keep_rule == summary["params"]["keep_rule"]
    assert "| **all** | all |" in (out / "README.md").read_text(encoding="utf-8")


def test_retrain_command_help_names_its_steps(capsys):
    try:
        main(["--help"])
    except SystemExit as stop:
        assert stop.code == 0
    assert "leave one city out" in capsys.readouterr().out

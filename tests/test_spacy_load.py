"""A saved span pipeline loads with plain ``spacy.load`` in a new process.

The factory and the tokenizer are found through the package's entry points, and the
saved config names no path, so the folder can be moved or shipped.
"""

from __future__ import annotations

import json
import subprocess
import sys
from importlib.metadata import entry_points
from pathlib import Path

from nlp.classify import span_pipeline

TEXT = "采购执行率为98.73%，群众满意度不低于95%。"
ROOT = Path(__file__).resolve().parents[1]


def _spans(doc) -> list[list[object]]:
    return [[s.start_char, s.end_char, s.label_] for s in doc.spans["zhibiao"]]


def test_entry_points_name_the_factory_and_the_tokenizer() -> None:
    factories = {e.name: e.value for e in entry_points(group="spacy_factories")}
    tokenizers = {e.name: e.value for e in entry_points(group="spacy_tokenizers")}
    assert factories["zhibiao_span_model"] == (
        "nlp.classify.spacy_factories:make_span_model"
    )
    assert tokenizers["zhibiao.budget_tokenizer.v1"] == (
        "nlp.segment:create_budget_tokenizer"
    )


def test_saved_config_holds_no_path(tmp_path: Path) -> None:
    span_pipeline().to_disk(tmp_path / "pipeline")
    config = (tmp_path / "pipeline" / "config.cfg").read_text(encoding="utf-8")
    assert str(ROOT) not in config
    assert str(tmp_path) not in config
    assert 'model_dir = ""' in config


def test_spacy_load_in_a_new_process(tmp_path: Path) -> None:
    nlp = span_pipeline()
    expected = _spans(nlp(TEXT))
    assert expected, "the shipped model labels spans in the sentence"
    nlp.to_disk(tmp_path / "pipeline")
    code = (
        "import json, sys, spacy\n"
        "nlp = spacy.load(sys.argv[1])\n"
        f"doc = nlp({TEXT!r})\n"
        "print(json.dumps({'pipe': nlp.pipe_names,\n"
        "    'spans': [[s.start_char, s.end_char, s.label_]\n"
        "              for s in doc.spans['zhibiao']]}))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "pipeline")],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    loaded = json.loads(result.stdout)
    assert loaded["pipe"] == ["zhibiao_span_model"]
    assert loaded["spans"] == expected

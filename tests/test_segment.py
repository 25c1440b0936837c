"""Tests for the budget segmenter: label-safe cuts, private lexicon, round trips."""

from __future__ import annotations

import jieba
import pytest

from nlp.segment import (
    BudgetTokenizer,
    LexiconEntry,
    build_pipeline,
    get_pipeline,
    load_prefix_dict,
    read_lexicon,
    resplit,
)


@pytest.mark.parametrize(
    ("text", "spans"),
    [
        ("满意度达到90%以上", [(0, 3), (3, 10), (5, 8), (8, 10)]),
        ("采购执行率为98.73%", [(0, 5), (5, 12), (6, 12)]),
        ("按时办结率100%", [(0, 5), (5, 9)]),
        ("预算12.5万元，目标≥95%", [(2, 8), (11, 15)]),
    ],
)
def test_label_spans_fall_on_token_boundaries(text, spans):
    doc = get_pipeline()(text)
    assert doc.text == text
    for start, end in spans:
        assert doc.char_span(start, end) is not None, text[start:end]


def test_resplit_cuts_measure_word_from_relation():
    assert resplit("率为") == ["率", "为"]
    assert resplit("个以上") == ["个", "以上"]
    assert resplit("及以上") == ["及以上"]


def test_lexicon_stays_private():
    nlp = get_pipeline()
    nlp("法律意见出具及时率不低于90%")
    lexicon_words = {entry.word for entry in nlp.tokenizer.lexicon}
    assert "出具及时率" in lexicon_words
    assert nlp.tokenizer.jieba.FREQ.get("出具及时率", 0) > 0
    jieba.dt.initialize()
    assert jieba.dt.FREQ.get("出具及时率", 0) == 0  # the global dictionary is untouched


def test_get_pipeline_is_cached():
    assert get_pipeline() is get_pipeline()


def test_shipped_lexicon_reads():
    entries = read_lexicon()
    assert LexiconEntry("满意度", 200000, "zb_measure") in entries


def test_tokenizer_to_disk_round_trip(tmp_path):
    nlp = build_pipeline()
    nlp.tokenizer.lexicon = (LexiconEntry("活力圈建设", 90000, "zb_budget"),)
    nlp.to_disk(tmp_path / "nlp")
    loaded = build_pipeline().from_disk(tmp_path / "nlp")
    assert loaded.tokenizer.lexicon == nlp.tokenizer.lexicon
    assert next(t.text for t in loaded("活力圈建设支出")) == "活力圈建设"


def test_tokenizer_bytes_round_trip():
    tokenizer = get_pipeline().tokenizer
    other = BudgetTokenizer(tokenizer.vocab, ())
    other.from_bytes(tokenizer.to_bytes())
    assert other.lexicon == tokenizer.lexicon


def test_pipe_streams_documents():
    texts = ["执行率为99.92%。", "预算8.6万元。"]
    docs = list(get_pipeline().pipe(texts))
    assert [d.text for d in docs] == texts


def test_prefix_dictionary_cache_gives_jiebas_own_dictionary(tmp_path):
    text = "法律意见出具及时率不低于90%，完成15个老旧小区改造"
    reference = jieba.Tokenizer()
    reference.initialize()
    built, cached = jieba.Tokenizer(), jieba.Tokenizer()
    load_prefix_dict(
        built, tmp_path
    )  # no cache yet: jieba builds it, then it is written
    assert sorted(p.suffix for p in tmp_path.iterdir()) == [".freqs", ".words"]
    load_prefix_dict(cached, tmp_path)  # read from the cache
    for tokenizer in (built, cached):
        assert tokenizer.total == reference.total
        assert tokenizer.FREQ == reference.FREQ
        assert list(tokenizer.cut(text, HMM=False)) == list(
            reference.cut(text, HMM=False)
        )


def test_unreadable_prefix_cache_falls_back_to_jieba(tmp_path):
    load_prefix_dict(jieba.Tokenizer(), tmp_path)
    for path in tmp_path.iterdir():
        if path.suffix == ".freqs":
            path.write_bytes(b"\0" * 7)  # not a whole int64: ignored
    tokenizer = jieba.Tokenizer()
    load_prefix_dict(tokenizer, tmp_path)  # jieba builds it again and rewrites
    assert tokenizer.initialized
    assert list(tokenizer.cut("采购执行率", HMM=False)) == ["采购", "执行", "率"]
    freqs = next(p for p in tmp_path.iterdir() if p.suffix == ".freqs")
    assert freqs.stat().st_size == 8 * (len(tokenizer.FREQ) + 1)

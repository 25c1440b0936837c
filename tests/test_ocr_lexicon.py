"""Rescoring the recogniser's runner-up characters with a word lexicon."""

from __future__ import annotations

import numpy as np
import pytest

from nlp.read.ocr.lexicon import (
    LexiconDecoder,
    Slot,
    WordModel,
    lexicon_words,
    rescore,
    slots_from_probs,
)

ALPHABET = ["blank", "项", "目", "口", "1", "2", "工", "作", "环", "坏", "境", "%"]
WORDS = WordModel({"项目": 5000, "工作": 8000, "环境": 6000, "项": 50, "口": 900,
                   "目": 300, "工": 200, "作": 400, "坏": 100, "境": 100, "环": 5000},
                  total=1_000_000)  # fmt: skip


def _probs(columns: list[dict[str, float]]) -> np.ndarray:
    """A T x C probability matrix; the blank takes what a column leaves."""
    out = np.zeros((len(columns), len(ALPHABET)), dtype=np.float32)
    for t, column in enumerate(columns):
        for char, prob in column.items():
            out[t, ALPHABET.index(char)] = prob
        out[t, 0] += 1.0 - out[t].sum()
    return out


def test_slots_keep_runner_up_characters() -> None:
    probs = _probs([{"项": 0.95}, {}, {"口": 0.6, "目": 0.3}, {"口": 0.5}])
    slots = slots_from_probs(probs, ALPHABET)
    assert [s.chosen for s in slots] == ["项", "口"]
    assert slots[1].prob("目") == pytest.approx(0.3)
    assert slots[1].prob("口") == pytest.approx(0.6)


def test_gap_offers_a_character_that_lost_to_the_blank() -> None:
    probs = _probs([{"环": 0.9}, {"境": 0.3}, {"%": 0.95}])
    slots = slots_from_probs(probs, ALPHABET)
    assert [s.chosen for s in slots] == ["环", "", "%"]
    assert slots[1].prob("境") == pytest.approx(0.3)


WORK = [{}, {"工": 0.95}, {}, {"作": 0.95}]


def test_lexicon_prefers_a_word_over_the_greedy_reading() -> None:
    probs = _probs([{"项": 0.95}, {}, {"口": 0.6, "目": 0.3}, *WORK])
    assert rescore(slots_from_probs(probs, ALPHABET), WORDS) == "项目工作"


def test_a_well_read_character_is_kept() -> None:
    probs = _probs([{"项": 0.95}, {}, {"口": 0.97, "目": 0.01}, *WORK])
    assert rescore(slots_from_probs(probs, ALPHABET), WORDS) == "项口工作"


def test_a_fragment_too_short_for_context_is_kept() -> None:
    probs = _probs([{"项": 0.95}, {}, {"口": 0.6, "目": 0.3}])
    assert rescore(slots_from_probs(probs, ALPHABET), WORDS) == "项口"


def test_a_change_must_make_a_word() -> None:
    # 环 is commoner than 坏 alone, but 环作 is no word: left as read.
    probs = _probs([{"工": 0.95}, {}, {"作": 0.95}, {}, {"坏": 0.6, "环": 0.35}])
    assert rescore(slots_from_probs(probs, ALPHABET), WORDS) == "工作坏"


def test_a_lone_digit_between_chinese_is_replaceable_but_numbers_are_not() -> None:
    lone = [Slot("环", (("环", 0.9),)), Slot("1", (("1", 0.55), ("工", 0.3))),
            Slot("作", (("作", 0.9),))]  # fmt: skip
    assert rescore(lone, WORDS) == "环工作"
    number = [Slot("1", (("1", 0.55), ("工", 0.3))), Slot("2", (("2", 0.9),)),
              Slot("作", (("作", 0.9),))]  # fmt: skip
    assert rescore(number, WORDS) == "12作"


def test_decoder_rewrites_lines_and_keeps_confidence() -> None:
    class Greedy:
        character = ALPHABET

        def __call__(self, preds, return_word_box=False, **kwargs):
            out = []
            for probs in preds:
                best = probs.argmax(axis=1)
                new = [i == 0 or b != best[i - 1] for i, b in enumerate(best)]
                keep = [b for b, first in zip(best, new, strict=True) if b and first]
                out.append(("".join(ALPHABET[b] for b in keep), 0.8))
            return out

    preds = np.stack([_probs([{"坏": 0.55, "环": 0.4}, {}, {"境": 0.9}, *WORK])])
    decoder = LexiconDecoder(Greedy(), WORDS)
    assert decoder(preds) == [("环境工作", 0.8)]


def test_decoder_wraps_a_decoder_taking_the_probabilities_alone() -> None:
    # rapidocr-onnxruntime before 1.4 calls its decoder with ``preds`` only.
    class OldGreedy:
        character = ALPHABET

        def __call__(self, preds):
            return [("坏境工作", 0.8) for _ in preds]

    preds = np.stack([_probs([{"坏": 0.55, "环": 0.4}, {}, {"境": 0.9}, *WORK])])
    assert LexiconDecoder(OldGreedy(), WORDS)(preds) == [("环境工作", 0.8)]


def test_the_shipped_lexicon_knows_budget_words() -> None:
    words = lexicon_words()
    assert words.log_prob("项目") > words.log_prob("项口")
    assert words.log_prob("土壤") > words.log_prob("上壤")

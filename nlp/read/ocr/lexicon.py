"""The recogniser's runner-up characters, rescored with a word lexicon.

The recogniser gives every position of a text line a probability over its whole
alphabet; greedy decoding keeps the likeliest character and drops the rest. On
blurred or low-resolution scans the right character is often the runner-up:
``项口`` for 项目, ``坏境`` for 环境, ``上壤`` for 土壤, ``完或`` for 完成. Here the
runners-up are kept per position (:class:`Slot`) and a line is rewritten where
another choice makes far likelier words:

    score = log P(recogniser's choices) + weight × log P(words)

``P(words)`` is the best segmentation's probability under jieba's dictionary
and the budget lexicon (the segmenter's own word list), as jieba scores a
segmentation. Only Chinese characters are ever put in (the lexicon knows
nothing of digits and signs), numbers are never touched, and a change must win
by a margin, so an unusual but well-read word stays as read.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

_BLANK = 0  # CTC blank: index 0 of the recogniser's alphabet
# Marks that stand between Chinese words as themselves (广园路-北环路, A、B).
_KEPT_MARKS = frozenset("-－—–~～、，,。.;；:：/／·")
# A digit is never rewritten as a Chinese numeral: 租赁1条 stays a figure.
_NUMERALS = frozenset("零〇一二三四五六七八九十百千万亿两")


@dataclass(frozen=True, slots=True)
class LexiconParams:
    """Knobs of the rescoring, tuned on the scanned corpus pages.

    Attributes:
        top_k: alternatives kept per position.
        min_alt_prob: an alternative below this probability is never chosen.
        min_gap_prob: a character the recogniser half-saw between two others
            (it lost to the blank) is offered for insertion above this.
        doubt_below: only lines with a position read below this probability are
            rescored (a line read with certainty throughout is left alone).
        weight: the lexicon's weight against the recogniser's log-probability.
        margin: nats a change must gain over the line as read.
        max_edits: changes per line.
        window: characters either side of a change that the lexicon scores.
        min_chars: shorter lines are left as read: a cell's fragment such as
            ``条数`` (the end of 录入条数) gives the lexicon no context.
    """

    top_k: int = 5
    min_alt_prob: float = 0.05
    min_gap_prob: float = 0.1
    doubt_below: float = 0.9
    weight: float = 0.5
    margin: float = 1.0
    max_edits: int = 3
    window: int = 8
    min_chars: int = 3


DEFAULT_LEXICON_PARAMS = LexiconParams()


@dataclass(frozen=True, slots=True)
class Slot:
    """One position of a decoded line and what else it could hold.

    Attributes:
        chosen: the character greedy decoding kept; ``""`` for a gap (a place
            between two characters where another one was half-seen).
        options: ``(character, probability)`` pairs, the chosen one included
            (``""`` with the blank's probability for a gap), likeliest first.
    """

    chosen: str
    options: tuple[tuple[str, float], ...]

    def prob(self, char: str) -> float:
        """The probability of ``char`` at this position (0.0 if not offered)."""
        return next((p for c, p in self.options if c == char), 0.0)


class WordModel:
    """Log-probability of a text's best segmentation under a word list.

    Args:
        freq: word → frequency (jieba's ``FREQ``: prefixes map to 0).
        total: the frequencies' sum.
        max_word: longest word looked up.
    """

    def __init__(self, freq: Mapping[str, int], total: int, max_word: int = 8) -> None:
        self.freq = freq
        self.log_total = math.log(total)
        self.max_word = max_word

    def log_prob(self, text: str) -> float:
        """jieba's route score: the best split's summed log word probability."""
        n = len(text)
        route = [0.0] * (n + 1)
        for i in range(n - 1, -1, -1):
            best = -math.inf
            for j in range(i + 1, min(n, i + self.max_word) + 1):
                count = self.freq.get(text[i:j])
                if count or j == i + 1:
                    best = max(best, math.log(count or 1) - self.log_total + route[j])
            route[i] = best
        return route[0]


def slots_from_probs(
    probs: np.ndarray,
    alphabet: Sequence[str],
    params: LexiconParams = DEFAULT_LEXICON_PARAMS,
) -> list[Slot]:
    """Greedy CTC decoding that keeps each position's alternatives.

    Args:
        probs: T x C softmax output of the recogniser for one line.
        alphabet: the recogniser's characters, index 0 the blank.
        params: how many alternatives to keep and when a gap is offered.

    Returns:
        The slots in order; their chosen characters joined are the greedy text.
    """
    best = probs.argmax(axis=1)
    slots: list[Slot] = []
    start = 0
    for end in range(1, len(best) + 1):
        if end < len(best) and best[end] == best[start]:
            continue
        run = probs[start:end]
        index = int(best[start])
        if index != _BLANK:
            slots.append(Slot(alphabet[index], _options(run, alphabet, params.top_k)))
        elif slots and end < len(best):  # a gap between two read characters
            gap = _gap(run, alphabet, params)
            if gap is not None:
                slots.append(gap)
        start = end
    return slots


def _options(
    run: np.ndarray, alphabet: Sequence[str], top_k: int
) -> tuple[tuple[str, float], ...]:
    """Each character's highest probability over a run, the top ``top_k``."""
    peak = run.max(axis=0)
    top = np.argpartition(-peak, top_k)[:top_k]
    top = top[np.argsort(-peak[top])]
    return tuple((alphabet[i] if i != _BLANK else "", float(peak[i])) for i in top)


def _gap(
    run: np.ndarray, alphabet: Sequence[str], params: LexiconParams
) -> Slot | None:
    """A blank run where a character lost to the blank, or None."""
    peak = run.max(axis=0)
    blank = float(peak[_BLANK])
    peak[_BLANK] = 0.0
    index = int(peak.argmax())
    if peak[index] < params.min_gap_prob:
        return None
    return Slot("", (("", blank), (alphabet[index], float(peak[index]))))


def rescore(
    slots: Sequence[Slot],
    words: WordModel,
    params: LexiconParams = DEFAULT_LEXICON_PARAMS,
) -> str:
    """The line with the changes that the lexicon prefers by ``margin``.

    Changes are taken one at a time, best first, each at a position no earlier
    change touched.
    """
    chosen = [s.chosen for s in slots]
    if sum(1 for c in chosen if c) < params.min_chars or not _in_doubt(slots, params):
        return "".join(chosen)
    touched: set[int] = set()
    for _ in range(params.max_edits):
        best_gain, best_edit = params.margin, None
        for index, char in _candidates(slots, chosen, touched, words, params):
            gain = _gain(slots, chosen, index, char, words, params)
            if gain > best_gain:
                best_gain, best_edit = gain, (index, char)
        if best_edit is None:
            break
        chosen[best_edit[0]] = best_edit[1]
        touched.add(best_edit[0])
    return "".join(chosen)


def _in_doubt(slots: Sequence[Slot], params: LexiconParams) -> bool:
    """Whether any position was read below ``doubt_below`` or has a gap."""
    return any(not s.chosen or s.prob(s.chosen) < params.doubt_below for s in slots)


def _candidates(
    slots: Sequence[Slot],
    chosen: Sequence[str],
    touched: set[int],
    words: WordModel,
    params: LexiconParams,
) -> list[tuple[int, str]]:
    """(position, character) changes worth scoring."""
    out = []
    for index, slot in enumerate(slots):
        if index in touched or not _replaceable(chosen, index):
            continue
        for char, prob in slot.options:
            if char == slot.chosen or prob < _floor(slot, params) or not _is_cjk(char):
                continue
            if slot.chosen.isdigit() and char in _NUMERALS:
                continue
            if _makes_word(chosen, index, char, words):
                out.append((index, char))
    return out


def _makes_word(chosen: Sequence[str], index: int, char: str, words: WordModel) -> bool:
    """Whether ``char`` at ``index`` is part of a word of two or more characters.

    A change is worth making only for a word: otherwise the lexicon would favour
    any common single character (租货 → 和货), and at a line's end, where the
    line may break a word (单位申 | 报), any character at all.
    """
    text = list(chosen)
    text[index] = char
    longest = words.max_word
    for start in range(max(0, index - longest + 1), index + 1):
        for end in range(index + 1, min(len(text), start + longest) + 1):
            if end - start >= 2 and words.freq.get("".join(text[start:end])):
                return True
    return False


def _floor(slot: Slot, params: LexiconParams) -> float:
    return params.min_alt_prob if slot.chosen else params.min_gap_prob


def _replaceable(chosen: Sequence[str], index: int) -> bool:
    """A Chinese character, a gap, or a lone non-Chinese mark between Chinese.

    ``1作`` (工作) and ``不少F`` (不少于) are repaired; a digit inside a number
    or a letter inside a Latin word never is.
    """
    char = chosen[index]
    if not char or _is_cjk(char):
        return True
    before = next((c for c in reversed(chosen[:index]) if c), "")
    after = next((c for c in chosen[index + 1 :] if c), "")
    lone = len(char) == 1 and not char.isspace() and char not in _KEPT_MARKS
    return lone and _is_cjk(before) and (not after or _is_cjk(after))


def _gain(
    slots: Sequence[Slot],
    chosen: Sequence[str],
    index: int,
    char: str,
    words: WordModel,
    params: LexiconParams,
) -> float:
    """Score change of putting ``char`` at ``index``: recogniser + lexicon."""
    slot = slots[index]
    ocr = math.log(slot.prob(char)) - math.log(max(slot.prob(chosen[index]), 1e-6))
    lo = max(0, index - params.window)
    hi = min(len(chosen), index + params.window + 1)
    before = "".join(chosen[lo:hi])
    after = "".join([*chosen[lo:index], char, *chosen[index + 1 : hi]])
    return ocr + params.weight * (words.log_prob(after) - words.log_prob(before))


@lru_cache(maxsize=4096)
def _is_cjk(char: str) -> bool:
    return len(char) == 1 and "\u4e00" <= char <= "\u9fff"


class LexiconDecoder:
    """RapidOCR's CTC decoder with each line rescored by :func:`rescore`.

    Wraps the engine's ``CTCLabelDecode`` (``text_rec.postprocess_op``): the
    recogniser's probabilities are only seen there. The line's confidence is
    the recogniser's own, unchanged.

    Args:
        inner: the engine's decoder; its ``character`` list is the alphabet.
        words: the lexicon.
        params: rescoring knobs.
    """

    def __init__(
        self,
        inner: Any,
        words: WordModel,
        params: LexiconParams = DEFAULT_LEXICON_PARAMS,
    ) -> None:
        self.inner = inner
        self.character = inner.character
        self.words = words
        self.params = params

    def __call__(
        self, preds: np.ndarray, *args: Any, **kwargs: Any
    ) -> list[tuple[Any, ...]]:
        # Arguments pass through as given: rapidocr-onnxruntime before 1.4
        # decodes ``preds`` alone, later versions add ``return_word_box``.
        lines = self.inner(preds, *args, **kwargs)
        if (args and args[0]) or kwargs.get("return_word_box"):
            return lines  # character boxes index the text as read
        return [
            (self.correct(preds[i], line[0]), *line[1:]) for i, line in enumerate(lines)
        ]

    def correct(self, probs: np.ndarray, text: str) -> str:
        """``text`` (the greedy reading of ``probs``) after rescoring."""
        if not _worth_rescoring(probs, self.params):
            return text
        slots = slots_from_probs(probs, self.character, self.params)
        if "".join(s.chosen for s in slots) != text:
            return text  # decoded differently from what we assume: keep it
        return rescore(slots, self.words, self.params)


def _worth_rescoring(probs: np.ndarray, params: LexiconParams) -> bool:
    """A cheap test before slots are built: any doubtful position at all."""
    best = probs.max(axis=1)
    read = probs.argmax(axis=1) != _BLANK
    if np.any(best[read] < params.doubt_below):
        return True
    half_seen = probs[~read, 1:].max(axis=1, initial=0.0)
    return bool(np.any(half_seen >= params.min_gap_prob))


@lru_cache(maxsize=1)
def lexicon_words() -> WordModel:
    """The segmenter's word list (jieba's dictionary and the budget lexicon)."""
    from nlp.segment import word_frequencies

    return WordModel(*word_frequencies())

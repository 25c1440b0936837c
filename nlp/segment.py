"""Chinese segmentation for budget text: a spaCy pipeline built offline.

The pipeline is ``spacy.blank("zh")`` whose tokenizer is replaced by
:class:`BudgetTokenizer`: jieba (the ``segmenter = "jieba"`` branch of
``spacy/lang/zh``) with two differences that matter for labelling spans:

* the budget lexicon (``nlp/data/budget_lexicon.txt``: measure names, level names,
  relation words, units, budget vocabulary) is loaded into a *private*
  ``jieba.Tokenizer`` instance, so the process-global jieba dictionary is never
  changed, and it is written by ``to_disk`` as component state;
* numbers, comparison signs and spaces are cut out before jieba sees the text, and
  jieba's words are re-split where a label may end: after a measure word followed
  by a relation (``率为`` → ``率`` ``为``) and before ``以上`` / ``以下`` / ``以内``.
  So a metric, a target (``≥95%``) and an amount (``12.5万元``) always start and
  end on token boundaries and ``Doc.char_span`` finds them.

:func:`get_pipeline` returns one cached pipeline per process, and
:func:`get_segmenter` the same jieba instance without spaCy. Loading is lazy (the
first text segmented) and once per process; jieba's prefix dictionary is read from
a cache of our own that loads about three times faster than jieba's
(:func:`load_prefix_dict`).
"""

from __future__ import annotations

import itertools
import json
import logging
import re
from collections import ChainMap
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

import jieba

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

logger = logging.getLogger(__name__)

DATA_DIR = Path(__file__).parent / "data"
LEXICON_PATH = DATA_DIR / "budget_lexicon.txt"
LEXICON_FILE = "lexicon.jsonl"
CONFIG_FILE = "cfg.json"

# Runs handled before jieba: numbers, whitespace, CJK text, any other character.
_PIECE = re.compile(
    r"(?P<num>\d+(?:\.\d+)?)|(?P<space>\s+)|(?P<cjk>[\u4e00-\u9fff]+)|(?P<other>.)",
    re.DOTALL,
)
_MEASURE_END = "率度数量例比重"
_RELATION_START = (
    "为",
    "是",
    "达",
    "不低于",
    "不少于",
    "不高于",
    "不超过",
    "低于",
    "高于",
    "超过",
    "大于",
    "小于",
    "保持",
    "控制在",
    "在",
)
_BOUND_SUFFIXES = ("及以上", "或以上", "以上", "以下", "以内")


@dataclass(frozen=True, slots=True)
class LexiconEntry:
    """One word of the budget lexicon, in jieba's user-dictionary terms.

    Attributes:
        word: the word, kept whole by the segmenter.
        freq: jieba frequency; higher wins over the built-in dictionary.
        tag: part-of-speech-like tag naming the word's class (``zb_measure`` ...).
    """

    word: str
    freq: int
    tag: str


def read_lexicon(path: Path = LEXICON_PATH) -> tuple[LexiconEntry, ...]:
    """Read a jieba user dictionary (``word freq tag`` per line).

    Args:
        path: the dictionary file.

    Returns:
        The entries in file order.
    """
    entries = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if not parts:
            continue
        freq = int(parts[1]) if len(parts) > 1 else 1
        tag = parts[2] if len(parts) > 2 else "n"
        entries.append(LexiconEntry(parts[0], freq, tag))
    return tuple(entries)


class BudgetTokenizer:
    """Text → Doc with jieba, a private budget lexicon and label-safe boundaries.

    Args:
        vocab (Vocab): the pipeline's vocabulary.
        lexicon (Iterable[LexiconEntry]): words added to the private jieba instance.
        hmm (bool): let jieba guess unknown words with its HMM.
    """

    def __init__(
        self, vocab: Vocab | None, lexicon: Iterable[LexiconEntry], hmm: bool = False
    ) -> None:
        self.vocab = vocab
        self.hmm = hmm
        self.lexicon = tuple(lexicon)
        self._jieba: jieba.Tokenizer | None = None

    @property
    def jieba(self) -> jieba.Tokenizer:
        """The private jieba instance, built on first use (it takes ~0.5 s)."""
        if self._jieba is None:
            self._jieba = _private_jieba(self.lexicon, self.hmm)
        return self._jieba

    def __call__(self, text: str) -> Doc:
        """Segment ``text``; ``Doc.text`` equals ``text``."""
        from spacy.tokens import Doc
        from spacy.util import get_words_and_spaces

        words, spaces = get_words_and_spaces(self.words(text), text)
        return Doc(self.vocab, words=words, spaces=spaces)

    def words(self, text: str) -> list[str]:
        """The tokens of ``text`` in order; joined they give ``text`` back."""
        out: list[str] = []
        for match in _PIECE.finditer(text):
            if match.lastgroup == "cjk":
                for word in self.jieba.cut(match.group(), HMM=self.hmm):
                    out.extend(resplit(word))
            else:
                out.append(match.group())
        return out

    def pipe(self, texts: Iterable[str], batch_size: int = 1000) -> Iterable[Doc]:
        """Segment a stream of texts."""
        for text in texts:
            yield self(text)

    # --- serialization: the lexicon is state, written as JSONL ---------------

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        """Write the lexicon and settings to a folder."""
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        lines = [
            json.dumps(
                {"word": e.word, "freq": e.freq, "tag": e.tag}, ensure_ascii=False
            )
            for e in self.lexicon
        ]
        (path / LEXICON_FILE).write_text("\n".join(lines) + "\n", encoding="utf-8")
        (path / CONFIG_FILE).write_text(json.dumps({"hmm": self.hmm}), encoding="utf-8")

    def from_disk(
        self, path: str | Path, *, exclude: Iterable[str] = ()
    ) -> BudgetTokenizer:
        """Read the lexicon and settings written by :meth:`to_disk`."""
        path = Path(path)
        entries = []
        for line in (path / LEXICON_FILE).read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                entries.append(LexiconEntry(row["word"], row["freq"], row["tag"]))
        self.lexicon = tuple(entries)
        self.hmm = json.loads((path / CONFIG_FILE).read_text(encoding="utf-8"))["hmm"]
        self._jieba = None
        return self

    def to_bytes(self, *, exclude: Iterable[str] = ()) -> bytes:
        """The lexicon and settings as JSON bytes."""
        data = {"hmm": self.hmm, "lexicon": [list(_entry(e)) for e in self.lexicon]}
        return json.dumps(data, ensure_ascii=False).encode("utf-8")

    def from_bytes(
        self, data: bytes, *, exclude: Iterable[str] = ()
    ) -> BudgetTokenizer:
        """Read what :meth:`to_bytes` wrote."""
        loaded = json.loads(data.decode("utf-8"))
        self.hmm = loaded["hmm"]
        self.lexicon = tuple(LexiconEntry(*row) for row in loaded["lexicon"])
        self._jieba = None
        return self


def _entry(entry: LexiconEntry) -> tuple[str, int, str]:
    return entry.word, entry.freq, entry.tag


@lru_cache(maxsize=4)
def _private_jieba(lexicon: tuple[LexiconEntry, ...], hmm: bool) -> jieba.Tokenizer:
    """A jieba Tokenizer of its own, with the lexicon added to it only.

    Cached per lexicon, so the pipeline's tokenizer and :func:`get_segmenter`
    share one instance (``hmm`` is part of the key only to keep it apart).
    """
    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    load_prefix_dict(tokenizer)
    _DICTIONARY_FREQ[tokenizer] = {
        e.word: tokenizer.FREQ.get(e.word) or 0 for e in lexicon
    }
    for entry in lexicon:
        tokenizer.add_word(entry.word, entry.freq, entry.tag)
    return tokenizer


# The lexicon's words as jieba's own dictionary counts them (0: unknown to it),
# per private instance; the lexicon's frequencies force splits, not usage.
_DICTIONARY_FREQ: WeakKeyDictionary[jieba.Tokenizer, dict[str, int]] = (
    WeakKeyDictionary()
)


def word_frequencies(lexicon_count: int = 1000) -> tuple[Mapping[str, int], int]:
    """Word → frequency for scoring how likely a text is, and the total.

    jieba's dictionary as it is, with the budget lexicon's words it lacks added at
    ``lexicon_count`` (a moderately common word): the segmenter's own weights for
    those words are set high to force its splits, which would make 项 or 日 look
    ten times commoner than they are.
    """
    tokenizer = get_segmenter().jieba
    dictionary = _DICTIONARY_FREQ[tokenizer]
    own = {word: count or lexicon_count for word, count in dictionary.items()}
    return ChainMap(own, tokenizer.FREQ), tokenizer.total


# --- jieba's prefix dictionary, cached in a form that loads fast ---------------

# jieba keeps its prefix dictionary (~500,000 words and prefixes → frequency) in a
# marshal file in the temp folder; unmarshalling it costs ~0.65 s of CPU. The same
# dictionary stored as one UTF-8 blob of words and an int64 array of frequencies
# loads in about a third of that, so every process that segments starts faster.
CACHE_ENV = "ZHIBIAO_CACHE"
_CACHE_FORMAT = 1


def cache_dir() -> Path:
    """Where the prefix dictionary is cached: ``$ZHIBIAO_CACHE``, else
    ``$XDG_CACHE_HOME/zhibiao``, else ``~/.cache/zhibiao``."""
    import os

    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "zhibiao"


def _cache_stem(dictionary: Path) -> str:
    """A cache name that changes with jieba's version and its dictionary file."""
    import hashlib

    stat = dictionary.stat()
    key = f"{_CACHE_FORMAT}|{jieba.__version__}|{dictionary}|{stat.st_size}|"
    key += str(stat.st_mtime_ns)
    return "jieba-prefix-" + hashlib.sha256(key.encode()).hexdigest()[:16]


def load_prefix_dict(tokenizer: jieba.Tokenizer, folder: Path | None = None) -> None:
    """Initialize ``tokenizer`` with jieba's default dictionary, through the cache.

    The first call builds the dictionary with jieba (``initialize``) and writes the
    cache; later calls, in any process, read it. A cache that cannot be written or
    read is skipped (jieba's own loading is used).

    Args:
        tokenizer: a fresh ``jieba.Tokenizer`` on the default dictionary.
        folder: cache folder; :func:`cache_dir` when None.
    """
    import array

    dictionary = Path(jieba.__file__).parent / jieba.DEFAULT_DICT_NAME
    stem = _cache_stem(dictionary)
    folder = folder if folder is not None else cache_dir()
    words_path, freqs_path = folder / f"{stem}.words", folder / f"{stem}.freqs"
    try:
        words = words_path.read_bytes().decode("utf-8").split("\n")
        freqs = array.array("q")
        freqs.frombytes(freqs_path.read_bytes())
    except (OSError, UnicodeDecodeError, ValueError):
        words, freqs = [], array.array("q")
    # freqs holds jieba's total first, then one frequency per word
    if words and len(words) + 1 == len(freqs):
        tokenizer.FREQ = dict(zip(words, freqs[1:], strict=True))
        tokenizer.total = freqs[0]
        tokenizer.initialized = True
        return
    tokenizer.initialize()
    _write_prefix_cache(tokenizer.FREQ, tokenizer.total, words_path, freqs_path)


def _write_prefix_cache(
    freq: dict[str, int], total: int, words_path: Path, freqs_path: Path
) -> None:
    """Write the prefix dictionary (atomically, so readers never see half a file)."""
    import array
    import os
    import tempfile

    words = list(freq)
    if any("\n" in word for word in words):
        return  # the blob is newline-separated
    blobs = {
        words_path: "\n".join(words).encode("utf-8"),
        freqs_path: array.array("q", [total, *(freq[w] for w in words)]).tobytes(),
    }
    try:
        words_path.parent.mkdir(parents=True, exist_ok=True)
        # frequencies first: a words file without its frequencies is never read
        for path in (freqs_path, words_path):
            fd, temp = tempfile.mkstemp(dir=path.parent)
            with os.fdopen(fd, "wb") as handle:
                handle.write(blobs[path])
            os.replace(temp, path)
    except OSError as exc:
        logger.debug("prefix dictionary cache not written: %s", exc)


def resplit(word: str) -> list[str]:
    """Cut a jieba word where a label can end.

    ``率为`` → ``率`` ``为`` (a measure word, then its relation), ``个以上`` →
    ``个`` ``以上``.

    Args:
        word: one jieba token (CJK characters only).

    Returns:
        The pieces, which join back to ``word``.
    """
    cuts = set()
    for i in range(1, len(word)):
        head, tail = word[:i], word[i:]
        if head[-1] in _MEASURE_END and tail.startswith(_RELATION_START):
            cuts.add(i)
        if tail.startswith(_BOUND_SUFFIXES) and not head.endswith(("及", "或")):
            cuts.add(i)
    if not cuts:
        return [word]
    bounds = [0, *sorted(cuts), len(word)]
    return [word[a:b] for a, b in itertools.pairwise(bounds)]


def create_budget_tokenizer(
    lexicon_path: str = "", hmm: bool = False
) -> Callable[[Language], BudgetTokenizer]:
    """Tokenizer factory for ``[nlp.tokenizer]``.

    Args:
        lexicon_path: jieba user dictionary; empty means the shipped lexicon.
        hmm: let jieba guess unknown words.
    """

    def make(nlp: Language) -> BudgetTokenizer:
        path = Path(lexicon_path) if lexicon_path else LEXICON_PATH
        return BudgetTokenizer(nlp.vocab, read_lexicon(path), hmm=hmm)

    return make


def build_pipeline(lexicon_path: str = "", hmm: bool = False) -> Language:
    """A fresh ``zh`` pipeline with the budget tokenizer and no other component.

    Args:
        lexicon_path: jieba user dictionary; empty means the shipped lexicon.
        hmm: let jieba guess unknown words.
    """
    import spacy
    from spacy.util import registry

    if "zhibiao.budget_tokenizer.v1" not in registry.tokenizers:
        registry.tokenizers.register(
            "zhibiao.budget_tokenizer.v1", func=create_budget_tokenizer
        )
    config: dict[str, Any] = {
        "nlp": {
            "tokenizer": {
                "@tokenizers": "zhibiao.budget_tokenizer.v1",
                "lexicon_path": lexicon_path,
                "hmm": hmm,
            }
        }
    }
    return spacy.blank("zh", config=config)


def token_bounds(text: str) -> list[tuple[int, int]]:
    """(start, end) of each token of ``text``, from the shared segmenter."""
    bounds, start = [], 0
    for word in get_segmenter().words(text):
        bounds.append((start, start + len(word)))
        start += len(word)
    return bounds


@lru_cache(maxsize=1)
def get_segmenter() -> BudgetTokenizer:
    """The process's segmenter without spaCy (same jieba instance as the pipeline).

    Used where only token offsets are needed, so extraction does not import spaCy.
    """
    return BudgetTokenizer(None, read_lexicon())


@lru_cache(maxsize=1)
def get_pipeline() -> Language:
    """The process's shared pipeline (built once, on first call)."""
    logger.debug("building the segmentation pipeline")
    return build_pipeline()

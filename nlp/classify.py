"""Find indicator statements in running text.

A narrative indicator is a *measure* followed directly by a *relation* and a
*value* (annotation guideline rule 4): ``法律意见出具及时率不低于90%``,
``采购执行率为98.73%``, ``按时办结率100%``. This module states that as rules
(:func:`find_statements` without a model) and, with a trained span model, lets the
model decide:

1. **Candidates.** The rules' metric and value spans, every number expression
   (with and without the relation before it), noun phrases of up to
   ``max_metric_tokens`` jieba tokens ending in a measure word right before a value,
   and the cells of a table row (:func:`candidate_spans`).
2. **Scoring.** Each candidate becomes a record (the span, its left and right
   context, the tokens around it, where it came from, the document's kind) and the
   :class:`SpanScorer` gives it a probability for each label of :data:`LABELS`.
3. **Pairing.** A metric candidate directly followed by a value candidate is a
   statement when P(METRIC) × P(TARGET or ACTUAL) clears the threshold (lower for
   pairs the rules proposed); the larger of P(TARGET) and P(ACTUAL) gives the kind
   and the product is the confidence. Overlapping statements keep the best.

The scorer is the exported form of the scikit-learn pipeline trained by
``nlp.train``: a vocabulary of feature names and a weight matrix, read from JSON and
``.npy`` files, so loading needs neither scikit-learn nor pickle.
"""

from __future__ import annotations

import json
import logging
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import numpy as np

logger = logging.getLogger(__name__)

StatementKind = Literal["target", "actual"]

# A measure: Chinese text (quotes and brackets allowed inside) ending in a
# measure word. Digits are excluded so a preceding "1年内" cannot be swallowed.
_MEASURE_SUFFIX = r"(?:率|度|比例|比率|占比|人数|次数|个数|数量|数)"
_MEASURE = (
    r"(?P<measure>[\u4e00-\u9fff“”‘’\"'（）()A-Za-z+]{1,40}?" + _MEASURE_SUFFIX + r")"
)
_RELATION = (
    r"(?P<relation>不低于|不少于|不高于|不超过|不大于|不小于|保持在|控制在|达到了?|"
    r"低于|高于|超过|大于|小于|分别为|为|是|达|≥|≤|＞|＜|>|<|≧|≦|=|＝)?"
)
_NUMBER = r"(?:\d{1,3}(?:[,，]\s?\d{3})+|\d+)(?:\s?[.．]\s?\d+)?"
_VALUE = (
    r"(?P<value>"
    + _NUMBER
    + r"\s?(?:%|％|‰|[个次人项份篇件家台套天年月日户场批名条辆栋]"
    r"(?:/[\u4e00-\u9fff]{1,3})?)?(?:及?以上|以下|以内)?)"
)
_MONEY_AFTER = re.compile(r"\s*(?:亿元|万元|千元|元|万|亿)")
STATEMENT = re.compile(_MEASURE + r"\s*" + _RELATION + r"\s*" + _VALUE)

# Words that end a clause's lead-in: the measure starts after the last of them.
_LEAD_IN = re.compile(
    r"通过|实现|最终使|使得|使|确保|保证|其中|并且|并|且|以及|力争|预计|即|未达到|未达|"
    r"本年度|本年|年内|月内|季度内|我(?:中心|单位|部门|局|委|办|院|所|站|队|区|县|市)|"
    r"本(?:中心|单位|部门)"
)
_MIN_MEASURE_CHARS = 3
_NOT_MEASURE = re.compile(r"^(?:每?(?:季度|年度|月度)|.{0,2}年度)$")
_OPENERS = {"“": "”", "‘": "’", "（": "）", "(": ")", '"': '"', "'": "'"}
_TARGET_CUES = re.compile(
    r"目标|力争|预计|计划|要求|不低于|不少于|不高于|不超过|确保|争取"
)
_ACTUAL_DOC = re.compile(r"自评|决算|评价报告|执行情况|总结|完成情况")


@dataclass(frozen=True, slots=True)
class Statement:
    """A measure with its relation and value, found in text.

    Attributes:
        start: offset of the measure in the searched text.
        end: offset after the value (half-open).
        metric: the measure as written.
        target_raw: relation and value as written (``不低于90%``).
        kind: "target" or "actual".
        confidence: how sure the rule is.
    """

    start: int
    end: int
    metric: str
    target_raw: str
    kind: StatementKind
    confidence: float


RULE_CONFIDENCE = 0.6


def document_kind(title_text: str) -> StatementKind:
    """Default kind of a document's statements: reports state achieved values.

    Args:
        title_text: the document's first lines (title and first headings).
    """
    return "actual" if _ACTUAL_DOC.search(title_text) else "target"


def find_statements(
    text: str,
    default_kind: StatementKind = "target",
    model: SpanScorer | None = None,
) -> list[Statement]:
    """Every narrative indicator statement in ``text``.

    Args:
        text: a paragraph or a prose table cell.
        default_kind: the kind when the clause itself gives no cue.
        model: a trained span classifier; None keeps to the rules. With a model,
            the rules' statements and the broader candidates are kept or dropped
            and typed (target / actual) by the model, and ``confidence`` is the
            model's probability.

    Returns:
        Statements in text order.
    """
    if model is not None:
        return _model_statements(text, default_kind, model)
    return [found.statement for found in _rule_matches(text, default_kind)]


@dataclass(frozen=True, slots=True)
class _RuleMatch:
    """A rule statement with the offsets its spans need."""

    statement: Statement
    metric_end: int
    value_start: int


def _rule_matches(text: str, default_kind: StatementKind) -> list[_RuleMatch]:
    found = []
    for match in STATEMENT.finditer(text):
        if _MONEY_AFTER.match(text, match.end()):
            continue  # 全年执行数 8.47 万元 is an amount, not an indicator
        if match.group("relation") == "分别为":
            continue  # an enumeration: no single value belongs to the measure
        if _followed_by_digit(text, match.end()):
            continue  # the value was cut short (a date, a code)
        measure, offset = _trim_lead_in(match.group("measure"))
        if len(measure) < _MIN_MEASURE_CHARS or _NOT_MEASURE.match(measure):
            continue  # 基数为0: a bare measure word names nothing
        start = match.start("measure") + offset
        relation_start = match.start("relation") if match.group("relation") else -1
        value_start = relation_start if relation_start >= 0 else match.start("value")
        target_raw = text[value_start : match.end()]
        clause = _clause_around(text, start)
        kind = _kind_of(clause, default_kind)
        statement = Statement(
            start=start,
            end=match.end(),
            metric=re.sub(r"\s+", "", measure),
            target_raw=target_raw.strip(),
            kind=kind,
            confidence=RULE_CONFIDENCE,
        )
        found.append(_RuleMatch(statement, match.end("measure"), value_start))
    return found


def _followed_by_digit(text: str, end: int) -> bool:
    return end < len(text) and text[end].isdigit()


def _trim_lead_in(measure: str) -> tuple[str, int]:
    """Drop a leading verb or connective and unbalanced opening quotes.

    The measure starts after the rightmost lead-in word that still leaves a
    measure of at least three characters (通过 inside 验收通过率 is part of the
    name, 且 before it is not). Returns the measure and the characters dropped.
    """
    cut = 0
    for match in _LEAD_IN.finditer(measure):
        if len(measure) - match.end() >= _MIN_MEASURE_CHARS:
            cut = match.end()
    cut = max(cut, _after_unbalanced_opener(measure))
    return measure[cut:], cut


def _after_unbalanced_opener(measure: str) -> int:
    """Offset just after the last quote or bracket opened and never closed."""
    stack: list[int] = []
    for i, ch in enumerate(measure):
        if ch in _OPENERS and _OPENERS[ch] != ch:
            stack.append(i)
        elif stack and ch == _OPENERS[measure[stack[-1]]]:
            stack.pop()
    return stack[-1] + 1 if stack else 0


def _clause_around(text: str, start: int) -> str:
    left = max(text.rfind(p, 0, start) for p in "，。；;,")
    return text[left + 1 : start + 40]


def _kind_of(clause: str, default_kind: StatementKind) -> StatementKind:
    """A clause with a goal cue states a target; otherwise the document decides."""
    if _TARGET_CUES.search(clause) or ("“" in clause and "<" in clause):
        return "target"
    return default_kind


# --- span model: labels, candidates, features --------------------------------

OUTSIDE = "O"
LABELS = ("METRIC", "TARGET", "ACTUAL", "AMOUNT", "LEVEL")
DEFAULT_MODEL_DIR = Path(__file__).resolve().parent.parent / "models" / "narrative"
CANDIDATES_KEY = "zhibiao_candidates"
SPANS_KEY = "zhibiao"
MODEL_FORMAT = 1

_VALUE_UNIT = (
    r"(?:%|％|‰|亿元|万元|千元|元|万|亿|[个次人项份篇件家台套天年月日户场批名条辆栋]"
    r"(?:/[\u4e00-\u9fff]{1,3})?)"
)
VALUE_CANDIDATE = re.compile(
    r"(?P<relation>不低于|不少于|不高于|不超过|不大于|不小于|保持在|控制在|达到了?|"
    r"低于|高于|超过|大于|小于|为|是|达)?\s*"
    r"(?P<value>[≥≤＞＜><≧≦=＝]?\s?" + _NUMBER + r"\s?" + _VALUE_UNIT + r"?"
    r"(?:及?以上|以下|以内)?)"
)
_MEASURE_WORD = re.compile(r"(?:率|度|比例|比率|占比|数|数量|量|值|进度)$")
_CLAUSE_MARK = re.compile(r"[，。；;,:：！？\n\t|、（）()“”《》]")
_CELL_SEPARATOR = re.compile(r"\t|\s\|\s|^\s*\||\|\s*$")


@dataclass(frozen=True, slots=True)
class ModelParams:
    """How candidates are proposed and scored pairs are kept.

    Attributes:
        context: characters of left and right context in a record.
        ngram_max: longest character n-gram of the span.
        max_metric_tokens: longest noun-phrase candidate, in jieba tokens.
        keep_rule: minimum score of a pair the rules proposed.
        keep_extra: minimum score of a pair only the broader generator proposed.
    """

    context: int = 4
    ngram_max: int = 3
    max_metric_tokens: int = 6
    keep_rule: float = 0.01
    keep_extra: float = 0.5


@dataclass(frozen=True, slots=True)
class Candidate:
    """A span that may carry a label.

    Attributes:
        start: offset in the text.
        end: offset after it (half-open).
        sources: the generators that proposed it (``rule-metric``, ``rule-value``,
            ``value``, ``relation-value``, ``np-metric``, ``cell``).
    """

    start: int
    end: int
    sources: tuple[str, ...]


def candidate_spans(
    text: str,
    token_bounds: Sequence[tuple[int, int]],
    default_kind: StatementKind = "target",
    params: ModelParams | None = None,
) -> list[Candidate]:
    """Every candidate span of ``text``, sorted by offsets.

    Args:
        text: a line, paragraph or prose cell.
        token_bounds: (start, end) of each token of the segmented text.
        default_kind: passed to the rules.
        params: generator settings.

    Returns:
        Candidates, one per distinct (start, end), sources merged.
    """
    params = params or ModelParams()
    found: dict[tuple[int, int], set[str]] = {}

    def add(start: int, end: int, source: str) -> None:
        start, end = _strip_span(text, start, end)
        if end > start:
            found.setdefault((start, end), set()).add(source)

    for rule in _rule_matches(text, default_kind):
        add(rule.statement.start, rule.metric_end, "rule-metric")
        add(rule.value_start, rule.statement.end, "rule-value")
    value_starts = []
    for match in VALUE_CANDIDATE.finditer(text):
        if _followed_by_digit(text, match.end()) or _preceded_by_digit(text, match):
            continue
        add(match.start("value"), match.end(), "value")
        if match.group("relation"):
            add(match.start("relation"), match.end(), "relation-value")
            value_starts.append(match.start("relation"))
        value_starts.append(match.start("value"))
    for start, end in _noun_phrases(text, token_bounds, value_starts, params):
        add(start, end, "np-metric")
    for start, end in _cells(text):
        add(start, end, "cell")
    return [
        Candidate(s, e, tuple(sorted(src))) for (s, e), src in sorted(found.items())
    ]


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _preceded_by_digit(text: str, match: re.Match[str]) -> bool:
    start = match.start()
    return start > 0 and (text[start - 1].isdigit() or text[start - 1] in ".．")


def _noun_phrases(
    text: str,
    token_bounds: Sequence[tuple[int, int]],
    value_starts: Iterable[int],
    params: ModelParams,
) -> Iterator[tuple[int, int]]:
    """Token runs ending in a measure word just before a value.

    Each run of 1 … ``max_metric_tokens`` tokens that ends right before the value
    (whitespace aside) and stays inside the clause is one candidate; the model
    picks where the metric starts.
    """
    ends = {end: i for i, (_, end) in enumerate(token_bounds)}
    for value_start in set(value_starts):
        end = value_start
        while end > 0 and text[end - 1].isspace():
            end -= 1
        last = ends.get(end)
        if last is None or not _MEASURE_WORD.search(text[token_bounds[last][0] : end]):
            continue
        first_allowed = last - params.max_metric_tokens + 1
        for i in range(last, max(first_allowed, 0) - 1, -1):
            start = token_bounds[i][0]
            piece = text[start:end]
            if _CLAUSE_MARK.search(piece) or any(ch.isdigit() for ch in piece):
                break
            yield start, end


def _cells(text: str) -> Iterator[tuple[int, int]]:
    """The cells of a tab- or pipe-separated table row, or nothing."""
    if not _CELL_SEPARATOR.search(text):
        return
    start = 0
    for match in re.finditer(r"\t|\|", text):
        yield start, match.start()
        start = match.end()
    yield start, len(text)


def span_record(
    text: str,
    candidate: Candidate,
    token_bounds: Sequence[tuple[int, int]],
    default_kind: StatementKind,
    context: int,
) -> dict[str, Any]:
    """The record the span model reads for one candidate.

    Args:
        text: the text the candidate is in.
        candidate: the span.
        token_bounds: (start, end) of each token of ``text``.
        default_kind: the document's kind (``target`` / ``actual``).
        context: characters of context kept on each side.

    Returns:
        A JSON-able dict: span, left, right, left_token, right_token, sources,
        doc_kind, table.
    """
    s, e = candidate.start, candidate.end
    left_token = right_token = ""
    for ts, te in token_bounds:
        if te <= s and text[ts:te].strip():
            left_token = text[ts:te]
        if ts >= e and text[ts:te].strip():
            right_token = text[ts:te]
            break
    return {
        "span": text[s:e],
        "left": text[max(0, s - context) : s],
        "right": text[e : e + context],
        "left_token": left_token,
        "right_token": right_token,
        "sources": list(candidate.sources),
        "doc_kind": default_kind,
        "table": bool(_CELL_SEPARATOR.search(text)),
    }


def _shape(text: str) -> str:
    shape = re.sub(r"\d+(?:[.,]\d+)*", "0", text)
    shape = re.sub(r"[\u4e00-\u9fff]+", "c", shape)
    return re.sub(r"\s+", "_", shape)


def span_features(record: Mapping[str, Any], ngram_max: int) -> dict[str, float]:
    """Feature counts of one record: character n-grams and token features.

    Args:
        record: as built by :func:`span_record`.
        ngram_max: longest character n-gram of the span (context uses up to 2).

    Returns:
        Feature name → count.
    """
    features: Counter[str] = Counter()
    span = re.sub(r"\s+", " ", record["span"])
    padded = f"<{span}>"
    for n in range(1, ngram_max + 1):
        for i in range(len(padded) - n + 1):
            features[f"s{n}:{padded[i : i + n]}"] += 1
    left, right = record["left"], record["right"]
    for n in (1, 2):
        for i in range(len(left) - n + 1):
            features[f"l{n}:{left[i : i + n]}"] += 1
        for i in range(len(right) - n + 1):
            features[f"r{n}:{right[i : i + n]}"] += 1
    features[f"l-1:{left[-1:]}"] += 1
    features[f"r+1:{right[:1]}"] += 1
    features[f"lt:{record['left_token']}"] += 1
    features[f"rt:{record['right_token']}"] += 1
    features[f"shape:{_shape(span)[:12]}"] += 1
    features[f"len:{min(len(span), 20) // 2}"] += 1
    features[f"end:{span[-2:]}"] += 1
    features[f"begin:{span[:2]}"] += 1
    kind = record["doc_kind"]
    for source in record["sources"]:
        features[f"src:{source}"] += 1
        features[f"src:{source}|{kind}"] += 1
    features[f"srcs:{'+'.join(record['sources'])}"] += 1
    features[f"kind:{kind}"] += 1
    features[f"table:{record['table']}"] += 1
    return dict(features)


# --- span scorer: the exported linear model ----------------------------------


@dataclass(slots=True)
class SpanScorer:
    """A trained linear span model: feature vocabulary, weights, labels.

    Attributes:
        classes: label of each row of ``coef`` (``O`` and :data:`LABELS`).
        vocabulary: feature name → column of ``coef``.
        coef: weights, shape (n_classes or 1, n_features).
        intercept: biases, one per row of ``coef``.
        params: candidate and decoding settings the model was trained with.
        meta: training facts for the model card (data hash, versions, scores).
    """

    classes: tuple[str, ...]
    vocabulary: dict[str, int]
    coef: np.ndarray
    intercept: np.ndarray
    params: ModelParams = field(default_factory=ModelParams)
    meta: dict[str, Any] = field(default_factory=dict)

    def predict_proba(self, records: Sequence[Mapping[str, Any]]) -> np.ndarray:
        """Probability of each class for each record, columns in ``classes`` order."""
        scores = np.empty((len(records), self.coef.shape[0]))
        for row, record in enumerate(records):
            features = span_features(record, self.params.ngram_max)
            cols = [self.vocabulary[f] for f in features if f in self.vocabulary]
            vals = np.array([features[f] for f in features if f in self.vocabulary])
            scores[row] = self.intercept + (self.coef[:, cols] @ vals if cols else 0.0)
        if self.coef.shape[0] == 1:  # binary logistic regression
            positive = 1.0 / (1.0 + np.exp(-scores[:, 0]))
            return np.column_stack([1.0 - positive, positive])
        scores -= scores.max(axis=1, keepdims=True)
        exp = np.exp(scores)
        return exp / exp.sum(axis=1, keepdims=True)

    def predict(self, records: Sequence[Mapping[str, Any]]) -> list[str]:
        """The most probable label of each record."""
        if not records:
            return []
        proba = self.predict_proba(records)
        return [self.classes[i] for i in proba.argmax(axis=1)]

    def to_disk(self, path: str | Path) -> None:
        """Write ``config.json``, ``features.json`` and ``coef.npy`` to a folder.

        The files are byte-identical for identical models.
        """
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        names = sorted(self.vocabulary, key=self.vocabulary.__getitem__)
        config = {
            "format": MODEL_FORMAT,
            "classes": list(self.classes),
            "intercept": [float(x) for x in self.intercept],
            "params": asdict(self.params),
            "meta": self.meta,
        }
        _write_json(path / "config.json", config)
        _write_json(path / "features.json", names)
        np.save(path / "coef.npy", np.ascontiguousarray(self.coef, dtype="<f4"))

    @classmethod
    def from_disk(cls, path: str | Path) -> SpanScorer:
        """Read a model folder written by :meth:`to_disk`.

        Raises:
            ValueError: the folder holds a model of another format.
        """
        path = Path(path)
        config = json.loads((path / "config.json").read_text(encoding="utf-8"))
        if config.get("format") != MODEL_FORMAT:
            raise ValueError(
                f"{path}: model format {config.get('format')!r}, "
                f"expected {MODEL_FORMAT}"
            )
        names = json.loads((path / "features.json").read_text(encoding="utf-8"))
        coef = np.load(path / "coef.npy", allow_pickle=False).astype(np.float64)
        return cls(
            classes=tuple(config["classes"]),
            vocabulary={name: i for i, name in enumerate(names)},
            coef=coef,
            intercept=np.asarray(config["intercept"], dtype=np.float64),
            params=ModelParams(**config["params"]),
            meta=config.get("meta", {}),
        )


def _write_json(path: Path, value: Any) -> None:
    text = json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True)
    path.write_text(text + "\n", encoding="utf-8")


@lru_cache(maxsize=1)
def load_default_model() -> SpanScorer | None:
    """The shipped narrative model (``models/narrative``), once per process.

    Returns:
        The scorer, or None when the model folder is missing.
    """
    if not (DEFAULT_MODEL_DIR / "config.json").exists():
        logger.info(
            "no model in %s; narrative statements use the rules", DEFAULT_MODEL_DIR
        )
        return None
    return SpanScorer.from_disk(DEFAULT_MODEL_DIR)


# --- model-driven statements --------------------------------------------------


@dataclass(frozen=True, slots=True)
class ScoredSpan:
    """A candidate with its label probabilities."""

    candidate: Candidate
    proba: dict[str, float]

    def p(self, label: str) -> float:
        """Probability of ``label`` (0 when the model does not know it)."""
        return self.proba.get(label, 0.0)


def token_bounds_of(text: str) -> list[tuple[int, int]]:
    """(start, end) of each token of ``text`` from the shared segmenter."""
    from nlp.segment import token_bounds

    return token_bounds(text)


def score_spans(
    text: str,
    model: SpanScorer,
    default_kind: StatementKind = "target",
    token_bounds: Sequence[tuple[int, int]] | None = None,
) -> list[ScoredSpan]:
    """Every candidate span of ``text`` with the model's probabilities.

    Args:
        text: a line, paragraph or prose cell.
        model: the span scorer.
        default_kind: the document's kind.
        token_bounds: token offsets; segmented here when None.
    """
    bounds = token_bounds if token_bounds is not None else token_bounds_of(text)
    candidates = candidate_spans(text, bounds, default_kind, model.params)
    if not candidates:
        return []
    records = [
        span_record(text, c, bounds, default_kind, model.params.context)
        for c in candidates
    ]
    proba = model.predict_proba(records)
    return [
        ScoredSpan(
            c, {label: float(p) for label, p in zip(model.classes, row, strict=True)}
        )
        for c, row in zip(candidates, proba, strict=True)
    ]


def _model_statements(
    text: str, default_kind: StatementKind, model: SpanScorer
) -> list[Statement]:
    """Statements from metric/value pairs the model keeps."""
    if not VALUE_CANDIDATE.search(text):
        return []  # no number, no statement: skip segmentation
    scored = score_spans(text, model, default_kind)
    metrics_ending: dict[int, list[ScoredSpan]] = {}
    for span in scored:
        if any(s.endswith("metric") for s in span.candidate.sources):
            metrics_ending.setdefault(span.candidate.end, []).append(span)
    pairs = []
    for value in scored:
        sources = value.candidate.sources
        if not any(s in ("rule-value", "relation-value", "value") for s in sources):
            continue
        metric_end = value.candidate.start
        while metric_end > 0 and text[metric_end - 1].isspace():
            metric_end -= 1
        options = metrics_ending.get(metric_end)
        if not options:
            continue
        rule_metrics = [o for o in options if "rule-metric" in o.candidate.sources]
        if rule_metrics and "rule-value" in value.candidate.sources:
            pairs.append(_pair(text, rule_metrics[0], value, model.params, True))
        metric = max(options, key=lambda s: (s.p("METRIC"), -s.candidate.start))
        pairs.append(_pair(text, metric, value, model.params, False))
    return _best_non_overlapping([p for p in pairs if p is not None])


def _pair(
    text: str,
    metric: ScoredSpan,
    value: ScoredSpan,
    params: ModelParams,
    from_rules: bool,
) -> tuple[Statement, bool] | None:
    """The statement a metric/value pair makes, if its score clears the bar."""
    p_target, p_actual = value.p("TARGET"), value.p("ACTUAL")
    score = metric.p("METRIC") * (p_target + p_actual)
    if score < (params.keep_rule if from_rules else params.keep_extra):
        return None
    m, v = metric.candidate, value.candidate
    statement = Statement(
        start=m.start,
        end=v.end,
        metric=re.sub(r"\s+", "", text[m.start : m.end]),
        target_raw=text[v.start : v.end].strip(),
        kind="target" if p_target >= p_actual else "actual",
        confidence=round(score, 4),
    )
    return statement, from_rules


def _best_non_overlapping(pairs: list[tuple[Statement, bool]]) -> list[Statement]:
    """Rule pairs the model kept first, then the best-scored others in the gaps."""
    kept: list[Statement] = []
    ordered = sorted(pairs, key=lambda p: (not p[1], -p[0].confidence, p[0].start))
    for statement, _ in ordered:
        if all(statement.end <= k.start or statement.start >= k.end for k in kept):
            kept.append(statement)
    return sorted(kept, key=lambda s: s.start)


# --- spaCy components -----------------------------------------------------------


def _register_extensions() -> None:
    from spacy.tokens import Doc

    if not Doc.has_extension("zhibiao_statements"):
        Doc.set_extension("zhibiao_statements", default=None)
    if not Doc.has_extension("zhibiao_kind"):
        Doc.set_extension("zhibiao_kind", default="target")


class SpanModelComponent:
    """Pipeline component: label candidate spans and pair them into statements.

    Writes the labelled spans to ``doc.spans[spans_key]`` (scores in
    ``attrs["scores"]``) and the statements to ``doc._.zhibiao_statements``. Without
    a model (before ``from_disk``) it applies the rules.

    Args:
        name (str): component name.
        spans_key (str): the span group written.
        model_dir (str): folder of a model to load at creation; empty for none.
    """

    def __init__(self, name: str, spans_key: str, model_dir: str) -> None:
        _register_extensions()
        self.name = name
        self.spans_key = spans_key
        self.model: SpanScorer | None = (
            SpanScorer.from_disk(model_dir) if model_dir else None
        )

    def __call__(self, doc: Any) -> Any:
        """Label and pair the spans of one Doc."""
        kind: StatementKind = doc._.zhibiao_kind
        doc._.zhibiao_statements = find_statements(doc.text, kind, self.model)
        group = []
        if self.model is not None:
            bounds = [(t.idx, t.idx + len(t.text)) for t in doc]
            for scored in score_spans(doc.text, self.model, kind, bounds):
                label = max(scored.proba, key=scored.proba.__getitem__)
                span = doc.char_span(
                    scored.candidate.start, scored.candidate.end, label=label
                )
                if label != OUTSIDE and span is not None:
                    group.append(span)
        doc.spans[self.spans_key] = group
        return doc

    def pipe(self, docs: Iterable[Any], batch_size: int = 128) -> Iterator[Any]:
        """Process a stream of Docs."""
        for doc in docs:
            yield self(doc)

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        """Write the model (JSON and ``.npy``) to a folder."""
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        if self.model is not None:
            self.model.to_disk(path)

    def from_disk(
        self, path: str | Path, *, exclude: Iterable[str] = ()
    ) -> SpanModelComponent:
        """Read a model folder written by :meth:`to_disk`."""
        path = Path(path)
        self.model = (
            SpanScorer.from_disk(path) if (path / "config.json").exists() else None
        )
        return self


def _register_factory() -> None:
    """Register the ``zhibiao_span_model`` factory once per process."""
    from spacy.language import Language

    if Language.has_factory("zhibiao_span_model"):
        return

    @Language.factory(
        "zhibiao_span_model",
        default_config={"spans_key": SPANS_KEY, "model_dir": ""},
        assigns=["doc.spans", "doc._.zhibiao_statements"],
    )
    def make_span_model(
        nlp: Any, name: str, spans_key: str, model_dir: str
    ) -> SpanModelComponent:
        return SpanModelComponent(name, spans_key, model_dir)


def span_pipeline(model_dir: str | Path | None = None) -> Any:
    """A fresh pipeline: budget tokenizer + ``zhibiao_span_model``.

    Args:
        model_dir: model folder; None uses the shipped one when present.
    """
    from nlp.segment import build_pipeline

    _register_factory()
    if model_dir is None and (DEFAULT_MODEL_DIR / "config.json").exists():
        model_dir = DEFAULT_MODEL_DIR
    nlp = build_pipeline()
    nlp.add_pipe("zhibiao_span_model", config={"model_dir": str(model_dir or "")})
    return nlp

"""Train the narrative span model and write it with its model card.

The model is a scikit-learn :class:`~sklearn.pipeline.Pipeline` wrapped in
:class:`SpanClassifier`: records (:func:`nlp.classify.span_record`) →
:class:`SpanFeatures` (character n-grams of the span and its context, token
features) → ``DictVectorizer`` → ``LogisticRegression``. Training is CPU only and
deterministic (lbfgs, sorted vocabulary, no randomness outside ``seed``-driven
template sampling), so the same data and seed give byte-identical model files.

The fitted pipeline is exported to :class:`nlp.classify.SpanScorer` (feature names,
weights, biases as JSON and ``.npy``), which is what ``extract`` loads.
"""

from __future__ import annotations

import argparse
import json
import logging
import platform
import subprocess
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, TransformerMixin
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.utils.validation import check_is_fitted

from nlp.classify import (
    OUTSIDE,
    ModelParams,
    SpanScorer,
    candidate_spans,
    span_features,
    span_record,
)
from nlp.classify.model import package_version
from nlp.corpus import (
    Example,
    examples_hash,
    load_dataset_examples,
    synthesize,
)

logger = logging.getLogger(__name__)

DEFAULT_NAME = "narrative"
# Shipped models are package data: nlp/models/<name>, relative to the repository.
MODELS_DIR = Path("nlp") / "models"
# Template sentences added per gold example of the training fold.
SYNTHETIC_RATIO = 0.25
# A gold span claimed by several labels keeps the first of this order.
LABEL_PRIORITY = ("METRIC", "TARGET", "ACTUAL", "AMOUNT", "LEVEL")


class SpanFeatures(TransformerMixin, BaseEstimator):
    """Span records → feature dicts (stateless).

    Parameters:
        ngram_max (int): longest character n-gram of the span.
    """

    def __init__(self, ngram_max: int = 3) -> None:
        self.ngram_max = ngram_max

    def fit(self, X: Sequence[dict[str, Any]], y: Any = None) -> SpanFeatures:
        """Validate the parameters; nothing is learned.

        Raises:
            ValueError: ``ngram_max`` is not a positive integer.
        """
        if not isinstance(self.ngram_max, int) or self.ngram_max < 1:
            raise ValueError(
                f"ngram_max must be a positive int, not {self.ngram_max!r}"
            )
        return self

    def transform(self, X: Sequence[dict[str, Any]]) -> list[dict[str, float]]:
        """One feature dict per record."""
        return [span_features(record, self.ngram_max) for record in X]

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.requires_fit = False
        tags.input_tags.two_d_array = False
        tags.input_tags.dict = True
        return tags


class SpanClassifier(ClassifierMixin, BaseEstimator):
    """Label span records METRIC, TARGET, ACTUAL, AMOUNT, LEVEL or O.

    Parameters:
        ngram_max (int): longest character n-gram of the span.
        C (float): inverse regularization strength of the logistic regression.
        max_iter (int): lbfgs iterations.
        class_weight (str | None): ``"balanced"`` or None.

    Attributes:
        pipeline_ (Pipeline): features → DictVectorizer → LogisticRegression.
        classes_ (ndarray): the labels seen in ``fit``.
    """

    def __init__(
        self,
        ngram_max: int = 3,
        C: float = 1.0,
        max_iter: int = 2000,
        class_weight: str | None = None,
    ) -> None:
        self.ngram_max = ngram_max
        self.C = C
        self.max_iter = max_iter
        self.class_weight = class_weight

    def fit(self, X: Sequence[dict[str, Any]], y: Sequence[str]) -> SpanClassifier:
        """Learn from records and their labels.

        Raises:
            ValueError: X and y differ in length, or hold fewer than two labels.
        """
        if len(X) != len(y):
            raise ValueError(f"X has {len(X)} records but y has {len(y)} labels")
        if len(set(y)) < 2:
            raise ValueError("y needs at least two distinct labels")
        pipeline = Pipeline(
            [
                ("features", SpanFeatures(ngram_max=self.ngram_max)),
                ("vectorize", DictVectorizer(sort=True)),
                (
                    "classify",
                    LogisticRegression(
                        C=self.C, max_iter=self.max_iter, class_weight=self.class_weight
                    ),
                ),
            ]
        )
        pipeline.fit(list(X), list(y))
        self.pipeline_ = pipeline
        self.classes_ = pipeline.classes_
        return self

    def predict_proba(self, X: Sequence[dict[str, Any]]) -> np.ndarray:
        """Class probabilities, columns in ``classes_`` order."""
        check_is_fitted(self)
        return self.pipeline_.predict_proba(list(X))

    def predict(self, X: Sequence[dict[str, Any]]) -> np.ndarray:
        """The most probable label of each record."""
        check_is_fitted(self)
        return self.pipeline_.predict(list(X))

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.two_d_array = False
        tags.input_tags.dict = True
        return tags

    def export(self, params: ModelParams, meta: dict[str, Any]) -> SpanScorer:
        """The fitted model as a :class:`SpanScorer` (no scikit-learn needed)."""
        check_is_fitted(self)
        vectorizer = self.pipeline_.named_steps["vectorize"]
        linear = self.pipeline_.named_steps["classify"]
        return SpanScorer(
            classes=tuple(str(c) for c in linear.classes_),
            vocabulary={name: i for i, name in enumerate(vectorizer.feature_names_)},
            coef=np.asarray(linear.coef_, dtype=np.float32).astype(np.float64),
            intercept=np.asarray(linear.intercept_, dtype=np.float64),
            params=params,
            meta=meta,
        )


# --- records from examples ----------------------------------------------------


def example_records(
    examples: Iterable[Example], params: ModelParams
) -> tuple[list[dict[str, Any]], list[str], Counter[str], Counter[str]]:
    """Candidate records of the examples with their gold labels.

    Returns:
        (records, labels, gold spans per label, gold spans a candidate covers).
    """
    from nlp.segment import get_pipeline

    tokenizer = get_pipeline().tokenizer
    records: list[dict[str, Any]] = []
    labels: list[str] = []
    gold_counts: Counter[str] = Counter()
    covered: Counter[str] = Counter()
    for example in examples:
        doc = tokenizer(example.text)
        bounds = [(t.idx, t.idx + len(t.text)) for t in doc]
        gold = _gold_by_offsets(example)
        gold_counts.update(gold.values())
        kind = "actual" if example.doc_kind == "actual" else "target"
        for candidate in candidate_spans(example.text, bounds, kind, params):
            label = gold.get((candidate.start, candidate.end), OUTSIDE)
            if label != OUTSIDE:
                covered[label] += 1
            records.append(
                span_record(example.text, candidate, bounds, kind, params.context)
            )
            labels.append(label)
    return records, labels, gold_counts, covered


def _gold_by_offsets(example: Example) -> dict[tuple[int, int], str]:
    gold: dict[tuple[int, int], str] = {}
    for span in sorted(example.spans, key=lambda s: LABEL_PRIORITY.index(s.label)):
        gold.setdefault((span.start, span.end), span.label)
    return gold


# --- training -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TrainReport:
    """What a training run did.

    Attributes:
        out: the model folder.
        examples: gold examples used (lines).
        synthetic: template sentences added.
        records: candidate records trained on.
        labels: records per label.
        candidate_recall: share of gold spans, per label, that a candidate covers.
        seconds: wall time.
        data_hash: SHA-256 of the training examples.
    """

    out: Path
    examples: int
    synthetic: int
    records: int
    labels: dict[str, int]
    candidate_recall: dict[str, float]
    seconds: float
    data_hash: str
    alignment: dict[str, Any] = field(default_factory=dict)


def fit_model(
    examples: Sequence[Example],
    seed: int = 0,
    params: ModelParams | None = None,
    classifier: SpanClassifier | None = None,
) -> tuple[SpanClassifier, dict[str, Any]]:
    """Fit a span classifier on gold examples plus template sentences.

    Args:
        examples: gold examples (the training fold only).
        seed: seed of the template sampling.
        params: candidate settings.
        classifier: an unfitted classifier to use (default settings otherwise).

    Returns:
        (fitted classifier, training facts).
    """
    params = params or ModelParams()
    gold = [e for e in examples if not e.synthetic]
    n_synthetic = round(SYNTHETIC_RATIO * sum(1 for e in gold if e.spans))
    synthetic = synthesize(gold, n_synthetic, seed=seed)
    records, labels, gold_counts, covered = example_records(gold + synthetic, params)
    model = classifier if classifier is not None else SpanClassifier()
    model.fit(records, labels)
    facts = {
        "examples": len(gold),
        "synthetic": len(synthetic),
        "records": len(records),
        "labels": dict(sorted(Counter(labels).items())),
        "candidate_recall": {
            label: round(covered[label] / gold_counts[label], 4)
            for label in sorted(gold_counts)
        },
        "data_hash": examples_hash(gold),
    }
    return model, facts


def saved_corpus(path: Path) -> Path:
    """The saved ``datasets`` corpus: ``path`` itself or ``path/spans``.

    Raises:
        FileNotFoundError: neither holds a corpus written by ``nlp.corpus``.
    """
    for folder in (Path(path), Path(path) / "spans"):
        if (folder / "dataset_info.json").is_file():
            return folder
    raise FileNotFoundError(
        f"{path}: no saved span corpus in it or in {Path(path) / 'spans'}; "
        "build it with `python -m nlp.corpus --annotations annotations`"
    )


def read_corpus(path: Path) -> tuple[list[Example], dict[str, Any]]:
    """The examples of the saved corpus and its alignment report."""
    folder = saved_corpus(path)
    alignment_path = folder / "alignment.json"
    alignment = (
        json.loads(alignment_path.read_text(encoding="utf-8"))
        if alignment_path.exists()
        else {}
    )
    return load_dataset_examples(folder), alignment


def train(
    annotations: Path,
    out: Path,
    seed: int = 0,
    params: ModelParams | None = None,
    calibration: dict[str, list[float]] | None = None,
) -> TrainReport:
    """Train on every example of the saved corpus and write the model folder.

    Args:
        annotations: the saved corpus (``annotations/spans``) or the folder
            holding it.
        out: model folder (``nlp/models/<name>``), created or overwritten.
        seed: seed of the template sampling.
        params: decoding settings (chosen by ``nlp.crossval``); defaults otherwise.
        calibration: score → observed precision points (``nlp.crossval``).

    Returns:
        What was trained on and how long it took.
    """
    start = time.perf_counter()
    examples, alignment = read_corpus(annotations)
    model, facts = fit_model(examples, seed=seed)
    meta = {
        "version": package_version(),
        "seed": seed,
        "data_hash": facts["data_hash"],
        "code_commit": _code_commit(),
        "versions": _versions(),
        "labels": facts["labels"],
        "candidate_recall": facts["candidate_recall"],
        "examples": facts["examples"],
        "examples_per_set": dict(
            sorted(Counter(e.set_name or "?" for e in examples).items())
        ),
        "real_documents": sorted({e.doc for e in examples if e.city}),
        "real_cities": sorted({e.city for e in examples if e.city}),
        "real_documents_with_actuals": sorted(
            {e.doc for e in examples if e.city and _has_label(e, "ACTUAL")}
        ),
        "synthetic": facts["synthetic"],
        "estimator": {k: v for k, v in model.get_params().items()},
    }
    if calibration:
        meta["calibration"] = calibration
    scorer = model.export(params or ModelParams(), meta)
    scorer.to_disk(out)
    # The folder name goes to the card only, so model files do not depend on it.
    card_meta = {
        **meta,
        "name": Path(out).name,
        "keep_rule": scorer.params.keep_rule,
        "keep_extra": scorer.params.keep_extra,
    }
    write_model_card(Path(out), card_meta, alignment)
    return TrainReport(
        out=Path(out),
        examples=facts["examples"],
        synthetic=facts["synthetic"],
        records=facts["records"],
        labels=facts["labels"],
        candidate_recall=facts["candidate_recall"],
        seconds=round(time.perf_counter() - start, 2),
        data_hash=facts["data_hash"],
        alignment={k: v for k, v in alignment.items() if k != "failures"},
    )


def _code_commit() -> str:
    """``git rev-parse HEAD`` of the working tree, or "unknown"."""
    try:
        result = subprocess.run(
            ["git", "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
            cwd=Path(__file__).parent,
            timeout=10,
        )
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return result.stdout.strip() or "unknown"


def _versions() -> dict[str, str]:
    import jieba
    import sklearn
    import spacy

    return {
        "python": platform.python_version(),
        "numpy": np.__version__,
        "scikit-learn": sklearn.__version__,
        "spacy": spacy.__version__,
        "jieba": jieba.__version__,
    }


def write_model_card(
    out: Path, meta: dict[str, Any], alignment: dict[str, Any]
) -> None:
    """Write ``README.md``: data, code, versions, labels, scores, limits.

    Scores come from ``scores.json`` in the folder when ``nlp.crossval`` wrote one.
    """
    scores_path = out / "scores.md"
    scores = (
        scores_path.read_text(encoding="utf-8")
        if scores_path.exists()
        else "Run `python -m nlp.crossval --card nlp/models/<name>` to add scores.\n"
    )
    versions = ", ".join(f"{k} {v}" for k, v in meta["versions"].items())
    labels = ", ".join(f"{k} {v}" for k, v in meta["labels"].items())
    recall = ", ".join(f"{k} {v:.2f}" for k, v in meta["candidate_recall"].items())
    failed = sum(alignment.get("failed", {}).values())
    aligned = sum(alignment.get("aligned", {}).values())
    per_set = ", ".join(f"{k} {v}" for k, v in meta.get("examples_per_set", {}).items())
    card = f"""# Model card: {meta["name"]}

Span classifier for narrative performance indicators (labels METRIC, TARGET,
ACTUAL, AMOUNT, LEVEL, O): a logistic regression over character n-grams of a
candidate span and its context and token features (`nlp/classify/`,
`nlp/train.py`). In extraction it judges the statements the rules find: their
score is P(METRIC) of the rule's metric span × P(TARGET or ACTUAL) of its value
span, mapped to the precision such scores had on held-out real documents
(`calibration` in `config.json`); that is the statement's `confidence`.
{_role(meta)}

## Rebuild

`python -m nlp.retrain` (from the repository root) redoes everything this folder
depends on, in one process: the span corpus `annotations/spans` from the current
gold, leave one city out on the real documents (the setting below chosen by it,
`confidence` calibrated on it), then this model trained on the whole corpus, with
`scores.md` and this card. Run it after the gold, the readers or the statement
rules change; it reads each real document once (the scan is OCR'd).

## Facts

- Files: `config.json` (labels, biases, settings, calibration, these facts),
  `features.json` (feature names), `coef.npy` (weights, float32). No pickle.
- Training data: the saved span corpus `annotations/spans` (`datasets`; its card
  says where each row comes from): {meta["examples"]} rows ({per_set}),
  {aligned} spans aligned, {failed} not found, plus {meta["synthetic"]} template
  sentences; SHA-256 of the gold examples `{meta["data_hash"]}`.
- Real documents trained on: {len(meta.get("real_documents", []))} from
  {len(meta.get("real_cities", []))} cities ({", ".join(meta.get("real_cities", []))}).
- Code: commit `{meta["code_commit"]}`; seed {meta["seed"]}.
- Versions: {versions}.
- Candidate records per label: {labels}.
- Share of gold spans a candidate covers: {recall}.
- Estimator: {meta["estimator"]}.
- Settings: keep_rule {meta.get("keep_rule", "?")}, keep_extra
  {meta.get("keep_extra", "?")}.

## Scores and the choice of settings (leave one city out on real documents)

{scores}
## Limits

- The real statement gold covers the statement pages of
  {len(meta.get("real_documents", []))} documents (2026 部门预算: 目标 prose and
  绩效目标 cells, and a scanned 工作总结 of achieved values); achieved values
  (ACTUAL) are annotated in {len(meta.get("real_documents_with_actuals", []))} of
  them, so the actual figures rest on very little text.
- Candidates bound what the model can judge: a metric named after its count or an
  enumeration's measure is not a span, and only the value is scored.
- Calibration is fitted on the out-of-fold statements of these documents; bins
  with few statements are noisy.
- The settings are chosen on the same folds whose scores are shown, so the
  rules + model column is slightly optimistic; the rules column is not.
"""
    (out / "README.md").write_text(card, encoding="utf-8")


def _has_label(example: Example, label: str) -> bool:
    return any(span.label == label for span in example.spans)


def _role(meta: dict[str, Any]) -> str:
    """What the model changes in extraction under its settings."""
    keep_rule, keep_extra = meta.get("keep_rule", 0.0), meta.get("keep_extra", 1.01)
    if keep_rule <= 0.0 and keep_extra > 1.0:
        return (
            "With the chosen setting (keep_rule 0, keep_extra above 1) the model "
            "drops no statement and moves no metric: rules + model gives exactly the "
            "rules' statements, and the model's role is the calibrated `confidence`."
        )
    return (
        f"A statement scored below `keep_rule` ({keep_rule}) is dropped; a metric "
        f"start moves only where P(METRIC) ≥ `keep_extra` ({keep_extra}); the kind "
        "is the rules'."
    )


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m nlp.train --annotations annotations --out nlp/models/narrative``."""
    parser = argparse.ArgumentParser(prog="python -m nlp.train")
    parser.add_argument("--annotations", type=Path, default=Path("annotations"))
    parser.add_argument("--out", type=Path, default=MODELS_DIR / DEFAULT_NAME)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    report = train(args.annotations, args.out, seed=args.seed)
    logger.info("%s", {k: str(v) for k, v in asdict(report).items()})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

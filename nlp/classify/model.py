"""The span scorer: the exported linear model, its labels and the shipped model.

The scorer is the exported form of the scikit-learn pipeline trained by
``nlp.train``: a vocabulary of feature names and a weight matrix, read from JSON and
``.npy`` files, so loading needs neither scikit-learn nor pickle.

The shipped model lives inside the package (``nlp/models/narrative``, package
data), so every install, editable or not, finds it; :func:`default_model_info`
names it (name, version, SHA-256) for ``documents.jsonl``.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from nlp.classify.candidates import ModelParams
from nlp.classify.features import span_features

logger = logging.getLogger(__name__)

OUTSIDE = "O"
LABELS = ("METRIC", "TARGET", "ACTUAL", "AMOUNT", "LEVEL")
# nlp/classify/model.py → the package folder ``nlp`` is two folders up
DEFAULT_MODEL_DIR = Path(__file__).resolve().parents[1] / "models" / "narrative"
MODEL_FORMAT = 1
# The files a model folder is made of, in the order they are hashed.
MODEL_FILES = ("config.json", "features.json", "coef.npy")


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

    def calibrated(self, score: float) -> float:
        """The observed precision of statements scored ``score`` (``meta``'s
        ``calibration``: increasing score → precision points fitted on
        held-out documents); the score itself for a model without one."""
        points = self.meta.get("calibration")
        if not points:
            return score
        return float(np.interp(score, points["score"], points["precision"]))

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


@dataclass(frozen=True, slots=True)
class ModelInfo:
    """Which model a document was extracted with.

    Attributes:
        name: the model folder's name (``narrative``).
        version: the version written at training, else the zhibiao version.
        sha256: hash of the model files (see :func:`model_sha256`).
    """

    name: str
    version: str
    sha256: str

    def to_dict(self) -> dict[str, str]:
        """The JSON object written to ``documents.jsonl``."""
        return {"name": self.name, "version": self.version, "sha256": self.sha256}


def model_sha256(path: str | Path) -> str:
    """SHA-256 over a model folder's files: each file's name, a NUL, its bytes.

    Args:
        path: a folder written by :meth:`SpanScorer.to_disk`.
    """
    digest = hashlib.sha256()
    for name in MODEL_FILES:
        digest.update(name.encode("utf-8") + b"\0")
        digest.update((Path(path) / name).read_bytes())
    return digest.hexdigest()


def model_info(path: str | Path, scorer: SpanScorer) -> ModelInfo:
    """Name, version and hash of the model in ``path`` (loaded as ``scorer``)."""
    version = str(scorer.meta.get("version") or package_version())
    return ModelInfo(Path(path).name, version, model_sha256(path))


def package_version() -> str:
    """The installed zhibiao version, or "unknown" when it is not installed."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("zhibiao")
    except PackageNotFoundError:
        return "unknown"


@lru_cache(maxsize=1)
def load_default_model() -> SpanScorer | None:
    """The shipped narrative model (``nlp/models/narrative``), once per process.

    A missing model is a warning: extraction then keeps to the rules.

    Returns:
        The scorer, or None when the model folder is missing.
    """
    if not (DEFAULT_MODEL_DIR / "config.json").exists():
        logger.warning(
            "no narrative model in %s; narrative statements use the rules only",
            DEFAULT_MODEL_DIR,
        )
        return None
    return SpanScorer.from_disk(DEFAULT_MODEL_DIR)


@lru_cache(maxsize=1)
def default_model_info() -> ModelInfo | None:
    """Name, version and hash of the shipped model, or None when it is missing."""
    scorer = load_default_model()
    return None if scorer is None else model_info(DEFAULT_MODEL_DIR, scorer)

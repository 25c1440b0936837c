"""The ``zhibiao_span_model`` component and a ready pipeline.

The factory itself is declared in :mod:`nlp.classify.spacy_factories`, which the
package advertises through the ``spacy_factories`` entry point (and the budget
tokenizer through ``spacy_tokenizers``), so ``spacy.load`` of a saved pipeline
works in a new process. Importing this module does not import spaCy.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from nlp.classify.model import DEFAULT_MODEL_DIR, OUTSIDE, SpanScorer
from nlp.classify.rules import StatementKind
from nlp.classify.statements import find_statements, score_spans

CANDIDATES_KEY = "zhibiao_candidates"
SPANS_KEY = "zhibiao"


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
        model_dir (str): folder of a model to load at creation; empty (the
            default) for none. A pipeline meant to be saved leaves it empty, so
            its config holds no path.
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
    """Register the ``zhibiao_span_model`` factory (importing it registers it)."""
    import nlp.classify.spacy_factories  # noqa: F401


def span_pipeline(model_dir: str | Path | None = None) -> Any:
    """A fresh pipeline: budget tokenizer + ``zhibiao_span_model``.

    The model is loaded into the component, not named in its config, so a saved
    pipeline's ``config.cfg`` holds no path: ``to_disk`` writes the model files
    into the component's folder and ``spacy.load`` reads them from there.

    Args:
        model_dir: model folder; None uses the shipped one when present.
    """
    from nlp.segment import build_pipeline

    _register_factory()
    if model_dir is None and (DEFAULT_MODEL_DIR / "config.json").exists():
        model_dir = DEFAULT_MODEL_DIR
    nlp = build_pipeline()
    component = nlp.add_pipe("zhibiao_span_model")
    if model_dir:
        component.model = SpanScorer.from_disk(model_dir)
    return nlp

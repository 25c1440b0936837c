"""The ``zhibiao_span_model`` spaCy factory, its component and a ready pipeline."""

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

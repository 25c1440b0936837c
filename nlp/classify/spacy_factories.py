"""spaCy factories of zhibiao, registered when this module is imported.

The package advertises this module through the ``spacy_factories`` entry point
(``pyproject.toml``): spaCy imports every such module whenever it builds a
``Language``, so ``spacy.load`` of a saved pipeline finds ``zhibiao_span_model`` in
a process that never imported ``nlp``. This module imports spaCy; extraction never
imports it.

No ``from __future__ import annotations`` here: spaCy validates a factory's
arguments from its annotations, and spaCy 3.7 cannot resolve them as strings.
"""

from spacy.language import Language

from nlp.classify.spacy_component import SPANS_KEY, SpanModelComponent

SPAN_MODEL_FACTORY = "zhibiao_span_model"


@Language.factory(
    SPAN_MODEL_FACTORY,
    default_config={"spans_key": SPANS_KEY, "model_dir": ""},
    assigns=["doc.spans", "doc._.zhibiao_statements"],
)
def make_span_model(
    nlp: Language, name: str, spans_key: str, model_dir: str
) -> SpanModelComponent:
    """The ``zhibiao_span_model`` component.

    Args:
        nlp (Language): the pipeline.
        name (str): component name.
        spans_key (str): the span group written.
        model_dir (str): model folder to load at creation; empty for none (the
            model then comes from the saved pipeline's component folder).

    RETURNS (SpanModelComponent): the component.
    """
    return SpanModelComponent(name, spans_key, model_dir)

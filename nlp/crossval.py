"""Leave-one-document-out evaluation of the span model against the rules.

For each gold document, a model is trained on the other documents (plus template
sentences built from *their* gold only) and the held-out document is extracted
twice, rules only and rules + model. Both runs are scored with the matching of
``nlp.evaluate`` (multiset match on the ``triple`` and ``metric+target`` keys):

* narrative indicators: records found in running text (``evaluate.is_narrative``)
  with no level (annotation guideline rule 8: narrative indicators have none);
* table triples: every other indicator record — the model must not change them;
* target/actual: share of matched narrative indicators whose ``kind`` agrees;
* span level: precision, recall and F1 per label on the held-out document's
  aligned gold spans (``nlp.corpus``), for the model's labels and for the rules'
  spans (metric, target/actual from ``find_statements``; amounts from
  ``find_amounts``; the rules have no LEVEL spans).

``python -m nlp.crossval`` prints the tables; ``--markdown FILE`` writes them as a
Markdown section and ``--card DIR`` as the scores of a model card.
"""

from __future__ import annotations

import argparse
import logging
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nlp.classify import (
    LABELS,
    OUTSIDE,
    SpanScorer,
    StatementKind,
    find_statements,
    score_spans,
)
from nlp.corpus import Example, annotation_sets, load_examples
from nlp.evaluate import MEASURES as EVAL_MEASURES
from nlp.evaluate import Score, is_narrative, load_gold, match
from nlp.train import fit_model

logger = logging.getLogger(__name__)

RUNS = ("rules", "model")
NARRATIVE_MEASURES = ("triple", "metric+target")


def is_narrative_indicator(record: dict[str, Any]) -> bool:
    """A record from running text: narrative source and no level."""
    return (
        is_narrative(record)
        and record.get("level1_norm") is None
        and record.get("level2_norm") is None
    )


@dataclass(slots=True)
class FoldResult:
    """Scores of one held-out document.

    Attributes:
        doc: the held-out document.
        set_name: the annotated set it belongs to.
        narrative: run → measure → Score on narrative indicators.
        table: run → Score of table triples.
        kind_agree: run → (matched narrative records whose kind agrees, matched).
        spans: run → label → Score of span labels.
        seconds: training time of the fold's model.
    """

    doc: str
    set_name: str = ""
    narrative: dict[str, dict[str, Score]] = field(default_factory=dict)
    table: dict[str, Score] = field(default_factory=dict)
    kind_agree: dict[str, tuple[int, int]] = field(default_factory=dict)
    spans: dict[str, dict[str, Score]] = field(default_factory=dict)
    seconds: float = 0.0


def _extract(path: Path, doc: str, model: SpanScorer | None) -> list[dict[str, Any]]:
    from nlp.assemble import assemble
    from nlp.blocks import recover_tables
    from nlp.read import read_document

    document = read_document(path, name=doc)
    tables = recover_tables(document)
    indicators, _ = assemble(document, tables, doc, model=model)
    return [record.to_dict() for record in indicators]


def _measure(name: str):
    return next(m for m in EVAL_MEASURES if m.name == name)


def _score(gold: list[dict], pred: list[dict], name: str) -> Score:
    tp, missing, spurious = match(gold, pred, _measure(name))
    return Score(tp=tp, fp=len(spurious), fn=len(missing))


def _kind_agreement(gold: list[dict], pred: list[dict]) -> tuple[int, int]:
    """Matched (metric, target) pairs whose kind agrees, and matched pairs."""
    key = _measure("metric+target").key
    pool: dict[Any, list[str]] = {}
    for record in pred:
        pool.setdefault(key(record), []).append(record.get("kind", "target"))
    agree = total = 0
    for record in gold:
        kinds = pool.get(key(record))
        if not kinds:
            continue
        total += 1
        wanted = record.get("kind", "target")
        if wanted in kinds:
            kinds.remove(wanted)
            agree += 1
        else:
            kinds.pop()
    return agree, total


def _rule_spans(example: Example) -> set[tuple[int, int, str]]:
    from nlp.normalize.amounts import find_amounts

    kind: StatementKind = "actual" if example.doc_kind == "actual" else "target"
    text = example.text
    spans = set()
    for statement in find_statements(text, kind):
        metric_end = statement.start + len(statement.metric)
        raw_start = text.find(statement.target_raw, metric_end)
        label = "ACTUAL" if statement.kind == "actual" else "TARGET"
        spans.add(
            (
                statement.start,
                _end_of(text, statement.start, statement.metric),
                "METRIC",
            )
        )
        if raw_start >= 0:
            spans.add((raw_start, raw_start + len(statement.target_raw), label))
    for found in find_amounts(text):
        spans.add((found.start, found.end, "AMOUNT"))
    return spans


def _end_of(text: str, start: int, compact: str) -> int:
    """End offset of ``compact`` (whitespace removed) written from ``start``."""
    seen = 0
    index = start
    while index < len(text) and seen < len(compact):
        if not text[index].isspace():
            seen += 1
        index += 1
    return index


def _model_spans(example: Example, model: SpanScorer) -> set[tuple[int, int, str]]:
    kind: StatementKind = "actual" if example.doc_kind == "actual" else "target"
    spans = set()
    for scored in score_spans(example.text, model, kind):
        label = max(scored.proba, key=scored.proba.__getitem__)
        if label != OUTSIDE:
            spans.add((scored.candidate.start, scored.candidate.end, label))
    return spans


def _span_scores(examples: Sequence[Example], predict: Any) -> dict[str, Score]:
    scores = {label: Score() for label in LABELS}
    for example in examples:
        gold = {(s.start, s.end, s.label) for s in example.spans}
        pred = predict(example)
        for label in LABELS:
            g = {s for s in gold if s[2] == label}
            p = {s for s in pred if s[2] == label}
            scores[label] = scores[label] + Score(
                tp=len(g & p), fp=len(p - g), fn=len(g - p)
            )
    return scores


@dataclass(frozen=True, slots=True)
class GoldDocument:
    """One annotated document: its set folder, name and gold records."""

    folder: Path
    doc: str
    records: dict[str, list[dict[str, Any]]]

    @property
    def set_name(self) -> str:
        """The set's folder name (``annotations`` for the development corpus)."""
        return self.folder.name


def gold_documents(annotations: Path) -> list[GoldDocument]:
    """Every annotated document of every set under ``annotations``, set by set."""
    return [
        GoldDocument(folder, doc, records)
        for folder in annotation_sets(annotations)
        for doc, records in sorted(load_gold(folder / "gold").items())
    ]


def cross_validate(
    annotations: Path, seed: int = 0, workers: int = 1
) -> list[FoldResult]:
    """Run every fold: each document held out once, over every annotated set.

    Args:
        annotations: folder holding ``gold/`` and ``corpus/``, or sets that do.
        seed: training seed.
        workers: folds run in this many processes (results do not depend on it).

    Returns:
        One result per document, in set and name order.
    """
    examples, _ = load_examples(annotations)
    documents = gold_documents(annotations)
    jobs = [(examples, document, seed) for document in documents]
    if workers <= 1:
        return [_fold(*job) for job in jobs]
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(_fold, *zip(*jobs, strict=True)))


def _fold(examples: Sequence[Example], document: GoldDocument, seed: int) -> FoldResult:
    """Train without ``document``, then score it rules only and rules + model."""
    import time

    from nlp.classify import ModelParams

    start = time.perf_counter()
    doc = document.doc
    train = [e for e in examples if e.doc != doc]
    held_out = [e for e in examples if e.doc == doc]
    classifier, _facts = fit_model(train, seed=seed)
    model = classifier.export(ModelParams(), {})
    result = FoldResult(
        doc=doc,
        set_name=document.set_name,
        seconds=round(time.perf_counter() - start, 2),
    )
    gold_records = document.records["indicator"]
    g_narr = [r for r in gold_records if is_narrative_indicator(r)]
    g_table = [r for r in gold_records if not is_narrative_indicator(r)]
    for run, used in (("rules", None), ("model", model)):
        pred = _extract(document.folder / "corpus" / doc, doc, used)
        p_narr = [r for r in pred if is_narrative_indicator(r)]
        result.narrative[run] = {
            name: _score(g_narr, p_narr, name) for name in NARRATIVE_MEASURES
        }
        result.table[run] = _score(
            g_table, [r for r in pred if not is_narrative_indicator(r)], "triple"
        )
        result.kind_agree[run] = _kind_agreement(g_narr, p_narr)
    result.spans["rules"] = _span_scores(held_out, _rule_spans)
    result.spans["model"] = _span_scores(
        held_out, lambda e, m=model: _model_spans(e, m)
    )
    logger.info("%s: fold done in %.1f s", doc, result.seconds)
    return result


# --- rendering ----------------------------------------------------------------


def _total(scores: Sequence[Score]) -> Score:
    total = Score()
    for score in scores:
        total = total + score
    return total


def _cell(score: Score) -> str:
    return f"{score.f1:.3f} ({score.tp}/{score.fp}/{score.fn})"


def _sets(results: Sequence[FoldResult]) -> list[str]:
    return list(dict.fromkeys(r.set_name for r in results))


def render_markdown(results: Sequence[FoldResult]) -> str:
    """The fold results as Markdown tables (F1 with TP/FP/FN)."""
    lines = [
        "### Narrative indicators, per held-out document",
        "",
        "F1 (TP/FP/FN) of the `triple` key; rules only vs rules + model.",
        "",
        "| set | document | rules | rules + model | Δ F1 | kind agrees "
        "(rules → model) |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for r in results:
        rules, model = r.narrative["rules"]["triple"], r.narrative["model"]["triple"]
        ka_r, ka_m = r.kind_agree["rules"], r.kind_agree["model"]
        lines.append(
            f"| {r.set_name} | {r.doc} | {_cell(rules)} | {_cell(model)} | "
            f"{model.f1 - rules.f1:+.3f} | {ka_r[0]}/{ka_r[1]} → {ka_m[0]}/{ka_m[1]} |"
        )
    groups = [
        (name, [r for r in results if r.set_name == name]) for name in _sets(results)
    ]
    for label, group in [*groups, ("all sets", list(results))]:
        for name in NARRATIVE_MEASURES:
            rules = _total([r.narrative["rules"][name] for r in group])
            model = _total([r.narrative["model"][name] for r in group])
            lines.append(
                f"| **{label}** | **{name}** | {_cell(rules)} | {_cell(model)} | "
                f"{model.f1 - rules.f1:+.3f} | |"
            )
    lines += [
        "",
        "### Table triples (must not drop)",
        "",
        "| document | rules | rules + model |",
        "| --- | --- | --- |",
    ]
    for r in results:
        lines.append(
            f"| {r.doc} | {_cell(r.table['rules'])} | {_cell(r.table['model'])} |"
        )
    lines.append(
        f"| **all** | {_cell(_total([r.table['rules'] for r in results]))} | "
        f"{_cell(_total([r.table['model'] for r in results]))} |"
    )
    lines += [
        "",
        "### Span labels, all held-out documents",
        "",
        "P / R / F1 of exact spans against the aligned gold spans.",
        "",
        "| label | rules P | rules R | rules F1 | model P | model R | model F1 |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for label in LABELS:
        rules = _total([r.spans["rules"][label] for r in results])
        model = _total([r.spans["model"][label] for r in results])
        rule_cells = (
            "— | — | —"
            if rules.tp + rules.fp == 0
            else f"{rules.precision:.3f} | {rules.recall:.3f} | {rules.f1:.3f}"
        )
        lines.append(
            f"| {label} | {rule_cells} | {model.precision:.3f} | "
            f"{model.recall:.3f} | {model.f1:.3f} |"
        )
    lines += ["", "### Span labels per document (model F1)", ""]
    lines.append("| document | " + " | ".join(LABELS) + " |")
    lines.append("| --- |" + " --- |" * len(LABELS))
    for r in results:
        cells = " | ".join(f"{r.spans['model'][label].f1:.3f}" for label in LABELS)
        lines.append(f"| {r.doc} | {cells} |")
    seconds = sum(r.seconds for r in results)
    lines += ["", f"Training time over the {len(results)} folds: {seconds:.1f} s.", ""]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m nlp.crossval [--annotations DIR] [--markdown FILE] [--card DIR]``."""
    parser = argparse.ArgumentParser(prog="python -m nlp.crossval")
    parser.add_argument("--annotations", type=Path, default=Path("annotations"))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workers", type=int, default=1, help="folds in parallel")
    parser.add_argument("--markdown", type=Path, help="write the tables here")
    parser.add_argument("--card", type=Path, help="model folder: write scores.md")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    results = cross_validate(args.annotations, seed=args.seed, workers=args.workers)
    text = render_markdown(results)
    logger.info("\n%s", text)
    if args.markdown:
        args.markdown.write_text(text, encoding="utf-8")
    if args.card:
        (args.card / "scores.md").write_text(text, encoding="utf-8")
    counts = Counter(
        "better"
        if r.narrative["model"]["triple"].f1 > r.narrative["rules"]["triple"].f1
        else "worse"
        if r.narrative["model"]["triple"].f1 < r.narrative["rules"]["triple"].f1
        else "same"
        for r in results
    )
    logger.info("documents where the model is better/same/worse: %s", dict(counts))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

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
from itertools import pairwise
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
from nlp.corpus import Example, annotation_sets
from nlp.evaluate import MEASURES as EVAL_MEASURES
from nlp.evaluate import Score, is_narrative, load_gold, match
from nlp.train import fit_model, read_corpus

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
    annotations: Path, seed: int = 0, workers: int = 1, corpus: Path | None = None
) -> list[FoldResult]:
    """Run every fold: each document held out once, over every annotated set.

    Training rows come from the saved span corpus (``datasets.load_from_disk``),
    the gold records each fold is scored on from the sets' ``gold/``.

    Args:
        annotations: folder holding ``gold/`` and ``corpus/``, or sets that do.
        seed: training seed.
        workers: folds run in this many processes (results do not depend on it).
        corpus: the saved corpus; ``annotations/spans`` when None.

    Returns:
        One result per document, in set and name order.
    """
    examples, _ = read_corpus(corpus if corpus is not None else annotations)
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
    """``python -m nlp.crossval [--annotations DIR] [--markdown FILE] [--card DIR]``
    (leave one document out over the earlier sets); ``--real`` runs leave one
    city out on the real documents instead."""
    parser = argparse.ArgumentParser(prog="python -m nlp.crossval")
    parser.add_argument(
        "--annotations",
        type=Path,
        default=Path("annotations"),
        help="folder of the annotated sets (gold the folds are scored on)",
    )
    parser.add_argument(
        "--corpus",
        type=Path,
        help="saved span corpus the folds train on (default ANNOTATIONS/spans)",
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workers", type=int, default=1, help="folds in parallel")
    parser.add_argument("--markdown", type=Path, help="write the tables here")
    parser.add_argument("--card", type=Path, help="model folder: write scores.md")
    parser.add_argument(
        "--real", action="store_true", help="leave one city out on real documents"
    )
    parser.add_argument(
        "--train-out", type=Path, help="with --real: train the chosen model here"
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    if args.real:
        return real_main(args)
    results = cross_validate(
        args.annotations, seed=args.seed, workers=args.workers, corpus=args.corpus
    )
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


# --- leave one city out on real documents ----------------------------------------

REAL_SET = "real"
# Score thresholds (keep_rule) and metric-move settings (keep_extra) tried; a
# keep_extra above 1 never moves a metric.
THRESHOLDS = (0.0, 0.01, 0.02, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.6)
MOVES = (1.01, 0.95, 0.8, 0.6)
RELIABILITY_BINS = (0.0, 0.2, 0.4, 0.6, 0.7, 0.8, 0.9, 1.0)


@dataclass(frozen=True, slots=True)
class RealDocument:
    """A real document with statement gold: where it is, its city, gold, scope."""

    path: Path
    doc: str
    city: str
    gold: list[dict[str, Any]]
    scope: dict[str, list[int]]


def real_documents(annotations: Path) -> list[RealDocument]:
    """Real documents whose statement pages were read (``scope.json``)."""
    from nlp.corpus import real_sets
    from nlp.evaluate.load import load_scope

    found = []
    for folder in real_sets(annotations):
        gold = load_gold(folder / "gold")
        for doc, scope in sorted(load_scope(folder / "gold").items()):
            if not scope.get("statement_pages") or doc not in gold:
                continue
            records = [
                r for r in gold[doc]["indicator"] if is_narrative(r, by_origin=True)
            ]
            cities = [r["city"] for r in gold[doc]["indicator"] if r.get("city")]
            city = cities[0] if cities else doc.split("-")[0]
            found.append(RealDocument(folder / "docs" / doc, doc, city, records, scope))
    return found


class DocumentCache:
    """Each document read (and OCR'd) once per run, its tables recovered once.

    ``read`` is what ``nlp.corpus.build_dataset`` takes, so building the corpus
    and extracting the held-out documents share one reading.
    """

    def __init__(self) -> None:
        self._documents: dict[Path, Any] = {}
        self._tables: dict[Path, Any] = {}

    def read(self, path: Path) -> Any:
        """The reader's ``Document`` of ``path``, read on the first call only."""
        from nlp.corpus import read_real_document

        path = Path(path)
        if path not in self._documents:
            self._documents[path] = read_real_document(path)
        return self._documents[path]

    def extract(self, path: Path, model: SpanScorer | None) -> list[dict[str, Any]]:
        """Indicator records of ``path``, rules only or with ``model``."""
        from nlp.assemble import assemble
        from nlp.blocks import recover_tables

        document = self.read(path)
        if path not in self._tables:
            self._tables[path] = recover_tables(document)
        indicators, _ = assemble(document, self._tables[path], path.name, model=model)
        return [record.to_dict() for record in indicators]


def _scoped_statements(
    document: RealDocument, records: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    from nlp.evaluate.scope import restrict

    kept = restrict({"indicator": records, "amount": []}, document.scope)
    return [r for r in kept["indicator"] if is_narrative(r, by_origin=True)]


@dataclass(slots=True)
class CityResult:
    """Out-of-fold statements of one held-out city.

    Attributes:
        city: the city held out.
        rules: doc → statements the rules alone give.
        model: keep_extra → doc → statements with the fold model's raw score as
            ``confidence`` (nothing dropped: thresholds are applied afterwards).
        train_rows: examples the fold's model was trained on.
    """

    city: str
    rules: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    model: dict[float, dict[str, list[dict[str, Any]]]] = field(default_factory=dict)
    train_rows: int = 0


def leave_one_city_out(
    examples: Sequence[Example],
    documents: Sequence[RealDocument],
    seed: int = 0,
    cache: DocumentCache | None = None,
) -> list[CityResult]:
    """Train without every document of a city, extract that city's documents.

    Training keeps every example of the earlier sets and the real documents of
    the other cities; no row of the held-out city's documents is used.
    """
    from dataclasses import replace

    from nlp.classify import ModelParams

    cache = cache or DocumentCache()
    results = []
    for city in sorted({d.city for d in documents}):
        held = [d for d in documents if d.city == city]
        held_docs = {d.doc for d in held}
        train = [e for e in examples if e.doc not in held_docs and e.city != city]
        classifier, _ = fit_model(train, seed=seed)
        base = classifier.export(ModelParams(keep_rule=0.0), {})
        result = CityResult(city, train_rows=len(train))
        for document in held:
            rules = cache.extract(document.path, None)
            result.rules[document.doc] = _scoped_statements(document, rules)
        for move in MOVES:
            model = replace(base, params=replace(base.params, keep_extra=move))
            result.model[move] = {
                d.doc: _scoped_statements(d, cache.extract(d.path, model)) for d in held
            }
        logger.info("%s: fold done (%d training rows)", city, len(train))
        results.append(result)
    return results


def _statement_score(
    gold: list[dict], pred: list[dict], kind: str | None = None
) -> tuple[Score, set[int]]:
    """Statement Score (of one kind, or all) and the indices of the predictions
    that matched a gold statement."""
    if kind is not None:
        gold = [r for r in gold if (r.get("kind") or "target") == kind]
        pred = [r for r in pred if (r.get("kind") or "target") == kind]
    tp, missing, spurious = match(gold, pred, _measure("statement"))
    wrong = set(spurious)
    return Score(tp=tp, fp=len(spurious), fn=len(missing)), {
        i for i in range(len(pred)) if i not in wrong
    }


def _kept(records: list[dict], threshold: float) -> list[dict]:
    return [r for r in records if r.get("confidence", 1.0) >= threshold]


def choose_setting(
    results: Sequence[CityResult], documents: Sequence[RealDocument]
) -> tuple[tuple[float, float], dict[tuple[float, float], Score]]:
    """The (keep_extra, keep_rule) with the best pooled out-of-fold statement F1;
    on a tie the one that changes the rules least."""
    gold = {d.doc: d.gold for d in documents}
    grid: dict[tuple[float, float], Score] = {}
    for move in MOVES:
        for threshold in THRESHOLDS:
            total = Score()
            for result in results:
                for doc, records in result.model[move].items():
                    total = (
                        total
                        + _statement_score(gold[doc], _kept(records, threshold))[0]
                    )
            grid[(move, threshold)] = total
    best = max(grid, key=lambda k: (round(grid[k].f1, 6), k[0], -k[1]))
    return best, grid


def reliability(
    results: Sequence[CityResult],
    documents: Sequence[RealDocument],
    move: float,
) -> list[tuple[str, float, bool]]:
    """(city, raw score, correct) of every out-of-fold model statement."""
    gold = {d.doc: d.gold for d in documents}
    rows = []
    for result in results:
        for doc, records in result.model[move].items():
            _, correct = _statement_score(gold[doc], records)
            rows += [
                (result.city, float(r.get("confidence", 0.0)), i in correct)
                for i, r in enumerate(records)
            ]
    return rows


def fit_calibration(points: Sequence[tuple[float, bool]]) -> dict[str, list[float]]:
    """Isotonic score → observed precision points (for ``SpanScorer.calibrated``)."""
    from sklearn.isotonic import IsotonicRegression

    if len({c for _, c in points}) < 2:
        share = sum(c for _, c in points) / len(points) if points else 0.0
        return {"score": [0.0, 1.0], "precision": [share, share]}
    iso = IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip")
    iso.fit([s for s, _ in points], [float(c) for _, c in points])
    return {
        "score": [round(float(x), 6) for x in iso.X_thresholds_],
        "precision": [round(float(y), 6) for y in iso.y_thresholds_],
    }


def cross_fitted(rows: Sequence[tuple[str, float, bool]]) -> list[tuple[float, bool]]:
    """Each city's scores calibrated on the other cities only (honest reliability)."""
    import numpy as np

    out = []
    for city in sorted({c for c, _, _ in rows}):
        others = [(s, ok) for c, s, ok in rows if c != city]
        points = fit_calibration(others)
        out += [
            (float(np.interp(s, points["score"], points["precision"])), ok)
            for c, s, ok in rows
            if c == city
        ]
    return out


def reliability_table(points: Sequence[tuple[float, bool]]) -> list[str]:
    """Markdown rows: bin, statements, mean predicted, observed precision."""
    lines = [
        "| confidence | statements | mean predicted | observed precision |",
        "| --- | --- | --- | --- |",
    ]
    edges = RELIABILITY_BINS
    for low, high in pairwise(edges):
        inside = [
            (p, ok) for p, ok in points if low <= p < high or (high == 1.0 and p == 1.0)
        ]
        if not inside:
            lines.append(f"| {low:.1f}–{high:.1f} | 0 | — | — |")
            continue
        mean = sum(p for p, _ in inside) / len(inside)
        observed = sum(ok for _, ok in inside) / len(inside)
        lines.append(
            f"| {low:.1f}–{high:.1f} | {len(inside)} | {mean:.3f} | {observed:.3f} |"
        )
    return lines


def _f1_cell(score: Score) -> str:
    if score.tp + score.fp + score.fn == 0:
        return "—"
    return _cell(score)


def render_real(
    results: Sequence[CityResult],
    documents: Sequence[RealDocument],
    setting: tuple[float, float],
    grid: dict[tuple[float, float], Score],
    rows: Sequence[tuple[str, float, bool]],
) -> str:
    """Leave-one-city-out tables: per document and city, the grid, reliability."""
    move, threshold = setting
    gold = {d.doc: d.gold for d in documents}
    lines = [
        "### Real documents, leave one city out: rules only vs rules + model",
        "",
        "Statement F1 (TP/FP/FN) of prose statements on the annotated statement "
        "pages; the model of each city was trained without any document of that "
        f"city. Chosen setting: keep_rule {threshold}, keep_extra {move} "
        "(a keep_extra above 1 never moves a metric).",
        "",
        "| city | document | rules | rules + model | target: rules → model | "
        "actual: rules → model |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    totals: dict[str, Score] = {}
    per_city: dict[str, dict[str, Score]] = {}
    for result in results:
        for doc, rules in result.rules.items():
            model = _kept(result.model[move][doc], threshold)
            cells = {
                "rules": _statement_score(gold[doc], rules)[0],
                "model": _statement_score(gold[doc], model)[0],
            }
            for kind in ("target", "actual"):
                cells[f"rules:{kind}"] = _statement_score(gold[doc], rules, kind)[0]
                cells[f"model:{kind}"] = _statement_score(gold[doc], model, kind)[0]
            city = per_city.setdefault(result.city, {})
            for key, score in cells.items():
                city[key] = city.get(key, Score()) + score
                totals[key] = totals.get(key, Score()) + score
            lines.append(_real_row(result.city, doc, cells))
    for city, cells in per_city.items():
        lines.append(_real_row(f"**{city}**", "all", cells))
    lines.append(_real_row("**all**", "all", totals))
    lines += [
        "",
        "Pooled out-of-fold statement F1 by setting (keep_extra × keep_rule):",
        "",
        "| keep_extra | " + " | ".join(str(t) for t in THRESHOLDS) + " |",
        "| --- |" + " --- |" * len(THRESHOLDS),
    ]
    for m in MOVES:
        cells = " | ".join(f"{grid[(m, t)].f1:.3f}" for t in THRESHOLDS)
        lines.append(f"| {m} | {cells} |")
    kept_rows = [(c, s, ok) for c, s, ok in rows if s >= threshold]
    lines += [
        "",
        "### Reliability of `confidence` (out of fold)",
        "",
        "Statements the model keeps, binned by confidence: each city's scores "
        "calibrated on the other cities only.",
        "",
        *reliability_table(cross_fitted(kept_rows)),
        "",
        "Before calibration (the raw P(METRIC) × P(value)):",
        "",
        *reliability_table([(s, ok) for _, s, ok in kept_rows]),
        "",
    ]
    return "\n".join(lines)


def _real_row(city: str, doc: str, cells: dict[str, Score]) -> str:
    return (
        f"| {city} | {doc} | {_f1_cell(cells['rules'])} | {_f1_cell(cells['model'])} "
        f"| {_f1_cell(cells['rules:target'])} → {_f1_cell(cells['model:target'])} "
        f"| {_f1_cell(cells['rules:actual'])} → {_f1_cell(cells['model:actual'])} |"
    )


@dataclass(frozen=True, slots=True)
class RealChoice:
    """What leave one city out chose and the tables that show why.

    Attributes:
        params: the decoding settings chosen (keep_rule, keep_extra).
        calibration: score → observed precision points of the kept statements.
        markdown: per-document and per-city tables, the grid, reliability.
    """

    params: Any
    calibration: dict[str, list[float]]
    markdown: str


def choose_real(
    annotations: Path,
    corpus: Path | None = None,
    seed: int = 0,
    cache: DocumentCache | None = None,
) -> RealChoice:
    """Leave one city out on the real documents, from the saved corpus.

    Args:
        annotations: the folder holding the real set (``real/gold``, ``real/docs``).
        corpus: the saved span corpus; ``annotations/spans`` when None.
        seed: training seed.
        cache: documents already read (``nlp.retrain`` shares the corpus's).
    """
    from nlp.classify import ModelParams

    examples, _ = read_corpus(corpus if corpus is not None else annotations)
    documents = real_documents(annotations)
    results = leave_one_city_out(examples, documents, seed=seed, cache=cache)
    setting, grid = choose_setting(results, documents)
    rows = reliability(results, documents, setting[0])
    kept = [(s, ok) for _, s, ok in rows if s >= setting[1]]
    return RealChoice(
        params=ModelParams(keep_rule=setting[1], keep_extra=setting[0]),
        calibration=fit_calibration(kept),
        markdown=render_real(results, documents, setting, grid, rows),
    )


def train_chosen(choice: RealChoice, corpus: Path, out: Path, seed: int = 0) -> Any:
    """Write ``scores.md``, then train on the whole corpus with the chosen settings
    (the model card includes the scores).

    Returns:
        The :class:`nlp.train.TrainReport`.
    """
    from nlp.train import train

    Path(out).mkdir(parents=True, exist_ok=True)
    (Path(out) / "scores.md").write_text(choice.markdown, encoding="utf-8")
    return train(
        corpus, out, seed=seed, params=choice.params, calibration=choice.calibration
    )


def real_main(args: argparse.Namespace) -> int:
    """Leave one city out, choose the setting, optionally train the shipped model."""
    choice = choose_real(args.annotations, args.corpus, seed=args.seed)
    logger.info("\n%s", choice.markdown)
    if args.markdown:
        args.markdown.write_text(choice.markdown, encoding="utf-8")
    if args.train_out:
        corpus = args.corpus if args.corpus is not None else args.annotations
        train_chosen(choice, corpus, args.train_out, seed=args.seed)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

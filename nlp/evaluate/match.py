"""Multiset matching of gold and predicted records, and per-document scoring."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Sequence

from nlp.evaluate.measures import (
    ERROR_MEASURES,
    MEASURES,
    SUBSETS,
    Measure,
    Record,
    RecordType,
    Subset,
    _in_subset,
    record_spans,
)
from nlp.evaluate.scores import ErrorItem, Score, ScoreRow


def _pair_in_order(gold: list[int], pred: list[int]) -> list[tuple[int, int]]:
    return list(zip(gold, pred, strict=False))


def _max_matching(
    gold: Sequence[int], pred: Sequence[int], ok: Callable[[int, int], bool]
) -> list[tuple[int, int]]:
    """Maximum bipartite matching (Kuhn's augmenting paths)."""
    edges = {g: [p for p in pred if ok(g, p)] for g in gold}
    owner: dict[int, int] = {}

    def augment(g: int, seen: set[int]) -> bool:
        for p in edges[g]:
            if p in seen:
                continue
            seen.add(p)
            if p not in owner or augment(owner[p], seen):
                owner[p] = g
                return True
        return False

    for g in gold:
        augment(g, set())
    return [(g, p) for p, g in owner.items()]


def match(
    gold: Sequence[Record], pred: Sequence[Record], measure: Measure
) -> tuple[int, list[int], list[int]]:
    """Match records under ``measure`` as multisets.

    Returns:
        (matched pairs, indices of unmatched gold, indices of unmatched pred).
    """
    groups: dict[Hashable, tuple[list[int], list[int]]] = defaultdict(lambda: ([], []))
    for i, record in enumerate(gold):
        groups[measure.key(record)][0].append(i)
    for i, record in enumerate(pred):
        groups[measure.key(record)][1].append(i)
    matched, missing, spurious = 0, [], []
    for g_idx, p_idx in groups.values():
        pairs = _pair_group(gold, pred, g_idx, p_idx, measure)
        matched += len(pairs)
        used_g = {g for g, _ in pairs}
        used_p = {p for _, p in pairs}
        missing += [g for g in g_idx if g not in used_g]
        spurious += [p for p in p_idx if p not in used_p]
    return matched, sorted(missing), sorted(spurious)


def _pair_group(
    gold: Sequence[Record],
    pred: Sequence[Record],
    g_idx: list[int],
    p_idx: list[int],
    measure: Measure,
) -> list[tuple[int, int]]:
    """Pairs within one key group; identical records first for lenient measures."""
    if measure.compatible is None or measure.exact is None:
        return _pair_in_order(g_idx, p_idx)
    exact = match(
        [gold[i] for i in g_idx],
        [pred[i] for i in p_idx],
        Measure(measure.name, measure.record, measure.exact),
    )
    _, rest_g_local, rest_p_local = exact
    rest_g = [g_idx[i] for i in rest_g_local]
    rest_p = [p_idx[i] for i in rest_p_local]
    unpaired_g, unpaired_p = set(rest_g), set(rest_p)
    paired_g = [g for g in g_idx if g not in unpaired_g]
    paired_p = [p for p in p_idx if p not in unpaired_p]
    compatible = measure.compatible
    loose = _max_matching(rest_g, rest_p, lambda g, p: compatible(gold[g], pred[p]))
    return list(zip(paired_g, paired_p, strict=True)) + loose


def _describe(record: Record, measure: Measure) -> str:
    key = measure.exact(record) if measure.exact else measure.key(record)
    parts = key if isinstance(key, tuple) else (key,)
    return " | ".join("∅" if part is None else str(part) for part in parts)


def _errors(
    doc: str,
    gold: Sequence[Record],
    pred: Sequence[Record],
    measure: Measure,
    missing: list[int],
    spurious: list[int],
) -> list[ErrorItem]:
    items = []
    for kind, records, indices in (
        ("missing", gold, missing),
        ("spurious", pred, spurious),
    ):
        for i in indices:
            source = records[i].get("source") or {}
            items.append(
                ErrorItem(
                    doc=doc,
                    record=measure.record,
                    kind=kind,
                    measure=measure.name,
                    key=_describe(records[i], measure),
                    source_text=source.get("text"),
                    line=source.get("line"),
                )
            )
    return items


def _compared(
    measure: Measure, record: Record, subset: Subset, by_origin: bool
) -> bool:
    applies = measure.applies is None or measure.applies(record)
    return applies and _in_subset(record, subset, by_origin)


def score_document(
    doc: str,
    gold: dict[RecordType, list[Record]],
    pred: dict[RecordType, list[Record]],
) -> tuple[tuple[ScoreRow, ...], tuple[ErrorItem, ...]]:
    """Every measure on every subset for one document, and its errors.

    Gold that states each record's ``origin`` (table or prose) splits both sides by
    origin; older gold splits them by the level rule of :func:`is_narrative`.
    """
    by_origin = any("origin" in r for rs in gold.values() for r in rs)
    gold = {**gold, "span": record_spans(gold["indicator"], gold["amount"])}
    pred = {**pred, "span": record_spans(pred["indicator"], pred["amount"])}
    rows, errors = [], []
    for measure in MEASURES:
        for subset in SUBSETS:
            g = [
                r
                for r in gold[measure.record]
                if _compared(measure, r, subset, by_origin)
            ]
            p = [
                r
                for r in pred[measure.record]
                if _compared(measure, r, subset, by_origin)
            ]
            tp, missing, spurious = match(g, p, measure)
            score = Score(tp=tp, fp=len(spurious), fn=len(missing))
            rows.append(ScoreRow(measure.record, measure.name, subset, score))
            if subset == "all" and measure.name in ERROR_MEASURES:
                errors += _errors(doc, g, p, measure, missing, spurious)
    return tuple(rows), tuple(errors)

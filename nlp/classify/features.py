"""What the span model reads: one record per candidate and its feature counts."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Mapping, Sequence
from operator import itemgetter
from typing import Any

from nlp.classify.candidates import _CELL_SEPARATOR, Candidate
from nlp.classify.rules import StatementKind


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
    left_token, right_token = _tokens_around(text, token_bounds, s, e)
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


def _tokens_around(
    text: str, token_bounds: Sequence[tuple[int, int]], start: int, end: int
) -> tuple[str, str]:
    """The last non-blank token ending by ``start`` and the first starting at or
    after ``end`` ("" when there is none).

    The bounds are in text order, so both are found by bisection: a paragraph of
    thousands of tokens with hundreds of candidates stays fast.
    """
    left = ""
    i = bisect_right(token_bounds, start, key=itemgetter(1)) - 1
    while i >= 0:
        ts, te = token_bounds[i]
        if text[ts:te].strip():
            left = text[ts:te]
            break
        i -= 1
    right = ""
    j = bisect_left(token_bounds, end, key=itemgetter(0))
    while j < len(token_bounds):
        ts, te = token_bounds[j]
        if text[ts:te].strip():
            right = text[ts:te]
            break
        j += 1
    return left, right


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

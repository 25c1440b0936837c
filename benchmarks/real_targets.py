"""The target normalizer on every target string of the real corpus's gold.

Run: ``python -m benchmarks.real_targets [--gold DIR] [--guideline FILE] [--list]``.

Every ``target``, ``target_period`` and ``actual`` of
``annotations/real/gold/*.indicators.jsonl`` is read again from its ``raw`` text with
``normalize_target`` and compared with the annotators' canonical ``text``:

- **qual with a digit**: targets ours leaves ``qual`` although they hold a digit.
  Each must be listed in the guideline's rule 41 (``annotations/README.md``, the
  deliberate ``qual`` targets, read by this script: the strings in backticks of the
  rule's list items); one that is not is reported and makes the script exit
  non-zero;
- **agreement**: the share of strings whose canonical text equals the annotators'.
  ``--list`` prints every difference with the notes of our reading, so each can
  be checked against the reasons ``benchmarks/README.md`` gives.
"""

from __future__ import annotations

import argparse
import json
import logging
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from nlp.normalize.target import normalize_target
from nlp.records import Target

log = logging.getLogger(__name__)

REPO = Path(__file__).resolve().parent.parent
GOLD = REPO / "annotations" / "real" / "gold"
GUIDELINE = REPO / "annotations" / "README.md"
TARGET_FIELDS = ("target", "target_period", "actual")
_DIGIT_RE = re.compile(r"[0-9０-９]")
_RULE_41_RE = re.compile(r"^41\. (?P<body>.*?)(?=^\d+\. |^#|\Z)", re.M | re.S)
_ITEM_RE = re.compile(
    r"^\s*- \*\*(?P<reason>[^*]+)\*\*(?P<rest>.*?)(?=^\s*- |\Z)", re.M | re.S
)
_BACKTICK_RE = re.compile(r"`([^`]+)`")


@dataclass(frozen=True, slots=True)
class GoldString:
    """One target string of the gold: as printed, as the annotators wrote it."""

    raw: str
    text: str
    origin: str


@dataclass(frozen=True, slots=True)
class Result:
    """What the normalizer made of the gold's target strings."""

    strings: int
    agree: int
    qual_digit: Counter[str]
    unlisted: Counter[str]
    reasons: dict[str, str]
    differences: Counter[tuple[str, str, str, str]]


def gold_strings(gold: Path) -> Iterator[GoldString]:
    """Every target string of the gold's indicator records, in file order."""
    for path in sorted(gold.glob("*.indicators.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            for name in TARGET_FIELDS:
                target = record.get(name)
                if isinstance(target, dict) and target.get("raw") is not None:
                    yield GoldString(target["raw"], target["text"], record["origin"])


def deliberate_qual(guideline: Path) -> dict[str, str]:
    """The deliberate ``qual`` targets of rule 41: text → the reason's heading."""
    match = _RULE_41_RE.search(guideline.read_text(encoding="utf-8"))
    if match is None:
        return {}
    listed: dict[str, str] = {}
    for item in _ITEM_RE.finditer(match.group("body")):
        for text in _BACKTICK_RE.findall(item.group("rest")):
            listed[re.sub(r"\s+", "", text)] = item.group("reason").strip()
    return listed


def run(gold: Path, guideline: Path) -> Result:
    """Normalize every gold string and count the figures of the module docstring."""
    listed = deliberate_qual(guideline)
    strings = agree = 0
    qual_digit: Counter[str] = Counter()
    unlisted: Counter[str] = Counter()
    differences: Counter[tuple[str, str, str, str]] = Counter()
    for item in gold_strings(gold):
        strings += 1
        target = normalize_target(item.raw)
        if target.text == item.text:
            agree += 1
        else:
            differences[(item.raw, item.text, target.text, _notes(target))] += 1
        if target.op == "qual" and _DIGIT_RE.search(item.raw):
            qual_digit[target.text] += 1
            if target.text not in listed:
                unlisted[target.text] += 1
    reasons = {text: listed[text] for text in qual_digit if text in listed}
    return Result(strings, agree, qual_digit, unlisted, reasons, differences)


def _notes(target: Target) -> str:
    return f"{target.op} " + ",".join(target.notes)


def report(result: Result, show_differences: bool) -> str:
    """The figures, the deliberate qual targets by reason, and what is unlisted."""
    qual = sum(result.qual_digit.values())
    lines = [
        f"target strings: {result.strings} ({len(result.differences)} differ, "
        f"{len(result.qual_digit)} distinct qual with a digit)",
        f"qual with a digit: {qual} ({qual / result.strings:.1%}), "
        f"not listed in rule 41: {sum(result.unlisted.values())}",
        f"text agrees with the annotators': {result.agree}/{result.strings} "
        f"({result.agree / result.strings:.3f})",
    ]
    by_reason: dict[str, list[str]] = {}
    for text, count in result.qual_digit.items():
        reason = result.reasons.get(text, "NOT LISTED: a defect")
        by_reason.setdefault(reason, []).append(f"{text} ×{count}")
    for reason, texts in sorted(by_reason.items()):
        lines.append(f"- {reason}: " + "; ".join(texts))
    if show_differences:
        lines.append("differences (raw | annotators | ours | op notes):")
        for (raw, gold, ours, notes), count in result.differences.most_common():
            lines.append(f"  {count}× {raw} | {gold} | {ours} | {notes}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> None:
    """Run over the gold and log the report; exit non-zero on an unlisted qual."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, default=GOLD)
    parser.add_argument("--guideline", type=Path, default=GUIDELINE)
    parser.add_argument("--list", action="store_true", help="print every difference")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    result = run(args.gold, args.guideline)
    log.info("%s", report(result, args.list))
    if result.unlisted:
        raise SystemExit(1)


if __name__ == "__main__":
    main()

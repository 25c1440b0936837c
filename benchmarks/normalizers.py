"""Throughput and accuracy of the normalizers against JioNLP, on the seed documents.

Run: ``python -m benchmarks.normalizers [--seeds DIR] [--repeats N]``.

Inputs are cut from the seed documents (``shared/seeds/*.txt`` beside the
repository, else ``annotations/corpus``) by plain line and cell splitting:

- target strings: table cells (split on tabs and ``|``) of at most 16 characters
  that start with a comparison or a digit and hold a unit or ``%``, or that are one
  of the qualitative targets the tables use (显著, 有效, 不适用 ...);
- amount strings: every ``number + 元/万元/亿元/万/亿`` run found by a deliberately
  simple regular expression, independent of the grammar being measured;
- paragraphs: the documents split on blank lines, for ``find_amounts``.

Accuracy is counted only where the answer is written down by hand below: amount
strings with their value in yuan (:data:`AMOUNT_CASES`) and paragraphs with the
values of every amount in them (:data:`PARAGRAPH_CASES`).

Timing: one warm-up pass, then ``--repeats`` timed passes over all inputs with
:func:`time.perf_counter`, zhibiao and JioNLP taking turns pass by pass; best and
median calls per second are reported.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import logging
import re
import statistics
import time
from collections import Counter
from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from nlp.normalize.amounts import find_amounts
from nlp.normalize.money import parse_money

log = logging.getLogger(__name__)

REPO = Path(__file__).resolve().parent.parent
SEED_DIRS = (REPO.parent / "shared" / "seeds", REPO / "annotations" / "corpus")

QUALITATIVE = frozenset(
    {"显著", "有效", "及时", "是", "否", "验收合格", "不适用", "提升", "重点解决",
     "有效促进", "有效保障", "得到提升", "显著提升", "持续提升", "合格通过", "提高"}
)  # fmt: skip
TARGET_CELL = re.compile(
    r"(?:[≥≤><≧≦]|大于|小于|不低于|不高于|不少于|至少|每季度)?\s*[0-9][0-9.,，\s]*"
    r"(?:%|％|次|人|个|份|项|篇|套|场|年|台|批|元|万元)?.*"
)
SIMPLE_AMOUNT = re.compile(r"[0-9][0-9,.]*(?:[,.] ?[0-9]+)*\s*(?:万元|亿元|元|万|亿)")

# (amount string, value in yuan, upper end or None), values worked out by hand.
AMOUNT_CASES: tuple[tuple[str, str, str | None], ...] = (
    ("3,293 万元", "32930000", None),
    ("746.1 万元", "7461000", None),
    ("2,475.65 万元", "24756500", None),
    ("0.9 万元", "9000", None),
    ("0 万元", "0", None),
    ("1,742.74 万元", "17427400", None),
    ("88,808.45 万元", "888084500", None),
    ("87,300.0 万元", "873000000", None),
    ("87, 300. 0 万元", "873000000", None),
    ("97. 0 万元", "970000", None),
    ("96. 93 万元", "969300", None),
    ("52. 34\n\n万元", "523400", None),
    ("43,000.0\n\n万元", "430000000", None),
    ("100. 0万元", "1000000", None),
    ("63.8 亿", "6380000000", None),
    ("8.73 亿元", "873000000", None),
    ("1.43 亿元", "143000000", None),
    ("20,000.0元", "20000", None),
    ("12,995.65元", "12995.65", None),
    ("279,900.0万元", "2799000000", None),
    ("1925.35万元", "19253500", None),
    ("3300元", "3300", None),
    ("1207013.28元", "1207013.28", None),
    ("480339.6元", "480339.6", None),
    ("24万元", "240000", None),
    ("6.24万", "62400", None),
    ("1720.00万", "17200000", None),
    ("50 万元以上", "500000", None),
    ("50万元（含）以上", "500000", None),
    ("１２３元", "123", None),
    ("87，300.0万元", "873000000", None),
    ("1.5万亿", "1500000000000", None),
    ("3千万", "30000000", None),
    ("壹万贰仟元整", "12000", None),
    ("人民币伍佰元", "500", None),
    ("两千元", "2000", None),
    ("三块五毛", "3.5", None),
    ("十余万元", "100000", "200000"),
    ("约5万元", "50000", None),
    ("1万-5万元", "10000", "50000"),
    ("两到三万港元", "20000", "30000"),
    ("10~15k", "10000", "15000"),
    ("3至5万元", "30000", "50000"),
    ("不超过5万美元", "50000", None),
)

# (paragraph, values in yuan of every amount in it, in order), read by hand.
PARAGRAPH_CASES: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "深圳市福田区活力城区建设事务中心预算 3,293 万元，包括人员支出 746.1 万元、"
        "公用支出 57.35 万元、对个人和家庭的补助支出"
        " 13.9 万元、项目支出 2,475.65 万元。",
        ("32930000", "7461000", "573500", "139000", "24756500"),
    ),
    (
        "截至 2021 年 10 月，深圳市福田区活力城"
        "区建设事务中心共有车辆 0 辆；单价 50 万元"
        "以上通用设备 0 台（套），单价 100 万元以上专用设备 0 台（套）。",
        ("500000", "1000000"),
    ),
    (
        "2024 年，我中心年度预算金额 88,808.45 万元，其中：一般公共预算资金 1,745.17 "
        "万元，政府性基金预算资金 43,000.0\n\n万元，全年预算执行数 88,788.04 万元。一至"
        "四季度执行率分别为 41.58%、52.47%、62.4% 和 99.98%。",
        ("888084500", "17451700", "430000000", "887880400"),
    ),
    (
        "6) 河湾北片区改造项目（南华村棚改）项目全年预算数 87, 300. 0 万元，全年执行数 "
        "87, 300. 0 万元，执行率为 100. 0%。南华村棚改项目 1 标段回迁区完成 13 栋塔楼"
        "主体结构施工全部封顶，同时提供了 500 个建设工作岗位。",
        ("873000000", "873000000"),
    ),
    (
        "全年实现固投纳统 63.8 亿。通过全面梳"
        "理项目建设进度计划、资金需求，今年累计拨付 "
        "8.73 亿元。共完成 8 家企业注册落户福田，注册资金共 1.43 亿元。",
        ("6380000000", "873000000", "143000000"),
    ),
    (
        "我中心日常公用经费年初预算数29.08万元，全年预算调整数为279,900.0万元，实际支出"
        "279,282.0万元，日常公用经费控制率为99.78%。",
        ("290800", "2799000000", "2792820000"),
    ),
    (
        "2021年预算收入为1925.35万元,其中：一般公共预算收入1925.35万元，基金预算收入0万元，"
        "财政专户收入0万元，其他来源收入0万元。",
        ("19253500", "19253500", "0", "0", "0"),
    ),
    (
        "根据《福田区财政局关于印发〈福田区 2024 年部门预算和 2024—2026 年中期财政规划"
        "编制方案〉的通知》（福财〔2023〕118 号）文"
        "件，2024 年 11 月 19 日及时完成验收，"
        "共完成 2,552 户选房确认手续，累计开展80场宣讲会。",
        (),
    ),
    (
        "1、微信公众号运营项目经费：支付2020年合同款项6.24万；2121年合同款项14.56万元。",
        ("62400", "145600"),
    ),
)


def seed_dir(explicit: str | None) -> Path:
    """The first seed directory that exists."""
    candidates = [Path(explicit)] if explicit else list(SEED_DIRS)
    for path in candidates:
        if path.is_dir() and any(path.glob("*.txt")):
            return path
    raise SystemExit(f"no seed documents in {', '.join(map(str, candidates))}")


def load_inputs(path: Path) -> tuple[list[str], list[str], list[str]]:
    """Target strings, amount strings and paragraphs cut from the seed files."""
    targets: list[str] = []
    amounts: list[str] = []
    paragraphs: list[str] = []
    for file in sorted(path.glob("*.txt")):
        text = file.read_text(encoding="utf-8")
        for line in text.splitlines():
            for cell in re.split(r"[\t|]", line):
                cell = cell.strip()
                if not cell or len(cell) > 16:
                    continue
                if cell in QUALITATIVE or (
                    TARGET_CELL.fullmatch(cell) and not cell.replace(".", "").isdigit()
                ):
                    targets.append(cell)
        amounts.extend(m.group() for m in SIMPLE_AMOUNT.finditer(text))
        paragraphs.extend(p for p in re.split(r"\n\s*\n", text) if p.strip())
    return targets, amounts, paragraphs


def _timed_pass(fn: Callable[[str], Any], inputs: Sequence[str]) -> float:
    """Seconds for one call of ``fn`` on every input (errors count as calls)."""
    start = time.perf_counter()
    for item in inputs:
        try:
            fn(item)
        except Exception:
            continue
    return time.perf_counter() - start


def calls_per_second(
    fns: Sequence[Callable[[str], Any]], inputs: Sequence[str], repeats: int
) -> list[tuple[float, float]]:
    """Best and median calls/s of each of ``fns`` over ``inputs``.

    The functions take turns, pass by pass, so a change in the machine's load
    falls on all of them alike and their ratio stays fair.
    """
    for fn in fns:
        _timed_pass(fn, inputs)  # warm-up: imports, regex caches, lazy dictionaries
    times: list[list[float]] = [[] for _ in fns]
    for _ in range(repeats):
        for fn, seconds in zip(fns, times, strict=True):
            seconds.append(_timed_pass(fn, inputs))
    n = len(inputs)
    return [(n / min(t), n / statistics.median(t)) for t in times]


# -- adapters: the same question asked of both libraries --------------------------


def ours_money(text: str) -> tuple[Decimal, Decimal | None] | None:
    try:
        money = parse_money(text)
    except ValueError:
        return None
    return money.value, money.value_max


def jio_money(jio: Any) -> Callable[[str], tuple[Decimal, Decimal | None] | None]:
    def parse(text: str) -> tuple[Decimal, Decimal | None] | None:
        try:
            result = jio.parse_money(text)
        except Exception:  # JioNLP raises a bare ValueError/Exception on bad input
            return None
        num = result.get("num")
        if isinstance(num, list):
            return Decimal(num[0]), Decimal(num[1])
        return (Decimal(num), None) if num is not None else None

    return parse


def ours_find(text: str) -> list[Decimal]:
    return [span.money.value for span in find_amounts(text)]


def jio_find(jio: Any) -> Callable[[str], list[Decimal]]:
    def find(text: str) -> list[Decimal]:
        values = []
        for item in jio.ner.extract_money(text, with_parsing=True):
            num = (item.get("detail") or {}).get("num")
            if isinstance(num, list):
                num = num[0]
            values.append(Decimal(num) if num is not None else Decimal(-1))
        return values

    return find


def score_money(parse: Callable[[str], Any]) -> int:
    """How many of :data:`AMOUNT_CASES` ``parse`` gets exactly right."""
    right = 0
    for text, value, value_max in AMOUNT_CASES:
        want = (Decimal(value), Decimal(value_max) if value_max else None)
        right += parse(text) == want
    return right


def score_find(find: Callable[[str], list[Decimal]]) -> tuple[int, int, int, int]:
    """Paragraphs exactly right, and true/false positives and misses on values."""
    exact = tp = fp = fn = 0
    for text, values in PARAGRAPH_CASES:
        got = find(text)
        want = [Decimal(v) for v in values]
        exact += got == want
        hit = Counter(got) & Counter(want)
        tp += sum(hit.values())
        fp += len(got) - sum(hit.values())
        fn += len(want) - sum(hit.values())
    return exact, tp, fp, fn


def load_jionlp() -> Any | None:
    """JioNLP, imported quietly (it prints a banner), or None when missing."""
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            import jionlp
    except ImportError:
        return None
    return jionlp


def run(seeds: Path, repeats: int) -> list[dict[str, Any]]:
    """Measure every normalizer; one result row per function."""
    targets, amounts, paragraphs = load_inputs(seeds)
    log.info(
        "seeds %s: %d target strings, %d amount strings, %d paragraphs",
        seeds, len(targets), len(amounts), len(paragraphs),
    )  # fmt: skip
    jio = load_jionlp()
    if jio is None:
        log.info("jionlp is not installed: its columns are skipped")
    rows: list[dict[str, Any]] = []

    try:
        from nlp.normalize.target import normalize_target
    except ImportError:
        log.info("nlp.normalize.target is not available: normalize_target skipped")
    else:
        (ours,) = calls_per_second([normalize_target], targets, repeats)
        rows.append({"name": "normalize_target", "n": len(targets), "ours": ours})

    row: dict[str, Any] = {"name": "parse_money", "n": len(amounts)}
    row["right"] = (score_money(ours_money), len(AMOUNT_CASES))
    if jio is None:
        (row["ours"],) = calls_per_second([parse_money], amounts, repeats)
    else:
        row["ours"], row["jio"] = calls_per_second(
            [parse_money, jio.parse_money], amounts, repeats
        )
        row["jio_right"] = score_money(jio_money(jio))
    rows.append(row)

    row = {"name": "find_amounts", "n": len(paragraphs)}
    row["find"] = score_find(ours_find)
    if jio is None:
        (row["ours"],) = calls_per_second([find_amounts], paragraphs, repeats)
    else:
        row["ours"], row["jio"] = calls_per_second(
            [find_amounts, lambda t: jio.ner.extract_money(t, with_parsing=True)],
            paragraphs,
            repeats,
        )
        row["jio_find"] = score_find(jio_find(jio))
    rows.append(row)
    return rows


def report(rows: list[dict[str, Any]]) -> str:
    """The results as a Markdown table and accuracy lines."""
    lines = [
        "| function | inputs | zhibiao calls/s best / median | JioNLP calls/s best / "
        "median | ratio (best) |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for row in rows:
        ours = row["ours"]
        jio = row.get("jio")
        jio_cell = f"{jio[0]:,.0f} / {jio[1]:,.0f}" if jio else "—"
        ratio = f"{ours[0] / jio[0]:.1f}×" if jio else "—"
        lines.append(
            f"| {row['name']} | {row['n']} | {ours[0]:,.0f} / {ours[1]:,.0f} | "
            f"{jio_cell} | {ratio} |"
        )
    lines.append("")
    for row in rows:
        if "right" in row:
            right, total = row["right"]
            jio_right = row.get("jio_right")
            lines.append(
                f"- parse_money, hand-checked amount strings right: zhibiao "
                f"{right}/{total}, JioNLP "
                f"{'—' if jio_right is None else f'{jio_right}/{total}'}"
            )
        if "find" in row:
            total = len(PARAGRAPH_CASES)
            for who, key in (("zhibiao", "find"), ("JioNLP", "jio_find")):
                if key in row:
                    exact, tp, fp, fn = row[key]
                    lines.append(
                        f"- find_amounts, {who}: {exact}/{total} paragraphs exactly "
                        f"right; amounts found right {tp}, spurious {fp}, missed {fn}"
                    )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> None:
    """Parse arguments, run the benchmark, log the report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", help="directory of seed .txt files")
    parser.add_argument("--repeats", type=int, default=7, help="timed passes")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    rows = run(seed_dir(args.seeds), args.repeats)
    log.info("%s", report(rows))


if __name__ == "__main__":
    main()

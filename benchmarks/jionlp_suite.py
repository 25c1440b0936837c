"""JioNLP's own ``parse_money`` test suite, run against zhibiao's ``parse_money``.

Run: ``python -m benchmarks.jionlp_suite``.

The cases below were written by reading ``test/test_money_parser.py`` in JioNLP's
repository (dongrixinyu/JioNLP): each input with the answer JioNLP's suite expects,
in JioNLP's conventions. Nothing of JioNLP is imported; its answers are mapped to
ours (:func:`expected`):

- ``num``: a string is ``value`` (``value_max`` null), a pair is ``value`` and
  ``value_max``; JioNLP rounds to two decimals, so ours is compared after
  quantizing to 0.01, as the contract writes it;
- ``case``: the currency word, mapped to its ISO 4217 code (元 → CNY);
- ``definition``: ``accurate`` → ``exact``; ``blur+`` → ``at_least``; ``blur-`` →
  ``at_most``; ``blur`` → ``about`` for a single value. JioNLP calls every range
  ``blur``; ours says ``exact`` for a range written with both ends (1万-5万元) and
  ``about`` for a fuzzy one (几十万, 3000多), so either agrees with a ``blur`` range.

Each disagreement is listed with the reason ours differs on purpose
(:data:`DELIBERATE`); a disagreement without a reason is a defect and is reported
as such.
"""

from __future__ import annotations

import argparse
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from nlp.normalize.money import parse_money
from nlp.records import CENT

log = logging.getLogger(__name__)

# (input, num, case, definition): JioNLP's suite as its test file writes it.
JIONLP_CASES: tuple[tuple[str, str | tuple[str, str], str, str], ...] = (
    # 纯数金额
    ("82，225.00元", "82225.00", "元", "accurate"),
    ("25481港元", "25481.00", "港元", "accurate"),
    ("45564.44美元", "45564.44", "美元", "accurate"),
    ("233,333，333,434.344元", "233333333434.34", "元", "accurate"),
    # 数、汉字结合金额
    ("1.2万元", "12000.00", "元", "accurate"),
    ("3千万亿日元", "3000000000000000.00", "日元", "accurate"),
    ("新台币 177.1 亿元", "17710000000.00", "新台币", "accurate"),
    ("15k左右", "15000.00", "元", "blur"),
    ("30w上下", "300000.00", "元", "blur"),
    # 纯汉字金额
    ("六十四万零一百四十三元一角七分", "640143.17", "元", "accurate"),
    ("壹万二千三百四十五元", "12345.00", "元", "accurate"),
    ("三百万", "3000000.00", "元", "accurate"),
    ("肆佰叁拾萬", "4300000.00", "元", "accurate"),
    ("肆佰叁拾萬圆整", "4300000.00", "元", "accurate"),
    ("肆佰叁拾萬圆", "4300000.00", "元", "accurate"),
    ("二十五万三千二百泰铢", "253200.00", "泰铢", "accurate"),
    ("两个亿卢布", "200000000.00", "卢布", "accurate"),
    ("十块三毛", "10.30", "元", "accurate"),
    ("一百三十五块六角七分钱", "135.67", "元", "accurate"),
    ("港币两千九百六十元", "2960.00", "港元", "accurate"),
    # 修饰词
    ("约4.287亿美元", "428700000.00", "美元", "blur"),
    ("近700万元", "7000000.00", "元", "blur-"),
    ("至少九千块钱以上", "9000.00", "元", "blur+"),
    ("不到1.9万台币", "19000.00", "新台币", "blur-"),
    # 模糊金额
    ("3000多欧元", ("3000.00", "4000.00"), "欧元", "blur"),
    ("几十万块", ("100000.00", "1000000.00"), "元", "blur"),
    ("人民币数十亿元", ("1000000000.00", "10000000000.00"), "元", "blur"),
    ("数十亿元人民币", ("1000000000.00", "10000000000.00"), "元", "blur"),
    ("十几块钱", ("10.00", "20.00"), "元", "blur"),
    ("大约十多欧元", ("10.00", "20.00"), "欧元", "blur"),
    # 金额范围
    ("从8500到3万港元", ("8500.00", "30000.00"), "港元", "blur"),
    ("1万-5万元", ("10000.00", "50000.00"), "元", "blur"),
    ("1万元--5万元", ("10000.00", "50000.00"), "元", "blur"),
    # 字段补全 金额范围
    ("10~15k元", ("10000.00", "15000.00"), "元", "blur"),
    ("2——3万港币", ("20000.00", "30000.00"), "港元", "blur"),
    ("两到三万港元", ("20000.00", "30000.00"), "港元", "blur"),
    ("十八至三十万日元", ("180000.00", "300000.00"), "日元", "blur"),
    ("两到三仟澳元", ("2000.00", "3000.00"), "澳元", "blur"),
    ("两~3百日元", ("200.00", "300.00"), "日元", "blur"),
    ("一百二十到一百五十万元", ("1200000.00", "1500000.00"), "元", "blur"),
    ("一千到两千万元人民币", ("10000000.00", "20000000.00"), "元", "blur"),
    ("七千到九千亿元", ("700000000000.00", "900000000000.00"), "元", "blur"),
    ("八到九百亿泰铢", ("800000000.00", "90000000000.00"), "泰铢", "blur"),
    ("八百到九百亿泰铢", ("80000000000.00", "90000000000.00"), "泰铢", "blur"),
    # 连续金额
    ("八九亿韩元", ("800000000.00", "900000000.00"), "韩元", "blur"),
    ("三五百块", ("300.00", "500.00"), "元", "blur"),
    ("四五千块钱", ("4000.00", "5000.00"), "元", "blur"),
    # 修饰辅助信息
    ("50万元（含）以上", "500000.00", "元", "blur+"),
    ("1万(含)-5万元", ("10000.00", "50000.00"), "元", "blur"),
)

CURRENCIES = {
    "元": "CNY", "港元": "HKD", "美元": "USD", "日元": "JPY", "新台币": "TWD",
    "泰铢": "THB", "卢布": "RUB", "欧元": "EUR", "韩元": "KRW", "澳元": "AUD",
}  # fmt: skip
SINGLE_DEFINITIONS = {
    "accurate": ("exact",),
    "blur": ("about",),
    "blur+": ("at_least",),
    "blur-": ("at_most",),
}
RANGE_APPROX = ("exact", "about")

# Where ours answers otherwise on purpose: input → the reason.
DELIBERATE: dict[str, str] = {
    "八到九百亿泰铢": (
        "a lower end without units takes the upper end's (八到九百亿 is 800亿 to "
        "900亿, as 两到三仟 is 2000 to 3000); JioNLP's own comment calls the case "
        "ambiguous and reads 八亿 by default"
    ),
}


@dataclass(frozen=True, slots=True)
class Expected:
    """A case's answer in our conventions."""

    value: Decimal
    value_max: Decimal | None
    currency: str
    approx: tuple[str, ...]


def expected(num: str | tuple[str, str], case: str, definition: str) -> Expected:
    """Map JioNLP's ``num``/``case``/``definition`` to our fields."""
    if isinstance(num, tuple):
        return Expected(
            Decimal(num[0]), Decimal(num[1]), CURRENCIES[case], RANGE_APPROX
        )
    return Expected(
        Decimal(num), None, CURRENCIES[case], SINGLE_DEFINITIONS[definition]
    )


def compare(text: str, want: Expected) -> str | None:
    """None when ours agrees with ``want`` on ``text``, else what ours said."""
    try:
        money = parse_money(text)
    except ValueError as err:
        return f"raises {err}"
    value = money.value.quantize(CENT)
    value_max = money.value_max.quantize(CENT) if money.value_max is not None else None
    got = (value, value_max, money.currency)
    if got == (want.value, want.value_max, want.currency) and (
        money.approx in want.approx
    ):
        return None
    return (
        f"value {value} value_max {value_max} currency {money.currency} "
        f"approx {money.approx}"
    )


def run() -> tuple[int, list[tuple[str, str, Expected, str | None]]]:
    """Agreements, and every disagreement with what ours said and the reason."""
    agree = 0
    disagreements = []
    for text, num, case, definition in JIONLP_CASES:
        want = expected(num, case, definition)
        got = compare(text, want)
        if got is None:
            agree += 1
        else:
            disagreements.append((text, got, want, DELIBERATE.get(text)))
    return agree, disagreements


def report(
    agree: int, disagreements: list[tuple[str, str, Expected, str | None]]
) -> str:
    """The agreement figure and one line per disagreement."""
    total = len(JIONLP_CASES)
    lines = [f"JioNLP parse_money suite: {agree}/{total} agree ({agree / total:.3f})"]
    for text, got, want, reason in disagreements:
        wanted = f"{want.value}" + (f"–{want.value_max}" if want.value_max else "")
        lines.append(
            f"- {text}: JioNLP {wanted} {want.currency}; ours {got}; "
            f"{reason or 'NO REASON: a defect'}"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> None:
    """Run the suite and log the report; exit non-zero on an unexplained miss."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    agree, disagreements = run()
    log.info("%s", report(agree, disagreements))
    if any(reason is None for *_, reason in disagreements):
        raise SystemExit(1)


if __name__ == "__main__":
    main()

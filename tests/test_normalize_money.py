"""parse_money: every amount string of the seed documents, the variants, bad input.

Expected values are worked out by hand from the text (万元 × 10 000, 亿元 × 10**8).
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nlp.errors import ParseError
from nlp.normalize.money import _parse_general, parse_money, parse_unit
from nlp.records import Money, money_written_cny

# Prose amounts with their unit, as written in the five seed documents.
SEED_PROSE = [
    # 000: 部门预算 (福田区活力城区建设事务中心, 2022)
    ("3,293 万元", "32930000"),
    ("746.1 万元", "7461000"),
    ("57.35 万元", "573500"),
    ("13.9 万元", "139000"),
    ("2,475.65 万元", "24756500"),
    ("2,475.65万元", "24756500"),
    ("52.78 万元", "527800"),
    ("0.9 万元", "9000"),
    ("3.67 万元", "36700"),
    ("460.65 万元", "4606500"),
    ("11.9 万元", "119000"),
    ("5 万元", "50000"),
    ("90 万元", "900000"),
    ("1,925 万元", "19250000"),
    ("311.90 万元", "3119000"),
    ("11.90 万元", "119000"),
    ("0 万元", "0"),
    ("0.00 万元", "0"),
    ("300 万元", "3000000"),
    ("4.57 万元", "45700"),
    # 002: 绩效自评报告 (2024)
    ("1,742.74 万元", "17427400"),
    ("1742.74 万元", "17427400"),
    ("961.06 万元", "9610600"),
    ("29.08 万元", "290800"),
    ("21.68 万元", "216800"),
    ("730.92 万元", "7309200"),
    ("2.26 万元", "22600"),
    ("88,808.45 万元", "888084500"),
    ("88,808.45万元", "888084500"),
    ("963.28 万元", "9632800"),
    ("27.99 万元", "279900"),
    ("19.46 万元", "194600"),
    ("87,797.72 万元", "877977200"),
    ("87,065.71 万元", "870657100"),
    ("87,300.0 万元", "873000000"),
    ("87, 300. 0 万元", "873000000"),
    ("9.11万元", "91100"),
    ("8.99万元", "89900"),
    ("8.47万元", "84700"),
    ("131.3万元", "1313000"),
    ("96.2万元", "962000"),
    ("16.99万元", "169900"),
    ("35.1万元", "351000"),
    ("63.8 亿", "6380000000"),
    ("8.73 亿元", "873000000"),
    ("1.43 亿元", "143000000"),
    ("2.0 万元", "20000"),
    ("1.3 万元", "13000"),
    ("27.93 万元", "279300"),
    ("1,745.17 万元", "17451700"),
    ("43,000.0\n\n万元", "430000000"),
    ("88,788.04 万元", "887880400"),
    ("8.6 万元", "86000"),
    ("128.06 万元", "1280600"),
    ("127.96 万元", "1279600"),
    ("4.27 万元", "42700"),
    ("4.26 万元", "42600"),
    ("207.45 万元", "2074500"),
    ("207.41 万元", "2074100"),
    ("97. 0 万元", "970000"),
    ("96. 93 万元", "969300"),
    ("52. 34\n\n万元", "523400"),
    ("52.31 万元", "523100"),
    ("20,000.0元", "20000"),
    ("13,000.0元", "13000"),
    ("12,995.65元", "12995.65"),
    ("279,900.0万元", "2799000000"),
    ("279,282.0万元", "2792820000"),
    ("1.09万元", "10900"),
    ("0.39万元", "3900"),
    ("0.7万元", "7000"),
    # 003: 部门预算公开说明 (徐水区城区办事处, 2021)
    ("1925.35万元", "19253500"),
    ("0万元", "0"),
    ("288.59万元", "2885900"),
    ("256.9万元", "2569000"),
    ("31.69万元", "316900"),
    ("1636.76万元", "16367600"),
    ("174.48万元", "1744800"),
    ("17.18万元", "171800"),
    ("191.66万元", "1916600"),
    ("3.96万元", "39600"),
    ("2.5万元", "25000"),
    ("3.3万元", "33000"),
    ("6万元", "60000"),
    ("16.53万元", "165300"),
    ("3300元", "3300"),
    ("20000元", "20000"),
    ("121600元", "121600"),
    ("86800元", "86800"),
    ("367680元", "367680"),
    ("9000元", "9000"),
    ("1207013.28元", "1207013.28"),
    ("24万元", "240000"),
    ("2474123.57元", "2474123.57"),
    ("1415750元", "1415750"),
    ("480339.6元", "480339.6"),
    ("2100000元", "2100000"),
    ("2546773.88万元", "25467738800"),
    ("587546.74元", "587546.74"),
    ("2492200元", "2492200"),
    ("85500元", "85500"),
    ("275.9万元", "2759000"),
    ("500元", "500"),
    # 004: 项目支出绩效目标表 (龙华区社区网格管理中心, 2021)
    ("650.3万元", "6503000"),
    ("6.24万", "62400"),
    ("14.56万元", "145600"),
    ("3.25万元", "32500"),
    ("26.94万元", "269400"),
    ("4.85万元", "48500"),
    ("43.65万元", "436500"),
    ("31.3万", "313000"),
    ("21.2万元", "212000"),
]

# Thresholds written with the amount.
SEED_APPROX = [
    ("50 万元以上", "500000", "at_least"),
    ("100 万元以上", "1000000", "at_least"),
    ("50万元以上", "500000", "at_least"),
    ("50万元（含）以上", "500000", "at_least"),
    ("100万元（含）以上", "1000000", "at_least"),
    ("≥180元", "180", "at_least"),
]

# Table cells with the unit of their table (unit line or column header).
SEED_CELLS = [
    # 000, 单位：万元
    ("3,293.00", "万元", "32930000"),
    ("60.05", "万元", "600500"),
    ("0.20", "万元", "2000"),
    ("3,149.55", "万元", "31495500"),
    ("1,224.55", "万元", "12245500"),
    ("817.35", "万元", "8173500"),
    ("0.90", "万元", "9000"),
    ("0.00", "万元", "0"),
    ("1,170", "万元", "11700000"),
    ("123.84", "万元", "1238400"),
    # 001, 预算金额（万元）
    ("1125.33", "万元", "11253300"),
    ("888.96", "万元", "8889600"),
    ("1279.04", "万元", "12790400"),
    ("3293.33", "万元", "32933300"),
    # 003, 单位：元 and 价值（单位：万元）
    ("3300.00", "元", "3300"),
    ("1207013.28", "元", "1207013.28"),
    ("480339.60", "元", "480339.6"),
    ("0", "元", "0"),
    ("275.9", "万元", "2759000"),
    ("7.55", "万元", "75500"),
    ("268.35", "万元", "2683500"),
    # 004, 项目总金额（万元）
    ("1,008.14", "万元", "10081400"),
    ("650.30", "万元", "6503000"),
    ("4,901.41", "万元", "49014100"),
    ("3,399.86", "万元", "33998600"),
    ("85.28", "万元", "852800"),
]

VARIANTS = [
    # (text, value, value_max, currency, approx)
    ("１２３元", "123", None, "CNY", "exact"),
    ("87，300.0万元", "873000000", None, "CNY", "exact"),
    ("100. 0万元", "1000000", None, "CNY", "exact"),
    ("1720.00万", "17200000", None, "CNY", "exact"),
    ("1.5万亿", "1500000000000", None, "CNY", "exact"),
    ("3千万", "30000000", None, "CNY", "exact"),
    ("5k", "5000", None, "CNY", "exact"),
    ("3W", "30000", None, "CNY", "exact"),
    ("壹万贰仟元整", "12000", None, "CNY", "exact"),
    ("三块五毛", "3.5", None, "CNY", "exact"),
    ("三块五", "3.5", None, "CNY", "exact"),
    ("五元三角二分", "5.32", None, "CNY", "exact"),
    ("两千元", "2000", None, "CNY", "exact"),
    ("人民币伍佰元", "500", None, "CNY", "exact"),
    ("三点五万元", "35000", None, "CNY", "exact"),
    ("1万-5万元", "10000", "50000", "CNY", "exact"),
    ("两到三万港元", "20000", "30000", "HKD", "exact"),
    ("10~15k", "10000", "15000", "CNY", "exact"),
    ("3至5万元", "30000", "50000", "CNY", "exact"),
    ("约5万元", "50000", None, "CNY", "about"),
    ("5万元左右", "50000", None, "CNY", "about"),
    # 余/多 reach to the next step of the last written place (issue 10).
    ("1万余元", "10000", "20000", "CNY", "about"),
    ("十余万元", "100000", "200000", "CNY", "about"),
    ("1000多万元", "10000000", "20000000", "CNY", "about"),
    ("近5万元", "50000", None, "CNY", "at_most"),
    ("不到5万元", "50000", None, "CNY", "at_most"),
    ("5万元以内", "50000", None, "CNY", "at_most"),
    ("不超过5万元", "50000", None, "CNY", "at_most"),
    ("至少5万元", "50000", None, "CNY", "at_least"),
    ("不低于5万元", "50000", None, "CNY", "at_least"),
    ("RMB 1,000", "1000", None, "CNY", "exact"),
    ("￥1,200.50", "1200.5", None, "CNY", "exact"),
    ("¥99", "99", None, "CNY", "exact"),
    ("CNY 8", "8", None, "CNY", "exact"),
    ("100美元", "100", None, "USD", "exact"),
    ("$100", "100", None, "USD", "exact"),
    ("USD 100", "100", None, "USD", "exact"),
    ("20港币", "20", None, "HKD", "exact"),
    ("HKD 20", "20", None, "HKD", "exact"),
    ("€5.5", "5.5", None, "EUR", "exact"),
    ("5欧元", "5", None, "EUR", "exact"),
    ("300日元", "300", None, "JPY", "exact"),
    ("£7", "7", None, "GBP", "exact"),
    ("7英镑", "7", None, "GBP", "exact"),
    ("50新台币", "50", None, "TWD", "exact"),
    ("2澳元", "2", None, "AUD", "exact"),
    ("1000韩元", "1000", None, "KRW", "exact"),
    ("100泰铢", "100", None, "THB", "exact"),
    ("10卢布", "10", None, "RUB", "exact"),
    ("3加元", "3", None, "CAD", "exact"),
    ("4新加坡元", "4", None, "SGD", "exact"),
    ("6瑞士法郎", "6", None, "CHF", "exact"),
    ("1.2万美元", "12000", None, "USD", "exact"),
    # Issue 10: forms JioNLP's suite writes, values worked out by hand.
    ("两到三仟澳元", "2000", "3000", "AUD", "exact"),
    ("港币两千九百六十元", "2960", None, "HKD", "exact"),
    ("新台币 177.1 亿元", "17710000000", None, "TWD", "exact"),
    ("一百三十五块六角七分钱", "135.67", None, "CNY", "exact"),
    ("1万元--5万元", "10000", "50000", "CNY", "exact"),
    ("2——3万港币", "20000", "30000", "HKD", "exact"),
    ("从8500到3万港元", "8500", "30000", "HKD", "exact"),
    ("1万(含)-5万元", "10000", "50000", "CNY", "exact"),
    ("5万元-10万", "50000", "100000", "CNY", "exact"),
    ("几十万块", "100000", "1000000", "CNY", "about"),
    ("数十亿元", "1000000000", "10000000000", "CNY", "about"),
    ("八九亿韩元", "800000000", "900000000", "KRW", "about"),
    ("三五百块", "300", "500", "CNY", "about"),
    ("十几块钱", "10", "20", "CNY", "about"),
    ("3000多欧元", "3000", "4000", "EUR", "about"),
    ("3000余元", "3000", "4000", "CNY", "about"),
    ("两个亿卢布", "200000000", None, "RUB", "exact"),
    ("3千万亿日元", "3000000000000000", None, "JPY", "exact"),
    ("三百万", "3000000", None, "CNY", "exact"),
    ("小于40万", "400000", None, "CNY", "at_most"),
    ("不到1.9万台币", "19000", None, "TWD", "at_most"),
    ("大于5万元", "50000", None, "CNY", "at_least"),
    ("八到九百亿泰铢", "80000000000", "90000000000", "THB", "exact"),
]


@pytest.mark.parametrize(("text", "value"), SEED_PROSE)
def test_seed_prose_amounts(text: str, value: str) -> None:
    money = parse_money(text)
    assert money.value == Decimal(value)
    assert money.value_max is None
    assert money.currency == "CNY"
    assert money.approx == "exact"
    assert money.unit_source == "text"
    assert money.text == text.strip()


@pytest.mark.parametrize(("text", "value", "approx"), SEED_APPROX)
def test_seed_thresholds(text: str, value: str, approx: str) -> None:
    money = parse_money(text)
    assert (money.value, money.approx) == (Decimal(value), approx)


@pytest.mark.parametrize(("text", "unit", "value"), SEED_CELLS)
def test_seed_table_cells_take_the_table_unit(text: str, unit: str, value: str) -> None:
    money = parse_money(text, default_unit=unit)
    assert money.value == Decimal(value)
    assert money.unit_source == "table"


def test_written_unit_wins_over_table_unit() -> None:
    money = parse_money("746.1 万元", default_unit="元")
    assert money.value == Decimal("7461000")
    assert money.unit_source == "text"


def test_default_source_can_say_context() -> None:
    money = parse_money("12", default_unit="亿元", default_source="context")
    assert (money.value, money.unit_source) == (Decimal("1200000000"), "context")


def test_negative_table_cell() -> None:
    assert parse_money("-2.26", default_unit="万元").value == Decimal("-22600")


def test_contract_string_has_two_decimals() -> None:
    assert parse_money("3,293.00", default_unit="万元").to_dict()["value"] == (
        "32930000.00"
    )


@pytest.mark.parametrize(("text", "value", "value_max", "currency", "approx"), VARIANTS)
def test_variants(
    text: str, value: str, value_max: str | None, currency: str, approx: str
) -> None:
    money = parse_money(text)
    assert money.value == Decimal(value)
    assert money.value_max == (Decimal(value_max) if value_max else None)
    assert (money.currency, money.approx) == (currency, approx)


@pytest.mark.parametrize(
    "text",
    ["abc", "", "   ", "2024年", "2024 年 11 月 19 日", "98.73%", "100. 0%",
     "13栋", "2,552户", "福财〔2023〕118 号", "万元", "元"],
)  # fmt: skip
def test_not_an_amount_raises_with_the_input_quoted(text: str) -> None:
    with pytest.raises(ParseError, match=r"not a money amount: '"):
        parse_money(text)


def test_bare_number_without_unit_raises() -> None:
    with pytest.raises(ValueError, match=r"no unit and no default_unit.*'3293'"):
        parse_money("3293")


def test_bad_default_unit_raises() -> None:
    with pytest.raises(ParseError, match=r"not a money unit: '平方米'"):
        parse_money("3", default_unit="平方米")


# -- properties -------------------------------------------------------------------

UNITS = {"元": 1, "万元": 10_000, "亿元": 100_000_000}


def _group(digits: str, sep: str) -> str:
    head = len(digits) % 3 or 3
    parts = [digits[:head]] + [digits[i : i + 3] for i in range(head, len(digits), 3)]
    return sep.join(parts)


def _fullwidth(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


@given(
    cents=st.integers(min_value=0, max_value=10**13),
    unit=st.sampled_from(sorted(UNITS)),
    sep=st.sampled_from(["", ",", ", ", "，"]),
    point_space=st.sampled_from(["", " "]),
    unit_space=st.sampled_from(["", " ", "\n"]),
    full=st.booleans(),
)
def test_formatted_decimal_round_trips(
    cents: int, unit: str, sep: str, point_space: str, unit_space: str, full: bool
) -> None:
    number = Decimal(cents) / 100
    integer, fraction = f"{number:.2f}".split(".")
    digits = f"{_group(integer, sep)}.{point_space}{fraction}"
    if full:
        digits = _fullwidth(digits)
    money = parse_money(f"{digits}{unit_space}{unit}")
    assert money.value == number * UNITS[unit]
    assert isinstance(money.value, Decimal)


UPPER_DIGITS = "零壹贰叁肆伍陆柒捌玖"


def _upper_case(n: int) -> str:
    """Write n (< 10**8) in financial numerals, as on a cheque."""

    def below_wan(k: int) -> str:
        out, zero = "", False
        for unit, power in (("仟", 1000), ("佰", 100), ("拾", 10), ("", 1)):
            d = k // power % 10
            if d:
                out += ("零" if zero and out else "") + UPPER_DIGITS[d] + unit
                zero = False
            else:
                zero = True
        return out

    if n == 0:
        return "零"
    wan, rest = divmod(n, 10_000)
    out = below_wan(wan) + "万" if wan else ""
    if rest:
        out += ("零" if wan and rest < 1000 else "") + below_wan(rest)
    return out


@given(st.integers(min_value=1, max_value=99_999_999), st.sampled_from(["元", "元整"]))
def test_upper_case_numerals_round_trip(n: int, suffix: str) -> None:
    money = parse_money(_upper_case(n) + suffix)
    assert money.value == Decimal(n)


@given(st.text(max_size=12))
def test_never_returns_a_float(text: str) -> None:
    try:
        money = parse_money(text, default_unit="万元")
    except ValueError:
        return
    assert isinstance(money.value, Decimal)
    assert money.value_max is None or isinstance(money.value_max, Decimal)


@given(
    cents=st.integers(min_value=0, max_value=10**12),
    sep=st.sampled_from(["", ",", ", ", " ,", ",\n"]),
    point=st.sampled_from(["", ".", ". ", ".\n"]),
    space=st.sampled_from(["", " ", "\n\n"]),
    unit=st.sampled_from(["", "元", "万元", "亿元", "万", "亿"]),
    default=st.sampled_from([None, "元", "万元"]),
)
def test_fast_path_agrees_with_the_grammar(
    cents: int, sep: str, point: str, space: str, unit: str, default: str | None
) -> None:
    integer, fraction = f"{Decimal(cents) / 100:.2f}".split(".")
    number = _group(integer, sep) + (f"{point}{fraction}" if point else "")
    text = f"{number}{space}{unit}"
    spec = parse_unit(default) if default else None
    try:
        expected = _parse_general(text, spec, "table")
    except ValueError:
        with pytest.raises(ValueError):
            parse_money(text, default_unit=default)
        return
    assert parse_money(text, default_unit=default) == expected


def test_hot_path_record_is_the_same_frozen_money() -> None:
    fast = money_written_cny("746.1 万元", Decimal("7461000.0"))
    plain = Money("746.1 万元", Decimal("7461000.0"))
    assert fast == plain
    assert hash(fast) == hash(plain)
    assert repr(fast) == repr(plain)
    with pytest.raises(dataclasses.FrozenInstanceError):
        fast.value = Decimal(0)  # type: ignore[misc]

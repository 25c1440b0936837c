"""Fuzzing the four normalizers: any text in, a result or the documented error out.

``parse_money`` documents ``ParseError`` (a ``ValueError``) for text that is not
an amount; ``normalize_target``, ``split_targets`` and ``find_amounts`` never
raise for text. Inputs mix the characters budget texts are made of (digits,
Chinese numerals, units, operators, full-width forms, spaces and tabs, line
breaks) with arbitrary Unicode, surrogate escapes included.
"""

from __future__ import annotations

import string
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nlp.errors import ParseError
from nlp.normalize import find_amounts, normalize_target, parse_money, split_targets

BUDGET_ALPHABET = (
    string.digits
    + ".,，。、；;:：%％-—~～至到 \t\n\u3000\xa0"
    + "零一二三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟"
    + "元万元亿元美元人民币约近余多以上以下不低于不高于不超过达≥≤><=＞＜"
    + "次人个份项年月日天小时周季度批次类%‰/（）()"
    + "产出指标数量质量时效满意度预算资金支出收入合计"
)
texts = st.one_of(
    st.text(alphabet=BUDGET_ALPHABET, max_size=80),
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=()), max_size=40),
    st.sampled_from(["\udcd4\udca4", "１２３．４５万元", "", " " * 200, " \t" * 100]),
)
FUZZ = settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@FUZZ
@given(texts)
def test_normalize_target_never_raises(text: str) -> None:
    target = normalize_target(text)
    assert target.raw == text
    assert target.op in {"≥", "≤", ">", "<", "=", "~", "qual"}


@FUZZ
@given(texts)
def test_split_targets_never_raises(text: str) -> None:
    for metric, target in split_targets(text):
        assert metric is None or isinstance(metric, str)
        assert target.op in {"≥", "≤", ">", "<", "=", "~", "qual"}


@FUZZ
@given(texts)
def test_parse_money_raises_only_parse_error(text: str) -> None:
    try:
        money = parse_money(text)
    except ParseError:
        return
    assert money.value == money.value.quantize(Decimal("0.01"))


@FUZZ
@given(texts)
def test_find_amounts_never_raises(text: str) -> None:
    for amount in find_amounts(text):
        assert 0 <= amount.start < amount.end <= len(text)
        assert amount.money.text == text[amount.start : amount.end]

"""The target grammar's vocabulary and the regular expressions built from it.

Word operators (weak 达到/为, strong 不低于/不超过, signs, suffixes 以上/以内),
units and periods, the qualitative vocabulary, and the compiled patterns that
:mod:`nlp.normalize.target` reads targets with. Kept apart from the rules so the
word lists can be read and extended in one place.
"""

from __future__ import annotations

import re

from nlp.normalize.grammar import COMPARISON_WORDS, FUZZY_DIGITS, RANGE_MARK
from nlp.normalize.grammar import SIGN_OPS as GRAMMAR_SIGN_OPS
from nlp.normalize.grammar import alternation as _alt
from nlp.normalize.numerals import NUMERAL_CHARS, POINT

# Full-width digits, letters and target symbols fold to ASCII; Chinese punctuation
# (，；：（）) stays, since it belongs to qualitative phrases.
_FOLD_MAP = {chr(c): chr(c - 0xFEE0) for c in range(0xFF10, 0xFF1A)}
_FOLD_MAP |= {chr(c): chr(c - 0xFEE0) for c in range(0xFF21, 0xFF3B)}
_FOLD_MAP |= {chr(c): chr(c - 0xFEE0) for c in range(0xFF41, 0xFF5B)}
_FOLD_MAP |= dict(zip("％﹪＋－．／＜＝＞～〜≧≦⩾⩽", "%%+-./<=>~~≥≤≥≤", strict=True))
_FOLD = str.maketrans(_FOLD_MAP)

_CJK = "\u4e00-\u9fff"
_OCR_SPACE_RE = re.compile(
    r"(?<=[0-9])\s+(?=[0-9.])|(?<=[0-9]\.)\s+(?=[0-9])|(?<=[0-9],)\s+(?=[0-9]{3}(?![0-9]))"
)
_SPACE_RE = re.compile(r"\s+")
_TRAILING_PUNCT_RE = re.compile(r"[;；。，,、.!！?？:：\s]+$")
_THOUSANDS_RE = re.compile(r"(?<=[0-9]),(?=[0-9]{3}(?![0-9]))")


WEAK_OPS = {"达到了": "≥", "达到": "≥", "达": "≥", "为": "=", "是": "=", "等于": "="}
WEAK_OPS |= {"保持在": "=", "保持": "="}
WEAK_OPS["控制在"] = "≤"  # "held within": an upper bound unless a suffix says otherwise
# Comparison words and signs are the grammar's, shared with money.
STRONG_OPS = dict(COMPARISON_WORDS)
SIGN_OPS = dict(GRAMMAR_SIGN_OPS)
SUFFIX_OPS = {**dict.fromkeys(("及以上", "或以上", "以上"), "≥")}
SUFFIX_OPS |= dict.fromkeys(("及以下", "或以下", "以下", "以内", "之内", "内"), "≤")
BASE_UNITS = (
    "个百分点", "百分点", "个工作日", "工作日", "个月", "小时", "分钟", "人次",
    "户次", "台次", "台套", "课时", "学时", "平方米", "立方米", "平米", "公里",
    "批次", "项次", "件次", "篇次", "类", "种", "毫秒", "秒",
    "千米", "公顷", "千克", "公斤", "千瓦", "季度", *"次人个份项篇套台场元年月天日周",
    *"户栋家件批期本册辆所座处条名位张部块间层分亩吨米宗起例轮组支幅段棵株届门节首万亿",
)  # fmt: skip
PERIODS = ("季度", "半年", "星期", "学期", "年度", "工作日", "日", "天", "周", "旬")
PERIODS += ("月", "季", "年")
PERIOD_ALIASES = {"季": "季度", "星期": "周", "年度": "年"}
QUALITATIVE_UNITS = frozenset({"是/否", "是否", "是或否", "定性", "定性指标"})
NO_UNIT = frozenset({"", "无", "-", "--", "/", "不适用", "—"})

_CN = "".join(sorted(NUMERAL_CHARS | POINT | frozenset(FUZZY_DIGITS)))
_SIGN = _alt(SIGN_OPS)
# A measure word may carry 数 (≥86个数: the count of 个), read as the measure word.
_UNIT = rf"(?:%|‰|(?:万|亿)?(?:{_alt(BASE_UNITS)})数?)(?:/每?[{_CJK}]{{1,4}})?"


def _number(tag: str) -> str:
    """Regex for one number: arabic, Chinese numeral (exact or fuzzy: 十几, 三五百),
    optionally 百分之-prefixed, optionally followed by 余/多 (10余场)."""
    return (
        rf"(?P<{tag}pct>百分之)?"
        rf"(?:(?P<{tag}ar>-?[0-9]+(?:\.[0-9]+)?)|(?P<{tag}cn>[{_CN}]+?))"
        rf"(?P<{tag}more>[余多])?"
    )


_PREFIX_RE = re.compile(
    rf"(?P<weak>{_alt(WEAK_OPS)})?(?P<strong>{_alt(STRONG_OPS)}|{_SIGN})?"
)
_SUFFIX_RE = re.compile(rf"(?:{_alt(SUFFIX_OPS)})$")
_INCLUSIVE_RE = re.compile(r"[(（]含(?:本数|(?P<number>[0-9.]+)%?)?[)）]$")
_SINGLE_RE = re.compile(rf"{_number('a')}(?P<aunit>{_UNIT})?")
_RANGE_RE = re.compile(
    rf"{_number('a')}(?P<aunit>{_UNIT})?{RANGE_MARK}{_number('b')}(?P<bunit>{_UNIT})?"
)
# 1:1, ≥1:3 (配比): the first term is the value, ":3" the unit it is read against.
_RATIO_RE = re.compile(r"(?P<aar>[0-9]+(?:\.[0-9]+)?)[:：](?P<den>[0-9]+(?:\.[0-9]+)?)")
# ≥99（%）, ≥60000（条）, ≤1500（毫秒）: the unit in brackets after the number.
_BRACKET_UNIT_RE = re.compile(rf"[(（\[【](?P<unit>{_UNIT})[)）\]】]$")
_DOUBLED_SIGN_RE = re.compile(r"([%‰])\1+")
_EACH_RE = re.compile(
    rf"每(?P<period>{_alt(PERIODS)})(?P<inner>{_alt(STRONG_OPS)}|{_SIGN})?"
    rf"{_number('a')}(?P<aunit>{_UNIT})"
)
_UNIT_RE = re.compile(_UNIT)
_COLUMN_UNIT_RE = re.compile(rf"[{_CJK}]{{1,4}}(?:/[{_CJK}]{{1,4}})?")
_DUP_100_RE = re.compile(r"(?P<real>[1-9][0-9]|100)100")

_ADVERBS = "显著|明显|持续|有效|逐步|进一步|大幅度?|稳步|不断|较大|大力|全面|重点"
_ADVERBS += "|得到|有所|基本|切实|逐年|充分"
_VERBS = "提升|提高|改善|增强|促进|保障|解决|降低|减少|下降|增加|增长|加强|优化"
_VERBS += "|完善|推进|推动|发挥|落实|保持|缓解|控制|改进|加快"
QUALITATIVE_WORDS = frozenset(
    {"是", "否", "有", "无", "及时", "准时", "按时", "按期", "有效", "显著", "明显",
     "良好", "优秀", "优良", "较好", "一般", "合格", "达标", "满意", "不适用", "不涉及",
     "无此项", "完成", "已完成", "全覆盖", "正常", "稳定", "规范", "准确", "足额",
     "无事故", "零事故", "合格通过", "通过"}
)  # fmt: skip
_QUALITATIVE_RES = (
    re.compile(rf"(?:{_ADVERBS})?(?:{_VERBS})"),  # 显著提升, 得到提升, 重点解决
    re.compile(r"(?:验收|考核|评估|检查|审核)(?:合格|通过|达标|优秀|良好)"),
    re.compile(r"(?:通过验收|按时|按期|及时|全部|足额)(?:完成|发放|到位|办结)?"),
    re.compile(
        r"(?:达到|符合|满足)(?:预期|要求|标准|规定|良好|优秀|较好|合格)?"
        r"(?:目标|要求|标准|程度|水平|效果)?"
    ),
    # Deadlines: 2021年12月前, 年底前, 6月底前.
    re.compile(
        r"(?=.*[年月日底末])(?:[0-9]{4}年度?)?(?:[0-9]{1,2}月)?(?:[0-9]{1,2}日)?"
        r"(?:年底|年末|月底|月末|底|末)?(?:前|之前|以前)"
    ),
)

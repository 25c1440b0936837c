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
# "held (within)": an upper bound unless a suffix says otherwise
WEAK_OPS |= dict.fromkeys(("控制在", "控制"), "≤")
# Comparison words and signs are the grammar's, shared with money.
STRONG_OPS = dict(COMPARISON_WORDS)
SIGN_OPS = dict(GRAMMAR_SIGN_OPS)
SUFFIX_OPS = {**dict.fromkeys(("及以上", "或以上", "以上"), "≥")}
SUFFIX_OPS |= dict.fromkeys(("及以下", "或以下", "以下", "以内", "之内", "内"), "≤")
BASE_UNITS = (
    "个百分点", "百分点", "个工作日", "工作日", "个月", "小时", "分钟", "人次",
    "户次", "台次", "台套", "课时", "学时", "平方米", "立方米", "平米", "公里",
    "批次", "项次", "件次", "篇次", "场次", "家次", "个次", "车次", "班次", "架次",
    "趟次", "航次", "艘次", "类", "种", "毫秒", "秒", "平方公里", "平方千米",
    "千米", "公顷", "千克", "公斤", "千瓦时", "千瓦", "微克", "毫克", "克", "毫升",
    "升", "季度", "㎡", "㎞", "㎏", *"次人个份项篇套台场元年月天日周则",
    *"户栋家件批期本册辆所座处条名位张部块间层分亩吨米宗起例轮组支幅段棵株届门节首万亿",
)  # fmt: skip
# Measure words that count things; one may be followed by the counted noun
# (11个辖区, ≥140个排污许可证), which then stays in the unit.
COUNT_WORDS = "个份家项台套座所条件本册篇名位处辆户栋间张部场批宗例组支门首株棵"
# Units written in Latin letters (km, KM, GB, Mbps, m³).
# A lone k or w after a number is a multiplier (15k), not a unit.
_LATIN_UNIT = r"(?<![A-Za-z])(?![kKwW](?![A-Za-z]))[A-Za-z]{1,5}[²³]?(?![A-Za-z])"
# Words for "percent" used as a unit (a 计量单位 of 百分比): read as %.
PERCENT_WORDS = ("百分比", "百分数", "百分率")
# Units of a time allowed (a response or processing time).
TIME_UNITS = frozenset(
    {"秒", "分钟", "小时", "天", "日", "个工作日", "工作日", "周", "个月"}
)
PERIODS = ("季度", "半年", "星期", "学期", "年度", "工作日", "日", "天", "周", "旬")
PERIODS += ("月", "季", "年")
PERIOD_ALIASES = {"季": "季度", "星期": "周", "年度": "年"}
QUALITATIVE_UNITS = frozenset({"是/否", "是否", "是或否", "定性", "定性指标"})
NO_UNIT = frozenset({"", "无", "-", "--", "/", "不适用", "—"})

_CN = "".join(sorted(NUMERAL_CHARS | POINT | frozenset(FUZZY_DIGITS)))
_SIGN = _alt(SIGN_OPS)
# A measure word may carry 数 (≥86个数: the count of 个), read as the measure word;
# one may name an alternative in brackets (台（套）); a rate has one or two
# denominators (元/人/半天, 万元/人·年, km/h).
_BASE = rf"(?:{_alt(BASE_UNITS)})"
_DENOMINATOR = rf"/每?(?:[{_CJK}·]{{1,5}}|[A-Za-z]{{1,4}})"
_UNIT = (
    rf"(?:%|‰|{_alt(PERCENT_WORDS)}|(?:万|亿)?{_BASE}数?(?:[(（]{_BASE}[)）])?"
    rf"|(?:万|亿)?{_LATIN_UNIT})(?:{_DENOMINATOR}){{0,2}}"
)


def _number(tag: str) -> str:
    """Regex for one number: arabic, Chinese numeral (exact or fuzzy: 十几, 三五百),
    optionally 百分之-prefixed. 余/多 after a number are read before the grammar
    (:func:`nlp.normalize.target_rules.approx`)."""
    return (
        rf"(?P<{tag}pct>百分之)?"
        rf"(?:(?P<{tag}ar>-?[0-9]+(?:\.[0-9]+)?)|(?P<{tag}cn>[{_CN}]+?))"
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
# 11个辖区, ≥140个排污许可证: a count, its measure word and the noun it counts.
_COUNTED_RE = re.compile(
    rf"{_number('a')}(?P<aunit>[{COUNT_WORDS}](?P<noun>[{_CJK}]{{1,6}}))"
)
# ≥95%（扣除停电…造成的数据缺失）, 12个（…抽查）: a remark in brackets after the
# value, without digits (a bracket with numbers is more than a remark), and not 含.
_REMARK_RE = re.compile(rf"[(（](?!含)(?=[^()（）]*[{_CJK}])[^0-9()（）]+[)）]$")
# 约100次, 4.25%左右, 20多个, 1万多家, 10余场: approximations that leave the number
# as written (annotation guideline rule 31).
_APPROX_LEAD_RE = re.compile(
    r"^(?:大约|大概|约为|约)(?=[-0-9.百十一二两三四五六七八九])"
)
_APPROX_TAIL_RE = re.compile(r"左右$|(?<=[0-9十百千万亿])[多余](?![0-9])")
# 不超过项目概算4400万元: a bound, the amount it refers to, then that amount.
_REFERENCE_RE = re.compile(rf"(?P<ref>[{_CJK}]{{2,10}})(?P<rest>[0-9].*)")
MONEY_UNITS = frozenset({"元", "万元", "亿元"})
# 为良等级（≧80分）, 达到优秀（≥90分）: a grade with the score that defines it.
_GRADE_RE = re.compile(
    r"(?:为|达到|达)?(?:优秀|优良|优|良好|良|中等|中|合格|及格|[A-E])(?:等级|等|级)?"
    r"[(（](?P<inner>[^()（）]+)[)）]"
)
# 在接到维护通知后4小时: the time allowed after an event (a response time).
_CONDITION_RE = re.compile(r"在(?P<event>[^0-9]{1,20}?)后(?P<value>.+)")
# 新增业务数据100万条, 累计培训500人: a count of what is added (guideline rule 37).
_COUNT_NAME_RE = re.compile(r"(?:新增|累计)[^0-9]+$")
# 提高…分辨率至1KM以内: 至/到 linking a named measure to its value.
_LINK_RE = re.compile(r"(?:至|到)(?![少多达])")
# A measure's name holds no comparison (大于预算编外人员数80%: the value is a share
# of another quantity) and no clause separator (a name does not span clauses).
# (Single-character words such as 超 are left out: 超标率 is a name.)
_NAME_STOP_RE = re.compile(
    rf"{_alt(w for w in COMPARISON_WORDS if len(w) > 1)}|[<>=≥≤,，;；]"
)
_COLUMN_UNIT_RE = re.compile(rf"[{_CJK}]{{1,4}}(?:/[{_CJK}]{{1,4}})?")
_DUP_100_RE = re.compile(r"(?P<real>[1-9][0-9]?|100)100")

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

"""The statement grammar of real prose: values, clauses and what each value measures.

A researcher reading a report tabulates every rate, score, grade and count stated as
a target or a result (guideline rules 28-31). In running text that is a *value* (a
number with its unit, relation and bound, or a grade) and the *metric* it belongs
to, which is one of:

* the noun phrase before it in its clause (``项目验收合格率为100%``,
  ``新增酒店53家``), after list marks and lead-in verbs (``力争``, ``开展``);
* for a count whose number comes first, the counted noun after it
  (``建成8个国潮展销中心`` → ``国潮展销中心``);
* in a ``分别`` enumeration, the enumeration's measure with the item in parentheses,
  one statement per value;
* for a clause with a value and no name (``实际开展18期``), the previous statement's
  metric in the same sentence (a plan/actual pair).

What rule 29 excludes is dropped here: money without a cap or floor, shares and
year-on-year changes, survey counts, the points of a single indicator, dates and
document numbers, staffing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace

_NUMBER = r"(?:\d{1,3}(?:[,，]\s?\d{3})+|\d+)(?:\s?[.．]\s?\d+)?"
_COUNT_UNITS = (
    "人次|户次|家次|场次|批次|项次|件次|车次|架次|学时|课时|小时|分钟|个月|工作日|"
    "平方公里|平方米|千米|公里|公顷|立方米|千瓦|万千瓦|km|KM|m²|m2|㎡|"
    "克/公里|千克|公斤|[个次人项份篇件家台套天户场批名条辆栋所类种分期亩宗间张座处支册本吨米株棵只头克]"
)
_MONEY_UNITS = "亿美元|万美元|美元|亿元|万元|千元|元|万|亿"
# A unit, optionally per something (元/平方米, 万元/人·年, 次/月).
_UNIT = (
    r"(?:%|％|‰|(?P<money>" + _MONEY_UNITS + r")|(?:万|亿)?(?:" + _COUNT_UNITS + r"))"
    r"(?:/[\u4e00-\u9fffA-Za-z·]{1,4})?"
)
_RELATION = (
    r"不低于|不少于|不高于|不超过|不大于|不小于|控制不超出|不超出|控制在|保持在|保持|"
    r"达到了?|超过|大于|小于|低于|高于|至少|最多|为|是|达|"
    r"[＞>][=＝]|[＜<][=＝]|[≥≤＞＜><≧≦=＝]|[:：]"
)
_APPROX = r"(?:长约|约|超|逾|近)"
_BOUND = r"(?:左右|及以上|或以上|以上|以下|以内|及以下)"
VALUE = re.compile(
    r"(?P<relation>(?:" + _RELATION + r")\s*)?"
    r"(?P<period>每(?:年|月|季度|周|日|天))?(?P<rel2>至少|不少于|不超过)?"
    r"(?P<value>" + _APPROX + r"?(?P<number>" + _NUMBER + r"|[百千])"
    r"(?P<mult>万|亿)?(?P<more>多|余)?\s?(?P<unit>" + _UNIT + r")?"
    r"(?P<more2>多|余)?(?:\s*" + _BOUND + r")?)"
)
# A grade after a relation: 达到B等以上, 为良等级（≧80分）, 等级为“优”.
GRADE = re.compile(
    r"(?P<relation>达到|评为|评定为|为|是)\s*[“\"]?"
    r"(?P<grade>[A-E]等|优秀|良好|合格|优|良)(?:等级|等次|级)?[”\"]?"
    r"(?P<bound>以上)?(?:[（(](?P<score>[≥≧>＞]?\s*\d+(?:\.\d+)?分)[）)])?"
)
_RANK = re.compile(r"第(?P<n>\d+)[位名]")

CLAUSE_END = "，,。；;:：！？!?\t|"
# Leading words that are not part of a metric: list marks, lead-in verbs.
_LIST_MARK = re.compile(
    r"^(?:[（(]?[0-9一二三四五六七八九十]{1,2}[)）.．、]|[一二三四五六七八九十]是|"
    r"第[一二三四五六七八九十]+[,，、]?)\s*"
)
_LEAD_IN = re.compile(
    r"^(?:力争|推动|组织|开展|出具|收取|支付|发生|完善|完成|并且|并|且|引育|引进|实现|"
    r"确保|保证|全年|本年度|本年|年度内|全市|其中|通过|提供|举办|打造|培育|认定|本项目|"
    r"在|对|将|计划|实际|预计|主要|进一步|使|最终使|已有|共有|共)"
)
# A word that modifies the value, not the metric (支持科技型中小企业累计超2.2万家,
# 主体施工完成65%).
_VALUE_MODIFIER = re.compile(
    r"(?:累计|共计|合计|共|总计|约|达|均|全部|完成|实现|调查结果|按时开展|预计开展|预计)$"
)
# The end of a measure's name: text ending so names what the next value measures.
_MEASURE_END = re.compile(r"(?:率|度|比例|数量|人数|次数|个数|数)$")
_CHANGE = re.compile(
    r"(?:增长|下降|增加|减少|提高|降低|上升|下调|上调|增幅|降幅|减幅|增速|增收|减收|"
    r"节约|持平)$|^占|比上年|较上年|同比|环比|与上年相比|比.{0,6}年(?:执行|预算|决算)"
)
_NOT_STATEMENT = re.compile(
    r"本指标|该指标|满分|分值|权重|扣分|问卷|样本|受访|回收|编制|实有人数|在职人员|"
    r"离退休|退休人员|文号|电话|邮编|附件|^第"
)
# What a date or a number before the measure leaves behind (2024年 → 年度).
_DATE_REST = re.compile(r"^(?:年度?|月份?|日|号|季度)$")
_CAP_OR_FLOOR = re.compile(
    r"不低于|不少于|不高于|不超过|不大于|不小于|不超出|控制|≤|≥|<|>|＜|＞|≦|≧|"
    r"达到|超过|小于|大于|低于|高于|至少"
)
_QUALIFIER_PARENS = re.compile(r"[（(][^（()）]*[）)]")
_ENUMERATION = "分别"
_RANGE_ITEMS = re.compile(
    r"^(?P<a>[一二三四五六七八九十\d]+)(?:至|到|-|—|～)(?P<b>[一二三四五六七八九十\d]+)"
    r"(?P<what>季度|月|年度|年|批次?|期)"
)
_DIGITS = "一二三四五六七八九十"
_ENUM_VERB = re.compile(r"^(?:为|是|达到|达|完成|实现|位列|位居|排名|排|居)")


@dataclass(frozen=True, slots=True)
class Found:
    """One statement of a text, before its kind is decided.

    Attributes:
        start: where the statement starts (its metric, or the value when the metric
            is named after it or elsewhere).
        end: the end of the value.
        metric: what is measured, whitespace removed.
        value_start: offset of the relation and value.
        target_raw: relation and value as written.
        value_raw: the part of ``target_raw`` that is the value (a grade's score in
            parentheses, the value without a ``：``), for normalization.
        clause: the clause the value sits in (for cues of kind).
        score: a score or grade (an actual, guideline rule 28).
    """

    start: int
    end: int
    metric: str
    value_start: int
    target_raw: str
    value_raw: str
    clause: str
    score: bool = False


@dataclass(frozen=True, slots=True)
class _Value:
    start: int  # relation start, or value start
    end: int
    raw: str
    value_raw: str
    relation: str
    count_first: bool  # a count with no relation: its noun may follow it
    money: bool
    grade: bool
    count: bool = False  # a number with a count unit (个, 人次, 名)


# LaTeX math as PDF-to-Markdown converters write it ($95\%$, $\geq 90\%$), each
# replaced by text of the same length so offsets stay those of the input.
_LATEX = (
    (re.compile(r"\\(?:geq|ge)(?![A-Za-z])"), "≥"),
    (re.compile(r"\\(?:leq|le)(?![A-Za-z])"), "≤"),
    (re.compile(r"\\%"), "%"),
    (re.compile(r"\\[A-Za-z]+|[$\\{}]"), ""),
)


def plain(text: str) -> str:
    """``text`` with LaTeX math marks turned into the characters they print,
    padded with spaces to keep every offset."""
    for pattern, symbol in _LATEX:
        text = pattern.sub(lambda m, s=symbol: s.ljust(len(m.group())), text)
    return text


# A count written with one Chinese numeral at the end of its clause
# (开展高温慰问活动一次；, 每周两次，, 研究报告一份、): read as its digit.
_CN_COUNT = re.compile(
    r"(?<![第一二两三四五六七八九十百千万\d])[一二两三四五六七八九]"
    r"(?=(?:" + _COUNT_UNITS + r")(?:[，,。；;、！？]|$))"
)
_CN_DIGITS = {c: str(i) for i, c in enumerate("〇一二三四五六七八九")} | {"两": "2"}


def _arabic(text: str) -> str:
    """``text`` with clause-final one-numeral counts as digits (same offsets)."""
    return _CN_COUNT.sub(lambda m: _CN_DIGITS[m.group()], text)


def find(text: str) -> list[Found]:
    """Every statement of ``text`` in order (kind left to the caller)."""
    if "$" in text or "\\" in text:
        text = plain(text)
    written, text = text, _arabic(text)
    values = list(_values(text))
    found: list[Found] = []
    for start, end in _clauses(text, values):
        inside = [v for v in values if start <= v.start and v.end <= end]
        found += _clause_statements(text, start, end, inside, found)
    if written == text:
        return found
    return [_as_written(f, written) for f in found]


def _as_written(found: Found, written: str) -> Found:
    """``found`` with its target_raw as the text writes it (一次, not 1次)."""
    raw = written[found.value_start : found.end].strip().lstrip(":：").strip()
    return replace(found, target_raw=raw)


def _parenthesized(text: str) -> list[bool]:
    """True at each offset inside parentheses (figures there describe scope)."""
    inside, depth = [], 0
    for ch in text:
        if ch in "（(":
            depth += 1
        inside.append(depth > 0)
        if ch in "）)" and depth:
            depth -= 1
    return inside


def _values(text: str) -> Iterator[_Value]:
    masked = _parenthesized(text)
    taken: list[tuple[int, int]] = []
    for match in GRADE.finditer(text):
        if masked[match.start()]:
            continue
        score = match.group("score")
        value = score or (match.group("grade") + (match.group("bound") or ""))
        taken.append((match.start(), match.end()))
        yield _Value(
            match.start(), match.end(), match.group(), value.replace(" ", ""),
            match.group("relation"), False, False, True,
        )  # fmt: skip
    for match in VALUE.finditer(text):
        if any(a <= match.start("value") < b for a, b in taken):
            continue
        if masked[match.start("value")] or not _is_value(text, match):
            continue
        relation = (match.group("relation") or "").strip()
        start = match.start("relation") if relation else match.start("value")
        if match.group("period"):
            start = min(start, match.start("period"))
        raw = text[start : match.end()].strip()
        value_raw = raw.lstrip(":：").strip().removeprefix("长")
        yield _Value(
            start, match.end(), raw, value_raw, relation,
            count_first=not relation and _is_count(match),
            money=bool(match.group("money")) or (
                bool(match.group("mult")) and not match.group("unit")
            ),
            grade=False,
            count=_is_count(match),
        )  # fmt: skip


def _is_value(text: str, match: re.Match[str]) -> bool:
    """A number that states a measure: with a unit, a sign or a relation."""
    before = text[match.start() - 1] if match.start() else " "
    after = text[match.end()] if match.end() < len(text) else " "
    if before.isdigit() or before in ".．" or after.isdigit() or after in ".．-—":
        return False
    if before == "第" or after in "号〕】]年月日":
        return False  # ranks, document numbers, dates
    number = match.group("number")
    lead = text[match.start("number") - 1] if match.start("number") else " "
    if number in "百千" and (not match.group("unit") or lead not in "等超"):
        return False  # 百场 only as a count (等百场活动, 超百家), not 百家酒店计划
    has_unit = bool(match.group("unit")) or bool(match.group("mult"))
    relation = (match.group("relation") or "").strip()
    if not has_unit and not relation:
        return False
    if not has_unit and not (after.isspace() or after in CLAUSE_END):
        return False  # a bare number is a value only at the end of its clause
    if not has_unit and relation in ("为", "是", "达", "超", "近", "逾"):
        return number.strip() == "0"
    return True


def _is_count(match: re.Match[str]) -> bool:
    unit = match.group("unit") or ""
    return bool(unit) and unit not in ("%", "％", "‰") and not match.group("money")


def _clauses(text: str, values: list[_Value]) -> Iterator[tuple[int, int]]:
    """Clause spans: split at punctuation, and at ``、`` right after a value."""
    value_ends = {v.end for v in values}
    start = 0
    for i, ch in enumerate(text):
        if _thousands_comma(text, i):
            continue
        if (ch in CLAUSE_END and not _colon_before_value(text, i, values)) or (
            ch == "、" and i in value_ends and _ENUMERATION not in text[start:i]
        ):
            yield start, i
            start = i + 1
    yield start, len(text)


def _thousands_comma(text: str, i: int) -> bool:
    """A comma inside a number (``12,560人次``), which ends no clause."""
    return (
        text[i] in ",，"
        and i > 0
        and text[i - 1].isdigit()
        and re.match(r"\s?\d{3}(?!\d)", text[i + 1 : i + 6]) is not None
    )


def _colon_before_value(text: str, i: int, values: list[_Value]) -> bool:
    """A colon that introduces its clause's value (``项目验收合格率：100%``)."""
    if text[i] not in ":：":
        return False
    j = i + 1
    while j < len(text) and text[j].isspace():
        j += 1
    return any(v.start in (i, j) for v in values)


def _clause_statements(
    text: str, start: int, end: int, values: list[_Value], earlier: list[Found]
) -> list[Found]:
    clause = text[start:end]
    if not values or _NOT_STATEMENT.search(_strip_marks(clause)[:8]):
        return []
    if _ENUMERATION in clause:
        return _enumeration(text, start, end, values)
    out: list[Found] = []
    cursor = start
    for index, value in enumerate(values):
        following = values[index + 1].start if index + 1 < len(values) else end
        if _describes_next(value, values[index + 1 :], text[value.end : following]):
            continue  # the count names the scope of the next measure
        before = text[cursor : value.start]
        after = text[value.end : following]
        cursor = value.end
        found = _statement(clause, before, after, value, out or earlier[-1:])
        if found is not None:
            out.append(found)
    return out


def _describes_next(value: _Value, rest: list[_Value], after: str) -> bool:
    """A count inside the name of the next measure: 养护169.47公里国省道…费用不高于…,
    流域面积50平方公里以上的510条河流."""
    if not value.count_first or not rest or re.search(r"[，,。；;、]", after):
        return False
    if after.strip() == "的":
        return True
    return bool(rest[0].relation) and bool(after.strip())


def _statement(
    clause: str,
    before: str,
    after: str,
    value: _Value,
    previous: list[Found],
) -> Found | None:
    lead = _strip_lead(before)
    noun_after = _noun_after(after)
    if noun_after and _MEASURE_END.search(noun_after):
        noun_after = ""  # the next value's measure (…191亩移交手续或安置数量105套)
    if noun_after and (
        value.count_first
        or (value.count and _only_lead_ins(_after_time(lead)))
        or (value.count and not _MEASURE_END.search(lead) and _ends_in_verb(lead))
    ):
        # 完成15个老旧小区改造, 为1236名老年人提供服务: the counted noun follows
        metric, start = _VALUE_MODIFIER.sub("", noun_after), value.start
    else:
        metric = _VALUE_MODIFIER.sub("", lead).strip()
        if "、" in metric:
            metric = metric.removesuffix("等")  # A、B等50个: the items, not 等
        start = value.start - len(before) + len(before.rstrip()) - len(lead)
    metric = re.sub(r"\s+", "", metric).strip("的、:：")
    if _only_lead_ins(metric):
        metric = ""
    if not metric and previous and "实际" in clause and previous[-1].clause != clause:
        metric = previous[-1].metric  # 计划…20期，实际开展18期: a plan/actual pair
    if not _acceptable(metric, before, value):
        return None
    score = bool(re.search(r"得分|评分|等级|评价结果|分数", metric))
    return Found(
        start=max(0, start), end=value.end, metric=metric, value_start=value.start,
        target_raw=value.raw.lstrip(":：").strip(), value_raw=value.value_raw,
        clause=clause, score=score,
    )  # fmt: skip


def _strip_marks(text: str) -> str:
    text = text.strip()
    while (match := _LIST_MARK.match(text)) is not None and match.end():
        text = text[match.end() :].strip()
    return text


# A time before the measure ends the clause's lead-in (确保2024年…, 开展1年内…);
# an age or type qualifier (65岁及以上…, 2型…) is part of the name.
_TIME_BEFORE = re.compile(
    r"\d+(?:[.．]\d+)?\s*(?:年度|年内|年底|年末|年|个月内|个月|月份|月|季度|日内|日|天内)"
    r"(?:以来|以内|内|底|末)?"
)


def _after_time(text: str) -> str:
    """The text after the last time written in it, outside parentheses."""
    masked = _parenthesized(text)
    cut = 0
    for match in _TIME_BEFORE.finditer(text):
        if not masked[match.start()]:
            cut = match.end()
    return text[cut:]


def _strip_lead(before: str) -> str:
    """The metric candidate before a value: list marks, times before the name and
    lead-in verbs removed."""
    text = _after_time(_strip_marks(before))
    while (match := _LEAD_IN.match(text)) is not None and _names_more(
        text[match.end() :]
    ):
        text = text[match.end() :]
    return text.strip()


def _names_more(rest: str) -> bool:
    """Whether what follows a lead-in still names something (完成率 alone does not)."""
    return len(rest) >= 2 and not (len(rest) <= 3 and re.search(r"[率度数量]$", rest))


def _only_lead_ins(text: str) -> bool:
    """True for text made of lead-in verbs only (实际开展): it names nothing."""
    while text and (match := _LEAD_IN.match(text)) is not None:
        text = text[match.end() :]
    return not text


# Verbs that end a lead-in before a count with a relation: 形成不少于2项成果,
# 项目开展不少于4次巡查: the counted noun after the count is the metric.
_VERB_END = re.compile(r"(?:形成|完成|开展|组织|举办|提供|实施|建成|新增|培训|引进)$")


def _ends_in_verb(lead: str) -> bool:
    return bool(_VERB_END.search(lead))


# Where a counted noun ends: a preposition starts what is done with it
# (153名信息采集员对全区城市事件进行采集).
_NOUN_STOP = re.compile(
    r"(?<=[\u4e00-\u9fff]{2})(?:对(?![接象外口比标应])|向(?!导)|从(?![事业])|进行|用于)"
)


def _noun_after(after: str) -> str:
    """The counted noun written after a count (up to the clause's next value)."""
    noun = re.sub(r"\s+", "", after).lstrip("的")
    stop = _NOUN_STOP.search(noun)
    if stop:
        noun = noun[: stop.start()]
    noun = noun.rstrip("、，,等")
    if noun.endswith("等"):
        noun = noun[:-1]
    return noun if re.match(r"[\u4e00-\u9fff“\"A-Za-z]", noun) else ""


def _acceptable(metric: str, before: str, value: _Value) -> bool:
    """Rule 29: what a researcher would not tabulate."""
    if len(metric) < 2 or not re.search(r"[\u4e00-\u9fffA-Za-z]", metric):
        return False
    if len(metric) == 2 and metric[-1] in "数率":
        return False  # 基数为0: a bare measure word names nothing
    if _CHANGE.search(metric) or _CHANGE.search(before[-8:]):
        return False
    if _NOT_STATEMENT.search(metric) or _DATE_REST.search(metric):
        return False
    if value.money and not _CAP_OR_FLOOR.search(value.relation or ""):
        return False  # an amount, not the target of a measure (rule 35)
    return not re.fullmatch(r"[\d.%]+", metric)


def _enumeration(text: str, start: int, end: int, values: list[_Value]) -> list[Found]:
    """``A、B分别为x、y``: one statement per value, its item in parentheses."""
    clause = text[start:end]
    at = clause.index(_ENUMERATION)
    pre = _strip_lead(clause[:at])
    first = values[0]
    post = text[start + at + len(_ENUMERATION) : first.start]
    verb = _ENUM_VERB.match(post)
    measure = post[verb.end() :] if verb else post
    if verb and verb.group() in ("位列", "位居", "排名", "排", "居"):
        measure += "排名"
    items, head = _items(pre, bool(measure.strip()))
    measure = (head + measure).strip() or head
    out = []
    for i, value in enumerate(values):
        item = items[i] if len(items) == len(values) else str(i + 1)
        if not measure:
            continue
        out.append(
            Found(
                start=value.start,
                end=value.end,
                metric=f"{measure}（{item}）",
                value_start=value.start,
                target_raw=value.raw,
                value_raw=value.value_raw,
                clause=clause,
                score=value.grade,
            )
        )
    return out


def _items(pre: str, measure_after: bool) -> tuple[list[str], str]:
    """The enumerated items before ``分别`` and any measure written after them."""
    ranged = _RANGE_ITEMS.match(pre)
    if ranged:
        a, b, what = ranged.group("a"), ranged.group("b"), ranged.group("what")
        numbers = _expand(a, b)
        return [f"{n}{what}" for n in numbers], pre[ranged.end() :]
    if not measure_after:
        return [], pre
    items = [p for p in re.split(r"[、和及与]", pre) if p]
    last = items[-1] if items else ""
    shared = [
        item + last[len(item) :] if len(item) <= 2 < len(last) else item
        for item in items
    ]
    return shared, ""


def _expand(a: str, b: str) -> list[str]:
    """一至四 → 一 二 三 四; 1至4 → 1 2 3 4."""
    if a.isdigit() and b.isdigit():
        return [str(n) for n in range(int(a), int(b) + 1)]
    if a in _DIGITS and b in _DIGITS:
        return list(_DIGITS[_DIGITS.index(a) : _DIGITS.index(b) + 1])
    return [a, b]

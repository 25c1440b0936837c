"""Find money mentions in running text, with offsets and the item they are for.

:func:`find_amounts` scans budget prose once with the compiled amount grammar of
:mod:`nlp.normalize.money` and keeps a candidate only when it is money:

- a currency is written (元, 万元, 亿元, 美元, ￥ ...), or
- an Arabic number carries 万/亿 without a currency (``固投纳统 63.8 亿``,
  ``项目总预算1720.00万``) and is not followed by a measure (``2万户``,
  ``106.4万m²``, ``12.5万公里``, ``3.2万人次``: ``MEASURE_UNIT_RE``); when
  a Chinese character follows, the clause must name money (预算, 资金, 拨付 ...).

Everything else is left alone: years, percentages, counts with measure words, subject
codes, phone numbers, dates and document numbers (``福财〔2023〕118 号``) never carry
a money unit. Chinese numerals count only with a currency word (``两千元``).

Subject rule (annotation guideline rule 18): the item named just before the amount
in its clause. The clause runs back to the previous clause mark (，。；：、 or a line
break) or the previous amount. Whitespace, leading enumerations (``（一）``, ``2.``),
connectives (其中, 包括, 比 ...), pronouns for the reporting unit (我中心) and trailing
fillers (为, 共计, 预算数, 增加 ...) are dropped. A period (``2022 年``, ``全年``,
``年初``) splits the clause and the last part that still names something wins, so
``公务用车购置费 2022 年预算数`` gives ``公务用车购置费``. When nothing is left, the
amount takes the subject of the previous amount in the same sentence (``比 2021 年
增加 0.9 万元``); failing that, the clause before a colon, or a short heading sentence
just before (``2. 公务接待费。2022 年预算数 0.9 万元``); else None.

With ``default_unit`` (the table's unit line), numbers standing alone in a table
cell (between tabs or ``|``) are reported too, with ``unit_source = "table"``; 4-digit
years and separator-free integers of five or more digits (科目编码 such as
``2080505``) are skipped.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from nlp.normalize.money import (
    AMOUNT_RE,
    CN_NUMERAL_CHARS,
    MEASURE_UNIT_RE,
    NUM,
    UnitSpec,
    arabic_value,
    fold,
    money_from_match,
    parse_unit,
)
from nlp.records import AmountSpan, Money

# Every money mention contains one of these; the grammar runs only around them.
# One character class keeps the scan fast; _anchor_kind sorts the hits.
ANCHOR_RE = re.compile(
    r"[元圆块万亿镑铢币金布郎萬億圓塊￥¥$＄€£₩kKwWｋＫｗＷRUHECJGTAKS]"
)
UNIT_ANCHORS = frozenset("元圆块万亿镑铢币萬億圓塊")
PREFIX_ANCHORS = frozenset("￥¥$＄€£₩")
PAIRED_ANCHORS = {"金": "美", "布": "卢", "郎": "法"}
CODE_ANCHORS = frozenset(
    ("RMB", "CNY", "USD", "HKD", "EUR", "JPY", "GBP", "TWD", "AUD", "KRW", "THB",
     "RUB", "CAD", "SGD", "CHF")
)  # fmt: skip
# Characters an amount may hold before its unit: digits and separators, Chinese
# numerals, multipliers, range marks, approximation words and currency marks.
AMOUNT_CHARS = frozenset(
    "0123456789０１２３４５６７８９,，.． \t\u3000\n-~－～—–〜−至到余多"
    "约为大概将接近不到足超过低高于少最逾≥≧>＞≤≦<＜"
    "人民币RMBCNYUSDHKEJPGTWAKRSF$＄￥¥€£₩"
) | frozenset(CN_NUMERAL_CHARS)
# Reach of the run before a unit: the longest number, range and approximation word
# ("不超过1,000,000.00-2,000,000.00万元"), and after a prefix mark.
WINDOW_BEFORE = 64
WINDOW_AFTER = 64
# After a unit: 人民币, 角/分, 整 and "（含）以上".
TAIL = 16
# Characters that end a clause when looking back for a subject.
CLAUSE_MARKS = frozenset("，,；;。！？!?：:、\n\t|｜")
SENTENCE_MARKS = frozenset("。！？!?\n")
COLON_MARKS = frozenset("：:")
# How far back a subject may start: budget clauses are short, and a bound keeps the
# scan linear in the text length.
MAX_LOOKBACK = 80
# A heading sentence borrowed as the subject is at most this long (公务接待费).
MAX_HEADING = 20

MONEY_CUES = re.compile(
    r"预算|资金|金额|经费|费用|款|拨付|投资|支出|收入|纳统|产值|资产|债|税|营收|"
    r"销售额|营业额|收益|利润|成本|价|租金|工资|补贴|补助|奖金|资本|融资|投入|"
    r"开支|总额|规模|费"
)
_CJK = re.compile(r"[\u3400-\u9fff]")
_SPACE = re.compile(r"\s+")
ENUMERATION = re.compile(
    r"^(?:[（(][一二三四五六七八九十0-9]+[)）]|[一二三四五六七八九十]+[、.．]"
    r"|[0-9]+[、.．)）]|[①-⑳]|[a-zA-Z][.、)）])+"
)
PERIOD = re.compile(
    r"[0-9]{4}年度?(?:年初|年中|年末|年底)?|(?:[今本上去明当]年|全年)(?:度|初|中|末|底)?"
    r"|年初|年中|年末|年底|[一二三四1-4]季度|[0-9]{1,2}月份?|截至[^，,。]*?[日底末]"
    r"|(?<![0-9])(?:19|20)[0-9]{2}(?![0-9])"
)
# Verbs and copulas inside a clause: the item named after the last one wins
# (调减了机构公用经费 → 机构公用经费, 主要是公务用车购置费 → 公务用车购置费).
MID_SPLIT = re.compile(r"调[增减]了?|用于|支付|包括|其中|了|为|是")
LEADING_FILLERS = (
    "其中", "主要包括", "具体包括", "包括", "含", "以及", "及", "和", "与", "另外",
    "此外", "相比", "比上年", "较上年", "比", "较", "用于", "支付", "共", "累计",
    "预计", "实现", "顺利完成", "完成", "我中心", "我部门", "我单位", "我局",
    "本单位", "本部门", "本中心", "该单位", "另行", "另", "安排", "下达", "的", "：",
    ":",
)  # fmt: skip
# The budget figure words that name the amount when no item precedes them.
_MEASURE_WORD = re.compile(
    r"(?:年初|全年|调整后)?(?:预算数|执行数|决算数|支出数|预算|金额|总额)"
)
TRAILING_FILLERS = (
    "安排资金", "拨付资金", "下达资金", "调整数为", "调整为", "调整", "调增了",
    "调减了", "共计", "合计", "总计", "累计",
    "达到", "总金额", "预算数", "执行数", "金额", "总额", "安排", "调增", "调减",
    "增加", "减少", "增长", "下降", "拨付", "为", "是", "达", "共", "计", "了",
    "较", "比", "的", "在", "：", ":",
)  # fmt: skip
# A part that is only one of these names nothing by itself.
PURE_FILLERS = frozenset({"预算", "资金", "规模", "数", "实际", "全年"})

CELL_RE = re.compile(
    rf"(?:(?<=^)|(?<=[\t|]))[ ]*(?P<num>-?{NUM})[ ]*(?=[\t|\n]|$)", re.M
)
_YEAR_CELL = re.compile(r"(?:19|20)[0-9]{2}")
_CODE_CELL = re.compile(r"[0-9]{5,}")
_CELL_SPLIT = re.compile(r"[\t|]")
_NUMERIC_CELL = re.compile(r"[-0-9.,%]+")


def find_amounts(text: str, default_unit: str | None = None) -> list[AmountSpan]:
    """Find every money mention in ``text``.

    Args:
        text: running text (a paragraph, a page, a document).
        default_unit: the unit of bare numbers in table cells (``"万元"``); without
            it only amounts that write their unit are found.

    Returns:
        The mentions in text order; ``text[span.start:span.end] == span.money.text``.
    """
    spans: list[AmountSpan] = []
    sentence_subjects: dict[int, str] = {}
    sentence_keys: list[int] = []
    pos = 0
    for m in _candidates(text):
        start, end = m.span()
        if start < pos:
            continue
        money = money_from_match(m, text[start:end], None)
        if money is None:
            continue
        sentence = _sentence_start(text, start, spans, sentence_keys)
        subject = _subject(text, start, spans, sentence, sentence_subjects)
        spans.append(AmountSpan(start, end, money, subject))
        sentence_keys.append(sentence)
        pos = end
    if default_unit is not None:
        spans = _with_cells(text, spans, parse_unit(default_unit))
    return spans


def _candidates(text: str) -> Iterator[re.Match[str]]:
    """Grammar matches that are money, in text order, without overlaps.

    The full grammar runs only from the start of the amount-like run of characters
    that ends at a unit character (元, 万, ￥, USD ...): every money mention holds
    one, and most of a document is far from any, which keeps the scan cheap.
    """
    n = len(text)
    done = 0  # everything before this offset has been decided
    for anchor in ANCHOR_RE.finditer(text):
        a = anchor.start()
        if a < done:
            continue
        prefix = _anchor_kind(text, a)
        if prefix is None:
            continue
        lo = a
        floor = max(done, a - WINDOW_BEFORE)
        while lo > floor and text[lo - 1] in AMOUNT_CHARS:
            lo -= 1
        hi = min(n, a + (WINDOW_AFTER if prefix else TAIL))
        q = lo
        while q <= a:
            m = AMOUNT_RE.search(text, q, hi)
            if m is None or m.start() > a:
                break
            if m.end() <= a:
                q = _resume(m)
                continue
            if _is_money(m, text):
                done = m.end()
                yield m
            else:
                done = max(done, _resume(m))
            break


def _anchor_kind(text: str, a: int) -> bool | None:
    """Whether the anchor at ``a`` is a prefix mark (True), a unit (False), or
    not an anchor after all (None): 金 without 美, a stray capital letter."""
    ch = text[a]
    if ch in UNIT_ANCHORS:
        return False
    if ch in PREFIX_ANCHORS:
        return True
    prev = text[a - 1] if a else ""
    if ch in PAIRED_ANCHORS:
        return False if prev == PAIRED_ANCHORS[ch] else None
    if ch in "kKwWｋＫｗＷ":
        k = a - 1
        while k >= 0 and text[k] in " \t":
            k -= 1
        return False if k >= 0 and text[k].isdecimal() else None
    code = text[a : a + 3]
    if code in CODE_ANCHORS and not (prev.isascii() and prev.isalpha()):
        return True
    return None


def _resume(m: re.Match[str]) -> int:
    """Where to search again after a rejected candidate.

    A number that swallowed an enumeration (``3. 500万元`` at a line start) is
    retried just after its point; otherwise after the candidate.
    """
    num = m["num"]
    if num:
        dot = num.find(".")
        if 0 <= dot < len(num) - 1 and num[dot + 1].isspace():
            return m.start("num") + dot + 1
    return max(m.end(), m.start() + 1)


def _is_money(m: re.Match[str], text: str) -> bool:
    """Whether a grammar match is a money mention in prose (module docstring)."""
    if _enumeration_number(m, text):
        return False
    unit = m["unit"]
    if unit:
        return _unit_word_ok(m, text)
    if m["cur"]:
        return m["num"] is not None or m["cnum"] is not None
    mult = m["mult"]
    if m["num"] is None or not mult or ("万" not in mult and "亿" not in mult):
        return False
    return _bare_wan_ok(text, m.start(), m.end())


def _enumeration_number(m: re.Match[str], text: str) -> bool:
    """``3. 500万元`` at a line start: the ``3.`` is a list marker, not 3.500."""
    num = m["num"]
    if not num or (". " not in num and ".\n" not in num):
        return False
    line_start = text.rfind("\n", 0, m.start("num")) + 1
    return not text[line_start : m.start("num")].strip()


def _unit_word_ok(m: re.Match[str], text: str) -> bool:
    """块 is also a measure word (三块地) and 日元 hides in dates (1月1日元旦)."""
    unit = m["unit"]
    end = m.end()
    nxt = text[end] if end < len(text) else ""
    if unit == "块" and not (m["jiao"] or m["tail"] or m["fen2"] or m["zheng"]):
        return not _CJK.match(nxt) or nxt in "钱以左上"
    if unit == "日元":
        before = text[max(0, m.start() - 4) : m.start()]
        return "月" not in before
    return True


def _bare_wan_ok(text: str, start: int, end: int) -> bool:
    """万/亿 without 元: money unless a measure follows (also on the next line,
    where a wrapped unit lands) or, when a Chinese character follows, the clause
    does not talk about money."""
    if MEASURE_UNIT_RE.match(text, _skip_space(text, end)):
        return False
    k = end
    while k < len(text) and text[k] in " \t":
        k += 1
    nxt = text[k] if k < len(text) else ""
    if not nxt or not _CJK.match(nxt) or text.startswith(("以上", "左右", "以内"), k):
        return True
    clause_start = _clause_start(text, start, 0)
    return MONEY_CUES.search(text, clause_start, start) is not None


def _skip_space(text: str, k: int) -> int:
    while k < len(text) and text[k].isspace():
        k += 1
    return k


def _clause_start(text: str, start: int, floor: int) -> int:
    lo = max(floor, start - MAX_LOOKBACK)
    i = start - 1
    while i >= lo and text[i] not in CLAUSE_MARKS:
        i -= 1
    return i + 1


def _subject(
    text: str,
    start: int,
    spans: list[AmountSpan],
    sentence: int,
    sentence_subjects: dict[int, str],
) -> str | None:
    """The item named before the amount at ``start`` (module docstring)."""
    floor = spans[-1].end if spans else 0
    clause_start = _clause_start(text, start, floor)
    subject = clean_subject(text[clause_start:start])
    if subject is None:
        subject = sentence_subjects.get(sentence)
    if subject is None and clause_start > 0 and clause_start != floor:
        mark = text[clause_start - 1]
        if mark in COLON_MARKS:
            prev = _clause_start(text, clause_start - 1, floor)
            subject = clean_subject(text[prev : clause_start - 1])
        elif mark in SENTENCE_MARKS:
            subject = _heading_before(text, clause_start - 1, floor)
    if subject is None:
        # 全年执行数 8.47 万元: no item is named, the figure word is the subject.
        subject = measure_word_subject(text[clause_start:start])
    if subject is not None:
        sentence_subjects[sentence] = subject
    return subject


def _sentence_start(
    text: str, start: int, spans: list[AmountSpan], keys: list[int]
) -> int:
    """A key for the sentence holding ``start``: where it begins.

    A sentence that reaches back to the previous amount without a sentence mark is
    that amount's sentence (a line break inside ``52. 34\n\n万元`` ends nothing).
    """
    floor = spans[-1].end if spans else 0
    lo = max(floor, start - 4 * MAX_LOOKBACK)
    i = start - 1
    while i >= lo and text[i] not in SENTENCE_MARKS:
        i -= 1
    if i < lo and lo == floor and keys:
        return keys[-1]
    return i + 1


def _heading_before(text: str, mark: int, floor: int) -> str | None:
    """A short sentence that ends at ``mark`` and names an item (公务接待费)."""
    end = mark
    while end > floor and text[end - 1] in "\n ":
        end -= 1
    lo = max(floor, end - MAX_HEADING - 8)
    i = end - 1
    while i >= lo and text[i] not in SENTENCE_MARKS:
        i -= 1
    if i < lo and lo > floor:
        return None  # no sentence start within reach: not a heading
    candidate = text[i + 1 : end]
    if any(ch in CLAUSE_MARKS for ch in candidate):
        return None
    subject = clean_subject(candidate)
    if subject is not None and len(subject) <= MAX_HEADING:
        return subject
    return None


def clean_subject(raw: str) -> str | None:
    """Reduce the words before an amount to the item they name.

    Args:
        raw: the clause text between the clause mark and the amount.

    Returns:
        The item (``"人员支出"``), or None when only fillers remain.
    """
    text = _SPACE.sub("", fold(raw))
    text = ENUMERATION.sub("", text)
    if not text:
        return None
    best = None
    for period_part in PERIOD.split(text):
        for part in MID_SPLIT.split(period_part):
            cleaned = _strip_fillers(part)
            if cleaned:
                best = cleaned
    return best


def measure_word_subject(raw: str) -> str | None:
    """The budget figure word a clause names (执行数), when nothing else does."""
    text = _SPACE.sub("", fold(raw))
    found = None
    for period_part in PERIOD.split(text):
        for part in MID_SPLIT.split(period_part):
            if _MEASURE_WORD.fullmatch(part):
                found = part
    return found


def _strip_fillers(part: str) -> str:
    changed = True
    while changed and part:
        changed = False
        for word in LEADING_FILLERS:
            if part.startswith(word) and len(part) > len(word):
                part = part[len(word) :]
                changed = True
            elif part == word:
                return ""
        for word in TRAILING_FILLERS:
            if part.endswith(word):
                part = part[: -len(word)]
                changed = True
    part = ENUMERATION.sub("", part)
    if part in PURE_FILLERS:
        return ""
    return part


def _with_cells(text: str, spans: list[AmountSpan], unit: UnitSpec) -> list[AmountSpan]:
    """Add the bare numeric table cells, valued in ``unit``."""
    taken = [(s.start, s.end) for s in spans]
    cells: list[AmountSpan] = []
    folded = fold(text)
    for m in CELL_RE.finditer(folded):
        start, end = m.span("num")
        raw = m["num"]
        if _YEAR_CELL.fullmatch(raw) or _CODE_CELL.fullmatch(raw):
            continue
        if any(s < end and start < e for s, e in taken):
            continue
        value: Decimal = arabic_value(raw.lstrip("-")) * unit.factor
        if raw.startswith("-"):
            value = -value
        money = Money(
            text=text[start:end],
            value=value,
            currency=unit.currency,
            unit_source="table",
        )
        cells.append(AmountSpan(start, end, money, _row_label(folded, start)))
    return sorted([*spans, *cells], key=lambda s: s.start)


def _row_label(folded: str, start: int) -> str | None:
    """The nearest non-numeric cell before ``start`` on its line."""
    line_start = folded.rfind("\n", 0, start) + 1
    for cell in reversed(_CELL_SPLIT.split(folded[line_start:start])):
        label = _SPACE.sub("", cell)
        if label and not _NUMERIC_CELL.fullmatch(label):
            return ENUMERATION.sub("", label) or None
    return None

"""Target values (目标值 / 指标值) in the canonical form of CONTRACT.md "Target text".

A target is cleaned (full-width folded, spaces and trailing punctuation dropped), then
read as a qualitative phrase from a short vocabulary, or by this grammar::

    target   := [weak] [comparison | sign] quantity [suffix]
    quantity := number unit? (~ | - | 至 | 到) number unit?      a range, op "~"
              | 每 period [comparison | sign] number unit        a per-period rate
              | number unit?          unit: % 次 人 万元 ..., or base/denominator

The operator comes from, in order of precedence: a sign or comparison word (不低于,
大于 ...), a suffix (以上 ≥, 以下/以内 ≤), a weak word (达/达到 ≥, 为/是 =), else "=".
Anything else is ``qual`` with the cleaned text and the note ``unrecognised``, never a
guess. Each rule that changes the text is a function named after its ``notes`` tag.

The word lists and compiled patterns live in :mod:`nlp.normalize.target_vocab`,
built on the grammar shared with money (:mod:`nlp.normalize.grammar`). Cells holding
several named targets are split by :mod:`nlp.normalize.clauses`, which reads each
clause with these rules; :mod:`nlp.normalize.target` offers both.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from decimal import Decimal

from nlp.normalize.grammar import read_numeral
from nlp.normalize.numerals import DIGITS, NUMERAL_CHARS
from nlp.normalize.target_clean import (
    apply_rule,
    approx,
    clean_target_text,
    count_unit,
    doubled_sign,
    dup_100_suffix,
    fullwidth,
    leading_equals,
    negative_zero,
    thousands_sep,
)
from nlp.normalize.target_vocab import (
    _APPROX_LEAD_RE,
    _BRACKET_UNIT_RE,
    _CJK,
    _COLUMN_UNIT_RE,
    _CONDITION_RE,
    _COUNT_NAME_RE,
    _COUNTED_RE,
    _EACH_RE,
    _FOLD_MAP,
    _GRADE_RE,
    _INCLUSIVE_RE,
    _LINK_RE,
    _NAME_STOP_RE,
    _PREFIX_RE,
    _QUALITATIVE_RES,
    _RANGE_RE,
    _RATIO_RE,
    _REFERENCE_RE,
    _REMARK_RE,
    _SINGLE_RE,
    _SPACE_RE,
    _SUFFIX_RE,
    _UNIT_RE,
    BASE_UNITS,
    MONEY_UNITS,
    NO_UNIT,
    PERCENT_WORDS,
    PERIOD_ALIASES,
    PERIODS,
    QUALITATIVE_UNITS,
    QUALITATIVE_WORDS,
    SIGN_OPS,
    STRONG_OPS,
    SUFFIX_OPS,
    TIME_UNITS,
    WEAK_OPS,
)
from nlp.records import Target

logger = logging.getLogger(__name__)

# Measures named before a relation-less value (guideline rule 4): 按时办结率100%.
MEASURE_ENDINGS = ("率", "度", "比例", "比率", "占比", "数", "数量")
# A named measure is short; longer text is prose, not a target cell's clause.
MAX_CLAUSE_CHARS = 200
# A value holds a digit or a Chinese numeral; text without one names no value.
_HAS_NUMBER_RE = re.compile(f"[0-9０-９{''.join(sorted(NUMERAL_CHARS))}]")
# Characters a value can start with: where a measure's name may end.
_VALUE_START = (
    frozenset(
        "".join([*WEAK_OPS, *STRONG_OPS, *SIGN_OPS, *_FOLD_MAP, "0123456789-每约"])
    )
    | NUMERAL_CHARS
)


@dataclass(slots=True)
class _Number:
    """One number as read: value, arabic digits as written, how it was written.

    ``value_max`` is set for a fuzzy number (十几, 三五百, 10余), read as a range.
    """

    value: Decimal
    digits: str | None
    percent: bool
    chinese: bool
    value_max: Decimal | None = None


@dataclass(slots=True)
class _Reading:
    """A numeric target read from cleaned text."""

    op: str
    low: _Number
    high: _Number | None
    unit: str | None
    relation: str | None
    notes: list[str] = field(default_factory=list)
    repaired: bool = False


# ---------------------------------------------------------------- reading numbers


def format_number(value: Decimal) -> str:
    """Plain decimal digits without trailing zeros after the point (100.0 → 100)."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _read_number(match: re.Match[str], tag: str) -> _Number | None:
    """The number captured under ``tag`` in ``match``, None if not a numeral."""
    percent = match.group(f"{tag}pct") is not None
    digits = match.group(f"{tag}ar")
    if digits is not None:
        return _Number(Decimal(digits), digits, percent, chinese=False)
    numeral = match.group(f"{tag}cn")
    counted = percent or bool(match.group(f"{tag}unit"))
    read = read_numeral(numeral) if _is_numeral_start(numeral, counted) else None
    if read is None:
        return None
    low, high = read
    return _Number(low, None, percent, True, high if high != low else None)


def _is_numeral_start(numeral: str, counted: bool) -> bool:
    """A Chinese numeral starts with a digit or 十 (十二); 百 alone only before a
    unit or in 百分之百 (百场, 超百家).

    Keeps a bare 万, 亿元, 千米 or 点五 from reading as a number; 几/数 start a fuzzy
    one (几十, 数百).
    """
    if counted and numeral in ("百", "佰"):
        return True
    return numeral[0] in DIGITS or numeral[0] in "十拾几幾数數"


def _number_unit(number: _Number, unit: str | None) -> str | bool | None:
    """The unit of a number (百分之 gives %); False when both 百分之 and a unit."""
    if number.percent:
        return False if unit else "%"
    return unit


def canonical_unit(unit: str) -> tuple[str, bool]:
    """Drop 每 from a denominator and spell periods one way (次/每季 → 次/季度);
    brackets naming an alternative are half-width (台（套） → 台(套)).

    Returns:
        The unit and whether it changed.
    """
    written = unit.replace("（", "(").replace("）", ")")  # 台（套） → 台(套)
    base, *denominators = written.split("/")
    denominators = [d.removeprefix("每") for d in denominators]
    out = "/".join([base, *(PERIOD_ALIASES.get(d, d) for d in denominators)])
    return out, out != written


def _read_each(body: str) -> _Reading | None:
    """``每季度1次`` → 1次/季度; ``每月至少1次`` → ≥1次/月."""
    match = _EACH_RE.fullmatch(body)
    if match is None or "/" in match.group("aunit"):
        return None
    number = _read_number(match, "a")
    if number is None or number.percent or number.value_max is not None:
        return None
    period = match.group("period")
    unit = f"{match.group('aunit')}/{PERIOD_ALIASES.get(period, period)}"
    inner = match.group("inner")
    op = STRONG_OPS.get(inner or "") or SIGN_OPS.get(inner or "") or "="
    notes = ["period-rate"] + (["word-operator"] if inner in STRONG_OPS else [])
    return _Reading(op, number, None, unit, inner, notes)


def _read_range(body: str) -> _Reading | None:
    """``80%-100%``, ``80%～100%``, ``80%至100%``, ``80-100%`` → 80%~100%."""
    match = _RANGE_RE.fullmatch(body)
    if match is None:
        return None
    low, high = _read_number(match, "a"), _read_number(match, "b")
    if low is None or high is None or low.value_max or high.value_max:
        return None
    low_unit = _number_unit(low, match.group("aunit"))
    high_unit = _number_unit(high, match.group("bunit"))
    if low_unit is False or high_unit is False or high.value < low.value:
        return None
    if low_unit is not None and low_unit != high_unit:
        return None  # 80%-100 or 5次-10%: not one quantity
    return _Reading("~", low, high, high_unit or None, None, ["range"])


def _read_single(body: str) -> _Reading | None:
    """``95%``, ``≥20人``, ``1份/项目``, ``百分之九十五``, ``153``."""
    match = _SINGLE_RE.fullmatch(body)
    if match is None:
        return None
    number = _read_number(match, "a")
    if number is None:
        return None
    unit = _number_unit(number, match.group("aunit"))
    if unit is False:
        return None
    if number.value_max is not None:  # fuzzy: 十几个, 三五百人, 10余场
        high = _Number(number.value_max, None, False, number.chinese)
        return _Reading("~", number, high, unit or None, None, ["fuzzy-numeral"])
    return _Reading("=", number, None, unit or None, None)


def _read_ratio(body: str) -> _Reading | None:
    """``1:1``, ``1：3`` → value 1, unit ``:3`` (the text stays ``1:3``)."""
    match = _RATIO_RE.fullmatch(body)
    if match is None:
        return None
    first = match.group("aar")
    unit = ":" + format_number(Decimal(match.group("den")))
    number = _Number(Decimal(first), first, percent=False, chinese=False)
    return _Reading("=", number, None, unit, None, ["ratio"])


def _read_counted(body: str) -> _Reading | None:
    """``11个辖区``, ``1份阶段性报告``: a count whose unit keeps the counted noun."""
    match = _COUNTED_RE.fullmatch(body)
    if match is None or _UNIT_RE.fullmatch(match.group("aunit")):
        return None
    number = _read_number(match, "a")
    if number is None or number.percent or number.value_max is not None:
        return None
    return _Reading("=", number, None, match.group("aunit"), None, ["counted-noun"])


def _read_reference(body: str) -> _Reading | None:
    """``项目概算4400万元`` after a bound: the amount the bound refers to.

    Only an amount of money is read so: after a percentage or a count the words
    name a base the value is a share of or a difference from (大于预算编外人员数80%).
    """
    match = _REFERENCE_RE.fullmatch(body)
    reading = _read_single(match.group("rest")) if match else None
    if reading is None or reading.unit not in MONEY_UNITS:
        return None
    reading.notes.append("reference")
    return reading


def _read_quantity(body: str, bound: bool) -> _Reading | None:
    """The quantity after the operator, by each form of the grammar in turn."""
    return (
        _read_each(body)
        or _read_range(body)
        or _read_ratio(body)
        or _read_single(body)
        or _read_counted(body)
        or (_read_reference(body) if bound else None)
    )


def _resolve_op(reading: _Reading, weak: str | None, strong: str | None,
                suffix: str | None) -> str | None:  # fmt: skip
    """Combine prefix, suffix and rate operators by the module's precedence rule."""
    explicit = STRONG_OPS.get(strong or "") or SIGN_OPS.get(strong or "")
    if reading.op == "~":
        return None if explicit or suffix else "~"
    if reading.op != "=":  # an operator inside a rate: 每月至少1次
        return None if explicit else reading.op
    if explicit:
        return explicit
    if suffix:
        return SUFFIX_OPS[suffix]
    return WEAK_OPS[weak] if weak else "="


def _read_numeric(cleaned: str) -> _Reading | None:
    """Read a cleaned target as operator + quantity, None when the grammar fails."""
    notes: list[str] = []
    text = apply_rule(thousands_sep, cleaned, notes)
    text = apply_rule(doubled_sign, text, notes)
    about = _APPROX_LEAD_RE.match(text)  # 约100次: 约 relates a name to its value
    text = apply_rule(approx, text, notes)
    prefix = _PREFIX_RE.match(text)
    if prefix is None:  # both parts are optional, so this never happens
        return None
    weak, strong = prefix.group("weak"), prefix.group("strong")
    body = text[prefix.end() :]
    inclusive = _INCLUSIVE_RE.search(body)  # 95%以上（含）: 以上 already includes 95%
    body = body[: inclusive.start()] if inclusive else body
    bracket = _BRACKET_UNIT_RE.search(body)  # ≥60000（条）
    remark = None if bracket else _REMARK_RE.search(body)  # ≥95%（扣除…）
    body = body[: remark.start()] if remark else body
    suffix_match = _SUFFIX_RE.search(body)
    suffix = suffix_match.group() if suffix_match else None
    body = body[: suffix_match.start()] if suffix_match else body
    bracket = _BRACKET_UNIT_RE.search(body)
    body = body[: bracket.start()] if bracket else body
    bound = STRONG_OPS.get(strong or "") in ("≥", "≤") or weak == "控制"
    reading = _read_quantity(body, bound)
    if reading is None or (bracket and not _take_bracket_unit(reading, bracket)):
        return None
    op = _resolve_op(reading, weak, strong, suffix)
    if op is None or (inclusive and not _inclusive_agrees(inclusive, op, reading)):
        return None
    if weak or strong in STRONG_OPS or suffix or (inclusive and op != "="):
        notes.append("word-operator")
    if remark:
        notes.append("remark")
    relation = (weak or "") + (strong or "") or (about.group() if about else None)
    reading.op, reading.relation = op, relation
    reading.notes = notes + reading.notes
    if reading.low.chinese or (reading.high and reading.high.chinese):
        reading.notes.append("chinese-numeral")
    _finish_unit(reading)
    _repair_dup_100(reading)
    _fix_negative_zero(reading)
    return reading


def _take_bracket_unit(reading: _Reading, bracket: re.Match[str]) -> bool:
    """Give the reading the unit written in brackets; False when it has another.

    After 万/亿 the bracket names what is counted (100万（条） → 万条); after another
    measure word, an alternative one (330台（套） → 台(套)).
    """
    unit = bracket.group("unit")
    written = reading.unit
    if written in ("万", "亿") and unit in BASE_UNITS:
        unit = written + unit
    elif written in BASE_UNITS and unit in BASE_UNITS and written != unit:
        unit = f"{written}({unit})"
    elif written is not None and written != unit:
        return False
    reading.unit = unit
    reading.notes.append("bracket-unit")
    return True


def _inclusive_agrees(mark: re.Match[str], op: str, reading: _Reading) -> bool:
    """``（含95%）`` fits ``≥95%`` / ``≤95%`` only: the bound it includes.

    A bare ``（含）`` after a plain ``100%`` is dropped: a rate cannot pass 100%, so
    whether the mark meant ≥ or = the target is the same. After any other plain
    value (``95%（含）``) it may stand for a missing 以上, and the target stays qual.
    """
    number = mark.group("number")
    if op == "=" and number is None and "本数" not in mark.group():
        return _is_full_rate(reading)
    if op not in ("≥", "≤") or number is None:
        return op in ("≥", "≤")
    return (
        re.fullmatch(r"[0-9]+(?:\.[0-9]+)?", number) is not None
        and Decimal(number) == reading.low.value
    )


def _is_full_rate(reading: _Reading) -> bool:
    """Whether the reading is exactly 100%."""
    return reading.high is None and reading.unit == "%" and reading.low.value == 100


def _finish_unit(reading: _Reading) -> None:
    """Put the unit in canonical spelling, noting a rewritten period."""
    if reading.unit is None:
        return
    if reading.unit in PERCENT_WORDS:  # >=100百分比 → ≥100% (guideline rule 20)
        reading.unit = "%"
        reading.notes.append("percent-word")
    counted = count_unit(reading.unit)
    if counted != reading.unit:
        reading.unit = counted
        reading.notes.append("count-unit")
    reading.unit, changed = canonical_unit(reading.unit)
    if changed and "period-rate" not in reading.notes:
        reading.notes.append("period-rate")


def _repair_dup_100(reading: _Reading) -> None:
    """Apply :func:`dup_100_suffix` to a single percentage written in the text."""
    low = reading.low
    if reading.high or reading.unit != "%" or low.digits is None or low.percent:
        return
    if "thousands-sep" in reading.notes:
        return
    real = dup_100_suffix(low.digits)
    if real is not None:
        reading.low = _Number(Decimal(real), real, False, False)
        reading.notes.append("dup-100-suffix")
        reading.repaired = True


def _fix_negative_zero(reading: _Reading) -> None:
    """Apply :func:`negative_zero` to both ends, noting it when a sign was dropped."""
    for number in (reading.low, reading.high):
        if number is not None and negative_zero(number.value) is not number.value:
            number.value = negative_zero(number.value)
            reading.notes.append("negative-zero")


# ---------------------------------------------------------------- named measures


@dataclass(frozen=True, slots=True)
class NamedValue:
    """A value cell that names its measure first (``更新率>95%``, ``采集率达97%以上``).

    ``name`` is the measure as written (whitespace removed), ``value_at`` where the
    value starts in the text given, after a linking 至/到; ``relation`` the word or
    sign between them (None when there is none).
    """

    name: str
    value_at: int
    relation: str | None
    reading: _Reading


def split_measure(text: str) -> NamedValue | None:
    """Split a measure's name from the numeric value that follows it.

    The name is the shortest prefix after which the rest reads as a numeric target.
    It holds a Chinese character, no comparison and no clause separator
    (``大于预算编外人员数80%``: the value is a share of another quantity). Without a
    relation word, sign, 约 or a linking 至/到 before the value it must end like a
    measure (率, 度, 比例, 数 ...) or start with 新增/累计: ``电脑4台`` names nothing.

    Returns:
        The name and its value, or None.
    """
    if len(text) > MAX_CLAUSE_CHARS or not _HAS_NUMBER_RE.search(text):
        return None
    for i in range(1, len(text)):
        if text[i] not in _VALUE_START or text[i - 1] in "0123456789.-":
            continue
        if text[i - 1].isspace() or not re.search(f"[{_CJK}]", text[:i]):
            continue
        name = _SPACE_RE.sub("", fullwidth(text[:i]))
        if _NAME_STOP_RE.search(name):
            return None
        link = _LINK_RE.match(text, i)
        if link and any((name + link.group()).endswith(w) for w in WEAK_OPS):
            link = None  # 达到 is one word, not 达 linked to a value
        value_at = link.end() if link else i
        cleaned, _ = clean_target_text(text[value_at:])
        reading = _read_numeric(cleaned) if cleaned else None
        if reading is None or is_qualitative_phrase(cleaned):
            continue
        relation = reading.relation or (link.group() if link else None)
        if relation is None and not _names_a_measure(name):
            return None
        return NamedValue(name, value_at, relation, reading)
    return None


def _names_a_measure(name: str) -> bool:
    """A name ending like a measure (率, 度, 数 ...) or counting what is added."""
    return name.endswith(MEASURE_ENDINGS) or _COUNT_NAME_RE.match(name) is not None


def _read_named(raw: str) -> _Reading | None:
    """A value cell naming its measure, read as the value (note ``metric-prefix``).

    Read from the raw text: a space before the number parts two cells of a text
    export (``项目全年预算数 52.34``), not a name from its value. A name starting
    with 每 and a period gives a rate per that period (``每天…用餐不少于95人`` →
    ``≥95人/天``).
    """
    named = split_measure(raw.strip())
    if named is None:
        return None
    reading = named.reading
    reading.notes.insert(0, "metric-prefix")
    period = re.match(rf"每({'|'.join(PERIODS)})", named.name)
    if period and reading.high is None and reading.unit and "/" not in reading.unit:
        reading.unit = f"{reading.unit}/{PERIOD_ALIASES.get(period[1], period[1])}"
        reading.notes.append("period-rate")
    return reading


def _read_condition(cleaned: str) -> _Reading | None:
    """``在接到维护通知后4小时`` → ``4小时``: the time allowed after an event."""
    match = _CONDITION_RE.fullmatch(cleaned)
    reading = _read_numeric(match.group("value")) if match else None
    if reading is None or reading.high is not None or reading.unit not in TIME_UNITS:
        return None
    reading.notes.insert(0, "condition")
    return reading


# One percentage with a few words that say what is reached (`100%全覆盖`,
# `正常运行100%`, `按计划开展100%`); words that compare or name a base
# (`大于预算编外人员数80%`) keep the target qualitative (guideline rule 26).
_WORDED_RATE_RE = re.compile(
    r"(?P<pre>[\u4e00-\u9fff]{0,6})(?P<value>\d+(?:\.\d+)?%)(?P<post>[\u4e00-\u9fff]{0,4})"
)
_NOT_WORDS = re.compile(r"[大小高低超不以至比于数之前后内外占率度达到为是]")


def _read_worded_rate(cleaned: str) -> _Reading | None:
    """``100%全覆盖`` → ``100%``: a percentage stated with what it achieves."""
    match = _WORDED_RATE_RE.fullmatch(leading_equals(cleaned))
    if not match or not (match["pre"] or match["post"]):
        return None
    if _NOT_WORDS.search(match["pre"] + match["post"]):
        return None
    reading = _read_numeric(match["value"])
    if reading is not None:
        reading.notes.append("worded-rate")
    return reading


def _read_grade(cleaned: str) -> _Reading | None:
    """``为良等级（≧80分）`` → ``≥80分``: the score that defines a grade (rule 38)."""
    match = _GRADE_RE.fullmatch(cleaned)
    reading = _read_numeric(match.group("inner")) if match else None
    if reading is not None:
        reading.notes.append("grade-threshold")
    return reading


# ---------------------------------------------------------------- public API


def is_qualitative_phrase(cleaned: str) -> bool:
    """Whether cleaned text is a known qualitative target (显著, 验收合格, 得到提升)."""
    return cleaned in QUALITATIVE_WORDS or any(
        r.fullmatch(cleaned) for r in _QUALITATIVE_RES
    )


def _read_unit_column(unit: str | None) -> str | None:
    """A unit column's content: a unit, ``"qual"`` for 是/否 and 定性, else None."""
    if unit is None:
        return None
    text = re.sub(r"[()（）\[\]【】]", "", _SPACE_RE.sub("", fullwidth(unit)))
    if text in QUALITATIVE_UNITS:
        return "qual"
    if text in NO_UNIT:
        return None
    if text in PERCENT_WORDS:
        return "%"
    text = count_unit(text)  # 个数 → 个 (guideline rule 32)
    if _UNIT_RE.fullmatch(text):
        return canonical_unit(text)[0]
    # The column says it holds a unit: a short word without digits is one, even
    # when the vocabulary above does not list it (批次, 类, 所学校).
    return text if _COLUMN_UNIT_RE.fullmatch(text) else None


def _qual(raw: str, cleaned: str, notes: list[str]) -> Target:
    """A qualitative target: the cleaned phrase is both text and qualitative."""
    phrase = apply_rule(leading_equals, cleaned, notes)
    return Target(raw, phrase, "qual", qualitative=phrase, notes=tuple(notes))


def qualitative_target(raw: str) -> Target:
    """``raw`` as one qualitative target, whatever it holds (guideline rule 11)."""
    cleaned, notes = clean_target_text(raw)
    return _qual(raw, cleaned, notes)


def _target_from_reading(raw: str, reading: _Reading, notes: list[str]) -> Target:
    """Canonical text: operator (none for = and ~), number, unit glued."""
    unit = reading.unit or ""
    low = format_number(reading.low.value)
    high = format_number(reading.high.value) if reading.high is not None else None
    text = ("" if reading.op in ("=", "~") else reading.op) + low + unit
    if high is not None:
        text += f"~{high}{unit}"
    return Target(
        raw=raw,
        text=text,
        op=reading.op,  # type: ignore[arg-type]
        value=Decimal(low),
        value_max=Decimal(high) if high is not None else None,
        unit=reading.unit,
        repaired=reading.repaired,
        notes=tuple(notes + reading.notes),
    )


def _read_value(cleaned: str, raw: str) -> _Reading | None:
    """The first rule that reads ``cleaned`` as a value (``raw`` for a named one)."""
    return (
        _read_numeric(cleaned)
        or _read_grade(cleaned)
        or _read_condition(cleaned)
        or _read_worded_rate(cleaned)
        or _read_named(raw)
    )


def normalize_target(raw: str, unit: str | None = None) -> Target:
    """Normalize a target value to CONTRACT.md's canonical form.

    Args:
        raw: the target cell or clause as written.
        unit: the content of a separate unit column (``%``, ``次``, ``万元``), used
            when the value has no unit of its own; ``是/否`` or ``定性`` marks the
            target qualitative.

    Returns:
        The Target; ``qual`` with the note ``unrecognised`` when no rule applies.
    """
    cleaned, notes = clean_target_text(raw)
    column = _read_unit_column(unit)
    if is_qualitative_phrase(leading_equals(cleaned)):
        return _qual(raw, cleaned, notes)
    reading = _read_value(cleaned, raw)
    body = leading_equals(cleaned)
    if reading is None and body != cleaned:
        # =为0, =达到95%: the sign is dropped as before a phrase (guideline rule 33),
        # and what follows is read on its own.
        reading = _read_value(body, body)
        if reading is not None:
            reading.notes.append("leading-equals")
    if reading is not None and column == "qual" and reading.unit is None:
        return _qual(raw, cleaned, [*notes, "unit-column"])
    if reading is not None:
        if reading.unit is None and column is not None:
            reading.unit = column
            reading.notes.append("unit-column")
        return _target_from_reading(raw, reading, notes)
    if column == "qual" and cleaned:
        return _qual(raw, cleaned, [*notes, "unit-column"])
    logger.debug("unrecognised target %r", raw)
    return _qual(raw, cleaned, [*notes, "unrecognised"])

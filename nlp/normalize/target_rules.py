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
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from nlp.normalize.grammar import more_than_step, read_numeral
from nlp.normalize.numerals import DIGITS
from nlp.normalize.target_vocab import (
    _BRACKET_UNIT_RE,
    _COLUMN_UNIT_RE,
    _DOUBLED_SIGN_RE,
    _DUP_100_RE,
    _EACH_RE,
    _FOLD,
    _INCLUSIVE_RE,
    _OCR_SPACE_RE,
    _PREFIX_RE,
    _QUALITATIVE_RES,
    _RANGE_RE,
    _RATIO_RE,
    _SINGLE_RE,
    _SPACE_RE,
    _SUFFIX_RE,
    _THOUSANDS_RE,
    _TRAILING_PUNCT_RE,
    _UNIT_RE,
    BASE_UNITS,
    NO_UNIT,
    PERIOD_ALIASES,
    QUALITATIVE_UNITS,
    QUALITATIVE_WORDS,
    SIGN_OPS,
    STRONG_OPS,
    SUFFIX_OPS,
    WEAK_OPS,
)
from nlp.records import Target

logger = logging.getLogger(__name__)


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


# ---------------------------------------------------------------- cleaning rules


def fullwidth(text: str) -> str:
    """Fold full-width digits, letters and operators (≧ ＞＝ ％ ～) to half-width."""
    return text.translate(_FOLD)


def ocr_space(text: str) -> str:
    """Remove spaces OCR or PDF export left inside a number (``100. 0``, ``1 000``)."""
    return _OCR_SPACE_RE.sub("", text)


def trailing_punct(text: str) -> str:
    """Drop punctuation closing the cell or clause (``97%以上;``, ``95%。``)."""
    return _TRAILING_PUNCT_RE.sub("", text)


def thousands_sep(text: str) -> str:
    """Remove thousands separators (``1,000`` → ``1000``)."""
    return _THOUSANDS_RE.sub("", text)


def dup_100_suffix(digits: str) -> str | None:
    """Undo a copied ``100%`` glued to the real target (``≥95100%`` → ``≥95%``).

    Fires only on a percentage written as a plain integer of five or six digits
    whose last three digits are ``100`` and whose leading digits read 10 to 100:
    ``95100`` → ``95``, ``100100`` → ``100``, ``10100`` → ``10``. Percentages of
    10100% and more are not real targets. It never fires on ``100``, on ``1100`` to
    ``9100`` (a rare but possible percentage, too short to tell), on ``101100``, on
    numbers with a decimal point or thousands separator, or on values without ``%``.

    Args:
        digits: the number's digits exactly as written.

    Returns:
        The real target's digits, or None when the rule does not apply.
    """
    match = _DUP_100_RE.fullmatch(digits)
    return match.group("real") if match else None


def doubled_sign(text: str) -> str:
    """Read a doubled unit sign as one (``≥100%%`` → ``≥100%``)."""
    return _DOUBLED_SIGN_RE.sub(r"\1", text)


def count_unit(unit: str) -> str:
    """A measure word + 数 names the count of that measure: 个数 → 个, 次数 → 次."""
    stem, _, per = unit.partition("/")
    if stem.endswith("数") and stem[:-1] in BASE_UNITS:
        stem = stem[:-1]
    return f"{stem}/{per}" if per else stem


def negative_zero(value: Decimal) -> Decimal:
    """Turn ``-0`` into ``0`` (``-0%`` → ``0%``); any other value is returned as is."""
    return Decimal(0) if value == 0 and value.is_signed() else value


def _apply(rule: Callable[[str], str], text: str, notes: list[str]) -> str:
    """Run a text rule and note its tag (its name) when it changed the text."""
    out = rule(text)
    if out != text:
        notes.append(rule.__name__.replace("_", "-"))
    return out


def clean_target_text(raw: str) -> tuple[str, list[str]]:
    """Fold full-width forms, remove all whitespace and trailing punctuation.

    Returns:
        The cleaned text and the notes of the rules that changed it.
    """
    notes: list[str] = []
    text = _apply(fullwidth, raw, notes)
    text = _apply(ocr_space, text, notes)
    text = _SPACE_RE.sub("", text)  # spaces between tokens carry no meaning
    return _apply(trailing_punct, text, notes), notes


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
        number = _Number(Decimal(digits), digits, percent, chinese=False)
    else:
        numeral = match.group(f"{tag}cn")
        read = read_numeral(numeral) if _is_numeral_start(numeral, percent) else None
        if read is None:
            return None
        low, high = read
        number = _Number(low, None, percent, True, high if high != low else None)
    if match.group(f"{tag}more") is None:
        return number
    return _more_than(number)


def _more_than(number: _Number) -> _Number | None:
    """``10余`` / ``十多``: a range up to the next step of the last written place."""
    step = more_than_step(number.value) if number.value_max is None else None
    if step is None:
        return None
    number.value_max = number.value + step
    return number


def _is_numeral_start(numeral: str, percent: bool) -> bool:
    """A Chinese numeral starts with a digit or 十 (十二); 百 alone only in 百分之百.

    Keeps a bare 万, 亿元, 千米 or 点五 from reading as a number; 几/数 start a fuzzy
    one (几十, 数百).
    """
    if percent and numeral in ("百", "佰"):
        return True
    return numeral[0] in DIGITS or numeral[0] in "十拾几幾数數"


def _number_unit(number: _Number, unit: str | None) -> str | bool | None:
    """The unit of a number (百分之 gives %); False when both 百分之 and a unit."""
    if number.percent:
        return False if unit else "%"
    return unit


def canonical_unit(unit: str) -> tuple[str, bool]:
    """Drop 每 from a denominator and spell periods one way (次/每季 → 次/季度).

    Returns:
        The unit and whether it changed.
    """
    base, slash, denominator = unit.partition("/")
    if not slash:
        return unit, False
    denominator = denominator.removeprefix("每")
    denominator = PERIOD_ALIASES.get(denominator, denominator)
    out = f"{base}/{denominator}"
    return out, out != unit


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
    text = _apply(thousands_sep, cleaned, notes)
    text = _apply(doubled_sign, text, notes)
    prefix = _PREFIX_RE.match(text)
    if prefix is None:  # both parts are optional, so this never happens
        return None
    weak, strong = prefix.group("weak"), prefix.group("strong")
    body = text[prefix.end() :]
    inclusive = _INCLUSIVE_RE.search(body)  # 95%以上（含）: 以上 already includes 95%
    body = body[: inclusive.start()] if inclusive else body
    suffix_match = _SUFFIX_RE.search(body)
    suffix = suffix_match.group() if suffix_match else None
    body = body[: suffix_match.start()] if suffix_match else body
    bracket = _BRACKET_UNIT_RE.search(body)  # ≥60000（条）
    body = body[: bracket.start()] if bracket else body
    reading = (
        _read_each(body) or _read_range(body) or _read_ratio(body) or _read_single(body)
    )
    if reading is None or (bracket and not _take_bracket_unit(reading, bracket)):
        return None
    op = _resolve_op(reading, weak, strong, suffix)
    if op is None or (inclusive and not _inclusive_agrees(inclusive, op, reading)):
        return None
    if weak or strong in STRONG_OPS or suffix or (inclusive and op != "="):
        notes.append("word-operator")
    reading.op, reading.relation = op, (weak or "") + (strong or "") or None
    reading.notes = notes + reading.notes
    if reading.low.chinese or (reading.high and reading.high.chinese):
        reading.notes.append("chinese-numeral")
    _finish_unit(reading)
    _repair_dup_100(reading)
    _fix_negative_zero(reading)
    return reading


def _take_bracket_unit(reading: _Reading, bracket: re.Match[str]) -> bool:
    """Give the reading the unit written in brackets; False when it has another."""
    unit = bracket.group("unit")
    if reading.unit is not None and reading.unit != unit:
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
    if _UNIT_RE.fullmatch(text):
        return canonical_unit(text)[0]
    # The column says it holds a unit: a short word without digits is one, even
    # when the vocabulary above does not list it (批次, 类, 所学校).
    return text if _COLUMN_UNIT_RE.fullmatch(text) else None


def _qual(raw: str, cleaned: str, notes: list[str]) -> Target:
    """A qualitative target: the cleaned phrase is both text and qualitative."""
    return Target(raw, cleaned, "qual", qualitative=cleaned, notes=tuple(notes))


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
    if is_qualitative_phrase(cleaned):
        return _qual(raw, cleaned, notes)
    reading = _read_numeric(cleaned)
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

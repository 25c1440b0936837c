"""The cleaning rules of the target normalizer, each named after its ``notes`` tag.

A rule is a function of the text (or of a number's digits) that a reader can state
and a test can check: full-width folding, OCR spaces, trailing punctuation,
thousands separators, a copied ``100%`` glued to the value, a doubled sign, the words
of an approximate number, ``=`` before a phrase, ``-0``. :func:`apply_rule` runs one
and notes its tag when it changed the text; :mod:`nlp.normalize.target_rules` reads
the cleaned text.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from nlp.normalize.target_vocab import (
    _APPROX_LEAD_RE,
    _APPROX_TAIL_RE,
    _DOUBLED_SIGN_RE,
    _DUP_100_RE,
    _FOLD,
    _OCR_SPACE_RE,
    _SPACE_RE,
    _THOUSANDS_RE,
    _TRAILING_PUNCT_RE,
    BASE_UNITS,
)


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

    Fires only on a percentage written as a plain integer of four to six digits
    whose last three digits are ``100`` and whose leading digits read 1 to 100:
    ``95100`` → ``95``, ``100100`` → ``100``, ``1100`` → ``1`` (annotation guideline
    rule 26: ``≤1100%`` → ``≤1%``). Percentages of 1100% and more are not
    performance targets. It never fires on ``100``, on ``101100``, on numbers with
    a decimal point or thousands separator, or on values without ``%``.

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


def approx(text: str) -> str:
    """Drop the words of an approximate number, keeping the number as written.

    ``约100次`` → ``100次``, ``4.25%左右`` → ``4.25%``, ``20多个`` → ``20个``,
    ``1万多家`` → ``1万家`` (annotation guideline rule 31). The contract's Target has
    no approximation field: the note ``approx`` says the number is not exact.
    """
    return _APPROX_TAIL_RE.sub("", _APPROX_LEAD_RE.sub("", text))


def leading_equals(text: str) -> str:
    """Drop ``=`` printed before a qualitative phrase (``=正常运转无``; rule 33)."""
    return text.removeprefix("=") if text[1:2] and text[1] != "=" else text


def count_unit(unit: str) -> str:
    """A measure word + 数 names the count of that measure: 个数 → 个, 次数 → 次."""
    stem, _, per = unit.partition("/")
    if stem.endswith("数") and stem[:-1] in BASE_UNITS:
        stem = stem[:-1]
    return f"{stem}/{per}" if per else stem


def negative_zero(value: Decimal) -> Decimal:
    """Turn ``-0`` into ``0`` (``-0%`` → ``0%``); any other value is returned as is."""
    return Decimal(0) if value == 0 and value.is_signed() else value


def apply_rule(rule: Callable[[str], str], text: str, notes: list[str]) -> str:
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
    text = apply_rule(fullwidth, raw, notes)
    text = apply_rule(ocr_space, text, notes)
    text = _SPACE_RE.sub("", text)  # spaces between tokens carry no meaning
    return apply_rule(trailing_punct, text, notes), notes

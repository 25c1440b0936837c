"""Numbers as Excel displays them under a number-format code, and the cell dispatch.

:func:`format_value` picks the formatter by value type; dates and times go to
:func:`~nlp.read.xlsx.datefmt.format_datetime`.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from nlp.read.xlsx.codes import _DIGIT, _tokens, split_sections
from nlp.read.xlsx.datefmt import format_datetime

# Excel's General format shows at most this many significant digits.
GENERAL_DIGITS = 11


def format_value(value: object, number_format: str | None) -> str:
    """A cell value as Excel displays it under ``number_format``.

    Args:
        value: the cell value from openpyxl (number, str, bool, date/time, None).
        number_format: the cell's number format code ("General", "0.00" ...).

    Returns:
        The displayed text; "" for an empty cell.
    """
    fmt = number_format or "General"
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, str):
        return value
    if isinstance(value, dt.datetime | dt.date | dt.time | dt.timedelta):
        return format_datetime(value, fmt)
    if isinstance(value, int | float | Decimal):
        return format_number(_to_decimal(value), fmt)
    return str(value)


def _to_decimal(value: float | int | Decimal) -> Decimal:
    # repr gives the shortest string that round-trips, so 0.1 stays 0.1.
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)


def format_number(value: Decimal, fmt: str) -> str:
    """A number under an Excel number format code.

    Args:
        value: the exact value.
        fmt: the format code; "General" and "@" print like Excel's General.

    Returns:
        The displayed text.
    """
    sections = split_sections(fmt)
    sign = ""
    if value == 0 and len(sections) >= 3:
        section = sections[2]
    elif value < 0 and len(sections) >= 2 and sections[1].strip():
        # The negative section writes its own sign or parentheses.
        section, value = sections[1], -value
    else:
        section = sections[0]
        sign, value = ("-", -value) if value < 0 else ("", value)
    tokens = _tokens(section)
    nums = [i for i, (kind, _) in enumerate(tokens) if kind in ("num", "general")]
    if not nums:
        literal = "".join(text for _, text in tokens).strip()
        return literal if literal and literal != "@" else sign + general(value)
    first, last = nums[0], nums[-1]
    middle = tokens[first : last + 1]
    prefix = "".join(t for k, t in tokens[:first] if k == "lit")
    suffix = "".join(t for k, t in tokens[last + 1 :] if k == "lit")
    percents = (prefix + suffix).count("%")
    value = value * (100**percents)
    if any(kind == "general" for kind, _ in middle) or any(
        kind == "lit" for kind, _ in middle
    ):
        # Literals between digits (phone-number formats) are beyond this formatter.
        body = general(value)
    else:
        body = _apply_digits("".join(t for _, t in middle), value)
    text = f"{prefix}{body}{suffix}".strip()
    if sign and any(ch.isdigit() and ch != "0" for ch in body):
        text = sign + text
    return text


def _apply_digits(pattern: str, value: Decimal) -> str:
    """Format ``value`` (>= 0) by a digit pattern: ``#,##0.00``, ``0.0E+00``."""
    if "E" in pattern:
        mantissa = pattern.split("E")[0]
        places = sum(ch in _DIGIT for ch in mantissa.partition(".")[2])
        return f"{float(value):.{places}E}"
    int_pat, point, dec_pat = pattern.partition(".")
    stripped = int_pat.rstrip(",")
    # Each comma after the last integer digit scales the value down by 1000.
    value = value / (1000 ** (len(int_pat) - len(stripped)))
    places = sum(ch in _DIGIT for ch in dec_pat)
    required = dec_pat.count("0")
    rounded = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    int_digits, _, frac = f"{rounded:f}".partition(".")
    int_digits = int_digits.lstrip("0").zfill(stripped.count("0"))
    if "," in stripped and int_digits:
        int_digits = f"{int(int_digits):,}".zfill(len(int_digits))
    frac = frac.rstrip("0").ljust(required, "0")
    return f"{int_digits}{point}{frac}"


def general(value: Decimal) -> str:
    """A number as Excel's General format shows it: no float artifacts, no .0.

    Args:
        value: the exact value.

    Returns:
        Integers without a point; other numbers rounded to ``GENERAL_DIGITS``
        significant digits with trailing zeros dropped.
    """
    if value == value.to_integral_value():
        return str(int(value))
    places = max(0, GENERAL_DIGITS - 1 - value.adjusted())
    rounded = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    text = f"{rounded:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text

"""Dates, times and durations as Excel displays them under a date-format code."""

from __future__ import annotations

import datetime as dt
import re

from nlp.read.xlsx.codes import split_sections

# Excel's built-in locale-dependent date formats, shown here in ISO order.
_ISO_FORMATS = {
    "mm-dd-yy": "yyyy-mm-dd",
    "m/d/yy": "yyyy-mm-dd",
    "m/d/yy h:mm": "yyyy-mm-dd hh:mm",
    "[$-f800]dddd, mmmm dd, yyyy": "yyyy-mm-dd",
    "[$-f400]h:mm:ss am/pm": "hh:mm:ss",
}
_WEEKDAYS_ZH = "一二三四五六日"
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

_DATE_TOKEN = re.compile(
    r'"[^"]*"|\\.|_.|\*.|\[[^\]]*\]|am/pm|a/p|上午/下午|a{3,4}|e+|y+|m+|d+|h+|s+(?:\.0+)?|.',
    re.I,
)


def format_datetime(value: dt.date | dt.time | dt.timedelta, fmt: str) -> str:
    """A date, time or duration under an Excel date format code.

    Excel's locale-dependent built-in date formats (id 14 "mm-dd-yy" and friends)
    are shown in ISO order (2021-01-01); other codes follow their own pattern.

    Args:
        value: the value openpyxl converted from the cell's serial number.
        fmt: the cell's number format code.

    Returns:
        The displayed text.
    """
    section = split_sections(fmt)[0]
    section = _ISO_FORMATS.get(section.lower(), section)
    unquoted = re.sub(r'"[^"]*"|\[\$[^\]]*\]', "", section)
    if section.lower() in ("general", "@") or not re.search(r"[ymdhs]", unquoted, re.I):
        section = _default_pattern(value)
    tokens = _DATE_TOKEN.findall(section)
    kinds = [_date_kind(t) for t in tokens]
    twelve_hour = any(k == "ampm" for k in kinds)
    parts: list[str] = []
    for i, (token, kind) in enumerate(zip(tokens, kinds, strict=True)):
        if kind == "m" and _is_minute(kinds, i):
            kind = "minute"
        parts.append(_render_date_token(token, kind, value, twelve_hour))
    return "".join(parts).strip()


def _default_pattern(value: dt.date | dt.time | dt.timedelta) -> str:
    if isinstance(value, dt.timedelta):
        return "[h]:mm:ss"
    if isinstance(value, dt.time):
        return "hh:mm:ss"
    if isinstance(value, dt.datetime) and value.time() != dt.time():
        return "yyyy-mm-dd hh:mm:ss"
    return "yyyy-mm-dd"


def _date_kind(token: str) -> str:
    low = token.lower()
    if low in ("am/pm", "a/p", "上午/下午"):
        return "ampm"
    if low.startswith("[") and re.fullmatch(r"\[(h+|m+|s+)\]", low):
        return "elapsed"
    if low.startswith("aaa"):
        return "weekday_zh"
    if low[0] in "ymdhse" and len(set(low.split(".")[0])) == 1:
        return low[0]
    return "lit"


def _is_minute(kinds: list[str], i: int) -> bool:
    """An m token means minutes after an hour or before a second token."""
    before = [k for k in kinds[:i] if k != "lit"]
    after = [k for k in kinds[i + 1 :] if k != "lit"]
    return bool(
        (before and before[-1] in ("h", "elapsed")) or (after and after[0] == "s")
    )


def _render_date_token(
    token: str, kind: str, value: dt.date | dt.time | dt.timedelta, twelve: bool
) -> str:
    """Render one date-format token for ``value``."""
    n = len(token)
    if kind == "lit":
        return _date_literal(token)
    if isinstance(value, dt.timedelta):
        return _render_duration(token, kind, value)
    date = value if isinstance(value, dt.date) else None
    time = value.time() if isinstance(value, dt.datetime) else value
    time = time if isinstance(time, dt.time) else dt.time()
    if kind in ("y", "e") and date is not None:
        return f"{date.year % 100:02d}" if kind == "y" and n <= 2 else str(date.year)
    if kind == "m" and date is not None:
        name = _MONTHS[date.month - 1]
        return (str(date.month), f"{date.month:02d}", name[:3], name, name[0])[
            min(n, 5) - 1
        ]
    if kind == "d" and date is not None:
        name = _DAYS[date.weekday()]
        return (str(date.day), f"{date.day:02d}", name[:3], name)[min(n, 4) - 1]
    if kind == "weekday_zh" and date is not None:
        day = _WEEKDAYS_ZH[date.weekday()]
        return f"星期{day}" if n >= 4 else day
    if kind == "h":
        hour = (time.hour % 12 or 12) if twelve else time.hour
        return f"{hour:0{min(n, 2)}d}"
    if kind == "minute":
        return f"{time.minute:0{min(n, 2)}d}"
    if kind == "s":
        return f"{time.second:0{min(n, 2)}d}"
    if kind == "ampm":
        return (
            ("AM" if time.hour < 12 else "PM")
            if token[0] in "aA"
            else ("上午" if time.hour < 12 else "下午")
        )
    return ""


def _render_duration(token: str, kind: str, value: dt.timedelta) -> str:
    seconds = int(value.total_seconds())
    if kind == "elapsed":
        unit = token[1].lower()
        return str(seconds // {"h": 3600, "m": 60, "s": 1}[unit])
    if kind == "minute":
        return f"{seconds // 60 % 60:02d}"
    if kind == "s":
        return f"{seconds % 60:02d}"
    if kind == "h":
        return f"{seconds // 3600 % 24:02d}"
    return ""


def _date_literal(token: str) -> str:
    if token.startswith('"'):
        return token.strip('"')
    if token.startswith("\\"):
        return token[1:]
    if token.startswith("_"):
        return " "
    if token.startswith(("*", "[")):
        return ""
    return token

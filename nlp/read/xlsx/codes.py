"""Excel number-format codes: splitting a code into sections and tokens."""

from __future__ import annotations

# Digit placeholders of a number section.
_DIGIT = "0#?"


def split_sections(fmt: str) -> list[str]:
    """Split a format code on ';' outside quotes, escapes and brackets."""
    sections: list[str] = []
    current: list[str] = []
    quoted = bracket = escaped = False
    for ch in fmt:
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch == '"':
            quoted = not quoted
        elif not quoted and ch in "[]":
            bracket = ch == "["
        elif ch == ";" and not (quoted or bracket):
            sections.append("".join(current))
            current = []
            continue
        current.append(ch)
    sections.append("".join(current))
    return sections


def _tokens(section: str) -> list[tuple[str, str]]:
    """Split a section into ("lit", text), ("num", char), ("general", "") tokens."""
    tokens: list[tuple[str, str]] = []
    i = 0
    while i < len(section):
        ch = section[i]
        if ch == '"':
            end = section.find('"', i + 1)
            end = len(section) if end < 0 else end
            tokens.append(("lit", section[i + 1 : end]))
            i = end + 1
            continue
        if ch == "\\" and i + 1 < len(section):
            tokens.append(("lit", section[i + 1]))
            i += 2
            continue
        if ch in "_*" and i + 1 < len(section):
            # _x pads with the width of x; *x repeats x to fill the column.
            tokens.append(("lit", " " if ch == "_" else ""))
            i += 2
            continue
        if ch == "[":
            end = section.find("]", i)
            end = len(section) if end < 0 else end
            inner = section[i + 1 : end]
            if inner.startswith("$"):
                tokens.append(("lit", inner[1:].split("-")[0]))
            i = end + 1
            continue
        if section[i : i + 7].lower() == "general":
            tokens.append(("general", ""))
            i += 7
            continue
        if ch in _DIGIT + ".," or (ch in "eE" and section[i + 1 : i + 2] in ("+", "-")):
            step = 2 if ch in "eE" else 1
            tokens.append(("num", section[i : i + step].upper()))
            i += step
            continue
        tokens.append(("lit", ch))
        i += 1
    return tokens

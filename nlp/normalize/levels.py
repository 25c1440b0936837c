"""一级 / 二级 indicator levels to the canonical names of CONTRACT.md "Levels".

Mapping is by meaning, by stated rules (annotation guideline rule 8): clean the text
(spaces, full-width forms, a leading enumeration such as ``一、``), strip the suffixes
指标 / 目标 / 类, then look the stem up; if it is not known, strip one qualifying
prefix (项目, 部门 for 一级; 产出, 效益, 效果, 项目 for 二级) and look again.
Unknown spellings map to None and the raw level stays with the record.
"""

from __future__ import annotations

import re
from typing import Literal

LEVEL1 = ("产出指标", "效益指标", "满意度指标", "成本指标", "过程指标", "决策指标")
LEVEL2 = (
    "数量指标", "质量指标", "时效指标", "成本指标", "经济效益指标", "社会效益指标",
    "生态效益指标", "可持续影响指标", "服务对象满意度指标", "其他满意度指标",
)  # fmt: skip

LEVEL1_STEMS = {
    "产出": "产出指标",
    "效益": "效益指标",
    "效果": "效益指标",
    "满意度": "满意度指标",
    "成本": "成本指标",
    "过程": "过程指标",
    "决策": "决策指标",
}
LEVEL2_STEMS = {
    "数量": "数量指标",
    "质量": "质量指标",
    "时效": "时效指标",
    "时效性": "时效指标",
    "成本": "成本指标",
    # The newer framework splits cost by kind; each is still a cost indicator.
    "经济成本": "成本指标",
    "社会成本": "成本指标",
    "生态环境成本": "成本指标",
    "环境成本": "成本指标",
    "经济效益": "经济效益指标",
    "社会效益": "社会效益指标",
    "生态效益": "生态效益指标",
    "环境效益": "生态效益指标",
    "生态环境效益": "生态效益指标",
    "可持续影响": "可持续影响指标",
    "可持续发展": "可持续影响指标",
    "服务对象满意度": "服务对象满意度指标",
    "社会公众或服务对象满意度": "服务对象满意度指标",
    "社会公众满意度": "服务对象满意度指标",
    # 满意度 in the 二级 position means the people served (guideline rule 8).
    "满意度": "服务对象满意度指标",
    "其他满意度": "其他满意度指标",
}
LEVEL1_PREFIXES = ("项目", "部门")
LEVEL2_PREFIXES = ("产出", "效益", "效果", "项目")
SUFFIXES = ("指标", "目标", "类")

IMPLIED_LEVEL1 = {
    **dict.fromkeys(("数量指标", "质量指标", "时效指标", "成本指标"), "产出指标"),
    **dict.fromkeys(
        ("经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标"), "效益指标"
    ),
    **dict.fromkeys(("服务对象满意度指标", "其他满意度指标"), "满意度指标"),
}

_ENUMERATION_RE = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.．]|[(（][一二三四五六七八九十0-9]+[)）]|[0-9]+[、.．])"
)
_SPACE_RE = re.compile(r"\s+")
_TRAILING_RE = re.compile(r"[:：]+$")
_FOLD = str.maketrans({chr(c): chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)})


def level_stem(raw: str) -> str:
    """The meaning-bearing part of a level name: ``（一）产出目标：`` → ``产出``.

    Removes whitespace, folds full-width ASCII, drops a leading enumeration and a
    trailing colon, then strips the suffixes 指标 / 目标 / 类 (repeatedly).
    """
    text = _SPACE_RE.sub("", raw).translate(_FOLD)
    text = _TRAILING_RE.sub("", _ENUMERATION_RE.sub("", text))
    stripped = True
    while stripped:
        stripped = False
        for suffix in SUFFIXES:
            if text.endswith(suffix) and len(text) > len(suffix):
                text, stripped = text[: -len(suffix)], True
    return text


def _lookup(stem: str, stems: dict[str, str], prefixes: tuple[str, ...]) -> str | None:
    """Look ``stem`` up, then once more without one qualifying prefix."""
    if stem in stems:
        return stems[stem]
    for prefix in prefixes:
        rest = stem.removeprefix(prefix)
        if rest != stem and rest in stems:
            return stems[rest]
    return None


def normalize_level1(raw: str | None) -> str | None:
    """Canonical 一级指标: 产出目标 / 产出 / 项目产出 → 产出指标, 效果目标 → 效益指标.

    Returns:
        One of :data:`LEVEL1`, or None when no rule applies or ``raw`` is None.
    """
    if raw is None:
        return None
    return _lookup(level_stem(raw), LEVEL1_STEMS, LEVEL1_PREFIXES)


def normalize_level2(raw: str | None) -> str | None:
    """Canonical 二级指标: 数量 / 产出数量 → 数量指标, 环境效益 → 生态效益指标.

    Returns:
        One of :data:`LEVEL2`, or None when no rule applies or ``raw`` is None.
    """
    if raw is None:
        return None
    return _lookup(level_stem(raw), LEVEL2_STEMS, LEVEL2_PREFIXES)


def implied_level1(level2_norm: str | None) -> str | None:
    """The 一级 implied by a canonical 二级 (数量指标 → 产出指标)."""
    if level2_norm is None:
        return None
    return IMPLIED_LEVEL1.get(level2_norm)


# Every printed level name a table uses, for the near-miss repair of OCR'd cells.
LEVEL_NAMES = frozenset(
    [*LEVEL1, *LEVEL2] + [stem + "指标" for stem in (*LEVEL1_STEMS, *LEVEL2_STEMS)]
)


def near_level_name(raw: str) -> str | None:
    """The level name ``raw`` misses by one misread or dropped character, if one.

    OCR confuses single glyphs (``社会效益指际``, ``数址指标``) and drops faint ones
    (``数指标``, ``质量指``): a cell of a level column whose text is a known level
    name of four characters or more with one character replaced or left out is
    that level. Only when one name fits: two candidates are ambiguous and leave
    the cell as read. An added character is not repaired (a longer text may be a
    metric).
    """
    text = _SPACE_RE.sub("", raw).translate(_FOLD)
    if len(text) < 3 or text in LEVEL_NAMES:
        return None
    fits = {
        name
        for name in LEVEL_NAMES
        if len(name) >= 4 and (one_replaced(name, text) or one_dropped(name, text))
    }
    return fits.pop() if len(fits) == 1 else None


def one_replaced(name: str, text: str) -> bool:
    """Whether ``text`` is ``name`` with one character misread."""
    if len(name) != len(text):
        return False
    return sum(a != b for a, b in zip(name, text, strict=True)) == 1


def one_dropped(name: str, text: str) -> bool:
    """Whether ``text`` is ``name`` with one character left out."""
    return len(name) == len(text) + 1 and any(
        name[:i] + name[i + 1 :] == text for i in range(len(name))
    )


def level_kind(text: str) -> Literal["level1", "level2", "either"] | None:
    """Whether cell text is a level name, and of which level.

    ``产出指标`` → "level1", ``数量`` / ``社会效益指标`` → "level2", ``满意度`` /
    ``成本指标`` → "either", a metric such as ``党员民主评议落实率`` → None.
    """
    one, two = normalize_level1(text), normalize_level2(text)
    if one and two:
        return "either"
    if one:
        return "level1"
    return "level2" if two else None

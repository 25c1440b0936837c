"""Where a sentence sits: the section its headings name decides what it states.

绩效目标 / 主要预期目标 / 工作计划 text holds targets; 完成情况 / 工作总结 / 评价结论
holds actuals; 基本情况 / 存在问题 / 建议 holds background, which is not tabulated
(guideline rule 29). Headings are read from heading blocks and from short numbered
lines (``一、``, ``（二）``, ``第三部分``, ``1.``) that readers return as paragraphs; a
heading's level comes from its numbering, so a sub-heading that names no section
inherits its parent's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

SectionKind = Literal["target", "actual", "background"]

# Numbering styles from the outermost level in.
_LEVELS = (
    re.compile(r"^第[一二三四五六七八九十]+(?:部分|章)"),
    re.compile(r"^[一二三四五六七八九十]+[、.．]"),
    re.compile(r"^[（(][一二三四五六七八九十]+[)）]"),
    re.compile(r"^\d{1,2}[、.．](?!\d)"),
    re.compile(r"^[（(]\d{1,2}[)）]"),
)
HEADING_MAX_CHARS = 40
_SENTENCE_INSIDE = re.compile(r"[。；;，,]")
# Checked in this order: what was done wins over what was aimed at (绩效目标完成情况
# reports results); a heading naming a plan for the coming year is a target even
# when it says 工作 (…工作思路).
_KINDS: tuple[tuple[SectionKind, re.Pattern[str]], ...] = (
    (
        "background",
        re.compile(
            r"基本情况|概况|职责|职能|机构设置|人员|存在(?:的)?问题|问题|建议|不足|资产占[用有]|"
            r"名词解释"
        ),
    ),
    (
        "actual",
        re.compile(
            r"总结|完成情况|实现情况|成效|成果|成绩|执行情况|评价结论|自评|回顾|取得|开展情况"
        ),
    ),
    (
        "target",
        re.compile(
            r"目标|计划|思路|打算|安排|任务|重点|预期|展望|举措|措施|\d{4}年.*工作(?:要点)?$"
        ),
    ),
)


def heading_level(text: str) -> int | None:
    """The numbering level of a heading line (0 outermost), None for no numbering."""
    stripped = text.strip()
    for level, pattern in enumerate(_LEVELS):
        if pattern.match(stripped):
            return level
    return None


def looks_like_heading(text: str) -> bool:
    """A short numbered line with no sentence in it."""
    stripped = text.strip()
    if not stripped or len(stripped) > HEADING_MAX_CHARS:
        return False
    if heading_level(stripped) is None:
        return False
    body = stripped.rstrip("。：:")
    return not _SENTENCE_INSIDE.search(body)


def section_kind(heading: str) -> SectionKind | None:
    """What a heading's section holds, or None when the heading does not say."""
    for kind, pattern in _KINDS:
        if pattern.search(heading):
            return kind
    return None


@dataclass(slots=True)
class SectionTracker:
    """The open headings of a document, read in order.

    Attributes:
        open: (level, kind) of each heading still open, outermost first; an
            unnumbered heading block counts as level 1.
    """

    open: list[tuple[int, SectionKind | None]] = field(default_factory=list)

    def heading(self, text: str) -> None:
        """A heading starts a section, closing those at its level and below."""
        level = heading_level(text)
        level = 1 if level is None else level
        self.open = [(lv, k) for lv, k in self.open if lv < level]
        self.open.append((level, section_kind(text)))

    @property
    def kind(self) -> SectionKind | None:
        """The innermost section kind a heading decided, or None.

        Below a background heading, a numbered item (level 2 and deeper: the
        ``（一）拟订…计划`` of a list of duties) stays background.
        """
        current: SectionKind | None = None
        for level, kind in self.open:
            if kind is None or (current == "background" and level >= 2):
                continue
            current = kind
        return current

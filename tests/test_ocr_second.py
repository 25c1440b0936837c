"""The second recogniser: which lines it re-reads and when its reading is kept."""

from __future__ import annotations

import numpy as np
import pytest

from nlp.read.ocr.second import (
    DEFAULT_SECOND_OPINION,
    SecondOpinion,
    asks,
    choose,
    completes_sign,
    restores_percent,
    strengthen_signs,
)

P = DEFAULT_SECOND_OPINION


@pytest.mark.parametrize(
    ("text", "score", "asked"),
    [
        ("17万", 0.98, True),  # a value: a dropped sign is looked for
        ("=12次", 0.91, True),
        ("≥330台（套）", 0.97, True),
        ("80", 0.60, True),
        ("三", 0.54, True),  # a doubtful lone mark
        ("三", 0.95, False),  # a confident one is left alone
        ("基层信访工作网络覆盖率", 0.50, False),  # a long line never
        ("2026年信访专项经费", 0.99, False),
        ("", 0.0, False),
        ("80 4", 0.60, True),
        (
            ">",
            0.95,
            True,
        ),  # a lone relation sign, however sure  # a box run over a row's short cells
        ("80 信访工作", 0.60, False),
    ],
)
def test_which_lines_are_read_again(text: str, score: float, asked: bool) -> None:
    assert asks(text, score, P) is asked


@pytest.mark.parametrize(
    ("text", "other", "completed"),
    [
        ("17万", "<=17万", True),
        ("=12次", ">=12次", True),
        ("18人", "≤18人", True),
        (">12", "<12", False),  # a sign is never changed into another
        (">=12", ">12", False),  # nor shortened
        ("12", "<13", False),  # the rest must be read alike
        ("12", "12", False),
        ("12", "W12", False),  # only relation signs
        (">68", "≥68", True),  # the stroke under > was half-seen
        ("=", "≥", True),  # the stroke over it
        ("≥68", ">68", False),
        ("<", ">=", False),
    ],
)
def test_a_sign_is_completed_never_changed(
    text: str, other: str, completed: bool
) -> None:
    assert completes_sign(text, other) is completed


def test_restores_percent() -> None:
    assert restores_percent("804", "%4")
    assert restores_percent("98o/o", "98%")
    assert not restores_percent("804", "804")
    assert not restores_percent("12", "%")


def test_choose_keeps_the_first_reading_unless_a_rule_says_otherwise() -> None:
    assert choose(("17万", 0.98), ("<=17万", 0.92), P) == ("<=17万", 0.98)
    assert choose(("17万", 0.98), ("17方", 0.99), P) == ("17万", 0.98)
    # a doubtful lone mark: the more confident reading
    assert choose(("80", 0.60), ("%", 0.93), P) == ("%", 0.93)
    assert choose(("三", 0.54), ("=", 0.48), P) == ("三", 0.54)
    # a confident lone mark is kept even if the second one is surer
    assert choose(("≥", 0.95), ("W", 0.99), P) == ("≥", 0.95)
    assert choose(("80", 0.60), ("", 0.0), P) == ("80", 0.60)
    # only a sign or a percent sign is put in for a lone mark
    assert choose(("目", 0.17), ("11", 0.65), P) == ("目", 0.17)
    assert choose(("L", 0.07), ("国", 0.12), P) == ("L", 0.07)


def test_cells_of_one_line_are_chosen_one_by_one() -> None:
    assert choose(("80 4", 0.60), ("% 4", 0.90), P) == ("% 4", 0.60)
    assert choose(("17万 20", 0.95), ("<=17万 20", 0.90), P) == ("<=17万 20", 0.95)
    assert choose(("80 4", 0.60), ("%4", 0.90), P) == ("80 4", 0.60)


def test_a_misread_percent_sign_is_put_back_on_a_doubtful_line() -> None:
    assert choose(("804", 0.60), ("%4", 0.93), P) == ("%4", 0.60)
    assert choose(("95.580", 0.65), ("95.5%", 0.90), P) == ("95.5%", 0.65)
    assert choose(("804", 0.95), ("%4", 0.99), P) == ("804", 0.95)  # confident
    assert choose(("804", 0.60), ("%5", 0.93), P) == ("804", 0.60)  # rest differs


class _Fixed:
    """A recogniser that reads each crop as the text written in its first pixel."""

    def __init__(self, readings: dict[int, tuple[str, float]]) -> None:
        self.readings = readings
        self.seen: list[int] = []
        self.rec_batch_num = 1

    def __call__(self, crops: list[np.ndarray], *args: object, **kwargs: object):
        keys = [int(c[0, 0, 0]) for c in crops]
        self.seen.extend(keys)
        return [self.readings[k] for k in keys], 0.01


def _crop(key: int) -> np.ndarray:
    return np.full((4, 8, 3), key, dtype=np.uint8)


def test_only_the_asked_lines_reach_the_second_recogniser() -> None:
    first = _Fixed({1: ("运维成本", 0.95), 2: ("17万", 0.98), 3: ("三", 0.54)})
    second = _Fixed({1: ("运维战本", 0.99), 2: ("<=17万", 0.92), 3: ("=", 0.90)})
    both = SecondOpinion(first, second)
    lines, seconds = both([_crop(1), _crop(2), _crop(3)])
    assert lines == [("运维成本", 0.95), ("<=17万", 0.98), ("=", 0.90)]
    assert second.seen == [2, 3]
    assert seconds == pytest.approx(0.02)
    assert both.rec_batch_num == 1  # the engine reads its recogniser's settings


def test_word_boxes_keep_the_first_reading() -> None:
    first = _Fixed({2: ("17万", 0.98)})
    second = _Fixed({2: ("<=17万", 0.92)})
    lines, _ = SecondOpinion(first, second)([_crop(2)], True)
    assert lines == [("17万", 0.98)] and second.seen == []


def test_a_strict_sign_in_a_longer_line_is_strengthened_where_aligned() -> None:
    line = "制率：实施周期指标值：≤0%，年度指标值：<0%：2"
    other = "制率；实施周期指标值：≤0%，年度指标值：≤0%;2"
    assert (
        strengthen_signs(line, other) == "制率：实施周期指标值：≤0%，年度指标值：≤0%：2"
    )
    # a sign the second reading drops is kept; one it reverses is not taken
    assert strengthen_signs("指标值：>90%，", "指标值：90%，") == "指标值：>90%，"
    assert strengthen_signs("指标值：>90%，", "指标值：≤90%，") == "指标值：>90%，"
    # only before a number
    assert strengthen_signs("a<b 1", "a≤b 1") == "a<b 1"
    assert choose((line, 0.91), (other, 0.94), P) == (
        "制率：实施周期指标值：≤0%，年度指标值：≤0%：2",
        0.91,
    )


@pytest.mark.parametrize(
    ("line", "other", "kept"),
    [
        (
            "值：26次：6、2-效益指标",
            "值：≥6次：6、2一效益指标",
            "值：≥6次：6、2-效益指标",
        ),
        ("指标值：25微克/立方米", "指标值：≤25微克/立方米", "指标值：≤25微克/立方米"),
        # the two characters after the sign must be read alike
        ("指标值：20%.年度指标值", "指标值：≥0年度指标的", "指标值：20%.年度指标值"),
        # only right after a label's colon
        ("共26次", "共≥6次", "共26次"),
    ],
)
def test_a_sign_after_a_label_lost_or_read_as_2_is_taken_where_aligned(
    line: str, other: str, kept: str
) -> None:
    assert strengthen_signs(line, other) == kept

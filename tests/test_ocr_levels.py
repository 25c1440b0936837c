"""A level name misread by one glyph on an OCR'd page is that level."""

from nlp.assemble import assemble
from nlp.assemble.rows import _level_norm
from nlp.blocks import recover_tables
from nlp.document import PageInfo
from nlp.normalize.levels import near_level_name, normalize_level1, normalize_level2
from nlp.read.base import CellInput, DocumentBuilder
from nlp.records import Indicator


def test_one_misread_glyph_names_the_level() -> None:
    assert near_level_name("社会效益指际") == "社会效益指标"
    assert near_level_name("社会效点指标") == "社会效益指标"
    assert near_level_name("数址指标") == "数量指标"


def test_one_dropped_glyph_names_the_level() -> None:
    assert near_level_name("数指标") == "数量指标"
    assert near_level_name("质量指") == "质量指标"
    assert near_level_name("社会效指标") == "社会效益指标"
    assert near_level_name("数量指标值") is None  # an added character is not repaired


def test_no_repair_for_exact_names_metrics_or_ambiguous_misreads() -> None:
    assert near_level_name("社会效益指标") is None
    assert near_level_name("党员民主评议落实率") is None
    assert near_level_name("社会效益") is None  # short forms are not near-missed
    # 重量指标 is one glyph from both 数量指标 and 质量指标: left as read.
    assert near_level_name("重量指标") is None


def test_repair_only_on_ocr_pages_and_noted() -> None:
    notes: list[str] = []
    assert _level_norm("社会效益指际", normalize_level2, False, notes) is None
    assert notes == []
    assert _level_norm("社会效益指际", normalize_level2, True, notes) == "社会效益指标"
    assert notes == ["ocr-level: 社会效益指际 read as 社会效益指标"]


def test_level1_near_miss_and_clean_names_unchanged() -> None:
    notes: list[str] = []
    assert _level_norm("产出指际", normalize_level1, True, notes) == "产出指标"
    assert _level_norm("产出指标", normalize_level1, True, notes) == "产出指标"
    assert len(notes) == 1


def _assembled(ocr: bool) -> list[Indicator]:
    """A two-row indicator table on page 1, its 二级 cell misread by one glyph."""
    builder = DocumentBuilder("scan.pdf", "pdf")
    builder.add_page(PageInfo(1, 595.0, 842.0, ocr=ocr))
    rows = (
        ("一级指标", "二级指标", "三级指标", "指标值"),
        ("效益指标", "社会效益指际", "群众知晓率", "≥90%"),
        ("", "", "办结率", "100%"),
    )
    builder.add_table(
        [
            CellInput(t, r, c, page=1)
            for r, row in enumerate(rows)
            for c, t in enumerate(row)
        ]
    )
    document = builder.build()
    indicators, _ = assemble(document, recover_tables(document), "scan.pdf")
    return list(indicators)


def test_table_on_ocr_page_reads_the_misread_level_and_notes_it() -> None:
    records = _assembled(ocr=True)
    assert [(r.metric, r.level2, r.level2_norm) for r in records] == [
        ("群众知晓率", "社会效益指际", "社会效益指标"),
        ("办结率", "社会效益指际", "社会效益指标"),
    ]
    assert all(
        r.notes == ("ocr-level: 社会效益指际 read as 社会效益指标",) for r in records
    )
    assert records[0].to_dict()["notes"] == list(records[0].notes)


def test_same_table_from_a_text_layer_is_left_as_printed() -> None:
    records = _assembled(ocr=False)
    assert [(r.metric, r.level2_norm, r.notes) for r in records] == [
        ("群众知晓率", None, ()),
        ("办结率", None, ()),
    ]

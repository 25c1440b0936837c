"""Thresholds of the plain-text reader, in one parameter object."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class TextParams:
    """Thresholds of the plain-text reader.

    Attributes:
        heading_max_chars: longest line (in characters) read as a heading.
        title_max_chars: longest unnumbered title line (``收支总表``) read as a
            heading.
        cell_line_share: least share of a tab run's tab lines that must be one
            ``\\t``-led cell for the run to be read one cell per line.
        row_line_share: share of a tab run's tab lines starting with text then a
            tab (a tab-separated row) above which the run is read as rows.
        join_min_chars: length from which a paragraph without sentence-final
            punctuation counts as prose cut by a page break.
        list_blank_lines: most blank lines between a numbered cell line and the
            next number of its list for the number to continue the cell.
        max_control_share: largest share of control characters a decoded text
            may hold before it is taken for a binary file.
        max_bad_byte_share: largest share of a file's bytes that may be invalid
            in the encoding it is read with (each becomes U+FFFD).
        bad_bytes_allowed: invalid bytes always tolerated, however short the file.
    """

    heading_max_chars: int = 40
    title_max_chars: int = 30
    cell_line_share: float = 0.8
    row_line_share: float = 0.05
    join_min_chars: int = 60
    list_blank_lines: int = 1
    max_control_share: float = 0.01
    max_bad_byte_share: float = 0.001
    bad_bytes_allowed: int = 8


DEFAULT_PARAMS = TextParams()

"""Read HTML pages into a Document.

The page is parsed with Lexbor (selectolax), an HTML5-spec parser, so unclosed
``<td>``/``<tr>`` and other broken markup are repaired the way a browser repairs
them. The body is walked in document order:

* ``h1``-``h6`` become headings; ``p``, ``div``, ``li`` and other block elements
  close the running paragraph, so text is emitted once however deeply containers
  nest; ``<br>`` is a line break inside a paragraph.
* Tables become table blocks. Grid positions come from an occupancy map, as in the
  HTML table model; bogus ``rowspan``/``colspan`` values are clamped so cells never
  overlap. ``<th>`` cells are headers, ``<caption>`` is the table caption. A table
  nested in a cell keeps its text in the outer cell and is also emitted as its own
  table block right after the outer table. A table one column wide is page layout,
  not data: its cells are read as ordinary flow.
* Form controls show their values: ``<input value>``, ``<textarea>`` and the
  selected ``<option>`` of a ``<select>``.
* Scripts, styles, comments and hidden elements are dropped; no-break and
  full-width spaces become plain spaces.

Bytes are decoded by byte-order mark, then the declared ``<meta charset>`` (or XML
declaration), then UTF-8, falling back to GB18030. HTML has no pages, so every
provenance has ``page=None``.
"""

from __future__ import annotations

import codecs
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from selectolax.lexbor import LexborHTMLParser, LexborNode

from nlp.document import Document
from nlp.errors import ReadError
from nlp.read.base import CellInput, DocumentBuilder
from nlp.read.limits import check_count
from nlp.read.text.decode import decode_counted

logger = logging.getLogger(__name__)

HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
SKIPPED = frozenset(
    {"-comment", "script", "style", "noscript", "template", "head", "title", "meta"}
    | {"link", "iframe", "object", "svg", "math", "button"}
)
# Elements that end the running paragraph (CSS display: block and friends).
BLOCKS = frozenset(
    {"address", "article", "aside", "blockquote", "center", "dd", "details", "dialog"}
    | {"dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form"}
    | {"header", "hgroup", "hr", "legend", "li", "main", "menu", "nav", "ol", "p"}
    | {"pre", "section", "summary", "ul", "body", "html"}
)
# <input> types whose value is not shown as text on the page.
NON_TEXT_INPUTS = frozenset(
    {"hidden", "submit", "button", "reset", "image", "checkbox", "radio", "file"}
    | {"password"}
)
# Tables nested in a heading, caption or table cell deeper than this are read as
# plain text: no page nests tables that deep, and it bounds the recursion.
MAX_INLINE_TABLE_DEPTH = 8
# The HTML standard's limits for colspan and rowspan.
MAX_COLSPAN = 1000
MAX_ROWSPAN = 65534
# The HTML standard looks for a charset declaration in the first 1024 bytes; pages
# from content systems often put it later, so look a little further.
CHARSET_PREFIX_BYTES = 4096

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_CHARSET = re.compile(
    rb"""(?:charset|encoding)\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I
)
# GB2312 and GBK are subsets of GB18030; pages labelled with them often use more.
_GB_ALIASES = frozenset({"gb2312", "gbk", "cp936", "gb18030", "euc_cn", "hz"})
_SPACES = str.maketrans(
    {"\xa0": " ", "\u3000": " ", "\u200b": "", "\ufeff": "", "\r": " ", "\t": " "}
)
_CJK = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef"
# A source line break between two CJK characters is not a word space.
_CJK_BREAK = re.compile(rf"(?<=[{_CJK}])[ \t\r\f]*\n\s*(?=[{_CJK}])")
_WHITESPACE = re.compile(r"[ \t\r\n\f]+")
_DISPLAY_NONE = re.compile(r"display\s*:\s*none", re.I)


class HtmlReader:
    """Reads ``.html``, ``.htm`` and ``.xhtml`` files."""

    format = "html"
    extensions = (".html", ".htm", ".xhtml")

    def read(self, path: Path, name: str | None = None) -> Document:
        """Read an HTML file into a Document.

        Args:
            path: the file to read.
            name: display name; defaults to the file name.

        Returns:
            The Document with headings, paragraphs and tables in page order.

        Raises:
            ReadError: the file is missing, unreadable or has no text.
        """
        path = Path(path)
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise ReadError(f"{path}: cannot read file: {exc}") from exc
        html = decode_html(raw, str(path))
        parser = LexborHTMLParser(html)
        builder = DocumentBuilder(name or path.name, self.format)
        root = parser.body or parser.root
        if root is not None:
            _BodyWalker(builder).walk(root)
        document = builder.build()
        if not document.blocks:
            raise ReadError(f"{path}: no text found")
        return document


def decode_html(raw: bytes, name: str = "<html>") -> str:
    """Decode HTML bytes: BOM, then declared charset, then the text decoder.

    Args:
        raw: the file's bytes.
        name: how messages name the file.

    Returns:
        The decoded text.

    Raises:
        ReadError: the bytes are binary, not HTML (NUL bytes, control
            characters, or invalid in every candidate encoding).
    """
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            return raw[len(bom) :].decode(encoding, errors="replace")
    declared = _declared_encoding(raw[:CHARSET_PREFIX_BYTES])
    if declared:
        try:
            return raw.decode(declared)
        except UnicodeDecodeError:
            logger.debug("HTML is not valid %s", declared)
    text, _, _ = decode_counted(raw, name)
    return text


def _declared_encoding(head: bytes) -> str | None:
    """The Python codec named by a meta charset or XML declaration, if any."""
    match = _CHARSET.search(head)
    if match is None:
        return None
    try:
        codec = codecs.lookup(match.group(1).decode("ascii")).name
    except LookupError:
        return None
    # A page served as UTF-16 but declaring it without a BOM is almost always wrong.
    if codec.startswith("utf-16"):
        return None
    return "gb18030" if codec.replace("-", "_") in _GB_ALIASES else codec


def clean_text(text: str) -> str:
    """Collapse source whitespace like a browser; keep explicit line breaks.

    Args:
        text: collected text where "\\n" marks a ``<br>`` or block boundary and
            other whitespace comes from the markup.

    Returns:
        Lines with single spaces, no blank lines, no leading/trailing spaces.
    """
    lines = (" ".join(line.split()) for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def _node_text(text: str) -> str:
    """Whitespace of one text node as rendered: runs become one space."""
    text = _CJK_BREAK.sub("", text.translate(_SPACES))
    return _WHITESPACE.sub(" ", text)


def _is_hidden(node: LexborNode) -> bool:
    attrs = node.attributes
    if "hidden" in attrs:
        return True
    return bool(_DISPLAY_NONE.search(attrs.get("style") or ""))


def control_value(node: LexborNode) -> str:
    """The text a form control shows: input value, textarea text, chosen option.

    Args:
        node: an ``input``, ``textarea`` or ``select`` element.

    Returns:
        The shown text, or "" when the control shows none.
    """
    if node.tag == "input":
        kind = (node.attributes.get("type") or "text").lower()
        if kind in NON_TEXT_INPUTS:
            return ""
        return _node_text(node.attributes.get("value") or "")
    if node.tag == "textarea":
        return (node.text(deep=True) or "").translate(_SPACES)
    options = node.css("option")
    chosen = [o for o in options if "selected" in o.attributes]
    # A single-choice list shows its first option when none is marked selected.
    if not chosen and options and "multiple" not in node.attributes:
        chosen = options[:1]
    return " ".join(_node_text(o.text(deep=True) or "").strip() for o in chosen)


@dataclass
class _Flow:
    """Receives what a walk finds: text runs, block boundaries, headings, tables."""

    on_paragraph: Callable[[str], None]
    on_heading: Callable[[str], None]
    on_table: Callable[[LexborNode], list[LexborNode | None]]
    buffer: list[str] = field(default_factory=list)

    def flush(self) -> None:
        text = clean_text("".join(self.buffer))
        self.buffer.clear()
        if text:
            self.on_paragraph(text)

    def walk(self, node: LexborNode) -> None:
        """Walk the descendants of ``node`` in document order.

        The walk keeps its own stack: pages with thousands of unclosed inline tags
        or nested tables nest deeper than Python's recursion limit. ``on_table``
        returns what is to be walked next in place of the table (a layout
        table's cells, tables nested in a data table), last first, with None
        ending a block, so tables nested in tables never recurse.
        """
        stack: list[LexborNode | None] = _children_reversed(node)
        while stack:
            child = stack.pop()
            if child is None:  # end of a block element
                self.flush()
                continue
            tag = child.tag
            if child.is_text_node:
                self.buffer.append(_node_text(child.text_content or ""))
            elif tag in SKIPPED or _is_hidden(child):
                continue
            elif tag == "br":
                self.buffer.append("\n")
            elif tag in ("input", "textarea", "select"):
                self.buffer.append(f" {control_value(child)} ")
            elif tag in HEADINGS:
                self.flush()
                text = collect_text(child)
                if text:
                    self.on_heading(text)
            elif tag == "table":
                self.flush()
                stack.extend(self.on_table(child))
            elif tag in BLOCKS:
                self.flush()
                stack.append(None)
                stack.extend(_children_reversed(child))
            else:
                stack.extend(_children_reversed(child))


def _children_reversed(node: LexborNode) -> list[LexborNode | None]:
    """Children of ``node`` last first, ready to be popped in order."""
    children: list[LexborNode | None] = list(node.iter(include_text=True))
    children.reverse()
    return children


def collect_text(
    node: LexborNode, tables: list[LexborNode] | None = None, depth: int = 0
) -> str:
    """All text under ``node``, block boundaries and ``<br>`` as line breaks.

    Args:
        node: the element whose content is read (a cell, a heading).
        tables: where to queue tables found inside, to be emitted on their own;
            their text is then left out of the returned string.
        depth: tables this text is already nested in (see
            :data:`MAX_INLINE_TABLE_DEPTH`).

    Returns:
        The cleaned text.
    """
    lines: list[str] = []

    def on_table(table: LexborNode) -> list[LexborNode | None]:
        # A table queued to be emitted on its own is not repeated in the outer
        # text (records would be found twice); tables nested deeper are queued
        # when that one is emitted.
        if tables is not None:
            tables.append(table)
        elif depth < MAX_INLINE_TABLE_DEPTH:
            lines.extend(_TableGrid.parse(table, depth + 1).text_lines(depth + 1))
        else:  # deeper than any real page: the text, without table layout
            lines.append(clean_text(_node_text(table.text(deep=True) or "")))
        return []

    flow = _Flow(lines.append, lines.append, on_table)
    flow.walk(node)
    flow.flush()
    return "\n".join(lines)


@dataclass
class _TableGrid:
    """A parsed ``<table>``: cell elements placed on a grid, plus its caption."""

    caption: str | None
    placed: list[tuple[LexborNode, int, int, int, int]]  # node, row, col, rs, cs
    n_cols: int

    @classmethod
    def parse(
        cls, table: LexborNode, depth: int = 0, name: str = "<html>"
    ) -> _TableGrid:
        """Place every cell of ``table`` with the HTML table model."""
        caption = None
        rows: list[LexborNode] = []
        for child in table.iter():
            if child.tag == "caption" and caption is None:
                caption = collect_text(child, depth=depth) or None
            elif child.tag == "tr":
                rows.append(child)
            elif child.tag in ("thead", "tbody", "tfoot"):
                rows.extend(r for r in child.iter() if r.tag == "tr")
        # Checked before any cell is placed: a huge table costs no more time.
        check_count(name, "rows in one table", len(rows), "max_sheet_rows")
        occupied: set[tuple[int, int]] = set()
        placed: list[tuple[LexborNode, int, int, int, int]] = []
        for r, row in enumerate(rows):
            col = 0
            for cell in row.iter():
                if cell.tag not in ("td", "th"):
                    continue
                while (r, col) in occupied:
                    col += 1
                rs, cs = _fit_span(cell, r, col, len(rows), occupied)
                occupied.update(
                    (i, j) for i in range(r, r + rs) for j in range(col, col + cs)
                )
                placed.append((cell, r, col, rs, cs))
                col += cs
        n_cols = max((c + cs for _, _, c, _, cs in placed), default=0)
        return cls(caption, placed, n_cols)

    def text_lines(self, depth: int = 0) -> list[str]:
        """The table as lines of space-separated cell texts (for an outer cell)."""
        rows: dict[int, list[str]] = {}
        for node, r, _, _, _ in self.placed:
            text = collect_text(node, depth=depth).replace("\n", " ")
            if text:
                rows.setdefault(r, []).append(text)
        return [" ".join(rows[r]) for r in sorted(rows)]


def _span_attr(cell: LexborNode, name: str, maximum: int) -> int:
    """A span attribute parsed like a browser: leading digits, clamped, default 1."""
    match = re.match(r"\s*(\d+)", cell.attributes.get(name) or "")
    value = int(match.group(1)) if match else 1
    return min(max(value, 1), maximum)


def _fit_span(
    cell: LexborNode,
    row: int,
    col: int,
    n_rows: int,
    occupied: set[tuple[int, int]],
) -> tuple[int, int]:
    """Row and column span of ``cell``, shrunk so it overlaps no placed cell.

    Browsers let cells with bogus spans overlap; a grid cannot, so a span stops at
    the first occupied position and a rowspan stops at the last row of the table.
    """
    cs = _span_attr(cell, "colspan", MAX_COLSPAN)
    rs = min(_span_attr(cell, "rowspan", MAX_ROWSPAN), n_rows - row)
    for j in range(col, col + cs):
        if (row, j) in occupied:
            cs = j - col
            break
    for i in range(row + 1, row + rs):
        if any((i, j) in occupied for j in range(col, col + cs)):
            rs = i - row
            break
    return rs, cs


class _BodyWalker:
    """Walks a page body and appends its blocks to a DocumentBuilder."""

    def __init__(self, builder: DocumentBuilder) -> None:
        self.builder = builder
        self.flow = _Flow(self._paragraph, self._heading, self._table)

    def walk(self, root: LexborNode) -> None:
        self.flow.walk(root)
        self.flow.flush()

    def _paragraph(self, text: str) -> None:
        self.builder.add_text(text, "paragraph")

    def _heading(self, text: str) -> None:
        self.builder.add_text(text, "heading")

    def _table(self, table: LexborNode) -> list[LexborNode | None]:
        """Emit a data table; return what the walk reads next in its place.

        A one-column (layout) table gives its cells to be read as ordinary flow;
        a data table is added, and the tables nested in its cells follow it, in
        order, each emitted in turn when the walk reaches it.
        """
        grid = _TableGrid.parse(table, name=self.builder.name)
        if grid.n_cols <= 1:
            return self._unwrap(grid)
        nested: list[LexborNode] = []
        cells = [
            CellInput(
                text=collect_text(node, nested),
                row=r,
                col=c,
                row_span=rs,
                col_span=cs,
                header=node.tag == "th",
            )
            for node, r, c, rs, cs in grid.placed
        ]
        self.builder.add_table(cells, caption=grid.caption)
        return list(reversed(nested))

    def _unwrap(self, grid: _TableGrid) -> list[LexborNode | None]:
        """Read a one-column (layout) table as ordinary flow, cell by cell."""
        if grid.caption:
            self._paragraph(grid.caption)
        following: list[LexborNode | None] = []
        for node, *_ in grid.placed:
            following.extend(_children_in_order(node))
            following.append(None)  # a cell ends a paragraph
        following.reverse()
        return following


def _children_in_order(node: LexborNode) -> list[LexborNode]:
    """Children of ``node``, text nodes included, first first."""
    return list(node.iter(include_text=True))

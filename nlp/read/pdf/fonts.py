"""Fonts whose character collection pdfminer cannot name, named from their encoding.

A CID font without a ``ToUnicode`` map is read through its character collection
(``/CIDSystemInfo``: Adobe-GB1 for simplified Chinese). Some writers leave that
dictionary out, and some encrypt the file but write its strings in clear, so that
decrypting them gives bytes that name nothing; pdfminer then maps no character
and the page would go to OCR. A predefined CMap named as the font's
``/Encoding`` (``UniGB-UCS2-H``, ``GBK-EUC-H``, ``B5pc-H`` …) belongs to exactly
one collection, as PDF viewers assume, so the collection is taken from it.
"""

from __future__ import annotations

import contextlib
import functools
from typing import Any

# Tokens of Adobe's predefined CMap names and the collection each belongs to
# (Adobe Technical Notes #5094 and #5078); no name holds tokens of two collections.
_COLLECTION_TOKENS: tuple[tuple[str, str], ...] = (
    ("GB", "Adobe-GB1"),
    ("CNS", "Adobe-CNS1"),
    ("B5", "Adobe-CNS1"),
    ("HKscs", "Adobe-CNS1"),
    ("ETen", "Adobe-CNS1"),
    ("KSC", "Adobe-Korea1"),
    ("UniKS", "Adobe-Korea1"),
    ("JIS", "Adobe-Japan1"),
    ("RKSJ", "Adobe-Japan1"),
    ("90ms", "Adobe-Japan1"),
    ("90pv", "Adobe-Japan1"),
    ("83pv", "Adobe-Japan1"),
)


def collection_of_cmap(name: str) -> str | None:
    """The character collection a predefined CMap's name belongs to, if known."""
    for token, collection in _COLLECTION_TOKENS:
        if token in name:
            return collection
    return None


def name_collection_from_encoding(font: Any) -> None:
    """Give a CID font with no Unicode map the one its encoding CMap implies.

    Leaves every other font as pdfminer made it.
    """
    from pdfminer.cmapdb import CMapDB
    from pdfminer.pdffont import PDFCIDFont

    if not isinstance(font, PDFCIDFont) or font.unicode_map is not None:
        return
    collection = collection_of_cmap(str(font.cmap.attrs.get("CMapName", "")))
    if collection is None or collection == font.cidcoding:
        return
    with contextlib.suppress(CMapDB.CMapNotFound):
        font.unicode_map = CMapDB.get_unicode_map(collection, font.cmap.is_vertical())


def resource_manager() -> Any:
    """A pdfminer resource manager whose CID fonts are named as above."""
    return _manager_class()(caching=True)


@functools.cache
def _manager_class() -> type:
    """The manager's class, built once, on first use (pdfminer imported then)."""
    from pdfminer.pdfinterp import PDFResourceManager

    class Manager(PDFResourceManager):
        def get_font(self, objid: object, spec: Any) -> Any:
            font = super().get_font(objid, spec)
            name_collection_from_encoding(font)
            return font

    return Manager

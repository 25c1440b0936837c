"""Bytes to text: reading the file, encoding detection and decoding errors."""

from __future__ import annotations

import codecs
import logging
import re
from pathlib import Path

from nlp.errors import ReadError
from nlp.read.text.params import DEFAULT_PARAMS, TextParams

logger = logging.getLogger(__name__)

_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
# C0 controls other than tab, line feed, vertical tab, form feed, carriage return.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def _read_bytes(path: Path, display: str) -> bytes:
    """The file's bytes, or a ReadError naming the file and the problem."""
    if path.is_dir():
        raise ReadError(f"{display}: is a folder, not a file")
    if not path.exists():
        raise ReadError(f"{display}: no such file ({path})")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ReadError(f"{display}: cannot read: {exc.strerror or exc}") from exc
    if not data:
        raise ReadError(f"{display}: file is empty")
    return data


def decode(
    data: bytes, name: str, params: TextParams = DEFAULT_PARAMS
) -> tuple[str, str]:
    """Decode a text file's bytes, trying UTF-8, UTF-16 by BOM, GB18030, detection.

    Args:
        data: the file's bytes.
        name: display name, for error messages.
        params: reader thresholds (the control-character limit).

    Returns:
        (text, encoding name).

    Raises:
        ReadError: the bytes are binary (NUL bytes, control characters) or no
            encoding decodes them.
    """
    text, encoding = _decode_known(data)
    if text is None:
        if b"\x00" in data:
            raise ReadError(
                f"{name}: binary file (NUL bytes), not text; "
                "UTF-16 text needs a byte-order mark"
            )
        text, encoding = _decode_detected(data, name)
    controls = len(_CONTROL.findall(text))
    if controls > params.max_control_share * len(text):
        raise ReadError(
            f"{name}: binary file, not text ({controls} control characters "
            f"after decoding as {encoding})"
        )
    return text, encoding


def _decode_known(data: bytes) -> tuple[str | None, str]:
    """Decode by byte-order mark, strict UTF-8 or strict GB18030; None if none fits."""
    if data.startswith(_UTF16_BOMS):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            return None, ""
    if b"\x00" in data:
        return None, ""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    return None, ""


def _decode_detected(data: bytes, name: str) -> tuple[str, str]:
    """Decode with charset-normalizer's best guess."""
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise ReadError(
            f"{name}: cannot decode: not UTF-8 or GB18030 and no other "
            "encoding fits (binary file?)"
        )
    logger.info("%s: not UTF-8 or GB18030, decoded as %s", name, best.encoding)
    return str(best), best.encoding

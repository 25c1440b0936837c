"""Bytes to text: reading the file, encoding detection and decoding errors.

Budget texts come in few encodings: UTF-8 (with or without byte-order mark),
UTF-16 (Word's "Unicode text", with a byte-order mark or, rarely, without),
GB18030 and its subsets GBK/GB2312 (mainland exports) and Big5 (Taiwan, Hong Kong).
Only those are tried, so a Big5 file is never read as GB18030 garble: strict
UTF-8 first; then, of GB18030 and Big5, the ones that decode the bytes are
compared by charset-normalizer's measure of how much the result reads as text.

A few stray bad bytes (a truncated character at a cut, one corrupt byte) do not
reject a file: when no candidate decodes every byte, the candidate with fewest
bad bytes is used if they are at most :attr:`TextParams.max_bad_byte_share` of
the file (or :attr:`TextParams.bad_bytes_allowed`); each bad byte becomes U+FFFD
and their number is logged and returned, so the pipeline can count them.
"""

from __future__ import annotations

import codecs
import logging
import re
import threading
from pathlib import Path

from nlp.errors import ReadError
from nlp.read.text.params import DEFAULT_PARAMS, TextParams

logger = logging.getLogger(__name__)

_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
# C0 controls other than tab, line feed, vertical tab, form feed, carriage return.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
# Multi-byte candidates after UTF-8, mainland first: on a tie GB18030 wins.
CANDIDATES = ("gb18030", "big5")
# Bytes sampled to tell UTF-16 without a byte-order mark by its zero bytes.
_UTF16_SAMPLE = 4096
# Share of the odd (or even) bytes that are zero in UTF-16 text of mostly ASCII
# or of CJK in the low half of a code page; never in 8-bit encodings.
_UTF16_ZERO_SHARE = 0.3
REPLACEMENT = "\ufffd"


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
    """Decode a text file's bytes (see the module docstring for the order).

    Args:
        data: the file's bytes.
        name: display name, for error messages.
        params: reader thresholds (control characters, bad bytes).

    Returns:
        (text, encoding name).

    Raises:
        ReadError: the bytes are binary (NUL bytes, control characters) or no
            candidate encoding decodes them but for a few stray bytes.
    """
    text, encoding, _ = decode_counted(data, name, params)
    return text, encoding


def decode_counted(
    data: bytes, name: str, params: TextParams = DEFAULT_PARAMS
) -> tuple[str, str, int]:
    """Like :func:`decode`, also returning the number of bad bytes replaced."""
    encoding = _utf16_encoding(data)
    if encoding is None and b"\x00" in data:
        raise ReadError(
            f"{name}: binary file (NUL bytes), not text; "
            "UTF-16 text needs a byte-order mark"
        )
    if encoding is not None:
        text, bad = _decode_replacing(data, encoding)
    else:
        text, encoding, bad = _decode_multibyte(data, name, params)
    controls = len(_CONTROL.findall(text))
    if controls > params.max_control_share * len(text):
        raise ReadError(
            f"{name}: binary file, not text ({controls} control characters "
            f"after decoding as {encoding})"
        )
    if bad:
        logger.warning("%s: %d undecodable bytes replaced (%s)", name, bad, encoding)
    return text.removeprefix("\ufeff"), encoding, bad


def _utf16_encoding(data: bytes) -> str | None:
    """ "utf-16" for text with a UTF-16 byte-order mark or UTF-16's zero bytes."""
    if data.startswith(_UTF16_BOMS):
        return "utf-16"
    sample = data[:_UTF16_SAMPLE]
    half = len(sample) // 2
    if half == 0:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if odd > _UTF16_ZERO_SHARE * half and even == 0:
        return "utf-16-le"
    if even > _UTF16_ZERO_SHARE * half and odd == 0:
        return "utf-16-be"
    return None


def _decode_multibyte(
    data: bytes, name: str, params: TextParams
) -> tuple[str, str, int]:
    """UTF-8, else the best of GB18030 and Big5; a few bad bytes are tolerated."""
    try:
        return data.decode("utf-8-sig"), "utf-8", 0
    except UnicodeDecodeError:
        pass
    strict = {}
    for encoding in CANDIDATES:
        try:
            strict[encoding] = data.decode(encoding)
        except UnicodeDecodeError:
            continue
    if len(strict) == 1:
        ((encoding, text),) = strict.items()
        return text, encoding, 0
    if len(strict) > 1:
        encoding = _most_textlike(data, tuple(strict))
        return strict[encoding], encoding, 0
    return _decode_tolerant(data, name, params)


def _most_textlike(data: bytes, encodings: tuple[str, ...]) -> str:
    """Of encodings that all decode ``data``, the one whose text reads best.

    Read best: least chaos, then most language coherence, by charset-normalizer's
    measures; on a tie (short texts) the first of ``encodings``.
    """
    from charset_normalizer import from_bytes

    order = {codecs.lookup(e).name: k for k, e in enumerate(encodings)}
    scored = [
        (match.chaos, -match.coherence, order[codecs.lookup(match.encoding).name])
        for match in from_bytes(data, cp_isolation=list(encodings))
        if codecs.lookup(match.encoding).name in order
    ]
    return encodings[min(scored)[2]] if scored else encodings[0]


def _decode_tolerant(
    data: bytes, name: str, params: TextParams
) -> tuple[str, str, int]:
    """UTF-8, GB18030 or Big5 with the fewest bad bytes, if they are few enough."""
    decoded = [
        (*_decode_replacing(data, encoding), encoding)
        for encoding in ("utf-8", *CANDIDATES)
    ]
    text, bad, encoding = min(decoded, key=lambda found: found[1])
    allowed = max(params.bad_bytes_allowed, params.max_bad_byte_share * len(data))
    if bad > allowed:
        raise ReadError(
            f"{name}: cannot decode: {bad:,} of {len(data):,} bytes are invalid in "
            f"every encoding tried (UTF-8, UTF-16, GB18030, Big5); binary file?"
        )
    return text, encoding, bad


def _decode_replacing(data: bytes, encoding: str) -> tuple[str, int]:
    """Decode with U+FFFD for bad bytes; the number of bad bytes replaced."""
    _BAD.count = 0
    text = data.decode(encoding, errors=_COUNTING)
    return text, _BAD.count


def _count_bad(error: UnicodeError) -> tuple[str, int]:
    """Codec error handler: replace like "replace", counting the bytes."""
    if not isinstance(error, UnicodeDecodeError):
        raise error
    _BAD.count += error.end - error.start
    return REPLACEMENT, error.end


_BAD = threading.local()
_COUNTING = "zhibiao-count-bad-bytes"
codecs.register_error(_COUNTING, _count_bad)

"""The CJK font the scanned-page tests draw with, from a test dependency.

WenQuanYi Micro Hei comes from the ``paperang-p2-fonts-cjk`` wheel (the ``test``
extra), which holds the very file Debian's ``fonts-wqy-microhei`` installs; its
SHA-256 is checked here, so a changed font fails loudly instead of changing what
the OCR tests read.
"""

from __future__ import annotations

import hashlib
from importlib.resources import files
from pathlib import Path

FONT_PACKAGE = "paperang_p2_fonts_cjk"
FONT_FILE = "fonts/wqy-microhei.ttc"
FONT_SHA256 = "2420e8078af796b19a3f6ef13de527a1a91c1e7171eea115926c614ced1009b3"


def cjk_font_path() -> str:
    """Path of WenQuanYi Micro Hei inside the installed font package.

    Raises:
        RuntimeError: the file is not the expected font.
    """
    path = Path(str(files(FONT_PACKAGE).joinpath(FONT_FILE)))
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != FONT_SHA256:
        raise RuntimeError(f"{path}: SHA-256 {digest}, expected {FONT_SHA256}")
    return str(path)


CJK_FONT = cjk_font_path()

"""Batch inputs: files and folders expanded into ``(path, doc)`` pairs.

Folders are searched recursively for supported files, hidden files and Office lock
files are skipped, and each file's ``doc`` is its path relative to the inputs'
common root.
"""

from __future__ import annotations

import os
import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from nlp.read import is_supported

# Office writes "~$name.docx" lock files beside open documents; they are not documents.
_LOCK_PREFIX = "~$"


def _hidden(relative: Path) -> bool:
    """True for hidden files or files inside hidden folders, and Office lock files."""
    hidden = any(part.startswith(".") for part in relative.parts)
    return hidden or relative.name.startswith(_LOCK_PREFIX)


def _folder_files(folder: Path) -> list[Path]:
    """Supported files under ``folder``, recursively, sorted, hidden ones skipped.

    Broken symbolic links are kept (their read fails with a clear message); FIFOs,
    sockets and devices are not files to read and are left out.
    """
    found = []
    for path in folder.rglob("*"):
        if _hidden(path.relative_to(folder)) or not is_supported(path):
            continue
        if path.is_file() or (path.is_symlink() and not path.exists()):
            found.append(path)
    return sorted(found)


def _common_root(inputs: Sequence[Path]) -> Path:
    """The folder that ``doc`` names are relative to."""
    roots = [p if p.is_dir() else p.parent for p in inputs]
    return Path(os.path.commonpath([str(r) for r in roots]))


@dataclass(frozen=True, slots=True)
class Shard:
    """One of ``count`` disjoint parts of a batch, for running it on a cluster.

    A document belongs to a shard by a hash of its ``doc`` name, so the split is
    the same on every machine and run, and adding files to a folder does not move
    the others between shards.

    Attributes:
        index: 1-based shard number.
        count: number of shards.
    """

    index: int
    count: int

    @classmethod
    def parse(cls, text: str) -> Shard:
        """Read ``"K/N"`` (1 ≤ K ≤ N).

        Raises:
            ValueError: the text is not of that form.
        """
        match = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", text)
        if not match:
            raise ValueError(f"shard {text!r}: expected K/N, e.g. 3/10")
        index, count = int(match.group(1)), int(match.group(2))
        if not 1 <= index <= count:
            raise ValueError(f"shard {text!r}: K must be between 1 and N")
        return cls(index, count)

    def holds(self, doc: str) -> bool:
        """Whether the document named ``doc`` belongs to this shard."""
        # surrogateescape: names that are not UTF-8 hash by their own bytes.
        encoded = doc.encode("utf-8", "surrogateescape")
        return zlib.crc32(encoded) % self.count == self.index - 1


def collect_inputs(
    inputs: list[Path], shard: Shard | None = None
) -> list[tuple[Path, str]]:
    """Expand files and folders into ``(path, doc)`` pairs.

    Folders are searched recursively for supported extensions (sorted; hidden
    files and folders skipped). Files named directly are kept whatever their
    extension, so an unsupported one gets a ``skipped`` record. ``doc`` is the path
    relative to the common root of the inputs, with "/" separators; a single file
    gives its file name. A file reached twice is listed once.

    Args:
        inputs: files and folders.
        shard: keep only the documents of this shard (names are still relative to
            the common root of all the inputs).

    Returns:
        ``(path, doc)`` pairs in input order, folder contents sorted.

    Raises:
        FileNotFoundError: an input does not exist.
    """
    absolute = [Path(os.path.abspath(p)) for p in inputs]
    for given, path in zip(inputs, absolute, strict=True):
        if not path.exists() and not path.is_symlink():
            raise FileNotFoundError(f"{given}: no such file or folder")
    if not absolute:
        return []
    root = _common_root(absolute)
    pairs: list[tuple[Path, str]] = []
    seen: set[Path] = set()
    for path in absolute:
        files = _folder_files(path) if path.is_dir() else [path]
        for file in files:
            if file in seen:
                continue
            seen.add(file)
            doc = file.relative_to(root).as_posix()
            if shard is None or shard.holds(doc):
                pairs.append((file, doc))
    return pairs

"""Batch inputs: files and folders expanded into ``(path, doc)`` pairs.

Folders are searched recursively for supported files, hidden files and Office lock
files are skipped, and each file's ``doc`` is its path relative to the inputs'
common root.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
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


def collect_inputs(inputs: list[Path]) -> list[tuple[Path, str]]:
    """Expand files and folders into ``(path, doc)`` pairs.

    Folders are searched recursively for supported extensions (sorted; hidden
    files and folders skipped). Files named directly are kept whatever their
    extension, so an unsupported one gets a ``skipped`` record. ``doc`` is the path
    relative to the common root of the inputs, with "/" separators; a single file
    gives its file name. A file reached twice is listed once.

    Args:
        inputs: files and folders.

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
            pairs.append((file, file.relative_to(root).as_posix()))
    return pairs

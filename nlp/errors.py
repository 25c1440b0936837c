"""Exceptions raised by zhibiao.

Every exception derives from :class:`ZhibiaoError`; subclasses double as the builtin
a caller would expect (``ReadError`` is also a ``ValueError``), so callers can catch
either. Messages start with the file (and page) they concern and say the problem.
"""

from __future__ import annotations


class ZhibiaoError(Exception):
    """Root of every error zhibiao raises on purpose."""


class ReadError(ZhibiaoError, ValueError):
    """An input file cannot be read: missing, empty, corrupt, wrong encoding."""


class UnsupportedFormatError(ReadError):
    """No reader handles this file's extension or content."""


class ParseError(ZhibiaoError, ValueError):
    """A string (target, amount) cannot be parsed."""


class ModelError(ZhibiaoError, RuntimeError):
    """A trained model is missing, unreadable or incompatible."""


class NotFittedError(ZhibiaoError, ValueError, AttributeError):
    """An estimator was used before ``fit``."""

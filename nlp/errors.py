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


class LimitError(ReadError):
    """An input is over one of the per-document limits (pages, pixels, bytes ...).

    The message names the file, the limit (its option name) and its value, so a
    data engineer knows which setting to raise for a document that is really
    that large.

    Attributes:
        limit: the limit's name, as in :class:`nlp.read.limits.ReadLimits`.
        value: the limit's value.
    """

    def __init__(self, message: str, limit: str = "", value: object = None) -> None:
        super().__init__(message)
        self.limit = limit
        self.value = value

    def __reduce__(self) -> tuple[object, ...]:
        # Keep the attributes when a worker process sends the error back.
        return (type(self), (str(self), self.limit, self.value))


class ParseError(ZhibiaoError, ValueError):
    """A string (target, amount) cannot be parsed."""


class ModelError(ZhibiaoError, RuntimeError):
    """A trained model is missing, unreadable or incompatible."""


class NotFittedError(ZhibiaoError, ValueError, AttributeError):
    """An estimator was used before ``fit``."""

"""Errors of the matcher, each with a stable English `code` and a Chinese `message` for people."""

from __future__ import annotations


class CodedError(Exception):
    """An error with a stable English `code` and a Chinese `message`; the base that indexing and
    the model build share with the matcher (the registry keeps its own: it may not import this)."""

    default_code = "error"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code or self.default_code

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"


class MatcherError(CodedError):
    """Base of every matcher error."""

    default_code = "matcher_error"


class IndexFormatError(MatcherError):
    """A saved index is missing, corrupt, or written by an incompatible format version."""

    default_code = "index_format"


class IndexMismatch(MatcherError):
    """A saved index was built with another dictionary, model or dimension than the caller's."""

    default_code = "index_mismatch"


class InvalidInput(MatcherError):
    """Arguments that can never be right (wrong vector shape, k < 1, unknown configuration)."""

    default_code = "invalid_input"

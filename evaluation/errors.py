"""Errors of the evaluation harness, each with a stable English `code` and a Chinese `message`."""

from __future__ import annotations


class EvaluationError(Exception):
    """Base of every evaluation error; `loc` says where (file and line, or config key)."""

    default_code = "evaluation_error"

    def __init__(self, message: str, *, code: str | None = None, loc: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.code = code or self.default_code
        self.loc = loc

    def __str__(self) -> str:
        where = f" ({self.loc})" if self.loc else ""
        return f"{self.code}: {self.message}{where}"


class GoldenSetInvalid(EvaluationError):
    """A queries or qrels file breaks the formats of `evaluation/formats.md`."""

    default_code = "golden_set_invalid"


class ConfigInvalid(EvaluationError):
    """A configuration or sweep file names an unknown field or an impossible value."""

    default_code = "eval_config_invalid"

"""Findings of the automated checks: one per failed or noteworthy rule, each citing its article."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    """`error` refuses a submission; `warning` is shown to reviewers; `info` records a fact."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True, slots=True)
class Finding:
    """One result of a rule check.

    `code` is stable English (e.g. ``"art9.cases_too_few"``), `article` the machine form of the
    article (e.g. ``"Art.9(2)"``), `message` Chinese for the applicant and the reviewers, `loc`
    the path of the offending input (e.g. ``("resource", "cases")``).
    """

    code: str
    article: str
    message: str
    severity: Severity = Severity.ERROR
    loc: tuple[str | int, ...] = ()

    @property
    def blocking(self) -> bool:
        """True when the finding refuses the submission."""
        return self.severity is Severity.ERROR


_CN_NUMERALS = "零一二三四五六七八九十"


def _cn_number(n: int) -> str:
    if n <= 10:
        return _CN_NUMERALS[n]
    if n < 20:
        return "十" + (_CN_NUMERALS[n - 10] if n > 10 else "")
    tens, ones = divmod(n, 10)
    return _CN_NUMERALS[tens] + "十" + (_CN_NUMERALS[ones] if ones else "")


def article_zh(article: str) -> str:
    """Chinese citation of an article code: ``"Art.9(2)"`` → ``"第九条第（二）项"``."""
    body = article.removeprefix("Art.")
    number, _, rest = body.partition("(")
    text = f"第{_cn_number(int(number))}条"
    if rest:
        item = int(rest.rstrip(")"))
        text += f"第（{_cn_number(item)}）项"
    return text

"""Where the matched query terms are in the displayed texts, as character offsets for highlighting.

Terms are the tokenizer's normalised forms (lower case, half-width). Each field text is
normalised the same way, one character for one character, so an offset found in the normalised
text is the offset in the original: `text[start:end]` is what the user sees (e.g. "ＭＥＳ" for
the term "mes"). A Latin term only matches a whole Latin run ("ai" is not found in "email").
A span inside a longer matched span ("视觉" inside "机器视觉") is not reported separately.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from matcher.tokenizer import normalize
from matcher.types import MatchedTerm


def _is_latin(char: str) -> bool:
    return char.isascii() and char.isalnum()


def _whole(norm: str, start: int, end: int) -> bool:
    """False when the span starts or ends inside a run of Latin letters and digits."""
    if start > 0 and _is_latin(norm[start - 1]) and _is_latin(norm[start]):
        return False
    return not (end < len(norm) and _is_latin(norm[end - 1]) and _is_latin(norm[end]))


def _spans(norm: str, terms: Sequence[str]) -> list[tuple[int, int]]:
    spans = set()
    for term in terms:
        at = norm.find(term)
        while at >= 0:
            if _whole(norm, at, at + len(term)):
                spans.add((at, at + len(term)))
            at = norm.find(term, at + 1)
    # Longest first, so a span covered by an already kept one is recognised and dropped.
    kept: list[tuple[int, int]] = []
    for start, end in sorted(spans, key=lambda s: (s[0] - s[1], s[0])):
        if not any(s <= start and end <= e for s, e in kept):
            kept.append((start, end))
    return sorted(kept)


def find_terms(
    terms: Iterable[str], fields: Sequence[tuple[str, str]], *, limit: int | None = None
) -> tuple[MatchedTerm, ...]:
    """Occurrences of the terms in each (name, text) field, in field then position order."""
    wanted = [t for t in dict.fromkeys(terms) if t]
    found: list[MatchedTerm] = []
    for name, text in fields:
        for start, end in _spans(normalize(text), wanted):
            found.append(MatchedTerm(term=text[start:end], field=name, start=start, end=end))
            if limit is not None and len(found) >= limit:
                return tuple(found)
    return tuple(found)

"""Highlighting matched terms from character offsets: escaped `<mark>` markup for the pages, and
short excerpts around the first match with the offsets moved along."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

ELLIPSIS = "…"


@dataclass(frozen=True, slots=True)
class Span:
    """`text[start:end]` is a matched term."""

    start: int
    end: int
    term: str = ""


def clean_spans(text: str, spans: Iterable[Span]) -> list[Span]:
    """Spans inside the text, in order, without overlaps (the earlier, then longer, wins)."""
    kept: list[Span] = []
    for span in sorted(spans, key=lambda s: (s.start, s.start - s.end)):
        if 0 <= span.start < span.end <= len(text) and (not kept or span.start >= kept[-1].end):
            kept.append(span)
    return kept


def mark(text: str, spans: Iterable[Span]) -> Markup:
    """The text, HTML-escaped, with every span wrapped in `<mark>`."""
    out, at = [], 0
    for span in clean_spans(text, spans):
        out.append(escape(text[at : span.start]))
        out.append(Markup("<mark>{}</mark>").format(text[span.start : span.end]))
        at = span.end
    out.append(escape(text[at:]))
    return Markup("").join(out)


def excerpt(text: str, spans: Sequence[Span], *, width: int = 120) -> tuple[str, list[Span]]:
    """At most `width` characters of `text` around its first span (from the start when none),
    with `…` where text was cut and the spans that fall inside, moved to the new offsets."""
    if len(text) <= width:
        return text, clean_spans(text, spans)
    ordered = clean_spans(text, spans)
    start = 0
    if ordered:
        # A little context before the first match, so the sentence reads.
        start = max(0, min(ordered[0].start - width // 4, len(text) - width))
    end = min(len(text), start + width)
    prefix = ELLIPSIS if start > 0 else ""
    suffix = ELLIPSIS if end < len(text) else ""
    shift = len(prefix) - start
    moved = [
        Span(s.start + shift, s.end + shift, s.term)
        for s in ordered
        if s.start >= start and s.end <= end
    ]
    return prefix + text[start:end] + suffix, moved

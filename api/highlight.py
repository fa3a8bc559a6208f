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


def valid_spans(text: str, spans: Iterable[Span]) -> list[Span]:
    """The spans that lie inside the text, in order (overlaps kept)."""
    inside = (s for s in spans if 0 <= s.start < s.end <= len(text))
    return sorted(inside, key=lambda s: (s.start, s.end))


def merged_spans(text: str, spans: Iterable[Span]) -> list[Span]:
    """Overlapping or touching spans joined: "外观缺陷" and "缺陷检测" mark "外观缺陷检测"."""
    out: list[Span] = []
    for span in valid_spans(text, spans):
        if out and span.start <= out[-1].end:
            last = out[-1]
            end = max(last.end, span.end)
            out[-1] = Span(last.start, end, text[last.start : end])
        else:
            out.append(span)
    return out


def mark(text: str, spans: Iterable[Span]) -> Markup:
    """The text, HTML-escaped, with every (merged) span wrapped in `<mark>`."""
    out, at = [], 0
    for span in merged_spans(text, spans):
        out.append(escape(text[at : span.start]))
        out.append(Markup("<mark>{}</mark>").format(text[span.start : span.end]))
        at = span.end
    out.append(escape(text[at:]))
    return Markup("").join(out)


def excerpt(text: str, spans: Sequence[Span], *, width: int = 120) -> tuple[str, list[Span]]:
    """At most `width` characters of `text` around its first span (from the start when none),
    with `…` where text was cut and the spans that fall inside, moved to the new offsets."""
    if len(text) <= width:
        return text, valid_spans(text, spans)
    ordered = valid_spans(text, spans)
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

"""Browsing the certified library: filters, disjunctive facet counts, sorting and paging over
`registry.library.entries`, cached per process until the `library_events` outbox moves on.

Within one facet the selected values are alternatives (OR); facets combine with AND. Each
facet's counts are taken under all the *other* filters, so a visitor sees what choosing
another value of the same facet would give.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from registry import library
from registry.library import LibraryEntryView
from registry.models.library import LibraryEntry, LibraryEventRecord
from registry.reference import INDUSTRIES

Facet = Literal["direction", "form", "industry", "city", "provider_type", "status"]
FACETS: tuple[Facet, ...] = ("direction", "form", "industry", "city", "provider_type", "status")
Sort = Literal["priority", "code", "newest"]
STATUS_LABELS = {"certified": "已认定", "warned": "已预警"}

_VALUES: Mapping[Facet, Callable[[LibraryEntryView], tuple[str, ...]]] = {
    "direction": lambda e: e.directions,
    "form": lambda e: (e.form,),
    "industry": lambda e: e.industries,
    "city": lambda e: (e.provider_city,),
    "provider_type": lambda e: (e.provider_type,),
    "status": lambda e: (e.status.value,),
}


def facet_label(facet: Facet, value: str) -> str:
    """How a facet value is shown (industry codes and statuses get their Chinese names)."""
    if facet == "industry":
        return f"{value} {INDUSTRIES.get(value, '')}".strip()
    if facet == "status":
        return STATUS_LABELS.get(value, value)
    return value


@dataclass(frozen=True, slots=True)
class Browse:
    """What the visitor asked for: selected values per facet, and an order."""

    selected: Mapping[Facet, frozenset[str]] = field(default_factory=dict)
    sort: Sort = "priority"


@dataclass(frozen=True, slots=True)
class Browsed:
    """The matching entries in order, and the counts of every facet value."""

    entries: list[LibraryEntryView]
    facets: dict[Facet, Counter[str]]


def _failing(entry: LibraryEntryView, selected: Mapping[Facet, frozenset[str]]) -> list[Facet]:
    return [
        facet
        for facet, wanted in selected.items()
        if wanted and not wanted.intersection(_VALUES[facet](entry))
    ]


def browse(entries: Sequence[LibraryEntryView], query: Browse) -> Browsed:
    """Filter, count and sort in one pass over the entries."""
    counts: dict[Facet, Counter[str]] = {facet: Counter() for facet in FACETS}
    matching = []
    for entry in entries:
        failing = _failing(entry, query.selected)
        if not failing:
            matching.append(entry)
            for facet in FACETS:
                counts[facet].update(set(_VALUES[facet](entry)))
        elif len(failing) == 1:  # counts toward the one facet it fails, under the others
            counts[failing[0]].update(set(_VALUES[failing[0]](entry)))
    return Browsed(entries=_sorted(matching, query.sort), facets=counts)


def _sorted(entries: list[LibraryEntryView], sort: Sort) -> list[LibraryEntryView]:
    by_code = sorted(entries, key=lambda e: e.resource_code)
    if sort == "code":
        return by_code
    if sort == "newest":
        return sorted(by_code, key=lambda e: e.certified_at, reverse=True)
    # Art.19(4): outstanding resources first; warned ones (Art.19(1)) last.
    return sorted(by_code, key=lambda e: (not e.priority, e.status.value == "warned"))


class LibraryCache:
    """The library's entries, rebuilt only when the outbox or the entry count changes."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._version: tuple[int, int] | None = None
        self._entries: list[LibraryEntryView] = []
        self._by_code: dict[str, LibraryEntryView] = {}

    def entry(self, session: Session, code: str) -> LibraryEntryView | None:
        """The visible entry with `code`, if any."""
        self.entries(session)
        return self._by_code.get(code)

    def entries(self, session: Session) -> list[LibraryEntryView]:
        """All visible entries as of the session's transaction."""
        version = (
            session.scalar(select(func.coalesce(func.max(LibraryEventRecord.id), 0))) or 0,
            session.scalar(select(func.count()).select_from(LibraryEntry)) or 0,
        )
        with self._lock:
            if version != self._version:
                self._entries = library.entries(session=session)
                self._by_code = {e.resource_code: e for e in self._entries}
                self._version = version
            return self._entries

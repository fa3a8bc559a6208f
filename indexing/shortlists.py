"""Shortlists for matchmaking events (Art.20(2)), on the live index.

- Per need: the matcher's ranking diversified with maximal marginal relevance (`matcher.mmr`,
  Carbonell & Goldstein 1998) over the resources' vectors, one resource per provider unless
  `allow_same_provider=True`.
- Per event: the needs' rankings combined, then MMR again. A resource's relevance to the event
  is its best reciprocal rank over the needs, max_i 1/rank_i(r): every need's first choice is
  equally relevant (1.0), so no manufacturer's need is crowded out by another's, and the
  similarity penalty then spreads the list over topics and providers.
- Per multi-aspect need: a bundle of complementary resources (`match_bundle`, greedy set cover),
  reported as which resource covers which aspect. A bundle may hold two resources of one
  provider: they are parts that work together, not alternatives competing for a place.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np

from indexing.live import LiveIndex
from matcher.config import MatchConfig
from matcher.mmr import mmr
from matcher.types import Filters, ResourceMatch
from registry.services.events import ItemInput

DEFAULT_LAMBDA = 0.7  # relevance weighs more than novelty
EVENT_DEPTH = 10  # candidates taken from each need for the event list


@dataclass(frozen=True, slots=True)
class NeedQuery:
    """One need: its id (the stored `EventNeed.id`, or any label), text and filters."""

    need_id: str
    text: str
    filters: Filters | None = None


@dataclass(frozen=True, slots=True)
class ShortlistEntry:
    """One resource on a shortlist, with the needs it answers and its rank in each."""

    resource_id: str
    title: str
    provider_id: str
    provider: str
    score: float
    confidence: float
    flags: tuple[str, ...]
    needs: tuple[tuple[str, int], ...]  # (need id, rank in that need's ranking)


@dataclass(frozen=True, slots=True)
class Shortlist:
    """A need's or an event's shortlist, best first."""

    need_id: str | None  # None: the whole event
    entries: tuple[ShortlistEntry, ...]
    no_suitable_resource: bool
    reason: str


@dataclass(frozen=True, slots=True)
class BundlePlanPart:
    """A resource of a bundle and the aspects of the need it covers."""

    resource_id: str
    title: str
    provider_id: str
    provider: str
    confidence: float
    aspects: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class BundlePlan:
    """Complementary resources covering a multi-aspect need; `uncovered` aspects found none."""

    need_id: str
    aspects: tuple[str, ...]
    parts: tuple[BundlePlanPart, ...]
    uncovered: tuple[str, ...]


def need_shortlist(
    live: LiveIndex,
    need: NeedQuery,
    *,
    k: int = 10,
    lambda_: float = DEFAULT_LAMBDA,
    allow_same_provider: bool = False,
) -> Shortlist:
    """The need's k best resources, diversified (MMR) and one per provider unless allowed."""
    config = replace(_base(live), mmr_lambda=lambda_, allow_same_provider=allow_same_provider)
    response = live.match(need.text, k=k, filters=need.filters, config=config)
    entries = tuple(
        _entry(live, m, ((need.need_id, rank),)) for rank, m in enumerate(response.matches, 1)
    )
    return Shortlist(need.need_id, entries, response.no_suitable_resource, response.reason)


def event_shortlist(
    live: LiveIndex,
    needs: Sequence[NeedQuery],
    *,
    k: int = 15,
    depth: int = EVENT_DEPTH,
    lambda_: float = DEFAULT_LAMBDA,
    allow_same_provider: bool = False,
) -> Shortlist:
    """One list for the whole event: every need's ranking combined, then diversified."""
    config = replace(_base(live), mmr_lambda=None)
    responses = [live.match(n.text, k=depth, filters=n.filters, config=config) for n in needs]
    rankings = [[m.resource_id for m in r.matches] for r in responses]
    # A resource removed since its need was ranked has no document any more: leave it out.
    codes = dict.fromkeys(code for ranking in rankings for code in ranking)
    docs = {code: doc for code in codes if (doc := live.document(code)) is not None}
    if not docs:
        reason = responses[0].reason if responses else "no_needs"
        return Shortlist(None, (), True, reason)
    vectors = dict(zip(docs, live.parts.vectors(list(docs.values())), strict=True))
    groups = {code: doc.provider_id for code, doc in docs.items()}
    kept = [[code for code in ranking if code in docs] for ranking in rankings]
    chosen = select_for_event(kept, vectors, groups, k=k, lambda_=lambda_,
                              allow_same_provider=allow_same_provider)  # fmt: skip
    best = {m.resource_id: m for r in reversed(responses) for m in r.matches}
    entries = tuple(_entry(live, best[code], _served(code, needs, kept)) for code in chosen)
    confident = any(not r.no_suitable_resource for r in responses)
    return Shortlist(None, entries, not confident, "ok" if confident else "low_confidence")


def select_for_event(
    rankings: Sequence[Sequence[str]],
    vectors: Mapping[str, np.ndarray],
    groups: Mapping[str, str],
    *,
    k: int,
    lambda_: float,
    allow_same_provider: bool = False,
) -> list[str]:
    """The event's list from the needs' rankings: MMR over relevance max_i 1/rank_i and the
    cosine of the resources' vectors, one per provider (group) unless allowed."""
    candidates, relevance = combine_rankings(rankings)
    if not candidates:
        return []
    matrix = np.stack([vectors[code] for code in candidates])
    chosen = mmr(relevance, matrix @ matrix.T, k=k, lambda_=lambda_,
                 groups=[groups[code] for code in candidates],
                 allow_same_group=allow_same_provider)  # fmt: skip
    return [candidates[i] for i in chosen]


def _served(
    code: str, needs: Sequence[NeedQuery], rankings: Sequence[Sequence[str]]
) -> tuple[tuple[str, int], ...]:
    """(need id, rank) of every need whose ranking holds `code`."""
    pairs = zip(needs, rankings, strict=True)
    return tuple((need.need_id, list(r).index(code) + 1) for need, r in pairs if code in r)


def combine_rankings(rankings: Sequence[Sequence[str]]) -> tuple[list[str], list[float]]:
    """Candidates in rank-major order (every need's 1st, then every need's 2nd, ...) and their
    relevance max_i 1/rank_i."""
    relevance: dict[str, float] = {}
    for depth in range(max((len(r) for r in rankings), default=0)):
        for ranking in rankings:
            if depth < len(ranking):
                code = ranking[depth]
                relevance[code] = max(relevance.get(code, 0.0), 1.0 / (depth + 1))
    return list(relevance), list(relevance.values())


def need_bundle(live: LiveIndex, need: NeedQuery) -> BundlePlan:
    """Complementary resources for a need with several aspects, and which covers what."""
    response = live.match_bundle(need.text, filters=need.filters, config=_base(live))
    parts = []
    for part in response.parts:
        entry = _entry(live, part.match, ())
        aspects = tuple(response.aspects[a] for a in part.aspects)
        parts.append(BundlePlanPart(entry.resource_id, entry.title, entry.provider_id,
                                    entry.provider, entry.confidence, aspects))  # fmt: skip
    uncovered = tuple(response.aspects[a] for a in response.uncovered)
    return BundlePlan(need.need_id, response.aspects, tuple(parts), uncovered)


def filters_of(stored: Mapping[str, Sequence[str]]) -> Filters | None:
    """Matcher filters from a need's stored filters (`registry.services.events`)."""
    filters = Filters.of(**{name: tuple(values) for name, values in stored.items()})
    return None if filters.is_empty() else filters


def items_for_storage(shortlist: Shortlist | BundlePlan) -> list[ItemInput]:
    """What `registry.services.event_shortlists.save_shortlist` stores of a computed list."""
    if isinstance(shortlist, BundlePlan):
        return [
            ItemInput(p.resource_id, rank, p.confidence, p.aspects)
            for rank, p in enumerate(shortlist.parts, 1)
        ]
    return [ItemInput(e.resource_id, rank, e.score) for rank, e in enumerate(shortlist.entries, 1)]


def _base(live: LiveIndex) -> MatchConfig:
    return live.parts.config or MatchConfig()


def _entry(
    live: LiveIndex, match: ResourceMatch, needs: tuple[tuple[str, int], ...]
) -> ShortlistEntry:
    doc = live.document(match.resource_id)
    title = doc.title if doc is not None else match.resource_id
    provider = dict(doc.fields).get("provider", "") if doc is not None else ""
    provider_id = doc.provider_id if doc is not None else ""
    return ShortlistEntry(match.resource_id, title, provider_id, provider, match.score,
                          match.confidence, match.flags, needs)  # fmt: skip

"""Running one configuration over a golden set: a run (ranked resources per need) and its flags.

The run is the matcher's full ranking to RUN_DEPTH resources with weak matches *kept*
(`keep_low_confidence=True`), so ranking metrics measure the ranking alone; whether the service
would have said "no suitable resource" is recorded per need from the same call and evaluated
apart (`evaluation.nofit`): the decision is whether any resource of the candidate pool
(max(k, mmr_pool) = 50 by default, for the service's k = 10 as for ours) reaches
`min_confidence`, whether weak matches are kept or dropped. What a user would see (only
matches at or above `min_confidence`) is `RunResult.served_lists()`.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from dataclasses import dataclass

from evaluation.configuration import EvalConfig
from evaluation.golden import GoldenSet
from matcher.config import MatchConfig
from matcher.hybrid import HybridMatcher

RUN_DEPTH = 50  # resources per need: the deepest cutoff (Recall@50) and the candidate pool
Progress = Callable[[int, int, float], None]  # (done, total, seconds so far)


@dataclass(frozen=True, slots=True)
class QueryResult:
    """What one configuration returned for one need."""

    query_id: str
    resource_ids: tuple[str, ...]
    scores: tuple[float, ...]
    confidences: tuple[float, ...]
    no_suitable: bool
    reason: str
    seconds: float


@dataclass(frozen=True)
class RunResult:
    """A configuration's results over the needs of a golden set."""

    name: str
    config: EvalConfig
    golden_name: str
    results: dict[str, QueryResult]
    seconds: float

    def lists(self) -> dict[str, list[str]]:
        """query_id -> resource codes, best first (the TREC run)."""
        return {q: list(r.resource_ids) for q, r in self.results.items()}

    def served_lists(self) -> dict[str, list[str]]:
        """What the service shows: matches at or above the configuration's min_confidence."""
        floor = self.config.match.confidence.min_confidence
        return {
            q: [rid for rid, c in zip(r.resource_ids, r.confidences, strict=True) if c >= floor]
            for q, r in self.results.items()
        }

    def median_query_ms(self) -> float:
        """Median time of one need, in milliseconds."""
        times = sorted(r.seconds for r in self.results.values())
        if not times:
            return 0.0
        middle = len(times) // 2
        value = times[middle] if len(times) % 2 else (times[middle - 1] + times[middle]) / 2
        return value * 1000.0


def ranking_config(match: MatchConfig) -> MatchConfig:
    """The configuration with weak matches kept in the list (flagged), for ranking metrics."""
    confidence = dataclasses.replace(match.confidence, keep_low_confidence=True)
    return dataclasses.replace(match, confidence=confidence)


def run_config(
    *,
    matcher: HybridMatcher,
    golden: GoldenSet,
    config: EvalConfig,
    depth: int = RUN_DEPTH,
    progress: Progress | None = None,
) -> RunResult:
    """Match every need of `golden` with `config` and keep the top `depth` resources."""
    match = ranking_config(config.match)
    results: dict[str, QueryResult] = {}
    started = time.perf_counter()
    total = len(golden.queries)
    for done, query in enumerate(golden.queries, start=1):
        before = time.perf_counter()
        response = matcher.match(query.text, k=depth, filters=query.match_filters(), config=match)
        results[query.query_id] = QueryResult(
            query_id=query.query_id,
            resource_ids=tuple(m.resource_id for m in response.matches),
            scores=tuple(m.score for m in response.matches),
            confidences=tuple(m.confidence for m in response.matches),
            no_suitable=response.no_suitable_resource,
            reason=response.reason,
            seconds=time.perf_counter() - before,
        )
        if progress is not None:
            progress(done, total, time.perf_counter() - started)
    return RunResult(
        name=config.name,
        config=config,
        golden_name=golden.name,
        results=results,
        seconds=time.perf_counter() - started,
    )

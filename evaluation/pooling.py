"""Judging pools: what several systems return for each need, merged and shuffled for judges.

As the golden set's guideline asks (evaluation/golden/README.md, "Procedure"): the union of
each system's top `depth` resources, de-duplicated, shuffled with a seed derived from the query
id (random.Random(sha256(f"{POOL_SEED}:{query_id}"))) so that no order hints at a system or a
rank; for a need with filters, each system's top `depth` both without and with the filters.
Pairs already judged are left out, so the same command tops up the judgments when the library
or the systems change.
"""

from __future__ import annotations

import dataclasses
import hashlib
import random
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from evaluation.configuration import EvalConfig
from evaluation.golden import GoldenQuery, GoldenSet
from evaluation.runner import RunResult

POOL_SEED = "funeng-pool-v1"
SHEET_HEADER = ("query_id", "resource_id", "grade", "title", "need")
RunQueries = Callable[[EvalConfig, GoldenSet], RunResult]


def shuffled(query_id: str, codes: Sequence[str]) -> list[str]:
    """The codes in the need's fixed pseudo-random order."""
    seed = int(hashlib.sha256(f"{POOL_SEED}:{query_id}".encode()).hexdigest()[:16], 16)
    order = sorted(codes)
    random.Random(seed).shuffle(order)
    return order


def build_pools(
    *,
    queries: Sequence[GoldenQuery],
    configs: Sequence[EvalConfig],
    run: RunQueries,
    depth: int = 20,
    judged: Mapping[str, set[str]] | None = None,
) -> dict[str, list[str]]:
    """query_id -> the resources to judge, in judging order (judged pairs left out)."""
    judged = judged or {}
    unfiltered = tuple(dataclasses.replace(q, filters={}) for q in queries)
    constrained = tuple(q for q in queries if q.filters)
    found: dict[str, set[str]] = {q.query_id: set() for q in queries}
    for config in configs:
        for needs in (unfiltered, constrained):
            if not needs:
                continue
            result = run(config, GoldenSet(name="pool", queries=needs, qrels={}))
            for query_id, ranked in result.lists().items():
                found[query_id].update(ranked[:depth])
    return {
        q.query_id: shuffled(q.query_id, sorted(found[q.query_id] - judged.get(q.query_id, set())))
        for q in queries
    }


def write_sheet(
    path: Path,
    pools: Mapping[str, Sequence[str]],
    queries: Sequence[GoldenQuery],
    titles: Mapping[str, str],
) -> int:
    """Write the judging sheet (grade left blank, no system names, ranks or scores); rows."""
    text = {q.query_id: q.text.replace("\t", " ").replace("\n", " ") for q in queries}
    lines = ["\t".join(SHEET_HEADER)]
    for query in queries:
        for code in pools.get(query.query_id, ()):
            title = titles.get(code, "").replace("\t", " ")
            lines.append("\t".join((query.query_id, code, "", title, text[query.query_id])))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(lines) - 1

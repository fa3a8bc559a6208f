"""Judgments of constrained needs, restricted to what the need's filters let a run return.

Judges grade the capability and ignore a need's filters (evaluation/golden/README.md, rule 2):
a fitting resource in the wrong city is still a 3. A run applies the filters, so it can never
return that resource; counting it would punish every configuration for obeying the need. So
for a need with filters, the qrels used to score a run keep only the resources whose facets
pass them (a need whose fitting resources all fail them becomes a no-fit need: the right answer
is then "no suitable resource"). Resources the index does not hold (removed since judging) are
kept: nothing can be known about their facets, and no run returns them.
"""

from __future__ import annotations

from evaluation.golden import GoldenSet
from matcher.hybrid import HybridMatcher


def restrict_to_filters(golden: GoldenSet, matcher: HybridMatcher) -> GoldenSet:
    """`golden` with each constrained need's qrels limited to resources its filters allow."""
    qrels = {}
    for query in golden.queries:
        judged = golden.qrels[query.query_id]
        filters = query.match_filters()
        if filters is None:
            qrels[query.query_id] = dict(judged)
            continue
        kept = {}
        for code, grade in judged.items():
            document = matcher.document(code)  # the resource document carries the facets
            if document is None or filters.allows(document.facets):
                kept[code] = grade
        qrels[query.query_id] = kept
    return GoldenSet(name=golden.name, queries=golden.queries, qrels=qrels)

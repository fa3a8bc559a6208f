"""Bundles scored on the golden set from the existing judgments (no aspect labels needed).

A multi-aspect need (tag `multi_aspect`) is answered by `HybridMatcher.match_bundle`: parts
(resources, each credited with some of the need's aspects) and the aspects nobody covers. With
R the resources graded ≥ RELEVANT_GRADE (2, "helps with part of the need") that the need's
filters allow, per need:

    precision = |parts ∩ R| / |parts|                 (undefined for an empty bundle)
    recall    = |parts ∩ R| / min(|R|, max_parts)     (distinct relevant resources in the bundle)
    missed    = #{uncovered aspect a : ∃ r ∈ R with words(a, r) ≥ WORDS_SHARE}

words(a, r) is the idf-weighted share of the aspect's terms found in r's documents (the
lexical signal of `matcher.confidence.term_coverage`): an aspect left uncovered although a
resource judged to help with the need contains its words is a miss of the bundle, not of the
library. An unjudged part counts as not relevant (a lower bound, as in the rest of the harness)
and is counted apart. Precision and recall are averaged over the needs with R non-empty, each
need weighing the same; the aspect rates pool the aspects of all needs
(uncovered_rate = Σ uncovered / Σ aspects, missed_rate = Σ missed / Σ aspects).
"""

from __future__ import annotations

import dataclasses
import statistics
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from evaluation.constraints import restrict_to_filters
from evaluation.golden import GoldenSet
from evaluation.metrics import RELEVANT_GRADE
from evaluation.report.blocks import Block, Heading, Paragraph, Table
from evaluation.report.sections import fmt, grade_text, pct
from matcher.confidence import term_coverage
from matcher.config import MatchConfig
from matcher.hybrid import HybridMatcher

BUNDLE_TAG = "multi_aspect"
WORDS_SHARE = 0.5  # an aspect's words "are in" a resource when half their idf weight is found

Words = Callable[[str, str], float]  # (aspect text, resource id) -> share of its words found


@dataclass(frozen=True, slots=True)
class NeedBundle:
    """What a bundle answered for one need, as plain data."""

    query_id: str
    aspects: tuple[str, ...]
    parts: tuple[tuple[str, tuple[int, ...]], ...]  # (resource id, aspects credited to it)
    uncovered: tuple[int, ...]
    seconds: float = 0.0


@dataclass(frozen=True, slots=True)
class BundleScore:
    """One need's bundle against its judgments."""

    query_id: str
    parts: int
    relevant_parts: int
    unjudged_parts: int
    precision: float | None
    recall: float
    aspects: int
    uncovered: int
    missed: tuple[int, ...]  # indexes of the uncovered aspects a relevant resource holds


@dataclass(frozen=True, slots=True)
class BundleSummary:
    """Bundle figures over the scored needs (see the module docstring for the formulas)."""

    needs: int
    precision: float | None
    recall: float | None
    relevant_parts: float | None  # mean per need
    parts: float | None  # mean per need
    empty: int  # needs answered with no part at all
    unjudged_parts: int
    aspects: int
    uncovered: int
    missed: int
    median_ms: float | None

    @property
    def uncovered_rate(self) -> float | None:
        """Share of all aspects left uncovered."""
        return self.uncovered / self.aspects if self.aspects else None

    @property
    def missed_rate(self) -> float | None:
        """Share of all aspects left uncovered although a relevant resource holds their words."""
        return self.missed / self.aspects if self.aspects else None


@dataclass(frozen=True)
class BundleEvaluation:
    """A configuration's bundles over the multi-aspect needs of a golden set, scored."""

    name: str
    bundles: dict[str, NeedBundle]
    scores: dict[str, BundleScore]
    summary: BundleSummary


def score_bundle(
    bundle: NeedBundle,
    *,
    judged: Mapping[str, int],
    max_parts: int,
    words: Words,
    words_share: float = WORDS_SHARE,
) -> BundleScore:
    """Score one need's bundle; `judged` maps resource id -> grade (filters already applied)."""
    relevant = {rid for rid, grade in judged.items() if grade >= RELEVANT_GRADE}
    chosen = list(dict.fromkeys(rid for rid, _ in bundle.parts))
    hits = sum(1 for rid in chosen if rid in relevant)
    missed = tuple(
        a
        for a in bundle.uncovered
        if any(words(bundle.aspects[a], rid) >= words_share for rid in sorted(relevant))
    )
    cap = min(len(relevant), max_parts)
    return BundleScore(
        query_id=bundle.query_id,
        parts=len(chosen),
        relevant_parts=hits,
        unjudged_parts=sum(1 for rid in chosen if rid not in judged),
        precision=hits / len(chosen) if chosen else None,
        recall=hits / cap if cap else 0.0,
        aspects=len(bundle.aspects),
        uncovered=len(bundle.uncovered),
        missed=missed,
    )


def summarise(scores: Sequence[BundleScore], *, seconds: Sequence[float] = ()) -> BundleSummary:
    """Means over needs, pooled aspect counts, median time of one bundle."""
    precisions = [s.precision for s in scores if s.precision is not None]
    return BundleSummary(
        needs=len(scores),
        precision=statistics.fmean(precisions) if precisions else None,
        recall=statistics.fmean(s.recall for s in scores) if scores else None,
        relevant_parts=statistics.fmean(s.relevant_parts for s in scores) if scores else None,
        parts=statistics.fmean(s.parts for s in scores) if scores else None,
        empty=sum(1 for s in scores if s.parts == 0),
        unjudged_parts=sum(s.unjudged_parts for s in scores),
        aspects=sum(s.aspects for s in scores),
        uncovered=sum(s.uncovered for s in scores),
        missed=sum(len(s.missed) for s in scores),
        median_ms=1000.0 * statistics.median(seconds) if seconds else None,
    )


class IndexWords:
    """words(aspect, resource): idf-weighted share of the aspect's terms in the resource's
    documents, read from the matcher's own tokenizer and BM25 index."""

    def __init__(self, matcher: HybridMatcher) -> None:
        self.matcher = matcher
        self._terms: dict[str, list[str]] = {}

    def __call__(self, aspect: str, resource_id: str) -> float:
        """Share of the aspect's words the resource holds (0 when it holds no document)."""
        bm25, corpus = self.matcher.bm25, self.matcher.corpus
        terms = self._terms.setdefault(
            aspect, list(dict.fromkeys(self.matcher.tokenizer.terms(aspect)))
        )
        doc_ids = corpus.doc_ids_of(resource_id)
        if not terms or not doc_ids:
            return 0.0
        present = np.any(bm25.presence(doc_ids, terms), axis=0).tolist()
        found = [t for t, hit in zip(terms, present, strict=True) if hit]
        return term_coverage(terms, found, bm25.term_idf(terms), unseen_idf=bm25.unseen_idf())


def bundle_needs(golden: GoldenSet, *, tag: str = BUNDLE_TAG) -> GoldenSet:
    """The needs of `golden` tagged for bundles (multi-aspect), with their judgments."""
    ids = [q.query_id for q in golden.queries if tag in q.tags]
    return golden.subset(ids, name=f"{golden.name}:{tag}")


def run_bundles(
    *, matcher: HybridMatcher, golden: GoldenSet, config: MatchConfig
) -> dict[str, NeedBundle]:
    """The bundle of every need of `golden`, with its filters."""
    bundles = {}
    for query in golden.queries:
        started = time.perf_counter()
        response = matcher.match_bundle(query.text, filters=query.match_filters(), config=config)
        bundles[query.query_id] = NeedBundle(
            query_id=query.query_id,
            aspects=response.aspects,
            parts=tuple((p.match.resource_id, p.aspects) for p in response.parts),
            uncovered=response.uncovered,
            seconds=time.perf_counter() - started,
        )
    return bundles


def evaluate_bundles(
    *, name: str, matcher: HybridMatcher, golden: GoldenSet, config: MatchConfig
) -> BundleEvaluation:
    """Bundles of the multi-aspect needs of `golden` (a split), scored against its judgments."""
    needs = restrict_to_filters(bundle_needs(golden), matcher)
    bundles = run_bundles(matcher=matcher, golden=needs, config=config)
    words = IndexWords(matcher)
    scores = {
        qid: score_bundle(
            bundle, judged=needs.qrels[qid], max_parts=config.bundle_max_parts, words=words
        )
        for qid, bundle in bundles.items()
        if any(g >= RELEVANT_GRADE for g in needs.qrels[qid].values())
    }
    seconds = [b.seconds for b in bundles.values()]
    return BundleEvaluation(
        name, bundles, scores, summarise(list(scores.values()), seconds=seconds)
    )


def summary_rows(evaluations: Sequence[BundleEvaluation]) -> tuple[tuple[str, ...], ...]:
    """One row of figures per configuration (the order of SUMMARY_HEADERS)."""
    rows = []
    for e in evaluations:
        s = e.summary
        rows.append(
            (
                e.name,
                str(s.needs),
                fmt(s.precision),
                fmt(s.recall),
                fmt(s.relevant_parts, 2),
                fmt(s.parts, 2),
                f"{s.uncovered}/{s.aspects} ({pct(s.uncovered_rate)})",
                f"{s.missed}/{s.aspects} ({pct(s.missed_rate)})",
                str(s.unjudged_parts),
                str(s.empty),
                fmt(s.median_ms, 0),
            )
        )
    return tuple(rows)


SUMMARY_HEADERS = (
    "配置", "需求数", "组合精确率", "组合召回率", "相关资源数", "组合资源数",
    "未覆盖方面", "漏配方面", "未评判资源", "空组合", "中位耗时 ms",
)  # fmt: skip


def bundle_blocks(
    evaluations: Sequence[BundleEvaluation],
    *,
    golden: GoldenSet,
    titles: Mapping[str, str],
    command: str,
) -> list[Block]:
    """The report: what is measured, the figures per configuration, each need's bundle."""
    blocks: list[Block] = [
        Paragraph(f"命令：`{command}`；黄金集：{golden.name}（标签 {BUNDLE_TAG} 的需求）。"),
        Paragraph(
            f"组合精确率 = 组合中评分 ≥ {RELEVANT_GRADE} 的资源 / 组合资源数；"
            f"组合召回率 = 组合中评分 ≥ {RELEVANT_GRADE} 的资源 / min(相关资源数, 组合上限)；"
            "漏配方面 = 未被覆盖、但某个相关资源的文档含有该方面一半以上（按 idf 加权）词语的方面。"
            "未评判的资源按不相关计（下限）。"
        ),
        Table(SUMMARY_HEADERS, summary_rows(evaluations), numeric=frozenset(range(1, 11))),
    ]
    for e in evaluations:
        blocks.append(Heading(f"逐条需求：{e.name}", level=3))
        rows = []
        for qid, bundle in e.bundles.items():
            judged = golden.qrels[qid]
            parts = "；".join(
                f"{rid}（{grade_text(judged, rid)}）{titles.get(rid, '')[:18]} ← "
                + "、".join(bundle.aspects[a] for a in credited)
                for rid, credited in bundle.parts
            )
            missed = set(e.scores[qid].missed) if qid in e.scores else set()
            left = "、".join(
                bundle.aspects[a] + ("（漏配）" if a in missed else "") for a in bundle.uncovered
            )
            rows.append((qid, parts or "—", left or "—"))
        blocks.append(Table(("需求", "组合（评分）← 覆盖的方面", "未覆盖的方面"), tuple(rows)))
    return blocks


def bundles_json(evaluations: Sequence[BundleEvaluation]) -> dict[str, Any]:
    """Figures and each need's bundle, per configuration (results.json of the report)."""
    return {
        e.name: {
            "summary": {
                **dataclasses.asdict(e.summary),
                "uncovered_rate": e.summary.uncovered_rate,
                "missed_rate": e.summary.missed_rate,
            },
            "needs": {
                qid: {
                    **dataclasses.asdict(bundle),
                    "score": dataclasses.asdict(e.scores[qid]) if qid in e.scores else None,
                }
                for qid, bundle in e.bundles.items()
            },
        }
        for e in evaluations
    }

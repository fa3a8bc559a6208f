"""One ranking pass of the hybrid matcher: retrieve, fuse, aggregate, judge, diversify, explain."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np

from matcher.aggregate import ResourceScore, aggregate, apply_priors, resource_ranks
from matcher.bm25 import BM25Index
from matcher.confidence import confidence, term_coverage
from matcher.config import MatchConfig
from matcher.corpus import Corpus
from matcher.dense import DenseIndex
from matcher.explain import find_terms
from matcher.mmr import mmr
from matcher.types import (
    FLAG_LOW_CONFIDENCE,
    REASON_LOW_CONFIDENCE,
    REASON_NO_CANDIDATES,
    REASON_OK,
    Hit,
    MatchedTerm,
    MatchResponse,
    ResourceMatch,
    RetrieverEvidence,
)

Judged = tuple[ResourceScore, float]


@dataclass(frozen=True, slots=True)
class Query:
    """A need after tokenisation and (when dense retrieval is on) encoding."""

    terms: list[str]
    vector: np.ndarray


class Ranker:
    """Ranks one query over the current indexes with one configuration (call under the lock)."""

    def __init__(
        self,
        *,
        bm25: BM25Index,
        dense: DenseIndex,
        corpus: Corpus,
        config: MatchConfig,
        fuse: Callable[..., list[Hit]],
    ) -> None:
        self.bm25, self.dense, self.corpus, self.config = bm25, dense, corpus, config
        self._fuse = fuse

    def rank(self, query: Query, *, k: int, mask: np.ndarray | None) -> MatchResponse:
        """The k best resources for the query among the allowed slots."""
        cfg, docs = self.config, self.corpus.docs
        runs = self._runs(query, mask)
        fused = self._fuse(
            list(runs.values()),
            method=cfg.fusion,
            weights=[cfg.bm25_weight if name == "bm25" else cfg.dense_weight for name in runs],
            rrf_k=cfg.rrf_k,
            normalisation=cfg.normalisation,
        )
        if not fused:
            return MatchResponse(matches=(), no_suitable_resource=True, reason=REASON_NO_CANDIDATES)
        scored = aggregate(fused, docs=docs, method=cfg.case_aggregation, decay=cfg.case_decay)
        scored = apply_priors(
            scored, {r.resource_id: self.corpus.prior(r.resource_id) for r in scored}
        )
        need = k if cfg.mmr_lambda is None else max(k, cfg.mmr_pool)
        judged, confident = self._judge(query, scored, need)
        if cfg.mmr_lambda is not None:
            judged = self._diversify(judged, k, cfg.mmr_lambda)
        views = {name: resource_ranks(run, docs=docs) for name, run in runs.items()}
        matches = tuple(self._explain(query, item, views) for item in judged[:k])
        if not confident:
            return MatchResponse(
                matches=matches, no_suitable_resource=True, reason=REASON_LOW_CONFIDENCE
            )
        return MatchResponse(matches=matches, no_suitable_resource=False, reason=REASON_OK)

    def _runs(self, query: Query, mask: np.ndarray | None) -> dict[str, list[Hit]]:
        runs: dict[str, list[Hit]] = {}
        if self.config.use_bm25:
            runs["bm25"] = self.bm25.search(query.terms, self.config.bm25_depth, mask)
        if self.config.use_dense:
            runs["dense"] = self.dense.search(query.vector, self.config.dense_depth, mask)
        return runs

    def _judge(
        self, query: Query, scored: list[ResourceScore], need: int
    ) -> tuple[list[Judged], bool]:
        """Confidence of the leading resources; weak ones dropped (or kept when configured)."""
        cfg = self.config.confidence
        idf = self.bm25.term_idf(query.terms)
        unseen = self.bm25.unseen_idf()
        kept: list[Judged] = []
        confident = False
        # Look a little deeper than needed: weak matches above may be withheld.
        for result in scored[: max(need, self.config.mmr_pool)]:
            doc_ids = self._evidence_docs(result)
            cosine = None
            if self.config.use_dense:
                cosine = float(np.max(self.dense.vectors(doc_ids) @ query.vector))
            matched = {t for d in doc_ids for t in self.bm25.matching_terms(d, query.terms)}
            coverage = term_coverage(query.terms, matched, idf, unseen_idf=unseen)
            value = confidence(cosine=cosine, coverage=coverage, config=cfg)
            if value >= cfg.min_confidence:
                confident = True
            elif not cfg.keep_low_confidence:
                continue
            kept.append((result, value))
            if len(kept) >= need:
                break
        return kept, confident

    def _evidence_docs(self, result: ResourceScore) -> list[str]:
        resource_doc = self.corpus.resource_document(result.resource_id)
        extra = [resource_doc.doc_id] if resource_doc is not None else []
        return list(dict.fromkeys([*result.doc_ids, *extra]))

    def _diversify(self, judged: list[Judged], k: int, lambda_: float) -> list[Judged]:
        if not judged:
            return judged
        representatives = [self._representative(r) for r, _ in judged]
        vectors = self.dense.vectors([doc_id for doc_id, _ in representatives])
        chosen = mmr(
            [r.score for r, _ in judged],
            vectors @ vectors.T,
            k=k,
            lambda_=lambda_,
            groups=[provider for _, provider in representatives],
            allow_same_group=self.config.allow_same_provider,
        )
        return [judged[i] for i in chosen]

    def _representative(self, result: ResourceScore) -> tuple[str, str]:
        """(doc id whose vector stands for the resource, provider id) for MMR."""
        doc = self.corpus.resource_document(result.resource_id)
        if doc is None:
            doc = self.corpus.docs[result.doc_ids[0]]
        return doc.doc_id, doc.provider_id

    def _explain(
        self, query: Query, item: Judged, views: Mapping[str, Mapping[str, Hit]]
    ) -> ResourceMatch:
        result, value = item
        resource_doc = self.corpus.resource_document(result.resource_id)
        flags = resource_doc.flags if resource_doc else self.corpus.docs[result.doc_ids[0]].flags
        if value < self.config.confidence.min_confidence:
            flags = (*flags, FLAG_LOW_CONFIDENCE)
        return ResourceMatch(
            resource_id=result.resource_id,
            score=result.score,
            confidence=value,
            retrievers=tuple(
                RetrieverEvidence(
                    name=name,
                    rank=view[result.resource_id].rank,
                    score=view[result.resource_id].score,
                )
                for name, view in views.items()
                if result.resource_id in view
            ),
            matched_terms=self._terms_in(resource_doc.doc_id if resource_doc else None, query),
            evidence_doc_id=result.evidence_doc_id,
            evidence_terms=self._terms_in(result.evidence_doc_id, query),
            flags=flags,
        )

    def _terms_in(self, doc_id: str | None, query: Query) -> tuple[MatchedTerm, ...]:
        if doc_id is None:
            return ()
        doc = self.corpus.docs[doc_id]
        terms = self.bm25.matching_terms(doc_id, query.terms)
        return find_terms(terms, doc.display_fields(), limit=self.config.explain_limit)

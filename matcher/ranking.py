"""One ranking pass of the hybrid matcher: retrieve, fuse, aggregate, judge, diversify, explain."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
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
EVIDENCE_DOCS = 5  # matched documents of a resource that its confidence looks at (best first)


@dataclass(frozen=True, slots=True)
class Query:
    """A need after tokenisation and (when dense retrieval is on) encoding."""

    terms: list[str]
    vector: np.ndarray


class Evidence:
    """Which query terms each candidate document contains, and its cosine to the query.

    Computed once per ranking for every document that confidence and explanations look at, with
    one vectorised lookup per term instead of one per (document, term).
    """

    def __init__(
        self, query: Query, doc_ids: Sequence[str], *, bm25: BM25Index, dense: DenseIndex | None
    ):
        self.terms = list(dict.fromkeys(query.terms))
        self._row = {doc_id: i for i, doc_id in enumerate(doc_ids)}
        self._present = bm25.presence(doc_ids, self.terms)
        self._cosine = None if dense is None else dense.vectors(doc_ids) @ query.vector

    def matched_terms(self, doc_ids: Sequence[str]) -> list[str]:
        """Query terms found in any of the documents."""
        rows = [self._row[d] for d in doc_ids]
        hits = np.any(self._present[rows], axis=0).tolist()
        return [t for t, hit in zip(self.terms, hits, strict=True) if hit]

    def cosine(self, doc_ids: Sequence[str]) -> float | None:
        """The best cosine among the documents (None when the query was not encoded)."""
        if self._cosine is None:
            return None
        return float(np.max(self._cosine[[self._row[d] for d in doc_ids]]))


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
        priors = {r.resource_id: self.corpus.prior(r.resource_id) for r in scored}
        need = k if cfg.mmr_lambda is None else max(k, cfg.mmr_pool)
        # Weak matches may be withheld, so look at the whole MMR pool, not only the first k.
        pool = apply_priors(scored, priors)[: max(need, cfg.mmr_pool)]
        considered = {r.resource_id: self._considered_docs(r) for r in pool}
        evidence = Evidence(
            query,
            list(dict.fromkeys(d for ids in considered.values() for d in ids)),
            bm25=self.bm25,
            dense=self.dense if cfg.use_dense else None,
        )
        judged, confident = self._judge(pool, considered, evidence, need)
        if cfg.mmr_lambda is not None:
            judged = self._diversify(judged, k, cfg.mmr_lambda)
        views = {name: resource_ranks(run, docs=docs) for name, run in runs.items()}
        matches = tuple(self._explain(item, views, evidence) for item in judged[:k])
        reason = REASON_OK if confident else REASON_LOW_CONFIDENCE
        return MatchResponse(matches=matches, no_suitable_resource=not confident, reason=reason)

    def _runs(self, query: Query, mask: np.ndarray | None) -> dict[str, list[Hit]]:
        runs: dict[str, list[Hit]] = {}
        if self.config.use_bm25:
            runs["bm25"] = self.bm25.search(query.terms, self.config.bm25_depth, mask)
        if self.config.use_dense:
            runs["dense"] = self.dense.search(query.vector, self.config.dense_depth, mask)
        return runs

    def _considered_docs(self, result: ResourceScore) -> list[str]:
        """The resource's best matched documents, its evidence case and its resource document."""
        resource_doc = self.corpus.resource_document(result.resource_id)
        extra = [resource_doc.doc_id] if resource_doc is not None else []
        if result.evidence_doc_id is not None:
            extra.append(result.evidence_doc_id)
        return list(dict.fromkeys([*result.doc_ids[:EVIDENCE_DOCS], *extra]))

    def _judge(
        self,
        pool: list[ResourceScore],
        considered: Mapping[str, list[str]],
        evidence: Evidence,
        need: int,
    ) -> tuple[list[Judged], bool]:
        """Confidence of the leading resources; weak ones dropped (or kept when configured)."""
        cfg = self.config.confidence
        idf = self.bm25.term_idf(evidence.terms)
        unseen = self.bm25.unseen_idf()
        kept: list[Judged] = []
        confident = False
        for result in pool:
            doc_ids = considered[result.resource_id]
            matched = evidence.matched_terms(doc_ids)
            coverage = term_coverage(evidence.terms, matched, idf, unseen_idf=unseen)
            value = confidence(cosine=evidence.cosine(doc_ids), coverage=coverage, config=cfg)
            if value >= cfg.min_confidence:
                confident = True
            elif not cfg.keep_low_confidence:
                continue
            kept.append((result, value))
            if len(kept) >= need:
                break
        return kept, confident

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
        self, item: Judged, views: Mapping[str, Mapping[str, Hit]], evidence: Evidence
    ) -> ResourceMatch:
        result, value = item
        rid = result.resource_id
        resource_doc = self.corpus.resource_document(rid)
        flags = resource_doc.flags if resource_doc else self.corpus.docs[result.doc_ids[0]].flags
        if value < self.config.confidence.min_confidence:
            flags = (*flags, FLAG_LOW_CONFIDENCE)
        return ResourceMatch(
            resource_id=rid,
            score=result.score,
            confidence=value,
            retrievers=tuple(
                RetrieverEvidence(name=name, rank=view[rid].rank, score=view[rid].score)
                for name, view in views.items()
                if rid in view
            ),
            matched_terms=self._terms_in(resource_doc.doc_id if resource_doc else None, evidence),
            evidence_doc_id=result.evidence_doc_id,
            evidence_terms=self._terms_in(result.evidence_doc_id, evidence),
            flags=flags,
        )

    def _terms_in(self, doc_id: str | None, evidence: Evidence) -> tuple[MatchedTerm, ...]:
        if doc_id is None:
            return ()
        doc = self.corpus.docs[doc_id]
        terms = evidence.matched_terms([doc_id])
        return find_terms(terms, doc.display_fields(), limit=self.config.explain_limit)

"""The hybrid matcher: BM25 and dense retrieval composed, fused, aggregated to resources, explained.

Composition as in pyserini's HybridSearcher: the lexical and the dense index are independent
retrievers over the same documents (resource documents and case documents) and the same slots,
so one filter mask, built from the resources' facets, restricts both *before* they rank. Their
document runs are fused, case hits are aggregated to their resources, priors applied, weak
matches withheld (confidence), and every returned resource is explained. The query is encoded
once, outside the lock; searches and changes are serialised by one lock, so a search never
sees a half-applied change.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

from matcher.aspects import Aspect, NeedAspects, split_need
from matcher.bm25 import BM25Index
from matcher.bundle import aspect_queries, cover_need
from matcher.config import MatchConfig
from matcher.corpus import Corpus
from matcher.dense import DenseIndex, DenseStorage, check_vectors
from matcher.errors import InvalidInput
from matcher.fusion import fuse
from matcher.ranking import Query, Ranker
from matcher.tokenizer import Tokenizer, default_tokenizer
from matcher.types import (
    REASON_EMPTY_QUERY,
    BundleResponse,
    Document,
    Encoder,
    Filters,
    Hit,
    MatchResponse,
    ResourceMatch,
)


class HybridMatcher:
    """Resources and their cases, searchable by need; see the module docstring."""

    def __init__(
        self,
        *,
        encoder: Encoder,
        tokenizer: Tokenizer | None = None,
        config: MatchConfig | None = None,
        threads: int = 1,
        k1: float = 1.5,
        b: float = 0.75,
        epsilon: float = 0.25,
        dense_storage: DenseStorage = "float32",
    ) -> None:
        self.tokenizer = tokenizer or default_tokenizer()
        self.encoder = encoder
        self.config = config or MatchConfig()
        self.threads = threads
        self.bm25 = BM25Index(
            k1=k1, b=b, epsilon=epsilon, dictionary_hash=self.tokenizer.dictionary_hash
        )
        self.dense = DenseIndex(encoder.dimension, threads=threads, storage=dense_storage)
        self.corpus = Corpus()
        self._lock = threading.RLock()

    @property
    def n_documents(self) -> int:
        """Live documents (resources and cases)."""
        return len(self.corpus.docs)

    def document(self, doc_id: str) -> Document | None:
        """A live document by id (e.g. the evidence case of a match), or None."""
        return self.corpus.docs.get(doc_id)

    def facet_values(self) -> dict[str, list[str]]:
        """The facet values present on live resources, per facet (for filter pickers)."""
        with self._lock:
            return self.corpus.facet_values()

    def add_documents(self, docs: Sequence[Document], *, vectors: np.ndarray | None = None) -> None:
        """Index documents (a known doc_id is replaced); `vectors` skips encoding (cached ones)."""
        docs = list(docs)
        if not docs:
            return
        ids = [d.doc_id for d in docs]
        if len(set(ids)) != len(ids):
            raise InvalidInput("同一批次中文档编号重复", code="duplicate_doc_id")
        self._check_one_resource_document(docs)
        if vectors is None:
            vectors = self.encoder.encode_passages([d.text for d in docs])
        vectors = check_vectors(vectors, self.encoder.dimension)
        if vectors.shape[0] != len(docs):
            raise InvalidInput("向量数量与文档数量不符", code="vector_shape")
        tokens = [self.tokenizer.terms(d.text) for d in docs]
        with self._lock:
            slots = self.bm25.add(zip(ids, tokens, strict=True))
            if not np.array_equal(self.dense.add(ids, vectors), slots):
                raise RuntimeError("BM25 and dense slots diverged")
            self.corpus.add(docs, slots)
            self.bm25.prepare()  # the writer pays for idf and weights, not the next search

    def _check_one_resource_document(self, docs: Sequence[Document]) -> None:
        """A resource has one resource document; another doc_id for it must replace it first."""
        seen: dict[str, str] = {}
        for doc in docs:
            if doc.kind != "resource":
                continue
            current = self.corpus.resource_document(doc.resource_id)
            earlier = seen.setdefault(doc.resource_id, doc.doc_id)
            if earlier != doc.doc_id or (current is not None and current.doc_id != doc.doc_id):
                raise InvalidInput(
                    f"资源 {doc.resource_id} 已有资源文档，请先删除再添加",
                    code="duplicate_resource_document",
                )

    def remove_documents(self, doc_ids: Iterable[str]) -> int:
        """Remove documents by id (unknown ids are ignored); returns how many were live."""
        with self._lock:
            removed = self.corpus.remove(doc_ids)
            self.bm25.remove(removed)
            self.dense.remove(removed)
            self.bm25.prepare()
            return len(removed)

    def remove_resource(self, resource_id: str) -> int:
        """Remove a resource and all its cases; returns how many documents were removed."""
        with self._lock:
            return self.remove_documents(self.corpus.doc_ids_of(resource_id))

    def search_bm25(self, query: str, k: int, filters: Filters | None = None) -> list[Hit]:
        """The lexical retriever alone: top-k documents by BM25."""
        terms = self.tokenizer.terms(query)
        with self._lock:
            return self.bm25.search(terms, k, self.corpus.mask(filters)) if terms else []

    def search_dense(self, query: str, k: int, filters: Filters | None = None) -> list[Hit]:
        """The dense retriever alone: top-k documents by cosine similarity."""
        vector = self.encoder.encode_queries([query])[0]
        with self._lock:
            return self.dense.search(vector, k, self.corpus.mask(filters))

    def match(
        self,
        query: str,
        *,
        k: int = 10,
        filters: Filters | None = None,
        config: MatchConfig | None = None,
    ) -> MatchResponse:
        """The k best resources for a need, explained; or `no_suitable_resource` and why."""
        if k < 1:
            raise InvalidInput("k 必须为正整数", code="invalid_k")
        cfg = config or self.config
        (prepared,) = self._prepare([query], cfg)
        if not prepared.terms:
            return MatchResponse(matches=(), no_suitable_resource=True, reason=REASON_EMPTY_QUERY)
        with self._lock:
            return self._ranker(cfg).rank(prepared, k=k, mask=self.corpus.mask(filters))

    def match_bundle(
        self, query: str, *, filters: Filters | None = None, config: MatchConfig | None = None
    ) -> BundleResponse:
        """Complementary resources covering the aspects of a multi-aspect need (Art.5 综合赋能)."""
        cfg = config or self.config
        need = split_need(query, keep=lambda piece: bool(self.tokenizer.terms(piece)))
        if not need.aspects and self.tokenizer.terms(query):
            need = NeedAspects(need.context, (Aspect(query, 0),))  # nothing to split: one ask
        if not need.aspects:
            return BundleResponse(aspects=(), parts=(), uncovered=())
        # Aspects are ranked in plain order, weak matches listed: cover_need judges them itself.
        loose = dataclasses.replace(cfg.confidence, keep_low_confidence=True)
        ranking = dataclasses.replace(cfg, mmr_lambda=None, confidence=loose)

        def rank(texts: Sequence[str]) -> list[Sequence[ResourceMatch]]:
            prepared = aspect_queries(
                need, texts, tokenizer=self.tokenizer, encoder=self.encoder, use_dense=cfg.use_dense
            )
            with self._lock:
                ranker, mask = self._ranker(ranking), self.corpus.mask(filters)
                return [ranker.rank(p, k=cfg.bundle_depth, mask=mask).matches for p in prepared]

        return cover_need(
            need,
            rank=rank,
            min_confidence=cfg.confidence.min_confidence,
            max_parts=cfg.bundle_max_parts,
            share=cfg.bundle_cover_share,
        )

    def _prepare(self, texts: Sequence[str], cfg: MatchConfig) -> list[Query]:
        terms = [self.tokenizer.terms(t) for t in texts]
        if cfg.use_dense and any(terms):
            vectors = self.encoder.encode_queries(list(texts))
        else:
            vectors = np.zeros((len(texts), self.encoder.dimension), dtype=np.float32)
        return [Query(terms=t, vector=v) for t, v in zip(terms, vectors, strict=True)]

    def _ranker(self, cfg: MatchConfig) -> Ranker:
        return Ranker(bm25=self.bm25, dense=self.dense, corpus=self.corpus, config=cfg, fuse=fuse)

    def save(self, directory: Path) -> None:
        """Write the whole matcher (arrays, faiss index, JSON; no pickle) into `directory`."""
        from matcher.hybrid_store import save_matcher

        with self._lock:
            save_matcher(self, directory)

    @classmethod
    def load(
        cls,
        directory: Path,
        *,
        encoder: Encoder,
        tokenizer: Tokenizer | None = None,
        config: MatchConfig | None = None,
        threads: int = 1,
        dense_storage: DenseStorage | None = None,
    ) -> HybridMatcher:
        """Read a saved matcher; refuses another model, dimension or dictionary, and another
        dense storage when one is given (None: as saved)."""
        from matcher.hybrid_store import load_matcher

        return load_matcher(
            cls,
            directory,
            encoder=encoder,
            tokenizer=tokenizer or default_tokenizer(),
            config=config,
            threads=threads,
            dense_storage=dense_storage,
        )

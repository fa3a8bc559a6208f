"""Indexes of the certified library for evaluation: built once per (model, tokenizer), reused.

Documents come from the registry's read model (the database the demo library was loaded into)
and go through `indexing` exactly as the service's do, with the embedding cache, so a second
evaluation re-embeds nothing. Fusion, depths, aggregation and confidence are query-time
settings of `MatchConfig`: every configuration on the same model and dictionary shares one
index. Query vectors are memoised too, so a sweep encodes each need once.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from evaluation.configuration import EvalConfig, TokenizerSpec
from indexing.build import IndexParts, StageProgress, build_matcher
from indexing.documents import DocumentFactors
from indexing.embed_cache import EmbeddingCache
from matcher.dense import DenseStorage
from matcher.hybrid import HybridMatcher
from matcher.tokenizer import STOPWORDS_PATH, USERDICT_PATH, Tokenizer, default_tokenizer
from matcher.types import Encoder
from registry.library import LibraryEntryView

EncoderFactory = Callable[[str], Encoder]


class QueryMemo:
    """An `Encoder` that remembers query vectors by text; passages go straight through."""

    def __init__(self, inner: Encoder) -> None:
        self.inner = inner
        self.model_id = inner.model_id
        self.dimension = inner.dimension
        self._memo: dict[str, np.ndarray] = {}

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Vectors of the texts, encoding only those never seen."""
        missing = [t for t in dict.fromkeys(texts) if t not in self._memo]
        if missing:
            for text, vector in zip(missing, self.inner.encode_queries(missing), strict=True):
                self._memo[text] = vector
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return np.stack([self._memo[t] for t in texts])

    def encode_passages(self, texts: Sequence[str], **options: Any) -> np.ndarray:
        """The inner encoder's passage vectors."""
        return self.inner.encode_passages(texts, **options)


def sentence_encoder_factory(
    *, threads: int = 1, batch_size: int = 32, max_seq_length: int = 256
) -> EncoderFactory:
    """Encoders of a sentence-transformers model path or name (loaded on first use)."""

    def make(model: str) -> Encoder:
        from matcher.encoders import SentenceTransformerEncoder

        return SentenceTransformerEncoder(
            model, threads=threads, batch_size=batch_size, max_seq_length=max_seq_length
        )

    return make


def make_tokenizer(spec: TokenizerSpec) -> Tokenizer:
    """The tokenizer a configuration names (the shared default when it names none)."""
    if spec == TokenizerSpec():
        return default_tokenizer()
    return Tokenizer(
        userdict=spec.userdict or USERDICT_PATH,
        stopwords=spec.stopwords or STOPWORDS_PATH,
        hmm=spec.hmm,
    )


def library_views(database_url: str) -> list[LibraryEntryView]:
    """The certified library of a registry database, as `indexing` reads it."""
    from indexing.service import sessions_for
    from indexing.source import DatabaseSource

    return DatabaseSource(sessions_for(database_url)).entries()


class IndexPool:
    """One matcher per (model, tokenizer, dense storage) over the same library views, built on
    first use."""

    def __init__(
        self,
        *,
        views: Sequence[LibraryEntryView],
        default_model: str,
        cache_path: Path | None,
        encoder_factory: EncoderFactory,
        factors: DocumentFactors | None = None,
        threads: int = 1,
        progress: StageProgress | None = None,
        default_storage: DenseStorage = "float32",
    ) -> None:
        self.views = list(views)
        self.default_storage: DenseStorage = default_storage
        self.default_model = default_model
        self.cache = EmbeddingCache(cache_path) if cache_path is not None else None
        self.encoder_factory = encoder_factory
        self.factors = factors or DocumentFactors()
        self.threads = threads
        self.progress = progress
        self.build_seconds: dict[str, float] = {}
        self._matchers: dict[tuple[str, tuple[str, str, bool], str], HybridMatcher] = {}

    def model_of(self, config: EvalConfig) -> str:
        """The model a configuration runs on."""
        return config.model or self.default_model

    def matcher(self, config: EvalConfig) -> HybridMatcher:
        """The matcher of the configuration's model and tokenizer (its MatchConfig is per call)."""
        storage = config.dense_storage or self.default_storage
        key = (self.model_of(config), config.tokenizer.key(), storage)
        if key not in self._matchers:
            started = time.perf_counter()
            parts = IndexParts(
                encoder=QueryMemo(self.encoder_factory(key[0])),
                tokenizer=make_tokenizer(config.tokenizer),
                factors=self.factors,
                cache=self.cache,
                threads=self.threads,
                embed_batch=32,
                dense_storage=storage,
            )
            self._matchers[key] = build_matcher(self.views, parts=parts, progress=self.progress)
            dictionary = config.tokenizer.userdict or "默认词典"
            label = f"{key[0]}（{dictionary}）" + ("" if storage == "float32" else f"（{storage}）")
            self.build_seconds[label] = time.perf_counter() - started
        return self._matchers[key]

    def close(self) -> None:
        """Close the embedding cache."""
        if self.cache is not None:
            self.cache.close()

"""Test doubles shipped with the library: fake encoders and a synthetic Chinese corpus."""

from __future__ import annotations

import zlib
from collections.abc import Callable, Sequence

import numpy as np

from matcher.tokenizer import normalize


class KeywordEncoder:
    """Fake `Encoder`: one dimension per keyword, set when the text contains it (multi-hot).

    The vector is L2-normalised, so the cosine of two texts is |A ∩ B| / sqrt(|A| · |B|) over
    their keyword sets A and B (the keyword fake encoder HOUSE.md takes from sentence-transformers'
    tests). So that every row is a unit vector, a text with no keyword sets one of two spare
    dimensions instead: one for passages, one for queries. A query without keywords is therefore
    orthogonal to every passage (cosine 0), as an off-topic need should be. Keywords are found
    by substring on normalised text (case and width folded).
    """

    def __init__(self, keywords: Sequence[str], *, model_id: str = "keyword-fake") -> None:
        if len(set(keywords)) != len(keywords) or not keywords:
            raise ValueError("keywords must be distinct and non-empty")
        self.keywords = tuple(normalize(k) for k in keywords)
        self.model_id = model_id
        self.dimension = len(self.keywords) + 2
        self.calls = 0  # texts encoded so far, for tests that count encodings

    def keyword_set(self, text: str) -> set[str]:
        """The keywords a text contains."""
        norm = normalize(text)
        return {k for k in self.keywords if k in norm}

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Multi-hot keyword vectors, normalised; no keyword: the query spare dimension."""
        return self._encode(texts, spare=self.dimension - 2)

    def encode_passages(self, texts: Sequence[str]) -> np.ndarray:
        """Multi-hot keyword vectors, normalised; no keyword: the passage spare dimension."""
        return self._encode(texts, spare=self.dimension - 1)

    def _encode(self, texts: Sequence[str], *, spare: int) -> np.ndarray:
        self.calls += len(texts)
        vectors = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            norm = normalize(text)
            hits = [i for i, k in enumerate(self.keywords) if k in norm]
            vectors[row, hits or [spare]] = 1.0
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors


class HashingEncoder:
    """Fake `Encoder` for benchmarks: the normalised sum of fixed random vectors of the tokens.

    Texts sharing tokens get similar vectors, so FAISS sees embedding-like data of the real
    model's dimension without loading a model; each token's vector is seeded from its CRC32.
    """

    def __init__(self, terms: Callable[[str], list[str]], *, dimension: int = 384, seed: int = 0):
        self.model_id = f"hashing-fake-{dimension}-{seed}"
        self.dimension = dimension
        self._terms = terms
        self._seed = seed
        self._vectors: dict[str, np.ndarray] = {}

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Token-sum vectors, normalised."""
        return self._encode(texts)

    def encode_passages(self, texts: Sequence[str]) -> np.ndarray:
        """Token-sum vectors, normalised."""
        return self._encode(texts)

    def _vector(self, token: str) -> np.ndarray:
        vector = self._vectors.get(token)
        if vector is None:
            rng = np.random.default_rng([self._seed, zlib.crc32(token.encode("utf-8"))])
            vector = rng.standard_normal(self.dimension).astype(np.float32)
            self._vectors[token] = vector
        return vector

    def _encode(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            tokens = self._terms(text) or [text]
            out[row] = np.sum([self._vector(t) for t in tokens], axis=0)
        out /= np.linalg.norm(out, axis=1, keepdims=True)
        return out

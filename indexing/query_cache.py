"""Query vectors remembered: the same need asked again (another page, another filter) is not
encoded again. A wrapper with the wrapped encoder's identity, so manifests and the embedding
cache see the same model."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any

import numpy as np

from matcher.types import Encoder


class QueryVectorCache:
    """`Encoder` that remembers the last `size` query vectors; passages pass straight through."""

    def __init__(self, encoder: Encoder, *, size: int = 1024) -> None:
        if size < 1:
            raise ValueError("size must be positive")
        self.inner = encoder
        self.model_id = encoder.model_id
        self.dimension = encoder.dimension
        self.size = size
        self._vectors: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    @property
    def model_hash(self) -> Any:
        """The wrapped encoder's weights hash, if it declares one."""
        return getattr(self.inner, "model_hash", None)

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Remembered vectors where known; the others encoded together, then remembered."""
        with self._lock:
            known = {t: self._vectors[t] for t in texts if t in self._vectors}
            for text in known:
                self._vectors.move_to_end(text)
        missing = list(dict.fromkeys(t for t in texts if t not in known))
        if missing:
            fresh = self.inner.encode_queries(missing)
            with self._lock:
                for text, vector in zip(missing, fresh, strict=True):
                    known[text] = vector
                    self._vectors[text] = vector
                while len(self._vectors) > self.size:
                    self._vectors.popitem(last=False)
        out = np.stack([known[t] for t in texts]) if texts else np.zeros((0, self.dimension))
        return out.astype(np.float32, copy=True)

    def encode_passages(self, texts: Sequence[str]) -> np.ndarray:
        """The wrapped encoder's passage vectors."""
        return self.inner.encode_passages(texts)

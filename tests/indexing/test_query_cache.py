"""Query vectors remembered: the same need is encoded once; the identity is the model's."""

from __future__ import annotations

import numpy as np

from indexing.manifest import model_hash_of
from indexing.query_cache import QueryVectorCache
from matcher.testing import KeywordEncoder
from tests.indexing.views import KEYWORDS


def test_a_need_asked_again_is_not_encoded_again() -> None:
    inner = KeywordEncoder(KEYWORDS)
    cached = QueryVectorCache(inner, size=2)
    first = cached.encode_queries(["机器视觉", "MES"])
    assert inner.calls == 2
    again = cached.encode_queries(["MES", "机器视觉", "MES"])
    assert inner.calls == 2
    assert np.array_equal(again, inner.encode_queries(["MES", "机器视觉", "MES"]))
    inner.calls = 0
    again[0, :] = 0  # callers own what they get
    assert np.array_equal(cached.encode_queries(["机器视觉", "MES"]), first)
    cached.encode_queries(["直播"])  # evicts the least recently used ("机器视觉")
    cached.encode_queries(["MES"])
    assert inner.calls == 1
    cached.encode_queries(["机器视觉"])
    assert inner.calls == 2
    assert cached.encode_queries([]).shape == (0, inner.dimension)


def test_passages_pass_through_and_identity_is_kept() -> None:
    inner = KeywordEncoder(KEYWORDS, model_id="m1")
    cached = QueryVectorCache(inner)
    assert (cached.model_id, cached.dimension, model_hash_of(cached)) == ("m1", 12, None)
    cached.encode_passages(["机器视觉"])
    cached.encode_passages(["机器视觉"])
    assert inner.calls == 2

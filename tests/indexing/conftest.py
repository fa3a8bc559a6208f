"""Fixtures of the indexing tests: one tokenizer, a keyword encoder that counts its calls, the
parts of an index with a cache under tmp_path, and the database fixtures of tests/db."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from indexing.build import IndexParts
from indexing.documents import DocumentFactors
from indexing.embed_cache import EmbeddingCache
from matcher.confidence import ConfidenceConfig
from matcher.config import MatchConfig
from matcher.testing import KeywordEncoder
from matcher.tokenizer import Tokenizer, default_tokenizer
from tests.db.conftest import (  # noqa: F401  (database fixtures on SQLite and PostgreSQL)
    db_engine,
    db_session,
    db_sessions,
    db_url,
    file_store,
    pg_database_url,
)
from tests.indexing.views import KEYWORDS

FACTORS = DocumentFactors(warned_factor=0.5, priority_boost=1.5)
# The default confidence is calibrated on the real model's cosines; the keyword encoder's
# cosine is the share of keywords in common, so any shared keyword counts as evidence here.
CONFIG = MatchConfig(confidence=ConfidenceConfig(dense_floor=0.0, dense_ceiling=0.5))


@pytest.fixture(scope="session")
def tokenizer() -> Tokenizer:
    return default_tokenizer()


@pytest.fixture
def encoder() -> KeywordEncoder:
    return KeywordEncoder(KEYWORDS)


@pytest.fixture
def cache(tmp_path: Path) -> Iterator[EmbeddingCache]:
    store = EmbeddingCache(tmp_path / "embeddings.sqlite")
    yield store
    store.close()


@pytest.fixture
def parts(encoder: KeywordEncoder, tokenizer: Tokenizer, cache: EmbeddingCache) -> IndexParts:
    return IndexParts(
        encoder=encoder, tokenizer=tokenizer, factors=FACTORS, config=CONFIG, cache=cache
    )

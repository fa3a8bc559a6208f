"""Fixtures of the indexing tests: one tokenizer, a keyword encoder that counts its calls, the
parts of an index with a cache under tmp_path, and the database fixtures of tests/db."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexing.build import IndexParts
from indexing.documents import DocumentFactors
from indexing.embed_cache import EmbeddingCache
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


@pytest.fixture(scope="session")
def tokenizer() -> Tokenizer:
    return default_tokenizer()


@pytest.fixture
def encoder() -> KeywordEncoder:
    return KeywordEncoder(KEYWORDS)


@pytest.fixture
def cache(tmp_path: Path) -> EmbeddingCache:
    store = EmbeddingCache(tmp_path / "embeddings.sqlite")
    yield store
    store.close()


@pytest.fixture
def parts(encoder: KeywordEncoder, tokenizer: Tokenizer, cache: EmbeddingCache) -> IndexParts:
    return IndexParts(encoder=encoder, tokenizer=tokenizer, factors=FACTORS, cache=cache)

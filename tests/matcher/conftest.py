"""Shared fixtures of the matcher unit tests: one tokenizer per session, a generated corpus."""

from __future__ import annotations

import pytest

from matcher.synthetic import synthetic_corpus
from matcher.tokenizer import Tokenizer, default_tokenizer


@pytest.fixture(scope="session")
def tokenizer() -> Tokenizer:
    return default_tokenizer()


@pytest.fixture(scope="session")
def chinese_corpus(tokenizer: Tokenizer) -> list[list[str]]:
    """400 generated Chinese case texts, tokenised (varied lengths, skewed term frequencies)."""
    return [tokenizer.terms(text) for text in synthetic_corpus(400, seed=7)]

"""Shared fixtures of the matcher unit tests: one tokenizer per session, a generated corpus."""

from __future__ import annotations

import pytest

from matcher.synthetic import synthetic_corpus
from matcher.tokenizer import USERDICT_PATH, Tokenizer, default_tokenizer


@pytest.fixture(scope="session")
def tokenizer() -> Tokenizer:
    return default_tokenizer()


@pytest.fixture(scope="session")
def changed_tokenizer(tmp_path_factory: pytest.TempPathFactory) -> Tokenizer:
    """A tokenizer whose user dictionary has one more term (柔性电子)."""
    userdict = tmp_path_factory.mktemp("dict") / "userdict.txt"
    userdict.write_text(USERDICT_PATH.read_text(encoding="utf-8") + "柔性电子 500 nz\n", "utf-8")
    return Tokenizer(userdict=userdict)


@pytest.fixture(scope="session")
def chinese_corpus(tokenizer: Tokenizer) -> list[list[str]]:
    """400 generated Chinese case texts, tokenised (varied lengths, skewed term frequencies)."""
    return [tokenizer.terms(text) for text in synthetic_corpus(400, seed=7)]

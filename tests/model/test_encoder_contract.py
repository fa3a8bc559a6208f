"""SentenceTransformerEncoder without a model load: ids, validation, errors, lazy imports."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from matcher.encoders import MODEL_MANIFEST_FILE, EncoderUnavailable, SentenceTransformerEncoder
from matcher.errors import MatcherError

HASH = "sha256:" + "0123456789abcdef" * 4


@pytest.fixture
def manifest_only(tmp_path: Path) -> Path:
    """A folder with just a manifest: enough for the id and dimension, never loadable."""
    manifest = {"name": "multilingual-e5-small", "model_hash": HASH, "dimension": 384}
    (tmp_path / MODEL_MANIFEST_FILE).write_text(json.dumps(manifest), encoding="utf-8")
    return tmp_path


def test_model_id_carries_name_and_weights_hash_without_loading(manifest_only: Path) -> None:
    encoder = SentenceTransformerEncoder(str(manifest_only))

    assert encoder.model_id.startswith("multilingual-e5-small@sha256:0123456789abcdef+cfg:")
    assert len(encoder.model_id.rsplit("+cfg:", 1)[1]) == 8
    assert encoder.dimension == 384
    assert encoder.model_hash == HASH


def test_model_id_changes_with_what_changes_vectors(manifest_only: Path) -> None:
    def model_id(**config: object) -> str:
        return SentenceTransformerEncoder(str(manifest_only), **config).model_id  # type: ignore[arg-type]

    base = model_id()
    assert model_id() == base
    assert model_id(threads=2, batch_size=8) == base  # speed settings do not change vectors
    assert model_id(passage_prefix="") != base
    assert model_id(query_prefix="查询：") != base
    assert model_id(max_seq_length=512) != base


def test_missing_folder_is_reported_with_the_build_command(tmp_path: Path) -> None:
    with pytest.raises(EncoderUnavailable) as missing:
        SentenceTransformerEncoder(str(tmp_path / "var" / "models" / "nothing-here"))

    assert missing.value.code == "model_not_found"
    assert "funeng model build" in missing.value.message


def test_unreadable_manifest_is_reported(tmp_path: Path) -> None:
    (tmp_path / MODEL_MANIFEST_FILE).write_text("{broken", encoding="utf-8")

    with pytest.raises(EncoderUnavailable) as broken:
        SentenceTransformerEncoder(str(tmp_path))

    assert broken.value.code == "model_manifest_invalid"


@pytest.mark.parametrize("field", ["threads", "batch_size", "max_seq_length"])
def test_non_positive_settings_are_refused(manifest_only: Path, field: str) -> None:
    with pytest.raises(MatcherError) as refused:
        SentenceTransformerEncoder(str(manifest_only), **{field: 0})  # type: ignore[arg-type]

    assert refused.value.code == "invalid_input"


def test_a_bare_string_is_refused_rather_than_split_into_characters(manifest_only: Path) -> None:
    encoder = SentenceTransformerEncoder(str(manifest_only))

    with pytest.raises(MatcherError, match="文本列表"):
        encoder.encode_queries("注塑")


def test_importing_the_encoder_module_loads_no_heavy_library() -> None:
    code = (
        "import sys, matcher.encoders; "
        "print(sorted(m for m in ('torch', 'sentence_transformers', 'transformers') "
        "if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )

    assert result.stdout.strip() == "[]"

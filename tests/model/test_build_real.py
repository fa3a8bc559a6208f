"""The real build through the command line, offline: idempotent with --if-missing, refusing and
then repairing a half-written folder (deterministically: the same weights hash), and surviving
a build killed in the middle."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from indexing.model_build import (
    FolderState,
    check_folder,
    read_manifest,
    tokenizer_source,
    weights_source,
)
from indexing.model_build.sources import SourceFile
from tests.model.conftest import OFFLINE_ENV, REPO, run_model_cli

pytestmark = pytest.mark.slow


def sources() -> list[SourceFile]:
    return [weights_source(), tokenizer_source()]


def test_if_missing_keeps_a_finished_build_untouched(built_model_dir: Path) -> None:
    manifest_path = built_model_dir / "funeng_model.json"
    before = (manifest_path.read_bytes(), manifest_path.stat().st_mtime_ns)

    first = run_model_cli("build", "--out", str(built_model_dir), "--if-missing")
    second = run_model_cli("build", "--out", str(built_model_dir), "--if-missing")

    assert first.returncode == 0 and second.returncode == 0, first.stderr + second.stderr
    assert "模型已存在且完整" in second.stdout
    assert (manifest_path.read_bytes(), manifest_path.stat().st_mtime_ns) == before


@pytest.fixture(scope="module")
def repaired_dir(built_model_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A half-written copy of the model (no manifest, truncated weights), refused and then
    repaired by a real offline build."""
    folder = tmp_path_factory.mktemp("half") / "multilingual-e5-small"
    folder.mkdir()
    shutil.copy(built_model_dir / "config.json", folder / "config.json")
    with (built_model_dir / "model.safetensors").open("rb") as source:
        (folder / "model.safetensors").write_bytes(source.read(1 << 20))

    refused = run_model_cli("build", "--out", str(folder))
    assert refused.returncode == 1
    assert "model_incomplete" in refused.stderr
    assert not (folder / "funeng_model.json").exists()

    repaired = run_model_cli("build", "--out", str(folder), "--if-missing")
    assert repaired.returncode == 0, repaired.stderr
    print("\n" + repaired.stdout.strip())
    return folder


def test_half_written_folder_is_repaired_with_identical_weights(
    repaired_dir: Path, built_model_dir: Path
) -> None:
    check = check_folder(repaired_dir, sources=sources(), verify_hashes=True)
    reference = read_manifest(built_model_dir)

    assert check.state is FolderState.COMPLETE, check.problems
    assert check.manifest is not None and reference is not None
    assert check.manifest.model_hash == reference.model_hash
    assert check.manifest.files["model.safetensors"] == reference.files["model.safetensors"]


def test_a_killed_rebuild_leaves_the_previous_model_loadable(repaired_dir: Path) -> None:
    before = read_manifest(repaired_dir)
    command = [sys.executable, "-c", "from api.cli.model_cmd import app; app()"]
    process = subprocess.Popen(
        [*command, "build", "--out", str(repaired_dir), "--force"],
        cwd=REPO,
        env={**os.environ, **OFFLINE_ENV},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    staging_glob = f".{repaired_dir.name}.staging-*/hf/model.safetensors"
    deadline = time.monotonic() + 120
    while not list(repaired_dir.parent.glob(staging_glob)) and time.monotonic() < deadline:
        assert process.poll() is None, "the build finished before it could be interrupted"
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)

    assert list(repaired_dir.parent.glob(f".{repaired_dir.name}.staging-*"))
    assert check_folder(repaired_dir, sources=sources(), verify_hashes=True).state is (
        FolderState.COMPLETE
    )
    assert read_manifest(repaired_dir) == before

    again = run_model_cli("build", "--out", str(repaired_dir), "--if-missing")
    assert again.returncode == 0, again.stderr
    assert "已清理上次中断的构建" in again.stdout
    assert not list(repaired_dir.parent.glob(f".{repaired_dir.name}.staging-*"))


def test_info_prints_the_manifest_and_passes_the_sanity_check(built_model_dir: Path) -> None:
    result = run_model_cli("info", "--path", str(built_model_dir), "--verify")

    assert result.returncode == 0, result.stdout + result.stderr
    assert "（complete）" in result.stdout
    assert "权重哈希：sha256:" in result.stdout
    assert "嵌入检查：通过" in result.stdout

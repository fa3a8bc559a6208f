"""A process killed (SIGKILL) in the middle of a snapshot write: the next start loads the last
complete snapshot, and the next write clears what the dead one left."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from indexing.build import IndexParts
from indexing.cursor import CursorState
from indexing.snapshot import TMP_PREFIX, SnapshotStore
from tests.indexing.snapshot_child import FACTORS, NOW, parts

ROOT = Path(__file__).resolve().parents[2]
STAGES = ("tmp_created", "matcher_saved", "manifest_written", "renamed", "current_replaced")


def spawn(directory: Path, stage: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "OMP_NUM_THREADS": "1"}
    return subprocess.Popen(
        [sys.executable, "-m", "tests.indexing.snapshot_child", str(directory), stage],
        cwd=ROOT,
        env=env,
        stderr=subprocess.PIPE,
    )


def wait_for(condition: Callable[[], bool], child: subprocess.Popen[bytes], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if child.poll() is not None:
            raise AssertionError(f"child exited early: {child.stderr.read().decode()}")  # type: ignore[union-attr]
        if time.monotonic() > deadline:
            child.kill()
            raise AssertionError("the child never reached the point to kill it at")
        time.sleep(0.01)


def kill(child: subprocess.Popen[bytes]) -> None:
    os.kill(child.pid, signal.SIGKILL)
    assert child.wait(timeout=30) == -signal.SIGKILL


@pytest.fixture(scope="module")
def index_parts() -> IndexParts:
    return parts()


@pytest.fixture(scope="module")
def killed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One child per step, started together (they pay their start-up at once), each killed
    with SIGKILL while paused at its step; the index folder each left behind."""
    folders = {stage: tmp_path_factory.mktemp(stage) / "index" for stage in STAGES}
    children = {}
    for stage, folder in folders.items():
        folder.mkdir()
        children[stage] = spawn(folder, stage)
    for stage, child in children.items():
        wait_for((folders[stage] / f"at-{stage}").exists, child, seconds=120)
        kill(child)
    return folders


@pytest.mark.parametrize("stage", STAGES)
def test_killed_at_each_step_of_a_write(
    killed: dict[str, Path], stage: str, index_parts: IndexParts
) -> None:
    store = SnapshotStore(killed[stage])
    loaded = store.load(
        encoder=index_parts.encoder, tokenizer=index_parts.tokenizer, factors=FACTORS
    )
    # Until CURRENT is replaced the first snapshot (4 resources) is served; after, the second.
    second = stage == "current_replaced"
    assert loaded.manifest["corpus_version"] == (2 if second else 1)
    assert len(loaded.matcher.corpus.resources()) == (3 if second else 4)
    left = [p for p in store.snapshots_dir.iterdir() if p.name.startswith(TMP_PREFIX)]
    assert bool(left) == (stage in ("tmp_created", "matcher_saved", "manifest_written"))
    # A new write (the restarted process) clears the dead write's temporary folder.
    store.write(loaded.matcher, cursor=CursorState(3), factors=FACTORS, now=NOW)
    assert not [p for p in store.snapshots_dir.iterdir() if p.name.startswith(TMP_PREFIX)]
    assert store.current()[1]["corpus_version"] == 3


def test_killed_at_a_random_moment_of_repeated_writes(
    tmp_path: Path, index_parts: IndexParts
) -> None:
    directory = tmp_path / "index"
    directory.mkdir()
    child = spawn(directory, "loop")
    snapshots = directory / "snapshots"

    def writing_again() -> bool:
        # At least one snapshot is complete and the next one's temporary folder exists.
        if not (directory / "CURRENT").exists():
            return False
        return any(p.name.startswith(TMP_PREFIX) for p in snapshots.iterdir())

    wait_for(writing_again, child, seconds=180)
    kill(child)
    store = SnapshotStore(directory)
    name, manifest = store.current()
    assert name == (directory / "CURRENT").read_text().strip()
    loaded = store.load(
        encoder=index_parts.encoder, tokenizer=index_parts.tokenizer, factors=FACTORS
    )
    assert loaded.name == name and len(loaded.matcher.corpus.resources()) == 1500
    assert manifest["counts"]["resources"] == 1500

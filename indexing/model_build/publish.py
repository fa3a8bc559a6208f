"""Staging folders, a per-target lock and the rename that publishes a finished model.

A build writes into `.<name>.staging-<pid>-<random>` next to the target and renames it into
place only when complete, so readers see the old model or the new one, never a partial one.
A killed build leaves only a staging folder behind, removed by the next build.
"""

from __future__ import annotations

import fcntl
import os
import secrets
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def _sibling(target: Path, kind: str) -> Path:
    return target.parent / f".{target.name}.{kind}-{os.getpid()}-{secrets.token_hex(4)}"


@contextmanager
def build_lock(target: Path) -> Iterator[None]:
    """Hold an exclusive lock for building `target` (concurrent builds wait, then see it)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    lock_path = target.parent / f".{target.name}.lock"
    with lock_path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def leftover_dirs(target: Path) -> list[Path]:
    """Staging and replaced folders that earlier builds of `target` left behind."""
    patterns = (f".{target.name}.staging-*", f".{target.name}.old-*")
    return sorted(p for pattern in patterns for p in target.parent.glob(pattern))


def remove_leftovers(target: Path) -> list[Path]:
    """Delete leftovers of killed builds; call with the build lock held (none is running)."""
    removed = leftover_dirs(target)
    for path in removed:
        _remove(path)
    return removed


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def new_staging_dir(target: Path) -> Path:
    """A fresh, empty staging folder on the same file system as `target`."""
    staging = _sibling(target, "staging")
    staging.mkdir(parents=True)
    return staging


def fsync_tree(folder: Path) -> None:
    """Make `folder` readable by all (some writers create 0600 files) and flush it to disk."""
    for path in sorted(folder.rglob("*"), reverse=True):
        path.chmod(0o755 if path.is_dir() else 0o644)
        _fsync(path)
    folder.chmod(0o755)
    _fsync(folder)


def _fsync(path: Path) -> None:
    flags = os.O_RDONLY | (os.O_DIRECTORY if path.is_dir() else 0)
    descriptor = os.open(path, flags)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def publish(staged: Path, target: Path) -> None:
    """Move a finished folder into place, replacing what was there (two renames)."""
    fsync_tree(staged)
    previous = None
    if target.exists() or target.is_symlink():
        previous = _sibling(target, "old")
        os.rename(target, previous)
    os.rename(staged, target)
    _fsync(target.parent)
    if previous is not None:
        _remove(previous)

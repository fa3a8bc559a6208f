"""Index snapshots on disk: a folder per snapshot, a manifest written last, an atomic pointer.

Layout of the index folder::

    CURRENT                      name of the snapshot to load (replaced atomically)
    snapshots/<name>/matcher/    HybridMatcher.save (numpy archives, faiss, JSON; no pickle)
    snapshots/<name>/manifest.json
    snapshots/.tmp-<name>/       a snapshot being written (a leftover after a crash)

where <name> is `<sequence>-<time>-v<corpus version>`, so names sort in the order written.

Writing: files into a temporary folder, each fsynced and hashed, then `manifest.json`, then
the folder renamed into place, then `CURRENT` replaced with `os.replace` (all fsynced), then
old snapshots pruned (the last `keep` stay). A process killed at any point leaves `CURRENT`
naming a complete snapshot. Loading reads `CURRENT` (or, when it is missing or names an
incomplete folder, the newest complete snapshot) and refuses a mismatch: another format
version, model id or hash, dimension, tokenizer dictionary or ranking factors, or a file whose
checksum differs from the manifest.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from indexing import manifest as mf
from indexing.cursor import CursorState
from indexing.documents import DocumentFactors
from indexing.errors import IndexingError, NoSnapshot, SnapshotCorrupt
from matcher.config import MatchConfig
from matcher.dense import DenseStorage
from matcher.errors import MatcherError
from matcher.hybrid import HybridMatcher
from matcher.tokenizer import Tokenizer
from matcher.types import Encoder

CURRENT = "CURRENT"
SNAPSHOTS = "snapshots"
TMP_PREFIX = ".tmp-"
LOCK_FILE = ".write.lock"

# Called with the name of each step of a write ("tmp_created", "matcher_saved",
# "manifest_written", "renamed", "current_replaced"): lets a test stop a write at a known point.
StageHook = Callable[[str], None]


@dataclass(frozen=True)
class LoadedSnapshot:
    """A snapshot read back: the matcher, its manifest and folder name."""

    matcher: HybridMatcher
    manifest: dict[str, Any]
    name: str


class SnapshotStore:
    """Writes and loads the snapshots of one index folder (see the module docstring)."""

    def __init__(self, directory: Path, *, keep: int = 2, stage_hook: StageHook | None = None):
        if keep < 1:
            raise IndexingError("至少保留一个快照", code="invalid_keep")
        self.directory = Path(directory)
        self.keep = keep
        self._hook = stage_hook or (lambda _stage: None)

    @property
    def snapshots_dir(self) -> Path:
        """Where snapshot folders live."""
        return self.directory / SNAPSHOTS

    def write(
        self,
        matcher: HybridMatcher,
        *,
        cursor: CursorState,
        factors: DocumentFactors,
        now: datetime,
    ) -> str:
        """Write a complete snapshot of `matcher`, point `CURRENT` at it, prune; its name."""
        self.snapshots_dir.mkdir(parents=True, exist_ok=True)
        with self._write_lock():
            self._remove_leftovers()
            name = self._new_name(now, cursor.version)
            tmp = self.snapshots_dir / f"{TMP_PREFIX}{name}"
            tmp.mkdir()
            self._hook("tmp_created")
            matcher.save(tmp / "matcher")
            files = {path: _fsync_and_hash(tmp / path) for path in _files_under(tmp)}
            self._hook("matcher_saved")
            payload = mf.build(matcher, cursor=cursor, factors=factors, now=now, files=files)
            _write_durably(tmp / mf.MANIFEST, json.dumps(payload, ensure_ascii=False, indent=2))
            _fsync_tree(tmp)
            self._hook("manifest_written")
            os.rename(tmp, self.snapshots_dir / name)
            _fsync_dir(self.snapshots_dir)
            self._hook("renamed")
            _write_durably(self.directory / f"{CURRENT}.tmp", name + "\n")
            os.replace(self.directory / f"{CURRENT}.tmp", self.directory / CURRENT)
            _fsync_dir(self.directory)
            self._hook("current_replaced")
            self._prune(current=name)
        return name

    def load(
        self,
        *,
        encoder: Encoder,
        tokenizer: Tokenizer,
        factors: DocumentFactors,
        config: MatchConfig | None = None,
        threads: int = 1,
        dense_storage: DenseStorage = "float32",
    ) -> LoadedSnapshot:
        """The snapshot to serve, checked against the caller's model, dictionary, dense storage
        and factors."""
        name, manifest = self.current()
        folder = self.snapshots_dir / name
        mf.check_compatible(manifest, encoder=encoder, tokenizer=tokenizer, factors=factors,
                            dense_storage=dense_storage)  # fmt: skip
        for path, expected in manifest["files"].items():
            target = folder / path
            if not target.is_file():
                raise SnapshotCorrupt(f"快照 {name} 缺少文件 {path}", code="file_missing")
            if _hash(target) != expected:
                raise SnapshotCorrupt(
                    f"快照 {name} 的文件 {path} 校验和与清单不符，请重建索引",
                    code="checksum_mismatch",
                )
        try:
            matcher = HybridMatcher.load(
                folder / "matcher",
                encoder=encoder,
                tokenizer=tokenizer,
                config=config,
                threads=threads,
                dense_storage=dense_storage,
            )
        except MatcherError as error:
            raise SnapshotCorrupt(
                f"快照 {name} 无法读取：{error.message}", code=error.code
            ) from error
        return LoadedSnapshot(matcher=matcher, manifest=manifest, name=name)

    def current(self) -> tuple[str, dict[str, Any]]:
        """(name, manifest) of the snapshot to load: `CURRENT`'s, else the newest complete one."""
        pointer = self.directory / CURRENT
        named = pointer.read_text(encoding="utf-8").strip() if pointer.is_file() else ""
        candidates = ([named] if named else []) + sorted(self.names(), reverse=True)
        for name in candidates:
            manifest = mf.read(self.snapshots_dir / name)
            if manifest is not None:
                return name, manifest
        raise NoSnapshot(f"索引目录 {self.directory} 中没有完整的快照，请先构建索引")

    def names(self) -> list[str]:
        """Snapshot folders, complete or not (leftovers of writes excluded), oldest first."""
        if not self.snapshots_dir.is_dir():
            return []
        return sorted(
            p.name
            for p in self.snapshots_dir.iterdir()
            if p.is_dir() and not p.name.startswith(TMP_PREFIX)
        )

    def _new_name(self, now: datetime, version: int) -> str:
        # A sequence number first: names sort in the order written, whatever the clock says.
        numbers = [int(n.split("-", 1)[0]) for n in self.names() if n.split("-", 1)[0].isdigit()]
        sequence = max(numbers, default=0) + 1
        return f"{sequence:08d}-{now.strftime('%Y%m%dT%H%M%S')}-v{version:010d}"

    @contextlib.contextmanager
    def _write_lock(self) -> Iterator[None]:
        # One writer per index folder across processes; leftovers seen under it are dead.
        with (self.directory / LOCK_FILE).open("a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _remove_leftovers(self) -> None:
        for path in self.snapshots_dir.iterdir():
            if path.name.startswith(TMP_PREFIX):
                shutil.rmtree(path, ignore_errors=True)

    def _prune(self, *, current: str) -> None:
        complete = [n for n in self.names() if mf.read(self.snapshots_dir / n) is not None]
        keep = set(complete[-self.keep :]) | {current}
        for name in self.names():
            if name not in keep:
                shutil.rmtree(self.snapshots_dir / name, ignore_errors=True)


def _files_under(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def _hash(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _fsync_and_hash(path: Path) -> str:
    with path.open("rb+") as handle:
        os.fsync(handle.fileno())
    return _hash(path)


def _write_durably(path: Path, text: str) -> None:
    with path.open("w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_tree(folder: Path) -> None:
    for path in [folder, *(p for p in folder.rglob("*") if p.is_dir())]:
        _fsync_dir(path)

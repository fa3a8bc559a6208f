"""Content-addressed file storage for licences and evidence (bytes on disk, checksum in the DB).

Files are written under the storage directory passed in (e.g. `var/files/`) as
`ab/cdef…` by their SHA-256, atomically (temporary file, then rename), so a repeated upload
costs nothing and a crash never leaves a half-written file under its final name.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from registry.errors import InvalidInput


@dataclass(frozen=True, slots=True)
class StoredBlob:
    """Where a file's bytes live and how to check them."""

    sha256: str
    size_bytes: int
    storage_key: str


class FileStore:
    """Files under one root directory, addressed by their SHA-256."""

    def __init__(self, root: Path | str) -> None:
        self.root = Path(root)

    def put(self, content: bytes) -> StoredBlob:
        """Store `content` (once) and return its checksum, size and key."""
        if not content:
            raise InvalidInput("上传的文件为空", code="empty_file", loc=("file",))
        digest = hashlib.sha256(content).hexdigest()
        key = f"{digest[:2]}/{digest[2:]}"
        path = self.root / key
        if path.exists():
            # Fresh again: a collection of orphans must not take bytes a new row is about to use.
            os.utime(path)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(content)
                os.replace(tmp, path)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        return StoredBlob(sha256=digest, size_bytes=len(content), storage_key=key)

    def read(self, storage_key: str) -> bytes:
        """The bytes stored under `storage_key`."""
        return (self.root / storage_key).read_bytes()

    def entries(self) -> Iterator[tuple[str, datetime, int]]:
        """Every file under the root as (key, modified at in UTC, size); temporary files of
        interrupted uploads have keys starting with their directory and ``.upload-``."""
        if not self.root.is_dir():
            return
        for path in sorted(self.root.glob("*/*")):
            if path.is_file():
                stat = path.stat()
                modified = datetime.fromtimestamp(stat.st_mtime, tz=UTC)
                yield path.relative_to(self.root).as_posix(), modified, stat.st_size

    def remove(self, storage_key: str) -> None:
        """Delete the file under `storage_key` (gone already is fine)."""
        (self.root / storage_key).unlink(missing_ok=True)

    def verify(self, blob: StoredBlob) -> bool:
        """True when the stored bytes still match their checksum and size."""
        path = self.root / blob.storage_key
        if not path.is_file():
            return False
        data = path.read_bytes()
        return len(data) == blob.size_bytes and hashlib.sha256(data).hexdigest() == blob.sha256

"""Uploaded files: bytes into the file store, checksum and size into `stored_files`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.errors import InvalidInput
from registry.inputs import UploadedFile
from registry.models.files import StoredFile
from registry.storage import FileStore

MAX_FILE_BYTES = 50 * 1024 * 1024
# An upload writes its bytes before its transaction commits: a younger file without a row may
# belong to a transaction still open, so orphans are only collected past this age.
ORPHAN_GRACE = timedelta(hours=1)


def store_file(
    *, session: Session, store: FileStore, upload: UploadedFile, now: datetime
) -> StoredFile:
    """Store an upload and record it; the caller links the row to what it documents."""
    if len(upload.content) > MAX_FILE_BYTES:
        raise InvalidInput(
            f"文件过大：{len(upload.content)} 字节（上限 {MAX_FILE_BYTES} 字节）",
            code="file_too_large",
            loc=("file",),
        )
    if not upload.filename.strip():
        raise InvalidInput("文件名不能为空", code="filename_missing", loc=("file",))
    blob = store.put(upload.content)
    row = StoredFile(
        sha256=blob.sha256,
        size_bytes=blob.size_bytes,
        storage_key=blob.storage_key,
        filename=upload.filename[:255],
        content_type=upload.content_type[:100],
        created_at=now,
    )
    session.add(row)
    session.flush()
    return row


@dataclass(frozen=True, slots=True)
class Orphan:
    """A file in the store that no `stored_files` row names (its transaction rolled back, or
    an upload was interrupted), old enough to be collected."""

    storage_key: str
    modified_at: datetime
    size_bytes: int


def collect_orphans(
    *,
    session: Session,
    store: FileStore,
    now: datetime,
    grace: timedelta = ORPHAN_GRACE,
    delete: bool = True,
) -> list[Orphan]:
    """Find (and unless `delete` is false, delete) the store's files that no row references
    and that were last written before `now - grace`. Referenced files are never touched."""
    if grace < timedelta(0):
        raise InvalidInput("保留时长不能为负", code="invalid_grace", loc=("grace",))
    referenced = set(session.scalars(select(StoredFile.storage_key)))
    cutoff = now - grace
    found = [
        Orphan(storage_key=key, modified_at=modified, size_bytes=size)
        for key, modified, size in store.entries()
        if key not in referenced and modified < cutoff
    ]
    if delete:
        for orphan in found:
            store.remove(orphan.storage_key)
    return found

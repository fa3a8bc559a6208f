"""Uploaded files: bytes into the file store, checksum and size into `stored_files`."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from registry.errors import InvalidInput
from registry.inputs import UploadedFile
from registry.models.files import StoredFile
from registry.storage import FileStore

MAX_FILE_BYTES = 50 * 1024 * 1024


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

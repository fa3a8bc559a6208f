"""Content-addressed file storage."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from registry.errors import InvalidInput
from registry.storage import FileStore


def test_put_is_content_addressed_and_verifiable(tmp_path: Path) -> None:
    store = FileStore(tmp_path)
    blob = store.put(b"licence scan")
    assert blob.sha256 == hashlib.sha256(b"licence scan").hexdigest()
    assert blob.size_bytes == 12
    assert blob.storage_key == f"{blob.sha256[:2]}/{blob.sha256[2:]}"
    assert store.read(blob.storage_key) == b"licence scan"
    assert store.put(b"licence scan") == blob  # stored once
    assert store.verify(blob)
    (tmp_path / blob.storage_key).write_bytes(b"tampered")
    assert not store.verify(blob)


def test_no_temporary_files_left(tmp_path: Path) -> None:
    store = FileStore(tmp_path)
    store.put(b"a")
    store.put(b"b")
    assert not [p for p in tmp_path.rglob(".upload-*")]


def test_empty_file_refused(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput) as info:
        FileStore(tmp_path).put(b"")
    assert info.value.code == "empty_file"

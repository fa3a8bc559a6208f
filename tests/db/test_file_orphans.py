"""Files whose transaction rolled back: found and collected once past the grace period, never a
file that a committed row references, never a young one (its transaction may still be open)."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.orm import Session

from registry.errors import InvalidInput
from registry.inputs import UploadedFile
from registry.services.files import collect_orphans, store_file
from registry.storage import FileStore

LATER = timedelta(hours=2)


def upload(session: Session, store: FileStore, content: bytes) -> str:
    row = store_file(
        session=session,
        store=store,
        upload=UploadedFile(filename="营业执照.pdf", content=content),
        now=datetime.now(UTC),
    )
    return row.storage_key


def test_rolled_back_upload_is_collected_and_committed_one_kept(
    db_session: Session, file_store: FileStore
) -> None:
    kept = upload(db_session, file_store, b"licence kept")
    db_session.commit()
    lost = upload(db_session, file_store, b"licence of a refused submission")
    db_session.rollback()
    assert (file_store.root / lost).is_file()  # the bytes outlived their transaction

    now = datetime.now(UTC)
    assert collect_orphans(session=db_session, store=file_store, now=now) == []  # too young

    found = collect_orphans(session=db_session, store=file_store, now=now + LATER, delete=False)
    assert [o.storage_key for o in found] == [lost]
    assert found[0].size_bytes == len(b"licence of a refused submission")
    assert (file_store.root / lost).is_file()  # a dry run deletes nothing

    collect_orphans(session=db_session, store=file_store, now=now + LATER)
    assert not (file_store.root / lost).exists()
    assert file_store.read(kept) == b"licence kept"
    assert collect_orphans(session=db_session, store=file_store, now=now + LATER) == []


def test_interrupted_upload_temporary_file_is_collected(
    db_session: Session, file_store: FileStore
) -> None:
    kept = upload(db_session, file_store, b"evidence")
    db_session.commit()
    partial = file_store.root / kept.split("/")[0] / ".upload-abc123"
    partial.write_bytes(b"half an upl")
    found = collect_orphans(session=db_session, store=file_store, now=datetime.now(UTC) + LATER)
    assert [o.storage_key for o in found] == [partial.relative_to(file_store.root).as_posix()]
    assert not partial.exists() and (file_store.root / kept).is_file()


def test_negative_grace_refused(db_session: Session, file_store: FileStore) -> None:
    with pytest.raises(InvalidInput) as info:
        collect_orphans(session=db_session, store=file_store, now=datetime.now(UTC), grace=-LATER)
    assert info.value.code == "invalid_grace"


def test_storing_known_bytes_again_makes_them_young(file_store: FileStore) -> None:
    blob = file_store.put(b"same scan")
    path = file_store.root / blob.storage_key
    old = (datetime.now(UTC) - timedelta(days=3)).timestamp()
    os.utime(path, (old, old))
    file_store.put(b"same scan")  # a new row is about to reference these bytes
    ((_, modified, _),) = list(file_store.entries())
    assert modified > datetime.now(UTC) - timedelta(minutes=1)

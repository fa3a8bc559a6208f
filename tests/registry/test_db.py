"""The database layer: URLs, timezone-aware datetimes on SQLite, naming conventions."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Column, Integer, MetaData, Table, insert, select, text
from sqlalchemy.exc import StatementError

import registry.models  # noqa: F401
from registry.db import (
    Base,
    UTCDateTime,
    make_engine,
    normalise_url,
    read_only_sessions,
    session_factory,
)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("postgresql://u:p@h:5432/db", "postgresql+psycopg://u:p@h:5432/db"),
        ("postgres://h/db", "postgresql+psycopg://h/db"),
        ("postgresql+psycopg://h/db", "postgresql+psycopg://h/db"),
        ("sqlite:///var/funeng.db", "sqlite:///var/funeng.db"),
    ],
)
def test_postgres_urls_use_psycopg3(url: str, expected: str) -> None:
    assert normalise_url(url) == expected


def test_sqlite_pragmas_and_aware_datetimes(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 't.db'}")
    table = Table(
        "t", MetaData(), Column("id", Integer, primary_key=True), Column("at", UTCDateTime())
    )
    table.create(engine)
    shanghai = datetime(2025, 10, 1, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
    with engine.begin() as conn:
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        conn.execute(insert(table).values(id=1, at=shanghai))
        stored = conn.execute(select(table.c.at)).scalar_one()
        assert stored == shanghai and stored.tzinfo is UTC
        earlier = datetime(2025, 10, 1, 1, 29, tzinfo=UTC)  # 09:29 in Shanghai
        assert conn.execute(select(table.c.id).where(table.c.at > earlier)).scalar() == 1
        with pytest.raises(StatementError, match="naive datetime"):
            conn.execute(insert(table).values(id=2, at=datetime(2025, 10, 1, 9, 30)))
    engine.dispose()


def test_every_constraint_is_named_by_convention() -> None:
    for table in Base.metadata.sorted_tables:
        for constraint in table.constraints:
            assert constraint.name, f"{table.name}: unnamed {type(constraint).__name__}"
            assert len(str(constraint.name)) <= 63  # PostgreSQL's identifier limit


def test_sqlite_readers_do_not_queue_behind_a_writer(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'lock.db'}")
    with engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE t (x INTEGER)")
        connection.exec_driver_sql("INSERT INTO t VALUES (1)")
    writers = session_factory(engine)
    with writers() as writer:
        writer.execute(text("INSERT INTO t VALUES (2)"))  # holds the write lock, uncommitted
        with read_only_sessions(writers)() as reader:
            # the committed snapshot, read at once; a writer's session would BEGIN IMMEDIATE
            # here and fail with "database is locked" after the busy timeout
            assert reader.execute(text("SELECT count(*) FROM t")).scalar_one() == 1
        writer.commit()
    engine.dispose()

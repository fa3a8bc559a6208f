"""Revision 0002 (library management, complaints, events) upgrades an existing 0001 database
cleanly on SQLite and PostgreSQL, matches the models, and downgrades back; so does 0005
(entry changes) over 0004."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import inspect

from registry.db import make_engine
from registry.migrate import alembic_config, head_revision, schema_diff, upgrade
from tests.conftest import POSTGRES_URL, postgres_reachable
from tests.db.conftest import BACKENDS, create_database, drop_database

pytestmark = pytest.mark.postgres
OURS = {
    "library_entry_history", "annual_reports", "library_warnings", "withdrawal_requests",
    "removals", "credit_referrals", "monitoring_flags", "public_contacts", "complaints",
    "complaint_notes", "match_events", "event_needs", "shortlist_items",
}  # fmt: skip


@pytest.fixture(params=BACKENDS)
def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrated.db'}"
        return
    if not postgres_reachable():
        pytest.skip("PostgreSQL does not answer at 127.0.0.1:5432: SQLite only")
    name = f"funeng_test_mig7_{uuid.uuid4().hex[:10]}"
    url = create_database(POSTGRES_URL, name)
    try:
        yield url
    finally:
        drop_database(POSTGRES_URL, name)


def downgrade(url: str, revision: str) -> None:
    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            config = alembic_config(url)
            config.attributes["connection"] = connection
            command.downgrade(config, revision)
    finally:
        engine.dispose()


def tables(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_0001_to_head_and_back(empty_url: str) -> None:
    assert upgrade(empty_url, "0001") == "0001"
    assert not OURS & tables(empty_url)
    assert upgrade(empty_url, "0002") == "0002"
    assert tables(empty_url) >= OURS
    assert upgrade(empty_url) == head_revision()
    engine = make_engine(empty_url)
    try:
        assert schema_diff(engine) == []
    finally:
        engine.dispose()
    downgrade(empty_url, "0001")
    assert not OURS & tables(empty_url) and "library_entries" in tables(empty_url)
    assert upgrade(empty_url) == head_revision()
    assert tables(empty_url) >= OURS


def test_0005_entry_changes_up_and_down(empty_url: str) -> None:
    assert upgrade(empty_url, "0004") == "0004"
    assert "entry_changes" not in tables(empty_url)
    assert upgrade(empty_url, "0005") == "0005"
    assert "entry_changes" in tables(empty_url)
    downgrade(empty_url, "0004")
    assert "entry_changes" not in tables(empty_url) and "library_entries" in tables(empty_url)
    assert upgrade(empty_url) == head_revision()
    engine = make_engine(empty_url)
    try:
        assert schema_diff(engine) == []
    finally:
        engine.dispose()

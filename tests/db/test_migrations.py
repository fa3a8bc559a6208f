"""The Alembic migrations build exactly the schema the models describe, on both backends."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from registry.db import Base, make_engine
from registry.migrate import head_revision, schema_diff, upgrade
from tests.conftest import POSTGRES_URL, postgres_reachable
from tests.db.conftest import BACKENDS, create_database, drop_database

pytestmark = pytest.mark.postgres


@pytest.fixture(params=BACKENDS)
def empty_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database: a new SQLite file, or a new PostgreSQL database dropped afterwards."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrated.db'}"
        return
    if not postgres_reachable():
        pytest.skip("PostgreSQL does not answer at 127.0.0.1:5432: SQLite only")
    name = f"funeng_test_mig_{uuid.uuid4().hex[:10]}"
    url = create_database(POSTGRES_URL, name)
    try:
        yield url
    finally:
        drop_database(POSTGRES_URL, name)


def test_upgrade_to_head_equals_the_models(empty_db_url: str) -> None:
    assert upgrade(empty_db_url) == head_revision()
    engine = make_engine(empty_db_url)
    try:
        assert set(inspect(engine).get_table_names()) >= set(Base.metadata.tables)
        assert schema_diff(engine) == []
    finally:
        engine.dispose()


def test_upgrade_is_idempotent(empty_db_url: str) -> None:
    upgrade(empty_db_url)
    assert upgrade(empty_db_url) == head_revision()


def test_the_comparison_sees_a_drift(empty_db_url: str) -> None:
    """Guard against a comparison that can never fail: drop an index, and it must be reported."""
    upgrade(empty_db_url)
    engine = make_engine(empty_db_url)
    try:
        with engine.begin() as conn:
            conn.execute(text("DROP INDEX ix_library_events_resource_code"))
        diff = schema_diff(engine)
        assert [d[0] for d in diff] == ["add_index"]
        assert diff[0][1].name == "ix_library_events_resource_code"
    finally:
        engine.dispose()

"""Fixtures of the lifecycle tests: the database fixtures of tests/db (SQLite and PostgreSQL)
and a small certified library."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session, sessionmaker

from registry.storage import FileStore
from tests.db.conftest import (  # noqa: F401  (database fixtures on SQLite and PostgreSQL)
    db_engine,
    db_session,
    db_sessions,
    db_url,
    file_store,
    pg_database_url,
)
from tests.lifecycle.world import World, build_world


@pytest.fixture
def world(db_sessions: sessionmaker[Session], file_store: FileStore) -> World:  # noqa: F811
    """Staff, reviewers, organisers and a batch; resources are certified by the tests."""
    return build_world(db_sessions, file_store)

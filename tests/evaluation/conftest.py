"""Fixtures of the evaluation tests: the database fixtures of tests/db (SQLite and PostgreSQL)
for the judgments service; the harness's own fixtures are in `world.py`."""

from __future__ import annotations

import registry.models.relevance  # noqa: F401  (the judgments table on the metadata)
from tests.db.conftest import (  # noqa: F401  (database fixtures on SQLite and PostgreSQL)
    db_engine,
    db_session,
    db_sessions,
    db_url,
    file_store,
    pg_database_url,
)

"""Shared database fixtures: every test that takes `db_url` (or anything built on it) runs once
on SQLite and once on PostgreSQL.

Fixtures (reuse them from another test package with
``from tests.db.conftest import db_url, db_engine, db_sessions, db_session, file_store, \
pg_database_url  # noqa: F401`` in its conftest.py):

- ``db_url``: parametrized ``sqlite`` / ``postgresql``. SQLite is a fresh file under the
  test's tmp_path. PostgreSQL is a database ``funeng_test_<random>`` created for this pytest
  session on the server at 127.0.0.1:5432 and dropped at the end; when the server does not
  answer, the PostgreSQL variant is skipped with that reason (CI sets
  FUNENG_TEST_REQUIRE_POSTGRES=1, which fails the run instead).
- ``db_engine``: an engine on ``db_url`` with the schema created from the models and empty
  tables (PostgreSQL tables are truncated before each test).
- ``db_sessions``: the session factory (``sessionmaker``) of that engine: two sessions from it
  are two independent connections (used by the concurrency tests).
- ``db_session``: one session, closed after the test.
- ``file_store``: a `registry.storage.FileStore` under tmp_path.

Tests using ``db_url`` are marked ``postgres`` automatically.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

import registry.models  # noqa: F401  (registers every table)
from registry.db import Base, make_engine, session_factory
from registry.storage import FileStore
from tests.conftest import POSTGRES_URL, postgres_reachable

BACKENDS = ("sqlite", "postgresql")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "db_url" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.postgres)


def create_database(server_url: str, name: str) -> str:
    """Create database `name` on the server of `server_url`; returns its URL."""
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(server_url).set(database=name).render_as_string(hide_password=False)


def drop_database(server_url: str, name: str) -> None:
    """Drop database `name`, closing what still uses it."""
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def pg_database_url() -> Iterator[str]:
    """A fresh PostgreSQL database for this pytest session, dropped afterwards."""
    if not postgres_reachable():
        pytest.skip("PostgreSQL does not answer at 127.0.0.1:5432: SQLite only")
    name = f"funeng_test_{uuid.uuid4().hex[:10]}"
    url = create_database(POSTGRES_URL, name)
    engine = make_engine(url)
    Base.metadata.create_all(engine)
    engine.dispose()
    try:
        yield url
    finally:
        drop_database(POSTGRES_URL, name)


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The URL of an empty-schema database on each backend."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'funeng.db'}"
    url: str = request.getfixturevalue("pg_database_url")
    return url


@pytest.fixture
def db_engine(db_url: str) -> Iterator[Engine]:
    """An engine with the models' schema and no rows."""
    engine = make_engine(db_url)
    if engine.dialect.name == "sqlite":
        Base.metadata.create_all(engine)
    else:
        tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
        with engine.begin() as conn:
            conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    yield engine
    engine.dispose()


@pytest.fixture
def db_sessions(db_engine: Engine) -> sessionmaker[Session]:
    """Sessions on the test database."""
    return session_factory(db_engine)


@pytest.fixture
def db_session(db_sessions: sessionmaker[Session]) -> Iterator[Session]:
    """One session, closed (and its open transaction rolled back) after the test."""
    with db_sessions() as session:
        yield session


@pytest.fixture
def file_store(tmp_path: Path) -> FileStore:
    """Evidence files under the test's tmp_path."""
    return FileStore(tmp_path / "files")

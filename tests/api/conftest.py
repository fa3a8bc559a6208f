"""Fixtures of the API tests: an app from `create_app(test_settings)` over a fresh database
(SQLite by default; PostgreSQL too where a test asks with `database_url` parametrized
``["sqlite", "postgresql"]`` indirectly), a movable clock, the small world, and bearer tokens
for every user of it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker

import registry.models  # noqa: F401  (registers every table)
from api.app import create_app
from api.auth import issue_token
from api.deps import current_time, get_password_hasher
from api.library_browse import LibraryCache
from api.settings import Settings
from api.throttle import LoginThrottle
from registry.db import Base, make_engine, session_factory
from registry.services.accounts import find_user
from registry.storage import FileStore
from tests.api.world import ApiWorld, build_api_world
from tests.db.conftest import pg_database_url  # noqa: F401  (PostgreSQL database per session)
from tests.db.factories import FAST_HASHER, at

TEST_SECRET = "api-test-secret-0123456789abcdefghijklmnopqrstuvwxyz"
BASE_URL = "https://testserver"


class Clock:
    """The time the app sees; tests move it."""

    def __init__(self, now: datetime) -> None:
        self.now = now


START = at(2025, 11, 3, 10, 0)  # Monday, inside batch 2025Q4


@dataclass(frozen=True)
class Shared:
    """One app for the SQLite tests of a session: building the routes costs ~0.4 s, so it is
    made once; each test gets an empty schema, a reset clock and fresh app state."""

    settings: Settings
    app: FastAPI
    clock: Clock


def _test_settings(database_url: str, var_dir: Path) -> Settings:
    return Settings(
        environment="test",
        database_url=database_url,
        var_dir=var_dir,
        secret_key=TEST_SECRET,
    )


def _prepare(app: FastAPI, clock: Clock) -> FastAPI:
    app.dependency_overrides.clear()
    app.dependency_overrides[current_time] = lambda: clock.now
    app.dependency_overrides[get_password_hasher] = lambda: FAST_HASHER
    app.state.index_probe = None
    app.state.library_cache = LibraryCache()
    app.state.login_throttle = LoginThrottle(
        max_failures=app.state.login_throttle.max_failures,
        window=app.state.login_throttle.window,
    )
    return app


@pytest.fixture(scope="session")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Shared:
    """The session's SQLite app."""
    directory = tmp_path_factory.mktemp("api")
    settings = _test_settings(f"sqlite:///{directory / 'api.db'}", directory / "var")
    return Shared(settings, create_app(settings), Clock(START))


@pytest.fixture
def database_url(request: pytest.FixtureRequest, shared: Shared) -> Iterator[str]:
    """An empty database with the schema: SQLite, or PostgreSQL when parametrized so."""
    backend = getattr(request, "param", "sqlite")
    if backend == "sqlite":
        url = shared.settings.database_url
        engine = make_engine(url)
        Base.metadata.drop_all(engine)
        Base.metadata.create_all(engine)
    else:
        url = request.getfixturevalue("pg_database_url")
        engine = make_engine(url)
        tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
        with engine.begin() as conn:
            conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    engine.dispose()
    yield url


@pytest.fixture
def clock(shared: Shared) -> Clock:
    """Monday 2025-11-03 10:00 in Asia/Shanghai, inside batch 2025Q4."""
    shared.clock.now = START
    return shared.clock


@pytest.fixture
def settings(database_url: str, shared: Shared, tmp_path: Path) -> Settings:
    """Test settings: the test database, files under a temporary directory, a long secret."""
    if database_url == shared.settings.database_url:
        return shared.settings
    return _test_settings(database_url, tmp_path / "var")


@pytest.fixture
def sessions(settings: Settings) -> Iterator[sessionmaker[Session]]:
    """Sessions for setting up and checking the database behind the app."""
    engine = make_engine(settings.database_url)
    yield session_factory(engine)
    engine.dispose()


@pytest.fixture
def store(settings: Settings) -> FileStore:
    """The file store the app uses."""
    return FileStore(settings.var_dir / "files")


@pytest.fixture
def app(settings: Settings, shared: Shared, clock: Clock) -> FastAPI:
    """The app under test with the movable clock and a cheap password hasher."""
    if settings is shared.settings:
        return _prepare(shared.app, clock)
    return _prepare(create_app(settings), clock)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    """A client over HTTPS (the session cookie is Secure outside development)."""
    with TestClient(app, base_url=BASE_URL, raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.fixture
def world(sessions: sessionmaker[Session], store: FileStore) -> ApiWorld:
    """The small world, committed."""
    with sessions() as session:
        return build_api_world(session, store)


@dataclass
class Tokens:
    """Bearer headers for the users of the world, signed with the app's settings."""

    settings: Settings
    sessions: sessionmaker[Session]
    clock: Clock

    def __call__(self, username: str) -> dict[str, str]:
        with self.sessions() as session:
            user = find_user(session=session, username=username)
            assert user is not None, username
            issued = issue_token(settings=self.settings, user=user, now=self.clock.now)
        return {"Authorization": f"Bearer {issued.token}"}


@pytest.fixture
def as_user(settings: Settings, sessions: sessionmaker[Session], clock: Clock) -> Tokens:
    """`as_user("staff")` → the Authorization header of that user."""
    return Tokens(settings, sessions, clock)


def error_types(response_json: dict[str, object]) -> list[str]:
    """The `type` of every item of an error body (asserting its shape on the way)."""
    assert list(response_json) == ["detail"], response_json
    detail = response_json["detail"]
    assert isinstance(detail, list) and detail
    for item in detail:
        assert isinstance(item, dict) and isinstance(item.get("msg"), str) and item["msg"]
    return [str(item["type"]) for item in detail]

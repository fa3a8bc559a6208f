"""The world of the events, catalog and relevance tests: the small fixture library
(`tests/pages/fixtures/library.yaml`) with two more of its resources certified — FX-005 (lithium
battery vision inspection, the same provider as FX-001) and FX-006 (overseas social media, the
same provider as FX-003) — so that a shortlist has two resources of one provider to choose
between; loaded through the real workflow, behind a running app whose live index uses the
keyword encoder, at a fixed moment, with a second organiser and a relevance judge."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml
from fastapi.testclient import TestClient
from sqlalchemy import select

import registry.models  # noqa: F401  (registers every table)
from api.app import create_app
from api.auth import issue_token
from api.deps import current_time, get_password_hasher
from api.index_runtime import set_index_factory
from api.settings import Settings
from registry.db import Base, make_engine, session_factory
from registry.enums import Role
from registry.loader import load, read_files
from registry.models.library import LibraryEntry
from registry.models.organisations import Organisation
from registry.models.resources import Resource
from registry.services.accounts import create_user, find_user
from registry.storage import FileStore
from tests.db.factories import ADMIN, FAST_HASHER
from tests.pages.library_world import (
    BATCHES,
    FIXTURES,
    PASSWORD,
    LibraryApp,
    keyword_index,
    page_settings,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 26, 10, 0, tzinfo=SHANGHAI)  # after every certification below
CERTIFIED = ("FX-001", "FX-002", "FX-003", "FX-004", "FX-005", "FX-006")
SAME_PROVIDER = {"FX-001": "FX-005", "FX-003": "FX-006"}
JUDGE = "relevance"  # relevance staff
OTHER_ORGANISER = "organiser-b"
FIXTURE_PASSWORD = PASSWORD


def library_file(directory: Path) -> Path:
    """The fixture library with FX-005 and FX-006 certified in batch 2026Q4."""
    data = yaml.safe_load((FIXTURES / "library.yaml").read_text(encoding="utf-8"))
    for resource in data["resources"]:
        if resource["code"] in ("FX-005", "FX-006"):
            resource["application"] = {"batch": "2026Q4", "submitted_on": "2026-10-28"}
    path = directory / "library.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def load_world(settings: Settings, directory: Path) -> None:
    """A fresh schema with the library loaded, and the extra accounts."""
    engine = make_engine(settings.database_url)
    Base.metadata.drop_all(engine)
    Base.metadata.create_all(engine)
    files = read_files(batches_path=BATCHES, users_path=FIXTURES / "users.yaml",
                       library_paths=[library_file(directory)])  # fmt: skip
    sessions = session_factory(engine)
    report = load(sessions=sessions, store=FileStore(settings.var_dir / "files"), files=files,
                  hasher=FAST_HASHER)  # fmt: skip
    assert not report.refused, report.refused
    with sessions() as session:  # with the fixture's password, as the loader's accounts have
        for username, role, name in ((OTHER_ORGANISER, Role.ORGANISER, "对接活动组织方 乙"),
                                     (JUDGE, Role.RELEVANCE_STAFF, "检索效果评测 孙浩")):
            create_user(session=session, actor=ADMIN, now=NOW, username=username,
                        password=PASSWORD, role=role, display_name=name, hasher=FAST_HASHER)
        session.commit()
    engine.dispose()


@contextmanager
def events_app(directory: Path) -> Iterator[LibraryApp]:
    """The world behind a running app whose index is loaded (waits for it)."""
    settings = page_settings(directory)
    load_world(settings, directory)
    app = create_app(settings)
    set_index_factory(app, keyword_index)
    app.dependency_overrides[get_password_hasher] = lambda: FAST_HASHER
    app.dependency_overrides[current_time] = lambda: NOW
    engine = make_engine(settings.database_url)
    with TestClient(app, base_url="http://testserver", raise_server_exceptions=False) as client:
        assert app.state.index_runtime.wait_ready(30.0), "the index did not open"
        yield LibraryApp(settings, app, client, session_factory(engine))
    engine.dispose()


def bearer(world: LibraryApp, username: str) -> dict[str, str]:
    """The Authorization header of a user of the world."""
    with world.sessions() as session:
        user = find_user(session=session, username=username)
        assert user is not None, username
        token = issue_token(settings=world.settings, user=user, now=NOW).token
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LibraryApp]:
    with events_app(tmp_path_factory.mktemp("events-world")) as running:
        yield running


def test_the_world_has_two_resources_of_one_provider_twice(world: LibraryApp) -> None:
    with world.sessions() as session:
        rows = session.execute(
            select(Resource.code, Organisation.name)
            .join(LibraryEntry, LibraryEntry.resource_id == Resource.id)
            .join(Organisation, Organisation.id == Resource.organisation_id)
        ).all()
    provider = dict(rows)
    assert sorted(provider) == list(CERTIFIED)
    for first, second in SAME_PROVIDER.items():
        assert provider[first] == provider[second]
    assert world.app.state.index_runtime.live.status().resources == len(CERTIFIED)

"""The app's live index follows the registry while the app runs: a certified resource becomes
findable, a warned one is flagged, and a removed one disappears within 2 seconds of the
registry event — from this process (the outbox listener) and from another (the poller).
Deadline loops: the assertion is the behaviour, not a timing of the machine."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from api.app import create_app
from api.index_runtime import set_index_factory
from registry.actor import Actor
from registry.db import make_engine
from registry.enums import LibraryEventKind, LibraryStatus
from registry.models.applications import Application
from registry.models.monitoring import RemovalGround
from registry.models.organisations import Organisation
from registry.models.resources import Resource
from registry.services import publicity, removals
from registry.services.accounts import find_user
from tests.api.conftest import error_types
from tests.indexing.registry_world import set_state_elsewhere
from tests.pages.library_world import LibraryApp, library_app, page_settings

SHANGHAI = ZoneInfo("Asia/Shanghai")
LATER = datetime(2027, 1, 11, 10, 0, tzinfo=SHANGHAI)  # every fixture publicity is over
DEADLINE_SECONDS = 2.0
SOLAR_NEED = "工业园区屋顶光伏和储能，降低用电成本"


@pytest.fixture
def world(tmp_path: Path) -> Iterator[LibraryApp]:
    with library_app(tmp_path) as running:
        yield running


def codes(world: LibraryApp, need: str) -> dict[str, dict[str, Any]]:
    response = world.client.post("/api/v1/match", json={"need": need, "k": 50})
    assert response.status_code == 200, response.text
    return {r["code"]: r for r in response.json()["results"]}


def within_deadline(check: Any) -> float:
    """Seconds until `check()` held; fails if it did not within the deadline."""
    started = time.perf_counter()
    while time.perf_counter() - started < DEADLINE_SECONDS:
        if check():
            return time.perf_counter() - started
        time.sleep(0.02)
    raise AssertionError(f"not true within {DEADLINE_SECONDS} s")


def staff(world: LibraryApp) -> Actor:
    with world.sessions() as session:
        user = find_user(session=session, username="province-staff")
        assert user is not None
        return Actor.of(user)


def test_certified_becomes_findable_and_removed_disappears(world: LibraryApp) -> None:
    assert "FX-008" not in codes(world, SOLAR_NEED)  # in publicity: not in the library
    actor = staff(world)
    with world.sessions() as session:
        application_id = session.scalar(
            select(Application.id).join(Resource).where(Resource.code == "FX-008")
        )
        assert application_id is not None
        publicity.certify(session=session, actor=actor, now=LATER, application_id=application_id)
        session.commit()
    within_deadline(lambda: "FX-008" in codes(world, SOLAR_NEED))

    with world.sessions() as session:
        org_id = session.scalar(select(Organisation.id).where(Organisation.name.like("%绿能%")))
        assert org_id is not None
        removals.remove_organisation(
            session=session,
            actor=actor,
            now=LATER,
            organisation_id=org_id,
            ground=RemovalGround.FALSE_MATERIAL,
            reason="提供虚假材料（测试）",
        )
        session.commit()
    within_deadline(lambda: not {"FX-004", "FX-008"} & set(codes(world, SOLAR_NEED + "能耗")))


def test_a_change_from_another_process_is_picked_up_by_the_poller(world: LibraryApp) -> None:
    need = "注塑车间MES制造执行系统"
    assert codes(world, need)["FX-002"]["warned"] is False
    engine = make_engine(world.settings.database_url)
    try:  # plain SQL on another connection: no in-process listener hears it
        set_state_elsewhere(engine, "FX-002", LibraryStatus.WARNED, LibraryEventKind.WARNED, LATER)
    finally:
        engine.dispose()
    within_deadline(lambda: codes(world, need).get("FX-002", {}).get("warned") is True)
    assert "warned" in codes(world, need)["FX-002"]["flags"]


def test_without_an_index_the_match_answers_503(tmp_path: Path) -> None:
    settings = page_settings(tmp_path).model_copy(deep=True)
    settings.index.serve = False
    app = create_app(settings)
    with TestClient(app) as client:
        response = client.post("/api/v1/match", json={"need": "机器视觉"})
    assert response.status_code == 503
    assert error_types(response.json()) == ["index_not_configured"]


class OpeningForever:
    """A live index whose opening lasts until the test lets it go."""

    ready = False

    def __init__(self) -> None:
        self.release = threading.Event()

    def open(self) -> str:
        self.release.wait(10.0)
        raise RuntimeError("abandoned")

    def stop(self) -> None: ...

    def close(self) -> None: ...


def test_while_the_index_opens_match_and_ready_answer_503(tmp_path: Path) -> None:
    opening = OpeningForever()
    app = create_app(page_settings(tmp_path))
    set_index_factory(app, lambda settings, sessions: opening)  # type: ignore[arg-type,return-value]
    with TestClient(app) as client:
        response = client.post("/api/v1/match", json={"need": "机器视觉"})
        ready = client.get("/ready")
        opening.release.set()
    assert response.status_code == 503
    assert error_types(response.json()) == ["index_not_ready"]
    assert ready.status_code == 503
    assert "index" in ready.text and "loading" in ready.text

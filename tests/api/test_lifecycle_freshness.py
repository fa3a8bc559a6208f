"""What the province does to the library through the API reaches the running app's live index
within seconds (the registry's outbox events, the app's listener and poller): after a direct
removal a need that found the entry no longer does; a warned entry is flagged and demoted; a
priority entry is boosted. The fixture library behind a real app with the keyword encoder;
deadline loops, so the assertion is the behaviour, not a timing of the machine."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from api.auth import issue_token
from api.deps import current_time
from registry.models.organisations import Organisation
from registry.services.accounts import find_user
from tests.pages.library_world import LibraryApp, library_app

SHANGHAI = ZoneInfo("Asia/Shanghai")
DEADLINE_SECONDS = 2.0
ENERGY_NEED = "工业园区能耗管理和碳排放核算，做节能诊断"
MES_NEED = "注塑车间MES制造执行系统，生产排程和质量追溯"


# Six months on stays inside the years chinese-calendar covers (a warning given later needs the
# next year's holiday table loaded, and is refused until it is: `calendar_not_covered`).
NOW = datetime(2026, 3, 2, 10, 0, tzinfo=SHANGHAI)


@pytest.fixture
def world(tmp_path: Path) -> Iterator[LibraryApp]:
    with library_app(tmp_path) as running:
        running.app.dependency_overrides[current_time] = lambda: NOW
        yield running


def bearer(world: LibraryApp, username: str) -> dict[str, str]:
    with world.sessions() as session:
        user = find_user(session=session, username=username)
        assert user is not None
        issued = issue_token(settings=world.settings, user=user, now=NOW)
    return {"Authorization": f"Bearer {issued.token}"}


def results(world: LibraryApp, need: str) -> dict[str, dict[str, Any]]:
    response = world.client.post("/api/v1/match", json={"need": need, "k": 50})
    assert response.status_code == 200, response.text
    return {r["code"]: r for r in response.json()["results"]}


def within_deadline(check: Callable[[], bool]) -> float:
    """Seconds until `check()` held; fails if it did not within the deadline."""
    started = time.perf_counter()
    while time.perf_counter() - started < DEADLINE_SECONDS:
        if check():
            return time.perf_counter() - started
        time.sleep(0.02)
    raise AssertionError(f"not true within {DEADLINE_SECONDS} s")


def test_a_direct_removal_through_the_api_is_gone_from_match(world: LibraryApp) -> None:
    assert "FX-004" in results(world, ENERGY_NEED)
    with world.sessions() as session:
        org_id = session.scalar(select(Organisation.id).where(Organisation.name.like("%绿能%")))
    staff = bearer(world, "province-staff")
    url = f"/api/v1/province/organisations/{org_id}"
    preview = world.client.get(f"{url}/removal-preview?ground=major_accident", headers=staff)
    assert preview.status_code == 200 and preview.json()["removed_codes"] == ["FX-004"]
    assert "FX-004" in results(world, ENERGY_NEED)  # the preview changed nothing
    removed = world.client.post(
        f"{url}/removal",
        json={"ground": "major_accident", "reason": "发生较大安全生产事故（测试）"},
        headers=staff,
    )
    assert removed.status_code == 201, removed.text
    seconds = within_deadline(lambda: "FX-004" not in results(world, ENERGY_NEED))
    print(f"removal through the API gone from match after {seconds:.3f} s")  # -s shows it
    detail = world.client.get("/api/v1/library/resources/FX-004")
    assert detail.status_code == 404


def test_warned_is_flagged_and_demoted_then_priority_boosts(world: LibraryApp) -> None:
    before = results(world, MES_NEED)["FX-002"]
    assert before["warned"] is False and before["priority"] is False
    staff = bearer(world, "province-staff")
    warned = world.client.post(
        "/api/v1/province/library/FX-002/warnings",
        json={"reasons": ["technology_outdated"], "detail": "版本多年未更新（测试）"},
        headers=staff,
    )
    assert warned.status_code == 201, warned.text
    within_deadline(lambda: results(world, MES_NEED)["FX-002"]["warned"] is True)
    flagged = results(world, MES_NEED)["FX-002"]
    assert "warned" in flagged["flags"] and flagged["score"] < before["score"]
    closed = world.client.post(
        f"/api/v1/province/warnings/{warned.json()['id']}/closure",
        json={"note": "已整改（测试）"},
        headers=staff,
    )
    assert closed.status_code == 200, closed.text
    within_deadline(lambda: results(world, MES_NEED)["FX-002"]["warned"] is False)
    boosted = world.client.put(
        "/api/v1/province/library/FX-002/priority", json={"priority": True}, headers=staff
    )
    assert boosted.status_code == 200, boosted.text
    within_deadline(lambda: results(world, MES_NEED)["FX-002"]["priority"] is True)
    after = results(world, MES_NEED)["FX-002"]
    assert "priority" in after["flags"] and after["score"] > before["score"]

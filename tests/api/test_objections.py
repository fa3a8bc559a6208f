"""Objections from the public during publicity (Art.15) through the API: anyone objects to an
application on the publicity list, with name, contact and content, and follows the
province's decision with the token; nothing outside publicity or after its five working days is
accepted; the province sees the objection with its staff-recorded ones, and certification waits
for it. Write paths on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from tests.api.conftest import Clock, Tokens
from tests.api.lifecycle_world import Api
from tests.api.world import ApiWorld, to_publicity
from tests.db.factories import at

BOTH = pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
OBJECTION = {
    "name": "佛山某检测设备公司",
    "contact": "0757-83000000",
    "content": "该资源案例 2 的客户与申报单位为关联企业，案例不具代表性。",
}


@pytest.fixture
def api(
    client: TestClient,
    as_user: Tokens,
    clock: Clock,
    world: ApiWorld,
    sessions: sessionmaker[Session],
) -> Api:
    to_publicity(sessions, world)  # A's application, publicity 2025-11-13 .. 2025-11-20
    clock.now = at(2025, 11, 17, 11)
    return Api(client, as_user, clock)


@pytest.mark.postgres
@BOTH
def test_raised_by_anyone_decided_by_the_province_and_followed(api: Api, world: ApiWorld) -> None:
    app_id = world.application_a
    [listed] = api.call("GET", "/publicity", None)["items"]
    assert listed["application_id"] == app_id
    filed = api.call("POST", f"/publicity/{app_id}/objections", None, 201, json=OBJECTION)
    assert filed["reference"].startswith("YY2025-") and filed["resource_code"] == "AI-001"
    token = filed["token"]
    seen = api.call("POST", "/objections/follow-up", None, json={"token": token})
    assert seen["decision"] is None and seen["status_label"].startswith("待")
    [recorded] = api.call("GET", f"/province/applications/{app_id}/objections", "staff")
    assert recorded["raised_by"] == OBJECTION["name"] and recorded["decision"] is None
    assert recorded["from_public"] and recorded["contact"] == OBJECTION["contact"]
    assert "recorded_by_user_id" not in recorded
    api.clock.now = at(2025, 11, 21, 10)
    api.refused("POST", f"/province/applications/{app_id}/certification", "staff", 409,
                "art15.objection_pending", "Art.15", json={})  # fmt: skip
    decision = {"upheld": False, "reason": "经核查，案例客户与申报单位无关联关系"}
    api.call("POST", f"/province/objections/{recorded['id']}/decision", "staff", json=decision)
    seen = api.call("POST", "/objections/follow-up", None, json={"token": token})
    assert seen["decision"] == "unfounded" and seen["decision_reason"] == decision["reason"]
    assert seen["status_label"] == "异议不成立" and seen["decided_at"]
    api.call("POST", f"/province/applications/{app_id}/certification", "staff", json={})


def test_only_during_publicity_and_complete(api: Api, world: ApiWorld) -> None:
    url = f"/publicity/{world.application_a}/objections"
    draft = f"/publicity/{world.application_b}/objections"  # B's draft: not public
    api.refused("POST", draft, None, 404, "publicity_item_not_found", "Art.15", json=OBJECTION)
    api.refused("POST", "/publicity/999/objections", None, 404, "publicity_item_not_found",
                json=OBJECTION)  # fmt: skip
    api.refused("POST", url, None, 422, "missing", json={"name": "某人", "content": "c"})
    api.refused("POST", url, None, 422, "string_too_short", json=OBJECTION | {"contact": ""})
    api.clock.now = at(2025, 11, 21, 0, 1)  # the five working days ended at midnight
    api.refused("POST", url, None, 409, "art15.publicity_over", "Art.15", json=OBJECTION)


def test_a_token_follows_its_own_objection_only(api: Api, world: ApiWorld) -> None:
    url = f"/publicity/{world.application_a}/objections"
    first = api.call("POST", url, None, 201, json=OBJECTION)
    second = api.call("POST", url, None, 201, json=OBJECTION | {"name": "另一家企业"})
    for filed in (first, second):
        seen = api.call("POST", "/objections/follow-up", None, json={"token": filed["token"]})
        assert seen["reference"] == filed["reference"]
    complaint = api.call("POST", "/complaints", None, 201,
                         json={"subject": "process", "title": "t", "content": "c"})  # fmt: skip
    api.refused("POST", "/objections/follow-up", None, 404, "objection_token_invalid",
                json={"token": complaint["token"]})  # fmt: skip

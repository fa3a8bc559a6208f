"""Complaints and reports (Art.23) through the API: anyone files one and follows it with its
token (status and result, never the staff's notes), one token never shows another complaint;
the province assigns it, the assignee investigates and closes it; a municipal reviewer sees
only what is assigned to them. Write paths on SQLite and PostgreSQL."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from registry.models import Complaint
from registry.models.accounts import User
from tests.api.conftest import Clock, Tokens
from tests.api.lifecycle_world import CODE_A, Api, certified
from tests.api.world import ApiWorld
from tests.db.factories import at

BOTH = pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
ABOUT_ENTRY = {
    "subject": "entry",
    "resource_code": CODE_A,
    "title": "宣传的检出率与实际不符",
    "content": "我厂 2025 年采购后实测检出率仅 92%，与资源库所列 99.5% 不符。",
    "contact_name": "周先生",
    "contact_phone": "0769-88000000",
}
ABOUT_PROCESS = {
    "subject": "process",
    "title": "初审超期",
    "content": "提交后 20 个工作日未收到初审意见",
}
NOTE = "已约谈申报单位，调取检测记录（内部）"
RESULT = "经核查，该资源检出率指标系特定工况下测得，已要求申报单位补充说明适用条件。"


@pytest.fixture
def api(
    client: TestClient,
    as_user: Tokens,
    clock: Clock,
    world: ApiWorld,
    sessions: sessionmaker[Session],
) -> Api:
    certified(sessions, world)
    clock.now = at(2026, 3, 2, 10)
    return Api(client, as_user, clock)


def _user_id(sessions: sessionmaker[Session], username: str) -> int:
    with sessions() as session:
        found = session.scalar(select(User.id).where(User.username == username))
        assert found is not None
        return found


@pytest.mark.postgres
@BOTH
def test_filed_assigned_investigated_closed_and_followed(
    api: Api, sessions: sessionmaker[Session]
) -> None:
    filed = api.call("POST", "/complaints", None, 201, json=ABOUT_ENTRY)
    token, reference = filed["token"], filed["reference"]
    assert reference.startswith("TS2026-") and filed["status"] == "received"
    with sessions() as session:  # only the hash of the token is kept
        stored = session.scalars(select(Complaint)).one()
        assert token not in json.dumps([stored.token_hash, stored.content, stored.title])
        assert stored.city == "广州市" and stored.organisation_id is not None
    seen = api.call("POST", "/complaints/follow-up", None, json={"token": token})
    assert seen["reference"] == reference and seen["status_label"] == "已受理"
    cid = api.call("GET", "/complaints", "staff")[0]["id"]
    gz = _user_id(sessions, "gz-reviewer")
    assert gz in {a["id"] for a in api.call("GET", "/complaints/assignees", "staff")}
    assigned = api.call("POST", f"/complaints/{cid}/assignment", "staff",
                        json={"assignee_user_id": gz})  # fmt: skip
    assert assigned["status"] == "assigned" and assigned["contact_phone"] == "0769-88000000"
    assert [c["id"] for c in api.call("GET", "/complaints", "gz-reviewer")] == [cid]
    assert api.call("GET", "/complaints", "sz-reviewer") == []
    api.refused("GET", f"/complaints/{cid}", "sz-reviewer", 404, "complaint_not_found")
    api.refused("POST", f"/complaints/{cid}/notes", "sz-reviewer", 404, "complaint_not_found",
                json={"text": "x"})  # fmt: skip
    api.call("POST", f"/complaints/{cid}/notes", "gz-reviewer", 201, json={"text": NOTE})
    seen = api.call("POST", "/complaints/follow-up", None, json={"token": token})
    assert seen["status"] == "investigating" and NOTE not in json.dumps(seen, ensure_ascii=False)
    closed = api.call("POST", f"/complaints/{cid}/closure", "gz-reviewer", json={"result": RESULT})
    assert closed["status"] == "closed" and [n["text"] for n in closed["notes"]] == [NOTE]
    seen = api.call("POST", "/complaints/follow-up", None, json={"token": token})
    assert seen["result"] == RESULT and seen["closed_at"] is not None
    assert NOTE not in json.dumps(seen, ensure_ascii=False) and "gz" not in json.dumps(seen)
    api.refused("POST", f"/complaints/{cid}/notes", "staff", 409, "transition_not_allowed",
                "Art.23", json={"text": "补记"})  # fmt: skip


def test_one_token_shows_its_own_complaint_only(api: Api) -> None:
    first = api.call("POST", "/complaints", None, 201, json=ABOUT_ENTRY)
    second = api.call("POST", "/complaints", None, 201, json=ABOUT_PROCESS)
    for filed, title in ((first, ABOUT_ENTRY["title"]), (second, ABOUT_PROCESS["title"])):
        seen = api.call("POST", "/complaints/follow-up", None, json={"token": filed["token"]})
        assert (seen["reference"], seen["title"]) == (filed["reference"], title)
    wrong = first["token"][:-2] + ("AA" if not first["token"].endswith("AA") else "BB")
    api.refused("POST", "/complaints/follow-up", None, 404, "complaint_token_invalid",
                json={"token": wrong})  # fmt: skip
    api.refused("POST", "/complaints/follow-up", None, 422, "string_too_short",
                json={"token": "short"})  # fmt: skip


def test_filing_is_checked(api: Api) -> None:
    api.refused("POST", "/complaints", None, 422, "complaint_resource_unknown", "Art.23",
                json=ABOUT_ENTRY | {"resource_code": "AI-999"})  # fmt: skip
    api.refused("POST", "/complaints", None, 422, "complaint_organisation_unknown", "Art.23",
                json=ABOUT_PROCESS | {"subject": "organisation", "organisation_id": 9})  # fmt: skip
    api.refused("POST", "/complaints", None, 422, "string_too_short",
                json=ABOUT_PROCESS | {"title": ""})  # fmt: skip
    api.refused("POST", "/complaints", None, 422, "string_pattern_mismatch",
                json=ABOUT_PROCESS | {"contact_email": "not-an-email"})  # fmt: skip
    api.refused("POST", "/complaints", None, 422, "extra_forbidden",
                json=ABOUT_PROCESS | {"status": "closed"})  # fmt: skip


def test_staff_routes_are_closed_to_the_public_and_providers(
    api: Api, sessions: sessionmaker[Session]
) -> None:
    api.call("POST", "/complaints", None, 201, json=ABOUT_PROCESS)
    api.refused("GET", "/complaints", None, 401, "not_authenticated")
    api.refused("GET", "/complaints", "provider-1", 403, "role_not_allowed")
    api.refused("GET", "/complaints/assignees", "gz-reviewer", 403, "role_not_allowed")
    cid = api.call("GET", "/complaints", "staff")[0]["id"]
    api.refused("POST", f"/complaints/{cid}/assignment", "gz-reviewer", 403, "role_not_allowed",
                json={"assignee_user_id": 1})  # fmt: skip
    provider = _user_id(sessions, "provider-1")
    api.refused("POST", f"/complaints/{cid}/assignment", "staff", 422,
                "complaint_assignee_invalid", "Art.23",
                json={"assignee_user_id": provider})  # fmt: skip
    # The province closes an unassigned complaint itself; a closed one is not closed twice.
    api.call("POST", f"/complaints/{cid}/closure", "staff", json={"result": "已督促地市办理"})
    api.refused("POST", f"/complaints/{cid}/closure", "staff", 409, "transition_not_allowed",
                json={"result": "again"})  # fmt: skip


def test_staff_read_a_complaint_with_its_contacts(api: Api) -> None:
    api.call("POST", "/complaints", None, 201, json=ABOUT_ENTRY)
    [listed] = api.call("GET", "/complaints?open_only=true", "staff")
    seen = api.call("GET", f"/complaints/{listed['id']}", "staff")
    assert seen["contact_name"] == "周先生" and seen["content"] == ABOUT_ENTRY["content"]
    assert seen["subject_label"] == "资源库中的赋能资源" and seen["notes"] == []
    api.refused("GET", "/complaints/999", "staff", 404, "complaint_not_found")

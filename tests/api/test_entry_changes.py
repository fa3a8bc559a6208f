"""资源信息变更申请 through the API: provider A proposes new texts and a case for its entry,
lists and withdraws; the province lists by status, reads each text before and after, approves
(the library's entry changes) or rejects with a reason; every refusal in the one error body.
Write paths on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from tests.api.conftest import Clock, Tokens
from tests.api.lifecycle_world import CODE_A, CODE_B, Api, certified
from tests.api.matrix_requests import CASE
from tests.api.world import ApiWorld
from tests.db.factories import at

BOTH = pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
SUMMARY = "新增锂电池极片涂布缺陷在线检测，支持 2 米幅宽"
CHANGE = {"summary": SUMMARY, "new_cases": [CASE], "explanation": "2025 年技术更新迭代"}


@pytest.fixture
def api(
    client: TestClient,
    as_user: Tokens,
    clock: Clock,
    world: ApiWorld,
    sessions: sessionmaker[Session],
) -> Api:
    certified(sessions, world)
    clock.now = at(2025, 12, 1, 10)
    return Api(client, as_user, clock)


def propose(api: Api, body: dict[str, object] = CHANGE) -> dict[str, object]:
    made = api.call("POST", f"/provider/library/{CODE_A}/changes", "provider-1", 201, json=body)
    assert isinstance(made, dict)
    return made


@pytest.mark.postgres
@BOTH
def test_proposed_read_before_and_after_then_approved(api: Api) -> None:
    made = propose(api)
    assert made["status"] == "pending" and made["status_label"] == "待省厅审核"
    assert made["new_cases"][0]["title"] == "t" and made["version"] == 1
    detail = api.call("GET", f"/province/entry-changes/{made['id']}", "staff")
    fields = {f["field"]: f for f in detail["fields"]}
    assert fields["summary"]["changed"] is True and fields["summary"]["after"] == SUMMARY
    assert fields["summary"]["label"] == "技术简介"
    assert fields["advantages"]["changed"] is False
    assert fields["advantages"]["before"] == fields["advantages"]["after"]
    assert [c["id"] for c in api.call("GET", "/province/entry-changes?status=pending", "staff")
            ] == [made["id"]]  # fmt: skip
    approved = api.call("POST", f"/province/entry-changes/{made['id']}/approval", "staff",
                        json={"note": "同意", "expected_version": 1})  # fmt: skip
    assert approved["status"] == "approved" and approved["decided_at"] is not None
    resource = api.call("GET", f"/library/resources/{CODE_A}", None)
    assert resource["summary"] == SUMMARY
    assert api.call("GET", "/province/entry-changes?status=pending", "staff") == []
    api.refused("POST", f"/province/entry-changes/{made['id']}/rejection", "staff", 409,
                "transition_not_allowed", "Art.18", json={"reason": "晚了"})  # fmt: skip


@pytest.mark.postgres
@BOTH
def test_rejected_with_a_reason_and_withdrawn(api: Api) -> None:
    made = propose(api)
    path = f"/province/entry-changes/{made['id']}/rejection"
    api.refused("POST", path, "staff", 422, "string_too_short", json={"reason": ""})
    api.refused("POST", path, "staff", 422, "reasons_required", "Art.18", json={"reason": " "})
    api.refused("POST", path, "staff", 409, "entry_change_changed",
                json={"reason": "r", "expected_version": 2})  # fmt: skip
    rejected = api.call("POST", path, "staff", json={"reason": "缺少检测报告"})
    assert rejected["status"] == "rejected" and rejected["decision_reason"] == "缺少检测报告"
    own = api.call("GET", f"/provider/entry-changes/{made['id']}", "provider-1")
    assert (own["status_label"], own["decision_reason"]) == ("未同意变更", "缺少检测报告")
    api.refused("GET", f"/provider/entry-changes/{made['id']}", "provider-2", 403,
                "not_own_organisation")  # fmt: skip
    api.refused("GET", "/provider/entry-changes/999", "provider-1", 404, "entry_change_not_found")
    assert api.call("GET", f"/library/resources/{CODE_A}", None)["summary"] != SUMMARY
    again = propose(api, {"advantages": "新的核心优势", "explanation": "补充"})
    withdraw = f"/provider/entry-changes/{again['id']}/withdrawal"
    api.refused("POST", withdraw, "provider-2", 403, "not_own_organisation")
    assert api.call("POST", withdraw, "provider-1")["status"] == "withdrawn"
    api.refused("POST", withdraw, "provider-1", 409, "transition_not_allowed")
    mine = api.call("GET", "/provider/entry-changes", "provider-1")
    assert [c["status"] for c in mine] == ["withdrawn", "rejected"]
    assert api.call("GET", "/provider/entry-changes", "provider-2") == []
    listed = api.call("GET", f"/provider/entry-changes?resource_code={CODE_A}", "provider-1")
    assert len(listed) == 2


@pytest.mark.postgres
@BOTH
def test_proposals_refused(api: Api) -> None:
    url = f"/provider/library/{CODE_A}/changes"
    propose(api)
    api.refused("POST", url, "provider-1", 409, "entry_change_pending", "Art.18", json=CHANGE)
    api.refused("POST", url, "provider-2", 403, "not_own_organisation", json=CHANGE)
    api.refused("POST", url, "staff", 403, "role_not_allowed", json=CHANGE)
    api.refused("POST", url, None, 401, "not_authenticated", json=CHANGE)
    url_b = f"/provider/library/{CODE_B}/changes"
    unchanged = {"summary": "基于深度学习的表面缺陷检测", "explanation": "e"}
    same = api.refused("POST", url_b, "provider-2", 422, "field_unchanged", json=unchanged)
    assert same["loc"] == ["summary"]
    api.refused("POST", url_b, "provider-2", 422, "change_empty", json={"explanation": "e"})
    api.refused("POST", url_b, "provider-2", 422, "missing", json={"summary": "新"})
    bad_case = {"new_cases": [CASE | {"client_industry": "X99"}], "explanation": "e"}
    item = api.refused("POST", url_b, "provider-2", 422, "art9.industry_invalid", json=bad_case)
    assert item["loc"] == ["new_cases", 0, "client_industry"]
    stale = {"new_cases": [CASE | {"feedback_on": "2024-11-30"}], "explanation": "e"}
    item = api.refused("POST", url_b, "provider-2", 422, "art12.feedback_too_old", "Art.12(4)",
                       json=stale)  # fmt: skip
    assert item["loc"] == ["new_cases", 0] and "不在变更申请日" in item["msg"]
    api.refused("POST", url_b, "provider-2", 422, "extra_forbidden",
                json={"title": "改名", "explanation": "e"})  # fmt: skip
    api.refused("POST", "/provider/library/AI-999/changes", "provider-2", 404, "entry_not_found",
                json=CHANGE)  # fmt: skip


def test_province_reads_and_refusals(api: Api) -> None:
    made = propose(api)
    api.refused("GET", "/province/entry-changes/999", "staff", 404, "entry_change_not_found")
    api.refused("GET", f"/province/entry-changes/{made['id']}", "provider-1", 403,
                "role_not_allowed")  # fmt: skip
    api.refused("GET", "/province/entry-changes?status=bad", "staff", 422, "enum")
    assert api.call("GET", "/province/entry-changes?status=approved", "staff") == []
    api.refused("POST", f"/province/entry-changes/{made['id']}/approval", "gz-reviewer", 403,
                "role_not_allowed", json={})  # fmt: skip
    api.refused("GET", "/provider/entry-changes", "staff", 403, "role_not_allowed")

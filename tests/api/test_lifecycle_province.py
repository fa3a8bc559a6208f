"""Provincial staff after certification, through the API: removal after a warning only once
the six months ran out (Art.19(1)), direct removal with its preview (Art.19(2), Art.21: every
entry, pending applications voided, the 3-year ban, the credit referral), the ban refusing a new
submission, missing annual reports and the sweep's flags (Art.18). Write paths on both
backends."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from registry.sweep import run_sweep
from tests.api.conftest import Clock, Tokens
from tests.api.lifecycle_world import CODE_A, CODE_B, REPORT, WARNING, Api, certified
from tests.api.world import ApiWorld, new_resource, start, submit
from tests.db.factories import at

BOTH = pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)


@pytest.fixture
def api(
    client: TestClient,
    as_user: Tokens,
    clock: Clock,
    world: ApiWorld,
    sessions: sessionmaker[Session],
) -> Api:
    certified(sessions, world)
    return Api(client, as_user, clock)


@pytest.mark.postgres
@BOTH
def test_removal_after_a_warning_waits_for_the_six_months(api: Api) -> None:
    api.clock.now = at(2026, 1, 5, 10)
    wid = api.call("POST", f"/province/library/{CODE_B}/warnings", "staff", 201, json=WARNING)["id"]
    note = {"note": "逾期未整改"}
    item = api.refused("POST", f"/province/warnings/{wid}/removal", "staff", 409,
                       "rectification_period_running", "Art.19(1)", json=note)  # fmt: skip
    assert "2026-07-06" in item["msg"]
    api.clock.now = at(2026, 7, 6, 23, 0)  # the last day: still running
    api.refused("POST", f"/province/warnings/{wid}/removal", "staff", 409,
                "rectification_period_running", json=note)  # fmt: skip
    api.clock.now = at(2026, 7, 7, 9)
    [listed] = api.call("GET", "/province/warnings", "staff")
    assert listed["overdue"] is True and listed["days_left"] == -1
    removed = api.call("POST", f"/province/warnings/{wid}/removal", "staff", json=note)
    assert removed["status"] == "removed"
    assert api.call("GET", "/province/warnings", "staff") == []
    [entry] = api.call("GET", f"/province/library?q={CODE_B}", "staff")
    assert entry["status"] == "removed" and entry["status_label"] == "已移出"


def test_warning_input_and_unknown_entries_are_refused(api: Api) -> None:
    url = f"/province/library/{CODE_A}/warnings"
    api.refused("POST", url, "staff", 422, "too_short", json=WARNING | {"reasons": []})
    api.refused("POST", url, "staff", 422, "enum", json=WARNING | {"reasons": ["bad"]})
    api.refused("POST", url, "staff", 422, "string_too_short", json=WARNING | {"detail": ""})
    api.refused("POST", "/province/library/AI-999/warnings", "staff", 404, "entry_not_found",
                json=WARNING)  # fmt: skip
    api.refused("POST", url, "provider-1", 403, "role_not_allowed", json=WARNING)
    api.refused("GET", "/province/warnings/999", "staff", 404, "warning_not_found")


def _pending_application(sessions: sessionmaker[Session], world: ApiWorld) -> int:
    """Another resource of provider A submitted to its city (in municipal review)."""
    app_id = start(sessions, world, new_resource(sessions, world, "AI-310"))
    with sessions() as session:
        submit(session, world.provider_a, app_id, at(2025, 11, 3))
    return app_id


@pytest.mark.postgres
@BOTH
def test_direct_removal_previewed_then_done_with_ban_and_referral(
    api: Api, sessions: sessionmaker[Session], world: ApiWorld
) -> None:
    draft = _pending_application(sessions, world)
    api.clock.now = at(2026, 2, 27, 15)
    org = f"/province/organisations/{world.base.organisation_id}"
    preview = api.call("GET", f"{org}/removal-preview?ground=false_material", "staff")
    assert preview["dry_run"] is True and preview["article"] == "Art.21"
    assert preview["removed_codes"] == [CODE_A] and preview["voided_application_ids"] == [draft]
    assert preview["ban"]["starts_on"] == "2026-02-27" and preview["ban"]["ends_on"] == "2029-02-27"
    assert "虚假材料" in preview["credit_referral"]["content"]
    # The preview changed nothing.
    assert [e["status"] for e in api.call("GET", f"/province/library?q={CODE_A}", "staff")] == [
        "certified"
    ]
    assert api.call("GET", "/province/credit-referrals", "staff") == []
    accident = api.call("GET", f"{org}/removal-preview?ground=major_accident", "staff")
    assert accident["article"] == "Art.19(2)" and accident["credit_referral"] is None
    body = {"ground": "false_material", "reason": "典型案例合同系伪造"}
    done = api.call("POST", f"{org}/removal", "staff", 201, json=body)
    assert done["dry_run"] is False and done["removed_codes"] == [CODE_A]
    assert done["voided_application_ids"] == [draft] and done["ban"]["ends_on"] == "2029-02-27"
    api.refused("GET", f"/library/resources/{CODE_A}", None, 404, "resource_not_in_library")
    assert api.call("GET", f"/provider/applications/{draft}", "provider-1")["status"] == "voided"
    [referral] = api.call("GET", "/province/credit-referrals", "staff")
    assert referral["id"] == done["credit_referral"]["id"] and referral["reported_at"] is None
    sent = api.call("POST", f"/province/credit-referrals/{referral['id']}/sent", "staff",
                    json={"reference": "粤信用函〔2026〕12号"})  # fmt: skip
    assert sent["reference"] == "粤信用函〔2026〕12号" and sent["reported_at"]
    api.refused("POST", f"/province/credit-referrals/{referral['id']}/sent", "staff", 409,
                "referral_already_sent", "Art.21", json={"reference": "x"})  # fmt: skip
    api.refused("POST", f"{org}/removal", "staff", 409, "already_removed", "Art.21", json=body)
    # The ban refuses a new application, with its article and end date.
    batch = {"code": "2026Q1", "title": "一季度", "opens_on": "2026-01-05",
             "deadline_on": "2026-03-13"}  # fmt: skip
    api.call("POST", "/province/batches", "staff", 201, json=batch)
    resource_id = new_resource(sessions, world, "AI-311")
    start = {"resource_id": resource_id, "batch_code": "2026Q1"}
    made = api.client.post("/api/v1/provider/applications", json=start,
                           headers=api.tokens("provider-1"))  # fmt: skip
    if made.status_code == 201:  # the ban is checked at submission (Art.21)
        made = api.client.post(
            f"/api/v1/provider/applications/{made.json()['id']}/submit",
            json={"commitment_signed": True}, headers=api.tokens("provider-1"),
        )  # fmt: skip
    assert made.status_code == 422, made.text
    banned = next(i for i in made.json()["detail"] if i["type"] == "art21.banned")
    assert banned["ctx"]["article"] == "Art.21" and "2029年2月27日" in banned["msg"]


def test_removal_refusals(api: Api, world: ApiWorld) -> None:
    org = f"/province/organisations/{world.base.organisation_id}"
    api.refused("GET", f"{org}/removal-preview?ground=rumour", "staff", 422, "enum")
    api.refused("GET", f"{org}/removal-preview", "staff", 422, "missing")
    api.refused("GET", "/province/organisations/999/removal-preview?ground=major_accident",
                "staff", 404, "organisation_not_found")  # fmt: skip
    api.refused("POST", f"{org}/removal", "provider-1", 403, "role_not_allowed",
                json={"ground": "major_accident", "reason": "r"})  # fmt: skip
    api.refused("POST", f"{org}/removal", "staff", 422, "string_too_short",
                json={"ground": "major_accident", "reason": ""})  # fmt: skip
    api.refused("POST", "/province/credit-referrals/999/sent", "staff", 404, "referral_not_found",
                json={"reference": "x"})  # fmt: skip


@pytest.mark.postgres
@BOTH
def test_missing_reports_and_sweep_flags(api: Api, sessions: sessionmaker[Session]) -> None:
    api.clock.now = at(2026, 3, 31, 12)
    assert api.call("GET", "/province/annual-reports?state=missing", "staff") == []
    assert {s["state"] for s in api.call("GET", "/province/annual-reports", "staff")} == {"due"}
    api.clock.now = at(2026, 4, 1, 6)
    with sessions() as session:  # `funeng sweep` at dawn on 1 April
        run_sweep(session=session, now=api.clock.now)
        session.commit()
    missing = api.call("GET", "/province/annual-reports?state=missing", "staff")
    assert [(m["resource_code"], m["city"]) for m in missing] == [
        (CODE_A, "广州市"),
        (CODE_B, "深圳市"),
    ]
    flags = api.call("GET", "/province/flags?kind=annual_report_missing", "staff")
    assert sorted(f["resource_code"] for f in flags) == [CODE_A, CODE_B]
    assert {f["article_zh"] for f in flags} == {"第十八条"}
    api.call("POST", f"/provider/library/{CODE_A}/annual-reports", "provider-1", 201, json=REPORT)
    flags = api.call("GET", "/province/flags", "staff")
    assert [f["resource_code"] for f in flags if f["kind"] == "annual_report_missing"] == [CODE_B]
    api.refused("GET", "/province/flags", "gz-reviewer", 403, "role_not_allowed")
    api.refused("GET", "/province/flags?kind=nonsense", "staff", 422, "enum")


def test_the_library_list_filters_by_state_and_text(api: Api) -> None:
    everything = api.call("GET", "/province/library", "staff")
    assert [e["resource_code"] for e in everything] == [CODE_A, CODE_B]
    assert api.call("GET", "/province/library?status=warned", "staff") == []
    [found] = api.call("GET", "/province/library?q=深圳测试", "staff")
    assert found["resource_code"] == CODE_B and found["city"] == "深圳市"


@pytest.mark.postgres
@BOTH
def test_a_refused_withdrawal_is_read_in_scope_and_told_to_the_provider(api: Api) -> None:
    api.clock.now = at(2026, 5, 11)
    ask = {"resource_code": CODE_B, "reason": "转型"}
    rid = api.call("POST", "/provider/withdrawals", "provider-2", 201, json=ask)["id"]
    assert api.call("GET", f"/city/withdrawals/{rid}", "sz-reviewer")["status"] == "requested"
    api.call("POST", f"/city/withdrawals/{rid}/forward", "sz-reviewer", json={"opinion": "同意"})
    [waiting] = api.call("GET", "/province/withdrawals?status=forwarded", "staff")
    assert waiting["id"] == rid and waiting["city_opinion"] == "同意"
    assert api.call("GET", f"/province/withdrawals/{rid}", "staff")["status_label"] == "待省厅审核"
    refused = api.call("POST", f"/province/withdrawals/{rid}/refusal", "staff",
                       json={"note": "该资源正在年度评估中"})  # fmt: skip
    assert refused["status"] == "refused" and refused["decision_note"] == "该资源正在年度评估中"
    assert api.call("GET", "/province/withdrawals?status=forwarded", "staff") == []
    [entry] = api.call("GET", "/provider/library", "provider-2")
    assert entry["status"] == "certified" and entry["pending_withdrawal_id"] is None
    notices = api.call("GET", "/provider/notifications", "provider-2")
    assert any("未获同意" in n["message"] for n in notices)
    api.refused("POST", f"/province/withdrawals/{rid}/approval", "staff", 409,
                "transition_not_allowed", "Art.19(3)", json={"note": "改为同意"})  # fmt: skip


def test_a_warning_is_read_by_its_provider_and_the_province(api: Api) -> None:
    api.clock.now = at(2026, 1, 5, 10)
    wid = api.call("POST", f"/province/library/{CODE_A}/warnings", "staff", 201, json=WARNING)["id"]
    mine = api.call("GET", f"/provider/warnings/{wid}", "provider-1")
    staff = api.call("GET", f"/province/warnings/{wid}", "staff")
    assert mine == staff and mine["detail"] == WARNING["detail"] and mine["article"] == "Art.19(1)"
    everything = api.call("GET", "/province/warnings?open_only=false", "staff")
    assert [w["id"] for w in everything] == [wid]

"""Providers after certification, through the API: their entries with what is due, annual
reports across 31 March (Art.18), warnings with six months to rectify (Art.19(1)) and
voluntary withdrawal through their city (Art.19(3)); provider A vs provider B throughout.
The write paths run on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from tests.api.conftest import Clock, Tokens
from tests.api.lifecycle_world import CODE_A, CODE_B, REPORT, WARNING, Api, certified
from tests.api.world import ApiWorld
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


def test_entries_show_only_the_organisation_own_with_the_report_due(api: Api) -> None:
    api.clock.now = at(2026, 2, 10)
    mine = api.call("GET", "/provider/library", "provider-1")
    assert [e["resource_code"] for e in mine] == [CODE_A]
    entry = mine[0]
    assert entry["status"] == "certified" and entry["status_label"] == "在库"
    assert entry["report_year"] == 2025 and entry["report_state"] == "due"
    assert entry["report_due_on"] == "2026-03-31"  # a Tuesday: the deadline itself
    assert entry["open_warning_id"] is None and entry["pending_withdrawal_id"] is None
    theirs = api.call("GET", "/provider/library", "provider-2")
    assert [e["resource_code"] for e in theirs] == [CODE_B]
    api.refused("GET", "/provider/library", "gz-reviewer", 403, "role_not_allowed")


@pytest.mark.postgres
@BOTH
def test_annual_report_filed_on_time_then_refused_twice(api: Api) -> None:
    api.clock.now = at(2026, 3, 31, 23, 50)
    filed = api.call(
        "POST", f"/provider/library/{CODE_A}/annual-reports", "provider-1", 201, json=REPORT
    )
    assert filed["late"] is False and filed["due_on"] == "2026-03-31"
    assert filed["enterprises_served"] == 18 and filed["resource_code"] == CODE_A
    states = api.call("GET", "/provider/annual-reports", "provider-1")
    assert [(s["resource_code"], s["state"]) for s in states] == [(CODE_A, "filed")]
    path = f"/provider/library/{CODE_A}/annual-reports"
    api.refused("POST", path, "provider-1", 409, "annual_report_exists", "Art.18", json=REPORT)
    api.refused("POST", path, "provider-2", 403, "not_own_organisation", json=REPORT)
    unfinished = REPORT | {"year": 2026}
    api.refused(
        "POST", path, "provider-1", 422, "annual_report_year_invalid", "Art.18", json=unfinished
    )
    negative = REPORT | {"year": 2024, "enterprises_served": -1}
    api.refused("POST", path, "provider-1", 422, "greater_than_equal", json=negative)
    gone = "/provider/library/AI-999/annual-reports"
    api.refused("POST", gone, "provider-1", 404, "entry_not_found", json=REPORT)


def test_after_31_march_the_report_is_missing_and_filed_late(api: Api) -> None:
    api.clock.now = at(2026, 4, 1, 0, 5)
    [state] = api.call("GET", "/provider/annual-reports?year=2025", "provider-2")
    assert state["state"] == "missing" and state["overdue"] is True
    assert state["state_label"] == "逾期未报"
    filed = api.call(
        "POST", f"/provider/library/{CODE_B}/annual-reports", "provider-2", 201, json=REPORT
    )
    assert filed["late"] is True
    [state] = api.call("GET", "/provider/annual-reports", "provider-2")
    assert state["state"] == "filed_late"


@pytest.mark.postgres
@BOTH
def test_warning_rectified_within_six_months_then_closed(api: Api) -> None:
    api.clock.now = at(2026, 1, 5, 10)  # a Monday
    warned = api.call("POST", f"/province/library/{CODE_A}/warnings", "staff", 201, json=WARNING)
    # 2026-01-05 + 6 months = Sunday 2026-07-05: the period ends on the next working day.
    assert warned["rectification_due_on"] == "2026-07-06"
    assert warned["reasons"] == ["用户反馈较差"] and warned["status"] == "open"
    [mine] = api.call("GET", "/provider/warnings", "provider-1")
    assert mine["id"] == warned["id"] and mine["days_left"] == 182
    assert api.call("GET", "/provider/warnings", "provider-2") == []
    url = f"/provider/warnings/{warned['id']}"
    api.refused("GET", url, "provider-2", 403, "not_own_organisation")
    [entry] = api.call("GET", "/provider/library", "provider-1")
    assert entry["status"] == "warned" and entry["open_warning_id"] == warned["id"]
    assert entry["rectification_due_on"] == "2026-07-06"
    body = {"rectification": "更换交付团队，建立周报制度"}
    api.refused(
        "POST", f"{url}/rectification", "provider-2", 403, "not_own_organisation", json=body
    )
    api.refused(
        "POST", f"{url}/rectification", "provider-1", 422, "string_too_short",
        json={"rectification": ""},
    )  # fmt: skip
    api.clock.now = at(2026, 3, 2)
    done = api.call("POST", f"{url}/rectification", "provider-1", json=body)
    assert done["status"] == "rectified" and done["rectification"] == body["rectification"]
    closed = api.call(
        "POST", f"/province/warnings/{warned['id']}/closure", "staff", json={"note": "整改到位"}
    )
    assert closed["status"] == "closed" and closed["days_left"] is None
    [entry] = api.call("GET", "/provider/library", "provider-1")
    assert entry["status"] == "certified" and entry["open_warning_id"] is None
    api.refused(
        "POST", f"{url}/rectification", "provider-1", 409, "transition_not_allowed", "Art.19(1)",
        json=body,
    )  # fmt: skip


@pytest.mark.postgres
@BOTH
def test_withdrawal_through_the_city_approved_by_the_province(api: Api) -> None:
    api.clock.now = at(2026, 5, 11)
    ask = {"resource_code": CODE_A, "reason": "产品线调整，不再提供该服务"}
    request = api.call("POST", "/provider/withdrawals", "provider-1", 201, json=ask)
    assert request["status"] == "requested" and request["city"] == "广州市"
    api.refused("POST", "/provider/withdrawals", "provider-1", 409, "withdrawal_pending",
                "Art.19(3)", json=ask)  # fmt: skip
    api.refused("POST", "/provider/withdrawals", "provider-2", 403, "not_own_organisation",
                json=ask)  # fmt: skip
    rid = request["id"]
    assert api.call("GET", "/city/withdrawals", "sz-reviewer") == []
    [listed] = api.call("GET", "/city/withdrawals?status=requested", "gz-reviewer")
    assert listed["id"] == rid
    opinion = {"opinion": "情况属实，同意转报"}
    api.refused("POST", f"/city/withdrawals/{rid}/forward", "sz-reviewer", 403, "wrong_city",
                "Art.19(3)", json=opinion)  # fmt: skip
    api.refused("GET", f"/city/withdrawals/{rid}", "sz-reviewer", 403, "wrong_city")
    api.refused("POST", f"/province/withdrawals/{rid}/approval", "staff", 409,
                "transition_not_allowed", "Art.19(3)", json={"note": "同意"})  # fmt: skip
    forwarded = api.call("POST", f"/city/withdrawals/{rid}/forward", "gz-reviewer", json=opinion)
    assert forwarded["status"] == "forwarded" and forwarded["city_opinion"] == opinion["opinion"]
    api.refused("POST", f"/province/withdrawals/{rid}/approval", "staff", 422,
                "string_too_short", json={"note": ""})  # fmt: skip
    approved = api.call(
        "POST", f"/province/withdrawals/{rid}/approval", "staff", json={"note": "同意退出"}
    )
    assert approved["status"] == "approved"
    [entry] = api.call("GET", "/provider/library", "provider-1")
    assert entry["status"] == "withdrawn" and entry["pending_withdrawal_id"] is None
    api.refused("GET", f"/library/resources/{CODE_A}", None, 404, "resource_not_in_library")
    notices = api.call("GET", "/provider/notifications", "provider-1")
    assert any("已退出" in n["message"] for n in notices)


def test_a_pending_request_is_cancelled_by_its_provider_only(api: Api) -> None:
    api.clock.now = at(2026, 5, 11)
    ask = {"resource_code": CODE_B, "reason": "转型"}
    rid = api.call("POST", "/provider/withdrawals", "provider-2", 201, json=ask)["id"]
    url = f"/provider/withdrawals/{rid}"
    api.refused("POST", f"{url}/cancellation", "provider-1", 403, "not_own_organisation")
    api.refused("GET", url, "provider-1", 403, "not_own_organisation")
    assert api.call("GET", url, "provider-2")["status"] == "requested"
    cancelled = api.call("POST", f"{url}/cancellation", "provider-2")
    assert cancelled["status"] == "cancelled" and cancelled["status_label"] == "已撤回申请"
    api.refused("POST", f"{url}/cancellation", "provider-2", 409, "transition_not_allowed")
    [listed] = api.call("GET", "/provider/withdrawals", "provider-2")
    assert listed["id"] == rid

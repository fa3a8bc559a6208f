"""The pages of library management after certification, signed in through the login form: the
provider's 入库后管理 (deadlines and overdue flags, annual report, rectification, withdrawal),
the city's withdrawal queue (city X vs Y), the province's desk, entry, warning, removal preview
and annual reports; refusals shown on the page with their article; sound markup."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from tests.api.conftest import Clock
from tests.api.lifecycle_world import CODE_A, CODE_B, REPORT, certified
from tests.api.world import ApiWorld
from tests.db.factories import PASSWORD, at

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
CONTROL = re.compile(r"<(input|select|textarea)\b([^>]*)>")


@pytest.fixture
def ready(world: ApiWorld, sessions: sessionmaker[Session], clock: Clock) -> ApiWorld:
    certified(sessions, world)
    clock.now = at(2026, 4, 2, 10)  # the 2025 reports are overdue
    return world


def sign_in(client: TestClient, username: str) -> None:
    client.cookies.clear()
    token = CSRF.search(client.get("/login").text)
    assert token
    form = {"username": username, "password": PASSWORD, "next": "/workspace"}
    done = client.post("/login", data=form | {"csrf_token": token.group(1)})
    assert done.status_code == 200 and "/login" not in str(done.url), done.text[:300]


def post(client: TestClient, page: str, action: str, data: Mapping[str, object]) -> Any:
    """Post a form of `page` with its CSRF token, not following the redirect."""
    token = CSRF.search(client.get(page).text)
    assert token, f"no form on {page}"
    return client.post(action, data={**data, "csrf_token": token.group(1)}, follow_redirects=False)


def check_markup(html: str, path: str) -> None:
    """One id per element, every control labelled, every posting form with its token."""
    ids = Counter(re.findall(r'\sid="([^"]+)"', html))
    assert [i for i, n in ids.items() if n > 1] == [], f"duplicate ids on {path}"
    labelled = set(re.findall(r'<label[^>]*\sfor="([^"]+)"', html))
    for _, attributes in CONTROL.findall(html):
        if re.search(r'type="(hidden|checkbox|radio|submit)"', attributes):
            continue
        found = re.search(r'\sid="([^"]+)"', attributes)
        assert found and found.group(1) in labelled, f"unlabelled control on {path}: {attributes}"
    for form in re.findall(r'<form[^>]*method="post".*?</form>', html, flags=re.S):
        assert 'name="csrf_token"' in form, f"a form without its CSRF token on {path}"


def page(client: TestClient, path: str, status: int = 200) -> str:
    response = client.get(path)
    assert response.status_code == status, (path, response.status_code, response.text[:500])
    if status == 200:
        check_markup(response.text, path)
    return response.text


def test_provider_sees_deadlines_files_the_report_and_asks_to_withdraw(
    client: TestClient, ready: ApiWorld
) -> None:
    sign_in(client, "provider-1")
    html = page(client, "/provider/library")
    assert CODE_A in html and CODE_B not in html
    assert "逾期未报" in html and "2026-03-31" in html and "报送年度报告" in html
    form = f"/provider/library/{CODE_A}/annual-report?year=2025"
    assert "已超过 2026-03-31 的报送期限" in page(client, form)
    refused = post(client, form, f"/provider/library/{CODE_A}/annual-report",
                   REPORT | {"year": 2026})  # fmt: skip
    assert refused.status_code == 422 and "第十八条" in refused.text and "2026" in refused.text
    partial = {k: v for k, v in REPORT.items() if k != "promotion"}
    named = post(client, form, f"/provider/library/{CODE_A}/annual-report", partial)
    assert named.status_code == 422 and "市场推广情况：此项为必填" in named.text
    filed = post(client, form, f"/provider/library/{CODE_A}/annual-report", REPORT)
    assert filed.status_code == 303 and filed.headers["location"] == "/provider/library"
    html = page(client, "/provider/library")
    assert "2025 年度报告已报送（逾期报送，已记录）" in html and "逾期报送" in html
    ask = f"/provider/library/{CODE_A}/withdrawal"
    empty = post(client, ask, ask, {"reason": ""})
    assert empty.status_code == 422 and "此项为必填" in empty.text
    done = post(client, ask, ask, {"reason": "业务调整"})
    assert done.status_code == 303
    assert "退出申请办理中" in page(client, "/provider/library")
    page(client, f"/provider/library/{CODE_B}/withdrawal", 403)  # B's entry: refused


def test_city_forwards_only_its_own_city_requests(client: TestClient, ready: ApiWorld) -> None:
    sign_in(client, "provider-1")
    ask = f"/provider/library/{CODE_A}/withdrawal"
    assert post(client, ask, ask, {"reason": "业务调整"}).status_code == 303
    sign_in(client, "sz-reviewer")
    assert CODE_A not in page(client, "/review/city/withdrawals")
    sign_in(client, "gz-reviewer")
    html = page(client, "/review/city/withdrawals")
    assert CODE_A in html and "业务调整" in html
    request_id = re.search(r"/review/city/withdrawals/(\d+)/forward", html)
    assert request_id
    action = f"/review/city/withdrawals/{request_id.group(1)}/forward"
    missing = post(client, "/review/city/withdrawals", action, {"opinion": ""})
    assert missing.status_code == 422 and "此项为必填" in missing.text
    sign_in(client, "sz-reviewer")
    other = post(client, "/review/city/withdrawals", action, {"opinion": "同意"})
    assert other.status_code == 403 and "第十九条第（三）项" in other.text
    sign_in(client, "gz-reviewer")
    assert post(client, "/review/city/withdrawals", action, {"opinion": "同意"}).status_code == 303
    assert "已转报" not in page(client, "/review/city/withdrawals").split("待签署意见")[1][:40]


def test_province_warns_sees_the_period_and_previews_a_removal(
    client: TestClient, ready: ApiWorld, clock: Clock
) -> None:
    clock.now = at(2026, 1, 5, 10)
    sign_in(client, "staff")
    entry = f"/review/province/library/{CODE_A}"
    assert "发出预警" in page(client, entry)
    none = post(client, entry, f"{entry}/warning", {"detail": "反馈差"})
    assert none.status_code == 422 and "至少需要选择或填写 1 项" in none.text
    reasons = {"reasons": ["poor_feedback", "technology_outdated"], "detail": "反馈差"}
    warned = post(client, entry, f"{entry}/warning", reasons)
    assert warned.status_code == 303
    desk = page(client, "/review/province/library")
    assert "整改中的预警" in desk and "2026-07-06" in desk and "剩 182 天" in desk
    warning_id = re.search(r"/review/province/warnings/(\d+)", desk)
    assert warning_id
    path = f"/review/province/warnings/{warning_id.group(1)}"
    assert "disabled" in page(client, path)  # removal is not offered while the period runs
    early = post(client, path, f"{path}/decision", {"decision": "remove", "note": "逾期"})
    assert early.status_code == 409 and "第十九条第（一）项" in early.text
    org = ready.base.organisation_id
    preview = page(client, f"/review/province/organisations/{org}/removal?ground=false_material")
    assert "移出影响（预览，尚未执行）" in preview and CODE_A in preview
    assert "2029-01-05" in preview and "将生成的信用信息报送内容" in preview
    assert "预警整改中" in page(client, f"/review/province/library?q={CODE_A}")  # unchanged
    removed = post(client, f"/review/province/organisations/{org}/removal?ground=false_material",
                   f"/review/province/organisations/{org}/removal",
                   {"ground": "false_material", "reason": "案例合同伪造"})  # fmt: skip
    assert removed.status_code == 303
    desk = page(client, "/review/province/library")
    assert "已移出资源：AI-001" in desk and "禁止申报至 2029-01-05" in desk
    assert "待报送社会信用主管部门" in desk


def test_province_annual_reports_and_priority(client: TestClient, ready: ApiWorld) -> None:
    sign_in(client, "staff")
    reports = page(client, "/review/province/annual-reports?year=2025")
    assert reports.count("逾期未报") >= 3 and CODE_A in reports and CODE_B in reports
    entry = f"/review/province/library/{CODE_B}"
    done = post(client, entry, f"{entry}/priority", {"priority": "true", "reason": "成效突出"})
    assert done.status_code == 303
    assert "取消优先推广" in page(client, entry)
    for denied in ("/review/province/library", "/review/province/annual-reports"):
        sign_in(client, "gz-reviewer")
        assert client.get(denied).status_code == 403

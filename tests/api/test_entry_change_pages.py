"""The pages of 资源信息变更申请, signed in through the login form: the provider's change form
prefilled with the certified texts, a refused proposal shown on the page, a proposal with a new
case, its state and withdrawal; the province's queue (in the navigation), the before/after with
what changes marked, rejection needing a reason, approval changing the public resource page."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from api.pages.lifecycle.changes_province import marked
from tests.api.conftest import Clock
from tests.api.lifecycle_world import CODE_A, CODE_B, certified
from tests.api.matrix_requests import CASE
from tests.api.test_lifecycle_pages import page, post, sign_in
from tests.api.world import ApiWorld
from tests.db.factories import at

SUMMARY = "基于深度学习的表面缺陷检测"  # AI-001's certified summary
ADDED = "，新增锂电池极片涂布缺陷在线检测"
FORM = f"/provider/library/{CODE_A}/changes"


@pytest.fixture
def ready(world: ApiWorld, sessions: sessionmaker[Session], clock: Clock) -> ApiWorld:
    certified(sessions, world)
    clock.now = at(2025, 12, 1, 10)
    return world


def current_texts(html: str) -> dict[str, str]:
    return {"summary": SUMMARY} | {
        name: html.split(f'name="{name}" rows="5">')[1].split("</textarea>")[0]
        for name in ("advantages", "indicators", "scenarios")
    }


def test_marked_runs() -> None:
    assert marked("检出率高", "检出率高、部署快") == (
        [("检出率高", False)],
        [("检出率高", False), ("、部署快", True)],
    )
    assert marked("电子、家电外观", "电子外观") == (
        [("电子", False), ("、家电", True), ("外观", False)],
        [("电子", False), ("外观", False)],
    )
    old, new = marked("节拍 200ms", "节拍 150ms")
    assert "".join(t for t, _ in old) == "节拍 200ms" and any(m for _, m in new)


def test_provider_proposes_and_withdraws(client: TestClient, ready: ApiWorld) -> None:
    sign_in(client, "provider-1")
    assert FORM in page(client, "/provider/library")
    html = page(client, FORM)
    assert f">{SUMMARY}</textarea>" in html and "没有变更申请" in html
    texts = current_texts(html)
    refused = post(client, FORM, FORM, texts | {"explanation": "无改动"})
    assert refused.status_code == 422 and "变更申请须修改至少一项内容" in refused.text
    case = {f"new_cases.0.{k}": v for k, v in CASE.items()}
    sent = post(client, FORM, FORM, texts | case | {"summary": SUMMARY + ADDED,
                                                    "explanation": "技术更新"})  # fmt: skip
    assert sent.status_code == 303
    html = page(client, FORM)
    assert "待省厅审核" in html and "技术简介" in html and "新增案例 1 个" in html
    assert "已有待审核的变更申请" in html
    page(client, f"/provider/library/{CODE_B}/changes", 403)
    withdraw = html.split('action="/provider/entry-changes/')[1].split('"')[0]
    done = post(client, FORM, f"/provider/entry-changes/{withdraw}", {})
    assert done.status_code == 303
    assert "已撤回申请" in page(client, FORM)


def test_several_cases_in_one_proposal(client: TestClient, ready: ApiWorld) -> None:
    sign_in(client, "provider-1")
    html = page(client, FORM)
    assert 'id="new_cases.2.title"' in html and "再添加一个案例" in html
    texts = current_texts(html)
    first = {f"new_cases.0.{k}": v for k, v in CASE.items()}
    third = {f"new_cases.2.{k}": v for k, v in (CASE | {"title": "第三个"}).items()}
    bad = third | {"new_cases.2.client_industry": "X99"}
    refused = post(client, FORM, FORM, texts | first | bad | {"explanation": "新增案例"})
    assert refused.status_code == 422
    # the filled third slot moved up to the second: its error and values are shown there
    html = refused.text
    assert 'id="new_cases.1.client_industry" name="new_cases.1.client_industry" value="X99"' in html
    assert 'id="new_cases.1.client_industry-error"' in html
    assert 'name="new_cases.2.title" value=""' in html
    sent = post(client, FORM, FORM, texts | first | third | {"explanation": "新增案例"})
    assert sent.status_code == 303
    assert "新增案例 2 个" in page(client, FORM)


def test_province_sees_before_after_and_decides(client: TestClient, ready: ApiWorld) -> None:
    sign_in(client, "provider-1")
    texts = current_texts(page(client, FORM))
    post(client, FORM, FORM, texts | {"summary": SUMMARY + ADDED, "explanation": "技术更新"})
    sign_in(client, "staff")
    queue = page(client, "/review/province/entry-changes")
    assert 'href="/review/province/entry-changes"' in queue  # in the province's navigation
    assert CODE_A in queue and "技术简介" in queue
    change = queue.split('href="/review/province/entry-changes/')[1].split('"')[0]
    path = f"/review/province/entry-changes/{change}"
    detail = page(client, path)
    assert f"<ins>{ADDED}</ins>" in detail and "已修改" in detail and "（不变）" in detail
    action = f"{path}/decision"
    refused = post(client, path, action, {"decision": "reject", "note": "", "version": "1"})
    assert refused.status_code == 422
    stale = post(client, path, action, {"decision": "approve", "version": "7"})
    assert stale.status_code == 409 and "已被他人处理" in stale.text
    assert post(client, path, action, {"decision": "approve", "version": "1"}).status_code == 303
    assert "同意变更，资源库内容已更新" in page(client, "/review/province/entry-changes")
    assert CODE_A in page(client, "/review/province/entry-changes?status=approved")
    assert SUMMARY + ADDED in page(client, f"/library/{CODE_A}")
    sign_in(client, "provider-1")
    assert "已同意变更" in page(client, FORM)
    page(client, "/review/province/entry-changes", 403)

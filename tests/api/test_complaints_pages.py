"""The pages of public supervision: a visitor files a complaint and reads its token once, then
follows it (never the notes); staff assign, note and close it in the desk (city X sees only
what is assigned to it); the publicity list takes an objection whose decision the objector
follows with the token. Errors are shown on the page with their article."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from tests.api.conftest import Clock
from tests.api.lifecycle_world import CODE_A, certified
from tests.api.test_lifecycle_pages import page, post, sign_in
from tests.api.world import ApiWorld, to_publicity
from tests.db.factories import at

TOKEN = re.compile(r'<code id="token">([^<]+)</code>')
COMPLAINT = {
    "subject": "entry",
    "resource_code": CODE_A,
    "title": "检出率与宣传不符",
    "content": "实测检出率 92%",
    "contact_phone": "0769-88000000",
}
NOTE = "约谈记录（内部）"


@pytest.fixture
def ready(world: ApiWorld, sessions: sessionmaker[Session], clock: Clock) -> ApiWorld:
    certified(sessions, world)
    clock.now = at(2026, 3, 2, 10)
    return world


def _file(client: TestClient, data: dict[str, str]) -> str:
    client.cookies.clear()
    receipt = post(client, "/complaints", "/complaints", data)
    assert receipt.status_code == 201, receipt.text[:400]
    assert "查询码只显示这一次" in receipt.text and "TS2026-" in receipt.text
    found = TOKEN.search(receipt.text)
    assert found
    return found.group(1)


def _follow(client: TestClient, token: str) -> str:
    answer = post(client, "/complaints/follow-up", "/complaints/follow-up", {"token": token})
    assert answer.status_code == 200, answer.text[:400]
    return str(answer.text)


def test_a_visitor_files_and_follows_a_complaint(client: TestClient, ready: ApiWorld) -> None:
    assert "投诉举报对象" in page(client, f"/complaints?resource={CODE_A}")
    refused = post(client, "/complaints", "/complaints", COMPLAINT | {"resource_code": "AI-999"})
    assert refused.status_code == 422 and "第二十三条" in refused.text
    assert "资源编号不存在" in refused.text
    trap = post(client, "/complaints", "/complaints", COMPLAINT | {"website": "http://spam"})
    assert trap.status_code == 422
    token = _file(client, COMPLAINT)
    assert "已受理" in _follow(client, token)
    wrong = post(client, "/complaints/follow-up", "/complaints/follow-up", {"token": "x" * 30})
    assert wrong.status_code == 404 and "查询码无效" in wrong.text
    sign_in(client, "staff")
    desk = page(client, "/review/complaints")
    complaint = re.search(r"/review/complaints/(\d+)", desk)
    assert complaint and "检出率与宣传不符" in desk
    path = f"/review/complaints/{complaint.group(1)}"
    detail = page(client, path)
    assert "0769-88000000" in detail and "实测检出率 92%" in detail
    reviewer = re.search(r'<option value="(\d+)"[^>]*>[^<]*（广州市）', detail)
    assert reviewer
    assigned = post(client, path, f"{path}/assignment", {"assignee_user_id": reviewer.group(1)})
    assert assigned.status_code == 303
    sign_in(client, "sz-reviewer")
    assert "检出率与宣传不符" not in page(client, "/review/complaints")
    assert client.get(path).status_code == 404
    sign_in(client, "gz-reviewer")
    assert "检出率与宣传不符" in page(client, "/review/complaints")
    noted = post(client, path, f"{path}/action", {"action": "note", "text": NOTE})
    assert noted.status_code == 303 and NOTE in page(client, path)
    empty = post(client, path, f"{path}/action", {"action": "close"})
    assert empty.status_code == 422 and "此项为必填" in empty.text
    closed = post(client, path, f"{path}/action", {"action": "close", "result": "已责令说明"})
    assert closed.status_code == 303
    client.cookies.clear()
    seen = _follow(client, token)
    assert "已办结" in seen and "已责令说明" in seen and NOTE not in seen


def test_an_objection_from_the_publicity_page(
    client: TestClient, world: ApiWorld, sessions: sessionmaker[Session], clock: Clock
) -> None:
    to_publicity(sessions, world)
    clock.now = at(2025, 11, 17, 10)
    listing = page(client, "/publicity")
    assert "AI-001" in listing and "对该资源提出异议" in listing and "2025-11-20 23:59" in listing
    action = f"/publicity/{world.application_a}/objection"
    missing = post(client, "/publicity", action, {"name": "某公司", "content": "异议"})
    assert missing.status_code == 422 and "此项为必填" in missing.text
    objection = {"name": "某公司", "contact": "0757-1", "content": "案例客户为关联企业"}
    receipt = post(client, "/publicity", action, objection)
    assert receipt.status_code == 201 and "异议已受理" in receipt.text
    token = TOKEN.search(receipt.text)
    assert token
    answer = post(client, "/publicity/follow-up", "/publicity/follow-up",
                  {"token": token.group(1)})  # fmt: skip
    assert answer.status_code == 200 and "待省工业和信息化厅处理" in answer.text
    clock.now = at(2025, 11, 21, 9)
    late = post(client, "/complaints", action, {"name": "n", "contact": "c", "content": "c"})
    assert late.status_code == 409 and "公示期已结束" in late.text and "第十五条" in late.text
    draft = post(client, "/complaints", f"/publicity/{world.application_b}/objection",
                 {"name": "n", "contact": "c", "content": "c"})  # fmt: skip
    assert draft.status_code == 404

"""资源信息变更申请 in the browser, on the real server and its live index: a provider proposes a
new sentence for its entry's 技术简介 and two new cases (the second behind 再添加一个案例); the
province reads the text before and after with the addition marked and approves; the public
resource page shows the new text and case, and a need naming the new capability finds the entry.

The entry changed is the demo's last certified one, not the one the lifecycle tests use."""

from __future__ import annotations

from datetime import datetime

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from registry.db import make_engine, session_factory
from registry.enums import LibraryStatus, Role
from registry.models.accounts import User
from registry.models.library import LibraryEntry
from registry.models.resources import Resource
from tests.e2e.conftest import SHANGHAI, Server, shoot, sign_in, sign_out

pytestmark = pytest.mark.e2e

MONDAY = datetime(2026, 6, 1, 10, 0, tzinfo=SHANGHAI)
ADDED = "2026 年新增钙钛矿光伏组件薄膜针孔在线检测，最小可检针孔直径 20 微米。"
NEED = "我们生产钙钛矿光伏组件，想在线检测薄膜针孔缺陷"
CASES = (
    {"title": "钙钛矿组件针孔检测试点", "client": "某光伏科技公司", "client_city": "江门市",
     "client_industry": "C38", "started_on": "2026-01-05", "completed_on": "2026-04-30",
     "implementation": "在涂布后工位部署线扫相机与针孔检测模型，接入产线 MES。",
     "results": "针孔漏检率由 3.1% 降至 0.4%，每月减少返工组件约 900 片。",
     "feedback": "检测稳定，误报少，产线人员易上手。", "feedback_on": "2026-05-20"},
    {"title": "薄膜电池来料抽检", "client": "某新能源材料公司", "client_city": "肇庆市",
     "client_industry": "C38", "started_on": "2025-09-01", "completed_on": "2025-12-15",
     "implementation": "为来料玻璃基板建立缺陷样本库，替代人工目检抽检。",
     "results": "抽检效率提升 4 倍，来料异常提前两天发现。",
     "feedback": "缩短了来料检验周期。", "feedback_on": "2026-01-10"},
)  # fmt: skip


def _last_certified(server: Server) -> tuple[str, str, str]:
    """(provider username, resource code, its current 技术简介) of the last certified entry."""
    engine = make_engine(server.database_url)
    try:
        with session_factory(engine)() as session:
            row = session.execute(
                select(User.username, Resource.code, Resource.summary)
                .join(Resource, Resource.organisation_id == User.organisation_id)
                .join(LibraryEntry, LibraryEntry.resource_id == Resource.id)
                .where(User.role == Role.PROVIDER, LibraryEntry.status == LibraryStatus.CERTIFIED)
                .order_by(LibraryEntry.certified_at.desc(), Resource.code.desc())
            ).first()
            assert row is not None, "no certified entry in the demo files"
            return row[0], row[1], row[2]
    finally:
        engine.dispose()


def _fill_case(page: Page, slot: int, case: dict[str, str]) -> None:
    for name, value in case.items():
        page.locator(f'[name="new_cases.{slot}.{name}"]').fill(value)


def test_a_provider_changes_its_entry_and_search_follows(page: Page, server: Server) -> None:
    server.set_clock(MONDAY)
    username, code, summary = _last_certified(server)
    sign_in(page, username)
    page.goto(f"/provider/library/{code}/changes")
    expect(page.get_by_role("heading", name="资源信息变更申请")).to_be_visible()
    expect(page.get_by_label("技术简介")).to_have_value(summary)
    page.get_by_label("技术简介").fill(summary + ADDED)
    _fill_case(page, 0, CASES[0])
    page.get_by_text("再添加一个案例").first.click()
    _fill_case(page, 1, CASES[1])
    page.get_by_label("变更说明").fill("新增钙钛矿组件针孔检测能力及两个应用案例")
    shoot(page, "ch-01-provider-change-form", reload=False)
    page.get_by_role("button", name="提交变更申请").click()
    expect(page.get_by_role("status")).to_contain_text("信息变更申请已提交")
    expect(page.locator("#changes")).to_contain_text("新增案例 2 个")
    shoot(page, "ch-02-provider-change-pending")
    sign_out(page)

    sign_in(page, "province-staff")
    page.goto("/review/province/entry-changes")
    item = page.get_by_role("link", name=code).first
    expect(item).to_be_visible()
    shoot(page, "ch-03-province-change-queue")
    item.click()
    expect(page.locator(".lc-diff ins")).to_contain_text("钙钛矿光伏组件薄膜针孔在线检测")
    expect(page.get_by_role("heading", name="新增案例（2 个）")).to_be_visible()
    shoot(page, "ch-04-province-change-detail")
    page.get_by_label("处理意见").fill("材料齐全，同意变更")
    page.get_by_role("button", name="同意变更", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("已办结")
    sign_out(page)

    page.goto(f"/library/{code}")
    expect(page.get_by_text("钙钛矿光伏组件薄膜针孔在线检测").first).to_be_visible()
    expect(page.get_by_text(CASES[1]["title"]).first).to_be_visible()
    page.goto("/")
    page.get_by_label("需求描述").fill(NEED)
    page.get_by_role("button", name="匹配资源").click()
    results = page.locator("#results li.result")
    expect(results.first).to_be_visible()
    expect(page.locator(f"#results #r-{code}")).to_be_visible()
    shoot(page, "ch-05-search-after-change", reload=False)

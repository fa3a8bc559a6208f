"""Library management after certification and public supervision in the browser, on the real
server over part of the demo library: a provider sees its overdue annual report and files it,
asks to withdraw an entry, its city forwards the request; the province runs the desk (the
sweep's flags, a warning with its six months, the withdrawal to decide), previews a direct
removal without doing it; a visitor files a complaint, keeps the token and follows it; the
publicity page takes an objection to a resource driven to publicity through the API.
Screenshots of every page at desktop and phone width.

Nothing here removes or withdraws a demo entry: other browser tests search the same library."""

from __future__ import annotations

import re
from datetime import datetime

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from registry.db import make_engine, session_factory
from registry.enums import LibraryStatus, Role
from registry.models.accounts import User
from registry.models.library import LibraryEntry
from registry.models.organisations import Organisation
from registry.models.resources import Resource
from registry.sweep import run_sweep
from tests.e2e.conftest import SHANGHAI, START, Server, shoot, sign_in, sign_out
from tests.e2e.test_freshness import Api, to_publicity

pytestmark = pytest.mark.e2e

# 2026 is covered by chinese-calendar, and so is a warning's six months from now.
MONDAY = datetime(2026, 6, 1, 10, 0, tzinfo=SHANGHAI)


def _provider_certified_in_2025(server: Server) -> tuple[str, str, str, str]:
    """(username, city, resource code, organisation id) of a provider whose entry owes 2025."""
    engine = make_engine(server.database_url)
    try:
        with session_factory(engine)() as session:
            row = session.execute(
                select(User.username, Organisation.city, Resource.code, Organisation.id)
                .join(Organisation, User.organisation_id == Organisation.id)
                .join(Resource, Resource.organisation_id == Organisation.id)
                .join(LibraryEntry, LibraryEntry.resource_id == Resource.id)
                .where(User.role == Role.PROVIDER, LibraryEntry.status == LibraryStatus.CERTIFIED)
                .order_by(LibraryEntry.certified_at, Resource.code)
            ).first()
            assert row is not None, "no certified entry in the demo files"
            return row[0], row[1], row[2], str(row[3])
    finally:
        engine.dispose()


def _sweep(server: Server) -> None:
    """`funeng sweep` at dawn, as the scheduled job runs it."""
    engine = make_engine(server.database_url)
    try:
        with session_factory(engine)() as session:
            run_sweep(session=session, now=MONDAY.replace(hour=6))
            session.commit()
    finally:
        engine.dispose()


def test_provider_files_the_overdue_report_and_the_city_forwards_a_withdrawal(
    page: Page, server: Server
) -> None:
    server.set_clock(MONDAY)
    username, city, code, _ = _provider_certified_in_2025(server)
    sign_in(page, username)
    page.goto("/provider/library")
    expect(page.get_by_role("heading", name="入库后管理")).to_be_visible()
    row = page.locator("tr", has_text=code)
    expect(row.get_by_text("逾期未报")).to_be_visible()
    shoot(page, "lc-01-provider-library")
    row.get_by_role("link", name="报送年度报告").click()
    expect(page.get_by_text("已超过 2026-03-31 的报送期限")).to_be_visible()
    page.get_by_role("button", name="报送年度报告").click()  # empty: every field refused
    expect(page.locator(".alert--error")).to_contain_text("未能报送")
    page.get_by_label("市场推广情况").fill("参加三场供需对接会，新增签约客户 6 家")
    page.get_by_label("应用成效数据").fill("全年服务产线 40 条，平均节拍提升 12%")
    page.get_by_label("技术更新迭代情况").fill("发布 3.0 版本，新增小样本建模")
    page.get_by_label("服务企业反馈意见").fill("客户满意度 4.6/5")
    page.get_by_label("服务企业数量（家）").fill("18")
    shoot(page, "lc-02-annual-report-form", reload=False)
    page.get_by_role("button", name="报送年度报告").click()
    expect(page.get_by_role("status")).to_contain_text("逾期报送，已记录")
    page.locator("tr", has_text=code).get_by_role("link", name="申请退出").click()
    page.get_by_label("退出理由").fill("产品线调整，该服务不再对外提供")
    shoot(page, "lc-03-withdrawal-form", reload=False)
    page.get_by_role("button", name="提交退出申请").click()
    expect(page.get_by_role("status")).to_contain_text("退出申请已提交")
    expect(page.locator("tr", has_text=code).get_by_text("退出申请办理中")).to_be_visible()
    sign_out(page)

    reviewer = {"深圳市": "shenzhen-reviewer", "广州市": "guangzhou-reviewer"}.get(city)
    if reviewer is None:
        pytest.skip(f"no demo reviewer account for {city}")
    sign_in(page, reviewer)
    page.goto("/review/city/withdrawals")
    item = page.locator(".lc-list__item", has_text=code)
    expect(item).to_be_visible()
    shoot(page, "lc-04-city-withdrawals")
    item.get_by_label("地市意见").fill("情况属实，同意转报")
    item.get_by_role("button", name="签署意见并转报省厅").click()
    expect(page.get_by_role("status")).to_contain_text("已签署意见并转报")


def test_the_province_desk_warning_and_removal_preview(page: Page, server: Server) -> None:
    server.set_clock(MONDAY)
    _sweep(server)
    _, _, code, org_id = _provider_certified_in_2025(server)
    sign_in(page, "province-staff")
    page.goto("/review/province/library")
    expect(page.get_by_role("heading", name="每日巡检发现的待办")).to_be_visible()
    expect(page.get_by_text("年度报告逾期未报（第十八条）").first).to_be_visible()
    target = page.locator("tbody tr", has_text="MF-").first  # a manufacturing service entry
    warned_code = re.search(r"MF-\d+", target.inner_text())
    assert warned_code, "no MF entry in the demo files"
    page.goto(f"/review/province/library/{warned_code.group(0)}")
    shoot(page, "lc-05-province-entry")
    page.get_by_label("用户反馈较差").check()
    page.get_by_label("具体情况").fill("2025 年度两家服务企业反映交付延期（演示）")
    page.get_by_role("button", name="发出预警（限期 6 个月整改）").click()
    expect(page.get_by_role("status")).to_contain_text("整改期限至 2026-12-01")
    page.goto("/review/province/library")
    row = page.locator("section[aria-labelledby=w-title] tr", has_text=warned_code.group(0))
    expect(row).to_contain_text("剩 183 天")
    shoot(page, "lc-06-province-desk")
    row.get_by_role("link", name="处理").click()
    expect(page.get_by_role("button", name="移出资源库")).to_be_disabled()
    shoot(page, "lc-07-province-warning")
    page.goto(f"/review/province/organisations/{org_id}/removal?ground=false_material")
    expect(page.get_by_role("heading", name="2. 移出影响（预览，尚未执行）")).to_be_visible()
    expect(page.locator(".lc-impact")).to_contain_text(code)
    expect(page.locator(".lc-impact")).to_contain_text("2029-06-01")
    shoot(page, "lc-08-removal-preview")
    page.goto("/review/province/annual-reports?year=2025")
    expect(page.get_by_text("逾期报送").first).to_be_visible()
    shoot(page, "lc-09-annual-reports")


def test_a_visitor_complains_and_objects(page: Page, server: Server) -> None:
    server.set_clock(MONDAY)
    _, _, code, _ = _provider_certified_in_2025(server)
    page.goto(f"/complaints?resource={code}")
    shoot(page, "lc-10-complaint-form")
    page.get_by_label("标题").fill("宣传的检出率与实测不符")
    page.get_by_label("事实与理由").fill("2026 年 3 月采购后，实测检出率约 92%，与资源库所列不符。")
    page.get_by_label("联系电话（可不填）").fill("0769-88000000")
    page.get_by_role("button", name="提交投诉举报").click()
    expect(page.get_by_role("heading", name="投诉举报已受理")).to_be_visible()
    token = page.locator("#token").inner_text().strip()
    assert len(token) >= 30
    shoot(page, "lc-11-complaint-receipt", reload=False)
    page.get_by_role("link", name="去查询办理进度").click()
    page.get_by_label("查询码").fill(token)
    page.get_by_role("button", name="查询").click()
    expect(page.get_by_text("已受理").first).to_be_visible()
    shoot(page, "lc-12-complaint-follow-up", reload=False)
    sign_in(page, "province-staff")
    page.goto("/review/complaints")
    page.get_by_role("link", name="办理").first.click()
    expect(page.get_by_text("0769-88000000")).to_be_visible()
    shoot(page, "lc-13-complaint-desk")
    sign_out(page)
    server.set_clock(START)
    with server.api() as client:
        application_id, proposed = to_publicity(Api(client))
    page.goto("/publicity")
    item = page.locator(f"#item-{application_id}")
    expect(item).to_contain_text(proposed)
    item.locator(".lc-object summary").click()
    shoot(page, "lc-14-publicity", reload=False)
    form = item.locator(".lc-object[open] form")
    form.get_by_label("提出人（单位或个人）").fill("某检测设备公司")
    form.get_by_label("联系电话或邮箱").fill("0757-83000000")
    form.get_by_label("异议内容及理由").fill("案例 2 的客户与申报单位为关联企业（演示）")
    form.get_by_role("button", name="提交异议").click()
    expect(page.get_by_role("heading", name="异议已受理")).to_be_visible()
    objection_token = page.locator("#token").inner_text().strip()
    page.goto("/publicity/follow-up")
    page.get_by_label("查询码").fill(objection_token)
    page.get_by_role("button", name="查询").click()
    expect(page.get_by_text("待省工业和信息化厅处理").first).to_be_visible()
    shoot(page, "lc-15-objection-follow-up", reload=False)

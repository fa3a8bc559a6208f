"""The whole procedure in the browser: a provider submits a resource with three cases, the
city recommends it, three experts score it, the province reports, starts publicity and — once
the five working days have passed — certifies it; then the need search finds it, through the
live index of the running server. Screenshots of every console on the way."""

from __future__ import annotations

from datetime import datetime

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import SHANGHAI, START, Server, shoot, sign_in, sign_out

pytestmark = pytest.mark.e2e

PROVIDER = "mf-sz-xinyuan"  # a Shenzhen provider of the demo library
TITLE = "注塑模具随形冷却与模温智能调控系统"
NEED = "注塑模具冷却时间太长、模温不均匀，想做随形冷却水路和模温智能调控"
EXPERTS = (("expert-tech-1", "王建平"), ("expert-ind-1", "黄国栋"), ("expert-fin-1", "郑丽娟"))
AFTER_PUBLICITY = datetime(2026, 12, 2, 10, 0, tzinfo=SHANGHAI)


def fill_resource(page: Page) -> None:
    page.fill("#title", TITLE)
    for direction in ("人工智能应用", "制造生产"):
        page.locator("label.check", has_text=direction).locator("input").check()
    page.select_option("#form", "集成服务方案")
    page.select_option("#industries", ["C29", "C35"])
    page.fill("#summary", "为注塑企业设计3D打印随形冷却水路模具镶件，配合多区模温机与模温传感器，"
              "按成型周期自动调控各区冷却水温，消除局部热点，缩短冷却时间。")  # fmt: skip
    page.fill("#advantages", "随形冷却水路由模流分析优化；模温闭环控制；一套系统管理多台注塑机。")
    page.fill("#indicators", "冷却时间平均缩短35%；模温波动不超过±1.5℃；翘曲不良率下降60%。")
    page.fill(
        "#scenarios",
        "适用于家电外壳、汽车灯罩等注塑件，尤其是冷却时间占周期一半以上的模具。",
    )
    page.fill("#keywords", "随形冷却、模温机、注塑模具、模温控制")


def add_case(page: Page, i: int) -> None:
    page.locator("summary", has_text="添加典型案例").click()
    page.fill("#title", f"汽车灯罩注塑模具随形冷却改造{i}")
    page.fill("#client", f"佛山市某汽车灯具有限公司{i}")
    page.fill("#client_city", "佛山市")
    page.select_option("#client_industry", "C36")
    page.fill("#started_on", "2025-11-03")
    page.fill("#completed_on", "2026-03-31")
    page.fill("#implementation", "更换3D打印随形冷却镶件，加装四区模温机和传感器，按周期调控水温。")
    page.fill("#results", f"冷却时间由42秒缩短到27秒，翘曲不良率由3.{i}%降至1.1%，年增产18万件。")
    page.fill("#feedback", "改造后灯罩变形明显减少，产能提升显著。")
    page.fill("#feedback_on", "2026-06-15")
    page.get_by_role("button", name="添加案例").click()
    expect(page.locator(".alert--success")).to_contain_text("典型案例已添加")


def provider_submits(page: Page, tmp_pdf: str) -> None:
    sign_in(page, PROVIDER)
    assert page.url.endswith("/provider")
    shoot(page, "10-provider-home")
    page.get_by_role("link", name="新建赋能资源").first.click()
    shoot(page, "11-provider-resource-form")
    fill_resource(page)
    page.get_by_role("button", name="保存资源").click()
    expect(page.locator(".alert--success")).to_contain_text("资源已保存")
    for i in (1, 2, 3):
        add_case(page, i)
    page.locator("summary", has_text="上传佐证材料").click()
    page.select_option("#kind", "发明专利")
    page.fill("#ev-title", "一种注塑模具随形冷却水路的优化设计方法")
    page.fill("#number", "ZL202410000088.5")
    page.fill("#issued_on", "2025-06-18")
    page.set_input_files("#file", tmp_pdf)
    page.get_by_role("button", name="上传").click()
    expect(page.locator(".alert--success")).to_contain_text("佐证材料已上传")
    shoot(page, "12-provider-resource")
    page.goto("/provider")
    option = page.locator("#resource_id option", has_text=TITLE).get_attribute("value")
    assert option is not None
    page.select_option("#resource_id", option)
    page.select_option("#batch_code", "2026Q4")
    page.get_by_role("button", name="建立申报草稿").click()
    expect(page.get_by_role("heading", name="提交前预检（按今日提交核查）")).to_be_visible()
    shoot(page, "13-provider-application-draft")
    page.locator("input[name=commitment]").check()
    page.get_by_role("button", name="提交申报").click()
    expect(page.locator(".alert--success")).to_contain_text("申报已提交")
    expect(page.locator(".page-header")).to_contain_text("地市初审中")
    shoot(page, "14-provider-application-submitted")
    sign_out(page)


def city_recommends(page: Page) -> None:
    sign_in(page, "shenzhen-reviewer")
    shoot(page, "20-city-queue")
    page.locator("tr", has_text=TITLE).get_by_role("link", name="办理").click()
    shoot(page, "21-city-application")
    page.locator("label.radio-card", has_text="推荐").first.locator("input").check()
    page.fill("#reasons", "材料齐全，资质、案例与佐证材料真实完整，同意推荐。")
    page.get_by_role("button", name="提交初审意见").click()
    expect(page.locator(".alert--success")).to_contain_text("初审意见已提交")
    sign_out(page)


def province_assigns(page: Page) -> None:
    sign_in(page, "province-staff")
    shoot(page, "30-province-desk")
    page.locator("tr", has_text=TITLE).get_by_role("link", name="办理").click()
    for _, name in EXPERTS:
        page.locator("label.check", has_text=name).locator("input").check()
    page.get_by_role("button", name="分配专家").click()
    expect(page.locator(".alert--success")).to_contain_text("评审专家已分配")
    sign_out(page)


def experts_score(page: Page) -> None:
    for n, (username, _) in enumerate(EXPERTS):
        sign_in(page, username)
        if n == 0:
            shoot(page, "40-expert-list")
        page.locator("tr", has_text=TITLE).get_by_role("link", name="评分").click()
        for field, value in (("advancement", 88), ("maturity", 84), ("application_effect", 86),
                             ("promotion_value", 85 + n)):  # fmt: skip
            page.fill(f"#{field}", str(value))
        page.fill("#comment", "技术路线成熟，案例成效可核实。")
        page.get_by_role("button", name="提交评分").click()
        expect(page.locator(".alert--success")).to_contain_text("评分已保存")
        if n == 0:
            shoot(page, "41-expert-application")
        sign_out(page)


def province_certifies(page: Page, server: Server) -> None:
    sign_in(page, "province-staff")
    page.locator("tr", has_text=TITLE).get_by_role("link", name="办理").click()
    page.locator("summary", has_text="形成专家评审报告").click()
    page.locator("label.radio-card", has_text="拟认定").locator("input").check()
    page.fill("#summary", "专家组一致认为该资源技术先进、成效显著，建议认定。")
    page.get_by_role("button", name="提交评审报告").click()
    expect(page.locator(".alert--success")).to_contain_text("专家评审报告已形成")
    page.get_by_role("button", name="开始公示").click()
    expect(page.locator(".alert--success")).to_contain_text("已开始公示")
    shoot(page, "31-province-application-publicity")
    server.set_clock(AFTER_PUBLICITY)  # five working days later
    sign_in(page, "province-staff")  # the old session expired with the clock
    page.locator("tr", has_text=TITLE).get_by_role("link", name="办理").click()
    page.get_by_role("button", name="正式认定入库").click()
    expect(page.locator(".alert--success")).to_contain_text("已正式认定")
    page.goto("/review/province/audit")
    shoot(page, "32-province-audit")
    sign_out(page)


def test_a_submitted_resource_goes_through_review_and_is_found(
    page: Page, server: Server, tmp_path_factory: pytest.TempPathFactory
) -> None:
    server.set_clock(START)
    pdf = tmp_path_factory.mktemp("files") / "patent.pdf"
    pdf.write_bytes(b"%PDF-1.4\n% patent certificate scan\n%%EOF\n")
    provider_submits(page, str(pdf))
    city_recommends(page)
    province_assigns(page)
    experts_score(page)
    province_certifies(page, server)

    page.goto("/")
    page.get_by_label("需求描述").fill(NEED)
    page.get_by_role("button", name="匹配资源").click()
    first = page.locator("li.result").first
    expect(first.locator(".result__title")).to_contain_text("随形冷却")
    expect(first.locator(".evidence")).to_contain_text("佛山市某汽车灯具有限公司")
    shoot(page, "09-search-new-resource", reload=False)

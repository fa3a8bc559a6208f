"""A manufacturer in the browser: types a need, sees highlighted matches, why each matched
and the evidence case; tries a multi-aspect need and one nothing fits; browses the library
and a resource. Screenshots of each public page at desktop and phone width."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import shoot

pytestmark = pytest.mark.e2e

NEED = "我们是东莞的注塑厂，想用机器视觉做外观缺陷检测"


def test_a_manufacturer_sees_highlighted_matches_and_the_evidence_case(page: Page) -> None:
    page.goto("/")
    expect(page.get_by_role("heading", name="描述您的需求，匹配经认定的赋能资源")).to_be_visible()
    shoot(page, "01-home")
    page.get_by_label("需求描述").fill(NEED)
    page.get_by_role("button", name="匹配资源").click()
    results = page.locator("#results")
    expect(results).to_be_visible()
    first = results.locator("li.result").first
    expect(first).to_be_visible()
    marks = first.locator(".result__title mark, .result__summary mark").all_inner_texts()
    assert any("视觉" in m or "缺陷" in m or "检测" in m for m in marks), marks
    evidence = first.locator(".evidence")
    expect(evidence).to_be_visible()
    assert evidence.locator(".evidence__meta").inner_text().strip()
    first.locator(".why summary").click()
    expect(first.locator(".why__body")).to_contain_text("第")  # each retriever's rank
    shoot(page, "02-search-results", reload=False)
    # The evidence link opens the resource at that case.
    evidence.locator(".evidence__title a").click()
    expect(page.locator(".case:target")).to_be_visible()
    shoot(page, "05-resource-detail")


def test_a_need_with_several_aspects_gets_a_bundle(page: Page) -> None:
    page.goto("/")
    page.get_by_role("link", name="组合需求").click()  # fills the box and ticks 组合推荐
    expect(page.locator("input[name=bundle]")).to_be_checked()
    page.get_by_role("button", name="匹配资源").click()
    expect(page.locator(".bundle")).to_be_visible()
    assert page.locator(".bundle__table tbody tr").count() >= 2
    shoot(page, "03-search-bundle", reload=False)


def test_a_need_nothing_fits_is_told_so(page: Page) -> None:
    page.goto("/?need=" + "红酒进口代理与葡萄酒品鉴会策划")
    expect(page.get_by_role("heading", name="暂无合适资源")).to_be_visible()
    assert page.locator("li.result").count() == 0
    shoot(page, "04-search-no-fit")


def test_the_library_filters_with_facets(page: Page) -> None:
    page.goto("/library")
    total = page.locator(".list-head__title").inner_text()
    shoot(page, "06-library")
    page.locator(".facet__value", has_text="人工智能应用").locator("input").check()
    page.wait_for_url("**direction=*")  # the facet form submits itself
    expect(page.locator(".chips")).to_contain_text("赋能方向：人工智能应用")
    assert page.locator(".list-head__title").inner_text() != total


def test_sign_in_and_missing_pages_look_right(page: Page) -> None:
    page.goto("/login")
    expect(page.get_by_role("heading", name="登录")).to_be_visible()
    shoot(page, "07-login")
    page.get_by_role("link", name="注册单位信息").click()
    expect(page.get_by_role("heading", name="申报单位注册")).to_be_visible()
    shoot(page, "15-provider-register")
    page.goto("/library/NO-SUCH")
    expect(page.get_by_role("heading", name="页面不存在")).to_be_visible()
    shoot(page, "08-not-found")
